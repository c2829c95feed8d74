package device

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/spine-opener/spine-opener/internal/alexa"
)

// askPermissionQuestion is what Alexa itself says when a skill asks for the reminders
// permission by voice (Amazon's own words, not the skill's), shown in brackets.
const askPermissionQuestion = "[Alexa asks: do you give Spine Opener permission to update your reminders? You can say I approve, or no.]"

// asked is Alexa's permission question under way.
type asked struct {
	token string
	scope string
}

// askedConsent is the permission a response asks Alexa to request, if any.
func askedConsent(resp alexa.Response) *asked {
	for _, raw := range resp.Body.Directives {
		var d alexa.SendRequestDirective
		if json.Unmarshal(raw, &d) != nil || d.Type != alexa.DirectiveSendRequest || d.Name != alexa.TaskAskFor {
			continue
		}
		a := &asked{token: d.Token}
		if len(d.Payload.PermissionScopes) > 0 {
			a.scope = d.Payload.PermissionScopes[0].PermissionScope
		}
		return a
	}
	return nil
}

func withQuestion(ssml, question string) string {
	if ssml == "" {
		return "<speak>" + question + "</speak>"
	}
	return strings.TrimSuffix(ssml, "</speak>") + " " + question + "</speak>"
}

// answerConsent plays Alexa hearing the answer to its question ("I approve", "yes", "no",
// silence) and tells the skill with a Connections.Response in the same session.
func (e *Echo) answerConsent(ctx context.Context, line string) Reply {
	a := e.consent
	e.consent = nil
	status := alexa.ConsentNotAnswered
	switch words := strings.ToLower(strings.Trim(line, " .!")); words {
	case "yes", "yes please", "i approve", "approve", "okay", "ok", "sure", "i do":
		status = alexa.ConsentAccepted
	case "no", "no thanks", "i don't", "don't", "deny":
		status = alexa.ConsentDenied
	}
	if e.OnConsent != nil {
		e.OnConsent(a.scope, status)
	}
	var r Reply
	if e.session == nil {
		e.startSession()
	}
	req := e.request(alexa.ConnectionsResponse)
	req.Session.New, req.Session.Attributes = false, nil
	req.Body.Name, req.Body.Token = alexa.TaskAskFor, a.token
	req.Body.Status = &alexa.ConnectionStatus{Code: "200", Message: "OK"}
	req.Body.Payload = &alexa.ConsentResult{PermissionScope: a.scope, Status: status}
	e.send(ctx, &r, req)
	return r
}
