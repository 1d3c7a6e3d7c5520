package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/internal/golden"
	"github.com/nltrace/nltrace/pipeline"
)

var update = flag.Bool("update", false, "rewrite golden files")

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, *update, name, got)
}

// sliceSource is a capture.Source over fixed records, standing in for a
// live backend.
type sliceSource struct {
	recs  []capture.Record
	next  int
	stats capture.Stats
}

func (s *sliceSource) ReadInto(_ context.Context, r *capture.Record) error {
	if s.next == len(s.recs) {
		return io.EOF
	}
	*r = s.recs[s.next]
	s.next++
	s.stats.Records++
	if r.Truncated() {
		s.stats.Truncated++
	}
	return nil
}

func (s *sliceSource) Stats() capture.Stats { return s.stats }
func (s *sliceSource) Close() error         { return nil }

// testRecords are real kernel bytes (testdata/kernel, recorded by
// decode/rtnl's kernel tests: a direction byte, a little-endian length, the
// bytes) dressed as eBPF records of two processes, plus a generic-netlink
// exchange and a record cut at the snap length. Times are local, as live
// capture gives them, and 1µs apart.
func testRecords(t testing.TB) []capture.Record {
	t.Helper()
	base := time.Date(2026, 1, 2, 12, 0, 1, 0, time.Local)
	var recs []capture.Record
	add := func(r capture.Record) {
		r.Time = base.Add(time.Duration(len(recs)) * time.Microsecond)
		if r.OrigLen == 0 {
			r.OrigLen = len(r.Data)
		}
		r.Method = capture.MethodTracepoint
		recs = append(recs, r)
	}
	for i, name := range []string{"addresses", "errors", "capped_errors", "routes"} {
		b, err := os.ReadFile(filepath.Join("testdata", "kernel", name+".bin"))
		if err != nil {
			t.Fatal(err)
		}
		pid := uint32(4242 + i)
		for len(b) >= 5 {
			dir := capture.FromKernel
			if b[0] == 1 {
				dir = capture.ToKernel
			}
			n := int(binary.LittleEndian.Uint32(b[1:5]))
			if 5+n > len(b) {
				t.Fatalf("%s: truncated record", name)
			}
			add(capture.Record{
				Direction: dir, Protocol: unix.NETLINK_ROUTE, PID: pid, TID: pid + 1, Comm: "ip",
				NetNS: 4026531840, PortID: pid, Data: b[5 : 5+n],
			})
			b = b[5+n:]
		}
	}
	// CTRL_CMD_GETFAMILY for "nlctrl", refused with -ENOENT.
	req := nlmsg(unix.GENL_ID_CTRL, unix.NLM_F_REQUEST|unix.NLM_F_ACK, 7, 0,
		[]byte{unix.CTRL_CMD_GETFAMILY, 1, 0, 0, 11, 0, unix.CTRL_ATTR_FAMILY_NAME, 0, 'n', 'l', 'c', 't', 'r', 'l', 0, 0})
	add(capture.Record{Direction: capture.ToKernel, Protocol: unix.NETLINK_GENERIC, PID: 77, TID: 77, Comm: "genl", PortID: 77, Data: req})
	enoent := binary.NativeEndian.AppendUint32(nil, uint32(0xffffffff-unix.ENOENT+1))
	add(capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_GENERIC, PID: 77, TID: 77, Comm: "genl", PortID: 77,
		Data: nlmsg(unix.NLMSG_ERROR, unix.NLM_F_CAPPED, 7, 77, append(enoent, req[:16]...))})
	// A dump reply cut at a snap length of 40 bytes.
	var full []byte
	for _, r := range recs {
		if r.Direction == capture.FromKernel && len(r.Data) > len(full) {
			full = r.Data
		}
	}
	add(capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_ROUTE, PID: 4245, TID: 4246, Comm: "ip", PortID: 4245,
		Data: full[:min(40, len(full))], OrigLen: len(full)})
	return recs
}

func nlmsg(typ, flags uint16, seq, port uint32, payload []byte) []byte {
	b := binary.NativeEndian.AppendUint32(nil, uint32(16+len(payload)))
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = binary.NativeEndian.AppendUint16(b, flags)
	b = binary.NativeEndian.AppendUint32(b, seq)
	b = binary.NativeEndian.AppendUint32(b, port)
	return append(b, payload...)
}

// liveRun drives records through what a live trace runs after its source
// is open: the trace flags, the outputs, the pipeline, the read loop, the
// statistics block and the summary.
func liveRun(t *testing.T, recs []capture.Record, args []string) (stdout, stderr string) {
	t.Helper()
	o, err := parseTraceOptions(append(args, "-a"), stdio{out: io.Discard, err: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	std := stdio{in: strings.NewReader(""), out: &out, err: &errOut}
	outs, err := openOutputs(o, std, capture.MethodTracepoint)
	if err != nil {
		t.Fatal(err)
	}
	p, err := pipeline.New(outs.text, outs.recordSink(), outs.opts)
	if err != nil {
		t.Fatal(err)
	}
	src := &sliceSource{recs: recs}
	if err := consume(context.Background(), src, p); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := outs.finish(src.Stats()); err != nil {
		t.Fatal(err)
	}
	p.Summary(&errOut, src.Stats())
	return out.String(), errOut.String()
}

func readRun(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(append([]string{"read"}, args...), stdio{in: strings.NewReader(""), out: &out, err: &errOut}); code != 0 {
		t.Fatalf("nltrace read %v: exit %d: %s", args, code, errOut.String())
	}
	return out.String(), errOut.String()
}

// TestLiveEqualsRead feeds the same records through the live pipeline,
// which also writes them with -w, and through nltrace read of that file:
// the text must be the same, in every format and with every filter.
func TestLiveEqualsRead(t *testing.T) {
	recs := testRecords(t)
	tests := []struct {
		name    string
		filters []string
	}{
		{"compact", nil},
		{"tree", []string{"--format", "tree"}},
		{"hex", []string{"--format", "hex"}},
		{"json", []string{"--format", "json"}},
		{"family generic", []string{"--family", "generic"}},
		{"type", []string{"--type", "RTM_*ADDR,RTM_GETROUTE"}},
		{"errors", []string{"--errors", "--format", "tree"}},
		{"comm", []string{"--comm", "genl"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "live.pcapng")
			live, liveSummary := liveRun(t, recs, append([]string{"-o", "-", "-w", file}, tt.filters...))
			if live == "" {
				t.Fatal("the live pipeline printed nothing")
			}
			read, readSummary := readRun(t, append(tt.filters, file)...)
			if diff := cmp.Diff(live, read); diff != "" {
				t.Errorf("read output differs from live output (-live +read):\n%s", diff)
			}
			// The file holds only the records the filters kept, so reading it
			// again without filters shows the same messages.
			unfiltered, _ := readRun(t, append(formatOnly(tt.filters), file)...)
			if diff := cmp.Diff(live, unfiltered); diff != "" {
				t.Errorf("the -w file holds other records than the filters kept (-live +read):\n%s", diff)
			}
			// Summaries agree on messages and types: they count what the
			// filters kept, which is what the file holds.
			if diff := cmp.Diff(summaryWithoutRecords(liveSummary), summaryWithoutRecords(readSummary)); diff != "" {
				t.Errorf("summaries differ (-live +read):\n%s", diff)
			}
		})
	}
}

// formatOnly keeps the --format flag of a flag list.
func formatOnly(args []string) []string {
	for i, a := range args {
		if a == "--format" && i+1 < len(args) {
			return args[i : i+2]
		}
	}
	return nil
}

// summaryWithoutRecords is the summary without the records line, which counts
// records read rather than kept.
func summaryWithoutRecords(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "records:") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestPipelineGolden pins what the pipeline prints for each filter, and
// the summary.
func TestPipelineGolden(t *testing.T) {
	recs := testRecords(t)
	tests := []struct {
		name string
		args []string
	}{
		{"all", nil},
		{"tree", []string{"--format", "tree"}},
		{"family_generic", []string{"--family", "generic"}},
		{"type_addr", []string{"--type", "RTM_*ADDR"}},
		{"errors", []string{"--errors"}},
		{"comm", []string{"--comm", "genl"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, summary := liveRun(t, recs, tt.args)
			checkGolden(t, tt.name, []byte(out+"--- summary\n"+summary))
		})
	}
}

// TestPipelineEveryLineHasLead checks that every message line says when,
// who, which way and which protocol, as DESIGN.md's output shows.
func TestPipelineEveryLineHasLead(t *testing.T) {
	out, _ := liveRun(t, testRecords(t), nil)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) < 10 {
		t.Fatalf("only %d lines", len(lines))
	}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 5 {
			t.Errorf("short line %q", l)
			continue
		}
		if _, err := time.Parse("15:04:05.000000", f[0]); err != nil {
			t.Errorf("line %q: no time: %v", l, err)
		}
		if !strings.HasPrefix(f[1], "ip(") && !strings.HasPrefix(f[1], "genl(") {
			t.Errorf("line %q: no comm(pid)", l)
		}
		if f[2] != "→" && f[2] != "←" {
			t.Errorf("line %q: no direction arrow", l)
		}
		if f[3] != "route" && f[3] != "generic" {
			t.Errorf("line %q: no protocol", l)
		}
	}
}

func TestPipelineOptionErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts pipeline.Options
		want string
	}{
		{"format", pipeline.Options{Format: "xml"}, `unknown output format "xml"`},
		{"glob", pipeline.Options{Filter: pipeline.Filter{Types: []string{"RTM_[LINK"}}}, "bad --type pattern"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := pipeline.New(io.Discard, nil, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	if _, err := pipeline.ParseFamilies("route,bogus"); err == nil {
		t.Error("parseFamilies accepted an unknown family")
	}
	got, err := pipeline.ParseFamilies("route, NETLINK_GENERIC,12")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]uint16{0, 16, 12}, got); diff != "" {
		t.Errorf("parseFamilies (-want +got):\n%s", diff)
	}
}

// TestPipelineJSONRecordFields checks the record fields the pipeline adds
// to the dissector's JSON lines: each line stays valid JSON, and carries
// the record's thread, namespace, socket port id, method and the message's
// bytes.
func TestPipelineJSONRecordFields(t *testing.T) {
	recs := testRecords(t)
	out, _ := liveRun(t, recs, []string{"--format", "json", "--comm", "genl"})
	type line struct {
		PID       uint32   `json:"pid"`
		TID       uint32   `json:"tid"`
		NetNS     uint64   `json:"netns"`
		PortID    uint32   `json:"port_id"`
		Port      uint32   `json:"port"`
		Method    string   `json:"method"`
		Type      string   `json:"type"`
		Flags     []string `json:"flags"`
		Error     *int32   `json:"error"`
		Request   string   `json:"request"`
		Bytes     string   `json:"bytes"`
		Truncated bool     `json:"truncated"`
	}
	var got []line
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var v line
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("bad JSON %q: %v", l, err)
		}
		got = append(got, v)
	}
	enoent := -int32(unix.ENOENT)
	want := []line{
		{PID: 77, TID: 77, PortID: 77, Method: "tracepoint", Type: "CTRL_CMD_GETFAMILY", Flags: []string{"req", "ack"}, Bytes: hex.EncodeToString(recs[len(recs)-3].Data)},
		{PID: 77, TID: 77, PortID: 77, Port: 77, Method: "tracepoint", Type: "NLMSG_ERROR", Flags: []string{"capped"}, Error: &enoent, Request: "CTRL_CMD_GETFAMILY", Bytes: hex.EncodeToString(recs[len(recs)-2].Data)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON lines (-want +got):\n%s", diff)
	}

	// The record cut at the snap length says so.
	out, _ = liveRun(t, recs[len(recs)-1:], []string{"--format", "json"})
	var cut line
	if err := json.Unmarshal([]byte(out), &cut); err != nil {
		t.Fatal(err)
	}
	if !cut.Truncated || cut.NetNS != 0 || cut.TID != 4246 || len(cut.Bytes) != 80 {
		t.Errorf("truncated record: %+v", cut)
	}
}
