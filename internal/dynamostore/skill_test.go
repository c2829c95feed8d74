package dynamostore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/dynamostore"
	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/skill/skilltest"
)

var morning = time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC)

type world struct {
	t     testing.TB
	store *dynamostore.Store
	rec   *recorder
	api   *skilltest.SettingsAPI
	url   string
	logs  *syncBuffer
	h     *skill.Handler
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newWorld is the production wiring: the DynamoDB store (its client made with optFns
// besides) and the real Settings API client, against DynamoDB Local and a stand-in API.
func newWorld(t testing.TB, optFns ...func(*dynamodb.Options)) *world {
	store, rec := newTable(t, optFns...)
	api := &skilltest.SettingsAPI{}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	w := &world{t: t, store: store, rec: rec, api: api, url: srv.URL, logs: &syncBuffer{}}
	w.h = &skill.Handler{SkillID: skilltest.SkillID, Store: store, Zones: alexa.Settings{Timeout: time.Second}, Clock: skilltest.Clock,
		Log: slog.New(slog.NewJSONHandler(w.logs, nil))}
	return w
}

func (w *world) session(at time.Time) *skilltest.Session {
	s := skilltest.NewSession(w.t, w.h.Handle, at)
	s.APIEndpoint = w.url
	return s
}

func (w *world) routine(at time.Time) alexa.Response {
	s := w.session(at)
	s.Launch()
	s.Say(skill.IntentNextSide)
	return s.Say(skill.IntentDone)
}

func (w *world) howMany(at time.Time) string {
	return skilltest.Speech(w.session(at).Say(skill.IntentHowManyToday))
}

// TestRequestCost counts the DynamoDB calls each kind of request makes.
func TestRequestCost(t *testing.T) {
	w := newWorld(t)
	type cost struct{ reads, writes int }
	check := func(what string, got map[string]int, max cost) {
		t.Helper()
		r, wr := readsWrites(got)
		t.Logf("%-34s %d reads, %d writes %v", what, r, wr, got)
		if r > max.reads || wr > max.writes {
			t.Errorf("%s: %d reads and %d writes (%v), want at most %d and %d", what, r, wr, got, max.reads, max.writes)
		}
	}

	s := w.session(morning)
	s.Launch()
	check("launch, first time", w.rec.reset(), cost{1, 1}) // the note heard is remembered
	s.Say(skill.IntentNextSide)
	check("next side", w.rec.reset(), cost{0, 0})
	skilltest.Contains(t, s.Say(skill.IntentDone), "once today")
	check("completion", w.rec.reset(), cost{1, 1})

	s = w.session(morning.Add(time.Hour))
	s.Launch()
	check("launch, returning", w.rec.reset(), cost{1, 0})
	s.Say(skill.IntentNextSide)
	w.rec.reset()
	s.Say("AMAZON.StopIntent")
	check("stop, during side two", w.rec.reset(), cost{0, 1}) // the place is kept
	s = w.session(morning.Add(90 * time.Minute))
	s.Launch()
	w.rec.reset()
	s.Say("AMAZON.CancelIntent")
	check("cancel, at the offer to carry on", w.rec.reset(), cost{0, 0}) // the place stays kept

	skilltest.Contains(t, w.session(morning.Add(2*time.Hour)).Say(skill.IntentHowManyToday), "once today")
	check("how many today, one-shot", w.rec.reset(), cost{1, 0})

	s = w.session(morning.Add(3 * time.Hour))
	s.Launch()
	w.rec.reset()
	s.Say(skill.IntentSlower)
	check("slower, at the offer", w.rec.reset(), cost{0, 1})
	s.Say("AMAZON.PauseIntent")
	check("pause, at the offer", w.rec.reset(), cost{0, 0})

	s = w.session(morning.Add(4 * time.Hour))
	s.Launch()
	check("launch, kept place", w.rec.reset(), cost{1, 0})
	s.Say("AMAZON.ResumeIntent")
	check("carry on", w.rec.reset(), cost{0, 0})
	s.End(alexa.ReasonExceededMaxReprompts)
	check("silence after side two: it counts", w.rec.reset(), cost{1, 1}) // the history, to write it with the completion

	s = w.session(morning.Add(5 * time.Hour))
	s.Launch()
	w.rec.reset()
	s.Say(skill.IntentHowManyToday) // two minutes in: Alexa is still counting
	check("how many today, cutting in", w.rec.reset(), cost{1, 0})
	s.Say(skill.IntentHold)
	check("hold", w.rec.reset(), cost{0, 0})
	s.Say(skill.IntentPain)
	check("pain", w.rec.reset(), cost{0, 1})
	s = w.session(morning.Add(6 * time.Hour))
	s.Launch()
	check("launch, after pain", w.rec.reset(), cost{1, 0})

	for _, intent := range []string{skill.IntentHowManyToday, skill.IntentStart, skill.IntentWeek, skill.IntentPain, "AMAZON.StopIntent"} {
		req := w.session(morning.Add(7 * time.Hour)).Request(alexa.CanFulfillIntentRequest)
		req.Body.Intent = &alexa.Intent{Name: intent}
		if _, err := w.h.Handle(skilltest.WithTime(context.Background(), req.Body.Timestamp), req); err != nil {
			t.Fatal(err)
		}
		check("CanFulfillIntentRequest "+intent, w.rec.reset(), cost{0, 0})
	}
}

func TestLocalMidnight(t *testing.T) {
	utc := func(day, hour, minute int) time.Time { return time.Date(2026, 11, day, hour, minute, 0, 0, time.UTC) }
	tests := []struct {
		zone   string
		before time.Time // completes just before local midnight
		after  time.Time // and just after
		ask    time.Time // asked later that local day
	}{
		{"Asia/Tokyo", utc(22, 14, 58), utc(22, 15, 2), utc(23, 1, 0)},      // UTC+9
		{"Asia/Kolkata", utc(22, 18, 28), utc(22, 18, 32), utc(23, 3, 0)},   // UTC+5:30
		{"America/New_York", utc(23, 4, 58), utc(23, 5, 2), utc(23, 20, 0)}, // UTC-5
		{"Pacific/Honolulu", utc(23, 9, 58), utc(23, 10, 2), utc(24, 4, 0)}, // UTC-10
		{"UTC", utc(22, 23, 58), utc(23, 0, 2), utc(23, 12, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			w := newWorld(t)
			w.api.Set(tt.zone, "")
			w.routine(tt.before.Add(-4 * time.Minute)) // "done" lands on tt.before
			w.routine(tt.after.Add(-4 * time.Minute))
			if got := w.howMany(tt.ask); !strings.Contains(got, "once today") {
				t.Errorf("asked %s: %s, want once today", tt.ask.In(mustZone(t, tt.zone)), got)
			}
			if got := w.howMany(tt.before.Add(time.Minute)); !strings.Contains(got, "once today") {
				t.Errorf("asked just before midnight: %s, want once today", got)
			}
		})
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestSettingsAPIFaults(t *testing.T) {
	// Completed at 20:00 UTC on the 22nd, which is the 23rd in Tokyo.
	for _, mode := range []string{"error", "hang"} {
		t.Run(mode, func(t *testing.T) {
			w := newWorld(t)
			w.api.Set("Asia/Tokyo", "")
			w.routine(time.Date(2026, 11, 22, 19, 56, 0, 0, time.UTC))
			w.api.Set("Asia/Tokyo", mode)
			start := time.Now()
			got := w.howMany(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC))
			t.Logf("answered in %v with the API %s", time.Since(start).Round(time.Millisecond), mode)
			if !strings.Contains(got, "once today") {
				t.Errorf("with the API failing: %s; want once today, by the zone stored for the user", got)
			}
		})
	}
	t.Run("asked once per session", func(t *testing.T) {
		w := newWorld(t)
		s := w.session(morning)
		s.Launch()
		s.Say(skill.IntentHowManyToday)
		s.Say(skill.IntentNextSide)
		s.Say(skill.IntentHowManyToday)
		s.Say(skill.IntentDone)
		if w.api.Calls() != 1 {
			t.Errorf("Settings API called %d times in a session, want 1", w.api.Calls())
		}
	})
}

func TestThrottling(t *testing.T) {
	t.Run("a few throttled calls lose nothing", func(t *testing.T) {
		w := newWorld(t)
		s := w.session(morning)
		s.Launch()
		s.Say(skill.IntentNextSide)
		w.rec.failNext(3, http.StatusBadRequest)
		skilltest.Contains(t, s.Say(skill.IntentDone), "Well done", "once today")
		w.rec.failNext(2, http.StatusInternalServerError)
		if got := w.howMany(morning.Add(time.Hour)); !strings.Contains(got, "once today") {
			t.Errorf("after 5xx: %s, want once today", got)
		}
	})
	t.Run("throttled throughout still speaks", func(t *testing.T) {
		w := newWorld(t)
		s := w.session(morning)
		s.Launch()
		s.Say(skill.IntentNextSide)
		w.rec.failNext(-1, http.StatusBadRequest)
		start := time.Now()
		resp := s.Say(skill.IntentDone)
		t.Logf("answered in %v while throttled throughout", time.Since(start).Round(time.Millisecond))
		skilltest.Contains(t, resp, "Well done", "couldn't save this one")
		skilltest.Contains(t, w.session(morning).Say(skill.IntentHowManyToday), "can't reach your exercise log")

		var replay map[string]any
		for _, line := range strings.Split(strings.TrimSpace(w.logs.String()), "\n") {
			var entry map[string]any
			if json.Unmarshal([]byte(line), &entry) == nil && entry["msg"] == "unsaved completion" {
				replay = entry
			}
		}
		if replay == nil {
			t.Fatalf("no unsaved completion line in the log:\n%s", w.logs)
		}
		// Replaying the line records the completion exactly once.
		w.rec.failNext(0, 0)
		at, _ := time.Parse(time.RFC3339, replay["at"].(string))
		c := skill.Completion{ID: replay["id"].(string), At: at, Day: replay["day"].(string), Zone: replay["zone"].(string), SessionID: replay["session"].(string)}
		if _, err := complete(context.Background(), w.store, replay["user"].(string), c, skill.Preferences{NoteHeard: true}); err != nil {
			t.Fatal(err)
		}
		if got := w.howMany(morning.Add(time.Hour)); !strings.Contains(got, "once today") {
			t.Errorf("after replaying the log line: %s, want once today", got)
		}
	})
}

func TestConcurrentUsers(t *testing.T) {
	w := newWorld(t)
	const users, devices = 25, 2 // 50 completions at once; each user on two devices
	for _, resp := range skilltest.Crowd(t, users*devices, func(i int) *skilltest.Session {
		s := w.session(morning)
		s.UserID = fmt.Sprintf("amzn1.ask.account.USER-%d", i%users)
		return s
	}) {
		skilltest.Contains(t, resp, "Well done")
	}
	total := 0
	for u := range users {
		s := w.session(morning.Add(time.Hour))
		s.UserID = fmt.Sprintf("amzn1.ask.account.USER-%d", u)
		got := skilltest.Speech(s.Say(skill.IntentHowManyToday))
		if !strings.Contains(got, "twice today") {
			t.Errorf("user %d: %s, want twice today", u, got)
		}
		total += strings.Count(got, "twice")
	}
	if total != users {
		t.Errorf("%d of %d users have both completions", total, users)
	}
}

func TestSkillDisabledDeletesOnlyThatUser(t *testing.T) {
	w := newWorld(t)
	w.store.PageSize = 5
	for i := range 12 {
		w.routine(morning.Add(time.Duration(i) * 10 * time.Minute))
	}
	s := w.session(morning.Add(3 * time.Hour))
	s.Launch()
	s.Say("AMAZON.PauseIntent") // a place, too
	other := w.session(morning)
	other.UserID = "amzn1.ask.account.SOMEONE-ELSE"
	other.Launch()
	other.Say(skill.IntentNextSide)
	other.Say(skill.IntentDone)

	event := alexa.Request{Version: "1.0",
		Context: alexa.Context{System: alexa.System{Application: alexa.Application{ApplicationID: skilltest.SkillID}, User: alexa.User{UserID: skilltest.UserID}}},
		Body:    alexa.RequestBody{Type: alexa.SkillDisabledEvent, RequestID: "event", Timestamp: morning.Add(5 * time.Hour)}}
	resp, err := w.h.Handle(skilltest.WithTime(context.Background(), morning), event)
	if err != nil {
		t.Fatal(err)
	}
	skilltest.CheckResponse(t, event, resp)

	if _, err := w.store.User(context.Background(), skill.UserKey(skilltest.UserID)); !errors.Is(err, skill.ErrNotFound) {
		t.Errorf("disabled user still stored: %v", err)
	}
	if got := w.howMany(morning.Add(6 * time.Hour)); !strings.Contains(got, "haven't done") {
		t.Errorf("disabled user's count: %s", got)
	}
	s = w.session(morning.Add(6 * time.Hour))
	s.UserID = other.UserID
	if got := skilltest.Speech(s.Say(skill.IntentHowManyToday)); !strings.Contains(got, "once today") {
		t.Errorf("other user's count: %s, want once today", got)
	}
}
