// Command console runs Spine Opener in a terminal, on the embedded store (or DynamoDB when
// TABLE_NAME is set): type what you would say to Alexa. See internal/console.
package main

import (
	"context"
	"os"

	"github.com/spine-opener/spine-opener/internal/console"
)

func main() {
	os.Exit(console.Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr, console.OpenStore))
}
