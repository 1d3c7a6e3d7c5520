package families

import (
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/render"
)

// FuzzFamilies decodes arbitrary bytes as any netlink protocol with the
// whole registry, a request then a reply, so every family's schema and
// hooks (the small ones: selinux, fib_lookup, rdma, crypto, connector,
// uevent, audit) meet malformed input. Nothing may panic and every field
// must lie inside its record.
func FuzzFamilies(f *testing.F) {
	msg := func(typ uint16, data ...byte) []byte {
		return client.Message{Header: client.Header{Type: typ, Flags: client.FlagRequest}, Data: data}.Append(nil)
	}
	f.Add(uint8(client.ProtocolSELinux), msg(0x10, 1, 0, 0, 0), msg(0x11, 7, 0, 0, 0))
	f.Add(uint8(client.ProtocolFibLookup), msg(0x10, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 254), msg(0x10))
	f.Add(uint8(client.ProtocolRDMA), msg(5<<10|1, 8, 0, 1, 0, 0, 0, 0, 0), msg(5<<10|6, 5, 0, 0x5f, 0, 1, 0, 0, 0))
	f.Add(uint8(client.ProtocolCrypto), msg(0x13, make([]byte, 208)...), msg(0x10))
	f.Add(uint8(client.ProtocolConnector), msg(3, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0), msg(3))
	f.Add(uint8(client.ProtocolKobjectUevent), []byte("add@/x\x00A=b\x00"), []byte("libudev\x00"))
	f.Add(uint8(client.ProtocolAudit), msg(1000), msg(1300, 'a', 'b'))
	f.Add(uint8(client.ProtocolSockDiag), msg(20, 17, 0, 0, 0, 0, 0, 0, 0, 0x3f, 0, 0, 0), msg(20, 17))
	reg := NewRegistry()
	f.Fuzz(func(t *testing.T, proto uint8, req, reply []byte) {
		d := decode.NewDecoder(reg)
		for i, data := range [2][]byte{req, reply} {
			dir := capture.FromKernel
			if i == 0 {
				dir = capture.ToKernel
			}
			var tree decode.Tree
			rec := capture.Record{Direction: dir, Protocol: uint16(proto % 32), Data: data, OrigLen: len(data)}
			d.Decode(&tree, &rec)
			n := int32(len(data))
			for _, fl := range tree.Fields {
				if fl.Off < 0 || fl.Len < 0 || fl.Off+fl.Len > n || fl.ValOff < 0 || fl.ValLen < 0 || fl.ValOff+fl.ValLen > n {
					t.Fatalf("protocol %d: field %q outside %d bytes", proto%32, fl.Name, n)
				}
			}
			for _, form := range []render.Format{render.Compact, render.Tree, render.Hex, render.JSON} {
				render.Append(nil, &tree, form)
			}
		}
	})
}
