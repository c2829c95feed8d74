// Command skill is the Spine Opener's Lambda function. Outside Lambda (no
// AWS_LAMBDA_RUNTIME_API) it is the local console instead: see internal/console.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime/debug"
	"time"
	_ "time/tzdata" // provided.al2023 has no zoneinfo; users' days depend on it

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/console"
	"github.com/spine-opener/spine-opener/internal/dynamostore"
	"github.com/spine-opener/spine-opener/internal/skill"
)

func main() {
	ctx := context.Background()
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") == "" {
		os.Exit(console.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, console.OpenStore))
	}
	table, skillID := os.Getenv("TABLE_NAME"), os.Getenv("SKILL_ID")
	if table == "" || skillID == "" {
		fmt.Fprintln(os.Stderr, "TABLE_NAME and SKILL_ID must both be set")
		os.Exit(1)
	}
	// The live heap is a few MB in a 512 MB function: collect less often, which keeps GC
	// pauses out of most invocations (infra/bench.sh: warm p99 1.5x the minimal function at
	// the default of 100, 1.2x at 400).
	debug.SetGCPercent(400)
	cfg, err := dynamostore.ConfigFromEnv() // the environment only: no files, no network
	if err != nil {
		fmt.Fprintln(os.Stderr, "AWS configuration:", err)
		os.Exit(1)
	}
	h := &skill.Handler{
		SkillID: skillID,
		Store:   dynamostore.New(dynamostore.NewClient(cfg), table),
		Zones:   alexa.Settings{Client: &http.Client{}, Timeout: time.Second},
		Log:     slog.New(slog.NewJSONHandler(os.Stdout, nil)),
	}
	lambda.Start(h.Handle)
}
