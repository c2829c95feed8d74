package skill

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
)

// ZoneFinder tells the IANA time zone of the device a request came from
// (alexa.Settings in production).
type ZoneFinder interface {
	TimeZone(ctx context.Context, sys alexa.System) (string, error)
}

// Handler answers Alexa requests. Build it once and share it: it holds no per-request state.
type Handler struct {
	SkillID string     // requests for any other application ID are refused
	Store   Store      // where completions, preferences and paused places live
	Zones   ZoneFinder // nil means every user is on UTC
	Log     *slog.Logger
}

// Intent names the skill handles: its own, and Amazon's built-ins.
const (
	IntentNextSide     = "NextSideIntent"
	IntentDone         = "DoneIntent"
	IntentHowManyToday = "HowManyTodayIntent"
	IntentSlower       = "SlowerIntent"
	IntentFaster       = "FasterIntent"
)

// intents maps each intent to its turn. A new intent is one line here and one method.
var intents = map[string]func(*turn) (alexa.Response, error){
	IntentNextSide:              (*turn).next,
	"AMAZON.NextIntent":         (*turn).next,
	IntentDone:                  (*turn).done,
	IntentHowManyToday:          (*turn).howMany,
	IntentSlower:                func(t *turn) (alexa.Response, error) { return t.changeTempo(TempoStep) },
	IntentFaster:                func(t *turn) (alexa.Response, error) { return t.changeTempo(-TempoStep) },
	"AMAZON.StopIntent":         (*turn).stop,
	"AMAZON.CancelIntent":       (*turn).stop,
	"AMAZON.NavigateHomeIntent": (*turn).stop,
	"AMAZON.PauseIntent":        (*turn).pause,
	"AMAZON.ResumeIntent":       (*turn).resume,
	"AMAZON.RepeatIntent":       (*turn).repeat,
	"AMAZON.StartOverIntent":    (*turn).startOver,
	"AMAZON.HelpIntent":         (*turn).help,
	"AMAZON.YesIntent":          (*turn).yes,
	"AMAZON.NoIntent":           (*turn).no,
	"AMAZON.FallbackIntent":     (*turn).fallback,
}

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
	t := &turn{h: h, ctx: ctx, req: req, outcome: "ok"}
	resp, err := t.handle()
	switch {
	case errors.Is(err, ErrWrongSkill):
		t.outcome = "refused"
	case errors.Is(err, ErrBadRequest):
		t.outcome = "bad_request"
	case err != nil:
		t.outcome = "error"
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
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	} else if t.problem != nil {
		attrs = append(attrs, slog.String("error", t.problem.Error()))
	}
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

// turn is one request on its way through the handler.
type turn struct {
	h       *Handler
	ctx     context.Context
	req     alexa.Request
	st      state
	key     string    // the user's storage key
	now     time.Time // when the user spoke
	outcome string    // for the request's log line
	problem error     // a failure the user was told about, for the log line
}

func (t *turn) handle() (alexa.Response, error) {
	if t.h.SkillID == "" || t.req.ApplicationID() != t.h.SkillID {
		return alexa.Response{}, fmt.Errorf("%w: application ID %q", ErrWrongSkill, t.req.ApplicationID())
	}
	body := t.req.Body
	userID := t.req.UserID()
	if userID == "" {
		return alexa.Response{}, fmt.Errorf("%w: no user ID", ErrBadRequest)
	}
	t.key = UserKey(userID)
	t.now = body.Timestamp

	switch body.Type {
	case alexa.SkillEnabledEvent:
		return empty(), nil
	case alexa.SkillDisabledEvent:
		if err := t.h.Store.DeleteUser(t.ctx, t.key); err != nil {
			return alexa.Response{}, fmt.Errorf("delete user data: %w", err)
		}
		return empty(), nil
	case alexa.LaunchRequest, alexa.IntentRequest, alexa.SessionEndedRequest:
	default:
		t.outcome = "ignored"
		return empty(), nil
	}

	if t.req.Session == nil {
		return alexa.Response{}, fmt.Errorf("%w: %s without a session", ErrBadRequest, body.Type)
	}
	if body.Timestamp.IsZero() {
		return alexa.Response{}, fmt.Errorf("%w: no timestamp", ErrBadRequest)
	}
	if !t.req.Session.New {
		t.st = decodeState(t.req.Session.Attributes)
	}

	switch body.Type {
	case alexa.LaunchRequest:
		return t.launch()
	case alexa.SessionEndedRequest:
		return t.sessionEnded()
	}
	if body.Intent == nil {
		return alexa.Response{}, fmt.Errorf("%w: intent request without an intent", ErrBadRequest)
	}
	if answer, ok := intents[body.Intent.Name]; ok {
		return answer(t)
	}
	return t.fallback()
}

// empty is the answer to requests that must get no speech.
func empty() alexa.Response {
	return alexa.Response{Version: "1.0"}
}

// fail notes a failure the user is being told about; it shows in the request's log line.
func (t *turn) fail(err error) {
	t.outcome = "degraded"
	t.problem = errors.Join(t.problem, err)
}
