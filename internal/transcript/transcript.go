// Package transcript plays golden transcripts: conversations kept as data in transcripts/
// at the top of the repository, each what a person says (typed as they would say it, and
// resolved through the interaction model) and what Alexa answers. One runner plays every
// transcript against a Target: the handler in-process, the console, or the compiled Lambda
// function on DynamoDB Local. With -update, the handler's run rewrites the expected side.
package transcript

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/device"
	"github.com/spine-opener/spine-opener/internal/interaction"
	"github.com/spine-opener/spine-opener/internal/screen"
	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/skill/skilltest"
)

var update = flag.Bool("update", false, "rewrite the expected side of the transcripts from the handler's answers")

// Updating reports whether the test binary was asked to rewrite golden files (-update).
func Updating() bool { return *update }

// Transcript is one conversation.
type Transcript struct {
	About  string    `yaml:"about"`
	Start  time.Time `yaml:"start,omitempty"`  // when the first turn happens; Morning when zero
	Zone   string    `yaml:"zone,omitempty"`   // the device's time zone; UTC when empty
	Locale string    `yaml:"locale,omitempty"` // en-US when empty
	// Screen is the APL version of the device's screen (an Echo Show: "2023.3"); each
	// turn then shows, after Alexa's words, what the screen shows, a line each.
	Screen string  `yaml:"screen,omitempty"`
	Before *Before `yaml:"before,omitempty"` // what the store holds at the start
	Turns  []Turn  `yaml:"turns"`
	After  *After  `yaml:"after,omitempty"` // what the store holds at the end
}

// Before is the user's stored state when the transcript starts.
type Before struct {
	Tempo     time.Duration   `yaml:"tempo,omitempty"`
	NoteHeard bool            `yaml:"noteHeard,omitempty"`
	Kept      int             `yaml:"kept,omitempty"` // a side kept for an hour
	Done      []time.Duration `yaml:"done,omitempty"` // completions, this long before the start
}

// After is what the store must hold once the transcript ends.
type After struct {
	Today     int  `yaml:"today"`               // completions on the user's local day of the last turn
	Kept      int  `yaml:"kept"`                // the side kept, 0 for none
	Reminders *int `yaml:"reminders,omitempty"` // the reminders the skill keeps tokens of
}

// Turn is one thing the user does and what Alexa answers.
type Turn struct {
	// Wait is the time since the previous turn. When zero, the user speaks as soon as
	// Alexa has finished the previous answer (by skill.SpeakingTime) and a moment more;
	// a wait shorter than that cuts in while Alexa is speaking, as "Alexa, ..." does.
	Wait  time.Duration `yaml:"wait,omitempty"`
	You   string        `yaml:"you,omitempty"`   // a typed line: "(silence)", "exit", or words
	Event string        `yaml:"event,omitempty"` // instead of words: a skill event
	Touch string        `yaml:"touch,omitempty"` // instead of words: a button of the screen
	Again bool          `yaml:"again,omitempty"` // instead of words: the last request delivered again (a retry)
	// RemindersAPI is how Alexa's Reminders API answers from this turn on: "up" (as
	// Amazon's does, the start), or a failure of skilltest.RemindersMode: "throttled",
	// "failing", "down", "hang" or "no-permission". "deleted-in-app" is up, once the user
	// has deleted the skill's reminders in the Alexa app.
	RemindersAPI string `yaml:"remindersAPI,omitempty"`
	// Alexa is what Alexa says, as device.Words shows it, with each whole side of the
	// routine as one line, "[side one, 5 s a rep]". Empty for silence.
	Alexa   Speech `yaml:"alexa"`
	Session string `yaml:"session"` // "open" or "ended" afterwards
}

// Speech is what Alexa says in a turn. It is written as a YAML block, so that apostrophes
// and colons read as they are.
type Speech string

// MarshalYAML writes s as a literal block.
func (s Speech) MarshalYAML() (any, error) {
	if s == "" {
		return "", nil
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Style: yaml.LiteralStyle, Value: string(s)}, nil
}

// Silence is how a turn writes saying nothing.
const Silence = "(silence)"

// Morning is when transcripts start unless they say otherwise: 07:30 UTC on a Monday.
var Morning = time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC)

// replyTime is how long after Alexa stops talking a transcript's user answers.
const replyTime = 3 * time.Second

// Target is one place the transcripts run.
type Target interface {
	// Open starts the skill afresh for one transcript, with an empty store, the device's
	// time zone and the clock its requests are stamped with.
	Open(t *testing.T, zone string, clock func() time.Time) Skill
}

// Skill is a skill opened by a Target.
type Skill struct {
	Store skill.Store
	Echo  *device.Echo // the device the transcript's user talks through
	Hear  func(ctx context.Context, line string) device.Reply
	Event func(ctx context.Context, typ string) device.Reply
	Touch func(ctx context.Context, argument string) device.Reply
	Again func(ctx context.Context) device.Reply
	Close func(ctx context.Context) device.Reply // ends an open session at the end of a transcript
	// Reminders is the stand-in for Alexa's Reminders API the skill was given, for turns
	// that make it fail.
	Reminders *skilltest.RemindersAPI
	// Offset moves the whole transcript in time by that much (whole weeks keep the day of
	// the week and the time): the compiled function's clock is its invocation's deadline,
	// which must lie ahead of the real clock.
	Offset time.Duration
}

// Mode says whether a run may rewrite the transcripts.
type Mode int

// Modes.
const (
	Check  Mode = iota // compare only
	Update             // with -update, rewrite the expected side from this run
)

// Files lists the transcripts in the repository.
func Files(t testing.TB) []string {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts in %s: %v", dir, err)
	}
	return files
}

// Dir is the transcripts folder, found from the working directory upwards.
func Dir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "transcripts"), nil
		}
		if filepath.Dir(dir) == dir {
			return "", errors.New("no go.mod above " + wd)
		}
	}
}

// Load reads one transcript, refusing one that a reader could misread.
func Load(path string) (*Transcript, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	var tr Transcript
	if err := dec.Decode(&tr); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if tr.About == "" || len(tr.Turns) == 0 {
		return nil, fmt.Errorf("%s: a transcript needs about and turns", path)
	}
	for i, turn := range tr.Turns {
		if n := btoi(turn.You != "") + btoi(turn.Event != "") + btoi(turn.Touch != "") + btoi(turn.Again); n != 1 {
			return nil, fmt.Errorf("%s: turn %d needs one of you, event, touch and again", path, i+1)
		}
		if turn.Session != "open" && turn.Session != "ended" {
			return nil, fmt.Errorf("%s: turn %d: session is %q, want open or ended", path, i+1, turn.Session)
		}
	}
	if tr.Zone == "" {
		tr.Zone = "UTC"
	}
	if _, err := time.LoadLocation(tr.Zone); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &tr, nil
}

// Run plays every transcript against target, each as a subtest named after its file.
func Run(t *testing.T, target Target, mode Mode) {
	for _, path := range Files(t) {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".yaml"), func(t *testing.T) {
			tr, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			got := Play(t, target, tr)
			if mode == Update && *update {
				if err := write(path, got); err != nil {
					t.Fatal(err)
				}
				return
			}
			for i, want := range tr.Turns {
				g := got.Turns[i]
				if g.Alexa != want.Alexa || g.Session != want.Session {
					t.Errorf("turn %d, you: %q%s\n--- want (session %s)\n%s\n--- got (session %s)\n%s",
						i+1, want.You, want.Event, want.Session, want.Alexa, g.Session, g.Alexa)
				}
			}
		})
	}
}

// Play runs one transcript against target and returns it with Alexa's side as this run
// heard it. It fails t on anything Alexa would refuse, and when the store ends up other
// than the transcript's After says.
func Play(t *testing.T, target Target, tr *Transcript) *Transcript {
	t.Helper()
	ctx := context.Background()
	now := tr.Start
	if now.IsZero() {
		now = Morning
	}
	var offset time.Duration
	s := target.Open(t, tr.Zone, func() time.Time { return now.Add(offset) })
	offset = s.Offset
	s.Echo.Screen = tr.Screen
	if tr.Locale != "" {
		model, err := interaction.LoadLocale(".", tr.Locale)
		if err != nil {
			t.Fatal(err)
		}
		s.Echo.Model, s.Echo.Locale = model, tr.Locale
	}
	if tr.Before != nil {
		loc, _ := time.LoadLocation(tr.Zone)
		seed(t, s.Store, tr.Before, now.Add(offset).In(loc))
	}
	locale := tr.Locale
	if locale == "" {
		locale = "en-US"
	}
	got := *tr
	got.Turns = make([]Turn, len(tr.Turns))
	var last device.Reply
	for i, turn := range tr.Turns {
		if i > 0 {
			wait := turn.Wait
			if wait == 0 {
				wait = skill.SpeakingTime(last.Speech) + replyTime
			}
			now = now.Add(wait)
		}
		if turn.RemindersAPI != "" {
			setReminders(t, s.Reminders, turn.RemindersAPI)
		}
		var r device.Reply
		switch {
		case turn.Event != "":
			r = s.Event(ctx, turn.Event)
		case turn.Touch != "":
			r = s.Touch(ctx, turn.Touch)
		case turn.Again:
			r = s.Again(ctx)
		case turn.You == Silence:
			r = s.Hear(ctx, "")
		default:
			r = s.Hear(ctx, turn.You)
		}
		if n := len(r.Requests); n > 0 && r.Err == nil {
			skilltest.CheckResponse(t, r.Requests[n-1], r.Response)
			if raw, err := json.Marshal(r.Response); err == nil && len(raw) > Largest {
				Largest = len(raw)
			}
		}
		last = r
		got.Turns[i] = turn
		got.Turns[i].Alexa = said(r, locale) + shown(t, r)
		got.Turns[i].Session = "open"
		if r.Ended {
			got.Turns[i].Session = "ended"
		}
	}
	if tr.After != nil {
		loc, _ := time.LoadLocation(tr.Zone)
		verify(t, s.Store, *tr.After, now.Add(offset).In(loc))
	}
	s.Close(ctx)
	return &got
}

// said is what Alexa said in r, as a transcript writes it.
func said(r device.Reply, locale string) Speech {
	switch {
	case r.Err != nil:
		return Speech("(skill error) " + r.Err.Error())
	case r.Speech == "":
		return ""
	}
	doc := r.Speech
	number := map[int]string{1: "one", 2: "two", 3: "three"}
	for side := 1; side <= skill.Sides; side++ {
		for from := 1; from <= skill.Movements; from++ {
			for tempo := skill.MinTempo; tempo <= skill.MaxTempo; tempo += skill.TempoStep {
				for _, sounds := range []bool{true, false} {
					whole := skill.SidePartSpeech(locale, side, from, tempo, sounds)
					inner := strings.TrimSuffix(strings.TrimPrefix(whole, "<speak>"), "</speak>")
					marker := "[side " + number[side]
					if from > 1 {
						marker += " from movement " + number[from]
					}
					marker += fmt.Sprintf(", %d s a rep", tempo/time.Second)
					if !sounds {
						marker += ", no sounds"
					}
					doc = strings.ReplaceAll(doc, inner, " "+marker+"] ")
				}
			}
		}
	}
	words := sideMarker.ReplaceAllString(device.Words(doc), "\n$1\n")
	return Speech(strings.TrimSpace(strings.ReplaceAll(words, "\n\n", "\n")))
}

// sideMarker is a side shown as one line, with whatever spaces stand around it.
var sideMarker = regexp.MustCompile(` *(\[side [^\]]*\]) *\n?`)

// shown is what the screen shows after Alexa's words, as lines, for a device with one.
func shown(t *testing.T, r device.Reply) Speech {
	var lines []string
	for _, d := range r.Response.Body.Directives {
		if !strings.Contains(string(d), screen.RenderDocument) {
			continue
		}
		s, err := screen.Read(d)
		if err != nil {
			t.Errorf("screen: %v", err)
			continue
		}
		for _, l := range s.Describe() {
			lines = append(lines, "[screen] "+strings.TrimPrefix(l, "screen "))
		}
		Directives = append(Directives, d)
	}
	if len(lines) == 0 {
		return ""
	}
	return Speech("\n" + strings.Join(lines, "\n"))
}

// Largest is the size in bytes of the largest response JSON the transcripts produced.
var Largest int

// Directives collects every screen directive the transcripts produced, for a test to hold
// them all to Amazon's APL validator.
var Directives []json.RawMessage

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func write(path string, tr *Transcript) error {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(tr); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// seed stores what Before says, as the user's own earlier sessions would have.
func seed(t *testing.T, store skill.Store, b *Before, now time.Time) {
	t.Helper()
	ctx := context.Background()
	key := skill.UserKey(UserID)
	if b.Tempo != 0 || b.NoteHeard {
		if err := store.SavePreferences(ctx, key, skill.Preferences{Tempo: b.Tempo, NoteHeard: b.NoteHeard}); err != nil {
			t.Fatal(err)
		}
	}
	if b.Kept != 0 {
		if err := store.SavePlace(ctx, key, skill.Place{Side: b.Kept, Expires: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	var h skill.History
	done := slices.Clone(b.Done)
	slices.SortFunc(done, func(a, b time.Duration) int { return cmp.Compare(b, a) }) // oldest first
	for i, ago := range done {
		at := now.Add(-ago)
		c := skill.Completion{ID: fmt.Sprintf("seed-%d", i), At: at, Day: at.Format(time.DateOnly), Zone: at.Location().String(), SessionID: "seed"}
		h = h.With(c)
		if _, err := store.Complete(ctx, key, c, skill.Preferences{Tempo: b.Tempo, NoteHeard: true}, h); err != nil {
			t.Fatal(err)
		}
	}
}

// verify holds the store to what After says.
func verify(t *testing.T, store skill.Store, a After, now time.Time) {
	t.Helper()
	ctx := context.Background()
	key := skill.UserKey(UserID)
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	n, err := store.CountCompletions(ctx, key, from, from.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if n != a.Today {
		t.Errorf("after the transcript: %d completions today, want %d", n, a.Today)
	}
	kept := 0
	u, err := store.User(ctx, key)
	switch {
	case errors.Is(err, skill.ErrNotFound):
	case err != nil:
		t.Fatal(err)
	case u.Paused != nil && now.Before(u.Paused.Expires):
		kept = u.Paused.Side
	}
	if kept != a.Kept {
		t.Errorf("after the transcript: side %d kept, want %d", kept, a.Kept)
	}
	if a.Reminders != nil && len(u.Reminders) != *a.Reminders {
		t.Errorf("after the transcript: %d reminders kept, want %d", len(u.Reminders), *a.Reminders)
	}
}

// UserID is the person every transcript is about.
const UserID = skilltest.UserID

// NewEcho is the device transcripts talk through: the transcript's user, the repository's
// interaction model, the test skill ID, requests stamped by clock and naming apiEndpoint
// for Alexa's APIs.
func NewEcho(t testing.TB, handle device.HandlerFunc, clock func() time.Time, apiEndpoint string) *device.Echo {
	t.Helper()
	model, err := interaction.LoadFound(".")
	if err != nil {
		t.Fatal(err)
	}
	return &device.Echo{Handle: handle, Model: model, SkillID: skilltest.SkillID, UserID: UserID,
		DeviceID: "amzn1.ask.device.TRANSCRIPT", APIEndpoint: apiEndpoint, APIToken: "token",
		IDPrefix: "transcript", Clock: clock}
}

// Through is the Skill that store and e make.
func Through(store skill.Store, e *device.Echo) Skill {
	return Skill{Store: store, Echo: e, Hear: e.Hear, Event: e.Event, Touch: e.Touch, Again: e.Again, Close: e.Close}
}

// setReminders makes the Reminders API answer as mode says.
func setReminders(t *testing.T, api *skilltest.RemindersAPI, mode string) {
	t.Helper()
	if api == nil {
		t.Fatal("remindersAPI: this target gave the skill no Reminders API stand-in")
	}
	m := skilltest.RemindersMode(mode)
	switch m {
	case "deleted-in-app":
		api.DeleteAll()
		fallthrough
	case "up":
		m = skilltest.RemindersUp
	case skilltest.RemindersNoPermission, skilltest.RemindersThrottled, skilltest.RemindersFailing, skilltest.RemindersDown, skilltest.RemindersHang:
	default:
		t.Fatalf("remindersAPI %q: want up, deleted-in-app, throttled, failing, down, hang or no-permission", mode)
	}
	api.Set(m)
}

// RemindersStandIn is the Reminders API for a transcript: Amazon's stand-in, on the
// transcript's clock, without the reminders permission until the user approves it when
// Alexa asks through e.
func RemindersStandIn(e *device.Echo, clock func() time.Time) *skilltest.RemindersAPI {
	api := &skilltest.RemindersAPI{Now: func(context.Context) time.Time { return clock() }}
	api.Set(skilltest.RemindersNoPermission)
	e.OnConsent = func(scope, status string) {
		if scope == alexa.PermissionReminders && status == alexa.ConsentAccepted {
			api.Set(skilltest.RemindersUp)
		}
	}
	return api
}
