package interaction

import (
	"math"
	"strings"
)

// MinScore is the score below which a line is not taken for any intent of the model and goes
// to AMAZON.FallbackIntent, as Alexa does with speech that matches nothing well enough. It
// lies between the phrases in the tests that should be understood (0.73 and up) and those
// that should not ("what time is it", 0.69).
const MinScore = 0.71

// Scoring: a line and a sample become words (contractions spelled out, a plural or an -ing
// or -ed ending dropped), each weighted by how much it tells intents apart (the square of its
// inverse document frequency over intents): a word that only one intent's samples use weighs
// most, a word most intents use little, a word no sample uses as much as the rarest (it is
// something the user said that no intent expects), and fillers ("please", "okay", "um")
// almost nothing. The words are lined up in order, a word matching another exactly or with
// one slip of the keyboard. The score is the F-measure (β = 2) of that alignment, which
// counts the sample's words covered (recall) four times as much as the line's words matched
// (precision): people add words to what a sample says ("can you go a bit slower") more often
// than they leave its words out.
const (
	recallWeight = 2.0 // β of the F-measure
	fillerWeight = 0.1
	typoCredit   = 0.8 // what a word one edit away counts for
)

// fillers are words people add that say nothing about what they want.
var fillers = map[string]bool{
	"please": true, "okay": true, "ok": true, "alright": true, "um": true, "uh": true, "erm": true,
	"hmm": true, "oh": true, "well": true, "so": true, "just": true, "actually": true, "hey": true,
	"alexa": true,
}

// contractions spells out the short forms in speech-recognition text; the rest ('s, n't,
// 're, 've, 'll, 'd, 'm) are handled by suffix.
var contractions = map[string][]string{
	"can't": {"can", "not"}, "won't": {"will", "not"}, "cannot": {"can", "not"}, "let's": {"let", "us"},
	"shan't": {"shall", "not"},
}

var suffixes = []struct {
	suffix string
	word   string
}{{"n't", "not"}, {"'re", "are"}, {"'ve", "have"}, {"'ll", "will"}, {"'d", "would"}, {"'m", "am"}, {"'s", "is"}}

// words turns a normalized utterance into the words scoring compares.
func words(normalized string) []string {
	var out []string
	for _, w := range strings.Fields(normalized) {
		if full, ok := contractions[w]; ok {
			out = append(out, full...)
			continue
		}
		expanded := false
		for _, s := range suffixes {
			if stem, ok := strings.CutSuffix(w, s.suffix); ok && stem != "" {
				out = append(out, stem, s.word)
				expanded = true
				break
			}
		}
		if !expanded {
			out = append(out, stemOf(strings.Trim(w, "'")))
		}
	}
	return out
}

// stemOf drops a plural or verb ending, the same way for a line and for the samples, so
// that "switch side", "switching sides" and "switch sides" are the same words. It need not
// give real words, only the same one each time.
func stemOf(w string) string {
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ing"):
		return w[:len(w)-3]
	case len(w) > 4 && strings.HasSuffix(w, "ed"):
		return w[:len(w)-2]
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:len(w)-1]
	}
	return w
}

// index is what a model's samples look like to scoring.
type index struct {
	samples []scored
	weights map[string]float64
	unknown float64 // the weight of a word no sample uses
}

type scored struct {
	intent string
	words  []string
}

func newIndex(intents []Intent) *index {
	x := &index{weights: map[string]float64{}}
	used := map[string]map[string]bool{} // word → intents whose samples use it
	n := 0
	for _, in := range intents {
		samples := append(append([]string(nil), in.Samples...), builtInSamples[in.Name]...)
		if len(samples) > 0 {
			n++
		}
		for _, s := range samples {
			if strings.Contains(s, "{") {
				// A sample with a slot is matched as a pattern (see withSlots); without
				// its slot it would be a bare "what is" that half the world's questions
				// come near.
				continue
			}
			ws := words(Normalize(s))
			if len(ws) == 0 {
				continue
			}
			x.samples = append(x.samples, scored{in.Name, ws})
			for _, w := range ws {
				if used[w] == nil {
					used[w] = map[string]bool{}
				}
				used[w][in.Name] = true
			}
		}
	}
	idf := func(df int) float64 { // squared, so that the rare words stand well above the common
		v := math.Log(1 + float64(n)/float64(df))
		return v * v
	}
	for w, in := range used {
		x.weights[w] = idf(len(in))
	}
	x.unknown = idf(1)
	return x
}

func (x *index) weight(w string) float64 {
	if fillers[w] {
		return fillerWeight
	}
	if v, ok := x.weights[w]; ok {
		return v
	}
	return x.unknown
}

// nearest returns the intent whose sample scores best against line, and that score; the
// first such intent in the model wins a tie.
func (x *index) nearest(normalized string) (intent string, score float64) {
	line := words(normalized)
	if len(line) == 0 {
		return "", 0
	}
	lw := make([]float64, len(line))
	for i, w := range line {
		lw[i] = x.weight(w)
	}
	for _, s := range x.samples {
		if v := x.score(line, lw, s.words); v > score {
			intent, score = s.intent, v
		}
	}
	return intent, score
}

// score lines up line and sample in order, keeping the alignment that matches the most
// weight, and returns its F-measure.
func (x *index) score(line []string, lw []float64, sample []string) float64 {
	sw := make([]float64, len(sample))
	var lineTotal, sampleTotal float64
	for _, w := range lw {
		lineTotal += w
	}
	for j, w := range sample {
		sw[j] = x.weight(w)
		sampleTotal += sw[j]
	}
	// best[i][j] is the best alignment of line[i:] and sample[j:]: the weight matched on
	// each side.
	type cell struct{ line, sample float64 }
	best := make([][]cell, len(line)+1)
	for i := range best {
		best[i] = make([]cell, len(sample)+1)
	}
	for i := len(line) - 1; i >= 0; i-- {
		for j := len(sample) - 1; j >= 0; j-- {
			c := best[i+1][j]
			if o := best[i][j+1]; o.line+o.sample > c.line+c.sample {
				c = o
			}
			if sim := similarity(line[i], sample[j]); sim > 0 {
				d := best[i+1][j+1]
				m := cell{d.line + sim*lw[i], d.sample + sim*sw[j]}
				if m.line+m.sample > c.line+c.sample {
					c = m
				}
			}
			best[i][j] = c
		}
	}
	matched := best[0][0]
	if matched.line == 0 {
		return 0
	}
	precision, recall := matched.line/lineTotal, matched.sample/sampleTotal
	b2 := recallWeight * recallWeight
	return (1 + b2) * precision * recall / (b2*precision + recall)
}

// similarity is 1 for the same word and typoCredit for a slip of the keyboard: one edit
// between words of five letters or more, one letter missing or extra in shorter words ("nxt
// side"; not "what" for "that"). Otherwise it is 0.
func similarity(a, b string) float64 {
	if a == b {
		return 1
	}
	if n := min(len(a), len(b)); n >= 5 && oneEditApart(a, b) || n >= 3 && len(a) != len(b) && oneEditApart(a, b) {
		return typoCredit
	}
	return 0
}

// oneEditApart reports whether a becomes b by inserting, deleting or changing one letter,
// or by swapping two neighbours.
func oneEditApart(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		if a[i+1:] == b[i+1:] {
			return true // one letter changed
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	return a[i:] == b[i+1:]
}
