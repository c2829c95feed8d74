package main

import (
	"bytes"
	"errors"
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

// TestRefusesToRunOutsideLambda: without the Runtime API the binary says what it is and
// exits non-zero, rather than pretending to be something else.
func TestRefusesToRunOutsideLambda(t *testing.T) {
	cmd := exec.Command(binary)
	cmd.Env = append(cleanEnv(), "TABLE_NAME=t", "SKILL_ID=s")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("got %v, want a non-zero exit", err)
	}
	msg := strings.TrimSpace(stderr.String())
	if strings.Count(msg, "\n") != 0 || !strings.Contains(msg, "AWS_LAMBDA_RUNTIME_API") || !strings.Contains(msg, "cmd/console") {
		t.Errorf("want one line naming AWS_LAMBDA_RUNTIME_API and the console; got %q", msg)
	}
}

// TestOnlyTheSkill: the Lambda binary links neither the local console nor its embedded
// store.
func TestOnlyTheSkill(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "bbolt") || strings.HasSuffix(dep, "/internal/console") || strings.HasSuffix(dep, "/internal/boltstore") || strings.Contains(dep, "golang.org/x/term") {
			t.Errorf("functions/skill links %s", dep)
		}
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
