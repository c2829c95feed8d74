package skill_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/skill/skilltest"
)

// FuzzHandler: any request in, a valid Alexa response or a clean error out, never a panic.
// Seeds are the envelope's golden fixtures and a session in each state.
func FuzzHandler(f *testing.F) {
	const fixtureSkill = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
	files, _ := filepath.Glob("../alexa/testdata/*.json")
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	for _, attrs := range []string{`{"side":1,"tempo":5,"run":"r","loaded":true}`, `{"side":2,"noteHeard":true}`,
		`{"offer":"resume","offerSide":2}`, `{"offer":"start"}`, `{"tempo":8,"zone":"Asia/Kolkata","zoneAsked":true}`} {
		for _, intent := range append(skill.Intents(), "Unknown") {
			f.Add([]byte(`{"version":"1.0","session":{"new":false,"sessionId":"s","application":{"applicationId":"` + fixtureSkill +
				`"},"attributes":{"state":` + attrs + `},"user":{"userId":"u"}},"context":{"System":{"application":{"applicationId":"` + fixtureSkill +
				`"},"user":{"userId":"u"},"device":{"deviceId":"d"}}},"request":{"type":"IntentRequest","requestId":"r","timestamp":"2026-11-23T07:30:00Z","intent":{"name":"` +
				intent + `"}}}`))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var req alexa.Request
		if json.Unmarshal(data, &req) != nil {
			return // the Lambda runtime reports these before the handler runs
		}
		store := &skilltest.Store{}
		h := &skill.Handler{SkillID: fixtureSkill, Store: store}
		resp, err := h.Handle(context.Background(), req)
		if err != nil {
			if resp.Body.OutputSpeech != nil || resp.SessionAttributes != nil {
				t.Fatalf("an error came with a response: %v", err)
			}
			return
		}
		skilltest.CheckResponse(t, req, resp)
	})
}
