package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/skill"
)

// Held counts what store s holds for a user by a means of its own, outside skill.Store (the
// fake's maps, a bbolt transaction, a Query of the user's DynamoDB partition): the suite
// needs it for pain records, which no method of skill.Store reads back, and to check that
// DeleteUser leaves nothing. Any unit will do (items, records, keys) as long as an empty
// user is 0 and each pain record adds 1. It counts only what is the user's own: a person's
// key counts the person's, an account's key not its persons'; and not the tombstone
// DeleteUser leaves, which holds nothing of theirs (the account's key and when it expires).
type Held func(t *testing.T, s skill.Store, userKey string) int

// Run runs the suite. newStore returns an empty store each time it is called; it may
// register cleanups on t. held counts what the store holds for a user.
func Run(t *testing.T, newStore func(t *testing.T) skill.Store, held Held) {
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC)
	// A pain's time has milliseconds and a zone other than UTC: stores keep the instant.
	pain := time.Date(2026, 11, 23, 13, 5, 9, 250e6, time.FixedZone("IST", 5*3600+1800))

	t.Run("unknown user is not found", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.User(ctx, "nobody"); !errors.Is(err, skill.ErrNotFound) {
			t.Errorf("got %v, want ErrNotFound", err)
		}
		if n, err := s.CountCompletions(ctx, "nobody", at.Add(-time.Hour), at.Add(time.Hour)); err != nil || n != 0 {
			t.Errorf("got %d, %v; want 0, nil", n, err)
		}
		if n := held(t, s, "nobody"); n != 0 {
			t.Errorf("holds %d for a user never seen, want 0", n)
		}
	})

	t.Run("preferences round trip", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			want skill.Preferences
		}{
			{"no pain", skill.Preferences{Tempo: 7 * time.Second, NoteHeard: true, Zone: "Asia/Kolkata"}},
			{"last pain", skill.Preferences{Tempo: 5 * time.Second, NoteHeard: true, Zone: "Asia/Kolkata", LastPain: pain}},
			{"pain noted", skill.Preferences{NoteHeard: true, LastPain: pain, PainNoted: true}},
			{"sounds, tips and reminders", skill.Preferences{Tempo: 6 * time.Second, NoteHeard: true, Zone: "Europe/London",
				SoundsOff: true, TipsHeard: 1<<63 | 1<<40 | 5, RemindersOffered: true, Reminders: []skill.Reminder{
					{Token: "0a1b2c3d-4e5f-6789-abcd-ef0123456789", Hour: 7}, {Token: "98765432-10fe-dcba-9876-543210fedcba", Hour: 18, Minute: 30},
				}}},
			{"reminders offered and declined", skill.Preferences{NoteHeard: true, RemindersOffered: true}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				want := tt.want
				s := newStore(t)
				if err := s.SavePreferences(ctx, "u1", want); err != nil {
					t.Fatal(err)
				}
				got, err := s.User(ctx, "u1")
				if err != nil {
					t.Fatal(err)
				}
				if !samePreferences(got.Preferences, want) || got.Paused != nil {
					t.Errorf("got %+v paused %v, want %+v and no place", got.Preferences, got.Paused, want)
				}
			})
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
		if !samePreferences(got.Preferences, prefs) || !samePlace(got.Paused, &place) {
			t.Fatalf("got %+v paused %+v, want %+v and %+v", got.Preferences, got.Paused, prefs, place)
		}
		if _, err := complete(ctx, s, "u1", skill.Completion{ID: "run-1", At: at, Day: "2026-11-23", Zone: "UTC", SessionID: "s1"}, prefs); err != nil {
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

	t.Run("place keeps its movement", func(t *testing.T) {
		s := newStore(t)
		for _, want := range []skill.Place{
			{Side: 1, Move: 2, Expires: at.Add(skill.PlaceLifetime)},
			{Side: 2, Move: 3, Expires: at.Add(skill.PlaceLifetime + time.Minute)},
			{Side: 2, Move: 0, Expires: at.Add(skill.PlaceLifetime + 2*time.Minute)}, // the end of side 2
			{Side: 1, Move: 1, Expires: at.Add(skill.PlaceLifetime + 3*time.Minute)},
		} {
			if err := s.SavePlace(ctx, "u1", want); err != nil {
				t.Fatal(err)
			}
			got, err := s.User(ctx, "u1")
			if err != nil {
				t.Fatal(err)
			}
			if !samePlace(got.Paused, &want) {
				t.Errorf("got place %+v, want %+v", got.Paused, want)
			}
		}
	})

	t.Run("forgetting the place keeps the rest", func(t *testing.T) {
		s := newStore(t)
		prefs := skill.Preferences{Tempo: 4 * time.Second, NoteHeard: true, Zone: "UTC", LastPain: pain}
		if err := s.SavePreferences(ctx, "u1", prefs); err != nil {
			t.Fatal(err)
		}
		if _, err := complete(ctx, s, "u1", skill.Completion{ID: "run-1", At: at, Day: "2026-11-23", Zone: "UTC", SessionID: "s1"}, prefs); err != nil {
			t.Fatal(err)
		}
		if err := s.SavePlace(ctx, "u1", skill.Place{Side: 2, Move: 1, Expires: at.Add(skill.PlaceLifetime)}); err != nil {
			t.Fatal(err)
		}
		for i := range 2 { // the second time, there is no place to forget
			if err := s.ForgetPlace(ctx, "u1"); err != nil {
				t.Fatalf("forgetting the place, time %d: got %v, want nil", i+1, err)
			}
			got, err := s.User(ctx, "u1")
			if err != nil {
				t.Fatal(err)
			}
			if !samePreferences(got.Preferences, prefs) || got.Paused != nil {
				t.Errorf("time %d: got %+v paused %+v, want %+v and no place", i+1, got.Preferences, got.Paused, prefs)
			}
		}
		if n, err := s.CountCompletions(ctx, "u1", at.Add(-time.Hour), at.Add(time.Hour)); err != nil || n != 1 {
			t.Errorf("got %d completions, %v; want 1", n, err)
		}
	})

	t.Run("forgetting makes no one known", func(t *testing.T) {
		s := newStore(t)
		if err := s.ForgetPlace(ctx, "nobody"); err != nil {
			t.Fatalf("forgetting an unknown user's place: got %v, want nil", err)
		}
		if err := s.SavePlace(ctx, "place-only", skill.Place{Side: 1, Move: 2, Expires: at.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := s.ForgetPlace(ctx, "place-only"); err != nil {
			t.Fatal(err)
		}
		for _, user := range []string{"nobody", "place-only"} {
			if got, err := s.User(ctx, user); !errors.Is(err, skill.ErrNotFound) {
				t.Errorf("%s: got %+v, %v; want ErrNotFound", user, got, err)
			}
			if n := held(t, s, user); n != 0 {
				t.Errorf("%s: holds %d, want 0", user, n)
			}
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
		if _, err := complete(ctx, s, "u1", skill.Completion{ID: "run-1", At: at, Day: "2026-11-22", Zone: prefs.Zone, SessionID: "s1"}, prefs); err != nil {
			t.Fatal(err)
		}
		got, err := s.User(ctx, "u1")
		if err != nil || !samePreferences(got.Preferences, prefs) {
			t.Errorf("got %+v, %v; want %+v", got.Preferences, err, prefs)
		}
	})

	t.Run("completion and preferences carry the last pain", func(t *testing.T) {
		s := newStore(t)
		prefs := skill.Preferences{Tempo: 6 * time.Second, NoteHeard: true, Zone: "UTC", LastPain: pain}
		if err := s.RecordPain(ctx, "u1", prefs); err != nil {
			t.Fatal(err)
		}
		prefs.PainNoted = true // a later launch mentioned it
		if err := s.SavePreferences(ctx, "u1", prefs); err != nil {
			t.Fatal(err)
		}
		if got, err := s.User(ctx, "u1"); err != nil || !samePreferences(got.Preferences, prefs) {
			t.Errorf("after saving preferences: got %+v, %v; want %+v", got.Preferences, err, prefs)
		}
		if _, err := complete(ctx, s, "u1", skill.Completion{ID: "run-1", At: at.Add(24 * time.Hour), Day: "2026-11-24", Zone: "UTC", SessionID: "s2"}, prefs); err != nil {
			t.Fatal(err)
		}
		if got, err := s.User(ctx, "u1"); err != nil || !samePreferences(got.Preferences, prefs) {
			t.Errorf("after completing: got %+v, %v; want %+v", got.Preferences, err, prefs)
		}
	})

	t.Run("pain is recorded with the preferences and forgets the place", func(t *testing.T) {
		s := newStore(t)
		before := skill.Preferences{Tempo: 4 * time.Second, NoteHeard: true, Zone: "Asia/Kolkata"}
		if _, err := complete(ctx, s, "u1", skill.Completion{ID: "run-1", At: at, Day: "2026-11-23", Zone: before.Zone, SessionID: "s1"}, before); err != nil {
			t.Fatal(err)
		}
		if err := s.SavePlace(ctx, "u1", skill.Place{Side: 2, Move: 3, Expires: pain.Add(skill.PlaceLifetime)}); err != nil {
			t.Fatal(err)
		}
		prefs := before
		prefs.LastPain = pain
		var afterOne int
		for i := range 2 { // the same stop delivered twice is one record
			if err := s.RecordPain(ctx, "u1", prefs); err != nil {
				t.Fatalf("recording pain, time %d: got %v, want nil", i+1, err)
			}
			got, err := s.User(ctx, "u1")
			if err != nil {
				t.Fatal(err)
			}
			if !samePreferences(got.Preferences, prefs) || got.Paused != nil {
				t.Errorf("time %d: got %+v paused %+v, want %+v and no place", i+1, got.Preferences, got.Paused, prefs)
			}
			if n := held(t, s, "u1"); i == 0 {
				afterOne = n
			} else if n != afterOne {
				t.Errorf("recording the same pain again: holds %d, want %d as before", n, afterOne)
			}
		}

		later := prefs
		later.LastPain, later.PainNoted = pain.Add(48*time.Hour), false
		if err := s.RecordPain(ctx, "u1", later); err != nil {
			t.Fatal(err)
		}
		if got, err := s.User(ctx, "u1"); err != nil || !samePreferences(got.Preferences, later) {
			t.Errorf("after a second stop: got %+v, %v; want %+v", got.Preferences, err, later)
		}
		if n := held(t, s, "u1"); n != afterOne+1 {
			t.Errorf("after a second stop: holds %d, want %d: one more pain record, both kept", n, afterOne+1)
		}
		if n, err := s.CountCompletions(ctx, "u1", at.Add(-time.Hour), later.LastPain.Add(time.Hour)); err != nil || n != 1 {
			t.Errorf("got %d completions, %v; want 1: a pain record is not a completion", n, err)
		}
	})

	t.Run("pain needs a time", func(t *testing.T) {
		s := newStore(t)
		if err := s.RecordPain(ctx, "u1", skill.Preferences{NoteHeard: true}); err == nil {
			t.Error("recorded pain with no time")
		}
	})

	t.Run("delete erases pain records", func(t *testing.T) {
		s := newStore(t)
		for _, user := range []string{"gone", "kept"} {
			prefs := skill.Preferences{NoteHeard: true}
			if _, err := complete(ctx, s, user, skill.Completion{ID: user + "-run", At: at, Day: "2026-11-23", Zone: "UTC", SessionID: "s"}, prefs); err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				prefs.LastPain = pain.Add(time.Duration(i) * time.Hour)
				if err := s.RecordPain(ctx, user, prefs); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.SavePlace(ctx, user, skill.Place{Side: 1, Move: 2, Expires: at.Add(skill.PlaceLifetime)}); err != nil {
				t.Fatal(err)
			}
		}
		kept := held(t, s, "kept")
		if err := s.DeleteUser(ctx, "gone"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.User(ctx, "gone"); !errors.Is(err, skill.ErrNotFound) {
			t.Errorf("deleted user: got %v, want ErrNotFound", err)
		}
		if n := held(t, s, "gone"); n != 0 {
			t.Errorf("deleted user: holds %d, want 0", n)
		}
		if n := held(t, s, "kept"); n != kept {
			t.Errorf("other user: holds %d, want %d as before", n, kept)
		}
	})

	t.Run("same completion twice counts once", func(t *testing.T) {
		s := newStore(t)
		c := skill.Completion{ID: "run-1", At: at, Day: "2026-11-23", Zone: "UTC", SessionID: "s1"}
		for range 2 {
			if _, err := complete(ctx, s, "u1", c, skill.Preferences{NoteHeard: true}); err != nil {
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
			if _, err := complete(ctx, s, "u1", c, skill.Preferences{}); err != nil {
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
			if _, err := complete(ctx, s, user, c, skill.Preferences{}); err != nil {
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
				if _, err := complete(ctx, s, user, c, skill.Preferences{NoteHeard: true}); err != nil {
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
		if n := held(t, s, "gone"); n != 0 {
			t.Errorf("deleted user: holds %d, want 0", n)
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
				_, err := complete(ctx, s, user, c, skill.Preferences{NoteHeard: true})
				errs <- err
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
		for u := range 10 {
			got, err := s.User(ctx, fmt.Sprintf("user-%d", u))
			if err != nil || got.History.Total != 5 || got.History.Version != 5 || got.History.On("2026-11-23") != 5 {
				t.Errorf("user %d: got history %+v, %v; want 5 routines on 2026-11-23, version 5", u, got.History, err)
			}
		}
	})

	runHistory(t, newStore, held)
	runTombstones(t, newStore, held)
	runPersons(t, newStore, held)
}

// complete records c as the handler does: with the user's history as User returns it and
// c added, read again when another writer got there first.
func complete(ctx context.Context, s skill.Store, userKey string, c skill.Completion, p skill.Preferences) (bool, error) {
	for range 100 {
		u, err := s.User(ctx, userKey)
		if err != nil && !errors.Is(err, skill.ErrNotFound) {
			return false, err
		}
		fresh, err := s.Complete(ctx, userKey, c, p, u.History.With(c))
		if !errors.Is(err, skill.ErrConflict) {
			return fresh, err
		}
	}
	return false, fmt.Errorf("completion %s: the history changed under it 100 times", c.ID)
}

// samePreferences compares preferences, LastPain as an instant (a store may give it back in
// another zone), and no reminders as none however a store gives them back.
func samePreferences(got, want skill.Preferences) bool {
	same := got.LastPain.Equal(want.LastPain) && slices.Equal(got.Reminders, want.Reminders)
	got.LastPain, want.LastPain = time.Time{}, time.Time{}
	got.Reminders, want.Reminders = nil, nil
	return same && reflect.DeepEqual(got, want)
}

// sameHistory compares histories, LastAt as an instant.
func sameHistory(got, want skill.History) bool {
	same := got.LastAt.Equal(want.LastAt) && slices.Equal(got.Days, want.Days)
	got.LastAt, want.LastAt = time.Time{}, time.Time{}
	got.Days, want.Days = nil, nil
	return same && reflect.DeepEqual(got, want)
}

// samePlace compares places, Expires as an instant.
func samePlace(got, want *skill.Place) bool {
	if got == nil || want == nil {
		return got == want
	}
	return got.Side == want.Side && got.Move == want.Move && got.Expires.Equal(want.Expires)
}
