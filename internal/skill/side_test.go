package skill_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/device"
	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/skill/skilltest"
	"github.com/spine-opener/spine-opener/internal/transcript"
	"github.com/spine-opener/spine-opener/internal/voice"
)

// TestSideWords keeps the words and pauses of each side, in every locale at the default
// tempo, in testdata/sides.<locale>.golden: the one place to review a change to the cues,
// which transcripts show as "[side one, 5 s a rep]".
func TestSideWords(t *testing.T) {
	for _, locale := range voice.Locales() {
		var b strings.Builder
		for side := 1; side <= skill.Sides; side++ {
			b.WriteString(device.Words(skill.SideSpeech(locale, side, skill.DefaultTempo)))
			b.WriteString("\n\n")
		}
		path := filepath.Join("testdata", "sides."+locale+".golden")
		if transcript.Updating() {
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := b.String(); got != string(want) {
			t.Errorf("%s: sides differ from %s (go test -update rewrites it):\n%s", locale, path, got)
		}
	}
}

// TestSidePacing holds every side, at every tempo, to the routine: three movements of five
// reps, each rep a count and a cue followed by a pause of exactly the tempo.
func TestSidePacing(t *testing.T) {
	for _, locale := range voice.Locales() {
		for side := 1; side <= skill.Sides; side++ {
			for tempo := skill.MinTempo; tempo <= skill.MaxTempo; tempo += skill.TempoStep {
				open := false
				resp := alexa.Response{Body: alexa.ResponseBody{OutputSpeech: alexa.SSMLSpeech(skill.SideSpeech(locale, side, tempo)), ShouldEndSession: &open}}
				skilltest.CheckSide(t, resp, map[int]string{1: "one", 2: "two"}[side], tempo)
			}
		}
	}
}

// walkTime is how long a side's pauses last in all.
func walkTime(doc string) time.Duration {
	var total time.Duration
	for _, line := range strings.Split(device.Words(doc), "\n") {
		if i := strings.LastIndex(line, "("); i >= 0 && strings.HasSuffix(line, " s)") {
			d, _ := time.ParseDuration(strings.TrimSuffix(line[i+1:], " s)") + "s")
			total += d
		}
	}
	return total
}

func TestSidePauses(t *testing.T) {
	// Three set-up pauses of 3 s, fifteen reps at the tempo, two gaps of 2 s.
	if got, want := walkTime(skill.SideSpeech("en-US", 1, 6*time.Second)), 9*time.Second+15*6*time.Second+4*time.Second; got != want {
		t.Errorf("side one at 6 s a rep pauses %v in all, want %v", got, want)
	}
}
