package skill_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/skill/skilltest"
	"github.com/spine-opener/spine-opener/internal/ssml"
)

const (
	testSkill = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
	testUser  = "amzn1.ask.account.PERSON-ONE"
)

// morning is 07:30 UTC on a Monday.
var morning = time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC)

// fixedZone answers every time zone lookup with one zone, or an error, and counts the calls.
type fixedZone struct {
	mu    sync.Mutex
	zone  string
	err   error
	calls int
}

func (z *fixedZone) TimeZone(context.Context, alexa.System) (string, error) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.calls++
	return z.zone, z.err
}

type env struct {
	t     *testing.T
	store *skilltest.Store
	zones *fixedZone
	logs  *bytes.Buffer
	h     *skill.Handler
}

func newEnv(t *testing.T) *env {
	e := &env{t: t, store: &skilltest.Store{}, zones: &fixedZone{zone: "UTC"}, logs: &bytes.Buffer{}}
	e.h = &skill.Handler{SkillID: testSkill, Store: e.store, Zones: e.zones, Log: slog.New(slog.NewJSONHandler(e.logs, nil))}
	return e
}

// session plays Alexa's part in one session: it carries the session attributes from each
// response to the next request, and checks every response is one Alexa would accept.
type session struct {
	e     *env
	id    string
	user  string
	attrs map[string]json.RawMessage
	at    time.Time
	n     int
	ended bool
}

var sessionCount int

func (e *env) session(at time.Time) *session {
	sessionCount++
	return &session{e: e, id: fmt.Sprintf("amzn1.echo-api.session.%d", sessionCount), user: testUser, at: at}
}

func (s *session) request(typ string) alexa.Request {
	s.n++
	req := alexa.Request{
		Version: "1.0",
		Session: &alexa.Session{
			New: s.n == 1, SessionID: s.id, Application: alexa.Application{ApplicationID: testSkill},
			Attributes: s.attrs, User: alexa.User{UserID: s.user},
		},
		Context: alexa.Context{System: alexa.System{
			Application: alexa.Application{ApplicationID: testSkill},
			User:        alexa.User{UserID: s.user},
			Device:      alexa.Device{DeviceID: "device-1"},
			APIEndpoint: "https://api.example.invalid", APIAccessToken: "token",
		}},
		Body: alexa.RequestBody{Type: typ, RequestID: fmt.Sprintf("%s.request.%d", s.id, s.n), Timestamp: s.at, Locale: "en-US"},
	}
	s.at = s.at.Add(2 * time.Minute)
	return req
}

func (s *session) send(req alexa.Request) alexa.Response {
	s.e.t.Helper()
	if s.ended {
		s.e.t.Fatalf("request %s sent after the session ended", req.Body.Type)
	}
	resp, err := s.e.h.Handle(context.Background(), req)
	if err != nil {
		s.e.t.Fatalf("%s %s: %v", req.Body.Type, req.IntentName(), err)
	}
	checkValid(s.e.t, req, resp)
	s.attrs = resp.SessionAttributes
	s.ended = req.Body.Type == alexa.SessionEndedRequest || resp.Body.ShouldEndSession == nil || *resp.Body.ShouldEndSession
	return resp
}

func (s *session) launch() alexa.Response {
	s.e.t.Helper()
	return s.send(s.request(alexa.LaunchRequest))
}

func (s *session) say(intent string) alexa.Response {
	s.e.t.Helper()
	req := s.request(alexa.IntentRequest)
	req.Body.Intent = &alexa.Intent{Name: intent, ConfirmationStatus: "NONE"}
	return s.send(req)
}

func (s *session) end(reason string) alexa.Response {
	s.e.t.Helper()
	req := s.request(alexa.SessionEndedRequest)
	req.Body.Reason = reason
	return s.send(req)
}

// checkValid fails the test if Alexa would refuse resp.
func checkValid(t *testing.T, req alexa.Request, resp alexa.Response) {
	t.Helper()
	if resp.Version != "1.0" {
		t.Errorf("response version %q, want 1.0", resp.Version)
	}
	raw, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) > 24<<10 {
		t.Errorf("response is %d bytes; keep far below Alexa's 120 KB", len(raw))
	}
	b := resp.Body
	if req.Body.Type == alexa.SessionEndedRequest || strings.HasPrefix(req.Body.Type, "AlexaSkillEvent.") {
		if b.OutputSpeech != nil || b.Reprompt != nil || b.Card != nil {
			t.Errorf("%s got speech %+v; it must get none", req.Body.Type, b.OutputSpeech)
		}
		return
	}
	if b.OutputSpeech == nil && req.Body.Type != alexa.LaunchRequest && req.Body.Type != alexa.IntentRequest {
		if b.Reprompt != nil || b.Card != nil || b.ShouldEndSession != nil {
			t.Errorf("%s: an empty answer must be wholly empty: %s", req.Body.Type, raw)
		}
		return
	}
	if b.OutputSpeech == nil || b.ShouldEndSession == nil {
		t.Fatalf("%s %s: no speech or no shouldEndSession: %s", req.Body.Type, req.IntentName(), raw)
	}
	speeches := []*alexa.OutputSpeech{b.OutputSpeech}
	if b.Reprompt != nil {
		speeches = append(speeches, &b.Reprompt.OutputSpeech)
	}
	for _, sp := range speeches {
		if sp.Type != alexa.SpeechSSML {
			t.Errorf("speech type %q, want SSML", sp.Type)
		}
		if err := ssml.Validate(sp.SSML); err != nil {
			t.Errorf("%s %s: invalid SSML: %v\n%s", req.Body.Type, req.IntentName(), err, sp.SSML)
		}
	}
	if !*b.ShouldEndSession && b.Reprompt == nil {
		t.Errorf("%s %s keeps the session open without a reprompt", req.Body.Type, req.IntentName())
	}
	if *b.ShouldEndSession && resp.SessionAttributes != nil {
		t.Errorf("session ends but attributes are sent")
	}
}

// text is the speech with its markup and pauses removed.
func text(resp alexa.Response) string {
	if resp.Body.OutputSpeech == nil {
		return ""
	}
	var b strings.Builder
	ssml.Walk(resp.Body.OutputSpeech.SSML, func(s string) { b.WriteString(s) }, func(time.Duration) { b.WriteString(" ") })
	return b.String()
}

var repCount = regexp.MustCompile(`^(One|Two|Three|Four|Five)\. `)

// pacedReps reads a side's speech and returns, per movement, the reps it counts: each a
// spoken count and cue followed directly by a pause of exactly tempo.
func pacedReps(t *testing.T, resp alexa.Response, tempo time.Duration) [][]string {
	t.Helper()
	var movements [][]string
	var lastText string
	var pendingRep string
	err := ssml.Walk(resp.Body.OutputSpeech.SSML, func(s string) {
		s = strings.TrimSpace(s)
		if s == "" {
			return
		}
		if strings.Contains(s, "Movement ") {
			movements = append(movements, nil)
		}
		lastText = s
		pendingRep = ""
		if m := repCount.FindStringSubmatch(s); m != nil && len(movements) > 0 {
			pendingRep = m[1]
		}
	}, func(d time.Duration) {
		if pendingRep != "" && d == tempo {
			movements[len(movements)-1] = append(movements[len(movements)-1], pendingRep)
		}
		pendingRep = ""
		_ = lastText
	})
	if err != nil {
		t.Fatal(err)
	}
	return movements
}

func checkSide(t *testing.T, resp alexa.Response, side string, tempo time.Duration) {
	t.Helper()
	got := text(resp)
	if !strings.Contains(got, "Side "+side+":") {
		t.Errorf("speech does not start side %s:\n%s", side, got)
	}
	movements := pacedReps(t, resp, tempo)
	want := []string{"One", "Two", "Three", "Four", "Five"}
	if len(movements) != 3 {
		t.Fatalf("got %d movements, want 3:\n%s", len(movements), got)
	}
	for i, reps := range movements {
		if strings.Join(reps, " ") != strings.Join(want, " ") {
			t.Errorf("movement %d: got paced reps %v at %v, want %v", i+1, reps, tempo, want)
		}
	}
	if resp.Body.ShouldEndSession == nil || *resp.Body.ShouldEndSession {
		t.Errorf("a side must keep the session open")
	}
}

func contains(t *testing.T, resp alexa.Response, wants ...string) {
	t.Helper()
	got := text(resp)
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("speech lacks %q:\n%s", w, got)
		}
	}
}

func lacks(t *testing.T, resp alexa.Response, unwanted ...string) {
	t.Helper()
	got := text(resp)
	for _, w := range unwanted {
		if strings.Contains(got, w) {
			t.Errorf("speech has %q, want it absent:\n%s", w, got)
		}
	}
}

func ends(t *testing.T, resp alexa.Response, want bool) {
	t.Helper()
	got := resp.Body.ShouldEndSession != nil && *resp.Body.ShouldEndSession
	if got != want {
		t.Errorf("shouldEndSession got %v, want %v; speech: %s", got, want, text(resp))
	}
}

func (e *env) countToday(at time.Time) int {
	e.t.Helper()
	y, m, d := at.Date()
	from := time.Date(y, m, d, 0, 0, 0, 0, at.Location())
	n, err := e.store.CountCompletions(context.Background(), skill.UserKey(testUser), from, from.AddDate(0, 0, 1))
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}
