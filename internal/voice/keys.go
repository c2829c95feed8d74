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
	ComfortReminder
	FirstUseNote
	OfferCarryOn
	OfferCarryOnFrom
	PainLastTime
	OfferGentle
	GentleSlower
	GentleUsual
	GentleAtSlowest

	// Moving through the routine.
	Switching
	HereWeGo
	OnToSide
	PickingUpSide
	PickingUpAt
	WelcomeBackOnTo
	WelcomeBackAt
	NothingToCarryOn
	StartingOver
	StartingFresh
	AlreadyCounted
	SideAgain
	SideOneNotDone
	NothingUnderWay
	NotStarted
	ComeBackLater
	Holding
	HoldOver
	Preview

	// Questions about a move, and everyday tips.
	MoveExplain1
	MoveExplain2
	MoveExplain3
	MoveUnknown
	Tip1
	Tip2
	Tip3
	Tip4
	Tip5
	Tip6

	// Progress.
	CountYesterday
	WeekDays
	LastWeekDays
	StreakNow
	StreakLongest
	LastToday
	LastYesterday
	LastDaysAgo
	LastNever
	ProgressRun
	ProgressWeek

	// Reminders.
	ReminderOffer
	PromptReminderOffer
	ReminderSet
	RemindersThroughDay
	ReminderChanged
	RemindersCancelled
	NoReminders
	ReminderListOne
	ReminderListMany
	ReminderAskPermission
	ReminderDenied
	ReminderNoAnswer
	ReminderText
	SorryReminder
	SorryCancelReminder
	CancelNeedsPermission
	NoReminderThanks
	ReminderChangeHow

	// A recognised speaker.
	WelcomeBackName

	// Sounds, and the screen's words (plain text).
	SoundsOff
	SoundsOn
	ScreenArm
	ScreenNext
	ScreenStop
	ScreenToday
	ScreenStreak
	ScreenHelp

	// Keeping a place, stopping.
	Paused
	PlaceKept
	PlaceStillKept
	NothingToPause
	Stop
	PainStop

	// Help and misunderstandings.
	HelpStart
	HelpCounting
	HelpBetween
	HelpAfterTwo
	HelpOffer
	HelpGentle
	HelpReminderOffer
	TakeYourTime
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
	TempoFromNextSide
	TempoNextRoutine

	// What to say next: spoken after an answer; the reprompt adds the way back later.
	PromptSideOne
	RepromptSideOne
	PromptSideTwo
	RepromptSideTwo
	PromptOffer
	PromptGentle
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
	SorryPain

	// The card shown in the Alexa app with each side (plain text, not speech).
	CardSideTitle
	CardSideContent

	numKeys
)

// keyNames are the keys as catalogs spell them.
var keyNames = [numKeys]string{
	None:                  "",
	WelcomeNew:            "welcome.new",
	Overview:              "overview",
	WelcomeBack:           "welcome.back",
	ComfortReminder:       "welcome.comfort",
	FirstUseNote:          "first-use-note",
	OfferCarryOn:          "offer.carry-on",
	OfferCarryOnFrom:      "offer.carry-on-from",
	PainLastTime:          "pain.last-time",
	OfferGentle:           "offer.gentle",
	GentleSlower:          "gentle.slower",
	GentleUsual:           "gentle.usual",
	GentleAtSlowest:       "gentle.at-slowest",
	Switching:             "switching",
	HereWeGo:              "here-we-go",
	OnToSide:              "on-to-side",
	PickingUpSide:         "picking-up.side",
	PickingUpAt:           "picking-up.at",
	WelcomeBackOnTo:       "welcome.back.on-to",
	WelcomeBackAt:         "welcome.back.at",
	NothingToCarryOn:      "nothing-to-carry-on",
	StartingOver:          "starting-over",
	StartingFresh:         "starting-fresh",
	AlreadyCounted:        "already-counted",
	SideAgain:             "side-again",
	SideOneNotDone:        "side-one-not-done",
	NothingUnderWay:       "nothing-under-way",
	NotStarted:            "not-started",
	ComeBackLater:         "come-back-later",
	Holding:               "holding",
	HoldOver:              "hold-over",
	Preview:               "preview",
	MoveExplain1:          "move1.explain",
	MoveExplain2:          "move2.explain",
	MoveExplain3:          "move3.explain",
	MoveUnknown:           "move.unknown",
	Tip1:                  "tip1",
	Tip2:                  "tip2",
	Tip3:                  "tip3",
	Tip4:                  "tip4",
	Tip5:                  "tip5",
	Tip6:                  "tip6",
	CountYesterday:        "count.yesterday",
	WeekDays:              "progress.week",
	LastWeekDays:          "progress.last-week",
	StreakNow:             "progress.streak",
	StreakLongest:         "progress.longest",
	LastToday:             "last.today",
	LastYesterday:         "last.yesterday",
	LastDaysAgo:           "last.days-ago",
	LastNever:             "last.never",
	ProgressRun:           "after.run",
	ProgressWeek:          "after.week",
	ReminderOffer:         "reminder.offer",
	PromptReminderOffer:   "prompt.reminder-offer",
	ReminderSet:           "reminder.set",
	RemindersThroughDay:   "reminder.through-day",
	ReminderChanged:       "reminder.changed",
	RemindersCancelled:    "reminder.cancelled",
	NoReminders:           "reminder.none",
	ReminderListOne:       "reminder.list-one",
	ReminderListMany:      "reminder.list-many",
	ReminderAskPermission: "reminder.ask-permission",
	ReminderDenied:        "reminder.denied",
	ReminderNoAnswer:      "reminder.no-answer",
	ReminderText:          "reminder.text",
	SorryReminder:         "sorry.reminder",
	SorryCancelReminder:   "sorry.reminder-cancel",
	CancelNeedsPermission: "reminder.cancel-needs-permission",
	NoReminderThanks:      "reminder.no-thanks",
	ReminderChangeHow:     "reminder.change-how",
	WelcomeBackName:       "welcome.back.name",
	SoundsOff:             "sounds.off",
	SoundsOn:              "sounds.on",
	ScreenArm:             "screen.arm",
	ScreenNext:            "screen.next",
	ScreenStop:            "screen.stop",
	ScreenToday:           "screen.today",
	ScreenStreak:          "screen.streak",
	ScreenHelp:            "screen.help",
	Paused:                "paused",
	PlaceKept:             "place-kept",
	PlaceStillKept:        "place-still-kept",
	NothingToPause:        "nothing-to-pause",
	Stop:                  "stop",
	PainStop:              "pain.stop",
	HelpStart:             "help.start",
	HelpCounting:          "help.counting",
	HelpBetween:           "help.between",
	HelpAfterTwo:          "help.after-two",
	HelpOffer:             "help.offer",
	HelpGentle:            "help.gentle",
	HelpReminderOffer:     "help.reminder-offer",
	TakeYourTime:          "take-your-time",
	Fallback:              "fallback",
	CountToday:            "count.today",
	DoneToday:             "count.done-today",
	WellDone:              "well-done",
	SeeYou:                "see-you",
	TempoSlower:           "tempo.slower",
	TempoFaster:           "tempo.faster",
	TempoSlowest:          "tempo.slowest",
	TempoFastest:          "tempo.fastest",
	TempoFromNextSide:     "tempo.next-side",
	TempoNextRoutine:      "tempo.next-routine",
	PromptSideOne:         "prompt.side-one",
	RepromptSideOne:       "reprompt.side-one",
	PromptSideTwo:         "prompt.side-two",
	RepromptSideTwo:       "reprompt.side-two",
	PromptOffer:           "prompt.offer",
	PromptGentle:          "prompt.gentle",
	PromptStart:           "prompt.start",
	SideIntro:             "side.intro",
	MovementIntro:         "side.movement",
	Rep:                   "side.rep",
	EaseOut:               "side.ease-out",
	SideOneEnd:            "side.end.one",
	SideTwoEnd:            "side.end.two",
	ArmRight:              "arm.right",
	ArmLeft:               "arm.left",
	Move1Name:             "move1.name",
	Move1Setup:            "move1.setup",
	Move1Cue1:             "move1.cue1",
	Move1Cue2:             "move1.cue2",
	Move1Cue3:             "move1.cue3",
	Move2Name:             "move2.name",
	Move2Setup:            "move2.setup",
	Move2Cue1:             "move2.cue1",
	Move2Cue2:             "move2.cue2",
	Move2Cue3:             "move2.cue3",
	Move3Name:             "move3.name",
	Move3Setup:            "move3.setup",
	Move3Cue1:             "move3.cue1",
	Move3Cue2:             "move3.cue2",
	Move3Cue3:             "move3.cue3",
	SorryCount:            "sorry.count",
	SorryComplete:         "sorry.complete",
	SorryPlace:            "sorry.place",
	SorryTempo:            "sorry.tempo",
	SorryPain:             "sorry.pain",
	CardSideTitle:         "card.side.title",
	CardSideContent:       "card.side.content",
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
