package skill

import "time"

// Pacing of the routine. A rep is out and back; its tempo is the pause that follows each
// spoken rep cue. The words of the routine are in the voice catalogs (internal/voice).
const (
	Movements       = 3 // the spine twist; the twist with a curl; thread the needle
	RepsPerMovement = 5
	Sides           = 2
	DefaultTempo    = 5 * time.Second
	MinTempo        = 3 * time.Second
	MaxTempo        = 8 * time.Second
	TempoStep       = time.Second

	// setUpPause gives time to get into position after a movement's set-up cues.
	setUpPause = 3 * time.Second
	// movementGap separates one movement from the next.
	movementGap = 2 * time.Second
)
