package pcapng_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
)

// BenchmarkWriteRead measures writing and reading 1 KiB records with full
// metadata comments.
func BenchmarkWriteRead(b *testing.B) {
	rec := sampleRecords()[0]
	rec.Data = bytes.Repeat(rec.Data, 1024/len(rec.Data))
	rec.OrigLen = len(rec.Data)
	var buf bytes.Buffer
	b.Run("write", func(b *testing.B) {
		b.SetBytes(int64(len(rec.Data)))
		w, _ := pcapng.NewWriter(io.Discard, &pcapng.WriterConfig{FlushRecords: 1 << 30})
		for b.Loop() {
			if err := w.Write(&rec); err != nil {
				b.Fatal(err)
			}
		}
		w.Close(capture.Stats{})
	})
	w, _ := pcapng.NewWriter(&buf, nil)
	for range 10000 {
		w.Write(&rec)
	}
	w.Close(capture.Stats{})
	b.Run("read", func(b *testing.B) {
		b.SetBytes(int64(len(rec.Data)) * 10000)
		var got capture.Record
		for b.Loop() {
			r, err := pcapng.NewReader(bytes.NewReader(buf.Bytes()), "bench")
			if err != nil {
				b.Fatal(err)
			}
			for r.ReadInto(context.Background(), &got) == nil {
			}
		}
	})
}
