package nft_test

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode/nft"
	"golang.org/x/sys/unix"
)

// What nft 1.0.6 cannot build, built here: a tunnel object (netdev
// tables only), the last,
// inner and tunnel expressions, the reset dumps and the destroy messages,
// sent in batches from a socket of our own so the kernel's replies and
// events are real bytes.

func attr(typ uint16, payload []byte) []byte {
	b := binary.NativeEndian.AppendUint16(nil, uint16(4+len(payload)))
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = append(b, payload...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func nestAttr(typ uint16, children ...[]byte) []byte {
	var p []byte
	for _, c := range children {
		p = append(p, c...)
	}
	return attr(typ|unix.NLA_F_NESTED, p)
}

func strAttr(typ uint16, s string) []byte  { return attr(typ, append([]byte(s), 0)) }
func be32Attr(typ uint16, v uint32) []byte { return attr(typ, binary.BigEndian.AppendUint32(nil, v)) }
func be16Attr(typ uint16, v uint16) []byte { return attr(typ, binary.BigEndian.AppendUint16(nil, v)) }
func u8Attr(typ uint16, v uint8) []byte    { return attr(typ, []byte{v}) }

func expr(name string, data ...[]byte) []byte {
	return nestAttr(1, strAttr(1, name), nestAttr(2, data...)) // NFTA_LIST_ELEM{NAME, DATA}
}

// nfMsg is a nf_tables message: nlmsghdr, nfgenmsg, attributes.
func nfMsg(typ int, flags uint16, seq uint32, family uint8, attrs ...[]byte) []byte {
	body := []byte{family, 0, 0, 0}
	for _, a := range attrs {
		body = append(body, a...)
	}
	h := client.Header{Length: uint32(client.HeaderLen + len(body)), Type: uint16(10<<8 | typ), Flags: flags | client.FlagRequest, Sequence: seq}
	return append(h.Append(nil), body...)
}

func batch(seq uint32, msgs ...[]byte) []byte {
	begin := client.Header{Length: client.HeaderLen + 4, Type: unix.NFNL_MSG_BATCH_BEGIN, Flags: client.FlagRequest, Sequence: seq}
	end := client.Header{Length: client.HeaderLen + 4, Type: unix.NFNL_MSG_BATCH_END, Flags: client.FlagRequest, Sequence: seq + uint32(len(msgs)) + 1}
	out := append(begin.Append(nil), 0, 0, 0, 10) // res_id NFNL_SUBSYS_NFTABLES
	for _, m := range msgs {
		out = append(out, m...)
	}
	return append(append(out, end.Append(nil)...), 0, 0, 0, 10)
}

// nfSession is a NETLINK_NETFILTER socket of our own that records what it
// sends and receives.
type nfSession struct {
	t    *testing.T
	fd   int
	recs []capture.Record
}

func (n *netns) nfSession(t *testing.T) *nfSession {
	t.Helper()
	fd := n.socketIn(t)
	tv := unix.NsecToTimeval(int64(5 * time.Second))
	unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
	unix.SetsockoptInt(fd, unix.SOL_NETLINK, unix.NETLINK_EXT_ACK, 1)
	return &nfSession{t: t, fd: fd}
}

func (s *nfSession) send(b []byte) {
	s.t.Helper()
	if err := unix.Sendto(s.fd, b, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		s.t.Fatalf("send: %v", err)
	}
	s.recs = append(s.recs, capture.Record{Time: time.Now(), Direction: capture.ToKernel, Protocol: unix.NETLINK_NETFILTER,
		Data: b, OrigLen: len(b), Method: capture.MethodFile})
}

// recvUntil reads until the reply to seq ends (a get's one reply, an ACK or
// error, a dump's end); a refusal fails the test.
func (s *nfSession) recvUntil(seq uint32) { s.t.Helper(); s.recvErrno(seq, 0) }

// recvErrno is recvUntil for a request the kernel must answer with errno
// (0 for success).
func (s *nfSession) recvErrno(seq uint32, errno unix.Errno) {
	s.t.Helper()
	buf := make([]byte, 1<<20)
	for {
		k, _, err := unix.Recvfrom(s.fd, buf, 0)
		if err != nil {
			s.t.Fatalf("recv, waiting for the reply to seq %d: %v", seq, err)
		}
		data := append([]byte(nil), buf[:k]...)
		s.recs = append(s.recs, capture.Record{Time: time.Now(), Direction: capture.FromKernel, Protocol: unix.NETLINK_NETFILTER,
			Data: data, OrigLen: k, Method: capture.MethodFile})
		for m, err := range client.Messages(data) {
			if err != nil {
				s.t.Fatalf("reply: %v", err)
			}
			if m.Header.Sequence == seq && (m.Header.Type == client.TypeError || m.Header.Type == client.TypeDone || m.Header.Flags&client.FlagMulti == 0) {
				var got unix.Errno
				if m.Header.Type == client.TypeError && len(m.Data) >= 4 {
					got = unix.Errno(-int32(binary.NativeEndian.Uint32(m.Data)))
				}
				if got != errno {
					s.t.Errorf("seq %d: the kernel answered %v, want %v", seq, got, errno)
				}
				return
			}
		}
	}
}

// craftedSession sends the crafted requests and records them with every
// reply.
func craftedSession(t *testing.T, n *netns) []capture.Record {
	t.Helper()
	ns := n.nfSession(t)
	send, recvUntil := ns.send, ns.recvUntil
	const inet, netdev = unix.NFPROTO_INET, unix.NFPROTO_NETDEV
	create := uint16(unix.NLM_F_CREATE | unix.NLM_F_ACK)
	tunnelKey := nestAttr(4, // NFTA_OBJ_DATA
		be32Attr(1, 42), // NFTA_TUNNEL_KEY_ID
		nestAttr(2, attr(1, []byte{192, 0, 2, 1}), attr(2, []byte{192, 0, 2, 2})), // IP src, dst
		be32Attr(4, 1),    // FLAGS zero-csum-tx
		u8Attr(5, 1),      // TOS
		u8Attr(6, 64),     // TTL
		be16Attr(7, 1234), // SPORT
		be16Attr(8, 4789), // DPORT
		nestAttr(9, nestAttr(1, be32Attr(1, 0x10))), // OPTS{VXLAN{GBP}}
	)
	send(batch(100,
		nfMsg(nft.MsgNewObj, create, 101, netdev, strAttr(1, "nd"), strAttr(2, "tun1"), be32Attr(3, 6), tunnelKey),
		nfMsg(nft.MsgNewRule, create|unix.NLM_F_APPEND, 102, inet, strAttr(1, "filter"), strAttr(2, "other"),
			nestAttr(4,
				expr("last"),
				expr("inner", be32Attr(1, 0), be32Attr(2, 1), be32Attr(3, 0x7), be32Attr(4, 8),
					nestAttr(5, strAttr(1, "payload"), nestAttr(2, be32Attr(1, 1), be32Attr(2, 1), be32Attr(3, 12), be32Attr(4, 4)))),
				expr("cmp", be32Attr(1, 1), be32Attr(2, 0), nestAttr(3, attr(1, []byte{10, 0, 0, 1}))),
			)),
		nfMsg(nft.MsgNewRule, create|unix.NLM_F_APPEND, 103, netdev, strAttr(1, "nd"), strAttr(2, "c"),
			nestAttr(4,
				expr("tunnel", be32Attr(1, 1), be32Attr(2, 1), be32Attr(3, 1)),
				expr("cmp", be32Attr(1, 1), be32Attr(2, 0), nestAttr(3, attr(1, []byte{0, 0, 0, 42}))),
			)),
	))
	for seq := uint32(101); seq <= 103; seq++ {
		recvUntil(seq)
	}
	dump := uint16(unix.NLM_F_DUMP)
	send(nfMsg(nft.MsgGetRuleReset, dump, 110, inet, strAttr(1, "filter"), strAttr(2, "other")))
	recvUntil(110)
	send(nfMsg(nft.MsgGetObjReset, dump, 111, inet, strAttr(1, "filter")))
	recvUntil(111)
	send(nfMsg(nft.MsgGetSetElemReset, dump, 112, inet, strAttr(1, "filter"), strAttr(2, "sc")))
	recvUntil(112)
	send(nfMsg(nft.MsgGetObj, 0, 113, netdev, strAttr(1, "nd"), strAttr(2, "tun1"), be32Attr(3, 6)))
	recvUntil(113)
	// Destroying what does not exist is not an error, unlike deleting.
	ack := uint16(unix.NLM_F_ACK)
	send(batch(120,
		nfMsg(nft.MsgDestroyObj, ack, 121, netdev, strAttr(1, "nd"), strAttr(2, "tun1"), be32Attr(3, 6)),
		nfMsg(nft.MsgDestroyTable, ack, 122, inet, strAttr(1, "no-such-table")),
		nfMsg(nft.MsgDestroyChain, ack, 123, inet, strAttr(1, "filter"), strAttr(3, "no-such-chain")),
		nfMsg(nft.MsgDestroySet, ack, 124, inet, strAttr(1, "filter"), strAttr(2, "no-such-set")),
		nfMsg(nft.MsgDestroyObj, ack, 125, inet, strAttr(1, "filter"), strAttr(2, "no-such-obj"), be32Attr(3, 1)),
	))
	for seq := uint32(121); seq <= 125; seq++ {
		recvUntil(seq)
	}
	// A rule for a chain that does not exist: the error names the batch
	// position, and the extended ACK points at NFTA_RULE_CHAIN.
	send(batch(130,
		nfMsg(nft.MsgNewRule, create|unix.NLM_F_APPEND, 131, inet, strAttr(1, "filter"), strAttr(2, "no-such-chain"),
			nestAttr(4, expr("counter"))),
	))
	ns.recvErrno(131, unix.ENOENT)
	return ns.recs
}
