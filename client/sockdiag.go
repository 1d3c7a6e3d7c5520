package client

import "encoding/binary"

// The sock_diag headers of netlink sockets (linux/netlink_diag.h), which
// both the dissector and nlmon's port-id resolution read.

// SockDiagByFamily is the SOCK_DIAG_BY_FAMILY message type of
// NETLINK_SOCK_DIAG (linux/sock_diag.h).
const SockDiagByFamily = 20

// NetlinkDiagProtoAll in NetlinkDiagReq.Protocol asks for the sockets of
// every netlink protocol (NDIAG_PROTO_ALL).
const NetlinkDiagProtoAll = 0xff

// NetlinkDiagReq is struct netlink_diag_req, a SOCK_DIAG_BY_FAMILY request
// for AF_NETLINK sockets.
type NetlinkDiagReq struct {
	Family   uint8 // AF_NETLINK
	Protocol uint8 // NETLINK_*, or NetlinkDiagProtoAll
	Ino      uint32
	Show     uint32 // NDIAG_SHOW_*
	Cookie   uint64 // ndiag_cookie[0] | ndiag_cookie[1] << 32
}

// NetlinkDiagReqLen is the size of struct netlink_diag_req.
const NetlinkDiagReqLen = 20

// Append appends the encoded request to b.
func (r NetlinkDiagReq) Append(b []byte) []byte {
	b = append(b, r.Family, r.Protocol, 0, 0)
	b = binary.NativeEndian.AppendUint32(b, r.Ino)
	b = binary.NativeEndian.AppendUint32(b, r.Show)
	return binary.NativeEndian.AppendUint64(b, r.Cookie)
}

// NetlinkDiagMsg is struct netlink_diag_msg, the kernel's description of
// one netlink socket.
type NetlinkDiagMsg struct {
	Family    uint8
	Type      uint8 // SOCK_RAW, SOCK_DGRAM
	Protocol  uint8 // NETLINK_*
	State     uint8 // 0 unconnected, 1 connected
	PortID    uint32
	DstPortID uint32
	DstGroup  uint32
	Ino       uint32
	Cookie    uint64
}

// NetlinkDiagMsgLen is the size of struct netlink_diag_msg.
const NetlinkDiagMsgLen = 28

// ParseNetlinkDiagMsg reads a struct netlink_diag_msg.
func ParseNetlinkDiagMsg(b []byte) (NetlinkDiagMsg, error) {
	if len(b) < NetlinkDiagMsgLen {
		return NetlinkDiagMsg{}, short("netlink_diag_msg", NetlinkDiagMsgLen, len(b))
	}
	e := binary.NativeEndian
	return NetlinkDiagMsg{
		Family: b[0], Type: b[1], Protocol: b[2], State: b[3],
		PortID: e.Uint32(b[4:]), DstPortID: e.Uint32(b[8:]), DstGroup: e.Uint32(b[12:]),
		Ino: e.Uint32(b[16:]), Cookie: e.Uint64(b[20:]),
	}, nil
}

// Append appends the encoded message to b.
func (m NetlinkDiagMsg) Append(b []byte) []byte {
	b = append(b, m.Family, m.Type, m.Protocol, m.State)
	e := binary.NativeEndian
	b = e.AppendUint32(b, m.PortID)
	b = e.AppendUint32(b, m.DstPortID)
	b = e.AppendUint32(b, m.DstGroup)
	b = e.AppendUint32(b, m.Ino)
	return e.AppendUint64(b, m.Cookie)
}
