package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/skill"
)

// runHistory checks the history Complete writes with each completion, under its version.
func runHistory(t *testing.T, newStore func(t *testing.T) skill.Store, held Held) {
	ctx := context.Background()
	ist := time.FixedZone("IST", 5*3600+1800)
	// day is the nth routine's local date and time: two on some days, and a gap of two days.
	day := func(n int) (string, time.Time) {
		d := n - n/3 // every third routine is a second one that day
		if d > 10 {
			d += 2
		}
		at := time.Date(2026, 10, 1, 7, 15, 0, 125e6, ist).AddDate(0, 0, d).Add(time.Duration(n) * time.Minute)
		return at.Format(time.DateOnly), at
	}
	routine := func(n int) skill.Completion {
		date, at := day(n)
		return skill.Completion{ID: fmt.Sprintf("run-%d", n), At: at, Day: date, Zone: "Asia/Kolkata", SessionID: fmt.Sprintf("s%d", n)}
	}
	prefs := skill.Preferences{Tempo: 5 * time.Second, NoteHeard: true, Zone: "Asia/Kolkata"}

	t.Run("history round trip", func(t *testing.T) {
		s := newStore(t)
		var h skill.History
		for n := range 30 {
			c := routine(n)
			h = h.With(c)
			fresh, err := s.Complete(ctx, "u1", c, prefs, h)
			if err != nil || !fresh {
				t.Fatalf("routine %d: got %v, %v; want a new completion", n, fresh, err)
			}
			got, err := s.User(ctx, "u1")
			if err != nil {
				t.Fatal(err)
			}
			if !sameHistory(got.History, h) {
				t.Fatalf("after routine %d: got history\n%+v\nwant\n%+v", n, got.History, h)
			}
		}
		if len(h.Days) != skill.HistoryDays || h.Version != 30 || h.Total != 30 || h.Run == h.Longest {
			t.Fatalf("the test's history is not what it means to be: %+v", h)
		}
	})

	t.Run("history conflict", func(t *testing.T) {
		s := newStore(t)
		if _, err := complete(ctx, s, "u1", routine(0), prefs); err != nil {
			t.Fatal(err)
		}
		base, err := s.User(ctx, "u1")
		if err != nil {
			t.Fatal(err)
		}
		winner, loser := prefs, prefs
		winner.Tempo, loser.Tempo = 6*time.Second, 7*time.Second
		if fresh, err := s.Complete(ctx, "u1", routine(1), winner, base.History.With(routine(1))); err != nil || !fresh {
			t.Fatalf("first writer: got %v, %v; want a new completion", fresh, err)
		}
		place := skill.Place{Side: 2, Move: 1, Expires: time.Now().Add(skill.PlaceLifetime).Truncate(time.Second)}
		if err := s.SavePlace(ctx, "u1", place); err != nil {
			t.Fatal(err)
		}
		before := held(t, s, "u1")
		fresh, err := s.Complete(ctx, "u1", routine(2), loser, base.History.With(routine(2)))
		if !errors.Is(err, skill.ErrConflict) || fresh {
			t.Fatalf("second writer, from the same history: got %v, %v; want ErrConflict", fresh, err)
		}
		got, err := s.User(ctx, "u1")
		if err != nil {
			t.Fatal(err)
		}
		if want := base.History.With(routine(1)); !sameHistory(got.History, want) || !samePreferences(got.Preferences, winner) || !samePlace(got.Paused, &place) {
			t.Errorf("after a conflict: got %+v, %+v, place %+v; want the first writer's %+v, %+v and the place kept", got.History, got.Preferences, got.Paused, want, winner)
		}
		if n := held(t, s, "u1"); n != before {
			t.Errorf("after a conflict: holds %d, want %d as before: nothing written", n, before)
		}
		if n, err := s.CountCompletions(ctx, "u1", routine(0).At.Add(-time.Hour), routine(2).At.Add(time.Hour)); err != nil || n != 2 {
			t.Errorf("got %d completions, %v; want 2: the conflicting one is not recorded", n, err)
		}
		if fresh, err := s.Complete(ctx, "u1", routine(2), loser, got.History.With(routine(2))); err != nil || !fresh {
			t.Errorf("second writer, after reading again: got %v, %v; want a new completion", fresh, err)
		}
	})

	t.Run("two writers at once from one history", func(t *testing.T) {
		s := newStore(t)
		for round := range 6 { // from no history at all, then from each version in turn
			base, err := s.User(ctx, "u1")
			if err != nil && !errors.Is(err, skill.ErrNotFound) {
				t.Fatal(err)
			}
			start := make(chan struct{})
			results := make([]error, 2)
			var wg sync.WaitGroup
			for w := range results {
				c := routine(2*round + w)
				wg.Go(func() {
					<-start
					fresh, err := s.Complete(ctx, "u1", c, prefs, base.History.With(c))
					if err == nil && !fresh {
						err = errors.New("not new")
					}
					results[w] = err
				})
			}
			close(start)
			wg.Wait()
			won, lost := 0, 0
			for _, err := range results {
				switch {
				case err == nil:
					won++
				case errors.Is(err, skill.ErrConflict):
					lost++
				default:
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if won != 1 || lost != 1 {
				t.Fatalf("round %d, from version %d: %d writers won and %d got ErrConflict, want 1 and 1", round, base.History.Version, won, lost)
			}
			got, err := s.User(ctx, "u1")
			if err != nil {
				t.Fatal(err)
			}
			if got.History.Version != int64(round+1) || got.History.Total != round+1 {
				t.Fatalf("round %d: got history %+v, want version and total %d", round, got.History, round+1)
			}
		}
	})

	t.Run("repeated completion leaves the history alone", func(t *testing.T) {
		s := newStore(t)
		c := routine(0)
		first := skill.History{}.With(c)
		if fresh, err := s.Complete(ctx, "u1", c, prefs, first); err != nil || !fresh {
			t.Fatalf("got %v, %v; want a new completion", fresh, err)
		}
		place := skill.Place{Side: 1, Move: 3, Expires: time.Now().Add(skill.PlaceLifetime).Truncate(time.Second)}
		if err := s.SavePlace(ctx, "u1", place); err != nil {
			t.Fatal(err)
		}
		before := held(t, s, "u1")
		other := prefs
		other.Tempo, other.SoundsOff = 8*time.Second, true
		for _, h := range []struct {
			name string
			h    skill.History
		}{
			{"read again after it was recorded", first.With(c)},
			{"from the history it was recorded on", first}, // which would be a conflict
			{"from no history", skill.History{}.With(c)},
		} {
			fresh, err := s.Complete(ctx, "u1", c, other, h.h)
			if err != nil || fresh {
				t.Errorf("again, %s: got %v, %v; want false, nil", h.name, fresh, err)
			}
		}
		got, err := s.User(ctx, "u1")
		if err != nil {
			t.Fatal(err)
		}
		if !sameHistory(got.History, first) || !samePreferences(got.Preferences, prefs) || !samePlace(got.Paused, &place) {
			t.Errorf("after repeats: got %+v, %+v, place %+v; want %+v, %+v and the place: nothing written", got.History, got.Preferences, got.Paused, first, prefs)
		}
		if n := held(t, s, "u1"); n != before {
			t.Errorf("after repeats: holds %d, want %d as before", n, before)
		}
		if n, err := s.CountCompletions(ctx, "u1", c.At.Add(-time.Hour), c.At.Add(time.Hour)); err != nil || n != 1 {
			t.Errorf("got %d completions, %v; want 1", n, err)
		}
	})

	t.Run("every write of the preferences keeps them whole", func(t *testing.T) {
		s := newStore(t)
		p := skill.Preferences{Tempo: 6 * time.Second, NoteHeard: true, Zone: "Asia/Kolkata", SoundsOff: true, TipsHeard: 0b1011,
			Reminders: []skill.Reminder{{Token: "token-1", Hour: 7, Minute: 5}}, RemindersOffered: true}
		steps := []struct {
			name  string
			write func(p skill.Preferences) error
		}{
			{"SavePreferences", func(p skill.Preferences) error { return s.SavePreferences(ctx, "u1", p) }},
			{"Complete", func(p skill.Preferences) error { _, err := complete(ctx, s, "u1", routine(0), p); return err }},
			{"RecordPain", func(p skill.Preferences) error {
				p.LastPain = routine(0).At.Add(time.Hour)
				return s.RecordPain(ctx, "u1", p)
			}},
		}
		for i, step := range steps {
			p.TipsHeard |= 1 << (60 + i)
			p.Reminders = append(p.Reminders, skill.Reminder{Token: fmt.Sprintf("token-%d", i+2), Hour: 12 + i})
			if err := step.write(p); err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			got, err := s.User(ctx, "u1")
			want := p
			if step.name == "RecordPain" {
				want.LastPain = routine(0).At.Add(time.Hour)
			}
			if err != nil || !samePreferences(got.Preferences, want) {
				t.Errorf("after %s: got %+v, %v; want %+v", step.name, got.Preferences, err, want)
			}
		}
		p.Reminders, p.SoundsOff, p.TipsHeard = nil, false, 0
		if err := s.SavePreferences(ctx, "u1", p); err != nil {
			t.Fatal(err)
		}
		if got, err := s.User(ctx, "u1"); err != nil || len(got.Reminders) != 0 || got.SoundsOff || got.TipsHeard != 0 {
			t.Errorf("after clearing: got %+v, %v; want no reminders, sounds on, no tips heard", got.Preferences, err)
		}
	})
}
