package screen

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Shown is what a directive from this package puts on the screen, read back from the JSON
// that goes to the device: its data source, the buttons its document wires to that data,
// and the timeline in its onMount. Tests check screens with it; the console prints its
// Describe lines.
type Shown struct {
	Screen string // "side", "offer", "finished" or "help"
	Token  string

	// A side.
	Arm     string
	Left    bool // drawings mirrored
	Moves   []string
	From    int
	Buttons []Button
	Steps   []Step // what the screen shows from when, the first at 0
	End     time.Duration

	// The other screens.
	Title, Subtitle string
	Figures         []Figure
	Lines           []string
	Pose            int
}

// Button is a touch button: its label and the UserEvent argument it sends.
type Button struct {
	Label, Arg string
}

// Step is a change on a side screen: from At on, it shows movement Move and rep Rep (0
// before the movement's first rep).
type Step struct {
	At        time.Duration
	Move, Rep int
}

// Read reads a RenderDocument directive made by this package.
func Read(directive json.RawMessage) (Shown, error) {
	var d struct {
		Type        string `json:"type"`
		Token       string `json:"token"`
		Document    map[string]json.RawMessage
		DataSources struct {
			Payload json.RawMessage `json:"payload"`
		} `json:"datasources"`
	}
	if err := json.Unmarshal(directive, &d); err != nil {
		return Shown{}, fmt.Errorf("screen: read directive: %w", err)
	}
	if d.Type != RenderDocument {
		return Shown{}, fmt.Errorf("screen: read directive: type %q, want %s", d.Type, RenderDocument)
	}
	var probe struct {
		Screen string `json:"screen"`
	}
	if err := json.Unmarshal(d.DataSources.Payload, &probe); err != nil {
		return Shown{}, fmt.Errorf("screen: read data source: %w", err)
	}
	s := Shown{Screen: probe.Screen, Token: d.Token}
	switch probe.Screen {
	case screenSide:
		var data sideData
		if err := json.Unmarshal(d.DataSources.Payload, &data); err != nil {
			return Shown{}, fmt.Errorf("screen: read side: %w", err)
		}
		s.Arm, s.Left, s.Moves, s.From = data.Arm, data.Left, data.Moves, data.From
		var payload map[string]any
		var template any
		if err := json.Unmarshal(d.DataSources.Payload, &payload); err != nil {
			return Shown{}, err
		}
		if err := json.Unmarshal(d.Document["mainTemplate"], &template); err != nil {
			return Shown{}, fmt.Errorf("screen: read mainTemplate: %w", err)
		}
		s.Buttons = buttons(template, payload, nil)
		var onMount []command
		if err := json.Unmarshal(d.Document["onMount"], &onMount); err != nil {
			return Shown{}, fmt.Errorf("screen: read onMount: %w", err)
		}
		var err error
		if s.Steps, s.End, err = steps(onMount, data.From); err != nil {
			return Shown{}, err
		}
	case screenOffer, screenFinished, screenHelp:
		var data cardData
		if err := json.Unmarshal(d.DataSources.Payload, &data); err != nil {
			return Shown{}, fmt.Errorf("screen: read %s: %w", probe.Screen, err)
		}
		s.Title, s.Subtitle, s.Lines, s.Pose, s.Left = data.Title, data.Subtitle, data.Lines, data.Pose, data.Left
		for _, f := range data.Figures {
			s.Figures = append(s.Figures, Figure(f))
		}
	default:
		return Shown{}, fmt.Errorf("screen: read data source: unknown screen %q", probe.Screen)
	}
	return s, nil
}

// buttons finds the Button layouts in a template, in order, with their labels looked up in
// the data source ("${payload.next}").
func buttons(node any, payload map[string]any, found []Button) []Button {
	switch n := node.(type) {
	case map[string]any:
		if n["type"] == "Button" {
			label, _ := n["label"].(string)
			if key, ok := strings.CutPrefix(label, "${payload."); ok {
				label, _ = payload[strings.TrimSuffix(key, "}")].(string)
			}
			arg, _ := n["arg"].(string)
			return append(found, Button{Label: label, Arg: arg})
		}
		for _, k := range []string{"item", "items"} {
			found = buttons(n[k], payload, found)
		}
	case []any:
		for _, e := range n {
			found = buttons(e, payload, found)
		}
	}
	return found
}

// steps replays a side's timeline.
func steps(onMount []command, from int) ([]Step, time.Duration, error) {
	if len(onMount) != 1 || onMount[0].Type != "Sequential" || onMount[0].Sequencer != sequencer {
		return nil, 0, fmt.Errorf("screen: read onMount: want one Sequential on sequencer %q", sequencer)
	}
	cur := Step{Move: from}
	out := []Step{cur}
	var at time.Duration
	for _, c := range onMount[0].Commands {
		at += time.Duration(c.Delay) * time.Millisecond
		switch {
		case c.Type == "Idle":
			continue
		case c.Type != "SetValue" || c.ComponentID != rootID || c.Value == nil:
			return nil, 0, fmt.Errorf("screen: read onMount: unexpected %s", c.Type)
		case c.Property == bindMove:
			cur.Move = *c.Value
		case c.Property == bindRep:
			cur.Rep = *c.Value
		default:
			return nil, 0, fmt.Errorf("screen: read onMount: SetValue of %q", c.Property)
		}
		cur.At = at
		if last := &out[len(out)-1]; last.At == at {
			*last = cur // move and rep set together
		} else {
			out = append(out, cur)
		}
	}
	return out, at, nil
}

// Describe describes the screen for a console, one line for what it shows first and one for
// each change, with when it happens from the start of the speech.
func (s Shown) Describe() []string {
	switch s.Screen {
	case screenSide:
		head := "screen side: " + s.Arm
		if s.Left {
			head += " (drawings mirrored)"
		}
		var bs []string
		for _, b := range s.Buttons {
			bs = append(bs, fmt.Sprintf("[%s → %s]", b.Label, b.Arg))
		}
		lines := []string{head + " " + strings.Join(bs, " ")}
		for _, st := range s.Steps {
			name := ""
			if st.Move >= 1 && st.Move <= len(s.Moves) {
				name = s.Moves[st.Move-1]
			}
			what := fmt.Sprintf("movement %d of %d, %s", st.Move, Movements, name)
			if st.Rep > 0 {
				what = fmt.Sprintf("rep %d of %d", st.Rep, Reps)
			}
			lines = append(lines, fmt.Sprintf("screen %s %s", clock(st.At), what))
		}
		return append(lines, fmt.Sprintf("screen %s side spoken", clock(s.End)))
	default:
		parts := []string{s.Title}
		if s.Subtitle != "" {
			parts = append(parts, s.Subtitle)
		}
		for _, f := range s.Figures {
			parts = append(parts, fmt.Sprintf("%d %s", f.Value, f.Label))
		}
		parts = append(parts, s.Lines...)
		if s.Pose > 0 {
			d := fmt.Sprintf("drawing of movement %d", s.Pose)
			if s.Left {
				d += ", mirrored"
			}
			parts = append(parts, d)
		}
		return []string{"screen " + s.Screen + ": " + strings.Join(parts, " | ")}
	}
}

// clock is d as m:ss.s.
func clock(d time.Duration) string {
	d = d.Round(100 * time.Millisecond)
	return fmt.Sprintf("%d:%04.1f", int(d/time.Minute), (d % time.Minute).Seconds())
}
