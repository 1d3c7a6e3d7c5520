package sockdiag

import (
	"encoding/binary"
	"strconv"

	"github.com/nltrace/nltrace/decode"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// Sizes of the inet structs (linux/inet_diag.h).
const (
	inetDiagSockIDLen = 48
	inetReqV2Len      = 56 // struct inet_diag_req_v2
	inetReqLen        = 60 // struct inet_diag_req (TCPDIAG_GETSOCK)
	inetDiagMsgLen    = 72 // struct inet_diag_msg
)

// INET_DIAG_REQ_* request attributes.
const (
	inetDiagReqBytecode    = 1
	inetDiagReqBPFStorages = 2
	inetDiagReqProtocol    = 3
)

// INET_DIAG_* reply attributes that lookup looks for.
const (
	inetDiagProtocol = 10
	inetDiagLocals   = 12
	inetDiagPeers    = 13
)

// sockID returns the members of a struct inet_diag_sockid at off, with
// addresses of the family's length (an AF_INET socket uses the first 4 of
// the 16 bytes).
func sockID(off int, v6 bool) []decode.Attr {
	alen := 4
	if v6 {
		alen = 16
	}
	return []decode.Attr{
		{Name: "idiag_sport", Type: decode.BE16, Off: off},
		{Name: "idiag_dport", Type: decode.BE16, Off: off + 2},
		{Name: "idiag_src", Type: decode.Addr, Off: off + 4, Len: alen},
		{Name: "idiag_dst", Type: decode.Addr, Off: off + 20, Len: alen},
		{Name: "idiag_if", Type: decode.U32, Sem: decode.Ifindex, Off: off + 36},
		cookie("idiag_cookie", off+40),
	}
}

func concat(parts ...[]decode.Attr) []decode.Attr {
	var out []decode.Attr
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// extBits names idiag_ext: bit N-1 asks for INET_DIAG_* extension N.
var extBits = decode.FlagSet{Name: "INET_DIAG_EXT", Bits: []string{
	"meminfo", "info", "vegasinfo", "cong", "tos", "tclass", "skmeminfo", "shutdown",
}}

var timers = decode.Enum{Name: "idiag_timer", Names: []string{"off", "on", "keepalive", "timewait", "persist"}}

func inetReqV2(v6 bool) *decode.Layout {
	return &decode.Layout{Name: "inet_diag_req_v2", Size: inetReqV2Len, Members: concat([]decode.Attr{
		{Name: "sdiag_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
		{Name: "sdiag_protocol", Type: decode.U8, Sem: decode.EnumValue, Enum: &ipProtocols, Off: 1},
		{Name: "idiag_ext", Type: decode.U8, Sem: decode.FlagBits, Flags: &extBits, Off: 2},
		// Raw sockets put the IP protocol here (inet_diag_req_raw).
		{Name: "sdiag_raw_protocol", Type: decode.U8, Off: 3},
		{Name: "idiag_states", Type: decode.U32, Sem: decode.FlagBits, Flags: &stateBits, Off: 4},
	}, sockID(8, v6))}
}

func inetReqLegacy(v6 bool) *decode.Layout {
	return &decode.Layout{Name: "inet_diag_req", Size: inetReqLen, Members: concat([]decode.Attr{
		{Name: "idiag_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
		{Name: "idiag_src_len", Type: decode.U8, Off: 1},
		{Name: "idiag_dst_len", Type: decode.U8, Off: 2},
		{Name: "idiag_ext", Type: decode.U8, Sem: decode.FlagBits, Flags: &extBits, Off: 3},
	}, sockID(4, v6), []decode.Attr{
		{Name: "idiag_states", Type: decode.U32, Sem: decode.FlagBits, Flags: &stateBits, Off: 52},
		{Name: "idiag_dbs", Type: decode.U32, Off: 56},
	})}
}

func inetMsg(v6 bool) *decode.Layout {
	return &decode.Layout{Name: "inet_diag_msg", Size: inetDiagMsgLen, Members: concat([]decode.Attr{
		{Name: "idiag_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
		{Name: "idiag_state", Type: decode.U8, Sem: decode.EnumValue, Enum: &states, Off: 1},
		{Name: "idiag_timer", Type: decode.U8, Sem: decode.EnumValue, Enum: &timers, Off: 2},
		{Name: "idiag_retrans", Type: decode.U8, Off: 3},
	}, sockID(4, v6), []decode.Attr{
		{Name: "idiag_expires", Type: decode.U32, Sem: decode.Millis, Off: 52},
		{Name: "idiag_rqueue", Type: decode.U32, Off: 56},
		{Name: "idiag_wqueue", Type: decode.U32, Off: 60},
		{Name: "idiag_uid", Type: decode.U32, Off: 64},
		{Name: "idiag_inode", Type: decode.U32, Off: 68},
	})}
}

var (
	inetReqV2v4, inetReqV2v6     = inetReqV2(false), inetReqV2(true)
	inetReqOldv4, inetReqOldv6   = inetReqLegacy(false), inetReqLegacy(true)
	inetMsgv4, inetMsgv6         = inetMsg(false), inetMsg(true)
	inetRequests4, inetRequests6 = inetRequestTypes(inetReqV2v4), inetRequestTypes(inetReqV2v6)
)

// inetRequestTypes are [SOCK_DIAG_BY_FAMILY request, unused, SOCK_DESTROY].
func inetRequestTypes(h *decode.Layout) [3]decode.MessageType {
	return [3]decode.MessageType{
		{Name: "SOCK_DIAG_BY_FAMILY", Op: decode.OpGet, Header: h, Attrs: &inetReqAttrs},
		{},
		{Name: "SOCK_DESTROY", Op: decode.OpDel, Header: h, Attrs: &inetReqAttrs},
	}
}

var (
	legacyRequests4 = [2]decode.MessageType{
		{Name: "TCPDIAG_GETSOCK", Op: decode.OpGet, Header: inetReqOldv4, Attrs: &inetReqAttrs},
		{Name: "DCCPDIAG_GETSOCK", Op: decode.OpGet, Header: inetReqOldv4, Attrs: &inetReqAttrs},
	}
	legacyRequests6 = [2]decode.MessageType{
		{Name: "TCPDIAG_GETSOCK", Op: decode.OpGet, Header: inetReqOldv6, Attrs: &inetReqAttrs},
		{Name: "DCCPDIAG_GETSOCK", Op: decode.OpGet, Header: inetReqOldv6, Attrs: &inetReqAttrs},
	}
)

// inetReplies holds, per message type, address family and what
// INET_DIAG_INFO holds, the reply schema.
type replyKey struct {
	typ  uint16
	v6   bool
	info int // protocol whose info struct INET_DIAG_INFO holds
}

var inetReplyTypes = func() map[replyKey]*decode.MessageType {
	m := map[replyKey]*decode.MessageType{}
	names := map[uint16]string{typeTCPDiagGetSock: "TCPDIAG_GETSOCK", typeDCCPDiagGetSock: "DCCPDIAG_GETSOCK", typeByFamily: "SOCK_DIAG_BY_FAMILY", typeDestroy: "SOCK_DESTROY"}
	for typ, name := range names {
		for _, v6 := range []bool{false, true} {
			h := inetMsgv4
			if v6 {
				h = inetMsgv6
			}
			for _, info := range []int{protoTCP, protoMPTCP, protoSCTP, 0} {
				m[replyKey{typ, v6, info}] = &decode.MessageType{Name: name, Header: h, Attrs: inetAttrs[info]}
			}
		}
	}
	return m
}()

// inetReply returns the reply schema of a message of type typ whose
// request asked for protocol proto.
func inetReply(typ uint16, _ []byte, v6 bool, proto int) *decode.MessageType {
	info := 0
	switch proto {
	case protoTCP, unix.IPPROTO_DCCP:
		info = protoTCP
	case protoMPTCP, protoSCTP:
		info = proto
	}
	return inetReplyTypes[replyKey{typ, v6, info}]
}

// inetReqAttrs are the INET_DIAG_REQ_* attributes of a request.
var inetReqAttrs = decode.AttrSet{Name: "INET_DIAG_REQ", Attrs: []decode.Attr{
	inetDiagReqBytecode:    {Name: "INET_DIAG_REQ_BYTECODE", Type: decode.Custom, Custom: bytecode},
	inetDiagReqBPFStorages: {Name: "INET_DIAG_REQ_SK_BPF_STORAGES", Type: decode.Nest, Nest: &bpfStorageReqAttrs},
	inetDiagReqProtocol:    {Name: "INET_DIAG_REQ_PROTOCOL", Type: decode.U32, Sem: decode.EnumValue, Enum: &ipProtocols},
}}

var bpfStorageReqAttrs = decode.AttrSet{Name: "SK_DIAG_BPF_STORAGE_REQ", Attrs: []decode.Attr{
	1: {Name: "SK_DIAG_BPF_STORAGE_REQ_MAP_FD", Type: decode.U32},
}}

var bpfStorageRepAttrs = decode.AttrSet{Name: "SK_DIAG_BPF_STORAGE_REP", Attrs: []decode.Attr{
	1: {Name: "SK_DIAG_BPF_STORAGE", Type: decode.Nest, Nest: &bpfStorageAttrs},
}}

var bpfStorageAttrs = decode.AttrSet{Name: "SK_DIAG_BPF_STORAGE", Attrs: []decode.Attr{
	1: {Name: "SK_DIAG_BPF_STORAGE_PAD", Type: decode.Binary},
	2: {Name: "SK_DIAG_BPF_STORAGE_MAP_ID", Type: decode.U32},
	3: {Name: "SK_DIAG_BPF_STORAGE_MAP_VALUE", Type: decode.Binary},
}}

// inetAttrs holds the INET_DIAG_* reply set per INET_DIAG_INFO content:
// tcp (also dccp), mptcp, sctp, and none (udp, raw: no info).
var inetAttrs = map[int]*decode.AttrSet{
	protoTCP:   inetAttrSet(&decode.Attr{Name: "INET_DIAG_INFO", Type: decode.Struct, Struct: &tcpInfo}),
	protoMPTCP: inetAttrSet(&decode.Attr{Name: "INET_DIAG_INFO", Type: decode.Struct, Struct: &mptcpInfo}),
	protoSCTP:  inetAttrSet(&decode.Attr{Name: "INET_DIAG_INFO", Type: decode.Struct, Struct: &sctpInfo}),
	0:          inetAttrSet(&decode.Attr{Name: "INET_DIAG_INFO", Type: decode.Binary}),
}

func inetAttrSet(info *decode.Attr) *decode.AttrSet {
	return &decode.AttrSet{Name: "INET_DIAG", Attrs: []decode.Attr{
		1:  {Name: "INET_DIAG_MEMINFO", Type: decode.Struct, Struct: &inetMeminfo},
		2:  *info,
		3:  {Name: "INET_DIAG_VEGASINFO", Type: decode.Struct, Struct: &vegasInfo},
		4:  {Name: "INET_DIAG_CONG", Type: decode.String},
		5:  {Name: "INET_DIAG_TOS", Type: decode.U8, Sem: decode.Hex},
		6:  {Name: "INET_DIAG_TCLASS", Type: decode.U8, Sem: decode.Hex},
		7:  {Name: "INET_DIAG_SKMEMINFO", Type: decode.Struct, Struct: &skMeminfo},
		8:  {Name: "INET_DIAG_SHUTDOWN", Type: decode.U8, Sem: decode.FlagBits, Flags: &shutdown},
		9:  {Name: "INET_DIAG_DCTCPINFO", Type: decode.Struct, Struct: &dctcpInfo},
		10: {Name: "INET_DIAG_PROTOCOL", Type: decode.U8, Sem: decode.EnumValue, Enum: &ipProtocols},
		11: {Name: "INET_DIAG_SKV6ONLY", Type: decode.U8, Sem: decode.Bool},
		12: {Name: "INET_DIAG_LOCALS", Type: decode.Custom, Custom: sockaddrs},
		13: {Name: "INET_DIAG_PEERS", Type: decode.Custom, Custom: sockaddrs},
		14: {Name: "INET_DIAG_PAD", Type: decode.Binary},
		15: {Name: "INET_DIAG_MARK", Type: decode.U32, Sem: decode.Hex},
		16: {Name: "INET_DIAG_BBRINFO", Type: decode.Struct, Struct: &bbrInfo},
		17: {Name: "INET_DIAG_CLASS_ID", Type: decode.U32, Sem: decode.TCHandle},
		18: {Name: "INET_DIAG_MD5SIG", Type: decode.StructArray, Struct: &md5sig, Elem: "tcp_diag_md5sig"},
		19: {Name: "INET_DIAG_ULP_INFO", Type: decode.Nest, Nest: &ulpAttrs},
		20: {Name: "INET_DIAG_SK_BPF_STORAGES", Type: decode.Nest, Nest: &bpfStorageRepAttrs},
		21: {Name: "INET_DIAG_CGROUP_ID", Type: decode.U64},
		22: {Name: "INET_DIAG_SOCKOPT", Type: decode.U16, Sem: decode.FlagBits, Flags: &sockoptBits},
	}}
}

var inetMeminfo = decode.Layout{Name: "inet_diag_meminfo", Size: 16, Members: []decode.Attr{
	{Name: "idiag_rmem", Type: decode.U32, Off: 0},
	{Name: "idiag_wmem", Type: decode.U32, Off: 4},
	{Name: "idiag_fmem", Type: decode.U32, Off: 8},
	{Name: "idiag_tmem", Type: decode.U32, Off: 12},
}}

// sockoptBits are the bitfields of struct inet_diag_sockopt, in their
// little-endian bit order.
var sockoptBits = decode.FlagSet{Name: "inet_diag_sockopt", Bits: []string{
	"recverr", "is_icsk", "freebind", "hdrincl", "mc_loop", "transparent", "mc_all", "nodefrag",
	"bind_address_no_port", "recverr_rfc4884", "defer_connect",
}}

// tcp_diag_md5sig: the key is key material.
var md5sig = decode.Layout{Name: "tcp_diag_md5sig", Size: 100, Members: []decode.Attr{
	{Name: "tcpm_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "tcpm_prefixlen", Type: decode.U8, Off: 1},
	{Name: "tcpm_keylen", Type: decode.U16, Off: 2},
	{Name: "tcpm_addr", Type: decode.Binary, Off: 4, Len: 16},
	{Name: "tcpm_key", Type: decode.Binary, Sem: decode.Secret, Off: 20, Len: 80},
}}

// INET_ULP_INFO_* and what each upper-layer protocol reports.
var ulpAttrs = decode.AttrSet{Name: "INET_ULP_INFO", Attrs: []decode.Attr{
	1: {Name: "INET_ULP_INFO_NAME", Type: decode.String},
	2: {Name: "INET_ULP_INFO_TLS", Type: decode.Nest, Nest: &tlsInfoAttrs},
	3: {Name: "INET_ULP_INFO_MPTCP", Type: decode.Nest, Nest: &mptcpSubflowAttrs},
}}

var tlsVersions = decode.Enum{Name: "TLS_VERSION", Sparse: map[uint64]string{0x0303: "1.2", 0x0304: "1.3"}}

var tlsCiphers = decode.Enum{Name: "TLS_CIPHER", Sparse: map[uint64]string{
	51: "AES-GCM-128", 52: "AES-GCM-256", 53: "AES-CCM-128", 54: "CHACHA20-POLY1305",
	55: "SM4-GCM", 56: "SM4-CCM", 57: "ARIA-GCM-128", 58: "ARIA-GCM-256",
}}

var tlsConfs = decode.Enum{Name: "TLS_CONF", Names: []string{1: "base", 2: "sw", 3: "hw", 4: "hw-record"}}

var tlsInfoAttrs = decode.AttrSet{Name: "TLS_INFO", Attrs: []decode.Attr{
	1: {Name: "TLS_INFO_VERSION", Type: decode.U16, Sem: decode.EnumValue, Enum: &tlsVersions},
	2: {Name: "TLS_INFO_CIPHER", Type: decode.U16, Sem: decode.EnumValue, Enum: &tlsCiphers},
	3: {Name: "TLS_INFO_TXCONF", Type: decode.U16, Sem: decode.EnumValue, Enum: &tlsConfs},
	4: {Name: "TLS_INFO_RXCONF", Type: decode.U16, Sem: decode.EnumValue, Enum: &tlsConfs},
	5: {Name: "TLS_INFO_ZC_RO_TX", Type: decode.Flag},
	6: {Name: "TLS_INFO_RX_NO_PAD", Type: decode.Flag},
}}

var subflowFlags = decode.FlagSet{Name: "MPTCP_SUBFLOW_FLAG", Bits: []string{
	"MCAP_REM", "MCAP_LOC", "JOIN_REM", "JOIN_LOC", "BKUP_REM", "BKUP_LOC", "FULLY_ESTABLISHED", "CONNECTED", "MAPVALID",
}}

var mptcpSubflowAttrs = decode.AttrSet{Name: "MPTCP_SUBFLOW_ATTR", Attrs: []decode.Attr{
	1:  {Name: "MPTCP_SUBFLOW_ATTR_TOKEN_REM", Type: decode.U32, Sem: decode.Hex},
	2:  {Name: "MPTCP_SUBFLOW_ATTR_TOKEN_LOC", Type: decode.U32, Sem: decode.Hex},
	3:  {Name: "MPTCP_SUBFLOW_ATTR_RELWRITE_SEQ", Type: decode.U32},
	4:  {Name: "MPTCP_SUBFLOW_ATTR_MAP_SEQ", Type: decode.U64},
	5:  {Name: "MPTCP_SUBFLOW_ATTR_MAP_SFSEQ", Type: decode.U32},
	6:  {Name: "MPTCP_SUBFLOW_ATTR_SSN_OFFSET", Type: decode.U32},
	7:  {Name: "MPTCP_SUBFLOW_ATTR_MAP_DATALEN", Type: decode.U16},
	8:  {Name: "MPTCP_SUBFLOW_ATTR_FLAGS", Type: decode.U32, Sem: decode.FlagBits, Flags: &subflowFlags},
	9:  {Name: "MPTCP_SUBFLOW_ATTR_ID_REM", Type: decode.U8},
	10: {Name: "MPTCP_SUBFLOW_ATTR_ID_LOC", Type: decode.U8},
	11: {Name: "MPTCP_SUBFLOW_ATTR_PAD", Type: decode.Binary},
}}

// sockaddrs decodes INET_DIAG_LOCALS and INET_DIAG_PEERS: SCTP's address
// lists, one struct sockaddr_storage (128 bytes) per address.
func sockaddrs(b *decode.Builder, p []byte, off int) {
	const size = 128
	i := 0
	for ; len(p) >= size; i++ {
		b.Open("sockaddr["+strconv.Itoa(i)+"]", off, size)
		sockaddr(b, p[:size], off)
		b.Close()
		p, off = p[size:], off+size
	}
	if len(p) > 0 {
		b.Malformed(off, len(p), "shorter than sockaddr_storage")
	}
}

var (
	saFamily = decode.Attr{Name: "ss_family", Type: decode.U16, Sem: decode.EnumValue, Enum: &families}
	saPort   = decode.Attr{Name: "sin_port", Type: decode.BE16}
	saAddr4  = decode.Attr{Name: "sin_addr", Type: decode.Addr}
	saFlow   = decode.Attr{Name: "sin6_flowinfo", Type: decode.BE32}
	saAddr6  = decode.Attr{Name: "sin6_addr", Type: decode.Addr}
	saScope  = decode.Attr{Name: "sin6_scope_id", Type: decode.U32, Sem: decode.Ifindex}
	saRest   = decode.Attr{Name: "data", Type: decode.Binary}
)

// sockaddr decodes a struct sockaddr_in or sockaddr_in6 by its family,
// other families as bytes.
func sockaddr(b *decode.Builder, p []byte, off int) {
	if len(p) < 2 {
		b.Malformed(off, len(p), "shorter than sa_family")
		return
	}
	b.Field(&saFamily, p[:2], off)
	switch binary.NativeEndian.Uint16(p) {
	case unix.AF_INET:
		if len(p) >= 8 {
			b.Field(&saPort, p[2:4], off+2)
			b.Field(&saAddr4, p[4:8], off+4)
			return
		}
	case unix.AF_INET6:
		if len(p) >= 28 {
			b.Field(&saPort, p[2:4], off+2)
			b.Field(&saFlow, p[4:8], off+4)
			b.Field(&saAddr6, p[8:24], off+8)
			b.Field(&saScope, p[24:28], off+24)
			return
		}
	}
	if len(p) > 2 {
		b.Field(&saRest, p[2:], off+2)
	}
}

// Bytecode ops (INET_DIAG_BC_*).
const (
	bcNop = iota
	bcJmp
	bcSGE
	bcSLE
	bcDGE
	bcDLE
	bcAuto
	bcSCond
	bcDCond
	bcDevCond
	bcMarkCond
	bcSEQ
	bcDEQ
	bcCgroupCond
)

var bcOps = decode.Enum{Name: "INET_DIAG_BC", Names: []string{
	"INET_DIAG_BC_NOP", "INET_DIAG_BC_JMP", "INET_DIAG_BC_S_GE", "INET_DIAG_BC_S_LE",
	"INET_DIAG_BC_D_GE", "INET_DIAG_BC_D_LE", "INET_DIAG_BC_AUTO", "INET_DIAG_BC_S_COND",
	"INET_DIAG_BC_D_COND", "INET_DIAG_BC_DEV_COND", "INET_DIAG_BC_MARK_COND", "INET_DIAG_BC_S_EQ",
	"INET_DIAG_BC_D_EQ", "INET_DIAG_BC_CGROUP_COND",
}}

var bcOp = decode.Layout{Name: "inet_diag_bc_op", Size: 4, Members: []decode.Attr{
	{Name: "code", Type: decode.U8, Sem: decode.EnumValue, Enum: &bcOps, Off: 0},
	{Name: "yes", Type: decode.U8, Off: 1},
	{Name: "no", Type: decode.U16, Off: 2},
}}

var (
	bcPort     = decode.Attr{Name: "port", Type: decode.U16}
	bcHostFam  = decode.Attr{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families}
	bcHostPlen = decode.Attr{Name: "prefix_len", Type: decode.U8}
	bcHostPort = decode.Attr{Name: "port", Type: decode.S32}
	bcHostAddr = decode.Attr{Name: "addr", Type: decode.Addr}
	bcIfindex  = decode.Attr{Name: "ifindex", Type: decode.U32, Sem: decode.Ifindex}
	bcMark     = decode.Attr{Name: "mark", Type: decode.U32, Sem: decode.Hex}
	bcMask     = decode.Attr{Name: "mask", Type: decode.U32, Sem: decode.Hex}
	bcCgroup   = decode.Attr{Name: "cgroup_id", Type: decode.U64}
)

// bytecode decodes an INET_DIAG_REQ_BYTECODE filter: a run of
// inet_diag_bc_op, each a conditional jump, some followed by arguments
// (a port in the next op's "no", a host condition, an ifindex, a mark and
// mask, a cgroup id). An op's "yes" is its length with its arguments.
func bytecode(b *decode.Builder, p []byte, off int) {
	for i := 0; len(p) > 0; i++ {
		if len(p) < 4 {
			b.Malformed(off, len(p), "shorter than inet_diag_bc_op")
			return
		}
		code := p[0]
		n := int(p[1]) // yes: the op's length
		if n < 4 || n > len(p) || code == bcJmp || code == bcNop {
			n = 4
		}
		b.Open("op["+strconv.Itoa(i)+"]", off, n)
		b.Layout(&bcOp, p[:4], off)
		args, aoff := p[4:n], off+4
		switch code {
		case bcSGE, bcSLE, bcDGE, bcDLE, bcSEQ, bcDEQ:
			if len(args) >= 4 {
				b.Field(&bcPort, args[2:4], aoff+2)
			}
		case bcSCond, bcDCond:
			if len(args) >= 8 {
				b.Field(&bcHostFam, args[:1], aoff)
				b.Field(&bcHostPlen, args[1:2], aoff+1)
				b.Field(&bcHostPort, args[4:8], aoff+4)
				if a := args[8:]; len(a) >= 16 && args[0] == unix.AF_INET6 {
					b.Field(&bcHostAddr, a[:16], aoff+8)
				} else if len(a) >= 4 && args[0] == unix.AF_INET {
					b.Field(&bcHostAddr, a[:4], aoff+8)
				}
			}
		case bcDevCond:
			if len(args) >= 4 {
				b.Field(&bcIfindex, args[:4], aoff)
			}
		case bcMarkCond:
			if len(args) >= 8 {
				b.Field(&bcMark, args[:4], aoff)
				b.Field(&bcMask, args[4:8], aoff+4)
			}
		case bcCgroupCond:
			if len(args) >= 8 {
				b.Field(&bcCgroup, args[:8], aoff)
			}
		}
		b.Close()
		p, off = p[n:], off+n
	}
}
