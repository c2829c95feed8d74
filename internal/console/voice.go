package console

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
)

// Voice says text aloud.
type Voice interface {
	// Say starts saying text and returns at once. done is closed when it has been said or
	// stopped; stop cuts it off.
	Say(text string) (done <-chan struct{}, stop func())
}

// espeakVoice is the voice en-US espeak-ng gives: it speaks at about Alexa's rate (2.9
// words a second at its default 175 words a minute, measured on the sides).
const espeakVoice = "en-us"

// ErrNoEspeak is why there is no voice or recording on a machine without espeak-ng.
var ErrNoEspeak = errors.New("espeak-ng is not installed (Debian or Ubuntu: apt-get install espeak-ng)")

// Espeak is a Voice through espeak-ng and the computer's audio output.
type Espeak struct {
	path string

	mu     sync.Mutex
	failed func(error) // told once, the first time speaking fails
	broken bool
}

// NewEspeak finds espeak-ng and checks that it can be heard: it says a word at zero
// volume. espeak-ng reports a missing audio device only on stderr, still exiting 0.
// failed is told if a later line cannot be said; the voice says nothing from then on.
func NewEspeak(failed func(error)) (*Espeak, error) {
	path, err := exec.LookPath("espeak-ng")
	if err != nil {
		return nil, ErrNoEspeak
	}
	e := &Espeak{path: path, failed: failed}
	if err := e.run(exec.Command(path, "-v", espeakVoice, "-a", "0", "ready")); err != nil {
		return nil, err
	}
	return e, nil
}

// Say speaks text through espeak-ng in the background.
func (e *Espeak) Say(text string) (<-chan struct{}, func()) {
	done := make(chan struct{})
	e.mu.Lock()
	broken := e.broken
	e.mu.Unlock()
	if broken {
		close(done)
		return done, func() {}
	}
	cmd := exec.Command(e.path, "-v", espeakVoice)
	cmd.Stdin = strings.NewReader(text) // never taken for an option
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		e.fail(fmt.Errorf("espeak-ng: %w", err))
		close(done)
		return done, func() {}
	}
	var killed atomic.Bool
	go func() {
		defer close(done)
		err := cmd.Wait()
		if !killed.Load() {
			if err := check(err, stderr.String()); err != nil {
				e.fail(err)
			}
		}
	}()
	return done, func() {
		if !killed.Swap(true) {
			cmd.Process.Kill()
		}
	}
}

func (e *Espeak) fail(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.broken {
		return
	}
	e.broken = true
	if e.failed != nil {
		e.failed(err)
	}
}

// run runs cmd and checks how it went.
func (e *Espeak) run(cmd *exec.Cmd) error {
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	return check(cmd.Run(), stderr.String())
}

// check fails as well when espeak-ng wrote an error: that is all it does when there is no
// audio device.
func check(err error, stderr string) error {
	msg := strings.TrimSpace(stderr)
	if err == nil && !strings.Contains(strings.ToLower(msg), "error") {
		return nil
	}
	if lines := strings.Split(msg, "\n"); msg != "" {
		msg = lines[len(lines)-1] // ALSA explains at length; the last line says what failed
	}
	if err == nil {
		return fmt.Errorf("espeak-ng cannot play sound (no audio device?): %s", msg)
	}
	return fmt.Errorf("espeak-ng: %v %s", err, msg)
}
