package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/interaction"
	"github.com/spine-opener/spine-opener/internal/ssml"
)

// Identities the console speaks for. The skill ID is the console's own; the user is the
// person at the keyboard.
const (
	SkillID  = "amzn1.ask.skill.local-console"
	UserID   = "amzn1.ask.account.LOCAL-CONSOLE"
	deviceID = "amzn1.ask.device.LOCAL-CONSOLE"
)

// HandlerFunc answers one request, as skill.Handler.Handle does.
type HandlerFunc func(context.Context, alexa.Request) (alexa.Response, error)

// Console is one run of the console.
type Console struct {
	Handle   HandlerFunc
	Model    *interaction.Model
	Out      io.Writer
	Echo     bool                    // print each line read, for piped input
	Realtime bool                    // wait out every pause
	Speak    func(ssml string) error // when set, voices each answer (and paces it)
	Now      func() time.Time        // the clock; nil means time.Now
	Sleep    func(d time.Duration)   // nil means time.Sleep

	session   *alexa.Session // nil between sessions
	reprompt  string         // the open session's reprompt, for silence
	silences  int
	requestNo int
}

// Run starts a session as if the user launched the skill, then answers each line of in
// until it ends. An empty line is silence: the reprompt, then the session times out.
func (c *Console) Run(ctx context.Context, in io.Reader) error {
	c.startSession()
	c.send(ctx, c.request(alexa.LaunchRequest))
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if c.Echo {
			fmt.Fprintf(c.Out, "You: %s\n", line)
		}
		c.hear(ctx, line)
	}
	if c.session != nil {
		req := c.request(alexa.SessionEndedRequest)
		req.Body.Reason = alexa.ReasonUserInitiated
		c.send(ctx, req)
	}
	return sc.Err()
}

func (c *Console) hear(ctx context.Context, line string) {
	if line == "" {
		if c.session == nil {
			return
		}
		c.silences++
		if c.silences == 1 && c.reprompt != "" {
			c.print(c.reprompt)
			return
		}
		req := c.request(alexa.SessionEndedRequest)
		req.Body.Reason = alexa.ReasonExceededMaxReprompts
		c.send(ctx, req)
		return
	}
	c.silences = 0
	u := c.Model.Resolve(line)
	switch u.Kind {
	case interaction.KindExit:
		if c.session == nil {
			fmt.Fprintln(c.Out, "(no session is open)")
			return
		}
		req := c.request(alexa.SessionEndedRequest)
		req.Body.Reason = alexa.ReasonUserInitiated
		c.send(ctx, req)
	case interaction.KindLaunch:
		if c.session != nil {
			req := c.request(alexa.SessionEndedRequest)
			req.Body.Reason = alexa.ReasonUserInitiated
			c.send(ctx, req)
		}
		c.startSession()
		c.send(ctx, c.request(alexa.LaunchRequest))
	default:
		if c.session == nil {
			c.startSession() // a one-shot: "Alexa, ask spine opener ..."
		}
		req := c.request(alexa.IntentRequest)
		req.Body.Intent = &alexa.Intent{Name: u.Intent, ConfirmationStatus: "NONE"}
		c.send(ctx, req)
	}
}

func (c *Console) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Console) startSession() {
	c.session = &alexa.Session{
		New:         true,
		SessionID:   "amzn1.echo-api.session.console-" + strconv.FormatInt(c.now().UnixNano(), 36),
		Application: alexa.Application{ApplicationID: SkillID},
		User:        alexa.User{UserID: UserID},
	}
	c.reprompt, c.silences = "", 0
}

func (c *Console) request(typ string) alexa.Request {
	c.requestNo++
	now := c.now()
	s := *c.session
	return alexa.Request{
		Version: "1.0",
		Session: &s,
		Context: alexa.Context{System: alexa.System{
			Application: alexa.Application{ApplicationID: SkillID},
			User:        alexa.User{UserID: UserID},
			Device:      alexa.Device{DeviceID: deviceID},
		}},
		Body: alexa.RequestBody{
			Type:      typ,
			RequestID: fmt.Sprintf("amzn1.echo-api.request.console-%s-%d", strconv.FormatInt(now.UnixNano(), 36), c.requestNo),
			Timestamp: now.UTC().Truncate(time.Second),
			Locale:    "en-US",
		},
	}
}

// send delivers req, prints the answer, and opens or closes the session as the answer says.
func (c *Console) send(ctx context.Context, req alexa.Request) {
	resp, err := c.Handle(ctx, req)
	if req.Body.Type == alexa.SessionEndedRequest {
		c.session = nil
		fmt.Fprintln(c.Out, "(session ended)")
		return
	}
	if err != nil {
		fmt.Fprintf(c.Out, "Alexa: There was a problem with the requested skill's response. (%v)\n(session ended)\n", err)
		c.session = nil
		return
	}
	if sp := resp.Body.OutputSpeech; sp != nil {
		c.print(sp.SSML)
	}
	if resp.Body.ShouldEndSession == nil || *resp.Body.ShouldEndSession {
		c.session = nil
		fmt.Fprintln(c.Out, "(session ended)")
		return
	}
	c.session.New = false
	c.session.Attributes = resp.SessionAttributes
	c.reprompt = ""
	if r := resp.Body.Reprompt; r != nil {
		c.reprompt = r.OutputSpeech.SSML
	}
}

// print shows a speech with each pause as "(5 s)" closing its line, waiting the pauses out
// in real time when asked to.
func (c *Console) print(doc string) {
	var pending time.Duration
	prefix := "Alexa: "
	flush := func() {
		if pending == 0 {
			return
		}
		fmt.Fprintf(c.Out, " (%s s)\n", strconv.FormatFloat(pending.Seconds(), 'f', -1, 64))
		if c.Realtime && c.Speak == nil {
			c.sleep(pending)
		}
		pending = 0
		prefix = "       "
	}
	err := ssml.Walk(doc, func(text string) {
		text = strings.Join(strings.Fields(text), " ")
		if text == "" {
			return
		}
		flush()
		fmt.Fprint(c.Out, prefix+text)
		prefix = " "
	}, func(d time.Duration) { pending += d })
	if err != nil {
		fmt.Fprintf(c.Out, "\n(invalid SSML: %v)", err)
	}
	if pending > 0 {
		flush()
	} else {
		fmt.Fprintln(c.Out)
	}
	if c.Speak != nil {
		if err := c.Speak(doc); err != nil {
			fmt.Fprintf(c.Out, "(voice: %v)\n", err)
		}
	}
}

func (c *Console) sleep(d time.Duration) {
	if c.Sleep != nil {
		c.Sleep(d)
		return
	}
	time.Sleep(d)
}
