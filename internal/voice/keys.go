package voice

// Key names one thing the skill can say. The conversation chooses keys; a locale's catalog
// gives each its words. Every key must have words in every catalog (a test checks).
type Key int

// The keys, grouped by where they are said. A new sentence is a key here, its name in
// keyNames, and its words in every catalog under catalogs/.
const (
	None Key = iota // says nothing; a zero Line

	// Opening a session.
	WelcomeNew
	Overview
	WelcomeBack
	WelcomeBackPaused
	FirstUseNote

	// Moving through the routine.
	Switching
	HereWeGo
	FromTheTop
	PickingUp
	WelcomeBackPickingUp
	NothingPausedStart
	StartingOver
	SideAgain
	SideOneNotDone
	NothingUnderWay
	NotStarted
	ComeBackLater

	// Keeping a place, stopping.
	Paused
	PlaceStillKept
	NothingToPause
	Stop

	// Help and misunderstandings.
	HelpMoving
	Fallback

	// Counting.
	CountToday
	DoneToday
	WellDone
	SeeYou

	// Tempo.
	TempoSlower
	TempoFaster
	TempoSlowest
	TempoFastest
	TempoAgain
	TempoNextRoutine

	// What to say next: spoken after an answer and as its reprompt.
	PromptSideOne
	PromptSideTwo
	PromptResume
	PromptStart

	// A side of the routine.
	SideIntro
	MovementIntro
	Rep
	EaseOut
	SideOneEnd
	SideTwoEnd
	ArmRight
	ArmLeft

	// The three movements: name, set-up and three rep cues each.
	Move1Name
	Move1Setup
	Move1Cue1
	Move1Cue2
	Move1Cue3
	Move2Name
	Move2Setup
	Move2Cue1
	Move2Cue2
	Move2Cue3
	Move3Name
	Move3Setup
	Move3Cue1
	Move3Cue2
	Move3Cue3

	// When storage fails: what the user is told instead.
	SorryCount
	SorryComplete
	SorryPlace
	SorryTempo

	// The card shown in the Alexa app with each side (plain text, not speech).
	CardSideTitle
	CardSideContent

	numKeys
)

// keyNames are the keys as catalogs spell them.
var keyNames = [numKeys]string{
	None:                 "",
	WelcomeNew:           "welcome.new",
	Overview:             "overview",
	WelcomeBack:          "welcome.back",
	WelcomeBackPaused:    "welcome.back.paused",
	FirstUseNote:         "first-use-note",
	Switching:            "switching",
	HereWeGo:             "here-we-go",
	FromTheTop:           "from-the-top",
	PickingUp:            "picking-up",
	WelcomeBackPickingUp: "welcome.back.picking-up",
	NothingPausedStart:   "nothing-paused.start",
	StartingOver:         "starting-over",
	SideAgain:            "side-again",
	SideOneNotDone:       "side-one-not-done",
	NothingUnderWay:      "nothing-under-way",
	NotStarted:           "not-started",
	ComeBackLater:        "come-back-later",
	Paused:               "paused",
	PlaceStillKept:       "place-still-kept",
	NothingToPause:       "nothing-to-pause",
	Stop:                 "stop",
	HelpMoving:           "help.moving",
	Fallback:             "fallback",
	CountToday:           "count.today",
	DoneToday:            "count.done-today",
	WellDone:             "well-done",
	SeeYou:               "see-you",
	TempoSlower:          "tempo.slower",
	TempoFaster:          "tempo.faster",
	TempoSlowest:         "tempo.slowest",
	TempoFastest:         "tempo.fastest",
	TempoAgain:           "tempo.again",
	TempoNextRoutine:     "tempo.next-routine",
	PromptSideOne:        "prompt.side-one",
	PromptSideTwo:        "prompt.side-two",
	PromptResume:         "prompt.resume",
	PromptStart:          "prompt.start",
	SideIntro:            "side.intro",
	MovementIntro:        "side.movement",
	Rep:                  "side.rep",
	EaseOut:              "side.ease-out",
	SideOneEnd:           "side.end.one",
	SideTwoEnd:           "side.end.two",
	ArmRight:             "arm.right",
	ArmLeft:              "arm.left",
	Move1Name:            "move1.name",
	Move1Setup:           "move1.setup",
	Move1Cue1:            "move1.cue1",
	Move1Cue2:            "move1.cue2",
	Move1Cue3:            "move1.cue3",
	Move2Name:            "move2.name",
	Move2Setup:           "move2.setup",
	Move2Cue1:            "move2.cue1",
	Move2Cue2:            "move2.cue2",
	Move2Cue3:            "move2.cue3",
	Move3Name:            "move3.name",
	Move3Setup:           "move3.setup",
	Move3Cue1:            "move3.cue1",
	Move3Cue2:            "move3.cue2",
	Move3Cue3:            "move3.cue3",
	SorryCount:           "sorry.count",
	SorryComplete:        "sorry.complete",
	SorryPlace:           "sorry.place",
	SorryTempo:           "sorry.tempo",
	CardSideTitle:        "card.side.title",
	CardSideContent:      "card.side.content",
}

// String is the key as catalogs spell it.
func (k Key) String() string {
	if k < 0 || k >= numKeys {
		return "voice.Key(?)"
	}
	return keyNames[k]
}

// Keys lists every key that has words, in declaration order.
func Keys() []Key {
	keys := make([]Key, 0, numKeys-1)
	for k := None + 1; k < numKeys; k++ {
		keys = append(keys, k)
	}
	return keys
}
