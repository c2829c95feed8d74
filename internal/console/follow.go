package console

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/spine-opener/spine-opener/internal/skill"
)

// place is where a side has got to, as far as its words tell: the console is a client of
// the skill like Alexa, and the speech is all it gets. What the words do not say is left
// out of the live line rather than guessed.
type place struct {
	side     string // as spoken: "one", "two"
	arm      string // "right", "left"
	move     int    // 1 to skill.Movements while a movement is under way, else 0
	moveName string // "the twist with a curl"
	rep      int    // the rep being counted, 1 to skill.RepsPerMovement, else 0
}

var (
	sideWords = regexp.MustCompile(`(?i)\bside (one|two|three|four)\b`)
	armWords  = regexp.MustCompile(`(?i)\b(right|left) (?:arm|hand)\b`)
	moveWords = regexp.MustCompile(`^Movement (\w+), ([^.]+)\.`)
	repWords  = regexp.MustCompile(`^(\w+)\.`)
)

var numbers = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}

// follow moves p on to the sentence about to be said; newLine is set for the first sentence
// of a line of device.Words (a rep's count, its cue, then its pause make one line).
func (p *place) follow(sentence string, newLine bool) {
	if newLine && p.rep == skill.RepsPerMovement { // the movement's last rep is over
		p.move, p.moveName, p.rep = 0, "", 0
	}
	if m := sideWords.FindStringSubmatch(sentence); m != nil {
		if side := strings.ToLower(m[1]); side != p.side {
			*p = place{side: side}
		}
	}
	if m := armWords.FindStringSubmatch(sentence); m != nil {
		p.arm = strings.ToLower(m[1])
	}
	if m := moveWords.FindStringSubmatch(sentence); m != nil {
		if n := numbers[strings.ToLower(m[1])]; n > 0 {
			p.move, p.moveName, p.rep = n, m[2], 0
			return
		}
	}
	if m := repWords.FindStringSubmatch(sentence); m != nil && newLine && p.move > 0 {
		if n := numbers[strings.ToLower(m[1])]; n > 0 && n <= skill.RepsPerMovement {
			p.rep = n
		}
	}
}

// chunkWords is about how many words the realtime console shows and says at a time: a
// rep's count and cue together, a long set-up in two or three parts.
const chunkWords = 12

// chunks splits text into runs of whole sentences of chunkWords words or more (but the
// last), for the realtime console to show and say one at a time.
func chunks(text string) [][]string {
	var out [][]string
	var cur []string
	n := 0
	for _, s := range sentences(text) {
		cur = append(cur, s)
		if n += len(strings.Fields(s)); n >= chunkWords {
			out = append(out, cur)
			cur, n = nil, 0
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// sentences splits text after each full stop, question or exclamation mark.
func sentences(text string) []string {
	var out []string
	var cur []string
	for _, w := range strings.Fields(text) {
		cur = append(cur, w)
		if strings.ContainsAny(w[len(w)-1:], ".?!") {
			out = append(out, strings.Join(cur, " "))
			cur = cur[:0]
		}
	}
	if len(cur) > 0 {
		out = append(out, strings.Join(cur, " "))
	}
	return out
}

// status is the live line: where the side is, and the seconds left in the pause when
// pausing (left > 0).
func (p place) status(left time.Duration) string {
	var parts []string
	switch {
	case p.side != "" && p.arm != "":
		parts = append(parts, "side "+p.side+", "+p.arm+" arm")
	case p.side != "":
		parts = append(parts, "side "+p.side)
	case p.arm != "":
		parts = append(parts, p.arm+" arm")
	}
	if p.move > 0 {
		parts = append(parts, fmt.Sprintf("%s (%d/%d)", p.moveName, p.move, skill.Movements))
	}
	if p.rep > 0 {
		parts = append(parts, fmt.Sprintf("rep %d/%d", p.rep, skill.RepsPerMovement))
	}
	if left > 0 {
		parts = append(parts, fmt.Sprintf("%d s", int((left+time.Second-1)/time.Second)))
	}
	if len(parts) == 0 {
		return "speaking"
	}
	return strings.Join(parts, " · ")
}

// speakingTime is how long Alexa takes to say text, as the skill reckons it (see
// skill.SpeakingTime): the realtime console keeps this pace, so that where the skill thinks
// someone cut in is where the console showed them to be.
func speakingTime(text string) time.Duration { return skill.TextTime(text) }
