package skill

import (
	"fmt"
	"strings"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/voice"
)

// transitions is the conversation: for each phase, what each event does. A row for anyPhase
// applies where the phase has no row of its own; a pair with neither is unhandled, below.
// Rules do no I/O: they return the next conversation, the answer and the store effects, and
// the handler carries those out. A rule that needs the stored user (tempo, kept place, the
// first-use note) asks for it with needUser, and is called again once it is loaded.
//
// In SideOne and SideTwo, f.Progress says whether Alexa was still speaking the side when
// the request came (someone cut in with "Alexa, ...") and in which movement, or had
// finished it (the microphone was open).
var transitions = map[when]rule{
	// Opening the skill, and one-shots with nothing under way.
	{Idle, Launch}:            launch,
	{Idle, Start}:             launch,
	{OfferingStart, Start}:    startNow,
	{Idle, NextSide}:          comeBack,
	{Idle, Resume}:            comeBack,
	{OfferingStart, Resume}:   comeBack,
	{OfferingStart, NextSide}: startNow,
	{OfferingStart, Yes}:      startNow,
	{OfferingStart, No}:       func(c Conversation, f facts) outcome { return tell(msg(voice.ComeBackLater)) },
	{Idle, Done}:              func(c Conversation, f facts) outcome { return tell(msg(voice.NothingUnderWay)) },
	{OfferingStart, Done}:     func(c Conversation, f facts) outcome { return c.carryOn(msg(voice.NotStarted)) },
	{Idle, Pause}:             func(c Conversation, f facts) outcome { return tell(msg(voice.NothingToPause)) },
	{OfferingStart, Pause}:    func(c Conversation, f facts) outcome { return c.carryOn(msg(voice.NothingToPause)) },

	// "Carry on with side two, or start fresh?"
	{OfferingResume, Yes}:       carryOnKept,
	{OfferingResume, Resume}:    carryOnKept,
	{OfferingResume, NextSide}:  carryOnKept,
	{OfferingResume, No}:        startFresh,
	{OfferingResume, StartOver}: startFresh,
	{OfferingResume, Start}:     startFresh,
	{OfferingResume, StopNow}:   func(c Conversation, f facts) outcome { return tell(msg(voice.PlaceKept)) },
	{OfferingResume, Pause}:     func(c Conversation, f facts) outcome { return tell(msg(voice.PlaceStillKept)) },
	{OfferingResume, Done}:      func(c Conversation, f facts) outcome { return c.carryOn(msg(voice.NotStarted)) },

	// "Last time something hurt. ... Shall we take it slower?"
	{OfferingGentle, Yes}:      gentler,
	{OfferingGentle, Slower}:   gentler,
	{OfferingGentle, No}:       usualPace,
	{OfferingGentle, NextSide}: usualPace,
	{OfferingGentle, Resume}:   usualPace,
	{OfferingGentle, Start}:    usualPace,

	// A side, being spoken or just finished.
	{SideOne, NextSide}:  func(c Conversation, f facts) outcome { return c.deliver(2, 1, msg(voice.Switching)) },
	{SideTwo, NextSide}:  finish,
	{SideTwo, Done}:      finish,
	{SideOne, Done}:      func(c Conversation, f facts) outcome { return c.carryOn(msg(voice.SideOneNotDone)) },
	{SideOne, Resume}:    resumeSide,
	{SideTwo, Resume}:    resumeSide,
	{SideOne, Repeat}:    repeat,
	{SideTwo, Repeat}:    repeat,
	{SideOne, Hold}:      hold,
	{SideTwo, Hold}:      hold,
	{SideOne, Pause}:     pause,
	{SideTwo, Pause}:     pause,
	{SideOne, StopNow}:   stopInSide,
	{SideTwo, StopNow}:   stopInSide,
	{SideTwo, StartOver}: startOverAfterTwo,
	{SideOne, TimedOut}:  keepPlaceQuietly,
	{SideTwo, TimedOut}:  finishQuietly, // they heard every rep
	{SideOne, Left}:      keepPlaceQuietly,
	{SideTwo, Left}:      leaveSideTwo,

	// Anywhere.
	{anyPhase, StartOver}: func(c Conversation, f facts) outcome { return c.begin(f, msg(voice.StartingOver)) },
	{anyPhase, StopNow}:   func(c Conversation, f facts) outcome { return tell(msg(voice.Stop)) },
	{anyPhase, Pain}:      pain,
	{anyPhase, Help}:      help,
	{anyPhase, Hold}:      takeYourTime,
	{anyPhase, Fallback}:  func(c Conversation, f facts) outcome { return c.aside(f, msg(voice.Fallback)) },
	{anyPhase, HowMany}:   howMany,
	{anyPhase, Yesterday}: progressRule(Line{Key: voice.CountYesterday, Stat: StatYesterday, Sorry: voice.SorryCount}),
	{anyPhase, Week}: progressRule(Line{Key: voice.WeekDays, Stat: StatWeek, Sorry: voice.SorryCount},
		Line{Key: voice.LastWeekDays, Stat: StatLastWeek}),
	{anyPhase, Streak}: progressRule(Line{Key: voice.StreakNow, Stat: StatStreak, Sorry: voice.SorryCount},
		Line{Key: voice.StreakLongest, Stat: StatLongest}),
	{anyPhase, HowAmIDoing}: progressRule(Line{Key: voice.WeekDays, Stat: StatWeek, Sorry: voice.SorryCount},
		Line{Key: voice.StreakNow, Stat: StatStreak}),
	{anyPhase, LastTime}:     progressRule(Line{Stat: StatLast, Sorry: voice.SorryCount}),
	{anyPhase, MoveQuestion}: askAboutMove,

	{anyPhase, QuietPlease}:  sounds(true),
	{anyPhase, SoundsPlease}: sounds(false),

	// Reminders.
	{anyPhase, SetReminder}:      func(c Conversation, f facts) outcome { return c.remind(reminderAt(f), voice.ReminderSet) },
	{anyPhase, RemindThroughDay}: func(c Conversation, f facts) outcome { return c.remind(throughTheDay, voice.RemindersThroughDay) },
	{anyPhase, ChangeReminder}:   changeReminder,
	{anyPhase, CancelReminders}:  cancelReminders,
	{anyPhase, ListReminders}:    listReminders,
	{anyPhase, ConsentAnswer}:    consentAnswer,
	{OfferingReminder, Yes}:      func(c Conversation, f facts) outcome { return c.remind(nil, voice.ReminderSet) },
	{OfferingReminder, No}:       func(c Conversation, f facts) outcome { return tell(msg(voice.NoReminderThanks)) },
	{OfferingReminder, Done}:     func(c Conversation, f facts) outcome { return tell(msg(voice.NoReminderThanks)) },
	{OfferingReminder, StopNow}:  func(c Conversation, f facts) outcome { return tell(msg(voice.NoReminderThanks)) },
	{anyPhase, TipPlease}:        tip,
	{anyPhase, Preview}:          preview,
	{anyPhase, Slower}:           changeTempo(TempoStep),
	{anyPhase, Faster}:           changeTempo(-TempoStep),
	{anyPhase, Repeat}:           func(c Conversation, f facts) outcome { return c.carryOn() },
	{anyPhase, TimedOut}:         func(c Conversation, f facts) outcome { return outcome{} },
	{anyPhase, Left}:             func(c Conversation, f facts) outcome { return outcome{} },
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
	RequestID string    // a new routine is completed under the ID of the request that began it
	Progress  progress  // in SideOne and SideTwo: where the side being spoken had got to
	Asked     int       // MoveQuestion: the movement asked about (1 to 3), 0 for one it doesn't know
	Time      *Reminder // the reminder intents: the time of day said, if any
	Consent   consent   // ConsentAnswer: what the user told Alexa
	Person    string    // a recognised speaker's person ID
}

// consent is Alexa's answer after asking for the reminders permission.
type consent struct {
	Status   string // alexa.ConsentAccepted, ConsentDenied, ConsentNotAnswered, or ""
	Token    string // what the skill asked with: the reminders wanted
	CardSent bool   // Alexa sent the permission card itself
}

// outcome is a rule's result.
type outcome struct {
	Next     Conversation
	Answer   Answer
	Effects  []Effect
	NeedUser bool // load the stored user into the conversation and ask again
}

var needUser = outcome{NeedUser: true}

// holdPause is the rest "hold" gives in a position before carrying on.
const holdPause = 20 * time.Second

func launch(c Conversation, f facts) outcome {
	switch {
	case !c.Loaded:
		return needUser
	case c.Gentle:
		// Said once: the next profile written this session remembers it was said.
		c.Gentle, c.PainNoted = false, true
		if c.tempo() >= MaxTempo {
			return c.begin(f, msg(voice.PainLastTime), msgSeconds(voice.GentleAtSlowest, c.Tempo))
		}
		c.Phase = OfferingGentle
		return c.ask(msg(voice.PainLastTime), msgSeconds(voice.OfferGentle, int((c.tempo()+TempoStep)/time.Second)))
	case c.Kept > 0:
		c.Phase = OfferingResume
		if c.KeptMove == 0 {
			return c.ask(msgSide(voice.OfferCarryOn, c.Kept+1))
		}
		return c.ask(Line{Key: voice.OfferCarryOnFrom, Args: voice.Args{Side: c.Kept, Move: c.KeptMove}})
	case !c.NoteHeard:
		return c.begin(f, msg(voice.WelcomeNew), msg(voice.Overview))
	}
	if f.Person != "" {
		return c.begin(f, Line{Key: voice.WelcomeBackName, Args: voice.Args{Person: f.Person}}, msg(voice.ComfortReminder))
	}
	return c.begin(f, msg(voice.WelcomeBack), msg(voice.ComfortReminder))
}

// comeBack is "Alexa, ask Spine Opener for the next side" (or to carry on) in a new
// session: straight on from the kept place, if there is one.
func comeBack(c Conversation, f facts) outcome {
	switch {
	case !c.Loaded:
		return needUser
	case c.Kept > 0:
		return c.resumeKept(f, voice.WelcomeBackOnTo, voice.WelcomeBackAt)
	}
	return c.begin(f, msg(voice.NothingToCarryOn))
}

func carryOnKept(c Conversation, f facts) outcome {
	return c.resumeKept(f, voice.OnToSide, voice.PickingUpAt)
}

// resumeKept carries on from the kept place, saying onTo (with the side) before the next
// side, or at (with the side and movement) before a movement. The routine keeps no Run:
// it is completed under the session's ID, and a session resumes at most one routine, the
// one kept when it began.
func (c Conversation) resumeKept(f facts, onTo, at voice.Key) outcome {
	if c.KeptMove == 0 {
		return c.deliver(c.Kept+1, 1, msgSide(onTo, c.Kept+1))
	}
	return c.deliver(c.Kept, c.KeptMove, Line{Key: at, Args: voice.Args{Side: c.Kept, Move: c.KeptMove}})
}

func startNow(c Conversation, f facts) outcome   { return c.begin(f, msg(voice.HereWeGo)) }
func startFresh(c Conversation, f facts) outcome { return c.begin(f, msg(voice.StartingFresh)) }

func gentler(c Conversation, f facts) outcome {
	c.Tempo = int((c.tempo() + TempoStep) / time.Second)
	o := c.begin(f, msgSeconds(voice.GentleSlower, c.Tempo), Line{Saved: true})
	o.Effects = append(o.Effects, Effect{Kind: SavePreferences, Prefs: c.preferences(), Sorry: voice.SorryTempo})
	return o
}

func usualPace(c Conversation, f facts) outcome { return c.begin(f, msg(voice.GentleUsual)) }

// resumeSide is "resume" or "continue" with a side under way: on from where the user is.
func resumeSide(c Conversation, f facts) outcome {
	switch {
	case !f.Progress.Over:
		return c.pickUp(f)
	case c.Phase == SideOne:
		return c.deliver(2, 1, msgSide(voice.OnToSide, 2))
	}
	return finish(c, f)
}

// repeat is the movement in progress again; once the side is over, the whole side.
func repeat(c Conversation, f facts) outcome {
	if f.Progress.Over {
		side := c.Phase.side()
		return c.deliver(side, 1, msgSide(voice.SideAgain, side))
	}
	return c.pickUp(f)
}

// hold gives a longer rest in the position, then carries on from the same movement.
func hold(c Conversation, f facts) outcome {
	if f.Progress.Over {
		return c.carryOn(msg(voice.Holding), Line{Pause: holdPause})
	}
	return c.pickUp(f, msg(voice.Holding), Line{Pause: holdPause}, msg(voice.HoldOver))
}

// takeYourTime is "wait" or "hold on" at a question: a pause, then the question again.
func takeYourTime(c Conversation, f facts) outcome {
	return c.carryOn(msg(voice.TakeYourTime), Line{Pause: holdPause})
}

func pause(c Conversation, f facts) outcome {
	if c.Phase == SideTwo && f.Progress.Over {
		return finish(c, f) // nothing is left to come back to
	}
	o := tell(Line{Key: voice.Paused, Saved: true})
	o.Effects = []Effect{c.keep(f, voice.SorryPlace)}
	return o
}

// stopInSide ends with the safety message. Once side two has been heard to its end the
// routine counts; otherwise the place is kept, so that "Alexa, ask Spine Opener to carry
// on" picks it up.
func stopInSide(c Conversation, f facts) outcome {
	if c.Phase == SideTwo && f.Progress.Over {
		o := c.complete()
		if o.NeedUser {
			return o
		}
		o.Answer = tell(msg(voice.Stop), Line{Key: voice.DoneToday, Stat: StatToday, Saved: true}).Answer
		return o
	}
	o := tell(msg(voice.Stop))
	o.Effects = []Effect{c.keep(f, voice.None)}
	return o
}

// startOverAfterTwo counts the routine whose side two was heard, then begins another.
func startOverAfterTwo(c Conversation, f facts) outcome {
	if !f.Progress.Over {
		return c.begin(f, msg(voice.StartingOver))
	}
	done := c.complete()
	if done.NeedUser {
		return done
	}
	c.NoteHeard = true
	o := c.begin(f, Line{Key: voice.AlreadyCounted, Saved: true}, msg(voice.StartingOver))
	o.Effects = append(done.Effects, o.Effects...)
	return o
}

func leaveSideTwo(c Conversation, f facts) outcome {
	if f.Progress.Over {
		return finishQuietly(c, f)
	}
	return keepPlaceQuietly(c, f)
}

func keepPlaceQuietly(c Conversation, f facts) outcome {
	return outcome{Effects: []Effect{c.keep(f, voice.None)}}
}

// keep is the effect of keeping the user's place in the side being spoken.
func (c Conversation) keep(f facts, sorry voice.Key) Effect {
	e := Effect{Kind: KeepPlace, Side: c.Phase.side(), Sorry: sorry}
	if !f.Progress.Over {
		e.Move = f.Progress.Move
	}
	return e
}

// pain stops at once, with the advice for pain, and records it; the place is forgotten.
func pain(c Conversation, f facts) outcome {
	if !c.Loaded {
		return needUser // the profile is written with the record
	}
	c.PainNoted, c.Gentle = false, false
	o := tell(msg(voice.PainStop), Line{Saved: true})
	o.Effects = []Effect{{Kind: RecordPain, Prefs: c.preferences(), Sorry: voice.SorryPain}}
	return o
}

func help(c Conversation, f facts) outcome {
	switch c.Phase {
	case SideOne, SideTwo:
		if !f.Progress.Over {
			return c.pickUp(f, msg(voice.HelpCounting))
		}
		if c.Phase == SideOne {
			return c.carryOn(msg(voice.HelpBetween))
		}
		return c.carryOn(msg(voice.HelpAfterTwo))
	case OfferingResume:
		return c.carryOn(msg(voice.HelpOffer))
	case OfferingGentle:
		return c.carryOn(msg(voice.HelpGentle))
	case OfferingReminder:
		return c.carryOn(msg(voice.HelpReminderOffer))
	}
	return c.carryOn(msg(voice.HelpStart))
}

func finish(c Conversation, f facts) outcome {
	offer := !c.Offered // after a first routine, once, a daily reminder
	c.Offered = true
	o := c.complete()
	if o.NeedUser {
		return o
	}
	lines := []Line{msg(voice.WellDone), {Key: voice.DoneToday, Stat: StatToday, Saved: true},
		{Stat: StatAfter, Saved: true}, {Stat: StatTip, Saved: true}}
	if offer {
		c.Phase = OfferingReminder
		o.Next, o.Answer = c, c.ask(append(lines, msg(voice.ReminderOffer))...).Answer
		return o
	}
	o.Answer = tell(append(lines, msg(voice.SeeYou))...).Answer
	return o
}

// throughTheDay are the reminders for a day spent sitting: mid-morning, after lunch and
// mid-afternoon.
var throughTheDay = []Reminder{{Hour: 10}, {Hour: 13}, {Hour: 16}}

// reminderAt is the time of day the user said, or nil for "about now".
func reminderAt(f facts) []Reminder {
	if f.Time == nil {
		return nil
	}
	return []Reminder{*f.Time}
}

// remind replaces the user's reminders with daily ones at times (about now when empty) and
// says so with done. Without the permission, Alexa asks for it, and the answer comes back
// as a ConsentAnswer carrying what was asked.
func (c Conversation) remind(times []Reminder, done voice.Key) outcome {
	if !c.Loaded {
		return needUser
	}
	ask := Answer{Speech: []Line{msg(voice.ReminderAskPermission)}, AskPermission: reminderToken(times, done)}
	o := tell(Line{Key: done, Stat: StatReminder, Saved: true})
	o.Effects = []Effect{{Kind: ReplaceReminders, Times: times, Sorry: voice.SorryReminder, IfNoPermission: &ask}}
	return o
}

func changeReminder(c Conversation, f facts) outcome {
	if f.Time == nil {
		return c.aside(f, msg(voice.ReminderChangeHow))
	}
	return c.remind(reminderAt(f), voice.ReminderChanged)
}

func cancelReminders(c Conversation, f facts) outcome {
	if !c.Loaded {
		return needUser
	}
	if len(c.Reminders) == 0 {
		return tell(msg(voice.NoReminders))
	}
	o := tell(Line{Key: voice.RemindersCancelled, Saved: true})
	howTo := Answer{Speech: []Line{msg(voice.CancelNeedsPermission)}, PermissionCard: true}
	o.Effects = []Effect{{Kind: DropReminders, Sorry: voice.SorryCancelReminder, IfNoPermission: &howTo}}
	return o
}

func listReminders(c Conversation, f facts) outcome {
	if !c.Loaded {
		return needUser
	}
	if len(c.Reminders) == 0 {
		return c.stats(f, msg(voice.NoReminders))
	}
	first := c.Reminders[0]
	at := time.Date(2000, 1, 1, first.Hour, first.Minute, 0, 0, time.UTC)
	if len(c.Reminders) == 1 {
		return c.stats(f, Line{Key: voice.ReminderListOne, Args: voice.Args{At: at}})
	}
	return c.stats(f, Line{Key: voice.ReminderListMany, Args: voice.Args{At: at, Count: len(c.Reminders)}})
}

// consentAnswer carries on with the reminders the user was asked permission for.
func consentAnswer(c Conversation, f facts) outcome {
	switch f.Consent.Status {
	case alexa.ConsentAccepted:
		times, done, ok := parseReminderToken(f.Consent.Token)
		if !ok {
			return tell(msg(voice.SorryReminder))
		}
		return c.remind(times, done)
	case alexa.ConsentDenied:
		o := tell(msg(voice.ReminderDenied))
		o.Answer.PermissionCard = !f.Consent.CardSent
		return o
	}
	return tell(msg(voice.ReminderNoAnswer))
}

func finishQuietly(c Conversation, f facts) outcome { return c.complete() }

// complete records the routine; the session ends.
func (c Conversation) complete() outcome {
	if !c.Loaded {
		return needUser
	}
	c.NoteHeard = true
	return outcome{Effects: []Effect{{Kind: Complete, Run: c.Run, Prefs: c.preferences(), Sorry: voice.SorryComplete}}}
}

func howMany(c Conversation, f facts) outcome {
	return c.stats(f, Line{Key: voice.CountToday, Stat: StatToday, Sorry: voice.SorryCount})
}

// stats says figures from the user's history: in the middle of something, as an aside;
// otherwise, and the session ends.
func (c Conversation) stats(f facts, lines ...Line) outcome {
	if c.inRoutine() {
		return c.aside(f, lines...)
	}
	return tell(lines...)
}

// progress answers the questions about the week, the streak and the last time.
func progressRule(lines ...Line) rule {
	return func(c Conversation, f facts) outcome { return c.stats(f, lines...) }
}

// askAboutMove explains the movement asked about (f.Asked), or names the three.
func askAboutMove(c Conversation, f facts) outcome {
	if k := voice.MoveExplain(f.Asked); k != voice.None {
		return c.aside(f, msg(k))
	}
	return c.aside(f, msg(voice.MoveUnknown))
}

// tip says an everyday tip the user has not heard yet; once all have been, they start over.
func tip(c Conversation, f facts) outcome {
	if !c.Loaded {
		return needUser
	}
	i := nextTip(c.TipsHeard)
	if i < 0 {
		c.TipsHeard, i = 0, 0
	}
	c.TipsHeard |= 1 << i
	o := c.aside(f, msg(voice.Tip(i)))
	o.Next.TipsHeard = c.TipsHeard
	o.Effects = append(o.Effects, Effect{Kind: SavePreferences, Prefs: c.preferences()})
	return o
}

// sounds turns the sound at the start of each movement off or on, and remembers it; in the
// middle of a side, the side carries on from the movement in progress as asked.
func sounds(off bool) rule {
	return func(c Conversation, f facts) outcome {
		if !c.Loaded {
			return needUser
		}
		c.SoundsOff = off
		done := voice.SoundsOn
		if off {
			done = voice.SoundsOff
		}
		o := c.aside(f, msg(done))
		o.Effects = append(o.Effects, Effect{Kind: SavePreferences, Prefs: c.preferences()})
		return o
	}
}

// nextTip is the first tip not in heard, or -1 when all have been heard.
func nextTip(heard uint64) int {
	for i := range voice.Tips {
		if heard&(1<<i) == 0 {
			return i
		}
	}
	return -1
}

func preview(c Conversation, f facts) outcome {
	if !c.Loaded {
		return needUser
	}
	return c.aside(f, msgSeconds(voice.Preview, int(c.tempo()/time.Second)))
}

// changeTempo makes each rep delta longer, within MinTempo and MaxTempo, and remembers it.
// In the middle of a side, the side carries on at the new pace from the movement in
// progress.
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
				return c.aside(f, limit)
			}
			return tell(limit)
		}
		c.Tempo = seconds
		lead := []Line{msgSeconds(voice.TempoSlower, seconds), {Saved: true}}
		if delta < 0 {
			lead[0] = msgSeconds(voice.TempoFaster, seconds)
		}
		var o outcome
		switch {
		case c.Phase == SideOne && f.Progress.Over:
			o = c.carryOn(append(lead, msg(voice.TempoFromNextSide))...)
		case c.Phase == SideTwo && f.Progress.Over:
			o = c.carryOn(append(lead, msg(voice.TempoNextRoutine))...)
		case c.inRoutine():
			o = c.aside(f, lead...)
		default:
			o = tell(append(lead, msg(voice.TempoNextRoutine))...)
		}
		o.Effects = append(o.Effects, Effect{Kind: SavePreferences, Prefs: c.preferences(), Sorry: voice.SorryTempo})
		return o
	}
}

// aside answers in a line or two and goes back to what was under way: in the middle of a
// side, that side from the movement in progress; otherwise, what the user can say next.
func (c Conversation) aside(f facts, lines ...Line) outcome {
	if c.Phase.side() > 0 && !f.Progress.Over {
		return c.pickUp(f, lines...)
	}
	return c.carryOn(lines...)
}

// pickUp says lines, then carries on with the side being spoken from the movement the user
// was in, saying where.
func (c Conversation) pickUp(f facts, lines ...Line) outcome {
	move := max(f.Progress.Move, 1)
	return c.deliver(c.Phase.side(), move, append(lines, Line{Key: voice.PickingUpAt, Args: voice.Args{Move: move}})...)
}

// inRoutine reports whether the user is in the middle of something to come back to.
func (c Conversation) inRoutine() bool {
	return c.Phase == SideOne || c.Phase == SideTwo || c.Phase == OfferingResume || c.Phase == OfferingGentle
}

// begin starts a new routine at side one, completed under this request's ID; a place kept
// from an earlier one is forgotten.
func (c Conversation) begin(f facts, lead ...Line) outcome {
	if !c.Loaded {
		return needUser
	}
	c.Run = f.RequestID
	o := c.deliver(1, 1, lead...)
	if c.Stored {
		o.Next.Stored = false
		o.Effects = append(o.Effects, Effect{Kind: ForgetPlace})
	}
	return o
}

// deliver speaks side from movement from to its end and waits for "next side" or "done".
func (c Conversation) deliver(side, from int, lead ...Line) outcome {
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
	speech = append(speech, Line{Side: side, From: from, Quiet: c.SoundsOff, Args: voice.Args{Side: side, Seconds: seconds}})
	end := voice.SideOneEnd
	if side == 2 {
		end = voice.SideTwoEnd
	}
	c.Phase, c.From, c.Kept, c.KeptMove = sidePhase(side), from, 0, 0
	c.SideTempo, c.SideQuiet = seconds, c.SoundsOff
	speech = append(speech, msg(end), c.prompt())
	o.Next = c
	o.Answer = Answer{Speech: speech, Reprompt: []Line{c.reprompt()}, Card: &Card{
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
	return outcome{Next: c, Answer: Answer{Speech: append(lines, c.prompt()), Reprompt: []Line{c.reprompt()}}}
}

// ask says lines that end in a question, and listens for the answer.
func (c Conversation) ask(lines ...Line) outcome {
	return outcome{Next: c, Answer: Answer{Speech: lines, Reprompt: []Line{c.reprompt()}}}
}

// tell says lines and ends the session.
func tell(lines ...Line) outcome {
	return outcome{Answer: Answer{Speech: lines}}
}

// prompt is what the user can say next from where the conversation stands: short, as it
// closes an answer and the microphone opens right after.
func (c Conversation) prompt() Line {
	switch c.Phase {
	case SideOne:
		return msg(voice.PromptSideOne)
	case SideTwo:
		return msg(voice.PromptSideTwo)
	case OfferingResume:
		return msg(voice.PromptOffer)
	case OfferingGentle:
		return msg(voice.PromptGentle)
	case OfferingReminder:
		return msg(voice.PromptReminderOffer)
	}
	return msg(voice.PromptStart)
}

// reprompt is said if the user says nothing: the prompt, with the way back for later.
func (c Conversation) reprompt() Line {
	switch c.Phase {
	case SideOne:
		return msg(voice.RepromptSideOne)
	case SideTwo:
		return msg(voice.RepromptSideTwo)
	}
	return c.prompt()
}

// reminderToken is what the skill asks Alexa for the permission with, so that the answer
// can carry on without session attributes: "reminder:daily:08:00", "reminder:now",
// "reminder:through-day", "reminder:change:07:30".
func reminderToken(times []Reminder, done voice.Key) string {
	switch {
	case done == voice.RemindersThroughDay:
		return "reminder:through-day"
	case len(times) == 0:
		return "reminder:now"
	case done == voice.ReminderChanged:
		return fmt.Sprintf("reminder:change:%02d:%02d", times[0].Hour, times[0].Minute)
	}
	return fmt.Sprintf("reminder:daily:%02d:%02d", times[0].Hour, times[0].Minute)
}

func parseReminderToken(token string) (times []Reminder, done voice.Key, ok bool) {
	switch token {
	case "reminder:through-day":
		return throughTheDay, voice.RemindersThroughDay, true
	case "reminder:now":
		return nil, voice.ReminderSet, true
	}
	kind, hhmm, found := strings.Cut(strings.TrimPrefix(token, "reminder:"), ":")
	var r Reminder
	if n, err := fmt.Sscanf(hhmm, "%d:%d", &r.Hour, &r.Minute); !found || err != nil || n != 2 || r.Hour > 23 || r.Minute > 59 || r.Hour < 0 || r.Minute < 0 {
		return nil, voice.None, false
	}
	switch kind {
	case "daily":
		return []Reminder{r}, voice.ReminderSet, true
	case "change":
		return []Reminder{r}, voice.ReminderChanged, true
	}
	return nil, voice.None, false
}
