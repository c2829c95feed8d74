package interaction

import "testing"

func TestResolveSlots(t *testing.T) {
	m, err := LoadFound(".")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		line, intent, id string
	}{
		{"how do I do thread the needle?", "MoveQuestionIntent", "needle"},
		{"explain the spine twist", "MoveQuestionIntent", "twist"},
		{"what's the twist with a curl", "MoveQuestionIntent", "curl"},
		{"what's the curl", "MoveQuestionIntent", "curl"},
		{"how does the second movement go", "MoveQuestionIntent", "curl"},
		{"Alexa, ask spine opener how to do the spine twist", "MoveQuestionIntent", "twist"},
		{"tell me about the last one", "MoveQuestionIntent", "needle"},
		{"how do i do the cartwheel", "MoveQuestionIntent", ""}, // Alexa sends it unresolved
	}
	for _, tt := range tests {
		u := m.Resolve(tt.line)
		if u.Intent != tt.intent || u.Slots["movement"].ID != tt.id {
			t.Errorf("%q: got %s %+v, want %s with movement %q", tt.line, u.Intent, u.Slots, tt.intent, tt.id)
		}
	}
	if u := m.Resolve("what's the weather"); u.Intent == "MoveQuestionIntent" {
		t.Errorf("what's the weather: got %s %+v, want it not taken for a move", u.Intent, u.Slots)
	}
}
