package console

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spine-opener/spine-opener/internal/alexa"
	"github.com/spine-opener/spine-opener/internal/device"
	"github.com/spine-opener/spine-opener/internal/interaction"
	"github.com/spine-opener/spine-opener/internal/skill"
	"github.com/spine-opener/spine-opener/internal/skill/skilltest"
)

// StoreOpener gives the console its store and a description of it for the banner. path is
// the --db flag: the embedded store's file.
type StoreOpener func(ctx context.Context, path string) (store skill.Store, describe string, close func() error, err error)

// Main runs the console with command-line arguments and returns the process exit code:
// 0, 1 for a failure, 2 for bad flags, 130 when ctx ends (Ctrl-C), once the session is
// closed and the store with it.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, open StoreOpener) int {
	fs := flag.NewFlagSet("spine-opener", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./cmd/console [flags]\n\nThe Spine Opener skill in a terminal: type what you would say to Alexa.\nAn empty line is silence; \"exit\" closes the skill; end of input (Ctrl-D) quits.\n\nflags:")
		fs.PrintDefaults()
	}
	db := fs.String("db", DefaultDBPath(), "embedded store `file`")
	modelPath := fs.String("model", "", "interaction model `file` (default: found from the current folder up)")
	realtime := fs.Bool("realtime", false, "speak at Alexa's pace and wait out every pause, to follow along on the mat;\ntyping cuts in at once, like \"Alexa, ...\" on an Echo")
	voice := fs.Bool("voice", false, "speak through espeak-ng (implies --realtime)")
	record := fs.String("record", "", "write everything said to a WAV `file`: speech through espeak-ng, pauses as exact silences")
	verbose := fs.Bool("verbose", false, "show what each line was heard as (intent, score) and where a cut-in came")
	logJSON := fs.Bool("log", false, "print the skill's JSON log lines to stderr")
	showScreen := fs.Bool("screen", false, "be an Echo Show: show the screen's changes as lines")
	canFulfill := fs.String("can-fulfill", "", "send Alexa's CanFulfillIntentRequest for the `line` said without the skill's name, print the answer, and quit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	*realtime = *realtime || *voice

	if *modelPath == "" {
		p, err := interaction.Find(".")
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		*modelPath = p
	}
	model, err := interaction.Load(*modelPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	store, describe, closeStore, err := open(ctx, *db)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer closeStore()

	logs := io.Discard
	if *logJSON {
		logs = stderr
	}
	h := NewHandler(store, LocalZone{}, slog.New(slog.NewJSONHandler(logs, nil)))
	echo := NewEcho(h.Handle, model)
	if *canFulfill != "" {
		return askCanFulfill(ctx, echo, *canFulfill, stdout, stderr)
	}
	// Reminders go to the stand-in for Alexa's Reminders API, which grants its permission
	// when the user approves it as Alexa asks.
	reminders := &skilltest.RemindersAPI{}
	reminders.Set(skilltest.RemindersNoPermission)
	echo.OnConsent = func(scope, status string) {
		if scope == alexa.PermissionReminders && status == alexa.ConsentAccepted {
			reminders.Set(skilltest.RemindersUp)
		}
	}
	h.Reminders = alexa.Reminders{Client: reminders.Client()}
	echo.APIEndpoint, echo.APIToken = "https://api.amazonalexa.com", "console"
	if *showScreen {
		echo.Screen = "2023.3"
	}
	c := &Console{Echo: echo, Out: stdout, Repeat: !isTerminal(stdin), Realtime: *realtime, Verbose: *verbose, Screen: *showScreen}
	if !*realtime {
		clock := &listeningClock{}
		h.Clock = func(context.Context) time.Time { return clock.now() }
		echo.Clock, c.Printed = clock.now, clock.pass
	}
	if *record != "" {
		rec, err := startRecording(*record)
		if err != nil {
			fmt.Fprintf(stderr, "--record: %v\n", err)
			return 1
		}
		c.Record = rec
		defer func() {
			if err := rec.Close(); err != nil {
				fmt.Fprintln(stderr, err)
				return
			}
			fmt.Fprintf(stderr, "Recorded %s: %s.\n", *record, rec.Duration().Round(time.Millisecond))
		}()
	}
	notes := stderr // where the voice says it has failed
	if *voice {
		v, err := NewEspeak(func(err error) { fmt.Fprintf(notes, "--voice: %v; carrying on in text.\n", err) })
		if err != nil {
			fmt.Fprintf(stderr, "--voice: %v; carrying on in text.\n", err)
		} else {
			c.Voice = v
		}
	}
	fmt.Fprintf(stderr, "Spine Opener console. Store: %s. Time zone: %s.\n", describe, LocalZone{}.name())
	if *realtime {
		fmt.Fprintln(stderr, "Type what you'd say to Alexa at any time: it cuts in, as \"Alexa, ...\" does. An empty line is silence, \"exit\" closes the skill, Ctrl-D quits.")
	} else {
		fmt.Fprintln(stderr, "Type what you'd say to Alexa; an empty line is silence, \"exit\" closes the skill, end of input quits.")
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if in, out, ok := terminals(stdin, stdout); ok && *realtime {
		s, err := openScreen(in, out, cancel)
		if err != nil {
			fmt.Fprintf(stderr, "terminal: %v\n", err)
			return 1
		}
		defer s.restore()
		c.Out, c.Live, notes = s, s.live, s
		err = c.RunLines(ctx, s)
	} else {
		err = c.Run(ctx, stdin)
	}
	switch {
	case ctx.Err() != nil:
		return 130
	case err != nil:
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

// askCanFulfill resolves line as Alexa would a request said without the skill's name, sends
// the skill the CanFulfillIntentRequest Alexa would, and prints what it answers.
func askCanFulfill(ctx context.Context, echo *device.Echo, line string, stdout, stderr io.Writer) int {
	r := echo.CanFulfill(ctx, line)
	if r.Err != nil {
		fmt.Fprintln(stderr, r.Err)
		return 1
	}
	if r.Note != "" {
		fmt.Fprintf(stdout, "%q: %s.\n", line, r.Note)
		return 0
	}
	answer, _ := json.MarshalIndent(r.Response.Body.CanFulfillIntent, "", "  ")
	fmt.Fprintf(stdout, "%q is %s, so Alexa would be told:\n%s\n", line, r.Heard.Intent, answer)
	return 0
}

// startRecording records through espeak-ng into path.
func startRecording(path string) (*Recording, error) {
	synth, err := NewEspeakSynth()
	if err != nil {
		return nil, err
	}
	return NewRecording(path, synth)
}

// NewHandler is the skill as the console runs it: the real handler, under the console's
// own skill ID.
func NewHandler(store skill.Store, zones skill.ZoneFinder, log *slog.Logger) *skill.Handler {
	return &skill.Handler{SkillID: SkillID, Store: store, Zones: zones, Log: log}
}

// NewEcho is the console's device: the person at the keyboard talking to handle.
func NewEcho(handle device.HandlerFunc, model *interaction.Model) *device.Echo {
	return &device.Echo{Handle: handle, Model: model, SkillID: SkillID, UserID: UserID, DeviceID: DeviceID}
}

// DefaultDBPath is the embedded store's file in the user's state folder:
// $XDG_STATE_HOME/spine-opener, else ~/.local/state/spine-opener.
func DefaultDBPath() string {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "spine-opener", "spine-opener.db")
}

// terminals returns stdin and stdout as files when both are terminals.
func terminals(stdin io.Reader, stdout io.Writer) (in, out *os.File, ok bool) {
	in, _ = stdin.(*os.File)
	out, _ = stdout.(*os.File)
	if in == nil || out == nil || !isTerminal(in) {
		return nil, nil, false
	}
	info, err := out.Stat()
	return in, out, err == nil && info.Mode()&os.ModeCharDevice != 0
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// LocalZone answers time zone lookups with this computer's own zone, standing in for the
// Alexa Settings API.
type LocalZone struct{}

// TimeZone returns the computer's IANA zone name.
func (LocalZone) TimeZone(context.Context, alexa.System) (string, error) {
	return LocalZone{}.name(), nil
}

func (LocalZone) name() string {
	if tz := strings.TrimPrefix(os.Getenv("TZ"), ":"); tz != "" {
		if _, err := time.LoadLocation(tz); err == nil {
			return tz
		}
	}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if _, zone, ok := strings.Cut(target, "zoneinfo/"); ok {
			return zone
		}
	}
	if raw, err := os.ReadFile("/etc/timezone"); err == nil {
		if zone := strings.TrimSpace(string(raw)); zone != "" {
			return zone
		}
	}
	return "UTC"
}
