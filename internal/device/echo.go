// Package device plays an Echo and the Alexa service behind it, for one person: typed lines
// are resolved through the interaction model as Alexa would resolve speech, sessions are
// opened, carried and ended as Alexa does (silence gets the reprompt, then the session
// times out), and each request goes to a HandlerFunc. The console is a terminal around an
// Echo; golden transcripts play an Echo against the handler, the console and the compiled
// Lambda function.
package device

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/interaction"
)

// HandlerFunc answers one request, as skill.Handler.Handle does.
type HandlerFunc func(context.Context, alexa.Request) (alexa.Response, error)

// Echo is one device and its user. Set the fields, then call Launch, Hear and Event.
type Echo struct {
	Handle HandlerFunc
	Model  *interaction.Model

	SkillID, UserID, DeviceID string
	Locale                    string // en-US when empty
	APIEndpoint, APIToken     string // what requests name for Alexa's APIs
	// IDPrefix makes request and session IDs unique to this Echo: a completion is stored
	// under the ID of the request that began it, so two runs must not reuse IDs on one
	// store. Empty means one made from the time of the first request.
	IDPrefix string
	Clock    func() time.Time // request timestamps; nil means time.Now

	// Screen, when set, is the newest APL version the device's screen renders, as an Echo
	// Show says in supportedInterfaces; empty is a device without a screen.
	Screen string

	// OnConsent, when set, hears the answer to Alexa's question for a permission before the
	// skill does: a stand-in for an Alexa API grants the permission there.
	OnConsent func(scope, status string)

	session  *alexa.Session // nil between sessions
	consent  *asked         // Alexa is asking for a permission
	last     *alexa.Request // the last request sent, for Again
	reprompt string         // the open session's reprompt, for silence
	silences int
	requests int
	sessions int
}

// Reply is what one thing the user did came to.
type Reply struct {
	Requests []alexa.Request       // what was sent, in order; none for a first silence
	Response alexa.Response        // the answer to the last request
	Err      error                 // the skill's error for the last request: Alexa says it had a problem
	Speech   string                // the SSML Alexa spoke: the answer, or the reprompt; "" for none
	Ended    bool                  // no session is open now
	Note     string                // what the device did without the skill, if anything
	Heard    interaction.Utterance // what a typed line was taken for; zero for silence and for Launch, Event, Close
}

// Open reports whether a session is open.
func (e *Echo) Open() bool { return e.session != nil }

// Launch opens the skill as "Alexa, open spine opener" does, ending any open session first.
func (e *Echo) Launch(ctx context.Context) Reply {
	var r Reply
	if e.session != nil {
		e.end(ctx, &r, alexa.ReasonUserInitiated)
	}
	e.startSession()
	e.send(ctx, &r, e.request(alexa.LaunchRequest))
	return r
}

// Hear acts on one typed line as Alexa would on speech: "" is silence; "exit" closes the
// skill; a launch phrase opens it; anything else is resolved to an intent, inside the open
// session or as a one-shot request in a new one.
func (e *Echo) Hear(ctx context.Context, line string) Reply {
	var r Reply
	line = strings.TrimSpace(line)
	if e.consent != nil {
		return e.answerConsent(ctx, line)
	}
	if line == "" {
		if e.session == nil {
			r.Ended, r.Note = true, "silence, and no session is open"
			return r
		}
		e.silences++
		if e.silences == 1 && e.reprompt != "" {
			r.Speech = e.reprompt
			return r
		}
		e.end(ctx, &r, alexa.ReasonExceededMaxReprompts)
		return r
	}
	e.silences = 0
	u := e.Model.Resolve(line)
	r.Heard = u
	switch u.Kind {
	case interaction.KindExit:
		if e.session == nil {
			r.Ended, r.Note = true, "no session is open"
			return r
		}
		e.end(ctx, &r, alexa.ReasonUserInitiated)
		return r
	case interaction.KindLaunch:
		r = e.Launch(ctx)
		r.Heard = u
		return r
	}
	if e.session == nil {
		e.startSession() // a one-shot: "Alexa, ask spine opener ..."
	}
	req := e.request(alexa.IntentRequest)
	req.Body.Intent = &alexa.Intent{Name: u.Intent, ConfirmationStatus: "NONE", Slots: e.slots(u)}
	e.send(ctx, &r, req)
	return r
}

// slots are the line's slot values as Alexa sends them: with entity resolution against the
// model's slot types.
func (e *Echo) slots(u interaction.Utterance) map[string]alexa.Slot {
	if len(u.Slots) == 0 {
		return nil
	}
	out := make(map[string]alexa.Slot, len(u.Slots))
	for name, v := range u.Slots {
		slot := alexa.Slot{Name: name, Value: v.Value, ConfirmationStatus: "NONE"}
		if v.Type != "" {
			r := alexa.Resolution{Authority: "amzn1.er-authority.echo-sdk." + e.SkillID + "." + v.Type,
				Status: alexa.ResolutionStatus{Code: "ER_SUCCESS_NO_MATCH"}}
			if v.ID != "" {
				var rv alexa.ResolvedValue
				rv.Value.ID, rv.Value.Name = v.ID, v.Name
				r.Status.Code, r.Values = alexa.ResolutionMatch, []alexa.ResolvedValue{rv}
			}
			slot.Resolutions = &alexa.Resolutions{ResolutionsPerAuthority: []alexa.Resolution{r}}
		}
		out[name] = slot
	}
	return out
}

// CanFulfill is what Alexa does with line said without the skill's name: it resolves it
// through the model and asks the skill, outside any session, whether it could answer.
func (e *Echo) CanFulfill(ctx context.Context, line string) Reply {
	var r Reply
	u := e.Model.Resolve(line)
	r.Heard = u
	if u.Kind != interaction.KindIntent {
		// Said with the skill's name, it goes to the skill directly, without asking.
		r.Ended, r.Note = true, fmt.Sprintf("this is a %s, not an intent: Alexa asks a skill with CanFulfillIntentRequest about intents only", u.Kind)
		return r
	}
	req := e.request(alexa.CanFulfillIntentRequest)
	req.Session = &alexa.Session{New: true, SessionID: fmt.Sprintf("amzn1.echo-api.session.%s-cfir", e.prefix()),
		Application: alexa.Application{ApplicationID: e.SkillID}, User: alexa.User{UserID: e.UserID}}
	req.Body.Intent = &alexa.Intent{Name: u.Intent, ConfirmationStatus: "NONE", Slots: e.slots(u)}
	r.Requests = append(r.Requests, req)
	r.Response, r.Err = e.Handle(ctx, req)
	r.Ended = true
	return r
}

// Touch presses a button of the skill's screen: an Alexa.Presentation.APL.UserEvent with
// the button's argument, in the open session.
func (e *Echo) Touch(ctx context.Context, argument string) Reply {
	var r Reply
	if e.session == nil {
		r.Ended, r.Note = true, "no screen is showing the skill"
		return r
	}
	req := e.request(alexa.APLUserEvent)
	arg, _ := json.Marshal(argument)
	req.Body.Token, req.Body.Arguments = "spine-opener", []json.RawMessage{arg}
	e.send(ctx, &r, req)
	return r
}

func (e *Echo) interfaces() map[string]json.RawMessage {
	if e.Screen == "" {
		return nil
	}
	apl, _ := json.Marshal(map[string]any{"runtime": map[string]string{"maxVersion": e.Screen}})
	return map[string]json.RawMessage{alexa.APLInterface: apl}
}

// Event delivers a skill event such as alexa.SkillDisabledEvent, which has no session.
func (e *Echo) Event(ctx context.Context, typ string) Reply {
	var r Reply
	req := e.request(typ)
	req.Session = nil
	e.send(ctx, &r, req)
	r.Ended = e.session == nil
	return r
}

// Close ends an open session as the user walking away would ("exit").
func (e *Echo) Close(ctx context.Context) Reply {
	var r Reply
	if e.session != nil {
		e.end(ctx, &r, alexa.ReasonUserInitiated)
	}
	r.Ended = true
	return r
}

func (e *Echo) end(ctx context.Context, r *Reply, reason string) {
	req := e.request(alexa.SessionEndedRequest)
	req.Body.Reason = reason
	e.send(ctx, r, req)
}

func (e *Echo) now() time.Time {
	if e.Clock != nil {
		return e.Clock()
	}
	return time.Now()
}

func (e *Echo) prefix() string {
	if e.IDPrefix == "" {
		e.IDPrefix = strconv.FormatInt(e.now().UnixNano(), 36)
	}
	return e.IDPrefix
}

func (e *Echo) startSession() {
	e.sessions++
	e.session = &alexa.Session{
		New:         true,
		SessionID:   fmt.Sprintf("amzn1.echo-api.session.%s-%d", e.prefix(), e.sessions),
		Application: alexa.Application{ApplicationID: e.SkillID},
		User:        alexa.User{UserID: e.UserID},
	}
	e.reprompt, e.silences = "", 0
}

func (e *Echo) request(typ string) alexa.Request {
	e.requests++
	locale := e.Locale
	if locale == "" {
		locale = "en-US"
	}
	req := alexa.Request{
		Version: "1.0",
		Context: alexa.Context{System: alexa.System{
			Application:    alexa.Application{ApplicationID: e.SkillID},
			User:           alexa.User{UserID: e.UserID},
			Device:         alexa.Device{DeviceID: e.DeviceID, SupportedInterfaces: e.interfaces()},
			APIEndpoint:    e.APIEndpoint,
			APIAccessToken: e.APIToken,
		}},
		Body: alexa.RequestBody{
			Type:      typ,
			RequestID: fmt.Sprintf("amzn1.echo-api.request.%s-%d", e.prefix(), e.requests),
			Timestamp: e.now().UTC().Truncate(time.Second),
			Locale:    locale,
		},
	}
	if e.session != nil {
		s := *e.session
		req.Session = &s
	}
	return req
}

// Again delivers the last request once more, as Alexa does when it has not had an answer
// in time (a retry): the same request ID and session.
func (e *Echo) Again(ctx context.Context) Reply {
	var r Reply
	if e.last == nil {
		r.Ended, r.Note = e.session == nil, "nothing was sent yet"
		return r
	}
	e.send(ctx, &r, *e.last)
	return r
}

// send delivers req and opens or closes the session as the answer says.
func (e *Echo) send(ctx context.Context, r *Reply, req alexa.Request) {
	e.last = &req
	r.Requests = append(r.Requests, req)
	resp, err := e.Handle(ctx, req)
	r.Response, r.Err, r.Speech, r.Ended = resp, err, "", false
	switch {
	case req.Session == nil:
		r.Ended = e.session == nil
		return
	case req.Body.Type == alexa.SessionEndedRequest, err != nil:
		e.session, r.Ended = nil, true
		return
	}
	if sp := resp.Body.OutputSpeech; sp != nil {
		r.Speech = sp.SSML
	}
	if c := askedConsent(resp); c != nil {
		// Alexa takes the turn and asks; the next line answers it.
		e.consent = c
		r.Speech = withQuestion(r.Speech, askPermissionQuestion)
		return
	}
	if resp.Body.ShouldEndSession == nil || *resp.Body.ShouldEndSession {
		e.session, r.Ended = nil, true
		return
	}
	e.session.New = false
	e.session.Attributes = resp.SessionAttributes
	e.reprompt = ""
	if rp := resp.Body.Reprompt; rp != nil {
		e.reprompt = rp.OutputSpeech.SSML
	}
}
