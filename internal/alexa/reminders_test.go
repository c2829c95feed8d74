package alexa

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// dailyAtEight is the reminder of the fixtures: asked for at 12:01 in Los Angeles, every
// day at eight in the evening.
func dailyAtEight(t *testing.T) Reminder {
	return Reminder{
		Hour: 20, Zone: mustZone(t, "America/Los_Angeles"), Daily: true,
		Locale: "en-US", Text: "Time for your spine opener.",
		RequestTime: time.Date(2026, 11, 24, 20, 1, 0, 672e6, time.UTC),
	}
}

func TestReminderBodyGolden(t *testing.T) {
	tests := []struct {
		file string
		r    func(*testing.T) Reminder
	}{
		{"reminder-request-daily.json", dailyAtEight},
		// Once, at 7:30, asked for after 7:30 in London: tomorrow, with a phone notification.
		{"reminder-request-once.json", func(t *testing.T) Reminder {
			return Reminder{
				Hour: 7, Minute: 30, Zone: mustZone(t, "Europe/London"),
				Locale: "en-GB", Text: "Time for your spine opener.", Push: true,
				RequestTime: time.Date(2026, 12, 31, 9, 15, 0, 0, time.UTC),
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body, err := tt.r(t).Body()
			if err != nil {
				t.Fatal(err)
			}
			raw, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.file, raw)
			if !*update {
				roundTrip(t, tt.file, &ReminderRequest{})
			}
		})
	}
}

func TestReminderBodyFirstRing(t *testing.T) {
	la := mustZone(t, "America/Los_Angeles")
	tests := []struct {
		name          string
		hour, minute  int
		asked         time.Time
		wantScheduled string
	}{
		{"later today", 20, 0, time.Date(2026, 11, 24, 12, 1, 0, 0, la), "2026-11-24T20:00:00.000"},
		{"exactly now rings tomorrow", 12, 1, time.Date(2026, 11, 24, 12, 1, 0, 0, la), "2026-11-25T12:01:00.000"},
		{"passed today", 8, 0, time.Date(2026, 11, 24, 12, 1, 0, 0, la), "2026-11-25T08:00:00.000"},
		{"across the month", 8, 0, time.Date(2026, 11, 30, 9, 0, 0, 0, la), "2026-12-01T08:00:00.000"},
		{"across the year", 7, 0, time.Date(2026, 12, 31, 23, 59, 0, 0, la), "2027-01-01T07:00:00.000"},
		// On the morning clocks go back, 8:00 comes once and is the first ring.
		{"fall back day", 8, 0, time.Date(2026, 11, 1, 0, 30, 0, 0, la), "2026-11-01T08:00:00.000"},
		// In the zone, not in UTC: 03:00 UTC on the 25th is still the 24th in Los Angeles.
		{"zone's own day", 20, 0, time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC), "2026-11-24T20:00:00.000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, err := Reminder{Hour: tt.hour, Minute: tt.minute, Zone: la, Daily: true, Locale: "en-US", Text: "x", RequestTime: tt.asked}.Body()
			if err != nil {
				t.Fatal(err)
			}
			if got := body.Trigger.ScheduledTime; got != tt.wantScheduled {
				t.Errorf("scheduledTime got %s, want %s", got, tt.wantScheduled)
			}
			if got := body.Trigger.Recurrence.StartDateTime; got != tt.wantScheduled {
				t.Errorf("startDateTime got %s, want %s", got, tt.wantScheduled)
			}
			if got, want := body.Trigger.Recurrence.RecurrenceRules, []string{DailyRule(tt.hour, tt.minute)}; len(got) != 1 || got[0] != want[0] {
				t.Errorf("rules got %q, want %q", got, want)
			}
			if got, want := body.RequestTime, tt.asked.In(la).Format(ReminderTimeLayout); got != want {
				t.Errorf("requestTime got %s, want %s", got, want)
			}
		})
	}
}

func TestReminderBodyInvalid(t *testing.T) {
	ok := dailyAtEight(t)
	tests := []struct {
		name   string
		change func(*Reminder)
	}{
		{"hour", func(r *Reminder) { r.Hour = 24 }},
		{"negative minute", func(r *Reminder) { r.Minute = -1 }},
		{"minute", func(r *Reminder) { r.Minute = 60 }},
		{"no zone", func(r *Reminder) { r.Zone = nil }},
		{"local zone", func(r *Reminder) { r.Zone = time.Local }},
		{"no locale", func(r *Reminder) { r.Locale = "" }},
		{"no text", func(r *Reminder) { r.Text = "  " }},
		{"long text", func(r *Reminder) { r.Text = strings.Repeat("é", MaxReminderText+1) }},
		{"no request time", func(r *Reminder) { r.RequestTime = time.Time{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			tt.change(&r)
			if _, err := r.Body(); !errors.Is(err, ErrInvalidReminder) {
				t.Errorf("got %v, want ErrInvalidReminder", err)
			}
			calls := 0
			srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls++ }))
			defer srv.Close()
			if _, err := (Reminders{}).Create(context.Background(), System{APIEndpoint: srv.URL, APIAccessToken: "tok"}, r); !errors.Is(err, ErrInvalidReminder) || calls != 0 {
				t.Errorf("Create: got %v after %d calls, want ErrInvalidReminder and no call", err, calls)
			}
		})
	}
	long := ok
	long.Text = strings.Repeat("é", MaxReminderText)
	if _, err := long.Body(); err != nil {
		t.Errorf("text of exactly %d characters: %v", MaxReminderText, err)
	}
}

func TestRemindersRoundTrip(t *testing.T) {
	tests := []struct {
		file string
		into any
	}{
		{"reminder-response.json", &Alert{}},
		{"reminder-get.json", &Alert{}},
		{"reminder-list.json", &AlertList{}},
		{"reminder-error.json", &RemindersErrorBody{}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) { roundTrip(t, tt.file, tt.into) })
	}
}

func fixture(t *testing.T, file string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestRemindersCalls checks each call's method, path, headers and body against what
// Amazon documents, and what the client makes of Amazon's answers.
func TestRemindersCalls(t *testing.T) {
	const token = "d877f6b7-fe34-40fe-9029-a67a3f75140f"
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Method+" "+r.URL.EscapedPath())
		if got := r.Header.Get("Authorization"); got != "Bearer tok" {
			t.Errorf("%s: Authorization %q, want Bearer tok", r.Method, got)
		}
		body, _ := io.ReadAll(r.Body)
		if r.Method == http.MethodPost || r.Method == http.MethodPut {
			if got := r.Header.Get("Content-Type"); got != "application/json" {
				t.Errorf("%s: Content-Type %q", r.Method, got)
			}
			if !jsonEqual(t, body, fixture(t, "reminder-request-daily.json")) {
				t.Errorf("%s body:\n%s\nwant testdata/reminder-request-daily.json", r.Method, body)
			}
		} else if len(body) != 0 {
			t.Errorf("%s sent a body: %s", r.Method, body)
		}
		switch r.Method + " " + r.URL.EscapedPath() {
		case "POST /v1/alerts/reminders", "PUT /v1/alerts/reminders/" + token:
			w.Write(fixture(t, "reminder-response.json"))
		case "GET /v1/alerts/reminders":
			w.Write(fixture(t, "reminder-list.json"))
		case "GET /v1/alerts/reminders/" + token:
			w.Write(fixture(t, "reminder-get.json"))
		case "DELETE /v1/alerts/reminders/" + token:
		default:
			http.Error(w, `{"code":"NOT_FOUND"}`, http.StatusNotFound)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	sys := System{APIEndpoint: srv.URL, APIAccessToken: "tok"}
	c := Reminders{Timeout: time.Second}

	created, err := c.Create(ctx, sys, dailyAtEight(t))
	if err != nil || created.AlertToken != token || created.Status != ReminderOn {
		t.Errorf("Create: got %+v, %v", created, err)
	}
	updated, err := c.Update(ctx, sys, token, dailyAtEight(t))
	if err != nil || updated.AlertToken != token {
		t.Errorf("Update: got %+v, %v", updated, err)
	}
	list, err := c.List(ctx, sys)
	if err != nil || len(list) != 2 || list[0].AlertToken != token || list[1].Status != ReminderCompleted {
		t.Errorf("List: got %+v, %v", list, err)
	}
	got, err := c.Get(ctx, sys, token)
	if h, m, ok := got.TimeOfDay(); err != nil || !ok || h != 20 || m != 0 || !got.Daily() {
		t.Errorf("Get: got %+v (%d:%02d %v daily %v), %v", got, h, m, ok, got.Daily(), err)
	}
	if err := c.Delete(ctx, sys, token); err != nil {
		t.Errorf("Delete: %v", err)
	}
	if _, err := c.Get(ctx, sys, "gone/../x"); !errors.Is(err, ErrReminderNotFound) {
		t.Errorf("Get of an unknown token: got %v, want ErrReminderNotFound", err)
	}
	want := []string{
		"POST /v1/alerts/reminders",
		"PUT /v1/alerts/reminders/" + token,
		"GET /v1/alerts/reminders",
		"GET /v1/alerts/reminders/" + token,
		"DELETE /v1/alerts/reminders/" + token,
		"GET /v1/alerts/reminders/gone%2F..%2Fx",
	}
	if strings.Join(seen, "\n") != strings.Join(want, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(seen, "\n"), strings.Join(want, "\n"))
	}
}

func TestRemindersErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    error
		code    string
	}{
		{"unauthorized", status(401, `{"code":"UNAUTHORIZED","message":"no permission"}`), ErrNoPermission, "UNAUTHORIZED"},
		{"forbidden", status(403, `{"code":"FORBIDDEN"}`), ErrNoPermission, "FORBIDDEN"},
		{"not found", status(404, `{"code":"NOT_FOUND"}`), ErrReminderNotFound, "NOT_FOUND"},
		{"throttled", status(429, `{"code":"TOO_MANY_REQUESTS"}`), ErrRetryLater, "TOO_MANY_REQUESTS"},
		{"internal error", status(500, `not json`), ErrRetryLater, ""},
		{"unavailable", status(503, ``), ErrRetryLater, ""},
		{"gateway timeout", status(504, ``), ErrRetryLater, ""},
		{"bad request", status(400, `{"code":"INVALID_ALERT_INFO","message":"The alert info is invalid."}`), ErrRemindersFailed, "INVALID_ALERT_INFO"},
		{"garbled answer", status(200, `{"alertToken":`), ErrRemindersFailed, ""},
		{"no token in answer", status(200, `{}`), ErrRemindersFailed, ""},
		{"hangs", func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body) // the server notices the client leave only once the body is read
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, ErrRetryLater, ""},
	}
	kinds := []error{ErrNoPermission, ErrRetryLater, ErrReminderNotFound, ErrRemindersFailed}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			sys := System{APIEndpoint: srv.URL, APIAccessToken: "tok"}
			_, err := Reminders{Timeout: 100 * time.Millisecond}.Create(context.Background(), sys, dailyAtEight(t))
			for _, k := range kinds {
				if errors.Is(err, k) != (k == tt.want) {
					t.Errorf("got %v: errors.Is(%v) = %v, want only %v", err, k, errors.Is(err, k), tt.want)
				}
			}
			var re *RemindersError
			if !errors.As(err, &re) || re.Op != "create" || re.Code != tt.code {
				t.Errorf("got %#v, want a RemindersError for create with code %q", err, tt.code)
			}
		})
	}
	t.Run("server gone", func(t *testing.T) {
		srv := httptest.NewServer(status(200, `{}`))
		srv.Close()
		err := (Reminders{}).Delete(context.Background(), System{APIEndpoint: srv.URL, APIAccessToken: "tok"}, "alert-token-42")
		if !errors.Is(err, ErrRetryLater) {
			t.Errorf("got %v, want ErrRetryLater", err)
		}
		if strings.Contains(err.Error(), "alert-token-42") {
			t.Errorf("the error, which is logged, names the reminder's token: %v", err)
		}
	})
	t.Run("no api access", func(t *testing.T) {
		if _, err := (Reminders{}).List(context.Background(), System{}); !errors.Is(err, ErrNoAPIAccess) {
			t.Errorf("got %v, want ErrNoAPIAccess", err)
		}
	})
	t.Run("no token", func(t *testing.T) {
		sys := System{APIEndpoint: "https://api.example.invalid", APIAccessToken: "tok"}
		if err := (Reminders{}).Delete(context.Background(), sys, ""); !errors.Is(err, ErrInvalidReminder) {
			t.Errorf("got %v, want ErrInvalidReminder", err)
		}
	})
}

func status(code int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

func TestAlertTimeOfDay(t *testing.T) {
	tests := []struct {
		name             string
		trigger          *Trigger
		wantH, wantM     int
		wantOK, wantDaly bool
	}{
		{"no trigger", nil, 0, 0, false, false},
		{"rule", &Trigger{Recurrence: &Recurrence{RecurrenceRules: []string{"FREQ=DAILY;BYHOUR=7;BYMINUTE=15;BYSECOND=0;"}}}, 7, 15, true, true},
		{"rule with prefix", &Trigger{Recurrence: &Recurrence{RecurrenceRules: []string{"RRULE:FREQ=DAILY;BYMINUTE=5;BYHOUR=18"}}}, 18, 5, true, true},
		{"every other day", &Trigger{Recurrence: &Recurrence{RecurrenceRules: []string{"FREQ=DAILY;INTERVAL=2;BYHOUR=9;BYMINUTE=0"}}}, 9, 0, true, false},
		{"weekly", &Trigger{ScheduledTime: "2026-11-24T20:00:00.000", Recurrence: &Recurrence{RecurrenceRules: []string{"FREQ=WEEKLY;BYDAY=MO"}}}, 20, 0, true, false},
		{"once", &Trigger{ScheduledTime: "2026-11-24T06:45:00"}, 6, 45, true, false},
		{"garbled", &Trigger{ScheduledTime: "tomorrow"}, 0, 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Alert{Trigger: tt.trigger}
			h, m, ok := a.TimeOfDay()
			if h != tt.wantH || m != tt.wantM || ok != tt.wantOK || a.Daily() != tt.wantDaly {
				t.Errorf("got %d:%02d %v daily %v, want %d:%02d %v daily %v", h, m, ok, a.Daily(), tt.wantH, tt.wantM, tt.wantOK, tt.wantDaly)
			}
		})
	}
}
