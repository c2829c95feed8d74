package skill

import (
	"time"

	"github.com/spine-opener/spine-opener/internal/voice"
)

// transitions is the conversation: for each phase, what each event does. A row for anyPhase
// applies where the phase has no row of its own; a pair with neither is unhandled, below.
// Rules do no I/O: they return the next conversation, the answer and the store effects, and
// the handler carries those out. A rule that needs the stored user (tempo, kept place, the
// first-use note) asks for it with needUser, and is called again once it is loaded.
var transitions = map[when]rule{
	{Idle, Launch}: launch,

	{SideOne, NextSide}:        func(c Conversation, f facts) outcome { return c.deliver(2, msg(voice.Switching)) },
	{SideTwo, NextSide}:        finish,
	{OfferingResume, NextSide}: resumeKept,
	{OfferingStart, NextSide}:  startNow,
	{Idle, NextSide}:           launch,

	{SideTwo, Done}:        finish,
	{SideOne, Done}:        func(c Conversation, f facts) outcome { return c.carryOn(msg(voice.SideOneNotDone)) },
	{OfferingStart, Done}:  func(c Conversation, f facts) outcome { return c.carryOn(msg(voice.NotStarted)) },
	{OfferingResume, Done}: func(c Conversation, f facts) outcome { return c.carryOn(msg(voice.NotStarted)) },
	{Idle, Done}:           func(c Conversation, f facts) outcome { return tell(msg(voice.NothingUnderWay)) },

	{OfferingResume, Yes}: resumeKept,
	{OfferingStart, Yes}:  startNow,
	{OfferingResume, No}:  startOver,
	{OfferingStart, No}:   func(c Conversation, f facts) outcome { return tell(msg(voice.ComeBackLater)) },

	{SideOne, Resume}:        sameSide(voice.FromTheTop),
	{SideTwo, Resume}:        sameSide(voice.FromTheTop),
	{OfferingResume, Resume}: resumeKept,
	{anyPhase, Resume}:       resumeLater,

	{anyPhase, StartOver}: startOver,

	{SideOne, Repeat}:  sameSide(voice.SideAgain),
	{SideTwo, Repeat}:  sameSide(voice.SideAgain),
	{anyPhase, Repeat}: func(c Conversation, f facts) outcome { return c.carryOn() },

	{SideOne, Pause}:        keepPlace,
	{SideTwo, Pause}:        keepPlace,
	{OfferingResume, Pause}: func(c Conversation, f facts) outcome { return tell(msgSide(voice.PlaceStillKept, c.Kept)) },
	{Idle, Pause}:           func(c Conversation, f facts) outcome { return tell(msg(voice.NothingToPause)) },
	{anyPhase, Pause}:       func(c Conversation, f facts) outcome { return c.carryOn(msg(voice.NothingToPause)) },

	{anyPhase, StopNow}:  func(c Conversation, f facts) outcome { return tell(msg(voice.Stop)) },
	{anyPhase, Help}:     func(c Conversation, f facts) outcome { return c.carryOn(msg(voice.Overview), msg(voice.HelpMoving)) },
	{anyPhase, Fallback}: func(c Conversation, f facts) outcome { return c.carryOn(msg(voice.Fallback)) },
	{anyPhase, HowMany}:  howMany,
	{anyPhase, Slower}:   changeTempo(TempoStep),
	{anyPhase, Faster}:   changeTempo(-TempoStep),

	// The session ended without a word from the user.
	{SideTwo, TimedOut}:  func(c Conversation, f facts) outcome { return c.complete() }, // they heard every rep
	{SideOne, TimedOut}:  keepPlaceQuietly,
	{SideOne, Left}:      keepPlaceQuietly,
	{SideTwo, Left}:      keepPlaceQuietly,
	{anyPhase, TimedOut}: func(c Conversation, f facts) outcome { return outcome{} },
	{anyPhase, Left}:     func(c Conversation, f facts) outcome { return outcome{} },
}

// unhandled is every (phase, event) pair without a transition: "yes" with nothing asked,
// say. It is the fallback, which keeps the place.
func unhandled(c Conversation, f facts) outcome {
	return transitions[when{anyPhase, Fallback}](c, f)
}

// step is the transition function: what ev does to c.
func step(c Conversation, ev Event, f facts) outcome {
	if r, ok := transitions[when{c.Phase, ev}]; ok {
		return r(c, f)
	}
	if r, ok := transitions[when{anyPhase, ev}]; ok {
		return r(c, f)
	}
	return unhandled(c, f)
}

// when is a (phase, event) pair; anyPhase stands for every phase without a row of its own.
type when struct {
	phase Phase
	event Event
}

const anyPhase Phase = 255

type rule func(c Conversation, f facts) outcome

// facts are what a rule may know of the request besides the conversation.
type facts struct {
	RequestID string // a new routine is completed under the ID of the request that began it
}

// outcome is a rule's result.
type outcome struct {
	Next     Conversation
	Answer   Answer
	Effects  []Effect
	NeedUser bool // load the stored user into the conversation and ask again
}

var needUser = outcome{NeedUser: true}

func launch(c Conversation, f facts) outcome {
	switch {
	case !c.Loaded:
		return needUser
	case c.Kept > 0:
		c.Phase = OfferingResume
		return c.carryOn(msgSide(voice.WelcomeBackPaused, c.Kept))
	case !c.NoteHeard:
		return c.begin(f, 1, msg(voice.WelcomeNew), msg(voice.Overview))
	}
	return c.begin(f, 1, msg(voice.WelcomeBack))
}

func startNow(c Conversation, f facts) outcome { return c.begin(f, 1, msg(voice.HereWeGo)) }

func startOver(c Conversation, f facts) outcome { return c.begin(f, 1, msg(voice.StartingOver)) }

func resumeKept(c Conversation, f facts) outcome {
	return c.begin(f, c.Kept, msgSide(voice.PickingUp, c.Kept))
}

// resumeLater is "resume" with no place on offer in this session: a one-shot, say.
func resumeLater(c Conversation, f facts) outcome {
	switch {
	case !c.Loaded:
		return needUser
	case c.Kept > 0:
		return c.begin(f, c.Kept, msgSide(voice.WelcomeBackPickingUp, c.Kept))
	}
	return c.begin(f, 1, msg(voice.NothingPausedStart))
}

func sameSide(lead voice.Key) rule {
	return func(c Conversation, f facts) outcome {
		side := c.Phase.side()
		return c.deliver(side, msgSide(lead, side))
	}
}

func finish(c Conversation, f facts) outcome {
	o := c.complete()
	if o.NeedUser {
		return o
	}
	o.Answer = tell(msg(voice.WellDone), Line{Key: voice.DoneToday, Today: true, Saved: true}, msg(voice.SeeYou)).Answer
	return o
}

// complete records the routine; the session ends.
func (c Conversation) complete() outcome {
	if !c.Loaded {
		return needUser
	}
	c.NoteHeard = true
	return outcome{Effects: []Effect{{Kind: Complete, Run: c.Run, Prefs: c.preferences(), Sorry: voice.SorryComplete}}}
}

func keepPlace(c Conversation, f facts) outcome {
	side := c.Phase.side()
	o := tell(Line{Key: voice.Paused, Args: voice.Args{Side: side}, Saved: true})
	o.Effects = []Effect{{Kind: KeepPlace, Side: side, Sorry: voice.SorryPlace}}
	return o
}

func keepPlaceQuietly(c Conversation, f facts) outcome {
	return outcome{Effects: []Effect{{Kind: KeepPlace, Side: c.Phase.side()}}}
}

func howMany(c Conversation, f facts) outcome {
	count := Line{Key: voice.CountToday, Today: true, Sorry: voice.SorryCount}
	if c.inRoutine() {
		return c.carryOn(count)
	}
	return tell(count)
}

// changeTempo makes each rep delta longer, within MinTempo and MaxTempo, and remembers it.
// Mid-routine the current side starts again at once at the new pace.
func changeTempo(delta time.Duration) rule {
	return func(c Conversation, f facts) outcome {
		if !c.Loaded {
			return needUser
		}
		old := c.tempo()
		tempo := min(max(old+delta, MinTempo), MaxTempo)
		seconds := int(tempo / time.Second)
		if tempo == old {
			limit := msgSeconds(voice.TempoSlowest, seconds)
			if delta < 0 {
				limit = msgSeconds(voice.TempoFastest, seconds)
			}
			if c.inRoutine() {
				return c.carryOn(limit)
			}
			return tell(limit)
		}
		c.Tempo = seconds
		lead := []Line{msgSeconds(voice.TempoSlower, seconds), {Saved: true}}
		if delta < 0 {
			lead[0] = msgSeconds(voice.TempoFaster, seconds)
		}
		var o outcome
		switch side := c.Phase.side(); {
		case side > 0:
			o = c.deliver(side, append(lead, msgSide(voice.TempoAgain, side))...)
		case c.Phase == OfferingResume:
			o = c.carryOn(lead...)
		default:
			o = tell(append(lead, msg(voice.TempoNextRoutine))...)
		}
		o.Effects = append(o.Effects, Effect{Kind: SavePreferences, Prefs: c.preferences(), Sorry: voice.SorryTempo})
		return o
	}
}

// inRoutine reports whether the user is in the middle of something to come back to.
func (c Conversation) inRoutine() bool {
	return c.Phase == SideOne || c.Phase == SideTwo || c.Phase == OfferingResume
}

// begin starts a new routine at side, completed under this request's ID.
func (c Conversation) begin(f facts, side int, lead ...Line) outcome {
	c.Run = f.RequestID
	return c.deliver(side, lead...)
}

// deliver speaks one whole side and waits for "next side" or "done".
func (c Conversation) deliver(side int, lead ...Line) outcome {
	if !c.Loaded {
		return needUser
	}
	var o outcome
	speech := lead
	if !c.NoteHeard {
		speech = append(speech, msg(voice.FirstUseNote))
		c.NoteHeard = true
		// At worst, if this fails, they hear the note again next time.
		o.Effects = append(o.Effects, Effect{Kind: SavePreferences, Prefs: c.preferences()})
	}
	seconds := int(c.tempo() / time.Second)
	speech = append(speech, Line{Side: side, Args: voice.Args{Side: side, Seconds: seconds}})
	end := voice.SideOneEnd
	if side == 2 {
		end = voice.SideTwoEnd
	}
	speech = append(speech, msg(end))
	c.Phase, c.Kept = sidePhase(side), 0
	o.Next = c
	o.Answer = Answer{Speech: speech, Reprompt: []Line{c.prompt()}, Card: &Card{
		Title:   msgSide(voice.CardSideTitle, side),
		Content: Line{Key: voice.CardSideContent, Args: voice.Args{Side: side, Count: RepsPerMovement, Seconds: seconds}},
	}}
	return o
}

// carryOn says lines, then what the user can say next, and listens. With nothing under way,
// what they can say next is to start.
func (c Conversation) carryOn(lines ...Line) outcome {
	if c.Phase == Idle {
		c.Phase = OfferingStart
	}
	p := c.prompt()
	return outcome{Next: c, Answer: Answer{Speech: append(lines, p), Reprompt: []Line{p}}}
}

// tell says lines and ends the session.
func tell(lines ...Line) outcome {
	return outcome{Answer: Answer{Speech: lines}}
}

// prompt is what the user can say next from where the conversation stands.
func (c Conversation) prompt() Line {
	switch c.Phase {
	case SideOne:
		return msg(voice.PromptSideOne)
	case SideTwo:
		return msg(voice.PromptSideTwo)
	case OfferingResume:
		return msgSide(voice.PromptResume, c.Kept)
	}
	return msg(voice.PromptStart)
}
