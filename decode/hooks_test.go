package decode_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
)

// A header whose second byte holds two nibbles and whose next u32 holds
// a 2-bit and a 24-bit field, as tcp_info's bitfields do.
var bitsHeader = decode.Layout{Name: "bits", Size: 8, Members: []decode.Attr{
	{Name: "lo", Type: decode.U8, Off: 1, Bits: 4, Shift: 0},
	{Name: "hi", Type: decode.U8, Off: 1, Bits: 4, Shift: 4},
	{Name: "two", Type: decode.U32, Off: 4, Bits: 2, Shift: 0},
	{Name: "rest", Type: decode.U32, Off: 4, Bits: 24, Shift: 8},
}}

func TestBitfieldMembers(t *testing.T) {
	fam := &decode.Family{Protocol: 30, Name: "test", Types: []decode.MessageType{20: {Name: "T_BITS", Header: &bitsHeader}}}
	payload := []byte{0, 0xa7, 0, 0, 0, 0, 0, 0}
	v := uint32(3) | 0x123456<<8 | 0x3c // bits 2-7 belong to no member
	payload[4], payload[5], payload[6], payload[7] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
	msg := append(client.Header{Length: uint32(client.HeaderLen + len(payload)), Type: 20}.Append(nil), payload...)
	var tr decode.Tree
	decode.NewDecoder(decode.NewRegistry(fam)).DecodeBytes(&tr, 30, msg)
	got := map[string]uint64{}
	for _, f := range tr.MessageFields(0) {
		if f.Kind == decode.KindUint && f.Depth == 1 && f.Off >= client.HeaderLen {
			got[f.Name] = f.Num
		}
	}
	want := map[string]uint64{"lo": 7, "hi": 0xa, "two": 3, "rest": 0x123456}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A family whose records are not nlmsghdr-framed is decoded whole by its
// Raw hook, as one message with no netlink header.
func TestRawFamily(t *testing.T) {
	text := decode.Attr{Name: "text", Type: decode.String}
	fam := &decode.Family{Protocol: 15, Name: "raw", Raw: func(b *decode.Builder, data []byte) string {
		b.Field(&text, data, 0)
		return "RAW"
	}}
	var tr decode.Tree
	decode.NewDecoder(decode.NewRegistry(fam)).DecodeBytes(&tr, 15, []byte("add@/x\x00"))
	if len(tr.Messages) != 1 || tr.Messages[0].Name != "RAW" || tr.Messages[0].Len != 7 {
		t.Fatalf("messages: %+v", tr.Messages)
	}
	f := tr.MessageFields(0)
	if len(f) != 1 || string(tr.Value(&f[0])) != "add@/x" {
		t.Errorf("fields: %+v", f)
	}
}

// State.Request finds the request a reply answers, so a family can decode
// a reply by what was asked.
func TestStateRequest(t *testing.T) {
	fam := &decode.Family{Protocol: 30, Name: "test", Types: []decode.MessageType{20: {Name: "T_GET", Op: decode.OpGet}}}
	d := decode.NewDecoder(decode.NewRegistry(fam))
	req := append(client.Header{Length: client.HeaderLen + 4, Type: 20, Flags: client.FlagRequest, Sequence: 9}.Append(nil), 1, 2, 3, 4)
	var tr decode.Tree
	d.DecodeBytes(&tr, 30, req)
	if got := d.State().Request(30, 0, 9); string(got) != string(req) {
		t.Errorf("Request(30, 0, 9) = %x, want %x", got, req)
	}
	if got := d.State().Request(30, 0, 10); got != nil {
		t.Errorf("Request(30, 0, 10) = %x, want nil", got)
	}
}
