package skill

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/screen"
	"github.com/spine-opener/spine-opener/internal/voice"
)

// screenToken names every document the skill renders; a touch comes back with it.
const screenToken = "spine-opener"

// screenFacts are the figures a finished screen shows, found by the handler.
type screenFacts struct {
	today, streak int
}

// screenFor is the APL directive that goes with an answer on a device with a screen, or nil
// for a device without one: the side being spoken (its counter in step with the voice, see
// package screen), the finished routine, help, or a simple card with the answer's first
// line and what to say next. Every answer with speech gets one, so that a side's screen and
// its counter never outlive the side.
func screenFor(a Answer, next Conversation, cat *voice.Catalog, dev alexa.Device, facts screenFacts) (json.RawMessage, error) {
	version, ok := dev.APLVersion()
	if !ok || !screen.Supports(version) || len(a.Speech) == 0 {
		return nil, nil
	}
	text := func(l Line) string { return cat.Text(l.Key, l.estimate(cat)) }
	var before time.Duration
	for _, l := range a.Speech {
		switch {
		case l.Side > 0:
			return screen.SideDirective(sideScreen(l, before, cat), screenToken)
		case l.Key == voice.WellDone:
			return screen.FinishedDirective(screen.Finished{Title: text(l),
				Today:  screen.Figure{Value: facts.today, Label: cat.Text(voice.ScreenToday, voice.Args{})},
				Streak: screen.Figure{Value: facts.streak, Label: cat.Text(voice.ScreenStreak, voice.Args{Count: facts.streak})}}, screenToken)
		case isHelp(l.Key):
			return screen.HelpDirective(screen.Help{Title: cat.Text(voice.ScreenHelp, voice.Args{}), Lines: helpLines(text(l))}, screenToken)
		}
		before += TextTime(text(l))
	}
	offer := screen.Offer{Title: strings.ReplaceAll(text(a.Speech[0]), "{name}", "")}
	if a.Listens() && len(a.Speech) > 1 {
		offer.Subtitle = text(a.Speech[len(a.Speech)-1])
	}
	if next.Phase == OfferingResume {
		offer.Pose, offer.Left = max(next.KeptMove, 1), next.Kept == 2 && next.KeptMove > 0
	}
	return screen.OfferDirective(offer, screenToken)
}

// sideScreen is the side line l on screen, its timing from the start of the speech: before
// is how long the lines before it take.
func sideScreen(l Line, before time.Duration, cat *voice.Catalog) screen.Side {
	tempo := time.Duration(l.Args.Seconds) * time.Second
	p := timing(cat, l.Side, l.From, tempo, !l.Quiet)
	from := min(max(l.From, 1), Movements)
	s := screen.Side{
		Arm:  cat.Text(voice.ScreenArm, voice.Args{Side: l.Side}),
		Left: l.Side == 2, From: from, End: before + p.end,
		Next: cat.Text(voice.ScreenNext, voice.Args{}), Stop: cat.Text(voice.ScreenStop, voice.Args{}),
	}
	for m := 1; m <= Movements; m++ {
		mv := screen.Move{Name: cat.Text(voice.MoveName(m), voice.Args{})}
		if m >= from {
			mv.Start = before + p.starts[m-1]
			for r := range RepsPerMovement {
				mv.Reps[r] = before + p.reps[m-1][r]
			}
		}
		s.Moves[m-1] = mv
	}
	return s
}

func isHelp(k voice.Key) bool {
	switch k {
	case voice.HelpStart, voice.HelpCounting, voice.HelpBetween, voice.HelpAfterTwo, voice.HelpOffer, voice.HelpGentle, voice.HelpReminderOffer:
		return true
	}
	return false
}

// helpLines are a help message's sentences, as short lines for a screen.
func helpLines(text string) []string {
	var lines []string
	for _, s := range strings.FieldsFunc(text, func(r rune) bool { return r == '.' || r == ';' || r == ':' }) {
		if s = strings.TrimSpace(s); s != "" && len(lines) < screen.MaxHelpLines {
			lines = append(lines, s)
		}
	}
	return lines
}
