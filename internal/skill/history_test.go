package skill_test

import (
	"testing"
	"time"

	"github.com/spine-opener/spine-opener/internal/skill"
)

func TestHistoryWith(t *testing.T) {
	done := func(day string) skill.Completion {
		at, _ := time.Parse(time.DateOnly, day)
		return skill.Completion{ID: day, At: at.Add(8 * time.Hour), Day: day}
	}
	var h skill.History
	for _, day := range []string{"2026-11-20", "2026-11-21", "2026-11-21", "2026-11-22", "2026-11-24", "2026-11-25"} {
		h = h.With(done(day))
	}
	if h.Total != 6 || h.Version != 6 {
		t.Errorf("total %d, version %d; want 6 and 6", h.Total, h.Version)
	}
	if h.Run != 2 || h.Longest != 3 {
		t.Errorf("run %d, longest %d; want 2 (24th, 25th) and 3 (20th to 22nd)", h.Run, h.Longest)
	}
	if got := h.On("2026-11-21"); got != 2 {
		t.Errorf("on the 21st: %d, want 2", got)
	}
	tests := []struct {
		today string
		want  int
	}{{"2026-11-25", 2}, {"2026-11-26", 2}, {"2026-11-27", 0}}
	for _, tt := range tests {
		if got := h.Streak(tt.today); got != tt.want {
			t.Errorf("streak on %s: %d, want %d", tt.today, got, tt.want)
		}
	}
	// A late record of an earlier day lands in order and leaves the run alone.
	h = h.With(done("2026-11-23"))
	if h.Days[0].Date != "2026-11-25" || h.Days[2].Date != "2026-11-23" || h.Run != 2 {
		t.Errorf("after a late record: days %v, run %d", h.Days, h.Run)
	}
	// It keeps HistoryDays days at most.
	for i := 0; i < 40; i++ {
		h = h.With(done(time.Date(2026, 12, 1+i%28, 0, 0, 0, 0, time.UTC).AddDate(0, i/28, 0).Format(time.DateOnly)))
	}
	if len(h.Days) != skill.HistoryDays {
		t.Errorf("%d days kept, want %d", len(h.Days), skill.HistoryDays)
	}
	if h.Longest < 28 {
		t.Errorf("longest %d, want at least 28", h.Longest)
	}
}
