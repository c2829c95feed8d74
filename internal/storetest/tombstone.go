package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/skill"
)

// runTombstones checks what DeleteUser leaves: nothing of the account or its persons, and
// a tombstone that refuses every later write, however closely the write races it.
func runTombstones(t *testing.T, newStore func(t *testing.T) skill.Store, held Held) {
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC)
	prefs := skill.Preferences{Tempo: 5 * time.Second, NoteHeard: true, Zone: "UTC"}

	// everything stores one of each kind of item for the user.
	everything := func(t *testing.T, s skill.Store, key string) {
		t.Helper()
		if _, err := complete(ctx, s, key, skill.Completion{ID: "run-1", At: at, Day: "2026-11-23", Zone: "UTC", SessionID: "s1"}, prefs); err != nil {
			t.Fatal(err)
		}
		p := prefs
		p.LastPain = at.Add(time.Hour)
		if err := s.RecordPain(ctx, key, p); err != nil {
			t.Fatal(err)
		}
		if err := s.SavePlace(ctx, key, skill.Place{Side: 2, Move: 1, Expires: at.Add(skill.PlaceLifetime)}); err != nil {
			t.Fatal(err)
		}
	}
	// writes are every write of skill.Store for the user, each of which a tombstone refuses.
	type write struct {
		name  string
		write func() error
	}
	writes := func(s skill.Store, key string) []write {
		return []write{
			{"SavePreferences", func() error { return s.SavePreferences(ctx, key, prefs) }},
			{"SavePlace", func() error { return s.SavePlace(ctx, key, skill.Place{Side: 1, Expires: at.Add(time.Hour)}) }},
			{"ForgetPlace", func() error { return s.ForgetPlace(ctx, key) }},
			{"Complete", func() error {
				_, err := complete(ctx, s, key, skill.Completion{ID: "run-2", At: at, Day: "2026-11-23", Zone: "UTC"}, prefs)
				return err
			}},
			{"Complete, a routine recorded before", func() error {
				_, err := complete(ctx, s, key, skill.Completion{ID: "run-1", At: at, Day: "2026-11-23", Zone: "UTC"}, prefs)
				return err
			}},
			{"RecordPain", func() error { p := prefs; p.LastPain = at.Add(2 * time.Hour); return s.RecordPain(ctx, key, p) }},
		}
	}

	t.Run("a tombstone refuses every write", func(t *testing.T) {
		s := newStore(t)
		keys := []string{"acct", "acct.p1"}
		for _, key := range append(keys, "kept") {
			everything(t, s, key)
		}
		kept := held(t, s, "kept")
		before, err := s.User(ctx, "acct")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteUser(ctx, "acct"); err != nil {
			t.Fatal(err)
		}
		for _, key := range keys {
			stale := write{"Complete, on the history read before", func() error {
				c := skill.Completion{ID: "run-3", At: at, Day: "2026-11-23", Zone: "UTC"}
				_, err := s.Complete(ctx, key, c, prefs, before.History.With(c))
				return err
			}}
			for _, w := range append(writes(s, key), stale) {
				if err := w.write(); !errors.Is(err, skill.ErrGone) {
					t.Errorf("%s: %s: got %v, want ErrGone", key, w.name, err)
				}
			}
			if got, err := s.User(ctx, key); !errors.Is(err, skill.ErrNotFound) {
				t.Errorf("%s: got %+v, %v; want ErrNotFound", key, got, err)
			}
			if n, err := s.CountCompletions(ctx, key, at.Add(-time.Hour), at.Add(time.Hour)); err != nil || n != 0 {
				t.Errorf("%s: got %d completions, %v; want 0", key, n, err)
			}
			if n := held(t, s, key); n != 0 {
				t.Errorf("%s: holds %d, want 0", key, n)
			}
		}
		if err := s.DeleteUser(ctx, "acct"); err != nil {
			t.Errorf("deleting again (the event delivered twice): %v", err)
		}
		if n := held(t, s, "kept"); n != kept {
			t.Errorf("another account: holds %d, want %d as before", n, kept)
		}
		for _, w := range writes(s, "kept") {
			if err := w.write(); err != nil {
				t.Errorf("another account: %s: %v", w.name, err)
			}
		}
	})

	t.Run("a tombstone for a user never seen", func(t *testing.T) {
		// Their first write may still be on its way when the skill is disabled.
		s := newStore(t)
		if err := s.DeleteUser(ctx, "new"); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"new", "new.p1"} {
			for _, w := range writes(s, key) {
				if err := w.write(); !errors.Is(err, skill.ErrGone) {
					t.Errorf("%s: %s: got %v, want ErrGone", key, w.name, err)
				}
			}
			if n := held(t, s, key); n != 0 {
				t.Errorf("%s: holds %d, want 0", key, n)
			}
		}
	})

	t.Run("writes racing DeleteUser are erased or refused", func(t *testing.T) {
		s := newStore(t)
		const accounts, warmup = 6, 3
		var stored, refused atomic.Int64
		errs := make(chan error, 100)
		var wg sync.WaitGroup
		for a := range accounts {
			account := fmt.Sprintf("racer-%d", a)
			var deleted atomic.Bool // DeleteUser has returned
			var warm sync.WaitGroup // every writer has written a few times
			// write runs one writer for key: its writes, in turn, until one is refused.
			write := func(key string, ops []func(i int) error) {
				defer wg.Done()
				warmed := false
				ready := func() {
					if !warmed {
						warmed = true
						warm.Done()
					}
				}
				defer ready()
				for i := 0; ; i++ { // until refused: at the latest, the first write after DeleteUser returned
					after := deleted.Load()
					err := ops[i%len(ops)](i)
					if i == warmup {
						ready()
					}
					switch {
					case errors.Is(err, skill.ErrGone):
						refused.Add(1)
						return
					case err != nil:
						errs <- fmt.Errorf("%s: write %d: %w", key, i, err)
						return
					case after:
						errs <- fmt.Errorf("%s: write %d began after DeleteUser returned, and was stored", key, i)
						return
					}
					stored.Add(1)
				}
			}
			for _, key := range []string{account, account + ".p1"} {
				settings := []func(int) error{
					func(i int) error { p := prefs; p.TipsHeard = uint64(i); return s.SavePreferences(ctx, key, p) },
					func(i int) error {
						return s.SavePlace(ctx, key, skill.Place{Side: 1 + i%2, Move: i % 4, Expires: at.Add(skill.PlaceLifetime)})
					},
					func(int) error { return s.ForgetPlace(ctx, key) },
					func(i int) error {
						return s.SavePlace(ctx, key, skill.Place{Side: 2, Move: i % 4, Expires: at.Add(skill.PlaceLifetime)})
					},
				}
				endings := []func(int) error{
					func(i int) error {
						c := skill.Completion{ID: fmt.Sprintf("run-%d", i), At: at.Add(time.Duration(i) * time.Second), Day: "2026-11-23", Zone: "UTC"}
						_, err := complete(ctx, s, key, c, prefs)
						return err
					},
					func(i int) error {
						p := prefs
						p.LastPain = at.Add(time.Duration(i) * time.Second)
						return s.RecordPain(ctx, key, p)
					},
				}
				for _, ops := range [][]func(int) error{settings, endings} {
					warm.Add(1)
					wg.Add(1)
					go write(key, ops)
				}
			}
			wg.Go(func() {
				warm.Wait()
				err := s.DeleteUser(ctx, account)
				deleted.Store(true) // failed or not, so that the writers stop
				if err != nil {
					errs <- fmt.Errorf("%s: delete: %w", account, err)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		for a := range accounts {
			for _, key := range []string{fmt.Sprintf("racer-%d", a), fmt.Sprintf("racer-%d.p1", a)} {
				if n := held(t, s, key); n != 0 {
					t.Errorf("%s: holds %d after the race, want 0", key, n)
				}
				if _, err := s.User(ctx, key); !errors.Is(err, skill.ErrNotFound) {
					t.Errorf("%s: got %v after the race, want ErrNotFound", key, err)
				}
			}
		}
		t.Logf("%d accounts, each with a person, four writers each racing DeleteUser: %d writes stored before it (all erased), %d refused",
			accounts, stored.Load(), refused.Load())
	})
}
