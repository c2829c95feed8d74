package main

import (
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/lambdahost"
	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/skill/skilltest"
	"github.com/spine-opener/spine-opener/internal/transcript"
)

// morning is 07:30 UTC on a Monday some weeks ahead, the same time of the week as the
// transcripts' Morning: the binary's clock is the invocation's deadline, which must not be
// past, or its context would be over before it starts.
var morning = transcript.Morning.Add(weeksAhead)

var weeksAhead = func() time.Duration {
	week := 7 * 24 * time.Hour
	return (time.Since(transcript.Morning)/week + 2) * week
}()

// binaryTarget plays transcripts against the compiled function under the Runtime API host,
// on a fresh DynamoDB Local table, with the Settings API stand-in naming the zone.
type binaryTarget struct{}

func (binaryTarget) Open(t *testing.T, zone string, clock func() time.Time) transcript.Skill {
	f := deploy(t, 1, ddb.Endpoint)
	f.api.Set(zone, "")
	e := transcript.NewEcho(t, f.handle, clock, f.apiURL)
	api := transcript.RemindersStandIn(e, clock)
	f.reminders = api
	s := transcript.Through(f.store, e)
	s.Offset, s.Reminders = weeksAhead, api
	return s
}

// TestTranscripts plays every conversation in transcripts/ through the binary.
func TestTranscripts(t *testing.T) {
	transcript.Run(t, binaryTarget{}, transcript.Check)
}

// TestKeepsServing sends the binary what Alexa never should, and checks after each that it
// answered cleanly, wrote nothing it should not, and still answers a real request.
func TestKeepsServing(t *testing.T) {
	f := deploy(t, 1, ddb.Endpoint)
	valid := func() alexa.Request { return f.session(morning).Request(alexa.LaunchRequest) }
	encode := func(req alexa.Request) []byte { b, _ := json.Marshal(req); return b }
	withIntent := func(name string, slots map[string]alexa.Slot) []byte {
		req := valid()
		req.Body.Type = alexa.IntentRequest
		req.Body.Intent = &alexa.Intent{Name: name, Slots: slots}
		return encode(req)
	}
	nested := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	huge := valid()
	huge.Session.Attributes = map[string]json.RawMessage{"padding": json.RawMessage(`"` + strings.Repeat("x", 5<<20) + `"`)}

	tests := []struct {
		name    string
		payload []byte
		want    string // "error", "empty" or "speech"
		speaks  string
	}{
		{"another skill's request", func() []byte {
			r := valid()
			r.Context.System.Application.ApplicationID = "amzn1.ask.skill.someone-else"
			r.Session.Application.ApplicationID = "amzn1.ask.skill.someone-else"
			return encode(r)
		}(), "error", ""},
		{"not JSON", []byte(`{"version":`), "error", ""},
		{"a JSON array", []byte(`[1,2,3]`), "error", ""},
		{"request of the wrong type", []byte(`{"version":"1.0","request":"launch"}`), "error", ""},
		{"timestamp of the wrong type", []byte(`{"version":"1.0","request":{"type":"LaunchRequest","timestamp":42}}`), "error", ""},
		{"deeply nested", []byte(`{"version":"1.0","session":{"attributes":{"x":` + nested + `}}}`), "error", ""},
		{"huge attributes", encode(huge), "speech", "Side one"},
		{"unknown request type", func() []byte { r := valid(); r.Body.Type = "Display.ElementSelected"; return encode(r) }(), "empty", ""},
		{"unknown intent", withIntent("OrderPizzaIntent", nil), "speech", "didn't catch"},
		{"slot values with markup", withIntent(skill.IntentHowManyToday, map[string]alexa.Slot{
			"x": {Name: "x", Value: `</speak><break time="60s"/>&amp;<'">`}}), "speech", "haven't done"},
		{"empty session", func() []byte {
			r := valid()
			r.Session = &alexa.Session{}
			return encode(r)
		}(), "speech", "Side one"},
		{"absent session", func() []byte { r := valid(); r.Session = nil; return encode(r) }(), "error", ""},
		{"empty object", []byte(`{}`), "error", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.items()
			res := f.invoke(tt.payload)
			switch tt.want {
			case "error":
				if res.Error == nil {
					t.Errorf("got a response, want an error: %.300s", res.Response)
				}
				if got := f.items(); got != before {
					t.Errorf("a refused request changed the table: %d items, was %d", got, before)
				}
			default:
				if res.Error != nil {
					t.Fatalf("got error %+v, want a response", res.Error)
				}
				var resp alexa.Response
				if err := json.Unmarshal(res.Response, &resp); err != nil {
					t.Fatalf("response is not JSON: %v", err)
				}
				var sent alexa.Request
				json.Unmarshal(tt.payload, &sent)
				skilltest.CheckResponse(t, sent, resp)
				if tt.want == "empty" && resp.Body.OutputSpeech != nil {
					t.Errorf("got speech, want none")
				}
				if tt.speaks != "" {
					skilltest.Contains(t, resp, tt.speaks)
				}
			}
			if err := f.alive(); err != nil {
				t.Fatal(err)
			}
			skilltest.Contains(t, f.session(morning).Launch(), "Side one")
		})
	}
}

// TestNoNetworkAtStartup points the binary at a DynamoDB endpoint that only counts
// connections: starting up, up to asking for the first invocation, must make none.
func TestNoNetworkAtStartup(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	connections := make(chan struct{}, 100)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			connections <- struct{}{}
			c.Close()
		}
	}()
	f := deploy(t, 1, "http://"+l.Addr().String())
	time.Sleep(200 * time.Millisecond)
	if n := len(connections); n != 0 {
		t.Errorf("the function opened %d connections to DynamoDB before its first invocation", n)
	}
	if n := f.api.Calls(); n != 0 {
		t.Errorf("the function called the Settings API %d times before its first invocation", n)
	}
	if errs := f.host.InitErrors(); len(errs) != 0 {
		t.Errorf("init errors: %+v", errs)
	}
}

// TestRefusesToStartUnconfigured: without TABLE_NAME or SKILL_ID the function must not
// serve at all, rather than answer every request wrongly.
func TestRefusesToStartUnconfigured(t *testing.T) {
	host, err := lambdahost.New()
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	_, err = host.Start(binary, append(cleanEnv(), "AWS_REGION=us-east-1"))
	if err == nil || !strings.Contains(err.Error(), "TABLE_NAME and SKILL_ID") {
		t.Errorf("got %v, want it to exit naming the missing settings", err)
	}
}

// TestHostileTimestamps: requests stamped a year away from the invocation's time are
// answered, but the function's clock decides the day of the completion and when the place
// expires.
func TestHostileTimestamps(t *testing.T) {
	for _, skew := range []time.Duration{365 * 24 * time.Hour, -365 * 24 * time.Hour} {
		t.Run(skew.String(), func(t *testing.T) {
			f := deploy(t, 1, ddb.Endpoint)
			skewed := func(at time.Time) *skilltest.Session {
				s := f.session(at.Add(skew))
				s.Handle = func(_ context.Context, req alexa.Request) (alexa.Response, error) {
					honest := req
					honest.Body.Timestamp = req.Body.Timestamp.Add(-skew) // when it was really sent
					return f.handleAt(req, honest.Body.Timestamp)
				}
				return s
			}
			s := skewed(morning)
			s.Launch()
			s.Say(skill.IntentNextSide)
			skilltest.Contains(t, s.Say(skill.IntentDone), "once today")
			if n := f.completions(skilltest.UserID, morning); n != 1 {
				t.Errorf("completions around the real day: %d, want 1", n)
			}
			s = skewed(morning.Add(time.Hour))
			s.Launch()
			s.Say("AMAZON.PauseIntent")
			u, err := f.store.User(context.Background(), skill.UserKey(skilltest.UserID))
			if err != nil || u.Paused == nil {
				t.Fatalf("no place kept: %v", err)
			}
			if want := morning.Add(time.Hour + 2*time.Minute).Add(skill.PlaceLifetime); !u.Paused.Expires.Equal(want) {
				t.Errorf("place expires %v, want %v", u.Paused.Expires, want)
			}
			if out := f.procs[0].Output(); !strings.Contains(out, `"skew_s":`) {
				t.Errorf("no request line names the skew:\n%s", lastLines(out, 5))
			}
		})
	}
}
