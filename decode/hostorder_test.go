package decode_test

import (
	"encoding/binary"
	"testing"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
)

// A big-endian set whose second attribute is in host order, as
// NFTA_CT_EXPECT_TIMEOUT is in nf_tables.
var hostOrderAttrs = decode.AttrSet{Name: "H", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "H_NET", Type: decode.U32},
	2: {Name: "H_HOST", Type: decode.U32, HostOrder: true},
}}

func TestHostOrderInBigEndianSet(t *testing.T) {
	fam := &decode.Family{Protocol: 31, Name: "test", Types: []decode.MessageType{20: {Name: "H_MSG", Attrs: &hostOrderAttrs}}}
	var attrs []byte
	attrs = binary.NativeEndian.AppendUint16(attrs, 8)
	attrs = binary.NativeEndian.AppendUint16(attrs, 1)
	attrs = binary.BigEndian.AppendUint32(attrs, 60000)
	attrs = binary.NativeEndian.AppendUint16(attrs, 8)
	attrs = binary.NativeEndian.AppendUint16(attrs, 2)
	attrs = binary.NativeEndian.AppendUint32(attrs, 60000)
	h := client.Header{Length: uint32(client.HeaderLen + len(attrs)), Type: 20, Flags: client.FlagRequest}
	var tr decode.Tree
	decode.NewDecoder(decode.NewRegistry(fam)).DecodeBytes(&tr, 31, append(h.Append(nil), attrs...))
	got := map[string]uint64{}
	for _, f := range tr.MessageFields(0) {
		got[f.Name] = f.Num
	}
	if got["H_NET"] != 60000 || got["H_HOST"] != 60000 {
		t.Errorf("H_NET=%d H_HOST=%d, want 60000 both", got["H_NET"], got["H_HOST"])
	}
}
