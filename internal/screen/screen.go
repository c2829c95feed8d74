package screen

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Interface is the key of context.System.device.supportedInterfaces that a device with an
// APL screen sends. Send a directive from this package only when it is there.
const Interface = "Alexa.Presentation.APL"

// The directive the package makes, and the request a touch on a screen brings back.
const (
	RenderDocument = "Alexa.Presentation.APL.RenderDocument"
	UserEvent      = "Alexa.Presentation.APL.UserEvent"
)

// Arguments a side screen's buttons send: an Alexa.Presentation.APL.UserEvent request's
// arguments[0]. The handler takes the transitions of the intents with the same meaning.
const (
	ArgNextSide = "next-side" // as AMAZON.NextIntent / "next side"
	ArgStop     = "stop"      // as AMAZON.StopIntent
)

// Version is the APL version of every document: new enough for bound values that SetValue
// changes and for named sequencers, old enough for every Echo Show and Fire TV in use.
const Version = "1.6"

// Supports reports whether a device whose supportedInterfaces["Alexa.Presentation.APL"]
// gives runtime.maxVersion can render the documents (APL Version or newer). An empty
// maxVersion, which some simulators send, counts as new enough.
func Supports(maxVersion string) bool {
	if maxVersion == "" {
		return true
	}
	have, ok := version(maxVersion)
	want, _ := version(Version)
	return ok && (have[0] > want[0] || have[0] == want[0] && have[1] >= want[1])
}

// version is "major.minor" as numbers ("2023.3" → 2023, 3).
func version(v string) ([2]int, bool) {
	var n [2]int
	major, minor, _ := strings.Cut(v, ".")
	var err error
	if n[0], err = strconv.Atoi(major); err != nil {
		return n, false
	}
	if minor != "" {
		if n[1], err = strconv.Atoi(minor); err != nil {
			return n, false
		}
	}
	return n, true
}

// The shape of a side, as package skill counts it.
const (
	Movements = 3
	Reps      = 5
)

// Side is one side of the routine on screen: the movement being done, a drawing of it,
// which arm works, the rep counter and progress through the three movements, with buttons
// for the next side and stop.
type Side struct {
	// Arm says which arm works, in the catalog's words ("Side one: right arm").
	Arm string
	// Left mirrors the drawings, for the left arm.
	Left bool
	// Moves are the three movements; their timing counts only from From on.
	Moves [Movements]Move
	// From is the first movement this response speaks (1 for a whole side); the ones
	// before it are shown as done.
	From int
	// End is when Alexa finishes saying the side, from the start of the response's speech.
	End time.Duration
	// Next and Stop are the buttons' labels.
	Next, Stop string
}

// Move is one movement of a side: its name and when Alexa says each part of it, counted
// from the start of the response's outputSpeech.
type Move struct {
	Name string
	// Start is when Alexa starts the movement's introduction ("Movement two, ...").
	Start time.Duration
	// Reps are when Alexa starts saying each rep's number.
	Reps [Reps]time.Duration
}

// Offer is a screen for a question: carry on or start fresh, start, a gentler pace. Pose,
// when 1 to 3, shows that movement's drawing (mirrored when Left).
type Offer struct {
	Title, Subtitle string
	Pose            int
	Left            bool
}

// Finished is the screen at the end of a routine: today's count and the streak.
type Finished struct {
	Title         string
	Today, Streak Figure
}

// Figure is a number shown large with its label under it ("2", "today").
type Figure struct {
	Value int
	Label string
}

// Help is a screen of what can be said now: a title and a few short lines.
type Help struct {
	Title string
	Lines []string
}

// MaxHelpLines is how many lines a help screen holds legibly on a round hub.
const MaxHelpLines = 5

// SideDirective is the RenderDocument directive for a side: its screen shows the movement
// Alexa is on, its drawing and the rep she is saying, moved on by a timeline in the
// document's onMount (see the package documentation for why that and not APL speech).
//
// For the engine: send it with the side's outputSpeech unchanged, the timing in s taken
// from the same model that makes the speech (offsets from the start of the whole
// outputSpeech, lines before the side included). Send a RenderDocument with every later
// response to the device, so that this screen and its timeline are replaced; a response
// without one leaves the counter running on.
func SideDirective(s Side, token string) (json.RawMessage, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	data := sideData{Screen: screenSide, Arm: s.Arm, Left: s.Left, From: s.From, Next: s.Next, Stop: s.Stop}
	for _, m := range s.Moves {
		data.Moves = append(data.Moves, m.Name)
	}
	return directive(token, docs().side, timeline(s), data)
}

// OfferDirective is the RenderDocument directive for an offer's screen.
func OfferDirective(o Offer, token string) (json.RawMessage, error) {
	if o.Title == "" {
		return nil, errors.New("screen: an offer needs a title")
	}
	if o.Pose < 0 || o.Pose > Movements {
		return nil, fmt.Errorf("screen: offer pose %d, want 0 to %d", o.Pose, Movements)
	}
	return directive(token, docs().card, nil, cardData{Screen: screenOffer, Title: o.Title, Subtitle: o.Subtitle, Pose: o.Pose, Left: o.Left})
}

// FinishedDirective is the RenderDocument directive for the end of a routine.
func FinishedDirective(f Finished, token string) (json.RawMessage, error) {
	if f.Title == "" || f.Today.Label == "" || f.Streak.Label == "" {
		return nil, errors.New("screen: a finished screen needs a title and both labels")
	}
	return directive(token, docs().card, nil, cardData{Screen: screenFinished, Title: f.Title,
		Figures: []figure{{f.Today.Value, f.Today.Label}, {f.Streak.Value, f.Streak.Label}}})
}

// HelpDirective is the RenderDocument directive for a help screen.
func HelpDirective(h Help, token string) (json.RawMessage, error) {
	if h.Title == "" {
		return nil, errors.New("screen: a help screen needs a title")
	}
	if len(h.Lines) > MaxHelpLines {
		return nil, fmt.Errorf("screen: %d help lines, at most %d fit", len(h.Lines), MaxHelpLines)
	}
	return directive(token, docs().card, nil, cardData{Screen: screenHelp, Title: h.Title, Lines: h.Lines})
}

func (s Side) check() error {
	if s.From < 1 || s.From > Movements {
		return fmt.Errorf("screen: side from movement %d, want 1 to %d", s.From, Movements)
	}
	if s.Arm == "" || s.Next == "" || s.Stop == "" {
		return errors.New("screen: a side needs its arm and both button labels")
	}
	last := time.Duration(0)
	for i, m := range s.Moves {
		if m.Name == "" {
			return fmt.Errorf("screen: movement %d has no name", i+1)
		}
		if i+1 < s.From {
			continue
		}
		if m.Start < last {
			return fmt.Errorf("screen: movement %d starts at %v, before %v", i+1, m.Start, last)
		}
		last = m.Start
		for r, at := range m.Reps {
			if at <= last {
				return fmt.Errorf("screen: movement %d rep %d at %v, not after %v", i+1, r+1, at, last)
			}
			last = at
		}
	}
	if s.End < last {
		return fmt.Errorf("screen: side ends at %v, before its last rep at %v", s.End, last)
	}
	return nil
}

// The screens, as the data source names them.
const (
	screenSide     = "side"
	screenOffer    = "offer"
	screenFinished = "finished"
	screenHelp     = "help"
)

// sideData is a side screen's data source: everything shown but the timeline.
type sideData struct {
	Screen string   `json:"screen"`
	Arm    string   `json:"arm"`
	Left   bool     `json:"left"`
	Moves  []string `json:"moves"`
	From   int      `json:"from"`
	Next   string   `json:"next"`
	Stop   string   `json:"stop"`
}

// cardData is the data source of the other screens.
type cardData struct {
	Screen   string   `json:"screen"`
	Title    string   `json:"title"`
	Subtitle string   `json:"subtitle,omitempty"`
	Figures  []figure `json:"figures,omitempty"`
	Lines    []string `json:"lines,omitempty"`
	Pose     int      `json:"pose"`
	Left     bool     `json:"left"`
}

type figure struct {
	Value int    `json:"value"`
	Label string `json:"label"`
}

// directive is the RenderDocument directive, written out by hand around the document,
// which is already compact JSON: encoding it again would only scan it again. Its data
// source is bound to the documents' "payload" parameter.
func directive(token string, doc document, onMount []command, data any) (json.RawMessage, error) {
	if token == "" {
		return nil, errors.New("screen: a directive needs a token")
	}
	tok, err := encode(token)
	if err != nil {
		return nil, err
	}
	payload, err := encode(data)
	if err != nil {
		return nil, err
	}
	var on json.RawMessage
	if len(onMount) > 0 {
		if on, err = encode(onMount); err != nil {
			return nil, err
		}
	}
	var b bytes.Buffer
	b.Grow(len(doc) + len(on) + len(payload) + 128)
	b.WriteString(`{"type":"` + RenderDocument + `","token":`)
	b.Write(tok)
	b.WriteString(`,"document":`)
	if on == nil {
		b.Write(doc)
	} else { // doc is an object: onMount goes in before its closing brace
		b.Write(doc[:len(doc)-1])
		b.WriteString(`,"onMount":`)
		b.Write(on)
		b.WriteByte('}')
	}
	b.WriteString(`,"datasources":{"payload":`)
	b.Write(payload)
	b.WriteString(`}}`)
	return b.Bytes(), nil
}

// encode is json.Marshal without HTML escaping, so that APL expressions keep their < and >.
func encode(v any) (json.RawMessage, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("screen: encode: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// document is an APL document as compact JSON, without onMount.
type document json.RawMessage

//go:embed apl/*.json
var files embed.FS

// docs are the documents, made from apl/ on first use (a cold start of a request from a
// device without a screen never pays for them): common.json's resources, styles, layouts and
// graphics with a screen's mainTemplate.
var docs = sync.OnceValue(func() (d struct{ side, card document }) {
	common := load("common.json")
	d.side, d.card = merge(common, load("side.json")), merge(common, load("card.json"))
	return d
})

// load reads a part of a document from apl/, without its descriptions: they are for the
// people who read the files, and a device has no use for them.
func load(name string) map[string]any {
	b, err := files.ReadFile("apl/" + name)
	if err != nil {
		panic(err)
	}
	var parts map[string]any
	if err := json.Unmarshal(b, &parts); err != nil {
		panic(fmt.Sprintf("screen: apl/%s: %v", name, err))
	}
	return undescribed(parts).(map[string]any)
}

func undescribed(v any) any {
	switch v := v.(type) {
	case map[string]any:
		delete(v, "description")
		for k, e := range v {
			v[k] = undescribed(e)
		}
	case []any:
		for i, e := range v {
			v[i] = undescribed(e)
		}
	}
	return v
}

func merge(a, b map[string]any) document {
	d := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		d[k] = v
	}
	for k, v := range b {
		d[k] = v
	}
	doc, err := encode(d)
	if err != nil {
		panic(err)
	}
	return document(doc)
}
