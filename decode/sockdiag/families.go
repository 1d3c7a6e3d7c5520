package sockdiag

import (
	"strconv"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
)

// Each family's message types are [request, reply, SOCK_DESTROY request].

func familyTypes(req, msg *decode.Layout, reqAttrs, msgAttrs *decode.AttrSet) [3]decode.MessageType {
	return [3]decode.MessageType{
		{Name: "SOCK_DIAG_BY_FAMILY", Op: decode.OpGet, Header: req, Attrs: reqAttrs},
		{Name: "SOCK_DIAG_BY_FAMILY", Header: msg, Attrs: msgAttrs},
		{Name: "SOCK_DESTROY", Op: decode.OpDel, Header: req, Attrs: reqAttrs},
	}
}

// unix (linux/unix_diag.h).

var unixShow = decode.FlagSet{Name: "UDIAG_SHOW", Bits: []string{"NAME", "VFS", "PEER", "ICONS", "RQLEN", "MEMINFO", "UID"}}

// unixTypes names unix socket types as ss's Netid column does.
var unixSockTypes = decode.Enum{Name: "SOCK", Names: []string{1: "u_str", 2: "u_dgr", 5: "u_seq"}}

var unixDiagReq = decode.Layout{Name: "unix_diag_req", Size: 24, Members: []decode.Attr{
	{Name: "sdiag_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "sdiag_protocol", Type: decode.U8, Off: 1},
	{Name: "udiag_states", Type: decode.U32, Sem: decode.FlagBits, Flags: &stateBits, Off: 4},
	{Name: "udiag_ino", Type: decode.U32, Off: 8},
	{Name: "udiag_show", Type: decode.U32, Sem: decode.FlagBits, Flags: &unixShow, Off: 12},
	cookie("udiag_cookie", 16),
}}

var unixDiagMsg = decode.Layout{Name: "unix_diag_msg", Size: 16, Members: []decode.Attr{
	{Name: "udiag_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "udiag_type", Type: decode.U8, Sem: decode.EnumValue, Enum: &unixSockTypes, Off: 1},
	{Name: "udiag_state", Type: decode.U8, Sem: decode.EnumValue, Enum: &states, Off: 2},
	{Name: "udiag_ino", Type: decode.U32, Off: 4},
	cookie("udiag_cookie", 8),
}}

var unixAttrs = decode.AttrSet{Name: "UNIX_DIAG", Attrs: []decode.Attr{
	0: {Name: "UNIX_DIAG_NAME", Type: decode.Custom, Custom: unixName},
	1: {Name: "UNIX_DIAG_VFS", Type: decode.Struct, Struct: &unixVFS},
	2: {Name: "UNIX_DIAG_PEER", Type: decode.U32},
	3: {Name: "UNIX_DIAG_ICONS", Type: decode.StructArray, Struct: &inode, Elem: "ino"},
	4: {Name: "UNIX_DIAG_RQLEN", Type: decode.Struct, Struct: &unixRqlen},
	5: {Name: "UNIX_DIAG_MEMINFO", Type: decode.Struct, Struct: &skMeminfo},
	6: {Name: "UNIX_DIAG_SHUTDOWN", Type: decode.U8, Sem: decode.FlagBits, Flags: &shutdown},
	7: {Name: "UNIX_DIAG_UID", Type: decode.U32},
}}

var unixVFS = decode.Layout{Name: "unix_diag_vfs", Size: 8, Members: []decode.Attr{
	{Name: "udiag_vfs_ino", Type: decode.U32, Off: 0},
	{Name: "udiag_vfs_dev", Type: decode.U32, Sem: decode.Hex, Off: 4},
}}

var unixRqlen = decode.Layout{Name: "unix_diag_rqlen", Size: 8, Members: []decode.Attr{
	{Name: "udiag_rqueue", Type: decode.U32, Off: 0},
	{Name: "udiag_wqueue", Type: decode.U32, Off: 4},
}}

var inode = decode.Layout{Name: "ino", Size: 4, Members: []decode.Attr{{Name: "ino", Type: decode.U32, Off: 0}}}

var (
	unixPath     = decode.Attr{Name: "path", Type: decode.String}
	unixAbstract = decode.Attr{Name: "abstract", Type: decode.Binary}
)

// unixName decodes a unix socket's address: a path, or an abstract name
// (a leading NUL, which ss shows as "@"), whose bytes may be anything.
func unixName(b *decode.Builder, p []byte, off int) {
	if len(p) > 0 && p[0] == 0 {
		b.Note("abstract_name", "@"+printable(p[1:]), off)
		b.Field(&unixAbstract, p[1:], off+1)
		return
	}
	b.Field(&unixPath, p, off)
}

// printable quotes bytes that are not printable ASCII, as ss shows
// abstract names (a NUL as "@").
func printable(p []byte) string {
	out := make([]byte, 0, len(p))
	for _, c := range p {
		switch {
		case c == 0:
			out = append(out, '@')
		case c < 0x20 || c >= 0x7f:
			out = append(out, `\x`...)
			out = append(out, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

var unixTypes = familyTypes(&unixDiagReq, &unixDiagMsg, nil, &unixAttrs)

// netlink (linux/netlink_diag.h).

var netlinkShow = decode.FlagSet{Name: "NDIAG_SHOW", Bits: []string{"MEMINFO", "GROUPS", "RING_CFG", "FLAGS"}}

var netlinkFlags = decode.FlagSet{Name: "NDIAG_FLAG", Bits: []string{
	"CB_RUNNING", "PKTINFO", "BROADCAST_ERROR", "NO_ENOBUFS", "LISTEN_ALL_NSID", "CAP_ACK",
}}

// netlinkProtocols names ndiag_protocol as nltrace names the protocols;
// 255 asks for all.
var netlinkProtocols = func() decode.Enum {
	e := decode.Enum{Name: "NETLINK", Names: make([]string, 256)}
	for i := 0; i < 32; i++ {
		if n := client.ProtocolName(i); n != "proto "+strconv.Itoa(i) {
			e.Names[i] = n
		}
	}
	e.Names[255] = "all"
	return e
}()

var netlinkDiagReq = decode.Layout{Name: "netlink_diag_req", Size: client.NetlinkDiagReqLen, Members: []decode.Attr{
	{Name: "sdiag_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "sdiag_protocol", Type: decode.U8, Sem: decode.EnumValue, Enum: &netlinkProtocols, Off: 1},
	{Name: "ndiag_ino", Type: decode.U32, Off: 4},
	{Name: "ndiag_show", Type: decode.U32, Sem: decode.FlagBits, Flags: &netlinkShow, Off: 8},
	cookie("ndiag_cookie", 12),
}}

var netlinkDiagMsg = decode.Layout{Name: "netlink_diag_msg", Size: client.NetlinkDiagMsgLen, Members: []decode.Attr{
	{Name: "ndiag_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "ndiag_type", Type: decode.U8, Sem: decode.EnumValue, Enum: &sockTypes, Off: 1},
	{Name: "ndiag_protocol", Type: decode.U8, Sem: decode.EnumValue, Enum: &netlinkProtocols, Off: 2},
	// sk_state: TCP_CLOSE (UNCONN) until connect() makes it
	// NETLINK_CONNECTED, 1, which ss shows as ESTAB.
	{Name: "ndiag_state", Type: decode.U8, Sem: decode.EnumValue, Enum: &states, Off: 3},
	{Name: "ndiag_portid", Type: decode.U32, Off: 4},
	{Name: "ndiag_dst_portid", Type: decode.U32, Off: 8},
	{Name: "ndiag_dst_group", Type: decode.U32, Off: 12},
	{Name: "ndiag_ino", Type: decode.U32, Off: 16},
	cookie("ndiag_cookie", 20),
}}

var netlinkAttrs = decode.AttrSet{Name: "NETLINK_DIAG", Attrs: []decode.Attr{
	0: {Name: "NETLINK_DIAG_MEMINFO", Type: decode.Struct, Struct: &skMeminfo},
	1: {Name: "NETLINK_DIAG_GROUPS", Type: decode.Custom, Custom: groupBitmap},
	2: {Name: "NETLINK_DIAG_RX_RING", Type: decode.Struct, Struct: &netlinkRing},
	3: {Name: "NETLINK_DIAG_TX_RING", Type: decode.Struct, Struct: &netlinkRing},
	4: {Name: "NETLINK_DIAG_FLAGS", Type: decode.U32, Sem: decode.FlagBits, Flags: &netlinkFlags},
}}

var netlinkRing = decode.Layout{Name: "netlink_diag_ring", Size: 16, Members: []decode.Attr{
	{Name: "ndr_block_size", Type: decode.U32, Off: 0},
	{Name: "ndr_block_nr", Type: decode.U32, Off: 4},
	{Name: "ndr_frame_size", Type: decode.U32, Off: 8},
	{Name: "ndr_frame_nr", Type: decode.U32, Off: 12},
}}

var groupBits = decode.Attr{Name: "bitmap", Type: decode.Binary}

// groupBitmap decodes NETLINK_DIAG_GROUPS, the bitmap (host-order longs)
// of the multicast groups a socket joined, as the group numbers (bit i is
// group i+1), the way ss --netlink -e does not but a reader wants.
func groupBitmap(b *decode.Builder, p []byte, off int) {
	var out []byte
	for i := 0; i+4 <= len(p); i += 4 {
		w := u32At(p, i)
		for bit := 0; bit < 32; bit++ {
			if w&(1<<bit) != 0 {
				if len(out) > 0 {
					out = append(out, ',')
				}
				out = strconv.AppendInt(out, int64(i*8+bit+1), 10)
			}
		}
	}
	if len(out) == 0 {
		out = append(out, "none"...)
	}
	b.Note("groups", string(out), off)
	b.Field(&groupBits, p, off)
}

var netlinkTypes = familyTypes(&netlinkDiagReq, &netlinkDiagMsg, nil, &netlinkAttrs)

// packet (linux/packet_diag.h).

var packetShow = decode.FlagSet{Name: "PACKET_SHOW", Bits: []string{"INFO", "MCLIST", "RING_CFG", "FANOUT", "MEMINFO", "FILTER"}}

var packetTypesEnum = decode.Enum{Name: "SOCK", Names: []string{2: "p_dgr", 3: "p_raw"}}

var packetDiagReq = decode.Layout{Name: "packet_diag_req", Size: 20, Members: []decode.Attr{
	{Name: "sdiag_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "sdiag_protocol", Type: decode.U8, Off: 1},
	{Name: "pdiag_ino", Type: decode.U32, Off: 4},
	{Name: "pdiag_show", Type: decode.U32, Sem: decode.FlagBits, Flags: &packetShow, Off: 8},
	cookie("pdiag_cookie", 12),
}}

var packetDiagMsg = decode.Layout{Name: "packet_diag_msg", Size: 16, Members: []decode.Attr{
	{Name: "pdiag_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "pdiag_type", Type: decode.U8, Sem: decode.EnumValue, Enum: &packetTypesEnum, Off: 1},
	// The protocol (an ethertype) in host order: the kernel converts it.
	{Name: "pdiag_num", Type: decode.U16, Sem: decode.Hex, Off: 2},
	{Name: "pdiag_ino", Type: decode.U32, Off: 4},
	cookie("pdiag_cookie", 8),
}}

var packetAttrs = decode.AttrSet{Name: "PACKET_DIAG", Attrs: []decode.Attr{
	0: {Name: "PACKET_DIAG_INFO", Type: decode.Struct, Struct: &packetInfo},
	1: {Name: "PACKET_DIAG_MCLIST", Type: decode.StructArray, Struct: &packetMclist},
	2: {Name: "PACKET_DIAG_RX_RING", Type: decode.Struct, Struct: &packetRing},
	3: {Name: "PACKET_DIAG_TX_RING", Type: decode.Struct, Struct: &packetRing},
	4: {Name: "PACKET_DIAG_FANOUT", Type: decode.Struct, Struct: &packetFanout},
	5: {Name: "PACKET_DIAG_UID", Type: decode.U32},
	6: {Name: "PACKET_DIAG_MEMINFO", Type: decode.Struct, Struct: &skMeminfo},
	7: {Name: "PACKET_DIAG_FILTER", Type: decode.StructArray, Struct: &sockFilter},
}}

var pdiFlags = decode.FlagSet{Name: "PDI", Bits: []string{"running", "auxdata", "origdev", "vnethdr", "loss"}}

var tpacketVersions = decode.Enum{Name: "TPACKET", Names: []string{"TPACKET_V1", "TPACKET_V2", "TPACKET_V3"}}

var packetInfo = decode.Layout{Name: "packet_diag_info", Size: 24, Members: []decode.Attr{
	{Name: "pdi_index", Type: decode.U32, Sem: decode.Ifindex, Off: 0},
	{Name: "pdi_version", Type: decode.U32, Sem: decode.EnumValue, Enum: &tpacketVersions, Off: 4},
	{Name: "pdi_reserve", Type: decode.U32, Off: 8},
	{Name: "pdi_copy_thresh", Type: decode.U32, Off: 12},
	{Name: "pdi_tstamp", Type: decode.U32, Off: 16},
	{Name: "pdi_flags", Type: decode.U32, Sem: decode.FlagBits, Flags: &pdiFlags, Off: 20},
}}

var packetMreqTypes = decode.Enum{Name: "PACKET_MR", Names: []string{"MULTICAST", "PROMISC", "ALLMULTI", "UNICAST"}}

var packetMclist = decode.Layout{Name: "packet_diag_mclist", Size: 44, Members: []decode.Attr{
	{Name: "pdmc_index", Type: decode.U32, Sem: decode.Ifindex, Off: 0},
	{Name: "pdmc_count", Type: decode.U32, Off: 4},
	{Name: "pdmc_type", Type: decode.U16, Sem: decode.EnumValue, Enum: &packetMreqTypes, Off: 8},
	{Name: "pdmc_alen", Type: decode.U16, Off: 10},
	{Name: "pdmc_addr", Type: decode.Binary, Off: 12, Len: 32},
}}

var packetRing = decode.Layout{Name: "packet_diag_ring", Size: 28, Members: []decode.Attr{
	{Name: "pdr_block_size", Type: decode.U32, Off: 0},
	{Name: "pdr_block_nr", Type: decode.U32, Off: 4},
	{Name: "pdr_frame_size", Type: decode.U32, Off: 8},
	{Name: "pdr_frame_nr", Type: decode.U32, Off: 12},
	{Name: "pdr_retire_tmo", Type: decode.U32, Sem: decode.Millis, Off: 16},
	{Name: "pdr_sizeof_priv", Type: decode.U32, Off: 20},
	{Name: "pdr_features", Type: decode.U32, Sem: decode.Hex, Off: 24},
}}

var fanoutTypes = decode.Enum{Name: "PACKET_FANOUT", Names: []string{"hash", "lb", "cpu", "rollover", "rnd", "qm", "cbpf", "ebpf"}}

var fanoutFlags = decode.FlagSet{Name: "PACKET_FANOUT_FLAG", Bits: []string{4: "uniqueid", 5: "ignore_outgoing", 7: "defrag"}}

// packetFanout is the u32 the kernel sends: the group id in the low 16
// bits, the type and flags above.
var packetFanout = decode.Layout{Name: "fanout", Size: 4, Members: []decode.Attr{
	{Name: "id", Type: decode.U32, Off: 0, Bits: 16, Shift: 0},
	{Name: "type", Type: decode.U32, Sem: decode.EnumValue, Enum: &fanoutTypes, Off: 0, Bits: 8, Shift: 16},
	{Name: "flags", Type: decode.U32, Sem: decode.FlagBits, Flags: &fanoutFlags, Off: 0, Bits: 8, Shift: 24},
}}

// sockFilter is a classic BPF instruction (struct sock_filter).
var sockFilter = decode.Layout{Name: "sock_filter", Size: 8, Members: []decode.Attr{
	{Name: "code", Type: decode.U16, Sem: decode.Hex, Off: 0},
	{Name: "jt", Type: decode.U8, Off: 2},
	{Name: "jf", Type: decode.U8, Off: 3},
	{Name: "k", Type: decode.U32, Sem: decode.Hex, Off: 4},
}}

var packetTypes = familyTypes(&packetDiagReq, &packetDiagMsg, nil, &packetAttrs)

// xdp (linux/xdp_diag.h).

var xdpShow = decode.FlagSet{Name: "XDP_SHOW", Bits: []string{"INFO", "RING_CFG", "UMEM", "MEMINFO", "STATS"}}

var xdpDiagReq = decode.Layout{Name: "xdp_diag_req", Size: 20, Members: []decode.Attr{
	{Name: "sdiag_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "sdiag_protocol", Type: decode.U8, Off: 1},
	{Name: "xdiag_ino", Type: decode.U32, Off: 4},
	{Name: "xdiag_show", Type: decode.U32, Sem: decode.FlagBits, Flags: &xdpShow, Off: 8},
	cookie("xdiag_cookie", 12),
}}

var xdpDiagMsg = decode.Layout{Name: "xdp_diag_msg", Size: 16, Members: []decode.Attr{
	{Name: "xdiag_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "xdiag_type", Type: decode.U8, Sem: decode.EnumValue, Enum: &sockTypes, Off: 1},
	{Name: "xdiag_ino", Type: decode.U32, Off: 4},
	cookie("xdiag_cookie", 8),
}}

var xdpAttrs = decode.AttrSet{Name: "XDP_DIAG", Attrs: []decode.Attr{
	1: {Name: "XDP_DIAG_INFO", Type: decode.Struct, Struct: &xdpInfo},
	2: {Name: "XDP_DIAG_UID", Type: decode.U32},
	3: {Name: "XDP_DIAG_RX_RING", Type: decode.Struct, Struct: &xdpRing},
	4: {Name: "XDP_DIAG_TX_RING", Type: decode.Struct, Struct: &xdpRing},
	5: {Name: "XDP_DIAG_UMEM", Type: decode.Struct, Struct: &xdpUmem},
	6: {Name: "XDP_DIAG_UMEM_FILL_RING", Type: decode.Struct, Struct: &xdpRing},
	7: {Name: "XDP_DIAG_UMEM_COMPLETION_RING", Type: decode.Struct, Struct: &xdpRing},
	8: {Name: "XDP_DIAG_MEMINFO", Type: decode.Struct, Struct: &skMeminfo},
	9: {Name: "XDP_DIAG_STATS", Type: decode.Struct, Struct: &xdpStats},
}}

var xdpInfo = decode.Layout{Name: "xdp_diag_info", Size: 8, Members: []decode.Attr{
	{Name: "ifindex", Type: decode.U32, Sem: decode.Ifindex, Off: 0},
	{Name: "queue_id", Type: decode.U32, Off: 4},
}}

var xdpRing = decode.Layout{Name: "xdp_diag_ring", Size: 4, Members: []decode.Attr{
	{Name: "entries", Type: decode.U32, Off: 0},
}}

var xdpUmemFlags = decode.FlagSet{Name: "XDP_DU_F", Bits: []string{"zerocopy"}}

var xdpUmem = decode.Layout{Name: "xdp_diag_umem", Size: 40, Members: []decode.Attr{
	{Name: "size", Type: decode.U64, Off: 0},
	{Name: "id", Type: decode.U32, Off: 8},
	{Name: "num_pages", Type: decode.U32, Off: 12},
	{Name: "chunk_size", Type: decode.U32, Off: 16},
	{Name: "headroom", Type: decode.U32, Off: 20},
	{Name: "ifindex", Type: decode.U32, Sem: decode.Ifindex, Off: 24},
	{Name: "queue_id", Type: decode.U32, Off: 28},
	{Name: "flags", Type: decode.U32, Sem: decode.FlagBits, Flags: &xdpUmemFlags, Off: 32},
	{Name: "refs", Type: decode.U32, Off: 36},
}}

var xdpStats = decode.Layout{Name: "xdp_diag_stats", Size: 48, Members: []decode.Attr{
	{Name: "n_rx_dropped", Type: decode.U64, Off: 0},
	{Name: "n_rx_invalid", Type: decode.U64, Off: 8},
	{Name: "n_rx_full", Type: decode.U64, Off: 16},
	{Name: "n_fill_ring_empty", Type: decode.U64, Off: 24},
	{Name: "n_tx_invalid", Type: decode.U64, Off: 32},
	{Name: "n_tx_ring_empty", Type: decode.U64, Off: 40},
}}

var xdpTypes = familyTypes(&xdpDiagReq, &xdpDiagMsg, nil, &xdpAttrs)

// smc (linux/smc_diag.h). SMC has no SOCK_DESTROY.

var smcModes = decode.Enum{Name: "SMC_DIAG_MODE", Names: []string{"SMCR", "FALLBACK_TCP", "SMCD"}}

// smcStates are SMC's own socket states (net/smc/smc.h), which reuse the
// TCP numbers and add SMC's closing states.
var smcStates = decode.Enum{Name: "SMC_STATE", Names: []string{
	1: "ACTIVE", 2: "INIT", 7: "CLOSED", 8: "APPCLOSEWAIT1", 9: "APPCLOSEWAIT2", 10: "LISTEN",
	11: "PEERCLOSEWAIT1", 12: "PEERCLOSEWAIT2", 13: "APPFINCLOSEWAIT", 14: "PEERFINCLOSEWAIT",
	15: "PEERABORTWAIT", 16: "PROCESSABORT",
}}

var smcExt = decode.FlagSet{Name: "SMC_DIAG_EXT", Bits: []string{"CONNINFO", "LGRINFO", "SHUTDOWN", "DMBINFO", "FALLBACK"}}

func smcReq(v6 bool) *decode.Layout {
	return &decode.Layout{Name: "smc_diag_req", Size: 4 + inetDiagSockIDLen, Members: concat([]decode.Attr{
		{Name: "diag_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
		{Name: "diag_ext", Type: decode.U8, Sem: decode.FlagBits, Flags: &smcExt, Off: 3},
	}, sockID(4, v6))}
}

func smcMsg(v6 bool) *decode.Layout {
	return &decode.Layout{Name: "smc_diag_msg", Size: 64, Members: concat([]decode.Attr{
		{Name: "diag_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
		{Name: "diag_state", Type: decode.U8, Sem: decode.EnumValue, Enum: &smcStates, Off: 1},
		{Name: "diag_mode", Type: decode.U8, Sem: decode.EnumValue, Enum: &smcModes, Off: 2},
		{Name: "diag_shutdown", Type: decode.U8, Sem: decode.FlagBits, Flags: &shutdown, Off: 3},
	}, sockID(4, v6), []decode.Attr{
		{Name: "diag_uid", Type: decode.U32, Off: 52},
		{Name: "diag_inode", Type: decode.U64, Off: 56},
	})}
}

var smcAttrs = decode.AttrSet{Name: "SMC_DIAG", Attrs: []decode.Attr{
	1: {Name: "SMC_DIAG_CONNINFO", Type: decode.Struct, Struct: &smcConninfo},
	2: {Name: "SMC_DIAG_LGRINFO", Type: decode.Struct, Struct: &smcLgrinfo},
	3: {Name: "SMC_DIAG_SHUTDOWN", Type: decode.U8, Sem: decode.FlagBits, Flags: &shutdown},
	4: {Name: "SMC_DIAG_DMBINFO", Type: decode.Struct, Struct: &smcdDmbinfo},
	5: {Name: "SMC_DIAG_FALLBACK", Type: decode.Struct, Struct: &smcFallback},
}}

var smcCursor = decode.Layout{Name: "smc_diag_cursor", Size: 8, Members: []decode.Attr{
	{Name: "reserved", Type: decode.U16, Off: 0},
	{Name: "wrap", Type: decode.U16, Off: 2},
	{Name: "count", Type: decode.U32, Off: 4},
}}

func cursor(name string, off int) decode.Attr {
	return decode.Attr{Name: name, Type: decode.Struct, Struct: &smcCursor, Off: off}
}

var smcConninfo = decode.Layout{Name: "smc_diag_conninfo", Size: 76, Members: []decode.Attr{
	{Name: "token", Type: decode.U32, Sem: decode.Hex, Off: 0},
	{Name: "sndbuf_size", Type: decode.U32, Off: 4},
	{Name: "rmbe_size", Type: decode.U32, Off: 8},
	{Name: "peer_rmbe_size", Type: decode.U32, Off: 12},
	cursor("rx_prod", 16),
	cursor("rx_cons", 24),
	cursor("tx_prod", 32),
	cursor("tx_cons", 40),
	{Name: "rx_prod_flags", Type: decode.U8, Sem: decode.Hex, Off: 48},
	{Name: "rx_conn_state_flags", Type: decode.U8, Sem: decode.Hex, Off: 49},
	{Name: "tx_prod_flags", Type: decode.U8, Sem: decode.Hex, Off: 50},
	{Name: "tx_conn_state_flags", Type: decode.U8, Sem: decode.Hex, Off: 51},
	cursor("tx_prep", 52),
	cursor("tx_sent", 60),
	cursor("tx_fin", 68),
}}

var smcLinkinfo = decode.Layout{Name: "smc_diag_linkinfo", Size: 146, Members: []decode.Attr{
	{Name: "link_id", Type: decode.U8, Off: 0},
	{Name: "ibname", Type: decode.String, Off: 1, Len: 64},
	{Name: "ibport", Type: decode.U8, Off: 65},
	{Name: "gid", Type: decode.String, Off: 66, Len: 40},
	{Name: "peer_gid", Type: decode.String, Off: 106, Len: 40},
}}

var smcRoles = decode.Enum{Name: "SMC_ROLE", Names: []string{"client", "server"}}

var smcLgrinfo = decode.Layout{Name: "smc_diag_lgrinfo", Size: 147, Members: []decode.Attr{
	{Name: "lnk", Type: decode.Struct, Struct: &smcLinkinfo, Off: 0},
	{Name: "role", Type: decode.U8, Sem: decode.EnumValue, Enum: &smcRoles, Off: 146},
}}

var smcdDmbinfo = decode.Layout{Name: "smcd_diag_dmbinfo", Size: 40, Members: []decode.Attr{
	{Name: "linkid", Type: decode.U32, Off: 0},
	{Name: "peer_gid", Type: decode.U64, Sem: decode.Hex, Off: 8},
	{Name: "my_gid", Type: decode.U64, Sem: decode.Hex, Off: 16},
	{Name: "token", Type: decode.U64, Sem: decode.Hex, Off: 24},
	{Name: "peer_token", Type: decode.U64, Sem: decode.Hex, Off: 32},
}}

var smcFallback = decode.Layout{Name: "smc_diag_fallback", Size: 8, Members: []decode.Attr{
	{Name: "reason", Type: decode.U32, Sem: decode.Hex, Off: 0},
	{Name: "peer_diagnosis", Type: decode.U32, Sem: decode.Hex, Off: 4},
}}

// smcTypes are [request (IPv4 id), reply (IPv4 id), reply (IPv6 id)].
var smcTypes = [3]decode.MessageType{
	{Name: "SOCK_DIAG_BY_FAMILY", Op: decode.OpGet, Header: smcReq(false)},
	{Name: "SOCK_DIAG_BY_FAMILY", Header: smcMsg(false), Attrs: &smcAttrs},
	{Name: "SOCK_DIAG_BY_FAMILY", Header: smcMsg(true), Attrs: &smcAttrs},
}

var smcRequest6 = decode.MessageType{Name: "SOCK_DIAG_BY_FAMILY", Op: decode.OpGet, Header: smcReq(true)}

// vsock (linux/vm_sockets_diag.h): no attributes.

var vsockDiagReq = decode.Layout{Name: "vsock_diag_req", Size: 24, Members: []decode.Attr{
	{Name: "sdiag_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "sdiag_protocol", Type: decode.U8, Off: 1},
	{Name: "vdiag_states", Type: decode.U32, Sem: decode.FlagBits, Flags: &stateBits, Off: 4},
	{Name: "vdiag_ino", Type: decode.U32, Off: 8},
	{Name: "vdiag_show", Type: decode.U32, Off: 12},
	cookie("vdiag_cookie", 16),
}}

var vsockDiagMsg = decode.Layout{Name: "vsock_diag_msg", Size: 32, Members: []decode.Attr{
	{Name: "vdiag_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "vdiag_type", Type: decode.U8, Sem: decode.EnumValue, Enum: &sockTypes, Off: 1},
	{Name: "vdiag_state", Type: decode.U8, Sem: decode.EnumValue, Enum: &states, Off: 2},
	{Name: "vdiag_shutdown", Type: decode.U8, Sem: decode.FlagBits, Flags: &shutdown, Off: 3},
	{Name: "vdiag_src_cid", Type: decode.U32, Off: 4},
	{Name: "vdiag_src_port", Type: decode.U32, Off: 8},
	{Name: "vdiag_dst_cid", Type: decode.U32, Off: 12},
	{Name: "vdiag_dst_port", Type: decode.U32, Off: 16},
	{Name: "vdiag_ino", Type: decode.U32, Off: 20},
	cookie("vdiag_cookie", 24),
}}

var vsockTypes = familyTypes(&vsockDiagReq, &vsockDiagMsg, nil, nil)

// tipc (linux/tipc_sockets_diag.h): the reply has no fixed header, only
// a TIPC_NLA_SOCK nest of the TIPC netlink attributes.

var tipcDiagReq = decode.Layout{Name: "tipc_sock_diag_req", Size: 8, Members: []decode.Attr{
	{Name: "sdiag_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "sdiag_protocol", Type: decode.U8, Off: 1},
	{Name: "tidiag_states", Type: decode.U32, Sem: decode.FlagBits, Flags: &stateBits, Off: 4},
}}

var tipcTopAttrs = decode.AttrSet{Name: "TIPC_NLA", Attrs: []decode.Attr{
	2: {Name: "TIPC_NLA_SOCK", Type: decode.Nest, Nest: &tipcSockAttrs},
}}

var tipcSockAttrs = decode.AttrSet{Name: "TIPC_NLA_SOCK", Attrs: []decode.Attr{
	1:  {Name: "TIPC_NLA_SOCK_ADDR", Type: decode.U32, Sem: decode.Hex},
	2:  {Name: "TIPC_NLA_SOCK_REF", Type: decode.U32},
	3:  {Name: "TIPC_NLA_SOCK_CON", Type: decode.Nest, Nest: &tipcConAttrs},
	4:  {Name: "TIPC_NLA_SOCK_HAS_PUBL", Type: decode.Flag},
	5:  {Name: "TIPC_NLA_SOCK_STAT", Type: decode.Nest, Nest: &tipcStatAttrs},
	6:  {Name: "TIPC_NLA_SOCK_TYPE", Type: decode.U32, Sem: decode.EnumValue, Enum: &sockTypes},
	7:  {Name: "TIPC_NLA_SOCK_INO", Type: decode.U32},
	8:  {Name: "TIPC_NLA_SOCK_UID", Type: decode.U32},
	9:  {Name: "TIPC_NLA_SOCK_TIPC_STATE", Type: decode.U32},
	10: {Name: "TIPC_NLA_SOCK_COOKIE", Type: decode.U64, Sem: decode.Hex},
	11: {Name: "TIPC_NLA_SOCK_PAD", Type: decode.Binary},
	12: {Name: "TIPC_NLA_SOCK_GROUP", Type: decode.Nest, Nest: &tipcGroupAttrs},
}}

var tipcConAttrs = decode.AttrSet{Name: "TIPC_NLA_CON", Attrs: []decode.Attr{
	1: {Name: "TIPC_NLA_CON_FLAG", Type: decode.Flag},
	2: {Name: "TIPC_NLA_CON_NODE", Type: decode.U32, Sem: decode.Hex},
	3: {Name: "TIPC_NLA_CON_SOCK", Type: decode.U32},
	4: {Name: "TIPC_NLA_CON_TYPE", Type: decode.U32},
	5: {Name: "TIPC_NLA_CON_INST", Type: decode.U32},
}}

var tipcStatAttrs = decode.AttrSet{Name: "TIPC_NLA_SOCK_STAT", Attrs: []decode.Attr{
	1: {Name: "TIPC_NLA_SOCK_STAT_RCVQ", Type: decode.U32},
	2: {Name: "TIPC_NLA_SOCK_STAT_SENDQ", Type: decode.U32},
	3: {Name: "TIPC_NLA_SOCK_STAT_LINK_CONG", Type: decode.Flag},
	4: {Name: "TIPC_NLA_SOCK_STAT_CONN_CONG", Type: decode.Flag},
	5: {Name: "TIPC_NLA_SOCK_STAT_DROP", Type: decode.U32},
}}

var tipcGroupAttrs = decode.AttrSet{Name: "TIPC_NLA_SOCK_GROUP", Attrs: []decode.Attr{
	0: {Name: "TIPC_NLA_SOCK_GROUP_ID", Type: decode.U32},
	1: {Name: "TIPC_NLA_SOCK_GROUP_OPEN", Type: decode.Flag},
	2: {Name: "TIPC_NLA_SOCK_GROUP_NODE_SCOPE", Type: decode.Flag},
	3: {Name: "TIPC_NLA_SOCK_GROUP_CLUSTER_SCOPE", Type: decode.Flag},
	4: {Name: "TIPC_NLA_SOCK_GROUP_INSTANCE", Type: decode.U32},
	5: {Name: "TIPC_NLA_SOCK_GROUP_BC_SEND_NEXT", Type: decode.U32},
}}

var tipcTypes = [3]decode.MessageType{
	{Name: "SOCK_DIAG_BY_FAMILY", Op: decode.OpGet, Header: &tipcDiagReq},
	{Name: "SOCK_DIAG_BY_FAMILY", Attrs: &tipcTopAttrs},
	{Name: "SOCK_DESTROY", Op: decode.OpDel, Header: &tipcDiagReq},
}
