package dynamostore_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/dynamostore"
	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/storetest"
)

func TestStore(t *testing.T) {
	var mu sync.Mutex
	tables := map[skill.Store]string{}
	storetest.Run(t, func(t *testing.T) skill.Store {
		s, rec := newTable(t)
		s.PageSize = 7 // so deleting a user takes several pages
		mu.Lock()
		defer mu.Unlock()
		tables[s] = rec.table
		return s
	}, func(t *testing.T, s skill.Store, userKey string) int {
		mu.Lock()
		table := tables[s]
		mu.Unlock()
		return heldBy(t, table, userKey)
	})
}

// complete records c as the handler does: on the history User returns, read again when
// another writer got there first.
func complete(ctx context.Context, store skill.Store, userKey string, c skill.Completion, p skill.Preferences) (bool, error) {
	for {
		u, err := store.User(ctx, userKey)
		if err != nil && !errors.Is(err, skill.ErrNotFound) {
			return false, err
		}
		fresh, err := store.Complete(ctx, userKey, c, p, u.History.With(c))
		if !errors.Is(err, skill.ErrConflict) {
			return fresh, err
		}
	}
}

// TestCallCost holds each method to the DynamoDB calls it makes, on an account and a
// person of it, each with a profile, a place, a history, completions and pain records
// (DeleteUser's page size is DynamoDB's own).
func TestCallCost(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC)
	prefs := skill.Preferences{Tempo: 5 * time.Second, NoteHeard: true, Zone: "UTC", LastPain: at,
		Reminders: []skill.Reminder{{Token: "t1", Hour: 7}}, RemindersOffered: true}
	place := skill.Place{Side: 2, Move: 1, Expires: at.Add(skill.PlaceLifetime)}
	c := skill.Completion{ID: "run-1", At: at, Day: "2026-11-23", Zone: "UTC"}
	h := skill.History{}.With(c)
	store, rec := newTable(t)
	type call struct {
		name string
		call func() error
		want map[string]int
	}
	var calls []call
	for _, user := range []string{"u1.p1", "u1"} {
		calls = append(calls, []call{
			{"SavePreferences", func() error { return store.SavePreferences(ctx, user, prefs) }, map[string]int{"TransactWriteItems": 1}},
			{"SavePlace", func() error { return store.SavePlace(ctx, user, place) }, map[string]int{"TransactWriteItems": 1}},
			{"User", func() error { _, err := store.User(ctx, user); return err }, map[string]int{"BatchGetItem": 1}},
			{"ForgetPlace", func() error { return store.ForgetPlace(ctx, user) }, map[string]int{"TransactWriteItems": 1}},
			{"ForgetPlace, none", func() error { return store.ForgetPlace(ctx, user) }, map[string]int{"TransactWriteItems": 1}},
			{"Complete", func() error { _, err := store.Complete(ctx, user, c, prefs, h); return err }, map[string]int{"TransactWriteItems": 1}},
			{"Complete, repeated", func() error { _, err := store.Complete(ctx, user, c, prefs, h.With(c)); return err }, map[string]int{"TransactWriteItems": 1}},
			{"Complete, conflict", func() error {
				other := skill.Completion{ID: "run-2", At: at, Day: "2026-11-23", Zone: "UTC"}
				if _, err := store.Complete(ctx, user, other, prefs, skill.History{}.With(other)); !errors.Is(err, skill.ErrConflict) {
					return fmt.Errorf("got %v, want ErrConflict", err)
				}
				return nil
			}, map[string]int{"TransactWriteItems": 1}},
			{"RecordPain", func() error { return store.RecordPain(ctx, user, prefs) }, map[string]int{"TransactWriteItems": 1}},
			{"RecordPain, repeated", func() error { return store.RecordPain(ctx, user, prefs) }, map[string]int{"TransactWriteItems": 1}},
			{"CountCompletions", func() error {
				_, err := store.CountCompletions(ctx, user, at.Add(-time.Hour), at.Add(time.Hour))
				return err
			}, map[string]int{"Query": 1}},
		}...)
	}
	calls = append(calls,
		call{"DeleteUser", func() error { return store.DeleteUser(ctx, "u1") }, map[string]int{"PutItem": 1, "Query": 1, "BatchWriteItem": 1}},
		call{"SavePlace, refused", func() error {
			if err := store.SavePlace(ctx, "u1.p1", place); !errors.Is(err, skill.ErrGone) {
				return fmt.Errorf("got %v, want ErrGone", err)
			}
			return nil
		}, map[string]int{"TransactWriteItems": 1}},
		call{"User, gone", func() error {
			if _, err := store.User(ctx, "u1"); !errors.Is(err, skill.ErrNotFound) {
				return fmt.Errorf("got %v, want ErrNotFound", err)
			}
			return nil
		}, map[string]int{"BatchGetItem": 1}},
	)
	for _, c := range calls {
		rec.reset()
		if err := c.call(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := rec.reset(); !maps.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// TestThrottleBurst throttles every call for two seconds, as DynamoDB does while it adapts
// to a sudden load, while many completions are recorded at once, each delivered twice (as
// Alexa redelivers a request whose answer it did not get). Every completion must be stored
// exactly once, and none given up for the client's own retry quota. Each user is new, so
// the history a completion is written with is known without reading it: the burst is on
// Complete and its budget alone.
func TestThrottleBurst(t *testing.T) {
	ctx := context.Background()
	store, rec := newTable(t)
	const users, deliveries = 40, 2
	at := time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC)
	user := func(u int) string { return fmt.Sprintf("user-%d", u) }

	const burst = 2 * time.Second
	rec.throttleFor(burst)
	start := time.Now()
	type result struct {
		fresh bool
		err   error
	}
	results := make(chan result, users*deliveries)
	var wg sync.WaitGroup
	for u := range users {
		c := skill.Completion{ID: fmt.Sprintf("run-%d", u), At: at, Day: "2026-11-23", Zone: "UTC", SessionID: fmt.Sprintf("session-%d", u)}
		for range deliveries {
			wg.Go(func() {
				fresh, err := store.Complete(ctx, user(u), c, skill.Preferences{NoteHeard: true}, skill.History{}.With(c))
				results <- result{fresh, err}
			})
		}
	}
	wg.Wait()
	took := time.Since(start)
	close(results)
	recorded := 0
	for r := range results {
		switch {
		case r.err == nil:
			if r.fresh {
				recorded++
			}
		case strings.Contains(r.err.Error(), "retry quota exceeded"):
			t.Errorf("gave up for the client's retry quota: %v", r.err)
		default:
			t.Errorf("completion not recorded: %v", r.err)
		}
	}
	if recorded != users {
		t.Errorf("%d deliveries were told they recorded a new completion, want %d: one of each completion's two", recorded, users)
	}

	throttled, attempts := rec.burst()
	calls := 0
	for _, n := range rec.reset() {
		calls += n
	}
	if throttled < users*deliveries {
		t.Errorf("%d calls throttled, fewer than the %d deliveries: the burst did not cover them all", throttled, users*deliveries)
	}
	for u := range users {
		if n, err := store.CountCompletions(ctx, user(u), at.Add(-time.Hour), at.Add(time.Hour)); err != nil || n != 1 {
			t.Errorf("user %d: got %d completions stored, %v; want 1", u, n, err)
		}
		if got, err := store.User(ctx, user(u)); err != nil || got.History.Total != 1 || got.History.Version != 1 {
			t.Errorf("user %d: got history %+v, %v; want one routine", u, got.History, err)
		}
	}
	total, most := 0, 0
	for _, n := range attempts {
		total += n
		most = max(most, n)
	}
	t.Logf("%d deliveries of %d completions under %v of throttling: %d calls, %d throttled; %.1f attempts a delivery on average, at most %d for a completion's two; all done after %v",
		users*deliveries, users, burst, calls, throttled, float64(total)/float64(users*deliveries), most, took.Round(time.Millisecond))
}

// ending is one of the two ways a routine ends in the table, which share Complete's budget.
type ending struct {
	name string
	end  func(ctx context.Context) error
}

func endings(store *dynamostore.Store) []ending {
	at := time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC)
	return []ending{
		{"Complete", func(ctx context.Context) error {
			c := skill.Completion{ID: "run-1", At: at, Day: "2026-11-23", Zone: "UTC"}
			_, err := store.Complete(ctx, "u1", c, skill.Preferences{}, skill.History{}.With(c))
			return err
		}},
		{"RecordPain", func(ctx context.Context) error {
			return store.RecordPain(ctx, "u1", skill.Preferences{LastPain: at})
		}},
	}
}

// TestThrottledEnding throttles the first few calls of Complete and of RecordPain: both
// retry them and succeed.
func TestThrottledEnding(t *testing.T) {
	store, rec := newTable(t)
	for _, e := range endings(store) {
		rec.failNext(3, http.StatusBadRequest)
		if err := e.end(context.Background()); err != nil {
			t.Errorf("%s after three throttled calls: %v", e.name, err)
		}
	}
}

// TestLeavesTimeToAnswer throttles every call: a call whose caller has a deadline (on
// Lambda, the function's timeout) gives up while the caller still has time to answer.
func TestLeavesTimeToAnswer(t *testing.T) {
	store, rec := newTable(t)
	rec.failNext(-1, http.StatusBadRequest)
	for _, e := range endings(store) {
		ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
		if err := e.end(ctx); err == nil {
			t.Errorf("%s: written while throttled throughout", e.name)
		}
		if ctx.Err() != nil {
			t.Errorf("%s: the store gave up only at the caller's deadline, leaving no time to answer", e.name)
		}
		cancel()
	}
}
