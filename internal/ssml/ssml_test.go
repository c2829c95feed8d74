package ssml

import (
	"errors"
	"strings"
	"testing"
	"time"
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

func TestValidate(t *testing.T) {
	tests := []struct {
		doc  string
		want string // "" means valid; else a fragment of the error
	}{
		{`<speak>Hello <break time="10s"/> there</speak>`, ""},
		{`<speak>Hi <break strength="strong"/></speak>`, ""},
		{`<speak>Hi <break time="10001ms"/></speak>`, "longer than"},
		{`<speak>Hi <break time="11s"/></speak>`, "longer than"},
		{`<speak>Hi <break time="soon"/></speak>`, "not a duration"},
		{`<speak>Tom & Jerry</speak>`, "ssml:"},
		{`<speak>open`, "ssml:"},
		{`<voice>Hi</voice>`, "root"},
		{`Hi <speak>x</speak>`, "outside"},
		{`<speak>` + strings.Repeat("a", MaxChars) + `</speak>`, "8,000"},
	}
	for _, tt := range tests {
		t.Run(tt.doc[:min(len(tt.doc), 40)], func(t *testing.T) {
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

func TestWalk(t *testing.T) {
	var got strings.Builder
	err := Walk(`<speak>One &amp; two. <break time="5s"/><break time="1500ms"/> Three.</speak>`,
		func(s string) { got.WriteString(s) },
		func(d time.Duration) { got.WriteString("[" + d.String() + "]") })
	if err != nil {
		t.Fatal(err)
	}
	if want := "One & two. [5s][1.5s] Three."; got.String() != want {
		t.Errorf("got %q, want %q", got.String(), want)
	}
}
