package voice_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spine-opener/spine-opener/internal/ssml"
	"github.com/spine-opener/spine-opener/internal/ssml/ssmltest"
	"github.com/spine-opener/spine-opener/internal/voice"
)

// samples are the arguments every key is rendered with: each placeholder gets a value,
// and counts cover the exact forms and the plural categories.
var samples = []voice.Args{
	{Side: 1, Count: 0, Seconds: 3, Move: 1, Rep: 1},
	{Side: 2, Count: 1, Seconds: 5, Move: 2, Rep: 3},
	{Side: 1, Count: 2, Seconds: 8, Move: 3, Rep: 5},
	{Side: 2, Count: 7, Seconds: 6, Move: 3, Rep: 4},
	{Side: 1, Count: 25, Seconds: 4, Move: 1, Rep: 2},
}

// TestEveryKeyRenders renders every key with every sample in every locale, as the render
// step would put it in a response, and holds each to Alexa's rules and to Amazon's own
// SSML checker.
func TestEveryKeyRenders(t *testing.T) {
	var docs []string
	for _, locale := range voice.Locales() {
		cat, exact := voice.For(locale)
		if !exact || cat.Locale != locale {
			t.Fatalf("For(%q) = %s, exact %v", locale, cat.Locale, exact)
		}
		for _, k := range voice.Keys() {
			for _, a := range samples {
				// {name} is the render step's to replace, with Alexa's own name tag.
				text := strings.ReplaceAll(cat.Text(k, a), "{name}", "Sam")
				if strings.TrimSpace(text) == "" {
					t.Errorf("%s %s: empty", locale, k)
				}
				if strings.ContainsAny(text, "{}") {
					t.Errorf("%s %s: placeholder left in %q", locale, k, text)
				}
				var b ssml.Builder
				doc, err := b.Say(text).Build()
				if err != nil {
					t.Fatalf("%s %s: %v", locale, k, err)
				}
				if err := ssml.Validate(doc); err != nil {
					t.Errorf("%s %s: %v\n%s", locale, k, err, doc)
				}
				var back strings.Builder
				ssml.Walk(doc, func(s string) { back.WriteString(s) }, nil)
				if back.String() != text {
					t.Errorf("%s %s: escaping lost text: got %q, want %q", locale, k, back.String(), text)
				}
				docs = append(docs, doc)
			}
		}
	}
	ssmltest.CheckAmazon(t, docs)
}

func TestPluralForms(t *testing.T) {
	cat, _ := voice.For("en-US")
	tests := []struct {
		n    int
		want string
	}{
		{0, "You haven't done the spine opener yet today."},
		{1, "You've done the spine opener once today."},
		{2, "You've done the spine opener twice today."},
		{3, "You've done the spine opener three times today."},
		{21, "You've done the spine opener 21 times today."},
	}
	for _, tt := range tests {
		if got := cat.Text(voice.CountToday, voice.Args{Count: tt.n}); got != tt.want {
			t.Errorf("count %d: got %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	cat, _ := voice.For("en-US")
	tests := []struct {
		key  voice.Key
		args voice.Args
		want string
	}{
		{voice.SideIntro, voice.Args{Side: 2}, "Side two: your left arm does the work."},
		{voice.MovementIntro, voice.Args{Move: 3}, "Movement three, thread the needle."},
		{voice.Rep, voice.Args{Rep: 4}, "Four."},
		{voice.CardSideContent, voice.Args{Count: 5, Seconds: 6}, "5 reps each, about 6 s a rep."},
		{voice.CardSideTitle, voice.Args{Side: 1}, "Spine opener: side one (right arm)"},
	}
	for _, tt := range tests {
		if got := cat.Text(tt.key, tt.args); !strings.Contains(got, tt.want) {
			t.Errorf("%s %+v: got %q, want it to contain %q", tt.key, tt.args, got, tt.want)
		}
	}
}

// TestParseRefuses holds catalogs to having every key, no unknown key and no unknown
// placeholder: a missing sentence fails here, not on someone's Echo.
func TestParseRefuses(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("catalogs", "en-US.json"))
	if err != nil {
		t.Fatal(err)
	}
	good := string(raw)
	if _, err := voice.Parse(raw); err != nil {
		t.Fatalf("en-US.json: %v", err)
	}
	tests := []struct{ name, catalog, want string }{
		{"missing key", strings.Replace(good, `"fallback": "Sorry, I didn't catch that.",`, "", 1), `"fallback" is missing`},
		{"unknown key", strings.Replace(good, `"fallback":`, `"fallbak": "x", "fallback":`, 1), `"fallbak" is not a voice.Key`},
		{"unknown placeholder", strings.Replace(good, "side {side}.", "side {sied}.", 1), "unknown placeholder {sied}"},
		{"unclosed placeholder", strings.Replace(good, "side {side}.", "side {side.", 1), "unclosed {"},
		{"plural without other", strings.Replace(good, `"other": "You've done it {count} times today."`, `"=3": "x"`, 1), `no "other" form`},
		{"unknown form", strings.Replace(good, `"=1": "You've done it once today."`, `"single": "x"`, 1), `unknown plural form "single"`},
		{"bad locale", strings.Replace(good, `"locale": "en-US"`, `"locale": "english"`, 1), "locale"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.catalog == good {
				t.Fatal("the test's change did not apply")
			}
			_, err := voice.Parse([]byte(tt.catalog))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestForFallsBack(t *testing.T) {
	tests := []struct {
		locale    string
		want      string
		wantExact bool
	}{
		{"en-US", "en-US", true},
		{"de-DE", voice.DefaultLocale, false},
		{"", voice.DefaultLocale, false},
		{"not a locale", voice.DefaultLocale, false},
	}
	for _, tt := range tests {
		cat, exact := voice.For(tt.locale)
		if cat.Locale != tt.want || exact != tt.wantExact {
			t.Errorf("For(%q) = %s, %v; want %s, %v", tt.locale, cat.Locale, exact, tt.want, tt.wantExact)
		}
	}
}
