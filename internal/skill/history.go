package skill

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// PersonKey is the storage key of a person Alexa recognised on the account: the account's
// UserKey, a dot, and a SHA-256 of the person ID. DeleteUser of the account's key erases it.
func PersonKey(alexaUserID, personID string) string {
	sum := sha256.Sum256([]byte(personID))
	return UserKey(alexaUserID) + "." + hex.EncodeToString(sum[:])
}

// With is h with routine c added, c.Day being the user's local date when they did it.
func (h History) With(c Completion) History {
	days := make([]Day, 0, HistoryDays+1)
	placed := false
	for _, d := range h.Days {
		switch {
		case !placed && d.Date == c.Day:
			d.Count++
			placed = true
		case !placed && d.Date < c.Day:
			days = append(days, Day{Date: c.Day, Count: 1})
			placed = true
		}
		days = append(days, d)
	}
	if !placed {
		days = append(days, Day{Date: c.Day, Count: 1})
	}
	if len(days) > HistoryDays {
		days = days[:HistoryDays]
	}
	out := History{Days: days, Longest: h.Longest, Total: h.Total + 1, LastAt: h.LastAt, Version: h.Version + 1}
	if c.At.After(out.LastAt) {
		out.LastAt = c.At
	}
	switch {
	case len(h.Days) == 0:
		out.Run = 1
	case c.Day == h.Days[0].Date:
		out.Run = h.Run
	case c.Day == nextDay(h.Days[0].Date):
		out.Run = h.Run + 1
	case c.Day > h.Days[0].Date:
		out.Run = 1
	default:
		out.Run = h.Run // a late record of an earlier day leaves the run as it was
	}
	out.Longest = max(out.Longest, out.Run)
	return out
}

// On is how many routines h holds for the local date day.
func (h History) On(day string) int {
	for _, d := range h.Days {
		if d.Date == day {
			return d.Count
		}
	}
	return 0
}

// Streak is the run of days in a row with a routine that is still going on today: it ended
// today or yesterday.
func (h History) Streak(today string) int {
	if len(h.Days) == 0 {
		return 0
	}
	if last := h.Days[0].Date; last == today || nextDay(last) == today {
		return h.Run
	}
	return 0
}

func nextDay(date string) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return ""
	}
	return d.AddDate(0, 0, 1).Format(time.DateOnly)
}
