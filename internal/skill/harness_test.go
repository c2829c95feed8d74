package skill_test

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/skill/skilltest"
)

const (
	testSkill = skilltest.SkillID
	testUser  = skilltest.UserID
)

// morning is 07:30 UTC on a Monday.
var morning = time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC)

// fixedZone answers every time zone lookup with one zone, or an error, and counts the calls.
type fixedZone struct {
	mu    sync.Mutex
	zone  string
	err   error
	calls int
}

func (z *fixedZone) TimeZone(context.Context, alexa.System) (string, error) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.calls++
	return z.zone, z.err
}

type env struct {
	t     testing.TB
	store *skilltest.Store
	zones *fixedZone
	logs  *bytes.Buffer
	h     *skill.Handler
}

func newEnv(t testing.TB) *env {
	e := &env{t: t, store: &skilltest.Store{}, zones: &fixedZone{zone: "UTC"}, logs: &bytes.Buffer{}}
	e.h = &skill.Handler{SkillID: testSkill, Store: e.store, Zones: e.zones, Log: slog.New(slog.NewJSONHandler(e.logs, nil)), Clock: skilltest.Clock}
	return e
}

func (e *env) session(at time.Time) *skilltest.Session {
	return skilltest.NewSession(e.t, e.h.Handle, at)
}

var (
	checkValid = skilltest.CheckResponse
	text       = skilltest.Speech
	checkSide  = skilltest.CheckSide
	contains   = skilltest.Contains
	lacks      = skilltest.Lacks
	ends       = skilltest.Ends
)

func (e *env) countToday(at time.Time) int {
	e.t.Helper()
	y, m, d := at.Date()
	from := time.Date(y, m, d, 0, 0, 0, 0, at.Location())
	n, err := e.store.CountCompletions(context.Background(), skill.UserKey(testUser), from, from.AddDate(0, 0, 1))
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}
