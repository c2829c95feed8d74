package infra_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spine-opener/spine-opener/internal/interaction"
	"github.com/spine-opener/spine-opener/internal/skill"
)

const modelPath = "../skill-package/interactionModels/custom/en-US.json"

func loadModel(t *testing.T) *interaction.Model {
	t.Helper()
	m, err := interaction.Load(modelPath) // also refuses a sample claimed by two intents
	if err != nil {
		t.Fatal(err)
	}
	return m
}

type manifest struct {
	Manifest struct {
		PublishingInformation struct {
			Locales map[string]struct {
				Name           string   `json:"name"`
				Summary        string   `json:"summary"`
				Description    string   `json:"description"`
				ExamplePhrases []string `json:"examplePhrases"`
			} `json:"locales"`
			Category string `json:"category"`
		} `json:"publishingInformation"`
		APIs struct {
			Custom struct {
				Endpoint struct {
					URI string `json:"uri"`
				} `json:"endpoint"`
			} `json:"custom"`
		} `json:"apis"`
		Events struct {
			Endpoint struct {
				URI string `json:"uri"`
			} `json:"endpoint"`
			Subscriptions []struct {
				EventName string `json:"eventName"`
			} `json:"subscriptions"`
		} `json:"events"`
		Privacy map[string]any `json:"privacyAndCompliance"`
	} `json:"manifest"`
}

func loadManifest(t *testing.T) manifest {
	t.Helper()
	raw, err := os.ReadFile("../skill-package/skill.json")
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
	m := loadModel(t)
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
}

func TestSamples(t *testing.T) {
	m := loadModel(t)
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
			if s != strings.ToLower(s) || regexp.MustCompile(`[^a-z' ]`).MatchString(s) {
				t.Errorf("%s sample %q: want lower-case words only", in.Name, s)
			}
		}
		// A built-in's own phrases must not be claimed by another intent either.
		for _, s := range interaction.BuiltInSamples(in.Name) {
			if other, ok := owner[s]; ok && other != in.Name {
				t.Errorf("%q belongs to %s but %s claims it", s, in.Name, other)
			}
		}
	}
}

func TestInvocationName(t *testing.T) {
	name := loadModel(t).InvocationName
	words := strings.Fields(name)
	if name != strings.ToLower(name) || regexp.MustCompile(`[^a-z ]`).MatchString(name) {
		t.Errorf("invocation name %q: lower-case letters and spaces only", name)
	}
	if len(words) < 2 {
		t.Errorf("invocation name %q: at least two words", name)
	}
	forbidden := []string{"launch", "ask", "tell", "open", "load", "begin", "enable", "start", "run", "resume", "use", "talk", "play",
		"alexa", "amazon", "echo", "computer", "skill", "app", "to", "from", "by", "if", "and", "whether"}
	for _, w := range words {
		if slices.Contains(forbidden, w) {
			t.Errorf("invocation name %q holds %q, a launch, connecting or wake word", name, w)
		}
	}
}

func TestManifest(t *testing.T) {
	mf := loadManifest(t).Manifest
	model := loadModel(t)
	us, ok := mf.PublishingInformation.Locales["en-US"]
	if !ok {
		t.Fatal("no en-US listing")
	}
	if us.Name == "" || us.Summary == "" || us.Description == "" {
		t.Errorf("en-US listing needs a name, summary and description")
	}
	if !strings.Contains(strings.ToLower(us.Description), "not a substitute for professional medical advice") {
		t.Errorf("the description lacks the health disclaimer")
	}
	if n := len(us.ExamplePhrases); n == 0 || n > 3 {
		t.Errorf("%d example phrases, want 1 to 3", n)
	}
	for i, p := range us.ExamplePhrases {
		if !strings.HasPrefix(p, "Alexa, ") {
			t.Errorf("example phrase %q must start with \"Alexa, \"", p)
		}
		if !strings.Contains(strings.ToLower(p), model.InvocationName) {
			t.Errorf("example phrase %q must use the invocation name %q", p, model.InvocationName)
		}
		u := model.Resolve(p)
		if i == 0 && u.Kind != interaction.KindLaunch {
			t.Errorf("the first example phrase %q must launch the skill", p)
		}
		if u.Kind == interaction.KindIntent && u.Intent == "AMAZON.FallbackIntent" {
			t.Errorf("example phrase %q resolves to no intent of the model", p)
		}
	}
	if mf.APIs.Custom.Endpoint.URI == "" || mf.Events.Endpoint.URI != mf.APIs.Custom.Endpoint.URI {
		t.Errorf("the custom and events endpoints must both be the function: %q, %q", mf.APIs.Custom.Endpoint.URI, mf.Events.Endpoint.URI)
	}
	var events []string
	for _, s := range mf.Events.Subscriptions {
		events = append(events, s.EventName)
	}
	if !slices.Contains(events, "SKILL_DISABLED") {
		t.Errorf("not subscribed to SKILL_DISABLED (needed to delete a user's data): %v", events)
	}
	for _, answer := range []string{"allowsPurchases", "usesPersonalInfo", "isChildDirected", "isExportCompliant", "containsAds"} {
		if _, ok := mf.Privacy[answer].(bool); !ok {
			t.Errorf("privacy answer %s is missing", answer)
		}
	}
	if mf.PublishingInformation.Category != "HEALTH_AND_FITNESS" {
		t.Errorf("category %q", mf.PublishingInformation.Category)
	}
}
