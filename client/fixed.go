package client

import (
	"encoding/binary"
	"fmt"
)

// The fixed headers that follow nlmsghdr in each family. Each has a Len
// constant, a ParseX function that reads the first Len bytes of a payload
// (extra bytes are the caller's: attributes usually follow at Align(Len)),
// and an Append method. All integers are in host byte order unless a field's
// comment says otherwise.

func short(what string, need, have int) error {
	return &MalformedError{Offset: 0, Reason: fmt.Sprintf("%s needs %d bytes, have %d", what, need, have)}
}

// IfInfoMsg is struct ifinfomsg (RTM_*LINK).
type IfInfoMsg struct {
	Family uint8
	Type   uint16 // ARPHRD_*
	Index  int32
	Flags  uint32 // IFF_*
	Change uint32
}

// IfInfoMsgLen is the size of struct ifinfomsg.
const IfInfoMsgLen = 16

// ParseIfInfoMsg reads a struct ifinfomsg.
func ParseIfInfoMsg(b []byte) (IfInfoMsg, error) {
	if len(b) < IfInfoMsgLen {
		return IfInfoMsg{}, short("ifinfomsg", IfInfoMsgLen, len(b))
	}
	return IfInfoMsg{Family: b[0], Type: binary.NativeEndian.Uint16(b[2:]), Index: int32(binary.NativeEndian.Uint32(b[4:])), Flags: binary.NativeEndian.Uint32(b[8:]), Change: binary.NativeEndian.Uint32(b[12:])}, nil
}

// Append appends the encoded header to b.
func (m IfInfoMsg) Append(b []byte) []byte {
	b = append(b, m.Family, 0)
	b = binary.NativeEndian.AppendUint16(b, m.Type)
	b = binary.NativeEndian.AppendUint32(b, uint32(m.Index))
	b = binary.NativeEndian.AppendUint32(b, m.Flags)
	return binary.NativeEndian.AppendUint32(b, m.Change)
}

// IfAddrMsg is struct ifaddrmsg (RTM_*ADDR).
type IfAddrMsg struct {
	Family    uint8
	PrefixLen uint8
	Flags     uint8 // IFA_F_*; IFA_FLAGS carries the full 32 bits
	Scope     uint8
	Index     uint32
}

// IfAddrMsgLen is the size of struct ifaddrmsg.
const IfAddrMsgLen = 8

// ParseIfAddrMsg reads a struct ifaddrmsg.
func ParseIfAddrMsg(b []byte) (IfAddrMsg, error) {
	if len(b) < IfAddrMsgLen {
		return IfAddrMsg{}, short("ifaddrmsg", IfAddrMsgLen, len(b))
	}
	return IfAddrMsg{Family: b[0], PrefixLen: b[1], Flags: b[2], Scope: b[3], Index: binary.NativeEndian.Uint32(b[4:])}, nil
}

// Append appends the encoded header to b.
func (m IfAddrMsg) Append(b []byte) []byte {
	b = append(b, m.Family, m.PrefixLen, m.Flags, m.Scope)
	return binary.NativeEndian.AppendUint32(b, m.Index)
}

// RtMsg is struct rtmsg (RTM_*ROUTE).
type RtMsg struct {
	Family   uint8
	DstLen   uint8
	SrcLen   uint8
	TOS      uint8
	Table    uint8 // RT_TABLE_*; RTA_TABLE carries tables above 255
	Protocol uint8 // RTPROT_*
	Scope    uint8 // RT_SCOPE_*
	Type     uint8 // RTN_*
	Flags    uint32
}

// RtMsgLen is the size of struct rtmsg.
const RtMsgLen = 12

// ParseRtMsg reads a struct rtmsg.
func ParseRtMsg(b []byte) (RtMsg, error) {
	if len(b) < RtMsgLen {
		return RtMsg{}, short("rtmsg", RtMsgLen, len(b))
	}
	return RtMsg{Family: b[0], DstLen: b[1], SrcLen: b[2], TOS: b[3], Table: b[4], Protocol: b[5], Scope: b[6], Type: b[7], Flags: binary.NativeEndian.Uint32(b[8:])}, nil
}

// Append appends the encoded header to b.
func (m RtMsg) Append(b []byte) []byte {
	b = append(b, m.Family, m.DstLen, m.SrcLen, m.TOS, m.Table, m.Protocol, m.Scope, m.Type)
	return binary.NativeEndian.AppendUint32(b, m.Flags)
}

// NdMsg is struct ndmsg (RTM_*NEIGH).
type NdMsg struct {
	Family uint8
	Index  int32
	State  uint16 // NUD_*
	Flags  uint8  // NTF_*
	Type   uint8  // RTN_*
}

// NdMsgLen is the size of struct ndmsg.
const NdMsgLen = 12

// ParseNdMsg reads a struct ndmsg.
func ParseNdMsg(b []byte) (NdMsg, error) {
	if len(b) < NdMsgLen {
		return NdMsg{}, short("ndmsg", NdMsgLen, len(b))
	}
	return NdMsg{Family: b[0], Index: int32(binary.NativeEndian.Uint32(b[4:])), State: binary.NativeEndian.Uint16(b[8:]), Flags: b[10], Type: b[11]}, nil
}

// Append appends the encoded header to b.
func (m NdMsg) Append(b []byte) []byte {
	b = append(b, m.Family, 0, 0, 0)
	b = binary.NativeEndian.AppendUint32(b, uint32(m.Index))
	b = binary.NativeEndian.AppendUint16(b, m.State)
	return append(b, m.Flags, m.Type)
}

// TcMsg is struct tcmsg (RTM_*QDISC, *TCLASS, *TFILTER, *CHAIN).
type TcMsg struct {
	Family uint8
	Index  int32
	Handle uint32
	Parent uint32
	// Info holds the filter priority in its high 16 bits and the protocol,
	// big-endian, in its low 16 bits.
	Info uint32
}

// TcMsgLen is the size of struct tcmsg.
const TcMsgLen = 20

// ParseTcMsg reads a struct tcmsg.
func ParseTcMsg(b []byte) (TcMsg, error) {
	if len(b) < TcMsgLen {
		return TcMsg{}, short("tcmsg", TcMsgLen, len(b))
	}
	return TcMsg{Family: b[0], Index: int32(binary.NativeEndian.Uint32(b[4:])), Handle: binary.NativeEndian.Uint32(b[8:]), Parent: binary.NativeEndian.Uint32(b[12:]), Info: binary.NativeEndian.Uint32(b[16:])}, nil
}

// Append appends the encoded header to b.
func (m TcMsg) Append(b []byte) []byte {
	b = append(b, m.Family, 0, 0, 0)
	b = binary.NativeEndian.AppendUint32(b, uint32(m.Index))
	b = binary.NativeEndian.AppendUint32(b, m.Handle)
	b = binary.NativeEndian.AppendUint32(b, m.Parent)
	return binary.NativeEndian.AppendUint32(b, m.Info)
}

// FibRuleHdr is struct fib_rule_hdr (RTM_*RULE).
type FibRuleHdr struct {
	Family uint8
	DstLen uint8
	SrcLen uint8
	TOS    uint8
	Table  uint8
	Action uint8 // FR_ACT_*
	Flags  uint32
}

// FibRuleHdrLen is the size of struct fib_rule_hdr.
const FibRuleHdrLen = 12

// ParseFibRuleHdr reads a struct fib_rule_hdr.
func ParseFibRuleHdr(b []byte) (FibRuleHdr, error) {
	if len(b) < FibRuleHdrLen {
		return FibRuleHdr{}, short("fib_rule_hdr", FibRuleHdrLen, len(b))
	}
	return FibRuleHdr{Family: b[0], DstLen: b[1], SrcLen: b[2], TOS: b[3], Table: b[4], Action: b[7], Flags: binary.NativeEndian.Uint32(b[8:])}, nil
}

// Append appends the encoded header to b.
func (m FibRuleHdr) Append(b []byte) []byte {
	b = append(b, m.Family, m.DstLen, m.SrcLen, m.TOS, m.Table, 0, 0, m.Action)
	return binary.NativeEndian.AppendUint32(b, m.Flags)
}

// NhMsg is struct nhmsg (RTM_*NEXTHOP).
type NhMsg struct {
	Family   uint8
	Scope    uint8
	Protocol uint8
	Flags    uint32 // RTNH_F_*
}

// NhMsgLen is the size of struct nhmsg.
const NhMsgLen = 8

// ParseNhMsg reads a struct nhmsg.
func ParseNhMsg(b []byte) (NhMsg, error) {
	if len(b) < NhMsgLen {
		return NhMsg{}, short("nhmsg", NhMsgLen, len(b))
	}
	return NhMsg{Family: b[0], Scope: b[1], Protocol: b[2], Flags: binary.NativeEndian.Uint32(b[4:])}, nil
}

// Append appends the encoded header to b.
func (m NhMsg) Append(b []byte) []byte {
	b = append(b, m.Family, m.Scope, m.Protocol, 0)
	return binary.NativeEndian.AppendUint32(b, m.Flags)
}

// RtGenMsg is struct rtgenmsg, the one-byte header of some dump requests.
type RtGenMsg struct {
	Family uint8
}

// RtGenMsgLen is the size of struct rtgenmsg.
const RtGenMsgLen = 1

// ParseRtGenMsg reads a struct rtgenmsg.
func ParseRtGenMsg(b []byte) (RtGenMsg, error) {
	if len(b) < RtGenMsgLen {
		return RtGenMsg{}, short("rtgenmsg", RtGenMsgLen, len(b))
	}
	return RtGenMsg{Family: b[0]}, nil
}

// Append appends the encoded header to b.
func (m RtGenMsg) Append(b []byte) []byte { return append(b, m.Family) }

// GenlMsgHdr is struct genlmsghdr (generic netlink).
type GenlMsgHdr struct {
	Command uint8
	Version uint8
}

// GenlMsgHdrLen is the size of struct genlmsghdr.
const GenlMsgHdrLen = 4

// ParseGenlMsgHdr reads a struct genlmsghdr.
func ParseGenlMsgHdr(b []byte) (GenlMsgHdr, error) {
	if len(b) < GenlMsgHdrLen {
		return GenlMsgHdr{}, short("genlmsghdr", GenlMsgHdrLen, len(b))
	}
	return GenlMsgHdr{Command: b[0], Version: b[1]}, nil
}

// Append appends the encoded header to b.
func (m GenlMsgHdr) Append(b []byte) []byte { return append(b, m.Command, m.Version, 0, 0) }

// NfGenMsg is struct nfgenmsg (nfnetlink).
type NfGenMsg struct {
	Family  uint8
	Version uint8
	// ResID is big-endian on the wire; this field holds its value.
	ResID uint16
}

// NfGenMsgLen is the size of struct nfgenmsg.
const NfGenMsgLen = 4

// ParseNfGenMsg reads a struct nfgenmsg.
func ParseNfGenMsg(b []byte) (NfGenMsg, error) {
	if len(b) < NfGenMsgLen {
		return NfGenMsg{}, short("nfgenmsg", NfGenMsgLen, len(b))
	}
	return NfGenMsg{Family: b[0], Version: b[1], ResID: binary.BigEndian.Uint16(b[2:])}, nil
}

// Append appends the encoded header to b.
func (m NfGenMsg) Append(b []byte) []byte {
	b = append(b, m.Family, m.Version)
	return binary.BigEndian.AppendUint16(b, m.ResID)
}
