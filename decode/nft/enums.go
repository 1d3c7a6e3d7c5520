package nft

import "github.com/nltrace/nltrace/decode"

// Enums and flag sets of nf_tables.h, named as nft --debug=netlink (libnftnl)
// prints them where it prints them.

// registers names enum nft_registers the way nft prints them: the verdict
// register, the four 16-byte registers NFT_REG_1..4 as "reg 1".."reg 4" and
// the 4-byte registers NFT_REG32_00..15 by their number, "reg 8".."reg 23".
var registers = decode.Enum{Name: "NFT_REG", Names: []string{
	0: "verdict", 1: "reg 1", 2: "reg 2", 3: "reg 3", 4: "reg 4",
	8: "reg 8", 9: "reg 9", 10: "reg 10", 11: "reg 11", 12: "reg 12", 13: "reg 13", 14: "reg 14", 15: "reg 15",
	16: "reg 16", 17: "reg 17", 18: "reg 18", 19: "reg 19", 20: "reg 20", 21: "reg 21", 22: "reg 22", 23: "reg 23",
}}

// verdicts names a verdict code: the netfilter verdicts (NF_DROP ..
// NF_STOP) and nf_tables' own negative ones (enum nft_verdicts), which are
// sent as a big-endian 32-bit two's complement.
var verdicts = decode.Enum{Name: "NFT_VERDICT", Sparse: map[uint64]string{
	0: "drop", 1: "accept", 2: "stolen", 3: "queue", 4: "repeat", 5: "stop",
	0xffffffff: "continue", 0xfffffffe: "break", 0xfffffffd: "jump", 0xfffffffc: "goto", 0xfffffffb: "return",
}}

// chainPolicies is a base chain's policy, NF_DROP or NF_ACCEPT.
var chainPolicies = decode.Enum{Name: "NF_VERDICT", Names: []string{0: "drop", 1: "accept"}}

// Hook numbers depend on the table's family (nfgen_family).
var (
	inetHooks   = decode.Enum{Name: "NF_INET", Names: []string{"prerouting", "input", "forward", "output", "postrouting", "ingress"}}
	bridgeHooks = decode.Enum{Name: "NF_BR", Names: []string{"prerouting", "input", "forward", "output", "postrouting", "brouting"}}
	arpHooks    = decode.Enum{Name: "NF_ARP", Names: []string{"input", "output", "forward"}}
	netdevHooks = decode.Enum{Name: "NF_NETDEV", Names: []string{"ingress", "egress"}}
)

var tableFlags = decode.FlagSet{Name: "NFT_TABLE_F", Bits: []string{"dormant", "owner", "persist"}}

var chainFlags = decode.FlagSet{Name: "NFT_CHAIN", Bits: []string{"base", "hw_offload", "binding"}}

var ruleCompatFlags = decode.FlagSet{Name: "NFT_RULE_COMPAT_F", Bits: []string{"unused", "inv"}}

var setFlags = decode.FlagSet{Name: "NFT_SET", Bits: []string{"anonymous", "constant", "interval", "map", "timeout", "eval", "object", "concat", "expr"}}

var setPolicies = decode.Enum{Name: "NFT_SET_POL", Names: []string{"performance", "memory"}}

var setElemFlags = decode.FlagSet{Name: "NFT_SET_ELEM", Bits: []string{"interval_end", "catchall"}}

// dataTypes names NFTA_SET_DATA_TYPE. Only NFT_DATA_VERDICT means something
// to the kernel; other values are nft's own type numbers, shown as numbers.
var dataTypes = decode.Enum{Name: "NFT_DATA", Open: true, Sparse: map[uint64]string{0xffffff00: "verdict"}}

var objectTypes = decode.Enum{Name: "NFT_OBJECT", Names: []string{
	"unspec", "counter", "quota", "ct helper", "limit", "connlimit", "tunnel", "ct timeout", "secmark", "ct expectation", "synproxy",
}}

var flowtableFlags = decode.FlagSet{Name: "NFT_FLOWTABLE", Bits: []string{"hw_offload", "counter"}}

var cmpOps = decode.Enum{Name: "NFT_CMP", Names: []string{"eq", "neq", "lt", "lte", "gt", "gte"}}

var rangeOps = decode.Enum{Name: "NFT_RANGE", Names: []string{"eq", "neq"}}

var bitwiseOps = decode.Enum{Name: "NFT_BITWISE", Names: []string{"mask_xor", "lshift", "rshift", "and", "or", "xor"}}

var byteorderOps = decode.Enum{Name: "NFT_BYTEORDER", Names: []string{"ntoh", "hton"}}

var lookupFlags = decode.FlagSet{Name: "NFT_LOOKUP_F", Bits: []string{"inv"}}

var dynsetOps = decode.Enum{Name: "NFT_DYNSET_OP", Names: []string{"add", "update", "delete"}}

var dynsetFlags = decode.FlagSet{Name: "NFT_DYNSET_F", Bits: []string{"inv", "expr"}}

var payloadBases = decode.Enum{Name: "NFT_PAYLOAD", Names: []string{"link header", "network header", "transport header", "inner header", "tunnel header"}}

var csumTypes = decode.Enum{Name: "NFT_PAYLOAD_CSUM", Names: []string{"none", "inet", "sctp"}}

var csumFlags = decode.FlagSet{Name: "NFT_PAYLOAD_L4CSUM", Bits: []string{"pseudohdr"}}

var innerTypes = decode.Enum{Name: "NFT_INNER", Names: []string{"unspec", "vxlan", "geneve"}}

var innerFlags = decode.FlagSet{Name: "NFT_INNER", Bits: []string{"hdrsize", "ll", "nh", "th"}}

var exthdrFlags = decode.FlagSet{Name: "NFT_EXTHDR_F", Bits: []string{"present"}}

var exthdrOps = decode.Enum{Name: "NFT_EXTHDR_OP", Names: []string{"ipv6", "tcpopt", "ipv4", "sctp", "dccp"}}

// metaKeys are libnftnl's names for enum nft_meta_keys. Value 36
// (__NFT_META_IIFTYPE) is a placeholder the kernel never accepts.
var metaKeys = decode.Enum{Name: "NFT_META", Names: []string{
	"len", "protocol", "priority", "mark", "iif", "oif", "iifname", "oifname", "iiftype", "oiftype",
	"skuid", "skgid", "nftrace", "rtclassid", "secmark", "nfproto", "l4proto", "bri_iifname", "bri_oifname", "pkttype",
	"cpu", "iifgroup", "oifgroup", "cgroup", "prandom", "secpath", "iifkind", "oifkind", "bri_iifpvid", "bri_iifvproto",
	"time", "day", "hour", "sdif", "sdifname", "broute", "", "bri_iifhwaddr",
}}

var rtKeys = decode.Enum{Name: "NFT_RT", Names: []string{"classid", "nexthop4", "nexthop6", "tcpmss", "xfrm"}}

var hashTypes = decode.Enum{Name: "NFT_HASH", Names: []string{"jhash", "symhash"}}

var socketKeys = decode.Enum{Name: "NFT_SOCKET", Names: []string{"transparent", "mark", "wildcard", "cgroupv2"}}

// ctKeys are libnftnl's names for enum nft_ct_keys.
var ctKeys = decode.Enum{Name: "NFT_CT", Names: []string{
	"state", "direction", "status", "mark", "secmark", "expiration", "helper", "l3protocol", "src", "dst",
	"protocol", "proto_src", "proto_dst", "label", "packets", "bytes", "avgpkt", "zone", "event",
	"src_ip", "dst_ip", "src_ip6", "dst_ip6", "id",
}}

// ctDirections is enum ip_conntrack_dir.
var ctDirections = decode.Enum{Name: "IP_CT_DIR", Names: []string{"original", "reply"}}

// ctStates are the bits of nft's ct state: NF_CT_STATE_INVALID_BIT, then
// 1 << (ip_conntrack_info + 1), and NF_CT_STATE_UNTRACKED_BIT.
var ctStates = decode.FlagSet{Name: "NF_CT_STATE", Bits: []string{0: "invalid", 1: "established", 2: "related", 3: "new", 6: "untracked"}}

// ctStatus is enum ip_conntrack_status (IPS_*_BIT).
var ctStatus = decode.FlagSet{Name: "IPS", Bits: []string{
	"expected", "seen-reply", "assured", "confirmed", "snat", "dnat", "seqadjust", "snat-done", "dnat-done",
	"dying", "fixed-timeout", "template", "untracked", "helper", "offload", "hw-offload",
}}

var limitTypes = decode.Enum{Name: "NFT_LIMIT", Names: []string{"packets", "bytes"}}

var invFlags = decode.FlagSet{Name: "F_INV", Bits: []string{"inv"}}

var logLevels = decode.Enum{Name: "NFT_LOGLEVEL", Names: []string{"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", "audit"}}

// logFlags are NF_LOG_* of linux/netfilter/nf_log.h.
var logFlags = decode.FlagSet{Name: "NF_LOG", Bits: []string{"tcpseq", "tcpopt", "ipopt", "uid", "nflog", "macdecode"}}

var queueFlags = decode.FlagSet{Name: "NFT_QUEUE_FLAG", Bits: []string{"bypass", "fanout"}}

var quotaFlags = decode.FlagSet{Name: "NFT_QUOTA_F", Bits: []string{"inv", "depleted"}}

var rejectTypes = decode.Enum{Name: "NFT_REJECT", Names: []string{"icmp_unreach", "tcp_rst", "icmpx_unreach"}}

var natTypes = decode.Enum{Name: "NFT_NAT", Names: []string{"snat", "dnat"}}

// natFlags are NF_NAT_RANGE_* of linux/netfilter/nf_nat.h.
var natFlags = decode.FlagSet{Name: "NF_NAT_RANGE", Bits: []string{
	"map-ips", "proto-specified", "random", "persistent", "fully-random", "proto-offset", "netmap",
}}

var fibResults = decode.Enum{Name: "NFT_FIB_RESULT", Names: []string{"unspec", "oif", "oifname", "type"}}

var fibFlags = decode.FlagSet{Name: "NFTA_FIB_F", Bits: []string{"saddr", "daddr", "mark", "iif", "oif", "present"}}

var osfFlags = decode.FlagSet{Name: "NFT_OSF_F", Bits: []string{"version"}}

// synproxyFlags are NF_SYNPROXY_OPT_* of linux/netfilter/nf_synproxy.h.
var synproxyFlags = decode.FlagSet{Name: "NF_SYNPROXY_OPT", Bits: []string{"mss", "wscale", "sack-perm", "timestamp", "ecn"}}

var xfrmKeys = decode.Enum{Name: "NFT_XFRM_KEY", Names: []string{"unspec", "daddr_ip4", "daddr_ip6", "saddr_ip4", "saddr_ip6", "reqid", "spi"}}

// xfrmDirs is the direction of an xfrm expression: XFRM_POLICY_IN or OUT.
var xfrmDirs = decode.Enum{Name: "XFRM_POLICY", Names: []string{"in", "out"}}

var traceTypes = decode.Enum{Name: "NFT_TRACETYPE", Names: []string{"unspec", "policy", "return", "rule"}}

var ngTypes = decode.Enum{Name: "NFT_NG", Names: []string{"inc", "random"}}

var tunnelKeys = decode.Enum{Name: "NFT_TUNNEL", Names: []string{"path", "id"}}

var tunnelModes = decode.Enum{Name: "NFT_TUNNEL_MODE", Names: []string{"none", "rx", "tx"}}

var tunnelFlags = decode.FlagSet{Name: "NFT_TUNNEL_F", Bits: []string{"zero-csum-tx", "dont-fragment", "seq-number"}}

// compatTypes says whether NFNL_MSG_COMPAT_GET asks for a match (0) or a
// target (any other value; the kernel tests for non-zero).
var compatTypes = decode.Enum{Name: "NFT_COMPAT_TYPE", Names: []string{"match", "target"}}

// ipProtocols names the layer-4 protocols nf_tables objects take
// (ct helpers, timeouts, expectations); others are shown as numbers.
var ipProtocols = decode.Enum{Name: "IPPROTO", Open: true, Sparse: map[uint64]string{
	1: "icmp", 2: "igmp", 6: "tcp", 17: "udp", 33: "dccp", 41: "ipv6", 47: "gre", 50: "esp", 51: "ah",
	58: "icmpv6", 132: "sctp", 136: "udplite", 255: "raw",
}}

// ifTypes names a traced packet's device type (ARPHRD_* of
// linux/if_arp.h) for the types nf_tables sees on hooks; others are shown
// as numbers.
var ifTypes = decode.Enum{Name: "ARPHRD", Open: true, Sparse: map[uint64]string{
	1: "ether", 32: "infiniband", 280: "can", 512: "ppp", 519: "rawip", 768: "ipip", 769: "tunnel6",
	772: "loopback", 776: "sit", 778: "gre", 801: "ieee802.11", 804: "ieee802.15.4", 823: "gre6",
	824: "netlink", 825: "6lowpan", 0xfffe: "none", 0xffff: "void",
}}
