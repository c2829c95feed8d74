package skill

import (
	"strings"
	"sync"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/ssml"
	"github.com/spine-opener/spine-opener/internal/voice"
)

// render turns an answer, its lines already resolved by the handler, into the Alexa
// response in cat's words for the device the request came from. Text is escaped here and
// only here. The session attributes carry next when the answer listens.
//
// The device decides the screen (supportedInterfaces): every device gets the same speech,
// and one with an APL screen a document to go with it (see screenFor).
func render(a Answer, next Conversation, cat *voice.Catalog, dev alexa.Device, facts screenFacts) (alexa.Response, error) {
	if len(a.Speech) == 0 {
		return alexa.Response{Version: "1.0"}, nil
	}
	speech, err := speak(a.Speech, cat).Build()
	if err != nil {
		return alexa.Response{}, err
	}
	resp := alexa.Response{Version: "1.0", Body: alexa.ResponseBody{OutputSpeech: alexa.SSMLSpeech(speech)}}
	if a.AskPermission == "" { // Alexa's own question needs nothing else on screen
		d, err := screenFor(a, next, cat, dev, facts)
		if err != nil {
			return alexa.Response{}, err
		}
		if d != nil {
			resp.Body.Directives = append(resp.Body.Directives, d)
		}
	}
	if a.Card != nil {
		resp.Body.Card = &alexa.Card{Type: alexa.CardSimple, Title: cat.Text(a.Card.Title.Key, a.Card.Title.Args),
			Content: cat.Text(a.Card.Content.Key, a.Card.Content.Args)}
	}
	if a.PermissionCard {
		resp.Body.Card = &alexa.Card{Type: alexa.CardAskForPermissions, Permissions: []string{alexa.PermissionReminders}}
	}
	if a.AskPermission != "" {
		// Alexa takes the turn to ask: no reprompt, and shouldEndSession left out.
		resp.Body.Directives = append(resp.Body.Directives, alexa.AskForRemindersPermission(a.AskPermission))
		return resp, nil
	}
	end := !a.Listens()
	resp.Body.ShouldEndSession = &end
	if end {
		return resp, nil
	}
	again, err := speak(a.Reprompt, cat).Build()
	if err != nil {
		return alexa.Response{}, err
	}
	resp.Body.Reprompt = &alexa.Reprompt{OutputSpeech: *alexa.SSMLSpeech(again)}
	resp.SessionAttributes = next.encode()
	return resp, nil
}

func speak(lines []Line, cat *voice.Catalog) *ssml.Builder {
	var b ssml.Builder
	for _, l := range lines {
		switch {
		case l.Side > 0:
			b.Append(side(cat, l.Side, l.From, time.Duration(l.Args.Seconds)*time.Second, !l.Quiet))
		case l.Pause > 0:
			b.Pause(l.Pause)
		case l.Args.Person != "":
			// Alexa says the recognised speaker's name; the skill never learns it.
			before, after, _ := strings.Cut(cat.Text(l.Key, l.estimate(cat)), "{name}")
			b.Say(before).Name(l.Args.Person).Say(after)
		default:
			b.Say(cat.Text(l.Key, l.estimate(cat)))
		}
	}
	return &b
}

// estimate fills in what only the words can tell: how long a routine takes.
func (l Line) estimate(cat *voice.Catalog) voice.Args {
	a := l.Args
	if l.Key == voice.Preview {
		tempo := time.Duration(a.Seconds) * time.Second
		total := timing(cat, 1, 1, tempo, true).end + timing(cat, 2, 1, tempo, true).end
		a.Minutes = int((total + time.Minute/2) / time.Minute)
	}
	return a
}

// sides holds each side's speech per catalog and tempo once made: it is the same for
// everyone, and making it (escaping a few kilobytes of cues) is most of the work of a turn.
var sides sync.Map // sideKey → *ssml.Builder, never changed once stored

type sideKey struct {
	cat    *voice.Catalog
	side   int
	from   int
	tempo  time.Duration
	sounds bool
}

// sidePart is a side, from one of its movements to its end, as speech and as timing.
type sidePart struct {
	speech *ssml.Builder
	starts [Movements + 1]time.Duration              // when each movement begins, from the part's start
	reps   [Movements][RepsPerMovement]time.Duration // when each rep's count is said
	end    time.Duration                             // how long the part takes to speak
}

// MovementSound marks the start of each movement, from the Alexa Skills Kit sound library
// (a short bell, about a second), unless the user said "sounds off". A side holds three,
// within Alexa's five clips a response.
const MovementSound = "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"

// SoundLength is how long MovementSound plays, for the timing and for the console.
const SoundLength = 1200 * time.Millisecond

func side(cat *voice.Catalog, n, from int, tempo time.Duration, sounds bool) *ssml.Builder {
	return part(cat, n, from, tempo, sounds).speech
}

func timing(cat *voice.Catalog, n, from int, tempo time.Duration, sounds bool) *sidePart {
	return part(cat, n, from, tempo, sounds)
}

func part(cat *voice.Catalog, n, from int, tempo time.Duration, sounds bool) *sidePart {
	from = min(max(from, 1), Movements)
	key := sideKey{cat, n, from, tempo, sounds}
	if p, ok := sides.Load(key); ok {
		return p.(*sidePart)
	}
	p, _ := sides.LoadOrStore(key, makeSide(cat, n, from, tempo, sounds))
	return p.(*sidePart)
}

// makeSide speaks one side from movement from: for each movement its name and set-up cues,
// then RepsPerMovement reps, each a count and a short cue followed by a pause of tempo. As
// it goes it adds up how long Alexa takes to say it: the pauses exactly, the words at
// WordsPerSecond.
func makeSide(cat *voice.Catalog, side, from int, tempo time.Duration, sounds bool) *sidePart {
	p := &sidePart{speech: &ssml.Builder{}}
	say := func(k voice.Key, a voice.Args) {
		text := cat.Text(k, a)
		p.speech.Say(text)
		p.end += TextTime(text)
	}
	pause := func(d time.Duration) {
		p.speech.Pause(d)
		p.end += d
	}
	if from == 1 {
		say(voice.SideIntro, voice.Args{Side: side})
	}
	for m := from; m <= Movements; m++ {
		p.starts[m-1] = p.end
		if sounds {
			p.speech.Audio(MovementSound)
			p.end += SoundLength
		}
		say(voice.MovementIntro, voice.Args{Move: m})
		say(voice.MoveSetup(m), voice.Args{Side: side})
		pause(setUpPause)
		for rep := 1; rep <= RepsPerMovement; rep++ {
			p.reps[m-1][rep-1] = p.end
			say(voice.Rep, voice.Args{Rep: rep})
			say(voice.MoveCue(m, rep), voice.Args{Side: side})
			pause(tempo)
		}
		if m < Movements {
			say(voice.EaseOut, voice.Args{})
			pause(movementGap)
		}
	}
	for m := 0; m < from-1; m++ {
		p.starts[m] = -1 // not in this part
	}
	p.starts[Movements] = p.end
	return p
}

// WordsPerSecond is how fast Alexa speaks, for estimating where in a side someone cut in.
// Alexa cannot say where its speech was interrupted, so the skill reckons it from the time
// between the request that started the side and the one that interrupted it: pauses are
// exact, words are not. espeak-ng at its default rate says side one's 325 words in 112.7 s
// (2.88 words a second, measured with sox); Amazon gives about ten minutes of speech for
// 10,000 characters, which for the same text is 2.95 words a second. The estimate uses a
// little less, so that when it errs it picks the movement someone is still in, or the one
// before, which repeats a few reps rather than skipping any.
const WordsPerSecond = 2.8

// SpeakingTime is how long Alexa takes to say an SSML document, by the same reckoning the
// skill uses to tell where someone cut in: pauses exactly, words at WordsPerSecond, and
// SoundLength for each clip (the only one the skill plays is MovementSound).
func SpeakingTime(doc string) time.Duration {
	var d time.Duration
	ssml.Visit(doc, ssml.Visitor{
		Text:  func(text string) { d += TextTime(text) },
		Pause: func(p time.Duration) { d += p },
		Clip:  func(string) { d += SoundLength },
	})
	return d
}

// AnswerDelay is the time from a request to Alexa's first word of its answer.
const AnswerDelay = time.Second

// TextTime is how long Alexa takes to say text, at WordsPerSecond.
func TextTime(text string) time.Duration {
	return time.Duration(float64(len(strings.Fields(text))) / WordsPerSecond * float64(time.Second))
}

// speechBefore is how long Alexa speaks before the side in lines starts, or -1 if the
// lines hold no side.
func speechBefore(lines []Line, cat *voice.Catalog) time.Duration {
	var d time.Duration
	for _, l := range lines {
		switch {
		case l.Side > 0:
			return d
		case l.Pause > 0:
			d += l.Pause
		default:
			d += TextTime(cat.Text(l.Key, l.estimate(cat)))
		}
	}
	return -1
}

// progress is where someone is in the side being spoken, reckoned from how long ago it
// began: in the middle of movement Move, or Over once it has been spoken to its end.
type progress struct {
	Move int
	Over bool
}

func (p *sidePart) at(elapsed time.Duration, from int) progress {
	if elapsed >= p.end {
		return progress{Over: true}
	}
	move := max(from, 1)
	for m := move; m <= Movements; m++ {
		if elapsed >= p.starts[m-1] {
			move = m
		}
	}
	return progress{Move: move}
}

// SideSpeech is one whole side in locale's words at tempo, as a <speak> document: what a
// side Line becomes. Transcripts use it to show a side as one line.
func SideSpeech(locale string, n int, tempo time.Duration) string {
	return SidePartSpeech(locale, n, 1, tempo, true)
}

// SidePartSpeech is a side from movement from to its end, as SideSpeech, with or without
// the sound at the start of each movement.
func SidePartSpeech(locale string, n, from int, tempo time.Duration, sounds bool) string {
	cat, _ := voice.For(locale)
	doc, _ := side(cat, n, from, tempo, sounds).Build() // a side is far below the limit
	return doc
}
