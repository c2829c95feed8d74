package skill_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/skill"
)

// TestTodayIsLocal places completions either side of local midnight in zones ahead of and
// behind UTC, and asks "how many today" from the user's side of the date line.
func TestTodayIsLocal(t *testing.T) {
	tests := []struct {
		zone string
		done []time.Time // completion times (UTC)
		ask  time.Time   // when "how many today" is asked (UTC)
		want string
	}{
		// Kolkata is UTC+5:30: local midnight of the 23rd is 18:30 UTC on the 22nd.
		{"Asia/Kolkata", []time.Time{utc(22, 18, 29), utc(22, 18, 31), utc(23, 10, 0)}, utc(23, 12, 0), "twice today"},
		{"Asia/Kolkata", []time.Time{utc(22, 18, 29)}, utc(22, 18, 40), "haven't done"},
		// Los Angeles is UTC-8 in November: local midnight of the 23rd is 08:00 UTC on the 23rd.
		{"America/Los_Angeles", []time.Time{utc(23, 7, 59), utc(23, 8, 1)}, utc(23, 20, 0), "once today"},
		{"America/Los_Angeles", []time.Time{utc(23, 7, 59), utc(23, 8, 1)}, utc(23, 7, 59).Add(30 * time.Second), "once today"},
		{"UTC", []time.Time{utc(22, 23, 59), utc(23, 0, 0)}, utc(23, 1, 0), "once today"},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.ask.Format(time.RFC3339), func(t *testing.T) {
			e := newEnv(t)
			e.zones.zone = tt.zone
			for _, at := range tt.done {
				s := e.session(at.Add(-4 * time.Minute)) // three requests, two minutes apart
				s.Launch()
				s.Say(skill.IntentNextSide)
				s.Say(skill.IntentDone)
			}
			contains(t, e.session(tt.ask).Say(skill.IntentHowManyToday), tt.want)
		})
	}
}

func utc(day, hour, minute int) time.Time {
	return time.Date(2026, 11, day, hour, minute, 0, 0, time.UTC)
}

func TestZoneFallback(t *testing.T) {
	// Completed at 20:00 UTC on the 22nd: that is already the 23rd in Kolkata.
	at := utc(22, 20, 0)
	ask := utc(23, 6, 0)

	e := newEnv(t)
	e.zones.zone = "Asia/Kolkata"
	s := e.session(at.Add(-4 * time.Minute))
	s.Launch()
	s.Say(skill.IntentNextSide)
	s.Say(skill.IntentDone)

	t.Run("api down uses the last zone stored", func(t *testing.T) {
		e.zones.err = errors.New("settings API unavailable")
		e.logs.Reset()
		contains(t, e.session(ask).Say(skill.IntentHowManyToday), "once today")
		line := strings.TrimSpace(e.logs.String())
		if strings.Count(line, "\n") != 0 || !strings.Contains(line, `"outcome":"degraded"`) || !strings.Contains(line, "time zone: settings API unavailable") {
			t.Errorf("want one request line, degraded, naming the time zone failure; got:\n%s", line)
		}
	})
	t.Run("a zone the API names but Go cannot load falls back", func(t *testing.T) {
		e.zones.err, e.zones.zone = nil, "Mars/Olympus_Mons"
		contains(t, e.session(ask).Say(skill.IntentHowManyToday), "once today")
	})
	t.Run("new user with the api down is on UTC", func(t *testing.T) {
		e := newEnv(t)
		e.zones.err = errors.New("timeout")
		s := e.session(utc(22, 23, 50)) // done at 23:54
		s.Launch()
		s.Say(skill.IntentNextSide)
		contains(t, s.Say(skill.IntentDone), "once today")
		contains(t, e.session(utc(23, 0, 1)).Say(skill.IntentHowManyToday), "haven't done")
	})
	t.Run("no zone finder at all is UTC", func(t *testing.T) {
		e := newEnv(t)
		e.h.Zones = nil
		contains(t, e.session(utc(23, 1, 0)).Say(skill.IntentHowManyToday), "haven't done")
	})
}
