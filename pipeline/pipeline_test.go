package pipeline_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/pipeline"
)

func nlmsg(typ, flags uint16, seq, port uint32, payload []byte) []byte {
	h := client.Header{Length: uint32(client.HeaderLen + len(payload)), Type: typ, Flags: flags, Sequence: seq, PortID: port}
	return append(h.Append(nil), payload...)
}

const port = 4242

var base = time.Date(2026, 1, 2, 12, 0, 1, 0, time.UTC)

// linkRequest is an RTM_NEWLINK request (an empty ifinfomsg) as ip sends
// it, with sequence number seq.
func linkRequest(seq uint32) capture.Record {
	return record(capture.ToKernel, nlmsg(unix.RTM_NEWLINK, unix.NLM_F_REQUEST|unix.NLM_F_ACK, seq, 0, make([]byte, 16)))
}

// ack is the kernel's NLMSG_ERROR for request req with errno (0 or
// negative).
func ack(req capture.Record, errno int32) capture.Record {
	h, _ := client.ParseHeader(req.Data)
	payload := binary.NativeEndian.AppendUint32(nil, uint32(errno))
	payload = append(payload, req.Data[:client.HeaderLen]...)
	return record(capture.FromKernel, nlmsg(unix.NLMSG_ERROR, unix.NLM_F_CAPPED, h.Sequence, port, payload))
}

func record(dir capture.Direction, data []byte) capture.Record {
	return capture.Record{Time: base, Direction: dir, Protocol: unix.NETLINK_ROUTE, PID: 77, TID: 77, Comm: "ip",
		PortID: port, Data: data, OrigLen: len(data), Method: capture.MethodTracepoint}
}

func run(t *testing.T, opts pipeline.Options, recs []capture.Record) (text, summary string) {
	t.Helper()
	var out, sum bytes.Buffer
	p, err := pipeline.New(&out, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		if err := p.Handle(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	p.Summary(&sum, capture.Stats{Records: uint64(len(recs))})
	return out.String(), sum.String()
}

// TestErrorsSummaryCountsKept checks that with --errors the summary counts
// the messages shown (the failed request and its error), as every other
// filter's summary counts only what it kept.
func TestErrorsSummaryCountsKept(t *testing.T) {
	ok, bad := linkRequest(1), linkRequest(2)
	recs := []capture.Record{ok, ack(ok, 0), bad, ack(bad, -int32(unix.EINVAL))}
	text, summary := run(t, pipeline.Options{Filter: pipeline.Filter{Errors: true}}, recs)
	if n := strings.Count(text, "\n"); n != 2 {
		t.Fatalf("--errors printed %d lines, want the failed request and its error:\n%s", n, text)
	}
	if !strings.Contains(summary, "nltrace: 2 messages: 1 to kernel, 1 from kernel\n") ||
		!strings.Contains(summary, "        1 RTM_NEWLINK\n") || !strings.Contains(summary, "        1 NLMSG_ERROR\n") {
		t.Errorf("summary does not count the 2 messages shown:\n%s", summary)
	}
	// Without --errors all 4 are shown and counted.
	_, summary = run(t, pipeline.Options{}, recs)
	if !strings.Contains(summary, "nltrace: 4 messages: 2 to kernel, 2 from kernel\n") {
		t.Errorf("summary without filters:\n%s", summary)
	}
}

// TestErrorsPairingBounded sends more requests than --errors remembers
// before one of the recent ones fails: the table forgets the oldest, not
// every request it held, so the failure is still shown with its request.
func TestErrorsPairingBounded(t *testing.T) {
	const n = 4097
	var recs []capture.Record
	for seq := uint32(1); seq <= n; seq++ {
		recs = append(recs, linkRequest(seq))
	}
	recs = append(recs, ack(recs[3999], -int32(unix.EINVAL)), ack(recs[0], -int32(unix.EINVAL)))
	text, _ := run(t, pipeline.Options{Filter: pipeline.Filter{Errors: true}}, recs)
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want the failed request 4000, its error and the error of the forgotten request 1:\n%s", len(lines), text)
	}
	if !strings.Contains(lines[0], "RTM_NEWLINK") || !strings.Contains(lines[0], "seq=4000") {
		t.Errorf("first line is not the request with seq 4000: %s", lines[0])
	}
	if !strings.Contains(lines[2], "seq=1 ") || !strings.Contains(lines[2], "NLMSG_ERROR") {
		t.Errorf("last line is not the error of request 1: %s", lines[2])
	}
}

// TestErrorsPairsByProtocol: a generic-netlink request of the same port
// and sequence number as a route request must not take the route error's
// pairing.
func TestErrorsPairsByProtocol(t *testing.T) {
	route := linkRequest(5)
	genl := capture.Record{Time: base, Direction: capture.ToKernel, Protocol: unix.NETLINK_GENERIC, PID: 77, Comm: "ip", PortID: port,
		Data: nlmsg(unix.GENL_ID_CTRL, unix.NLM_F_REQUEST|unix.NLM_F_ACK, 5, 0, []byte{unix.CTRL_CMD_GETFAMILY, 1, 0, 0})}
	genl.OrigLen = len(genl.Data)
	text, _ := run(t, pipeline.Options{Filter: pipeline.Filter{Errors: true}}, []capture.Record{route, genl, ack(route, -int32(unix.EPERM))})
	if !strings.Contains(text, "→ route RTM_NEWLINK") || strings.Contains(text, "generic") {
		t.Errorf("the route error is not shown with the route request:\n%s", text)
	}
}

func TestCheckTypes(t *testing.T) {
	for _, g := range []string{"RTM_*LINK", "NLMSG_ERROR", "*", "type 1?", "NLMSG type 5", "nl80211", "NFNL_MSG_BATCH_*", "RTM_GETROUTE"} {
		if err := pipeline.CheckTypes([]string{g}); err != nil {
			t.Errorf("CheckTypes(%q): %v", g, err)
		}
	}
	for _, tc := range []struct{ glob, want string }{
		{"BOGUS_*", `--type "BOGUS_*" matches no message type nltrace knows`},
		{"rtm_newlink", `did you mean "RTM_NEWLINK"?`},
		{"RTM_[", `bad --type pattern "RTM_["`},
	} {
		err := pipeline.CheckTypes([]string{"RTM_NEWLINK", tc.glob})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckTypes(%q): %v, want an error with %q", tc.glob, err, tc.want)
		}
		if _, err := pipeline.New(&bytes.Buffer{}, nil, pipeline.Options{Filter: pipeline.Filter{Types: []string{tc.glob}}}); err == nil {
			t.Errorf("New accepted --type %q", tc.glob)
		}
	}
}

func TestFilter(t *testing.T) {
	r := linkRequest(1)
	for _, tc := range []struct {
		f    pipeline.Filter
		want bool
	}{
		{pipeline.Filter{}, true},
		{pipeline.Filter{Comm: "ip"}, true},
		{pipeline.Filter{Comm: "tc"}, false},
		{pipeline.Filter{PID: 77}, true},
		{pipeline.Filter{PID: 78}, false},
		{pipeline.Filter{Protocols: []uint16{unix.NETLINK_GENERIC, unix.NETLINK_ROUTE}}, true},
		{pipeline.Filter{Protocols: []uint16{unix.NETLINK_GENERIC}}, false},
	} {
		if got := tc.f.Record(&r); got != tc.want {
			t.Errorf("%+v.Record: %v, want %v", tc.f, got, tc.want)
		}
	}
	// An ACK is kept with its request's type.
	recs := []capture.Record{r, ack(r, 0)}
	text, _ := run(t, pipeline.Options{Filter: pipeline.Filter{Types: []string{"RTM_*LINK"}}}, recs)
	if n := strings.Count(text, "\n"); n != 2 {
		t.Errorf("--type RTM_*LINK kept %d messages, want the request and its ACK:\n%s", n, text)
	}
}

func ExampleCounts() {
	c := pipeline.NewCounts()
	c.Add(capture.ToKernel, "RTM_NEWLINK", 0)
	c.Add(capture.FromKernel, "NLMSG_ERROR", -int32(unix.EPERM))
	c.Write(os.Stdout, capture.Stats{Records: 2})
	// Output:
	// nltrace: 2 messages: 1 to kernel, 1 from kernel
	//          1 NLMSG_ERROR
	//          1 RTM_NEWLINK
	// errors:
	//          1 -EPERM (Operation not permitted)
	// records: 2, dropped: 0 (ring buffer full 0, other losses 0), truncated: 0
}
