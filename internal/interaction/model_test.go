package interaction

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func load(t *testing.T) *Model {
	t.Helper()
	path, err := Find(".")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestResolve(t *testing.T) {
	m := load(t)
	tests := []struct {
		line string
		want Utterance
	}{
		{"next side", Utterance{KindIntent, "NextSideIntent"}},
		{"Next side!", Utterance{KindIntent, "NextSideIntent"}},
		{"Alexa, next side", Utterance{KindIntent, "NextSideIntent"}},
		{"switch arms", Utterance{KindIntent, "NextSideIntent"}},
		{"next", Utterance{KindIntent, "AMAZON.NextIntent"}},
		{"I'm done", Utterance{KindIntent, "DoneIntent"}},
		{"finished", Utterance{KindIntent, "DoneIntent"}},
		{"how many times today", Utterance{KindIntent, "HowManyTodayIntent"}},
		{"Alexa, ask spine opener how many times today", Utterance{KindIntent, "HowManyTodayIntent"}},
		{"ask spine opener to slow down", Utterance{KindIntent, "SlowerIntent"}},
		{"tell spine opener to resume", Utterance{KindIntent, "AMAZON.ResumeIntent"}},
		{"faster", Utterance{KindIntent, "FasterIntent"}},
		{"stop", Utterance{KindIntent, "AMAZON.StopIntent"}},
		{"cancel", Utterance{KindIntent, "AMAZON.CancelIntent"}},
		{"start over", Utterance{KindIntent, "AMAZON.StartOverIntent"}},
		{"Alexa, start my spine opener", Utterance{KindLaunch, ""}},
		{"open spine opener", Utterance{KindLaunch, ""}},
		{"exit", Utterance{KindExit, ""}},
		{"make me a sandwich", Utterance{KindIntent, "AMAZON.FallbackIntent"}},
		{"<speak>&amp;</speak>", Utterance{KindIntent, "AMAZON.FallbackIntent"}},
		{"", Utterance{KindIntent, "AMAZON.FallbackIntent"}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			if got := m.Resolve(tt.line); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestLoadRefusesSharedSamples(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.json")
	doc := `{"interactionModel":{"languageModel":{"invocationName":"spine opener","intents":[
		{"name":"AIntent","samples":["go on"]},{"name":"BIntent","samples":["Go on!"]}]}}}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), "claimed by") {
		t.Errorf("got %v, want an error naming both intents", err)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	for name, doc := range map[string]string{"not json": "{", "empty": `{"interactionModel":{}}`} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-"))
			os.WriteFile(path, []byte(doc), 0o600)
			if _, err := Load(path); err == nil {
				t.Errorf("got nil error")
			}
		})
	}
	if _, err := Load(filepath.Join(dir, "missing.json")); err == nil {
		t.Errorf("missing file: got nil error")
	}
	if _, err := Find(dir); err == nil || !strings.Contains(err.Error(), "--model") {
		t.Errorf("Find outside the repository: got %v, want advice to pass --model", err)
	}
}
