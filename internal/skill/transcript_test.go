package skill_test

import (
	"context"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/screen/screentest"
	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/skill/skilltest"
	"github.com/spine-opener/spine-opener/internal/transcript"
)

// handlerTarget plays transcripts against the handler in-process, on the fake store. It is
// the run that -update rewrites the transcripts from.
type handlerTarget struct{}

func (handlerTarget) Open(t *testing.T, zone string, clock func() time.Time) transcript.Skill {
	store := &skilltest.Store{}
	h := &skill.Handler{SkillID: skilltest.SkillID, Store: store, Zones: &fixedZone{zone: zone}, Clock: func(context.Context) time.Time { return clock() }}
	e := transcript.NewEcho(t, h.Handle, clock, "https://api.example.invalid")
	api := transcript.RemindersStandIn(e, clock)
	h.Reminders = alexa.Reminders{Client: api.Client()}
	s := transcript.Through(store, e)
	s.Reminders = api
	return s
}

// TestTranscripts plays every conversation in transcripts/ against the handler.
func TestTranscripts(t *testing.T) {
	transcript.Run(t, handlerTarget{}, transcript.Update)
	if len(transcript.Directives) == 0 {
		t.Fatal("no transcript showed a screen")
	}
	// Every screen the transcripts showed passes Amazon's APL validator.
	screentest.CheckAPL(t, transcript.Directives)
	t.Logf("largest response: %d bytes of JSON", transcript.Largest)
}
