package dynamostore_test

import (
	"testing"

	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) skill.Store {
		s, _ := newTable(t)
		s.PageSize = 7 // so deleting a user takes several pages
		return s
	})
}
