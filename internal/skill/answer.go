package skill

import (
	"time"

	"github.com/spine-opener/spine-opener/internal/voice"
)

// Answer is what the skill says back, as data: which messages, which parts of the routine,
// whether it listens. The render step turns it into words for the request's locale and an
// Alexa response for its device. An Answer with no Speech is the empty response.
type Answer struct {
	Speech   []Line
	Reprompt []Line // nil ends the session after Speech
	Card     *Card  // shown in the Alexa app
	// AskPermission, when set, hands the turn to Alexa to ask for the reminders permission;
	// its answer comes back as a ConsentAnswer carrying this token. Nothing is reprompted.
	AskPermission string
	// PermissionCard sends the Alexa app's card for granting the reminders permission.
	PermissionCard bool
}

// Listens reports whether the session stays open for the user's reply.
func (a Answer) Listens() bool { return a.Reprompt != nil }

// Line is one part of an answer: a message, or a whole side of the routine.
type Line struct {
	Key  voice.Key
	Args voice.Args
	// Side, when 1 or 2, is that side of the routine at Args.Seconds a rep, from movement
	// From (the whole side for 0 or 1) to its end.
	Side  int
	From  int
	Quiet bool // no sound at the start of each movement
	// Pause, when set, is silence of that length.
	Pause time.Duration
	// Stat asks the handler to fill the line in from the user's history before it is said:
	// Args.Count with today's count, say, or the whole line for StatLast and StatAfter. If
	// the history cannot be read, Sorry is said instead (or nothing, for None).
	Stat  Stat
	Sorry voice.Key
	// Saved lines are said only if every effect of the turn succeeded. Where one failed,
	// its Sorry takes the place of the first Saved line (a Saved line with Key None marks
	// where a Sorry goes without replacing anything).
	Saved bool
}

// Stat is a figure from the user's history that a line says.
type Stat uint8

// The figures.
const (
	NoStat        Stat = iota
	StatToday          // routines today (Key's Count)
	StatYesterday      // routines yesterday
	StatWeek           // days with a routine this week
	StatLastWeek       // days with a routine last week
	StatStreak         // days in a row, still going
	StatLongest        // the longest run of days
	StatLast           // when the last routine was: the handler chooses the key
	StatAfter          // after a completion, one line of progress when it means something
	StatTip            // after a completion, now and then, an everyday tip
	StatReminder       // the time of the reminder just set (Args.At), and how many (Count)
)

// Card is a card's title and text.
type Card struct {
	Title, Content Line
}

// Effect is a change to what the store keeps, asked for by a transition and carried out by
// the handler.
type Effect struct {
	Kind  EffectKind
	Prefs Preferences // SavePreferences and Complete
	Side  int         // KeepPlace: the side to come back to
	Move  int         // KeepPlace: the movement it was left in, 0 for the side's end
	Run   string      // Complete: the routine's ID ("" for one resumed from a kept place)
	Sorry voice.Key   // what the user is told if it fails; None says nothing
	// SetReminders: the local times of day, or, when empty, about now; and the answer to
	// give instead if the user has not granted the reminders permission.
	Times          []Reminder
	IfNoPermission *Answer
}

// EffectKind says which change an Effect is.
type EffectKind uint8

// The effects.
const (
	SavePreferences EffectKind = iota + 1
	KeepPlace
	ForgetPlace
	Complete
	RecordPain
	ReplaceReminders // replace the user's reminders with daily ones at Times
	DropReminders    // delete them all
)

func (k EffectKind) String() string {
	switch k {
	case SavePreferences:
		return "save-preferences"
	case KeepPlace:
		return "keep-place"
	case ForgetPlace:
		return "forget-place"
	case Complete:
		return "complete"
	case RecordPain:
		return "record-pain"
	case ReplaceReminders:
		return "set-reminders"
	case DropReminders:
		return "cancel-reminders"
	}
	return "effect(?)"
}

func msg(k voice.Key) Line               { return Line{Key: k} }
func msgSide(k voice.Key, side int) Line { return Line{Key: k, Args: voice.Args{Side: side}} }
func msgSeconds(k voice.Key, seconds int) Line {
	return Line{Key: k, Args: voice.Args{Seconds: seconds}}
}
