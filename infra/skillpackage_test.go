package infra_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/interaction"
	"github.com/spine-opener/spine-opener/internal/skill"
)

// The skill package's paths, from this folder.
const (
	packageDir = "../skill-package"
	modelsDir  = packageDir + "/interactionModels/custom"
)

// Locales are the listing's, each with the word its people use for the health professional
// the advice names.
var locales = map[string]string{
	"en-US": "physical therapist",
	"en-CA": "physical therapist",
	"en-GB": "physiotherapist",
	"en-AU": "physiotherapist",
	"en-IN": "physiotherapist",
}

// models loads every interaction model in the package, by locale. interaction.Load also
// refuses a sample claimed by two intents.
func models(t *testing.T) map[string]*interaction.Model {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(modelsDir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no interaction models in %s (%v)", modelsDir, err)
	}
	ms := map[string]*interaction.Model{}
	for _, p := range paths {
		m, err := interaction.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		ms[strings.TrimSuffix(filepath.Base(p), ".json")] = m
	}
	return ms
}

// forEachModel runs check on each locale's model, as a subtest named after the locale.
func forEachModel(t *testing.T, check func(t *testing.T, locale string, m *interaction.Model)) {
	ms := models(t)
	for _, loc := range slices.Sorted(mapsKeys(ms)) {
		t.Run(loc, func(t *testing.T) { check(t, loc, ms[loc]) })
	}
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

type listing struct {
	Name           string   `json:"name"`
	Summary        string   `json:"summary"`
	Description    string   `json:"description"`
	ExamplePhrases []string `json:"examplePhrases"`
	Keywords       []string `json:"keywords"`
	SmallIconURI   string   `json:"smallIconUri"`
	LargeIconURI   string   `json:"largeIconUri"`
}

type endpoints struct {
	Endpoint struct {
		URI string `json:"uri"`
	} `json:"endpoint"`
	Regions map[string]struct {
		Endpoint struct {
			URI string `json:"uri"`
		} `json:"endpoint"`
	} `json:"regions"`
}

type manifest struct {
	Manifest struct {
		ManifestVersion       string `json:"manifestVersion"`
		PublishingInformation struct {
			Locales               map[string]listing `json:"locales"`
			IsAvailableWorldwide  *bool              `json:"isAvailableWorldwide"`
			DistributionCountries []string           `json:"distributionCountries"`
			DistributionMode      string             `json:"distributionMode"`
			Category              string             `json:"category"`
			TestingInstructions   string             `json:"testingInstructions"`
		} `json:"publishingInformation"`
		APIs struct {
			Custom struct {
				endpoints
				Interfaces []struct {
					Type string `json:"type"`
				} `json:"interfaces"`
			} `json:"custom"`
		} `json:"apis"`
		Events struct {
			endpoints
			Subscriptions []struct {
				EventName string `json:"eventName"`
			} `json:"subscriptions"`
		} `json:"events"`
		Permissions []struct {
			Name string `json:"name"`
		} `json:"permissions"`
		Privacy map[string]json.RawMessage `json:"privacyAndCompliance"`
	} `json:"manifest"`
}

func loadManifest(t *testing.T) manifest {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(packageDir, "skill.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestIntentsMatchTheCode(t *testing.T) {
	forEachModel(t, func(t *testing.T, _ string, m *interaction.Model) {
		var inModel []string
		for _, in := range m.Intents {
			inModel = append(inModel, in.Name)
		}
		handled := skill.Intents()
		for _, name := range handled {
			if !slices.Contains(inModel, name) {
				t.Errorf("the code handles %s, which the model lacks", name)
			}
		}
		for _, name := range inModel {
			if !slices.Contains(handled, name) {
				t.Errorf("the model has %s, which the code does not handle", name)
			}
		}
		for _, required := range []string{"AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.HelpIntent", "AMAZON.FallbackIntent", "AMAZON.NavigateHomeIntent"} {
			if !slices.Contains(inModel, required) {
				t.Errorf("the model lacks %s, which every custom skill needs", required)
			}
		}
	})
}

// samplePattern is a sample as Amazon takes one: lower-case words, apostrophes, and slots in
// braces.
var samplePattern = regexp.MustCompile(`^([a-z']+|\{[A-Za-z_]+\})( ([a-z']+|\{[A-Za-z_]+\}))*$`)

func TestSamples(t *testing.T) {
	forEachModel(t, func(t *testing.T, _ string, m *interaction.Model) {
		owner := map[string]string{}
		for _, in := range m.Intents {
			if !strings.HasPrefix(in.Name, "AMAZON.") && len(in.Samples) < 8 {
				t.Errorf("%s has %d samples; people say things many ways, want 8 or more", in.Name, len(in.Samples))
			}
			for _, s := range in.Samples {
				key := interaction.Normalize(s)
				if other, ok := owner[key]; ok {
					t.Errorf("%q is claimed by %s and %s", s, other, in.Name)
				}
				owner[key] = in.Name
				if !samplePattern.MatchString(s) {
					t.Errorf("%s sample %q: want lower-case words, apostrophes and {slots} only", in.Name, s)
				}
			}
		}
		// A built-in's own phrases, which Alexa knows without samples, must not be claimed by
		// another intent either.
		for _, in := range m.Intents {
			for _, s := range interaction.BuiltInSamples(in.Name) {
				if other, ok := owner[s]; ok && other != in.Name {
					t.Errorf("%q belongs to %s but %s claims it", s, in.Name, other)
				}
			}
		}
	})
}

// Amazon's invocation name requirements ("Choose the Invocation Name for a Custom Skill"):
// lower-case letters, spaces, possessive apostrophes and abbreviation periods; at least two
// words; no launch phrase or connecting word; no wake word, "skill" or "app"; and a two-word
// name may not hold an article, a preposition or a pronoun such as "my".
var (
	invocationForbidden = []string{
		"launch", "ask", "tell", "open", "load", "begin", "enable", "start", "run", "resume", "use", "talk", "play", "do",
		"to", "from", "by", "if", "and", "whether", "about", "for",
		"alexa", "amazon", "echo", "computer", "skill", "app",
	}
	twoWordForbidden = []string{"the", "a", "an", "for", "to", "of", "about", "up", "by", "at", "off", "with", "my", "your", "our"}
)

func TestInvocationName(t *testing.T) {
	forEachModel(t, func(t *testing.T, _ string, m *interaction.Model) {
		name := m.InvocationName
		words := strings.Fields(name)
		if regexp.MustCompile(`[^a-z'. ]`).MatchString(name) || strings.Join(words, " ") != name {
			t.Errorf("invocation name %q: lower-case letters, apostrophes, periods and single spaces only", name)
		}
		if len(words) < 2 {
			t.Errorf("invocation name %q: at least two words", name)
		}
		for _, w := range words {
			if slices.Contains(invocationForbidden, w) {
				t.Errorf("invocation name %q holds %q, a launch, connecting or wake word", name, w)
			}
			if len(words) == 2 && slices.Contains(twoWordForbidden, w) {
				t.Errorf("two-word invocation name %q holds %q, an article, preposition or pronoun", name, w)
			}
		}
	})
}

// TestNameFreeInteraction holds a model's name-free ingress points to Amazon's rules ("Use the
// Name-free Interaction Toolkit in SMAPI"): at most five skill launch phrases; intent launch
// phrases only for the model's own custom intents; complete phrases with no slots.
func TestNameFreeInteraction(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(modelsDir, "*.json"))
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".json"), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var f struct {
				InteractionModel struct {
					LanguageModel struct {
						Intents []struct {
							Name string `json:"name"`
						} `json:"intents"`
					} `json:"languageModel"`
					NameFree *struct {
						IngressPoints []struct {
							Type, Name, Format, Value string
						} `json:"ingressPoints"`
					} `json:"_nameFreeInteraction"`
				} `json:"interactionModel"`
			}
			if err := json.Unmarshal(raw, &f); err != nil {
				t.Fatal(err)
			}
			if f.InteractionModel.NameFree == nil {
				return
			}
			var intents []string
			for _, in := range f.InteractionModel.LanguageModel.Intents {
				intents = append(intents, in.Name)
			}
			launches := 0
			seen := map[string]bool{}
			for _, p := range f.InteractionModel.NameFree.IngressPoints {
				switch p.Type {
				case "LAUNCH":
					launches++
					if p.Name != "" {
						t.Errorf("skill launch phrase %q names an intent", p.Value)
					}
				case "INTENT":
					if !slices.Contains(intents, p.Name) || strings.HasPrefix(p.Name, "AMAZON.") {
						t.Errorf("intent launch phrase %q: %q is no custom intent of the model", p.Value, p.Name)
					}
				default:
					t.Errorf("ingress point %q: type %q, want LAUNCH or INTENT", p.Value, p.Type)
				}
				if p.Format != "RAW_TEXT" {
					t.Errorf("ingress point %q: format %q, want RAW_TEXT", p.Value, p.Format)
				}
				if !regexp.MustCompile(`^[a-z']+( [a-z']+)+$`).MatchString(p.Value) {
					t.Errorf("ingress point %q: want a complete phrase of lower-case words, no slots", p.Value)
				}
				if seen[p.Value] {
					t.Errorf("ingress point %q twice", p.Value)
				}
				seen[p.Value] = true
			}
			if launches > 5 {
				t.Errorf("%d skill launch phrases, at most 5", launches)
			}
		})
	}
}

// TestEveryLocaleHasAModel: Alexa resolves a locale's users through that locale's own model,
// and a skill package whose listing names a locale with no model does not import.
func TestEveryLocaleHasAModel(t *testing.T) {
	mf := loadManifest(t).Manifest
	ms := models(t)
	for _, loc := range slices.Sorted(mapsKeys(mf.PublishingInformation.Locales)) {
		if ms[loc] == nil {
			t.Errorf("the listing names %s, but %s/%s.json does not exist", loc, modelsDir, loc)
		}
	}
	for loc := range ms {
		if _, ok := mf.PublishingInformation.Locales[loc]; !ok {
			t.Errorf("%s/%s.json has no listing in skill.json", modelsDir, loc)
		}
	}
}

// Amazon's English launch phrases ("Understand How Users Invoke Custom Skills", and the
// starting phrases of "Tips for Choosing an Invocation Name"): [launch word] [invocation name]
// opens the skill; "the" may come before the name. No other word may: "start my spine opener"
// is not the pattern for the invocation name "spine opener".
var launchWords = []string{"ask", "begin", "do", "launch", "load", "open", "play", "resume", "run", "start", "talk to", "tell", "use"}

// One-shot forms, [launch word] [invocation name] [connecting word] [utterance], and the
// connecting words the English table gives for each.
var oneShots = []struct {
	launch      []string
	connectors  []string
	bareAllowed bool // the utterance may follow the name with no connecting word
}{
	{[]string{"ask"}, []string{"to", "about", "for", "if", "whether"}, true},
	{[]string{"tell"}, []string{"to", "that"}, true},
	{[]string{"open", "launch", "start", "begin", "load", "run", "resume", "use", "talk to"}, []string{"and"}, false},
}

// Phrase is how a spoken phrase reaches the skill.
type Phrase struct {
	Launch bool   // a LaunchRequest
	Intent string // otherwise, the intent of the sample it holds
}

// resolve parses phrase the way the documented pattern reads it: "Alexa, " then the
// invocation, alone or with an utterance that is one of the model's samples, word for word
// (a slot stands for one or more words). It fails for anything else, including a phrase that
// works only because Alexa is forgiving.
func resolve(m *interaction.Model, phrase string) (Phrase, error) {
	rest, ok := strings.CutPrefix(phrase, "Alexa, ")
	if !ok {
		return Phrase{}, fmt.Errorf("%q does not start with the wake word, \"Alexa, \"", phrase)
	}
	s := interaction.Normalize(rest)
	for _, inv := range []string{m.InvocationName, "the " + m.InvocationName} {
		for _, w := range launchWords {
			if s == w+" "+inv {
				return Phrase{Launch: true}, nil
			}
		}
		for _, o := range oneShots {
			for _, w := range o.launch {
				utterance, ok := strings.CutPrefix(s, w+" "+inv+" ")
				if !ok {
					continue
				}
				var candidates []string
				if o.bareAllowed {
					candidates = append(candidates, utterance)
				}
				for _, c := range o.connectors {
					if u, ok := strings.CutPrefix(utterance, c+" "); ok {
						candidates = append(candidates, u)
					}
				}
				for _, u := range candidates {
					if intent := sampleIntent(m, u); intent != "" {
						return Phrase{Intent: intent}, nil
					}
				}
				return Phrase{}, fmt.Errorf("%q: %q after %q is no sample of the model", phrase, utterance, w+" "+inv)
			}
		}
	}
	return Phrase{}, fmt.Errorf("%q does not follow [wake word], [launch word] [invocation name] [connecting word] [utterance] for the invocation name %q", phrase, m.InvocationName)
}

// slotPattern is a slot in a sample, as regexp.QuoteMeta leaves it.
var slotPattern = regexp.MustCompile(`\\\{[A-Za-z_]+\\\}`)

// sampleIntent is the intent one of whose samples is u, or "".
func sampleIntent(m *interaction.Model, u string) string {
	for _, in := range m.Intents {
		for _, s := range in.Samples {
			if !strings.Contains(s, "{") {
				if interaction.Normalize(s) == u {
					return in.Name
				}
				continue
			}
			re := regexp.MustCompile("^" + slotPattern.ReplaceAllString(regexp.QuoteMeta(s), `[a-z0-9' ]+`) + "$")
			if re.MatchString(u) {
				return in.Name
			}
		}
	}
	return ""
}

func TestResolveFollowsThePattern(t *testing.T) {
	m, err := interaction.Load(filepath.Join(modelsDir, "en-US.json"))
	if err != nil {
		t.Fatal(err)
	}
	inv := m.InvocationName
	for _, c := range []struct {
		phrase string
		want   Phrase
		ok     bool
	}{
		{"Alexa, open " + inv, Phrase{Launch: true}, true},
		{"Alexa, start the " + inv, Phrase{Launch: true}, true},
		{"Alexa, talk to " + inv, Phrase{Launch: true}, true},
		{"Alexa, ask " + inv + " how many times today", Phrase{Intent: "HowManyTodayIntent"}, true},
		{"Alexa, ask " + inv + " for the next side", Phrase{Intent: "NextSideIntent"}, true},
		{"Alexa, tell " + inv + " my back hurts", Phrase{Intent: "PainIntent"}, true},
		{"Alexa, start " + inv + " and how many times today", Phrase{Intent: "HowManyTodayIntent"}, true},
		{"Alexa, start my " + inv, Phrase{}, false},
		{"Alexa, " + inv, Phrase{}, false},
		{"alexa open " + inv, Phrase{}, false},
		{"Alexa, ask " + inv + " how many pizzas", Phrase{}, false},
		{"Alexa, open " + inv + " how many times today", Phrase{}, false},
	} {
		got, err := resolve(m, c.phrase)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("resolve(%q) = %+v, %v; want %+v, ok %v", c.phrase, got, err, c.want, c.ok)
		}
	}
}

func TestExamplePhrases(t *testing.T) {
	mf := loadManifest(t).Manifest
	ms := models(t)
	for _, loc := range slices.Sorted(mapsKeys(mf.PublishingInformation.Locales)) {
		t.Run(loc, func(t *testing.T) {
			l := mf.PublishingInformation.Locales[loc]
			if n := len(l.ExamplePhrases); n == 0 || n > 3 {
				t.Errorf("%d example phrases, want 1 to 3", n)
			}
			m := ms[loc]
			if m == nil {
				t.Logf("no %s model to check the phrases against yet: TestEveryLocaleHasAModel fails for it", loc)
				return
			}
			seen := map[string]bool{}
			for i, p := range l.ExamplePhrases {
				got, err := resolve(m, p)
				if err != nil {
					t.Error(err)
					continue
				}
				if i == 0 && !got.Launch {
					t.Errorf("the first example phrase %q must open the skill: wake word, launch word, invocation name", p)
				}
				if seen[interaction.Normalize(p)] {
					t.Errorf("example phrase %q twice", p)
				}
				seen[interaction.Normalize(p)] = true
			}
		})
	}
}

// healthClaims are words a listing for general fitness must not use: a claim to treat,
// relieve or prevent something, or a condition named as what the skill is for.
var healthClaims = regexp.MustCompile(`(?i)\b(stiff\w*|relie\w*|cure\w*|heal\w*|therap(y|ies|eutic)|rehab\w*|sciatica|posture|back pain|pain relief|pain[- ]free|prevent\w*|injur\w*|improv\w*|fix\w*|correct\w*|clinical\w*|doctor[- ]recommended|recommended by|strengthen\w*|flexib\w*|ease[sd]?|soothe\w*|loosen\w*|release[sd]?|tension|ache\w*|aching|arthritis|recovery)\b`)

const disclaimer = "not a substitute for professional medical advice"

func TestListing(t *testing.T) {
	mf := loadManifest(t).Manifest
	pi := mf.PublishingInformation
	if mf.ManifestVersion != "1.0" {
		t.Errorf("manifestVersion %q, want 1.0", mf.ManifestVersion)
	}
	if pi.Category != "HEALTH_AND_FITNESS" {
		t.Errorf("category %q", pi.Category)
	}
	if pi.DistributionMode != "PUBLIC" {
		t.Errorf("distributionMode %q, want PUBLIC", pi.DistributionMode)
	}
	if pi.IsAvailableWorldwide == nil || *pi.IsAvailableWorldwide {
		t.Error("isAvailableWorldwide must be false, with the countries listed")
	}
	countries := slices.Sorted(slices.Values(pi.DistributionCountries))
	if want := []string{"AU", "CA", "GB", "IN", "US"}; !slices.Equal(countries, want) {
		t.Errorf("distributionCountries %v, want %v: every English-speaking Alexa country", countries, want)
	}
	if got, want := slices.Sorted(mapsKeys(pi.Locales)), slices.Sorted(mapsKeys(locales)); !slices.Equal(got, want) {
		t.Errorf("listing locales %v, want %v", got, want)
	}
	for _, loc := range slices.Sorted(mapsKeys(pi.Locales)) {
		t.Run(loc, func(t *testing.T) {
			l := pi.Locales[loc]
			if l.Name != "Spine Opener" {
				t.Errorf("name %q", l.Name)
			}
			if l.Summary == "" || len(l.Summary) > 160 {
				t.Errorf("a summary of %d characters, want 1 to 160", len(l.Summary))
			}
			if l.Description == "" || len(l.Description) > 4000 {
				t.Errorf("a description of %d characters, want 1 to 4,000", len(l.Description))
			}
			for what, text := range map[string]string{"name": l.Name, "summary": l.Summary, "description": l.Description, "keywords": strings.Join(l.Keywords, ", ")} {
				if claim := healthClaims.FindString(text); claim != "" {
					t.Errorf("the %s makes a health claim: %q", what, claim)
				}
			}
			if !strings.Contains(l.Description, "Disclaimer:") || !strings.Contains(strings.ToLower(l.Description), disclaimer) {
				t.Errorf("the description lacks the disclaimer (%q)", disclaimer)
			}
			term := locales[loc]
			if !strings.Contains(l.Description, term) {
				t.Errorf("the description does not name the %s, as %s's users say it", term, loc)
			}
			for _, other := range locales {
				if other != term && strings.Contains(l.Description, other) {
					t.Errorf("the description says %q, which is not %s's word", other, loc)
				}
			}
			// The durations and paces said are the skill's own: see TestTestingInstructions.
			for _, want := range []string{
				about(routineTime()),
				"about " + numberWords[int(skill.DefaultTempo.Seconds())] + " seconds a rep",
				"from " + numberWords[int(skill.MinTempo.Seconds())] + " to " + numberWords[int(skill.MaxTempo.Seconds())] + " seconds a rep",
			} {
				if !strings.Contains(l.Description, want) {
					t.Errorf("the description should say %q", want)
				}
			}
			if len(l.Keywords) == 0 || len(l.Keywords) > 30 {
				t.Errorf("%d keywords", len(l.Keywords))
			}
			checkIcon(t, l.SmallIconURI, 108)
			checkIcon(t, l.LargeIconURI, 512)
		})
	}
}

// checkIcon checks that uri names a PNG of size×size in the package's assets, which the skill
// package import uploads (file://assets/…, as the ASK CLI exports a package).
func checkIcon(t *testing.T, uri string, size int) {
	t.Helper()
	rel, ok := strings.CutPrefix(uri, "file://")
	if !ok || !strings.HasPrefix(rel, "assets/images/") || !strings.HasSuffix(rel, ".png") {
		t.Errorf("icon %q: want file://assets/images/….png in the skill package", uri)
		return
	}
	raw, err := os.ReadFile(filepath.Join(packageDir, filepath.FromSlash(rel)))
	if err != nil {
		t.Errorf("icon %q: %v (go run ./infra/icons writes the icons)", uri, err)
		return
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		t.Errorf("icon %q is no PNG: %v", uri, err)
		return
	}
	if cfg.Width != size || cfg.Height != size {
		t.Errorf("icon %q is %d×%d, want %d×%d", uri, cfg.Width, cfg.Height, size, size)
	}
}

// sideTime is how long a side takes at the default pace, by the skill's own reckoning of
// its speech and pauses.
func sideTime(n int) time.Duration {
	return skill.SpeakingTime(skill.SideSpeech("en-US", n, skill.DefaultTempo))
}

func routineTime() time.Duration { return sideTime(1) + sideTime(2) }

var numberWords = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}

// about says d to the nearest half minute, as the listing does: "about seven minutes".
func about(d time.Duration) string {
	halves := int(math.Round(d.Minutes() * 2))
	if halves < 2 || halves/2 >= len(numberWords) {
		return fmt.Sprintf("about %v", d.Round(30*time.Second))
	}
	whole := numberWords[halves/2]
	switch {
	case halves == 2:
		return "about one minute"
	case halves%2 == 1:
		return "about " + whole + " and a half minutes"
	}
	return "about " + whole + " minutes"
}

func TestAbout(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{3*time.Minute + 24*time.Second, "about three and a half minutes"},
		{6*time.Minute + 48*time.Second, "about seven minutes"},
		{4*time.Minute + 9*time.Second, "about four minutes"},
		{65 * time.Second, "about one minute"},
	} {
		if got := about(c.d); got != c.want {
			t.Errorf("about(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

// TestTestingInstructions holds the reviewer's instructions to what the skill does: the
// durations of its own timing model, every behaviour a reviewer should try, and phrases that
// work as written.
func TestTestingInstructions(t *testing.T) {
	mf := loadManifest(t).Manifest
	ti := mf.PublishingInformation.TestingInstructions
	if ti == "" || len(ti) > 4000 {
		t.Fatalf("testing instructions of %d characters, want 1 to 4,000", len(ti))
	}
	if sideTime(1) != sideTime(2) {
		t.Logf("the sides differ: %v and %v", sideTime(1), sideTime(2))
	}
	for _, want := range []string{
		fmt.Sprintf("%d seconds a rep", int(skill.DefaultTempo.Seconds())),
		"each side takes " + about(sideTime(1)),
		"the whole routine " + about(routineTime()),
		fmt.Sprintf("%d seconds a rep)", int(skill.MinTempo.Seconds())), // "faster" to hear a side quickly
		"stay silent",                 // coming back, part 1
		"for the next side",           // coming back, part 2
		"carry on",                    // the resume offer
		"that hurts",                  // pain
		"remind me every day",         // reminders
		"permission",                  // asked by voice
		"Echo Show",                   // the screen
		"how many times today",        // the count
		"Disabling the skill deletes", // SKILL_DISABLED
		"No account linking, no purchases",
	} {
		if !strings.Contains(ti, want) {
			t.Errorf("the testing instructions do not say %q", want)
		}
	}
	// Every phrase said with the skill's name must work as written.
	m, err := interaction.Load(filepath.Join(modelsDir, "en-US.json"))
	if err != nil {
		t.Fatal(err)
	}
	quoted := regexp.MustCompile(`"(Alexa, [^"]+)"`)
	n := 0
	for _, q := range quoted.FindAllStringSubmatch(ti, -1) {
		if !strings.Contains(strings.ToLower(q[1]), m.InvocationName) {
			continue // said inside a session ("Alexa, that hurts")
		}
		n++
		if _, err := resolve(m, q[1]); err != nil {
			t.Error(err)
		}
	}
	if n < 3 {
		t.Errorf("only %d phrases with the skill's name in the testing instructions", n)
	}
}

func TestCapabilities(t *testing.T) {
	mf := loadManifest(t).Manifest
	var interfaces, permissions, events []string
	for _, i := range mf.APIs.Custom.Interfaces {
		interfaces = append(interfaces, i.Type)
	}
	for _, p := range mf.Permissions {
		permissions = append(permissions, p.Name)
	}
	for _, s := range mf.Events.Subscriptions {
		events = append(events, s.EventName)
	}
	sort.Strings(interfaces)
	sort.Strings(permissions)
	sort.Strings(events)
	for _, c := range []struct {
		what      string
		got, want []string
	}{
		// The screen (APL) and name-free requests (CanFulfillIntentRequest).
		{"interfaces", interfaces, []string{"ALEXA_PRESENTATION_APL", "CAN_FULFILL_INTENT_REQUEST"}},
		// Reminders the user asks for, and recognised speakers.
		{"permissions", permissions, []string{"alexa::alerts:reminders:skill:readwrite", "alexa::person_id:read"}},
		// Deleting a user's data, and hearing when they grant or change a permission.
		{"event subscriptions", events, []string{"SKILL_DISABLED", "SKILL_PERMISSION_ACCEPTED", "SKILL_PERMISSION_CHANGED"}},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s %v, want %v", c.what, c.got, c.want)
		}
	}
	// Privacy answers that match what the skill does: it keeps a hashed user ID, completion
	// times, a time zone, reminder tokens and recognised people's data (personal information);
	// nothing is for sale, nothing is advertised, and it is not for children.
	for answer, want := range map[string]bool{
		"allowsPurchases":   false,
		"usesPersonalInfo":  true,
		"isChildDirected":   false,
		"isExportCompliant": true,
		"containsAds":       false,
		"usesHealthInfo":    false, // for HIPAA covered entities and their associates only
	} {
		var got *bool
		if err := json.Unmarshal(mf.Privacy[answer], &got); err != nil || got == nil || *got != want {
			t.Errorf("privacyAndCompliance.%s: want %v", answer, want)
		}
	}
	var privacy struct {
		Locales map[string]struct {
			PrivacyPolicyURL string `json:"privacyPolicyUrl"`
			TermsOfUseURL    string `json:"termsOfUseUrl"`
		} `json:"locales"`
	}
	raw, _ := json.Marshal(mf.Privacy)
	json.Unmarshal(raw, &privacy)
	for loc := range mf.PublishingInformation.Locales {
		// The deploy (infra/setendpoint) puts the real addresses in place of these.
		l := privacy.Locales[loc]
		if l.PrivacyPolicyURL != "REPLACE_WITH_PRIVACY_POLICY_URL" || l.TermsOfUseURL != "REPLACE_WITH_TERMS_OF_USE_URL" {
			t.Errorf("privacyAndCompliance.locales.%s: want the deploy's placeholders, got %+v", loc, l)
		}
	}
}

// TestEndpoints: a placeholder per Alexa region, for requests and for events, which the deploy
// replaces with that region's function; the default endpoint is North America's.
func TestEndpoints(t *testing.T) {
	mf := loadManifest(t).Manifest
	for what, e := range map[string]endpoints{"apis.custom": mf.APIs.Custom.endpoints, "events": mf.Events.endpoints} {
		if e.Endpoint.URI != "REPLACE_WITH_SkillFunctionArn_NA" {
			t.Errorf("%s.endpoint %q, want North America's placeholder", what, e.Endpoint.URI)
		}
		if len(e.Regions) != 3 {
			t.Errorf("%s has %d regions, want NA, EU and FE", what, len(e.Regions))
		}
		for _, r := range []string{"NA", "EU", "FE"} {
			if got := e.Regions[r].Endpoint.URI; got != "REPLACE_WITH_SkillFunctionArn_"+r {
				t.Errorf("%s.regions.%s %q, want its placeholder", what, r, got)
			}
		}
	}
}

// checkSkillPackage runs infra/node/check-skill-package.mjs on the skill package in dir: the
// manifest and every interaction model type-checked against Amazon's ask-smapi-model. It fails
// the test, never skips it, when node or the checker's packages are missing.
func checkSkillPackage(t *testing.T, dir string) (string, error) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed: install Node.js 18+ and npm, then run ./infra/node-tools.sh")
	}
	for _, name := range []string{"package.json", "package-lock.json"} {
		want, _ := os.ReadFile(filepath.Join("node", name))
		got, err := os.ReadFile(filepath.Join("..", ".cache", "node", name))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("the Node.js checkers in .cache/node are missing or older than infra/node/%s: run ./infra/node-tools.sh", name)
		}
	}
	if _, err := os.Stat(filepath.Join("..", ".cache", "node", ".installed")); err != nil {
		t.Fatal("the Node.js checkers are not installed in .cache/node: run ./infra/node-tools.sh")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join("infra", "node", "check-skill-package.mjs"), abs)
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	if exit, ok := err.(*exec.ExitError); ok && exit.ExitCode() != 1 {
		t.Fatalf("check-skill-package could not check %s (%v):\n%s", dir, err, out)
	}
	return string(out), err
}

func TestSkillPackageMatchesAmazonsTypes(t *testing.T) {
	out, err := checkSkillPackage(t, packageDir)
	if err != nil {
		t.Errorf("skill-package/ does not fit ask-smapi-model's types:\n%s", out)
	}
}

// TestTypeCheckCatchesShapeErrors proves the type check is not vacuous: each kind of mistake
// in a copy of the package is reported at its file and line.
func TestTypeCheckCatchesShapeErrors(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, packageDir, dir)
	edit := func(name, old, new string) {
		t.Helper()
		path := filepath.Join(dir, filepath.FromSlash(name))
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(raw, []byte(old)) {
			t.Fatalf("%s has no %s to break", name, old)
		}
		os.WriteFile(path, bytes.Replace(raw, []byte(old), []byte(new), 1), 0o644)
	}
	edit("skill.json", `"isChildDirected": false`, `"isChildDirected": "no"`)                                   // a wrong type
	edit("skill.json", `"distributionMode": "PUBLIC"`, `"distributionMode": "PUBLIC", "distributionModes": []`) // an unknown field
	edit("skill.json", `"CAN_FULFILL_INTENT_REQUEST"`, `"CAN_FULFIL_INTENT_REQUEST"`)                           // a misspelt interface
	edit("skill.json", `"alexa::person_id:read"`, `"alexa::person_id:write"`)                                   // no such permission
	edit("interactionModels/custom/en-US.json", `"invocationName"`, `"invocationNames"`)                        // a required field missing
	out, err := checkSkillPackage(t, dir)
	if err == nil {
		t.Fatalf("the broken copy passed:\n%s", out)
	}
	for _, want := range []string{"isChildDirected", "distributionModes", "CAN_FULFIL_INTENT_REQUEST", "alexa::person_id:write", "invocationName"} {
		if !strings.Contains(out, want) {
			t.Errorf("no report of %s in:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`skill\.json:\d+:\d+: `).MatchString(out) || !regexp.MustCompile(`en-US\.json:\d+:\d+: `).MatchString(out) {
		t.Errorf("problems are not reported at FILE:LINE:COLUMN:\n%s", out)
	}
}

// TestDeployableSkillPackage builds the package a deploy uploads, for made-up but well-formed
// parameters, and type-checks it: the placeholders' replacements fit Amazon's types too.
func TestDeployableSkillPackage(t *testing.T) {
	out := t.TempDir()
	cmd := exec.Command("go", "run", "./infra/setendpoint",
		"-na", "arn:aws:lambda:us-east-1:123456789012:function:spine-opener-SkillFunction-A",
		"-eu", "arn:aws:lambda:eu-west-1:123456789012:function:spine-opener-SkillFunction-B",
		"-fe", "arn:aws:lambda:us-west-2:123456789012:function:spine-opener-SkillFunction-C",
		"-privacy-policy-url", "https://spine-opener.github.io/privacy-policy",
		"-terms-of-use-url", "https://spine-opener.github.io/terms-of-use",
		"-contact-email", "privacy@spineopener.app",
		"-out", out)
	cmd.Dir = ".."
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("setendpoint: %v\n%s", err, b)
	}
	if res, err := checkSkillPackage(t, filepath.Join(out, "skill-package")); err != nil {
		t.Errorf("the deployable package does not fit ask-smapi-model's types:\n%s", res)
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), raw, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// deployArgs are a deploy's parameters as a real one would give them.
var deployArgs = []string{
	"--skill-id", "amzn1.ask.skill.0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
	"--privacy-policy-url", "https://spine-opener.github.io/privacy-policy",
	"--terms-of-use-url", "https://spine-opener.github.io/terms-of-use",
	"--contact-email", "privacy@spineopener.app",
}

func dryRun(t *testing.T, env []string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatal("bash is not installed")
	}
	cmd := exec.Command(bash, append([]string{"infra/deploy.sh", "--dry-run"}, args...)...)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

// TestDeployDryRun checks the one-command deploy by what it would run: one build, the same
// stack in each of Alexa's three AWS regions, the three functions wired into the package in
// their regions, and the import of that package into the skill.
func TestDeployDryRun(t *testing.T) {
	out, stderr, err := dryRun(t, nil, deployArgs...)
	if err != nil {
		t.Fatalf("deploy --dry-run: %v\n%s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	const skillID = "amzn1.ask.skill.0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	want := []string{
		"env GOFLAGS=-tags=lambda.norpc sam build",
		"sam deploy --region us-east-1 --stack-name spine-opener --resolve-s3 --capabilities CAPABILITY_IAM --parameter-overrides SkillId=" + skillID + " --no-confirm-changeset --no-fail-on-empty-changeset",
		"sam deploy --region eu-west-1 --stack-name spine-opener --resolve-s3 --capabilities CAPABILITY_IAM --parameter-overrides SkillId=" + skillID + " --no-confirm-changeset --no-fail-on-empty-changeset",
		"sam deploy --region us-west-2 --stack-name spine-opener --resolve-s3 --capabilities CAPABILITY_IAM --parameter-overrides SkillId=" + skillID + " --no-confirm-changeset --no-fail-on-empty-changeset",
		`aws cloudformation describe-stacks --region us-east-1 --stack-name spine-opener --query Stacks\[0\].Outputs\[\?OutputKey==\'SkillFunctionArn\'\].OutputValue --output text`,
		`aws cloudformation describe-stacks --region eu-west-1 --stack-name spine-opener --query Stacks\[0\].Outputs\[\?OutputKey==\'SkillFunctionArn\'\].OutputValue --output text`,
		`aws cloudformation describe-stacks --region us-west-2 --stack-name spine-opener --query Stacks\[0\].Outputs\[\?OutputKey==\'SkillFunctionArn\'\].OutputValue --output text`,
		"go run ./infra/setendpoint" +
			" -na arn:aws:lambda:us-east-1:ACCOUNT:function:SkillFunctionArn-of-spine-opener" +
			" -eu arn:aws:lambda:eu-west-1:ACCOUNT:function:SkillFunctionArn-of-spine-opener" +
			" -fe arn:aws:lambda:us-west-2:ACCOUNT:function:SkillFunctionArn-of-spine-opener" +
			" -privacy-policy-url https://spine-opener.github.io/privacy-policy -terms-of-use-url https://spine-opener.github.io/terms-of-use" +
			" -contact-email privacy@spineopener.app -out build",
		"ask smapi create-upload-url",
		"curl -fsS --upload-file build/skill-package.zip UPLOAD_URL",
		"ask smapi import-skill-package --skill-id " + skillID + " --location UPLOAD_URL --full-response",
		"ask smapi get-import-status --import-id IMPORT_ID",
		"curl -fsSL -o /dev/null https://spine-opener.github.io/privacy-policy",
		"curl -fsSL -o /dev/null https://spine-opener.github.io/terms-of-use",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("deploy --dry-run printed\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}

	// An alarm address goes to every region's stack.
	out, stderr, err = dryRun(t, nil, append(slices.Clone(deployArgs), "--alarm-email", "ops@spineopener.app")...)
	if err != nil {
		t.Fatalf("deploy --dry-run --alarm-email: %v\n%s", err, stderr)
	}
	if n := strings.Count(out, "--parameter-overrides SkillId="+skillID+" AlarmEmail=ops@spineopener.app --no-confirm-changeset"); n != 3 {
		t.Errorf("the alarm address reaches %d stacks, want 3:\n%s", n, out)
	}

	// The same from the environment, with --package-only: no build, no stack deployed.
	env := []string{"SKILL_ID=" + skillID, "PRIVACY_POLICY_URL=https://spine-opener.github.io/privacy-policy",
		"TERMS_OF_USE_URL=https://spine-opener.github.io/terms-of-use", "CONTACT_EMAIL=privacy@spineopener.app", "STACK_NAME=so"}
	out, stderr, err = dryRun(t, env, "--package-only")
	if err != nil {
		t.Fatalf("deploy --dry-run --package-only: %v\n%s", err, stderr)
	}
	if strings.Contains(out, "sam ") {
		t.Errorf("--package-only would build or deploy a stack:\n%s", out)
	}
	if !strings.Contains(out, "--stack-name so ") || !strings.Contains(out, "import-skill-package --skill-id "+skillID) {
		t.Errorf("the environment's parameters are not used:\n%s", out)
	}
}

// TestDeployRefusesPlaceholders: a placeholder address stops the deploy before anything runs.
func TestDeployRefusesPlaceholders(t *testing.T) {
	for name, change := range map[string][2]string{
		"example.com policy": {"https://spine-opener.github.io/privacy-policy", "https://example.com/replace-with-your-privacy-policy"},
		"example.org terms":  {"https://spine-opener.github.io/terms-of-use", "https://www.example.org/terms"},
		"example email":      {"privacy@spineopener.app", "you@example.com"},
		"no skill ID":        {"amzn1.ask.skill.0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", ""},
	} {
		t.Run(name, func(t *testing.T) {
			args := slices.Clone(deployArgs)
			for i := range args {
				if args[i] == change[0] {
					args[i] = change[1]
				}
			}
			out, stderr, err := dryRun(t, nil, args...)
			if err == nil {
				t.Fatalf("deploy --dry-run accepted %v:\n%s", args, out)
			}
			if out != "" {
				t.Errorf("a refused deploy printed commands:\n%s", out)
			}
			if !strings.Contains(stderr, "setendpoint:") {
				t.Errorf("no reason given:\n%s", stderr)
			}
		})
	}
}
