package ssmltest

import (
	"context"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/nodecheck"
)

// locale is the locale ssml-check-core checks locale-bound tags (such as amazon:emotion)
// against. Every locale the skill has is English, and the skill uses none of those tags, so
// one English locale stands for all five.
const locale = "en-US"

// timeout bounds one node run; a batch of a hundred documents takes well under a second.
const timeout = 2 * time.Minute

// CheckAmazon checks every document with ssml-check-core for the Amazon Alexa platform and
// reports each one it refuses, with its errors, through t.Errorf. All documents go to one
// node process. It fails the test with t.Fatalf when it cannot check: no documents, node
// or the installed package missing or stale (run ./infra/node-tools.sh), or the checker
// failing.
func CheckAmazon(t testing.TB, docs []string) {
	t.Helper()
	for i, errs := range AmazonErrors(t, docs) {
		if errs != "" {
			t.Errorf("ssml-check-core refuses document %d: %s\n%s", i, errs, docs[i])
		}
	}
}

// AmazonErrors is CheckAmazon's verdict without the reporting: for each document, the
// errors ssml-check-core found as its JSON array, or "" when it found none. It fails the
// test with t.Fatalf when it cannot check, as CheckAmazon does.
func AmazonErrors(t testing.TB, docs []string) []string {
	t.Helper()
	if len(docs) == 0 {
		t.Fatal("ssmltest: no SSML documents to check")
	}
	root, err := nodecheck.ModuleRoot()
	if err != nil {
		t.Fatalf("ssmltest: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	errs, err := checkAmazon(ctx, root, t.TempDir(), docs)
	if err != nil {
		t.Fatalf("ssmltest: %v", err)
	}
	return errs
}

// checkAmazon runs infra/node/ssml-check.mjs under root on docs, written to a file in dir.
func checkAmazon(ctx context.Context, root, dir string, docs []string) ([]string, error) {
	return nodecheck.Run(ctx, root, dir, "ssml-check.mjs", []string{"--locale", locale}, docs)
}
