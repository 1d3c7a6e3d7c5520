package decode_test

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
)

func TestPairsForgetsOldestOnly(t *testing.T) {
	p := decode.NewPairs[int](3)
	for i := 1; i <= 4; i++ {
		p.Put(decode.PairKey{Port: 1, Seq: uint32(i)}, i)
	}
	if _, ok := p.Get(decode.PairKey{Port: 1, Seq: 1}); ok {
		t.Error("the oldest entry is still held past the limit")
	}
	for i := 2; i <= 4; i++ {
		if v, ok := p.Get(decode.PairKey{Port: 1, Seq: uint32(i)}); !ok || v != i {
			t.Errorf("entry %d: got %d, %v; want it kept", i, v, ok)
		}
	}
	if p.Len() != 3 || p.Evicted() != 1 {
		t.Errorf("Len %d Evicted %d, want 3 and 1", p.Len(), p.Evicted())
	}
	// Taking frees a place without evicting anything.
	if v, ok := p.Take(decode.PairKey{Port: 1, Seq: 3}); !ok || v != 3 {
		t.Errorf("Take: %d, %v", v, ok)
	}
	p.Put(decode.PairKey{Port: 1, Seq: 5}, 5)
	if p.Len() != 3 || p.Evicted() != 1 {
		t.Errorf("after Take and Put: Len %d Evicted %d, want 3 and 1", p.Len(), p.Evicted())
	}
	// Storing a key again makes it the newest.
	p.Put(decode.PairKey{Port: 1, Seq: 2}, 20)
	p.Put(decode.PairKey{Port: 1, Seq: 6}, 6)
	var held []uint32
	for i := 1; i <= 6; i++ {
		if _, ok := p.Get(decode.PairKey{Port: 1, Seq: uint32(i)}); ok {
			held = append(held, uint32(i))
		}
	}
	if diff := cmp.Diff([]uint32{2, 5, 6}, held); diff != "" {
		t.Errorf("held sequence numbers (-want +got):\n%s", diff)
	}
	// The protocol is part of the key.
	p.Put(decode.PairKey{Proto: 16, Port: 1, Seq: 6}, 16)
	if v, _ := p.Get(decode.PairKey{Port: 1, Seq: 6}); v != 6 {
		t.Errorf("protocol 0's entry became %d after protocol 16's was stored", v)
	}
}

// TestPairsBounded stores many keys that are never taken, and many that
// are taken at once: the table and its order list stay bounded.
func TestPairsBounded(t *testing.T) {
	p := decode.NewPairs[int](100)
	for i := 0; i < 100000; i++ {
		k := decode.PairKey{Port: 7, Seq: uint32(i)}
		p.Put(k, i)
		if i%2 == 0 {
			p.Take(k)
		}
	}
	if p.Len() != 100 {
		t.Errorf("Len %d, want 100", p.Len())
	}
	if v, ok := p.Get(decode.PairKey{Port: 7, Seq: 99999}); !ok || v != 99999 {
		t.Error("the newest entry was forgotten")
	}
}

func nlmsg(typ, flags uint16, seq, port uint32, payload []byte) []byte {
	h := client.Header{Length: uint32(client.HeaderLen + len(payload)), Type: typ, Flags: flags, Sequence: seq, PortID: port}
	return append(h.Append(nil), payload...)
}

// TestPairingKeysByProtocol decodes a route dump and a generic-netlink
// request from two sockets of one process that share a port id and a
// sequence number: the route dump's NLMSG_DONE must be paired with the
// route request, not with the generic one sent after it.
func TestPairingKeysByProtocol(t *testing.T) {
	route := &decode.Family{Protocol: unix.NETLINK_ROUTE, Name: "route", Types: []decode.MessageType{
		unix.RTM_NEWLINK: {Name: "RTM_NEWLINK", Op: decode.OpNew},
		unix.RTM_GETLINK: {Name: "RTM_GETLINK", Op: decode.OpGet},
	}}
	genl := &decode.Family{Protocol: unix.NETLINK_GENERIC, Name: "generic", Types: []decode.MessageType{
		unix.GENL_ID_CTRL: {Name: "nlctrl", Op: decode.OpGet},
	}}
	d := decode.NewDecoder(decode.NewRegistry(route, genl))
	const port, seq = 4242, 9
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	recs := []capture.Record{
		{Direction: capture.ToKernel, Protocol: unix.NETLINK_ROUTE, PortID: port,
			Data: nlmsg(unix.RTM_GETLINK, unix.NLM_F_REQUEST|unix.NLM_F_DUMP, seq, 0, []byte{0, 0, 0, 0})},
		{Direction: capture.ToKernel, Protocol: unix.NETLINK_GENERIC, PortID: port,
			Data: nlmsg(unix.GENL_ID_CTRL, unix.NLM_F_REQUEST, seq, 0, []byte{unix.CTRL_CMD_GETFAMILY, 1, 0, 0})},
		{Direction: capture.FromKernel, Protocol: unix.NETLINK_ROUTE, PortID: port,
			Data: nlmsg(unix.RTM_NEWLINK, unix.NLM_F_MULTI, seq, port, make([]byte, 16))},
		{Direction: capture.FromKernel, Protocol: unix.NETLINK_ROUTE, PortID: port,
			Data: nlmsg(unix.NLMSG_DONE, unix.NLM_F_MULTI, seq, port, binary.NativeEndian.AppendUint32(nil, 0))},
	}
	var tree decode.Tree
	for i := range recs {
		recs[i].Time = when
		recs[i].OrigLen = len(recs[i].Data)
		d.Decode(&tree, &recs[i])
	}
	m := tree.Messages[0]
	if m.Request != "RTM_GETLINK" || !m.HasDump || m.DumpCount != 1 {
		t.Errorf("NLMSG_DONE paired with %q (dump %v, %d messages), want RTM_GETLINK with 1 message", m.Request, m.HasDump, m.DumpCount)
	}
	// The generic request is still waiting for its own reply.
	if n := d.State().Pending(); n != 1 {
		t.Errorf("%d requests pending, want the generic one", n)
	}
}
