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
	var b strings.Builder
	var pending time.Duration
	line := false // something is written on the current line
	flush := func() {
		if pending == 0 {
			return
		}
		if line {
			b.WriteByte(' ')
		}
		b.WriteString("(" + strconv.FormatFloat(pending.Seconds(), 'f', -1, 64) + " s)\n")
		pending, line = 0, false
	}
	err := ssml.Walk(doc, func(text string) {
		text = strings.Join(strings.Fields(text), " ")
		if text == "" {
			return
		}
		flush()
		if line {
			b.WriteByte(' ')
		}
		b.WriteString(text)
		line = true
	}, func(d time.Duration) { pending += d })
	if err != nil {
		return "(invalid SSML: " + err.Error() + ")"
	}
	flush()
	return strings.TrimSuffix(b.String(), "\n")
}
