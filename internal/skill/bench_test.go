package skill_test

import (
	"context"
	"testing"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/skill"
)

// BenchmarkLaunch and BenchmarkNextSide measure the handler alone: the store is the
// in-memory fake and the time zone is never asked on these paths.
func BenchmarkLaunch(b *testing.B) {
	e := newEnv(&testing.T{})
	s := e.session(morning)
	s.Launch() // the user has heard the note: the steady state
	req := e.session(morning).Request(alexa.LaunchRequest)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.h.Handle(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNextSide(b *testing.B) {
	e := newEnv(&testing.T{})
	s := e.session(morning)
	s.Launch()
	req := s.IntentRequest(skill.IntentNextSide)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.h.Handle(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}
