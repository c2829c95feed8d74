package metrics_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/spine-opener/spine-opener/internal/metrics"
)

// userKey is what the handler logs as "user": a SHA-256 of the Alexa user ID.
const userKey = "3f8a1c0b9d2e4f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c"

// logLine writes turn's metrics into one line as the handler writes it (slog's JSON
// handler, msg "request", the handler's own fields first) and returns the line.
func logLine(t testing.TB, turn *metrics.Turn) []byte {
	t.Helper()
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	attrs := []slog.Attr{
		slog.String("type", "IntentRequest"),
		slog.String("intent", "AMAZON.StopIntent"),
		slog.String("outcome", "ok"),
		slog.Float64("latency_ms", 12.5),
		slog.String("user", userKey),
		slog.String("phase", "side1"),
		slog.String("event", "stop"),
	}
	log.LogAttrs(context.Background(), slog.LevelInfo, "request", append(attrs, turn.Attrs()...)...)
	line := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if bytes.Contains(line, []byte("\n")) {
		t.Fatalf("more than one line: %s", line)
	}
	return line
}

// withFunction sets the function name Lambda would give, for the test.
func withFunction(t testing.TB, name string) {
	old := lambdacontext.FunctionName
	lambdacontext.FunctionName = name
	t.Cleanup(func() { lambdacontext.FunctionName = old })
}

func TestLogLine(t *testing.T) {
	cases := []struct {
		name     string
		function string
		turn     func(*metrics.Turn)
		want     map[string]any // metric values, beside zeros for every counter
	}{
		{"a turn that did nothing", "spine-opener-SkillFunction-AbC123", func(*metrics.Turn) {}, nil},
		{"a finished routine", "spine-opener-SkillFunction-AbC123", func(m *metrics.Turn) {
			m.Count(metrics.RoutinesCompleted)
			m.DynamoDBCall(12345 * time.Microsecond)
			m.DynamoDBCall(3 * time.Millisecond)
		}, map[string]any{"RoutinesCompleted": 1.0, "DynamoDBCalls": 2.0, "DynamoDBLatency": []any{12.345, 3.0}}},
		{"a stop for pain", "f", func(m *metrics.Turn) {
			m.Count(metrics.RoutinesStopped)
			m.Count(metrics.StoppedForPain)
		}, map[string]any{"RoutinesStopped": 1.0, "StoppedForPain": 1.0}},
		{"a throttled, degraded turn", "f", func(m *metrics.Turn) {
			m.Count(metrics.Resumed)
			m.Count(metrics.Errors)
			m.Count(metrics.Degraded)
			m.Count(metrics.UnsavedCompletions)
			m.DynamoDBThrottle()
			m.DynamoDBThrottle()
			m.DynamoDBCall(5 * time.Second)
		}, map[string]any{"Resumed": 1.0, "Errors": 1.0, "Degraded": 1.0, "UnsavedCompletions": 1.0,
			"DynamoDBCalls": 1.0, "DynamoDBThrottles": 2.0, "DynamoDBLatency": []any{5000.0}}},
		{"outside Lambda: no dimension", "", func(m *metrics.Turn) { m.Count(metrics.RoutinesStarted) },
			map[string]any{"RoutinesStarted": 1.0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			withFunction(t, c.function)
			ctx, turn := metrics.NewContext(context.Background())
			if metrics.FromContext(ctx) != turn {
				t.Fatal("FromContext does not return the context's Turn")
			}
			c.turn(turn)
			line := logLine(t, turn)
			t.Logf("%s", line)
			if problems := emfProblems(line, time.Now()); len(problems) > 0 {
				t.Fatalf("not a valid EMF line:\n%s\n%s", strings.Join(problems, "\n"), line)
			}
			var doc map[string]any
			if err := json.Unmarshal(line, &doc); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{}
			for _, name := range metrics.Names() {
				if name != metrics.DynamoDBLatency {
					want[name] = 0.0
				}
			}
			maps.Copy(want, c.want)
			for _, name := range metrics.Names() {
				if got, ok := doc[name]; !reflect.DeepEqual(got, want[name]) && (ok || want[name] != nil) {
					t.Errorf("%s: got %v, want %v", name, got, want[name])
				}
			}
			var dims any = []any{[]any{}}
			if c.function != "" {
				dims = []any{[]any{metrics.FunctionDimension}}
			}
			if got := at(doc, "_aws", "CloudWatchMetrics", 0, "Dimensions"); !reflect.DeepEqual(got, dims) {
				t.Errorf("Dimensions: got %v, want %v", got, dims)
			}
			if got := doc[metrics.FunctionDimension]; c.function != "" && got != c.function {
				t.Errorf("%s: got %v, want %q", metrics.FunctionDimension, got, c.function)
			}
			if ts, _ := at(doc, "_aws", "Timestamp").(float64); time.Since(time.UnixMilli(int64(ts))) > time.Minute {
				t.Errorf("Timestamp %v is not the turn's start", ts)
			}
		})
	}
}

// at walks a decoded JSON value by keys and indexes; nil where there is nothing.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			s, _ := v.([]any)
			if k >= len(s) {
				return nil
			}
			v = s[k]
		}
	}
	return v
}

// units are the units CloudWatch accepts (MetricDatum), as the EMF schema lists them.
var units = []string{"Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
	"Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
	"Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second",
	"Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
	"Terabits/Second", "Count/Second", "None"}

// personal names members that hold or describe a user: the handler's "user" (a hash of the
// Alexa user ID) and whatever else could identify someone. None may be a metric or a
// dimension.
var personal = []string{"user", "userid", "userkey", "person", "personid", "device", "deviceid", "session", "sessionid", "id", "zone"}

var (
	namespacePattern = regexp.MustCompile(`^[a-zA-Z0-9._#:/-]+$`)
	hexHash          = regexp.MustCompile(`^[0-9a-f]{32,}$`)
)

// emfProblems checks line against the CloudWatch embedded metric format specification
// (CloudWatch_Embedded_Metric_Format_Specification: root node, metadata object,
// MetricDirective, DimensionSet, MetricDefinition, target members, and the JSON schema it
// gives), then against what this skill promises: its namespace, its metric names and
// units, the function as the only dimension, and nothing about a user in any of them.
func emfProblems(line []byte, now time.Time) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	if dups := duplicateKeys(line); len(dups) > 0 {
		bad("root members written more than once (which value counts is up to the reader): %v", dups)
	}
	var root map[string]any
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil {
		return append(problems, "the line is not one JSON object: "+err.Error())
	}
	if dec.More() {
		bad("data after the JSON object")
	}
	meta, ok := root["_aws"].(map[string]any)
	if !ok {
		return append(problems, "no _aws metadata object")
	}
	for k := range meta {
		if k != "CloudWatchMetrics" && k != "Timestamp" {
			bad("_aws has a member the specification does not define: %q", k)
		}
	}
	if ts, ok := meta["Timestamp"].(json.Number); !ok {
		bad("_aws.Timestamp %v: want a number of milliseconds", meta["Timestamp"])
	} else if ms, err := ts.Int64(); err != nil {
		bad("_aws.Timestamp %v: want whole milliseconds", ts)
	} else if at := time.UnixMilli(ms); at.Before(now.Add(-14*24*time.Hour)) || at.After(now.Add(2*time.Hour)) {
		bad("_aws.Timestamp %v is outside what CloudWatch accepts (two weeks back, two hours ahead)", at)
	}
	directives, ok := meta["CloudWatchMetrics"].([]any)
	if !ok || len(directives) == 0 {
		return append(problems, "_aws.CloudWatchMetrics: want an array of MetricDirectives")
	}
	dimensionKeys, metricNames := map[string]bool{}, map[string]bool{}
	for i, d := range directives {
		directive, ok := d.(map[string]any)
		if !ok {
			bad("MetricDirective %d is not an object", i)
			continue
		}
		for k := range directive {
			if k != "Namespace" && k != "Dimensions" && k != "Metrics" {
				bad("MetricDirective %d has a member the specification does not define: %q", i, k)
			}
		}
		ns, _ := directive["Namespace"].(string)
		switch {
		case !namespacePattern.MatchString(ns) || len(ns) > 255:
			bad("Namespace %v: want 1 to 255 of letters, digits and . _ # : / -", directive["Namespace"])
		case strings.HasPrefix(ns, "AWS/"):
			bad("Namespace %q: AWS/ is for AWS's own metrics", ns)
		case ns != metrics.Namespace:
			bad("Namespace %q: want %q", ns, metrics.Namespace)
		}
		sets, ok := directive["Dimensions"].([]any)
		if !ok || len(sets) == 0 {
			bad("Dimensions %v: want an array of at least one DimensionSet", directive["Dimensions"])
		}
		for _, s := range sets {
			set, ok := s.([]any)
			if !ok || len(set) > 30 {
				bad("DimensionSet %v: want an array of at most 30 dimension keys", s)
				continue
			}
			for _, k := range set {
				key, _ := k.(string)
				dimensionKeys[key] = true
				value, isString := root[key].(string)
				switch {
				case key == "" || len(key) > 255 || !ascii(key) || strings.HasPrefix(key, ":"):
					bad("dimension key %v: want 1 to 255 ASCII characters, not starting with a colon", k)
				case !isString:
					bad("dimension %q: want a root member with a string value, got %v", key, root[key])
				case strings.TrimSpace(value) == "" || len(value) > 1024 || !ascii(value):
					bad("dimension %q = %q: want 1 to 1024 ASCII characters, not all space", key, value)
				case key != metrics.FunctionDimension:
					bad("dimension %q: the skill's only dimension is %q", key, metrics.FunctionDimension)
				case value == userKey || hexHash.MatchString(value):
					bad("dimension %q = %q: a user's key, or a hash like one", key, value)
				}
			}
		}
		defs, ok := directive["Metrics"].([]any)
		if !ok || len(defs) > 100 {
			bad("Metrics: want an array of at most 100 MetricDefinitions")
		}
		for _, m := range defs {
			def, ok := m.(map[string]any)
			if !ok {
				bad("MetricDefinition %v is not an object", m)
				continue
			}
			for k := range def {
				if k != "Name" && k != "Unit" && k != "StorageResolution" {
					bad("MetricDefinition %v has a member the specification does not define: %q", def["Name"], k)
				}
			}
			name, _ := def["Name"].(string)
			if name == "" || len(name) > 255 {
				bad("metric name %v: want a string of 1 to 255 characters", def["Name"])
				continue
			}
			if metricNames[name] {
				bad("metric %q is defined twice", name)
			}
			metricNames[name] = true
			if u, present := def["Unit"]; present {
				if unit, _ := u.(string); !slices.Contains(units, unit) {
					bad("metric %q: unit %v is not a CloudWatch unit", name, u)
				}
			}
			if r, present := def["StorageResolution"]; present && r != json.Number("1") && r != json.Number("60") {
				bad("metric %q: StorageResolution %v: want 1 or 60", name, r)
			}
			switch v := root[name].(type) {
			case json.Number:
				if f, err := v.Float64(); err != nil || math.IsInf(f, 0) {
					bad("metric %q: value %v is not a finite number", name, v)
				}
			case []any:
				if len(v) == 0 || len(v) > 100 {
					bad("metric %q: %d values; want 1 to 100", name, len(v))
				}
				for _, e := range v {
					if _, ok := e.(json.Number); !ok {
						bad("metric %q: value %v in its array is not a number", name, e)
					}
				}
			case nil:
				bad("metric %q has no root member with its value", name)
			default:
				bad("metric %q: value %v: want a number or an array of numbers", name, v)
			}
			if !slices.Contains(metrics.Names(), name) {
				bad("metric %q is none of metrics.Names()", name)
			} else if unit, _ := def["Unit"].(string); unit != metrics.Unit(name) {
				bad("metric %q: unit %q, want %q", name, unit, metrics.Unit(name))
			}
		}
	}
	for name := range metricNames {
		if dimensionKeys[name] {
			bad("%q is both a dimension and a metric", name)
		}
	}
	for _, name := range slices.Concat(slices.Collect(maps.Keys(metricNames)), slices.Collect(maps.Keys(dimensionKeys))) {
		if slices.Contains(personal, strings.ToLower(name)) {
			bad("%q names something about a user: it may be logged, never a metric or a dimension", name)
		}
	}
	if raw, _ := json.Marshal(meta); bytes.Contains(raw, []byte(userKey)) {
		bad("the user's key is in the _aws metadata")
	}
	return problems
}

func ascii(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII || unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// duplicateKeys lists the root object's keys that appear more than once.
func duplicateKeys(line []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	seen := map[string]bool{}
	var dups []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return dups
		}
		key, _ := tok.(string)
		if seen[key] {
			dups = append(dups, key)
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return dups
		}
	}
	return dups
}

// TestValidator makes sure emfProblems finds what it is there to find: each change to a good
// line must be reported.
func TestValidator(t *testing.T) {
	withFunction(t, "spine-opener-skill")
	_, turn := metrics.NewContext(context.Background())
	turn.Count(metrics.RoutinesStarted)
	turn.DynamoDBCall(time.Millisecond)
	good := logLine(t, turn)
	if problems := emfProblems(good, time.Now()); len(problems) > 0 {
		t.Fatalf("the good line has problems: %v", problems)
	}
	directive := func(doc map[string]any) map[string]any {
		return at(doc, "_aws", "CloudWatchMetrics", 0).(map[string]any)
	}
	addMetric := func(doc map[string]any, name, unit string, value any) {
		d := directive(doc)
		d["Metrics"] = append(d["Metrics"].([]any), map[string]any{"Name": name, "Unit": unit})
		doc[name] = value
	}
	mutations := []struct {
		name   string
		mutate func(doc map[string]any)
	}{
		{"no _aws", func(doc map[string]any) { delete(doc, "_aws") }},
		{"no Timestamp", func(doc map[string]any) { delete(doc["_aws"].(map[string]any), "Timestamp") }},
		{"a Timestamp in seconds", func(doc map[string]any) { doc["_aws"].(map[string]any)["Timestamp"] = time.Now().Unix() }},
		{"a Timestamp as text", func(doc map[string]any) { doc["_aws"].(map[string]any)["Timestamp"] = "2024-01-01T00:00:00Z" }},
		{"an unknown _aws member", func(doc map[string]any) { doc["_aws"].(map[string]any)["LogGroupName"] = "x" }},
		{"another namespace", func(doc map[string]any) { directive(doc)["Namespace"] = "Other" }},
		{"an AWS/ namespace", func(doc map[string]any) { directive(doc)["Namespace"] = "AWS/Lambda" }},
		{"no Dimensions", func(doc map[string]any) { delete(directive(doc), "Dimensions") }},
		{"a dimension without its member", func(doc map[string]any) { delete(doc, metrics.FunctionDimension) }},
		{"a numeric dimension", func(doc map[string]any) { doc[metrics.FunctionDimension] = 7 }},
		{"the user as a dimension", func(doc map[string]any) {
			directive(doc)["Dimensions"] = []any{[]any{metrics.FunctionDimension, "user"}}
		}},
		{"a hash as a dimension's value", func(doc map[string]any) { doc[metrics.FunctionDimension] = userKey }},
		{"31 dimension keys", func(doc map[string]any) {
			var set []any
			for i := range 31 {
				key := fmt.Sprint("D", i)
				set, doc[key] = append(set, key), "v"
			}
			directive(doc)["Dimensions"] = []any{set}
		}},
		{"a metric without its member", func(doc map[string]any) { delete(doc, "RoutinesStarted") }},
		{"a metric as text", func(doc map[string]any) { doc["RoutinesStarted"] = "1" }},
		{"a metric as a boolean", func(doc map[string]any) { doc["RoutinesStarted"] = true }},
		{"a metric nested", func(doc map[string]any) { doc["RoutinesStarted"] = map[string]any{"Value": 1} }},
		{"an empty array of values", func(doc map[string]any) { doc[metrics.DynamoDBLatency] = []any{} }},
		{"101 values", func(doc map[string]any) {
			values := make([]any, 101)
			for i := range values {
				values[i] = 1.5
			}
			doc[metrics.DynamoDBLatency] = values
		}},
		{"a unit CloudWatch lacks", func(doc map[string]any) {
			directive(doc)["Metrics"].([]any)[0].(map[string]any)["Unit"] = "Millis"
		}},
		{"the wrong unit", func(doc map[string]any) {
			directive(doc)["Metrics"].([]any)[0].(map[string]any)["Unit"] = "Seconds"
		}},
		{"a StorageResolution of 5", func(doc map[string]any) {
			directive(doc)["Metrics"].([]any)[0].(map[string]any)["StorageResolution"] = 5
		}},
		{"a metric defined twice", func(doc map[string]any) {
			d := directive(doc)
			d["Metrics"] = append(d["Metrics"].([]any), d["Metrics"].([]any)[0])
		}},
		{"a metric the package does not name", func(doc map[string]any) { addMetric(doc, "Spins", "Count", 1) }},
		{"the user as a metric", func(doc map[string]any) { addMetric(doc, "user", "None", 1) }},
		{"101 metrics", func(doc map[string]any) {
			for i := range 101 {
				addMetric(doc, fmt.Sprint("M", i), "Count", i)
			}
		}},
	}
	for _, m := range mutations {
		var doc map[string]any
		if err := json.Unmarshal(good, &doc); err != nil {
			t.Fatal(err)
		}
		m.mutate(doc)
		line, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if problems := emfProblems(line, time.Now()); len(problems) == 0 {
			t.Errorf("a line with %s passes", m.name)
		} else {
			t.Logf("%s: %s", m.name, problems[0])
		}
	}
	if problems := emfProblems(append(good[:len(good)-1:len(good)-1], []byte(`,"RoutinesStarted":2}`)...), time.Now()); len(problems) == 0 {
		t.Errorf("a line with a metric written twice passes")
	}
	if problems := emfProblems([]byte(`START RequestId: x`), time.Now()); len(problems) == 0 {
		t.Errorf("a line that is not JSON passes")
	}
}

// TestLatencyValues: DynamoDBLatency keeps the values EMF allows one metric, and
// DynamoDBCalls still counts every call.
func TestLatencyValues(t *testing.T) {
	withFunction(t, "f")
	_, turn := metrics.NewContext(context.Background())
	for i := range 150 {
		turn.DynamoDBCall(time.Duration(i) * time.Millisecond)
	}
	line := logLine(t, turn)
	if problems := emfProblems(line, time.Now()); len(problems) > 0 {
		t.Fatalf("%v", problems)
	}
	var doc map[string]any
	if err := json.Unmarshal(line, &doc); err != nil {
		t.Fatal(err)
	}
	if got := len(doc[metrics.DynamoDBLatency].([]any)); got != 100 {
		t.Errorf("DynamoDBLatency has %d values, want 100", got)
	}
	if got := doc[metrics.DynamoDBCalls]; got != 150.0 {
		t.Errorf("DynamoDBCalls %v, want 150", got)
	}
	want := metrics.DynamoDBStats{Calls: 150, Total: 149 * 150 / 2 * time.Millisecond, Longest: 149 * time.Millisecond}
	if got := turn.DynamoDB(); got != want {
		t.Errorf("DynamoDB(): got %+v, want %+v", got, want)
	}
}

// TestConcurrent: the store's calls may run at once; run with -race.
func TestConcurrent(t *testing.T) {
	_, turn := metrics.NewContext(context.Background())
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				turn.DynamoDBCall(time.Millisecond)
				turn.DynamoDBThrottle()
				turn.Count(metrics.Errors)
				_ = turn.Attrs()
			}
		})
	}
	wg.Wait()
	if got := turn.DynamoDB(); got.Calls != 400 || got.Throttles != 400 || got.Total != 400*time.Millisecond {
		t.Errorf("DynamoDB(): got %+v, want 400 calls and throttles, 400ms", got)
	}
	if got := turn.Counted(metrics.Errors); got != 400 {
		t.Errorf("Errors: got %d, want 400", got)
	}
}

// TestNoTurn: code that counts with a context that carries no Turn counts nothing, and
// does not fail.
func TestNoTurn(t *testing.T) {
	turn := metrics.FromContext(context.Background())
	if turn != nil {
		t.Fatalf("FromContext of an empty context: got %v, want nil", turn)
	}
	turn.Count(metrics.RoutinesStarted)
	turn.DynamoDBCall(time.Second)
	turn.DynamoDBThrottle()
	if turn.Attrs() != nil || turn.Counted(metrics.RoutinesStarted) != 0 || turn.DynamoDB() != (metrics.DynamoDBStats{}) {
		t.Errorf("a nil Turn reports something")
	}
}

func TestNames(t *testing.T) {
	names := metrics.Names()
	if len(names) > 100 {
		t.Errorf("%d metrics: one EMF directive holds at most 100", len(names))
	}
	for c := metrics.RoutinesStarted; c <= metrics.UnsavedCompletions; c++ {
		if !slices.Contains(names, c.String()) {
			t.Errorf("counter %d (%s) is not in Names", c, c)
		}
	}
	for _, name := range names {
		if u := metrics.Unit(name); !slices.Contains(units, u) {
			t.Errorf("%s: unit %q", name, u)
		}
	}
	if metrics.Unit("Spins") != "" {
		t.Errorf("Unit of an unknown metric: %q", metrics.Unit("Spins"))
	}
}

func BenchmarkLogLine(b *testing.B) {
	log := slog.New(slog.NewJSONHandler(discard{}, nil))
	b.ReportAllocs()
	for b.Loop() {
		ctx, turn := metrics.NewContext(context.Background())
		turn.Count(metrics.RoutinesCompleted)
		metrics.FromContext(ctx).DynamoDBCall(10 * time.Millisecond)
		log.LogAttrs(ctx, slog.LevelInfo, "request", turn.Attrs()...)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Example shows the handler's part: a Turn for the request, counts as the conversation
// goes, and the metrics in the request's one log line.
func Example() {
	log := slog.New(slog.NewJSONHandler(discard{}, nil))
	handle := func(ctx context.Context) {
		ctx, turn := metrics.NewContext(ctx)
		// ... the store's calls, made with ctx, add their latency and throttles ...
		turn.Count(metrics.RoutinesCompleted)
		log.LogAttrs(ctx, slog.LevelInfo, "request", append([]slog.Attr{slog.String("outcome", "ok")}, turn.Attrs()...)...)
	}
	handle(context.Background())
}
