package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spine-opener/spine-opener/internal/device"
	"github.com/spine-opener/spine-opener/internal/interaction"
	apl "github.com/spine-opener/spine-opener/internal/screen"
	"github.com/spine-opener/spine-opener/internal/skill"
)

// Identities the console speaks for. The skill ID is the console's own; the user is the
// person at the keyboard.
const (
	SkillID  = "amzn1.ask.skill.local-console"
	UserID   = "amzn1.ask.account.LOCAL-CONSOLE"
	DeviceID = "amzn1.ask.device.LOCAL-CONSOLE"
)

// Console is one run of the console: a terminal around an Echo.
type Console struct {
	Echo *device.Echo
	Out  io.Writer
	// Repeat prints each line read ("You: …"), for piped input.
	Repeat bool
	// Realtime speaks at Alexa's pace (skill.WordsPerSecond) and waits out every pause; a
	// line typed meanwhile cuts in at once, as "Alexa, …" does on an Echo.
	Realtime bool
	// Verbose shows what each line was heard as, and where in a speech a cut-in came.
	Verbose bool
	// Voice, in real time, says each line aloud; nil for text only.
	Voice Voice
	// Record takes down everything said, as it was said; nil for none.
	Record Recorder
	// Live, in real time, shows where the speech has got to ("" once it is over); nil for
	// none.
	Live func(status string)
	// Screen shows what an Echo Show's screen would, a line each ("[screen] …"); the Echo
	// then says it has a screen.
	Screen bool
	// Printed, when not in real time, is told how long each speech printed whole takes to
	// say, for the clock to move past it; nil for none.
	Printed func(time.Duration)
}

// Run starts a session as if the user launched the skill, then answers each line of in
// until it ends. An empty line is silence: the reprompt, then the session times out.
func (c *Console) Run(ctx context.Context, in io.Reader) error {
	return c.RunLines(ctx, scanner{bufio.NewScanner(in)})
}

// RunLines is Run reading from lines, such as a terminal with line editing. When ctx ends
// (Ctrl-C), the open session is closed as walking away would, and ctx's error returned.
func (c *Console) RunLines(ctx context.Context, lines LineReader) error {
	return c.run(ctx, newKeyboard(lines))
}

func (c *Console) run(ctx context.Context, in typing) error {
	line, cut := c.answer(ctx, c.Echo.Launch(ctx), in)
	for {
		if !cut {
			var err error
			if line, _, err = in.next(ctx, -1); err != nil {
				if ctx.Err() != nil {
					break
				}
				if !errors.Is(err, io.EOF) {
					return err
				}
				break
			}
		}
		if ctx.Err() != nil {
			break
		}
		line, cut = c.answer(ctx, c.hear(ctx, line), in)
	}
	if c.Echo.Open() {
		closing, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		c.answer(closing, c.Echo.Close(closing), nil)
	}
	return ctx.Err()
}

// Hear acts on one line as the Echo would, shows what happened, and returns it.
func (c *Console) Hear(ctx context.Context, line string) device.Reply {
	r := c.hear(ctx, line)
	c.answer(ctx, r, nil)
	return r
}

func (c *Console) hear(ctx context.Context, line string) device.Reply {
	if c.Repeat {
		fmt.Fprintf(c.Out, "You: %s\n", strings.TrimSpace(line))
	}
	return c.Echo.Hear(ctx, line)
}

// answer shows a reply: in real time when in is given, returning what the user typed to
// cut it short.
func (c *Console) answer(ctx context.Context, r device.Reply, in typing) (typed string, cut bool) {
	if c.Verbose {
		c.heard(r.Heard)
	}
	switch {
	case r.Note != "":
		fmt.Fprintf(c.Out, "(%s)\n", r.Note)
	case r.Err != nil:
		fmt.Fprintf(c.Out, "Alexa: There was a problem with the requested skill's response. (%v)\n", r.Err)
	case r.Speech != "":
		if c.Realtime && in != nil {
			typed, cut = c.speak(ctx, r.Speech, in)
		} else {
			c.print(r.Speech)
			if c.Printed != nil {
				c.Printed(skill.AnswerDelay + skill.SpeakingTime(r.Speech))
			}
		}
	}
	if c.Screen {
		c.showScreen(r)
	}
	if r.Ended && r.Note == "" {
		fmt.Fprintln(c.Out, "(session ended)")
	}
	return typed, cut
}

// showScreen prints the screens a reply shows, as lines.
func (c *Console) showScreen(r device.Reply) {
	for _, d := range r.Response.Body.Directives {
		shown, err := apl.Read(d)
		if err != nil {
			continue // not a screen
		}
		for _, line := range shown.Describe() {
			fmt.Fprintln(c.Out, "[screen] "+strings.TrimPrefix(line, "screen "))
		}
	}
}

func (c *Console) heard(u interaction.Utterance) {
	switch {
	case u.Kind == "":
	case u.Kind != interaction.KindIntent:
		fmt.Fprintf(c.Out, "(heard: %s)\n", u.Kind)
	case u.Intent == interaction.Fallback && u.Nearest != "":
		fmt.Fprintf(c.Out, "(heard: %s; nearest %s, score %.2f)\n", u.Intent, u.Nearest, u.Score)
	default:
		fmt.Fprintf(c.Out, "(heard: %s, score %.2f)\n", u.Intent, u.Score)
	}
}

// print shows a speech as device.Words does, all at once, and records it.
func (c *Console) print(doc string) {
	fmt.Fprintln(c.Out, "Alexa: "+strings.ReplaceAll(device.Words(doc), "\n", "\n       "))
	if c.Record == nil {
		return
	}
	lines, _ := device.Lines(doc)
	for _, l := range lines {
		c.Record.Speech(l.Text, -1)
		c.Record.Silence(gap(l))
	}
}

// speak says a speech in real time, a few sentences at a time (see chunks): Alexa's moment
// to answer, then each chunk's words at the skill's speaking rate (or as long as the voice
// takes, if longer), and each line's pause to the millisecond. A line typed meanwhile stops
// it at once and is returned.
func (c *Console) speak(ctx context.Context, doc string, in typing) (typed string, cut bool) {
	lines, err := device.Lines(doc)
	if err != nil {
		c.print(doc) // shows the SSML as invalid
		return "", false
	}
	defer c.live("")
	at := in.now().Add(skill.AnswerDelay)
	if typed, cut := c.wait(ctx, in, at, func(time.Duration) string { return "…" }); cut || ctx.Err() != nil {
		return typed, cut
	}
	b := &playback{c: c, in: in, began: at, at: at, end: at}
	for _, l := range lines {
		for _, part := range chunks(l.Text) {
			b.end = b.end.Add(speakingTime(strings.Join(part, " ")))
		}
		b.end = b.end.Add(gap(l))
	}
	prefix := "Alexa: "
	show := func(text string) {
		fmt.Fprintln(c.Out, prefix+text)
		prefix = "       "
	}
	for _, l := range lines {
		parts := chunks(l.Text)
		for i, part := range parts {
			for j, sentence := range part {
				b.place.follow(sentence, i == 0 && j == 0)
			}
			said := strings.Join(part, " ")
			if i < len(parts)-1 {
				show(said)
			} else {
				show(device.Line{Text: said, Pause: l.Pause}.String()) // the pause closes the line
			}
			if typed, cut := b.say(ctx, said); cut || ctx.Err() != nil {
				return b.stopped(typed)
			}
		}
		if l.Text == "" && gap(l) > 0 {
			show(l.String())
		}
		if typed, cut := b.pause(ctx, gap(l)); cut || ctx.Err() != nil {
			return b.stopped(typed)
		}
	}
	return "", false
}

// playback is a speech being said in real time.
type playback struct {
	c          *Console
	in         typing
	began, end time.Time // when the words began and when they will end
	at         time.Time // when the chunk or pause under way ends
	place      place
}

// status is the live line: where the side is, the pause's countdown, the time to go.
func (b *playback) status(left time.Duration) string {
	s := b.place.status(left)
	if togo := b.end.Sub(b.in.now()); togo >= 10*time.Second {
		s += fmt.Sprintf(" · %d:%02d to go", int(togo.Minutes()), int(togo.Seconds())%60)
	}
	return s
}

// say says a chunk: for its speaking time, and for as long as the voice is still saying it.
func (b *playback) say(ctx context.Context, text string) (typed string, cut bool) {
	start := b.at
	var done <-chan struct{}
	stop := func() {}
	if b.c.Voice != nil {
		done, stop = b.c.Voice.Say(text)
	}
	b.at = b.at.Add(speakingTime(text))
	typed, cut = b.c.wait(ctx, b.in, b.at, func(time.Duration) string { return b.status(0) })
	if !cut && done != nil {
		typed, cut = b.c.waitFor(ctx, b.in, done)
		if late := b.in.now().Sub(b.at); late > 0 { // the voice is slower than the pace
			b.at, b.end = b.at.Add(late), b.end.Add(late)
		}
	}
	if cut || ctx.Err() != nil {
		stop()
		b.c.record(text, b.in.now().Sub(start))
		return typed, cut
	}
	b.c.record(text, -1)
	return "", false
}

// pause waits a pause out, counting it down.
func (b *playback) pause(ctx context.Context, d time.Duration) (typed string, cut bool) {
	if d <= 0 {
		return "", false
	}
	start := b.at
	b.at = b.at.Add(d)
	if typed, cut = b.c.wait(ctx, b.in, b.at, b.status); cut || ctx.Err() != nil {
		b.c.silence(b.in.now().Sub(start))
		return typed, cut
	}
	b.c.silence(d)
	return "", false
}

// stopped is where a speech cut short ends: --verbose says where the user cut in.
func (b *playback) stopped(typed string) (string, bool) {
	if b.c.Verbose && typed != "" {
		fmt.Fprintf(b.c.Out, "(cut in %s into the speech: %s)\n", b.in.now().Sub(b.began).Round(100*time.Millisecond), b.place.status(0))
	}
	return typed, typed != ""
}

// wait waits until the time until, showing status(time left) on the live line each second,
// and returns early with a line the user typed. Blank lines do not cut in.
func (c *Console) wait(ctx context.Context, in typing, until time.Time, status func(left time.Duration) string) (string, bool) {
	for ctx.Err() == nil {
		left := until.Sub(in.now())
		if left <= 0 {
			return "", false
		}
		c.live(status(left))
		step := left % time.Second // wake as the countdown ticks over
		if step < time.Millisecond {
			step = min(left, time.Second)
		}
		if line, ok, _ := in.next(ctx, step); ok && strings.TrimSpace(line) != "" {
			return line, true
		}
	}
	return "", false
}

// waitFor waits for the voice to finish a line it is still saying.
func (c *Console) waitFor(ctx context.Context, in typing, done <-chan struct{}) (string, bool) {
	for ctx.Err() == nil {
		select {
		case <-done:
			return "", false
		default:
		}
		if line, ok, _ := in.next(ctx, 20*time.Millisecond); ok && strings.TrimSpace(line) != "" {
			return line, true
		}
	}
	return "", false
}

func (c *Console) live(status string) {
	if c.Live != nil {
		c.Live(status)
	}
}

func (c *Console) record(text string, upTo time.Duration) {
	if c.Record != nil {
		c.Record.Speech(text, upTo)
	}
}

func (c *Console) silence(d time.Duration) {
	if c.Record != nil {
		c.Record.Silence(d)
	}
}

// gap is the time after a line's words: its pause, and its clips as long as the skill
// reckons they play (the console plays none).
func gap(l device.Line) time.Duration {
	return l.Pause + time.Duration(l.Clips)*skill.SoundLength
}
