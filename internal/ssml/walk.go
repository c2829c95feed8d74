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

// Walk reads an SSML document, calling text for each run of character data inside <speak>
// and pause for each <break> (with its time, or 0 for a break given only a strength). Either
// callback may be nil.
//
// It fails on anything Alexa would refuse or that this skill cannot vouch for: malformed
// XML; anything but exactly one <speak> root; comments, processing instructions and
// directives; an element that is not one of Alexa's SSML tags (see tags) or an attribute
// that tag does not take, given twice, or missing where required; a break time other than
// whole or decimal seconds ("5s", "1.5s") or whole milliseconds ("500ms") of at most
// MaxBreak; a break strength other than Alexa's six; more than MaxAudio <audio> clips; and
// MaxChars or more characters.
//
// Prefixed names such as amazon:effect and alexa:name are written without a namespace
// declaration in Alexa's SSML; encoding/xml then keeps the prefix as Name.Space, and Walk
// matches them by prefix. Namespace declarations (xmlns) are rejected, so that a prefix
// always means what it says.
func Walk(doc string, text func(string), pause func(time.Duration)) error {
	return Visit(doc, Visitor{Text: text, Pause: pause})
}

// Visitor is what Visit calls as it reads a document; any of them may be nil.
type Visitor struct {
	Text  func(string)        // each run of character data inside <speak>
	Pause func(time.Duration) // each <break>
	Clip  func(src string)    // each <audio>
}

// Visit is Walk, also telling v of each sound clip.
func Visit(doc string, v Visitor) error {
	text, pause := v.Text, v.Pause
	if n := utf8.RuneCountInString(doc); n >= MaxChars {
		return fmt.Errorf("%w (%d)", ErrTooLong, n)
	}
	dec := xml.NewDecoder(strings.NewReader(doc))
	var open []string // the elements around the current token, outermost first
	roots, clips := 0, 0
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
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
					return fmt.Errorf("ssml: namespace declaration %s=%q: Alexa's SSML has none", qualified(a.Name), a.Value)
				}
			}
			name := qualified(t.Name)
			if len(open) == 0 {
				if roots++; roots > 1 {
					return fmt.Errorf("ssml: a second root element <%s> after </speak>", name)
				}
				if name != "speak" {
					return fmt.Errorf("ssml: root is <%s>, want <speak>", name)
				}
			} else {
				if name == "speak" {
					return errors.New("ssml: <speak> inside <speak>")
				}
				if parent := open[len(open)-1]; tags[parent].empty {
					return fmt.Errorf("ssml: <%s> inside <%s>, which must be empty", name, parent)
				}
			}
			tag, ok := tags[name]
			if !ok {
				return fmt.Errorf("ssml: <%s> is not an SSML tag Alexa supports", name)
			}
			if err := tag.check(name, t.Attr); err != nil {
				return err
			}
			open = append(open, name)
			switch name {
			case "break":
				d, err := breakPause(t)
				if err != nil {
					return err
				}
				if pause != nil {
					pause(d)
				}
			case "audio":
				if clips++; clips > MaxAudio {
					return fmt.Errorf("%w (%d)", ErrTooManyAudio, clips)
				}
				if v.Clip != nil {
					for _, a := range t.Attr {
						if a.Name.Local == "src" {
							v.Clip(a.Value)
						}
					}
				}
			}
		case xml.EndElement:
			open = open[:len(open)-1]
		case xml.CharData:
			blank := strings.TrimSpace(string(t)) == ""
			if len(open) == 0 {
				if !blank {
					return errors.New("ssml: text outside <speak>")
				}
				continue
			}
			if inner := open[len(open)-1]; !blank && tags[inner].empty {
				return fmt.Errorf("ssml: text inside <%s>, which must be empty", inner)
			}
			if text != nil {
				text(string(t))
			}
		case xml.Comment:
			return errors.New("ssml: comments are not allowed")
		case xml.ProcInst:
			return fmt.Errorf("ssml: <?%s?> is not allowed", t.Target)
		case xml.Directive:
			return errors.New("ssml: <!…> directives are not allowed")
		}
	}
	if roots == 0 {
		return errors.New("ssml: no <speak> element")
	}
	return nil
}

// Validate reports whether Alexa would accept doc as outputSpeech, by the rules of Walk.
func Validate(doc string) error {
	return Walk(doc, nil, nil)
}

// tag is what Alexa accepts of one SSML element.
type tag struct {
	attrs map[string]attr // the attributes it takes, by qualified name
	empty bool            // it holds no text and no elements
}

// attr is what Alexa accepts of one attribute.
type attr struct {
	required bool
	valid    func(string) error // nil accepts any value
}

// tags are the elements of Alexa's SSML reference (and alexa:name, from "Add Personalized
// Greetings or Prompts"), by qualified name. Attribute values are checked where Alexa
// gives a closed list or a format the skill relies on; the rest are left to Amazon's
// side (ssmltest.CheckAmazon).
var tags = map[string]tag{
	"speak": {},
	"break": {empty: true, attrs: map[string]attr{
		"time":     {valid: func(v string) error { _, err := breakTime(v); return err }},
		"strength": {valid: oneOf("strength", "none", "x-weak", "weak", "medium", "strong", "x-strong")},
	}},
	"p":        {},
	"s":        {},
	"emphasis": {attrs: map[string]attr{"level": {valid: oneOf("level", "strong", "moderate", "reduced")}}},
	"prosody":  {attrs: map[string]attr{"rate": {}, "pitch": {}, "volume": {}}},
	"say-as":   {attrs: map[string]attr{"interpret-as": {required: true}, "format": {}}},
	"sub":      {attrs: map[string]attr{"alias": {required: true}}},
	"phoneme": {attrs: map[string]attr{
		"alphabet": {valid: oneOf("alphabet", "ipa", "x-sampa")},
		"ph":       {required: true},
	}},
	"lang":  {attrs: map[string]attr{"xml:lang": {required: true}}},
	"voice": {attrs: map[string]attr{"name": {required: true}}},
	"w":     {attrs: map[string]attr{"role": {required: true}}},
	"audio": {empty: true, attrs: map[string]attr{"src": {required: true, valid: audioSource}}},

	"amazon:effect": {attrs: map[string]attr{"name": {required: true}}},
	"amazon:emotion": {attrs: map[string]attr{
		"name":      {required: true, valid: oneOf("name", "excited", "disappointed")},
		"intensity": {required: true, valid: oneOf("intensity", "low", "medium", "high")},
	}},
	"amazon:domain":       {attrs: map[string]attr{"name": {required: true}}},
	"amazon:auto-breaths": {attrs: map[string]attr{"volume": {}, "frequency": {}, "duration": {}}},
	"amazon:breath":       {empty: true, attrs: map[string]attr{"volume": {}, "duration": {}}},
	"alexa:name": {empty: true, attrs: map[string]attr{
		"type":     {required: true, valid: oneOf("type", "first")},
		"personId": {required: true},
	}},
}

// check reports the first attribute of element name that Alexa would refuse.
func (tg tag) check(name string, attrs []xml.Attr) error {
	seen := make(map[string]bool, len(attrs))
	for _, a := range attrs {
		an := qualified(a.Name)
		spec, ok := tg.attrs[an]
		switch {
		case !ok:
			return fmt.Errorf("ssml: <%s> has no attribute %q", name, an)
		case seen[an]:
			return fmt.Errorf("ssml: <%s> has attribute %q twice", name, an)
		}
		seen[an] = true
		if spec.valid != nil {
			if err := spec.valid(a.Value); err != nil {
				return fmt.Errorf("ssml: <%s>: %w", name, err)
			}
		}
	}
	for an, spec := range tg.attrs {
		if spec.required && !seen[an] {
			return fmt.Errorf("ssml: <%s> needs attribute %q", name, an)
		}
	}
	return nil
}

// qualified names an element or attribute as written: "break", "amazon:effect", "xml:lang".
func qualified(n xml.Name) string {
	switch n.Space {
	case "":
		return n.Local
	case "http://www.w3.org/XML/1998/namespace": // encoding/xml's name for the xml: prefix
		return "xml:" + n.Local
	}
	return n.Space + ":" + n.Local
}

func oneOf(attr string, values ...string) func(string) error {
	return func(v string) error {
		for _, ok := range values {
			if v == ok {
				return nil
			}
		}
		return fmt.Errorf("%s %q is not one of %s", attr, v, strings.Join(values, ", "))
	}
}

// audioSource accepts what Alexa can fetch: an https URL or a Sound Library soundbank:// one.
func audioSource(v string) error {
	for _, scheme := range []string{"https://", "soundbank://"} {
		if rest, ok := strings.CutPrefix(v, scheme); ok && rest != "" {
			return nil
		}
	}
	return fmt.Errorf("src %q is neither https:// nor soundbank://", v)
}

// breakPause is the silence a <break> asks for: its time, or 0 when it gives only a strength.
// tag.check has already vetted its attributes.
func breakPause(el xml.StartElement) (time.Duration, error) {
	for _, a := range el.Attr {
		if a.Name.Space == "" && a.Name.Local == "time" {
			return breakTime(a.Value)
		}
	}
	return 0, nil
}

// breakTime reads a break time as Alexa writes it: whole or decimal seconds ("10s", "1.5s",
// to the millisecond) or whole milliseconds ("1500ms"), digits only (no sign, exponent or
// space), at most MaxBreak.
func breakTime(v string) (time.Duration, error) {
	num, unit := "", time.Second
	switch {
	case strings.HasSuffix(v, "ms"):
		num, unit = strings.TrimSuffix(v, "ms"), time.Millisecond
	case strings.HasSuffix(v, "s"):
		num = strings.TrimSuffix(v, "s")
	default:
		return 0, fmt.Errorf("break time %q is not a duration: it needs the unit s or ms", v)
	}
	whole, frac, decimal := strings.Cut(num, ".")
	if !digits(whole) || decimal && (unit != time.Second || !digits(frac) || len(frac) > 3) {
		return 0, fmt.Errorf("break time %q is not a duration like 5s, 1.5s or 500ms", v)
	}
	n, err := strconv.ParseUint(whole, 10, 64)
	if err != nil || n > uint64(MaxBreak/unit) {
		return 0, fmt.Errorf("break time %q is longer than %v", v, MaxBreak)
	}
	d := time.Duration(n) * unit
	if decimal {
		ms, _ := strconv.Atoi(frac + strings.Repeat("0", 3-len(frac)))
		d += time.Duration(ms) * time.Millisecond
	}
	if d > MaxBreak {
		return 0, fmt.Errorf("break time %q is longer than %v", v, MaxBreak)
	}
	return d, nil
}

// digits reports whether s is one or more ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
