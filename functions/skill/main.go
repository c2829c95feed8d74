// Command skill is the Spine Opener's Lambda function. Outside Lambda (no
// AWS_LAMBDA_RUNTIME_API) it is the local console instead: see internal/console.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"
	_ "time/tzdata" // provided.al2023 has no zoneinfo; users' days depend on it

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"

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
	cfg, err := config.LoadDefaultConfig(ctx) // reads the environment only: no network
	if err != nil {
		fmt.Fprintln(os.Stderr, "load AWS config:", err)
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
