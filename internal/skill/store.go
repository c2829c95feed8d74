package skill

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound means the store holds nothing for the user asked about.
var ErrNotFound = errors.New("not found")

// Store keeps what the skill remembers between sessions. Every method takes the user's key
// (see UserKey), never the raw Alexa user ID. Implementations: boltstore, dynamostore.
//
// A Store is shared by every request the process serves: all its methods must be safe to
// call from many goroutines at once, for the same user as for different ones (Lambda runs
// one request at a time per process, but the console's tests and the load tests do not).
type Store interface {
	// User returns the user's preferences and paused place, or ErrNotFound for a new user.
	User(ctx context.Context, userKey string) (User, error)
	// SavePreferences stores the user's preferences, leaving completions and place alone.
	SavePreferences(ctx context.Context, userKey string, p Preferences) error
	// SavePlace stores where the user left off; it is forgotten after p.Expires.
	SavePlace(ctx context.Context, userKey string, p Place) error
	// ForgetPlace removes the user's place, if any.
	ForgetPlace(ctx context.Context, userKey string) error
	// Complete records a completed routine, stores the preferences and forgets any paused
	// place, as one write. Recording a completion whose ID is already stored changes nothing
	// and is not an error, so a request delivered twice counts once.
	Complete(ctx context.Context, userKey string, c Completion, p Preferences) error
	// RecordPain records that the user stopped a routine for pain at p.LastPain: it is kept
	// in their history (until DeleteUser), the preferences are stored, and any place is
	// forgotten, as one write.
	RecordPain(ctx context.Context, userKey string, p Preferences) error
	// CountCompletions counts the user's completions whose time is in [from, to).
	CountCompletions(ctx context.Context, userKey string, from, to time.Time) (int, error)
	// DeleteUser removes everything stored for the user.
	DeleteUser(ctx context.Context, userKey string) error
}

// User is what the store remembers of one person.
type User struct {
	Preferences
	Paused *Place // nil when nothing is paused
}

// Preferences are remembered for good (until the user disables the skill).
type Preferences struct {
	Tempo     time.Duration // per rep; zero means DefaultTempo
	NoteHeard bool          // the first-use safety note has been spoken
	Zone      string        // the device's IANA time zone when last known
	LastPain  time.Time     // when the user last stopped for pain; zero for never
	PainNoted bool          // a later launch has already mentioned LastPain
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
