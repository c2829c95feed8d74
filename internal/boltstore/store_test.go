package boltstore

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/storetest"
)

func open(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) skill.Store {
		return open(t, filepath.Join(t.TempDir(), "nested", "spine-opener.db"))
	}, held)
}

// held counts the user's record and the keys in each of the user's buckets; a person's are
// under keys of their own, and the tombstone is in a bucket of its own.
func held(t *testing.T, store skill.Store, key string) int {
	t.Helper()
	n := 0
	err := store.(*Store).db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(usersBucket).Get([]byte(key)) != nil {
			n++
		}
		for _, name := range [][]byte{completionsBucket, painsBucket} {
			if b := tx.Bucket(name).Bucket([]byte(key)); b != nil {
				n += b.Stats().KeyN
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSurvivesReopen checks what the console relies on: a completion is still counted after
// the program exits and starts again.
func TestSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "spine-opener.db")
	at := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	c := skill.Completion{ID: "r", At: at, Day: "2026-11-23", Zone: "UTC"}
	if _, err := s.Complete(ctx, "u", c, skill.Preferences{Tempo: 6 * time.Second}, skill.History{}.With(c)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, path)
	n, err := s.CountCompletions(ctx, "u", at.Add(-time.Hour), at.Add(time.Hour))
	if err != nil || n != 1 {
		t.Errorf("got %d, %v; want 1", n, err)
	}
	u, err := s.User(ctx, "u")
	if err != nil || u.Tempo != 6*time.Second || u.History.Total != 1 || u.History.Version != 1 {
		t.Errorf("got %+v, %v; want tempo 6s and one routine in the history", u, err)
	}
	if err := s.SavePreferences(ctx, "gone", skill.Preferences{}); !errors.Is(err, skill.ErrGone) {
		t.Errorf("a tombstone after reopening: got %v, want ErrGone", err)
	}
}

// TestExpiredTombstone: a tombstone past TombstoneLifetime refuses nothing more.
func TestExpiredTombstone(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "spine-opener.db"))
	if err := s.DeleteUser(ctx, "acct"); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePreferences(ctx, "acct.p1", skill.Preferences{NoteHeard: true}); !errors.Is(err, skill.ErrGone) {
		t.Fatalf("got %v, want ErrGone", err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		expired, _ := time.Now().Add(-time.Second).MarshalText()
		return tx.Bucket(goneBucket).Put([]byte("acct"), expired)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"acct", "acct.p1"} {
		if err := s.SavePreferences(ctx, key, skill.Preferences{NoteHeard: true}); err != nil {
			t.Errorf("%s, the tombstone expired: got %v, want nil", key, err)
		}
		if u, err := s.User(ctx, key); err != nil || !u.NoteHeard {
			t.Errorf("%s: got %+v, %v; want the preferences saved", key, u, err)
		}
	}
}
