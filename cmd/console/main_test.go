package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMECommand is the README's first command on a fresh machine, with piped input:
// both sides, the completion, then "once" for a new session's question, and the store in
// the state folder.
func TestREADMECommand(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "console")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	state := t.TempDir()
	cmd := exec.Command(bin)
	cmd.Dir = "../.." // the repository, where the interaction model is found
	var env []string
	for _, kv := range os.Environ() {
		switch name, _, _ := strings.Cut(kv, "="); name {
		case "TABLE_NAME", "XDG_STATE_HOME", "HOME":
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = append(env, "XDG_STATE_HOME="+state, "HOME="+t.TempDir())
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
