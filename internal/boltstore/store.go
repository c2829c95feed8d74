package boltstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/spine-opener/spine-opener/internal/skill"
)

var _ skill.Store = (*Store)(nil)

var (
	usersBucket       = []byte("users")
	completionsBucket = []byte("completions") // holds one bucket per user
	painsBucket       = []byte("pains")       // holds one bucket per user, keyed by painKey
	goneBucket        = []byte("gone")        // account key → when its tombstone expires
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
		for _, name := range [][]byte{usersBucket, completionsBucket, painsBucket, goneBucket} {
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

// userRecord is a user's preferences, place and history. Every field is left out of the
// JSON when zero, so that an empty record can be told from one holding anything.
type userRecord struct {
	TempoMS          int64            `json:"tempoMs,omitempty"`
	NoteHeard        bool             `json:"noteHeard,omitempty"`
	Zone             string           `json:"zone,omitempty"`
	LastPain         time.Time        `json:"lastPain,omitzero"`
	PainNoted        bool             `json:"painNoted,omitempty"`
	SoundsOff        bool             `json:"soundsOff,omitempty"`
	TipsHeard        uint64           `json:"tipsHeard,omitempty"`
	Reminders        []reminderRecord `json:"reminders,omitempty"`
	RemindersOffered bool             `json:"remindersOffered,omitempty"`
	PausedSide       int              `json:"pausedSide,omitempty"`
	PausedMove       int              `json:"pausedMove,omitempty"`
	PausedExpires    time.Time        `json:"pausedExpires,omitzero"`
	History          *historyRecord   `json:"history,omitempty"`
}

type reminderRecord struct {
	Token  string `json:"token"`
	Hour   int    `json:"hour"`
	Minute int    `json:"minute,omitempty"`
}

type historyRecord struct {
	Days    []dayRecord `json:"days,omitempty"`
	Run     int         `json:"run,omitempty"`
	Longest int         `json:"longest,omitempty"`
	Total   int         `json:"total,omitempty"`
	LastAt  time.Time   `json:"lastAt,omitzero"`
	Version int64       `json:"version"`
}

type dayRecord struct {
	Date  string `json:"date"`
	Count int    `json:"count"`
}

type completionRecord struct {
	At      time.Time `json:"at"`
	Day     string    `json:"day"`
	Zone    string    `json:"zone"`
	Session string    `json:"session"`
}

func (r userRecord) empty() bool {
	return reflect.ValueOf(r).IsZero()
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

// account is the account a user key belongs to: the key itself, or a person's key up to
// the dot.
func account(key string) string {
	a, _, _ := strings.Cut(key, ".")
	return a
}

// gone reports whether the user's account has a tombstone that has not expired.
func gone(tx *bolt.Tx, key string) (bool, error) {
	raw := tx.Bucket(goneBucket).Get([]byte(account(key)))
	if raw == nil {
		return false, nil
	}
	var expires time.Time
	if err := expires.UnmarshalText(raw); err != nil {
		return false, fmt.Errorf("decode tombstone: %w", err)
	}
	return time.Now().Before(expires), nil
}

// refused is ErrGone if the user's account has a tombstone, else nil.
func refused(tx *bolt.Tx, key string) error {
	g, err := gone(tx, key)
	if err == nil && g {
		err = skill.ErrGone
	}
	return err
}

// write runs change in one transaction, unless the user's account has a tombstone
// (ErrGone). Checking in the same transaction as the write is what makes it safe against
// DeleteUser, whose transaction bbolt runs either wholly before or wholly after it.
func (s *Store) write(key string, change func(tx *bolt.Tx) error) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := refused(tx, key); err != nil {
			return err
		}
		return change(tx)
	})
}

// updateUser changes the user's record in one transaction.
func (s *Store) updateUser(key string, change func(*userRecord)) error {
	return s.write(key, func(tx *bolt.Tx) error {
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
		g, err := gone(tx, key)
		if err != nil || g {
			return err
		}
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
		LastPain: r.LastPain, PainNoted: r.PainNoted, SoundsOff: r.SoundsOff, TipsHeard: r.TipsHeard,
		RemindersOffered: r.RemindersOffered,
	}}
	for _, rem := range r.Reminders {
		u.Reminders = append(u.Reminders, skill.Reminder{Token: rem.Token, Hour: rem.Hour, Minute: rem.Minute})
	}
	if r.PausedSide > 0 {
		u.Paused = &skill.Place{Side: r.PausedSide, Move: r.PausedMove, Expires: r.PausedExpires}
	}
	if h := r.History; h != nil {
		u.History = skill.History{Run: h.Run, Longest: h.Longest, Total: h.Total, LastAt: h.LastAt, Version: h.Version}
		for _, d := range h.Days {
			u.History.Days = append(u.History.Days, skill.Day{Date: d.Date, Count: d.Count})
		}
	}
	return u, nil
}

func setPreferences(r *userRecord, p skill.Preferences) {
	r.TempoMS = p.Tempo.Milliseconds()
	r.NoteHeard = p.NoteHeard
	r.Zone = p.Zone
	r.LastPain = p.LastPain.UTC()
	r.PainNoted = p.PainNoted
	r.SoundsOff = p.SoundsOff
	r.TipsHeard = p.TipsHeard
	r.RemindersOffered = p.RemindersOffered
	r.Reminders = nil
	for _, rem := range p.Reminders {
		r.Reminders = append(r.Reminders, reminderRecord{Token: rem.Token, Hour: rem.Hour, Minute: rem.Minute})
	}
}

func setHistory(r *userRecord, h skill.History) {
	r.History = &historyRecord{Run: h.Run, Longest: h.Longest, Total: h.Total, LastAt: h.LastAt.UTC(), Version: h.Version}
	for _, d := range h.Days {
		r.History.Days = append(r.History.Days, dayRecord{Date: d.Date, Count: d.Count})
	}
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
	err := s.write(key, func(tx *bolt.Tx) error {
		r, found, err := getUser(tx, key)
		if err != nil || !found {
			return err
		}
		forgetPlace(&r)
		if r.empty() {
			return tx.Bucket(usersBucket).Delete([]byte(key))
		}
		return putUser(tx, key, r)
	})
	if err != nil {
		return fmt.Errorf("forget place: %w", err)
	}
	return nil
}

// errRepeat ends Complete's transaction, writing nothing, for a completion stored already.
var errRepeat = errors.New("completion stored already")

// Complete adds the completion to the user's bucket and updates the record, history
// included, in one transaction: unless the completion's ID is there already (a repeated
// request), the account has a tombstone, or the stored history is not the one h was made
// from, checked in that order.
func (s *Store) Complete(_ context.Context, key string, c skill.Completion, p skill.Preferences, h skill.History) (bool, error) {
	err := s.db.Update(func(tx *bolt.Tx) error {
		if done := tx.Bucket(completionsBucket).Bucket([]byte(key)); done != nil && done.Get([]byte(c.ID)) != nil {
			return errRepeat
		}
		if err := refused(tx, key); err != nil {
			return err
		}
		r, _, err := getUser(tx, key)
		if err != nil {
			return err
		}
		var stored int64
		if r.History != nil {
			stored = r.History.Version
		}
		if stored != h.Version-1 {
			return skill.ErrConflict
		}
		done, err := tx.Bucket(completionsBucket).CreateBucketIfNotExists([]byte(key))
		if err != nil {
			return err
		}
		raw, err := json.Marshal(completionRecord{At: c.At.UTC(), Day: c.Day, Zone: c.Zone, Session: c.SessionID})
		if err != nil {
			return err
		}
		if err := done.Put([]byte(c.ID), raw); err != nil {
			return err
		}
		setPreferences(&r, p)
		setHistory(&r, h)
		forgetPlace(&r)
		return putUser(tx, key, r)
	})
	switch {
	case errors.Is(err, errRepeat):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("record completion: %w", err)
	}
	return true, nil
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
	err := s.write(key, func(tx *bolt.Tx) error {
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

// DeleteUser leaves a tombstone for key's account (a person's key erases the account it
// belongs to), and removes the records and buckets of the account and of every person of
// it (the keys "<account>.…"), in one transaction.
func (s *Store) DeleteUser(_ context.Context, key string) error {
	acc := account(key)
	err := s.db.Update(func(tx *bolt.Tx) error {
		expires, err := time.Now().Add(skill.TombstoneLifetime).UTC().MarshalText()
		if err != nil {
			return err
		}
		if err := tx.Bucket(goneBucket).Put([]byte(acc), expires); err != nil {
			return err
		}
		users := tx.Bucket(usersBucket)
		for _, k := range keysOf(users, acc) {
			if err := users.Delete(k); err != nil {
				return err
			}
		}
		for _, name := range [][]byte{completionsBucket, painsBucket} {
			b := tx.Bucket(name)
			for _, k := range keysOf(b, acc) {
				if err := b.DeleteBucket(k); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	return nil
}

// keysOf is the keys in b of the account acc and of its persons: acc itself and those
// that begin "acc.". They are collected before any is deleted, as a cursor cannot go on
// past a deletion.
func keysOf(b *bolt.Bucket, acc string) [][]byte {
	var keys [][]byte
	if b.Get([]byte(acc)) != nil || b.Bucket([]byte(acc)) != nil {
		keys = append(keys, []byte(acc))
	}
	prefix := []byte(acc + ".")
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	return keys
}
