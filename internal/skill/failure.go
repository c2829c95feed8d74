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
