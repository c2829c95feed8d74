package ssml

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestBuilder(t *testing.T) {
	tests := []struct {
		name  string
		build func(*Builder)
		want  string
	}{
		{"escapes text", func(b *Builder) { b.Say(`Tom & Jerry <b> "quoted"`) },
			`<speak>Tom &amp; Jerry &lt;b&gt; &#34;quoted&#34;</speak>`},
		{"short pause", func(b *Builder) { b.Say("One.").Pause(5 * time.Second).Say("Two.") },
			`<speak>One. <break time="5s"/> Two.</speak>`},
		{"fractional pause", func(b *Builder) { b.Pause(1500 * time.Millisecond) },
			`<speak><break time="1500ms"/></speak>`},
		{"long pause is chained", func(b *Builder) { b.Pause(23 * time.Second) },
			`<speak><break time="10s"/> <break time="10s"/> <break time="3s"/></speak>`},
		{"exactly ten seconds", func(b *Builder) { b.Pause(10 * time.Second) },
			`<speak><break time="10s"/></speak>`},
		{"empty text skipped", func(b *Builder) { b.Say("  ").Say("Hi.") }, `<speak>Hi.</speak>`},
		{"appends another builder", func(b *Builder) {
			var part Builder
			part.Say("a < b").Pause(2 * time.Second)
			b.Say("Start.").Append(&part).Append(&Builder{}).Append(&part)
		}, `<speak>Start. a &lt; b <break time="2s"/> a &lt; b <break time="2s"/></speak>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b Builder
			tt.build(&b)
			got, err := b.Build()
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if err := Validate(got); err != nil {
				t.Errorf("built invalid SSML: %v", err)
			}
		})
	}
}

func TestBuilderRefusesLongSpeech(t *testing.T) {
	var b Builder
	for b.Len() < MaxChars-10 {
		b.Say("Breathe out as you turn.")
	}
	b.Say("And again, one more time.")
	if _, err := b.Build(); !errors.Is(err, ErrTooLong) {
		t.Errorf("got %v, want ErrTooLong", err)
	}
}

const clip = `<audio src="soundbank://soundlibrary/ui/gameshow/amzn_ui_sfx_gameshow_intro_01"/>`

// validateTests are shared with the Amazon-side check (amazon_test.go), which must accept
// every document here that Validate accepts.
var validateTests = []struct {
	name string
	doc  string
	want string // "" means valid; else a fragment of the error
}{
	// What must still pass: the Builder's output and the rest of Alexa's SSML.
	{"builder pause", `<speak>Hello <break time="10s"/> there</speak>`, ""},
	{"builder chained pauses", `<speak><break time="10s"/> <break time="10s"/> <break time="3s"/></speak>`, ""},
	{"builder milliseconds", `<speak>One. <break time="1500ms"/> <break time="1ms"/> Two.</speak>`, ""},
	{"builder escapes", `<speak>Tom &amp; Jerry &lt;b&gt; &#34;quoted&#34; &#39;s</speak>`, ""},
	{"builder empty", `<speak></speak>`, ""},
	{"blank around root", "\n <speak>Hi.</speak>\n", ""},
	{"strength only", `<speak>Hi <break strength="strong"/> <break strength="none"/> <break strength="x-weak"/></speak>`, ""},
	{"bare break", `<speak>Hi <break/> there</speak>`, ""},
	{"time and strength", `<speak><break time="2s" strength="weak"/></speak>`, ""},
	{"decimal seconds", `<speak><break time="1.5s"/><break time="0.25s"/><break time="9.999s"/><break time="10.000s"/></speak>`, ""},
	{"zero and the limit", `<speak><break time="0s"/><break time="0ms"/><break time="10000ms"/><break time="010s"/></speak>`, ""},
	{"alexa:name", `<speak>Welcome back, <alexa:name type="first" personId="amzn1.ask.person.ABC123"/>.</speak>`, ""},
	{"amazon: tags", `<speak><amazon:effect name="whispered">quiet</amazon:effect> ` +
		`<amazon:emotion name="excited" intensity="medium">yes</amazon:emotion> ` +
		`<amazon:domain name="conversational">hi</amazon:domain></speak>`, ""},
	{"standard tags", `<speak><p><s>One.</s></p> <emphasis level="strong">two</emphasis> ` +
		`<prosody rate="slow" pitch="-10%" volume="loud">three</prosody> <say-as interpret-as="cardinal">4</say-as> ` +
		`<sub alias="five">5</sub> <phoneme alphabet="ipa" ph="pɪˈkɑːn">pecan</phoneme> ` +
		`<lang xml:lang="fr-FR">six</lang> <voice name="Matthew">seven</voice> <w role="amazon:VBD">read</w></speak>`, ""},
	{"five audio clips", `<speak>` + strings.Repeat(clip, MaxAudio) + `</speak>`, ""},
	{"https audio", `<speak><audio src="https://example.com/chime.mp3"/></speak>`, ""},

	// Structure.
	{"two roots", `<speak>a</speak><speak>b</speak>`, "second root"},
	{"root then p", `<speak>a</speak><p>b</p>`, "second root"},
	{"nested speak", `<speak>a <speak>b</speak></speak>`, "<speak> inside <speak>"},
	{"empty", ``, "no <speak>"},
	{"blank", " \n ", "no <speak>"},
	{"root not speak", `<voice name="Matthew">Hi</voice>`, "root"},
	{"text before root", `Hi <speak>x</speak>`, "outside"},
	{"text after root", `<speak>x</speak> Hi`, "outside"},
	{"unescaped ampersand", `<speak>Tom & Jerry</speak>`, "ssml:"},
	{"unclosed", `<speak>open`, "ssml:"},
	{"mismatched", `<speak><p>x</s></speak>`, "ssml:"},
	{"unknown entity", `<speak>&nbsp;</speak>`, "ssml:"},
	{"xml declaration", `<?xml version="1.0"?><speak>x</speak>`, "not allowed"},
	{"doctype", `<!DOCTYPE speak><speak>x</speak>`, "not allowed"},
	{"comment", `<speak>x <!-- y --></speak>`, "not allowed"},
	{"too long", `<speak>` + strings.Repeat("a", MaxChars) + `</speak>`, "8,000"},

	// Break times.
	{"exponent", `<speak><break time="1e1s"/></speak>`, "not a duration"},
	{"exponent ms", `<speak><break time="1e3ms"/></speak>`, "not a duration"},
	{"plus sign", `<speak><break time="+5s"/></speak>`, "not a duration"},
	{"minus sign", `<speak><break time="-1s"/></speak>`, "not a duration"},
	{"negative ms", `<speak><break time="-500ms"/></speak>`, "not a duration"},
	{"leading space", `<speak><break time=" 5s"/></speak>`, "not a duration"},
	{"trailing space", `<speak><break time="5s "/></speak>`, "not a duration"},
	{"space before unit", `<speak><break time="5 s"/></speak>`, "not a duration"},
	{"no whole part", `<speak><break time=".5s"/></speak>`, "not a duration"},
	{"no fraction", `<speak><break time="5.s"/></speak>`, "not a duration"},
	{"finer than a millisecond", `<speak><break time="1.2345s"/></speak>`, "not a duration"},
	{"decimal milliseconds", `<speak><break time="1.5ms"/></speak>`, "not a duration"},
	{"no number s", `<speak><break time="s"/></speak>`, "not a duration"},
	{"no number ms", `<speak><break time="ms"/></speak>`, "not a duration"},
	{"empty time", `<speak><break time=""/></speak>`, "not a duration"},
	{"no unit", `<speak><break time="5"/></speak>`, "not a duration"},
	{"minutes", `<speak><break time="1m"/></speak>`, "not a duration"},
	{"min", `<speak><break time="1min"/></speak>`, "not a duration"},
	{"microseconds", `<speak><break time="5us"/></speak>`, "not a duration"},
	{"upper-case unit", `<speak><break time="5S"/></speak>`, "not a duration"},
	{"hex", `<speak><break time="0x5s"/></speak>`, "not a duration"},
	{"comma", `<speak><break time="1,5s"/></speak>`, "not a duration"},
	{"underscore", `<speak><break time="1_000ms"/></speak>`, "not a duration"},
	{"non-ASCII digit", `<speak><break time="٥s"/></speak>`, "not a duration"},
	{"NaN", `<speak><break time="NaNs"/></speak>`, "not a duration"},
	{"infinity", `<speak><break time="Infs"/></speak>`, "not a duration"},
	{"words", `<speak><break time="soon"/></speak>`, "not a duration"},
	{"over 10 s in ms", `<speak><break time="10001ms"/></speak>`, "longer than"},
	{"over 10 s", `<speak><break time="11s"/></speak>`, "longer than"},
	{"over 10 s decimal", `<speak><break time="10.001s"/></speak>`, "longer than"},
	{"huge", `<speak><break time="99999999999999999999999s"/></speak>`, "longer than"},
	{"huge ms", `<speak><break time="18446744073709551616ms"/></speak>`, "longer than"},

	// Break strength and attributes.
	{"unknown strength", `<speak><break strength="loud"/></speak>`, "strength"},
	{"upper-case strength", `<speak><break strength="Strong"/></speak>`, "strength"},
	{"empty strength", `<speak><break strength=""/></speak>`, "strength"},
	{"unknown break attribute", `<speak><break duration="5s"/></speak>`, "no attribute"},
	{"extra break attribute", `<speak><break time="5s" speed="2"/></speak>`, "no attribute"},
	{"prefixed break attribute", `<speak><break amazon:time="5s"/></speak>`, "no attribute"},
	{"attribute twice", `<speak><break time="1s" time="2s"/></speak>`, "twice"},
	{"text in break", `<speak><break time="1s">x</break></speak>`, "must be empty"},
	{"element in break", `<speak><break time="1s"><p/></break></speak>`, "must be empty"},

	// Elements Alexa does not support, and namespaces.
	{"html tag", `<speak><b>x</b></speak>`, "not an SSML tag"},
	{"mark", `<speak><mark name="here"/>x</speak>`, "not an SSML tag"},
	{"upper-case tag", `<speak><BREAK time="1s"/></speak>`, "not an SSML tag"},
	{"unknown amazon tag", `<speak><amazon:whisper>x</amazon:whisper></speak>`, "not an SSML tag"},
	{"unknown alexa tag", `<speak><alexa:nickname/></speak>`, "not an SSML tag"},
	{"wrong prefix", `<speak><foo:break time="1s"/></speak>`, "not an SSML tag"},
	{"google tag", `<speak><par><media>x</media></par></speak>`, "not an SSML tag"},
	{"default namespace", `<speak xmlns="http://www.w3.org/2001/10/synthesis">x</speak>`, "namespace declaration"},
	{"prefix declared", `<speak xmlns:amazon="urn:x">x</speak>`, "namespace declaration"},
	{"prefix aliased", `<speak><a:effect xmlns:a="amazon" name="whispered">x</a:effect></speak>`, "namespace declaration"},
	{"speak attribute", `<speak version="1.1">x</speak>`, "no attribute"},

	// Other attributes.
	{"audio without src", `<speak><audio/></speak>`, "needs attribute"},
	{"audio over http", `<speak><audio src="http://example.com/a.mp3"/></speak>`, "https"},
	{"audio empty https", `<speak><audio src="https://"/></speak>`, "https"},
	{"six audio clips", `<speak>` + strings.Repeat(clip, MaxAudio+1) + `</speak>`, "more than 5 <audio>"},
	{"alexa:name without personId", `<speak><alexa:name type="first"/></speak>`, "needs attribute"},
	{"alexa:name other type", `<speak><alexa:name type="last" personId="amzn1.ask.person.A"/></speak>`, "type"},
	{"alexa:name with text", `<speak><alexa:name type="first" personId="amzn1.ask.person.A">Tom</alexa:name></speak>`, "must be empty"},
	{"unknown emotion", `<speak><amazon:emotion name="angry" intensity="high">x</amazon:emotion></speak>`, "name"},
	{"emotion without intensity", `<speak><amazon:emotion name="excited">x</amazon:emotion></speak>`, "needs attribute"},
	{"unknown emphasis", `<speak><emphasis level="loud">x</emphasis></speak>`, "level"},
	{"say-as without interpret-as", `<speak><say-as>4</say-as></speak>`, "needs attribute"},
	{"lang without xml:", `<speak><lang lang="fr-FR">x</lang></speak>`, "no attribute"},
}

func TestValidate(t *testing.T) {
	for _, tt := range validateTests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.doc)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got %v, want valid", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestValidateSentinels(t *testing.T) {
	if err := Validate(`<speak>` + strings.Repeat(clip, MaxAudio+1) + `</speak>`); !errors.Is(err, ErrTooManyAudio) {
		t.Errorf("six clips: got %v, want ErrTooManyAudio", err)
	}
	if err := Validate(`<speak>` + strings.Repeat("a", MaxChars) + `</speak>`); !errors.Is(err, ErrTooLong) {
		t.Errorf("long speech: got %v, want ErrTooLong", err)
	}
}

func TestWalk(t *testing.T) {
	tests := []struct {
		doc  string
		want string
	}{
		{`<speak>One &amp; two. <break time="5s"/><break time="1500ms"/> Three.</speak>`,
			"One & two. [5s][1.5s] Three."},
		{`<speak><break time="1.5s"/><break time="0.25s"/><break time="10s"/></speak>`, "[1.5s][250ms][10s]"},
		{`<speak>Soft<break strength="strong"/>ly.</speak>`, "Soft[0s]ly."},
		{`<speak>Hi, <alexa:name type="first" personId="amzn1.ask.person.A"/>. ` +
			`<amazon:effect name="whispered">Quiet <break time="2s"/> now.</amazon:effect></speak>`,
			"Hi, . Quiet [2s] now."},
	}
	for _, tt := range tests {
		var got strings.Builder
		err := Walk(tt.doc,
			func(s string) { got.WriteString(s) },
			func(d time.Duration) { got.WriteString("[" + d.String() + "]") })
		if err != nil {
			t.Errorf("%s: %v", tt.doc, err)
			continue
		}
		if got.String() != tt.want {
			t.Errorf("got %q, want %q", got.String(), tt.want)
		}
	}
}

func TestLenCountsCharacters(t *testing.T) {
	var part Builder
	part.Say("Thread the needle — café & <rest>").Pause(12500 * time.Millisecond)
	var b Builder
	b.Say("Ça va? “Yes”.").Append(&part).Pause(3 * time.Second).Say("naïve 5 > 3")
	doc, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := b.Len(), utf8.RuneCountInString(doc); got != want {
		t.Errorf("Len() = %d, want %d characters of %q", got, want, doc)
	}
}
