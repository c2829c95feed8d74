package skill

import (
	"encoding/json"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/screen"
)

// Phase is where a session's conversation stands.
type Phase uint8

// The phases, in the order a routine moves through them.
const (
	Idle             Phase = iota // nothing under way: a new session, or one that only talked
	OfferingStart                 // asked "would you like to start?"
	OfferingResume                // a kept place is on offer: carry on or start fresh
	OfferingGentle                // something hurt last time: a slower pace is on offer
	OfferingReminder              // after a first routine: a daily reminder is on offer
	SideOne                       // side one is being spoken, or has been: then "next side"
	SideTwo                       // side two is being spoken, or has been: then "done"
	numPhases
)

// In SideOne and SideTwo, whether Alexa is still speaking the side (and in which movement)
// or has finished it is reckoned afresh at each request from the time since the side began
// (see progress): Alexa tells the skill nothing when someone cuts in.

var phaseNames = [numPhases]string{"idle", "offering-start", "offering-resume", "offering-gentle", "offering-reminder", "side-one", "side-two"}

func (p Phase) String() string {
	if p >= numPhases {
		return "phase(?)"
	}
	return phaseNames[p]
}

// MarshalText spells the phase in session attributes.
func (p Phase) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads a phase; an unknown name is Idle, as attributes come back unverified.
func (p *Phase) UnmarshalText(b []byte) error {
	*p = Idle
	for i, name := range phaseNames {
		if name == string(b) {
			*p = Phase(i)
		}
	}
	return nil
}

// side is the side a phase has just spoken, or 0.
func (p Phase) side() int {
	switch p {
	case SideOne:
		return 1
	case SideTwo:
		return 2
	}
	return 0
}

func sidePhase(side int) Phase {
	if side == 2 {
		return SideTwo
	}
	return SideOne
}

// Event is what reached the skill: a request, or the intent the user's words resolved to.
type Event uint8

// The events.
const (
	Launch           Event = iota // "Alexa, open spine opener"
	Start                         // "start", "let's go", "ask spine opener to start"
	NextSide                      // "next side", "next"
	Done                          // "done", "finished"
	HowMany                       // "how many times today"
	Slower                        // "slower"
	Faster                        // "faster"
	StopNow                       // "stop", "cancel", "go home"
	Pause                         // "pause"
	Resume                        // "resume"
	Repeat                        // "repeat"
	StartOver                     // "start over"
	Help                          // "help"
	Yes                           // "yes"
	No                            // "no"
	Fallback                      // anything the model could not place
	Pain                          // "that hurts", "ouch", "I need to stop"
	Hold                          // "hold", "let me stay here"
	Preview                       // "what are the moves", "how long does it take"
	MoveQuestion                  // "how do I do thread the needle"
	TipPlease                     // "give me a tip"
	Yesterday                     // "how many times yesterday"
	Week                          // "how many this week"
	Streak                        // "what's my streak"
	HowAmIDoing                   // "how am I doing"
	LastTime                      // "when did I last do it"
	SetReminder                   // "remind me every day at eight"
	RemindThroughDay              // "remind me through the day"
	ChangeReminder                // "change my reminder to seven"
	CancelReminders               // "cancel my reminder"
	ListReminders                 // "what reminders do I have"
	ConsentAnswer                 // Alexa's answer after it asked for a permission
	QuietPlease                   // \"sounds off\"
	SoundsPlease                  // \"sounds on\"
	TimedOut                      // the session ended in silence after the reprompt
	Left                          // the session ended any other way ("exit", an error)
	numEvents
)

var eventNames = [numEvents]string{"launch", "start", "next-side", "done", "how-many", "slower", "faster", "stop",
	"pause", "resume", "repeat", "start-over", "help", "yes", "no", "fallback", "pain", "hold", "preview",
	"move-question", "tip", "yesterday", "week", "streak", "how-am-i-doing", "last-time",
	"set-reminder", "remind-through-day", "change-reminder", "cancel-reminders", "list-reminders", "consent-answer", "sounds-off", "sounds-on",
	"timed-out", "left"}

func (e Event) String() string {
	if e >= numEvents {
		return "event(?)"
	}
	return eventNames[e]
}

// Intent names of the skill's own intents.
const (
	IntentNextSide     = "NextSideIntent"
	IntentDone         = "DoneIntent"
	IntentHowManyToday = "HowManyTodayIntent"
	IntentSlower       = "SlowerIntent"
	IntentFaster       = "FasterIntent"
	IntentPain         = "PainIntent"
	IntentHold         = "HoldIntent"
	IntentPreview      = "PreviewIntent"
	IntentStart        = "StartIntent"
	IntentMoveQuestion = "MoveQuestionIntent"
	IntentTip          = "TipIntent"
	IntentYesterday    = "YesterdayIntent"
	IntentWeek         = "WeekIntent"
	IntentStreak       = "StreakIntent"
	IntentHowAmIDoing  = "HowAmIDoingIntent"
	IntentLastTime     = "LastTimeIntent"
	IntentSetReminder  = "SetReminderIntent"
	IntentRemindDay    = "RemindThroughDayIntent"
	IntentChangeRem    = "ChangeReminderIntent"
	IntentCancelRem    = "CancelReminderIntent"
	IntentListRem      = "ListRemindersIntent"
	IntentSoundsOff    = "SoundsOffIntent"
	IntentSoundsOn     = "SoundsOnIntent"
)

// SlotTime is the reminder intents' slot, of Amazon's type AMAZON.TIME.
const SlotTime = "time"

// SlotMovement is MoveQuestionIntent's slot; its values' IDs are movementIDs.
const SlotMovement = "movement"

// movementIDs are the IDs of the MOVEMENT slot type's values, in the routine's order.
var movementIDs = [Movements]string{"twist", "curl", "needle"}

// intents maps each intent the skill answers to its event. A new intent is a line here,
// a row or two in transitions, and its samples in the interaction model.
var intents = map[string]Event{
	IntentNextSide:              NextSide,
	"AMAZON.NextIntent":         NextSide,
	IntentDone:                  Done,
	IntentHowManyToday:          HowMany,
	IntentSlower:                Slower,
	IntentFaster:                Faster,
	IntentPain:                  Pain,
	IntentHold:                  Hold,
	IntentPreview:               Preview,
	IntentStart:                 Start,
	IntentMoveQuestion:          MoveQuestion,
	IntentTip:                   TipPlease,
	IntentYesterday:             Yesterday,
	IntentWeek:                  Week,
	IntentStreak:                Streak,
	IntentHowAmIDoing:           HowAmIDoing,
	IntentLastTime:              LastTime,
	IntentSetReminder:           SetReminder,
	IntentRemindDay:             RemindThroughDay,
	IntentChangeRem:             ChangeReminder,
	IntentCancelRem:             CancelReminders,
	IntentListRem:               ListReminders,
	IntentSoundsOff:             QuietPlease,
	IntentSoundsOn:              SoundsPlease,
	"AMAZON.StopIntent":         StopNow,
	"AMAZON.CancelIntent":       StopNow,
	"AMAZON.NavigateHomeIntent": StopNow,
	"AMAZON.PauseIntent":        Pause,
	"AMAZON.ResumeIntent":       Resume,
	"AMAZON.RepeatIntent":       Repeat,
	"AMAZON.StartOverIntent":    StartOver,
	"AMAZON.HelpIntent":         Help,
	"AMAZON.YesIntent":          Yes,
	"AMAZON.NoIntent":           No,
	"AMAZON.FallbackIntent":     Fallback,
}

// eventOf is the event a conversational request stands for.
func eventOf(body alexa.RequestBody) Event {
	switch body.Type {
	case alexa.LaunchRequest:
		return Launch
	case alexa.SessionEndedRequest:
		if body.Reason == alexa.ReasonExceededMaxReprompts {
			return TimedOut
		}
		return Left
	case alexa.ConnectionsResponse, alexa.SessionResumedRequest:
		return ConsentAnswer
	case alexa.APLUserEvent: // a touch on the screen's buttons
		switch body.Argument(0) {
		case screen.ArgNextSide:
			return NextSide
		case screen.ArgStop:
			return StopNow
		}
		return Fallback
	}
	if ev, ok := intents[body.Intent.Name]; ok {
		return ev
	}
	return Fallback
}

// Conversation is what one session remembers between turns. It travels in the session
// attributes, so moving through the routine costs no storage calls.
type Conversation struct {
	Phase Phase  `json:"phase,omitempty"`
	Run   string `json:"run,omitempty"` // the routine under way: the ID it is completed under

	// The side being spoken (SideOne, SideTwo): it began with movement From, at SideAt
	// (Unix milliseconds, reckoned from the request and the speech before it), at SideTempo
	// seconds a rep, with chimes unless SideQuiet. A change of pace or sounds after the side
	// has ended applies to the next one, so where the user is is reckoned from these.
	From      int   `json:"from,omitempty"`
	SideAt    int64 `json:"sideAt,omitempty"`
	SideTempo int   `json:"sideTempo,omitempty"`
	SideQuiet bool  `json:"sideQuiet,omitempty"`

	// What the stored user said, once read (Loaded) this session.
	Loaded    bool   `json:"loaded,omitempty"`
	Tempo     int    `json:"tempo,omitempty"`     // seconds per rep; 0 means the default
	NoteHeard bool   `json:"noteHeard,omitempty"` // the first-use safety note has been spoken
	Kept      int    `json:"kept,omitempty"`      // the side of a kept place, 0 for none
	KeptMove  int    `json:"keptMove,omitempty"`  // its movement, 0 for the side's end
	Stored    bool   `json:"stored,omitempty"`    // the store holds a place for the user
	LastPain  int64  `json:"lastPain,omitempty"`  // when they last stopped for pain (Unix seconds)
	PainNoted bool   `json:"painNoted,omitempty"` // a launch has mentioned it
	Gentle    bool   `json:"gentle,omitempty"`    // mention it at this launch
	SoundsOff bool   `json:"soundsOff,omitempty"`
	TipsHeard uint64 `json:"tipsHeard,omitempty"`
	Offered   bool   `json:"offered,omitempty"` // reminders have been offered
	// Reminders are carried so that every profile written keeps them.
	Reminders []Reminder `json:"reminders,omitempty"`
	Zone      string     `json:"zone,omitempty"`      // the device's time zone, or the last one known
	ZoneAsked bool       `json:"zoneAsked,omitempty"` // the Settings API was asked this session
}

const (
	stateKey    = "state"
	maxIDLength = 256
)

// decodeConversation reads the session's conversation. Attributes of the wrong shape or
// out of range are dropped rather than trusted: they come back from the client unverified.
func decodeConversation(attrs map[string]json.RawMessage) Conversation {
	var c Conversation
	raw, ok := attrs[stateKey]
	if !ok || json.Unmarshal(raw, &c) != nil {
		return Conversation{}
	}
	if c.Kept < 0 || c.Kept > Sides {
		c.Kept = 0
	}
	if c.KeptMove < 0 || c.KeptMove > Movements {
		c.KeptMove = 0
	}
	if c.From < 0 || c.From > Movements {
		c.From = 0
	}
	if c.Phase == OfferingResume && c.Kept == 0 {
		c.Phase = Idle
	}
	if t := time.Duration(c.Tempo) * time.Second; t < MinTempo || t > MaxTempo {
		c.Tempo = 0
	}
	if t := time.Duration(c.SideTempo) * time.Second; t < MinTempo || t > MaxTempo {
		c.SideTempo = 0
	}
	// Whatever is kept goes back out in the response, which Alexa caps at 120 KB; real
	// values are request IDs and zone names, far shorter.
	if len(c.Run) > maxIDLength {
		c.Run = ""
	}
	if len(c.Zone) > maxIDLength {
		c.Zone, c.ZoneAsked = "", false
	}
	if len(c.Reminders) > MaxReminders {
		c.Reminders = c.Reminders[:MaxReminders]
	}
	for i, r := range c.Reminders {
		if len(r.Token) > maxIDLength {
			c.Reminders[i].Token = ""
		}
	}
	return c
}

func (c Conversation) encode() map[string]json.RawMessage {
	raw, _ := json.Marshal(c) // strings, ints and bools always marshal
	return map[string]json.RawMessage{stateKey: raw}
}

// sideTempo is the pace of the side being spoken.
func (c Conversation) sideTempo() time.Duration {
	if c.SideTempo == 0 {
		return c.tempo()
	}
	return time.Duration(c.SideTempo) * time.Second
}

func (c Conversation) tempo() time.Duration {
	if c.Tempo == 0 {
		return DefaultTempo
	}
	return time.Duration(c.Tempo) * time.Second
}

func (c Conversation) preferences() Preferences {
	p := Preferences{Tempo: c.tempo(), NoteHeard: c.NoteHeard, Zone: c.Zone, PainNoted: c.PainNoted,
		SoundsOff: c.SoundsOff, TipsHeard: c.TipsHeard, RemindersOffered: c.Offered, Reminders: c.Reminders}
	if c.LastPain != 0 {
		p.LastPain = time.Unix(c.LastPain, 0).UTC()
	}
	return p
}
