// Command skill is the Spine Opener's Lambda function: it only wires configuration, the
// DynamoDB store and the handler, and serves the Lambda Runtime API. The local console is
// its own command, ./cmd/console.
package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime/debug"
	"time"
	_ "time/tzdata" // users' days depend on zone data, which the function must not lack

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/dynamostore"
	"github.com/spine-opener/spine-opener/internal/skill"
)

// functionTimeout is the function's Timeout in template.yaml (a test holds them equal): the
// handler's clock is the invocation's deadline less it.
const functionTimeout = 7 * time.Second

func main() {
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") == "" {
		fmt.Fprintln(os.Stderr, "skill: AWS_LAMBDA_RUNTIME_API is not set: this is the Lambda function and runs only under Lambda (for the local console: go run ./cmd/console)")
		os.Exit(2)
	}
	table, skillID := os.Getenv("TABLE_NAME"), os.Getenv("SKILL_ID")
	if table == "" || skillID == "" {
		fmt.Fprintln(os.Stderr, "skill: TABLE_NAME and SKILL_ID must both be set")
		os.Exit(1)
	}
	// The live heap is a few MB in a 512 MB function: collect less often, which keeps GC
	// pauses out of most invocations (infra/bench.sh: warm p99 1.5x the minimal function at
	// the default of 100, 1.2x at 400).
	debug.SetGCPercent(400)
	cfg, err := dynamostore.ConfigFromEnv() // the environment only: no files, no network
	if err != nil {
		fmt.Fprintln(os.Stderr, "skill: AWS configuration:", err)
		os.Exit(1)
	}
	h := &skill.Handler{
		SkillID:   skillID,
		Store:     dynamostore.New(dynamostore.NewClient(cfg), table),
		Zones:     alexa.Settings{Client: &http.Client{}, Timeout: time.Second},
		Reminders: alexa.Reminders{Client: &http.Client{}, Timeout: 2 * time.Second},
		Log:       slog.New(slog.NewJSONHandler(os.Stdout, nil)),
		Clock:     skill.DeadlineClock(functionTimeout),
	}
	// SSML is full of <, > and &: left unescaped (JSON does not need it), a side's response
	// is smaller and quicker to encode.
	lambda.StartHandlerFunc(h.Handle, lambda.WithSetEscapeHTML(false))
}
