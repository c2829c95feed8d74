package interaction

import (
	"fmt"
	"regexp"
	"strings"
)

// SlotType is a custom slot type of the model: its values, each with an ID and synonyms.
type SlotType struct {
	Name   string `json:"name"`
	Values []struct {
		ID   string `json:"id"`
		Name struct {
			Value    string   `json:"value"`
			Synonyms []string `json:"synonyms"`
		} `json:"name"`
	} `json:"values"`
}

// SlotValue is what a slot of a line held: the words said and, when they are one of the
// slot type's values or synonyms, that value's ID (entity resolution, as Alexa does it).
type SlotValue struct {
	Value string
	Type  string // the slot type, "" for Amazon's built-in types
	ID    string // the value matched; "" when the words matched none
	Name  string // the matched value's own name
}

// slotSample is a sample with slots as a pattern over normalized lines.
type slotSample struct {
	intent  string
	fixed   int // words of the sample besides its slots
	re      *regexp.Regexp
	slots   []string                    // the pattern's groups, in order
	types   map[string]map[string]value // slot name → normalized word or synonym → value
	typeOf  map[string]string           // slot name → slot type
	builtIn map[string]string           // slot name → Amazon's built-in type
}

var slotRef = regexp.MustCompile(`\{(\w+)\}`)

type value struct{ id, name string }

func slotSamples(intents []Intent, types []SlotType) ([]slotSample, error) {
	byType := map[string]map[string]value{}
	for _, t := range types {
		ids := map[string]value{}
		for _, v := range t.Values {
			for _, w := range append([]string{v.Name.Value}, v.Name.Synonyms...) {
				ids[Normalize(w)] = value{v.ID, v.Name.Value}
			}
		}
		byType[t.Name] = ids
	}
	var out []slotSample
	for _, in := range intents {
		slotTypes := map[string]map[string]value{}
		typeOf, builtIn := map[string]string{}, map[string]string{}
		for _, s := range in.Slots {
			if strings.HasPrefix(s.Type, "AMAZON.") {
				builtIn[s.Name] = s.Type
			}
			slotTypes[s.Name] = byType[s.Type] // nil for Amazon's built-in types: any words
			if byType[s.Type] != nil {
				typeOf[s.Name] = s.Type
			}
		}
		for _, sample := range in.Samples {
			refs := slotRef.FindAllStringSubmatchIndex(sample, -1)
			if len(refs) == 0 {
				continue
			}
			var pattern strings.Builder
			var names []string
			last := 0
			for _, r := range refs {
				name := sample[r[2]:r[3]]
				if _, ok := slotTypes[name]; !ok {
					return nil, fmt.Errorf("%s: sample %q names slot {%s}, which the intent does not have", in.Name, sample, name)
				}
				pattern.WriteString(regexp.QuoteMeta(Normalize(sample[last:r[0]])))
				if pattern.Len() > 0 {
					pattern.WriteString(" ?")
				}
				pattern.WriteString(`(.+?)`)
				names = append(names, name)
				last = r[1]
			}
			if rest := Normalize(sample[last:]); rest != "" {
				pattern.WriteString(" " + regexp.QuoteMeta(rest))
			}
			fixed := len(strings.Fields(Normalize(slotRef.ReplaceAllString(sample, " "))))
			out = append(out, slotSample{intent: in.Name, fixed: fixed, re: regexp.MustCompile("^" + pattern.String() + "$"),
				slots: names, types: slotTypes, typeOf: typeOf, builtIn: builtIn})
		}
	}
	return out, nil
}

// withSlots matches a normalized line against the samples with slots. A line whose slot
// words are a value of the slot type comes first; one whose words are not still goes to the
// intent (as Alexa would send it, unresolved), if its sample says enough besides the slot
// ("how do i do {movement}", not "what's {movement}") and nothing better matches.
func (m *Model) withSlots(line string) (Utterance, bool) {
	var unresolved *Utterance
	for _, s := range m.slotted {
		groups := s.re.FindStringSubmatch(line)
		if groups == nil {
			continue
		}
		u := Utterance{Kind: KindIntent, Intent: s.intent, Score: 1, Slots: map[string]SlotValue{}}
		resolved := true
		for i, name := range s.slots {
			v := SlotValue{Value: groups[i+1], Type: s.typeOf[name]}
			if s.builtIn[name] == "AMAZON.TIME" {
				value, ok := spokenTime(v.Value)
				if !ok {
					resolved = false
					continue
				}
				v.Value = value // Alexa sends the time, not the words
			}
			if ids := s.types[name]; ids != nil {
				match, ok := ids[Normalize(v.Value)]
				if !ok {
					match = ids[strings.TrimPrefix(Normalize(v.Value), "the ")]
				}
				v.ID, v.Name = match.id, match.name
				resolved = resolved && v.ID != ""
			}
			u.Slots[name] = v
		}
		if resolved {
			return u, true
		}
		if unresolved == nil && s.fixed >= 3 {
			unresolved = &u
		}
	}
	if unresolved != nil {
		return *unresolved, true
	}
	return Utterance{}, false
}
