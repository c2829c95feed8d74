package skill_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/skill/skilltest"
)

// BenchmarkLaunch and BenchmarkNextSide measure the handler alone: the store is the
// in-memory fake and the time zone is never asked on these paths.
func BenchmarkLaunch(b *testing.B) {
	e := newEnv(b)
	s := e.session(morning)
	s.Launch() // the user has heard the note: the steady state
	req := e.session(morning).Request(alexa.LaunchRequest)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.h.Handle(skilltest.WithTime(context.Background(), req.Body.Timestamp), req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNextSide(b *testing.B) {
	e := newEnv(b)
	s := e.session(morning)
	s.Launch()
	req := s.IntentRequest(skill.IntentNextSide)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.h.Handle(skilltest.WithTime(context.Background(), req.Body.Timestamp), req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNextSideJSON is the whole of what the skill adds to a warm invocation: decoding
// the request, answering it, and encoding the response, with the log line written.
func BenchmarkNextSideJSON(b *testing.B) {
	e := newEnv(b)
	e.h.Log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	s := e.session(morning)
	s.Launch()
	payload, err := json.Marshal(s.IntentRequest(skill.IntentNextSide))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var req alexa.Request
		if err := json.Unmarshal(payload, &req); err != nil {
			b.Fatal(err)
		}
		resp, err := e.h.Handle(skilltest.WithTime(context.Background(), req.Body.Timestamp), req)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(resp); err != nil {
			b.Fatal(err)
		}
	}
}
