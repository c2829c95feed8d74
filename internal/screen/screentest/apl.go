package screentest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// timeout bounds one node run; a batch of a few dozen documents takes a few seconds.
const timeout = 2 * time.Minute

const setup = "run ./infra/node-tools.sh (it needs Node.js 18+ and npm), or the README's test command, which does"

// CheckAPL checks every item, an APL document or an Alexa.Presentation.APL directive
// (RenderDocument, ExecuteCommands), with apl-suggester and reports each one it refuses,
// with its errors, through t.Errorf. All items go to one node process. It fails the test
// with t.Fatalf when it cannot check: no items, node or the installed package missing or
// stale (run ./infra/node-tools.sh), or the checker failing.
func CheckAPL(t testing.TB, items []json.RawMessage) {
	t.Helper()
	for i, errs := range APLErrors(t, items) {
		if errs != "" {
			t.Errorf("apl-suggester refuses item %d: %s\n%s", i, errs, items[i])
		}
	}
}

// APLErrors is CheckAPL's verdict without the reporting: for each item, the errors found as
// a JSON array, or "" when there were none. It fails the test with t.Fatalf when it cannot
// check, as CheckAPL does.
func APLErrors(t testing.TB, items []json.RawMessage) []string {
	t.Helper()
	if len(items) == 0 {
		t.Fatal("screentest: no APL documents or directives to check")
	}
	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("screentest: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	errs, err := checkAPL(ctx, root, t.TempDir(), items)
	if err != nil {
		t.Fatalf("screentest: %v", err)
	}
	return errs
}

// result is one item of apl-check.mjs's answer.
type result struct {
	Index  int               `json:"index"`
	Errors []json.RawMessage `json:"errors"`
}

// checkAPL runs infra/node/apl-check.mjs under root on items, written to a file in dir.
func checkAPL(ctx context.Context, root, dir string, items []json.RawMessage) ([]string, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("node is not installed: install Node.js 18+ and npm, then %s", setup)
	}
	if err := installed(root); err != nil {
		return nil, fmt.Errorf("%v: %s", err, setup)
	}
	in, err := json.Marshal(items)
	if err != nil {
		return nil, fmt.Errorf("items are not JSON: %v", err)
	}
	file := filepath.Join(dir, "apl-items.json")
	if err := os.WriteFile(file, in, 0o600); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, node, filepath.Join("infra", "node", "apl-check.mjs"), file)
	cmd.Dir = root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) { // 1: some items refused
		return nil, fmt.Errorf("node infra/node/apl-check.mjs: %v\n%s", err, stderr.Bytes())
	}
	var results []result
	if err := json.Unmarshal(stdout.Bytes(), &results); err != nil {
		return nil, fmt.Errorf("node infra/node/apl-check.mjs printed no results (%v):\n%s%s", err, stdout.Bytes(), stderr.Bytes())
	}
	if len(results) != len(items) {
		return nil, fmt.Errorf("node infra/node/apl-check.mjs answered for %d of %d items", len(results), len(items))
	}
	errs := make([]string, len(items))
	refused := false
	for i, r := range results {
		if r.Index != i {
			return nil, fmt.Errorf("node infra/node/apl-check.mjs answered for item %d in place %d", r.Index, i)
		}
		if len(r.Errors) > 0 {
			line := make([]string, len(r.Errors)) // as printed: json.Marshal would escape < and >
			for j, e := range r.Errors {
				line[j] = string(e)
			}
			errs[i], refused = "["+strings.Join(line, ",")+"]", true
		}
	}
	if refused != (err != nil) {
		return nil, fmt.Errorf("node infra/node/apl-check.mjs exited with %v but reported refusals %v", err, refused)
	}
	return errs, nil
}

// installed reports whether .cache/node holds what infra/node pins, as infra/node-tools.sh
// leaves it: copies of package.json and package-lock.json, and .installed once npm ci ended,
// with apl-suggester among the packages.
func installed(root string) error {
	cache := filepath.Join(root, ".cache", "node")
	if _, err := os.Stat(filepath.Join(cache, ".installed")); err != nil {
		return fmt.Errorf("the Node.js checkers are not installed in %s", cache)
	}
	for _, name := range []string{"package.json", "package-lock.json"} {
		want, err := os.ReadFile(filepath.Join(root, "infra", "node", name))
		if err != nil {
			return err
		}
		got, err := os.ReadFile(filepath.Join(cache, name))
		if err != nil || !bytes.Equal(got, want) {
			return fmt.Errorf("the Node.js checkers in %s are older than infra/node/%s", cache, name)
		}
	}
	if _, err := os.Stat(filepath.Join(cache, "node_modules", "apl-suggester", "package.json")); err != nil {
		return fmt.Errorf("apl-suggester is not installed in %s (is it in infra/node/package.json?)", cache)
	}
	return nil
}

// moduleRoot is the folder holding go.mod, from the working directory upwards (go test runs
// in the package's folder).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
