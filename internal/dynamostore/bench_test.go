package dynamostore_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/spine-opener/spine-opener/internal/dynamostore"
	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/skill/skilltest"
)

// capacity asks every call of a client for the capacity it consumed (ReturnConsumedCapacity
// TOTAL) and adds it up.
type capacity struct {
	mu          sync.Mutex
	read, write float64
}

func (c *capacity) add(read bool, used ...types.ConsumedCapacity) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, u := range used {
		if read {
			c.read += aws.ToFloat64(u.CapacityUnits)
		} else {
			c.write += aws.ToFloat64(u.CapacityUnits)
		}
	}
}

func (c *capacity) reset() (read, write float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	read, write, c.read, c.write = c.read, c.write, 0, 0
	return read, write
}

// option is a client option that meters the client's calls into c.
func (c *capacity) option(o *dynamodb.Options) {
	o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("MeterCapacity",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				total := types.ReturnConsumedCapacityTotal
				switch p := in.Parameters.(type) {
				case *dynamodb.BatchGetItemInput:
					p.ReturnConsumedCapacity = total
				case *dynamodb.QueryInput:
					p.ReturnConsumedCapacity = total
				case *dynamodb.TransactWriteItemsInput:
					p.ReturnConsumedCapacity = total
				case *dynamodb.PutItemInput:
					p.ReturnConsumedCapacity = total
				case *dynamodb.BatchWriteItemInput:
					p.ReturnConsumedCapacity = total
				}
				out, md, err := next.HandleInitialize(ctx, in)
				switch r := out.Result.(type) {
				case *dynamodb.BatchGetItemOutput:
					c.add(true, r.ConsumedCapacity...)
				case *dynamodb.QueryOutput:
					if r.ConsumedCapacity != nil {
						c.add(true, *r.ConsumedCapacity)
					}
				case *dynamodb.TransactWriteItemsOutput:
					c.add(false, r.ConsumedCapacity...)
				case *dynamodb.PutItemOutput:
					if r.ConsumedCapacity != nil {
						c.add(false, *r.ConsumedCapacity)
					}
				case *dynamodb.BatchWriteItemOutput:
					c.add(false, r.ConsumedCapacity...)
				}
				return out, md, err
			}), middleware.Before)
	})
}

// longHistoryDays is how long the benchmark's user has done the routine (issue 12.4).
const longHistoryDays = 1100

// seedLongHistory gives the test user of w a routine every day for longHistoryDays up to
// the day before at, two on Sundays, straight into the table as the store would have
// written them: the completions and the HISTORY item, and the profile through the store.
// It returns the number of completions.
func seedLongHistory(tb testing.TB, w *world, at time.Time) int {
	tb.Helper()
	ctx := context.Background()
	userKey := skill.UserKey(skilltest.UserID)
	if err := w.store.SavePreferences(ctx, userKey, skill.Preferences{Tempo: 5 * time.Second, NoteHeard: true, Zone: "UTC", RemindersOffered: true}); err != nil {
		tb.Fatal(err)
	}
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	n := func(v int64) types.AttributeValue {
		return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
	}
	var h skill.History
	var puts []types.WriteRequest
	first := at.AddDate(0, 0, -longHistoryDays)
	for d := range longHistoryDays {
		day := first.AddDate(0, 0, d)
		times := 1
		if day.Weekday() == time.Sunday {
			times = 2
		}
		for r := range times {
			c := skill.Completion{ID: fmt.Sprintf("seed-%d-%d", d, r), At: day.Add(time.Duration(r) * 10 * time.Hour), Day: day.Format(time.DateOnly), Zone: "UTC", SessionID: "seed"}
			h = h.With(c)
			puts = append(puts, types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{
				dynamostore.AttrPK: s(userKey), dynamostore.AttrSK: s("DONE#" + c.ID), dynamostore.AttrDoneAt: s(c.At.UTC().Format("2006-01-02T15:04:05.000Z")),
				"day": s(c.Day), "zone": s(c.Zone), "session": s(c.SessionID),
			}}})
		}
	}
	days := make([]string, len(h.Days))
	for i, d := range h.Days {
		days[i] = d.Date + ":" + strconv.Itoa(d.Count)
	}
	puts = append(puts, types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{
		dynamostore.AttrPK: s(userKey), dynamostore.AttrSK: s("HISTORY"), "days": s(strings.Join(days, ",")),
		"run": n(int64(h.Run)), "longest": n(int64(h.Longest)), "total": n(int64(h.Total)),
		"lastAt": s(h.LastAt.UTC().Format("2006-01-02T15:04:05.000Z")), "version": n(h.Version),
	}}})
	client := dynamostore.NewClient(localConfig, local)
	for start := 0; start < len(puts); start += 25 {
		batch := puts[start:min(start+25, len(puts))]
		for len(batch) > 0 {
			out, err := client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{w.rec.table: batch}})
			if err != nil {
				tb.Fatal(err)
			}
			batch = out.UnprocessedItems[w.rec.table]
		}
	}
	return h.Total
}

// BenchmarkLongHistory measures what the turns that answer from a user's history cost on
// a user with longHistoryDays of it (issue 12.4): DynamoDB requests and read capacity per
// turn, as DynamoDB Local reports it (ReturnConsumedCapacity TOTAL). Each turn is a
// one-shot session, and must read the user in one BatchGetItem and nothing else. For
// contrast, CountCompletions counts the same completions from the byTime index.
func BenchmarkLongHistory(b *testing.B) {
	meter := &capacity{}
	w := newWorld(b, meter.option)
	total := seedLongHistory(b, w, morning)
	u, err := w.store.User(context.Background(), skill.UserKey(skilltest.UserID))
	if err != nil || u.History.Total != total || u.History.Run != longHistoryDays || u.History.On(morning.AddDate(0, 0, -1).Format(time.DateOnly)) == 0 {
		b.Fatalf("seeded history reads back as %+v, %v; want %d routines, the last %d days in a row", u.History, err, total, longHistoryDays)
	}
	b.Logf("a user with %d days of history: %d completions", longHistoryDays, total)
	turns := []struct {
		name string
		turn func(s *skilltest.Session)
	}{
		{"launch", func(s *skilltest.Session) { s.Launch() }},
		{"how many today", func(s *skilltest.Session) { s.Say(skill.IntentHowManyToday) }},
		{"yesterday", func(s *skilltest.Session) { s.Say(skill.IntentYesterday) }},
		{"this week", func(s *skilltest.Session) { s.Say(skill.IntentWeek) }},
		{"streak", func(s *skilltest.Session) { s.Say(skill.IntentStreak) }},
		{"how am I doing", func(s *skilltest.Session) { s.Say(skill.IntentHowAmIDoing) }},
	}
	for _, tt := range turns {
		b.Run(tt.name, func(b *testing.B) {
			w.rec.reset()
			meter.reset()
			for b.Loop() {
				tt.turn(w.session(morning))
			}
			calls := w.rec.reset()
			read, write := meter.reset()
			requests := 0
			for _, n := range calls {
				requests += n
			}
			perTurn := func(x float64) float64 { return x / float64(b.N) }
			if calls["BatchGetItem"] != b.N || requests != b.N {
				b.Errorf("%d turns made %v, want one BatchGetItem each and nothing else", b.N, calls)
			}
			b.ReportMetric(perTurn(float64(requests)), "requests/turn")
			b.ReportMetric(perTurn(read), "RCU/turn")
			b.ReportMetric(perTurn(write), "WCU/turn")
		})
	}
	for _, span := range []struct {
		name     string
		from, to time.Time
	}{
		{"CountCompletions, a day", morning.Truncate(24*time.Hour).AddDate(0, 0, -1), morning.Truncate(24 * time.Hour)},
		{"CountCompletions, a week", morning.AddDate(0, 0, -7), morning},
		{"CountCompletions, all", morning.AddDate(0, 0, -longHistoryDays-1), morning},
	} {
		b.Run(span.name, func(b *testing.B) {
			w.rec.reset()
			meter.reset()
			for b.Loop() {
				if _, err := w.store.CountCompletions(context.Background(), skill.UserKey(skilltest.UserID), span.from, span.to); err != nil {
					b.Fatal(err)
				}
			}
			requests := 0
			for _, n := range w.rec.reset() {
				requests += n
			}
			read, _ := meter.reset()
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(read/float64(b.N), "RCU/op")
		})
	}
}
