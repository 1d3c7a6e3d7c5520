package nft_test

import (
	"testing"
	"time"

	"github.com/nltrace/nltrace/decode"
	"golang.org/x/sys/unix"
)

// BenchmarkDecodeRulesetDump decodes the records of nft list ruleset (the
// dumps of every table, chain, set, element, object and rule of
// testdata/ruleset.nft) as one stream; msgs/s counts netlink messages.
func BenchmarkDecodeRulesetDump(b *testing.B) {
	s := loadSession(b)
	recs := s.list
	msgs, size := 0, 0
	var tree decode.Tree
	d := decode.NewDecoder(registry())
	for i := range recs {
		d.Decode(&tree, &recs[i])
		msgs += len(tree.Messages)
		size += len(recs[i].Data)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	for range b.N {
		for i := range recs {
			d.Decode(&tree, &recs[i])
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(msgs*b.N)/b.Elapsed().Seconds(), "msgs/s")
	// The development machines are shared: per CPU-second is the figure
	// that does not depend on what else ran.
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(msgs*b.N)/cpu.Seconds(), "msgs/cpu-s")
	}
}

// cpuTime is the process's user and system time.
func cpuTime() time.Duration {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
