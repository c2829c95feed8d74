package console

import (
	"sync"
	"time"
)

// listeningClock is the time of a console that prints each answer whole: the wall clock,
// moved on past every speech as it is printed. Someone reading a printed side has not cut
// into it when they type "next side"; on an Echo they could only say it once the side was
// over. (The real-time console keeps to the wall clock, since there typing does cut in.)
type listeningClock struct {
	mu    sync.Mutex
	ahead time.Duration
}

func (c *listeningClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.ahead)
}

// pass moves the clock on by d, the time a speech just printed takes to say.
func (c *listeningClock) pass(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ahead += d
}
