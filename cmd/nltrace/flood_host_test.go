package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/internal/testenv"
)

// TestTraceFloodCounts traces one process that sends RTM_GETLINK requests
// and receives their replies as fast as it can for half a second, with the
// smallest ring buffer so that records are lost, in text mode and with -w.
// Whatever was lost, every send and receive call is accounted for: the
// records nltrace captured plus those it counted as dropped equal the
// calls the program made, exactly. It asserts counts, not rates.
func TestTraceFloodCounts(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	for _, mode := range []struct {
		name string
		args []string
	}{
		{"text", []string{"-o", "/dev/null"}},
		{"pcapng", []string{"-w", filepath.Join(t.TempDir(), "flood.pcapng")}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			ns := newNetNS(t)
			args := append([]string{"-B", "64"}, mode.args...)
			args = append(args, "--", tl.prog, "flood", "500ms")
			r := traceToEnd(t, tl, ns, 0, args...)
			var sends, receives, calls int
			var secs float64
			line := lineWith(r.stdout.String(), "flood: ")
			if _, err := fmt.Sscanf(line, "flood: sends %d receives %d records %d in %f s", &sends, &receives, &calls, &secs); err != nil {
				t.Fatalf("flood line %q: %v; stdout:\n%s", line, err, r.stdout)
			}
			var records, dropped, ringFull, other, truncated int
			line = lineWith(r.stderr.String(), "records: ")
			if _, err := fmt.Sscanf(strings.TrimPrefix(line, "nltrace: "), "records: %d, dropped: %d (ring buffer full %d, other losses %d), truncated: %d", &records, &dropped, &ringFull, &other, &truncated); err != nil {
				if _, err := fmt.Sscanf(strings.TrimPrefix(line, "nltrace: "), "records: %d, dropped: %d", &records, &dropped); err != nil {
					t.Fatalf("summary line %q: %v; stderr:\n%s", line, err, r.stderr)
				}
			}
			if records+dropped != calls {
				t.Errorf("captured %d + dropped %d = %d records, the program made %d calls (%d sends, %d receives); stderr:\n%s",
					records, dropped, records+dropped, calls, sends, receives, r.stderr)
			}
			t.Logf("%s: %d calls in %.3f s: %d captured, %d dropped", mode.name, calls, secs, records, dropped)
		})
	}
}
