// Command console runs Spine Opener in a terminal, on the embedded store (or DynamoDB when
// TABLE_NAME is set): type what you would say to Alexa. See internal/console.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/spine-opener/spine-opener/internal/console"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	context.AfterFunc(ctx, stop) // a second Ctrl-C kills at once
	os.Exit(console.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, console.OpenStore))
}
