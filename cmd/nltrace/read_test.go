package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
)

func testMessage(typ, flags uint16, seq, port uint32) []byte {
	b := binary.NativeEndian.AppendUint32(nil, 20)
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = binary.NativeEndian.AppendUint16(b, flags)
	b = binary.NativeEndian.AppendUint32(b, seq)
	b = binary.NativeEndian.AppendUint32(b, port)
	return append(b, 0, 0, 0, 0)
}

func writeTestCapture(t *testing.T, path string) {
	t.Helper()
	w, err := pcapng.Create(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2025, 3, 1, 12, 0, 1, 123456000, time.Local)
	recs := []capture.Record{
		{Time: t0, Direction: capture.ToKernel, Protocol: 0, PID: 42, Comm: "ip", Data: testMessage(18, 0x301, 7, 0), Method: capture.MethodTracepoint},
		{Time: t0.Add(time.Millisecond), Direction: capture.FromKernel, Protocol: 0, PID: 42, Comm: "ip", Data: testMessage(3, 0x2, 7, 99), Method: capture.MethodTracepoint},
		{Time: t0.Add(2 * time.Millisecond), Direction: capture.FromKernel, Protocol: 16, PID: 43, Comm: "genl", Data: testMessage(3, 0x2, 8, 98), Method: capture.MethodTracepoint},
	}
	for i := range recs {
		recs[i].OrigLen = len(recs[i].Data)
		if err := w.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(capture.Stats{Records: 3, RingFull: 2}); err != nil {
		t.Fatal(err)
	}
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.pcapng")
	writeTestCapture(t, path)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"all", []string{path}, "" +
			"12:00:01.123456 ip(42) → route 20 bytes\n    RTM_GETLINK flags=0x301 seq=7 port=0 len=20\n" +
			"12:00:01.124456 ip(42) ← route 20 bytes\n    NLMSG_DONE flags=0x2 seq=7 port=99 len=20\n" +
			"12:00:01.125456 genl(43) ← generic 20 bytes\n    NLMSG_DONE flags=0x2 seq=8 port=98 len=20\n"},
		{"family", []string{"--family", "generic", path}, "12:00:01.125456 genl(43) ← generic 20 bytes\n    NLMSG_DONE flags=0x2 seq=8 port=98 len=20\n"},
		{"pid", []string{"-p", "43", path}, "12:00:01.125456 genl(43) ← generic 20 bytes\n    NLMSG_DONE flags=0x2 seq=8 port=98 len=20\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(append([]string{"read"}, tt.args...), stdio{in: strings.NewReader(""), out: &out, err: &errOut})
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			if diff := cmp.Diff(tt.want, out.String()); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			if !strings.Contains(errOut.String(), "recorded 2 dropped records") {
				t.Errorf("stderr %q does not report the recorded drops", errOut.String())
			}
		})
	}
}

func TestReadWritesCopy(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.pcapng")
	writeTestCapture(t, path)
	cp := filepath.Join(dir, "copy.pcapng")
	var out, errOut bytes.Buffer
	if code := run([]string{"read", "-w", cp, "--family", "route", path}, stdio{out: &out, err: &errOut}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var again bytes.Buffer
	if code := run([]string{"read", cp}, stdio{out: &again, err: &errOut}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if diff := cmp.Diff(out.String(), again.String()); diff != "" {
		t.Errorf("the copy reads differently (-original +copy):\n%s", diff)
	}
}

func TestReadBadFiles(t *testing.T) {
	dir := t.TempDir()
	notCapture := filepath.Join(dir, "notes.txt")
	os.WriteFile(notCapture, []byte("just some text\n"), 0o644)
	good := filepath.Join(dir, "c.pcapng")
	writeTestCapture(t, good)
	b, _ := os.ReadFile(good)
	cut := filepath.Join(dir, "cut.pcapng")
	os.WriteFile(cut, b[:len(b)-40], 0o644) // into the statistics block
	tests := []struct {
		name     string
		args     []string
		code     int
		stderrIn []string
	}{
		{"not a capture", []string{notCapture}, 1, []string{notCapture, "offset 0", "not a pcap or pcapng"}},
		{"missing", []string{filepath.Join(dir, "nope")}, 1, []string{"no such file"}},
		{"truncated", []string{cut}, 0, []string{"warning", cut, "read the 3 complete frames"}},
		{"usage", nil, 2, []string{"usage"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(append([]string{"read"}, tt.args...), stdio{out: &out, err: &errOut})
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.code, errOut.String())
			}
			for _, s := range tt.stderrIn {
				if !strings.Contains(errOut.String(), s) {
					t.Errorf("stderr %q does not contain %q", errOut.String(), s)
				}
			}
		})
	}
}
