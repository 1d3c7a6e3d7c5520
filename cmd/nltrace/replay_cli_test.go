package main

// Tests of nltrace replay that need no privileges: usage errors and
// --emit-go, which reads a capture and writes a test without replaying.

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/client"
)

// writeCapture writes recs to a pcapng file.
func writeCapture(t *testing.T, recs ...capture.Record) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "in.pcapng")
	w, err := pcapng.Create(name, &pcapng.WriterConfig{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		if err := w.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(capture.Stats{Records: uint64(len(recs))}); err != nil {
		t.Fatal(err)
	}
	return name
}

func netlinkBytes(msgs ...client.Message) []byte {
	var b []byte
	for _, m := range msgs {
		b = m.Append(b)
	}
	return b
}

// addrCapture is a link message naming lo, an address add to lo and its
// ACK.
func addrCapture(t *testing.T) string {
	t.Helper()
	var e client.AttributeEncoder
	e.Bytes(2, []byte{10, 0, 0, 1}) // IFA_LOCAL
	attrs, _ := e.Encode()
	add := client.Message{Header: client.Header{Type: 20, Flags: client.FlagRequest | client.FlagAck, Sequence: 4}, Data: append(client.IfAddrMsg{Family: 2, PrefixLen: 24, Index: 1}.Append(nil), attrs...)}
	ack := client.Message{Header: client.Header{Type: client.TypeError, Flags: client.FlagCapped, Sequence: 4, PortID: 77}, Data: append(make([]byte, 4), add.Header.Append(nil)...)}
	now := time.Now()
	rec := func(dir capture.Direction, m client.Message) capture.Record {
		b := netlinkBytes(m)
		return capture.Record{Time: now, Direction: dir, Protocol: 0, PID: 9, Comm: "ip", PortID: 77, Data: b, OrigLen: len(b)}
	}
	// A link message names index 1, as a dump's reply would.
	var l client.AttributeEncoder
	l.String(3, "lo") // IFLA_IFNAME
	lattrs, _ := l.Encode()
	lo := client.Message{Header: client.Header{Type: 16, Flags: client.FlagMulti, Sequence: 1, PortID: 77}, Data: append(client.IfInfoMsg{Index: 1}.Append(nil), lattrs...)}
	return writeCapture(t, rec(capture.FromKernel, lo), rec(capture.ToKernel, add), rec(capture.FromKernel, ack))
}

func TestReplayUsageErrors(t *testing.T) {
	file := addrCapture(t)
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"replay"}, "replay needs exactly one capture file"},
		{[]string{"replay", "--bogus", file}, "flag provided but not defined: -bogus\nusage: nltrace replay"},
		{[]string{"replay", "--records", "5-2", file}, `--records: range "5-2" ends before it starts`},
		{[]string{"replay", "--records", "x", file}, `--records: bad record number "x"`},
		{[]string{"replay", "--format", "yaml", file}, `--format "yaml": want text or json`},
		{[]string{"replay", "--emit-go", "x.go", "--netns", "foo", file}, "--emit-go writes a test instead of replaying"},
		{[]string{"replay", "-w", "-", file}, "-w -: standard output carries the report"},
		{[]string{"replay", "-w", file, file}, "is the capture file being read"},
		{[]string{"replay", "--type", "rtm_*addr", file}, `did you mean "RTM_*ADDR"?`},
		{[]string{"replay", "--family", "nope", file}, `unknown netlink protocol "nope"`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, errs, code := runCLI(tc.args...)
			if code != 2 || !strings.Contains(errs, tc.stderr) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 2, no stdout, stderr with %q", code, out, errs, tc.stderr)
			}
		})
	}
	if out, _, code := runCLI("help", "replay"); code != 0 || !strings.HasPrefix(out, "usage: nltrace replay") {
		t.Errorf("help replay: exit %d:\n%s", code, out)
	}
}

func TestParseRange(t *testing.T) {
	for _, tc := range []struct {
		in          string
		first, last int
	}{
		{"", 0, 0}, {"7", 7, 7}, {"3-9", 3, 9}, {"4-", 4, 0}, {"-12", 0, 12},
	} {
		first, last, err := parseRange(tc.in)
		if err != nil || first != tc.first || last != tc.last {
			t.Errorf("parseRange(%q) = %d, %d, %v; want %d, %d", tc.in, first, last, err, tc.first, tc.last)
		}
	}
	for _, bad := range []string{"0", "-", "a-b", "5-2", "1-0x"} {
		if _, _, err := parseRange(bad); err == nil {
			t.Errorf("parseRange(%q) accepted", bad)
		}
	}
}

// TestReplayEmitGoStdout writes the test to standard output, reading the
// capture from standard input: no privileges needed.
func TestReplayEmitGoStdout(t *testing.T) {
	b, err := os.ReadFile(addrCapture(t))
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run([]string{"replay", "--emit-go", "-", "--go-package", "regress", "-"}, stdio{in: bytes.NewReader(b), out: &out, err: &errb})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"//go:build linux", "package regress", "// record 2: RTM_NEWADDR", `{off: 20, size: 4, bigEndian: false, ifname: "lo"}`, "want: outcome{answered: true, acked: true, errno: 0"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("emitted test lacks %q:\n%s", want, out.String())
		}
	}
	// A file argument is created private, like every output file.
	name := filepath.Join(t.TempDir(), "x_test.go")
	code = run([]string{"replay", "--emit-go", name, "-"}, stdio{in: bytes.NewReader(b), out: &out, err: &errb})
	if st, err := os.Stat(name); code != 0 || err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("exit %d, %v, %v", code, err, st)
	}
}
