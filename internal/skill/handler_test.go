package skill_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/skill/skilltest"
)

// TestStorageCallsPerTurn holds the skill to its storage budget: at most one call on the
// hot path (launch, next side, the interruptions), two on completion. Waits are from the
// previous request: the sides at 5 s a rep take about three and a half minutes, so a
// shorter wait cuts in while Alexa is counting.
func TestStorageCallsPerTurn(t *testing.T) {
	type turn struct {
		wait          time.Duration
		say           string // an intent, or "launch", or "end:REASON"
		reads, writes int
	}
	cut, after := 100*time.Second, 5*time.Minute
	tests := []struct {
		name  string
		turns []turn
	}{
		{"a first routine", []turn{
			{0, "launch", 1, 1}, // the first-use note is remembered
			{after, skill.IntentNextSide, 0, 0},
			{after, skill.IntentDone, 1, 1}, // the completion, then today's count
		}},
		{"interruptions", []turn{
			{0, "launch", 1, 1},
			{cut, skill.IntentHowManyToday, 1, 0},
			{cut, "AMAZON.HelpIntent", 0, 0},
			{cut, "AMAZON.RepeatIntent", 0, 0},
			{cut, skill.IntentHold, 0, 0},
			{cut, skill.IntentPreview, 0, 0},
			{cut, skill.IntentSlower, 0, 1},
			{cut, "AMAZON.FallbackIntent", 0, 0},
			{cut, "AMAZON.PauseIntent", 0, 1},
		}},
		{"coming back", []turn{
			{0, "launch", 1, 1},
			{after, "end:" + alexa.ReasonExceededMaxReprompts, 0, 1}, // the place is kept
			{time.Hour, "launch", 1, 0},                              // "carry on with side two?"
			{time.Minute, "AMAZON.YesIntent", 0, 0},
			{cut, "AMAZON.StopIntent", 0, 1}, // in the middle: the place is kept
			{time.Hour, "launch", 1, 0},
			{time.Minute, "AMAZON.StartOverIntent", 0, 1}, // the old place is dropped
		}},
		{"pain", []turn{
			{0, "launch", 1, 1},
			{cut, skill.IntentPain, 0, 1},
			{time.Hour, "launch", 1, 0}, // the line about last time, and the slower pace on offer
			{time.Minute, "AMAZON.YesIntent", 0, 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			s := e.session(morning)
			at := morning
			for i, step := range tt.turns {
				at = at.Add(step.wait)
				if step.say == "launch" && i > 0 {
					s = e.session(at)
				}
				s.At = at
				e.store.ResetCalls()
				s.Do(step.say)
				if r, w := e.store.Calls(); r != step.reads || w != step.writes {
					t.Errorf("turn %d (%s): %d reads and %d writes, want %d and %d", i+1, step.say, r, w, step.reads, step.writes)
				}
			}
		})
	}
}

// completeTimes runs n whole routines this morning.
func completeTimes(e *env, n int) {
	for range n {
		s := e.session(morning.Add(-time.Hour))
		s.Launch()
		s.Say(skill.IntentNextSide)
		s.Say(skill.IntentDone)
	}
}

func TestSessionEndedGetsNoSpeech(t *testing.T) {
	for _, reason := range []string{alexa.ReasonUserInitiated, alexa.ReasonExceededMaxReprompts, alexa.ReasonError} {
		t.Run(reason, func(t *testing.T) {
			e := newEnv(t)
			s := e.session(morning)
			s.Launch()
			resp := s.End(reason)
			if resp.Body.OutputSpeech != nil || resp.Body.ShouldEndSession != nil {
				t.Errorf("got %+v, want an empty response", resp.Body)
			}
		})
	}
}

func TestSkillEvents(t *testing.T) {
	e := newEnv(t)
	completeTimes(e, 2)
	other := e.session(morning.Add(-time.Hour))
	other.UserID = "amzn1.ask.account.SOMEONE-ELSE"
	other.Launch()
	other.Say(skill.IntentNextSide)
	other.Say(skill.IntentDone)

	event := func(typ string) alexa.Request {
		return alexa.Request{Version: "1.0",
			Context: alexa.Context{System: alexa.System{Application: alexa.Application{ApplicationID: testSkill}, User: alexa.User{UserID: testUser}}},
			Body:    alexa.RequestBody{Type: typ, RequestID: "event-1", Timestamp: morning}}
	}
	for _, typ := range []string{alexa.SkillEnabledEvent, alexa.SkillDisabledEvent} {
		resp, err := e.h.Handle(skilltest.WithTime(context.Background(), morning), event(typ))
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		checkValid(t, event(typ), resp)
	}
	if _, err := e.store.User(context.Background(), skill.UserKey(testUser)); !errors.Is(err, skill.ErrNotFound) {
		t.Errorf("after SkillDisabled the user is still stored: %v", err)
	}
	if got := e.countToday(morning); got != 0 {
		t.Errorf("after SkillDisabled: %d completions left, want 0", got)
	}
	n, _ := e.store.CountCompletions(context.Background(), skill.UserKey("amzn1.ask.account.SOMEONE-ELSE"), morning.Add(-24*time.Hour), morning.Add(24*time.Hour))
	if n != 1 {
		t.Errorf("another user's completions: got %d, want 1 kept", n)
	}

	e.store.Err = errors.New("table unavailable")
	if _, err := e.h.Handle(skilltest.WithTime(context.Background(), morning), event(alexa.SkillDisabledEvent)); err == nil {
		t.Errorf("SkillDisabled with a failing store: got nil error, want one so Alexa delivers it again")
	}
}

func TestRefusesOtherSkills(t *testing.T) {
	e := newEnv(t)
	s := e.session(morning)
	req := s.Request(alexa.LaunchRequest)
	req.Context.System.Application.ApplicationID = "amzn1.ask.skill.someone-elses"
	req.Session.Application.ApplicationID = "amzn1.ask.skill.someone-elses"
	resp, err := e.h.Handle(skilltest.WithTime(context.Background(), req.Body.Timestamp), req)
	if !errors.Is(err, skill.ErrWrongSkill) {
		t.Errorf("got %v, want ErrWrongSkill", err)
	}
	if resp.Body.OutputSpeech != nil {
		t.Errorf("refused request got speech")
	}
	if r, w := e.store.Calls(); r+w != 0 {
		t.Errorf("refused request touched the store: %d reads, %d writes", r, w)
	}

	unset := &skill.Handler{Store: e.store}
	if _, err := unset.Handle(context.Background(), e.session(morning).Request(alexa.LaunchRequest)); !errors.Is(err, skill.ErrWrongSkill) {
		t.Errorf("handler without a skill ID: got %v, want ErrWrongSkill", err)
	}
}

func TestMalformedRequests(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*alexa.Request)
		wantErr error  // nil means a spoken or empty answer
		speaks  string // a fragment of the speech, when it speaks
	}{
		{"no session", func(r *alexa.Request) { r.Session = nil }, skill.ErrBadRequest, ""},
		{"no user", func(r *alexa.Request) { r.Context.System.User.UserID = ""; r.Session.User.UserID = "" }, skill.ErrBadRequest, ""},
		{"intent request without intent", func(r *alexa.Request) { r.Body.Type = alexa.IntentRequest }, skill.ErrBadRequest, ""},
		{"no timestamp", func(r *alexa.Request) { r.Body.Timestamp = time.Time{} }, skill.ErrBadRequest, ""},
		{"no request type", func(r *alexa.Request) { r.Body.Type = "" }, nil, ""},
		{"unknown request type", func(r *alexa.Request) { r.Body.Type = "Display.ElementSelected" }, nil, ""},
		{"application ID only in session", func(r *alexa.Request) { r.Context.System.Application.ApplicationID = "" }, nil, "Side one"},
		{"attributes of the wrong shape", func(r *alexa.Request) {
			r.Session.New = false
			r.Session.Attributes = map[string]json.RawMessage{"state": json.RawMessage(`"side two"`)}
			r.Body.Type = alexa.IntentRequest
			r.Body.Intent = &alexa.Intent{Name: skill.IntentNextSide}
		}, nil, "Side one"},
		{"attributes out of range", func(r *alexa.Request) {
			r.Session.New = false
			r.Session.Attributes = map[string]json.RawMessage{"state": json.RawMessage(`{"phase":"side-seven","kept":7,"tempo":900}`)}
			r.Body.Type = alexa.IntentRequest
			r.Body.Intent = &alexa.Intent{Name: skill.IntentNextSide}
		}, nil, "Side one"},
		{"oversized attributes are not echoed", func(r *alexa.Request) {
			r.Session.New = false
			r.Session.Attributes = map[string]json.RawMessage{"state": json.RawMessage(`{"phase":"side-one","loaded":true,"run":"` + strings.Repeat("r", 200000) + `","zone":"` + strings.Repeat("z", 200000) + `"}`)}
			r.Body.Type = alexa.IntentRequest
			r.Body.Intent = &alexa.Intent{Name: "AMAZON.RepeatIntent"}
		}, nil, "Side one"},
		{"slot with markup", func(r *alexa.Request) {
			r.Body.Type = alexa.IntentRequest
			r.Body.Intent = &alexa.Intent{Name: skill.IntentHowManyToday, Slots: map[string]alexa.Slot{"x": {Name: "x", Value: `<speak>&"</speak>`}}}
		}, nil, "haven't done"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			req := e.session(morning).Request(alexa.LaunchRequest)
			tt.change(&req)
			resp, err := e.h.Handle(skilltest.WithTime(context.Background(), req.Body.Timestamp), req)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if resp.Body.OutputSpeech != nil {
					t.Errorf("an error came with speech")
				}
				if r, w := e.store.Calls(); w != 0 {
					t.Errorf("a refused request wrote %d times (read %d)", w, r)
				}
				return
			}
			checkValid(t, req, resp)
			if tt.speaks == "" && resp.Body.OutputSpeech != nil {
				t.Errorf("got speech %q, want an empty response", text(resp))
			}
			if tt.speaks != "" {
				contains(t, resp, tt.speaks)
			}
		})
	}
}

func TestStorageFailureStillSpeaks(t *testing.T) {
	e := newEnv(t)
	s := e.session(morning)
	e.store.Err = errors.New("table unavailable")

	resp := s.Launch() // cannot know the user: treat them as new, note and all
	contains(t, resp, "a word on safety")
	checkSide(t, resp, "one", skill.DefaultTempo)
	s.Say(skill.IntentNextSide)
	resp = s.Say(skill.IntentDone)
	contains(t, resp, "Well done", "couldn't save this one", "shall I remind you")
	ends(t, s.Say("AMAZON.NoIntent"), true)

	var unsaved map[string]any
	for _, line := range strings.Split(strings.TrimSpace(e.logs.String()), "\n") {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatalf("log line is not JSON: %s", line)
		}
		if entry["msg"] == "unsaved completion" {
			unsaved = entry
		}
	}
	if unsaved == nil {
		t.Fatalf("no unsaved completion logged:\n%s", e.logs)
	}
	for _, field := range []string{"user", "id", "at", "day", "zone", "session", "tempo_s"} {
		if unsaved[field] == nil || unsaved[field] == "" {
			t.Errorf("unsaved completion line lacks %q: %v", field, unsaved)
		}
	}
	if unsaved["user"] != skill.UserKey(testUser) {
		t.Errorf("unsaved completion user: got %v, want the user's key", unsaved["user"])
	}

	resp = e.session(morning).Say(skill.IntentHowManyToday)
	contains(t, resp, "can't reach your exercise log")
	ends(t, resp, true)

	s = e.session(morning)
	s.Launch()
	resp = s.Say("AMAZON.PauseIntent")
	contains(t, resp, "couldn't save your place")
}

func TestLogLines(t *testing.T) {
	e := newEnv(t)
	s := e.session(morning)
	s.Launch()
	s.Say(skill.IntentNextSide)
	s.Say(skill.IntentHowManyToday)
	e.h.Handle(context.Background(), alexa.Request{Body: alexa.RequestBody{Type: alexa.LaunchRequest}})

	lines := strings.Split(strings.TrimSpace(e.logs.String()), "\n")
	var requests []map[string]any
	for _, line := range lines {
		if strings.Contains(line, testUser) || strings.Contains(line, "PERSON-ONE") {
			t.Errorf("log line holds the raw user ID: %s", line)
		}
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatalf("log line is not JSON: %s", line)
		}
		if entry["msg"] == "request" {
			requests = append(requests, entry)
		}
	}
	if len(requests) != 4 {
		t.Fatalf("got %d request lines, want 4:\n%s", len(requests), e.logs)
	}
	want := []struct{ typ, intent, outcome string }{
		{alexa.LaunchRequest, "", "ok"},
		{alexa.IntentRequest, skill.IntentNextSide, "ok"},
		{alexa.IntentRequest, skill.IntentHowManyToday, "ok"},
		{alexa.LaunchRequest, "", "refused"},
	}
	for i, w := range want {
		r := requests[i]
		if r["type"] != w.typ || r["intent"] != w.intent || r["outcome"] != w.outcome {
			t.Errorf("line %d: got type %v intent %v outcome %v, want %s %s %s", i+1, r["type"], r["intent"], r["outcome"], w.typ, w.intent, w.outcome)
		}
		if _, ok := r["latency_ms"].(float64); !ok {
			t.Errorf("line %d has no latency_ms: %v", i+1, r)
		}
	}
	if requests[0]["user"] != skill.UserKey(testUser) {
		t.Errorf("user field: got %v, want the hashed key", requests[0]["user"])
	}
}

func TestEveryIntentAnswers(t *testing.T) {
	// Every intent, in every place of the conversation, gets a valid answer.
	places := map[string]func(*skilltest.Session){
		"new session":  func(*skilltest.Session) {},
		"after launch": func(s *skilltest.Session) { s.Launch() },
		"on side two":  func(s *skilltest.Session) { s.Launch(); s.Say(skill.IntentNextSide) },
		"resume offer": func(s *skilltest.Session) { s.Launch() }, // with a paused place stored first
		"start offer":  func(s *skilltest.Session) { s.Say("AMAZON.HelpIntent") },
	}
	for place, setup := range places {
		for _, intent := range append(skill.Intents(), "NoSuchIntent") {
			t.Run(place+"/"+intent, func(t *testing.T) {
				e := newEnv(t)
				if place == "resume offer" {
					e.store.SavePlace(context.Background(), skill.UserKey(testUser), skill.Place{Side: 2, Expires: morning.Add(time.Hour)})
				}
				s := e.session(morning)
				setup(s)
				resp := s.Say(intent)
				if text(resp) == "" {
					t.Errorf("no speech")
				}
			})
		}
	}
}

// TestUnknownLocaleSpeaksEnglish: a request in a locale without a catalog is answered in
// the default locale's words, and the log line says so.
func TestUnknownLocaleSpeaksEnglish(t *testing.T) {
	e := newEnv(t)
	req := e.session(morning).Request(alexa.LaunchRequest)
	req.Body.Locale = "de-DE"
	resp, err := e.h.Handle(skilltest.WithTime(context.Background(), req.Body.Timestamp), req)
	if err != nil {
		t.Fatal(err)
	}
	contains(t, resp, "Welcome to the spine opener")
	if line := e.logs.String(); !strings.Contains(line, `"locale":"de-DE"`) || !strings.Contains(line, `"spoken_in":"en-US"`) {
		t.Errorf("log line does not name the fallback: %s", line)
	}
	e.logs.Reset()
	e.session(morning).Launch()
	if strings.Contains(e.logs.String(), "spoken_in") {
		t.Errorf("an en-US request logged a fallback: %s", e.logs.String())
	}
}

// TestSkewedTimestampsDecideNothing: requests stamped a year away from the function's clock
// are answered and logged as skewed, but the clock decides the day of the completion and
// the expiry of a place.
func TestSkewedTimestampsDecideNothing(t *testing.T) {
	for _, skew := range []time.Duration{365 * 24 * time.Hour, -365 * 24 * time.Hour, 10 * time.Minute, 100 * time.Second} {
		t.Run(skew.String(), func(t *testing.T) {
			e := newEnv(t)
			s := e.session(morning.Add(skew))
			s.Handle = func(ctx context.Context, req alexa.Request) (alexa.Response, error) {
				return e.h.Handle(skilltest.WithTime(ctx, req.Body.Timestamp.Add(-skew)), req)
			}
			s.Launch()
			s.Say(skill.IntentNextSide)
			contains(t, s.Say(skill.IntentDone), "once today")
			if got := e.countToday(morning); got != 1 {
				t.Errorf("completions on the clock's day: %d, want 1", got)
			}
			s = e.session(morning.Add(skew).Add(time.Hour))
			s.Handle = func(ctx context.Context, req alexa.Request) (alexa.Response, error) {
				return e.h.Handle(skilltest.WithTime(ctx, req.Body.Timestamp.Add(-skew)), req)
			}
			s.Launch()
			s.Say("AMAZON.PauseIntent")
			u, err := e.store.User(context.Background(), skill.UserKey(testUser))
			if err != nil || u.Paused == nil {
				t.Fatalf("no place kept: %v", err)
			}
			pausedAt := morning.Add(time.Hour + 2*time.Minute)
			if want := pausedAt.Add(skill.PlaceLifetime); !u.Paused.Expires.Equal(want) {
				t.Errorf("place expires %v, want %v: a day after the clock's time", u.Paused.Expires, want)
			}
			want := 5
			if skew >= -skill.MaxSkew && skew <= skill.MaxSkew {
				want = 0 // within Alexa's own tolerance
			}
			if n := strings.Count(e.logs.String(), `"skew_s":`); n != want {
				t.Errorf("%d request lines name the skew, want %d:\n%s", n, want, e.logs.String())
			}
		})
	}
}

// racingStore is a store on which, just before the first completion is written, another
// device's completion of the same user lands.
type racingStore struct {
	*skilltest.Store
	raced bool
}

func (s *racingStore) Complete(ctx context.Context, key string, c skill.Completion, p skill.Preferences, h skill.History) (bool, error) {
	if !s.raced {
		s.raced = true
		u, _ := s.Store.User(ctx, key)
		other := skill.Completion{ID: "other-device", At: c.At, Day: c.Day, Zone: c.Zone}
		if _, err := s.Store.Complete(ctx, key, other, p, u.History.With(other)); err != nil {
			return false, err
		}
	}
	return s.Store.Complete(ctx, key, c, p, h)
}

// TestTwoDevicesFinishAtOnce: when another device's routine lands between reading the
// history and writing it, the skill reads it again, and both count.
func TestTwoDevicesFinishAtOnce(t *testing.T) {
	e := newEnv(t)
	e.h.Store = &racingStore{Store: e.store}
	s := e.session(morning)
	s.Launch()
	s.Say(skill.IntentNextSide)
	contains(t, s.Say(skill.IntentDone), "twice today")
	if got := e.countToday(morning); got != 2 {
		t.Errorf("completions today: %d, want 2", got)
	}
	u, err := e.store.User(context.Background(), skill.UserKey(testUser))
	if err != nil || u.History.Total != 2 || u.History.On(morning.Format(time.DateOnly)) != 2 {
		t.Errorf("history after the race: %+v, %v; want both routines", u.History, err)
	}
}

// TestCanFulfill answers Alexa's question before a request said without the skill's name:
// silently, with no store call, and YES only for what the skill does from a cold start.
func TestCanFulfill(t *testing.T) {
	slot := func(value, id string) map[string]alexa.Slot {
		s := alexa.Slot{Name: skill.SlotMovement, Value: value}
		r := alexa.Resolution{Status: alexa.ResolutionStatus{Code: "ER_SUCCESS_NO_MATCH"}}
		if id != "" {
			var v alexa.ResolvedValue
			v.Value.ID = id
			r = alexa.Resolution{Status: alexa.ResolutionStatus{Code: alexa.ResolutionMatch}, Values: []alexa.ResolvedValue{v}}
		}
		s.Resolutions = &alexa.Resolutions{ResolutionsPerAuthority: []alexa.Resolution{r}}
		return map[string]alexa.Slot{skill.SlotMovement: s}
	}
	tests := []struct {
		intent    string
		slots     map[string]alexa.Slot
		want      string
		wantSlots map[string]alexa.CanFulfillSlot
	}{
		{skill.IntentHowManyToday, nil, alexa.Yes, nil},
		{skill.IntentStart, nil, alexa.Yes, nil},
		{skill.IntentNextSide, nil, alexa.Yes, nil},
		{skill.IntentWeek, nil, alexa.Yes, nil},
		{skill.IntentStreak, nil, alexa.Yes, nil},
		{skill.IntentTip, nil, alexa.Yes, nil},
		{skill.IntentMoveQuestion, slot("thread the needle", "needle"), alexa.Yes,
			map[string]alexa.CanFulfillSlot{skill.SlotMovement: {CanUnderstand: alexa.Yes, CanFulfill: alexa.Yes}}},
		{skill.IntentMoveQuestion, slot("the cartwheel", ""), alexa.No,
			map[string]alexa.CanFulfillSlot{skill.SlotMovement: {CanUnderstand: alexa.No, CanFulfill: alexa.No}}},
		{skill.IntentSlower, nil, alexa.No, nil},
		{skill.IntentPain, nil, alexa.No, nil},
		{"AMAZON.StopIntent", nil, alexa.No, nil},
		{"AMAZON.ResumeIntent", nil, alexa.No, nil},
		{"OrderPizzaIntent", nil, alexa.No, nil},
		{skill.IntentHowManyToday, map[string]alexa.Slot{"city": {Name: "city", Value: "Boston"}}, alexa.No,
			map[string]alexa.CanFulfillSlot{"city": {CanUnderstand: alexa.No, CanFulfill: alexa.No}}},
	}
	for _, tt := range tests {
		t.Run(tt.intent, func(t *testing.T) {
			e := newEnv(t)
			req := e.session(morning).Request(alexa.CanFulfillIntentRequest)
			req.Body.Intent = &alexa.Intent{Name: tt.intent, Slots: tt.slots}
			req.Context.System.User.UserID, req.Session.User.UserID = "", "" // Alexa may send none
			resp, err := e.h.Handle(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			got := resp.Body.CanFulfillIntent
			if got == nil || got.CanFulfill != tt.want || !reflect.DeepEqual(got.Slots, tt.wantSlots) {
				t.Errorf("got %+v, want %s %+v", got, tt.want, tt.wantSlots)
			}
			b := resp.Body
			if b.OutputSpeech != nil || b.Reprompt != nil || b.Card != nil || b.Directives != nil || b.ShouldEndSession != nil || resp.SessionAttributes != nil {
				t.Errorf("the answer must hold canFulfillIntent only: %+v", b)
			}
			if r, w := e.store.Calls(); r+w != 0 || e.zones.calls != 0 {
				t.Errorf("%d reads, %d writes, %d time zone lookups; want none", r, w, e.zones.calls)
			}
		})
	}
	// Another skill's request is refused as always.
	e := newEnv(t)
	req := e.session(morning).Request(alexa.CanFulfillIntentRequest)
	req.Body.Intent = &alexa.Intent{Name: skill.IntentHowManyToday}
	req.Context.System.Application.ApplicationID = "amzn1.ask.skill.someone-else"
	if _, err := e.h.Handle(context.Background(), req); !errors.Is(err, skill.ErrWrongSkill) {
		t.Errorf("another skill's CanFulfillIntentRequest: got %v, want ErrWrongSkill", err)
	}
	// A first request that was a CanFulfillIntentRequest leaves the first-use note to come.
	contains(t, e.session(morning).Launch(), "a word on safety")
}

// TestMetricsInLogLines: each request line carries the turn's metrics in CloudWatch's
// embedded metric format, counting what the turn did to a routine, and nothing personal.
func TestMetricsInLogLines(t *testing.T) {
	e := newEnv(t)
	s := e.session(morning)
	s.Launch()
	s.At = s.At.Add(5 * time.Minute)
	s.Say(skill.IntentNextSide)
	s.At = s.At.Add(5 * time.Minute)
	s.Say(skill.IntentDone)
	s.Say("AMAZON.NoIntent")
	s = e.session(morning.Add(time.Hour))
	s.Launch()
	s.Say("AMAZON.PauseIntent")
	s = e.session(morning.Add(2 * time.Hour))
	s.Say(skill.IntentNextSide) // picks the kept place up
	s.Say(skill.IntentPain)
	want := []map[string]float64{
		{"RoutinesStarted": 1},
		{},
		{"RoutinesCompleted": 1},
		{},
		{"RoutinesStarted": 1},
		{"RoutinesStopped": 1},
		{"Resumed": 1},
		{"RoutinesStopped": 1, "StoppedForPain": 1},
	}
	lines := strings.Split(strings.TrimSpace(e.logs.String()), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d log lines, want %d:\n%s", len(lines), len(want), e.logs)
	}
	for i, line := range lines {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatal(err)
		}
		if _, ok := entry["_aws"]; !ok {
			t.Errorf("line %d has no _aws metrics: %s", i+1, line)
		}
		for _, name := range []string{"RoutinesStarted", "RoutinesCompleted", "RoutinesStopped", "StoppedForPain", "Resumed", "Errors"} {
			if got := entry[name]; got != want[i][name] {
				if !(got == 0.0 && want[i][name] == 0) {
					t.Errorf("line %d: %s = %v, want %v", i+1, name, got, want[i][name])
				}
			}
		}
	}
}
