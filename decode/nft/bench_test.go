package nft_test

import (
	"testing"

	"github.com/nltrace/nltrace/decode"
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
	b.ResetTimer()
	for range b.N {
		for i := range recs {
			d.Decode(&tree, &recs[i])
		}
	}
	b.ReportMetric(float64(msgs*b.N)/b.Elapsed().Seconds(), "msgs/s")
}
