package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/skill"
)

// TestDisableRacesSessionEnd: a user is in the middle of side one, so a session end would
// keep their place, when Alexa delivers at the same moment, to two instances, the session's
// end and the SkillDisabled event. Whichever comes first, the table is left with the
// user's tombstone alone: a place written first is erased, one written after is refused,
// and the refusal is in the request's log line. Then a routine finished after the event
// (a late session end after side two) is refused too.
func TestDisableRacesSessionEnd(t *testing.T) {
	f := deploy(t, 2, ddb.Endpoint)
	const rounds = 12
	users := map[string]bool{} // user keys
	for i := range rounds {
		userID := fmt.Sprintf("amzn1.ask.account.RACE-%d", i)
		users[skill.UserKey(userID)] = true
		s := f.session(morning.Add(time.Duration(i) * 10 * time.Minute))
		s.UserID = userID
		s.Launch()
		end := s.Request(alexa.SessionEndedRequest)
		end.Body.Reason = alexa.ReasonUserInitiated
		disable := s.Request(alexa.SkillDisabledEvent)
		disable.Session = nil
		disable.Body.Timestamp = end.Body.Timestamp

		start := make(chan struct{})
		var wg sync.WaitGroup
		for _, req := range []alexa.Request{end, disable} {
			wg.Go(func() {
				<-start
				if _, err := f.handle(context.Background(), req); err != nil {
					t.Errorf("round %d: %s: %v", i, req.Body.Type, err)
				}
			})
		}
		close(start)
		wg.Wait()
	}

	late := "amzn1.ask.account.LATE"
	s := f.session(morning.Add(5 * time.Hour))
	s.UserID = late
	s.Launch()
	s.Say(skill.IntentNextSide)
	disable := s.Request(alexa.SkillDisabledEvent) // not the session's: its attributes stay as they were
	disable.Session = nil
	if _, err := f.handle(context.Background(), disable); err != nil {
		t.Fatal(err)
	}
	s.End(alexa.ReasonExceededMaxReprompts) // in side two: it would count
	users[skill.UserKey(late)] = true
	if n := f.completions(late, morning.Add(5*time.Hour)); n != 0 {
		t.Errorf("a routine finished after the skill was disabled: %d completions stored, want 0", n)
	}

	out, err := localClient(ddb.Endpoint).Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(f.table)})
	if err != nil {
		t.Fatal(err)
	}
	tombstones := map[string]bool{}
	for _, item := range out.Items {
		pk := item["pk"].(*types.AttributeValueMemberS).Value
		sk := item["sk"].(*types.AttributeValueMemberS).Value
		if sk != "GONE" || !users[pk] {
			t.Errorf("the table holds %s %s, want only the users' tombstones", pk, sk)
		}
		tombstones[pk] = true
	}
	if len(tombstones) != len(users) {
		t.Errorf("%d tombstones for %d users", len(tombstones), len(users))
	}

	refused := refusals(t, f)
	if !refused[skill.UserKey(late)] {
		t.Errorf("no request line logs the late routine refused with %q", skill.ErrGone)
	}
	raced := 0
	for key := range users {
		if refused[key] && key != skill.UserKey(late) {
			raced++
		}
	}
	t.Logf("%d session ends racing SkillDisabled on two instances: %d refused (logged), %d written first and erased; %d items left, all tombstones",
		rounds, raced, rounds-raced, len(out.Items))
}

// refusals is the users whose requests the function logged as refused for a disabled
// skill: a request line whose error names skill.ErrGone.
func refusals(t *testing.T, f *function) map[string]bool {
	t.Helper()
	users := map[string]bool{}
	for _, p := range f.procs {
		for line := range strings.Lines(p.Output()) {
			var entry struct {
				Msg   string `json:"msg"`
				Type  string `json:"type"`
				User  string `json:"user"`
				Error string `json:"error"`
			}
			if json.Unmarshal([]byte(line), &entry) != nil || entry.Msg != "request" {
				continue
			}
			if entry.Type == alexa.SessionEndedRequest && strings.Contains(entry.Error, skill.ErrGone.Error()) {
				users[entry.User] = true
			}
		}
	}
	return users
}
