package skill

import "github.com/spine-opener/spine-opener/internal/alexa"

// coldStart says, for each intent, whether the skill can answer it from a cold start, said
// without its name ("Alexa, how many spine openers have I done today?"): Alexa asks with a
// CanFulfillIntentRequest before routing it here. Following Amazon's "Implement
// CanFulfillIntentRequest for Name-free Interactions": YES only for what the skill does
// as asked; NO for everything else: reminders, which may need a permission the user grants
// by voice first, so that said without the name they are better left to Alexa's own;
// Amazon's general built-ins
// ("stop", "yes", "resume" and the like belong to whatever the user is doing) and
// in-routine commands ("slower", "hold", "that hurts") among them. An intent missing here is
// NO.
var coldStart = map[string]string{
	IntentStart:        alexa.Yes,
	IntentNextSide:     alexa.Yes, // carrying on from a kept place, or starting
	IntentHowManyToday: alexa.Yes,
	IntentYesterday:    alexa.Yes,
	IntentWeek:         alexa.Yes,
	IntentStreak:       alexa.Yes,
	IntentHowAmIDoing:  alexa.Yes,
	IntentLastTime:     alexa.Yes,
	IntentPreview:      alexa.Yes,
	IntentMoveQuestion: alexa.Yes, // for a movement it knows: see canFulfill
	IntentTip:          alexa.Yes,
}

// canFulfill answers a CanFulfillIntentRequest. It reads nothing and writes nothing: the
// answer depends on the request alone.
func canFulfill(intent *alexa.Intent) *alexa.CanFulfillIntent {
	answer := &alexa.CanFulfillIntent{CanFulfill: alexa.No}
	if intent == nil {
		return answer
	}
	if v, ok := coldStart[intent.Name]; ok {
		answer.CanFulfill = v
	}
	for name, slot := range intent.Slots {
		if answer.Slots == nil {
			answer.Slots = map[string]alexa.CanFulfillSlot{}
		}
		s := alexa.CanFulfillSlot{CanUnderstand: alexa.No, CanFulfill: alexa.No}
		switch {
		case intent.Name != IntentMoveQuestion || name != SlotMovement:
			answer.CanFulfill = alexa.No // not a slot of ours
		case movementOf(slot) > 0:
			s = alexa.CanFulfillSlot{CanUnderstand: alexa.Yes, CanFulfill: alexa.Yes}
		default:
			answer.CanFulfill = alexa.No // a move it does not know
		}
		answer.Slots[name] = s
	}
	if intent.Name == IntentMoveQuestion && movementOf(intent.Slots[SlotMovement]) == 0 {
		answer.CanFulfill = alexa.No
	}
	return answer
}
