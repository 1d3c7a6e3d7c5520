package sockdiag_test

import (
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/decode/render"
	"golang.org/x/sys/unix"
)

// FuzzSockDiag decodes a request and then a reply, so that replies are
// decoded by what the request asked for, and checks that nothing panics
// and every field lies inside its record. Seeds are the recorded ss
// exchanges.
func FuzzSockDiag(f *testing.F) {
	for _, recs := range captures(f) {
		var req []byte
		for _, r := range recs {
			if r.Direction == capture.ToKernel {
				req = r.Data
				continue
			}
			f.Add(req, r.Data)
		}
	}
	reg := families.NewRegistry()
	f.Fuzz(func(t *testing.T, req, reply []byte) {
		d := decode.NewDecoder(reg)
		var tree decode.Tree
		for i, data := range [2][]byte{req, reply} {
			dir := capture.FromKernel
			if i == 0 {
				dir = capture.ToKernel
			}
			rec := capture.Record{Direction: dir, Protocol: unix.NETLINK_SOCK_DIAG, Data: data, OrigLen: len(data)}
			d.Decode(&tree, &rec)
			checkSpans(t, &tree)
			for _, form := range []render.Format{render.Compact, render.Tree, render.Hex, render.JSON} {
				render.Append(nil, &tree, form)
			}
		}
	})
}

func checkSpans(t *testing.T, tree *decode.Tree) {
	t.Helper()
	n := int32(len(tree.Data))
	for i := range tree.Messages {
		m := &tree.Messages[i]
		if m.Off < 0 || m.Len < 0 || m.Off+m.Len > len(tree.Data) || m.First > m.End || m.End > len(tree.Fields) {
			t.Fatalf("message %d out of bounds: %+v", i, m)
		}
	}
	for i, f := range tree.Fields {
		if f.Off < 0 || f.Len < 0 || f.Off+f.Len > n || f.ValOff < 0 || f.ValLen < 0 || f.ValOff+f.ValLen > n {
			t.Fatalf("field %d %q spans [%d,+%d) value [%d,+%d) outside %d bytes", i, f.Name, f.Off, f.Len, f.ValOff, f.ValLen, n)
		}
	}
}
