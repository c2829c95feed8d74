package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/dynamostore"
	"github.com/spine-opener/spine-opener/internal/lambdahost"
	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/skill/skilltest"
)

// alexaDeadline is how long Alexa waits for a skill's answer.
const alexaDeadline = 8 * time.Second

var tableNo atomic.Int64

// function is the skill as deployed: instances of the compiled binary under one Runtime API
// host, a fresh table in DynamoDB Local, and a stand-in for the Alexa Settings API.
type function struct {
	t     testing.TB
	host  *lambdahost.Host
	procs []*lambdahost.Process
	table string
	store *dynamostore.Store // direct access to the same table, for checks
	api   *skilltest.SettingsAPI
	// reminders is the Reminders API, served beside the Settings API at apiURL; a
	// transcript's stand-in once Open sets it.
	reminders http.Handler
	apiURL    string

	slowest atomic.Int64 // the longest an instance took to answer, in ns
}

func localClient(endpoint string) *dynamodb.Client {
	return dynamostore.NewClient(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
	}, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(endpoint) })
}

// deploy starts instances of the function, talking to DynamoDB at dynamoEndpoint (DynamoDB
// Local itself, or a proxy in front of it).
func deploy(t testing.TB, instances int, dynamoEndpoint string) *function {
	t.Helper()
	f := &function{t: t, table: fmt.Sprintf("e2e-%d", tableNo.Add(1)), api: &skilltest.SettingsAPI{}}
	client := localClient(ddb.Endpoint)
	if err := dynamostore.CreateTable(context.Background(), client, f.table); err != nil {
		t.Fatal(err)
	}
	f.store = dynamostore.New(client, f.table)
	mux := http.NewServeMux()
	mux.Handle("/", f.api)
	mux.HandleFunc("/v1/alerts/reminders/", func(w http.ResponseWriter, r *http.Request) { f.remindersAPI().ServeHTTP(w, r) })
	mux.HandleFunc("/v1/alerts/reminders", func(w http.ResponseWriter, r *http.Request) { f.remindersAPI().ServeHTTP(w, r) })
	api := httptest.NewServer(mux)
	t.Cleanup(api.Close)
	f.apiURL = api.URL

	host, err := lambdahost.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { host.Close() })
	f.host = host
	env := append(cleanEnv(),
		"TABLE_NAME="+f.table, "SKILL_ID="+skilltest.SkillID,
		"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local",
		"AWS_ENDPOINT_URL_DYNAMODB="+dynamoEndpoint, "AWS_EC2_METADATA_DISABLED=true",
		"HOME="+t.TempDir())
	for range instances {
		p, err := host.Start(binary, env)
		if err != nil {
			t.Fatal(err)
		}
		f.procs = append(f.procs, p)
		t.Cleanup(func() {
			p.Stop()
			if t.Failed() {
				t.Logf("function output:\n%s", lastLines(p.Output(), 20))
			}
		})
	}
	return f
}

func (f *function) remindersAPI() http.Handler {
	if f.reminders == nil {
		return &skilltest.RemindersAPI{}
	}
	return f.reminders
}

// invoke sends one raw payload through the Runtime API. It ends the test on failure, so it
// is for the test's own goroutine; handle, which goroutines use, calls try.
func (f *function) invoke(payload []byte) lambdahost.Result {
	f.t.Helper()
	res, err := f.try(payload, time.Time{})
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

// try sends one raw payload through the Runtime API, as if the platform's clock read at (the
// host's own clock when zero), and returns, rather than reports, what went wrong: no answer,
// or an answer later than Alexa waits for (which Alexa would drop). It is safe in goroutines.
func (f *function) try(payload []byte, at time.Time) (lambdahost.Result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := f.host.InvokeAt(ctx, payload, at)
	if err != nil {
		return res, err
	}
	for {
		old := f.slowest.Load()
		if int64(res.Took) <= old || f.slowest.CompareAndSwap(old, int64(res.Took)) {
			break
		}
	}
	if res.Took >= alexaDeadline {
		return res, fmt.Errorf("the answer took %v, past Alexa's %v", res.Took, alexaDeadline)
	}
	return res, nil
}

// handle is a skilltest.HandlerFunc that goes through the binary, invoked at the request's
// own timestamp, as Alexa and Lambda agree on the time. Its errors go back to the session,
// which reports them from the test's goroutine (Send) or returns them (Try).
func (f *function) handle(_ context.Context, req alexa.Request) (alexa.Response, error) {
	return f.handleAt(req, req.Body.Timestamp)
}

// handleAt is handle, invoked as if the platform's clock read at.
func (f *function) handleAt(req alexa.Request, at time.Time) (alexa.Response, error) {
	payload, err := json.Marshal(req)
	if err != nil {
		return alexa.Response{}, err
	}
	res, err := f.try(payload, at)
	if err != nil {
		return alexa.Response{}, err
	}
	if res.Error != nil {
		return alexa.Response{}, fmt.Errorf("%s: %s", res.Error.ErrorType, res.Error.ErrorMessage)
	}
	var resp alexa.Response
	if err := json.Unmarshal(res.Response, &resp); err != nil {
		return alexa.Response{}, fmt.Errorf("response is not an Alexa response: %w: %s", err, res.Response)
	}
	return resp, nil
}

func (f *function) session(at time.Time) *skilltest.Session {
	s := skilltest.NewSession(f.t, f.handle, at)
	s.APIEndpoint = f.apiURL
	return s
}

// completions counts, straight from the table, the user's completions in the day around at.
func (f *function) completions(userID string, at time.Time) int {
	f.t.Helper()
	n, err := f.store.CountCompletions(context.Background(), skill.UserKey(userID), at.Add(-24*time.Hour), at.Add(24*time.Hour))
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// items counts every item in the table.
func (f *function) items() int {
	f.t.Helper()
	out, err := localClient(ddb.Endpoint).Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(f.table), Select: "COUNT"})
	if err != nil {
		f.t.Fatal(err)
	}
	return int(out.Count)
}

func (f *function) alive() error {
	for i, p := range f.procs {
		if p.Exited() {
			return errors.New("instance " + fmt.Sprint(i) + " exited:\n" + lastLines(p.Output(), 20))
		}
	}
	return nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
