package alexa

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestGoldenRoundTrip decodes each fixture into the envelope types and encodes it again: every
// field Alexa sends must survive, so nothing the skill relies on is silently dropped.
func TestGoldenRoundTrip(t *testing.T) {
	tests := []struct {
		file string
		into any
	}{
		{"launch.json", &Request{}},
		{"intent.json", &Request{}},
		{"session-ended.json", &Request{}},
		{"skill-disabled.json", &Request{}},
		{"response.json", &Response{}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(tt.into); err != nil {
				t.Fatalf("decode: %v", err)
			}
			out, err := json.Marshal(tt.into)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			var got, want any
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip changed the JSON\ngot:  %s\nwant: %s", out, raw)
			}
		})
	}
}

func TestRequestAccessors(t *testing.T) {
	tests := []struct {
		file                   string
		wantType, wantIntent   string
		wantUser, wantApp      string
		wantSession, wantEvent bool
	}{
		{"launch.json", LaunchRequest, "", "amzn1.ask.account.TESTUSER", "amzn1.ask.skill.00000000-0000-0000-0000-000000000000", true, false},
		{"intent.json", IntentRequest, "NextSideIntent", "amzn1.ask.account.TESTUSER", "amzn1.ask.skill.00000000-0000-0000-0000-000000000000", true, false},
		{"session-ended.json", SessionEndedRequest, "", "amzn1.ask.account.TESTUSER", "amzn1.ask.skill.00000000-0000-0000-0000-000000000000", true, false},
		{"skill-disabled.json", SkillDisabledEvent, "", "amzn1.ask.account.TESTUSER", "amzn1.ask.skill.00000000-0000-0000-0000-000000000000", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var r Request
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatal(err)
			}
			if r.Body.Type != tt.wantType || r.IntentName() != tt.wantIntent || r.UserID() != tt.wantUser || r.ApplicationID() != tt.wantApp {
				t.Errorf("got type %q intent %q user %q app %q, want %q %q %q %q",
					r.Body.Type, r.IntentName(), r.UserID(), r.ApplicationID(), tt.wantType, tt.wantIntent, tt.wantUser, tt.wantApp)
			}
			if (r.Session != nil) != tt.wantSession || (r.Body.EventBody != nil) != tt.wantEvent {
				t.Errorf("got session %v event body %v, want %v %v", r.Session != nil, r.Body.EventBody != nil, tt.wantSession, tt.wantEvent)
			}
		})
	}
}
