package console

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/boltstore"
	"github.com/spine-opener/spine-opener/internal/device"
	"github.com/spine-opener/spine-opener/internal/interaction"
	"github.com/spine-opener/spine-opener/internal/skill"
)

// script is typing on a clock of its own: each line comes at its time after the start, and
// time passes only as the console waits.
type script struct {
	start, t time.Time
	lines    []typed
}

type typed struct {
	at   time.Duration // after the start
	text string
}

func newScript(lines ...typed) *script {
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	return &script{start: start, t: start, lines: lines}
}

func (s *script) now() time.Time { return s.t }

func (s *script) next(_ context.Context, d time.Duration) (string, bool, error) {
	if len(s.lines) > 0 {
		l := s.lines[0]
		if at := s.start.Add(l.at); d < 0 || !at.After(s.t.Add(d)) {
			if at.After(s.t) {
				s.t = at
			}
			s.lines = s.lines[1:]
			return l.text, true, nil
		}
	}
	if d < 0 {
		return "", false, io.EOF
	}
	s.t = s.t.Add(d)
	return "", false, nil
}

// session is a console around the real handler, the embedded store in a fresh folder
// and the repository's interaction model.
type session struct {
	c     *Console
	out   bytes.Buffer
	close func() error // the store
}

func newSession(t *testing.T, dir string, clock func() time.Time) *session {
	t.Helper()
	model, err := interaction.LoadFound(".")
	if err != nil {
		t.Fatal(err)
	}
	store, err := boltstore.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	h := NewHandler(store, LocalZone{}, nil)
	e := NewEcho(h.Handle, model)
	if clock != nil {
		h.Clock = func(context.Context) time.Time { return clock() }
		e.Clock = clock
	}
	s := &session{close: store.Close}
	s.c = &Console{Echo: e, Out: &s.out, Repeat: true}
	return s
}

func TestWholeRoutineThroughTheConsole(t *testing.T) {
	dir := t.TempDir()
	s := newSession(t, dir, nil)
	// "no" declines the reminder offered after a first routine.
	if err := s.c.Run(context.Background(), strings.NewReader("next side\nnext side\nno\nhow many times today\n")); err != nil {
		t.Fatal(err)
	}
	out := s.out.String()
	for _, want := range []string{"Side one:", "(5 s)", "(3 s)", "You: next side", "Side two:", "Well done", "You've done it once today",
		"You: how many times today\nAlexa: You've done the spine opener once today.\n(session ended)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if got := strings.Count(out, "(session ended)"); got != 2 {
		t.Errorf("got %d session ends, want 2 (the routine, then the one-shot)", got)
	}
	// The store persists: a second run the same day counts both.
	s.close()
	s = newSession(t, dir, nil)
	if err := s.c.Run(context.Background(), strings.NewReader("next side\ndone\n")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.out.String(), "twice today") {
		t.Errorf("second run: want twice today:\n%s", s.out.String())
	}
}

// TestRealtimeKeepsTheSkillsPace: a speech takes Alexa's moment to answer, then its words
// at skill.WordsPerSecond and its pauses exactly, as the skill reckons.
func TestRealtimeKeepsTheSkillsPace(t *testing.T) {
	in := newScript()
	s := newSession(t, t.TempDir(), in.now)
	s.c.Realtime = true
	launch := s.c.Echo.Launch(context.Background())
	if _, cut := s.c.answer(context.Background(), launch, in); cut {
		t.Fatal("cut in with nothing typed")
	}
	if got, want := in.t.Sub(in.start), skill.AnswerDelay+skill.SpeakingTime(launch.Speech); (got - want).Abs() > time.Millisecond {
		t.Errorf("the launch took %v, want %v (a second, then skill.SpeakingTime)", got, want)
	}
	if !strings.Contains(s.out.String(), "Alexa: Welcome to the spine opener. It's three movements") || !strings.Contains(s.out.String(), "       One. Breathe out") {
		t.Errorf("output:\n%s", s.out.String())
	}
}

// TestSpeakingTimeIsTheSkills: the console's pace, line by line, adds up to the skill's
// estimate for the whole side.
func TestSpeakingTimeIsTheSkills(t *testing.T) {
	for _, tempo := range []time.Duration{3 * time.Second, 5 * time.Second, 8 * time.Second} {
		for side := 1; side <= 2; side++ {
			doc := skill.SideSpeech("en-US", side, tempo)
			lines, err := device.Lines(doc)
			if err != nil {
				t.Fatal(err)
			}
			var d time.Duration
			for _, l := range lines {
				d += speakingTime(l.Text) + gap(l)
			}
			if want := skill.SpeakingTime(doc); (d - want).Abs() > time.Millisecond {
				t.Errorf("side %d at %v: console %v, skill %v", side, tempo, d, want)
			}
		}
	}
}

// start is when a line of the launch speech begins in real time: the answer's delay, then
// everything before it.
func start(t *testing.T, doc, prefix string) time.Duration {
	t.Helper()
	lines, err := device.Lines(doc)
	if err != nil {
		t.Fatal(err)
	}
	at := skill.AnswerDelay
	for _, l := range lines {
		if strings.HasPrefix(l.Text, prefix) {
			return at
		}
		at += speakingTime(l.Text) + gap(l)
	}
	t.Fatalf("no line begins %q", prefix)
	return 0
}

// TestCutIn: a line typed during a side goes out at once, at its true time, and the skill
// picks up at the movement the console was showing.
func TestCutIn(t *testing.T) {
	doc := newSession(t, t.TempDir(), newScript().now).c.Echo.Launch(context.Background()).Speech
	second := start(t, doc, "Movement two")
	for _, tt := range []struct {
		at       time.Duration
		picks    string
		live     string
		notAfter string
	}{
		{second - 5*time.Second, "Picking up at the spine twist", "side one, right arm · 2 s", "Movement two"},
		{second + 20*time.Second, "Picking up at the twist with a curl", "side one, right arm · the twist with a curl (2/3) · rep 1/5", "Two. Up"},
	} {
		t.Run(tt.picks, func(t *testing.T) {
			in := newScript(typed{tt.at, "can you go a bit slower"})
			s := newSession(t, t.TempDir(), in.now)
			s.c.Realtime, s.c.Verbose = true, true
			var live []string
			s.c.Live = func(status string) { live = append(live, status) }
			if err := s.c.run(context.Background(), in); err != nil {
				t.Fatal(err)
			}
			out := s.out.String()
			said, answer, ok := strings.Cut(out, "You: can you go a bit slower")
			if !ok {
				t.Fatalf("no cut-in:\n%s", out)
			}
			if !strings.Contains(answer, "(heard: SlowerIntent, score 0.") || !strings.Contains(answer, tt.picks) {
				t.Errorf("want the slower intent heard and %q:\n%s", tt.picks, answer)
			}
			if strings.Contains(said, tt.notAfter) {
				t.Errorf("the console went on past the cut-in, to %q:\n%s", tt.notAfter, said)
			}
			if !slices.ContainsFunc(live, func(s string) bool { return strings.HasPrefix(s, tt.live+" · ") }) {
				t.Errorf("the live line never showed %q: %q", tt.live, live[max(len(live)-8, 0):])
			}
			if !strings.Contains(said, "(cut in ") {
				t.Errorf("--verbose does not say where the cut-in came:\n%s", said)
			}
		})
	}
}

// TestLiveLine follows a whole side: each rep is counted, each pause counted down.
func TestLiveLine(t *testing.T) {
	lines, err := device.Lines(skill.SideSpeech("en-US", 2, 5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var p place
	var got []string
	for _, l := range lines {
		for i, s := range sentences(l.Text) {
			p.follow(s, i == 0)
		}
		if len(chunks(l.Text)) > 3 {
			t.Errorf("%q is said in more than three parts", l.Text)
		}
		got = append(got, p.status(l.Pause))
	}
	for _, want := range []string{
		"side two, left arm · the spine twist (1/3) · 3 s",
		"side two, left arm · the spine twist (1/3) · rep 1/5 · 5 s",
		"side two, left arm · the spine twist (1/3) · rep 5/5 · 5 s",
		"side two, left arm · 2 s",
		"side two, left arm · the twist with a curl (2/3) · rep 3/5 · 5 s",
		"side two, left arm · thread the needle (3/3) · rep 5/5 · 5 s",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("never showed %q:\n%s", want, strings.Join(got, "\n"))
		}
	}
	var q place
	q.follow("Welcome back.", true)
	q.follow("Picking up at the twist with a curl.", false)
	q.follow("Movement two, the twist with a curl.", false)
	q.follow("Stay on your hands and knees, right hand still behind your head.", false)
	if got, want := q.status(1500*time.Millisecond), "right arm · the twist with a curl (2/3) · 2 s"; got != want {
		t.Errorf("a side picked up part way: got %q, want %q", got, want)
	}
	var r place
	r.follow("Sorry, I didn't catch that.", true)
	if got := r.status(0); got != "speaking" {
		t.Errorf("speech that is not a side: got %q", got)
	}
}

// fakeVoice says lines instantly, unless told to take its time.
type fakeVoice struct {
	said    []string
	stopped int
	hold    bool // never finish: a voice slower than the skill's pace
}

func (v *fakeVoice) Say(text string) (<-chan struct{}, func()) {
	v.said = append(v.said, text)
	done := make(chan struct{})
	if !v.hold {
		close(done)
	}
	return done, func() {
		v.stopped++
		if v.hold {
			close(done)
			v.hold = false
		}
	}
}

func TestVoiceStopsWhenCutIn(t *testing.T) {
	in := newScript(typed{40 * time.Second, "stop"})
	s := newSession(t, t.TempDir(), in.now)
	s.c.Realtime = true
	v := &fakeVoice{}
	s.c.Voice = v
	if err := s.c.run(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if len(v.said) < 2 || !strings.HasPrefix(v.said[0], "Welcome to the spine opener.") {
		t.Fatalf("said %q", v.said)
	}
	if v.stopped != 1 {
		t.Errorf("stopped %d times, want once, at the cut-in", v.stopped)
	}
	if !slices.ContainsFunc(v.said, func(s string) bool { return strings.HasPrefix(s, "Okay, stopping here.") }) {
		t.Errorf("the answer to stop was not said: %q", v.said)
	}
}

// TestVoiceSlowerThanThePace: a line the voice has not finished holds the next one back;
// cutting in stops it.
func TestVoiceSlowerThanThePace(t *testing.T) {
	in := newScript(typed{time.Hour, "stop"})
	s := newSession(t, t.TempDir(), in.now)
	s.c.Realtime = true
	v := &fakeVoice{hold: true}
	s.c.Voice = v
	if err := s.c.run(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(v.said[0], "Welcome to the spine opener. It's") || !strings.HasPrefix(v.said[1], "Okay, stopping here.") || v.stopped != 1 {
		t.Errorf("said %q and stopped %d times; want the first sentence held until the cut-in an hour later, then the answer", v.said, v.stopped)
	}
	if said, _, _ := strings.Cut(s.out.String(), "You: stop"); strings.Contains(said, "First, a word on safety") {
		t.Errorf("the console went on while the voice was still speaking:\n%s", said)
	}
}

// fakeSynth makes a tenth of a second of sound a word, at 8 kHz.
type fakeSynth struct{}

func (fakeSynth) Synthesize(text string) ([]byte, int, error) {
	pcm := bytes.Repeat([]byte{0x10, 0x20}, 800*len(strings.Fields(text)))
	return pcm, 8000, nil
}

func TestRecordTakesEverythingDown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.wav")
	rec, err := NewRecording(path, fakeSynth{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSession(t, t.TempDir(), nil)
	s.c.Record = rec
	r := s.c.Echo.Launch(context.Background())
	s.c.answer(context.Background(), r, nil)
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	lines, _ := device.Lines(r.Speech)
	var want time.Duration
	for _, l := range lines {
		want += time.Duration(len(strings.Fields(l.Text)))*100*time.Millisecond + gap(l)
	}
	got := wavDuration(t, path)
	if got != want {
		t.Errorf("recorded %v, want %v: every word and every pause", got, want)
	}
}

// TestRecordCutIn: cut in, the recording stops where the speech did.
func TestRecordCutIn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.wav")
	rec, err := NewRecording(path, fakeSynth{})
	if err != nil {
		t.Fatal(err)
	}
	in := newScript(typed{30*time.Second + 250*time.Millisecond, "exit"})
	s := newSession(t, t.TempDir(), in.now)
	s.c.Realtime, s.c.Record = true, rec
	if err := s.c.run(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	// Up to the cut-in, each sentence as the synth says it (faster than the skill's pace),
	// the last one cut off where the user cut in.
	cutAt := 30*time.Second + 250*time.Millisecond - skill.AnswerDelay
	var want, at time.Duration
	lines, _ := device.Lines(newSession(t, t.TempDir(), nil).c.Echo.Launch(context.Background()).Speech)
	for _, l := range lines[:1] { // the welcome, the safety note and the side's first set-up take 53 s
		for _, part := range chunks(l.Text) {
			sentence := strings.Join(part, " ")
			synth := time.Duration(len(strings.Fields(sentence))) * 100 * time.Millisecond
			if next := at + speakingTime(sentence); next > cutAt {
				want += min(synth, cutAt-at)
				break
			} else {
				at = next
			}
			want += synth
		}
	}
	if got := wavDuration(t, path); (got - want).Abs() > time.Millisecond {
		t.Errorf("recorded %v, want %v", got, want)
	}
}

func wavDuration(t *testing.T, path string) time.Duration {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pcm, rate, err := readWAV(raw)
	if err != nil {
		t.Fatal(err)
	}
	if got := int(binary.LittleEndian.Uint32(raw[40:44])); got != len(pcm) {
		t.Errorf("the header says %d bytes of data, the file has %d", got, len(pcm))
	}
	return time.Duration(len(pcm)/2) * time.Second / time.Duration(rate)
}

func TestMainFlags(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Main(context.Background(), []string{"--nope"}, strings.NewReader(""), &stdout, &stderr, OpenStore); code != 2 {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
	stderr.Reset()
	code := Main(context.Background(), []string{"--db", filepath.Join(t.TempDir(), "x.db"), "--model", filepath.Join(t.TempDir(), "missing.json")},
		strings.NewReader(""), &stdout, &stderr, OpenStore)
	if code != 1 || !strings.Contains(stderr.String(), "interaction model") {
		t.Errorf("missing model: exit %d, stderr %q; want 1 and the reason", code, stderr.String())
	}
}

func TestMainVerbose(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"--db", filepath.Join(t.TempDir(), "x.db"), "--verbose"},
		strings.NewReader("I am done now\nsomething about sandwiches\n"), &stdout, &stderr, OpenStore)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"You: I am done now\n(heard: DoneIntent, score 1.00)\n", "(heard: AMAZON.FallbackIntent"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
}

// TestMainWithoutEspeak: --voice says once that it cannot speak, and the console carries
// on in text; --record cannot do without it.
func TestMainWithoutEspeak(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"--db", filepath.Join(t.TempDir(), "x.db"), "--voice"},
		strings.NewReader("exit\n"), &stdout, &stderr, OpenStore) // cuts in at once: --voice is in real time
	if code != 0 || strings.Count(stderr.String(), "espeak-ng is not installed") != 1 || !strings.Contains(stdout.String(), "(session ended)") {
		t.Errorf("--voice without espeak-ng: exit %d\nstderr: %s\nstdout: %s", code, stderr.String(), stdout.String())
	}
	stderr.Reset()
	code = Main(context.Background(), []string{"--db", filepath.Join(t.TempDir(), "x.db"), "--record", filepath.Join(t.TempDir(), "x.wav")},
		strings.NewReader("stop\n"), &stdout, &stderr, OpenStore)
	if code != 1 || !strings.Contains(stderr.String(), "--record: espeak-ng is not installed") {
		t.Errorf("--record without espeak-ng: exit %d, stderr %q", code, stderr.String())
	}
}

// TestMainInterrupted: Ctrl-C (ctx ending) closes the session and the store, and exits 130.
func TestMainInterrupted(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe()
	defer w.Close()
	done := make(chan int)
	var stdout, stderr bytes.Buffer
	go func() { done <- Main(ctx, []string{"--db", db}, r, &stdout, &stderr, OpenStore) }()
	w.Write([]byte("how many times today\n"))
	cancel()
	if code := <-done; code != 130 {
		t.Errorf("exit %d, want 130\n%s", code, stderr.String())
	}
	store, err := boltstore.Open(db) // closed, and whole
	if err != nil {
		t.Fatalf("the store after Ctrl-C: %v", err)
	}
	store.Close()
}

// TestStoreInUse: a second console on the same store is told so, soon.
func TestStoreInUse(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	t.Setenv("TABLE_NAME", "")
	_, _, closeFirst, err := OpenStore(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer closeFirst()
	if _, _, _, err := OpenStore(context.Background(), db); err == nil || !strings.Contains(err.Error(), "in use by another console") {
		t.Errorf("got %v, want a store in use by another console", err)
	}
}

func TestDefaultDBPath(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/state")
	if got := DefaultDBPath(); got != "/state/spine-opener/spine-opener.db" {
		t.Errorf("got %s", got)
	}
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("HOME", "/home/someone")
	if got := DefaultDBPath(); got != "/home/someone/.local/state/spine-opener/spine-opener.db" {
		t.Errorf("got %s", got)
	}
}

func TestWrap(t *testing.T) {
	for _, tt := range []struct{ line, want string }{
		{"Alexa: short\n", "Alexa: short\n"},
		{"Alexa: one two three four five six seven eight nine ten eleven\n", "Alexa: one two three four five\n       six seven eight nine ten\n       eleven\n"},
		{"       One. Breathe out as your elbow turns up (5 s)\n", "       One. Breathe out as your\n       elbow turns up (5 s)\n"},
		{"       One. Breathe out as your elbow (5 s)\n", "       One. Breathe out as your\n       elbow (5 s)\n"},
		{"       One. Breathe out as yo (5 s)\n", "       One. Breathe out as yo\n       (5 s)\n"},
	} {
		if got := wrap(tt.line, 32, "       "); got != tt.want {
			t.Errorf("got\n%s\nwant\n%s", got, tt.want)
		}
	}
}

// TestCanFulfillFlag shows what Alexa would be told of a line said without the skill's name,
// and stores nothing.
func TestCanFulfillFlag(t *testing.T) {
	db := filepath.Join(t.TempDir(), "state.db")
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"--db", db, "--can-fulfill", "how many spine openers have I done today"},
		strings.NewReader(""), &stdout, &stderr, OpenStore)
	if code != 0 || !strings.Contains(stdout.String(), `"canFulfill": "YES"`) {
		t.Fatalf("exit %d, stdout %q, stderr %q; want YES", code, stdout.String(), stderr.String())
	}
	stdout.Reset()
	Main(context.Background(), []string{"--db", db, "--can-fulfill", "turn on the lights"}, strings.NewReader(""), &stdout, &stderr, OpenStore)
	if !strings.Contains(stdout.String(), `"canFulfill": "NO"`) {
		t.Errorf("turn on the lights: %q, want NO", stdout.String())
	}
	stdout.Reset()
	Main(context.Background(), []string{"--db", db, "--can-fulfill", "start my spine opener"}, strings.NewReader(""), &stdout, &stderr, OpenStore)
	if !strings.Contains(stdout.String(), "this is a launch, not an intent") {
		t.Errorf("start my spine opener: %q, want it told apart as a launch", stdout.String())
	}
	store, err := boltstore.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.User(context.Background(), skill.UserKey(UserID)); !errors.Is(err, skill.ErrNotFound) {
		t.Errorf("after CanFulfillIntentRequests the store knows the user: %v", err)
	}
}

// TestScreenFlag shows an Echo Show's screen as lines beside the words.
func TestScreenFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"--db", filepath.Join(t.TempDir(), "state.db"), "--screen"},
		strings.NewReader("stop\n"), &stdout, &stderr, OpenStore)
	out := stdout.String()
	for _, want := range []string{"[screen] side: Side one: right arm", "[screen] 0:00.0 movement 1 of 3, The spine twist", "rep 5 of 5", "[screen] offer:"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("exit %d; output lacks %q:\n%s", code, want, out)
		}
	}
}

// TestPipedLinesComeAfterTheSpeech: without --realtime a speech is printed whole, and a
// line typed after it comes once it has been said, as it could only on an Echo; so it is
// never taken for cutting in, however soon it is typed.
func TestPipedLinesComeAfterTheSpeech(t *testing.T) {
	for _, c := range []struct{ in, want, not string }{
		{"next side\nexit\nhow many times today\n", "You: how many times today\nAlexa: You've done the spine opener once today.", ""},
		{"\n\n\nAlexa, ask my spine opener for the next side\n", "On to side two.", "Picking up"},
		{"slower\n", "You'll have it from the next side.", "Picking up"},
	} {
		var stdout, stderr bytes.Buffer
		code := Main(context.Background(), []string{"--db", filepath.Join(t.TempDir(), "x.db")}, strings.NewReader(c.in), &stdout, &stderr, OpenStore)
		out := stdout.String()
		if code != 0 || !strings.Contains(out, c.want) || c.not != "" && strings.Contains(out, c.not) {
			t.Errorf("%q: exit %d; want %q and not %q in:\n%s%s", c.in, code, c.want, c.not, out, stderr.String())
		}
	}
}
