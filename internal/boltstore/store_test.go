package boltstore

import (
	"context"
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

// held counts the user's record and the keys in each of the user's buckets.
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
	if err := s.Complete(ctx, "u", skill.Completion{ID: "r", At: at, Day: "2026-11-23", Zone: "UTC"}, skill.Preferences{Tempo: 6 * time.Second}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, path)
	n, err := s.CountCompletions(ctx, "u", at.Add(-time.Hour), at.Add(time.Hour))
	if err != nil || n != 1 {
		t.Errorf("got %d, %v; want 1", n, err)
	}
	u, err := s.User(ctx, "u")
	if err != nil || u.Tempo != 6*time.Second {
		t.Errorf("got %+v, %v; want tempo 6s", u, err)
	}
}
