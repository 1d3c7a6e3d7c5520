package rtnl_test

import (
	"testing"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/decode/rtnl"
	"golang.org/x/sys/unix"
)

// routeDump builds the reply records of a dump of n /32 routes through one
// device, as the kernel sends them for `ip route show` (rtmsg, RTA_TABLE,
// RTA_DST, RTA_OIF), packed into 32 KiB receives and ended by NLMSG_DONE.
func routeDump(n int) []capture.Record {
	var recs []capture.Record
	var buf []byte
	var e client.AttributeEncoder
	flush := func() {
		recs = append(recs, capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_ROUTE, Data: buf, OrigLen: len(buf)})
		buf = nil
	}
	for i := range n {
		e.Reset()
		e.Uint32(unix.RTA_TABLE, unix.RT_TABLE_MAIN)
		e.Bytes(unix.RTA_DST, []byte{172, 16, byte(i >> 8), byte(i)})
		e.Uint32(unix.RTA_OIF, 2)
		attrs, _ := e.Encode()
		body := client.RtMsg{Family: unix.AF_INET, DstLen: 32, Table: unix.RT_TABLE_MAIN, Protocol: unix.RTPROT_BOOT,
			Scope: unix.RT_SCOPE_LINK, Type: unix.RTN_UNICAST}.Append(nil)
		body = append(body, attrs...)
		m := client.Message{Header: client.Header{Type: unix.RTM_NEWROUTE, Flags: client.FlagMulti, Sequence: 1, PortID: 77}, Data: body}
		buf = m.Append(buf)
		if len(buf) > 32<<10-100 {
			flush()
		}
	}
	buf = client.Message{Header: client.Header{Type: client.TypeDone, Flags: client.FlagMulti, Sequence: 1, PortID: 77}, Data: make([]byte, 4)}.Append(buf)
	flush()
	return recs
}

// linkDump returns the recorded RTM_NEWLINK dump replies repeated to hold
// at least n messages.
func linkDump(b *testing.B, n int) []capture.Record {
	var replies []capture.Record
	for _, c := range loadKernelCases(b) {
		if c.name != "links" {
			continue
		}
		for _, r := range c.records {
			if r.Direction == capture.FromKernel {
				replies = append(replies, r)
			}
		}
	}
	var out []capture.Record
	count := 0
	for count < n {
		for _, r := range replies {
			out = append(out, r)
			for range client.Messages(r.Data) {
				count++
			}
		}
	}
	return out
}

func benchDecode(b *testing.B, recs []capture.Record) {
	reg := decode.NewRegistry(rtnl.Family())
	msgs, size := 0, 0
	for _, r := range recs {
		size += len(r.Data)
		for range client.Messages(r.Data) {
			msgs++
		}
	}
	var tree decode.Tree
	var text []byte
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	start := time.Now()
	for range b.N {
		d := decode.NewDecoder(reg)
		for i := range recs {
			d.Decode(&tree, &recs[i])
			text = render.Append(text[:0], &tree, render.Compact)
		}
	}
	elapsed := time.Since(start).Seconds()
	b.ReportMetric(float64(msgs*b.N)/elapsed, "msgs/s")
	// On a shared machine the wall clock counts time the benchmark waited
	// for a core; the process's CPU time does not.
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(msgs*b.N)/cpu, "msgs/cpu-s")
	}
	b.ReportMetric(float64(size*b.N)/elapsed/1e6, "MB/s")
	b.ReportMetric(float64(msgs), "msgs/op")
}

// BenchmarkDecodeRouteDump decodes a 100,000-route RTM_NEWROUTE dump to the
// field tree and compact text.
func BenchmarkDecodeRouteDump(b *testing.B) { benchDecode(b, routeDump(100000)) }

// BenchmarkDecodeLinkDump decodes a RTM_NEWLINK dump (real kernel bytes,
// repeated to 10,000 messages) to the field tree and compact text.
func BenchmarkDecodeLinkDump(b *testing.B) { benchDecode(b, linkDump(b, 10000)) }

// cpuTime returns the CPU time (user and system) the process has used, in
// seconds.
func cpuTime() float64 {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
