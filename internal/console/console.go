package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spine-opener/spine-opener/internal/device"
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
	Echo     *device.Echo
	Out      io.Writer
	Repeat   bool                    // print each line read, for piped input
	Realtime bool                    // wait out every pause
	Speak    func(ssml string) error // when set, voices each answer (and paces it)
	Sleep    func(d time.Duration)   // nil means time.Sleep
}

// Run starts a session as if the user launched the skill, then answers each line of in
// until it ends. An empty line is silence: the reprompt, then the session times out.
func (c *Console) Run(ctx context.Context, in io.Reader) error {
	c.show(c.Echo.Launch(ctx))
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		c.Hear(ctx, sc.Text())
	}
	if c.Echo.Open() {
		c.show(c.Echo.Close(ctx))
	}
	return sc.Err()
}

// Hear acts on one line as the Echo would, shows what happened, and returns it.
func (c *Console) Hear(ctx context.Context, line string) device.Reply {
	if c.Repeat {
		fmt.Fprintf(c.Out, "You: %s\n", strings.TrimSpace(line))
	}
	r := c.Echo.Hear(ctx, line)
	c.show(r)
	return r
}

func (c *Console) show(r device.Reply) {
	switch {
	case r.Note != "":
		fmt.Fprintf(c.Out, "(%s)\n", r.Note)
	case r.Err != nil:
		fmt.Fprintf(c.Out, "Alexa: There was a problem with the requested skill's response. (%v)\n", r.Err)
	case r.Speech != "":
		c.print(r.Speech)
	}
	if r.Ended && r.Note == "" {
		fmt.Fprintln(c.Out, "(session ended)")
	}
}

// print shows a speech as device.Words does, waiting the pauses out in real time when
// asked to, or voicing it.
func (c *Console) print(doc string) {
	words := device.Words(doc)
	if !c.Realtime || c.Speak != nil {
		fmt.Fprintln(c.Out, "Alexa: "+strings.ReplaceAll(words, "\n", "\n       "))
	} else {
		// Line by line: each line closes with the pause it waits out.
		prefix := "Alexa: "
		for _, line := range strings.Split(words, "\n") {
			fmt.Fprintln(c.Out, prefix+line)
			prefix = "       "
			c.sleep(pauseOf(line))
		}
	}
	if c.Speak != nil {
		if err := c.Speak(doc); err != nil {
			fmt.Fprintf(c.Out, "(voice: %v)\n", err)
		}
	}
}

// pauseOf reads the "(5 s)" that closes a line of device.Words.
func pauseOf(line string) time.Duration {
	i := strings.LastIndex(line, "(")
	if i < 0 || !strings.HasSuffix(line, " s)") {
		return 0
	}
	d, err := time.ParseDuration(strings.TrimSuffix(line[i+1:], " s)") + "s")
	if err != nil {
		return 0
	}
	return d
}

func (c *Console) sleep(d time.Duration) {
	if d <= 0 {
		return
	}
	if c.Sleep != nil {
		c.Sleep(d)
		return
	}
	time.Sleep(d)
}
