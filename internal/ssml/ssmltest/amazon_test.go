package ssmltest

import (
	"fmt"
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
