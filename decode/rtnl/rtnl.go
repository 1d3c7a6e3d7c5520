package rtnl

import (
	"encoding/binary"
	"strconv"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// Family returns the rtnetlink decoder for registration with
// decode.NewRegistry. The tc message types (qdisc, class, filter, chain,
// action) come from the tc schema tables in this package.
func Family() *decode.Family {
	return &decode.Family{Protocol: unix.NETLINK_ROUTE, Name: "route", Types: messageTypes, Lookup: lookup}
}

// lookup chooses message types that depend on more than nlmsg_type: tc
// messages by their TCA_KIND, cache reports by their family.
func lookup(st *decode.State, h client.Header, payload []byte) *decode.MessageType {
	switch h.Type {
	case rtmNewCacheReport:
		return cacheReportLookup(h, payload)
	case unix.RTM_NEWMDB, unix.RTM_DELMDB, unix.RTM_GETMDB:
		// Requests carry MDBA_SET_ENTRY or MDBA_GET_ENTRY where replies
		// and notifications carry MDBA_MDB: the same type number.
		if h.Flags&client.FlagRequest != 0 {
			return &mdbRequestTypes[h.Type-unix.RTM_NEWMDB]
		}
		return nil
	}
	return tcLookup(st, h, payload)
}

// mdbRequestTypes holds RTM_NEWMDB..RTM_GETMDB as user space sends them.
var mdbRequestTypes = [3]decode.MessageType{
	{Name: "RTM_NEWMDB", Op: decode.OpNew, Header: &brPortMsg, Attrs: &mdbSetAttrs},
	{Name: "RTM_DELMDB", Op: decode.OpDel, Header: &brPortMsg, Attrs: &mdbSetAttrs},
	{Name: "RTM_GETMDB", Op: decode.OpGet, Header: &brPortMsg, Attrs: &mdbGetAttrs},
}

// MDBA_SET_ENTRY_* and MDBA_GET_ENTRY_* (the same numbers) from
// linux/if_bridge.h.
var (
	mdbSetAttrs = decode.AttrSet{Name: "MDBA_SET_ENTRY", Attrs: []decode.Attr{
		1: {Name: "MDBA_SET_ENTRY", Type: decode.Custom, Custom: mdbEntry},
		2: {Name: "MDBA_SET_ENTRY_ATTRS", Type: decode.Nest, Nest: &mdbeAttrs},
	}}
	mdbGetAttrs = decode.AttrSet{Name: "MDBA_GET_ENTRY", Attrs: []decode.Attr{
		1: {Name: "MDBA_GET_ENTRY", Type: decode.Custom, Custom: mdbEntry},
		2: {Name: "MDBA_GET_ENTRY_ATTRS", Type: decode.Nest, Nest: &mdbeAttrs},
	}}
)

// MDBE_ATTR_* from linux/if_bridge.h; 2-10 are newer than the installed
// header (Linux 6.2-6.8).
var mdbeAttrs = decode.AttrSet{Name: "MDBE_ATTR", Attrs: []decode.Attr{
	1:  {Name: "MDBE_ATTR_SOURCE", Type: decode.Addr},
	2:  {Name: "MDBE_ATTR_SRC_LIST", Type: decode.Nest, Nest: &mdbeSrcList},
	3:  {Name: "MDBE_ATTR_GROUP_MODE", Type: decode.U8, Sem: decode.EnumValue, Enum: &mcastGroupModes},
	4:  {Name: "MDBE_ATTR_RTPROT", Type: decode.U8, Sem: decode.EnumValue, Enum: &protocols},
	5:  {Name: "MDBE_ATTR_DST", Type: decode.Addr},
	6:  {Name: "MDBE_ATTR_DST_PORT", Type: decode.U16},
	7:  {Name: "MDBE_ATTR_VNI", Type: decode.U32},
	8:  {Name: "MDBE_ATTR_IFINDEX", Type: decode.S32, Sem: decode.Ifindex},
	9:  {Name: "MDBE_ATTR_SRC_VNI", Type: decode.U32},
	10: {Name: "MDBE_ATTR_STATE_MASK", Type: decode.U8, Sem: decode.Hex},
}}

var mdbeSrcList = decode.AttrSet{Name: "MDBE_SRC_LIST", Attrs: []decode.Attr{
	1: {Name: "MDBE_SRC_LIST_ENTRY", Type: decode.Nest, Nest: &mdbeSrcAttrs},
}}

var mdbeSrcAttrs = decode.AttrSet{Name: "MDBE_SRCATTR", Attrs: []decode.Attr{
	1: {Name: "MDBE_SRCATTR_ADDRESS", Type: decode.Addr},
}}

// MCAST_EXCLUDE and MCAST_INCLUDE, as bridge(8) names them.
var mcastGroupModes = decode.Enum{Name: "MCAST", Names: []string{"exclude", "include"}}

// mdbEntry decodes a bare br_mdb_entry (MDBA_SET_ENTRY, MDBA_GET_ENTRY).
func mdbEntry(b *decode.Builder, p []byte, off int) {
	l := mdbEntryFor(p)
	if len(p) < l.Size {
		b.Malformed(off, len(p), "shorter than br_mdb_entry")
		return
	}
	b.Layout(l, p, off)
}

// Enums shared by several headers and sets, named as iproute2 names them.

var families = decode.Enum{Name: "AF", Names: []string{
	unix.AF_UNSPEC: "unspec", unix.AF_UNIX: "unix", unix.AF_INET: "inet", unix.AF_BRIDGE: "bridge",
	unix.AF_INET6: "inet6", unix.AF_PACKET: "link", unix.AF_MPLS: "mpls",
	128: "ipmr", 129: "ip6mr",
}}

var scopes = decode.Enum{Name: "RT_SCOPE", Open: true, Names: []string{
	0: "global", 200: "site", 253: "link", 254: "host", 255: "nowhere",
}}

var tables = decode.Enum{Name: "RT_TABLE", Open: true, Names: []string{
	0: "unspec", 252: "compat", 253: "default", 254: "main", 255: "local",
}}

var protocols = decode.Enum{Name: "RTPROT", Open: true, Names: []string{
	0: "unspec", 1: "redirect", 2: "kernel", 3: "boot", 4: "static", 8: "gated", 9: "ra", 10: "mrt",
	11: "zebra", 12: "bird", 13: "dnrouted", 14: "xorp", 15: "ntk", 16: "dhcp", 17: "mrouted",
	18: "keepalived", 42: "babel", 99: "openr", 186: "bgp", 187: "isis", 188: "ospf", 189: "rip", 192: "eigrp",
}}

var ipProtos = decode.Enum{Name: "IPPROTO", Open: true, Names: []string{
	0: "ip", 1: "icmp", 2: "igmp", 4: "ipip", 6: "tcp", 17: "udp", 41: "ipv6", 47: "gre", 50: "esp",
	51: "ah", 58: "ipv6-icmp", 132: "sctp", 136: "udplite", 137: "mpls", 255: "raw",
}}

var ifFlags = decode.FlagSet{Name: "IFF", Bits: []string{
	"UP", "BROADCAST", "DEBUG", "LOOPBACK", "POINTOPOINT", "NOTRAILERS", "RUNNING", "NOARP",
	"PROMISC", "ALLMULTI", "MASTER", "SLAVE", "MULTICAST", "PORTSEL", "AUTOMEDIA", "DYNAMIC",
	"LOWER_UP", "DORMANT", "ECHO",
}}

// Fixed headers.

var ifinfomsg = decode.Layout{Name: "ifinfomsg", Size: 16, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "type", Type: decode.U16, Sem: decode.EnumValue, Enum: &arphrdTypes, Off: 2},
	{Name: "index", Type: decode.S32, Sem: decode.Ifindex, Off: 4},
	{Name: "flags", Type: decode.U32, Sem: decode.FlagBits, Flags: &ifFlags, Off: 8},
	{Name: "change", Type: decode.U32, Sem: decode.Hex, Off: 12},
}}

var ifaddrmsg = decode.Layout{Name: "ifaddrmsg", Size: 8, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "prefixlen", Type: decode.U8, Off: 1},
	{Name: "flags", Type: decode.U8, Sem: decode.FlagBits, Flags: &ifaFlags, Off: 2},
	{Name: "scope", Type: decode.U8, Sem: decode.EnumValue, Enum: &scopes, Off: 3},
	{Name: "index", Type: decode.U32, Sem: decode.Ifindex, Off: 4},
}}

var rtmsg = decode.Layout{Name: "rtmsg", Size: 12, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "dst_len", Type: decode.U8, Off: 1},
	{Name: "src_len", Type: decode.U8, Off: 2},
	{Name: "tos", Type: decode.U8, Sem: decode.Hex, Off: 3},
	{Name: "table", Type: decode.U8, Sem: decode.EnumValue, Enum: &tables, Off: 4},
	{Name: "protocol", Type: decode.U8, Sem: decode.EnumValue, Enum: &protocols, Off: 5},
	{Name: "scope", Type: decode.U8, Sem: decode.EnumValue, Enum: &scopes, Off: 6},
	{Name: "type", Type: decode.U8, Sem: decode.EnumValue, Enum: &routeTypes, Off: 7},
	{Name: "flags", Type: decode.U32, Sem: decode.FlagBits, Flags: &rtmFlags, Off: 8},
}}

var ndmsg = decode.Layout{Name: "ndmsg", Size: 12, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "ifindex", Type: decode.S32, Sem: decode.Ifindex, Off: 4},
	{Name: "state", Type: decode.U16, Sem: decode.FlagBits, Flags: &nudStates, Off: 8},
	{Name: "flags", Type: decode.U8, Sem: decode.FlagBits, Flags: &ntfFlags, Off: 10},
	{Name: "type", Type: decode.U8, Sem: decode.EnumValue, Enum: &routeTypes, Off: 11},
}}

var ndtmsg = decode.Layout{Name: "ndtmsg", Size: 4, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
}}

var fibRuleHdr = decode.Layout{Name: "fib_rule_hdr", Size: 12, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "dst_len", Type: decode.U8, Off: 1},
	{Name: "src_len", Type: decode.U8, Off: 2},
	{Name: "tos", Type: decode.U8, Sem: decode.Hex, Off: 3},
	{Name: "table", Type: decode.U8, Sem: decode.EnumValue, Enum: &tables, Off: 4},
	{Name: "action", Type: decode.U8, Sem: decode.EnumValue, Enum: &frActions, Off: 7},
	{Name: "flags", Type: decode.U32, Sem: decode.FlagBits, Flags: &fibRuleFlags, Off: 8},
}}

var nhmsg = decode.Layout{Name: "nhmsg", Size: 8, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "scope", Type: decode.U8, Sem: decode.EnumValue, Enum: &scopes, Off: 1},
	{Name: "protocol", Type: decode.U8, Sem: decode.EnumValue, Enum: &protocols, Off: 2},
	{Name: "flags", Type: decode.U32, Sem: decode.FlagBits, Flags: &rtnhFlags, Off: 4},
}}

var rtgenmsg = decode.Layout{Name: "rtgenmsg", Size: 1, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
}}

var netconfmsg = decode.Layout{Name: "netconfmsg", Size: 1, Members: rtgenmsg.Members}

var ifaddrlblmsg = decode.Layout{Name: "ifaddrlblmsg", Size: 12, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "prefixlen", Type: decode.U8, Off: 2},
	{Name: "flags", Type: decode.U8, Sem: decode.Hex, Off: 3},
	{Name: "index", Type: decode.U32, Sem: decode.Ifindex, Off: 4},
	{Name: "seq", Type: decode.U32, Off: 8},
}}

var brPortMsg = decode.Layout{Name: "br_port_msg", Size: 8, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "ifindex", Type: decode.U32, Sem: decode.Ifindex, Off: 4},
}}

var ifStatsMsg = decode.Layout{Name: "if_stats_msg", Size: 12, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "ifindex", Type: decode.U32, Sem: decode.Ifindex, Off: 4},
	{Name: "filter_mask", Type: decode.U32, Sem: decode.Hex, Off: 8},
}}

var prefixmsg = decode.Layout{Name: "prefixmsg", Size: 12, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "ifindex", Type: decode.S32, Sem: decode.Ifindex, Off: 4},
	{Name: "type", Type: decode.U8, Off: 8},
	{Name: "len", Type: decode.U8, Off: 9},
	{Name: "flags", Type: decode.U8, Sem: decode.Hex, Off: 10},
}}

var prefixAttrs = decode.AttrSet{Name: "PREFIX", Attrs: []decode.Attr{
	1: {Name: "PREFIX_ADDRESS", Type: decode.Addr},
	2: {Name: "PREFIX_CACHEINFO", Type: decode.Struct, Struct: &u32Pair},
}}

var u32Pair = decode.Layout{Name: "prefix_cacheinfo", Size: 8, Members: []decode.Attr{
	{Name: "preferred_time", Type: decode.U32, Off: 0},
	{Name: "valid_time", Type: decode.U32, Off: 4},
}}

// Attribute struct layouts.

func statsLayout(name string, size int, names []string) decode.Layout {
	l := decode.Layout{Name: name, Size: size * len(names)}
	t := decode.U32
	if size == 8 {
		t = decode.U64
	}
	for i, n := range names {
		l.Members = append(l.Members, decode.Attr{Name: n, Type: t, Off: i * size})
	}
	return l
}

func linkStatsNames() []string {
	return []string{"rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors",
		"rx_dropped", "tx_dropped", "multicast", "collisions", "rx_length_errors", "rx_over_errors",
		"rx_crc_errors", "rx_frame_errors", "rx_fifo_errors", "rx_missed_errors", "tx_aborted_errors",
		"tx_carrier_errors", "tx_fifo_errors", "tx_heartbeat_errors", "tx_window_errors",
		"rx_compressed", "tx_compressed", "rx_nohandler"}
}

var linkStats32 = statsLayout("rtnl_link_stats", 4, linkStatsNames())
var linkStats64 = statsLayout("rtnl_link_stats64", 8, append(linkStatsNames(), "rx_otherhost_dropped"))

var ifMap = decode.Layout{Name: "rtnl_link_ifmap", Size: 32, Members: []decode.Attr{
	{Name: "mem_start", Type: decode.U64, Sem: decode.Hex, Off: 0},
	{Name: "mem_end", Type: decode.U64, Sem: decode.Hex, Off: 8},
	{Name: "base_addr", Type: decode.U64, Sem: decode.Hex, Off: 16},
	{Name: "irq", Type: decode.U16, Off: 24},
	{Name: "dma", Type: decode.U8, Off: 26},
	{Name: "port", Type: decode.U8, Off: 27},
}}

var bridgeID = decode.Layout{Name: "ifla_bridge_id", Size: 8, Members: []decode.Attr{
	{Name: "prio", Type: decode.BE16, Off: 0},
	{Name: "addr", Type: decode.HWAddr, Off: 2, Len: 6},
}}

var boolOptMulti = decode.Layout{Name: "br_boolopt_multi", Size: 8, Members: []decode.Attr{
	{Name: "optval", Type: decode.U32, Sem: decode.Hex, Off: 0},
	{Name: "optmask", Type: decode.U32, Sem: decode.Hex, Off: 4},
}}

var vlanFlags = decode.Layout{Name: "ifla_vlan_flags", Size: 8, Members: []decode.Attr{
	{Name: "flags", Type: decode.U32, Sem: decode.Hex, Off: 0},
	{Name: "mask", Type: decode.U32, Sem: decode.Hex, Off: 4},
}}

var vlanQosMapping = decode.Layout{Name: "ifla_vlan_qos_mapping", Size: 8, Members: []decode.Attr{
	{Name: "from", Type: decode.U32, Off: 0},
	{Name: "to", Type: decode.U32, Off: 4},
}}

var portRange = decode.Layout{Name: "ifla_vxlan_port_range", Size: 4, Members: []decode.Attr{
	{Name: "low", Type: decode.BE16, Off: 0},
	{Name: "high", Type: decode.BE16, Off: 2},
}}

var portRangeHost = decode.Layout{Name: "fib_rule_port_range", Size: 4, Members: []decode.Attr{
	{Name: "start", Type: decode.U16, Off: 0},
	{Name: "end", Type: decode.U16, Off: 2},
}}

var uidRange = decode.Layout{Name: "fib_rule_uid_range", Size: 8, Members: []decode.Attr{
	{Name: "start", Type: decode.U32, Off: 0},
	{Name: "end", Type: decode.U32, Off: 4},
}}

var bridgeVlanInfo = decode.Layout{Name: "bridge_vlan_info", Size: 4, Members: []decode.Attr{
	{Name: "flags", Type: decode.U16, Sem: decode.Hex, Off: 0},
	{Name: "vid", Type: decode.U16, Off: 2},
}}

var ifla6Cacheinfo = decode.Layout{Name: "ifla_cacheinfo", Size: 16, Members: []decode.Attr{
	{Name: "max_reasm_len", Type: decode.U32, Off: 0},
	{Name: "tstamp", Type: decode.U32, Sem: decode.Centis, Off: 4},
	{Name: "reachable_time", Type: decode.U32, Sem: decode.Millis, Off: 8},
	{Name: "retrans_time", Type: decode.U32, Sem: decode.Millis, Off: 12},
}}

var ifaCacheinfo = decode.Layout{Name: "ifa_cacheinfo", Size: 16, Members: []decode.Attr{
	{Name: "preferred", Type: decode.U32, Off: 0},
	{Name: "valid", Type: decode.U32, Off: 4},
	{Name: "cstamp", Type: decode.U32, Sem: decode.Centis, Off: 8},
	{Name: "tstamp", Type: decode.U32, Sem: decode.Centis, Off: 12},
}}

var rtaCacheinfo = decode.Layout{Name: "rta_cacheinfo", Size: 32, Members: []decode.Attr{
	{Name: "clntref", Type: decode.U32, Off: 0},
	{Name: "lastuse", Type: decode.U32, Sem: decode.Centis, Off: 4},
	{Name: "expires", Type: decode.S32, Off: 8},
	{Name: "error", Type: decode.U32, Off: 12},
	{Name: "used", Type: decode.U32, Off: 16},
	{Name: "id", Type: decode.U32, Off: 20},
	{Name: "ts", Type: decode.U32, Off: 24},
	{Name: "tsage", Type: decode.U32, Off: 28},
}}

var mfcStats = decode.Layout{Name: "rta_mfc_stats", Size: 24, Members: []decode.Attr{
	{Name: "packets", Type: decode.U64, Off: 0},
	{Name: "bytes", Type: decode.U64, Off: 8},
	{Name: "wrong_if", Type: decode.U64, Off: 16},
}}

var ndaCacheinfo = decode.Layout{Name: "nda_cacheinfo", Size: 16, Members: []decode.Attr{
	{Name: "confirmed", Type: decode.U32, Sem: decode.Centis, Off: 0},
	{Name: "used", Type: decode.U32, Sem: decode.Centis, Off: 4},
	{Name: "updated", Type: decode.U32, Sem: decode.Centis, Off: 8},
	{Name: "refcnt", Type: decode.U32, Off: 12},
}}

var ndtConfig = decode.Layout{Name: "ndt_config", Size: 32, Members: []decode.Attr{
	{Name: "key_len", Type: decode.U16, Off: 0},
	{Name: "entry_size", Type: decode.U16, Off: 2},
	{Name: "entries", Type: decode.U32, Off: 4},
	{Name: "last_flush", Type: decode.U32, Sem: decode.Millis, Off: 8},
	{Name: "last_rand", Type: decode.U32, Sem: decode.Millis, Off: 12},
	{Name: "hash_rnd", Type: decode.U32, Sem: decode.Hex, Off: 16},
	{Name: "hash_mask", Type: decode.U32, Sem: decode.Hex, Off: 20},
	{Name: "hash_chain_gc", Type: decode.U32, Off: 24},
	{Name: "proxy_qlen", Type: decode.U32, Off: 28},
}}

var ndtStats = statsLayout("ndt_stats", 8, []string{"allocs", "destroys", "hash_grows", "res_failed",
	"lookups", "hits", "rcv_probes_mcast", "rcv_probes_ucast", "periodic_gc_runs", "forced_gc_runs",
	"table_fulls"})

var nexthopGrp = decode.Layout{Name: "nexthop_grp", Size: 8, Members: []decode.Attr{
	{Name: "id", Type: decode.U32, Off: 0},
	{Name: "weight", Type: decode.U8, Off: 4},
	{Name: "weight_high", Type: decode.U8, Off: 5},
}}

// br_mdb_entry's addr is a union selected by its proto: an IPv4 or IPv6
// group, or (proto 0) the MAC address of an L2 entry. mdbEntryInfo picks the
// layout whose addr member fits, so the group reads as bridge(8) shows it.
var (
	brMdbEntryIPv4 = mdbEntryLayout(decode.Attr{Name: "addr", Type: decode.Addr, Off: 8, Len: 4})
	brMdbEntryIPv6 = mdbEntryLayout(decode.Attr{Name: "addr", Type: decode.Addr, Off: 8, Len: 16})
	brMdbEntryL2   = mdbEntryLayout(decode.Attr{Name: "addr", Type: decode.HWAddr, Off: 8, Len: 6})
	brMdbEntryRaw  = mdbEntryLayout(decode.Attr{Name: "addr", Type: decode.Binary, Off: 8, Len: 16})
)

func mdbEntryLayout(addr decode.Attr) decode.Layout {
	return decode.Layout{Name: "br_mdb_entry", Size: 28, Members: []decode.Attr{
		{Name: "ifindex", Type: decode.U32, Sem: decode.Ifindex, Off: 0},
		{Name: "state", Type: decode.U8, Sem: decode.EnumValue, Enum: &mdbStates, Off: 4},
		{Name: "flags", Type: decode.U8, Sem: decode.FlagBits, Flags: &mdbFlags, Off: 5},
		{Name: "vid", Type: decode.U16, Off: 6},
		addr,
		{Name: "proto", Type: decode.BE16, Sem: decode.EnumValue, Enum: &ethProtocols, Off: 24},
	}}
}

// mdbEntryFor returns the br_mdb_entry layout for the entry in p.
func mdbEntryFor(p []byte) *decode.Layout {
	if len(p) < 26 {
		return &brMdbEntryRaw
	}
	switch binary.BigEndian.Uint16(p[24:]) {
	case unix.ETH_P_IP:
		return &brMdbEntryIPv4
	case unix.ETH_P_IPV6:
		return &brMdbEntryIPv6
	case 0:
		return &brMdbEntryL2
	}
	return &brMdbEntryRaw
}

// MDB_TEMPORARY and MDB_PERMANENT, named as bridge(8) names them.
var mdbStates = decode.Enum{Name: "MDB", Names: []string{"temp", "permanent"}}

// MDB_FLAGS_*, named as bridge(8) names them.
var mdbFlags = decode.FlagSet{Name: "MDB_FLAGS", Bits: []string{"offload", "fast_leave", "added_by_star_ex", "blocked"}}

var vfU32 = decode.Layout{Name: "ifla_vf_setting", Size: 8, Members: []decode.Attr{
	{Name: "vf", Type: decode.U32, Off: 0},
	{Name: "setting", Type: decode.U32, Off: 4},
}}

var vfMac = decode.Layout{Name: "ifla_vf_mac", Size: 36, Members: []decode.Attr{
	{Name: "vf", Type: decode.U32, Off: 0},
	{Name: "mac", Type: decode.HWAddr, Off: 4, Len: 6},
}}

var vfVlan = decode.Layout{Name: "ifla_vf_vlan", Size: 12, Members: []decode.Attr{
	{Name: "vf", Type: decode.U32, Off: 0},
	{Name: "vlan", Type: decode.U32, Off: 4},
	{Name: "qos", Type: decode.U32, Off: 8},
}}

var vfRate = decode.Layout{Name: "ifla_vf_rate", Size: 12, Members: []decode.Attr{
	{Name: "vf", Type: decode.U32, Off: 0},
	{Name: "min_tx_rate", Type: decode.U32, Off: 4},
	{Name: "max_tx_rate", Type: decode.U32, Off: 8},
}}

var vfGUID = decode.Layout{Name: "ifla_vf_guid", Size: 16, Members: []decode.Attr{
	{Name: "vf", Type: decode.U32, Off: 0},
	{Name: "guid", Type: decode.U64, Sem: decode.Hex, Off: 8},
}}

// Sets that are not in the headers' enums.

// dpllPinAttrs is the pin handle the kernel nests in IFLA_DPLL_PIN
// (dpll_msg_add_pin_handle): DPLL_A_PIN_ID of linux/dpll.h.
var dpllPinAttrs = decode.AttrSet{Name: "DPLL_A_PIN", Attrs: []decode.Attr{
	1: {Name: "DPLL_A_PIN_ID", Type: decode.U32},
}}

var propListAttrs = decode.AttrSet{Name: "IFLA", Attrs: []decode.Attr{
	unix.IFLA_ALT_IFNAME: {Name: "IFLA_ALT_IFNAME", Type: decode.String},
}}

var bondTargets = decode.AttrSet{Name: "IFLA_BOND_TARGET", Attrs: []decode.Attr{
	0: {Name: "target", Type: decode.Addr}, 1: {Name: "target", Type: decode.Addr}, 2: {Name: "target", Type: decode.Addr},
	3: {Name: "target", Type: decode.Addr}, 4: {Name: "target", Type: decode.Addr}, 5: {Name: "target", Type: decode.Addr},
	6: {Name: "target", Type: decode.Addr}, 7: {Name: "target", Type: decode.Addr}, 8: {Name: "target", Type: decode.Addr},
	9: {Name: "target", Type: decode.Addr}, 10: {Name: "target", Type: decode.Addr}, 11: {Name: "target", Type: decode.Addr},
	12: {Name: "target", Type: decode.Addr}, 13: {Name: "target", Type: decode.Addr}, 14: {Name: "target", Type: decode.Addr},
	15: {Name: "target", Type: decode.Addr},
}}

// IFLA_AF_SPEC in link messages is a nest keyed by address family.
var afSpecAttrs = decode.AttrSet{Name: "AF", Attrs: []decode.Attr{
	unix.AF_INET:   {Name: "AF_INET", Type: decode.Nest, Nest: &inetAttrs},
	unix.AF_INET6:  {Name: "AF_INET6", Type: decode.Nest, Nest: &inet6Attrs},
	unix.AF_MPLS:   {Name: "AF_MPLS", Type: decode.Nest, Nest: &emptyAttrs},
	unix.AF_BRIDGE: {Name: "AF_BRIDGE", Type: decode.Nest, Nest: &bridgeAfAttrs},
	unix.AF_MCTP:   {Name: "AF_MCTP", Type: decode.Nest, Nest: &mctpAttrs},
}}

// IFLA_MCTP_* from linux/if_link.h.
var mctpAttrs = decode.AttrSet{Name: "IFLA_MCTP", Attrs: []decode.Attr{
	1: {Name: "IFLA_MCTP_NET", Type: decode.U32},
	2: {Name: "IFLA_MCTP_PHYS_BINDING", Type: decode.U8},
}}

var emptyAttrs = decode.AttrSet{Name: "attr"}

var macvlanMacAttrs = decode.AttrSet{Name: "IFLA_MACVLAN", Attrs: []decode.Attr{
	unix.IFLA_MACVLAN_MACADDR: {Name: "IFLA_MACVLAN_MACADDR", Type: decode.HWAddr},
}}

// In AF_BRIDGE link messages (bridge ports), IFLA_AF_SPEC holds
// IFLA_BRIDGE_* and IFLA_PROTINFO holds IFLA_BRPORT_*.
func selectAfSpec(s decode.Scope) *decode.AttrSet {
	if f, ok := s.Family(); ok && f == unix.AF_BRIDGE {
		return &bridgeAfAttrs
	}
	return &afSpecAttrs
}

func selectProtinfo(s decode.Scope) *decode.AttrSet {
	f, _ := s.Family()
	switch f {
	case unix.AF_BRIDGE:
		return &brportAttrs
	case unix.AF_INET6:
		return &inet6Attrs
	}
	return nil
}

func infoDataSet(kind []byte) *decode.AttrSet {
	switch string(kind) {
	case "bridge":
		return &bridgeAttrs
	case "veth":
		return &vethAttrs
	case "vlan":
		return &vlanAttrs
	case "vxlan":
		return &vxlanAttrs
	case "macvlan", "macvtap":
		return &macvlanAttrs
	case "ipvlan", "ipvtap":
		return &ipvlanAttrs
	case "bond":
		return &bondAttrs
	case "gre", "gretap", "ip6gre", "ip6gretap", "erspan", "ip6erspan":
		return &greAttrs
	case "ipip", "sit", "ip6tnl":
		return &iptunAttrs
	case "geneve":
		return &geneveAttrs
	case "vrf":
		return &vrfAttrs
	case "tun":
		return &tunAttrs
	case "xfrm":
		return &xfrmLinkAttrs
	}
	// nlmon, dummy, ifb and wireguard carry no IFLA_INFO_DATA.
	return nil
}

func selectInfoData(s decode.Scope) *decode.AttrSet {
	return infoDataSet(s.SiblingText(unix.IFLA_INFO_KIND))
}

func selectSlaveData(s decode.Scope) *decode.AttrSet {
	switch string(s.SiblingText(unix.IFLA_INFO_SLAVE_KIND)) {
	case "bridge":
		return &brportAttrs
	case "bond":
		return &bondSlaveAttrs
	case "vrf":
		return &vrfPortAttrs
	}
	return nil
}

func selectEncap(s decode.Scope) *decode.AttrSet {
	b, ok := s.Sibling(unix.RTA_ENCAP_TYPE)
	if t := s.MessageType(); t >= unix.RTM_NEWNEXTHOP && t <= unix.RTM_GETNEXTHOP {
		b, ok = s.Sibling(unix.NHA_ENCAP_TYPE)
	}
	if !ok || len(b) != 2 {
		return nil
	}
	switch binary.NativeEndian.Uint16(b) {
	case unix.LWTUNNEL_ENCAP_MPLS:
		return &mplsEncapAttrs
	case unix.LWTUNNEL_ENCAP_IP:
		return &ipEncapAttrs
	case unix.LWTUNNEL_ENCAP_IP6:
		return &ip6EncapAttrs
	case unix.LWTUNNEL_ENCAP_BPF:
		return &bpfEncapAttrs
	case unix.LWTUNNEL_ENCAP_SEG6:
		return &seg6EncapAttrs
	}
	return nil
}

// Custom layouts.

var rtnexthop = decode.Layout{Name: "rtnexthop", Size: 8, Members: []decode.Attr{
	{Name: "len", Type: decode.U16, Off: 0},
	{Name: "flags", Type: decode.U8, Sem: decode.FlagBits, Flags: &rtnhFlags, Off: 2},
	{Name: "hops", Type: decode.U8, Off: 3},
	{Name: "ifindex", Type: decode.S32, Sem: decode.Ifindex, Off: 4},
}}

// multipath decodes RTA_MULTIPATH: rtnexthop headers, each followed by the
// nexthop's own RTA_* attributes.
func multipath(b *decode.Builder, p []byte, off int) {
	for len(p) > 0 {
		if len(p) < rtnexthop.Size {
			b.Malformed(off, len(p), "trailing bytes shorter than rtnexthop")
			return
		}
		n := int(binary.NativeEndian.Uint16(p))
		if n < rtnexthop.Size || n > len(p) {
			b.Malformed(off, len(p), "rtnexthop length "+strconv.Itoa(n)+" does not fit")
			return
		}
		b.Open("nexthop", off, n)
		b.Header(&rtnexthop, p[:rtnexthop.Size], off)
		b.MessageAttrs(unix.RTM_NEWROUTE, p[rtnexthop.Size:n], off+rtnexthop.Size)
		b.Close()
		step := client.Align(n)
		if step > len(p) {
			step = len(p)
		}
		p, off = p[step:], off+step
	}
}

// via decodes struct rtvia: a 16-bit address family and the address.
func via(b *decode.Builder, p []byte, off int) {
	if len(p) < 2 {
		b.Malformed(off, len(p), "rtvia is shorter than its family")
		return
	}
	fam := binary.NativeEndian.Uint16(p)
	b.Layout(&rtviaFamily, p[:2], off)
	addr := p[2:]
	switch {
	case fam == unix.AF_INET && len(addr) == 4:
		b.Layout(&via4, addr, off+2)
	case fam == unix.AF_INET6 && len(addr) == 16:
		b.Layout(&via6, addr, off+2)
	default:
		b.Bytes("addr", addr, off+2)
	}
}

var rtviaFamily = decode.Layout{Name: "rtvia", Size: 2, Members: []decode.Attr{
	{Name: "family", Type: decode.U16, Sem: decode.EnumValue, Enum: &families, Off: 0},
}}

var via4 = decode.Layout{Name: "addr", Size: 4, Members: []decode.Attr{{Name: "addr", Type: decode.Addr, Len: 4}}}
var via6 = decode.Layout{Name: "addr", Size: 16, Members: []decode.Attr{{Name: "addr", Type: decode.Addr, Len: 16}}}

// mplsLabels shows a payload as a stack of MPLS label entries.
func mplsLabels(b *decode.Builder, p []byte, off int) {
	for i := 0; i+4 <= len(p); i += 4 {
		b.Layout(&mplsEntry, p[i:i+4], off+i)
	}
	if r := len(p) % 4; r != 0 {
		b.Malformed(off+len(p)-r, r, "MPLS label entries are 4 bytes")
	}
}

var mplsEntry = decode.Layout{Name: "label", Size: 4, Members: []decode.Attr{
	{Name: "label", Type: decode.BE32, Sem: decode.Hex, Off: 0},
}}

var seg6Srh = decode.Layout{Name: "seg6_iptunnel_encap", Size: 12, Members: []decode.Attr{
	{Name: "mode", Type: decode.S32, Sem: decode.EnumValue, Enum: &seg6Modes, Off: 0},
	{Name: "nexthdr", Type: decode.U8, Sem: decode.EnumValue, Enum: &ipProtos, Off: 4},
	{Name: "hdrlen", Type: decode.U8, Off: 5},
	{Name: "type", Type: decode.U8, Off: 6},
	{Name: "segments_left", Type: decode.U8, Off: 7},
	{Name: "first_segment", Type: decode.U8, Off: 8},
	{Name: "flags", Type: decode.U8, Sem: decode.Hex, Off: 9},
	{Name: "tag", Type: decode.U16, Off: 10},
}}

var seg6Modes = decode.Enum{Name: "SEG6_IPTUN_MODE", Names: []string{"inline", "encap", "l2encap", "encap.red", "l2encap.red"}}

var segment = decode.Layout{Name: "segment", Size: 16, Members: []decode.Attr{
	{Name: "segment", Type: decode.Addr, Off: 0, Len: 16},
}}

// seg6Encap decodes SEG6_IPTUNNEL_SRH: the mode, the segment routing
// header and its segments (IPv6 addresses), then any TLVs as bytes.
func seg6Encap(b *decode.Builder, p []byte, off int) {
	if len(p) < seg6Srh.Size {
		b.Bytes("data", p, off)
		return
	}
	b.Layout(&seg6Srh, p[:seg6Srh.Size], off)
	segs := int(p[8]) + 1
	rest, roff := p[seg6Srh.Size:], off+seg6Srh.Size
	for i := 0; i < segs && len(rest) >= 16; i++ {
		b.Layout(&segment, rest[:16], roff)
		rest, roff = rest[16:], roff+16
	}
	if len(rest) > 0 {
		b.Bytes("tlvs", rest, roff)
	}
}

// vethPeer decodes VETH_INFO_PEER: an ifinfomsg and the peer's IFLA_*
// attributes.
func vethPeer(b *decode.Builder, p []byte, off int) {
	b.MessageBody(unix.RTM_NEWLINK, p, off)
}

// mdbEntryInfo decodes MDBA_MDB_ENTRY_INFO: a br_mdb_entry followed by
// MDBA_MDB_EATTR_* attributes.
func mdbEntryInfo(b *decode.Builder, p []byte, off int) {
	l := mdbEntryFor(p)
	b.Header(l, p[:min(len(p), l.Size)], off)
	if len(p) > l.Size {
		b.Attrs(&mdbEntryAttrs, p[l.Size:], off+l.Size)
	}
}

// mdbRouterPort decodes MDBA_ROUTER_PORT: an ifindex, then (on newer
// kernels) MDBA_ROUTER_PATTR_* attributes.
func mdbRouterPort(b *decode.Builder, p []byte, off int) {
	b.Header(&routerPort, p[:min(len(p), routerPort.Size)], off)
	if len(p) > routerPort.Size {
		b.Attrs(&mdbRouterPortAttrs, p[routerPort.Size:], off+routerPort.Size)
	}
}

var routerPort = decode.Layout{Name: "router_port", Size: 4, Members: []decode.Attr{
	{Name: "ifindex", Type: decode.U32, Sem: decode.Ifindex, Off: 0},
}}

// messageTypes is indexed by nlmsg_type. Qdisc and class messages of a
// known kind are decoded with the kind's own type (tcLookup).
var messageTypes = []decode.MessageType{
	unix.RTM_NEWLINK: {Name: "RTM_NEWLINK", Op: decode.OpNew, Header: &ifinfomsg, Attrs: &linkAttrs, LinkName: unix.IFLA_IFNAME},
	unix.RTM_DELLINK: {Name: "RTM_DELLINK", Op: decode.OpDel, Header: &ifinfomsg, Attrs: &linkAttrs},
	unix.RTM_GETLINK: {Name: "RTM_GETLINK", Op: decode.OpGet, Header: &ifinfomsg, Attrs: &linkAttrs},
	unix.RTM_SETLINK: {Name: "RTM_SETLINK", Op: decode.OpSet, Header: &ifinfomsg, Attrs: &linkAttrs},

	unix.RTM_NEWADDR: {Name: "RTM_NEWADDR", Op: decode.OpNew, Header: &ifaddrmsg, Attrs: &addrAttrs},
	unix.RTM_DELADDR: {Name: "RTM_DELADDR", Op: decode.OpDel, Header: &ifaddrmsg, Attrs: &addrAttrs},
	unix.RTM_GETADDR: {Name: "RTM_GETADDR", Op: decode.OpGet, Header: &ifaddrmsg, Attrs: &addrAttrs},

	unix.RTM_NEWROUTE: {Name: "RTM_NEWROUTE", Op: decode.OpNew, Header: &rtmsg, Attrs: &routeAttrs},
	unix.RTM_DELROUTE: {Name: "RTM_DELROUTE", Op: decode.OpDel, Header: &rtmsg, Attrs: &routeAttrs},
	unix.RTM_GETROUTE: {Name: "RTM_GETROUTE", Op: decode.OpGet, Header: &rtmsg, Attrs: &routeAttrs},

	unix.RTM_NEWNEIGH: {Name: "RTM_NEWNEIGH", Op: decode.OpNew, Header: &ndmsg, Attrs: &neighAttrs},
	unix.RTM_DELNEIGH: {Name: "RTM_DELNEIGH", Op: decode.OpDel, Header: &ndmsg, Attrs: &neighAttrs},
	unix.RTM_GETNEIGH: {Name: "RTM_GETNEIGH", Op: decode.OpGet, Header: &ndmsg, Attrs: &neighAttrs},

	unix.RTM_NEWRULE: {Name: "RTM_NEWRULE", Op: decode.OpNew, Header: &fibRuleHdr, Attrs: &ruleAttrs},
	unix.RTM_DELRULE: {Name: "RTM_DELRULE", Op: decode.OpDel, Header: &fibRuleHdr, Attrs: &ruleAttrs},
	unix.RTM_GETRULE: {Name: "RTM_GETRULE", Op: decode.OpGet, Header: &fibRuleHdr, Attrs: &ruleAttrs},

	unix.RTM_NEWPREFIX: {Name: "RTM_NEWPREFIX", Op: decode.OpOther, Header: &prefixmsg, Attrs: &prefixAttrs},

	unix.RTM_NEWMULTICAST: {Name: "RTM_NEWMULTICAST", Op: decode.OpNew, Header: &ifaddrmsg, Attrs: &addrAttrs},
	unix.RTM_DELMULTICAST: {Name: "RTM_DELMULTICAST", Op: decode.OpDel, Header: &ifaddrmsg, Attrs: &addrAttrs},
	unix.RTM_GETMULTICAST: {Name: "RTM_GETMULTICAST", Op: decode.OpGet, Header: &ifaddrmsg, Attrs: &addrAttrs},
	unix.RTM_NEWANYCAST:   {Name: "RTM_NEWANYCAST", Op: decode.OpNew, Header: &ifaddrmsg, Attrs: &addrAttrs},
	unix.RTM_DELANYCAST:   {Name: "RTM_DELANYCAST", Op: decode.OpDel, Header: &ifaddrmsg, Attrs: &addrAttrs},
	unix.RTM_GETANYCAST:   {Name: "RTM_GETANYCAST", Op: decode.OpGet, Header: &ifaddrmsg, Attrs: &addrAttrs},

	unix.RTM_NEWNEIGHTBL: {Name: "RTM_NEWNEIGHTBL", Op: decode.OpNew, Header: &ndtmsg, Attrs: &neighTableAttrs},
	unix.RTM_GETNEIGHTBL: {Name: "RTM_GETNEIGHTBL", Op: decode.OpGet, Header: &ndtmsg, Attrs: &neighTableAttrs},
	unix.RTM_SETNEIGHTBL: {Name: "RTM_SETNEIGHTBL", Op: decode.OpSet, Header: &ndtmsg, Attrs: &neighTableAttrs},

	unix.RTM_NEWADDRLABEL: {Name: "RTM_NEWADDRLABEL", Op: decode.OpNew, Header: &ifaddrlblmsg, Attrs: &addrLabelAttrs},
	unix.RTM_DELADDRLABEL: {Name: "RTM_DELADDRLABEL", Op: decode.OpDel, Header: &ifaddrlblmsg, Attrs: &addrLabelAttrs},
	unix.RTM_GETADDRLABEL: {Name: "RTM_GETADDRLABEL", Op: decode.OpGet, Header: &ifaddrlblmsg, Attrs: &addrLabelAttrs},

	unix.RTM_NEWNETCONF: {Name: "RTM_NEWNETCONF", Op: decode.OpNew, Header: &netconfmsg, Attrs: &netconfAttrs},
	unix.RTM_DELNETCONF: {Name: "RTM_DELNETCONF", Op: decode.OpDel, Header: &netconfmsg, Attrs: &netconfAttrs},
	unix.RTM_GETNETCONF: {Name: "RTM_GETNETCONF", Op: decode.OpGet, Header: &netconfmsg, Attrs: &netconfAttrs},

	unix.RTM_NEWMDB: {Name: "RTM_NEWMDB", Op: decode.OpNew, Header: &brPortMsg, Attrs: &mdbAttrs},
	unix.RTM_DELMDB: {Name: "RTM_DELMDB", Op: decode.OpDel, Header: &brPortMsg, Attrs: &mdbAttrs},
	unix.RTM_GETMDB: {Name: "RTM_GETMDB", Op: decode.OpGet, Header: &brPortMsg, Attrs: &mdbAttrs},

	unix.RTM_NEWNSID: {Name: "RTM_NEWNSID", Op: decode.OpNew, Header: &rtgenmsg, Attrs: &nsidAttrs},
	unix.RTM_DELNSID: {Name: "RTM_DELNSID", Op: decode.OpDel, Header: &rtgenmsg, Attrs: &nsidAttrs},
	unix.RTM_GETNSID: {Name: "RTM_GETNSID", Op: decode.OpGet, Header: &rtgenmsg, Attrs: &nsidAttrs},

	unix.RTM_NEWSTATS: {Name: "RTM_NEWSTATS", Op: decode.OpNew, Header: &ifStatsMsg, Attrs: &statsAttrs},
	unix.RTM_GETSTATS: {Name: "RTM_GETSTATS", Op: decode.OpGet, Header: &ifStatsMsg, Attrs: &statsAttrs},

	unix.RTM_NEWNEXTHOP: {Name: "RTM_NEWNEXTHOP", Op: decode.OpNew, Header: &nhmsg, Attrs: &nexthopAttrs},
	unix.RTM_DELNEXTHOP: {Name: "RTM_DELNEXTHOP", Op: decode.OpDel, Header: &nhmsg, Attrs: &nexthopAttrs},
	unix.RTM_GETNEXTHOP: {Name: "RTM_GETNEXTHOP", Op: decode.OpGet, Header: &nhmsg, Attrs: &nexthopAttrs},

	unix.RTM_NEWQDISC:   {Name: "RTM_NEWQDISC", Op: decode.OpNew, Header: &tcmsg, Attrs: &tcAttrs},
	unix.RTM_DELQDISC:   {Name: "RTM_DELQDISC", Op: decode.OpDel, Header: &tcmsg, Attrs: &tcAttrs},
	unix.RTM_GETQDISC:   {Name: "RTM_GETQDISC", Op: decode.OpGet, Header: &tcmsg, Attrs: &tcAttrs},
	unix.RTM_NEWTCLASS:  {Name: "RTM_NEWTCLASS", Op: decode.OpNew, Header: &tcmsg, Attrs: &tcAttrs},
	unix.RTM_DELTCLASS:  {Name: "RTM_DELTCLASS", Op: decode.OpDel, Header: &tcmsg, Attrs: &tcAttrs},
	unix.RTM_GETTCLASS:  {Name: "RTM_GETTCLASS", Op: decode.OpGet, Header: &tcmsg, Attrs: &tcAttrs},
	unix.RTM_NEWTFILTER: {Name: "RTM_NEWTFILTER", Op: decode.OpNew, Header: &tcmsgFilter, Attrs: &tcAttrs},
	unix.RTM_DELTFILTER: {Name: "RTM_DELTFILTER", Op: decode.OpDel, Header: &tcmsgFilter, Attrs: &tcAttrs},
	unix.RTM_GETTFILTER: {Name: "RTM_GETTFILTER", Op: decode.OpGet, Header: &tcmsgFilter, Attrs: &tcAttrs},
	unix.RTM_NEWACTION:  {Name: "RTM_NEWACTION", Op: decode.OpNew, Header: &tcamsg, Attrs: &tcRootAttrs},
	unix.RTM_DELACTION:  {Name: "RTM_DELACTION", Op: decode.OpDel, Header: &tcamsg, Attrs: &tcRootAttrs},
	unix.RTM_GETACTION:  {Name: "RTM_GETACTION", Op: decode.OpGet, Header: &tcamsg, Attrs: &tcRootAttrs},
	unix.RTM_NEWCHAIN:   {Name: "RTM_NEWCHAIN", Op: decode.OpNew, Header: &tcmsgFilter, Attrs: &tcAttrs},
	unix.RTM_DELCHAIN:   {Name: "RTM_DELCHAIN", Op: decode.OpDel, Header: &tcmsgFilter, Attrs: &tcAttrs},
	unix.RTM_GETCHAIN:   {Name: "RTM_GETCHAIN", Op: decode.OpGet, Header: &tcmsgFilter, Attrs: &tcAttrs},

	rtmNewNdUserOpt:   {Name: "RTM_NEWNDUSEROPT", Op: decode.OpOther, Header: &nduseroptmsg, Body: ndUserOptBody},
	rtmNewCacheReport: {Name: "RTM_NEWCACHEREPORT", Op: decode.OpOther, Header: &rtgenmsg, Attrs: &ipmrCacheReportAttrs},

	rtmNewVlan: {Name: "RTM_NEWVLAN", Op: decode.OpNew, Header: &brVlanMsg, Attrs: &vlanDBAttrs},
	rtmDelVlan: {Name: "RTM_DELVLAN", Op: decode.OpDel, Header: &brVlanMsg, Attrs: &vlanDBAttrs},
	rtmGetVlan: {Name: "RTM_GETVLAN", Op: decode.OpGet, Header: &brVlanMsg, Attrs: &vlanDBDumpAttrs},

	rtmNewTunnel: {Name: "RTM_NEWTUNNEL", Op: decode.OpNew, Header: &tunnelMsg, Attrs: &vniFilterAttrs},
	rtmDelTunnel: {Name: "RTM_DELTUNNEL", Op: decode.OpDel, Header: &tunnelMsg, Attrs: &vniFilterAttrs},
	rtmGetTunnel: {Name: "RTM_GETTUNNEL", Op: decode.OpGet, Header: &tunnelMsg, Attrs: &vniFilterAttrs},

	unix.RTM_NEWLINKPROP: {Name: "RTM_NEWLINKPROP", Op: decode.OpNew, Header: &ifinfomsg, Attrs: &linkAttrs},
	unix.RTM_DELLINKPROP: {Name: "RTM_DELLINKPROP", Op: decode.OpDel, Header: &ifinfomsg, Attrs: &linkAttrs},
}
