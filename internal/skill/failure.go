package skill

import "errors"

// Errors Handle returns instead of a response. Alexa then tells the user the skill had a
// problem; these are for requests that are not the user's, or not Alexa's.
var (
	// ErrWrongSkill means the request names another skill's application ID.
	ErrWrongSkill = errors.New("request is for another skill")
	// ErrBadRequest means the envelope lacks what every request of its type carries.
	ErrBadRequest = errors.New("malformed request")
)

// What the user hears when storage fails. The skill answers honestly and carries on rather
// than failing the turn: these are the only places that wording lives.
const (
	sorryCount    = "Sorry, I can't reach your exercise log just now, so I can't count today's routines. Please try again in a little while."
	sorryComplete = "I couldn't save this one to your log just now, sorry, so it may not show in today's count."
	sorryPlace    = "I couldn't save your place just now, sorry, so next time we'll start from the beginning."
	sorryTempo    = "I couldn't save that pace for next time, though."
)
