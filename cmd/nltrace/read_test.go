package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/internal/testenv"
)

func testMessage(typ, flags uint16, seq, port uint32) []byte {
	b := binary.NativeEndian.AppendUint32(nil, 20)
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = binary.NativeEndian.AppendUint16(b, flags)
	b = binary.NativeEndian.AppendUint32(b, seq)
	b = binary.NativeEndian.AppendUint32(b, port)
	return append(b, 0, 0, 0, 0)
}

func writeTestCapture(t testing.TB, path string) {
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
	// The test capture records 2 drops in its closing statistics block.
	const gap = "--- 2 records lost during the capture, the file does not say where (ring buffer full 2, other losses 0) ---\n"
	dir := t.TempDir()
	path := filepath.Join(dir, "c.pcapng")
	writeTestCapture(t, path)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"all", []string{path}, "" +
			"12:00:01.123456 ip(42) → route RTM_GETLINK req,dump seq=7 family=unspec type=netrom\n" +
			"12:00:01.124456 ip(42) ← route NLMSG_DONE seq=7 end of RTM_GETLINK dump: 0 messages in 1.000ms\n" +
			"12:00:01.125456 genl(43) ← generic NLMSG_DONE seq=8\n" + gap},
		{"family", []string{"--family", "generic", path}, "12:00:01.125456 genl(43) ← generic NLMSG_DONE seq=8\n" + gap},
		{"families", []string{"--family", "generic,route", path}, "" +
			"12:00:01.123456 ip(42) → route RTM_GETLINK req,dump seq=7 family=unspec type=netrom\n" +
			"12:00:01.124456 ip(42) ← route NLMSG_DONE seq=7 end of RTM_GETLINK dump: 0 messages in 1.000ms\n" +
			"12:00:01.125456 genl(43) ← generic NLMSG_DONE seq=8\n" + gap},
		{"pid", []string{"-p", "43", path}, "12:00:01.125456 genl(43) ← generic NLMSG_DONE seq=8\n" + gap},
		{"comm", []string{"--comm", "ip", path}, "" +
			"12:00:01.123456 ip(42) → route RTM_GETLINK req,dump seq=7 family=unspec type=netrom\n" +
			"12:00:01.124456 ip(42) ← route NLMSG_DONE seq=7 end of RTM_GETLINK dump: 0 messages in 1.000ms\n" + gap},
		{"type with its replies", []string{"--type", "RTM_GET*", path}, "" +
			"12:00:01.123456 ip(42) → route RTM_GETLINK req,dump seq=7 family=unspec type=netrom\n" +
			"12:00:01.124456 ip(42) ← route NLMSG_DONE seq=7 end of RTM_GETLINK dump: 0 messages in 1.000ms\n" + gap},
		{"errors", []string{"--errors", path}, gap},
		{"output file", []string{"-o", filepath.Join(dir, "out.txt"), path}, ""},
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
			if !strings.Contains(errOut.String(), "recorded 2 dropped records") || !strings.Contains(errOut.String(), "dropped: 2") {
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
	damaged := filepath.Join(dir, "damaged.pcapng")
	bad := bytes.Clone(b)
	// The second packet block's trailing length.
	first := 0
	for off := 0; off < len(bad); off += int(binary.LittleEndian.Uint32(bad[off+4:])) {
		if binary.LittleEndian.Uint32(bad[off:]) == 6 {
			if first != 0 {
				binary.LittleEndian.PutUint32(bad[off+int(binary.LittleEndian.Uint32(bad[off+4:]))-4:], 999)
				break
			}
			first = off
		}
	}
	os.WriteFile(damaged, bad, 0o644)
	cutHeader := filepath.Join(dir, "cut-header.pcapng")
	os.WriteFile(cutHeader, b[:20], 0o644)
	empty := filepath.Join(dir, "empty.pcap")
	os.WriteFile(empty, nil, 0o644)
	tests := []struct {
		name     string
		args     []string
		code     int
		stderrIn []string
	}{
		{"not a capture", []string{notCapture}, 1, []string{notCapture, "offset 0", "not a pcap or pcapng"}},
		{"empty", []string{empty}, 1, []string{empty, "empty file"}},
		{"cut in the header", []string{cutHeader}, 1, []string{cutHeader, "header"}},
		{"directory", []string{dir}, 1, []string{dir}},
		{"bad format", []string{"--format", "xml", good}, 2, []string{`unknown output format "xml"`}},
		{"bad family", []string{"--family", "nosuch", good}, 2, []string{"--family"}},
		{"same output twice", []string{"-o", "x", "-w", "x", good}, 2, []string{"same file"}},
		{"missing", []string{filepath.Join(dir, "nope")}, 1, []string{"no such file"}},
		{"truncated", []string{cut}, 1, []string{cut, "read the 3 complete frames", "--keep-going"}},
		{"truncated, keep going", []string{"--keep-going", cut}, 0, []string{"warning", cut, "read the 3 complete frames"}},
		{"damaged in the middle", []string{damaged}, 1, []string{damaged, "damaged enhanced packet block at offset"}},
		{"damaged, keep going", []string{"--keep-going", damaged}, 0, []string{"warning", damaged, "skipped"}},
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

func TestReadOutputFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.pcapng")
	writeTestCapture(t, path)
	txt := filepath.Join(dir, "out.txt")
	var out, errOut bytes.Buffer
	if code := run([]string{"read", "-o", txt, path}, stdio{out: &out, err: &errOut}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	got, err := os.ReadFile(txt)
	if err != nil {
		t.Fatal(err)
	}
	var direct bytes.Buffer
	run([]string{"read", path}, stdio{out: &direct, err: io.Discard})
	if diff := cmp.Diff(direct.String(), string(got)); diff != "" {
		t.Errorf("-o file differs from standard output (-stdout +file):\n%s", diff)
	}
	if out.Len() != 0 {
		t.Errorf("with -o, standard output got %q", out.String())
	}
}

// TestReadWriteStdout checks that -w - puts a pcapng copy on standard
// output and no text.
func TestReadWriteStdout(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.pcapng")
	writeTestCapture(t, path)
	var out, errOut bytes.Buffer
	if code := run([]string{"read", "-w", "-", path}, stdio{out: &out, err: &errOut}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var again, orig bytes.Buffer
	if code := run([]string{"read", "-"}, stdio{in: &out, out: &again, err: io.Discard}); code != 0 {
		t.Fatal("the -w - copy does not read back")
	}
	run([]string{"read", path}, stdio{out: &orig, err: io.Discard})
	if diff := cmp.Diff(orig.String(), again.String()); diff != "" {
		t.Errorf("copy reads differently (-original +copy):\n%s", diff)
	}
}

// sharedPcaps is where the repository keeps real nlmon captures made by
// other projects.
func sharedPcaps(t testing.TB) string { return testenv.PcapDir(t) }

// TestReadSharedPcaps reads every frame of real nlmon captures made by
// other projects and checks that no message or field is marked malformed.
func TestReadSharedPcaps(t *testing.T) {
	dir := sharedPcaps(t)
	for _, tc := range []struct {
		file             string
		frames, messages int
	}{
		{"ld-rtnetlink.pcap", 527, 1043},
		{"gtp.pcap", 373, 498},
		{"ovs-netlink.pcap", 399, 422},
	} {
		t.Run(tc.file, func(t *testing.T) {
			out, errOut := readRun(t, "--format", "json", filepath.Join(dir, tc.file))
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) != tc.messages {
				t.Errorf("%d messages, want %d", len(lines), tc.messages)
			}
			for i, l := range lines {
				var v any
				if err := json.Unmarshal([]byte(l), &v); err != nil {
					t.Fatalf("message %d: bad JSON: %v", i+1, err)
				}
				if path := findMalformed(v, ""); path != "" {
					t.Errorf("message %d: malformed at %s: %s", i+1, path, l)
				}
			}
			if want := fmt.Sprintf("records: %d, dropped: 0", tc.frames); !strings.Contains(errOut, want) {
				t.Errorf("summary %q lacks %q", errOut, want)
			}
			if strings.Contains(errOut, "warning") {
				t.Errorf("warnings: %s", errOut)
			}
		})
	}
}

// findMalformed returns the path to a "malformed": true in a decoded JSON
// value, or "".
func findMalformed(v any, path string) string {
	switch v := v.(type) {
	case map[string]any:
		if m, ok := v["malformed"].(bool); ok && m {
			return path + "/" + fmt.Sprint(v["name"])
		}
		for k, c := range v {
			if p := findMalformed(c, path+"/"+k); p != "" {
				return p
			}
		}
	case []any:
		for i, c := range v {
			if p := findMalformed(c, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

// FuzzRead feeds arbitrary files to nltrace read: it must never panic, and
// a file it refuses must get exit status 1 and a message naming it.
func FuzzRead(f *testing.F) {
	dir := f.TempDir()
	path := filepath.Join(dir, "c.pcapng")
	writeTestCapture(f, path)
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add([]byte("not a capture"))
	for _, name := range []string{"ld-rtnetlink.pcap", "gtp.pcap", "ovs-netlink.pcap"} {
		b, err := os.ReadFile(testenv.Pcap(f, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 4096)])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var out, errOut bytes.Buffer
		code := run([]string{"read", "--format", "tree", "-"}, stdio{in: bytes.NewReader(data), out: &out, err: &errOut})
		switch code {
		case 0:
		case 1:
			if !strings.Contains(errOut.String(), "standard input") {
				t.Errorf("refusal does not name the input: %s", errOut.String())
			}
		default:
			t.Errorf("exit %d: %s", code, errOut.String())
		}
	})
}

func TestReadFormatGo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.pcapng")
	writeTestCapture(t, path)
	var out, errOut bytes.Buffer
	if code := run([]string{"read", "--format", "go", "--family", "route", path}, stdio{in: strings.NewReader(""), out: &out, err: &errOut}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	want := "// 12:00:01.123456 ip(42) → route RTM_GETLINK req,dump seq=7 family=unspec type=netrom\n[]byte{\n"
	if !strings.HasPrefix(out.String(), want) || strings.Count(out.String(), "[]byte{") != 2 || !strings.Contains(out.String(), "\n// --- 2 records lost") {
		t.Errorf("output:\n%s\nwant it to start with\n%s", out.String(), want)
	}
}
