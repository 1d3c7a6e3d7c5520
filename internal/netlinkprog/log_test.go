package netlinkprog

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLogRoundTrip(t *testing.T) {
	ops := []Op{
		{Send: true, PID: 10, TID: 11, Locked: true, Port: 12, Call: "sendto", Data: []byte{0x11, 0, 0, 0, 0x12, 0}},
		{PID: 10, TID: 13, Port: 3000000000, Group: 1, Call: "recvmmsg", Data: bytes.Repeat([]byte{0xab}, 40000)},
	}
	var buf bytes.Buffer
	l := &Logger{w: &buf}
	if err := l.Note("pid=%d", 10); err != nil {
		t.Fatal(err)
	}
	for _, o := range ops {
		if err := l.Log(o); err != nil {
			t.Fatal(err)
		}
	}
	got, notes, err := ParseLog(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ops, got); diff != "" {
		t.Errorf("ops (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"pid=10"}, notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

func TestParseLogErrors(t *testing.T) {
	for _, tc := range []struct{ name, line, want string }{
		{"too few fields", "send 1 2 locked 3 0 sendto", "want 8 fields"},
		{"direction", "sent 1 2 locked 3 0 sendto 00", "bad direction"},
		{"binding", "send 1 2 pinned 3 0 sendto 00", "bad thread binding"},
		{"number", "send x 2 locked 3 0 sendto 00", "field 2"},
		{"hex", "send 1 2 locked 3 0 sendto 0g", "bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ParseLog(strings.NewReader(tc.line + "\n"))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
