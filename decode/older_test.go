package decode_test

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/render"
)

// A counter array that a newer kernel reordered and extended: the value's
// length picks the layout.
var olderCounters = decode.Layout{Name: "mib_v1", Size: 8, Members: []decode.Attr{
	{Name: "OUT", Type: decode.U32, Off: 0},
	{Name: "IN", Type: decode.U32, Off: 4},
}}

var newerCounters = decode.Layout{Name: "mib", Size: 12, Older: []*decode.Layout{&olderCounters}, Members: []decode.Attr{
	{Name: "IN", Type: decode.U32, Off: 0},
	{Name: "OUT", Type: decode.U32, Off: 4},
	{Name: "EXTRA", Type: decode.U32, Off: 8},
}}

var counterFamily = &decode.Family{Protocol: 29, Name: "test", Types: []decode.MessageType{
	20: {Name: "T_STATS", Attrs: &decode.AttrSet{Name: "T", Attrs: []decode.Attr{
		1: {Name: "T_MIB", Type: decode.Struct, Struct: &newerCounters},
	}}},
}}

func countersMessage(vals ...uint32) []byte {
	var a []byte
	a = binary.NativeEndian.AppendUint16(a, uint16(4+4*len(vals)))
	a = binary.NativeEndian.AppendUint16(a, 1)
	for _, v := range vals {
		a = binary.NativeEndian.AppendUint32(a, v)
	}
	h := client.Header{Length: uint32(client.HeaderLen + len(a)), Type: 20}
	return append(h.Append(nil), a...)
}

func TestOlderLayoutByLength(t *testing.T) {
	for _, tc := range []struct {
		vals []uint32
		want string
	}{
		{[]uint32{1, 2, 3}, "T_MIB={IN=1 OUT=2 EXTRA=3}"},
		{[]uint32{1, 2}, "T_MIB={OUT=1 IN=2}"},
		{[]uint32{1, 2, 3, 4}, "T_MIB={IN=1 OUT=2 EXTRA=3 trailing=04000000}"},
	} {
		d := decode.NewDecoder(decode.NewRegistry(counterFamily))
		var tr decode.Tree
		d.DecodeBytes(&tr, 29, countersMessage(tc.vals...))
		if got := string(render.Append(nil, &tr, render.Compact)); !strings.Contains(got, tc.want) {
			t.Errorf("%d counters: got %q, want %q in it", len(tc.vals), got, tc.want)
		}
	}
}
