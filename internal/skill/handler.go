package skill

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/metrics"
	"github.com/spine-opener/spine-opener/internal/voice"
)

// ZoneFinder tells the IANA time zone of the device a request came from
// (alexa.Settings in production).
type ZoneFinder interface {
	TimeZone(ctx context.Context, sys alexa.System) (string, error)
}

// RemindersAPI is what the skill does with Alexa's Reminders API (alexa.Reminders in
// production, skilltest.RemindersAPI in tests and the console).
type RemindersAPI interface {
	Create(ctx context.Context, sys alexa.System, r alexa.Reminder) (alexa.Alert, error)
	Update(ctx context.Context, sys alexa.System, token string, r alexa.Reminder) (alexa.Alert, error)
	Delete(ctx context.Context, sys alexa.System, token string) error
	List(ctx context.Context, sys alexa.System) ([]alexa.Alert, error)
}

// Handler answers Alexa requests. Build it once and share it: it holds no per-request state.
type Handler struct {
	SkillID string     // requests for any other application ID are refused
	Store   Store      // where completions, preferences and kept places live
	Zones   ZoneFinder // nil means every user is on UTC
	// Reminders sets the user's reminders; nil means reminders cannot be set (the user is
	// told to try again later).
	Reminders RemindersAPI
	Log       *slog.Logger
	// Clock is the function's own clock: it, not the request's timestamp, decides the day of
	// a record and every expiry. nil means time.Now.
	Clock func(ctx context.Context) time.Time
}

// DeadlineClock is the clock of a function that has timeout to answer: the time its
// invocation started, as the platform reckons it. Lambda gives each invocation its deadline
// (aws-lambda-go puts it in the context), the start plus the function's timeout; without a
// deadline it is time.Now.
func DeadlineClock(timeout time.Duration) func(context.Context) time.Time {
	return func(ctx context.Context) time.Time {
		if deadline, ok := ctx.Deadline(); ok {
			return deadline.Add(-timeout)
		}
		return time.Now()
	}
}

// MaxSkew is how far a request's timestamp may be from the function's clock before it is
// logged as skewed: Alexa's own tolerance for a request's age.
const MaxSkew = 150 * time.Second

// Intents lists, sorted, every intent name Handle answers specifically; any other intent is
// treated as the fallback.
func Intents() []string {
	names := make([]string, 0, len(intents))
	for name := range intents {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// UserKey is the key a user's data is stored and logged under: a SHA-256 of the Alexa user
// ID, so neither the store nor the logs hold the ID itself.
func UserKey(alexaUserID string) string {
	sum := sha256.Sum256([]byte(alexaUserID))
	return hex.EncodeToString(sum[:])
}

// Handle answers one request. It returns an error, and no speech, only for a request it must
// not or cannot answer: one for another skill (ErrWrongSkill), a malformed one
// (ErrBadRequest), or a SkillDisabled event whose data could not be deleted, so Alexa
// delivers it again. Storage failures otherwise still get a spoken answer.
func (h *Handler) Handle(ctx context.Context, req alexa.Request) (alexa.Response, error) {
	start := time.Now()
	ctx, m := metrics.NewContext(ctx) // the store's calls report to it
	t := &turn{h: h, ctx: ctx, req: req, outcome: "ok"}
	resp, err := t.handle()
	switch {
	case errors.Is(err, ErrWrongSkill):
		t.outcome = "refused"
	case errors.Is(err, ErrBadRequest):
		t.outcome = "bad_request"
	case err != nil:
		t.outcome = "error"
		m.Count(metrics.Errors)
	case t.outcome == "degraded":
		m.Count(metrics.Errors)
		m.Count(metrics.Degraded)
	}
	attrs := []slog.Attr{
		slog.String("type", req.Body.Type),
		slog.String("intent", req.IntentName()),
		slog.String("outcome", t.outcome),
		slog.Float64("latency_ms", float64(time.Since(start).Microseconds())/1000),
	}
	if t.key != "" {
		attrs = append(attrs, slog.String("user", t.key))
	}
	if t.event != "" {
		attrs = append(attrs, slog.String("phase", t.phase), slog.String("event", t.event))
	}
	if t.skew != 0 {
		attrs = append(attrs, slog.Float64("skew_s", t.skew.Seconds()))
	}
	if t.fallbackLocale {
		attrs = append(attrs, slog.String("locale", req.Body.Locale), slog.String("spoken_in", voice.DefaultLocale))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	} else if t.problem != nil {
		attrs = append(attrs, slog.String("error", t.problem.Error()))
	}
	attrs = append(attrs, m.Attrs()...) // CloudWatch's embedded metric format, on this line only
	h.logger().LogAttrs(ctx, slog.LevelInfo, "request", attrs...)
	return resp, err
}

// discard is the logger of a Handler without one, made once rather than per request.
var discard = slog.New(slog.DiscardHandler)

func (h *Handler) logger() *slog.Logger {
	if h.Log == nil {
		return discard
	}
	return h.Log
}

// turn is one request on its way through the handler: it loads what the conversation
// needs, steps it, carries out the effects and renders the answer.
type turn struct {
	h   *Handler
	ctx context.Context
	req alexa.Request
	key string    // the user's storage key
	now time.Time // when the user spoke

	// For the request's log line.
	outcome          string
	phase, event     string
	user             *User         // the stored user, once read this turn
	userErr          error         // ErrNotFound when there is none
	tip              voice.Key     // the tip chosen for after a completion
	reminderAt       time.Time     // the first reminder set this turn, as a time of day
	remindersChanged bool          // the user's reminders were set or dropped this turn
	completeFailed   bool          // the completion could not be stored
	fallbackLocale   bool          // the locale has no catalog of its own
	skew             time.Duration // how far the request's timestamp was off, past MaxSkew
	problem          error         // a failure the user was told about
}

func (t *turn) handle() (alexa.Response, error) {
	if t.h.SkillID == "" || t.req.ApplicationID() != t.h.SkillID {
		return alexa.Response{}, fmt.Errorf("%w: application ID %q", ErrWrongSkill, t.req.ApplicationID())
	}
	body := t.req.Body
	if body.Type == alexa.CanFulfillIntentRequest {
		// Before the user is known (Alexa may send no user ID) and before anything is read:
		// the answer changes nothing and depends on the request alone.
		t.outcome = "can_fulfill"
		return alexa.Response{Version: "1.0", Body: alexa.ResponseBody{CanFulfillIntent: canFulfill(body.Intent)}}, nil
	}
	userID := t.req.UserID()
	if userID == "" {
		return alexa.Response{}, fmt.Errorf("%w: no user ID", ErrBadRequest)
	}
	t.key = UserKey(userID)
	if person := t.req.PersonID(); person != "" && body.Type != alexa.SkillDisabledEvent {
		t.key = PersonKey(userID, person) // a recognised speaker's own counts, place and reminders
	}
	t.now = time.Now()
	if t.h.Clock != nil {
		t.now = t.h.Clock(t.ctx)
	}
	if d := body.Timestamp.Sub(t.now); !body.Timestamp.IsZero() && (d > MaxSkew || d < -MaxSkew) {
		t.skew = d // a replay, a wrong clock or a forgery: never trusted for dates
	}

	switch body.Type {
	case alexa.SkillEnabledEvent:
		return alexa.Response{Version: "1.0"}, nil
	case alexa.SkillDisabledEvent:
		if err := t.h.Store.DeleteUser(t.ctx, t.key); err != nil {
			return alexa.Response{}, fmt.Errorf("delete user data: %w", err)
		}
		return alexa.Response{Version: "1.0"}, nil
	case alexa.SkillPermissionAcceptedEvent, alexa.SkillPermissionChangedEvent:
		if granted, ok := t.req.PermissionGranted(alexa.PermissionReminders); ok {
			t.outcome = fmt.Sprintf("reminders_permission_%v", granted) // reminders are set only when asked for
		}
		return alexa.Response{Version: "1.0"}, nil
	case alexa.ConnectionsResponse, alexa.SessionResumedRequest:
		if t.req.Session == nil {
			t.req.Session = &alexa.Session{New: true}
		}
	case alexa.LaunchRequest, alexa.IntentRequest, alexa.SessionEndedRequest, alexa.APLUserEvent:
	default:
		t.outcome = "ignored"
		return alexa.Response{Version: "1.0"}, nil
	}
	if t.req.Session == nil {
		return alexa.Response{}, fmt.Errorf("%w: %s without a session", ErrBadRequest, body.Type)
	}
	if body.Timestamp.IsZero() {
		return alexa.Response{}, fmt.Errorf("%w: no timestamp", ErrBadRequest)
	}
	if body.Type == alexa.IntentRequest && body.Intent == nil {
		return alexa.Response{}, fmt.Errorf("%w: intent request without an intent", ErrBadRequest)
	}

	var c Conversation
	if !t.req.Session.New {
		c = decodeConversation(t.req.Session.Attributes)
	}
	ev := eventOf(body)
	t.phase, t.event = c.Phase.String(), ev.String()
	cat, exact := voice.For(body.Locale)
	t.fallbackLocale = !exact
	f := facts{RequestID: body.RequestID, Progress: t.progress(c, cat), Asked: askedMove(body), Time: saidTime(body),
		Person: t.req.PersonID()}
	if answer, ok := t.req.PermissionAnswer(alexa.PermissionReminders); ok {
		f.Consent = consent{Status: answer.Status, Token: answer.Token, CardSent: answer.CardSent}
	}
	o := step(c, ev, f)
	if o.NeedUser {
		t.loadUser(&c)
		o = step(c, ev, f)
	}
	if ev == ListReminders && t.checkReminders(&c) {
		o = step(c, ev, f)
	}
	failed, instead := t.apply(o.Effects, &c, cat)
	a := o.Answer
	if instead != nil {
		a = *instead
	}
	a.Speech = t.resolve(a.Speech, failed, &c, cat)
	a.Reprompt = t.resolve(a.Reprompt, failed, &c, cat)
	t.countRoutine(c, ev, o, failed)
	var facts screenFacts
	if _, screen := t.req.Context.System.Device.APLVersion(); screen {
		facts = t.screenFacts(&c)
	}
	next := o.Next
	next.Zone, next.ZoneAsked = c.Zone, c.ZoneAsked // found out after the step, if at all
	if t.remindersChanged {
		next.Reminders = c.Reminders
	}
	if before := speechBefore(a.Speech, cat); before >= 0 {
		next.SideAt = t.now.Add(AnswerDelay + before).UnixMilli()
	}
	return render(a, next, cat, t.req.Context.System.Device, facts)
}

// askedMove is the movement a MoveQuestionIntent names, as Alexa resolved its slot to the
// MOVEMENT type's IDs; 0 for none or one the skill does not know.
func askedMove(body alexa.RequestBody) int {
	if body.Intent == nil {
		return 0
	}
	return movementOf(body.Intent.Slots[SlotMovement])
}

// movementOf is the movement (1 to 3) a MOVEMENT slot resolved to, or 0.
func movementOf(slot alexa.Slot) int {
	id := slot.ResolvedID()
	for i, known := range movementIDs {
		if id == known {
			return i + 1
		}
	}
	return 0
}

// countRoutine counts, for the metrics, what the turn did to a routine.
func (t *turn) countRoutine(c Conversation, ev Event, o outcome, failed []voice.Key) {
	m := metrics.FromContext(t.ctx)
	next := o.Next
	if next.Run != "" && next.Run != c.Run {
		m.Count(metrics.RoutinesStarted)
	}
	if c.Kept > 0 && next.Phase.side() > 0 && next.Run == c.Run {
		m.Count(metrics.Resumed)
	}
	for _, e := range o.Effects {
		switch e.Kind {
		case Complete:
			if !t.completeFailed {
				m.Count(metrics.RoutinesCompleted)
			}
		case RecordPain:
			m.Count(metrics.RoutinesStopped)
			m.Count(metrics.StoppedForPain)
		case KeepPlace:
			if ev == StopNow || ev == Left || ev == Pause {
				m.Count(metrics.RoutinesStopped)
			}
		}
	}
}

// screenFacts are today's count and the streak, for a finished screen, when the user's
// history was read this turn anyway.
func (t *turn) screenFacts(c *Conversation) screenFacts {
	if t.user == nil {
		return screenFacts{}
	}
	today := t.now.In(t.location(c)).Format(time.DateOnly)
	return screenFacts{today: t.user.History.On(today), streak: t.user.History.Streak(today)}
}

// progress is where the side being spoken had got to when this request came.
func (t *turn) progress(c Conversation, cat *voice.Catalog) progress {
	side := c.Phase.side()
	if side == 0 || c.SideAt == 0 {
		return progress{Over: true}
	}
	elapsed := t.now.Sub(time.UnixMilli(c.SideAt))
	return timing(cat, side, c.From, c.sideTempo(), !c.SideQuiet).at(elapsed, c.From)
}

// apply carries out the effects in order and returns what to say for those that failed
// (nothing when all succeeded, or when a failure is not worth a word). c is the
// conversation as the turn found it, for the user's time zone.
func (t *turn) apply(effects []Effect, c *Conversation, cat *voice.Catalog) (sorry []voice.Key, instead *Answer) {
	for _, e := range effects {
		var err error
		switch e.Kind {
		case ReplaceReminders, DropReminders:
			err = t.reminders(e, c, cat)
			if errors.Is(err, alexa.ErrNoPermission) && e.IfNoPermission != nil {
				t.outcome = "permission_needed"
				if e.IfNoPermission.AskPermission != "" {
					t.outcome = "permission_asked"
				}
				instead = e.IfNoPermission
				continue
			}
		case SavePreferences:
			e.Prefs.Zone = c.Zone // the zone is the handler's to find out
			if err = t.h.Store.SavePreferences(t.ctx, t.key, e.Prefs); err != nil {
				err = fmt.Errorf("save preferences: %w", err)
			}
		case KeepPlace:
			if err = t.h.Store.SavePlace(t.ctx, t.key, Place{Side: e.Side, Move: e.Move, Expires: t.now.Add(PlaceLifetime)}); err != nil {
				err = fmt.Errorf("keep place: %w", err)
			}
		case ForgetPlace:
			if err = t.h.Store.ForgetPlace(t.ctx, t.key); err != nil {
				err = fmt.Errorf("forget place: %w", err)
			}
		case RecordPain:
			e.Prefs.Zone, e.Prefs.LastPain = c.Zone, t.now
			if err = t.h.Store.RecordPain(t.ctx, t.key, e.Prefs); err != nil {
				err = fmt.Errorf("record pain: %w", err)
			}
		case Complete:
			err = t.complete(e, c)
		}
		if err != nil {
			t.fail(err)
			if e.Sorry != voice.None {
				sorry = append(sorry, e.Sorry)
			}
		}
	}
	return sorry, instead
}

// reminders replaces the user's daily reminders (e.Times, or about now), or drops them all,
// then stores the tokens. A reminder already gone from the Alexa app counts as deleted.
func (t *turn) reminders(e Effect, c *Conversation, cat *voice.Catalog) error {
	if t.h.Reminders == nil {
		return errors.New("reminders: no Reminders API")
	}
	sys := t.req.Context.System
	loc := t.location(c)
	times := e.Times
	if e.Kind == ReplaceReminders && len(times) == 0 {
		local := t.now.In(loc).Add(2 * time.Minute).Truncate(5 * time.Minute) // "about now"
		times = []Reminder{{Hour: local.Hour(), Minute: local.Minute()}}
	}
	// Each reminder already set is moved to a new time in place (one call, and it never
	// rings twice); any more are created, and any left over deleted. If a call fails, what
	// this turn did is undone as far as Alexa lets it, and whatever could not be undone is
	// kept as it now is, so that the skill's list matches what rings.
	spec := func(at Reminder) alexa.Reminder {
		return alexa.Reminder{Hour: at.Hour, Minute: at.Minute, Zone: loc, Daily: true,
			Locale: cat.Locale, Text: cat.Text(voice.ReminderText, voice.Args{}), RequestTime: t.now, Push: true}
	}
	var made []Reminder
	created := map[string]bool{} // made[i] was created, not moved, by this turn
	for i, want := range times {
		var alert alexa.Alert
		err := alexa.ErrReminderNotFound
		if i < len(c.Reminders) {
			alert, err = t.h.Reminders.Update(t.ctx, sys, c.Reminders[i].Token, spec(want))
			if gone(err) {
				err = alexa.ErrReminderNotFound
			} else if err != nil {
				err = fmt.Errorf("update reminder: %w", err)
			}
		}
		if errors.Is(err, alexa.ErrReminderNotFound) { // none to move, or deleted in the Alexa app
			if alert, err = t.h.Reminders.Create(t.ctx, sys, spec(want)); err == nil {
				created[alert.AlertToken] = true
			} else {
				err = fmt.Errorf("create reminder: %w", err)
			}
		}
		if err != nil {
			t.undoReminders(c, made, created, spec)
			return err
		}
		made = append(made, Reminder{Token: alert.AlertToken, Hour: want.Hour, Minute: want.Minute})
	}
	// A reminder that could not be deleted still rings, so its token is kept, for the list
	// to name and a later cancel to try again.
	var stuck error
	for _, old := range c.Reminders[min(len(times), len(c.Reminders)):] {
		if err := t.h.Reminders.Delete(t.ctx, sys, old.Token); err != nil && !gone(err) {
			stuck = fmt.Errorf("delete reminder: %w", err)
			made = append(made, old)
		}
	}
	c.Reminders = made
	t.remindersChanged = true
	if len(made) > 0 {
		t.reminderAt = time.Date(2000, 1, 1, made[0].Hour, made[0].Minute, 0, 0, time.UTC)
	}
	p := c.preferences()
	if err := t.h.Store.SavePreferences(t.ctx, t.key, p); err != nil {
		t.fail(fmt.Errorf("save reminders: %w", err)) // set in Alexa; the skill forgets their tokens
	}
	if stuck != nil && e.Kind == ReplaceReminders {
		t.fail(stuck) // the new ones are set, which is what the user asked for
		return nil
	}
	return stuck
}

// gone reports whether a Reminders API error means there is no such reminder to act on:
// Alexa no longer has it, or the token is not one (an empty one, from a damaged session).
func gone(err error) bool {
	return errors.Is(err, alexa.ErrReminderNotFound) || errors.Is(err, alexa.ErrInvalidReminder)
}

// undoReminders undoes the first reminders a failed change made: those it created are
// deleted, those it moved are moved back. One that cannot be undone stays in c as it now
// is (the rest of c is untouched), so that the list matches what rings; c is saved if so.
func (t *turn) undoReminders(c *Conversation, made []Reminder, created map[string]bool, spec func(Reminder) alexa.Reminder) {
	sys := t.req.Context.System
	kept := slices.Clone(c.Reminders)
	changed := false
	for i, r := range made {
		if created[r.Token] {
			if err := t.h.Reminders.Delete(t.ctx, sys, r.Token); err != nil && !gone(err) {
				kept, changed = append(kept, r), true
			}
			continue
		}
		if _, err := t.h.Reminders.Update(t.ctx, sys, r.Token, spec(c.Reminders[i])); err != nil && !gone(err) {
			kept[i], changed = r, true
		}
	}
	if !changed {
		return
	}
	c.Reminders, t.remindersChanged = kept, true
	if err := t.h.Store.SavePreferences(t.ctx, t.key, c.preferences()); err != nil {
		t.fail(fmt.Errorf("save reminders: %w", err))
	}
}

// checkReminders asks Alexa which of the reminders the skill set still exist, since the
// user may have deleted some in the Alexa app, and forgets those that do not. It reports
// whether c changed. When Alexa cannot say, c stays as stored.
func (t *turn) checkReminders(c *Conversation) bool {
	if !c.Loaded || len(c.Reminders) == 0 || t.h.Reminders == nil {
		return false
	}
	alerts, err := t.h.Reminders.List(t.ctx, t.req.Context.System)
	if err != nil { // the answer may name one deleted since; the user hears no failure
		t.h.logger().InfoContext(t.ctx, "reminders list failed", slog.String("error", err.Error()))
		return false
	}
	var live []Reminder
	for _, r := range c.Reminders {
		if slices.ContainsFunc(alerts, func(a alexa.Alert) bool { return a.AlertToken == r.Token && a.Status != alexa.ReminderCompleted }) {
			live = append(live, r)
		}
	}
	if len(live) == len(c.Reminders) {
		return false
	}
	c.Reminders, t.remindersChanged = live, true
	if err := t.h.Store.SavePreferences(t.ctx, t.key, c.preferences()); err != nil {
		t.fail(fmt.Errorf("save reminders: %w", err)) // asked again next time
	}
	return true
}

// saidTime is the time of day a reminder intent's AMAZON.TIME slot holds: "08:00", or
// Alexa's MO, AF, EV and NI for morning, afternoon, evening and night.
func saidTime(body alexa.RequestBody) *Reminder {
	if body.Intent == nil {
		return nil
	}
	v := body.Intent.Slots[SlotTime].Value
	switch v {
	case "MO":
		return &Reminder{Hour: 8}
	case "AF":
		return &Reminder{Hour: 14}
	case "EV":
		return &Reminder{Hour: 18}
	case "NI":
		return &Reminder{Hour: 20}
	}
	at, err := time.Parse("15:04", v)
	if err != nil {
		return nil
	}
	return &Reminder{Hour: at.Hour(), Minute: at.Minute()}
}

// complete records a finished routine on the user's local day.
func (t *turn) complete(e Effect, c *Conversation) error {
	loc := t.location(c)
	e.Prefs.Zone = c.Zone
	id := e.Run
	if id == "" {
		id = t.req.Session.SessionID // a routine resumed from a kept place: one per session
	}
	done := Completion{ID: id, At: t.now, Day: t.now.In(loc).Format(time.DateOnly), Zone: loc.String(), SessionID: t.req.Session.SessionID}
	var err error
	for range conflictRetries {
		var u User
		if u, err = t.readUser(); err != nil && !errors.Is(err, ErrNotFound) {
			t.user = nil // throttled, say: the read is retried within the completion's time
			if t.ctx.Err() != nil {
				break
			}
			continue
		}
		h := u.History.With(done)
		t.tip = voice.None
		if i := nextTip(e.Prefs.TipsHeard); i >= 0 && tipTime(u.History, done) {
			t.tip = voice.Tip(i) // said after the count; remembered with the completion
			e.Prefs.TipsHeard |= 1 << i
		}
		var fresh bool
		if fresh, err = t.h.Store.Complete(t.ctx, t.key, done, e.Prefs, h); !errors.Is(err, ErrConflict) {
			if fresh {
				t.user.History = h // today's count comes from it
			}
			break
		}
		t.user = nil // another device finished one too: read the history again
	}
	switch {
	case errors.Is(err, ErrGone):
		// The user disabled the skill while this was under way: nothing of theirs is kept,
		// and nothing is logged that could be replayed; the request's line says it was
		// refused.
		t.completeFailed, t.outcome = true, "gone"
		t.problem = errors.Join(t.problem, fmt.Errorf("completion refused: %w", err))
		return nil
	case err != nil:
		t.completeFailed = true
		metrics.FromContext(t.ctx).Count(metrics.UnsavedCompletions)
		t.logUnsaved(done, e.Prefs, err)
		return err
	}
	return nil
}

// tipTime is whether a routine earns an everyday tip after it: now and then (every third
// routine), and never on the user's first day.
func tipTime(before History, done Completion) bool {
	for _, d := range before.Days {
		if d.Date != done.Day {
			return (before.Total+1)%3 == 0
		}
	}
	return false
}

// conflictRetries bounds the rereads when two devices of one user finish at once.
const conflictRetries = 3

// resolve fills in today's counts and settles Saved lines: the first gives way to what
// failed effects have to say, the others go; when all succeeded they stay (a bare marker
// vanishing).
func (t *turn) resolve(lines []Line, failed []voice.Key, c *Conversation, cat *voice.Catalog) []Line {
	if lines == nil {
		return nil // no reprompt: the session ends
	}
	out := make([]Line, 0, len(lines)+len(failed))
	sorrySaid := false
	for _, l := range lines {
		if l.Saved {
			if len(failed) > 0 {
				if !sorrySaid {
					for _, k := range failed {
						out = append(out, msg(k))
					}
					sorrySaid = true
				}
				continue
			}
			if l.Key == voice.None && l.Stat == NoStat {
				continue // a marker
			}
		}
		if l.Stat != NoStat {
			var ok bool
			var err error
			if l, ok, err = t.stat(l, c, cat); err != nil {
				t.fail(err)
				if l.Sorry != voice.None {
					out = append(out, msg(l.Sorry))
				}
				continue
			}
			if !ok {
				continue // nothing worth saying
			}
		}
		out = append(out, l)
	}
	return out
}

// stat fills in l from the user's history, in their time zone; ok is false when there is
// nothing worth saying.
func (t *turn) stat(l Line, c *Conversation, cat *voice.Catalog) (_ Line, ok bool, _ error) {
	loc := t.location(c)
	u, err := t.readUser()
	if err != nil && !errors.Is(err, ErrNotFound) {
		return l, false, fmt.Errorf("read history: %w", err)
	}
	h := u.History
	now := t.now.In(loc)
	today := now.Format(time.DateOnly)
	weekStart := now.AddDate(0, 0, -int((7+now.Weekday()-cat.WeekStart)%7))
	days := func(from, to time.Time) (days, routines int) { // local dates in [from, to)
		for _, d := range h.Days {
			if d.Date >= from.Format(time.DateOnly) && d.Date < to.Format(time.DateOnly) {
				days, routines = days+1, routines+d.Count
			}
		}
		return days, routines
	}
	switch l.Stat {
	case StatToday:
		l.Args.Count = h.On(today)
	case StatYesterday:
		l.Args.Count = h.On(now.AddDate(0, 0, -1).Format(time.DateOnly))
	case StatWeek:
		l.Args.Count, _ = days(weekStart, now.AddDate(0, 0, 1))
	case StatLastWeek:
		l.Args.Count, _ = days(weekStart.AddDate(0, 0, -7), weekStart)
	case StatStreak:
		l.Args.Count = h.Streak(today)
	case StatLongest:
		l.Args.Count = h.Longest
		return l, h.Longest > 0, nil
	case StatLast:
		last := h.LastAt.In(loc)
		switch ago := int(midnight(now).Sub(midnight(last)).Hours()/24 + 0.5); {
		case h.Total == 0:
			l.Key = voice.LastNever
		case ago == 0:
			l.Key, l.Args.At = voice.LastToday, last
		case ago == 1:
			l.Key, l.Args.At = voice.LastYesterday, last
		default:
			l.Key, l.Args.Count = voice.LastDaysAgo, ago
		}
	case StatAfter:
		_, week := days(weekStart, now.AddDate(0, 0, 1))
		switch {
		case h.On(today) == 1 && h.Run >= 2:
			l.Key, l.Args.Count = voice.ProgressRun, h.Run
		case week >= 2:
			l.Key, l.Args.Count = voice.ProgressWeek, week
		default:
			return l, false, nil
		}
	case StatTip:
		l.Key = t.tip
		return l, t.tip != voice.None, nil
	case StatReminder:
		l.Args.At = t.reminderAt
		return l, true, nil
	}
	return l, true, nil
}

func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// logUnsaved writes, as one JSON line, everything needed to record the completion later.
func (t *turn) logUnsaved(c Completion, p Preferences, err error) {
	t.h.logger().LogAttrs(t.ctx, slog.LevelError, "unsaved completion",
		slog.String("user", t.key),
		slog.String("id", c.ID),
		slog.Time("at", c.At),
		slog.String("day", c.Day),
		slog.String("zone", c.Zone),
		slog.String("session", c.SessionID),
		slog.Int("tempo_s", int(p.Tempo/time.Second)),
		slog.Bool("note_heard", p.NoteHeard),
		slog.String("error", err.Error()),
	)
}

// fail notes a failure the user is being told about; it shows in the request's log line.
func (t *turn) fail(err error) {
	t.outcome = "degraded"
	t.problem = errors.Join(t.problem, err)
}

// loadUser reads the stored user into the conversation, once per session. A storage
// failure is logged and the session goes on with defaults.
func (t *turn) loadUser(c *Conversation) {
	if c.Loaded {
		return
	}
	c.Loaded = true
	u, err := t.readUser()
	if errors.Is(err, ErrNotFound) {
		return
	}
	if err != nil {
		t.fail(err)
		return
	}
	if c.Tempo == 0 && u.Tempo >= MinTempo && u.Tempo <= MaxTempo {
		c.Tempo = int(u.Tempo / time.Second)
	}
	c.NoteHeard = c.NoteHeard || u.NoteHeard
	if c.Zone == "" {
		c.Zone = u.Zone
	}
	if p := u.Paused; p != nil && t.now.Before(p.Expires) {
		c.Stored = true
		// A place at the end of side two would be a finished routine: nothing to carry on.
		if p.Side >= 1 && p.Side <= Sides && p.Move >= 0 && p.Move <= Movements && (p.Side < Sides || p.Move > 0) {
			c.Kept, c.KeptMove = p.Side, p.Move
		}
	}
	if !u.LastPain.IsZero() {
		c.LastPain, c.PainNoted = u.LastPain.Unix(), u.PainNoted
		c.Gentle = !u.PainNoted && t.now.Sub(u.LastPain) < PainMemory
	}
	c.SoundsOff, c.TipsHeard, c.Offered = u.SoundsOff, u.TipsHeard, u.RemindersOffered
	c.Reminders = u.Reminders
}

// readUser reads the stored user, once a turn.
func (t *turn) readUser() (User, error) {
	if t.user == nil {
		u, err := t.h.Store.User(t.ctx, t.key)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return User{}, fmt.Errorf("load user: %w", err)
		}
		t.user, t.userErr = &u, err
	}
	return *t.user, t.userErr
}

// location is the user's time zone: the device's, asked of the Settings API at most once a
// session, else the last one stored for the user, else UTC.
func (t *turn) location(c *Conversation) *time.Location {
	if !c.ZoneAsked && t.h.Zones != nil {
		c.ZoneAsked = true
		name, err := t.h.Zones.TimeZone(t.ctx, t.req.Context.System)
		if err == nil {
			if _, err = loadZone(name); err == nil {
				c.Zone = name
			}
		}
		if err != nil {
			t.fail(fmt.Errorf("time zone: %w", err)) // the fallback below still gives an answer
		}
	}
	if c.Zone == "" {
		t.loadUser(c)
	}
	if loc, err := loadZone(c.Zone); err == nil {
		return loc
	}
	return time.UTC
}

func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("time zone %q is not a named zone", name)
	}
	return time.LoadLocation(name)
}

// countToday counts the routines of the user's local today, from their history.
func (t *turn) countToday(c *Conversation) (int, error) {
	loc := t.location(c)
	u, err := t.readUser()
	if err != nil && !errors.Is(err, ErrNotFound) {
		return 0, fmt.Errorf("count completions: %w", err)
	}
	return u.History.On(t.now.In(loc).Format(time.DateOnly)), nil
}
