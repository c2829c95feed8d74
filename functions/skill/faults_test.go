package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/skill/skilltest"
)

// long turns on the long variants of the load and fault tests (./infra/test.sh --long).
var long = os.Getenv("SPINE_OPENER_LONG") != ""

// faultProxy stands between the function and DynamoDB Local and fails a share of requests
// the ways DynamoDB and networks fail: throttling, server errors, slowness, and connections
// dropped before the request reaches DynamoDB or after DynamoDB has applied it.
type faultProxy struct {
	upstream *url.URL
	srv      *httptest.Server

	mu     sync.Mutex
	rate   float64
	rng    *rand.Rand
	counts map[string]int
}

var faultModes = []string{"throttle", "server-error", "slow", "drop-before", "drop-after"}

func newFaultProxy(t testing.TB, upstream string, rate float64, seed uint64) *faultProxy {
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{upstream: u, rate: rate, rng: rand.New(rand.NewPCG(seed, seed)), counts: map[string]int{}}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *faultProxy) setRate(rate float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rate = rate
}

func (p *faultProxy) pick() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	mode := "pass"
	if p.rng.Float64() < p.rate {
		mode = faultModes[p.rng.IntN(len(faultModes))]
	}
	p.counts[mode]++
	return mode
}

func (p *faultProxy) serve(w http.ResponseWriter, r *http.Request) {
	switch mode := p.pick(); mode {
	case "throttle":
		dynamoError(w, http.StatusBadRequest, "ThrottlingException", "Rate of requests exceeds the allowed throughput.")
	case "server-error":
		dynamoError(w, http.StatusInternalServerError, "InternalServerError", "Internal server error")
	case "drop-before":
		drop(w)
	case "drop-after":
		if resp, err := p.forward(r); err == nil {
			resp.Body.Close()
		}
		drop(w)
	default:
		if mode == "slow" {
			time.Sleep(700 * time.Millisecond)
		}
		resp, err := p.forward(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}
}

func (p *faultProxy) forward(r *http.Request) (*http.Response, error) {
	out := r.Clone(r.Context())
	out.URL.Scheme, out.URL.Host, out.Host, out.RequestURI = p.upstream.Scheme, p.upstream.Host, p.upstream.Host, ""
	return http.DefaultTransport.RoundTrip(out)
}

func dynamoError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"__type":"com.amazonaws.dynamodb.v20120810#%s","message":%q}`, typ, msg)
}

// drop closes the connection without an answer.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
	}
}

func (p *faultProxy) summary() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var parts []string
	for mode, n := range p.counts {
		parts = append(parts, fmt.Sprintf("%s %d", mode, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// TestFaults runs whole routines while a quarter of DynamoDB calls fail. Every request must
// get an answer in time, and every completion the user was told about must be in the table,
// exactly once.
func TestFaults(t *testing.T) {
	users := 30
	if long {
		users = 200
	}
	proxy := newFaultProxy(t, ddb.Endpoint, 0.25, 7)
	f := deploy(t, 2, proxy.srv.URL)

	userID := func(u int) string { return fmt.Sprintf("amzn1.ask.account.FAULTS-%d", u) }
	answers := skilltest.Crowd(t, users, func(u int) *skilltest.Session {
		s := f.session(morning)
		s.UserID = userID(u)
		return s
	})
	acknowledged := make([]bool, users)
	for u, resp := range answers {
		skilltest.Contains(t, resp, "Well done")
		acknowledged[u] = !strings.Contains(skilltest.Speech(resp), "couldn't save")
	}
	t.Logf("faults injected: %s; slowest answer %v", proxy.summary(), time.Duration(f.slowest.Load()).Round(time.Millisecond))

	proxy.setRate(0)
	told, stored := 0, 0
	for u := range users {
		n := f.completions(userID(u), morning)
		stored += n
		if acknowledged[u] {
			told++
		}
		switch {
		case n > 1:
			t.Errorf("user %d: %d completions stored for one routine", u, n)
		case acknowledged[u] && n != 1:
			t.Errorf("user %d was told the routine was logged, but it is not in the table", u)
		}
	}
	t.Logf("%d routines: %d users told it was logged, %d stored", users, told, stored)
	if told == 0 {
		t.Errorf("no completion was acknowledged: the fault rate leaves nothing to check")
	}
	if err := f.alive(); err != nil {
		t.Fatal(err)
	}
}

// TestLoad runs at least 200 users' whole routines at once across several instances: every
// completion is counted exactly once.
func TestLoad(t *testing.T) {
	users, instances := 200, 4
	if long {
		users = 1000
	}
	f := deploy(t, instances, ddb.Endpoint)
	userID := func(u int) string { return fmt.Sprintf("amzn1.ask.account.LOAD-%d", u) }
	start := time.Now()
	answers := skilltest.Crowd(t, users, func(u int) *skilltest.Session {
		s := f.session(morning)
		s.UserID = userID(u)
		return s
	})
	elapsed := time.Since(start)
	t.Logf("%d users × 3 requests on %d instances in %v (%.0f requests/s); slowest answer %v",
		users, instances, elapsed.Round(time.Millisecond), float64(3*users)/elapsed.Seconds(), time.Duration(f.slowest.Load()).Round(time.Millisecond))
	total := 0
	for u, resp := range answers {
		skilltest.Contains(t, resp, "Well done", "once today")
		n := f.completions(userID(u), morning)
		if n != 1 {
			t.Errorf("user %d: %d completions, want 1", u, n)
		}
		total += n
	}
	if total != users {
		t.Errorf("%d completions counted, want %d", total, users)
	}
}
