package render

import (
	"testing"
	"time"
)

// TestAppendClock checks the hand-written clock against Time.AppendFormat
// across the day, every digit position and time zones.
func TestAppendClock(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	for _, tm := range []time.Time{
		time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 23, 9, 5, 7, 1000, time.UTC),
		time.Date(2026, 11, 23, 12, 0, 1, 999, time.UTC),
		time.Date(2026, 11, 23, 23, 59, 59, 999999999, time.UTC),
		time.Date(2026, 11, 23, 14, 11, 47, 972409000, berlin),
		time.Unix(1795443108, 123456789),
	} {
		want := tm.AppendFormat(nil, "15:04:05.000000")
		if got := appendClock(nil, tm); string(got) != string(want) {
			t.Errorf("appendClock(%v) = %s, want %s", tm, got, want)
		}
	}
}
