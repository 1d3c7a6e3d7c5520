package client_test

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/client"
)

func TestMessagesRoundTrip(t *testing.T) {
	msgs := []client.Message{
		{Header: client.Header{Type: 16, Flags: client.FlagRequest | client.FlagDump, Sequence: 1, PortID: 7}, Data: client.IfInfoMsg{Family: 2}.Append(nil)},
		{Header: client.Header{Type: 20, Flags: client.FlagMulti, Sequence: 2}, Data: []byte{1, 2, 3, 4, 5}},
		{Header: client.Header{Type: client.TypeDone, Sequence: 3}, Data: []byte{0, 0, 0, 0}},
	}
	var b []byte
	for _, m := range msgs {
		b = m.Append(b)
	}
	got, err := client.ParseMessages(b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range msgs {
		msgs[i].Header.Length = uint32(client.HeaderLen + len(msgs[i].Data))
	}
	if diff := cmp.Diff(msgs, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// Go's net.Interfaces sends a 17-byte request: lengths need not be a
// multiple of 4, and the last message may lack its padding.
func TestMessagesUnalignedLength(t *testing.T) {
	m := client.Header{Length: 17, Type: 18, Flags: client.FlagRequest | client.FlagDump, Sequence: 1}.Append(nil)
	m = append(m, 0) // rtgenmsg, AF_UNSPEC
	got, err := client.ParseMessages(m)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Data) != 1 {
		t.Fatalf("got %d messages, first with %d payload bytes; want 1 with 1", len(got), len(got[0].Data))
	}
	// Two such messages back to back: the second starts at the aligned offset.
	two := append(append(append([]byte(nil), m...), 0, 0, 0), m...)
	got, err = client.ParseMessages(two)
	if err != nil || len(got) != 2 {
		t.Fatalf("two unaligned messages: got %d, err %v", len(got), err)
	}
}

func TestMessagesMalformed(t *testing.T) {
	good := client.Message{Header: client.Header{Type: 16}, Data: make([]byte, 16)}.Append(nil)
	tests := []struct {
		name   string
		b      []byte
		offset int
		count  int
	}{
		{"short header", []byte{1, 2, 3}, 0, 0},
		{"length below header", client.Header{Length: 8}.Append(nil), 0, 0},
		{"length beyond buffer", client.Header{Length: 100}.Append(nil), 0, 0},
		{"trailing garbage", append(append([]byte(nil), good...), 1, 2), len(good), 1},
		{"second message lies", append(append([]byte(nil), good...), client.Header{Length: 1000}.Append(nil)...), len(good), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := client.ParseMessages(tt.b)
			var me *client.MalformedError
			if !errors.As(err, &me) || !errors.Is(err, client.ErrMalformed) {
				t.Fatalf("err = %v, want *MalformedError", err)
			}
			if me.Offset != tt.offset || len(got) != tt.count {
				t.Errorf("offset %d with %d good messages, want %d with %d", me.Offset, len(got), tt.offset, tt.count)
			}
		})
	}
}

func TestAttributesRoundTrip(t *testing.T) {
	var e client.AttributeEncoder
	e.Uint8(1, 0xab)
	e.Uint16(2, 0x1234)
	e.Uint32(3, 0xdeadbeef)
	e.Uint64(4, 0x0102030405060708)
	e.Uint16BE(5, 0x1234)
	e.Uint32BE(6, 0xdeadbeef)
	e.Uint64BE(7, 0x0102030405060708)
	e.String(8, "eth0")
	e.Bytes(9, []byte{1, 2, 3})
	e.Flag(10)
	e.Int32(11, -5)
	e.Nested(12|client.AttrNested, func(e *client.AttributeEncoder) {
		e.Uint32(1, 7)
		e.Nested(2, func(e *client.AttributeEncoder) { e.String(1, "deep") })
	})
	b, err := e.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if len(b)%4 != 0 {
		t.Fatalf("encoded length %d is not aligned", len(b))
	}

	type val struct {
		Type uint16
		V    any
	}
	var got []val
	d := client.NewAttributeDecoder(b)
	for d.Next() {
		switch d.Type() {
		case 1:
			got = append(got, val{1, d.Uint8()})
		case 2:
			got = append(got, val{2, d.Uint16()})
		case 3:
			got = append(got, val{3, d.Uint32()})
		case 4:
			got = append(got, val{4, d.Uint64()})
		case 5, 6, 7:
			// Big-endian on the wire; read with an explicit byte order.
			got = append(got, val{d.Type(), append([]byte(nil), d.Bytes()...)})
		case 8:
			got = append(got, val{8, d.String()})
		case 9:
			got = append(got, val{9, append([]byte(nil), d.Bytes()...)})
		case 10:
			got = append(got, val{10, d.Flag()})
		case 11:
			got = append(got, val{11, d.Int32()})
		case 12:
			if !d.Nested() {
				t.Error("NLA_F_NESTED lost")
			}
			var inner, deep client.AttributeDecoder
			d.NestedInto(&inner)
			for inner.Next() {
				switch inner.Type() {
				case 1:
					got = append(got, val{121, inner.Uint32()})
				case 2:
					inner.NestedInto(&deep)
					for deep.Next() {
						got = append(got, val{1221, deep.String()})
					}
				}
			}
		}
	}
	if err := d.Err(); err != nil {
		t.Fatal(err)
	}
	want := []val{
		{1, uint8(0xab)}, {2, uint16(0x1234)}, {3, uint32(0xdeadbeef)}, {4, uint64(0x0102030405060708)},
		{5, []byte{0x12, 0x34}}, {6, []byte{0xde, 0xad, 0xbe, 0xef}}, {7, []byte{1, 2, 3, 4, 5, 6, 7, 8}},
		{8, "eth0"}, {9, []byte{1, 2, 3}}, {10, true}, {11, int32(-5)}, {121, uint32(7)}, {1221, "deep"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
}

func TestAttributeByteOrder(t *testing.T) {
	var e client.AttributeEncoder
	e.SetByteOrder(binary.BigEndian)
	e.Uint32(1, 0x01020304)                       // big-endian, no flag (nfnetlink style)
	e.Uint32BE(2|client.AttrNetByteOrder, 0x0a0b) // flagged
	b, _ := e.Encode()
	if b[4] != 1 || b[7] != 4 {
		t.Fatalf("encoder did not write big-endian: % x", b[:8])
	}

	d := client.NewAttributeDecoder(b)
	d.SetByteOrder(binary.BigEndian)
	d.Next()
	if got := d.Uint32(); got != 0x01020304 {
		t.Errorf("family big-endian default: got %#x", got)
	}
	// Native decoder: the flag alone makes the attribute big-endian.
	d = client.NewAttributeDecoder(b)
	d.Next()
	d.Next()
	if !d.NetByteOrder() || d.Uint32() != 0x0a0b {
		t.Errorf("NLA_F_NET_BYTEORDER: flag=%v value=%#x", d.NetByteOrder(), d.Uint32())
	}
}

func TestAttributeDecoderErrors(t *testing.T) {
	t.Run("wrong width is sticky", func(t *testing.T) {
		var e client.AttributeEncoder
		e.Uint16(1, 5)
		e.Uint32(2, 6)
		b, _ := e.Encode()
		d := client.NewAttributeDecoder(b)
		d.Reset(b, 100)
		d.Next()
		if v := d.Uint32(); v != 0 {
			t.Errorf("Uint32 of a 2-byte payload = %d, want 0", v)
		}
		if d.Next() {
			t.Error("Next after an error returned true")
		}
		var me *client.MalformedError
		if !errors.As(d.Err(), &me) || me.Offset != 100 {
			t.Errorf("err = %v, want offset 100", d.Err())
		}
	})
	t.Run("length beyond buffer", func(t *testing.T) {
		b := []byte{8, 0, 1, 0, 1, 2, 3, 4, 200, 0, 2, 0, 0, 0, 0, 0}
		d := client.NewAttributeDecoder(b)
		n := 0
		for d.Next() {
			n++
		}
		var me *client.MalformedError
		if n != 1 || !errors.As(d.Err(), &me) || me.Offset != 8 {
			t.Errorf("got %d attributes, err %v; want 1 and offset 8", n, d.Err())
		}
	})
	t.Run("nested offsets are absolute", func(t *testing.T) {
		var e client.AttributeEncoder
		e.Uint32(1, 0)
		e.Nested(2, func(e *client.AttributeEncoder) { e.Uint32(7, 9) })
		b, _ := e.Encode()
		d := client.NewAttributeDecoder(b)
		d.Reset(b, 20)
		var in client.AttributeDecoder
		for d.Next() {
			if d.Type() == 2 {
				d.NestedInto(&in)
				in.Next()
				if in.Offset() != 20+8+4 {
					t.Errorf("nested attribute offset %d, want %d", in.Offset(), 32)
				}
			}
		}
	})
	t.Run("encoder nest mismatch", func(t *testing.T) {
		var e client.AttributeEncoder
		e.NestStart(1)
		if _, err := e.Encode(); err == nil {
			t.Error("unclosed nest encoded without error")
		}
	})
}

func TestAttributeDecoderDoesNotAllocate(t *testing.T) {
	var e client.AttributeEncoder
	for i := range 20 {
		e.Uint32(uint16(i), uint32(i))
	}
	e.Nested(30, func(e *client.AttributeEncoder) { e.String(1, "x") })
	b, _ := e.Encode()
	var d, in client.AttributeDecoder
	allocs := testing.AllocsPerRun(100, func() {
		d.Reset(b, 0)
		for d.Next() {
			if d.Type() == 30 {
				d.NestedInto(&in)
				for in.Next() {
					_ = in.Bytes()
				}
				continue
			}
			_ = d.Uint32()
		}
	})
	if allocs != 0 {
		t.Errorf("decoding allocated %.0f times per run, want 0", allocs)
	}
}

func TestFixedHeadersRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		b     []byte
		size  int
		parse func([]byte) (any, error)
		want  any
	}{
		{"ifinfomsg", client.IfInfoMsg{Family: 10, Type: 1, Index: 3, Flags: 0x1003, Change: 0xffffffff}.Append(nil), client.IfInfoMsgLen,
			func(b []byte) (any, error) { return client.ParseIfInfoMsg(b) }, client.IfInfoMsg{Family: 10, Type: 1, Index: 3, Flags: 0x1003, Change: 0xffffffff}},
		{"ifaddrmsg", client.IfAddrMsg{Family: 2, PrefixLen: 24, Flags: 0x80, Scope: 253, Index: 9}.Append(nil), client.IfAddrMsgLen,
			func(b []byte) (any, error) { return client.ParseIfAddrMsg(b) }, client.IfAddrMsg{Family: 2, PrefixLen: 24, Flags: 0x80, Scope: 253, Index: 9}},
		{"rtmsg", client.RtMsg{Family: 2, DstLen: 32, Table: 254, Protocol: 4, Scope: 0, Type: 1, Flags: 0x200}.Append(nil), client.RtMsgLen,
			func(b []byte) (any, error) { return client.ParseRtMsg(b) }, client.RtMsg{Family: 2, DstLen: 32, Table: 254, Protocol: 4, Type: 1, Flags: 0x200}},
		{"ndmsg", client.NdMsg{Family: 7, Index: 4, State: 0x80, Flags: 2, Type: 1}.Append(nil), client.NdMsgLen,
			func(b []byte) (any, error) { return client.ParseNdMsg(b) }, client.NdMsg{Family: 7, Index: 4, State: 0x80, Flags: 2, Type: 1}},
		{"tcmsg", client.TcMsg{Index: 2, Handle: 0x10000, Parent: 0xffffffff, Info: 0x00010300}.Append(nil), client.TcMsgLen,
			func(b []byte) (any, error) { return client.ParseTcMsg(b) }, client.TcMsg{Index: 2, Handle: 0x10000, Parent: 0xffffffff, Info: 0x00010300}},
		{"fib_rule_hdr", client.FibRuleHdr{Family: 2, SrcLen: 8, Table: 100, Action: 1, Flags: 2}.Append(nil), client.FibRuleHdrLen,
			func(b []byte) (any, error) { return client.ParseFibRuleHdr(b) }, client.FibRuleHdr{Family: 2, SrcLen: 8, Table: 100, Action: 1, Flags: 2}},
		{"nhmsg", client.NhMsg{Family: 2, Scope: 0, Protocol: 3, Flags: 1}.Append(nil), client.NhMsgLen,
			func(b []byte) (any, error) { return client.ParseNhMsg(b) }, client.NhMsg{Family: 2, Protocol: 3, Flags: 1}},
		{"rtgenmsg", client.RtGenMsg{Family: 17}.Append(nil), client.RtGenMsgLen,
			func(b []byte) (any, error) { return client.ParseRtGenMsg(b) }, client.RtGenMsg{Family: 17}},
		{"genlmsghdr", client.GenlMsgHdr{Command: 3, Version: 2}.Append(nil), client.GenlMsgHdrLen,
			func(b []byte) (any, error) { return client.ParseGenlMsgHdr(b) }, client.GenlMsgHdr{Command: 3, Version: 2}},
		{"nfgenmsg", client.NfGenMsg{Family: 2, ResID: 0x1234}.Append(nil), client.NfGenMsgLen,
			func(b []byte) (any, error) { return client.ParseNfGenMsg(b) }, client.NfGenMsg{Family: 2, ResID: 0x1234}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.b) != tt.size {
				t.Fatalf("encoded %d bytes, want %d", len(tt.b), tt.size)
			}
			got, err := tt.parse(tt.b)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if _, err := tt.parse(tt.b[:tt.size-1]); !errors.Is(err, client.ErrMalformed) {
				t.Errorf("short input: err = %v, want ErrMalformed", err)
			}
		})
	}
}

// nfgenmsg's res_id is big-endian on the wire, unlike everything around it.
func TestNfGenMsgResIDIsBigEndian(t *testing.T) {
	b := client.NfGenMsg{ResID: 0x0102}.Append(nil)
	if b[2] != 1 || b[3] != 2 {
		t.Errorf("res_id bytes % x, want 01 02", b[2:])
	}
}
