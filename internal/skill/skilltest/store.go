package skilltest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spine-opener/spine-opener/internal/skill"
)

var _ skill.Store = (*Store)(nil)

// Store is an in-memory skill.Store. The zero value is ready to use.
//
// Like DynamoDB's table, it keeps a user's preferences, place and history apart, so that a
// user is known while any of them is stored, and pain records apart from all, one per
// instant to the millisecond. A person of an account (a key "<account>.<person>") is a user
// of their own; a tombstone is kept per account.
type Store struct {
	mu          sync.Mutex
	prefs       map[string]skill.Preferences
	places      map[string]skill.Place
	completions map[string]map[string]skill.Completion // user key → completion ID → completion
	pains       map[string]map[int64]time.Time         // user key → Unix milliseconds → time
	histories   map[string]skill.History
	tombstones  map[string]time.Time // account key → when its tombstone expires

	// Reads and Writes count the calls made, by kind.
	Reads, Writes int
	// Err, when set, is returned by every call instead of doing it.
	Err error
}

func (s *Store) init() {
	if s.prefs == nil {
		s.prefs = map[string]skill.Preferences{}
		s.places = map[string]skill.Place{}
		s.completions = map[string]map[string]skill.Completion{}
		s.pains = map[string]map[int64]time.Time{}
		s.histories = map[string]skill.History{}
		s.tombstones = map[string]time.Time{}
	}
}

func (s *Store) begin(write bool) error {
	s.mu.Lock()
	s.init()
	if write {
		s.Writes++
	} else {
		s.Reads++
	}
	return s.Err
}

// account is the account a user key belongs to: the key itself, or a person's key up to
// the dot.
func account(key string) string {
	a, _, _ := strings.Cut(key, ".")
	return a
}

// gone reports whether the user's account has a tombstone that has not expired. The caller
// holds s.mu.
func (s *Store) gone(key string) bool {
	expires, ok := s.tombstones[account(key)]
	return ok && time.Now().Before(expires)
}

// write begins a write for the user: s.Err, or ErrGone for a user DeleteUser erased.
func (s *Store) write(key string) error {
	if err := s.begin(true); err != nil {
		return err
	}
	if s.gone(key) {
		return skill.ErrGone
	}
	return nil
}

// Calls is the number of calls of either kind so far.
func (s *Store) Calls() (reads, writes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Reads, s.Writes
}

// ResetCalls sets the call counts back to zero.
func (s *Store) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Reads, s.Writes = 0, 0
}

// PainRecords is how many pain records the user's history holds: what RecordPain keeps and
// no method of skill.Store reads back. It is not counted as a call.
func (s *Store) PainRecords(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pains[key])
}

// User implements skill.Store.
func (s *Store) User(_ context.Context, key string) (skill.User, error) {
	defer s.mu.Unlock()
	if err := s.begin(false); err != nil {
		return skill.User{}, err
	}
	if s.gone(key) {
		return skill.User{}, skill.ErrNotFound
	}
	p, known := s.prefs[key]
	p.Reminders = slices.Clone(p.Reminders)
	h, ok := s.histories[key]
	known = known || ok
	h.Days = slices.Clone(h.Days)
	u := skill.User{Preferences: p, History: h}
	if place, ok := s.places[key]; ok {
		u.Paused, known = &place, true
	}
	if !known {
		return skill.User{}, skill.ErrNotFound
	}
	return u, nil
}

// setPreferences stores a copy of p, so that the caller's slices stay the caller's.
func (s *Store) setPreferences(key string, p skill.Preferences) {
	p.Reminders = slices.Clone(p.Reminders)
	s.prefs[key] = p
}

// SavePreferences implements skill.Store.
func (s *Store) SavePreferences(_ context.Context, key string, p skill.Preferences) error {
	defer s.mu.Unlock()
	if err := s.write(key); err != nil {
		return err
	}
	s.setPreferences(key, p)
	return nil
}

// SavePlace implements skill.Store.
func (s *Store) SavePlace(_ context.Context, key string, p skill.Place) error {
	defer s.mu.Unlock()
	if err := s.write(key); err != nil {
		return err
	}
	s.places[key] = p
	return nil
}

// ForgetPlace implements skill.Store.
func (s *Store) ForgetPlace(_ context.Context, key string) error {
	defer s.mu.Unlock()
	if err := s.write(key); err != nil {
		return err
	}
	delete(s.places, key)
	return nil
}

// Complete implements skill.Store. A repeated completion is told first, then a tombstone,
// then a conflict, as DynamoDB's cancellation reasons are read.
func (s *Store) Complete(_ context.Context, key string, c skill.Completion, p skill.Preferences, h skill.History) (bool, error) {
	defer s.mu.Unlock()
	if err := s.begin(true); err != nil {
		return false, err
	}
	if _, dup := s.completions[key][c.ID]; dup {
		return false, nil
	}
	if s.gone(key) {
		return false, skill.ErrGone
	}
	if s.histories[key].Version != h.Version-1 {
		return false, skill.ErrConflict
	}
	h.Days = slices.Clone(h.Days)
	s.histories[key] = h
	if s.completions[key] == nil {
		s.completions[key] = map[string]skill.Completion{}
	}
	s.completions[key][c.ID] = c
	s.setPreferences(key, p)
	delete(s.places, key)
	return true, nil
}

// RecordPain implements skill.Store.
func (s *Store) RecordPain(_ context.Context, key string, p skill.Preferences) error {
	defer s.mu.Unlock()
	if err := s.write(key); err != nil {
		return err
	}
	if p.LastPain.IsZero() {
		return errors.New("record pain: no time given")
	}
	if s.pains[key] == nil {
		s.pains[key] = map[int64]time.Time{}
	}
	s.pains[key][p.LastPain.UnixMilli()] = p.LastPain
	s.setPreferences(key, p)
	delete(s.places, key)
	return nil
}

// CountCompletions implements skill.Store.
func (s *Store) CountCompletions(_ context.Context, key string, from, to time.Time) (int, error) {
	defer s.mu.Unlock()
	if err := s.begin(false); err != nil {
		return 0, err
	}
	n := 0
	for _, c := range s.completions[key] {
		if !c.At.Before(from) && c.At.Before(to) {
			n++
		}
	}
	return n, nil
}

// DeleteUser implements skill.Store: it erases the account of key (a person's key erases
// the account it belongs to) and every person of it, and leaves the account's tombstone.
func (s *Store) DeleteUser(_ context.Context, key string) error {
	defer s.mu.Unlock()
	if err := s.begin(true); err != nil {
		return err
	}
	acc := account(key)
	s.tombstones[acc] = time.Now().Add(skill.TombstoneLifetime)
	forgetAccount(s.prefs, acc)
	forgetAccount(s.places, acc)
	forgetAccount(s.completions, acc)
	forgetAccount(s.pains, acc)
	forgetAccount(s.histories, acc)
	return nil
}

// forgetAccount deletes the entries of the account acc and of every person of it.
func forgetAccount[V any](m map[string]V, acc string) {
	for k := range m {
		if account(k) == acc {
			delete(m, k)
		}
	}
}
