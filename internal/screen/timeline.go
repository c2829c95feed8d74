package screen

import "time"

// Names the documents and the timeline share.
const (
	rootID    = "root"  // the side screen's top component, which binds move and rep
	sequencer = "count" // the timeline's own sequencer, so that touches do not stop it
	bindMove  = "move"
	bindRep   = "rep"
)

// command is an APL command as the timeline uses them.
type command struct {
	Type        string    `json:"type"`
	Delay       int64     `json:"delay,omitempty"` // milliseconds
	Sequencer   string    `json:"sequencer,omitempty"`
	ScreenLock  bool      `json:"screenLock,omitempty"`
	ComponentID string    `json:"componentId,omitempty"`
	Property    string    `json:"property,omitempty"`
	Value       *int      `json:"value,omitempty"`
	Commands    []command `json:"commands,omitempty"`
}

// timeline is a side screen's onMount: from the moment the document is shown, which is when
// Alexa starts the outputSpeech, it sets move to each movement as Alexa introduces it and
// rep to each rep as she says its number, then idles until she has finished the side, the
// screen locked on throughout. Delays are the differences between the rounded offsets, so
// rounding never adds up along the side.
func timeline(s Side) []command {
	var steps []command
	last := int64(0)
	set := func(at time.Duration, name string, v int) {
		ms := at.Milliseconds()
		steps = append(steps, command{Type: "SetValue", Delay: ms - last, ComponentID: rootID, Property: name, Value: &v})
		last = ms
	}
	for m := s.From; m <= Movements; m++ {
		move := s.Moves[m-1]
		if m > s.From { // the document starts on From, rep 0
			set(move.Start, bindMove, m)
			set(move.Start, bindRep, 0)
		}
		for r, at := range move.Reps {
			set(at, bindRep, r+1)
		}
	}
	if end := s.End.Milliseconds(); end > last {
		steps = append(steps, command{Type: "Idle", Delay: end - last})
	}
	return []command{{Type: "Sequential", Sequencer: sequencer, ScreenLock: true, Commands: steps}}
}
