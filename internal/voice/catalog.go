package voice

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Args are the values a message can name. In a catalog, {side}, {count}, {seconds}, {move},
// {rep} and {minutes} are spelled as words ("two"), {#side}, {#count} and so on as digits,
// {nth} is Count as an ordinal word ("fifth"); {arm} is the side's working arm and {movename} the movement's name, both in the
// catalog's own words.
type Args struct {
	Side    int // 1 or 2
	Count   int // also chooses the message's plural form
	Seconds int
	Move    int // 1, 2 or 3
	Rep     int
	Minutes int
	At      time.Time // {time}: a time of day, in the catalog's format and At's own zone
	// Person is a recognised speaker's person ID: {name} stays in the text as it is, for
	// the render step to put Alexa's own name tag in its place.
	Person string
}

// Catalog is every sentence of the skill in one locale.
type Catalog struct {
	Locale     string
	tag        language.Tag
	numbers    []string
	ordinals   []string
	timeFormat string
	// WeekStart is the first day of the locale's week.
	WeekStart time.Weekday
	messages  [numKeys]message
}

// message is one key's words: a single text, or forms chosen by Args.Count ("=0", "=1",
// … for exact counts, then CLDR plural categories "one", "other", …).
type message map[string]string

type file struct {
	Locale     string         `json:"locale"`
	Numbers    []string       `json:"numbers"`
	Ordinals   []string       `json:"ordinals"`
	TimeFormat string         `json:"timeFormat"` // a Go time layout for {time}
	WeekStart  string         `json:"weekStart"`  // "sunday" or "monday"
	Messages   map[string]any `json:"messages"`   // a string, or an object of strings
}

//go:embed catalogs/*.json
var files embed.FS

// DefaultLocale is what a request in a locale without a catalog is answered in.
const DefaultLocale = "en-US"

// entry is a locale's catalog, read on first use: a cold start parses only the locales
// its requests come in.
type entry struct {
	locale string
	tag    language.Tag
	get    func() *Catalog
}

var (
	catalogs []*entry // catalogs[0] is DefaultLocale's
	matcher  language.Matcher
)

func init() {
	names, err := files.ReadDir("catalogs")
	if err != nil {
		panic(err)
	}
	var tags []language.Tag
	for _, n := range names {
		name := n.Name()
		locale := strings.TrimSuffix(name, ".json")
		e := &entry{locale: locale, tag: language.Make(locale), get: sync.OnceValue(func() *Catalog {
			raw, err := files.ReadFile(path.Join("catalogs", name))
			if err != nil {
				panic(err)
			}
			c, err := Parse(raw)
			if err == nil && c.Locale != locale {
				err = fmt.Errorf("locale %q in a file named for %q", c.Locale, locale)
			}
			if err != nil {
				panic(fmt.Sprintf("voice catalog %s: %v", name, err)) // caught by TestEveryKeyRenders
			}
			return c
		})}
		if locale == DefaultLocale {
			catalogs = append([]*entry{e}, catalogs...)
		} else {
			catalogs = append(catalogs, e)
		}
	}
	for _, e := range catalogs {
		tags = append(tags, e.tag)
	}
	matcher = language.NewMatcher(tags)
}

// Parse reads a catalog file. It fails unless the file gives words for every key, names
// no key that does not exist, and uses only the placeholders Args defines.
func Parse(raw []byte) (*Catalog, error) {
	var f file
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, err
	}
	tag, err := language.Parse(f.Locale)
	if err != nil {
		return nil, fmt.Errorf("locale %q: %w", f.Locale, err)
	}
	if len(f.Numbers) < 21 {
		return nil, fmt.Errorf("numbers: %d words, want zero to twenty at least", len(f.Numbers))
	}
	if len(f.Ordinals) < 21 {
		return nil, fmt.Errorf("ordinals: %d words, want zeroth to twentieth at least", len(f.Ordinals))
	}
	if f.TimeFormat == "" {
		return nil, errors.New("no timeFormat")
	}
	c := &Catalog{Locale: f.Locale, tag: tag, numbers: f.Numbers, ordinals: f.Ordinals, timeFormat: f.TimeFormat}
	switch f.WeekStart {
	case "sunday":
		c.WeekStart = time.Sunday
	case "monday":
		c.WeekStart = time.Monday
	default:
		return nil, fmt.Errorf("weekStart %q: want sunday or monday", f.WeekStart)
	}
	byName := make(map[string]Key, numKeys)
	for _, k := range Keys() {
		byName[k.String()] = k
	}
	for name, raw := range f.Messages {
		k, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("message %q is not a voice.Key", name)
		}
		m, err := parseMessage(raw)
		if err != nil {
			return nil, fmt.Errorf("message %q: %w", name, err)
		}
		c.messages[k] = m
	}
	for _, k := range Keys() {
		if c.messages[k] == nil {
			return nil, fmt.Errorf("message %q is missing", k)
		}
	}
	return c, nil
}

func parseMessage(raw any) (message, error) {
	m := message{}
	switch v := raw.(type) {
	case string:
		m["other"] = v
	case map[string]any:
		for form, text := range v {
			s, ok := text.(string)
			if !ok {
				return nil, fmt.Errorf("form %q is not a string", form)
			}
			m[form] = s
		}
	default:
		return nil, fmt.Errorf("want a string or an object of plural forms")
	}
	if m["other"] == "" {
		return nil, fmt.Errorf(`no "other" form`)
	}
	for form, text := range m {
		if !validForm(form) {
			return nil, fmt.Errorf("unknown plural form %q", form)
		}
		if strings.TrimSpace(text) == "" {
			return nil, fmt.Errorf("form %q is empty", form)
		}
		if err := checkPlaceholders(text); err != nil {
			return nil, err
		}
	}
	return m, nil
}

var pluralForms = map[plural.Form]string{
	plural.Zero: "zero", plural.One: "one", plural.Two: "two", plural.Few: "few", plural.Many: "many", plural.Other: "other",
}

func validForm(form string) bool {
	if n, ok := strings.CutPrefix(form, "="); ok {
		_, err := strconv.Atoi(n)
		return err == nil
	}
	for _, f := range pluralForms {
		if f == form {
			return true
		}
	}
	return false
}

var placeholders = map[string]bool{
	"side": true, "#side": true, "count": true, "#count": true, "seconds": true, "#seconds": true,
	"move": true, "#move": true, "rep": true, "#rep": true, "minutes": true, "#minutes": true, "nth": true, "time": true, "name": true,
	"arm": true, "movename": true,
}

func checkPlaceholders(text string) error {
	rest := text
	for {
		open := strings.IndexAny(rest, "{}")
		if open < 0 {
			return nil
		}
		if rest[open] == '}' {
			return fmt.Errorf("unmatched } in %q", text)
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return fmt.Errorf("unclosed { in %q", text)
		}
		if name := rest[open+1 : open+end]; !placeholders[name] {
			return fmt.Errorf("unknown placeholder {%s} in %q", name, text)
		}
		rest = rest[open+end+1:]
	}
}

// For returns the catalog for a request's locale: the best match among the catalogs (en-IN
// finds en-GB before en-US, say), else DefaultLocale's. exact is false when the locale has
// no catalog of its own, so that the caller can log it.
func For(locale string) (c *Catalog, exact bool) {
	for _, e := range catalogs {
		if e.locale == locale {
			return e.get(), true // the usual case, without matching
		}
	}
	tag, err := language.Parse(locale)
	if err != nil {
		return catalogs[0].get(), false
	}
	_, i, conf := matcher.Match(tag)
	if conf == language.No {
		return catalogs[0].get(), false
	}
	return catalogs[i].get(), catalogs[i].locale == locale
}

// Locales lists the locales that have a catalog, DefaultLocale first.
func Locales() []string {
	out := make([]string, len(catalogs))
	for i, e := range catalogs {
		out[i] = e.locale
	}
	return out
}

// Text is key's words with args filled in, as plain text: the caller escapes it for SSML.
// The first letter is a capital, as every message is a sentence or starts one.
func (c *Catalog) Text(k Key, a Args) string {
	if k <= None || k >= numKeys {
		return ""
	}
	m := c.messages[k]
	text, ok := m["="+strconv.Itoa(a.Count)]
	if !ok {
		form := plural.Cardinal.MatchPlural(c.tag, a.Count, 0, 0, 0, 0)
		if text, ok = m[pluralForms[form]]; !ok {
			text = m["other"]
		}
	}
	return capitalize(c.fill(text, a))
}

func (c *Catalog) fill(text string, a Args) string {
	if !strings.Contains(text, "{") {
		return text
	}
	var b strings.Builder
	for {
		open := strings.IndexByte(text, '{')
		if open < 0 {
			b.WriteString(text)
			return b.String()
		}
		end := strings.IndexByte(text[open:], '}') // Parse made sure there is one
		b.WriteString(text[:open])
		b.WriteString(c.value(text[open+1:open+end], a))
		text = text[open+end+1:]
	}
}

func (c *Catalog) value(name string, a Args) string {
	digits := strings.HasPrefix(name, "#")
	var n int
	switch strings.TrimPrefix(name, "#") {
	case "side":
		n = a.Side
	case "count":
		n = a.Count
	case "seconds":
		n = a.Seconds
	case "move":
		n = a.Move
	case "rep":
		n = a.Rep
	case "minutes":
		n = a.Minutes
	case "arm":
		if a.Side == 2 {
			return c.messages[ArmLeft]["other"]
		}
		return c.messages[ArmRight]["other"]
	case "nth":
		if a.Count >= 0 && a.Count < len(c.ordinals) {
			return c.ordinals[a.Count]
		}
		return strconv.Itoa(a.Count) + "th"
	case "time":
		return a.At.Format(c.timeFormat)
	case "name":
		return "{name}"
	case "movename":
		if k := MoveName(a.Move); k != None {
			return c.messages[k]["other"]
		}
		return ""
	}
	if digits || n < 0 || n >= len(c.numbers) {
		return strconv.Itoa(n)
	}
	return c.numbers[n]
}

// MoveExplain is the key of movement move's explanation, for questions about it.
func MoveExplain(move int) Key {
	if move < 1 || move > 3 {
		return None
	}
	return MoveExplain1 + Key(move-1)
}

// Tips is how many everyday tips the catalogs hold; Tip(i) is the key of tip i, from 0.
const Tips = 6

// Tip is the key of everyday tip i (0 to Tips-1).
func Tip(i int) Key {
	if i < 0 || i >= Tips {
		return None
	}
	return Tip1 + Key(i)
}

// MoveName, MoveSetup and MoveCue are the keys of movement move (1 to 3); cue counts from 1
// and wraps around the three cues.
func MoveName(move int) Key  { return moveKey(move, 0) }
func MoveSetup(move int) Key { return moveKey(move, 1) }
func MoveCue(move, cue int) Key {
	return moveKey(move, 2+(cue-1)%CuesPerMove)
}

// CuesPerMove is how many rep cues each movement has.
const CuesPerMove = 3

func moveKey(move, offset int) Key {
	if move < 1 || move > 3 {
		return None
	}
	return Move1Name + Key((move-1)*(2+CuesPerMove)+offset)
}

func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}
