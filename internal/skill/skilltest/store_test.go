package skilltest

import (
	"testing"

	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(*testing.T) skill.Store { return &Store{} })
}
