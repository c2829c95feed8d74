package screentest

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

var (
	good = json.RawMessage(`{"type":"APL","version":"1.6","mainTemplate":{"parameters":["payload"],"item":{"type":"Text","text":"${payload.title}"}}}`)
	bad  = json.RawMessage(`{"type":"APL","version":"1.6","mainTemplate":{"item":{"type":"Text","text":"x","fontSize":"huge"}}}`)
)

// The checker must say no to what Alexa would refuse, or CheckAPL would pass anything.
func TestAPLErrorsRefusesBadDocuments(t *testing.T) {
	tests := []struct {
		name string
		item string
		want string // a fragment of the errors
	}{
		{"bad dimension", string(bad), `"path":"/mainTemplate/item/fontSize"`},
		{"unknown component", `{"type":"APL","version":"1.6","mainTemplate":{"item":{"type":"Txt"}}}`, `no component or layout of type \"Txt\"`},
		{"no version", `{"type":"APL","mainTemplate":{"item":{"type":"Text"}}}`, `required property 'version'`},
		{"bad command in onPress", `{"type":"APL","version":"1.6","mainTemplate":{"item":{"type":"TouchWrapper","onPress":[{"type":"SendEvnt"}],"item":{"type":"Text"}}}}`, `no command of type \"SendEvnt\"`},
		{"SetValue without a value", `{"type":"APL","version":"1.6","mainTemplate":{"item":{"type":"Text"}},"onMount":[{"type":"SetValue","componentId":"a","property":"b"}]}`, `required property 'value'`},
		{"bad AVG", `{"type":"APL","version":"1.6","graphics":{"g":{"type":"AVG","version":"1.2","width":1,"height":1,"items":[{"type":"pth"}]}},"mainTemplate":{"item":{"type":"VectorGraphic","source":"g"}}}`, `path,group,text`},
		{"RenderDocument without a token", `{"type":"Alexa.Presentation.APL.RenderDocument","document":` + string(good) + `}`, `needs a token`},
		{"RenderDocument data source not an object", `{"type":"Alexa.Presentation.APL.RenderDocument","token":"t","document":` + string(good) + `,"datasources":{"payload":1}}`, `should be an object`},
		{"ExecuteCommands with a bad delay", `{"type":"Alexa.Presentation.APL.ExecuteCommands","token":"t","commands":[{"type":"Idle","delay":"soon"}]}`, `should be number`},
		{"not APL", `{"type":"Display.RenderTemplate"}`, `not an APL document or directive`},
	}
	items := []json.RawMessage{good}
	for _, tt := range tests {
		items = append(items, json.RawMessage(tt.item))
	}
	errs := APLErrors(t, items)
	if errs[0] != "" {
		t.Errorf("good document refused: %s", errs[0])
	}
	for i, tt := range tests {
		if got := errs[i+1]; !strings.Contains(got, tt.want) {
			t.Errorf("%s: got errors %q, want them to contain %q", tt.name, got, tt.want)
		}
	}
}

func TestCheckAPLReportsEachRefusal(t *testing.T) {
	rec := record(t, func(tb testing.TB) { CheckAPL(tb, []json.RawMessage{good, bad, good}) })
	if rec.fatal != "" {
		t.Fatalf("got fatal %q, want one error", rec.fatal)
	}
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "item 1") || !strings.Contains(rec.errors[0], "fontSize") {
		t.Errorf("got errors %q, want one for item 1 naming its fontSize", rec.errors)
	}
}

func TestCheckAPLFailsWithoutItems(t *testing.T) {
	rec := record(t, func(tb testing.TB) { CheckAPL(tb, nil) })
	if !strings.Contains(rec.fatal, "no APL documents") {
		t.Errorf("got fatal %q, want it to say there was nothing to check", rec.fatal)
	}
}

// BenchmarkCheckAPL20 checks a batch of 20 documents per op: one node process.
func BenchmarkCheckAPL20(b *testing.B) {
	items := make([]json.RawMessage, 20)
	for i := range items {
		items[i] = json.RawMessage(fmt.Sprintf(`{"type":"APL","version":"1.6","mainTemplate":{"item":{"type":"Text","text":"%d","fontSize":"%dvh"}}}`, i, i+1))
	}
	for b.Loop() {
		CheckAPL(b, items)
	}
}

// recorder is a testing.TB that keeps what CheckAPL reports instead of failing the test.
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
