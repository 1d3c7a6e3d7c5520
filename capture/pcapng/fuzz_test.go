package pcapng_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
)

// FuzzReader feeds arbitrary files to the reader: it must never panic, must
// end (io.EOF or an error) within the input's size, and every record must be
// consistent.
func FuzzReader(f *testing.F) {
	var buf bytes.Buffer
	w, err := pcapng.NewWriter(&buf, nil)
	if err != nil {
		f.Fatal(err)
	}
	recs := sampleRecords()
	for i := range recs {
		if err := w.Write(&recs[i]); err != nil {
			f.Fatal(err)
		}
	}
	if err := w.Close(capture.Stats{RingFull: 1}); err != nil {
		f.Fatal(err)
	}
	ours := buf.Bytes()
	f.Add(ours)
	f.Add(ours[:len(ours)-7])
	f.Add(ours[:100])
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(ours)
	zw.Close()
	f.Add(gz.Bytes())
	f.Add(gz.Bytes()[:12]) // cut inside the deflate stream: CI's fuzzer found it
	{
		dir := sharedPcaps(f)
		names, _ := filepath.Glob(filepath.Join(dir, "*.pcap*"))
		for _, name := range names {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			// Whole files make slow seeds; their heads keep every block type.
			f.Add(b[:min(len(b), 4096)])
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := pcapng.NewReader(bytes.NewReader(b), "fuzz")
		if err != nil {
			var fe *pcapng.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("NewReader error %v is not a *FormatError", err)
			}
			return
		}
		var rec capture.Record
		// Every record takes at least 12 bytes of file, so more reads than
		// that mean the reader loops.
		for i := 0; i <= len(b)/12+1; i++ {
			err := r.ReadInto(context.Background(), &rec)
			var frameErr *pcapng.FrameError
			var loss *pcapng.LossError
			switch {
			case errors.As(err, &loss):
			case err == nil:
				if rec.OrigLen < len(rec.Data) {
					t.Fatalf("record with OrigLen %d < %d bytes", rec.OrigLen, len(rec.Data))
				}
				if len(rec.Data) > len(b) {
					t.Fatalf("record of %d bytes from a %d-byte file", len(rec.Data), len(b))
				}
			case errors.As(err, &frameErr):
			case errors.Is(err, io.EOF):
				return
			default:
				var fe *pcapng.FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("ReadInto error %v is not a *FormatError", err)
				}
				return
			}
		}
		t.Fatalf("reader did not end within %d reads of a %d-byte file", len(b)/12+1, len(b))
	})
}
