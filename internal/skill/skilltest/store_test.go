package skilltest

import (
	"testing"

	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(*testing.T) skill.Store { return &Store{} }, held)
}

// held counts the user's entries in each of the fake's maps (histories too), pain records
// by PainRecords.
func held(_ *testing.T, store skill.Store, key string) int {
	s := store.(*Store)
	n := s.PainRecords(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.prefs[key]; ok {
		n++
	}
	if _, ok := s.places[key]; ok {
		n++
	}
	if _, ok := s.histories[key]; ok {
		n++
	}
	return n + len(s.completions[key])
}
