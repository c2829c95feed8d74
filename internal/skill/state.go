package skill

import (
	"encoding/json"
	"time"
)

// Offers the skill can be waiting on an answer to.
const (
	offerResume = "resume" // a paused place: "resume" or "start over"
	offerStart  = "start"  // nothing under way: "shall we start?"
)

// state is what one session remembers between turns. It travels in the session attributes,
// so moving through the routine costs no storage calls.
type state struct {
	Loaded    bool   `json:"loaded,omitempty"`    // the stored user has been read this session
	Tempo     int    `json:"tempo,omitempty"`     // seconds per rep; 0 means the default
	NoteHeard bool   `json:"noteHeard,omitempty"` // the first-use safety note has been spoken
	Zone      string `json:"zone,omitempty"`      // the device's time zone, or the last one known
	ZoneAsked bool   `json:"zoneAsked,omitempty"` // the Settings API was asked this session
	Run       string `json:"run,omitempty"`       // the routine under way: the ID it is completed under
	Side      int    `json:"side,omitempty"`      // the side spoken last; 0 before the routine starts
	Offer     string `json:"offer,omitempty"`     // what a "yes" or "no" answers
	OfferSide int    `json:"offerSide,omitempty"` // the paused side on offer
}

const (
	stateKey    = "state"
	maxIDLength = 256
)

// decodeState reads the session's state. Attributes of the wrong shape or out of range are
// dropped rather than trusted: they come back from the client unverified.
func decodeState(attrs map[string]json.RawMessage) state {
	var st state
	raw, ok := attrs[stateKey]
	if !ok || json.Unmarshal(raw, &st) != nil {
		return state{}
	}
	if st.Side < 0 || st.Side > Sides {
		st.Side = 0
	}
	if st.OfferSide < 0 || st.OfferSide > Sides {
		st.OfferSide = 0
	}
	if t := time.Duration(st.Tempo) * time.Second; t < MinTempo || t > MaxTempo {
		st.Tempo = 0
	}
	if st.Offer != offerResume && st.Offer != offerStart {
		st.Offer = ""
	}
	if st.Offer == offerResume && st.OfferSide == 0 {
		st.Offer = ""
	}
	// Whatever is kept goes back out in the response, which Alexa caps at 120 KB; real
	// values are request IDs and zone names, far shorter.
	if len(st.Run) > maxIDLength {
		st.Run = ""
	}
	if len(st.Zone) > maxIDLength {
		st.Zone, st.ZoneAsked = "", false
	}
	return st
}

func (st state) encode() map[string]json.RawMessage {
	raw, _ := json.Marshal(st) // a struct of strings, ints and bools always marshals
	return map[string]json.RawMessage{stateKey: raw}
}

func (st state) tempo() time.Duration {
	if st.Tempo == 0 {
		return DefaultTempo
	}
	return time.Duration(st.Tempo) * time.Second
}

func (st state) preferences() Preferences {
	return Preferences{Tempo: st.tempo(), NoteHeard: st.NoteHeard, Zone: st.Zone}
}
