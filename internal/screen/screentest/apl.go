package screentest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/nodecheck"
)

// timeout bounds one node run; a batch of a few dozen documents takes a few seconds.
const timeout = 2 * time.Minute

// CheckAPL checks every item, an APL document or an Alexa.Presentation.APL directive
// (RenderDocument, ExecuteCommands), with apl-suggester and reports each one it refuses,
// with its errors, through t.Errorf. All items go to one node process. It fails the test
// with t.Fatalf when it cannot check: no items, node or the installed package missing or
// stale (run ./infra/node-tools.sh), or the checker failing.
func CheckAPL(t testing.TB, items []json.RawMessage) {
	t.Helper()
	for i, errs := range APLErrors(t, items) {
		if errs != "" {
			t.Errorf("apl-suggester refuses item %d: %s\n%s", i, errs, items[i])
		}
	}
}

// APLErrors is CheckAPL's verdict without the reporting: for each item, the errors found as
// a JSON array, or "" when there were none. It fails the test with t.Fatalf when it cannot
// check, as CheckAPL does.
func APLErrors(t testing.TB, items []json.RawMessage) []string {
	t.Helper()
	if len(items) == 0 {
		t.Fatal("screentest: no APL documents or directives to check")
	}
	root, err := nodecheck.ModuleRoot()
	if err != nil {
		t.Fatalf("screentest: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	errs, err := checkAPL(ctx, root, t.TempDir(), items)
	if err != nil {
		t.Fatalf("screentest: %v", err)
	}
	return errs
}

// checkAPL runs infra/node/apl-check.mjs under root on items, written to a file in dir.
func checkAPL(ctx context.Context, root, dir string, items []json.RawMessage) ([]string, error) {
	return nodecheck.Run(ctx, root, dir, "apl-check.mjs", nil, items, "apl-suggester")
}
