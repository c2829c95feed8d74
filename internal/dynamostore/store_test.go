package dynamostore_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

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

// TestLeavesTimeToAnswer throttles every call: a call whose caller has a deadline (on
// Lambda, the function's timeout) gives up while the caller still has time to answer.
func TestLeavesTimeToAnswer(t *testing.T) {
	store, rec := newTable(t)
	rec.failNext(-1, http.StatusBadRequest)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	c := skill.Completion{ID: "run-1", At: time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC), Day: "2026-11-23", Zone: "UTC"}
	if err := store.Complete(ctx, "u1", c, skill.Preferences{}); err == nil {
		t.Fatal("recorded a completion while throttled throughout")
	}
	if ctx.Err() != nil {
		t.Errorf("the store gave up only at the caller's deadline, leaving no time to answer")
	}
}
