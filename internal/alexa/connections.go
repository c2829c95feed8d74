package alexa

import (
	"encoding/json"
	"slices"
)

// Permission scopes the skill declares in skill.json ("permissions": [{"name": …}]).
const (
	// PermissionReminders lets the skill create, read, update and delete the reminders it
	// made for the person (Alexa Reminders API).
	PermissionReminders = "alexa::alerts:reminders:skill:readwrite"
	// PermissionPersonID makes requests from a speaker Alexa recognises carry
	// context.System.person.
	PermissionPersonID = "alexa::person_id:read"
)

// Answers to a voice request for a permission, in ConsentResult.Status.
const (
	ConsentAccepted    = "ACCEPTED"     // granted now, or granted before
	ConsentDenied      = "DENIED"       // the person said no
	ConsentNotAnswered = "NOT_ANSWERED" // no answer, or none Alexa understood after its retry
)

// Consent levels: whose permission is asked for.
const (
	ConsentLevelAccount = "ACCOUNT" // the Amazon account the device is registered to
	ConsentLevelPerson  = "PERSON"  // the recognised speaker
)

// The voice permission request for reminders, as "Set Up Voice Permissions for Reminders"
// (developer.amazon.com/docs/alexa/smapi/voice-permissions-for-reminders.html) prescribes:
// a Connections.SendRequest directive named AskFor, whose payload is an
// AskForPermissionsConsentRequest of version 2, answered by a Connections.Response request
// with the same name and token. Version 1 (one permissionScope, not a list) still works but
// is not for new skills.
//
// The newer voice-forward consent ("Voice-Forward Consent API Reference",
// developer.amazon.com/docs/alexa/custom-skills/voice-forward-consent-api-reference.html)
// hands over with Connections.StartConnection to connection://AMAZON.AskForPermissionsConsent/2
// and resumes with a SessionResumedRequest. Amazon documents it for customer and device
// information (name, email, phone number, address); the reminders page still prescribes
// AskFor. Request.PermissionAnswer reads an answer in either shape.
const (
	DirectiveSendRequest     = "Connections.SendRequest"
	DirectiveStartConnection = "Connections.StartConnection"
	TaskAskFor               = "AskFor"
	AskForPermissionsConsent = "AskForPermissionsConsentRequest"
	ConsentConnectionURI     = "connection://AMAZON.AskForPermissionsConsent/2"
	CauseConnectionCompleted = "ConnectionCompleted"
)

// SendRequestDirective is a Connections.SendRequest directive asking Alexa for permissions.
// Alexa speaks its own fixed prompt ("Do you give Spine Opener permission to update your
// reminders? You can say I approve or no."), retries once if it did not understand, and
// sends the answer as a Connections.Response carrying Token unchanged.
type SendRequestDirective struct {
	Type    string         `json:"type"`
	Name    string         `json:"name"`
	Payload ConsentRequest `json:"payload"`
	Token   string         `json:"token"`
}

// ConsentRequest is the AskForPermissionsConsentRequest payload.
type ConsentRequest struct {
	Type             string            `json:"@type"`
	Version          string            `json:"@version"`
	PermissionScopes []PermissionScope `json:"permissionScopes"`
}

// AskForRemindersPermission is the directive that asks the account holder, by voice, to let
// the skill set reminders. token comes back in the Connections.Response; use it to say what
// to do once the answer is in (Amazon's examples keep state in it; "" is allowed).
//
// Send it only after the person said yes to a reminder offer, in a response with no
// reprompt and with shouldEndSession left out: Alexa takes the turn, so the session must
// neither wait for the person (false) nor be closed (true). Speech before the directive is
// allowed and is spoken before Alexa's own question.
func AskForRemindersPermission(token string) json.RawMessage {
	return AskForPermission(token, PermissionScope{PermissionScope: PermissionReminders, ConsentLevel: ConsentLevelAccount})
}

// AskForPermission is the AskFor directive for any scopes that support voice permission.
func AskForPermission(token string, scopes ...PermissionScope) json.RawMessage {
	d := SendRequestDirective{
		Type: DirectiveSendRequest,
		Name: TaskAskFor,
		Payload: ConsentRequest{
			Type:             AskForPermissionsConsent,
			Version:          "2",
			PermissionScopes: scopes,
		},
		Token: token,
	}
	raw, err := json.Marshal(d)
	if err != nil {
		panic("alexa: AskFor directive does not encode: " + err.Error()) // plain strings always encode
	}
	return raw
}

// PermissionAnswer is how the person answered a voice request for a permission.
type PermissionAnswer struct {
	// Status is ConsentAccepted, ConsentDenied or ConsentNotAnswered; "" when Alexa could not
	// ask (Code is not "200": "400" when the scope is missing from skill.json, "500" when
	// Alexa failed) or answered in a way this package does not know.
	Status string
	Token  string // the directive's token, unchanged
	Code   string // the connection's status code
	// CardSent reports that Alexa itself sent a permissions card to the Alexa app, so the
	// skill should not send another.
	CardSent bool
}

// Accepted reports whether the permission was granted.
func (a PermissionAnswer) Accepted() bool { return a.Status == ConsentAccepted }

// PermissionAnswer reads the answer for scope from a Connections.Response to AskFor or from
// a SessionResumedRequest after voice-forward consent. ok is false for any other request.
func (r Request) PermissionAnswer(scope string) (answer PermissionAnswer, ok bool) {
	var status *ConnectionStatus
	var result *ConsentResult
	switch {
	case r.Body.Type == ConnectionsResponse && r.Body.Name == TaskAskFor:
		answer.Token, status, result = r.Body.Token, r.Body.Status, r.Body.Payload
	case r.Body.Type == SessionResumedRequest && r.Body.Cause != nil && r.Body.Cause.Type == CauseConnectionCompleted:
		answer.Token, status, result = r.Body.Cause.Token, r.Body.Cause.Status, r.Body.Cause.Result
	default:
		return PermissionAnswer{}, false
	}
	if status != nil {
		answer.Code = status.Code
	}
	if result == nil {
		return answer, true
	}
	answer.CardSent = result.IsCardThrown != nil && *result.IsCardThrown
	if answer.Code != "200" {
		return answer, true
	}
	got := ""
	for _, s := range result.PermissionScopes {
		if s.PermissionScope == scope && s.Status != "" {
			got = s.Status
		}
	}
	if got == "" && (result.PermissionScope == "" || result.PermissionScope == scope) {
		got = result.Status
	}
	if got == ConsentAccepted || got == ConsentDenied || got == ConsentNotAnswered {
		answer.Status = got
	}
	return answer, true
}

// PermissionGranted reads a SkillPermissionAccepted or SkillPermissionChanged event: granted
// reports whether scope is among the permissions the person has granted now (on the account
// or for the recognised person). ok is false for any other request.
func (r Request) PermissionGranted(scope string) (granted, ok bool) {
	if r.Body.Type != SkillPermissionAcceptedEvent && r.Body.Type != SkillPermissionChangedEvent {
		return false, false
	}
	b := r.Body.EventBody
	if b == nil {
		return false, true
	}
	has := func(p Permission) bool { return p.Scope == scope }
	return slices.ContainsFunc(b.AcceptedPermissions, has) || slices.ContainsFunc(b.AcceptedPersonPermissions, has), true
}

// PersonID is the recognised speaker of the request, or "" when Alexa did not recognise one.
func (r Request) PersonID() string {
	if p := r.Context.System.Person; p != nil {
		return p.PersonID
	}
	return ""
}
