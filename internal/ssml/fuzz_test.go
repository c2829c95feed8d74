package ssml

import (
	"errors"
	"testing"
	"time"
)

// FuzzBuilder: whatever text and pauses go in, Build gives SSML that Validate accepts, or
// ErrTooLong.
func FuzzBuilder(f *testing.F) {
	f.Add("Tom & Jerry <b>", int64(5000), "one more")
	f.Add("]]><speak>", int64(25000), "\x00\xff")
	f.Fuzz(func(t *testing.T, before string, pauseMS int64, after string) {
		var b Builder
		b.Say(before).Pause(time.Duration(pauseMS%120000) * time.Millisecond).Say(after)
		doc, err := b.Build()
		if errors.Is(err, ErrTooLong) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := Validate(doc); err != nil {
			t.Fatalf("built invalid SSML: %v\n%q", err, doc)
		}
	})
}
