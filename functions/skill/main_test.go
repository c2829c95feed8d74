package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spine-opener/spine-opener/internal/dynamolocal"
)

// binary is the compiled function, built once for every test here: the tests run what
// Lambda and a developer run, not the handler in-process. ddb is DynamoDB Local behind it.
var (
	binary string
	ddb    *dynamolocal.Server
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "spine-opener-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build bootstrap:", err)
		os.Exit(1)
	}
	ddb, err = dynamolocal.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "end-to-end tests need DynamoDB Local:", err)
		os.Exit(1)
	}
	code := m.Run()
	ddb.Stop()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestConsoleOnAFreshMachine is the README's first command with piped input: both sides,
// the completion, and then "once" for a new session's question.
func TestConsoleOnAFreshMachine(t *testing.T) {
	state := t.TempDir()
	cmd := exec.Command(binary)
	cmd.Dir = "../.." // the repository, where the interaction model is found
	cmd.Env = append(cleanEnv(), "XDG_STATE_HOME="+state, "HOME="+t.TempDir())
	cmd.Stdin = strings.NewReader("next side\nnext side\nhow many times today\n")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("console: %v\n%s", err, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"Side one:", "Side two:", "Well done", "You: how many times today\nAlexa: You've done the spine opener once today."} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(state, "spine-opener", "spine-opener.db")); err != nil {
		t.Errorf("the store is not in the state folder: %v", err)
	}
}

// cleanEnv is the test's environment without anything that would point the console at
// Lambda or DynamoDB.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "AWS_LAMBDA_RUNTIME_API", "TABLE_NAME", "SKILL_ID", "XDG_STATE_HOME", "HOME":
			continue
		}
		env = append(env, kv)
	}
	return env
}
