package skilltest

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/spine-opener/spine-opener/internal/skill"
)

var _ skill.Store = (*Store)(nil)

// Store is an in-memory skill.Store. The zero value is ready to use.
//
// Like DynamoDB's table, it keeps a user's preferences and place apart, so that a user is
// known while either is stored, and pain records apart from both, one per instant to the
// millisecond.
type Store struct {
	mu          sync.Mutex
	prefs       map[string]skill.Preferences
	places      map[string]skill.Place
	completions map[string]map[string]skill.Completion // user key → completion ID → completion
	pains       map[string]map[int64]time.Time         // user key → Unix milliseconds → time
	histories   map[string]skill.History

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
	p, known := s.prefs[key]
	u := skill.User{Preferences: p, History: s.histories[key]}
	if place, ok := s.places[key]; ok {
		u.Paused, known = &place, true
	}
	if !known {
		return skill.User{}, skill.ErrNotFound
	}
	return u, nil
}

// SavePreferences implements skill.Store.
func (s *Store) SavePreferences(_ context.Context, key string, p skill.Preferences) error {
	defer s.mu.Unlock()
	if err := s.begin(true); err != nil {
		return err
	}
	s.prefs[key] = p
	return nil
}

// SavePlace implements skill.Store.
func (s *Store) SavePlace(_ context.Context, key string, p skill.Place) error {
	defer s.mu.Unlock()
	if err := s.begin(true); err != nil {
		return err
	}
	s.places[key] = p
	return nil
}

// ForgetPlace implements skill.Store.
func (s *Store) ForgetPlace(_ context.Context, key string) error {
	defer s.mu.Unlock()
	if err := s.begin(true); err != nil {
		return err
	}
	delete(s.places, key)
	return nil
}

// Complete implements skill.Store.
func (s *Store) Complete(_ context.Context, key string, c skill.Completion, p skill.Preferences, h skill.History) (bool, error) {
	defer s.mu.Unlock()
	if err := s.begin(true); err != nil {
		return false, err
	}
	if _, dup := s.completions[key][c.ID]; dup {
		return false, nil
	}
	if s.histories[key].Version != h.Version-1 {
		return false, skill.ErrConflict
	}
	s.histories[key] = h
	if s.completions[key] == nil {
		s.completions[key] = map[string]skill.Completion{}
	}
	s.completions[key][c.ID] = c
	s.prefs[key] = p
	delete(s.places, key)
	return true, nil
}

// RecordPain implements skill.Store.
func (s *Store) RecordPain(_ context.Context, key string, p skill.Preferences) error {
	defer s.mu.Unlock()
	if err := s.begin(true); err != nil {
		return err
	}
	if p.LastPain.IsZero() {
		return errors.New("record pain: no time given")
	}
	if s.pains[key] == nil {
		s.pains[key] = map[int64]time.Time{}
	}
	s.pains[key][p.LastPain.UnixMilli()] = p.LastPain
	s.prefs[key] = p
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

// DeleteUser implements skill.Store.
func (s *Store) DeleteUser(_ context.Context, key string) error {
	defer s.mu.Unlock()
	if err := s.begin(true); err != nil {
		return err
	}
	delete(s.prefs, key)
	delete(s.places, key)
	delete(s.completions, key)
	delete(s.pains, key)
	delete(s.histories, key)
	return nil
}
