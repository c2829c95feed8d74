package skilltest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
)

var asked = time.Date(2026, 11, 24, 20, 1, 0, 0, time.UTC) // 12:01 in Los Angeles

func laZone(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func daily(t *testing.T, hour int) alexa.Reminder {
	return alexa.Reminder{Hour: hour, Zone: laZone(t), Daily: true, Locale: "en-US", Text: "Time for your spine opener.", RequestTime: asked}
}

func fixedNow(at time.Time) func(context.Context) time.Time {
	return func(context.Context) time.Time { return at }
}

func sys(endpoint string) alexa.System {
	return alexa.System{APIEndpoint: endpoint, APIAccessToken: "token"}
}

// TestRemindersAPIWithClient runs package alexa's client against the stand-in, in process
// and over HTTP: every call it makes must be one the stand-in accepts.
func TestRemindersAPIWithClient(t *testing.T) {
	for _, transport := range []string{"in process", "http"} {
		t.Run(transport, func(t *testing.T) {
			api := &RemindersAPI{Now: fixedNow(asked)}
			c := alexa.Reminders{Client: api.Client(), Timeout: time.Second}
			endpoint := "https://api.amazonalexa.com"
			if transport == "http" {
				srv := httptest.NewServer(api)
				defer srv.Close()
				c.Client, endpoint = srv.Client(), srv.URL
			}
			ctx := context.Background()
			var tokens []string
			for _, hour := range []int{10, 13, 16} { // through the day
				a, err := c.Create(ctx, sys(endpoint), daily(t, hour))
				if err != nil {
					t.Fatalf("Create at %d: %v", hour, err)
				}
				if a.AlertToken == "" || a.Status != alexa.ReminderOn || a.Href != "/v1/alerts/reminders/"+a.AlertToken {
					t.Errorf("Create answer %+v", a)
				}
				tokens = append(tokens, a.AlertToken)
			}
			if tokens[0] == tokens[1] || tokens[1] == tokens[2] {
				t.Errorf("tokens repeat: %v", tokens)
			}
			if _, err := c.Update(ctx, sys(endpoint), tokens[1], daily(t, 14)); err != nil {
				t.Errorf("Update: %v", err)
			}
			if err := c.Delete(ctx, sys(endpoint), tokens[2]); err != nil {
				t.Errorf("Delete: %v", err)
			}
			list, err := c.List(ctx, sys(endpoint))
			if err != nil {
				t.Fatal(err)
			}
			var times []int
			for _, a := range list {
				h, _, ok := a.TimeOfDay()
				if !ok || !a.Daily() || a.AlertInfo == nil || a.AlertInfo.SpokenInfo.Content[0].Text != "Time for your spine opener." {
					t.Errorf("listed %+v", a)
				}
				times = append(times, h)
			}
			if len(times) != 2 || times[0] != 10 || times[1] != 14 {
				t.Errorf("listed times %v, want [10 14]", times)
			}
			got, err := c.Get(ctx, sys(endpoint), tokens[1])
			if err != nil || got.Version != "2" {
				t.Errorf("Get: %+v, %v; want version 2 after one update", got, err)
			}
			if _, err := c.Get(ctx, sys(endpoint), tokens[2]); !errors.Is(err, alexa.ErrReminderNotFound) {
				t.Errorf("Get of a deleted reminder: %v, want ErrReminderNotFound", err)
			}
			// Another person's token sees none of these.
			other := alexa.System{APIEndpoint: endpoint, APIAccessToken: "someone-else"}
			if l, err := c.List(ctx, other); err != nil || len(l) != 0 {
				t.Errorf("another token lists %v, %v", l, err)
			}
			if got, want := api.Calls(), (RemindersCalls{Create: 3, Update: 1, Delete: 1, List: 2, Get: 2, Rejected: 1}); got != want {
				t.Errorf("calls %+v, want %+v", got, want)
			}
			if r := api.Rejections(); len(r) != 1 || !strings.Contains(r[0], "no such reminder") {
				t.Errorf("rejections %q, want only the deleted reminder's get", r)
			}
			if n := len(api.Reminders(ctx, "token")); n != 2 {
				t.Errorf("stand-in holds %d reminders, want 2", n)
			}
		})
	}
}

func TestRemindersAPIModes(t *testing.T) {
	tests := []struct {
		mode       RemindersMode
		wantCreate error
		wantList   error
	}{
		{RemindersNoPermission, alexa.ErrNoPermission, alexa.ErrNoPermission},
		{RemindersThrottled, alexa.ErrRetryLater, alexa.ErrRetryLater},
		{RemindersFailing, alexa.ErrRetryLater, alexa.ErrRetryLater},
		{RemindersDown, alexa.ErrRetryLater, alexa.ErrRetryLater},
		{RemindersHang, alexa.ErrRetryLater, alexa.ErrRetryLater},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			api := &RemindersAPI{Now: fixedNow(asked)}
			api.Set(tt.mode)
			c := alexa.Reminders{Client: api.Client(), Timeout: 50 * time.Millisecond}
			ctx := context.Background()
			_, err := c.Create(ctx, sys("https://api.amazonalexa.com"), daily(t, 20))
			if !errors.Is(err, tt.wantCreate) {
				t.Errorf("Create: %v, want %v", err, tt.wantCreate)
			}
			if _, err := c.List(ctx, sys("https://api.amazonalexa.com")); !errors.Is(err, tt.wantList) {
				t.Errorf("List: %v, want %v", err, tt.wantList)
			}
			var re *alexa.RemindersError
			if tt.mode == RemindersNoPermission && (!errors.As(err, &re) || re.StatusCode != http.StatusForbidden) {
				t.Errorf("Create without permission: %v, want status 403", err)
			}
			api.Set(RemindersUp)
			if _, err := c.Create(ctx, sys("https://api.amazonalexa.com"), daily(t, 20)); err != nil {
				t.Errorf("after recovery: %v", err)
			}
			if got := len(api.Reminders(ctx, "token")); got != 1 {
				t.Errorf("holds %d reminders, want only the one made after recovery", got)
			}
		})
	}
}

// validBody is the client's daily body as a generic JSON value, to break one part at a time.
func validBody(t *testing.T) map[string]any {
	t.Helper()
	body, err := daily(t, 20).Body()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(body)
	var m map[string]any
	json.Unmarshal(raw, &m)
	return m
}

func at(m map[string]any, path ...string) map[string]any {
	for _, p := range path {
		m = m[p].(map[string]any)
	}
	return m
}

func content(m map[string]any) map[string]any {
	return at(m, "alertInfo", "spokenInfo")["content"].([]any)[0].(map[string]any)
}

func TestRemindersAPIRejectsMalformed(t *testing.T) {
	rule := func(r string) func(map[string]any) {
		return func(m map[string]any) { at(m, "trigger", "recurrence")["recurrenceRules"] = []any{r} }
	}
	tests := []struct {
		name   string
		change func(map[string]any)
		want   string // in the reason
	}{
		{"unknown member", func(m map[string]any) { m["priority"] = "high" }, `"priority"`},
		{"member in another case", func(m map[string]any) { m["RequestTime"] = m["requestTime"]; delete(m, "requestTime") }, `"RequestTime"`},
		{"deprecated freq", func(m map[string]any) { at(m, "trigger", "recurrence")["freq"] = "DAILY" }, `"freq"`},
		{"no request time", func(m map[string]any) { delete(m, "requestTime") }, "requestTime is required"},
		{"request time garbled", func(m map[string]any) { m["requestTime"] = "noon" }, "requestTime"},
		{"no push notification", func(m map[string]any) { delete(m, "pushNotification") }, "pushNotification is required"},
		{"push status", func(m map[string]any) { at(m, "pushNotification")["status"] = "ON" }, "pushNotification.status"},
		{"no trigger type", func(m map[string]any) { delete(at(m, "trigger"), "type") }, "trigger.type is required"},
		{"trigger type", func(m map[string]any) { at(m, "trigger")["type"] = "SCHEDULED" }, "trigger.type"},
		{"scheduled time in UTC", func(m map[string]any) { at(m, "trigger")["scheduledTime"] = "2026-11-24T20:00:00.000Z" }, "without offset"},
		{"scheduled time with offset", func(m map[string]any) { at(m, "trigger")["scheduledTime"] = "2026-11-24T20:00:00-08:00" }, "without offset"},
		{"scheduled time as a number", func(m map[string]any) { at(m, "trigger")["scheduledTime"] = 1764028800 }, "must be a string"},
		{"once, in the past", func(m map[string]any) {
			delete(at(m, "trigger"), "recurrence")
			at(m, "trigger")["scheduledTime"] = "2026-11-24T08:00:00.000"
		}, "not in the future"},
		{"no time zone", func(m map[string]any) { delete(at(m, "trigger"), "timeZoneId") }, "timeZoneId is required"},
		{"unknown time zone", func(m map[string]any) { at(m, "trigger")["timeZoneId"] = "Mars/Olympus_Mons" }, "not an IANA"},
		{"local time zone", func(m map[string]any) { at(m, "trigger")["timeZoneId"] = "Local" }, "not an IANA"},
		{"relative with a scheduled time", func(m map[string]any) { at(m, "trigger")["type"] = "SCHEDULED_RELATIVE" }, "only offsetInSeconds"},
		{"offset on an absolute trigger", func(m map[string]any) { at(m, "trigger")["offsetInSeconds"] = 60 }, "SCHEDULED_RELATIVE only"},
		{"no rules", func(m map[string]any) { at(m, "trigger", "recurrence")["recurrenceRules"] = []any{} }, "1 to 5"},
		{"rule without FREQ", rule("BYHOUR=20;BYMINUTE=0"), "no FREQ"},
		{"hourly", rule("FREQ=HOURLY;BYHOUR=20;BYMINUTE=0"), "FREQ=HOURLY"},
		{"lower case", rule("freq=daily;byhour=20;byminute=0"), "freq"},
		{"hour 24", rule("FREQ=DAILY;BYHOUR=24;BYMINUTE=0"), "BYHOUR=24"},
		{"hour 08", rule("FREQ=DAILY;BYHOUR=08;BYMINUTE=0"), "BYHOUR=08"},
		{"no minute", rule("FREQ=DAILY;BYHOUR=20"), "BYMINUTE"},
		{"padded", rule(" FREQ=DAILY;BYHOUR=20;BYMINUTE=0"), "padded"},
		{"twice", rule("FREQ=DAILY;FREQ=DAILY;BYHOUR=20;BYMINUTE=0"), "twice"},
		{"unknown part", rule("FREQ=DAILY;COUNT=3;BYHOUR=20;BYMINUTE=0"), "COUNT"},
		{"RRULE prefix", rule("RRULE:FREQ=DAILY;BYHOUR=20;BYMINUTE=0"), "RRULE:FREQ"},
		{"bad day", rule("FREQ=WEEKLY;BYDAY=MON;BYHOUR=20;BYMINUTE=0"), "BYDAY"},
		{"rule disagrees with the first ring", rule("FREQ=DAILY;BYHOUR=8;BYMINUTE=0"), "is not a time rule"},
		{"start garbled", func(m map[string]any) { at(m, "trigger", "recurrence")["startDateTime"] = "2026-11-24 20:00" }, "startDateTime"},
		{"end before start", func(m map[string]any) { at(m, "trigger", "recurrence")["endDateTime"] = "2026-11-24T19:00:00.000" }, "endDateTime"},
		{"no content", func(m map[string]any) { at(m, "alertInfo", "spokenInfo")["content"] = []any{} }, "content is empty"},
		{"no spoken info", func(m map[string]any) { delete(at(m, "alertInfo"), "spokenInfo") }, "alertInfo.spokenInfo is required"},
		{"locale", func(m map[string]any) { content(m)["locale"] = "english" }, "locale"},
		{"no text", func(m map[string]any) { delete(content(m), "text") }, "text is required"},
		{"blank text", func(m map[string]any) { content(m)["text"] = "  " }, "text is empty"},
		{"long text", func(m map[string]any) { content(m)["text"] = strings.Repeat("a", alexa.MaxReminderText+1) }, "more than"},
		{"markup in text", func(m map[string]any) { content(m)["text"] = "<speak>Time</speak>" }, "plain text"},
		{"ssml outside speak", func(m map[string]any) { content(m)["ssml"] = "Time" }, "<speak>"},
		{"a locale twice", func(m map[string]any) {
			c := at(m, "alertInfo", "spokenInfo")
			c["content"] = append(c["content"].([]any), content(m))
		}, "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validBody(t)
			tt.change(m)
			raw, _ := json.Marshal(m)
			for _, mode := range []RemindersMode{RemindersUp, RemindersNoPermission} {
				api := &RemindersAPI{Now: fixedNow(asked)}
				api.Set(mode) // a malformed request is refused whatever the mode
				status, reason := send(t, api, http.MethodPost, "/v1/alerts/reminders", "application/json", raw)
				if status != http.StatusBadRequest || !strings.Contains(reason, tt.want) {
					t.Errorf("%s: got %d %q, want 400 mentioning %q", mode, status, reason, tt.want)
				}
				if r := api.Rejections(); len(r) != 1 || api.Calls().Rejected != 1 || len(api.Reminders(context.Background(), "token")) != 0 {
					t.Errorf("%s: rejections %q, calls %+v", mode, r, api.Calls())
				}
			}
		})
	}
	t.Run("the valid body", func(t *testing.T) {
		raw, _ := json.Marshal(validBody(t))
		if status, reason := send(t, &RemindersAPI{Now: fixedNow(asked)}, http.MethodPost, "/v1/alerts/reminders/", "application/json; charset=utf-8", raw); status != http.StatusOK {
			t.Errorf("got %d %s", status, reason)
		}
	})
}

func TestRemindersAPIRejectsRequests(t *testing.T) {
	valid, _ := json.Marshal(validBody(t))
	tests := []struct {
		name                      string
		method, path, contentType string
		body                      []byte
		noAuth                    bool
		want                      int
	}{
		{"no bearer token", http.MethodGet, "/v1/alerts/reminders", "", nil, true, http.StatusUnauthorized},
		{"not JSON", http.MethodPost, "/v1/alerts/reminders", "text/plain", valid, false, http.StatusUnsupportedMediaType},
		{"no content type", http.MethodPost, "/v1/alerts/reminders", "", valid, false, http.StatusUnsupportedMediaType},
		{"garbled JSON", http.MethodPost, "/v1/alerts/reminders", "application/json", []byte(`{"requestTime":`), false, http.StatusBadRequest},
		{"two JSON values", http.MethodPost, "/v1/alerts/reminders", "application/json", append(append([]byte{}, valid...), valid...), false, http.StatusBadRequest},
		{"an array", http.MethodPost, "/v1/alerts/reminders", "application/json", []byte(`[]`), false, http.StatusBadRequest},
		{"list with a body", http.MethodGet, "/v1/alerts/reminders", "application/json", valid, false, http.StatusBadRequest},
		{"update unknown", http.MethodPut, "/v1/alerts/reminders/nope", "application/json", valid, false, http.StatusNotFound},
		{"delete unknown", http.MethodDelete, "/v1/alerts/reminders/nope", "", nil, false, http.StatusNotFound},
		{"nested path", http.MethodGet, "/v1/alerts/reminders/a/b", "", nil, false, http.StatusNotFound},
		{"other API", http.MethodGet, "/v2/alerts/reminders", "", nil, false, http.StatusNotFound},
		{"patch", http.MethodPatch, "/v1/alerts/reminders/x", "application/json", valid, false, http.StatusMethodNotAllowed},
		{"delete all", http.MethodDelete, "/v1/alerts/reminders", "", nil, false, http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &RemindersAPI{Now: fixedNow(asked)}
			req := httptest.NewRequest(tt.method, "https://api.amazonalexa.com"+tt.path, bytes.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			if !tt.noAuth {
				req.Header.Set("Authorization", "Bearer token")
			}
			rec := httptest.NewRecorder()
			api.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("got %d %s, want %d", rec.Code, rec.Body, tt.want)
			}
			var e alexa.RemindersErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Code == "" || e.Message == "" {
				t.Errorf("error body %s is not {code, message}", rec.Body)
			}
		})
	}
}

// send delivers one raw request with a bearer token and returns the status and message.
func send(t *testing.T, api *RemindersAPI, method, path, contentType string, body []byte) (int, string) {
	t.Helper()
	req := httptest.NewRequest(method, "https://api.amazonalexa.com"+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer token")
	req.Header.Set("Content-Type", contentType)
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, req)
	var e alexa.RemindersErrorBody
	json.Unmarshal(rec.Body.Bytes(), &e)
	return rec.Code, e.Message
}

func TestRemindersAPIOneTimeCompletes(t *testing.T) {
	now := asked
	api := &RemindersAPI{Now: func(context.Context) time.Time { return now }}
	c := alexa.Reminders{Client: api.Client()}
	once := daily(t, 20)
	once.Daily = false
	a, err := c.Create(context.Background(), sys("https://api.amazonalexa.com"), once)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		at   time.Time
		want string
	}{
		{asked, alexa.ReminderOn},
		{time.Date(2026, 11, 25, 3, 59, 0, 0, time.UTC), alexa.ReminderOn}, // 19:59 in Los Angeles
		{time.Date(2026, 11, 25, 4, 0, 0, 0, time.UTC), alexa.ReminderCompleted},
	} {
		now = step.at
		got, err := c.Get(context.Background(), sys("https://api.amazonalexa.com"), a.AlertToken)
		if err != nil || got.Status != step.want {
			t.Errorf("at %s: %+v, %v; want %s", step.at, got.Status, err, step.want)
		}
	}
}

func TestRemindersAPIMaxPerUser(t *testing.T) {
	api := &RemindersAPI{Now: fixedNow(asked), MaxPerUser: 2}
	c := alexa.Reminders{Client: api.Client()}
	for i, want := range []error{nil, nil, alexa.ErrRemindersFailed} {
		if _, err := c.Create(context.Background(), sys("https://x.invalid"), daily(t, 10+i)); !errors.Is(err, want) && (err != nil || want != nil) {
			t.Errorf("reminder %d: %v, want %v", i+1, err, want)
		}
	}
}

func TestRemindersAPIClockFromContext(t *testing.T) {
	api := &RemindersAPI{}
	c := alexa.Reminders{Client: api.Client()}
	once := daily(t, 20)
	once.Daily = false
	// The session's clock, carried in the context, decides what is past.
	late := WithTime(context.Background(), time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
	if _, err := c.Create(late, sys("https://x.invalid"), once); !errors.Is(err, alexa.ErrRemindersFailed) {
		t.Errorf("a reminder past by the context's clock: %v, want a refusal", err)
	}
	if _, err := c.Create(WithTime(context.Background(), asked), sys("https://x.invalid"), once); err != nil {
		t.Errorf("a reminder ahead by the context's clock: %v", err)
	}
}

func TestPermissionRequest(t *testing.T) {
	ok := func() alexa.Response {
		return alexa.Response{Version: "1.0", Body: alexa.ResponseBody{
			OutputSpeech: alexa.SSMLSpeech("<speak>To remind you, I need your permission.</speak>"),
			Directives:   []json.RawMessage{alexa.AskForRemindersPermission("reminder:daily:20:00")},
		}}
	}
	token, scopes, err := PermissionRequest(ok())
	if err != nil || token != "reminder:daily:20:00" || len(scopes) != 1 || scopes[0] != alexa.PermissionReminders {
		t.Errorf("got %q %q %v", token, scopes, err)
	}
	f, tr := false, true
	tests := []struct {
		name   string
		change func(*alexa.Response)
	}{
		{"no directive", func(r *alexa.Response) { r.Body.Directives = nil }},
		{"two", func(r *alexa.Response) { r.Body.Directives = append(r.Body.Directives, r.Body.Directives[0]) }},
		{"reprompt", func(r *alexa.Response) {
			r.Body.Reprompt = &alexa.Reprompt{OutputSpeech: *alexa.SSMLSpeech("<speak>?</speak>")}
		}},
		{"keeps the session open", func(r *alexa.Response) { r.Body.ShouldEndSession = &f }},
		{"ends the session", func(r *alexa.Response) { r.Body.ShouldEndSession = &tr }},
		{"start connection", func(r *alexa.Response) {
			r.Body.Directives = []json.RawMessage{json.RawMessage(`{"type":"Connections.StartConnection","uri":"connection://AMAZON.AskForPermissionsConsent/2"}`)}
		}},
		{"version 1", func(r *alexa.Response) {
			r.Body.Directives = []json.RawMessage{json.RawMessage(`{"type":"Connections.SendRequest","name":"AskFor","payload":{"@type":"AskForPermissionsConsentRequest","@version":"1","permissionScope":"alexa::alerts:reminders:skill:readwrite"},"token":""}`)}
		}},
		{"no token", func(r *alexa.Response) {
			r.Body.Directives = []json.RawMessage{json.RawMessage(`{"type":"Connections.SendRequest","name":"AskFor","payload":{"@type":"AskForPermissionsConsentRequest","@version":"2","permissionScopes":[{"permissionScope":"alexa::alerts:reminders:skill:readwrite","consentLevel":"ACCOUNT"}]}}`)}
		}},
		{"no level", func(r *alexa.Response) {
			r.Body.Directives = []json.RawMessage{alexa.AskForPermission("", alexa.PermissionScope{PermissionScope: alexa.PermissionReminders})}
		}},
		{"with audio", func(r *alexa.Response) {
			r.Body.Directives = append(r.Body.Directives, json.RawMessage(`{"type":"AudioPlayer.Play"}`))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok()
			tt.change(&r)
			if _, _, err := PermissionRequest(r); err == nil {
				t.Errorf("accepted %+v", r.Body)
			}
		})
	}
}

func TestAnswerPermission(t *testing.T) {
	for _, answer := range []string{alexa.ConsentAccepted, alexa.ConsentDenied, alexa.ConsentNotAnswered} {
		t.Run(answer, func(t *testing.T) {
			var got alexa.Request
			end := true
			handle := func(_ context.Context, req alexa.Request) (alexa.Response, error) {
				got = req
				return alexa.Response{Version: "1.0", Body: alexa.ResponseBody{OutputSpeech: alexa.SSMLSpeech("<speak>Done.</speak>"), ShouldEndSession: &end}}, nil
			}
			s := NewSession(t, handle, asked)
			s.Attrs = map[string]json.RawMessage{"state": json.RawMessage(`{}`)}
			s.Ended = true // the directive's answer handed the turn to Alexa
			asking := alexa.Response{Version: "1.0", Body: alexa.ResponseBody{
				OutputSpeech: alexa.SSMLSpeech("<speak>To remind you, I need your permission.</speak>"),
				Directives:   []json.RawMessage{alexa.AskForRemindersPermission("reminder:daily:20:00")},
			}}
			s.AnswerPermission(asking, answer)
			a, ok := got.PermissionAnswer(alexa.PermissionReminders)
			if !ok || a.Status != answer || a.Token != "reminder:daily:20:00" || a.Code != "200" {
				t.Errorf("the skill read %+v, %v from %+v", a, ok, got.Body)
			}
			if got.Session == nil || got.Session.SessionID != s.ID || got.Session.Attributes != nil {
				t.Errorf("session %+v: want the same session, without attributes", got.Session)
			}
			if raw, _ := json.Marshal(got); !bytes.Contains(raw, []byte(`"type":"Connections.Response"`)) {
				t.Errorf("request %s", raw)
			}
		})
	}
}
