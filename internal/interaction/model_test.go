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
		line   string
		kind   Kind
		intent string
	}{
		{"next side", KindIntent, "NextSideIntent"},
		{"Next side!", KindIntent, "NextSideIntent"},
		{"Alexa, next side", KindIntent, "NextSideIntent"},
		{"switch arms", KindIntent, "NextSideIntent"},
		{"next", KindIntent, "AMAZON.NextIntent"},
		{"I'm done", KindIntent, "DoneIntent"},
		{"finished", KindIntent, "DoneIntent"},
		{"how many times today", KindIntent, "HowManyTodayIntent"},
		{"Alexa, ask my spine opener how many times today", KindIntent, "HowManyTodayIntent"},
		{"ask my spine opener to slow down", KindIntent, "SlowerIntent"},
		{"tell my spine opener to resume", KindIntent, "AMAZON.ResumeIntent"},
		{"faster", KindIntent, "FasterIntent"},
		{"stop", KindIntent, "AMAZON.StopIntent"},
		{"cancel", KindIntent, "AMAZON.CancelIntent"},
		{"start over", KindIntent, "AMAZON.StartOverIntent"},
		{"Alexa, start my spine opener", KindLaunch, ""},
		{"open my spine opener", KindLaunch, ""},
		{"exit", KindExit, ""},
		{"make me a sandwich", KindIntent, "AMAZON.FallbackIntent"},
		{"<speak>&amp;</speak>", KindIntent, "AMAZON.FallbackIntent"},
		{"", KindIntent, "AMAZON.FallbackIntent"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got := m.Resolve(tt.line)
			if got.Kind != tt.kind || got.Intent != tt.intent {
				t.Errorf("got %s %s (score %.2f), want %s %s", got.Kind, got.Intent, got.Score, tt.kind, tt.intent)
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

// TestResolveNearest is what people say that no sample says word for word: each must reach
// its intent, and what the skill cannot do must stay the fallback.
func TestResolveNearest(t *testing.T) {
	m := load(t)
	understood := map[string]string{
		"I am done now":                                 "DoneIntent",
		"i think i'm finished":                          "DoneIntent",
		"i'm finished now thanks":                       "DoneIntent",
		"switch over to the other side":                 "NextSideIntent",
		"switch to the other arm":                       "NextSideIntent",
		"alright next side":                             "NextSideIntent",
		"let's do the second side now":                  "NextSideIntent",
		"nxt side":                                      "NextSideIntent",
		"next sid":                                      "NextSideIntent",
		"can you go a bit slower":                       "SlowerIntent",
		"please go a little slower":                     "SlowerIntent",
		"could you slow it down a little":               "SlowerIntent",
		"slowr":                                         "SlowerIntent",
		"bit faster please":                             "FasterIntent",
		"speed it up a bit":                             "FasterIntent",
		"how many did i do today":                       "HowManyTodayIntent",
		"how many times have i done this today":         "HowManyTodayIntent",
		"my elbow hurts":                                "PainIntent",
		"ow my back":                                    "PainIntent",
		"that really hurts my back":                     "PainIntent",
		"let me stay here a moment":                     "HoldIntent",
		"wait a second":                                 "HoldIntent",
		"pause it please":                               "AMAZON.PauseIntent",
		"um what can i say":                             "AMAZON.HelpIntent",
		"stop please":                                   "AMAZON.StopIntent",
		"sure thing":                                    "AMAZON.YesIntent",
		"no thank you":                                  "AMAZON.NoIntent",
		"how long does the routine take":                "PreviewIntent",
		"Alexa, ask my spine opener to go a bit slower": "SlowerIntent",
	}
	for line, want := range understood {
		t.Run(line, func(t *testing.T) {
			got := m.Resolve(line)
			if got.Kind != KindIntent || got.Intent != want || got.Score < MinScore {
				t.Errorf("got %s (score %.2f), want %s", got.Intent, got.Score, want)
			}
		})
	}
	for _, line := range []string{"what", "side", "the", "make me a sandwich", "what's the weather", "what time is it", "tell me a joke",
		"play some music", "play the next song", "turn off the lights", "how old are you", "what was the last one", "purple monkey dishwasher",
		"set a timer for five minutes", "i like side salads", "good morning"} {
		t.Run(line, func(t *testing.T) {
			got := m.Resolve(line)
			if got.Intent != Fallback || got.Score >= MinScore {
				t.Errorf("got %s (score %.2f), want %s", got.Intent, got.Score, Fallback)
			}
		})
	}
}

// TestEverySampleIsItsOwnIntent: a sample of the model, and a built-in phrase the model
// takes, resolves to its intent with score 1, alone and in a one-shot. A sample that is
// also a launch phrase ("start the spine opener") opens the skill when said alone.
func TestEverySampleIsItsOwnIntent(t *testing.T) {
	m := load(t)
	for _, in := range m.Intents {
		for _, s := range append(append([]string(nil), in.Samples...), BuiltInSamples(in.Name)...) {
			lines := []string{"ask " + m.InvocationName + " " + s}
			if !m.launches(Normalize(s)) {
				lines = append(lines, s, "Alexa, "+s)
			}
			for _, line := range lines {
				if got := m.Resolve(line); got.Kind != KindIntent || got.Intent != in.Name || got.Score != 1 {
					t.Errorf("%q: got %s %s (score %.2f), want %s", line, got.Kind, got.Intent, got.Score, in.Name)
				}
			}
		}
	}
}

// TestResolveAnyModel: nearest-intent resolution knows nothing of this skill's intents.
func TestResolveAnyModel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.json")
	doc := `{"interactionModel":{"languageModel":{"invocationName":"plant helper","intents":[
		{"name":"WaterIntent","samples":["water the plants","i watered them"]},
		{"name":"FeedIntent","samples":["feed the plants","time to feed"]},
		{"name":"AMAZON.StopIntent","samples":[]},
		{"name":"AMAZON.FallbackIntent","samples":[]}]}}}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	m, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for line, want := range map[string]string{
		"water the plants":                    "WaterIntent",
		"please water my plants":              "WaterIntent",
		"can you feed the plants now":         "FeedIntent",
		"ask plant helper to feed the plants": "FeedIntent",
		"stop":                                "AMAZON.StopIntent",
		"next side":                           Fallback,
		"what's the weather":                  Fallback,
	} {
		if got := m.Resolve(line); got.Intent != want {
			t.Errorf("%q: got %s (score %.2f), want %s", line, got.Intent, got.Score, want)
		}
	}
	if got := m.Resolve("open plant helper"); got.Kind != KindLaunch {
		t.Errorf("open plant helper: got %s", got.Kind)
	}
}

func TestFallbackNamesTheNearest(t *testing.T) {
	got := load(t).Resolve("side")
	if got.Intent != Fallback || got.Nearest != "NextSideIntent" || got.Score <= 0 || got.Score >= MinScore {
		t.Errorf("got %+v, want the fallback, NextSideIntent nearest, and its score", got)
	}
}

func TestWords(t *testing.T) {
	for in, want := range map[string]string{
		"i'm done now":       "i am done now",
		"let's switch sides": "let us switch side",
		"i can't do this":    "i can not do this",
		"switching arms":     "switch arm",
		"that's it":          "that is it",
		"i've finished":      "i have finish",
	} {
		if got := strings.Join(words(Normalize(in)), " "); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

// TestSlotSamplesAreNotNear: "what is {movement}" does not make every "what is" question
// the movement's.
func TestSlotSamplesAreNotNear(t *testing.T) {
	m := load(t)
	for _, line := range []string{"what time is it", "what is the capital of france", "explain yourself"} {
		if got := m.Resolve(line); got.Intent != Fallback {
			t.Errorf("%q: got %s (score %.2f), want the fallback", line, got.Intent, got.Score)
		}
	}
}
