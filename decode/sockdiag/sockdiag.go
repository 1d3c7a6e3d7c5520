package sockdiag

import (
	"encoding/binary"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// Message types (linux/sock_diag.h, linux/inet_diag.h).
const (
	typeTCPDiagGetSock  = 18 // TCPDIAG_GETSOCK
	typeDCCPDiagGetSock = 19 // DCCPDIAG_GETSOCK
	typeByFamily        = 20 // SOCK_DIAG_BY_FAMILY
	typeDestroy         = 21 // SOCK_DESTROY
)

// Protocols that decide what an inet reply's INET_DIAG_INFO holds.
const (
	protoTCP   = unix.IPPROTO_TCP
	protoSCTP  = unix.IPPROTO_SCTP
	protoMPTCP = 262 // IPPROTO_MPTCP, sent in INET_DIAG_REQ_PROTOCOL
)

// Family returns the NETLINK_SOCK_DIAG decoder for registration with
// decode.NewRegistry.
func Family() *decode.Family {
	return &decode.Family{Protocol: unix.NETLINK_SOCK_DIAG, Name: "sock_diag", Types: baseTypes, Lookup: lookup}
}

// baseTypes names the message types when the family byte is unknown or
// absent, so that even an empty message is named.
var baseTypes = []decode.MessageType{
	typeTCPDiagGetSock:  {Name: "TCPDIAG_GETSOCK", Op: decode.OpGet},
	typeDCCPDiagGetSock: {Name: "DCCPDIAG_GETSOCK", Op: decode.OpGet},
	typeByFamily:        {Name: "SOCK_DIAG_BY_FAMILY", Op: decode.OpGet, Header: &sockDiagReq},
	typeDestroy:         {Name: "SOCK_DESTROY", Op: decode.OpDel, Header: &sockDiagReq},
}

// sockDiagReq is the part of a request every family shares.
var sockDiagReq = decode.Layout{Name: "sock_diag_req", Size: 2, Members: []decode.Attr{
	{Name: "sdiag_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "sdiag_protocol", Type: decode.U8, Off: 1},
}}

// request says what the request that a message belongs to asked for.
type request struct {
	family   uint8
	protocol int
	known    bool
}

// lookup chooses a message's schema by its family (and, for inet replies,
// by the protocol its request asked for).
func lookup(st *decode.State, h client.Header, payload []byte) *decode.MessageType {
	isRequest := h.Flags&client.FlagRequest != 0
	if st != nil {
		isRequest = st.IsRequest(h)
	}
	switch h.Type {
	case typeTCPDiagGetSock, typeDCCPDiagGetSock:
		i := 0
		if h.Type == typeDCCPDiagGetSock {
			i = 1
		}
		if len(payload) == 0 {
			return nil
		}
		v6 := payload[0] == unix.AF_INET6
		if isRequest {
			if v6 {
				return &legacyRequests6[i]
			}
			return &legacyRequests4[i]
		}
		proto := protoTCP
		if i == 1 {
			proto = unix.IPPROTO_DCCP
		}
		return inetReply(h.Type, payload, v6, proto)
	case typeByFamily, typeDestroy:
	default:
		return nil
	}
	if isRequest {
		if len(payload) == 0 {
			return nil
		}
		return familyRequest(h.Type, payload[0], payload)
	}
	req := requestOf(st, h)
	fam := req.family
	if !req.known {
		if len(payload) == 0 {
			return nil
		}
		fam = payload[0]
	}
	switch fam {
	case unix.AF_INET, unix.AF_INET6:
		proto := req.protocol
		if !req.known {
			proto = guessProtocol(payload)
		}
		v6 := fam == unix.AF_INET6
		if len(payload) > 0 && (payload[0] == unix.AF_INET || payload[0] == unix.AF_INET6) {
			// A dump of AF_INET6 reports v4-mapped sockets with their
			// own family.
			v6 = payload[0] == unix.AF_INET6
		}
		return inetReply(h.Type, payload, v6, proto)
	case unix.AF_UNIX:
		return &unixTypes[1]
	case unix.AF_NETLINK:
		return &netlinkTypes[1]
	case unix.AF_PACKET:
		return &packetTypes[1]
	case unix.AF_SMC:
		if smcV6(payload) {
			return &smcTypes[2]
		}
		return &smcTypes[1]
	case unix.AF_XDP:
		return &xdpTypes[1]
	case unix.AF_VSOCK:
		return &vsockTypes[1]
	case unix.AF_TIPC:
		return &tipcTypes[1]
	}
	return nil
}

// familyRequest returns the schema of a SOCK_DIAG_BY_FAMILY or
// SOCK_DESTROY request of family fam.
func familyRequest(typ uint16, fam uint8, payload []byte) *decode.MessageType {
	destroy := typ == typeDestroy
	pick := func(t *[3]decode.MessageType) *decode.MessageType {
		if destroy {
			return &t[2]
		}
		return &t[0]
	}
	switch fam {
	case unix.AF_INET:
		return pick(&inetRequests4)
	case unix.AF_INET6:
		return pick(&inetRequests6)
	case unix.AF_UNIX:
		return pick(&unixTypes)
	case unix.AF_NETLINK:
		return pick(&netlinkTypes)
	case unix.AF_PACKET:
		return pick(&packetTypes)
	case unix.AF_SMC:
		if destroy {
			return nil
		}
		if smcV6(payload) {
			return &smcRequest6
		}
		return &smcTypes[0]
	case unix.AF_XDP:
		return pick(&xdpTypes)
	case unix.AF_VSOCK:
		return pick(&vsockTypes)
	case unix.AF_TIPC:
		return pick(&tipcTypes)
	}
	return nil
}

// requestOf finds the request a reply answers and reads its family and
// protocol: the protocol is sdiag_protocol, or INET_DIAG_REQ_PROTOCOL for
// protocols above 255 (mptcp).
func requestOf(st *decode.State, h client.Header) request {
	if st == nil {
		return request{}
	}
	raw := st.Request(unix.NETLINK_SOCK_DIAG, h.PortID, h.Sequence)
	if len(raw) < client.HeaderLen+2 {
		return request{}
	}
	rh, err := client.ParseHeader(raw)
	if err != nil || (rh.Type != typeByFamily && rh.Type != typeDestroy) {
		return request{}
	}
	body := raw[client.HeaderLen:]
	if int(rh.Length) <= len(raw) && rh.Length >= client.HeaderLen {
		body = raw[client.HeaderLen:rh.Length]
	}
	r := request{family: body[0], protocol: int(body[1]), known: true}
	if (r.family == unix.AF_INET || r.family == unix.AF_INET6) && len(body) > inetReqV2Len {
		var d client.AttributeDecoder
		d.Reset(body[inetReqV2Len:], 0)
		for d.Next() {
			if d.Type() == inetDiagReqProtocol && d.Len() == 4 {
				r.protocol = int(d.Uint32())
			}
		}
	}
	return r
}

// guessProtocol says what an inet reply whose request was not seen most
// likely holds: INET_DIAG_PROTOCOL when present (raw sockets), sctp when
// it lists local or peer addresses, tcp otherwise.
func guessProtocol(payload []byte) int {
	if len(payload) <= inetDiagMsgLen {
		return protoTCP
	}
	var d client.AttributeDecoder
	d.Reset(payload[inetDiagMsgLen:], 0)
	for d.Next() {
		switch d.Type() {
		case inetDiagProtocol:
			if d.Len() == 1 {
				return int(d.Bytes()[0])
			}
		case inetDiagLocals, inetDiagPeers:
			return protoSCTP
		}
	}
	return protoTCP
}

// smcV6 says an smc_diag_msg or smc_diag_req carries an IPv6 socket id:
// SMC reports the family of its internal TCP socket nowhere, so an
// address whose last 12 bytes are zero is taken as IPv4.
func smcV6(payload []byte) bool {
	const src = 4 + 4 // the id's idiag_src within smc_diag_msg/req
	if len(payload) < src+32 {
		return false
	}
	for _, a := range [2]int{src, src + 16} {
		for _, c := range payload[a+4 : a+16] {
			if c != 0 {
				return true
			}
		}
	}
	return false
}

// Enums shared by the families, named as ss names them.

var families = decode.Enum{Name: "AF", Names: []string{
	unix.AF_UNSPEC: "unspec", unix.AF_UNIX: "unix", unix.AF_INET: "inet", unix.AF_INET6: "inet6",
	unix.AF_NETLINK: "netlink", unix.AF_PACKET: "packet", unix.AF_TIPC: "tipc", unix.AF_VSOCK: "vsock",
	unix.AF_SMC: "smc", unix.AF_XDP: "xdp",
}}

// states are the kernel's socket states (TCP_ESTABLISHED ...) as ss shows
// them; unix and vsock sockets reuse them.
var states = decode.Enum{Name: "TCP_STATE", Names: []string{
	"UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT",
	"UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING", "NEW-SYN-RECV", "BOUND-INACTIVE",
}}

// stateBits names the bits of a states filter (1 << TCP_*).
var stateBits = decode.FlagSet{Name: "TCPF", Bits: states.Names}

var sockTypes = decode.Enum{Name: "SOCK", Names: []string{
	1: "stream", 2: "dgram", 3: "raw", 4: "rdm", 5: "seqpacket", 6: "dccp", 10: "packet",
}}

var ipProtocols = decode.Enum{Name: "IPPROTO", Open: true, Names: []string{
	0: "ip", 1: "icmp", 2: "igmp", 6: "tcp", 17: "udp", 33: "dccp", 41: "ipv6", 58: "icmpv6",
	132: "sctp", 136: "udplite", 255: "raw",
}, Sparse: map[uint64]string{protoMPTCP: "mptcp"}}

// shutdown names RCV_SHUTDOWN and SEND_SHUTDOWN.
var shutdown = decode.FlagSet{Name: "SHUTDOWN", Bits: []string{"rcv", "send"}}

// skMeminfo is the SK_MEMINFO_* array of INET_DIAG_SKMEMINFO and the
// MEMINFO attributes of the other families; newer kernels may append
// entries, shown by index.
var skMeminfo = decode.Layout{Name: "sk_meminfo", Size: 36, Members: []decode.Attr{
	{Name: "SK_MEMINFO_RMEM_ALLOC", Type: decode.U32, Off: 0},
	{Name: "SK_MEMINFO_RCVBUF", Type: decode.U32, Off: 4},
	{Name: "SK_MEMINFO_WMEM_ALLOC", Type: decode.U32, Off: 8},
	{Name: "SK_MEMINFO_SNDBUF", Type: decode.U32, Off: 12},
	{Name: "SK_MEMINFO_FWD_ALLOC", Type: decode.U32, Off: 16},
	{Name: "SK_MEMINFO_WMEM_QUEUED", Type: decode.U32, Off: 20},
	{Name: "SK_MEMINFO_OPTMEM", Type: decode.U32, Off: 24},
	{Name: "SK_MEMINFO_BACKLOG", Type: decode.U32, Off: 28},
	{Name: "SK_MEMINFO_DROPS", Type: decode.U32, Off: 32},
}, Tail: &decode.Attr{Name: "SK_MEMINFO_", Type: decode.U32}}

// cookie is a socket's idiag_cookie[2] (and the other families'), which
// ss prints as one 64-bit number: cookie[0] | cookie[1] << 32, that is a
// host-order u64.
func cookie(name string, off int) decode.Attr {
	return decode.Attr{Name: name, Type: decode.U64, Sem: decode.Hex, Off: off}
}

// u32At reads a host-order u32, or 0 when b is short.
func u32At(b []byte, off int) uint32 {
	if off+4 > len(b) {
		return 0
	}
	return binary.NativeEndian.Uint32(b[off:])
}
