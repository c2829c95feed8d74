package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/skill"
)

// runPersons checks that a person of an account (a key "<account>.<person>", as
// skill.PersonKey makes) is a user of their own, and that DeleteUser of the account erases
// every person of it.
func runPersons(t *testing.T, newStore func(t *testing.T) skill.Store, held Held) {
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC)
	// Two accounts, one key a prefix of the other's, each with persons; keys as the skill
	// makes them for some.
	signedIn := skill.UserKey("amzn1.ask.account.REAL")
	keys := []string{"acct", "acct.p1", "acct.p2", "acct2", "acct2.p1", signedIn, skill.PersonKey("amzn1.ask.account.REAL", "amzn1.ask.person.ONE")}

	// fill gives the ith key i+1 of everything but its place, and a place of its own.
	fill := func(t *testing.T, s skill.Store) {
		t.Helper()
		for i, key := range keys {
			p := skill.Preferences{Tempo: time.Duration(4+i) * time.Second, NoteHeard: true, Zone: "UTC", TipsHeard: uint64(i)}
			for n := range i + 1 {
				// The same routine IDs for everyone: each user's own.
				c := skill.Completion{ID: fmt.Sprintf("run-%d", n), At: at.Add(time.Duration(n) * time.Minute), Day: "2026-11-23", Zone: "UTC"}
				if _, err := complete(ctx, s, key, c, p); err != nil {
					t.Fatal(err)
				}
				p.LastPain = at.Add(time.Duration(n) * time.Hour)
				if err := s.RecordPain(ctx, key, p); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.SavePlace(ctx, key, skill.Place{Side: 1 + i%2, Move: i % 5, Expires: at.Add(skill.PlaceLifetime)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// check holds the ith key to what fill gave it.
	check := func(t *testing.T, s skill.Store, i int) {
		t.Helper()
		key := keys[i]
		u, err := s.User(ctx, key)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		if u.Tempo != time.Duration(4+i)*time.Second || u.TipsHeard != uint64(i) || !u.LastPain.Equal(at.Add(time.Duration(i)*time.Hour)) {
			t.Errorf("%s: got preferences %+v, not its own", key, u.Preferences)
		}
		if u.Paused == nil || u.Paused.Side != 1+i%2 || u.Paused.Move != i%5 {
			t.Errorf("%s: got place %+v, not its own", key, u.Paused)
		}
		if u.History.Total != i+1 || u.History.On("2026-11-23") != i+1 {
			t.Errorf("%s: got history %+v, want %d routines", key, u.History, i+1)
		}
		if n, err := s.CountCompletions(ctx, key, at.Add(-time.Hour), at.Add(time.Hour)); err != nil || n != i+1 {
			t.Errorf("%s: got %d completions, %v; want %d", key, n, err, i+1)
		}
	}

	t.Run("persons are users of their own", func(t *testing.T) {
		s := newStore(t)
		fill(t, s)
		for i := range keys {
			check(t, s, i)
		}
		for _, key := range []string{"acct.p3", "acct2.p2"} {
			if _, err := s.User(ctx, key); !errors.Is(err, skill.ErrNotFound) {
				t.Errorf("%s, never seen: got %v, want ErrNotFound", key, err)
			}
		}
		if err := s.ForgetPlace(ctx, "acct.p1"); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"acct", "acct.p2"} {
			if u, err := s.User(ctx, key); err != nil || u.Paused == nil {
				t.Errorf("%s: got place %+v, %v after a person of the account forgot theirs", key, u.Paused, err)
			}
		}
	})

	t.Run("deleting an account erases its persons", func(t *testing.T) {
		s := newStore(t)
		fill(t, s)
		kept := map[string]int{}
		for _, key := range keys[3:] {
			kept[key] = held(t, s, key)
		}
		if err := s.DeleteUser(ctx, "acct"); err != nil {
			t.Fatal(err)
		}
		for _, key := range keys[:3] {
			if _, err := s.User(ctx, key); !errors.Is(err, skill.ErrNotFound) {
				t.Errorf("%s: got %v, want ErrNotFound", key, err)
			}
			if n := held(t, s, key); n != 0 {
				t.Errorf("%s: holds %d, want 0", key, n)
			}
		}
		for i, key := range keys[3:] {
			check(t, s, 3+i)
			if n := held(t, s, key); n != kept[key] {
				t.Errorf("%s, of another account: holds %d, want %d as before", key, n, kept[key])
			}
		}

		// Disabling the skill is the account's: a person's key erases the account too.
		if err := s.DeleteUser(ctx, keys[6]); err != nil {
			t.Fatal(err)
		}
		for _, key := range keys[5:] {
			if n := held(t, s, key); n != 0 {
				t.Errorf("%s: holds %d after DeleteUser of a person of the account, want 0", key, n)
			}
			if err := s.SavePreferences(ctx, key, skill.Preferences{}); !errors.Is(err, skill.ErrGone) {
				t.Errorf("%s: got %v, want ErrGone", key, err)
			}
		}
		for i := range keys[3:5] {
			check(t, s, 3+i)
		}
	})
}
