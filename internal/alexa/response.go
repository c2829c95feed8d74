package alexa

import "encoding/json"

// Response is the envelope the skill returns. An empty Response (no Body fields) is the right
// answer to a SessionEndedRequest and to skill events.
type Response struct {
	Version           string                     `json:"version"`
	SessionAttributes map[string]json.RawMessage `json:"sessionAttributes,omitempty"`
	Body              ResponseBody               `json:"response"`
}

// ResponseBody is the "response" member of the envelope.
type ResponseBody struct {
	OutputSpeech     *OutputSpeech     `json:"outputSpeech,omitempty"`
	Card             *Card             `json:"card,omitempty"`
	Reprompt         *Reprompt         `json:"reprompt,omitempty"`
	Directives       []json.RawMessage `json:"directives,omitempty"`
	ShouldEndSession *bool             `json:"shouldEndSession,omitempty"`
	// CanFulfillIntent is the whole answer to a CanFulfillIntentRequest.
	CanFulfillIntent *CanFulfillIntent `json:"canFulfillIntent,omitempty"`
}

// CanFulfillIntent tells Alexa whether the skill can understand and fulfil an intent said
// without its name: CanFulfill is YES, NO or MAYBE, and each slot sent gets an answer.
type CanFulfillIntent struct {
	CanFulfill string                    `json:"canFulfill"`
	Slots      map[string]CanFulfillSlot `json:"slots,omitempty"`
}

// CanFulfillSlot is the answer for one slot: CanUnderstand YES, NO or MAYBE (the value
// matched the slot type partly), CanFulfill YES or NO.
type CanFulfillSlot struct {
	CanUnderstand string `json:"canUnderstand"`
	CanFulfill    string `json:"canFulfill"`
}

// The answers of CanFulfillIntent.
const (
	Yes   = "YES"
	No    = "NO"
	Maybe = "MAYBE"
)

// OutputSpeech is what Alexa says. The skill always sends SSML.
type OutputSpeech struct {
	Type string `json:"type"`
	Text string `json:"text,omitempty"`
	SSML string `json:"ssml,omitempty"`
}

// Reprompt is spoken once if the person says nothing while the microphone is open.
type Reprompt struct {
	OutputSpeech OutputSpeech `json:"outputSpeech"`
}

// Card is shown in the Alexa app and on screen devices.
type Card struct {
	Type    string `json:"type"`
	Title   string `json:"title,omitempty"`
	Content string `json:"content,omitempty"`
	Text    string `json:"text,omitempty"`
	// Permissions, on a CardAskForPermissions card, are the scopes the Alexa app offers
	// to grant.
	Permissions []string `json:"permissions,omitempty"`
}

// Speech types and card types.
const (
	SpeechSSML      = "SSML"
	SpeechPlainText = "PlainText"
	CardSimple      = "Simple"
	CardStandard    = "Standard"
	// CardAskForPermissions asks, in the Alexa app, for the permissions it names.
	CardAskForPermissions = "AskForPermissionsConsent"
)

// SSMLSpeech wraps an SSML document for outputSpeech or a reprompt.
func SSMLSpeech(ssml string) *OutputSpeech {
	return &OutputSpeech{Type: SpeechSSML, SSML: ssml}
}
