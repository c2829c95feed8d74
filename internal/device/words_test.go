package device

import (
	"strings"
	"testing"
	"time"
)

func TestWords(t *testing.T) {
	for _, tt := range []struct{ doc, want string }{
		{`<speak>Hello.</speak>`, "Hello."},
		{`<speak>One. <break time="5s"/> Two. <break time="5s"/><break time="2s"/>Three.</speak>`, "One. (5 s)\nTwo. (7 s)\nThree."},
		{`<speak><break time="3s"/>Go. <emphasis>Now</emphasis> then.<break time="1.5s"/></speak>`, "(3 s)\nGo. Now then. (1.5 s)"},
		{`<speak>  a   b <break strength="weak"/> c</speak>`, "a b c"},
		{`<speak></speak>`, ""},
		{`<speak>bad`, "(invalid SSML: ssml: XML syntax error on line 1: unexpected EOF)"},
	} {
		if got := Words(tt.doc); got != tt.want {
			t.Errorf("%s:\ngot  %q\nwant %q", tt.doc, got, tt.want)
		}
	}
}

func TestLines(t *testing.T) {
	lines, err := Lines(`<speak>Side one. <break time="3s"/>One. Up. <break time="5s"/><audio src="soundbank://x"/>Done.</speak>`)
	if err != nil {
		t.Fatal(err)
	}
	want := []Line{{Text: "Side one.", Pause: 3 * time.Second}, {Text: "One. Up.", Pause: 5 * time.Second, Clips: 1}, {Text: "Done."}}
	if len(lines) != len(want) {
		t.Fatalf("got %v, want %v", lines, want)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d: got %+v, want %+v", i, lines[i], want[i])
		}
	}
	if _, err := Lines("<speak>"); err == nil || !strings.Contains(err.Error(), "ssml") {
		t.Errorf("invalid SSML: got %v", err)
	}
}
