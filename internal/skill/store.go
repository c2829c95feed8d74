package skill

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound means the store holds nothing for the user asked about.
var ErrNotFound = errors.New("not found")

// ErrGone means the user disabled the skill: everything of theirs was erased, and nothing
// more may be stored for them (a late session end, a retry, a slow invocation). Every write
// returns it for a user DeleteUser has erased, for TombstoneLifetime.
var ErrGone = errors.New("the user disabled the skill")

// ErrConflict means the user's history changed between reading and writing it (another
// device finished a routine at the same moment): read the user again and retry.
var ErrConflict = errors.New("history changed since it was read")

// TombstoneLifetime is how long a user who disabled the skill stays refused. Alexa gives a
// user who enables the skill again a new user ID, so this only needs to outlast whatever was
// still in flight.
const TombstoneLifetime = 7 * 24 * time.Hour

// Store keeps what the skill remembers between sessions. Every method takes the user's key
// (see UserKey), never the raw Alexa user ID. A recognised speaker's key is the account's
// key, a dot, and the person's (see PersonKey): everything of theirs is their own, and
// DeleteUser of the account erases every person of it. Implementations: boltstore,
// dynamostore.
//
// A Store is shared by every request the process serves: all its methods must be safe to
// call from many goroutines at once, for the same user as for different ones (Lambda runs
// one request at a time per process, but the console's tests and the load tests do not).
type Store interface {
	// User returns the user's preferences, place and history, or ErrNotFound for a new user,
	// in one read whatever the length of their history.
	User(ctx context.Context, userKey string) (User, error)
	// SavePreferences stores the user's preferences, leaving completions and place alone.
	SavePreferences(ctx context.Context, userKey string, p Preferences) error
	// SavePlace stores where the user left off; it is forgotten after p.Expires.
	SavePlace(ctx context.Context, userKey string, p Place) error
	// ForgetPlace removes the user's place, if any.
	ForgetPlace(ctx context.Context, userKey string) error
	// Complete records a completed routine, stores the preferences and the history h (the
	// one User returned, with c added: see History.With), and forgets any place, as one
	// write, and reports whether c was new. Recording a completion whose ID is already
	// stored changes nothing and is not an error (new is false), so a request delivered twice
	// counts once. If the stored history is no longer the one h was made from (its Version
	// is not h.Version-1), nothing is written and the error is ErrConflict.
	Complete(ctx context.Context, userKey string, c Completion, p Preferences, h History) (new bool, err error)
	// RecordPain records that the user stopped a routine for pain at p.LastPain: it is kept
	// in their history (until DeleteUser), the preferences are stored, and any place is
	// forgotten, as one write.
	RecordPain(ctx context.Context, userKey string, p Preferences) error
	// CountCompletions counts the user's completions whose time is in [from, to).
	CountCompletions(ctx context.Context, userKey string, from, to time.Time) (int, error)
	// DeleteUser removes everything stored for the user and every person of the account,
	// and leaves a tombstone for TombstoneLifetime, so that any later write for them fails
	// with ErrGone. It is safe against writes racing it: a write that lands before the
	// tombstone is erased with the rest.
	DeleteUser(ctx context.Context, userKey string) error
}

// User is what the store remembers of one person.
type User struct {
	Preferences
	Paused  *Place // nil when nothing is paused
	History History
}

// History is what the skill keeps of a user's routines besides the completions themselves,
// so that the progress questions cost one read at any length of history. It is updated in
// the same write as each completion.
type History struct {
	Days    []Day     // the latest days with a routine, newest first, at most HistoryDays
	Run     int       // how many days in a row, ending with Days[0], had a routine
	Longest int       // the longest such run
	Total   int       // routines ever
	LastAt  time.Time // when the latest one was completed
	Version int64     // how many times it has been written; 0 before the first routine
}

// Day is a local date (YYYY-MM-DD, in the user's zone at the time) and its routines.
type Day struct {
	Date  string
	Count int
}

// HistoryDays is how many days History keeps: this week and last week, and a day.
const HistoryDays = 15

// Reminder is a daily reminder the user asked for, as the Reminders API knows it.
type Reminder struct {
	Token  string `json:"token"` // the alertToken
	Hour   int    `json:"hour"`  // local time of day
	Minute int    `json:"minute,omitempty"`
}

// MaxReminders is the most daily reminders the skill sets for one user ("through the day").
const MaxReminders = 4

// Preferences are remembered for good (until the user disables the skill).
type Preferences struct {
	Tempo     time.Duration // per rep; zero means DefaultTempo
	NoteHeard bool          // the first-use safety note has been spoken
	Zone      string        // the device's IANA time zone when last known
	LastPain  time.Time     // when the user last stopped for pain; zero for never
	PainNoted bool          // a later launch has already mentioned LastPain
	SoundsOff bool          // no sound marks the start of each movement
	TipsHeard uint64        // bit i: everyday tip i has been heard
	// Reminders are the user's daily reminders; RemindersOffered is set once they have
	// been offered after a first routine.
	Reminders        []Reminder
	RemindersOffered bool
}

// Place is where a routine was left: in the middle of Move (1 to Movements) of Side, or,
// with Move 0, at the end of Side, so that carrying on is the next side.
type Place struct {
	Side    int
	Move    int
	Expires time.Time
}

// Completion is one finished routine. ID comes from the routine's start request, so the same
// routine is never counted twice.
type Completion struct {
	ID        string
	At        time.Time // when the user said they were done (the request's timestamp)
	Day       string    // the user's local date at At, YYYY-MM-DD
	Zone      string    // the time zone Day was computed in
	SessionID string
}

// PlaceLifetime is how long a place is kept.
const PlaceLifetime = 24 * time.Hour

// PainMemory is how long after a stop for pain the next launch mentions it.
const PainMemory = 7 * 24 * time.Hour
