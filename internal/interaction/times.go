package interaction

import (
	"fmt"
	"strconv"
	"strings"
)

// spokenTime turns words for a time of day into what Alexa sends for an AMAZON.TIME slot:
// "08:00", "19:30"; "MO", "AF", "EV" and "NI" for morning, afternoon, evening and night.
// ok is false for words it cannot read as a time.
func spokenTime(words string) (value string, ok bool) {
	w := strings.Fields(strings.NewReplacer("o'clock", "", "a.m.", "am", "p.m.", "pm").Replace(Normalize(words)))
	switch strings.Join(w, " ") {
	case "morning", "the morning", "in the morning":
		return "MO", true
	case "afternoon", "the afternoon", "in the afternoon":
		return "AF", true
	case "evening", "the evening", "in the evening":
		return "EV", true
	case "night", "at night", "tonight":
		return "NI", true
	case "noon", "midday", "lunchtime":
		return "12:00", true
	case "midnight":
		return "00:00", true
	}
	pm, am := false, false
	var rest []string
	for i := 0; i < len(w); i++ {
		switch {
		case w[i] == "pm" || (w[i] == "in" && i+2 < len(w) && w[i+2] == "evening") || (w[i] == "in" && i+2 < len(w) && w[i+2] == "afternoon") || w[i] == "tonight":
			pm = true
			if w[i] == "in" {
				i += 2
			}
		case w[i] == "am" || (w[i] == "in" && i+2 < len(w) && w[i+2] == "morning"):
			am = true
			if w[i] == "in" {
				i += 2
			}
		default:
			rest = append(rest, w[i])
		}
	}
	hour, minute := -1, 0
	switch {
	case len(rest) >= 3 && rest[0] == "half" && rest[1] == "past":
		hour, minute = number(rest[2]), 30
	case len(rest) >= 3 && rest[0] == "quarter" && rest[1] == "past":
		hour, minute = number(rest[2]), 15
	case len(rest) == 1 && strings.Contains(rest[0], ":"):
		h, m, _ := strings.Cut(rest[0], ":")
		hour, minute = number(h), number(m)
	case len(rest) >= 1:
		hour = number(rest[0])
		if len(rest) > 1 {
			minute = number(strings.Join(rest[1:], " "))
		}
	}
	if hour < 0 || hour > 23 || minute < 0 || minute > 59 || (pm || am) && hour > 12 {
		return "", false
	}
	if pm && hour < 12 {
		hour += 12
	}
	if am && hour == 12 {
		hour = 0
	}
	return fmt.Sprintf("%02d:%02d", hour, minute), true
}

var numberWords = map[string]int{"zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
	"thirty": 30, "forty": 40, "forty five": 45, "fifty": 50, "twenty five": 25, "thirty five": 35, "ten past": 10}

// number reads "7", "seven" or "forty five"; -1 for anything else.
func number(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	if n, ok := numberWords[s]; ok {
		return n
	}
	return -1
}
