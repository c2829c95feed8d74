package alexa

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The Alexa Reminders API, as Amazon documents it in "Reminders REST API Reference"
// (developer.amazon.com/docs/alexa/smapi/alexa-reminders-api-reference.html), "Alexa
// Reminders Overview" (…/smapi/alexa-reminders-overview.html) and "Alexa Reminders
// Guidelines for Usage" (…/smapi/alexa-reminders-guidelines-for-usage.html), and as the
// ASK SDK models it (alexa/alexa-apis-for-java, services/reminderManagement):
//
//	POST   {apiEndpoint}/v1/alerts/reminders                create     200 ReminderResponse
//	GET    {apiEndpoint}/v1/alerts/reminders                list       200 GetRemindersResponse
//	GET    {apiEndpoint}/v1/alerts/reminders/{alertToken}   get        200 GetReminderResponse
//	PUT    {apiEndpoint}/v1/alerts/reminders/{alertToken}   update     200 ReminderResponse
//	DELETE {apiEndpoint}/v1/alerts/reminders/{alertToken}   delete     200
//
// with "Authorization: Bearer {apiAccessToken}" and, with a body, "Content-Type:
// application/json". Failures answer with {"code", "message"}: 400 bad request, 401 not
// authorized (the person has not granted the reminders permission), 403 forbidden (create),
// 404 no such reminder, 429 throttled, 500, 503 and 504. A reminder may only be created in
// session, with the request's own access token, and only after the person agreed to that
// very reminder; update and delete also work out of session.
//
// Times in a trigger are local wall-clock times without an offset ("2019-09-22T19:00:00.000"),
// read in trigger.timeZoneId. A recurring reminder carries RFC 5545 rules in
// trigger.recurrence.recurrenceRules ("FREQ=DAILY;BYHOUR=8;BYMINUTE=0;BYSECOND=0"); when
// they are present the deprecated recurrence.freq and byDay are ignored.

// Errors of the Reminders API, for errors.Is. What the person hears about each is decided
// by the skill.
var (
	// ErrNoPermission: the person has not granted (or has withdrawn) the reminders
	// permission (401 or 403).
	ErrNoPermission = errors.New("reminders: no permission")
	// ErrRetryLater: throttled (429), Amazon failed (5xx), or no answer in time.
	ErrRetryLater = errors.New("reminders: try again later")
	// ErrReminderNotFound: no reminder has that token any more (404); the person may have
	// deleted it in the Alexa app.
	ErrReminderNotFound = errors.New("reminders: not found")
	// ErrRemindersFailed: any other failure, such as a request Amazon refused (400).
	ErrRemindersFailed = errors.New("reminders: failed")
	// ErrInvalidReminder: the Reminder cannot be sent; no call was made.
	ErrInvalidReminder = errors.New("reminders: invalid reminder")
)

// RemindersError is a failed call to the Reminders API. errors.Is matches it with exactly
// one of ErrNoPermission, ErrRetryLater, ErrReminderNotFound and ErrRemindersFailed.
type RemindersError struct {
	Op         string // create, list, get, update or delete
	StatusCode int    // the HTTP status; 0 when no complete answer came
	Code       string // Amazon's error code, when the body had one
	Message    string // Amazon's error message, when the body had one
	Err        error  // what went wrong on the way, if anything
}

func (e *RemindersError) Error() string {
	var b strings.Builder
	b.WriteString("reminders " + e.Op + ": ")
	if e.StatusCode != 0 {
		b.WriteString("status " + strconv.Itoa(e.StatusCode))
		if e.Code != "" || e.Message != "" {
			b.WriteString(" (" + strings.TrimSpace(e.Code+" "+e.Message) + ")")
		}
		if e.Err != nil {
			b.WriteString(": ")
		}
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *RemindersError) Unwrap() error { return e.Err }

// Is reports the kind of failure.
func (e *RemindersError) Is(target error) bool { return target == e.kind() }

func (e *RemindersError) kind() error {
	switch {
	case e.StatusCode == 0, e.StatusCode == http.StatusTooManyRequests, e.StatusCode >= 500:
		return ErrRetryLater
	case e.StatusCode == http.StatusUnauthorized, e.StatusCode == http.StatusForbidden:
		return ErrNoPermission
	case e.StatusCode == http.StatusNotFound:
		return ErrReminderNotFound
	}
	return ErrRemindersFailed
}

// MaxReminderText is the longest spoken text a Reminder may carry, in characters. Amazon
// publishes no limit for skills; this is the skill's own cap, and Amazon's guidelines ask
// for far less: lead with what matters, as about 25 characters show on small screens.
const MaxReminderText = 200

// Reminder is what the skill decides about one reminder: the time of day it rings, in the
// person's zone, whether it repeats daily, and what Alexa says. Body turns it into the
// request Amazon documents.
type Reminder struct {
	Hour, Minute int            // local time of day, 0–23 and 0–59
	Zone         *time.Location // the person's zone, loaded by IANA name (its name becomes timeZoneId)
	Daily        bool           // ring every day; false rings once, at the next Hour:Minute
	Locale       string         // the locale of Text, such as "en-US"
	Text         string         // what Alexa says after "Here's your reminder": plain text from the voice catalog
	// RequestTime is when the person asked, such as the request's timestamp. The first ring
	// is the first Hour:Minute after it.
	RequestTime time.Time
	Push        bool // also notify the Alexa app on the phone
}

// Trigger types and statuses of the Reminders API.
const (
	TriggerScheduledAbsolute = "SCHEDULED_ABSOLUTE"
	TriggerScheduledRelative = "SCHEDULED_RELATIVE"
	PushEnabled              = "ENABLED"
	PushDisabled             = "DISABLED"
	ReminderOn               = "ON"
	ReminderCompleted        = "COMPLETED"
)

// ReminderTimeLayout is how the Reminders API writes local times: no offset, milliseconds.
const ReminderTimeLayout = "2006-01-02T15:04:05.000"

// ReminderRequest is the body of a create or update call.
type ReminderRequest struct {
	RequestTime      string           `json:"requestTime"`
	Trigger          Trigger          `json:"trigger"`
	AlertInfo        AlertInfo        `json:"alertInfo"`
	PushNotification PushNotification `json:"pushNotification"`
}

// Trigger says when a reminder rings.
type Trigger struct {
	Type            string      `json:"type"`
	ScheduledTime   string      `json:"scheduledTime,omitempty"`
	OffsetInSeconds *int        `json:"offsetInSeconds,omitempty"`
	TimeZoneID      string      `json:"timeZoneId,omitempty"`
	Recurrence      *Recurrence `json:"recurrence,omitempty"`
}

// Recurrence repeats a reminder by RFC 5545 rules from StartDateTime (local, in the trigger's
// zone) until EndDateTime, or for ever.
type Recurrence struct {
	StartDateTime   string   `json:"startDateTime,omitempty"`
	EndDateTime     string   `json:"endDateTime,omitempty"`
	RecurrenceRules []string `json:"recurrenceRules,omitempty"`
}

// AlertInfo is what a reminder says.
type AlertInfo struct {
	SpokenInfo SpokenInfo `json:"spokenInfo"`
}

// SpokenInfo holds one text per locale.
type SpokenInfo struct {
	Content []SpokenText `json:"content"`
}

// SpokenText is a reminder's words in one locale. Text is required even when SSML is given.
type SpokenText struct {
	Locale string `json:"locale"`
	Text   string `json:"text"`
	SSML   string `json:"ssml,omitempty"`
}

// PushNotification says whether the Alexa app also shows the reminder.
type PushNotification struct {
	Status string `json:"status"`
}

// Alert is a reminder as the API returns it: Create and Update fill the token, times,
// status, version and href; Get and List also the trigger, alert info and push
// notification. Keep AlertToken: it is the only way to update or delete the reminder.
type Alert struct {
	AlertToken       string            `json:"alertToken"`
	CreatedTime      string            `json:"createdTime,omitempty"`
	UpdatedTime      string            `json:"updatedTime,omitempty"`
	Status           string            `json:"status,omitempty"`
	Trigger          *Trigger          `json:"trigger,omitempty"`
	AlertInfo        *AlertInfo        `json:"alertInfo,omitempty"`
	PushNotification *PushNotification `json:"pushNotification,omitempty"`
	Version          string            `json:"version,omitempty"`
	Href             string            `json:"href,omitempty"`
}

// AlertList is the answer to a list call. Amazon's model gives totalCount and links as
// strings; they are kept as they come.
type AlertList struct {
	TotalCount json.RawMessage `json:"totalCount,omitempty"`
	Alerts     []Alert         `json:"alerts"`
	Links      json.RawMessage `json:"links,omitempty"`
}

// RemindersErrorBody is the body of a failed call.
type RemindersErrorBody struct {
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

// DailyRule is the RFC 5545 rule for every day at hour:minute.
func DailyRule(hour, minute int) string {
	return fmt.Sprintf("FREQ=DAILY;BYHOUR=%d;BYMINUTE=%d;BYSECOND=0", hour, minute)
}

// Body is the create or update request for r.
func (r Reminder) Body() (ReminderRequest, error) {
	switch {
	case r.Hour < 0 || r.Hour > 23 || r.Minute < 0 || r.Minute > 59:
		return ReminderRequest{}, fmt.Errorf("%w: time of day %d:%02d", ErrInvalidReminder, r.Hour, r.Minute)
	case r.Zone == nil || r.Zone.String() == "" || r.Zone.String() == "Local":
		return ReminderRequest{}, fmt.Errorf("%w: no named time zone", ErrInvalidReminder)
	case r.Locale == "":
		return ReminderRequest{}, fmt.Errorf("%w: no locale", ErrInvalidReminder)
	case strings.TrimSpace(r.Text) == "":
		return ReminderRequest{}, fmt.Errorf("%w: no text", ErrInvalidReminder)
	case utf8.RuneCountInString(r.Text) > MaxReminderText:
		return ReminderRequest{}, fmt.Errorf("%w: text of %d characters, more than %d", ErrInvalidReminder, utf8.RuneCountInString(r.Text), MaxReminderText)
	case r.RequestTime.IsZero():
		return ReminderRequest{}, fmt.Errorf("%w: no request time", ErrInvalidReminder)
	}
	now := r.RequestTime.In(r.Zone)
	first := time.Date(now.Year(), now.Month(), now.Day(), r.Hour, r.Minute, 0, 0, r.Zone)
	if !first.After(now) {
		first = time.Date(now.Year(), now.Month(), now.Day()+1, r.Hour, r.Minute, 0, 0, r.Zone)
	}
	body := ReminderRequest{
		RequestTime: now.Format(ReminderTimeLayout),
		Trigger: Trigger{
			Type:          TriggerScheduledAbsolute,
			ScheduledTime: first.Format(ReminderTimeLayout),
			TimeZoneID:    r.Zone.String(),
		},
		AlertInfo:        AlertInfo{SpokenInfo: SpokenInfo{Content: []SpokenText{{Locale: r.Locale, Text: r.Text}}}},
		PushNotification: PushNotification{Status: PushDisabled},
	}
	if r.Daily {
		body.Trigger.Recurrence = &Recurrence{
			StartDateTime:   first.Format(ReminderTimeLayout),
			RecurrenceRules: []string{DailyRule(r.Hour, r.Minute)},
		}
	}
	if r.Push {
		body.PushNotification.Status = PushEnabled
	}
	return body, nil
}

// TimeOfDay is the local time of day the alert rings: from its recurrence rule, else from
// its scheduled time. ok is false when the alert does not say.
func (a Alert) TimeOfDay() (hour, minute int, ok bool) {
	if a.Trigger == nil {
		return 0, 0, false
	}
	if a.Trigger.Recurrence != nil {
		for _, rule := range a.Trigger.Recurrence.RecurrenceRules {
			parts := ruleParts(rule)
			h, errH := strconv.Atoi(parts["BYHOUR"])
			m, errM := strconv.Atoi(parts["BYMINUTE"])
			if errH == nil && errM == nil && h >= 0 && h <= 23 && m >= 0 && m <= 59 {
				return h, m, true
			}
		}
	}
	for _, layout := range []string{ReminderTimeLayout, "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, a.Trigger.ScheduledTime); err == nil {
			return t.Hour(), t.Minute(), true
		}
	}
	return 0, 0, false
}

// Daily reports whether the alert repeats every day.
func (a Alert) Daily() bool {
	if a.Trigger == nil || a.Trigger.Recurrence == nil {
		return false
	}
	for _, rule := range a.Trigger.Recurrence.RecurrenceRules {
		if parts := ruleParts(rule); parts["FREQ"] == "DAILY" && (parts["INTERVAL"] == "" || parts["INTERVAL"] == "1") {
			return true
		}
	}
	return false
}

func ruleParts(rule string) map[string]string {
	parts := map[string]string{}
	for _, p := range strings.Split(strings.TrimPrefix(strings.TrimSpace(rule), "RRULE:"), ";") {
		if name, value, ok := strings.Cut(p, "="); ok {
			parts[strings.ToUpper(strings.TrimSpace(name))] = strings.TrimSpace(value)
		}
	}
	return parts
}

// Reminders calls the Alexa Reminders API with the apiEndpoint and apiAccessToken of a
// request's System, like Settings.
type Reminders struct {
	// Client makes the calls; nil means http.DefaultClient.
	Client *http.Client
	// Timeout bounds each call, because the skill must answer within Alexa's 8 s whatever
	// the API does; zero means two seconds. A call that runs out of time fails with
	// ErrRetryLater: the reminder may or may not have been made.
	Timeout time.Duration
}

const remindersPath = "/v1/alerts/reminders"

// Create makes a new reminder and returns it with its token.
func (c Reminders) Create(ctx context.Context, sys System, r Reminder) (Alert, error) {
	body, err := r.Body()
	if err != nil {
		return Alert{}, err
	}
	var a Alert
	if err := c.do(ctx, sys, "create", http.MethodPost, remindersPath, body, &a); err != nil {
		return Alert{}, err
	}
	if a.AlertToken == "" {
		return Alert{}, &RemindersError{Op: "create", StatusCode: http.StatusOK, Err: errors.New("answer has no alertToken")}
	}
	return a, nil
}

// Update replaces the reminder token names with r. Amazon asks for a new reminder, not an
// update, once a one-time reminder has rung.
func (c Reminders) Update(ctx context.Context, sys System, token string, r Reminder) (Alert, error) {
	body, err := r.Body()
	if err != nil {
		return Alert{}, err
	}
	if token == "" {
		return Alert{}, fmt.Errorf("%w: no alert token", ErrInvalidReminder)
	}
	var a Alert
	if err := c.do(ctx, sys, "update", http.MethodPut, remindersPath+"/"+url.PathEscape(token), body, &a); err != nil {
		return Alert{}, err
	}
	if a.AlertToken == "" {
		a.AlertToken = token
	}
	return a, nil
}

// Delete removes the reminder token names.
func (c Reminders) Delete(ctx context.Context, sys System, token string) error {
	if token == "" {
		return fmt.Errorf("%w: no alert token", ErrInvalidReminder)
	}
	return c.do(ctx, sys, "delete", http.MethodDelete, remindersPath+"/"+url.PathEscape(token), nil, nil)
}

// Get returns the reminder token names.
func (c Reminders) Get(ctx context.Context, sys System, token string) (Alert, error) {
	if token == "" {
		return Alert{}, fmt.Errorf("%w: no alert token", ErrInvalidReminder)
	}
	var a Alert
	if err := c.do(ctx, sys, "get", http.MethodGet, remindersPath+"/"+url.PathEscape(token), nil, &a); err != nil {
		return Alert{}, err
	}
	return a, nil
}

// List returns every reminder the skill has made for the person, completed ones included
// (Alexa keeps them for three days after they ring).
func (c Reminders) List(ctx context.Context, sys System) ([]Alert, error) {
	var l AlertList
	if err := c.do(ctx, sys, "list", http.MethodGet, remindersPath, nil, &l); err != nil {
		return nil, err
	}
	return l.Alerts, nil
}

func (c Reminders) do(ctx context.Context, sys System, op, method, path string, in, out any) error {
	if sys.APIEndpoint == "" || sys.APIAccessToken == "" {
		return fmt.Errorf("reminders %s: %w", op, ErrNoAPIAccess)
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 2 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("reminders %s: %w", op, err)
		}
		body = bytes.NewReader(raw)
	}
	resp, err := send(ctx, c.Client, sys, method, path, body)
	if err != nil {
		return &RemindersError{Op: op, Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 256<<10))
	if err != nil {
		return &RemindersError{Op: op, Err: fmt.Errorf("status %d, reading the answer: %w", resp.StatusCode, err)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &RemindersError{Op: op, StatusCode: resp.StatusCode}
		var b RemindersErrorBody
		if json.Unmarshal(raw, &b) == nil {
			e.Code, e.Message = b.Code, b.Message
		}
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return &RemindersError{Op: op, StatusCode: resp.StatusCode, Err: fmt.Errorf("decode the answer: %w", err)}
	}
	return nil
}
