package connector_test

import (
	"context"
	"flag"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/internal/golden"
)

var (
	update = flag.Bool("update", false, "rewrite golden files")
	record = flag.Bool("record", false, "write the received events to testdata/proc.pcapng")
)

func saveRecords(t *testing.T, recs []capture.Record) {
	t.Helper()
	w, err := pcapng.Create(filepath.Join("testdata", "proc.pcapng"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		recs[i].Method = capture.MethodFile
		if err := w.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(capture.Stats{}); err != nil {
		t.Fatal(err)
	}
}

func recorded(t testing.TB) []capture.Record {
	t.Helper()
	rd, err := pcapng.Open("testdata/proc.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var recs []capture.Record
	for r, err := range capture.Records(context.Background(), rd) {
		if err != nil {
			t.Fatal(err)
		}
		r.Data = append([]byte(nil), r.Data...)
		recs = append(recs, r)
	}
	return recs
}

// TestGolden decodes a listen request and the fork, exec and exit events
// of a child (recorded by TestProcEvents).
func TestGolden(t *testing.T) {
	d := decode.NewDecoder(families.NewRegistry())
	var text []byte
	for _, r := range recorded(t) {
		var tree decode.Tree
		d.Decode(&tree, &r)
		for _, m := range tree.Messages {
			if m.Name != "CN_MSG" || m.Malformed {
				t.Errorf("message %q malformed=%v", m.Name, m.Malformed)
			}
		}
		text = render.Append(text, &tree, render.Tree)
	}
	golden.Check(t, *update, "proc", text)
}

func FuzzConnector(f *testing.F) {
	for _, r := range recorded(f) {
		f.Add(r.Data)
	}
	reg := families.NewRegistry()
	f.Fuzz(func(t *testing.T, data []byte) {
		var tree decode.Tree
		decode.NewDecoder(reg).DecodeBytes(&tree, unix.NETLINK_CONNECTOR, data)
		n := int32(len(data))
		for _, fl := range tree.Fields {
			if fl.Off < 0 || fl.Len < 0 || fl.Off+fl.Len > n || fl.ValOff < 0 || fl.ValLen < 0 || fl.ValOff+fl.ValLen > n {
				t.Fatalf("field %q outside %d bytes", fl.Name, n)
			}
		}
		for _, form := range []render.Format{render.Compact, render.Tree, render.Hex, render.JSON} {
			render.Append(nil, &tree, form)
		}
	})
}
