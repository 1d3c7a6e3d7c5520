package nft

import (
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/nfnl"
)

// Constructors for the attribute kinds nf_tables uses. Every set is
// BigEndian: nfnetlink integers are in network order.

func str(name string) decode.Attr { return decode.Attr{Name: name, Type: decode.String} }
func u8(name string) decode.Attr  { return decode.Attr{Name: name, Type: decode.U8} }
func u16(name string) decode.Attr { return decode.Attr{Name: name, Type: decode.U16} }
func u32(name string) decode.Attr { return decode.Attr{Name: name, Type: decode.U32} }
func u64(name string) decode.Attr { return decode.Attr{Name: name, Type: decode.U64} }
func s32(name string) decode.Attr { return decode.Attr{Name: name, Type: decode.S32} }
func bin(name string) decode.Attr { return decode.Attr{Name: name, Type: decode.Binary} }
func hex32(name string) decode.Attr {
	return decode.Attr{Name: name, Type: decode.U32, Sem: decode.Hex}
}
func millis64(name string) decode.Attr {
	return decode.Attr{Name: name, Type: decode.U64, Sem: decode.Millis}
}
func reg(name string) decode.Attr {
	return decode.Attr{Name: name, Type: decode.U32, Sem: decode.EnumValue, Enum: &registers}
}
func enum32(name string, e *decode.Enum) decode.Attr {
	return decode.Attr{Name: name, Type: decode.U32, Sem: decode.EnumValue, Enum: e}
}
func enum8(name string, e *decode.Enum) decode.Attr {
	return decode.Attr{Name: name, Type: decode.U8, Sem: decode.EnumValue, Enum: e}
}
func enum16(name string, e *decode.Enum) decode.Attr {
	return decode.Attr{Name: name, Type: decode.U16, Sem: decode.EnumValue, Enum: e}
}
func flags32(name string, f *decode.FlagSet) decode.Attr {
	return decode.Attr{Name: name, Type: decode.U32, Sem: decode.FlagBits, Flags: f}
}
func flags16(name string, f *decode.FlagSet) decode.Attr {
	return decode.Attr{Name: name, Type: decode.U16, Sem: decode.FlagBits, Flags: f}
}
func nest(name string, s *decode.AttrSet) decode.Attr {
	return decode.Attr{Name: name, Type: decode.Nest, Nest: s}
}
func ifindex(name string) decode.Attr {
	return decode.Attr{Name: name, Type: decode.U32, Sem: decode.Ifindex}
}
func nfproto32(name string) decode.Attr { return enum32(name, &nfnl.Families) }
func nfproto16(name string) decode.Attr { return enum16(name, &nfnl.Families) }
func l4proto(name string) decode.Attr   { return enum8(name, &ipProtocols) }

// Values and verdicts (enum nft_data_attributes, nft_verdict_attributes).

var verdictAttrs = decode.AttrSet{Name: "NFTA_VERDICT", BigEndian: true, Attrs: []decode.Attr{
	1: enum32("NFTA_VERDICT_CODE", &verdicts),
	2: str("NFTA_VERDICT_CHAIN"),
	3: u32("NFTA_VERDICT_CHAIN_ID"),
}}

var dataAttrs = decode.AttrSet{Name: "NFTA_DATA", BigEndian: true, Attrs: []decode.Attr{
	1: bin("NFTA_DATA_VALUE"),
	2: nest("NFTA_DATA_VERDICT", &verdictAttrs),
}}

// Tables.

var tableAttrs = decode.AttrSet{Name: "NFTA_TABLE", BigEndian: true, Attrs: []decode.Attr{
	1: str("NFTA_TABLE_NAME"),
	2: flags32("NFTA_TABLE_FLAGS", &tableFlags),
	3: u32("NFTA_TABLE_USE"),
	4: u64("NFTA_TABLE_HANDLE"),
	5: bin("NFTA_TABLE_PAD"),
	6: udata("NFTA_TABLE_USERDATA", &tableUdata),
	7: u32("NFTA_TABLE_OWNER"),
}}

// Chains and their hooks.

var deviceAttrs = decode.AttrSet{Name: "NFTA_DEVICE", BigEndian: true, Attrs: []decode.Attr{
	1: str("NFTA_DEVICE_NAME"),
	2: str("NFTA_DEVICE_PREFIX"),
}}

// hookAttrs returns the hook set whose hook numbers are named by hooks.
func hookAttrs(hooks *decode.Enum) decode.AttrSet {
	return decode.AttrSet{Name: "NFTA_HOOK", BigEndian: true, Attrs: []decode.Attr{
		1: enum32("NFTA_HOOK_HOOKNUM", hooks),
		2: s32("NFTA_HOOK_PRIORITY"),
		3: str("NFTA_HOOK_DEV"),
		4: nest("NFTA_HOOK_DEVS", &deviceAttrs),
	}}
}

var (
	inetHookAttrs   = hookAttrs(&inetHooks)
	bridgeHookAttrs = hookAttrs(&bridgeHooks)
	arpHookAttrs    = hookAttrs(&arpHooks)
	netdevHookAttrs = hookAttrs(&netdevHooks)
)

// familyHooks chooses the hook names by the message's nfgen_family: ip, ip6
// and inet share the NF_INET hooks; bridge, arp and netdev have their own.
func familyHooks(s decode.Scope) *decode.AttrSet {
	f, _ := s.Family()
	switch f {
	case 3: // NFPROTO_ARP
		return &arpHookAttrs
	case 5: // NFPROTO_NETDEV
		return &netdevHookAttrs
	case 7: // NFPROTO_BRIDGE
		return &bridgeHookAttrs
	}
	return &inetHookAttrs
}

var counterAttrs = decode.AttrSet{Name: "NFTA_COUNTER", BigEndian: true, Attrs: []decode.Attr{
	1: u64("NFTA_COUNTER_BYTES"),
	2: u64("NFTA_COUNTER_PACKETS"),
	3: bin("NFTA_COUNTER_PAD"),
}}

var chainAttrs = decode.AttrSet{Name: "NFTA_CHAIN", BigEndian: true, Attrs: []decode.Attr{
	1:  str("NFTA_CHAIN_TABLE"),
	2:  u64("NFTA_CHAIN_HANDLE"),
	3:  str("NFTA_CHAIN_NAME"),
	4:  {Name: "NFTA_CHAIN_HOOK", Type: decode.Nest, Select: familyHooks},
	5:  enum32("NFTA_CHAIN_POLICY", &chainPolicies),
	6:  u32("NFTA_CHAIN_USE"),
	7:  str("NFTA_CHAIN_TYPE"),
	8:  nest("NFTA_CHAIN_COUNTERS", &counterAttrs),
	9:  bin("NFTA_CHAIN_PAD"),
	10: flags32("NFTA_CHAIN_FLAGS", &chainFlags),
	11: u32("NFTA_CHAIN_ID"),
	12: udata("NFTA_CHAIN_USERDATA", &chainUdata),
}}

// Rules.

var ruleCompatAttrs = decode.AttrSet{Name: "NFTA_RULE_COMPAT", BigEndian: true, Attrs: []decode.Attr{
	1: enum32("NFTA_RULE_COMPAT_PROTO", &ipProtocols),
	2: flags32("NFTA_RULE_COMPAT_FLAGS", &ruleCompatFlags),
}}

var ruleAttrs = decode.AttrSet{Name: "NFTA_RULE", BigEndian: true, Attrs: []decode.Attr{
	1:  str("NFTA_RULE_TABLE"),
	2:  str("NFTA_RULE_CHAIN"),
	3:  u64("NFTA_RULE_HANDLE"),
	4:  nest("NFTA_RULE_EXPRESSIONS", &exprListAttrs),
	5:  nest("NFTA_RULE_COMPAT", &ruleCompatAttrs),
	6:  u64("NFTA_RULE_POSITION"),
	7:  udata("NFTA_RULE_USERDATA", &ruleUdata),
	8:  bin("NFTA_RULE_PAD"),
	9:  u32("NFTA_RULE_ID"),
	10: u32("NFTA_RULE_POSITION_ID"),
	11: u32("NFTA_RULE_CHAIN_ID"),
}}

// Sets.

var setFieldAttrs = decode.AttrSet{Name: "NFTA_SET_FIELD", BigEndian: true, Attrs: []decode.Attr{
	1: u32("NFTA_SET_FIELD_LEN"),
}}

var setFieldListAttrs = decode.AttrSet{Name: "NFTA_LIST", BigEndian: true, Attrs: []decode.Attr{
	1: nest("NFTA_LIST_ELEM", &setFieldAttrs),
}}

var setDescAttrs = decode.AttrSet{Name: "NFTA_SET_DESC", BigEndian: true, Attrs: []decode.Attr{
	1: u32("NFTA_SET_DESC_SIZE"),
	2: nest("NFTA_SET_DESC_CONCAT", &setFieldListAttrs),
}}

var setAttrs = decode.AttrSet{Name: "NFTA_SET", BigEndian: true, Attrs: []decode.Attr{
	1:  str("NFTA_SET_TABLE"),
	2:  str("NFTA_SET_NAME"),
	3:  flags32("NFTA_SET_FLAGS", &setFlags),
	4:  hex32("NFTA_SET_KEY_TYPE"),
	5:  u32("NFTA_SET_KEY_LEN"),
	6:  enum32("NFTA_SET_DATA_TYPE", &dataTypes),
	7:  u32("NFTA_SET_DATA_LEN"),
	8:  enum32("NFTA_SET_POLICY", &setPolicies),
	9:  nest("NFTA_SET_DESC", &setDescAttrs),
	10: u32("NFTA_SET_ID"),
	11: millis64("NFTA_SET_TIMEOUT"),
	12: {Name: "NFTA_SET_GC_INTERVAL", Type: decode.U32, Sem: decode.Millis},
	13: udata("NFTA_SET_USERDATA", &setUdata),
	14: bin("NFTA_SET_PAD"),
	15: enum32("NFTA_SET_OBJ_TYPE", &objectTypes),
	16: u64("NFTA_SET_HANDLE"),
	17: nest("NFTA_SET_EXPR", &exprAttrs),
	18: nest("NFTA_SET_EXPRESSIONS", &exprListAttrs),
	19: str("NFTA_SET_TYPE"),
	20: u32("NFTA_SET_COUNT"),
}}

// Set elements.

var setElemAttrs = decode.AttrSet{Name: "NFTA_SET_ELEM", BigEndian: true, Attrs: []decode.Attr{
	1:  nest("NFTA_SET_ELEM_KEY", &dataAttrs),
	2:  nest("NFTA_SET_ELEM_DATA", &dataAttrs),
	3:  flags32("NFTA_SET_ELEM_FLAGS", &setElemFlags),
	4:  millis64("NFTA_SET_ELEM_TIMEOUT"),
	5:  millis64("NFTA_SET_ELEM_EXPIRATION"),
	6:  udata("NFTA_SET_ELEM_USERDATA", &setElemUdata),
	7:  nest("NFTA_SET_ELEM_EXPR", &exprAttrs),
	8:  bin("NFTA_SET_ELEM_PAD"),
	9:  str("NFTA_SET_ELEM_OBJREF"),
	10: nest("NFTA_SET_ELEM_KEY_END", &dataAttrs),
	11: nest("NFTA_SET_ELEM_EXPRESSIONS", &exprListAttrs),
}}

var setElemListAttrs = decode.AttrSet{Name: "NFTA_SET_ELEM_LIST", BigEndian: true, Attrs: []decode.Attr{
	1: str("NFTA_SET_ELEM_LIST_TABLE"),
	2: str("NFTA_SET_ELEM_LIST_SET"),
	// The kernel takes elements of any attribute type and libnftnl numbers
	// them 1, 2, 3, ...: an array, not a run of NFTA_LIST_ELEM.
	3: {Name: "NFTA_SET_ELEM_LIST_ELEMENTS", Type: decode.NestArray, Nest: &setElemAttrs, Elem: "NFTA_LIST_ELEM"},
	4: u32("NFTA_SET_ELEM_LIST_SET_ID"),
}}

// Generations.

var genAttrs = decode.AttrSet{Name: "NFTA_GEN", BigEndian: true, Attrs: []decode.Attr{
	1: u32("NFTA_GEN_ID"),
	2: u32("NFTA_GEN_PROC_PID"),
	3: str("NFTA_GEN_PROC_NAME"),
}}

// Stateful objects: NFTA_OBJ_DATA is chosen by the sibling NFTA_OBJ_TYPE.

var objAttrs = decode.AttrSet{Name: "NFTA_OBJ", BigEndian: true, Attrs: []decode.Attr{
	1: str("NFTA_OBJ_TABLE"),
	2: str("NFTA_OBJ_NAME"),
	3: enum32("NFTA_OBJ_TYPE", &objectTypes),
	4: {Name: "NFTA_OBJ_DATA", Type: decode.Nest, Select: objectData},
	5: u32("NFTA_OBJ_USE"),
	6: u64("NFTA_OBJ_HANDLE"),
	7: bin("NFTA_OBJ_PAD"),
	8: udata("NFTA_OBJ_USERDATA", &objUdata),
}}

// objectData returns the set of an object's data by its NFT_OBJECT_* type.
func objectData(s decode.Scope) *decode.AttrSet {
	b, ok := s.Sibling(3) // NFTA_OBJ_TYPE
	if !ok || len(b) != 4 {
		return nil
	}
	switch uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]) {
	case 1:
		return &counterAttrs
	case 2:
		return &quotaAttrs
	case 3:
		return &ctHelperAttrs
	case 4:
		return &limitAttrs
	case 5:
		return &connlimitAttrs
	case 6:
		return &tunnelKeyAttrs
	case 7:
		return &ctTimeoutAttrs
	case 8:
		return &secmarkAttrs
	case 9:
		return &ctExpectAttrs
	case 10:
		return &synproxyAttrs
	}
	return nil
}

var ctHelperAttrs = decode.AttrSet{Name: "NFTA_CT_HELPER", BigEndian: true, Attrs: []decode.Attr{
	1: str("NFTA_CT_HELPER_NAME"),
	2: nfproto16("NFTA_CT_HELPER_L3PROTO"),
	3: l4proto("NFTA_CT_HELPER_L4PROTO"),
}}

var ctTimeoutAttrs = decode.AttrSet{Name: "NFTA_CT_TIMEOUT", BigEndian: true, Attrs: []decode.Attr{
	1: nfproto16("NFTA_CT_TIMEOUT_L3PROTO"),
	2: l4proto("NFTA_CT_TIMEOUT_L4PROTO"),
	3: {Name: "NFTA_CT_TIMEOUT_DATA", Type: decode.Nest, Select: ctTimeoutData},
}}

var ctExpectAttrs = decode.AttrSet{Name: "NFTA_CT_EXPECT", BigEndian: true, Attrs: []decode.Attr{
	1: nfproto16("NFTA_CT_EXPECT_L3PROTO"),
	2: l4proto("NFTA_CT_EXPECT_L4PROTO"),
	3: u16("NFTA_CT_EXPECT_DPORT"),
	// The kernel puts the timeout with nla_put_u32: host order.
	4: {Name: "NFTA_CT_EXPECT_TIMEOUT", Type: decode.U32, Sem: decode.Millis, HostOrder: true},
	5: u8("NFTA_CT_EXPECT_SIZE"),
}}

var secmarkAttrs = decode.AttrSet{Name: "NFTA_SECMARK", BigEndian: true, Attrs: []decode.Attr{
	1: str("NFTA_SECMARK_CTX"),
}}

// Tunnel objects (enum nft_tunnel_key_attributes and its nests).

var tunnelIPAttrs = decode.AttrSet{Name: "NFTA_TUNNEL_KEY_IP", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFTA_TUNNEL_KEY_IP_SRC", Type: decode.Addr},
	2: {Name: "NFTA_TUNNEL_KEY_IP_DST", Type: decode.Addr},
}}

var tunnelIP6Attrs = decode.AttrSet{Name: "NFTA_TUNNEL_KEY_IP6", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFTA_TUNNEL_KEY_IP6_SRC", Type: decode.Addr},
	2: {Name: "NFTA_TUNNEL_KEY_IP6_DST", Type: decode.Addr},
	3: hex32("NFTA_TUNNEL_KEY_IP6_FLOWLABEL"),
}}

var tunnelVxlanAttrs = decode.AttrSet{Name: "NFTA_TUNNEL_KEY_VXLAN", BigEndian: true, Attrs: []decode.Attr{
	1: hex32("NFTA_TUNNEL_KEY_VXLAN_GBP"),
}}

var tunnelErspanAttrs = decode.AttrSet{Name: "NFTA_TUNNEL_KEY_ERSPAN", BigEndian: true, Attrs: []decode.Attr{
	1: u32("NFTA_TUNNEL_KEY_ERSPAN_VERSION"),
	2: u32("NFTA_TUNNEL_KEY_ERSPAN_V1_INDEX"),
	3: u8("NFTA_TUNNEL_KEY_ERSPAN_V2_HWID"),
	4: u8("NFTA_TUNNEL_KEY_ERSPAN_V2_DIR"),
}}

var tunnelGeneveAttrs = decode.AttrSet{Name: "NFTA_TUNNEL_KEY_GENEVE", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFTA_TUNNEL_KEY_GENEVE_CLASS", Type: decode.U16, Sem: decode.Hex},
	2: {Name: "NFTA_TUNNEL_KEY_GENEVE_TYPE", Type: decode.U8, Sem: decode.Hex},
	3: bin("NFTA_TUNNEL_KEY_GENEVE_DATA"),
}}

var tunnelOptsAttrs = decode.AttrSet{Name: "NFTA_TUNNEL_KEY_OPTS", BigEndian: true, Attrs: []decode.Attr{
	1: nest("NFTA_TUNNEL_KEY_OPTS_VXLAN", &tunnelVxlanAttrs),
	2: nest("NFTA_TUNNEL_KEY_OPTS_ERSPAN", &tunnelErspanAttrs),
	3: nest("NFTA_TUNNEL_KEY_OPTS_GENEVE", &tunnelGeneveAttrs),
}}

var tunnelKeyAttrs = decode.AttrSet{Name: "NFTA_TUNNEL_KEY", BigEndian: true, Attrs: []decode.Attr{
	1: u32("NFTA_TUNNEL_KEY_ID"),
	2: nest("NFTA_TUNNEL_KEY_IP", &tunnelIPAttrs),
	3: nest("NFTA_TUNNEL_KEY_IP6", &tunnelIP6Attrs),
	4: flags32("NFTA_TUNNEL_KEY_FLAGS", &tunnelFlags),
	5: u8("NFTA_TUNNEL_KEY_TOS"),
	6: u8("NFTA_TUNNEL_KEY_TTL"),
	7: u16("NFTA_TUNNEL_KEY_SPORT"),
	8: u16("NFTA_TUNNEL_KEY_DPORT"),
	9: nest("NFTA_TUNNEL_KEY_OPTS", &tunnelOptsAttrs),
}}

// Conntrack timeout policies (linux/netfilter/nfnetlink_cttimeout.h), the
// data of a ct timeout object, chosen by its layer-4 protocol. Values are
// seconds.

func timeouts(prefix string, names ...string) decode.AttrSet {
	s := decode.AttrSet{Name: prefix, BigEndian: true, Attrs: make([]decode.Attr, len(names)+1)}
	for i, n := range names {
		s.Attrs[i+1] = decode.Attr{Name: prefix + "_" + n, Type: decode.U32, Sem: decode.Seconds}
	}
	return s
}

var (
	timeoutGeneric = timeouts("CTA_TIMEOUT_GENERIC", "TIMEOUT")
	timeoutTCP     = timeouts("CTA_TIMEOUT_TCP", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT",
		"LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2", "RETRANS", "UNACK")
	timeoutUDP     = timeouts("CTA_TIMEOUT_UDP", "UNREPLIED", "REPLIED")
	timeoutUDPLite = timeouts("CTA_TIMEOUT_UDPLITE", "UNREPLIED", "REPLIED")
	timeoutICMP    = timeouts("CTA_TIMEOUT_ICMP", "TIMEOUT")
	timeoutDCCP    = timeouts("CTA_TIMEOUT_DCCP", "REQUEST", "RESPOND", "PARTOPEN", "OPEN", "CLOSEREQ", "CLOSING", "TIMEWAIT")
	timeoutSCTP    = timeouts("CTA_TIMEOUT_SCTP", "CLOSED", "COOKIE_WAIT", "COOKIE_ECHOED", "ESTABLISHED",
		"SHUTDOWN_SENT", "SHUTDOWN_RECD", "SHUTDOWN_ACK_SENT", "HEARTBEAT_SENT", "HEARTBEAT_ACKED")
	timeoutICMPv6 = timeouts("CTA_TIMEOUT_ICMPV6", "TIMEOUT")
	timeoutGRE    = timeouts("CTA_TIMEOUT_GRE", "UNREPLIED", "REPLIED")
)

func ctTimeoutData(s decode.Scope) *decode.AttrSet {
	b, ok := s.Sibling(2) // NFTA_CT_TIMEOUT_L4PROTO
	if !ok || len(b) != 1 {
		return nil
	}
	switch b[0] {
	case 6:
		return &timeoutTCP
	case 17:
		return &timeoutUDP
	case 136:
		return &timeoutUDPLite
	case 1:
		return &timeoutICMP
	case 33:
		return &timeoutDCCP
	case 132:
		return &timeoutSCTP
	case 58:
		return &timeoutICMPv6
	case 47:
		return &timeoutGRE
	}
	return &timeoutGeneric
}

// Flowtables.

var flowtableHookAttrs = decode.AttrSet{Name: "NFTA_FLOWTABLE_HOOK", BigEndian: true, Attrs: []decode.Attr{
	1: enum32("NFTA_FLOWTABLE_HOOK_NUM", &netdevHooks),
	2: s32("NFTA_FLOWTABLE_HOOK_PRIORITY"),
	3: nest("NFTA_FLOWTABLE_HOOK_DEVS", &deviceAttrs),
}}

var flowtableAttrs = decode.AttrSet{Name: "NFTA_FLOWTABLE", BigEndian: true, Attrs: []decode.Attr{
	1: str("NFTA_FLOWTABLE_TABLE"),
	2: str("NFTA_FLOWTABLE_NAME"),
	3: nest("NFTA_FLOWTABLE_HOOK", &flowtableHookAttrs),
	4: u32("NFTA_FLOWTABLE_USE"),
	5: u64("NFTA_FLOWTABLE_HANDLE"),
	6: bin("NFTA_FLOWTABLE_PAD"),
	7: flags32("NFTA_FLOWTABLE_FLAGS", &flowtableFlags),
}}

// Trace events (NFT_MSG_TRACE, multicast group NFNLGRP_NFTRACE).

var traceAttrs = decode.AttrSet{Name: "NFTA_TRACE", BigEndian: true, Attrs: []decode.Attr{
	1:  str("NFTA_TRACE_TABLE"),
	2:  str("NFTA_TRACE_CHAIN"),
	3:  u64("NFTA_TRACE_RULE_HANDLE"),
	4:  enum32("NFTA_TRACE_TYPE", &traceTypes),
	5:  nest("NFTA_TRACE_VERDICT", &verdictAttrs),
	6:  hex32("NFTA_TRACE_ID"),
	7:  bin("NFTA_TRACE_LL_HEADER"),
	8:  bin("NFTA_TRACE_NETWORK_HEADER"),
	9:  bin("NFTA_TRACE_TRANSPORT_HEADER"),
	10: ifindex("NFTA_TRACE_IIF"),
	11: enum16("NFTA_TRACE_IIFTYPE", &ifTypes),
	12: ifindex("NFTA_TRACE_OIF"),
	13: enum16("NFTA_TRACE_OIFTYPE", &ifTypes),
	14: hex32("NFTA_TRACE_MARK"),
	15: nfproto32("NFTA_TRACE_NFPROTO"),
	16: enum32("NFTA_TRACE_POLICY", &verdicts),
	17: bin("NFTA_TRACE_PAD"),
	18: u32("NFTA_TRACE_CT_ID"),
	19: enum8("NFTA_TRACE_CT_DIRECTION", &ctDirections),
	20: flags32("NFTA_TRACE_CT_STATUS", &ctStatus),
	21: flags32("NFTA_TRACE_CT_STATE", &ctStates),
}}

// NFT_COMPAT (nf_tables_compat.h): NFNL_MSG_COMPAT_GET asks whether the
// kernel has an xtables match or target, and at which revision.

var compatAttrs = decode.AttrSet{Name: "NFTA_COMPAT", BigEndian: true, Attrs: []decode.Attr{
	1: str("NFTA_COMPAT_NAME"),
	2: u32("NFTA_COMPAT_REV"),
	3: enum32("NFTA_COMPAT_TYPE", &compatTypes),
}}
