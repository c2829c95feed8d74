package device

import (
	"strconv"
	"strings"
	"time"

	"github.com/spine-opener/spine-opener/internal/ssml"
)

// Words is what an SSML document says, as a reader would follow it: the text, with each
// pause shown as "(5 s)" closing its line. Invalid SSML is shown as such, for Alexa would
// say nothing.
func Words(doc string) string {
	lines, err := Lines(doc)
	if err != nil {
		return "(invalid SSML: " + err.Error() + ")"
	}
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.String())
	}
	return b.String()
}

// Line is one line of Words: what is said, then the pause that closes it (0 for none, which
// only the last line of a speech can have).
type Line struct {
	Text  string // the words, spaces collapsed; "" for a pause that opens a speech
	Pause time.Duration
	Clips int // sound clips played after the words, with the pause
}

// String is the line as Words shows it.
func (l Line) String() string {
	if l.Pause == 0 {
		return l.Text
	}
	p := "(" + strconv.FormatFloat(l.Pause.Seconds(), 'f', -1, 64) + " s)"
	if l.Text == "" {
		return p
	}
	return l.Text + " " + p
}

// Lines is an SSML document as the lines of Words, for a player that speaks each line and
// then waits its pause out (and plays its clips). Breaks in a row make one pause.
func Lines(doc string) ([]Line, error) {
	var lines []Line
	var cur Line
	open := false // cur has text or a pause
	err := ssml.Visit(doc, ssml.Visitor{Text: func(text string) {
		text = strings.Join(strings.Fields(text), " ")
		if text == "" {
			return
		}
		if cur.Pause > 0 || cur.Clips > 0 {
			lines = append(lines, cur)
			cur = Line{}
		}
		if cur.Text != "" {
			cur.Text += " "
		}
		cur.Text += text
		open = true
	}, Pause: func(d time.Duration) {
		cur.Pause += d
		open = open || d > 0
	}, Clip: func(string) {
		cur.Clips++
		open = true
	}})
	if err != nil {
		return nil, err
	}
	if open {
		lines = append(lines, cur)
	}
	return lines, nil
}
