package skill

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/ssml"
)

const (
	firstUseNote = "Before your first rep, one safety word: move only as far as feels comfortable, and if you feel a sharp pain or burning, ease off and talk to your doctor."
	stopMessage  = "Okay, stopping here. If you noticed any sharp pain or a burning feeling, back off and talk to your doctor about it. " +
		"And do check with your doctor before you take up any new exercise."
	overview = "The spine opener is three movements: the spine twist, the twist with a curl, and thread the needle, five reps each, with one arm working and then the other."
)

func (t *turn) launch() (alexa.Response, error) {
	t.loadUser()
	if t.st.OfferSide > 0 {
		t.st.Offer = offerResume
		return t.carryOn(say(fmt.Sprintf("Welcome back. You paused the spine opener on side %s.", numberWord(t.st.OfferSide))))
	}
	if !t.st.NoteHeard {
		return t.begin(1, "Welcome to the spine opener. "+overview)
	}
	return t.begin(1, "Welcome back. Let's open up that spine.")
}

func (t *turn) next() (alexa.Response, error) {
	switch {
	case t.st.Side == 1:
		return t.deliver(2, "Switching sides.")
	case t.st.Side == 2:
		return t.complete(true)
	case t.st.Offer == offerResume:
		return t.resume()
	case t.st.Offer == offerStart:
		return t.begin(1, "Here we go.")
	}
	return t.launch()
}

func (t *turn) done() (alexa.Response, error) {
	switch {
	case t.st.Side == 2:
		return t.complete(true)
	case t.st.Side == 1:
		return t.carryOn(say("That was side one. The other arm balances it out."))
	case t.req.Session.New:
		return t.tell(say("There's no spine opener under way right now. To begin one, say: Alexa, start my spine opener."))
	}
	return t.carryOn(say("We haven't started yet."))
}

func (t *turn) yes() (alexa.Response, error) {
	switch t.st.Offer {
	case offerResume:
		return t.resume()
	case offerStart:
		return t.begin(1, "Here we go.")
	}
	return t.fallback()
}

func (t *turn) no() (alexa.Response, error) {
	switch t.st.Offer {
	case offerResume:
		return t.startOver()
	case offerStart:
		return t.tell(say("Okay. Come back whenever your back could use it."))
	}
	return t.fallback()
}

func (t *turn) resume() (alexa.Response, error) {
	switch {
	case t.st.Side > 0:
		return t.deliver(t.st.Side, fmt.Sprintf("From the top of side %s.", numberWord(t.st.Side)))
	case t.st.OfferSide > 0:
		return t.begin(t.st.OfferSide, fmt.Sprintf("Picking up at the start of side %s.", numberWord(t.st.OfferSide)))
	}
	t.loadUser()
	if t.st.OfferSide > 0 {
		return t.begin(t.st.OfferSide, fmt.Sprintf("Welcome back. Picking up at the start of side %s.", numberWord(t.st.OfferSide)))
	}
	return t.begin(1, "There's nothing paused, so let's start from the beginning.")
}

func (t *turn) startOver() (alexa.Response, error) {
	return t.begin(1, "Starting over from the top.")
}

func (t *turn) repeat() (alexa.Response, error) {
	if t.st.Side > 0 {
		return t.deliver(t.st.Side, fmt.Sprintf("Here's side %s again.", numberWord(t.st.Side)))
	}
	return t.carryOn(&ssml.Builder{})
}

func (t *turn) pause() (alexa.Response, error) {
	switch {
	case t.st.Side > 0:
		if t.savePlace(t.st.Side) {
			return t.tell(say(fmt.Sprintf("Paused. I'll keep your place at the start of side %s for a day. Whenever you're ready, say: Alexa, ask spine opener to resume.", numberWord(t.st.Side))))
		}
		return t.tell(say(sorryPlace))
	case t.st.Offer == offerResume:
		return t.tell(say(fmt.Sprintf("Your place on side %s is still kept. Say: Alexa, ask spine opener to resume, when you're ready.", numberWord(t.st.OfferSide))))
	case t.req.Session.New:
		return t.tell(say("There's nothing to pause just now."))
	}
	return t.carryOn(say("There's nothing to pause just now."))
}

// stop ends with the safety message. It records nothing: a stopped routine is no
// completion, and "pause" is how to keep a place.
func (t *turn) stop() (alexa.Response, error) {
	return t.tell(say(stopMessage))
}

func (t *turn) help() (alexa.Response, error) {
	b := say(overview)
	b.Say("While you're moving, you can say next side, slower or faster, repeat, pause, or stop. You can also ask how many times you've done it today.")
	return t.carryOn(b)
}

func (t *turn) fallback() (alexa.Response, error) {
	return t.carryOn(say("Sorry, I didn't catch that."))
}

func (t *turn) howMany() (alexa.Response, error) {
	n, err := t.countToday()
	var b *ssml.Builder
	switch {
	case err != nil:
		t.fail(err)
		b = say(sorryCount)
	case n == 0:
		b = say("You haven't done the spine opener yet today.")
	default:
		b = say(fmt.Sprintf("You've done the spine opener %s today.", timesWord(n)))
	}
	if t.st.Side > 0 || t.st.Offer == offerResume {
		return t.carryOn(b)
	}
	return t.tell(b)
}

// changeTempo makes each rep delta longer, within MinTempo and MaxTempo, and remembers it.
// Mid-routine the current side starts again at once at the new pace.
func (t *turn) changeTempo(delta time.Duration) (alexa.Response, error) {
	t.loadUser()
	old := t.st.tempo()
	tempo := min(max(old+delta, MinTempo), MaxTempo)
	seconds := numberWord(int(tempo / time.Second))
	if tempo == old {
		limit := "slowest"
		if delta < 0 {
			limit = "fastest"
		}
		b := say(fmt.Sprintf("That's already the %s pace I have: %s seconds a rep.", limit, seconds))
		if t.st.Side > 0 || t.st.Offer == offerResume {
			return t.carryOn(b)
		}
		return t.tell(b)
	}

	t.st.Tempo = int(tempo / time.Second)
	word := "Slower"
	if delta < 0 {
		word = "Faster"
	}
	lead := fmt.Sprintf("%s it is: about %s seconds a rep.", word, seconds)
	if err := t.h.Store.SavePreferences(t.ctx, t.key, t.st.preferences()); err != nil {
		t.fail(fmt.Errorf("save tempo: %w", err))
		lead += " " + sorryTempo
	}
	switch {
	case t.st.Side > 0:
		return t.deliver(t.st.Side, fmt.Sprintf("%s Let's take side %s again at that pace.", lead, numberWord(t.st.Side)))
	case t.st.Offer == offerResume:
		return t.carryOn(say(lead))
	}
	return t.tell(say(lead + " I'll use it from your next routine."))
}

func (t *turn) sessionEnded() (alexa.Response, error) {
	switch {
	case t.st.Side == Sides && t.req.Body.Reason == alexa.ReasonExceededMaxReprompts:
		// The user heard every rep and simply didn't say "done".
		return t.complete(false)
	case t.st.Side > 0:
		t.savePlace(t.st.Side)
	}
	return empty(), nil
}

// begin starts a new routine at side, under a new completion ID.
func (t *turn) begin(side int, lead string) (alexa.Response, error) {
	t.st.Run = t.req.Body.RequestID
	return t.deliver(side, lead)
}

// deliver speaks one whole side and waits for "next side" or "done". The stored user is
// read first (once a session), for their tempo and whether they have heard the note.
func (t *turn) deliver(side int, lead string) (alexa.Response, error) {
	t.loadUser()
	b := say(lead)
	if !t.st.NoteHeard {
		b.Say(firstUseNote)
		t.st.NoteHeard = true
		if err := t.h.Store.SavePreferences(t.ctx, t.key, t.st.preferences()); err != nil {
			t.fail(fmt.Errorf("save first use: %w", err)) // at worst they hear the note again
		}
	}
	speakSide(b, side, t.st.tempo())
	if side == 1 {
		b.Say("That's side one done. When you're ready for the other arm, say next side.")
	} else {
		b.Say("That's side two, and the whole routine, done. Say done to finish.")
	}
	t.st.Side, t.st.Offer, t.st.OfferSide = side, "", 0
	resp, err := t.ask(b, t.prompt())
	resp.Body.Card = &alexa.Card{
		Type:    alexa.CardSimple,
		Title:   fmt.Sprintf("Spine opener: side %s (%s arm)", numberWord(side), arm(side)),
		Content: fmt.Sprintf("1. Spine twist\n2. Spine twist + flexion\n3. Thread the needle\n%d reps each, about %d s a rep.", RepsPerMovement, int(t.st.tempo()/time.Second)),
	}
	return resp, err
}

// complete records the routine and, when spoken, congratulates and says today's count.
func (t *turn) complete(spoken bool) (alexa.Response, error) {
	loc := t.location()
	run := t.st.Run
	if run == "" {
		run = t.req.Session.SessionID // state from an older version: one completion per session
	}
	c := Completion{ID: run, At: t.now, Day: t.now.In(loc).Format(time.DateOnly), Zone: loc.String(), SessionID: t.req.Session.SessionID}
	t.loadUser()
	t.st.NoteHeard = true
	prefs := t.st.preferences()
	saveErr := t.h.Store.Complete(t.ctx, t.key, c, prefs)
	if saveErr != nil {
		t.fail(fmt.Errorf("record completion: %w", saveErr))
		t.logUnsaved(c, prefs, saveErr)
	}
	t.st = state{}
	if !spoken {
		return empty(), nil
	}
	b := say("Well done: that's the spine opener, both sides.")
	if saveErr != nil {
		b.Say(sorryComplete)
	} else if n, err := t.countIn(loc); err != nil {
		t.fail(err)
	} else {
		b.Say(fmt.Sprintf("You've done it %s today.", timesWord(n)))
	}
	b.Say("Enjoy the easier movement. See you next time.")
	return t.tell(b)
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

// prompt is what to say to keep the conversation going from where it stands; it is also
// the reprompt.
func (t *turn) prompt() string {
	switch {
	case t.st.Side == 1:
		return "Say next side when you're ready for the other arm, or stop to finish."
	case t.st.Side == 2:
		return "Say done when you've finished."
	case t.st.Offer == offerResume:
		return fmt.Sprintf("Say resume to pick up at the start of side %s, or start over to begin again.", numberWord(t.st.OfferSide))
	}
	t.st.Offer = offerStart
	return "Would you like to start the spine opener?"
}

// loadUser reads the stored user into the session state, once per session. A storage
// failure is logged and the session goes on with defaults.
func (t *turn) loadUser() {
	if t.st.Loaded {
		return
	}
	t.st.Loaded = true
	u, err := t.h.Store.User(t.ctx, t.key)
	if errors.Is(err, ErrNotFound) {
		return
	}
	if err != nil {
		t.fail(fmt.Errorf("load user: %w", err))
		return
	}
	if t.st.Tempo == 0 && u.Tempo >= MinTempo && u.Tempo <= MaxTempo {
		t.st.Tempo = int(u.Tempo / time.Second)
	}
	t.st.NoteHeard = t.st.NoteHeard || u.NoteHeard
	if t.st.Zone == "" {
		t.st.Zone = u.Zone
	}
	if u.Paused != nil && u.Paused.Side >= 1 && u.Paused.Side <= Sides && t.now.Before(u.Paused.Expires) {
		t.st.OfferSide = u.Paused.Side
	}
}

// savePlace keeps the user's place for PlaceLifetime and reports whether it was saved.
func (t *turn) savePlace(side int) bool {
	err := t.h.Store.SavePlace(t.ctx, t.key, Place{Side: side, Expires: t.now.Add(PlaceLifetime)})
	if err != nil {
		t.fail(fmt.Errorf("save place: %w", err))
		return false
	}
	return true
}

// location is the user's time zone: the device's, asked of the Settings API at most once a
// session, else the last one stored for the user, else UTC.
func (t *turn) location() *time.Location {
	if !t.st.ZoneAsked && t.h.Zones != nil {
		t.st.ZoneAsked = true
		name, err := t.h.Zones.TimeZone(t.ctx, t.req.Context.System)
		if err == nil {
			if _, err = loadZone(name); err == nil {
				t.st.Zone = name
			}
		}
		if err != nil {
			t.fail(fmt.Errorf("time zone: %w", err)) // the fallback below still gives an answer
		}
	}
	if t.st.Zone == "" {
		t.loadUser()
	}
	if loc, err := loadZone(t.st.Zone); err == nil {
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

func (t *turn) countToday() (int, error) {
	return t.countIn(t.location())
}

// countIn counts completions on the user's local today in loc, midnight to midnight.
func (t *turn) countIn(loc *time.Location) (int, error) {
	y, m, d := t.now.In(loc).Date()
	from := time.Date(y, m, d, 0, 0, 0, 0, loc)
	n, err := t.h.Store.CountCompletions(t.ctx, t.key, from, from.AddDate(0, 0, 1))
	if err != nil {
		return 0, fmt.Errorf("count completions: %w", err)
	}
	return n, nil
}

func say(text string) *ssml.Builder {
	var b ssml.Builder
	return b.Say(text)
}

// carryOn speaks b, then what the user can say next, and keeps the session open.
func (t *turn) carryOn(b *ssml.Builder) (alexa.Response, error) {
	p := t.prompt()
	b.Say(p)
	return t.ask(b, p)
}

// ask speaks b and keeps the microphone open, with reprompt spoken once if the user is quiet.
func (t *turn) ask(b *ssml.Builder, reprompt string) (alexa.Response, error) {
	speech, err := b.Build()
	if err != nil {
		return alexa.Response{}, err
	}
	again, err := say(reprompt).Build()
	if err != nil {
		return alexa.Response{}, err
	}
	open := false
	return alexa.Response{
		Version:           "1.0",
		SessionAttributes: t.st.encode(),
		Body: alexa.ResponseBody{
			OutputSpeech:     alexa.SSMLSpeech(speech),
			Reprompt:         &alexa.Reprompt{OutputSpeech: *alexa.SSMLSpeech(again)},
			ShouldEndSession: &open,
		},
	}, nil
}

// tell speaks b and ends the session.
func (t *turn) tell(b *ssml.Builder) (alexa.Response, error) {
	speech, err := b.Build()
	if err != nil {
		return alexa.Response{}, err
	}
	end := true
	return alexa.Response{
		Version: "1.0",
		Body:    alexa.ResponseBody{OutputSpeech: alexa.SSMLSpeech(speech), ShouldEndSession: &end},
	}, nil
}
