package nfct_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/render"
	"golang.org/x/sys/unix"
)

// conntrackDump builds the reply records of a dump of n conntrack entries:
// the real entries of the recorded `conntrack -L` (TCP with protocol info
// and counters, UDP, ICMP, ICMPv6) repeated, packed into 32 KiB receives
// as the kernel packs them, and ended by NLMSG_DONE.
func conntrackDump(b *testing.B, n int) []capture.Record {
	var entries [][]byte
	for _, r := range readCapture(b, filepath.Join("testdata", "captures", "ct-list.pcapng")) {
		if r.Direction != capture.FromKernel {
			continue
		}
		for m, err := range client.Messages(r.Data) {
			if err == nil && m.Header.Type == 1<<8 {
				entries = append(entries, m.Append(nil))
			}
		}
	}
	if len(entries) == 0 {
		b.Fatal("no conntrack entries in ct-list.pcapng")
	}
	var recs []capture.Record
	var buf []byte
	flush := func() {
		recs = append(recs, capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_NETFILTER, Data: buf, OrigLen: len(buf)})
		buf = nil
	}
	for i := range n {
		buf = append(buf, entries[i%len(entries)]...)
		if len(buf) > 32<<10-300 {
			flush()
		}
	}
	h := client.Header{Type: client.TypeDone, Flags: client.FlagMulti}
	buf = client.Message{Header: h, Data: make([]byte, 4)}.Append(buf)
	flush()
	return recs
}

// cpuTime returns the CPU time the process has used, in seconds.
func cpuTime() float64 {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func benchConntrack(b *testing.B, text bool) {
	recs := conntrackDump(b, 100000)
	reg := registry()
	msgs, size := 0, 0
	for _, r := range recs {
		size += len(r.Data)
		for range client.Messages(r.Data) {
			msgs++
		}
	}
	var tree decode.Tree
	var out []byte
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	start := time.Now()
	for range b.N {
		d := decode.NewDecoder(reg)
		for i := range recs {
			d.Decode(&tree, &recs[i])
			if text {
				out = render.Append(out[:0], &tree, render.Compact)
			}
		}
	}
	elapsed := time.Since(start).Seconds()
	b.ReportMetric(float64(msgs*b.N)/elapsed, "msgs/s")
	// On a shared machine the wall clock counts time the benchmark
	// waited for a core; the process's CPU time does not.
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(msgs*b.N)/cpu, "msgs/cpu-s")
	}
	b.ReportMetric(float64(size*b.N)/elapsed/1e6, "MB/s")
	b.ReportMetric(float64(msgs), "msgs/op")
}

// BenchmarkDecodeConntrackDump decodes a 100,000-entry conntrack dump to
// the field tree and compact text, as BenchmarkDecodeRouteDump does for
// routes.
func BenchmarkDecodeConntrackDump(b *testing.B) { benchConntrack(b, true) }

// BenchmarkDecodeConntrackDumpTree decodes the same dump to the field tree
// only.
func BenchmarkDecodeConntrackDumpTree(b *testing.B) { benchConntrack(b, false) }
