package ssmltest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const (
	good     = `<speak>Tom &amp; Jerry. <break time="10s"/> <break time="1500ms"/> Done.</speak>`
	longStop = `<speak>Hold it. <break time="11s"/></speak>`
)

// The checker must say no to documents Alexa refuses, or CheckAmazon would pass anything.
func TestAmazonErrorsRefusesBadSpeech(t *testing.T) {
	tests := []struct {
		doc  string
		want string // a fragment of ssml-check-core's errors
	}{
		{longStop, `"tag":"break","attribute":"time","value":"11s"`},
		{`<speak>Tom & Jerry</speak>`, `Invalid & character`},
		{`<speak>a</speak><speak>b</speak>`, `Can't parse SSML`},
		{`<speak><b>bold</b></speak>`, `"tag":"b"`},
		{`<speak><break strength="loud"/></speak>`, `"attribute":"strength"`},
		{`<speak>` + strings.Repeat(`<audio src="soundbank://soundlibrary/ui/gameshow/amzn_ui_sfx_gameshow_intro_01"/>`, 6) + `</speak>`,
			`Too many audio files`},
	}
	docs := []string{good}
	for _, tt := range tests {
		docs = append(docs, tt.doc)
	}
	errs := AmazonErrors(t, docs)
	if errs[0] != "" {
		t.Errorf("good document refused: %s", errs[0])
	}
	for i, tt := range tests {
		if got := errs[i+1]; !strings.Contains(got, tt.want) {
			t.Errorf("%s: got errors %q, want them to contain %q", tt.doc, got, tt.want)
		}
	}
}

func TestCheckAmazonReportsEachRefusal(t *testing.T) {
	rec := record(t, func(tb testing.TB) { CheckAmazon(tb, []string{good, longStop, good}) })
	if rec.fatal != "" {
		t.Fatalf("got fatal %q, want one error", rec.fatal)
	}
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "document 1") || !strings.Contains(rec.errors[0], "11s") {
		t.Errorf("got errors %q, want one for document 1 naming its 11s break", rec.errors)
	}
}

func TestCheckAmazonFailsWithoutDocuments(t *testing.T) {
	rec := record(t, func(tb testing.TB) { CheckAmazon(tb, nil) })
	if !strings.Contains(rec.fatal, "no SSML documents") {
		t.Errorf("got fatal %q, want it to say there was nothing to check", rec.fatal)
	}
}

// Without the install the check fails, never skips, and names the script that installs it.
func TestCheckAmazonNeedsTheInstall(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	fresh := t.TempDir() // a clone on which infra/node-tools.sh never ran
	copyFile(t, filepath.Join(root, "infra", "node", "package.json"), filepath.Join(fresh, "infra", "node", "package.json"))
	copyFile(t, filepath.Join(root, "infra", "node", "package-lock.json"), filepath.Join(fresh, "infra", "node", "package-lock.json"))
	if _, err := checkAmazon(t.Context(), fresh, t.TempDir(), []string{good}); err == nil ||
		!strings.Contains(err.Error(), "not installed") || !strings.Contains(err.Error(), "./infra/node-tools.sh") {
		t.Errorf("no .cache/node: got %v, want it to say to run ./infra/node-tools.sh", err)
	}

	// Installed, but infra/node's lockfile has moved on since (a package added).
	cache := filepath.Join(fresh, ".cache", "node")
	copyFile(t, filepath.Join(root, "infra", "node", "package.json"), filepath.Join(cache, "package.json"))
	copyFile(t, filepath.Join(root, "infra", "node", "package-lock.json"), filepath.Join(cache, "package-lock.json"))
	if err := os.WriteFile(filepath.Join(cache, ".installed"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fresh, "infra", "node", "package-lock.json"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := checkAmazon(t.Context(), fresh, t.TempDir(), []string{good}); err == nil ||
		!strings.Contains(err.Error(), "older than") || !strings.Contains(err.Error(), "./infra/node-tools.sh") {
		t.Errorf("stale .cache/node: got %v, want it to say to run ./infra/node-tools.sh", err)
	}
}

func TestCheckAmazonNeedsNode(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := checkAmazon(t.Context(), root, t.TempDir(), []string{good}); err == nil ||
		!strings.Contains(err.Error(), "node is not installed") || !strings.Contains(err.Error(), "./infra/node-tools.sh") {
		t.Errorf("got %v, want it to say node is missing and to run ./infra/node-tools.sh", err)
	}
}

// BenchmarkCheckAmazon100 checks a batch of 100 documents per op: one node process.
func BenchmarkCheckAmazon100(b *testing.B) {
	docs := make([]string, 100)
	for i := range docs {
		docs[i] = fmt.Sprintf(`<speak>Rep %d. <break time="10s"/> <break time="%dms"/> Next &amp; last.</speak>`, i, 100+i)
	}
	for b.Loop() {
		CheckAmazon(b, docs)
	}
}

// recorder is a testing.TB that keeps what CheckAmazon reports instead of failing the test.
type recorder struct {
	testing.TB
	errors []string
	fatal  string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) {
	r.fatal = fmt.Sprint(args...)
	runtime.Goexit()
}

// record runs check on a recorder, in a goroutine of its own so that Fatal can end it.
func record(t *testing.T, check func(testing.TB)) *recorder {
	rec := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(rec)
	}()
	<-done
	return rec
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
