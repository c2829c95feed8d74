package dynamostore

import (
	"testing"
	"time"
)

// TestRetryLimits holds the retry settings to what NewClient's comment says of them.
func TestRetryLimits(t *testing.T) {
	// shortest is the least time the first retries of a call can wait in all.
	shortest := func(retries int) time.Duration {
		var d time.Duration
		for n := 1; n <= retries; n++ {
			d += retryCeiling(n) / 2
		}
		return d
	}
	if got := shortest(maxAttempts - 1); got <= DefaultCompleteBudget {
		t.Errorf("a completion can reach attempt %d after %v, within its budget of %v: the attempt count, not the budget, would end its retries",
			maxAttempts, got, DefaultCompleteBudget)
	}
	if got := shortest(maxAttempts - 2); got > DefaultCompleteBudget {
		t.Errorf("attempt %d already comes after at least %v, past the completion's budget of %v: maxAttempts is higher than it needs to be",
			maxAttempts-1, got, DefaultCompleteBudget)
	}
	for n := 1; n < maxAttempts; n++ {
		for range 100 {
			if d := retryDelay(n); d < retryCeiling(n)/2 || d > retryCeiling(n) || d > maxRetryDelay {
				t.Fatalf("retry %d: waits %v, want %v to %v", n, d, retryCeiling(n)/2, retryCeiling(n))
			}
		}
	}
	if d := retryCeiling(1); d != firstRetryDelay {
		t.Errorf("first retry waits up to %v, want %v", d, firstRetryDelay)
	}
}
