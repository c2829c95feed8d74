// Command lambdabench measures the skill's compiled Lambda function against the minimal one
// (./minimal) under the same Runtime API host, in the same run: cold start (process start
// to first response), warm latency per invocation, and stripped binary size, each as a ratio
// to the minimal function. Run it with infra/bench.sh.
//
// A third function, ./dynamofloor, is the minimal one plus a service/dynamodb client: the
// floor any function on that SDK stands on. The report gives the skill against both.
//
// The skill is measured on "next side" in the middle of a routine, a request that needs no
// storage call, with DynamoDB pointed at a closed port: a network call at start-up or on
// that path would show as an error.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/lambdahost"
)

const skillID = "amzn1.ask.skill.00000000-0000-0000-0000-00000000bench"

type target struct {
	name, pkg, binary string
	env               []string
	size              int64
	cold, warm        []time.Duration
}

func main() {
	colds := flag.Int("cold", 40, "cold starts per function")
	warms := flag.Int("warm", 3000, "warm invocations per function")
	flag.Parse()
	if err := run(*colds, *warms); err != nil {
		fmt.Fprintln(os.Stderr, "lambdabench:", err)
		os.Exit(1)
	}
}

func run(colds, warms int) error {
	dir, err := os.MkdirTemp("", "lambdabench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	base := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	targets := []*target{
		{name: "minimal", pkg: "./infra/lambdabench/minimal", env: base},
		{name: "dynamodb floor", pkg: "./infra/lambdabench/dynamofloor", env: append(base, "AWS_REGION=us-east-1",
			"AWS_ACCESS_KEY_ID=bench", "AWS_SECRET_ACCESS_KEY=bench")},
		{name: "skill", pkg: "./functions/skill", env: append(base,
			"TABLE_NAME=bench", "SKILL_ID="+skillID, "AWS_REGION=us-east-1",
			"AWS_ACCESS_KEY_ID=bench", "AWS_SECRET_ACCESS_KEY=bench",
			"AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:1", "AWS_EC2_METADATA_DISABLED=true")},
	}
	for _, t := range targets {
		t.binary = filepath.Join(dir, strings.ReplaceAll(t.name, " ", "-"))
		build := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w", "-o", t.binary, t.pkg)
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build %s: %w", t.name, err)
		}
		info, err := os.Stat(t.binary)
		if err != nil {
			return err
		}
		t.size = info.Size()
	}
	payload, err := nextSideRequest()
	if err != nil {
		return err
	}
	// Alternate the two, so that whatever else the machine does touches both alike.
	for i := range colds {
		for _, t := range targets {
			d, err := coldStart(t, payload, i == 0, warms)
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			t.cold = append(t.cold, d)
		}
	}
	report(targets[0], targets[1], targets[2], colds, warms)
	return nil
}

// coldStart starts a fresh process under its own host, as a new Lambda sandbox, and times
// it from start to its first response; the first time round it then times warm
// invocations on the same process.
func coldStart(t *target, payload []byte, warmToo bool, warms int) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	host, err := lambdahost.New()
	if err != nil {
		return 0, err
	}
	defer host.Close()
	start := time.Now()
	p, err := host.Launch(t.binary, t.env)
	if err != nil {
		return 0, err
	}
	defer p.Stop()
	if err := invoke(ctx, host, payload); err != nil {
		return 0, fmt.Errorf("%w\n%s", err, p.Output())
	}
	cold := time.Since(start)
	if warmToo {
		for range warms {
			s := time.Now()
			if err := invoke(ctx, host, payload); err != nil {
				return 0, err
			}
			t.warm = append(t.warm, time.Since(s))
		}
	}
	return cold, nil
}

func invoke(ctx context.Context, host *lambdahost.Host, payload []byte) error {
	res, err := host.Invoke(ctx, payload)
	if err != nil {
		return err
	}
	if res.Error != nil {
		return fmt.Errorf("function error: %s", res.Error.ErrorMessage)
	}
	var resp alexa.Response
	if err := json.Unmarshal(res.Response, &resp); err != nil || resp.Body.OutputSpeech == nil {
		return fmt.Errorf("not an Alexa response with speech: %.200s", res.Response)
	}
	return nil
}

// nextSideRequest is "next side" from a user on side one, whose session state needs nothing
// from storage.
func nextSideRequest() ([]byte, error) {
	state := json.RawMessage(`{"phase":"side-one","loaded":true,"noteHeard":true,"run":"bench-run"}`)
	return json.Marshal(alexa.Request{
		Version: "1.0",
		Session: &alexa.Session{SessionID: "bench-session", Application: alexa.Application{ApplicationID: skillID},
			Attributes: map[string]json.RawMessage{"state": state}, User: alexa.User{UserID: "bench-user"}},
		Context: alexa.Context{System: alexa.System{Application: alexa.Application{ApplicationID: skillID},
			User: alexa.User{UserID: "bench-user"}, Device: alexa.Device{DeviceID: "bench-device"}}},
		Body: alexa.RequestBody{Type: alexa.IntentRequest, RequestID: "bench-request", Timestamp: time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC),
			Locale: "en-US", Intent: &alexa.Intent{Name: "NextSideIntent"}},
	})
}

func quantile(ds []time.Duration, q float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1))]
}

func report(min, floor, skill *target, colds, warms int) {
	fmt.Printf("Runtime API host on this machine; %d cold starts and %d warm invocations each\n\n", colds, warms)
	fmt.Printf("%-22s %12s %14s %12s %9s %9s   %s\n", "", "minimal", "dynamodb floor", "skill", "skill/min", "skill/floor", "target (skill/min)")
	row := func(what string, q float64, get func(*target) []time.Duration, target float64) {
		a, f, b := quantile(get(min), q), quantile(get(floor), q), quantile(get(skill), q)
		ratio := float64(b) / float64(a)
		verdict := "met"
		if ratio > target {
			verdict = "MISSED"
		}
		fmt.Printf("%-22s %12v %14v %12v %8.2fx %10.2fx   <= %.2fx %s\n", what, a.Round(time.Microsecond), f.Round(time.Microsecond),
			b.Round(time.Microsecond), ratio, float64(b)/float64(f), target, verdict)
	}
	cold := func(t *target) []time.Duration { return t.cold }
	warm := func(t *target) []time.Duration { return t.warm }
	row("cold start, median", 0.5, cold, 1.25)
	row("cold start, p90", 0.9, cold, 1.25)
	row("warm latency, median", 0.5, warm, 1.1)
	row("warm latency, p99", 0.99, warm, 1.1)
	mb := func(n int64) string { return fmt.Sprintf("%.2f MB", float64(n)/1e6) }
	ratio := float64(skill.size) / float64(min.size)
	verdict := "met"
	if ratio > 1.25 {
		verdict = "MISSED"
	}
	fmt.Printf("%-22s %12s %14s %12s %8.2fx %10.2fx   <= 1.25x %s\n", "binary, stripped", mb(min.size), mb(floor.size), mb(skill.size),
		ratio, float64(skill.size)/float64(floor.size), verdict)
}
