package nfnl_test

import (
	"context"
	"errors"
	"flag"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
)

var record = flag.Bool("record", false, "write the kernel exchange of TestBatchKernel to testdata")

func writeRecords(t *testing.T, path string, recs []capture.Record) {
	t.Helper()
	w, err := pcapng.Create(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	base := time.Now()
	for i := range recs {
		r := recs[i]
		r.Time = base.Add(time.Duration(i) * time.Microsecond)
		if err := w.Write(&r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(capture.Stats{Records: uint64(len(recs))}); err != nil {
		t.Fatal(err)
	}
}

// TestBatchRecorded checks batch numbering and pairing on the kernel
// exchange TestBatchKernel recorded (go test -run TestBatchKernel -record
// as root), so unprivileged runs cover it too.
func TestBatchRecorded(t *testing.T) {
	r, err := pcapng.Open(filepath.Join("testdata", "batch.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var recs []capture.Record
	for {
		var rec capture.Record
		err := r.ReadInto(context.Background(), &rec)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
	}
	if len(recs) < 2 {
		t.Fatalf("%d records", len(recs))
	}
	checkBatch(t, recs)
}
