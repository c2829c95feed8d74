package dynamostore_test

import (
	"context"
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
		return partitionSize(t, table, userKey)
	})
}

// TestCallCost holds each method to the DynamoDB calls it makes, on a user with a profile,
// a place, completions and pain records (DeleteUser's page size is DynamoDB's own).
func TestCallCost(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC)
	prefs := skill.Preferences{Tempo: 5 * time.Second, NoteHeard: true, Zone: "UTC", LastPain: at}
	place := skill.Place{Side: 2, Move: 1, Expires: at.Add(skill.PlaceLifetime)}
	store, rec := newTable(t)
	calls := []struct {
		name string
		call func() error
		want map[string]int
	}{
		{"SavePreferences", func() error { return store.SavePreferences(ctx, "u1", prefs) }, map[string]int{"PutItem": 1}},
		{"SavePlace", func() error { return store.SavePlace(ctx, "u1", place) }, map[string]int{"PutItem": 1}},
		{"User", func() error { _, err := store.User(ctx, "u1"); return err }, map[string]int{"BatchGetItem": 1}},
		{"ForgetPlace", func() error { return store.ForgetPlace(ctx, "u1") }, map[string]int{"DeleteItem": 1}},
		{"ForgetPlace, none", func() error { return store.ForgetPlace(ctx, "u1") }, map[string]int{"DeleteItem": 1}},
		{"Complete", func() error {
			return store.Complete(ctx, "u1", skill.Completion{ID: "run-1", At: at, Day: "2026-11-23", Zone: "UTC"}, prefs)
		}, map[string]int{"TransactWriteItems": 1}},
		{"Complete, repeated", func() error {
			return store.Complete(ctx, "u1", skill.Completion{ID: "run-1", At: at, Day: "2026-11-23", Zone: "UTC"}, prefs)
		}, map[string]int{"TransactWriteItems": 1}},
		{"RecordPain", func() error { return store.RecordPain(ctx, "u1", prefs) }, map[string]int{"TransactWriteItems": 1}},
		{"RecordPain, repeated", func() error { return store.RecordPain(ctx, "u1", prefs) }, map[string]int{"TransactWriteItems": 1}},
		{"CountCompletions", func() error {
			_, err := store.CountCompletions(ctx, "u1", at.Add(-time.Hour), at.Add(time.Hour))
			return err
		}, map[string]int{"Query": 1}},
		{"DeleteUser", func() error { return store.DeleteUser(ctx, "u1") }, map[string]int{"Query": 1, "BatchWriteItem": 1}},
	}
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
// exactly once, and none given up for the client's own retry quota.
func TestThrottleBurst(t *testing.T) {
	ctx := context.Background()
	store, rec := newTable(t)
	const users, routines, deliveries = 20, 2, 2
	at := time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC)
	user := func(u int) string { return fmt.Sprintf("user-%d", u) }

	const burst = 2 * time.Second
	rec.throttleFor(burst)
	start := time.Now()
	errs := make(chan error, users*routines*deliveries)
	var wg sync.WaitGroup
	for u := range users {
		for r := range routines {
			c := skill.Completion{ID: fmt.Sprintf("run-%d-%d", u, r), At: at.Add(time.Duration(r) * time.Minute),
				Day: "2026-11-23", Zone: "UTC", SessionID: fmt.Sprintf("session-%d-%d", u, r)}
			for range deliveries {
				wg.Go(func() { errs <- store.Complete(ctx, user(u), c, skill.Preferences{NoteHeard: true}) })
			}
		}
	}
	wg.Wait()
	took := time.Since(start)
	close(errs)
	for err := range errs {
		switch {
		case err == nil:
		case strings.Contains(err.Error(), "retry quota exceeded"):
			t.Errorf("gave up for the client's retry quota: %v", err)
		default:
			t.Errorf("completion not recorded: %v", err)
		}
	}

	throttled, attempts := rec.burst()
	calls := 0
	for _, n := range rec.reset() {
		calls += n
	}
	if throttled < users*routines*deliveries {
		t.Errorf("%d calls throttled, fewer than the %d deliveries: the burst did not cover them all", throttled, users*routines*deliveries)
	}
	for u := range users {
		if n, err := store.CountCompletions(ctx, user(u), at.Add(-time.Hour), at.Add(time.Hour)); err != nil || n != routines {
			t.Errorf("user %d: got %d completions stored, %v; want %d", u, n, err, routines)
		}
	}
	total, most := 0, 0
	for _, n := range attempts {
		total += n
		most = max(most, n)
	}
	t.Logf("%d deliveries of %d completions under %v of throttling: %d calls, %d throttled; %.1f attempts a delivery on average, at most %d for a completion's two; all done after %v",
		users*routines*deliveries, users*routines, burst, calls, throttled, float64(total)/float64(users*routines*deliveries), most, took.Round(time.Millisecond))
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
			return store.Complete(ctx, "u1", skill.Completion{ID: "run-1", At: at, Day: "2026-11-23", Zone: "UTC"}, skill.Preferences{})
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
