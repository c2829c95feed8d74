package console

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/boltstore"
	"github.com/spine-opener/spine-opener/internal/device"
	"github.com/spine-opener/spine-opener/internal/transcript"
)

// consoleTarget plays transcripts through the console: its handler and Echo as Main builds
// them, on the embedded store, each line typed into Console.Hear and shown on its output.
type consoleTarget struct{}

func (consoleTarget) Open(t *testing.T, zone string, clock func() time.Time) transcript.Skill {
	store, err := boltstore.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	h := NewHandler(store, fixedZone(zone), nil)
	h.Clock = func(context.Context) time.Time { return clock() }
	e := transcript.NewEcho(t, h.Handle, clock, "https://api.example.invalid")
	api := transcript.RemindersStandIn(e, clock)
	h.Reminders = alexa.Reminders{Client: api.Client()}
	e.SkillID, e.UserID, e.DeviceID = SkillID, transcript.UserID, DeviceID
	var out bytes.Buffer
	c := &Console{Echo: e, Out: &out, Repeat: true}
	shown := func(r device.Reply) device.Reply {
		// What the console printed must be what Alexa said.
		if r.Speech != "" && !strings.Contains(out.String(), strings.ReplaceAll(device.Words(r.Speech), "\n", "\n       ")) {
			t.Errorf("the console did not show the speech:\n%s", out.String())
		}
		out.Reset()
		return r
	}
	s := transcript.Through(store, e)
	s.Hear = func(ctx context.Context, line string) device.Reply { return shown(c.Hear(ctx, line)) }
	s.Reminders = api
	return s
}

type fixedZone string

func (z fixedZone) TimeZone(context.Context, alexa.System) (string, error) { return string(z), nil }

// TestTranscripts plays every conversation in transcripts/ through the console.
func TestTranscripts(t *testing.T) {
	transcript.Run(t, consoleTarget{}, transcript.Check)
}
