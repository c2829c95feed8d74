package skilltest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/spine-opener/spine-opener/internal/alexa"
)

var (
	_ http.Handler      = (*RemindersAPI)(nil)
	_ http.RoundTripper = (*RemindersAPI)(nil)
)

// RemindersMode is how the RemindersAPI stand-in misbehaves.
type RemindersMode string

// Modes of the RemindersAPI.
const (
	RemindersUp           RemindersMode = ""              // answers as Amazon does
	RemindersNoPermission RemindersMode = "no-permission" // the person has not granted the permission: 403 to create, 401 to the rest
	RemindersThrottled    RemindersMode = "throttled"     // 429
	RemindersFailing      RemindersMode = "failing"       // 500
	RemindersDown         RemindersMode = "down"          // 503
	RemindersHang         RemindersMode = "hang"          // no answer for 10 s, or until the caller gives up
)

// RemindersCalls counts the requests a RemindersAPI served, by operation. Rejected counts
// those it refused as malformed (400, 404, 405, 415), whatever the operation.
type RemindersCalls struct {
	Create, Get, List, Update, Delete, Rejected int
}

// RemindersAPI stands in for the Alexa Reminders API ({apiEndpoint}/v1/alerts/reminders)
// in tests and in the console. Serve it with httptest.NewServer, or call it in process
// through Client. It keeps each access token's reminders and answers create, get, list,
// update and delete with the bodies Amazon documents (see internal/alexa/reminders.go for
// the sources).
//
// It is stricter than Amazon, so a test that passes against it sends what Amazon documents:
// it checks "Authorization: Bearer …" and "Content-Type: application/json", refuses any
// member Amazon does not document (the deprecated recurrence.freq and byDay included) or
// spells in another case, and checks every value: requestTime; trigger.type;
// scheduledTime as a local time without offset, in the future; timeZoneId a known IANA zone
// (required here: Amazon's guidance is to always send it); recurrence rules as RFC 5545
// DAILY, WEEKLY, MONTHLY or YEARLY rules naming BYHOUR and BYMINUTE, that agree with the
// first ring; spoken content with a locale, a text of at most alexa.MaxReminderText
// characters, and SSML only inside <speak>; pushNotification.status. A malformed request
// gets 400 even in a failure mode, and is listed by Rejections. Error codes other than
// INVALID_ALERT_INFO are the stand-in's own names: Amazon documents the statuses and the
// {"code", "message"} shape, not a full list of codes.
type RemindersAPI struct {
	// Now is the time reminders are created and compared with; nil means Clock on the
	// request's context (the session's time, when called in process through Client).
	Now func(ctx context.Context) time.Time
	// MaxPerUser is how many reminders one access token may hold; zero means no cap.
	// Amazon publishes no cap for skills.
	MaxPerUser int

	mu         sync.Mutex
	mode       RemindersMode
	alerts     map[string][]*standInAlert // by access token, oldest first
	seq        int
	calls      RemindersCalls
	rejections []string
}

type standInAlert struct {
	token                    string
	created, updated         time.Time
	version                  int
	once                     bool      // no recurrence: completed once its time has passed
	ringsAt                  time.Time // for a one-time reminder
	trigger, alertInfo, push json.RawMessage
}

// DeleteAll deletes every reminder it holds, as someone deleting the skill's reminders in
// the Alexa app does.
func (a *RemindersAPI) DeleteAll() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.alerts = nil
}

// Set changes the mode.
func (a *RemindersAPI) Set(mode RemindersMode) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.mode = mode
}

// Calls counts the requests served.
func (a *RemindersAPI) Calls() RemindersCalls {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls
}

// Rejections lists why each malformed request was refused, oldest first.
func (a *RemindersAPI) Rejections() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.rejections)
}

// Reminders returns, oldest first, the reminders accessToken holds, as a get would.
func (a *RemindersAPI) Reminders(ctx context.Context, accessToken string) []alexa.Alert {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now(ctx)
	var out []alexa.Alert
	for _, s := range a.alerts[accessToken] {
		var al alexa.Alert
		json.Unmarshal(s.full(now), &al)
		out = append(out, al)
	}
	return out
}

// Client is an http.Client that delivers every request to a in process, whatever its host:
// give it to alexa.Reminders.
func (a *RemindersAPI) Client() *http.Client { return &http.Client{Transport: a} }

// RoundTrip serves req in process.
func (a *RemindersAPI) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.ServeHTTP(rec, req)
	}()
	select {
	case <-done:
		return rec.Result(), nil
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
}

func (a *RemindersAPI) now(ctx context.Context) time.Time {
	if a.Now != nil {
		return a.Now(ctx)
	}
	return Clock(ctx)
}

const remindersPath = "/v1/alerts/reminders"

// ServeHTTP answers the Reminders API's five operations.
func (a *RemindersAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, alertToken, status, reason := route(r)
	var body reminderBody
	var raw []byte
	if status == 0 {
		status, reason = checkHeaders(r, op)
	}
	if status == 0 && (op == "create" || op == "update") {
		raw, body, status, reason = readReminder(r, a.now(r.Context()))
	}

	a.mu.Lock()
	switch op {
	case "create":
		a.calls.Create++
	case "get":
		a.calls.Get++
	case "list":
		a.calls.List++
	case "update":
		a.calls.Update++
	case "delete":
		a.calls.Delete++
	}
	if status == http.StatusBadRequest || status == http.StatusMethodNotAllowed || status == http.StatusUnsupportedMediaType || status == http.StatusNotFound {
		a.calls.Rejected++
		a.rejections = append(a.rejections, r.Method+" "+r.URL.Path+": "+reason)
	}
	mode := a.mode
	a.mu.Unlock()

	if status != 0 {
		code := map[int]string{400: "INVALID_REQUEST", 401: "UNAUTHORIZED", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 415: "UNSUPPORTED_MEDIA_TYPE"}[status]
		if strings.HasPrefix(reason, "alertInfo") {
			code = "INVALID_ALERT_INFO"
		}
		writeError(w, status, code, reason)
		return
	}
	switch mode {
	case RemindersNoPermission:
		if op == "create" {
			writeError(w, http.StatusForbidden, "FORBIDDEN", "The skill has no permission to create reminders for this customer.")
		} else {
			writeError(w, http.StatusUnauthorized, "UNAUTHORIZED", "The customer has not granted the reminders permission.")
		}
		return
	case RemindersThrottled:
		writeError(w, http.StatusTooManyRequests, "TOO_MANY_REQUESTS", "Rate exceeded.")
		return
	case RemindersFailing:
		writeError(w, http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", "Internal error.")
		return
	case RemindersDown:
		writeError(w, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", "Service unavailable.")
		return
	case RemindersHang:
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
		return
	}

	bearer := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	now := a.now(r.Context())
	a.mu.Lock()
	defer a.mu.Unlock()
	switch op {
	case "create":
		if a.MaxPerUser > 0 && len(a.alerts[bearer]) >= a.MaxPerUser {
			writeError(w, http.StatusBadRequest, "TOO_MANY_REMINDERS", fmt.Sprintf("The customer already has %d reminders from this skill.", a.MaxPerUser))
			a.calls.Rejected++
			a.rejections = append(a.rejections, r.Method+" "+r.URL.Path+": more than MaxPerUser reminders")
			return
		}
		a.seq++
		s := &standInAlert{token: fmt.Sprintf("00000000-0000-4000-8000-%012d", a.seq), created: now, updated: now, version: 1}
		s.set(raw, body)
		if a.alerts == nil {
			a.alerts = map[string][]*standInAlert{}
		}
		a.alerts[bearer] = append(a.alerts[bearer], s)
		writeJSON(w, s.summary(now))
	case "update":
		s := a.find(bearer, alertToken)
		if s == nil {
			a.notFound(w, r)
			return
		}
		s.updated, s.version = now, s.version+1
		s.set(raw, body)
		writeJSON(w, s.summary(now))
	case "get":
		s := a.find(bearer, alertToken)
		if s == nil {
			a.notFound(w, r)
			return
		}
		writeJSON(w, s.full(now))
	case "list":
		alerts := []json.RawMessage{}
		for _, s := range a.alerts[bearer] {
			alerts = append(alerts, s.full(now))
		}
		writeJSON(w, map[string]any{"totalCount": strconv.Itoa(len(alerts)), "alerts": alerts, "links": nil})
	case "delete":
		i := slices.IndexFunc(a.alerts[bearer], func(s *standInAlert) bool { return s.token == alertToken })
		if i < 0 {
			a.notFound(w, r)
			return
		}
		a.alerts[bearer] = slices.Delete(a.alerts[bearer], i, i+1)
		w.WriteHeader(http.StatusOK)
	}
}

func (a *RemindersAPI) find(bearer, token string) *standInAlert {
	for _, s := range a.alerts[bearer] {
		if s.token == token {
			return s
		}
	}
	return nil
}

// notFound answers 404 for an unknown token; a.mu is held.
func (a *RemindersAPI) notFound(w http.ResponseWriter, r *http.Request) {
	a.calls.Rejected++
	a.rejections = append(a.rejections, r.Method+" "+r.URL.Path+": no such reminder")
	writeError(w, http.StatusNotFound, "NOT_FOUND", "No reminder has this token.")
}

func (s *standInAlert) set(raw []byte, body reminderBody) {
	var parts struct {
		Trigger          json.RawMessage `json:"trigger"`
		AlertInfo        json.RawMessage `json:"alertInfo"`
		PushNotification json.RawMessage `json:"pushNotification"`
	}
	json.Unmarshal(raw, &parts)
	s.trigger, s.alertInfo, s.push = parts.Trigger, parts.AlertInfo, parts.PushNotification
	s.once = body.Trigger.Recurrence == nil
	if s.once {
		s.ringsAt = body.ringsAt()
	}
}

func (s *standInAlert) status(now time.Time) string {
	if s.once && !s.ringsAt.After(now) {
		return "COMPLETED"
	}
	return "ON"
}

func (s *standInAlert) summary(now time.Time) map[string]any {
	return map[string]any{
		"alertToken":  s.token,
		"createdTime": s.created.UTC().Format("2006-01-02T15:04:05.000Z"),
		"updatedTime": s.updated.UTC().Format("2006-01-02T15:04:05.000Z"),
		"status":      s.status(now),
		"version":     strconv.Itoa(s.version),
		"href":        remindersPath + "/" + s.token,
	}
}

func (s *standInAlert) full(now time.Time) json.RawMessage {
	raw, _ := json.Marshal(map[string]any{
		"alertToken":       s.token,
		"createdTime":      s.created.UTC().Format("2006-01-02T15:04:05.000Z"),
		"updatedTime":      s.updated.UTC().Format("2006-01-02T15:04:05.000Z"),
		"status":           s.status(now),
		"trigger":          s.trigger,
		"alertInfo":        s.alertInfo,
		"pushNotification": s.push,
		"version":          strconv.Itoa(s.version),
	})
	return raw
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"code": code, "message": message})
}

// route names the operation and the alert token of r, or the status that refuses it.
func route(r *http.Request) (op, token string, status int, reason string) {
	path := r.URL.Path
	switch {
	case path == remindersPath || path == remindersPath+"/":
		switch r.Method {
		case http.MethodPost:
			return "create", "", 0, ""
		case http.MethodGet:
			return "list", "", 0, ""
		}
		return "", "", http.StatusMethodNotAllowed, "only POST and GET on " + remindersPath
	case strings.HasPrefix(path, remindersPath+"/"):
		token = strings.TrimPrefix(path, remindersPath+"/")
		if token == "" || strings.Contains(token, "/") {
			return "", "", http.StatusNotFound, "no such resource"
		}
		switch r.Method {
		case http.MethodGet:
			return "get", token, 0, ""
		case http.MethodPut:
			return "update", token, 0, ""
		case http.MethodDelete:
			return "delete", token, 0, ""
		}
		return "", "", http.StatusMethodNotAllowed, "only GET, PUT and DELETE on a reminder"
	}
	return "", "", http.StatusNotFound, "not the Reminders API"
}

func checkHeaders(r *http.Request, op string) (int, string) {
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "Bearer ") || strings.TrimSpace(strings.TrimPrefix(auth, "Bearer ")) == "" {
		return http.StatusUnauthorized, "no bearer token in Authorization"
	}
	if op == "create" || op == "update" {
		media, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || media != "application/json" {
			return http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q, want application/json", r.Header.Get("Content-Type"))
		}
	} else if r.ContentLength > 0 {
		return http.StatusBadRequest, op + " takes no body"
	}
	return 0, ""
}

// reminderBody is the create and update body, with the members Amazon documents and no
// others; it is kept apart from package alexa's types, so a slip there shows here.
type reminderBody struct {
	RequestTime string `json:"requestTime"`
	Trigger     struct {
		Type            string `json:"type"`
		ScheduledTime   string `json:"scheduledTime"`
		OffsetInSeconds *int   `json:"offsetInSeconds"`
		TimeZoneID      string `json:"timeZoneId"`
		Recurrence      *struct {
			StartDateTime   string   `json:"startDateTime"`
			EndDateTime     string   `json:"endDateTime"`
			RecurrenceRules []string `json:"recurrenceRules"`
		} `json:"recurrence"`
	} `json:"trigger"`
	AlertInfo struct {
		SpokenInfo struct {
			Content []struct {
				Locale string `json:"locale"`
				Text   string `json:"text"`
				SSML   string `json:"ssml"`
			} `json:"content"`
		} `json:"spokenInfo"`
	} `json:"alertInfo"`
	PushNotification struct {
		Status string `json:"status"`
	} `json:"pushNotification"`
}

// reminderShape is every member of the body, exactly as Amazon spells it; true marks the
// required ones.
var reminderShape = shape{
	"requestTime": {kind: "string", required: true},
	"trigger": {kind: "object", required: true, members: shape{
		"type":            {kind: "string", required: true},
		"scheduledTime":   {kind: "string"},
		"offsetInSeconds": {kind: "number"},
		"timeZoneId":      {kind: "string"},
		"recurrence": {kind: "object", members: shape{
			"startDateTime":   {kind: "string"},
			"endDateTime":     {kind: "string"},
			"recurrenceRules": {kind: "array", required: true, elem: &member{kind: "string"}},
		}},
	}},
	"alertInfo": {kind: "object", required: true, members: shape{
		"spokenInfo": {kind: "object", required: true, members: shape{
			"content": {kind: "array", required: true, elem: &member{kind: "object", members: shape{
				"locale": {kind: "string", required: true},
				"text":   {kind: "string", required: true},
				"ssml":   {kind: "string"},
			}}},
		}},
	}},
	"pushNotification": {kind: "object", required: true, members: shape{
		"status": {kind: "string", required: true},
	}},
}

type shape map[string]member

type member struct {
	kind     string // string, number, object or array
	required bool
	members  shape   // of an object
	elem     *member // of an array
}

func (m member) check(v any, path string) error {
	switch m.kind {
	case "string":
		if _, ok := v.(string); !ok {
			return fmt.Errorf("%s must be a string", path)
		}
	case "number":
		if _, ok := v.(json.Number); !ok {
			return fmt.Errorf("%s must be a number", path)
		}
	case "array":
		items, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s must be an array", path)
		}
		for i, item := range items {
			if err := m.elem.check(item, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s must be an object", path)
		}
		for name := range obj {
			if _, known := m.members[name]; !known {
				return fmt.Errorf("%s has a member %q that Amazon does not document", path, name)
			}
		}
		for name, sub := range m.members {
			child, present := obj[name]
			if !present {
				if sub.required {
					return fmt.Errorf("%s.%s is required", path, name)
				}
				continue
			}
			if err := sub.check(child, path+"."+name); err != nil {
				return err
			}
		}
	}
	return nil
}

// readReminder reads and checks a create or update body.
func readReminder(r *http.Request, now time.Time) (raw []byte, body reminderBody, status int, reason string) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 64<<10+1))
	if err != nil {
		return nil, body, http.StatusBadRequest, "body: " + err.Error()
	}
	if len(raw) > 64<<10 {
		return nil, body, http.StatusBadRequest, "body longer than 64 KiB"
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, body, http.StatusBadRequest, "body is not JSON: " + err.Error()
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, body, http.StatusBadRequest, "body has more than one JSON value"
	}
	root := member{kind: "object", members: reminderShape}
	if err := root.check(v, "body"); err != nil {
		return nil, body, http.StatusBadRequest, strings.TrimPrefix(err.Error(), "body.")
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, body, http.StatusBadRequest, "body: " + err.Error()
	}
	if err := body.check(now); err != nil {
		return nil, body, http.StatusBadRequest, err.Error()
	}
	return raw, body, 0, ""
}

var (
	localTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$`)
	locale    = regexp.MustCompile(`^[a-z]{2,3}-[A-Z]{2}$`)
)

func parseLocal(s string, loc *time.Location) (time.Time, bool) {
	if !localTime.MatchString(s) {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05", s, loc)
	return t, err == nil
}

func (b reminderBody) zone() *time.Location {
	loc, err := time.LoadLocation(b.Trigger.TimeZoneID)
	if err != nil {
		return time.UTC
	}
	return loc
}

// ringsAt is when a one-time absolute reminder rings.
func (b reminderBody) ringsAt() time.Time {
	t, _ := parseLocal(b.Trigger.ScheduledTime, b.zone())
	return t
}

func (b reminderBody) check(now time.Time) error {
	t := b.Trigger
	if t.TimeZoneID == "" {
		return errors.New("trigger.timeZoneId is required: send the person's IANA zone")
	}
	loc, err := time.LoadLocation(t.TimeZoneID)
	if err != nil || t.TimeZoneID == "Local" {
		return fmt.Errorf("trigger.timeZoneId %q is not an IANA time zone", t.TimeZoneID)
	}
	if _, ok := parseLocal(b.RequestTime, loc); !ok {
		if _, err := time.Parse(time.RFC3339Nano, b.RequestTime); err != nil {
			return fmt.Errorf("requestTime %q is not an ISO 8601 time", b.RequestTime)
		}
	}
	var ok bool
	switch t.Type {
	case alexa.TriggerScheduledAbsolute:
		if t.OffsetInSeconds != nil {
			return errors.New("trigger.offsetInSeconds is for SCHEDULED_RELATIVE only")
		}
		at, ok := parseLocal(t.ScheduledTime, loc)
		if !ok {
			return fmt.Errorf("trigger.scheduledTime %q must be a local time without offset, such as 2019-09-22T19:00:00.000", t.ScheduledTime)
		}
		if t.Recurrence == nil && !at.After(now) {
			return fmt.Errorf("trigger.scheduledTime %s is not in the future (now %s in %s)", t.ScheduledTime, now.In(loc).Format("2006-01-02T15:04:05"), t.TimeZoneID)
		}
	case alexa.TriggerScheduledRelative:
		if t.ScheduledTime != "" || t.Recurrence != nil {
			return errors.New("a SCHEDULED_RELATIVE trigger has only offsetInSeconds")
		}
		if t.OffsetInSeconds == nil || *t.OffsetInSeconds <= 0 {
			return errors.New("trigger.offsetInSeconds must be a positive number of seconds")
		}
	default:
		return fmt.Errorf("trigger.type %q, want SCHEDULED_ABSOLUTE or SCHEDULED_RELATIVE", t.Type)
	}
	if rec := t.Recurrence; rec != nil {
		if len(rec.RecurrenceRules) == 0 || len(rec.RecurrenceRules) > 5 {
			return fmt.Errorf("trigger.recurrence.recurrenceRules has %d rules, want 1 to 5", len(rec.RecurrenceRules))
		}
		var start time.Time
		if rec.StartDateTime != "" {
			if start, ok = parseLocal(rec.StartDateTime, loc); !ok {
				return fmt.Errorf("trigger.recurrence.startDateTime %q must be a local time without offset", rec.StartDateTime)
			}
		}
		if rec.EndDateTime != "" {
			end, ok := parseLocal(rec.EndDateTime, loc)
			if !ok {
				return fmt.Errorf("trigger.recurrence.endDateTime %q must be a local time without offset", rec.EndDateTime)
			}
			if !end.After(now) || !start.IsZero() && !end.After(start) {
				return errors.New("trigger.recurrence.endDateTime must come after now and after startDateTime")
			}
		}
		for i, rule := range rec.RecurrenceRules {
			hours, minutes, err := checkRule(rule)
			if err != nil {
				return fmt.Errorf("trigger.recurrence.recurrenceRules[%d] %q: %w", i, rule, err)
			}
			for _, first := range []struct {
				name  string
				value string
			}{{"scheduledTime", t.ScheduledTime}, {"recurrence.startDateTime", rec.StartDateTime}} {
				at, ok := parseLocal(first.value, loc)
				if ok && (!slices.Contains(hours, at.Hour()) || !slices.Contains(minutes, at.Minute())) {
					return fmt.Errorf("trigger.%s %s is not a time rule %q names", first.name, first.value, rule)
				}
			}
		}
	}
	content := b.AlertInfo.SpokenInfo.Content
	if len(content) == 0 {
		return errors.New("alertInfo.spokenInfo.content is empty")
	}
	seen := map[string]bool{}
	for i, c := range content {
		switch n := utf8.RuneCountInString(c.Text); {
		case !locale.MatchString(c.Locale):
			return fmt.Errorf("alertInfo.spokenInfo.content[%d].locale %q, want a locale such as en-US", i, c.Locale)
		case seen[c.Locale]:
			return fmt.Errorf("alertInfo.spokenInfo.content has locale %s twice", c.Locale)
		case strings.TrimSpace(c.Text) == "":
			return fmt.Errorf("alertInfo.spokenInfo.content[%d].text is empty", i)
		case n > alexa.MaxReminderText:
			return fmt.Errorf("alertInfo.spokenInfo.content[%d].text has %d characters, more than %d", i, n, alexa.MaxReminderText)
		case strings.ContainsAny(c.Text, "<>"):
			return fmt.Errorf("alertInfo.spokenInfo.content[%d].text is plain text: no markup", i)
		case c.SSML != "" && (!strings.HasPrefix(c.SSML, "<speak>") || !strings.HasSuffix(c.SSML, "</speak>")):
			return fmt.Errorf("alertInfo.spokenInfo.content[%d].ssml must be one <speak> element", i)
		}
		seen[c.Locale] = true
	}
	if s := b.PushNotification.Status; s != alexa.PushEnabled && s != alexa.PushDisabled {
		return fmt.Errorf("pushNotification.status %q, want ENABLED or DISABLED", s)
	}
	return nil
}

var weekday = regexp.MustCompile(`^(MO|TU|WE|TH|FR|SA|SU)$`)

// checkRule checks an RFC 5545 recurrence rule as the Reminders API takes it (a trailing
// ";" is allowed, as in Amazon's examples) and returns the hours and minutes it names.
func checkRule(rule string) (hours, minutes []int, err error) {
	if strings.TrimSpace(rule) != rule || rule == "" {
		return nil, nil, errors.New("blank or padded rule")
	}
	parts := map[string]string{}
	for _, p := range strings.Split(strings.TrimSuffix(rule, ";"), ";") {
		name, value, ok := strings.Cut(p, "=")
		if !ok || name == "" || value == "" {
			return nil, nil, fmt.Errorf("part %q is not NAME=VALUE", p)
		}
		if _, dup := parts[name]; dup {
			return nil, nil, fmt.Errorf("%s given twice", name)
		}
		parts[name] = value
	}
	ints := func(name string, lo, hi int) ([]int, error) {
		var out []int
		for _, s := range strings.Split(parts[name], ",") {
			n, err := strconv.Atoi(s)
			if err != nil || n < lo || n > hi || strconv.Itoa(n) != s {
				return nil, fmt.Errorf("%s=%s: want numbers from %d to %d", name, parts[name], lo, hi)
			}
			out = append(out, n)
		}
		return out, nil
	}
	for name, value := range parts {
		switch name {
		case "FREQ":
			if value != "DAILY" && value != "WEEKLY" && value != "MONTHLY" && value != "YEARLY" {
				return nil, nil, fmt.Errorf("FREQ=%s: want DAILY, WEEKLY, MONTHLY or YEARLY", value)
			}
		case "INTERVAL":
			if _, err := ints(name, 1, 1000); err != nil {
				return nil, nil, err
			}
		case "BYHOUR":
			if hours, err = ints(name, 0, 23); err != nil {
				return nil, nil, err
			}
		case "BYMINUTE":
			if minutes, err = ints(name, 0, 59); err != nil {
				return nil, nil, err
			}
		case "BYSECOND":
			if _, err := ints(name, 0, 59); err != nil {
				return nil, nil, err
			}
		case "BYMONTH":
			if _, err := ints(name, 1, 12); err != nil {
				return nil, nil, err
			}
		case "BYMONTHDAY":
			if _, err := ints(name, 1, 31); err != nil {
				return nil, nil, err
			}
		case "BYDAY":
			for _, d := range strings.Split(value, ",") {
				if !weekday.MatchString(d) {
					return nil, nil, fmt.Errorf("BYDAY=%s: want days such as MO,TU", value)
				}
			}
		default:
			return nil, nil, fmt.Errorf("%s is not a rule part the Reminders API takes", name)
		}
	}
	switch {
	case parts["FREQ"] == "":
		return nil, nil, errors.New("no FREQ")
	case hours == nil || minutes == nil:
		return nil, nil, errors.New("BYHOUR and BYMINUTE say when it rings; give both")
	}
	return hours, minutes, nil
}

// PermissionRequest reads the voice permission request in resp, checking it as Amazon
// documents it ("Set Up Voice Permissions for Reminders"): one Connections.SendRequest
// directive named AskFor with an AskForPermissionsConsentRequest payload of version 2 and
// at least one scope at ACCOUNT or PERSON level, in a response with no reprompt and no
// shouldEndSession, since Alexa takes the turn. The console and Session.AnswerPermission
// play Alexa's part with it.
func PermissionRequest(resp alexa.Response) (token string, scopes []string, err error) {
	var found []json.RawMessage
	for _, d := range resp.Body.Directives {
		var head struct {
			Type string `json:"type"`
		}
		json.Unmarshal(d, &head)
		switch head.Type {
		case alexa.DirectiveSendRequest:
			found = append(found, d)
		case alexa.DirectiveStartConnection:
			return "", nil, errors.New("Connections.StartConnection: Amazon prescribes Connections.SendRequest AskFor for the reminders permission")
		}
		if strings.HasPrefix(head.Type, "AudioPlayer.") || strings.HasPrefix(head.Type, "VideoApp.") {
			return "", nil, fmt.Errorf("%s cannot go with a Connections directive", head.Type)
		}
	}
	if len(found) != 1 {
		return "", nil, fmt.Errorf("%d Connections.SendRequest directives, want 1", len(found))
	}
	var d struct {
		Type    string `json:"type"`
		Name    string `json:"name"`
		Payload struct {
			Type             string `json:"@type"`
			Version          string `json:"@version"`
			PermissionScopes []struct {
				PermissionScope string `json:"permissionScope"`
				ConsentLevel    string `json:"consentLevel"`
			} `json:"permissionScopes"`
		} `json:"payload"`
		Token *string `json:"token"`
	}
	dec := json.NewDecoder(bytes.NewReader(found[0]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return "", nil, fmt.Errorf("Connections.SendRequest: %w", err)
	}
	switch {
	case d.Name != alexa.TaskAskFor:
		return "", nil, fmt.Errorf("Connections.SendRequest name %q, want AskFor", d.Name)
	case d.Payload.Type != alexa.AskForPermissionsConsent || d.Payload.Version != "2":
		return "", nil, fmt.Errorf("payload @type %q @version %q, want AskForPermissionsConsentRequest 2", d.Payload.Type, d.Payload.Version)
	case len(d.Payload.PermissionScopes) == 0:
		return "", nil, errors.New("payload.permissionScopes is empty")
	case d.Token == nil:
		return "", nil, errors.New("no token: send \"\" when there is nothing to carry")
	case resp.Body.Reprompt != nil:
		return "", nil, errors.New("a reprompt with a Connections directive: Alexa asks, not the skill")
	case resp.Body.ShouldEndSession != nil:
		return "", nil, fmt.Errorf("shouldEndSession %v with a Connections directive: leave it out", *resp.Body.ShouldEndSession)
	}
	for _, s := range d.Payload.PermissionScopes {
		if s.PermissionScope == "" || s.ConsentLevel != alexa.ConsentLevelAccount && s.ConsentLevel != alexa.ConsentLevelPerson {
			return "", nil, fmt.Errorf("permission scope %q at level %q, want a scope at ACCOUNT or PERSON", s.PermissionScope, s.ConsentLevel)
		}
		scopes = append(scopes, s.PermissionScope)
	}
	return *d.Token, scopes, nil
}

// AnswerPermission plays Alexa's part after resp asked for a permission by voice: Alexa
// asks the person, who answers (alexa.ConsentAccepted, ConsentDenied or ConsentNotAnswered),
// and the skill gets a Connections.Response with the directive's token in the same session.
// It fails the test if resp's request is not as Amazon documents it. The request carries no
// session attributes: Amazon does not say they survive the hand-over; the token does.
func (s *Session) AnswerPermission(resp alexa.Response, answer string) alexa.Response {
	s.T.Helper()
	token, scopes, err := PermissionRequest(resp)
	if err != nil {
		s.T.Fatalf("permission request: %v", err)
	}
	s.Ended = false
	s.Attrs = nil
	req := s.Request(alexa.ConnectionsResponse)
	cardSent := false
	req.Body.Name = alexa.TaskAskFor
	req.Body.Status = &alexa.ConnectionStatus{Code: "200", Message: "OK"}
	req.Body.Payload = &alexa.ConsentResult{PermissionScope: scopes[0], Status: answer, IsCardThrown: &cardSent}
	req.Body.Token = token
	return s.Send(req)
}
