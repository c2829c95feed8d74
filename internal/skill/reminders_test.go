package skill_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/device"
	"github.com/spine-opener/spine-opener/internal/skill/skilltest"
	"github.com/spine-opener/spine-opener/internal/transcript"
)

// reminderEnv is the handler as the transcripts see it, its reminders permission granted.
func reminderEnv(t *testing.T, now *time.Time) (*device.Echo, *skilltest.RemindersAPI) {
	s := handlerTarget{}.Open(t, "UTC", func() time.Time { return *now })
	s.Reminders.Set(skilltest.RemindersUp)
	return s.Echo, s.Reminders
}

// TestFailedChangeLeavesTheReminder: when a change fails part way (here the third of
// three reminders through the day cannot be made), the reminder moved first is moved back,
// and the list still names it at its old time.
func TestFailedChangeLeavesTheReminder(t *testing.T) {
	now := transcript.Morning
	e, api := reminderEnv(t, &now)
	ctx := context.Background()
	e.Hear(ctx, "Alexa, ask my spine opener to remind me every day at eight")
	api.MaxPerUser = 2
	now = now.Add(time.Hour)
	if r := e.Hear(ctx, "Alexa, ask my spine opener to remind me through the day"); !strings.Contains(device.Words(r.Speech), "couldn't set") {
		t.Errorf("got %q, want the sorry line", r.Speech)
	}
	held := api.Reminders(ctx, e.APIToken)
	if len(held) != 1 || held[0].Trigger.Recurrence.RecurrenceRules[0] != "FREQ=DAILY;BYHOUR=8;BYMINUTE=0;BYSECOND=0" {
		t.Errorf("Alexa holds %+v, want the one reminder, still at 8:00", held)
	}
	if r := e.Hear(ctx, "Alexa, ask my spine opener what reminders do I have"); !strings.Contains(device.Words(r.Speech), "8:00 AM") {
		t.Errorf("list: %q, want 8:00 AM", r.Speech)
	}
}

// TestChangeMovesTheReminder: changing a daily reminder moves the one Alexa holds to the
// new time, rather than making another, so it never rings twice and keeps its token.
func TestChangeMovesTheReminder(t *testing.T) {
	now := transcript.Morning
	e, api := reminderEnv(t, &now)
	ctx := context.Background()

	e.Hear(ctx, "Alexa, ask my spine opener to remind me every day at eight")
	before := api.Reminders(ctx, e.APIToken)
	now = now.Add(time.Hour)
	r := e.Hear(ctx, "Alexa, ask my spine opener to change my reminder to seven thirty")
	after := api.Reminders(ctx, e.APIToken)

	if len(before) != 1 || len(after) != 1 {
		t.Fatalf("Alexa holds %d reminders, then %d; want 1 and 1 (%q)", len(before), len(after), r.Speech)
	}
	if after[0].AlertToken != before[0].AlertToken {
		t.Errorf("the change made a new reminder (%s, was %s)", after[0].AlertToken, before[0].AlertToken)
	}
	if got := api.Calls(); got.Update != 1 || got.Create != 1 || got.Delete != 0 {
		t.Errorf("calls %+v: want the one reminder created, then updated", got)
	}
	if rule := after[0].Trigger.Recurrence.RecurrenceRules; len(rule) != 1 || rule[0] != "FREQ=DAILY;BYHOUR=7;BYMINUTE=30;BYSECOND=0" {
		t.Errorf("the reminder rings on %q, want daily at 7:30", rule)
	}
}
