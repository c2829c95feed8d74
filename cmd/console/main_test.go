package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// build compiles the console once per test.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "console")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// command runs the console from the repository (where the interaction model is found) with
// its state in state, and no DynamoDB.
func command(bin, state string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Dir = "../.."
	var env []string
	for _, kv := range os.Environ() {
		switch name, _, _ := strings.Cut(kv, "="); name {
		case "TABLE_NAME", "XDG_STATE_HOME", "HOME":
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = append(env, "XDG_STATE_HOME="+state, "HOME="+state)
	return cmd
}

// TestREADMECommand is the README's first command on a fresh machine, with piped input:
// both sides, the completion, then "once" for a new session's question, and the store in
// the state folder.
func TestREADMECommand(t *testing.T) {
	state := t.TempDir()
	cmd := command(build(t), state)
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

// TestCtrlC: Ctrl-C in the middle of a side closes the session and the store and exits
// 130; meanwhile a second console on the same store is told it is in use, and once the
// first has gone the store opens again.
func TestCtrlC(t *testing.T) {
	bin, state := build(t), t.TempDir()
	first := command(bin, state, "--realtime")
	in, err := first.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var stdout, stderr lockedBuffer
	first.Stdout, first.Stderr = &stdout, &stderr
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(stdout.String(), "Alexa: Welcome"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			first.Process.Kill()
			t.Fatalf("the console did not start speaking:\n%s\n%s", stdout.String(), stderr.String())
		}
	}

	second := command(bin, state)
	second.Stdin = strings.NewReader("")
	out, err := second.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "in use by another console") {
		t.Errorf("second console: %v\n%s", err, out)
	}

	first.Process.Signal(syscall.SIGINT)
	err = first.Wait()
	if code := first.ProcessState.ExitCode(); code != 130 {
		t.Errorf("exit %d (%v), want 130\n%s", code, err, stderr.String())
	}
	if !strings.HasSuffix(stdout.String(), "(session ended)\n") {
		t.Errorf("the session was not closed:\n%s", stdout.String())
	}

	third := command(bin, state)
	third.Stdin = strings.NewReader("how many times today\n")
	third.Stderr = io.Discard
	if out, err := third.Output(); err != nil || !strings.Contains(string(out), "spine opener") {
		t.Errorf("the store after Ctrl-C: %v\n%s", err, out)
	}
}

// lockedBuffer is written by the command while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
