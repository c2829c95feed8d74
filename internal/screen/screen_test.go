package screen_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/screen"
	"github.com/spine-opener/spine-opener/internal/screen/screentest"
)

// wordsPerSecond mirrors skill.WordsPerSecond for the sides made here; the package itself
// takes whatever timing it is given.
const wordsPerSecond = 2.8

func words(n int) time.Duration {
	return time.Duration(float64(n) / wordsPerSecond * float64(time.Second))
}

// side is a side shaped like the skill's (internal/skill makeSide): an introduction when it
// starts at movement one; per movement its name and set-up, a 3 s pause, five reps of a
// count and a cue followed by a pause of tempo, and between movements an ease-out and 2 s.
// before is the speech ahead of the side in the same response.
func side(n, from int, tempo, before time.Duration) screen.Side {
	arm := map[int]string{1: "Side one: right arm", 2: "Side two: left arm"}[n]
	s := screen.Side{Arm: arm, Left: n == 2, From: from, Next: "Next side", Stop: "Stop"}
	names := [...]string{"The spine twist", "The twist with a curl", "Thread the needle"}
	at := before
	if from == 1 {
		at += words(27)
	}
	for m := range s.Moves {
		s.Moves[m].Name = names[m]
		if m+1 < from {
			continue
		}
		s.Moves[m].Start = at
		at += words(30+4*m) + 3*time.Second
		for r := range s.Moves[m].Reps {
			s.Moves[m].Reps[r] = at
			at += words(6+r%3*4) + tempo
		}
		if m+1 < screen.Movements {
			at += words(5) + 2*time.Second
		}
	}
	s.End = at
	return s
}

// sides are the data sets: each side, from each movement, at the slowest, usual and
// fastest tempo, with and without speech before it.
func sides() map[string]screen.Side {
	out := map[string]screen.Side{}
	for _, c := range []struct {
		n, from       int
		tempo, before time.Duration
	}{
		{1, 1, 5 * time.Second, 0},
		{2, 1, 5 * time.Second, 0},
		{1, 2, 8 * time.Second, 4200 * time.Millisecond},
		{2, 3, 3 * time.Second, 1500 * time.Millisecond},
		{1, 3, 8 * time.Second, 0},
		{2, 2, 3 * time.Second, 0},
	} {
		out[fmt.Sprintf("side %d from %d at %v after %v", c.n, c.from, c.tempo, c.before)] = side(c.n, c.from, c.tempo, c.before)
	}
	return out
}

var (
	offers = map[string]screen.Offer{
		"carry on":    {Title: "Welcome back", Subtitle: "Carry on with side two from thread the needle, or start fresh?", Pose: 3, Left: true},
		"start":       {Title: "Spine opener", Subtitle: "Say start to begin."},
		"gentle":      {Title: "A gentler pace?", Subtitle: "Seven seconds a rep", Pose: 1},
		"no subtitle": {Title: "Ready?"},
	}
	finished = map[string]screen.Finished{
		"first": {Title: "All done", Today: screen.Figure{Value: 1, Label: "today"}, Streak: screen.Figure{Value: 1, Label: "day in a row"}},
		"later": {Title: "All done", Today: screen.Figure{Value: 3, Label: "today"}, Streak: screen.Figure{Value: 12, Label: "days in a row"}},
	}
	helps = map[string]screen.Help{
		"counting": {Title: "While I count", Lines: []string{"Alexa, slower", "Alexa, faster", "Alexa, hold", "Alexa, repeat", "Alexa, stop"}},
		"between":  {Title: "Between sides", Lines: []string{"Next side", "How many times today?"}},
		"no lines": {Title: "Spine opener"},
	}
)

// directives is every screen the tests make, by name, in a stable order.
func directives(t *testing.T) ([]string, []json.RawMessage) {
	t.Helper()
	var names []string
	var out []json.RawMessage
	add := func(name string, d json.RawMessage, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		names, out = append(names, name), append(out, d)
	}
	for _, name := range sorted(sides()) {
		d, err := screen.SideDirective(sides()[name], "side")
		add(name, d, err)
	}
	for _, name := range sorted(offers) {
		d, err := screen.OfferDirective(offers[name], "offer")
		add("offer "+name, d, err)
	}
	for _, name := range sorted(finished) {
		d, err := screen.FinishedDirective(finished[name], "finished")
		add("finished "+name, d, err)
	}
	for _, name := range sorted(helps) {
		d, err := screen.HelpDirective(helps[name], "help")
		add("help "+name, d, err)
	}
	return names, out
}

func sorted[V any](m map[string]V) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	for i := range keys { // a handful of keys
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

// Every directive the package can make, in every phase, passes Amazon's validator.
func TestEveryScreenPassesAmazonsValidator(t *testing.T) {
	names, ds := directives(t)
	for i, errs := range screentest.APLErrors(t, ds) {
		if errs != "" {
			t.Errorf("%s: apl-suggester refuses it: %s", names[i], errs)
		}
	}
}

// The validator must refuse broken documents, or the check above would pass anything.
func TestValidatorRefusesBrokenScreens(t *testing.T) {
	good, err := screen.SideDirective(side(1, 1, 5*time.Second, 0), "side")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, from, to string
		want           string // a fragment of the errors
	}{
		{"unknown component", `"type":"VectorGraphic"`, `"type":"VectorGrafic"`, `no component or layout of type`},
		{"bad enumeration", `"scale":"best-fit"`, `"scale":"bestfit"`, `best-fit`},
		{"unknown command in a handler", `"type":"SendEvent"`, `"type":"SendEvnt"`, `no command of type`},
		{"delay not a number", `"delay":`, `"delay":"soon","x":`, `should be number`},
		{"bad vector graphic", `"type":"path"`, `"type":"pth"`, `path,group,text`},
		{"no token", `"token":"side"`, `"token":""`, `needs a token`},
		{"misspelt datasources", `"datasources"`, `"datasource"`, `has no property`},
		{"unknown APL version", `"version":"1.6"`, `"version":"1.66"`, `allowed values`},
	}
	items := []json.RawMessage{good}
	for _, tt := range tests {
		bad := strings.Replace(string(good), tt.from, tt.to, 1)
		if bad == string(good) {
			t.Fatalf("%s: %s is not in the directive", tt.name, tt.from)
		}
		items = append(items, json.RawMessage(bad))
	}
	items = append(items, json.RawMessage(`{"type":"Alexa.Presentation.APL.ExecuteCommands","token":"side","commands":[{"type":"Sequential","commands":[{"type":"SetValue","componentId":"root","property":"rep"}]}]}`))
	errs := screentest.APLErrors(t, items)
	if errs[0] != "" {
		t.Errorf("good directive refused: %s", errs[0])
	}
	for i, tt := range tests {
		if got := errs[i+1]; !strings.Contains(got, tt.want) {
			t.Errorf("%s: got errors %q, want them to contain %q", tt.name, got, tt.want)
		}
	}
	if got := errs[len(errs)-1]; !strings.Contains(got, `required property 'value'`) {
		t.Errorf("ExecuteCommands without a value: got errors %q, want a missing value", got)
	}
}

// A side screen shows what the caller gave it, and its timeline changes movement and rep
// exactly when Alexa starts each, to the millisecond.
func TestSideScreenFollowsTheSpeech(t *testing.T) {
	for name, s := range sides() {
		t.Run(name, func(t *testing.T) {
			d, err := screen.SideDirective(s, "side-token")
			if err != nil {
				t.Fatal(err)
			}
			got, err := screen.Read(d)
			if err != nil {
				t.Fatal(err)
			}
			if got.Screen != "side" || got.Token != "side-token" || got.Arm != s.Arm || got.Left != s.Left || got.From != s.From {
				t.Errorf("got screen %q token %q arm %q left %v from %d, want side side-token %q %v %d",
					got.Screen, got.Token, got.Arm, got.Left, got.From, s.Arm, s.Left, s.From)
			}
			if want := []string{s.Moves[0].Name, s.Moves[1].Name, s.Moves[2].Name}; !reflect.DeepEqual(got.Moves, want) {
				t.Errorf("got moves %q, want %q", got.Moves, want)
			}
			wantButtons := []screen.Button{{Label: "Next side", Arg: screen.ArgNextSide}, {Label: "Stop", Arg: screen.ArgStop}}
			if !reflect.DeepEqual(got.Buttons, wantButtons) {
				t.Errorf("got buttons %+v, want %+v", got.Buttons, wantButtons)
			}
			want := []screen.Step{{At: 0, Move: s.From}}
			for m := s.From; m <= screen.Movements; m++ {
				if m > s.From {
					want = append(want, screen.Step{At: s.Moves[m-1].Start.Truncate(time.Millisecond), Move: m})
				}
				for r, at := range s.Moves[m-1].Reps {
					want = append(want, screen.Step{At: at.Truncate(time.Millisecond), Move: m, Rep: r + 1})
				}
			}
			if !reflect.DeepEqual(got.Steps, want) {
				t.Errorf("got steps\n%v\nwant\n%v", got.Steps, want)
			}
			if got.End != s.End.Truncate(time.Millisecond) {
				t.Errorf("got end %v, want %v", got.End, s.End)
			}
		})
	}
}

func TestOtherScreensShowTheirData(t *testing.T) {
	read := func(t *testing.T, d json.RawMessage, err error) screen.Shown {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		s, err := screen.Read(d)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for name, o := range offers {
		t.Run("offer "+name, func(t *testing.T) {
			d, err := screen.OfferDirective(o, "offer")
			got := read(t, d, err)
			want := screen.Shown{Screen: "offer", Token: "offer", Title: o.Title, Subtitle: o.Subtitle, Pose: o.Pose, Left: o.Left}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
	for name, f := range finished {
		t.Run("finished "+name, func(t *testing.T) {
			d, err := screen.FinishedDirective(f, "finished")
			got := read(t, d, err)
			want := screen.Shown{Screen: "finished", Token: "finished", Title: f.Title, Figures: []screen.Figure{f.Today, f.Streak}}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
	for name, h := range helps {
		t.Run("help "+name, func(t *testing.T) {
			d, err := screen.HelpDirective(h, "help")
			got := read(t, d, err)
			want := screen.Shown{Screen: "help", Token: "help", Title: h.Title, Lines: h.Lines}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

// All the words on a screen come from the caller: every Text in the documents shows bound
// data, never a string of its own.
func TestDocumentsHoldNoWords(t *testing.T) {
	names, ds := directives(t)
	for i, d := range ds {
		var v any
		if err := json.Unmarshal(d, &v); err != nil {
			t.Fatal(err)
		}
		walk(v, func(m map[string]any) {
			if m["type"] == "Text" {
				if text, _ := m["text"].(string); !strings.HasPrefix(text, "${") || !strings.HasSuffix(text, "}") {
					t.Errorf("%s: a Text shows %q, not bound data", names[i], text)
				}
			}
		})
	}
}

func walk(v any, visit func(map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		visit(v)
		for _, e := range v {
			walk(e, visit)
		}
	case []any:
		for _, e := range v {
			walk(e, visit)
		}
	}
}

func TestRefusesWhatCannotBeShown(t *testing.T) {
	good := side(1, 1, 5*time.Second, 0)
	sideTests := map[string]func(*screen.Side){
		"from 0":                  func(s *screen.Side) { s.From = 0 },
		"from 4":                  func(s *screen.Side) { s.From = 4 },
		"no arm":                  func(s *screen.Side) { s.Arm = "" },
		"no button label":         func(s *screen.Side) { s.Stop = "" },
		"no movement name":        func(s *screen.Side) { s.Moves[2].Name = "" },
		"reps out of order":       func(s *screen.Side) { s.Moves[1].Reps[3] = s.Moves[1].Reps[2] },
		"rep before its intro":    func(s *screen.Side) { s.Moves[0].Reps[0] = s.Moves[0].Start },
		"movement before a rep":   func(s *screen.Side) { s.Moves[2].Start = s.Moves[1].Reps[4] - time.Second },
		"end before the last rep": func(s *screen.Side) { s.End = s.Moves[2].Reps[4] - time.Second },
	}
	for name, change := range sideTests {
		s := good
		change(&s)
		if _, err := screen.SideDirective(s, "side"); err == nil {
			t.Errorf("side with %s: got no error", name)
		}
	}
	if _, err := screen.SideDirective(good, ""); err == nil {
		t.Error("side without a token: got no error")
	}
	if _, err := screen.OfferDirective(screen.Offer{Title: "x", Pose: 4}, "offer"); err == nil {
		t.Error("offer with pose 4: got no error")
	}
	if _, err := screen.FinishedDirective(screen.Finished{Title: "x"}, "finished"); err == nil {
		t.Error("finished without labels: got no error")
	}
	if _, err := screen.HelpDirective(screen.Help{Title: "x", Lines: make([]string, screen.MaxHelpLines+1)}, "help"); err == nil {
		t.Error("help with too many lines: got no error")
	}
	// Movements before From need no timing.
	late := side(2, 3, 5*time.Second, 0)
	late.Moves[0].Start, late.Moves[0].Reps = time.Hour, [screen.Reps]time.Duration{}
	if _, err := screen.SideDirective(late, "side"); err != nil {
		t.Errorf("side from 3 with no timing for movement 1: %v", err)
	}
}

// maxResponse is the budget for a whole response's JSON: a fifth of Alexa's 120 KB.
const maxResponse = 24 * 1024

// A side response, with the longest side speech the skill could send and screen text twice
// as long as the English, stays under 24 KB.
func TestSideResponseFitsTheBudget(t *testing.T) {
	long := side(1, 1, 8*time.Second, 5*time.Second)
	long.Arm = strings.Repeat(long.Arm+" ", 2)
	for m := range long.Moves {
		long.Moves[m].Name = strings.Repeat(long.Moves[m].Name+" ", 2)
	}
	long.Next, long.Stop = "Weiter zur nächsten Seite", "Jetzt aufhören, bitte"
	d, err := screen.SideDirective(long, "side")
	if err != nil {
		t.Fatal(err)
	}
	speech := "<speak>" + strings.Repeat(`One. Breathe out as your elbow turns up toward the ceiling. <break time="8s"/> `, 130)
	speech = speech[:9500-len("</speak>")] + "</speak>" // ~9.5 KB, as the brief's longest side
	end := false
	resp := alexa.Response{
		Version: "1.0",
		SessionAttributes: map[string]json.RawMessage{
			"conversation": json.RawMessage(`{"phase":"counting","side":1,"from":1,"tempo":8,"started":"2024-01-01T07:00:00Z","run":"0123456789abcdef0123456789abcdef"}`),
		},
		Body: alexa.ResponseBody{
			OutputSpeech:     alexa.SSMLSpeech(speech),
			Card:             &alexa.Card{Type: alexa.CardSimple, Title: "Spine opener: side one (right arm)", Content: strings.Repeat("1. Spine twist\n", 8)},
			Reprompt:         &alexa.Reprompt{OutputSpeech: *alexa.SSMLSpeech("<speak>Say next side when you're ready, or stop.</speak>")},
			Directives:       []json.RawMessage{d},
			ShouldEndSession: &end,
		},
	}
	b, err := json.Marshal(resp) // HTML-escaped, the larger encoding
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("side directive %d bytes (document %d), whole response %d bytes of %d", len(d), documentSize(t, d), len(b), maxResponse)
	if len(b) > maxResponse {
		t.Errorf("side response is %d bytes of JSON, over %d", len(b), maxResponse)
	}
	screentest.CheckAPL(t, []json.RawMessage{d})
}

func documentSize(t *testing.T, d json.RawMessage) int {
	var v struct{ Document json.RawMessage }
	if err := json.Unmarshal(d, &v); err != nil {
		t.Fatal(err)
	}
	return len(v.Document)
}

func TestDescribe(t *testing.T) {
	s := side(2, 3, 5*time.Second, 2*time.Second)
	d, err := screen.SideDirective(s, "side")
	if err != nil {
		t.Fatal(err)
	}
	shown, err := screen.Read(d)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"screen side: Side two: left arm (drawings mirrored) [Next side → next-side] [Stop → stop]",
		"screen 0:00.0 movement 3 of 3, Thread the needle",
		"screen 0:18.6 rep 1 of 5",
		"screen 0:25.7 rep 2 of 5",
		"screen 0:34.3 rep 3 of 5",
		"screen 0:44.3 rep 4 of 5",
		"screen 0:51.4 rep 5 of 5",
		"screen 1:00.0 side spoken",
	}
	if got := shown.Describe(); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	o, _ := screen.OfferDirective(offers["carry on"], "offer")
	shown, _ = screen.Read(o)
	if got, want := shown.Describe(), []string{"screen offer: Welcome back | Carry on with side two from thread the needle, or start fresh? | drawing of movement 3, mirrored"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSupports(t *testing.T) {
	for v, want := range map[string]bool{
		"": true, "1.6": true, "1.9": true, "2023.3": true, "2024.2": true,
		"1.5": false, "1.0": false, "1": false, "x.y": false,
	} {
		if got := screen.Supports(v); got != want {
			t.Errorf("Supports(%q) = %v, want %v", v, got, want)
		}
	}
}

func BenchmarkSideDirective(b *testing.B) {
	s := side(1, 1, 5*time.Second, 0)
	for b.Loop() {
		if _, err := screen.SideDirective(s, "side"); err != nil {
			b.Fatal(err)
		}
	}
}
