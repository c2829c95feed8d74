package alexa

import (
	"encoding/json"
	"time"
)

// Request types Alexa sends to a custom skill.
const (
	LaunchRequest = "LaunchRequest"
	// CanFulfillIntentRequest asks, before routing a request said without the skill's
	// name, whether the skill could answer it. The answer is Response.CanFulfillIntent only.
	CanFulfillIntentRequest = "CanFulfillIntentRequest"
	IntentRequest           = "IntentRequest"
	SessionEndedRequest     = "SessionEndedRequest"
	SkillEnabledEvent       = "AlexaSkillEvent.SkillEnabled"
	SkillDisabledEvent      = "AlexaSkillEvent.SkillDisabled"

	// ConnectionsResponse answers a Connections.SendRequest directive, such as a voice
	// request for a permission (AskFor): Name, Status, Payload and Token are set.
	ConnectionsResponse = "Connections.Response"
	// SessionResumedRequest hands the session back after a Connections.StartConnection
	// directive: Cause is set.
	SessionResumedRequest = "SessionResumedRequest"
	// SkillPermissionAcceptedEvent and SkillPermissionChangedEvent carry, in EventBody, the
	// permissions the person has granted the skill now.
	SkillPermissionAcceptedEvent = "AlexaSkillEvent.SkillPermissionAccepted"
	SkillPermissionChangedEvent  = "AlexaSkillEvent.SkillPermissionChanged"
)

// Reasons carried by a SessionEndedRequest.
const (
	ReasonUserInitiated        = "USER_INITIATED"
	ReasonExceededMaxReprompts = "EXCEEDED_MAX_REPROMPTS"
	ReasonError                = "ERROR"
)

// Request is the envelope of everything Alexa sends to the skill. Skill events
// (AlexaSkillEvent.*) arrive without a Session.
type Request struct {
	Version string      `json:"version"`
	Session *Session    `json:"session,omitempty"`
	Context Context     `json:"context"`
	Body    RequestBody `json:"request"`
}

// Session is the conversation a request belongs to. Attributes are what the skill returned
// as sessionAttributes on its previous response in the same session.
type Session struct {
	New         bool                       `json:"new"`
	SessionID   string                     `json:"sessionId"`
	Application Application                `json:"application"`
	Attributes  map[string]json.RawMessage `json:"attributes,omitempty"`
	User        User                       `json:"user"`
}

// Context describes the device and the skill at the time of the request.
type Context struct {
	System System `json:"System"`
}

// System carries the skill, user and device identities and the credentials for Alexa's APIs.
type System struct {
	Application    Application `json:"application"`
	User           User        `json:"user"`
	Device         Device      `json:"device"`
	APIEndpoint    string      `json:"apiEndpoint,omitempty"`
	APIAccessToken string      `json:"apiAccessToken,omitempty"`
	// Person is the speaker Alexa recognised by voice, present only when the skill has the
	// alexa::person_id:read permission and the speaker has a voice ID.
	Person *Person `json:"person,omitempty"`
}

// Person is a recognised speaker. PersonID is stable per skill and speaker; it names the
// speaker in SSML (<alexa:name type="first" personId="…"/>).
type Person struct {
	PersonID    string `json:"personId"`
	AccessToken string `json:"accessToken,omitempty"`
}

// Application identifies the skill the request is meant for.
type Application struct {
	ApplicationID string `json:"applicationId"`
}

// User identifies the person's enablement of the skill. The ID changes when the skill is
// disabled and enabled again.
type User struct {
	UserID      string       `json:"userId"`
	AccessToken string       `json:"accessToken,omitempty"`
	Permissions *Permissions `json:"permissions,omitempty"`
}

// Permissions is present once the person has granted the skill any permission.
type Permissions struct {
	ConsentToken string `json:"consentToken,omitempty"`
}

// Device is the Echo (or app) the person spoke to. SupportedInterfaces lists by name what the
// device can render, such as "Alexa.Presentation.APL".
type Device struct {
	DeviceID            string                     `json:"deviceId"`
	SupportedInterfaces map[string]json.RawMessage `json:"supportedInterfaces,omitempty"`
}

// RequestBody is the "request" member of the envelope. Which fields are set depends on Type.
type RequestBody struct {
	Type      string    `json:"type"`
	RequestID string    `json:"requestId"`
	Timestamp time.Time `json:"timestamp"`
	Locale    string    `json:"locale,omitempty"`

	// IntentRequest.
	DialogState string  `json:"dialogState,omitempty"`
	Intent      *Intent `json:"intent,omitempty"`

	// SessionEndedRequest.
	Reason string        `json:"reason,omitempty"`
	Error  *SessionError `json:"error,omitempty"`

	// AlexaSkillEvent.*.
	EventCreationTime   *time.Time `json:"eventCreationTime,omitempty"`
	EventPublishingTime *time.Time `json:"eventPublishingTime,omitempty"`
	EventBody           *EventBody `json:"body,omitempty"`

	// Connections.Response: Name is the task ("AskFor"), Token what the directive sent.
	Name    string            `json:"name,omitempty"`
	Status  *ConnectionStatus `json:"status,omitempty"`
	Payload *ConsentResult    `json:"payload,omitempty"`
	Token   string            `json:"token,omitempty"`

	// Alexa.Presentation.APL.UserEvent: a touch on the skill's screen. Arguments are what
	// the document's SendEvent sent; Token names the document.
	Arguments []json.RawMessage `json:"arguments,omitempty"`
	Source    json.RawMessage   `json:"source,omitempty"`

	// SessionResumedRequest.
	Cause *Cause `json:"cause,omitempty"`
}

// ConnectionStatus says whether a connection's task ran: Code is an HTTP status code as a
// string, "200" when it did.
type ConnectionStatus struct {
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
}

// ConsentResult is how the person answered a request for permissions: the payload of a
// Connections.Response to AskFor, or the result of a SessionResumedRequest after
// AskForPermissionsConsent. Amazon documents the answer both as one Status beside one
// PermissionScope and as a Status per entry of PermissionScopes; read it with
// Request.PermissionAnswer.
type ConsentResult struct {
	Version          string            `json:"version,omitempty"`
	PermissionScope  string            `json:"permissionScope,omitempty"`
	PermissionScopes []PermissionScope `json:"permissionScopes,omitempty"`
	Status           string            `json:"status,omitempty"`
	IsCardThrown     *bool             `json:"isCardThrown,omitempty"`
}

// PermissionScope is one permission asked for, or answered. ConsentLevel is ACCOUNT or
// PERSON.
type PermissionScope struct {
	PermissionScope string `json:"permissionScope"`
	ConsentLevel    string `json:"consentLevel,omitempty"`
	Status          string `json:"status,omitempty"`
}

// Cause is why a SessionResumedRequest was sent; Type is "ConnectionCompleted".
type Cause struct {
	Type   string            `json:"type"`
	Token  string            `json:"token,omitempty"`
	Status *ConnectionStatus `json:"status,omitempty"`
	Result *ConsentResult    `json:"result,omitempty"`
}

// Intent is what the interaction model resolved the utterance to.
type Intent struct {
	Name               string          `json:"name"`
	ConfirmationStatus string          `json:"confirmationStatus,omitempty"`
	Slots              map[string]Slot `json:"slots,omitempty"`
}

// Slot is one slot value of an intent. Value is what the person said, unvalidated.
type Slot struct {
	Name               string       `json:"name"`
	Value              string       `json:"value,omitempty"`
	ConfirmationStatus string       `json:"confirmationStatus,omitempty"`
	Resolutions        *Resolutions `json:"resolutions,omitempty"`
}

// Resolutions is entity resolution: what Alexa matched a slot's value to in the slot type
// of the interaction model (and other authorities).
type Resolutions struct {
	ResolutionsPerAuthority []Resolution `json:"resolutionsPerAuthority"`
}

// Resolution is one authority's match.
type Resolution struct {
	Authority string           `json:"authority"`
	Status    ResolutionStatus `json:"status"`
	Values    []ResolvedValue  `json:"values,omitempty"`
}

// ResolutionStatus says whether the value matched: ER_SUCCESS_MATCH, ER_SUCCESS_NO_MATCH,
// ER_ERROR_TIMEOUT or ER_ERROR_EXCEPTION.
type ResolutionStatus struct {
	Code string `json:"code"`
}

// ResolvedValue is a slot type value a spoken value matched.
type ResolvedValue struct {
	Value struct {
		Name string `json:"name"`
		ID   string `json:"id"`
	} `json:"value"`
}

// ResolutionMatch is the status code of a resolved value.
const ResolutionMatch = "ER_SUCCESS_MATCH"

// ResolvedID is the ID of the slot type value the slot's value matched, or "" when it
// matched none.
func (s Slot) ResolvedID() string {
	if s.Resolutions == nil {
		return ""
	}
	for _, r := range s.Resolutions.ResolutionsPerAuthority {
		if r.Status.Code == ResolutionMatch && len(r.Values) > 0 {
			return r.Values[0].Value.ID
		}
	}
	return ""
}

// SessionError explains a SessionEndedRequest whose reason is ERROR.
type SessionError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

// EventBody is the body of a skill event.
type EventBody struct {
	UserInformation *UserInformation `json:"userInformation,omitempty"`

	// SkillPermissionAccepted and SkillPermissionChanged: every permission granted now, on
	// the account and for the recognised person. A scope missing from a
	// SkillPermissionChanged event has been withdrawn.
	AcceptedPermissions       []Permission `json:"acceptedPermissions,omitempty"`
	AcceptedPersonPermissions []Permission `json:"acceptedPersonPermissions,omitempty"`
}

// Permission is one granted permission scope, such as "alexa::alerts:reminders:skill:readwrite".
type Permission struct {
	Scope string `json:"scope"`
}

// UserInformation tells, in a SkillDisabled event, whether the user ID survives the disable.
type UserInformation struct {
	PersistenceStatus string `json:"persistenceStatus,omitempty"`
}

// APLUserEvent is the request a touch on an APL screen sends.
const APLUserEvent = "Alexa.Presentation.APL.UserEvent"

// APLInterface is the supportedInterfaces key of a device with an APL screen.
const APLInterface = "Alexa.Presentation.APL"

// APLVersion is the newest APL version the device renders, and whether it has an APL
// screen at all.
func (d Device) APLVersion() (maxVersion string, ok bool) {
	raw, ok := d.SupportedInterfaces[APLInterface]
	if !ok {
		return "", false
	}
	var apl struct {
		Runtime struct {
			MaxVersion string `json:"maxVersion"`
		} `json:"runtime"`
	}
	json.Unmarshal(raw, &apl) // an empty or odd value still means a screen
	return apl.Runtime.MaxVersion, true
}

// Argument is the UserEvent's i-th argument as a string, or "".
func (b RequestBody) Argument(i int) string {
	if i >= len(b.Arguments) {
		return ""
	}
	var s string
	json.Unmarshal(b.Arguments[i], &s)
	return s
}

// IntentName is the intent of an IntentRequest, or "" for other requests.
func (r Request) IntentName() string {
	if r.Body.Intent == nil {
		return ""
	}
	return r.Body.Intent.Name
}

// UserID is the user the request speaks for, wherever the envelope carries it.
func (r Request) UserID() string {
	if id := r.Context.System.User.UserID; id != "" {
		return id
	}
	if r.Session != nil {
		return r.Session.User.UserID
	}
	return ""
}

// ApplicationID is the skill the request was sent for, wherever the envelope carries it.
func (r Request) ApplicationID() string {
	if id := r.Context.System.Application.ApplicationID; id != "" {
		return id
	}
	if r.Session != nil {
		return r.Session.Application.ApplicationID
	}
	return ""
}
