package ssml

import (
	"encoding/xml"
	"errors"
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
	// MaxAudio is the most <audio> clips one response may play.
	MaxAudio = 5
)

var (
	// ErrTooLong means the speech reached MaxChars.
	ErrTooLong = errors.New("ssml: speech reaches 8,000 characters")
	// ErrTooManyAudio means the speech holds more than MaxAudio <audio> clips.
	ErrTooManyAudio = errors.New("ssml: more than 5 <audio> clips")
)

// Builder assembles one <speak> document. The zero value is ready to use.
type Builder struct {
	b     strings.Builder
	runes int // characters in b, kept as it grows: counting a side's kilobytes per turn shows
}

// Say appends text, escaped, separated from what came before by a space.
func (s *Builder) Say(text string) *Builder {
	text = strings.TrimSpace(text)
	if text == "" {
		return s
	}
	s.space()
	before := s.b.Len()
	xml.EscapeText(&s.b, []byte(text))
	s.runes += utf8.RuneCountInString(s.b.String()[before:])
	return s
}

// Pause appends silence of d, rounded to the millisecond, as breaks of at most MaxBreak.
func (s *Builder) Pause(d time.Duration) *Builder {
	d = d.Round(time.Millisecond)
	for d > 0 {
		part := min(d, MaxBreak)
		s.space()
		before := s.b.Len()
		s.b.WriteString(`<break time="`)
		if part%time.Second == 0 {
			s.b.WriteString(strconv.Itoa(int(part / time.Second)))
			s.b.WriteString(`s"/>`)
		} else {
			s.b.WriteString(strconv.Itoa(int(part / time.Millisecond)))
			s.b.WriteString(`ms"/>`)
		}
		s.runes += s.b.Len() - before // ASCII only
		d -= part
	}
	return s
}

// Name appends Alexa's tag for the first name of the recognised speaker personID, which
// Alexa speaks in its place.
func (s *Builder) Name(personID string) *Builder {
	s.space()
	before := s.b.Len()
	s.b.WriteString(`<alexa:name type="first" personId="`)
	xml.EscapeText(&s.b, []byte(personID))
	s.b.WriteString(`"/>`)
	s.runes += utf8.RuneCountInString(s.b.String()[before:])
	return s
}

// Audio appends a clip, src being an https URL or a soundbank:// sound of Alexa's library.
func (s *Builder) Audio(src string) *Builder {
	s.space()
	before := s.b.Len()
	s.b.WriteString(`<audio src="`)
	xml.EscapeText(&s.b, []byte(src))
	s.b.WriteString(`"/>`)
	s.runes += utf8.RuneCountInString(s.b.String()[before:])
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
	s.runes += other.runes
	return s
}

func (s *Builder) space() {
	if s.b.Len() > 0 {
		s.b.WriteByte(' ')
		s.runes++
	}
}

// Len is the length in characters of the document Build would return.
func (s *Builder) Len() int {
	return s.runes + len("<speak></speak>")
}

// Build returns the <speak> document, or ErrTooLong if Alexa would refuse it.
func (s *Builder) Build() (string, error) {
	if s.Len() >= MaxChars {
		return "", ErrTooLong
	}
	return "<speak>" + s.b.String() + "</speak>", nil
}
