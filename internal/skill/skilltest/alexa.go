package skilltest

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/ssml"
)

// Identities used by tests.
const (
	SkillID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
	UserID  = "amzn1.ask.account.PERSON-ONE"
)

// HandlerFunc answers a request the way skill.Handler.Handle does.
type HandlerFunc func(context.Context, alexa.Request) (alexa.Response, error)

// Session plays Alexa's part in one session: it builds requests, carries the session
// attributes from each response to the next request, and fails the test on any response
// Alexa would refuse. Requests are two minutes apart, starting at At.
type Session struct {
	T           testing.TB
	Handle      HandlerFunc
	ID          string
	UserID      string
	At          time.Time
	APIEndpoint string // the Alexa API endpoint requests name; a stand-in server in tests
	Attrs       map[string]json.RawMessage
	Ended       bool
	n           int
}

var sessions atomic.Int64

// NewSession starts a session for UserID at the given time.
func NewSession(t testing.TB, handle HandlerFunc, at time.Time) *Session {
	return &Session{T: t, Handle: handle, ID: fmt.Sprintf("amzn1.echo-api.session.%d", sessions.Add(1)), UserID: UserID, At: at,
		APIEndpoint: "https://api.example.invalid"}
}

// Request builds the session's next request of the given type.
func (s *Session) Request(typ string) alexa.Request {
	s.n++
	req := alexa.Request{
		Version: "1.0",
		Session: &alexa.Session{
			New: s.n == 1, SessionID: s.ID, Application: alexa.Application{ApplicationID: SkillID},
			Attributes: s.Attrs, User: alexa.User{UserID: s.UserID},
		},
		Context: alexa.Context{System: alexa.System{
			Application: alexa.Application{ApplicationID: SkillID},
			User:        alexa.User{UserID: s.UserID},
			Device:      alexa.Device{DeviceID: "device-" + s.UserID},
			APIEndpoint: s.APIEndpoint, APIAccessToken: "token",
		}},
		Body: alexa.RequestBody{Type: typ, RequestID: fmt.Sprintf("%s.request.%d", s.ID, s.n), Timestamp: s.At, Locale: "en-US"},
	}
	s.At = s.At.Add(2 * time.Minute)
	return req
}

// Send delivers req and checks the response, ending the test on an error.
func (s *Session) Send(req alexa.Request) alexa.Response {
	s.T.Helper()
	resp, err := s.Try(req)
	if err != nil {
		s.T.Fatal(err)
	}
	return resp
}

// Try delivers req and checks the response like Send, but returns an error instead of
// ending the test, so it is safe in goroutines the test starts.
func (s *Session) Try(req alexa.Request) (alexa.Response, error) {
	s.T.Helper()
	if s.Ended {
		return alexa.Response{}, fmt.Errorf("request %s sent after the session ended", req.Body.Type)
	}
	resp, err := s.Handle(WithTime(context.Background(), req.Body.Timestamp), req)
	if err != nil {
		return alexa.Response{}, fmt.Errorf("%s %s: %w", req.Body.Type, req.IntentName(), err)
	}
	CheckResponse(s.T, req, resp)
	s.Attrs = resp.SessionAttributes
	s.Ended = req.Body.Type == alexa.SessionEndedRequest || resp.Body.ShouldEndSession == nil || *resp.Body.ShouldEndSession
	return resp, nil
}

// Routine does a whole routine in the session, launch to done, and returns the last
// answer. It is safe in goroutines the test starts.
func (s *Session) Routine() (alexa.Response, error) {
	var resp alexa.Response
	for _, req := range []func() alexa.Request{
		func() alexa.Request { return s.Request(alexa.LaunchRequest) },
		func() alexa.Request { return s.IntentRequest(skill.IntentNextSide) },
		func() alexa.Request { return s.IntentRequest(skill.IntentDone) },
	} {
		var err error
		if resp, err = s.Try(req()); err != nil {
			return resp, err
		}
	}
	return resp, nil
}

// Launch sends a LaunchRequest.
func (s *Session) Launch() alexa.Response {
	s.T.Helper()
	return s.Send(s.Request(alexa.LaunchRequest))
}

// Say sends an IntentRequest for intent.
func (s *Session) Say(intent string) alexa.Response {
	s.T.Helper()
	return s.Send(s.IntentRequest(intent))
}

// IntentRequest builds the session's next IntentRequest without sending it.
func (s *Session) IntentRequest(intent string) alexa.Request {
	req := s.Request(alexa.IntentRequest)
	req.Body.Intent = &alexa.Intent{Name: intent, ConfirmationStatus: "NONE"}
	return req
}

// Do sends what a step of a scripted conversation names: "launch", "end:REASON" (a
// SessionEndedRequest), "event:TYPE" (a skill event, which has no session), or an intent.
func (s *Session) Do(step string) alexa.Response {
	s.T.Helper()
	switch {
	case step == "launch":
		return s.Launch()
	case strings.HasPrefix(step, "end:"):
		return s.End(strings.TrimPrefix(step, "end:"))
	case strings.HasPrefix(step, "event:"):
		req := s.Request(strings.TrimPrefix(step, "event:"))
		req.Session = nil
		return s.Send(req)
	}
	return s.Say(step)
}

// End sends a SessionEndedRequest.
func (s *Session) End(reason string) alexa.Response {
	s.T.Helper()
	req := s.Request(alexa.SessionEndedRequest)
	req.Body.Reason = reason
	return s.Send(req)
}

// CheckResponse fails the test if Alexa would refuse resp as the answer to req.
func CheckResponse(t testing.TB, req alexa.Request, resp alexa.Response) {
	t.Helper()
	if resp.Version != "1.0" {
		t.Errorf("response version %q, want 1.0", resp.Version)
	}
	raw, err := json.Marshal(resp)
	if err != nil {
		t.Errorf("response does not encode: %v", err)
		return
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
	if strings.Contains(string(raw), `"type":"`+alexa.DirectiveSendRequest+`"`) {
		// Alexa takes the turn to ask for a permission: checked as Amazon documents it.
		if _, _, err := PermissionRequest(resp); err != nil {
			t.Errorf("%s %s: %v: %s", req.Body.Type, req.IntentName(), err, raw)
		}
		return
	}
	if b.OutputSpeech == nil || b.ShouldEndSession == nil {
		t.Errorf("%s %s: no speech or no shouldEndSession: %s", req.Body.Type, req.IntentName(), raw)
		return
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

// Speech is the response's speech with markup removed and each pause a space.
func Speech(resp alexa.Response) string {
	if resp.Body.OutputSpeech == nil {
		return ""
	}
	var b strings.Builder
	ssml.Walk(resp.Body.OutputSpeech.SSML, func(s string) { b.WriteString(s) }, func(time.Duration) { b.WriteString(" ") })
	return b.String()
}

var repCount = regexp.MustCompile(`^(One|Two|Three|Four|Five)\. `)

// PacedReps reads a side's speech and returns, per movement, the reps it counts: each a
// spoken count and cue followed directly by a pause of exactly tempo.
func PacedReps(t testing.TB, resp alexa.Response, tempo time.Duration) [][]string {
	t.Helper()
	var movements [][]string
	var pendingRep string
	err := ssml.Walk(resp.Body.OutputSpeech.SSML, func(s string) {
		s = strings.TrimSpace(s)
		if s == "" {
			return
		}
		if strings.Contains(s, "Movement ") {
			movements = append(movements, nil)
		}
		pendingRep = ""
		if m := repCount.FindStringSubmatch(s); m != nil && len(movements) > 0 {
			pendingRep = m[1]
		}
	}, func(d time.Duration) {
		if pendingRep != "" && d == tempo {
			movements[len(movements)-1] = append(movements[len(movements)-1], pendingRep)
		}
		pendingRep = ""
	})
	if err != nil {
		t.Fatal(err)
	}
	return movements
}

// CheckSide fails the test unless resp speaks the whole of the side ("one" or "two"):
// three movements of five reps, each paced by a pause of tempo, with the session kept open.
func CheckSide(t testing.TB, resp alexa.Response, side string, tempo time.Duration) {
	t.Helper()
	got := Speech(resp)
	if !strings.Contains(got, "Side "+side+":") {
		t.Errorf("speech does not start side %s:\n%s", side, got)
	}
	movements := PacedReps(t, resp, tempo)
	want := "One Two Three Four Five"
	if len(movements) != 3 {
		t.Fatalf("got %d movements, want 3:\n%s", len(movements), got)
	}
	for i, reps := range movements {
		if strings.Join(reps, " ") != want {
			t.Errorf("movement %d: got paced reps %v at %v, want %s", i+1, reps, tempo, want)
		}
	}
	if resp.Body.ShouldEndSession == nil || *resp.Body.ShouldEndSession {
		t.Errorf("a side must keep the session open")
	}
}

// Contains fails the test unless the speech holds every fragment.
func Contains(t testing.TB, resp alexa.Response, fragments ...string) {
	t.Helper()
	got := Speech(resp)
	for _, w := range fragments {
		if !strings.Contains(got, w) {
			t.Errorf("speech lacks %q:\n%s", w, got)
		}
	}
}

// Lacks fails the test if the speech holds any of the fragments.
func Lacks(t testing.TB, resp alexa.Response, fragments ...string) {
	t.Helper()
	got := Speech(resp)
	for _, w := range fragments {
		if strings.Contains(got, w) {
			t.Errorf("speech has %q, want it absent:\n%s", w, got)
		}
	}
}

// Ends fails the test unless resp ends the session (want true) or keeps it open.
func Ends(t testing.TB, resp alexa.Response, want bool) {
	t.Helper()
	got := resp.Body.ShouldEndSession != nil && *resp.Body.ShouldEndSession
	if got != want {
		t.Errorf("shouldEndSession got %v, want %v; speech: %s", got, want, Speech(resp))
	}
}

// Crowd runs a whole routine for n sessions at once, each made by newSession(i), and
// returns each one's last answer. A routine that gets no answer is reported on t and leaves
// a zero Response.
func Crowd(t testing.TB, n int, newSession func(i int) *Session) []alexa.Response {
	answers := make([]alexa.Response, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := newSession(i).Routine()
			if err != nil {
				t.Errorf("session %d: %v", i, err)
				return
			}
			answers[i] = resp
		}()
	}
	wg.Wait()
	return answers
}

type timeKey struct{}

// WithTime is ctx carrying the platform's clock for one request: Session sends each request
// with its own timestamp, as Alexa and Lambda would agree on the time.
func WithTime(ctx context.Context, at time.Time) context.Context {
	return context.WithValue(ctx, timeKey{}, at)
}

// Clock is a skill.Handler's Clock for tests: the time WithTime put in ctx, else time.Now.
func Clock(ctx context.Context) time.Time {
	if at, ok := ctx.Value(timeKey{}).(time.Time); ok && !at.IsZero() {
		return at
	}
	return time.Now()
}
