package nft

import (
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
)

// An expression is NFTA_EXPR_NAME and NFTA_EXPR_DATA; the data's attribute
// set is the named expression's own (enum nft_<name>_attributes).

var exprAttrs = decode.AttrSet{Name: "NFTA_EXPR", BigEndian: true, Attrs: []decode.Attr{
	1: str("NFTA_EXPR_NAME"),
	2: {Name: "NFTA_EXPR_DATA", Type: decode.Nest, Select: exprData},
}}

// exprListAttrs is a list of expressions: a rule's NFTA_RULE_EXPRESSIONS,
// and the NFTA_*_EXPRESSIONS of sets, elements and dynset.
var exprListAttrs = decode.AttrSet{Name: "NFTA_LIST", BigEndian: true, Attrs: []decode.Attr{
	1: nest("NFTA_LIST_ELEM", &exprAttrs),
}}

// exprData returns the attribute set of an expression by its name, as the
// kernel registers them (struct nft_expr_type .name). An unknown name shows
// the data as bytes.
func exprData(s decode.Scope) *decode.AttrSet {
	switch string(s.SiblingText(1)) { // NFTA_EXPR_NAME
	case "immediate":
		return &immediateAttrs
	case "cmp":
		return &cmpAttrs
	case "payload":
		return &payloadAttrs
	case "meta":
		return &metaAttrs
	case "bitwise":
		return &bitwiseAttrs
	case "byteorder":
		return &byteorderAttrs
	case "lookup":
		return &lookupAttrs
	case "dynset":
		return &dynsetAttrs
	case "range":
		return &rangeAttrs
	case "counter":
		return &counterAttrs
	case "ct":
		return &ctAttrs
	case "nat":
		return &natAttrs
	case "masq":
		return &masqAttrs
	case "redir":
		return &redirAttrs
	case "log":
		return &logAttrs
	case "limit":
		return &limitAttrs
	case "quota":
		return &quotaAttrs
	case "reject":
		return rejectData(s)
	case "queue":
		return &queueAttrs
	case "fib":
		return &fibAttrs
	case "socket":
		return &socketAttrs
	case "tproxy":
		return &tproxyAttrs
	case "xfrm":
		return &xfrmAttrs
	case "osf":
		return &osfAttrs
	case "synproxy":
		return &synproxyAttrs
	case "tunnel":
		return &tunnelAttrs
	case "hash":
		return &hashAttrs
	case "numgen":
		return &numgenAttrs
	case "rt":
		return &rtAttrs
	case "exthdr":
		return &exthdrAttrs
	case "objref":
		return &objrefAttrs
	case "connlimit":
		return &connlimitAttrs
	case "fwd":
		return &fwdAttrs
	case "dup":
		return &dupAttrs
	case "last":
		return &lastAttrs
	case "inner":
		return &innerAttrs
	case "flow_offload":
		return &flowOffloadAttrs
	case "match":
		return &matchAttrs
	case "target":
		return &targetAttrs
	}
	// notrack has no data; anything else is a kernel this table predates.
	return nil
}

var immediateAttrs = decode.AttrSet{Name: "NFTA_IMMEDIATE", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_IMMEDIATE_DREG"),
	2: nest("NFTA_IMMEDIATE_DATA", &dataAttrs),
}}

var cmpAttrs = decode.AttrSet{Name: "NFTA_CMP", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_CMP_SREG"),
	2: enum32("NFTA_CMP_OP", &cmpOps),
	3: nest("NFTA_CMP_DATA", &dataAttrs),
}}

var rangeAttrs = decode.AttrSet{Name: "NFTA_RANGE", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_RANGE_SREG"),
	2: enum32("NFTA_RANGE_OP", &rangeOps),
	3: nest("NFTA_RANGE_FROM_DATA", &dataAttrs),
	4: nest("NFTA_RANGE_TO_DATA", &dataAttrs),
}}

var payloadAttrs = decode.AttrSet{Name: "NFTA_PAYLOAD", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_PAYLOAD_DREG"),
	2: enum32("NFTA_PAYLOAD_BASE", &payloadBases),
	3: u32("NFTA_PAYLOAD_OFFSET"),
	4: u32("NFTA_PAYLOAD_LEN"),
	5: reg("NFTA_PAYLOAD_SREG"),
	6: enum32("NFTA_PAYLOAD_CSUM_TYPE", &csumTypes),
	7: u32("NFTA_PAYLOAD_CSUM_OFFSET"),
	8: flags32("NFTA_PAYLOAD_CSUM_FLAGS", &csumFlags),
}}

var metaAttrs = decode.AttrSet{Name: "NFTA_META", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_META_DREG"),
	2: enum32("NFTA_META_KEY", &metaKeys),
	3: reg("NFTA_META_SREG"),
}}

var bitwiseAttrs = decode.AttrSet{Name: "NFTA_BITWISE", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_BITWISE_SREG"),
	2: reg("NFTA_BITWISE_DREG"),
	3: u32("NFTA_BITWISE_LEN"),
	4: nest("NFTA_BITWISE_MASK", &dataAttrs),
	5: nest("NFTA_BITWISE_XOR", &dataAttrs),
	6: enum32("NFTA_BITWISE_OP", &bitwiseOps),
	7: nest("NFTA_BITWISE_DATA", &dataAttrs),
	8: reg("NFTA_BITWISE_SREG2"),
}}

var byteorderAttrs = decode.AttrSet{Name: "NFTA_BYTEORDER", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_BYTEORDER_SREG"),
	2: reg("NFTA_BYTEORDER_DREG"),
	3: enum32("NFTA_BYTEORDER_OP", &byteorderOps),
	4: u32("NFTA_BYTEORDER_LEN"),
	5: u32("NFTA_BYTEORDER_SIZE"),
}}

var lookupAttrs = decode.AttrSet{Name: "NFTA_LOOKUP", BigEndian: true, Attrs: []decode.Attr{
	1: str("NFTA_LOOKUP_SET"),
	2: reg("NFTA_LOOKUP_SREG"),
	3: reg("NFTA_LOOKUP_DREG"),
	4: u32("NFTA_LOOKUP_SET_ID"),
	5: flags32("NFTA_LOOKUP_FLAGS", &lookupFlags),
}}

// dynsetAttrs' NFTA_DYNSET_EXPR and NFTA_DYNSET_EXPRESSIONS hold
// expressions; init links them to exprAttrs, which a literal cannot do
// without an initialization cycle.
var dynsetAttrs = decode.AttrSet{Name: "NFTA_DYNSET", BigEndian: true, Attrs: []decode.Attr{
	1:  str("NFTA_DYNSET_SET_NAME"),
	2:  u32("NFTA_DYNSET_SET_ID"),
	3:  enum32("NFTA_DYNSET_OP", &dynsetOps),
	4:  reg("NFTA_DYNSET_SREG_KEY"),
	5:  reg("NFTA_DYNSET_SREG_DATA"),
	6:  millis64("NFTA_DYNSET_TIMEOUT"),
	7:  {Name: "NFTA_DYNSET_EXPR", Type: decode.Nest},
	8:  bin("NFTA_DYNSET_PAD"),
	9:  flags32("NFTA_DYNSET_FLAGS", &dynsetFlags),
	10: {Name: "NFTA_DYNSET_EXPRESSIONS", Type: decode.Nest},
}}

var ctAttrs = decode.AttrSet{Name: "NFTA_CT", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_CT_DREG"),
	2: enum32("NFTA_CT_KEY", &ctKeys),
	3: enum8("NFTA_CT_DIRECTION", &ctDirections),
	4: reg("NFTA_CT_SREG"),
}}

var natAttrs = decode.AttrSet{Name: "NFTA_NAT", BigEndian: true, Attrs: []decode.Attr{
	1: enum32("NFTA_NAT_TYPE", &natTypes),
	2: nfproto32("NFTA_NAT_FAMILY"),
	3: reg("NFTA_NAT_REG_ADDR_MIN"),
	4: reg("NFTA_NAT_REG_ADDR_MAX"),
	5: reg("NFTA_NAT_REG_PROTO_MIN"),
	6: reg("NFTA_NAT_REG_PROTO_MAX"),
	7: flags32("NFTA_NAT_FLAGS", &natFlags),
}}

var masqAttrs = decode.AttrSet{Name: "NFTA_MASQ", BigEndian: true, Attrs: []decode.Attr{
	1: flags32("NFTA_MASQ_FLAGS", &natFlags),
	2: reg("NFTA_MASQ_REG_PROTO_MIN"),
	3: reg("NFTA_MASQ_REG_PROTO_MAX"),
}}

var redirAttrs = decode.AttrSet{Name: "NFTA_REDIR", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_REDIR_REG_PROTO_MIN"),
	2: reg("NFTA_REDIR_REG_PROTO_MAX"),
	3: flags32("NFTA_REDIR_FLAGS", &natFlags),
}}

var logAttrs = decode.AttrSet{Name: "NFTA_LOG", BigEndian: true, Attrs: []decode.Attr{
	1: u16("NFTA_LOG_GROUP"),
	2: str("NFTA_LOG_PREFIX"),
	3: u32("NFTA_LOG_SNAPLEN"),
	4: u16("NFTA_LOG_QTHRESHOLD"),
	5: enum32("NFTA_LOG_LEVEL", &logLevels),
	6: flags32("NFTA_LOG_FLAGS", &logFlags),
}}

// limitAttrs is the limit expression and the limit object. The rate is
// tokens per NFTA_LIMIT_UNIT seconds.
var limitAttrs = decode.AttrSet{Name: "NFTA_LIMIT", BigEndian: true, Attrs: []decode.Attr{
	1: u64("NFTA_LIMIT_RATE"),
	2: {Name: "NFTA_LIMIT_UNIT", Type: decode.U64, Sem: decode.Seconds},
	3: u32("NFTA_LIMIT_BURST"),
	4: enum32("NFTA_LIMIT_TYPE", &limitTypes),
	5: flags32("NFTA_LIMIT_FLAGS", &invFlags),
	6: bin("NFTA_LIMIT_PAD"),
}}

var quotaAttrs = decode.AttrSet{Name: "NFTA_QUOTA", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFTA_QUOTA_BYTES", Type: decode.U64, Sem: decode.Bytes},
	2: flags32("NFTA_QUOTA_FLAGS", &quotaFlags),
	3: bin("NFTA_QUOTA_PAD"),
	4: {Name: "NFTA_QUOTA_CONSUMED", Type: decode.U64, Sem: decode.Bytes},
}}

var connlimitAttrs = decode.AttrSet{Name: "NFTA_CONNLIMIT", BigEndian: true, Attrs: []decode.Attr{
	1: u32("NFTA_CONNLIMIT_COUNT"),
	2: flags32("NFTA_CONNLIMIT_FLAGS", &invFlags),
}}

var lastAttrs = decode.AttrSet{Name: "NFTA_LAST", BigEndian: true, Attrs: []decode.Attr{
	1: u32("NFTA_LAST_SET"),
	2: millis64("NFTA_LAST_MSECS"),
	3: bin("NFTA_LAST_PAD"),
}}

// rejectAttrs returns the reject set whose ICMP code is named by codes.
func rejectAttrs(codes *decode.Enum) decode.AttrSet {
	return decode.AttrSet{Name: "NFTA_REJECT", BigEndian: true, Attrs: []decode.Attr{
		1: enum32("NFTA_REJECT_TYPE", &rejectTypes),
		2: {Name: "NFTA_REJECT_ICMP_CODE", Type: decode.U8, Sem: decode.EnumValue, Enum: codes},
	}}
}

// The code's meaning depends on the reject type and, for ICMP, on the
// table's family (nft names them as below).
var (
	icmpxCodes = decode.Enum{Name: "NFT_REJECT_ICMPX", Names: []string{"no-route", "port-unreachable", "host-unreachable", "admin-prohibited"}}
	icmpCodes  = decode.Enum{Name: "ICMP_UNREACH", Open: true, Sparse: map[uint64]string{
		0: "net-unreachable", 1: "host-unreachable", 2: "prot-unreachable", 3: "port-unreachable",
		9: "net-prohibited", 10: "host-prohibited", 13: "admin-prohibited",
	}}
	icmpv6Codes = decode.Enum{Name: "ICMPV6_DEST_UNREACH", Open: true, Names: []string{
		0: "no-route", 1: "admin-prohibited", 3: "addr-unreachable", 4: "port-unreachable", 5: "policy-fail", 6: "reject-route",
	}}
	// An ICMP code in an inet, bridge or netdev table is ICMP or ICMPv6
	// by the packet, which the rule does not say: shown as a number.
	anyCodes = decode.Enum{Name: "ICMP_CODE", Open: true}

	rejectICMPxAttrs  = rejectAttrs(&icmpxCodes)
	rejectICMPAttrs   = rejectAttrs(&icmpCodes)
	rejectICMPv6Attrs = rejectAttrs(&icmpv6Codes)
	rejectAnyAttrs    = rejectAttrs(&anyCodes)
)

// rejectData chooses the reject set by the NFTA_REJECT_TYPE inside the
// expression's data and the message's family.
func rejectData(s decode.Scope) *decode.AttrSet {
	data, _ := s.Sibling(2) // NFTA_EXPR_DATA
	var d client.AttributeDecoder
	d.Reset(data, 0)
	for d.Next() {
		if d.Type() != 1 || d.Len() != 4 { // NFTA_REJECT_TYPE
			continue
		}
		b := d.Bytes()
		switch uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]) {
		case 2: // NFT_REJECT_ICMPX_UNREACH
			return &rejectICMPxAttrs
		case 0: // NFT_REJECT_ICMP_UNREACH
			switch f, _ := s.Family(); f {
			case 2: // NFPROTO_IPV4
				return &rejectICMPAttrs
			case 10: // NFPROTO_IPV6
				return &rejectICMPv6Attrs
			}
		}
	}
	return &rejectAnyAttrs
}

var queueAttrs = decode.AttrSet{Name: "NFTA_QUEUE", BigEndian: true, Attrs: []decode.Attr{
	1: u16("NFTA_QUEUE_NUM"),
	2: u16("NFTA_QUEUE_TOTAL"),
	3: flags16("NFTA_QUEUE_FLAGS", &queueFlags),
	4: reg("NFTA_QUEUE_SREG_QNUM"),
}}

var fibAttrs = decode.AttrSet{Name: "NFTA_FIB", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_FIB_DREG"),
	2: enum32("NFTA_FIB_RESULT", &fibResults),
	3: flags32("NFTA_FIB_FLAGS", &fibFlags),
}}

var socketAttrs = decode.AttrSet{Name: "NFTA_SOCKET", BigEndian: true, Attrs: []decode.Attr{
	1: enum32("NFTA_SOCKET_KEY", &socketKeys),
	2: reg("NFTA_SOCKET_DREG"),
	3: u32("NFTA_SOCKET_LEVEL"),
}}

var tproxyAttrs = decode.AttrSet{Name: "NFTA_TPROXY", BigEndian: true, Attrs: []decode.Attr{
	1: nfproto32("NFTA_TPROXY_FAMILY"),
	2: reg("NFTA_TPROXY_REG_ADDR"),
	3: reg("NFTA_TPROXY_REG_PORT"),
}}

var xfrmAttrs = decode.AttrSet{Name: "NFTA_XFRM", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_XFRM_DREG"),
	2: enum32("NFTA_XFRM_KEY", &xfrmKeys),
	3: enum8("NFTA_XFRM_DIR", &xfrmDirs),
	4: u32("NFTA_XFRM_SPNUM"),
}}

var osfAttrs = decode.AttrSet{Name: "NFTA_OSF", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_OSF_DREG"),
	2: u8("NFTA_OSF_TTL"),
	3: flags32("NFTA_OSF_FLAGS", &osfFlags),
}}

// synproxyAttrs is the synproxy expression and the synproxy object.
var synproxyAttrs = decode.AttrSet{Name: "NFTA_SYNPROXY", BigEndian: true, Attrs: []decode.Attr{
	1: u16("NFTA_SYNPROXY_MSS"),
	2: u8("NFTA_SYNPROXY_WSCALE"),
	3: flags32("NFTA_SYNPROXY_FLAGS", &synproxyFlags),
}}

var tunnelAttrs = decode.AttrSet{Name: "NFTA_TUNNEL", BigEndian: true, Attrs: []decode.Attr{
	1: enum32("NFTA_TUNNEL_KEY", &tunnelKeys),
	2: reg("NFTA_TUNNEL_DREG"),
	3: enum32("NFTA_TUNNEL_MODE", &tunnelModes),
}}

var hashAttrs = decode.AttrSet{Name: "NFTA_HASH", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_HASH_SREG"),
	2: reg("NFTA_HASH_DREG"),
	3: u32("NFTA_HASH_LEN"),
	4: u32("NFTA_HASH_MODULUS"),
	5: hex32("NFTA_HASH_SEED"),
	6: u32("NFTA_HASH_OFFSET"),
	7: enum32("NFTA_HASH_TYPE", &hashTypes),
	8: str("NFTA_HASH_SET_NAME"),
	9: u32("NFTA_HASH_SET_ID"),
}}

var numgenAttrs = decode.AttrSet{Name: "NFTA_NG", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_NG_DREG"),
	2: u32("NFTA_NG_MODULUS"),
	3: enum32("NFTA_NG_TYPE", &ngTypes),
	4: u32("NFTA_NG_OFFSET"),
	5: str("NFTA_NG_SET_NAME"),
	6: u32("NFTA_NG_SET_ID"),
}}

var rtAttrs = decode.AttrSet{Name: "NFTA_RT", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_RT_DREG"),
	2: enum32("NFTA_RT_KEY", &rtKeys),
}}

var exthdrAttrs = decode.AttrSet{Name: "NFTA_EXTHDR", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_EXTHDR_DREG"),
	2: u8("NFTA_EXTHDR_TYPE"),
	3: u32("NFTA_EXTHDR_OFFSET"),
	4: u32("NFTA_EXTHDR_LEN"),
	5: flags32("NFTA_EXTHDR_FLAGS", &exthdrFlags),
	6: enum32("NFTA_EXTHDR_OP", &exthdrOps),
	7: reg("NFTA_EXTHDR_SREG"),
}}

var objrefAttrs = decode.AttrSet{Name: "NFTA_OBJREF", BigEndian: true, Attrs: []decode.Attr{
	1: enum32("NFTA_OBJREF_IMM_TYPE", &objectTypes),
	2: str("NFTA_OBJREF_IMM_NAME"),
	3: reg("NFTA_OBJREF_SET_SREG"),
	4: str("NFTA_OBJREF_SET_NAME"),
	5: u32("NFTA_OBJREF_SET_ID"),
}}

var fwdAttrs = decode.AttrSet{Name: "NFTA_FWD", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_FWD_SREG_DEV"),
	2: reg("NFTA_FWD_SREG_ADDR"),
	3: nfproto32("NFTA_FWD_NFPROTO"),
}}

var dupAttrs = decode.AttrSet{Name: "NFTA_DUP", BigEndian: true, Attrs: []decode.Attr{
	1: reg("NFTA_DUP_SREG_ADDR"),
	2: reg("NFTA_DUP_SREG_DEV"),
}}

// innerAttrs' NFTA_INNER_EXPR is linked to exprAttrs by init, as dynset's.
var innerAttrs = decode.AttrSet{Name: "NFTA_INNER", BigEndian: true, Attrs: []decode.Attr{
	1: u32("NFTA_INNER_NUM"),
	2: enum32("NFTA_INNER_TYPE", &innerTypes),
	3: flags32("NFTA_INNER_FLAGS", &innerFlags),
	4: u32("NFTA_INNER_HDRSIZE"),
	5: {Name: "NFTA_INNER_EXPR", Type: decode.Nest},
}}

var flowOffloadAttrs = decode.AttrSet{Name: "NFTA_FLOW", BigEndian: true, Attrs: []decode.Attr{
	1: str("NFTA_FLOW_TABLE_NAME"),
}}

// nft_compat: an xtables match or target inside a rule (iptables-nft). The
// info is the xtables module's own struct, shown as bytes.

var matchAttrs = decode.AttrSet{Name: "NFTA_MATCH", BigEndian: true, Attrs: []decode.Attr{
	1: str("NFTA_MATCH_NAME"),
	2: u32("NFTA_MATCH_REV"),
	3: bin("NFTA_MATCH_INFO"),
}}

var targetAttrs = decode.AttrSet{Name: "NFTA_TARGET", BigEndian: true, Attrs: []decode.Attr{
	1: str("NFTA_TARGET_NAME"),
	2: u32("NFTA_TARGET_REV"),
	3: bin("NFTA_TARGET_INFO"),
}}

func init() {
	// Expressions nest expressions (dynset, inner); a package-level
	// literal cannot refer back to exprAttrs, whose Select reaches these
	// sets, so the links are made here, once, before any decoding.
	dynsetAttrs.Attrs[7].Nest = &exprAttrs
	dynsetAttrs.Attrs[10].Nest = &exprListAttrs
	innerAttrs.Attrs[5].Nest = &exprAttrs
}
