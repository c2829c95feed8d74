package boltstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/spine-opener/spine-opener/internal/skill"
)

var _ skill.Store = (*Store)(nil)

var (
	usersBucket       = []byte("users")
	completionsBucket = []byte("completions") // holds one bucket per user
	painsBucket       = []byte("pains")       // holds one bucket per user, keyed by painKey
)

// Store is a skill.Store in a bbolt file.
type Store struct {
	db *bolt.DB
}

// Open opens (creating if needed) the store at path, and the folders above it.
func Open(path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{usersBucket, completionsBucket, painsBucket} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the file.
func (s *Store) Close() error {
	return s.db.Close()
}

// userRecord is a user's preferences and place. It stays comparable (==), so that an empty
// one can be told from one holding anything.
type userRecord struct {
	TempoMS       int64     `json:"tempoMs,omitempty"`
	NoteHeard     bool      `json:"noteHeard,omitempty"`
	Zone          string    `json:"zone,omitempty"`
	LastPain      time.Time `json:"lastPain,omitzero"`
	PainNoted     bool      `json:"painNoted,omitempty"`
	PausedSide    int       `json:"pausedSide,omitempty"`
	PausedMove    int       `json:"pausedMove,omitempty"`
	PausedExpires time.Time `json:"pausedExpires,omitzero"`
}

type completionRecord struct {
	At      time.Time `json:"at"`
	Day     string    `json:"day"`
	Zone    string    `json:"zone"`
	Session string    `json:"session"`
}

func getUser(tx *bolt.Tx, key string) (userRecord, bool, error) {
	var r userRecord
	raw := tx.Bucket(usersBucket).Get([]byte(key))
	if raw == nil {
		return r, false, nil
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return r, false, fmt.Errorf("decode user: %w", err)
	}
	return r, true, nil
}

func putUser(tx *bolt.Tx, key string, r userRecord) error {
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return tx.Bucket(usersBucket).Put([]byte(key), raw)
}

// updateUser changes the user's record in one transaction.
func (s *Store) updateUser(key string, change func(*userRecord)) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		r, _, err := getUser(tx, key)
		if err != nil {
			return err
		}
		change(&r)
		return putUser(tx, key, r)
	})
}

// User reads the user's record.
func (s *Store) User(_ context.Context, key string) (skill.User, error) {
	var r userRecord
	var found bool
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		r, found, err = getUser(tx, key)
		return err
	})
	if err != nil {
		return skill.User{}, fmt.Errorf("get user: %w", err)
	}
	if !found {
		return skill.User{}, skill.ErrNotFound
	}
	u := skill.User{Preferences: skill.Preferences{
		Tempo: time.Duration(r.TempoMS) * time.Millisecond, NoteHeard: r.NoteHeard, Zone: r.Zone,
		LastPain: r.LastPain, PainNoted: r.PainNoted,
	}}
	if r.PausedSide > 0 {
		u.Paused = &skill.Place{Side: r.PausedSide, Move: r.PausedMove, Expires: r.PausedExpires}
	}
	return u, nil
}

func setPreferences(r *userRecord, p skill.Preferences) {
	r.TempoMS = p.Tempo.Milliseconds()
	r.NoteHeard = p.NoteHeard
	r.Zone = p.Zone
	r.LastPain = p.LastPain.UTC()
	r.PainNoted = p.PainNoted
}

func forgetPlace(r *userRecord) {
	r.PausedSide, r.PausedMove, r.PausedExpires = 0, 0, time.Time{}
}

// SavePreferences updates the preferences in the user's record.
func (s *Store) SavePreferences(_ context.Context, key string, p skill.Preferences) error {
	if err := s.updateUser(key, func(r *userRecord) { setPreferences(r, p) }); err != nil {
		return fmt.Errorf("save preferences: %w", err)
	}
	return nil
}

// SavePlace updates the paused place in the user's record.
func (s *Store) SavePlace(_ context.Context, key string, p skill.Place) error {
	err := s.updateUser(key, func(r *userRecord) {
		r.PausedSide, r.PausedMove, r.PausedExpires = p.Side, p.Move, p.Expires.UTC()
	})
	if err != nil {
		return fmt.Errorf("save place: %w", err)
	}
	return nil
}

// ForgetPlace clears the place in the user's record. A record left empty is deleted, as a
// place alone made the user known.
func (s *Store) ForgetPlace(_ context.Context, key string) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		r, found, err := getUser(tx, key)
		if err != nil || !found {
			return err
		}
		forgetPlace(&r)
		if r == (userRecord{}) {
			return tx.Bucket(usersBucket).Delete([]byte(key))
		}
		return putUser(tx, key, r)
	})
	if err != nil {
		return fmt.Errorf("forget place: %w", err)
	}
	return nil
}

// Complete adds the completion to the user's bucket unless its ID is there already, and
// updates the record, in one transaction.
func (s *Store) Complete(_ context.Context, key string, c skill.Completion, p skill.Preferences) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		done, err := tx.Bucket(completionsBucket).CreateBucketIfNotExists([]byte(key))
		if err != nil {
			return err
		}
		if done.Get([]byte(c.ID)) != nil {
			return nil // already recorded: this is a repeat delivery
		}
		raw, err := json.Marshal(completionRecord{At: c.At.UTC(), Day: c.Day, Zone: c.Zone, Session: c.SessionID})
		if err != nil {
			return err
		}
		if err := done.Put([]byte(c.ID), raw); err != nil {
			return err
		}
		r, _, err := getUser(tx, key)
		if err != nil {
			return err
		}
		setPreferences(&r, p)
		forgetPlace(&r)
		return putUser(tx, key, r)
	})
	if err != nil {
		return fmt.Errorf("record completion: %w", err)
	}
	return nil
}

// painKey is a pain record's key in the user's bucket: its time in UTC to the millisecond,
// as DynamoDB's sort key has it, so that text order is time order.
func painKey(at time.Time) []byte {
	return []byte(at.UTC().Format("2006-01-02T15:04:05.000Z"))
}

// RecordPain adds a pain record at p.LastPain to the user's bucket (the same instant twice
// is one record) and updates the record, in one transaction.
func (s *Store) RecordPain(_ context.Context, key string, p skill.Preferences) error {
	if p.LastPain.IsZero() {
		return errors.New("record pain: no time given")
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		pains, err := tx.Bucket(painsBucket).CreateBucketIfNotExists([]byte(key))
		if err != nil {
			return err
		}
		if err := pains.Put(painKey(p.LastPain), []byte{}); err != nil {
			return err
		}
		r, _, err := getUser(tx, key)
		if err != nil {
			return err
		}
		setPreferences(&r, p)
		forgetPlace(&r)
		return putUser(tx, key, r)
	})
	if err != nil {
		return fmt.Errorf("record pain: %w", err)
	}
	return nil
}

// CountCompletions reads the user's completions; a person's history is small enough.
func (s *Store) CountCompletions(_ context.Context, key string, from, to time.Time) (int, error) {
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		done := tx.Bucket(completionsBucket).Bucket([]byte(key))
		if done == nil {
			return nil
		}
		return done.ForEach(func(_, raw []byte) error {
			var c completionRecord
			if err := json.Unmarshal(raw, &c); err != nil {
				return err
			}
			if !c.At.Before(from) && c.At.Before(to) {
				n++
			}
			return nil
		})
	})
	if err != nil {
		return 0, fmt.Errorf("count completions: %w", err)
	}
	return n, nil
}

// DeleteUser removes the user's record and buckets.
func (s *Store) DeleteUser(_ context.Context, key string) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(usersBucket).Delete([]byte(key)); err != nil {
			return err
		}
		for _, name := range [][]byte{completionsBucket, painsBucket} {
			err := tx.Bucket(name).DeleteBucket([]byte(key))
			if err != nil && !errors.Is(err, bolt.ErrBucketNotFound) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	return nil
}
