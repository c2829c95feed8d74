package skill

import (
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
// The device is where screens will be chosen (supportedInterfaces); every device gets the
// same speech today.
func render(a Answer, next Conversation, cat *voice.Catalog, _ alexa.Device) (alexa.Response, error) {
	if len(a.Speech) == 0 {
		return alexa.Response{Version: "1.0"}, nil
	}
	speech, err := speak(a.Speech, cat).Build()
	if err != nil {
		return alexa.Response{}, err
	}
	resp := alexa.Response{Version: "1.0", Body: alexa.ResponseBody{OutputSpeech: alexa.SSMLSpeech(speech)}}
	if a.Card != nil {
		resp.Body.Card = &alexa.Card{Type: alexa.CardSimple, Title: cat.Text(a.Card.Title.Key, a.Card.Title.Args),
			Content: cat.Text(a.Card.Content.Key, a.Card.Content.Args)}
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
		if l.Side > 0 {
			b.Append(side(cat, l.Side, time.Duration(l.Args.Seconds)*time.Second))
			continue
		}
		b.Say(cat.Text(l.Key, l.Args))
	}
	return &b
}

// sides holds each side's speech per catalog and tempo once made: it is the same for
// everyone, and making it (escaping a few kilobytes of cues) is most of the work of a turn.
var sides sync.Map // sideKey → *ssml.Builder, never changed once stored

type sideKey struct {
	cat   *voice.Catalog
	side  int
	tempo time.Duration
}

func side(cat *voice.Catalog, n int, tempo time.Duration) *ssml.Builder {
	key := sideKey{cat, n, tempo}
	if b, ok := sides.Load(key); ok {
		return b.(*ssml.Builder)
	}
	var fresh ssml.Builder
	makeSide(&fresh, cat, n, tempo)
	b, _ := sides.LoadOrStore(key, &fresh)
	return b.(*ssml.Builder)
}

// makeSide speaks one side: for each movement its name and set-up cues, then
// RepsPerMovement reps, each a count and a short cue followed by a pause of tempo.
func makeSide(b *ssml.Builder, cat *voice.Catalog, side int, tempo time.Duration) {
	b.Say(cat.Text(voice.SideIntro, voice.Args{Side: side}))
	for m := 1; m <= Movements; m++ {
		b.Say(cat.Text(voice.MovementIntro, voice.Args{Move: m}))
		b.Say(cat.Text(voice.MoveSetup(m), voice.Args{Side: side}))
		b.Pause(setUpPause)
		for rep := 1; rep <= RepsPerMovement; rep++ {
			b.Say(cat.Text(voice.Rep, voice.Args{Rep: rep}))
			b.Say(cat.Text(voice.MoveCue(m, rep), voice.Args{Side: side}))
			b.Pause(tempo)
		}
		if m < Movements {
			b.Say(cat.Text(voice.EaseOut, voice.Args{}))
			b.Pause(movementGap)
		}
	}
}

// SideSpeech is one whole side in locale's words at tempo, as a <speak> document: what a
// side Line becomes. Transcripts use it to show a side as one line.
func SideSpeech(locale string, n int, tempo time.Duration) string {
	cat, _ := voice.For(locale)
	doc, _ := side(cat, n, tempo).Build() // a side is far below the limit
	return doc
}
