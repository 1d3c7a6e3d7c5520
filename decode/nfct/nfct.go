package nfct

import (
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/nfnl"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// Subsystems returns the message tables of every subsystem this package
// decodes, for nfnl.Family.
func Subsystems() []*nfnl.Subsystem {
	return []*nfnl.Subsystem{&ctnetlink, &ctnetlinkExp, &queue, &ulog, &osf, &ipset, &acct, &timeout, &cthelper, &hook}
}

// protoNames names IP protocol numbers as conntrack(8) prints them.
var protoNames = decode.Enum{Name: "IPPROTO", Open: true, Names: []string{
	0: "ip", 1: "icmp", 2: "igmp", 4: "ipip", 6: "tcp", 17: "udp", 33: "dccp", 41: "ipv6",
	47: "gre", 50: "esp", 51: "ah", 58: "icmpv6", 103: "pim", 132: "sctp", 136: "udplite", 255: "raw",
}}

// l3Names names the address family numbers some subsystems carry as a
// 16-bit attribute (cttimeout's and cthelper's L3 protocol).
var l3Names = nfnl.Families

// hookNames names the netfilter hooks of the inet families
// (NF_INET_*), as nflog and nfqueue packet headers and the hook dump carry
// them. The netdev family numbers its two hooks 0 and 1 (ingress, egress),
// which these names do not cover, so the enum is open.
var hookNames = decode.Enum{Name: "NF_INET", Open: true, Names: []string{
	"PRE_ROUTING", "LOCAL_IN", "FORWARD", "LOCAL_OUT", "POST_ROUTING", "INGRESS",
}}

// netdevHookNames names the hooks of the netdev family (NF_NETDEV_*).
var netdevHookNames = decode.Enum{Name: "NF_NETDEV", Open: true, Names: []string{"INGRESS", "EGRESS"}}

// byFamily returns a message body that decodes the attributes with inet,
// or with netdev when the nfgenmsg says the netdev family, whose hooks are
// numbered differently.
func byFamily(inet, netdev *decode.AttrSet) func(b *decode.Builder, payload []byte, off int) {
	return func(b *decode.Builder, payload []byte, off int) {
		at := client.Align(nfnl.HeaderLen)
		if len(payload) < at {
			return
		}
		set := inet
		if payload[0] == unix.NFPROTO_NETDEV {
			set = netdev
		}
		b.Attrs(set, payload[at:], off+at)
	}
}

// ctinfoNames names enum ip_conntrack_info (NFULA_CT_INFO, NFQA_CT_INFO).
var ctinfoNames = decode.Enum{Name: "ip_conntrack_info", Names: []string{
	0: "IP_CT_ESTABLISHED", 1: "IP_CT_RELATED", 2: "IP_CT_NEW", 3: "IP_CT_ESTABLISHED_REPLY",
	4: "IP_CT_RELATED_REPLY", 5: "IP_CT_NEW_REPLY", 7: "IP_CT_UNTRACKED",
}}

// hdr is the nfgenmsg every subsystem's messages start with.
var hdr = &nfnl.Header
