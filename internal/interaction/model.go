package interaction

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

// DefaultPath is where the en-US model sits in the repository.
const DefaultPath = "skill-package/interactionModels/custom/en-US.json"

// Model is the part of an ASK interaction model the skill relies on.
type Model struct {
	InvocationName string
	Intents        []Intent
	samples        map[string]string // normalized utterance → intent
	index          *index            // the samples as scoring sees them
	slotted        []slotSample      // samples with a slot, as patterns
	launchPhrases  map[string]bool   // name-free skill launch phrases
}

// Intent is one intent with its sample utterances as written in the model.
type Intent struct {
	Name    string   `json:"name"`
	Samples []string `json:"samples"`
	Slots   []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"slots,omitempty"`
}

type file struct {
	InteractionModel struct {
		LanguageModel struct {
			InvocationName string     `json:"invocationName"`
			Intents        []Intent   `json:"intents"`
			Types          []SlotType `json:"types"`
		} `json:"languageModel"`
		// NameFree holds the name-free launch phrases: a LAUNCH phrase opens the skill, an
		// INTENT phrase goes to its intent, as Alexa routes them once the toolkit is live.
		NameFree struct {
			IngressPoints []struct {
				Type  string `json:"type"`
				Name  string `json:"name"`
				Value string `json:"value"`
			} `json:"ingressPoints"`
		} `json:"_nameFreeInteraction"`
	} `json:"interactionModel"`
}

// builtInSamples are a few of the phrases Amazon's built-in intents answer to without any
// samples in the model. They apply only to built-ins the model declares.
var builtInSamples = map[string][]string{
	"AMAZON.StopIntent":         {"stop", "off", "shut up", "be quiet"},
	"AMAZON.CancelIntent":       {"cancel", "never mind", "forget it"},
	"AMAZON.HelpIntent":         {"help", "help me", "what can i say", "can you help me"},
	"AMAZON.PauseIntent":        {"pause", "pause that"},
	"AMAZON.ResumeIntent":       {"resume", "continue", "keep going", "carry on"},
	"AMAZON.RepeatIntent":       {"repeat", "repeat that", "say that again", "again"},
	"AMAZON.StartOverIntent":    {"start over", "restart", "start again", "begin again", "from the beginning"},
	"AMAZON.NextIntent":         {"next", "skip"},
	"AMAZON.YesIntent":          {"yes", "yeah", "yep", "sure", "yes please", "ok", "okay"},
	"AMAZON.NoIntent":           {"no", "nope", "no thanks", "not now"},
	"AMAZON.NavigateHomeIntent": {"go home", "home"},
}

// BuiltInSamples lists the phrases the console accepts for a built-in intent.
func BuiltInSamples(intent string) []string {
	return builtInSamples[intent]
}

// Load reads and checks a model file: it must name an invocation and intents, and no
// utterance may belong to two intents.
func Load(path string) (*Model, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("interaction model: %w", err)
	}
	var f file
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("interaction model %s: %w", path, err)
	}
	lm := f.InteractionModel.LanguageModel
	if lm.InvocationName == "" || len(lm.Intents) == 0 {
		return nil, fmt.Errorf("interaction model %s: no invocation name or no intents", path)
	}
	m := &Model{InvocationName: lm.InvocationName, Intents: lm.Intents, samples: map[string]string{}}
	for _, in := range lm.Intents {
		for _, s := range append(in.Samples, builtInSamples[in.Name]...) {
			key := Normalize(s)
			if other, taken := m.samples[key]; taken && other != in.Name {
				return nil, fmt.Errorf("interaction model %s: %q is claimed by %s and %s", path, s, other, in.Name)
			}
			m.samples[key] = in.Name
		}
	}
	m.launchPhrases = map[string]bool{}
	for _, p := range f.InteractionModel.NameFree.IngressPoints {
		switch p.Type {
		case "LAUNCH":
			m.launchPhrases[Normalize(p.Value)] = true
		case "INTENT":
			if other, taken := m.samples[Normalize(p.Value)]; taken && other != p.Name {
				return nil, fmt.Errorf("interaction model %s: launch phrase %q goes to %s but is a sample of %s", path, p.Value, p.Name, other)
			}
			m.samples[Normalize(p.Value)] = p.Name
		}
	}
	m.index = newIndex(lm.Intents)
	if m.slotted, err = slotSamples(lm.Intents, lm.Types); err != nil {
		return nil, fmt.Errorf("interaction model %s: %w", path, err)
	}
	return m, nil
}

// LoadFound loads the model found from dir upwards (see Find).
func LoadFound(dir string) (*Model, error) {
	path, err := Find(dir)
	if err != nil {
		return nil, err
	}
	return Load(path)
}

// LoadLocale loads the model of locale (skill-package/interactionModels/custom/<locale>.json),
// found from dir upwards as Find does.
func LoadLocale(dir, locale string) (*Model, error) {
	path, err := Find(dir)
	if err != nil {
		return nil, err
	}
	return Load(filepath.Join(filepath.Dir(path), locale+".json"))
}

// Find looks for the model from dir upwards, so the console works from anywhere in the
// repository.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("interaction model: %w", err)
	}
	for {
		p := filepath.Join(dir, DefaultPath)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("interaction model not found: run from the repository, or pass --model " + DefaultPath)
		}
		dir = parent
	}
}

// Normalize lower-cases an utterance and drops punctuation other than apostrophes, as
// speech recognition would hand it over.
func Normalize(s string) string {
	s = strings.ToLower(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), r == '\'':
			return r
		case r == '’':
			return '\''
		}
		return ' '
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// Kind is what sort of request a resolved utterance makes.
type Kind string

// Kinds of resolved utterance.
const (
	KindIntent Kind = "intent" // an intent, inside a session or as a one-shot request
	KindLaunch Kind = "launch" // "open spine opener": a LaunchRequest
	KindExit   Kind = "exit"   // "exit": Alexa closes the skill (SessionEndedRequest)
)

// Utterance is what a typed line resolved to.
type Utterance struct {
	Kind   Kind
	Intent string // for KindIntent; AMAZON.FallbackIntent when nothing matched well enough
	// Score is how near the line came to Intent's nearest sample, from 0 to 1: 1 for a
	// sample itself (or the same words). For the fallback it is the nearest intent's score,
	// below MinScore, and Nearest names that intent.
	Score   float64
	Nearest string
	// Slots are the slot values the line carried, by slot name, for an intent whose sample
	// has slots.
	Slots map[string]SlotValue
}

// Fallback is the intent for a line that matches nothing well enough.
const Fallback = "AMAZON.FallbackIntent"

var launchWords = []string{"open", "start", "launch", "begin", "run", "talk to", "play", "load", "resume", "use"}

// Resolve maps a line to a request the way Alexa would. A leading "alexa", the invocation
// ("open spine opener", "start my spine opener") and one-shot phrasing ("ask spine opener
// how many times today") are understood. A line that is a sample of the model resolves to
// its intent with score 1; any other goes to the intent of the nearest sample (see
// MinScore), or to the fallback when none is near enough.
func (m *Model) Resolve(line string) Utterance {
	s := Normalize(line)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "alexa"), " ")
	if s == "exit" || s == "quit" {
		return Utterance{Kind: KindExit, Score: 1}
	}
	if m.launches(s) || m.launches(withoutFillers(s)) {
		return Utterance{Kind: KindLaunch, Score: 1}
	}
	candidates := []string{s}
	inv := m.InvocationName
	for _, w := range []string{"ask", "tell"} {
		for _, form := range []string{w + " " + inv + " ", w + " my " + inv + " ", w + " the " + inv + " "} {
			if rest, ok := strings.CutPrefix(s, form); ok {
				candidates = []string{rest}
				for _, joiner := range []string{"to ", "for ", "about ", "if ", "whether "} {
					if rest, ok := strings.CutPrefix(rest, joiner); ok {
						candidates = append(candidates, rest)
					}
				}
			}
		}
	}
	for _, c := range candidates {
		if name, ok := m.samples[c]; ok {
			return Utterance{Kind: KindIntent, Intent: name, Score: 1}
		}
	}
	for _, c := range candidates {
		if u, ok := m.withSlots(c); ok {
			return u
		}
	}
	best := Utterance{Kind: KindIntent, Intent: Fallback}
	for _, c := range candidates {
		if name, score := m.index.nearest(c); score > best.Score {
			best.Intent, best.Score = name, score
		}
	}
	if best.Score < MinScore {
		best.Nearest, best.Intent = best.Intent, Fallback
		if best.Nearest == Fallback {
			best.Nearest = ""
		}
	}
	return best
}

// launches reports whether s opens the skill: a launch word and the invocation name.
func (m *Model) launches(s string) bool {
	if m.launchPhrases[s] {
		return true
	}
	inv := m.InvocationName
	for _, w := range launchWords {
		for _, form := range []string{w + " " + inv, w + " my " + inv, w + " the " + inv} {
			if s == form {
				return true
			}
		}
	}
	return false
}

// withoutFillers drops the words people add that say nothing ("please", "okay").
func withoutFillers(s string) string {
	var kept []string
	for _, w := range strings.Fields(s) {
		if !fillers[w] {
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " ")
}
