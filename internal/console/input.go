package console

import (
	"bufio"
	"context"
	"io"
	"time"
)

// LineReader gives the console what the user types, a line at a time, and io.EOF at the
// end. golang.org/x/term's Terminal is one.
type LineReader interface {
	ReadLine() (string, error)
}

// typing is what the person at the keyboard types, as it arrives, and the clock they type
// by: the real one, or a test's.
type typing interface {
	now() time.Time
	// next waits up to d (for ever when d < 0) for a line. ok is false when d passed first.
	// Once input has ended, it waits d out and returns io.EOF (or the reader's error); when
	// ctx ends, it returns ctx's error at once.
	next(ctx context.Context, d time.Duration) (line string, ok bool, err error)
}

// keyboard reads lines in the background, so that the console can speak while the user
// types and hear a line the moment it comes.
type keyboard struct {
	lines chan string
	err   error // why the lines ended; read only after lines is closed
	ended bool
}

func newKeyboard(r LineReader) *keyboard {
	k := &keyboard{lines: make(chan string)}
	go func() {
		defer close(k.lines)
		for {
			line, err := r.ReadLine()
			if err != nil {
				k.err = err
				return
			}
			k.lines <- line
		}
	}()
	return k
}

func (k *keyboard) now() time.Time { return time.Now() }

func (k *keyboard) next(ctx context.Context, d time.Duration) (string, bool, error) {
	var timeout <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	if k.ended {
		if timeout != nil {
			select {
			case <-timeout:
			case <-ctx.Done():
				return "", false, ctx.Err()
			}
		}
		return "", false, k.err
	}
	select {
	case line, ok := <-k.lines:
		if ok {
			return line, true, nil
		}
		k.ended = true
		return k.next(ctx, d)
	case <-timeout:
		return "", false, nil
	case <-ctx.Done():
		return "", false, ctx.Err()
	}
}

// scanner reads lines from a plain reader, such as piped input.
type scanner struct{ *bufio.Scanner }

func (s scanner) ReadLine() (string, error) {
	if s.Scan() {
		return s.Text(), nil
	}
	if err := s.Err(); err != nil {
		return "", err
	}
	return "", io.EOF
}
