package console

import (
	"bytes"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"
)

// screen is the terminal in real time: raw mode, with golang.org/x/term's line editor, so
// that the live line can be redrawn every second while the user types under it. The live
// line is the prompt; what the user types follows it.
type screen struct {
	*term.Terminal
	width   int
	restore func()
}

// openScreen puts the terminal on in and out in raw mode. In raw mode Ctrl-C is a key, not a
// signal: interrupt is called when it is pressed.
func openScreen(in, out *os.File, interrupt func()) (*screen, error) {
	old, err := term.MakeRaw(int(in.Fd()))
	if err != nil {
		return nil, err
	}
	t := term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{ctrlC{in, interrupt}, out}, prompt)
	s := &screen{Terminal: t, width: 80, restore: func() {
		out.WriteString("\r\x1b[K") // the live line goes with the console
		term.Restore(int(in.Fd()), old)
	}}
	if w, h, err := term.GetSize(int(out.Fd())); err == nil {
		s.width = w
		t.SetSize(w, h)
	}
	return s, nil
}

const prompt = "You: "

// Write shows output above the live line, each line wrapped at the terminal's width under
// the "Alexa: " it follows.
func (s *screen) Write(p []byte) (int, error) {
	var b strings.Builder
	for _, line := range strings.SplitAfter(string(p), "\n") {
		b.WriteString(wrap(line, s.width, "       "))
	}
	if _, err := s.Terminal.Write([]byte(b.String())); err != nil {
		return 0, err
	}
	return len(p), nil
}

// wrap breaks line at spaces so that no row is wider than width, indenting the rows after
// the first. A word wider than a row is left for the terminal to break.
func wrap(line string, width int, indent string) string {
	body := strings.TrimSuffix(line, "\n")
	end := line[len(body):]
	if utf8.RuneCountInString(body) <= width || width < len(indent)+20 {
		return line
	}
	trimmed := strings.TrimLeft(body, " ")
	row := body[:len(body)-len(trimmed)] // the line's own indent
	n, fresh := len(row), true
	var b strings.Builder
	for _, w := range strings.Fields(strings.ReplaceAll(trimmed, " s)", "\x00s)")) { // "(5 s)" stays whole
		w = strings.ReplaceAll(w, "\x00", " ")
		wn := utf8.RuneCountInString(w)
		if !fresh && n+1+wn > width {
			b.WriteString(row + "\n")
			row, n, fresh = indent, len(indent), true
		}
		if !fresh {
			row += " "
			n++
		}
		row += w
		n += wn
		fresh = false
	}
	return b.String() + row + end
}

// live shows status as the prompt: "[side one, right arm · …] You: ".
func (s *screen) live(status string) {
	p := prompt
	if status != "" {
		room := s.width - len(prompt) - 4
		if utf8.RuneCountInString(status) > room {
			status = string([]rune(status)[:max(room-1, 0)]) + "…"
		}
		p = "[" + status + "] " + prompt
	}
	s.SetPrompt(p)
	s.Write(nil) // redraws the prompt and what is typed after it
}

// ctrlC reads keys, calling interrupt when Ctrl-C is among them. It calls it before the
// terminal sees the key (and ends its input), so that the console knows why input ended.
type ctrlC struct {
	r         io.Reader
	interrupt func()
}

func (c ctrlC) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if bytes.IndexByte(p[:n], 3) >= 0 {
		c.interrupt()
	}
	return n, err
}
