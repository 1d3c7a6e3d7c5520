package netlinkprog

import "testing"

func TestEndsOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		want int
	}{
		{"empty", nil, 0},
		{"done", finish(header(nil, 3, 2, 1)), 1},
		{"link then error", append(getLinkByIndex(1, 1), finish(append(header(nil, 2, 0, 1), 0, 0, 0, 0))...), 1},
		{"two dones", append(finish(header(nil, 3, 2, 1)), finish(header(nil, 3, 2, 2))...), 2},
		{"17 bytes then done", append(append(getLinkDump(1), 0, 0, 0), finish(header(nil, 3, 2, 1))...), 1},
		{"bad length", []byte{1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := endsOf(tc.in); got != tc.want {
				t.Errorf("endsOf = %d, want %d", got, tc.want)
			}
		})
	}
}
