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
		{"Alexa, ask my spine opener how to do the spine twist", "MoveQuestionIntent", "twist"},
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

func TestSpokenTime(t *testing.T) {
	tests := []struct{ words, want string }{
		{"eight", "08:00"}, {"8", "08:00"}, {"seven thirty", "07:30"}, {"7:45", "07:45"},
		{"half past six", "06:30"}, {"eight pm", "20:00"}, {"seven in the evening", "19:00"},
		{"nine in the morning", "09:00"}, {"noon", "12:00"}, {"the morning", "MO"}, {"twelve am", "00:00"},
	}
	for _, tt := range tests {
		if got, ok := spokenTime(tt.words); !ok || got != tt.want {
			t.Errorf("%q: got %q, %v; want %q", tt.words, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"banana", "twenty five pm", "99"} {
		if got, ok := spokenTime(bad); ok {
			t.Errorf("%q: got %q, want no time", bad, got)
		}
	}
	m, err := LoadFound(".")
	if err != nil {
		t.Fatal(err)
	}
	u := m.Resolve("Alexa, ask my spine opener to remind me every day at seven thirty")
	if u.Intent != "SetReminderIntent" || u.Slots["time"].Value != "07:30" {
		t.Errorf("got %s %+v, want SetReminderIntent at 07:30", u.Intent, u.Slots)
	}
}
