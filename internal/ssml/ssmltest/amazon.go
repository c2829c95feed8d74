package ssmltest

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

// locale is the locale ssml-check-core checks locale-bound tags (such as amazon:emotion)
// against. Every locale the skill has is English, and the skill uses none of those tags, so
// one English locale stands for all five.
const locale = "en-US"

// timeout bounds one node run; a batch of a hundred documents takes well under a second.
const timeout = 2 * time.Minute

const setup = "run ./infra/node-tools.sh (it needs Node.js 18+ and npm), or the README's test command, which does"

// CheckAmazon checks every document with ssml-check-core for the Amazon Alexa platform and
// reports each one it refuses, with its errors, through t.Errorf. All documents go to one
// node process. It fails the test with t.Fatalf when it cannot check: no documents, node
// or the installed package missing or stale (run ./infra/node-tools.sh), or the checker
// failing.
func CheckAmazon(t testing.TB, docs []string) {
	t.Helper()
	for i, errs := range AmazonErrors(t, docs) {
		if errs != "" {
			t.Errorf("ssml-check-core refuses document %d: %s\n%s", i, errs, docs[i])
		}
	}
}

// AmazonErrors is CheckAmazon's verdict without the reporting: for each document, the
// errors ssml-check-core found as its JSON array, or "" when it found none. It fails the
// test with t.Fatalf when it cannot check, as CheckAmazon does.
func AmazonErrors(t testing.TB, docs []string) []string {
	t.Helper()
	if len(docs) == 0 {
		t.Fatal("ssmltest: no SSML documents to check")
	}
	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("ssmltest: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	errs, err := checkAmazon(ctx, root, t.TempDir(), docs)
	if err != nil {
		t.Fatalf("ssmltest: %v", err)
	}
	return errs
}

// result is one line of ssml-check.mjs's answer.
type result struct {
	Index  int               `json:"index"`
	Errors []json.RawMessage `json:"errors"`
}

// checkAmazon runs infra/node/ssml-check.mjs under root on docs, written to a file in dir.
func checkAmazon(ctx context.Context, root, dir string, docs []string) ([]string, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("node is not installed: install Node.js 18+ and npm, then %s", setup)
	}
	if err := installed(root); err != nil {
		return nil, fmt.Errorf("%v: %s", err, setup)
	}
	in, err := json.Marshal(docs)
	if err != nil {
		return nil, err
	}
	file := filepath.Join(dir, "ssml-docs.json")
	if err := os.WriteFile(file, in, 0o600); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, node, filepath.Join("infra", "node", "ssml-check.mjs"), "--locale", locale, file)
	cmd.Dir = root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) { // 1: some documents refused
		return nil, fmt.Errorf("node infra/node/ssml-check.mjs: %v\n%s", err, stderr.Bytes())
	}
	var results []result
	if err := json.Unmarshal(stdout.Bytes(), &results); err != nil {
		return nil, fmt.Errorf("node infra/node/ssml-check.mjs printed no results (%v):\n%s%s", err, stdout.Bytes(), stderr.Bytes())
	}
	if len(results) != len(docs) {
		return nil, fmt.Errorf("node infra/node/ssml-check.mjs answered for %d of %d documents", len(results), len(docs))
	}
	errs := make([]string, len(docs))
	refused := false
	for i, r := range results {
		if r.Index != i {
			return nil, fmt.Errorf("node infra/node/ssml-check.mjs answered for document %d in place %d", r.Index, i)
		}
		if len(r.Errors) > 0 {
			line := make([]string, len(r.Errors)) // as printed: json.Marshal would escape & and <
			for j, e := range r.Errors {
				line[j] = string(e)
			}
			errs[i], refused = "["+strings.Join(line, ",")+"]", true
		}
	}
	if refused != (err != nil) {
		return nil, fmt.Errorf("node infra/node/ssml-check.mjs exited with %v but reported refusals %v", err, refused)
	}
	return errs, nil
}

// installed reports whether .cache/node holds what infra/node pins, as infra/node-tools.sh
// leaves it: copies of package.json and package-lock.json, and .installed once npm ci ended.
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
