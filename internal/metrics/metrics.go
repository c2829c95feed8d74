package metrics

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Namespace is the CloudWatch namespace of every metric the skill emits.
const Namespace = "SpineOpener"

// FunctionDimension is the one dimension of every metric: the Lambda function's name, so
// that two stacks in one account (a test and a live one) keep their metrics apart. Outside
// Lambda there is no function name, and the metrics have no dimension.
const FunctionDimension = "Function"

// Units of the metrics, as CloudWatch names them.
const (
	UnitCount        = "Count"
	UnitMilliseconds = "Milliseconds"
)

// Counter is one of the counts the handler keeps for a turn.
type Counter int

// The counts of a turn. Each is written on every log line, zero or not, so that a metric's
// Sum is how often it happened and its SampleCount the number of turns.
const (
	// RoutinesStarted counts routines begun, from the start or over again.
	RoutinesStarted Counter = iota
	// RoutinesCompleted counts routines finished: both sides done.
	RoutinesCompleted
	// RoutinesStopped counts routines left before the end, for pain or not.
	RoutinesStopped
	// StoppedForPain counts the routines stopped because the user said it hurt; each is
	// counted in RoutinesStopped too.
	StoppedForPain
	// Resumed counts routines carried on from a kept place.
	Resumed
	// Errors counts turns in which something failed: the request got no answer, or got one
	// despite a failure (a storage call, the time zone lookup).
	Errors
	// Degraded counts the turns among Errors that still answered: the user heard an apology
	// or a fallback (a count not said, the default tempo).
	Degraded
	// UnsavedCompletions counts finished routines that could not be stored; each is in the
	// log ("unsaved completion") to be recorded by hand.
	UnsavedCompletions
	numCounters
)

// The DynamoDB metrics, which the store's client middleware reports.
const (
	// DynamoDBCalls is the number of DynamoDB operations the turn made, each counted once
	// however often the SDK retried it.
	DynamoDBCalls = "DynamoDBCalls"
	// DynamoDBThrottles is the number of attempts DynamoDB throttled, in whole (a throttling
	// error, a transaction cancelled for throttling) or in part (a batch's unprocessed
	// items).
	DynamoDBThrottles = "DynamoDBThrottles"
	// DynamoDBLatency is each operation's time in milliseconds, retries and backoff
	// included: what the user waited for. It is written as an array with one value per
	// call, so CloudWatch's Sum, Maximum and percentiles are over calls; a turn without
	// calls leaves it out.
	DynamoDBLatency = "DynamoDBLatency"
)

// maxValues is the most values one metric may have in an EMF document. A turn's first
// maxValues calls give DynamoDBLatency its values; DynamoDBCalls counts them all. Only
// deleting a user with a long history makes more.
const maxValues = 100

type definition struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

// definitions lists every metric, the counters first, in Counter order.
var definitions = []definition{
	{"RoutinesStarted", UnitCount},
	{"RoutinesCompleted", UnitCount},
	{"RoutinesStopped", UnitCount},
	{"StoppedForPain", UnitCount},
	{"Resumed", UnitCount},
	{"Errors", UnitCount},
	{"Degraded", UnitCount},
	{"UnsavedCompletions", UnitCount},
	{DynamoDBCalls, UnitCount},
	{DynamoDBThrottles, UnitCount},
	{DynamoDBLatency, UnitMilliseconds},
}

// Names lists the name of every metric the skill emits, for dashboards and alarms.
func Names() []string {
	names := make([]string, len(definitions))
	for i, d := range definitions {
		names[i] = d.Name
	}
	return names
}

// Unit is the unit of the metric named name, or "" for a name that is none of Names.
func Unit(name string) string {
	for _, d := range definitions {
		if d.Name == name {
			return d.Unit
		}
	}
	return ""
}

// String is the counter's metric name.
func (c Counter) String() string {
	if c < 0 || c >= numCounters {
		return "Counter(?)"
	}
	return definitions[c].Name
}

// Turn collects the metrics of one request. Its methods are safe for concurrent use, and
// do nothing on a nil *Turn, so code can count whether or not its context carries one.
type Turn struct {
	start time.Time

	mu        sync.Mutex
	counts    [numCounters]int64
	calls     int64
	throttles int64
	latencies []float64 // milliseconds, of the first maxValues calls
	total     time.Duration
	longest   time.Duration
}

type turnKey struct{}

// NewContext starts a Turn at the present moment, the time its metrics are reported at,
// and returns it with a context carrying it.
func NewContext(ctx context.Context) (context.Context, *Turn) {
	t := &Turn{start: time.Now()}
	return context.WithValue(ctx, turnKey{}, t), t
}

// FromContext returns the Turn ctx carries, or nil.
func FromContext(ctx context.Context) *Turn {
	t, _ := ctx.Value(turnKey{}).(*Turn)
	return t
}

// Count adds one to c.
func (t *Turn) Count(c Counter) {
	if t == nil || c < 0 || c >= numCounters {
		return
	}
	t.mu.Lock()
	t.counts[c]++
	t.mu.Unlock()
}

// Counted is how many times c was counted.
func (t *Turn) Counted(c Counter) int64 {
	if t == nil || c < 0 || c >= numCounters {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.counts[c]
}

// DynamoDBCall records one DynamoDB operation that took d, retries included.
func (t *Turn) DynamoDBCall(d time.Duration) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.calls++
	t.total += d
	t.longest = max(t.longest, d)
	if len(t.latencies) < maxValues {
		t.latencies = append(t.latencies, milliseconds(d))
	}
}

// DynamoDBThrottle records one attempt that DynamoDB throttled.
func (t *Turn) DynamoDBThrottle() {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.throttles++
	t.mu.Unlock()
}

// DynamoDBStats sums up a turn's DynamoDB calls.
type DynamoDBStats struct {
	Calls     int64         // operations, each counted once however often retried
	Throttles int64         // attempts throttled
	Total     time.Duration // the operations' time added up
	Longest   time.Duration // the slowest operation's
}

// DynamoDB sums up the DynamoDB calls recorded so far.
func (t *Turn) DynamoDB() DynamoDBStats {
	if t == nil {
		return DynamoDBStats{}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return DynamoDBStats{Calls: t.calls, Throttles: t.throttles, Total: t.total, Longest: t.longest}
}

func milliseconds(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Attrs renders the turn's metrics as EMF members of the log line's top level: "_aws", the
// metadata naming the metrics, their dimension and its value (the function's name), and one
// member per metric with its value. Append them to the request's one log line, at the top
// level of a JSON handler (not inside a group), once per turn: each line written with them
// counts again.
func (t *Turn) Attrs() []slog.Attr {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	function := lambdacontext.FunctionName
	withLatency := len(t.latencies) > 0
	attrs := make([]slog.Attr, 0, 3+len(definitions))
	attrs = append(attrs, slog.Group("_aws",
		slog.Int64("Timestamp", t.start.UnixMilli()),
		slog.Any("CloudWatchMetrics", directives[directiveIndex(function != "", withLatency)]),
	))
	if function != "" {
		attrs = append(attrs, slog.String(FunctionDimension, function))
	}
	for c := range numCounters {
		attrs = append(attrs, slog.Int64(definitions[c].Name, t.counts[c]))
	}
	attrs = append(attrs, slog.Int64(DynamoDBCalls, t.calls), slog.Int64(DynamoDBThrottles, t.throttles))
	if withLatency {
		attrs = append(attrs, slog.Any(DynamoDBLatency, t.latencies))
	}
	return attrs
}

// directives holds the CloudWatchMetrics arrays a line can have, indexed by directiveIndex:
// with a dimension or none (outside Lambda), with DynamoDBLatency or without (no calls).
// They never change, so they are built once.
var directives = func() (all [4][]directive) {
	for i := range all {
		named, latency := i&1 != 0, i&2 != 0
		dims := [][]string{{}}
		if named {
			dims = [][]string{{FunctionDimension}}
		}
		defs := definitions // DynamoDBLatency is the last
		if !latency {
			defs = definitions[:len(definitions)-1]
		}
		all[i] = []directive{{Namespace, dims, defs}}
	}
	return all
}()

type directive struct {
	Namespace  string       `json:"Namespace"`
	Dimensions [][]string   `json:"Dimensions"`
	Metrics    []definition `json:"Metrics"`
}

func directiveIndex(named, latency bool) int {
	i := 0
	if named {
		i |= 1
	}
	if latency {
		i |= 2
	}
	return i
}
