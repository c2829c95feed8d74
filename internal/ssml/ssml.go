package ssml

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Alexa's limits on speech.
const (
	// MaxBreak is the longest single <break>; longer silences are chained breaks.
	MaxBreak = 10 * time.Second
	// MaxChars bounds a whole outputSpeech document: it must stay below this many characters.
	MaxChars = 8000
)

// ErrTooLong means the speech reached MaxChars.
var ErrTooLong = errors.New("ssml: speech reaches 8,000 characters")

// Builder assembles one <speak> document. The zero value is ready to use.
type Builder struct {
	b strings.Builder
}

// Say appends text, escaped, separated from what came before by a space.
func (s *Builder) Say(text string) *Builder {
	text = strings.TrimSpace(text)
	if text == "" {
		return s
	}
	s.space()
	xml.EscapeText(&s.b, []byte(text))
	return s
}

// Pause appends silence of d, rounded to the millisecond, as breaks of at most MaxBreak.
func (s *Builder) Pause(d time.Duration) *Builder {
	d = d.Round(time.Millisecond)
	for d > 0 {
		part := min(d, MaxBreak)
		s.space()
		s.b.WriteString(`<break time="`)
		if part%time.Second == 0 {
			s.b.WriteString(strconv.Itoa(int(part / time.Second)))
			s.b.WriteString(`s"/>`)
		} else {
			s.b.WriteString(strconv.Itoa(int(part / time.Millisecond)))
			s.b.WriteString(`ms"/>`)
		}
		d -= part
	}
	return s
}

// Append appends what another Builder holds. Its text was escaped when it was added, so a
// Builder made once can be reused as part of many documents.
func (s *Builder) Append(other *Builder) *Builder {
	if other.b.Len() == 0 {
		return s
	}
	s.space()
	s.b.WriteString(other.b.String())
	return s
}

func (s *Builder) space() {
	if s.b.Len() > 0 {
		s.b.WriteByte(' ')
	}
}

// Len is the length in characters of the document Build would return.
func (s *Builder) Len() int {
	return utf8.RuneCountInString(s.b.String()) + len("<speak></speak>")
}

// Build returns the <speak> document, or ErrTooLong if Alexa would refuse it.
func (s *Builder) Build() (string, error) {
	if s.Len() >= MaxChars {
		return "", ErrTooLong
	}
	return "<speak>" + s.b.String() + "</speak>", nil
}

// Walk reads an SSML document, calling text for each run of character data and pause for
// each <break>. It fails on anything Alexa would refuse: malformed XML, a root other than
// <speak>, a break time it cannot read or longer than MaxBreak, or MaxChars or more.
// Either callback may be nil.
func Walk(doc string, text func(string), pause func(time.Duration)) error {
	if n := utf8.RuneCountInString(doc); n >= MaxChars {
		return fmt.Errorf("%w (%d)", ErrTooLong, n)
	}
	dec := xml.NewDecoder(strings.NewReader(doc))
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("ssml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 && t.Name.Local != "speak" {
				return fmt.Errorf("ssml: root is <%s>, want <speak>", t.Name.Local)
			}
			depth++
			if t.Name.Local == "break" {
				d, err := breakTime(t)
				if err != nil {
					return err
				}
				if pause != nil {
					pause(d)
				}
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 {
				if strings.TrimSpace(string(t)) != "" {
					return errors.New("ssml: text outside <speak>")
				}
				continue
			}
			if text != nil {
				text(string(t))
			}
		}
	}
	if depth != 0 {
		return errors.New("ssml: unclosed element")
	}
	return nil
}

func breakTime(el xml.StartElement) (time.Duration, error) {
	for _, a := range el.Attr {
		if a.Name.Local != "time" {
			continue
		}
		var d time.Duration
		var err error
		switch {
		case strings.HasSuffix(a.Value, "ms"):
			var n int
			n, err = strconv.Atoi(strings.TrimSuffix(a.Value, "ms"))
			d = time.Duration(n) * time.Millisecond
		case strings.HasSuffix(a.Value, "s"):
			var f float64
			f, err = strconv.ParseFloat(strings.TrimSuffix(a.Value, "s"), 64)
			d = time.Duration(f * float64(time.Second))
		default:
			err = errors.New("no unit")
		}
		if err != nil || d < 0 {
			return 0, fmt.Errorf("ssml: break time %q is not a duration", a.Value)
		}
		if d > MaxBreak {
			return 0, fmt.Errorf("ssml: break of %v is longer than %v", d, MaxBreak)
		}
		return d, nil
	}
	return 0, nil // a break by strength only; Alexa allows it
}

// Validate reports whether Alexa would accept doc as outputSpeech.
func Validate(doc string) error {
	return Walk(doc, nil, nil)
}
