package skill

import (
	"fmt"
	"sync"
	"time"

	"github.com/spine-opener/spine-opener/internal/ssml"
)

// Pacing of the routine. A rep is out and back; its tempo is the pause that follows each
// spoken rep cue.
const (
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

// Movement is one exercise of the routine with the cues spoken for it. Setup holds a %s for
// the working arm ("right" or "left").
type Movement struct {
	Name    string
	Setup   string
	RepCues []string // cycled through the reps
}

// Routine is the spine opener: three movements in order, done with one arm working, then
// the other.
var Routine = []Movement{
	{
		Name: "the spine twist",
		Setup: "Come onto your hands and knees, hands under your shoulders and knees under your hips. " +
			"Rest your %s hand lightly behind your head.",
		RepCues: []string{
			"Breathe out as your elbow turns up toward the ceiling, eyes following it, then come back down.",
			"Turn up, breathing out, and back down.",
			"Up toward the ceiling, and return.",
		},
	},
	{
		Name: "the twist with a curl",
		Setup: "Stay on your hands and knees, %s hand still behind your head. " +
			"Turn up as before; then, on the way down, tuck that elbow under you toward the opposite knee and let your back round.",
		RepCues: []string{
			"Turn up toward the ceiling, then sweep the elbow under toward the opposite knee, back rounding.",
			"Up, breathing out, then down and under.",
			"Open up, then curl under.",
		},
	},
	{
		Name: "thread the needle",
		Setup: "Bring your %s hand to the floor. Slide that arm under your body along the mat, " +
			"reaching through until your shoulder and the side of your head settle toward the floor, then open back up toward the ceiling. " +
			"Letting your hips sink back toward your heels works the lower back and hips a little more.",
		RepCues: []string{
			"Reach through along the floor and settle, then open up toward the ceiling.",
			"Slide through, and open up.",
			"Reach under, then open to the ceiling.",
		},
	},
}

// arm names the working arm of a side.
func arm(side int) string {
	if side == 1 {
		return "right"
	}
	return "left"
}

// sides holds each side's speech at each tempo once made: it is the same for everyone, and
// making it (escaping a few kilobytes of cues) is most of the work of a turn.
var sides sync.Map // sideKey → *ssml.Builder, never changed once stored

type sideKey struct {
	side  int
	tempo time.Duration
}

// speakSide appends the whole of one side to b: for each movement its name and set-up cues,
// then RepsPerMovement reps, each a count and a short cue followed by a pause of tempo.
func speakSide(b *ssml.Builder, side int, tempo time.Duration) {
	key := sideKey{side, tempo}
	part, ok := sides.Load(key)
	if !ok {
		var fresh ssml.Builder
		makeSide(&fresh, side, tempo)
		part, _ = sides.LoadOrStore(key, &fresh)
	}
	b.Append(part.(*ssml.Builder))
}

func makeSide(b *ssml.Builder, side int, tempo time.Duration) {
	b.Say(fmt.Sprintf("Side %s: your %s arm does the work. Stay within what feels comfortable: find where it's tight, and don't push past it.",
		numberWord(side), arm(side)))
	for i, m := range Routine {
		b.Say(fmt.Sprintf("Movement %s, %s.", numberWord(i+1), m.Name))
		b.Say(fmt.Sprintf(m.Setup, arm(side)))
		b.Pause(setUpPause)
		for rep := 1; rep <= RepsPerMovement; rep++ {
			b.Say(capitalize(numberWord(rep)) + ". " + m.RepCues[(rep-1)%len(m.RepCues)])
			b.Pause(tempo)
		}
		if i < len(Routine)-1 {
			b.Say("Good. Ease out of it.")
			b.Pause(movementGap)
		}
	}
}
