package console

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/boltstore"
	"github.com/spine-opener/spine-opener/internal/interaction"
)

type run struct {
	out    string
	slept  time.Duration
	voiced []string
}

// play runs the console over input with the real handler, the embedded store in dir and
// the repository's interaction model.
func play(t *testing.T, dir, input string, realtime, voice bool) run {
	t.Helper()
	model, err := interaction.LoadFound(".")
	if err != nil {
		t.Fatal(err)
	}
	store, err := boltstore.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	h := NewHandler(store, LocalZone{}, nil)
	var out bytes.Buffer
	var r run
	c := &Console{Echo: NewEcho(h.Handle, model), Out: &out, Repeat: true, Realtime: realtime,
		Sleep: func(d time.Duration) { r.slept += d }}
	if voice {
		c.Speak = func(doc string) error { r.voiced = append(r.voiced, doc); return nil }
	}
	if err := c.Run(context.Background(), strings.NewReader(input)); err != nil {
		t.Fatal(err)
	}
	r.out = out.String()
	return r
}

func TestWholeRoutineThroughTheConsole(t *testing.T) {
	dir := t.TempDir()
	r := play(t, dir, "next side\nnext side\nhow many times today\n", false, false)
	for _, want := range []string{"Side one:", "(5 s)", "(3 s)", "You: next side", "Side two:", "Well done", "You've done it once today",
		"You: how many times today", "You've done the spine opener once today."} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.out)
		}
	}
	if got := strings.Count(r.out, "(session ended)"); got != 2 {
		t.Errorf("got %d session ends, want 2 (the routine, then the one-shot)", got)
	}
	if r.slept != 0 {
		t.Errorf("slept %v without --realtime", r.slept)
	}
	// The store persists: a second run the same day counts both.
	r = play(t, dir, "next side\ndone\n", false, false)
	if !strings.Contains(r.out, "twice today") {
		t.Errorf("second run: want twice today:\n%s", r.out)
	}
}

func TestRealtimeWaitsOutEveryPause(t *testing.T) {
	r := play(t, t.TempDir(), "stop\n", true, false)
	// Side one: three set-up pauses of 3 s, fifteen reps of 5 s, two gaps of 2 s.
	if want := 3*3*time.Second + 15*5*time.Second + 2*2*time.Second; r.slept != want {
		t.Errorf("slept %v, want %v", r.slept, want)
	}
	if !strings.Contains(r.out, "doctor") {
		t.Errorf("stop lacks the safety message:\n%s", r.out)
	}
}

func TestVoiceGetsEverySpeech(t *testing.T) {
	r := play(t, t.TempDir(), "how many times today\n", true, true)
	if len(r.voiced) != 2 || !strings.HasPrefix(r.voiced[0], "<speak>") {
		t.Errorf("voiced %d speeches, want the launch and the answer as SSML", len(r.voiced))
	}
	if r.slept != 0 {
		t.Errorf("slept %v while the voice paces the speech itself", r.slept)
	}
}

func TestMainFlags(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Main(context.Background(), []string{"--nope"}, strings.NewReader(""), &stdout, &stderr, OpenStore); code != 2 {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
	stderr.Reset()
	code := Main(context.Background(), []string{"--db", filepath.Join(t.TempDir(), "x.db"), "--model", filepath.Join(t.TempDir(), "missing.json")},
		strings.NewReader(""), &stdout, &stderr, OpenStore)
	if code != 1 || !strings.Contains(stderr.String(), "interaction model") {
		t.Errorf("missing model: exit %d, stderr %q; want 1 and the reason", code, stderr.String())
	}
}

func TestDefaultDBPath(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/state")
	if got := DefaultDBPath(); got != "/state/spine-opener/spine-opener.db" {
		t.Errorf("got %s", got)
	}
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("HOME", "/home/someone")
	if got := DefaultDBPath(); got != "/home/someone/.local/state/spine-opener/spine-opener.db" {
		t.Errorf("got %s", got)
	}
}
