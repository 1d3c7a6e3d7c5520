package nfct

import (
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/nfnl"
)

// cttimeout (linux/netfilter/nfnetlink_cttimeout.h): timeout policies by
// name, and each L4 protocol's default policy. CTA_TIMEOUT_DATA holds the
// protocol's own set, chosen by the sibling CTA_TIMEOUT_L4PROTO.

func secs(names ...string) []decode.Attr {
	out := make([]decode.Attr, len(names)+1)
	for i, n := range names {
		out[i+1] = decode.Attr{Name: n, Type: decode.BE32, Sem: decode.Seconds}
	}
	return out
}

var (
	timeoutGenericAttrs = decode.AttrSet{Name: "CTA_TIMEOUT_GENERIC", BigEndian: true, Attrs: secs("CTA_TIMEOUT_GENERIC_TIMEOUT")}
	timeoutTCPAttrs     = decode.AttrSet{Name: "CTA_TIMEOUT_TCP", BigEndian: true, Attrs: secs(
		"CTA_TIMEOUT_TCP_SYN_SENT", "CTA_TIMEOUT_TCP_SYN_RECV", "CTA_TIMEOUT_TCP_ESTABLISHED",
		"CTA_TIMEOUT_TCP_FIN_WAIT", "CTA_TIMEOUT_TCP_CLOSE_WAIT", "CTA_TIMEOUT_TCP_LAST_ACK",
		"CTA_TIMEOUT_TCP_TIME_WAIT", "CTA_TIMEOUT_TCP_CLOSE", "CTA_TIMEOUT_TCP_SYN_SENT2",
		"CTA_TIMEOUT_TCP_RETRANS", "CTA_TIMEOUT_TCP_UNACK")}
	timeoutUDPAttrs     = decode.AttrSet{Name: "CTA_TIMEOUT_UDP", BigEndian: true, Attrs: secs("CTA_TIMEOUT_UDP_UNREPLIED", "CTA_TIMEOUT_UDP_REPLIED")}
	timeoutUDPLiteAttrs = decode.AttrSet{Name: "CTA_TIMEOUT_UDPLITE", BigEndian: true, Attrs: secs("CTA_TIMEOUT_UDPLITE_UNREPLIED", "CTA_TIMEOUT_UDPLITE_REPLIED")}
	timeoutICMPAttrs    = decode.AttrSet{Name: "CTA_TIMEOUT_ICMP", BigEndian: true, Attrs: secs("CTA_TIMEOUT_ICMP_TIMEOUT")}
	timeoutDCCPAttrs    = decode.AttrSet{Name: "CTA_TIMEOUT_DCCP", BigEndian: true, Attrs: secs(
		"CTA_TIMEOUT_DCCP_REQUEST", "CTA_TIMEOUT_DCCP_RESPOND", "CTA_TIMEOUT_DCCP_PARTOPEN",
		"CTA_TIMEOUT_DCCP_OPEN", "CTA_TIMEOUT_DCCP_CLOSEREQ", "CTA_TIMEOUT_DCCP_CLOSING",
		"CTA_TIMEOUT_DCCP_TIMEWAIT")}
	timeoutSCTPAttrs = decode.AttrSet{Name: "CTA_TIMEOUT_SCTP", BigEndian: true, Attrs: secs(
		"CTA_TIMEOUT_SCTP_CLOSED", "CTA_TIMEOUT_SCTP_COOKIE_WAIT", "CTA_TIMEOUT_SCTP_COOKIE_ECHOED",
		"CTA_TIMEOUT_SCTP_ESTABLISHED", "CTA_TIMEOUT_SCTP_SHUTDOWN_SENT", "CTA_TIMEOUT_SCTP_SHUTDOWN_RECD",
		"CTA_TIMEOUT_SCTP_SHUTDOWN_ACK_SENT", "CTA_TIMEOUT_SCTP_HEARTBEAT_SENT", "CTA_TIMEOUT_SCTP_HEARTBEAT_ACKED")}
	timeoutICMPv6Attrs = decode.AttrSet{Name: "CTA_TIMEOUT_ICMPV6", BigEndian: true, Attrs: secs("CTA_TIMEOUT_ICMPV6_TIMEOUT")}
	timeoutGREAttrs    = decode.AttrSet{Name: "CTA_TIMEOUT_GRE", BigEndian: true, Attrs: secs("CTA_TIMEOUT_GRE_UNREPLIED", "CTA_TIMEOUT_GRE_REPLIED")}
)

// timeoutData picks the L4 protocol's set; any protocol conntrack tracks
// only generically uses the generic set.
func timeoutData(s decode.Scope) *decode.AttrSet {
	p, ok := s.Sibling(3) // CTA_TIMEOUT_L4PROTO
	if !ok || len(p) != 1 {
		return nil
	}
	switch p[0] {
	case 6:
		return &timeoutTCPAttrs
	case 17:
		return &timeoutUDPAttrs
	case 136:
		return &timeoutUDPLiteAttrs
	case 1:
		return &timeoutICMPAttrs
	case 33:
		return &timeoutDCCPAttrs
	case 132:
		return &timeoutSCTPAttrs
	case 58:
		return &timeoutICMPv6Attrs
	case 47:
		return &timeoutGREAttrs
	}
	return &timeoutGenericAttrs
}

var timeoutAttrs = decode.AttrSet{Name: "CTA_TIMEOUT", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "CTA_TIMEOUT_NAME", Type: decode.String},
	2: {Name: "CTA_TIMEOUT_L3PROTO", Type: decode.BE16, Sem: decode.EnumValue, Enum: &l3Names},
	3: {Name: "CTA_TIMEOUT_L4PROTO", Type: decode.U8, Sem: decode.EnumValue, Enum: &protoNames},
	4: {Name: "CTA_TIMEOUT_DATA", Type: decode.Nest, Select: timeoutData},
	5: {Name: "CTA_TIMEOUT_USE", Type: decode.BE32},
}}

var timeout = nfnl.Subsystem{ID: nfnl.SubsysCtnetlinkTimeout, Name: "cttimeout", Types: []decode.MessageType{
	0: {Name: "IPCTNL_MSG_TIMEOUT_NEW", Op: decode.OpNew, Header: hdr, Attrs: &timeoutAttrs},
	1: {Name: "IPCTNL_MSG_TIMEOUT_GET", Op: decode.OpGet, Header: hdr, Attrs: &timeoutAttrs},
	2: {Name: "IPCTNL_MSG_TIMEOUT_DELETE", Op: decode.OpDel, Header: hdr, Attrs: &timeoutAttrs},
	3: {Name: "IPCTNL_MSG_TIMEOUT_DEFAULT_SET", Op: decode.OpSet, Header: hdr, Attrs: &timeoutAttrs},
	4: {Name: "IPCTNL_MSG_TIMEOUT_DEFAULT_GET", Op: decode.OpGet, Header: hdr, Attrs: &timeoutAttrs},
}}

// cthelper (linux/netfilter/nfnetlink_cthelper.h): helpers in user space.

var cthelperTupleAttrs = decode.AttrSet{Name: "NFCTH_TUPLE", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFCTH_TUPLE_L3PROTONUM", Type: decode.BE16, Sem: decode.EnumValue, Enum: &l3Names},
	2: {Name: "NFCTH_TUPLE_L4PROTONUM", Type: decode.U8, Sem: decode.EnumValue, Enum: &protoNames},
}}

var cthelperPolicyAttrs = decode.AttrSet{Name: "NFCTH_POLICY", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFCTH_POLICY_NAME", Type: decode.String},
	2: {Name: "NFCTH_POLICY_EXPECT_MAX", Type: decode.BE32},
	3: {Name: "NFCTH_POLICY_EXPECT_TIMEOUT", Type: decode.BE32, Sem: decode.Seconds},
}}

var cthelperPolicySetAttrs = decode.AttrSet{Name: "NFCTH_POLICY_SET", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFCTH_POLICY_SET_NUM", Type: decode.BE32},
	2: {Name: "NFCTH_POLICY_SET1", Type: decode.Nest, Nest: &cthelperPolicyAttrs},
	3: {Name: "NFCTH_POLICY_SET2", Type: decode.Nest, Nest: &cthelperPolicyAttrs},
	4: {Name: "NFCTH_POLICY_SET3", Type: decode.Nest, Nest: &cthelperPolicyAttrs},
	5: {Name: "NFCTH_POLICY_SET4", Type: decode.Nest, Nest: &cthelperPolicyAttrs},
}}

var cthelperStatus = decode.Enum{Name: "NFCT_HELPER_STATUS", Names: []string{"DISABLED", "ENABLED"}}

var cthelperAttrs = decode.AttrSet{Name: "NFCTH", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFCTH_NAME", Type: decode.String},
	2: {Name: "NFCTH_TUPLE", Type: decode.Nest, Nest: &cthelperTupleAttrs},
	3: {Name: "NFCTH_QUEUE_NUM", Type: decode.BE32},
	4: {Name: "NFCTH_POLICY", Type: decode.Nest, Nest: &cthelperPolicySetAttrs},
	5: {Name: "NFCTH_PRIV_DATA_LEN", Type: decode.BE32},
	6: {Name: "NFCTH_STATUS", Type: decode.BE32, Sem: decode.EnumValue, Enum: &cthelperStatus},
}}

var cthelper = nfnl.Subsystem{ID: nfnl.SubsysCthelper, Name: "cthelper", Types: []decode.MessageType{
	0: {Name: "NFNL_MSG_CTHELPER_NEW", Op: decode.OpNew, Header: hdr, Attrs: &cthelperAttrs},
	1: {Name: "NFNL_MSG_CTHELPER_GET", Op: decode.OpGet, Header: hdr, Attrs: &cthelperAttrs},
	2: {Name: "NFNL_MSG_CTHELPER_DEL", Op: decode.OpDel, Header: hdr, Attrs: &cthelperAttrs},
}}

// nfacct (linux/netfilter/nfnetlink_acct.h): named packet and byte
// counters with optional quotas.

var acctFlags = decode.FlagSet{Name: "NFACCT_F", Bits: []string{"QUOTA_PKTS", "QUOTA_BYTES", "OVERQUOTA"}}

var acctFilterAttrs = decode.AttrSet{Name: "NFACCT_FILTER", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFACCT_FILTER_MASK", Type: decode.BE32, Sem: decode.FlagBits, Flags: &acctFlags},
	2: {Name: "NFACCT_FILTER_VALUE", Type: decode.BE32, Sem: decode.FlagBits, Flags: &acctFlags},
}}

var acctAttrs = decode.AttrSet{Name: "NFACCT", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFACCT_NAME", Type: decode.String},
	2: {Name: "NFACCT_PKTS", Type: decode.BE64},
	3: {Name: "NFACCT_BYTES", Type: decode.BE64, Sem: decode.Bytes},
	4: {Name: "NFACCT_USE", Type: decode.BE32},
	5: {Name: "NFACCT_FLAGS", Type: decode.BE32, Sem: decode.FlagBits, Flags: &acctFlags},
	6: {Name: "NFACCT_QUOTA", Type: decode.BE64},
	7: {Name: "NFACCT_FILTER", Type: decode.Nest, Nest: &acctFilterAttrs},
	8: {Name: "NFACCT_PAD", Type: decode.Binary},
}}

var acct = nfnl.Subsystem{ID: nfnl.SubsysAcct, Name: "nfacct", Types: []decode.MessageType{
	0: {Name: "NFNL_MSG_ACCT_NEW", Op: decode.OpNew, Header: hdr, Attrs: &acctAttrs},
	1: {Name: "NFNL_MSG_ACCT_GET", Op: decode.OpGet, Header: hdr, Attrs: &acctAttrs},
	2: {Name: "NFNL_MSG_ACCT_GET_CTRZERO", Op: decode.OpGet, Header: hdr, Attrs: &acctAttrs},
	3: {Name: "NFNL_MSG_ACCT_DEL", Op: decode.OpDel, Header: hdr, Attrs: &acctAttrs},
	4: {Name: "NFNL_MSG_ACCT_OVERQUOTA", Header: hdr, Attrs: &acctAttrs},
}}
