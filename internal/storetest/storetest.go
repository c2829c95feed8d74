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

// Run runs the suite. newStore returns an empty store each time it is called; it may
// register cleanups on t.
func Run(t *testing.T, newStore func(t *testing.T) skill.Store) {
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC)

	t.Run("unknown user is not found", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.User(ctx, "nobody"); !errors.Is(err, skill.ErrNotFound) {
			t.Errorf("got %v, want ErrNotFound", err)
		}
		if n, err := s.CountCompletions(ctx, "nobody", at.Add(-time.Hour), at.Add(time.Hour)); err != nil || n != 0 {
			t.Errorf("got %d, %v; want 0, nil", n, err)
		}
	})

	t.Run("preferences round trip", func(t *testing.T) {
		s := newStore(t)
		want := skill.Preferences{Tempo: 7 * time.Second, NoteHeard: true, Zone: "Asia/Kolkata"}
		if err := s.SavePreferences(ctx, "u1", want); err != nil {
			t.Fatal(err)
		}
		got, err := s.User(ctx, "u1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Preferences != want || got.Paused != nil {
			t.Errorf("got %+v paused %v, want %+v and no place", got.Preferences, got.Paused, want)
		}
	})

	t.Run("place is kept with preferences and cleared by completion", func(t *testing.T) {
		s := newStore(t)
		prefs := skill.Preferences{Tempo: 4 * time.Second, NoteHeard: true, Zone: "UTC"}
		place := skill.Place{Side: 2, Expires: at.Add(skill.PlaceLifetime)}
		if err := s.SavePreferences(ctx, "u1", prefs); err != nil {
			t.Fatal(err)
		}
		if err := s.SavePlace(ctx, "u1", place); err != nil {
			t.Fatal(err)
		}
		got, err := s.User(ctx, "u1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Preferences != prefs || got.Paused == nil || got.Paused.Side != 2 || !got.Paused.Expires.Equal(place.Expires) {
			t.Fatalf("got %+v paused %+v, want %+v and %+v", got.Preferences, got.Paused, prefs, place)
		}
		if err := s.Complete(ctx, "u1", skill.Completion{ID: "run-1", At: at, Day: "2026-11-23", Zone: "UTC", SessionID: "s1"}, prefs); err != nil {
			t.Fatal(err)
		}
		got, err = s.User(ctx, "u1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Paused != nil {
			t.Errorf("got place %+v after completing, want none", got.Paused)
		}
	})

	t.Run("place alone makes a known user", func(t *testing.T) {
		s := newStore(t)
		if err := s.SavePlace(ctx, "u1", skill.Place{Side: 1, Expires: at.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		got, err := s.User(ctx, "u1")
		if err != nil || got.Paused == nil || got.Paused.Side != 1 {
			t.Errorf("got %+v, %v; want side 1 paused", got, err)
		}
	})

	t.Run("completion saves preferences", func(t *testing.T) {
		s := newStore(t)
		prefs := skill.Preferences{Tempo: 6 * time.Second, NoteHeard: true, Zone: "America/Los_Angeles"}
		if err := s.Complete(ctx, "u1", skill.Completion{ID: "run-1", At: at, Day: "2026-11-22", Zone: prefs.Zone, SessionID: "s1"}, prefs); err != nil {
			t.Fatal(err)
		}
		got, err := s.User(ctx, "u1")
		if err != nil || got.Preferences != prefs {
			t.Errorf("got %+v, %v; want %+v", got.Preferences, err, prefs)
		}
	})

	t.Run("same completion twice counts once", func(t *testing.T) {
		s := newStore(t)
		c := skill.Completion{ID: "run-1", At: at, Day: "2026-11-23", Zone: "UTC", SessionID: "s1"}
		for range 2 {
			if err := s.Complete(ctx, "u1", c, skill.Preferences{NoteHeard: true}); err != nil {
				t.Fatalf("completing again: got %v, want nil", err)
			}
		}
		if n, err := s.CountCompletions(ctx, "u1", at.Add(-time.Hour), at.Add(time.Hour)); err != nil || n != 1 {
			t.Errorf("got %d, %v; want 1", n, err)
		}
	})

	t.Run("count covers from, not to", func(t *testing.T) {
		s := newStore(t)
		from := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
		to := from.AddDate(0, 0, 1)
		times := []time.Time{from.Add(-time.Millisecond), from, from.Add(12 * time.Hour), to.Add(-time.Millisecond), to}
		for i, when := range times {
			c := skill.Completion{ID: fmt.Sprintf("run-%d", i), At: when, Day: when.Format(time.DateOnly), Zone: "UTC", SessionID: "s"}
			if err := s.Complete(ctx, "u1", c, skill.Preferences{}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.CountCompletions(ctx, "u1", from, to); err != nil || n != 3 {
			t.Errorf("got %d, %v; want 3", n, err)
		}
	})

	t.Run("count sees only the user's own", func(t *testing.T) {
		s := newStore(t)
		for i, user := range []string{"u1", "u2", "u2"} {
			c := skill.Completion{ID: fmt.Sprintf("run-%d", i), At: at, Day: "2026-11-23", Zone: "UTC", SessionID: "s"}
			if err := s.Complete(ctx, user, c, skill.Preferences{}); err != nil {
				t.Fatal(err)
			}
		}
		if n, _ := s.CountCompletions(ctx, "u2", at.Add(-time.Hour), at.Add(time.Hour)); n != 2 {
			t.Errorf("got %d for u2, want 2", n)
		}
	})

	t.Run("delete removes exactly that user", func(t *testing.T) {
		s := newStore(t)
		for _, user := range []string{"gone", "kept"} {
			if err := s.SavePreferences(ctx, user, skill.Preferences{NoteHeard: true}); err != nil {
				t.Fatal(err)
			}
			if err := s.SavePlace(ctx, user, skill.Place{Side: 1, Expires: at.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
			for i := range 30 { // enough to need more than one page in small-page stores
				c := skill.Completion{ID: fmt.Sprintf("%s-%d", user, i), At: at.Add(time.Duration(i) * time.Minute), Day: "2026-11-23", Zone: "UTC", SessionID: "s"}
				if err := s.Complete(ctx, user, c, skill.Preferences{NoteHeard: true}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := s.DeleteUser(ctx, "gone"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.User(ctx, "gone"); !errors.Is(err, skill.ErrNotFound) {
			t.Errorf("deleted user: got %v, want ErrNotFound", err)
		}
		if n, _ := s.CountCompletions(ctx, "gone", at.Add(-time.Hour), at.Add(time.Hour)); n != 0 {
			t.Errorf("deleted user still has %d completions", n)
		}
		if n, _ := s.CountCompletions(ctx, "kept", at.Add(-time.Hour), at.Add(time.Hour)); n != 30 {
			t.Errorf("other user has %d completions, want 30", n)
		}
		if err := s.DeleteUser(ctx, "never-existed"); err != nil {
			t.Errorf("deleting an unknown user: got %v, want nil", err)
		}
	})

	t.Run("concurrent completions are all counted", func(t *testing.T) {
		s := newStore(t)
		var wg sync.WaitGroup
		errs := make(chan error, 60)
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				user := fmt.Sprintf("user-%d", i%10) // ten users, five devices each at once
				c := skill.Completion{ID: fmt.Sprintf("run-%d", i), At: at, Day: "2026-11-23", Zone: "UTC", SessionID: fmt.Sprintf("s%d", i)}
				errs <- s.Complete(ctx, user, c, skill.Preferences{NoteHeard: true})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		total := 0
		for u := range 10 {
			n, err := s.CountCompletions(ctx, fmt.Sprintf("user-%d", u), at.Add(-time.Hour), at.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			total += n
		}
		if total != 50 {
			t.Errorf("got %d completions counted, want 50", total)
		}
	})
}
