package skilltest

import (
	"context"
	"sync"
	"time"

	"github.com/spine-opener/spine-opener/internal/skill"
)

var _ skill.Store = (*Store)(nil)

// Store is an in-memory skill.Store. The zero value is ready to use.
type Store struct {
	mu          sync.Mutex
	users       map[string]skill.User
	completions map[string]map[string]skill.Completion // user key → completion ID → completion

	// Reads and Writes count the calls made, by kind.
	Reads, Writes int
	// Err, when set, is returned by every call instead of doing it.
	Err error
}

func (s *Store) init() {
	if s.users == nil {
		s.users = map[string]skill.User{}
		s.completions = map[string]map[string]skill.Completion{}
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

// User implements skill.Store.
func (s *Store) User(_ context.Context, key string) (skill.User, error) {
	defer s.mu.Unlock()
	if err := s.begin(false); err != nil {
		return skill.User{}, err
	}
	u, ok := s.users[key]
	if !ok {
		return skill.User{}, skill.ErrNotFound
	}
	if u.Paused != nil {
		p := *u.Paused
		u.Paused = &p
	}
	return u, nil
}

// SavePreferences implements skill.Store.
func (s *Store) SavePreferences(_ context.Context, key string, p skill.Preferences) error {
	defer s.mu.Unlock()
	if err := s.begin(true); err != nil {
		return err
	}
	u := s.users[key]
	u.Preferences = p
	s.users[key] = u
	return nil
}

// SavePlace implements skill.Store.
func (s *Store) SavePlace(_ context.Context, key string, p skill.Place) error {
	defer s.mu.Unlock()
	if err := s.begin(true); err != nil {
		return err
	}
	u := s.users[key]
	u.Paused = &p
	s.users[key] = u
	return nil
}

// Complete implements skill.Store.
func (s *Store) Complete(_ context.Context, key string, c skill.Completion, p skill.Preferences) error {
	defer s.mu.Unlock()
	if err := s.begin(true); err != nil {
		return err
	}
	if _, dup := s.completions[key][c.ID]; dup {
		return nil
	}
	if s.completions[key] == nil {
		s.completions[key] = map[string]skill.Completion{}
	}
	s.completions[key][c.ID] = c
	s.users[key] = skill.User{Preferences: p}
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
	delete(s.users, key)
	delete(s.completions, key)
	return nil
}
