// Package nodecheck runs, from Go tests, the project's checkers that are Amazon's own
// Node.js packages (infra/node/*.mjs, installed into .cache/node by infra/node-tools.sh):
// one node process for a whole batch of items, each answered with the errors it has.
package nodecheck

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
)

// Setup says how to install the checkers.
const Setup = "run ./infra/node-tools.sh (it needs Node.js 18+ and npm), or the README's test command, which does"

// result is one item of a checker's answer: a JSON array of {"index", "errors"} in the
// order of the items given.
type result struct {
	Index  int               `json:"index"`
	Errors []json.RawMessage `json:"errors"`
}

// Run writes items as a JSON array to a file in dir and runs node infra/node/script on it
// (after args) in root, the module's folder. It returns, for each item, the errors the
// checker found as a JSON array, or "" for none. need are npm packages that must be in
// .cache/node/node_modules besides what infra/node pins. The checker exits 0 when it
// refuses nothing and 1 when it refuses some; anything else, or an answer that does not
// match the items, is an error, as is node or the install missing or stale.
func Run[T any](ctx context.Context, root, dir, script string, args []string, items []T, need ...string) ([]string, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("node is not installed: install Node.js 18+ and npm, then %s", Setup)
	}
	if err := installed(root, need); err != nil {
		return nil, fmt.Errorf("%v: %s", err, Setup)
	}
	in, err := json.Marshal(items)
	if err != nil {
		return nil, fmt.Errorf("items are not JSON: %v", err)
	}
	file := filepath.Join(dir, strings.TrimSuffix(script, ".mjs")+"-items.json")
	if err := os.WriteFile(file, in, 0o600); err != nil {
		return nil, err
	}
	name := "node infra/node/" + script
	cmd := exec.CommandContext(ctx, node, append(append([]string{filepath.Join("infra", "node", script)}, args...), file)...)
	cmd.Dir = root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) { // 1: some items refused
		return nil, fmt.Errorf("%s: %v\n%s", name, err, stderr.Bytes())
	}
	var results []result
	if err := json.Unmarshal(stdout.Bytes(), &results); err != nil {
		return nil, fmt.Errorf("%s printed no results (%v):\n%s%s", name, err, stdout.Bytes(), stderr.Bytes())
	}
	if len(results) != len(items) {
		return nil, fmt.Errorf("%s answered for %d of %d items", name, len(results), len(items))
	}
	errs := make([]string, len(items))
	refused := false
	for i, r := range results {
		if r.Index != i {
			return nil, fmt.Errorf("%s answered for item %d in place %d", name, r.Index, i)
		}
		if len(r.Errors) > 0 {
			line := make([]string, len(r.Errors)) // as printed: json.Marshal would escape &, < and >
			for j, e := range r.Errors {
				line[j] = string(e)
			}
			errs[i], refused = "["+strings.Join(line, ",")+"]", true
		}
	}
	if refused != (err != nil) {
		return nil, fmt.Errorf("%s exited with %v but reported refusals %v", name, err, refused)
	}
	return errs, nil
}

// installed reports whether .cache/node holds what infra/node pins, as infra/node-tools.sh
// leaves it: copies of package.json and package-lock.json, and .installed once npm ci ended;
// and each package of need.
func installed(root string, need []string) error {
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
	for _, pkg := range need {
		if _, err := os.Stat(filepath.Join(cache, "node_modules", pkg, "package.json")); err != nil {
			return fmt.Errorf("%s is not installed in %s (is it in infra/node/package.json?)", pkg, cache)
		}
	}
	return nil
}

// ModuleRoot is the folder holding go.mod, from the working directory upwards (go test
// runs in the package's folder).
func ModuleRoot() (string, error) {
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
