package console

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Recorder takes a session down as it is said: each line's words, then its pause.
type Recorder interface {
	// Speech adds text as spoken, cut off after upTo when the user cut in (upTo < 0: all).
	Speech(text string, upTo time.Duration)
	// Silence adds a pause of exactly d.
	Silence(d time.Duration)
}

// Synth turns text into speech: 16-bit mono PCM, little-endian, at its rate.
type Synth interface {
	Synthesize(text string) (pcm []byte, rate int, err error)
}

// Recording is a session as a WAV file: the speech a Synth makes of each line, and silence
// of exactly each pause, so that the pacing can be checked by ear and its length measured.
type Recording struct {
	f     *os.File
	synth Synth
	rate  int
	data  int64 // bytes of samples written
	err   error // the first failure; the recording stops there
}

var _ Recorder = (*Recording)(nil)

const wavHeader = 44

// NewRecording creates the file at path and asks synth for a first word to learn its rate
// (and that it works).
func NewRecording(path string, synth Synth) (*Recording, error) {
	_, rate, err := synth.Synthesize("ready")
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	r := &Recording{f: f, synth: synth, rate: rate}
	if _, err := f.Write(make([]byte, wavHeader)); err != nil {
		f.Close()
		return nil, fmt.Errorf("record: %w", err)
	}
	return r, nil
}

// Speech adds text as the synth says it, cut off after upTo unless upTo < 0.
func (r *Recording) Speech(text string, upTo time.Duration) {
	if r.err != nil || strings.TrimSpace(text) == "" {
		return
	}
	pcm, rate, err := r.synth.Synthesize(text)
	if err == nil && rate != r.rate {
		err = fmt.Errorf("the synth changed its rate from %d to %d Hz", r.rate, rate)
	}
	if err != nil {
		r.err = err
		return
	}
	if upTo >= 0 {
		pcm = pcm[:min(len(pcm), r.bytes(upTo))]
	}
	r.write(pcm)
}

// Silence adds d of silence.
func (r *Recording) Silence(d time.Duration) {
	if r.err != nil || d <= 0 {
		return
	}
	r.write(make([]byte, r.bytes(d)))
}

// Duration is how long the recording plays so far.
func (r *Recording) Duration() time.Duration {
	return time.Duration(r.data / 2 * int64(time.Second) / int64(r.rate))
}

// Close writes the WAV header for what was recorded and closes the file. It reports the
// first failure of the recording, if any.
func (r *Recording) Close() error {
	var h bytes.Buffer
	put := func(v any) { binary.Write(&h, binary.LittleEndian, v) }
	h.WriteString("RIFF")
	put(uint32(36 + r.data))
	h.WriteString("WAVEfmt ")
	put(uint32(16))
	put(uint16(1)) // PCM
	put(uint16(1)) // mono
	put(uint32(r.rate))
	put(uint32(r.rate * 2))
	put(uint16(2))
	put(uint16(16))
	h.WriteString("data")
	put(uint32(r.data))
	_, err := r.f.WriteAt(h.Bytes(), 0)
	err = errors.Join(r.err, err, r.f.Close())
	if err != nil {
		return fmt.Errorf("record %s: %w", r.f.Name(), err)
	}
	return nil
}

// bytes is how many bytes of samples d takes, whole samples.
func (r *Recording) bytes(d time.Duration) int {
	return int(d.Seconds()*float64(r.rate)+0.5) * 2
}

func (r *Recording) write(pcm []byte) {
	if _, err := r.f.Write(pcm); err != nil {
		r.err = err
		return
	}
	r.data += int64(len(pcm))
}

// EspeakSynth is a Synth through espeak-ng, in the voice --voice speaks in.
type EspeakSynth struct{ path string }

// NewEspeakSynth finds espeak-ng.
func NewEspeakSynth() (*EspeakSynth, error) {
	path, err := exec.LookPath("espeak-ng")
	if err != nil {
		return nil, ErrNoEspeak
	}
	return &EspeakSynth{path: path}, nil
}

// Synthesize has espeak-ng write text as a WAV file to stdout, and reads its samples.
func (s *EspeakSynth) Synthesize(text string) ([]byte, int, error) {
	cmd := exec.Command(s.path, "-v", espeakVoice, "--stdout")
	cmd.Stdin = strings.NewReader(text)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, 0, fmt.Errorf("espeak-ng: %v %s", err, strings.TrimSpace(stderr.String()))
	}
	return readWAV(stdout.Bytes())
}

// readWAV returns the samples and rate of a 16-bit mono PCM WAV file. espeak-ng writing to
// a pipe cannot go back to fill in the sizes, so a data chunk's size may be past the end:
// the samples are whatever follows.
func readWAV(b []byte) (pcm []byte, rate int, err error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return nil, 0, errors.New("wav: not a WAV file")
	}
	le := binary.LittleEndian
	for b = b[12:]; len(b) >= 8; {
		id, size := string(b[:4]), int64(le.Uint32(b[4:8]))
		b = b[8:]
		switch id {
		case "fmt ":
			if len(b) < 16 {
				return nil, 0, io.ErrUnexpectedEOF
			}
			format, channels, bits := le.Uint16(b[0:2]), le.Uint16(b[2:4]), le.Uint16(b[14:16])
			if format != 1 || channels != 1 || bits != 16 {
				return nil, 0, fmt.Errorf("wav: format %d, %d channels, %d bits; want 16-bit mono PCM", format, channels, bits)
			}
			rate = int(le.Uint32(b[4:8]))
		case "data":
			if rate == 0 {
				return nil, 0, errors.New("wav: data before format")
			}
			n := min(size, int64(len(b))) &^ 1
			return b[:n], rate, nil
		}
		skip := size + size&1 // chunks are padded to an even length
		if skip > int64(len(b)) {
			break
		}
		b = b[skip:]
	}
	return nil, 0, errors.New("wav: no data")
}
