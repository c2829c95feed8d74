package console

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestEspeakSynth is the real espeak-ng that --record and --voice use. It needs espeak-ng
// (Debian or Ubuntu: apt-get install espeak-ng), and fails without it.
func TestEspeakSynth(t *testing.T) {
	s, err := NewEspeakSynth()
	if err != nil {
		t.Fatalf("%v: --voice and --record cannot be tested", err)
	}
	pcm, rate, err := s.Synthesize("Side one: your right arm does the work.")
	if err != nil {
		t.Fatal(err)
	}
	d := time.Duration(len(pcm)/2) * time.Second / time.Duration(rate)
	if rate != 22050 || d < time.Second || d > 5*time.Second {
		t.Errorf("got %v at %d Hz for eight words; want a few seconds at espeak-ng's 22050 Hz", d, rate)
	}
	if _, _, err := s.Synthesize("-v"); err != nil {
		t.Errorf("text that looks like an option: %v", err)
	}
}

// TestEspeakCheck: espeak-ng without an audio device exits 0 and only complains on stderr.
func TestEspeakCheck(t *testing.T) {
	noDevice := "ALSA lib confmisc.c:855:(parse_card) cannot find card '0'\n" +
		"ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default\nerror: No such file or directory\n"
	if err := check(nil, noDevice); err == nil || !strings.Contains(err.Error(), "cannot play sound (no audio device?): error: No such file or directory") {
		t.Errorf("no audio device: got %v", err)
	}
	if err := check(nil, ""); err != nil {
		t.Errorf("spoken: got %v", err)
	}
	if err := check(errors.New("exit status 1"), "bad voice"); err == nil || !strings.Contains(err.Error(), "bad voice") {
		t.Errorf("failed: got %v", err)
	}
}

func TestReadWAV(t *testing.T) {
	if _, _, err := readWAV([]byte("RIFF\x00\x00\x00\x00WAVE")); err == nil {
		t.Errorf("no chunks: got nil error")
	}
	if _, _, err := readWAV([]byte("not a wav file")); err == nil {
		t.Errorf("not WAV: got nil error")
	}
}
