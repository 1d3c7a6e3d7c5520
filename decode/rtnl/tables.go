// Attribute sets, enums and flag sets generated from the kernel uapi headers
// in /usr/include/linux, with value types and meanings added by hand.

package rtnl

import "github.com/nltrace/nltrace/decode"

var routeTypes = decode.Enum{Name: "RTN", Names: []string{
	0:  "unspec",
	1:  "unicast",
	2:  "local",
	3:  "broadcast",
	4:  "anycast",
	5:  "multicast",
	6:  "blackhole",
	7:  "unreachable",
	8:  "prohibit",
	9:  "throw",
	10: "nat",
	11: "xresolve",
}}

var frActions = decode.Enum{Name: "FR_ACT", Names: []string{
	1: "to_tbl",
	2: "goto",
	3: "nop",
	6: "blackhole",
	7: "unreachable",
	8: "prohibit",
}}

var encapTypes = decode.Enum{Name: "LWTUNNEL_ENCAP", Names: []string{
	0:  "none",
	1:  "mpls",
	2:  "ip",
	3:  "ila",
	4:  "ip6",
	5:  "seg6",
	6:  "bpf",
	7:  "seg6_local",
	8:  "rpl",
	9:  "ioam6",
	10: "xfrm",
}}

var operStates = decode.Enum{Name: "IF_OPER", Names: []string{
	0: "UNKNOWN",
	1: "NOTPRESENT",
	2: "DOWN",
	3: "LOWERLAYERDOWN",
	4: "TESTING",
	5: "DORMANT",
	6: "UP",
}}

var linkModes = decode.Enum{Name: "IF_LINK_MODE", Names: []string{
	0: "DEFAULT",
	1: "DORMANT",
	2: "TESTING",
}}

var arphrdTypes = decode.Enum{Name: "ARPHRD", Sparse: map[uint64]string{
	0:     "netrom",
	1:     "ether",
	2:     "eether",
	3:     "ax25",
	4:     "pronet",
	5:     "chaos",
	6:     "ieee802",
	7:     "arcnet",
	8:     "appletlk",
	15:    "dlci",
	19:    "atm",
	23:    "metricom",
	24:    "ieee1394",
	27:    "eui64",
	32:    "infiniband",
	256:   "slip",
	257:   "cslip",
	258:   "slip6",
	259:   "cslip6",
	260:   "rsrvd",
	264:   "adapt",
	270:   "rose",
	271:   "x25",
	272:   "hwx25",
	280:   "can",
	290:   "mctp",
	512:   "ppp",
	513:   "cisco",
	516:   "lapb",
	517:   "ddcmp",
	518:   "rawhdlc",
	519:   "rawip",
	768:   "tunnel",
	769:   "tunnel6",
	770:   "frad",
	771:   "skip",
	772:   "loopback",
	773:   "localtlk",
	774:   "fddi",
	775:   "bif",
	776:   "sit",
	777:   "ipddp",
	778:   "ipgre",
	779:   "pimreg",
	780:   "hippi",
	781:   "ash",
	782:   "econet",
	783:   "irda",
	784:   "fcpp",
	785:   "fcal",
	786:   "fcpl",
	787:   "fcfabric",
	801:   "ieee80211",
	802:   "ieee80211_prism",
	803:   "ieee80211_radiotap",
	804:   "ieee802154",
	805:   "ieee802154_monitor",
	820:   "phonet",
	821:   "phonet_pipe",
	822:   "caif",
	823:   "ip6gre",
	824:   "netlink",
	825:   "6lowpan",
	826:   "vsockmon",
	65534: "none",
	65535: "void",
}}

var nudStates = decode.FlagSet{Name: "NUD", Bits: []string{
	0: "INCOMPLETE",
	1: "REACHABLE",
	2: "STALE",
	3: "DELAY",
	4: "PROBE",
	5: "FAILED",
	6: "NOARP",
	7: "PERMANENT",
}}

var ntfFlags = decode.FlagSet{Name: "NTF", Bits: []string{
	0: "use",
	1: "self",
	2: "master",
	3: "proxy",
	5: "offloaded",
	6: "sticky",
	7: "router",
}}

var ifaFlags = decode.FlagSet{Name: "IFA_F", Bits: []string{
	0:  "secondary",
	1:  "nodad",
	2:  "optimistic",
	3:  "dadfailed",
	4:  "homeaddress",
	5:  "deprecated",
	6:  "tentative",
	7:  "permanent",
	8:  "managetempaddr",
	9:  "noprefixroute",
	10: "mcautojoin",
	11: "stable-privacy",
}}

var rtnhFlags = decode.FlagSet{Name: "RTNH_F", Bits: []string{
	0: "dead",
	1: "pervasive",
	2: "onlink",
	3: "offload",
	4: "linkdown",
	5: "unresolved",
	6: "trap",
}}

var rtmFlags = decode.FlagSet{Name: "RTM_F", Bits: []string{
	0:  "dead",
	1:  "pervasive",
	2:  "onlink",
	3:  "offload",
	4:  "linkdown",
	5:  "unresolved",
	6:  "trap",
	8:  "notify",
	9:  "cloned",
	10: "equalize",
	11: "prefix",
	12: "lookup_table",
	13: "fib_match",
	14: "offload",
	15: "trap",
	29: "offload_failed",
}}

var fibRuleFlags = decode.FlagSet{Name: "FIB_RULE", Bits: []string{
	0:  "permanent",
	1:  "invert",
	2:  "unresolved",
	3:  "iif_detached",
	4:  "oif_detached",
	16: "find_saddr",
}}

var inet6Flags = decode.FlagSet{Name: "IF_RA", Bits: []string{
	4:  "rs_sent",
	5:  "ra_rcvd",
	6:  "managed",
	7:  "otherconf",
	31: "ready",
}}

var vlanProtos = decode.Enum{Name: "ETH_P", Sparse: map[uint64]string{
	33024: "802.1Q",
	34984: "802.1ad",
}}

var bondModes = decode.Enum{Name: "BOND_MODE", Names: []string{
	0: "balance-rr",
	1: "active-backup",
	2: "balance-xor",
	3: "broadcast",
	4: "802.3ad",
	5: "balance-tlb",
	6: "balance-alb",
}}

var bondSlaveStates = decode.Enum{Name: "BOND_STATE", Names: []string{
	0: "ACTIVE",
	1: "BACKUP",
}}

var bondMiiStatus = decode.Enum{Name: "BOND_LINK", Names: []string{
	0: "UP",
	1: "GOING_DOWN",
	2: "DOWN",
	3: "GOING_BACK",
}}

var macvlanModes = decode.Enum{Name: "MACVLAN_MODE", Sparse: map[uint64]string{
	1:  "private",
	2:  "vepa",
	4:  "bridge",
	8:  "passthru",
	16: "source",
}}

var ipvlanModes = decode.Enum{Name: "IPVLAN_MODE", Names: []string{
	0: "l2",
	1: "l3",
	2: "l3s",
}}

var addrGenModes = decode.Enum{Name: "IN6_ADDR_GEN_MODE", Names: []string{
	0: "eui64",
	1: "none",
	2: "stable_secret",
	3: "random",
}}

var brportStates = decode.Enum{Name: "BR_STATE", Names: []string{
	0: "disabled",
	1: "listening",
	2: "learning",
	3: "forwarding",
	4: "blocking",
}}

var xdpModes = decode.Enum{Name: "XDP_ATTACHED", Names: []string{
	0: "none",
	1: "drv",
	2: "skb",
	3: "hw",
	4: "multi",
}}

var routePrefs = decode.Enum{Name: "ICMPV6_ROUTER_PREF", Names: []string{
	0: "medium",
	1: "high",
	2: "invalid",
	3: "low",
}}

var nhGroupTypes = decode.Enum{Name: "NEXTHOP_GRP_TYPE", Names: []string{
	0: "mpath",
	1: "resilient",
}}

var linkEvents = decode.Enum{Name: "IFLA_EVENT", Names: []string{
	0: "none",
	1: "reboot",
	2: "features",
	3: "bonding_failover",
	4: "notify_peers",
	5: "igmp_resend",
	6: "bonding_options",
}}

var ifaProtos = decode.Enum{Name: "IFAPROT", Names: []string{
	0: "unspec",
	1: "kernel_lo",
	2: "kernel_ra",
	3: "kernel_ll",
}}

var tunTypes = decode.Enum{Name: "IFF_TUN", Names: []string{
	1: "tun",
	2: "tap",
}}

var linkAttrs = decode.AttrSet{Name: "IFLA", Attrs: []decode.Attr{
	0:  {Name: "IFLA_UNSPEC"},
	1:  {Name: "IFLA_ADDRESS", Type: decode.HWAddr},
	2:  {Name: "IFLA_BROADCAST", Type: decode.HWAddr},
	3:  {Name: "IFLA_IFNAME", Type: decode.String},
	4:  {Name: "IFLA_MTU", Type: decode.U32},
	5:  {Name: "IFLA_LINK", Type: decode.U32, Sem: decode.Ifindex},
	6:  {Name: "IFLA_QDISC", Type: decode.String},
	7:  {Name: "IFLA_STATS", Type: decode.Struct, Struct: &linkStats32},
	8:  {Name: "IFLA_COST"},
	9:  {Name: "IFLA_PRIORITY"},
	10: {Name: "IFLA_MASTER", Type: decode.U32, Sem: decode.Ifindex},
	11: {Name: "IFLA_WIRELESS"},
	12: {Name: "IFLA_PROTINFO", Type: decode.Nest, Select: selectProtinfo},
	13: {Name: "IFLA_TXQLEN", Type: decode.U32},
	14: {Name: "IFLA_MAP", Type: decode.Struct, Struct: &ifMap},
	15: {Name: "IFLA_WEIGHT", Type: decode.U32},
	16: {Name: "IFLA_OPERSTATE", Type: decode.U8, Sem: decode.EnumValue, Enum: &operStates},
	17: {Name: "IFLA_LINKMODE", Type: decode.U8, Sem: decode.EnumValue, Enum: &linkModes},
	18: {Name: "IFLA_LINKINFO", Type: decode.Nest, Nest: &linkInfoAttrs},
	19: {Name: "IFLA_NET_NS_PID", Type: decode.U32},
	20: {Name: "IFLA_IFALIAS", Type: decode.String},
	21: {Name: "IFLA_NUM_VF", Type: decode.U32},
	22: {Name: "IFLA_VFINFO_LIST", Type: decode.Nest, Nest: &vfInfoListAttrs},
	23: {Name: "IFLA_STATS64", Type: decode.Struct, Struct: &linkStats64},
	24: {Name: "IFLA_VF_PORTS", Type: decode.Nest, Nest: &vfPortsAttrs},
	25: {Name: "IFLA_PORT_SELF", Type: decode.Nest, Nest: &portAttrs},
	26: {Name: "IFLA_AF_SPEC", Type: decode.Nest, Select: selectAfSpec},
	27: {Name: "IFLA_GROUP", Type: decode.U32},
	28: {Name: "IFLA_NET_NS_FD", Type: decode.S32},
	29: {Name: "IFLA_EXT_MASK", Type: decode.U32, Sem: decode.Hex},
	30: {Name: "IFLA_PROMISCUITY", Type: decode.U32},
	31: {Name: "IFLA_NUM_TX_QUEUES", Type: decode.U32},
	32: {Name: "IFLA_NUM_RX_QUEUES", Type: decode.U32},
	33: {Name: "IFLA_CARRIER", Type: decode.U8},
	34: {Name: "IFLA_PHYS_PORT_ID"},
	35: {Name: "IFLA_CARRIER_CHANGES", Type: decode.U32},
	36: {Name: "IFLA_PHYS_SWITCH_ID"},
	37: {Name: "IFLA_LINK_NETNSID", Type: decode.S32, Sem: decode.NetnsID},
	38: {Name: "IFLA_PHYS_PORT_NAME", Type: decode.String},
	39: {Name: "IFLA_PROTO_DOWN", Type: decode.U8},
	40: {Name: "IFLA_GSO_MAX_SEGS", Type: decode.U32},
	41: {Name: "IFLA_GSO_MAX_SIZE", Type: decode.U32},
	42: {Name: "IFLA_PAD"},
	43: {Name: "IFLA_XDP", Type: decode.Nest, Nest: &xdpAttrs},
	44: {Name: "IFLA_EVENT", Type: decode.U32, Sem: decode.EnumValue, Enum: &linkEvents},
	45: {Name: "IFLA_NEW_NETNSID", Type: decode.S32, Sem: decode.NetnsID},
	46: {Name: "IFLA_IF_NETNSID", Type: decode.S32, Sem: decode.NetnsID},
	47: {Name: "IFLA_CARRIER_UP_COUNT", Type: decode.U32},
	48: {Name: "IFLA_CARRIER_DOWN_COUNT", Type: decode.U32},
	49: {Name: "IFLA_NEW_IFINDEX", Type: decode.S32},
	50: {Name: "IFLA_MIN_MTU", Type: decode.U32},
	51: {Name: "IFLA_MAX_MTU", Type: decode.U32},
	52: {Name: "IFLA_PROP_LIST", Type: decode.Nest, Nest: &propListAttrs},
	53: {Name: "IFLA_ALT_IFNAME", Type: decode.String},
	54: {Name: "IFLA_PERM_ADDRESS", Type: decode.HWAddr},
	55: {Name: "IFLA_PROTO_DOWN_REASON", Type: decode.Nest, Nest: &protoDownReasonAttrs},
	56: {Name: "IFLA_PARENT_DEV_NAME", Type: decode.String},
	57: {Name: "IFLA_PARENT_DEV_BUS_NAME", Type: decode.String},
	58: {Name: "IFLA_GRO_MAX_SIZE", Type: decode.U32},
	59: {Name: "IFLA_TSO_MAX_SIZE", Type: decode.U32},
	60: {Name: "IFLA_TSO_MAX_SEGS", Type: decode.U32},
	61: {Name: "IFLA_ALLMULTI", Type: decode.U32},
	62: {Name: "IFLA_DEVLINK_PORT", Type: decode.Nest, Nest: &emptyAttrs},
	63: {Name: "IFLA_GSO_IPV4_MAX_SIZE", Type: decode.U32},
	64: {Name: "IFLA_GRO_IPV4_MAX_SIZE", Type: decode.U32},
	65: {Name: "IFLA_DPLL_PIN", Type: decode.Nest, Nest: &dpllPinAttrs},
	66: {Name: "IFLA_MAX_PACING_OFFLOAD_HORIZON", Type: decode.Uint},
	67: {Name: "IFLA_NETNS_IMMUTABLE", Type: decode.U8},
	68: {Name: "IFLA_HEADROOM", Type: decode.U16},
	69: {Name: "IFLA_TAILROOM", Type: decode.U16},
}}

var linkInfoAttrs = decode.AttrSet{Name: "IFLA_INFO", Attrs: []decode.Attr{
	0: {Name: "IFLA_INFO_UNSPEC"},
	1: {Name: "IFLA_INFO_KIND", Type: decode.String},
	2: {Name: "IFLA_INFO_DATA", Type: decode.Nest, Select: selectInfoData},
	3: {Name: "IFLA_INFO_XSTATS"},
	4: {Name: "IFLA_INFO_SLAVE_KIND", Type: decode.String},
	5: {Name: "IFLA_INFO_SLAVE_DATA", Type: decode.Nest, Select: selectSlaveData},
}}

var protoDownReasonAttrs = decode.AttrSet{Name: "IFLA_PROTO_DOWN_REASON", Attrs: []decode.Attr{
	0: {Name: "IFLA_PROTO_DOWN_REASON_UNSPEC"},
	1: {Name: "IFLA_PROTO_DOWN_REASON_MASK", Type: decode.U32, Sem: decode.Hex},
	2: {Name: "IFLA_PROTO_DOWN_REASON_VALUE", Type: decode.U32, Sem: decode.Hex},
}}

var xdpAttrs = decode.AttrSet{Name: "IFLA_XDP", Attrs: []decode.Attr{
	0: {Name: "IFLA_XDP_UNSPEC"},
	1: {Name: "IFLA_XDP_FD", Type: decode.S32},
	2: {Name: "IFLA_XDP_ATTACHED", Type: decode.U8, Sem: decode.EnumValue, Enum: &xdpModes},
	3: {Name: "IFLA_XDP_FLAGS", Type: decode.U32, Sem: decode.Hex},
	4: {Name: "IFLA_XDP_PROG_ID", Type: decode.U32},
	5: {Name: "IFLA_XDP_DRV_PROG_ID", Type: decode.U32},
	6: {Name: "IFLA_XDP_SKB_PROG_ID", Type: decode.U32},
	7: {Name: "IFLA_XDP_HW_PROG_ID", Type: decode.U32},
	8: {Name: "IFLA_XDP_EXPECTED_FD", Type: decode.S32},
}}

var bridgeAttrs = decode.AttrSet{Name: "IFLA_BR", Attrs: []decode.Attr{
	0:  {Name: "IFLA_BR_UNSPEC"},
	1:  {Name: "IFLA_BR_FORWARD_DELAY", Type: decode.U32, Sem: decode.Centis},
	2:  {Name: "IFLA_BR_HELLO_TIME", Type: decode.U32, Sem: decode.Centis},
	3:  {Name: "IFLA_BR_MAX_AGE", Type: decode.U32, Sem: decode.Centis},
	4:  {Name: "IFLA_BR_AGEING_TIME", Type: decode.U32, Sem: decode.Centis},
	5:  {Name: "IFLA_BR_STP_STATE", Type: decode.U32},
	6:  {Name: "IFLA_BR_PRIORITY", Type: decode.U16},
	7:  {Name: "IFLA_BR_VLAN_FILTERING", Type: decode.U8},
	8:  {Name: "IFLA_BR_VLAN_PROTOCOL", Type: decode.BE16, Sem: decode.EnumValue, Enum: &vlanProtos},
	9:  {Name: "IFLA_BR_GROUP_FWD_MASK", Type: decode.U16, Sem: decode.Hex},
	10: {Name: "IFLA_BR_ROOT_ID", Type: decode.Struct, Struct: &bridgeID},
	11: {Name: "IFLA_BR_BRIDGE_ID", Type: decode.Struct, Struct: &bridgeID},
	12: {Name: "IFLA_BR_ROOT_PORT", Type: decode.U16},
	13: {Name: "IFLA_BR_ROOT_PATH_COST", Type: decode.U32},
	14: {Name: "IFLA_BR_TOPOLOGY_CHANGE", Type: decode.U8},
	15: {Name: "IFLA_BR_TOPOLOGY_CHANGE_DETECTED", Type: decode.U8},
	16: {Name: "IFLA_BR_HELLO_TIMER", Type: decode.U64, Sem: decode.Centis},
	17: {Name: "IFLA_BR_TCN_TIMER", Type: decode.U64, Sem: decode.Centis},
	18: {Name: "IFLA_BR_TOPOLOGY_CHANGE_TIMER", Type: decode.U64, Sem: decode.Centis},
	19: {Name: "IFLA_BR_GC_TIMER", Type: decode.U64, Sem: decode.Centis},
	20: {Name: "IFLA_BR_GROUP_ADDR", Type: decode.HWAddr},
	21: {Name: "IFLA_BR_FDB_FLUSH", Type: decode.Flag},
	22: {Name: "IFLA_BR_MCAST_ROUTER", Type: decode.U8},
	23: {Name: "IFLA_BR_MCAST_SNOOPING", Type: decode.U8},
	24: {Name: "IFLA_BR_MCAST_QUERY_USE_IFADDR", Type: decode.U8},
	25: {Name: "IFLA_BR_MCAST_QUERIER", Type: decode.U8},
	26: {Name: "IFLA_BR_MCAST_HASH_ELASTICITY", Type: decode.U32},
	27: {Name: "IFLA_BR_MCAST_HASH_MAX", Type: decode.U32},
	28: {Name: "IFLA_BR_MCAST_LAST_MEMBER_CNT", Type: decode.U32},
	29: {Name: "IFLA_BR_MCAST_STARTUP_QUERY_CNT", Type: decode.U32},
	30: {Name: "IFLA_BR_MCAST_LAST_MEMBER_INTVL", Type: decode.U64, Sem: decode.Centis},
	31: {Name: "IFLA_BR_MCAST_MEMBERSHIP_INTVL", Type: decode.U64, Sem: decode.Centis},
	32: {Name: "IFLA_BR_MCAST_QUERIER_INTVL", Type: decode.U64, Sem: decode.Centis},
	33: {Name: "IFLA_BR_MCAST_QUERY_INTVL", Type: decode.U64, Sem: decode.Centis},
	34: {Name: "IFLA_BR_MCAST_QUERY_RESPONSE_INTVL", Type: decode.U64, Sem: decode.Centis},
	35: {Name: "IFLA_BR_MCAST_STARTUP_QUERY_INTVL", Type: decode.U64, Sem: decode.Centis},
	36: {Name: "IFLA_BR_NF_CALL_IPTABLES", Type: decode.U8},
	37: {Name: "IFLA_BR_NF_CALL_IP6TABLES", Type: decode.U8},
	38: {Name: "IFLA_BR_NF_CALL_ARPTABLES", Type: decode.U8},
	39: {Name: "IFLA_BR_VLAN_DEFAULT_PVID", Type: decode.U16},
	40: {Name: "IFLA_BR_PAD"},
	41: {Name: "IFLA_BR_VLAN_STATS_ENABLED", Type: decode.U8},
	42: {Name: "IFLA_BR_MCAST_STATS_ENABLED", Type: decode.U8},
	43: {Name: "IFLA_BR_MCAST_IGMP_VERSION", Type: decode.U8},
	44: {Name: "IFLA_BR_MCAST_MLD_VERSION", Type: decode.U8},
	45: {Name: "IFLA_BR_VLAN_STATS_PER_PORT", Type: decode.U8},
	46: {Name: "IFLA_BR_MULTI_BOOLOPT", Type: decode.Struct, Struct: &boolOptMulti},
	47: {Name: "IFLA_BR_MCAST_QUERIER_STATE"},
	48: {Name: "IFLA_BR_FDB_N_LEARNED", Type: decode.U32},
	49: {Name: "IFLA_BR_FDB_MAX_LEARNED", Type: decode.U32},
}}

var brportAttrs = decode.AttrSet{Name: "IFLA_BRPORT", Attrs: []decode.Attr{
	0:  {Name: "IFLA_BRPORT_UNSPEC"},
	1:  {Name: "IFLA_BRPORT_STATE", Type: decode.U8, Sem: decode.EnumValue, Enum: &brportStates},
	2:  {Name: "IFLA_BRPORT_PRIORITY", Type: decode.U16},
	3:  {Name: "IFLA_BRPORT_COST", Type: decode.U32},
	4:  {Name: "IFLA_BRPORT_MODE", Type: decode.U8},
	5:  {Name: "IFLA_BRPORT_GUARD", Type: decode.U8},
	6:  {Name: "IFLA_BRPORT_PROTECT", Type: decode.U8},
	7:  {Name: "IFLA_BRPORT_FAST_LEAVE", Type: decode.U8},
	8:  {Name: "IFLA_BRPORT_LEARNING", Type: decode.U8},
	9:  {Name: "IFLA_BRPORT_UNICAST_FLOOD", Type: decode.U8},
	10: {Name: "IFLA_BRPORT_PROXYARP", Type: decode.U8},
	11: {Name: "IFLA_BRPORT_LEARNING_SYNC", Type: decode.U8},
	12: {Name: "IFLA_BRPORT_PROXYARP_WIFI", Type: decode.U8},
	13: {Name: "IFLA_BRPORT_ROOT_ID", Type: decode.Struct, Struct: &bridgeID},
	14: {Name: "IFLA_BRPORT_BRIDGE_ID", Type: decode.Struct, Struct: &bridgeID},
	15: {Name: "IFLA_BRPORT_DESIGNATED_PORT", Type: decode.U16},
	16: {Name: "IFLA_BRPORT_DESIGNATED_COST", Type: decode.U16},
	17: {Name: "IFLA_BRPORT_ID", Type: decode.U16},
	18: {Name: "IFLA_BRPORT_NO", Type: decode.U16},
	19: {Name: "IFLA_BRPORT_TOPOLOGY_CHANGE_ACK", Type: decode.U8},
	20: {Name: "IFLA_BRPORT_CONFIG_PENDING", Type: decode.U8},
	21: {Name: "IFLA_BRPORT_MESSAGE_AGE_TIMER", Type: decode.U64, Sem: decode.Centis},
	22: {Name: "IFLA_BRPORT_FORWARD_DELAY_TIMER", Type: decode.U64, Sem: decode.Centis},
	23: {Name: "IFLA_BRPORT_HOLD_TIMER", Type: decode.U64, Sem: decode.Centis},
	24: {Name: "IFLA_BRPORT_FLUSH", Type: decode.Flag},
	25: {Name: "IFLA_BRPORT_MULTICAST_ROUTER", Type: decode.U8},
	26: {Name: "IFLA_BRPORT_PAD"},
	27: {Name: "IFLA_BRPORT_MCAST_FLOOD", Type: decode.U8},
	28: {Name: "IFLA_BRPORT_MCAST_TO_UCAST", Type: decode.U8},
	29: {Name: "IFLA_BRPORT_VLAN_TUNNEL", Type: decode.U8},
	30: {Name: "IFLA_BRPORT_BCAST_FLOOD", Type: decode.U8},
	31: {Name: "IFLA_BRPORT_GROUP_FWD_MASK", Type: decode.U16, Sem: decode.Hex},
	32: {Name: "IFLA_BRPORT_NEIGH_SUPPRESS", Type: decode.U8},
	33: {Name: "IFLA_BRPORT_ISOLATED", Type: decode.U8},
	34: {Name: "IFLA_BRPORT_BACKUP_PORT", Type: decode.U32, Sem: decode.Ifindex},
	35: {Name: "IFLA_BRPORT_MRP_RING_OPEN", Type: decode.U8},
	36: {Name: "IFLA_BRPORT_MRP_IN_OPEN", Type: decode.U8},
	37: {Name: "IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT", Type: decode.U32},
	38: {Name: "IFLA_BRPORT_MCAST_EHT_HOSTS_CNT", Type: decode.U32},
	39: {Name: "IFLA_BRPORT_LOCKED", Type: decode.U8},
	40: {Name: "IFLA_BRPORT_MAB", Type: decode.U8},
	41: {Name: "IFLA_BRPORT_MCAST_N_GROUPS", Type: decode.U32},
	42: {Name: "IFLA_BRPORT_MCAST_MAX_GROUPS", Type: decode.U32},
	43: {Name: "IFLA_BRPORT_NEIGH_VLAN_SUPPRESS", Type: decode.U8},
	44: {Name: "IFLA_BRPORT_BACKUP_NHID", Type: decode.U32},
}}

var vlanAttrs = decode.AttrSet{Name: "IFLA_VLAN", Attrs: []decode.Attr{
	0: {Name: "IFLA_VLAN_UNSPEC"},
	1: {Name: "IFLA_VLAN_ID", Type: decode.U16},
	2: {Name: "IFLA_VLAN_FLAGS", Type: decode.Struct, Struct: &vlanFlags},
	3: {Name: "IFLA_VLAN_EGRESS_QOS", Type: decode.Nest, Nest: &vlanQosAttrs},
	4: {Name: "IFLA_VLAN_INGRESS_QOS", Type: decode.Nest, Nest: &vlanQosAttrs},
	5: {Name: "IFLA_VLAN_PROTOCOL", Type: decode.BE16, Sem: decode.EnumValue, Enum: &vlanProtos},
}}

var vlanQosAttrs = decode.AttrSet{Name: "IFLA_VLAN_QOS", Attrs: []decode.Attr{
	0: {Name: "IFLA_VLAN_QOS_UNSPEC"},
	1: {Name: "IFLA_VLAN_QOS_MAPPING", Type: decode.Struct, Struct: &vlanQosMapping},
}}

var vxlanAttrs = decode.AttrSet{Name: "IFLA_VXLAN", Attrs: []decode.Attr{
	0:  {Name: "IFLA_VXLAN_UNSPEC"},
	1:  {Name: "IFLA_VXLAN_ID", Type: decode.U32},
	2:  {Name: "IFLA_VXLAN_GROUP", Type: decode.Addr},
	3:  {Name: "IFLA_VXLAN_LINK", Type: decode.U32, Sem: decode.Ifindex},
	4:  {Name: "IFLA_VXLAN_LOCAL", Type: decode.Addr},
	5:  {Name: "IFLA_VXLAN_TTL", Type: decode.U8},
	6:  {Name: "IFLA_VXLAN_TOS", Type: decode.U8},
	7:  {Name: "IFLA_VXLAN_LEARNING", Type: decode.U8},
	8:  {Name: "IFLA_VXLAN_AGEING", Type: decode.U32},
	9:  {Name: "IFLA_VXLAN_LIMIT", Type: decode.U32},
	10: {Name: "IFLA_VXLAN_PORT_RANGE", Type: decode.Struct, Struct: &portRange},
	11: {Name: "IFLA_VXLAN_PROXY", Type: decode.U8},
	12: {Name: "IFLA_VXLAN_RSC", Type: decode.U8},
	13: {Name: "IFLA_VXLAN_L2MISS", Type: decode.U8},
	14: {Name: "IFLA_VXLAN_L3MISS", Type: decode.U8},
	15: {Name: "IFLA_VXLAN_PORT", Type: decode.BE16},
	16: {Name: "IFLA_VXLAN_GROUP6", Type: decode.Addr},
	17: {Name: "IFLA_VXLAN_LOCAL6", Type: decode.Addr},
	18: {Name: "IFLA_VXLAN_UDP_CSUM", Type: decode.U8},
	19: {Name: "IFLA_VXLAN_UDP_ZERO_CSUM6_TX", Type: decode.U8},
	20: {Name: "IFLA_VXLAN_UDP_ZERO_CSUM6_RX", Type: decode.U8},
	21: {Name: "IFLA_VXLAN_REMCSUM_TX", Type: decode.U8},
	22: {Name: "IFLA_VXLAN_REMCSUM_RX", Type: decode.U8},
	23: {Name: "IFLA_VXLAN_GBP", Type: decode.Flag},
	24: {Name: "IFLA_VXLAN_REMCSUM_NOPARTIAL", Type: decode.Flag},
	25: {Name: "IFLA_VXLAN_COLLECT_METADATA", Type: decode.U8},
	26: {Name: "IFLA_VXLAN_LABEL", Type: decode.BE32, Sem: decode.Hex},
	27: {Name: "IFLA_VXLAN_GPE", Type: decode.Flag},
	28: {Name: "IFLA_VXLAN_TTL_INHERIT", Type: decode.U8},
	29: {Name: "IFLA_VXLAN_DF", Type: decode.U8},
	30: {Name: "IFLA_VXLAN_VNIFILTER", Type: decode.U8},
	31: {Name: "IFLA_VXLAN_LOCALBYPASS", Type: decode.U8},
	32: {Name: "IFLA_VXLAN_LABEL_POLICY", Type: decode.U32},
	33: {Name: "IFLA_VXLAN_RESERVED_BITS"},
}}

var macvlanAttrs = decode.AttrSet{Name: "IFLA_MACVLAN", Attrs: []decode.Attr{
	0: {Name: "IFLA_MACVLAN_UNSPEC"},
	1: {Name: "IFLA_MACVLAN_MODE", Type: decode.U32, Sem: decode.EnumValue, Enum: &macvlanModes},
	2: {Name: "IFLA_MACVLAN_FLAGS", Type: decode.U16, Sem: decode.Hex},
	3: {Name: "IFLA_MACVLAN_MACADDR_MODE", Type: decode.U32},
	4: {Name: "IFLA_MACVLAN_MACADDR", Type: decode.HWAddr},
	5: {Name: "IFLA_MACVLAN_MACADDR_DATA", Type: decode.Nest, Nest: &macvlanMacAttrs},
	6: {Name: "IFLA_MACVLAN_MACADDR_COUNT", Type: decode.U32},
	7: {Name: "IFLA_MACVLAN_BC_QUEUE_LEN", Type: decode.U32},
	8: {Name: "IFLA_MACVLAN_BC_QUEUE_LEN_USED", Type: decode.U32},
}}

var ipvlanAttrs = decode.AttrSet{Name: "IFLA_IPVLAN", Attrs: []decode.Attr{
	0: {Name: "IFLA_IPVLAN_UNSPEC"},
	1: {Name: "IFLA_IPVLAN_MODE", Type: decode.U16, Sem: decode.EnumValue, Enum: &ipvlanModes},
	2: {Name: "IFLA_IPVLAN_FLAGS", Type: decode.U16, Sem: decode.Hex},
}}

var bondAttrs = decode.AttrSet{Name: "IFLA_BOND", Attrs: []decode.Attr{
	0:  {Name: "IFLA_BOND_UNSPEC"},
	1:  {Name: "IFLA_BOND_MODE", Type: decode.U8, Sem: decode.EnumValue, Enum: &bondModes},
	2:  {Name: "IFLA_BOND_ACTIVE_SLAVE", Type: decode.U32, Sem: decode.Ifindex},
	3:  {Name: "IFLA_BOND_MIIMON", Type: decode.U32},
	4:  {Name: "IFLA_BOND_UPDELAY", Type: decode.U32},
	5:  {Name: "IFLA_BOND_DOWNDELAY", Type: decode.U32},
	6:  {Name: "IFLA_BOND_USE_CARRIER", Type: decode.U8},
	7:  {Name: "IFLA_BOND_ARP_INTERVAL", Type: decode.U32},
	8:  {Name: "IFLA_BOND_ARP_IP_TARGET", Type: decode.Nest, Nest: &bondTargets},
	9:  {Name: "IFLA_BOND_ARP_VALIDATE", Type: decode.U32},
	10: {Name: "IFLA_BOND_ARP_ALL_TARGETS", Type: decode.U32},
	11: {Name: "IFLA_BOND_PRIMARY", Type: decode.U32, Sem: decode.Ifindex},
	12: {Name: "IFLA_BOND_PRIMARY_RESELECT", Type: decode.U8},
	13: {Name: "IFLA_BOND_FAIL_OVER_MAC", Type: decode.U8},
	14: {Name: "IFLA_BOND_XMIT_HASH_POLICY", Type: decode.U8},
	15: {Name: "IFLA_BOND_RESEND_IGMP", Type: decode.U32},
	16: {Name: "IFLA_BOND_NUM_PEER_NOTIF", Type: decode.U8},
	17: {Name: "IFLA_BOND_ALL_SLAVES_ACTIVE", Type: decode.U8},
	18: {Name: "IFLA_BOND_MIN_LINKS", Type: decode.U32},
	19: {Name: "IFLA_BOND_LP_INTERVAL", Type: decode.U32},
	20: {Name: "IFLA_BOND_PACKETS_PER_SLAVE", Type: decode.U32},
	21: {Name: "IFLA_BOND_AD_LACP_RATE", Type: decode.U8},
	22: {Name: "IFLA_BOND_AD_SELECT", Type: decode.U8},
	23: {Name: "IFLA_BOND_AD_INFO", Type: decode.Nest, Nest: &bondAdInfoAttrs},
	24: {Name: "IFLA_BOND_AD_ACTOR_SYS_PRIO", Type: decode.U16},
	25: {Name: "IFLA_BOND_AD_USER_PORT_KEY", Type: decode.U16},
	26: {Name: "IFLA_BOND_AD_ACTOR_SYSTEM", Type: decode.HWAddr},
	27: {Name: "IFLA_BOND_TLB_DYNAMIC_LB", Type: decode.U8},
	28: {Name: "IFLA_BOND_PEER_NOTIF_DELAY", Type: decode.U32},
	29: {Name: "IFLA_BOND_AD_LACP_ACTIVE", Type: decode.U8},
	30: {Name: "IFLA_BOND_MISSED_MAX", Type: decode.U8},
	31: {Name: "IFLA_BOND_NS_IP6_TARGET", Type: decode.Nest, Nest: &bondTargets},
	32: {Name: "IFLA_BOND_COUPLED_CONTROL", Type: decode.U8},
}}

var bondAdInfoAttrs = decode.AttrSet{Name: "IFLA_BOND_AD_INFO", Attrs: []decode.Attr{
	0: {Name: "IFLA_BOND_AD_INFO_UNSPEC"},
	1: {Name: "IFLA_BOND_AD_INFO_AGGREGATOR", Type: decode.U16},
	2: {Name: "IFLA_BOND_AD_INFO_NUM_PORTS", Type: decode.U16},
	3: {Name: "IFLA_BOND_AD_INFO_ACTOR_KEY", Type: decode.U16},
	4: {Name: "IFLA_BOND_AD_INFO_PARTNER_KEY", Type: decode.U16},
	5: {Name: "IFLA_BOND_AD_INFO_PARTNER_MAC", Type: decode.HWAddr},
}}

var bondSlaveAttrs = decode.AttrSet{Name: "IFLA_BOND_SLAVE", Attrs: []decode.Attr{
	0:  {Name: "IFLA_BOND_SLAVE_UNSPEC"},
	1:  {Name: "IFLA_BOND_SLAVE_STATE", Type: decode.U8, Sem: decode.EnumValue, Enum: &bondSlaveStates},
	2:  {Name: "IFLA_BOND_SLAVE_MII_STATUS", Type: decode.U8, Sem: decode.EnumValue, Enum: &bondMiiStatus},
	3:  {Name: "IFLA_BOND_SLAVE_LINK_FAILURE_COUNT", Type: decode.U32},
	4:  {Name: "IFLA_BOND_SLAVE_PERM_HWADDR", Type: decode.HWAddr},
	5:  {Name: "IFLA_BOND_SLAVE_QUEUE_ID", Type: decode.U16},
	6:  {Name: "IFLA_BOND_SLAVE_AD_AGGREGATOR_ID", Type: decode.U16},
	7:  {Name: "IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE", Type: decode.U8},
	8:  {Name: "IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE", Type: decode.U16},
	9:  {Name: "IFLA_BOND_SLAVE_PRIO", Type: decode.S32},
	10: {Name: "IFLA_BOND_SLAVE_ACTOR_PORT_PRIO", Type: decode.U16},
	11: {Name: "IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE"},
	12: {Name: "IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE"},
}}

var greAttrs = decode.AttrSet{Name: "IFLA_GRE", Attrs: []decode.Attr{
	0:  {Name: "IFLA_GRE_UNSPEC"},
	1:  {Name: "IFLA_GRE_LINK", Type: decode.U32, Sem: decode.Ifindex},
	2:  {Name: "IFLA_GRE_IFLAGS", Type: decode.BE16, Sem: decode.Hex},
	3:  {Name: "IFLA_GRE_OFLAGS", Type: decode.BE16, Sem: decode.Hex},
	4:  {Name: "IFLA_GRE_IKEY", Type: decode.BE32},
	5:  {Name: "IFLA_GRE_OKEY", Type: decode.BE32},
	6:  {Name: "IFLA_GRE_LOCAL", Type: decode.Addr},
	7:  {Name: "IFLA_GRE_REMOTE", Type: decode.Addr},
	8:  {Name: "IFLA_GRE_TTL", Type: decode.U8},
	9:  {Name: "IFLA_GRE_TOS", Type: decode.U8},
	10: {Name: "IFLA_GRE_PMTUDISC", Type: decode.U8},
	11: {Name: "IFLA_GRE_ENCAP_LIMIT", Type: decode.U8},
	12: {Name: "IFLA_GRE_FLOWINFO", Type: decode.BE32, Sem: decode.Hex},
	13: {Name: "IFLA_GRE_FLAGS", Type: decode.U32, Sem: decode.Hex},
	14: {Name: "IFLA_GRE_ENCAP_TYPE", Type: decode.U16},
	15: {Name: "IFLA_GRE_ENCAP_FLAGS", Type: decode.U16, Sem: decode.Hex},
	16: {Name: "IFLA_GRE_ENCAP_SPORT", Type: decode.BE16},
	17: {Name: "IFLA_GRE_ENCAP_DPORT", Type: decode.BE16},
	18: {Name: "IFLA_GRE_COLLECT_METADATA", Type: decode.Flag},
	19: {Name: "IFLA_GRE_IGNORE_DF", Type: decode.U8},
	20: {Name: "IFLA_GRE_FWMARK", Type: decode.U32, Sem: decode.Hex},
	21: {Name: "IFLA_GRE_ERSPAN_INDEX", Type: decode.U32},
	22: {Name: "IFLA_GRE_ERSPAN_VER", Type: decode.U8},
	23: {Name: "IFLA_GRE_ERSPAN_DIR", Type: decode.U8},
	24: {Name: "IFLA_GRE_ERSPAN_HWID", Type: decode.U16},
}}

var iptunAttrs = decode.AttrSet{Name: "IFLA_IPTUN", Attrs: []decode.Attr{
	0:  {Name: "IFLA_IPTUN_UNSPEC"},
	1:  {Name: "IFLA_IPTUN_LINK", Type: decode.U32, Sem: decode.Ifindex},
	2:  {Name: "IFLA_IPTUN_LOCAL", Type: decode.Addr},
	3:  {Name: "IFLA_IPTUN_REMOTE", Type: decode.Addr},
	4:  {Name: "IFLA_IPTUN_TTL", Type: decode.U8},
	5:  {Name: "IFLA_IPTUN_TOS", Type: decode.U8},
	6:  {Name: "IFLA_IPTUN_ENCAP_LIMIT", Type: decode.U8},
	7:  {Name: "IFLA_IPTUN_FLOWINFO", Type: decode.BE32, Sem: decode.Hex},
	8:  {Name: "IFLA_IPTUN_FLAGS", Type: decode.Uint, Sem: decode.Hex},
	9:  {Name: "IFLA_IPTUN_PROTO", Type: decode.U8, Sem: decode.EnumValue, Enum: &ipProtos},
	10: {Name: "IFLA_IPTUN_PMTUDISC", Type: decode.U8},
	11: {Name: "IFLA_IPTUN_6RD_PREFIX", Type: decode.Addr},
	12: {Name: "IFLA_IPTUN_6RD_RELAY_PREFIX", Type: decode.Addr},
	13: {Name: "IFLA_IPTUN_6RD_PREFIXLEN", Type: decode.U16},
	14: {Name: "IFLA_IPTUN_6RD_RELAY_PREFIXLEN", Type: decode.U16},
	15: {Name: "IFLA_IPTUN_ENCAP_TYPE", Type: decode.U16},
	16: {Name: "IFLA_IPTUN_ENCAP_FLAGS", Type: decode.U16, Sem: decode.Hex},
	17: {Name: "IFLA_IPTUN_ENCAP_SPORT", Type: decode.BE16},
	18: {Name: "IFLA_IPTUN_ENCAP_DPORT", Type: decode.BE16},
	19: {Name: "IFLA_IPTUN_COLLECT_METADATA", Type: decode.Flag},
	20: {Name: "IFLA_IPTUN_FWMARK", Type: decode.U32, Sem: decode.Hex},
}}

var geneveAttrs = decode.AttrSet{Name: "IFLA_GENEVE", Attrs: []decode.Attr{
	0:  {Name: "IFLA_GENEVE_UNSPEC"},
	1:  {Name: "IFLA_GENEVE_ID", Type: decode.U32},
	2:  {Name: "IFLA_GENEVE_REMOTE", Type: decode.Addr},
	3:  {Name: "IFLA_GENEVE_TTL", Type: decode.U8},
	4:  {Name: "IFLA_GENEVE_TOS", Type: decode.U8},
	5:  {Name: "IFLA_GENEVE_PORT", Type: decode.BE16},
	6:  {Name: "IFLA_GENEVE_COLLECT_METADATA", Type: decode.Flag},
	7:  {Name: "IFLA_GENEVE_REMOTE6", Type: decode.Addr},
	8:  {Name: "IFLA_GENEVE_UDP_CSUM", Type: decode.U8},
	9:  {Name: "IFLA_GENEVE_UDP_ZERO_CSUM6_TX", Type: decode.U8},
	10: {Name: "IFLA_GENEVE_UDP_ZERO_CSUM6_RX", Type: decode.U8},
	11: {Name: "IFLA_GENEVE_LABEL", Type: decode.BE32, Sem: decode.Hex},
	12: {Name: "IFLA_GENEVE_TTL_INHERIT", Type: decode.U8},
	13: {Name: "IFLA_GENEVE_DF", Type: decode.U8},
	14: {Name: "IFLA_GENEVE_INNER_PROTO_INHERIT", Type: decode.Flag},
}}

var vrfAttrs = decode.AttrSet{Name: "IFLA_VRF", Attrs: []decode.Attr{
	0: {Name: "IFLA_VRF_UNSPEC"},
	1: {Name: "IFLA_VRF_TABLE", Type: decode.U32, Sem: decode.EnumValue, Enum: &tables},
}}

var vrfPortAttrs = decode.AttrSet{Name: "IFLA_VRF_PORT", Attrs: []decode.Attr{
	0: {Name: "IFLA_VRF_PORT_UNSPEC"},
	1: {Name: "IFLA_VRF_PORT_TABLE", Type: decode.U32, Sem: decode.EnumValue, Enum: &tables},
}}

var tunAttrs = decode.AttrSet{Name: "IFLA_TUN", Attrs: []decode.Attr{
	0: {Name: "IFLA_TUN_UNSPEC"},
	1: {Name: "IFLA_TUN_OWNER", Type: decode.U32},
	2: {Name: "IFLA_TUN_GROUP", Type: decode.U32},
	3: {Name: "IFLA_TUN_TYPE", Type: decode.U8, Sem: decode.EnumValue, Enum: &tunTypes},
	4: {Name: "IFLA_TUN_PI", Type: decode.U8},
	5: {Name: "IFLA_TUN_VNET_HDR", Type: decode.U8},
	6: {Name: "IFLA_TUN_PERSIST", Type: decode.U8},
	7: {Name: "IFLA_TUN_MULTI_QUEUE", Type: decode.U8},
	8: {Name: "IFLA_TUN_NUM_QUEUES", Type: decode.U32},
	9: {Name: "IFLA_TUN_NUM_DISABLED_QUEUES", Type: decode.U32},
}}

var xfrmLinkAttrs = decode.AttrSet{Name: "IFLA_XFRM", Attrs: []decode.Attr{
	0: {Name: "IFLA_XFRM_UNSPEC"},
	1: {Name: "IFLA_XFRM_LINK", Type: decode.U32, Sem: decode.Ifindex},
	2: {Name: "IFLA_XFRM_IF_ID", Type: decode.U32, Sem: decode.Hex},
	3: {Name: "IFLA_XFRM_COLLECT_METADATA", Type: decode.Flag},
}}

var inet6Attrs = decode.AttrSet{Name: "IFLA_INET6", Attrs: []decode.Attr{
	0: {Name: "IFLA_INET6_UNSPEC"},
	1: {Name: "IFLA_INET6_FLAGS", Type: decode.U32, Sem: decode.FlagBits, Flags: &inet6Flags},
	2: {Name: "IFLA_INET6_CONF", Type: decode.Struct, Struct: &inet6Conf},
	3: {Name: "IFLA_INET6_STATS", Type: decode.Struct, Struct: &inet6Stats},
	4: {Name: "IFLA_INET6_MCAST"},
	5: {Name: "IFLA_INET6_CACHEINFO", Type: decode.Struct, Struct: &ifla6Cacheinfo},
	6: {Name: "IFLA_INET6_ICMP6STATS", Type: decode.Struct, Struct: &icmp6Stats},
	7: {Name: "IFLA_INET6_TOKEN", Type: decode.Addr},
	8: {Name: "IFLA_INET6_ADDR_GEN_MODE", Type: decode.U8, Sem: decode.EnumValue, Enum: &addrGenModes},
	9: {Name: "IFLA_INET6_RA_MTU", Type: decode.U32},
}}

var inetAttrs = decode.AttrSet{Name: "IFLA_INET", Attrs: []decode.Attr{
	0: {Name: "IFLA_INET_UNSPEC"},
	1: {Name: "IFLA_INET_CONF", Type: decode.Struct, Struct: &inetConf},
}}

var bridgeAfAttrs = decode.AttrSet{Name: "IFLA_BRIDGE", Attrs: []decode.Attr{
	0: {Name: "IFLA_BRIDGE_FLAGS", Type: decode.U16, Sem: decode.Hex},
	1: {Name: "IFLA_BRIDGE_MODE", Type: decode.U16},
	2: {Name: "IFLA_BRIDGE_VLAN_INFO", Type: decode.Struct, Struct: &bridgeVlanInfo},
	3: {Name: "IFLA_BRIDGE_VLAN_TUNNEL_INFO", Type: decode.Nest, Nest: &bridgeVlanTunnelAttrs},
	4: {Name: "IFLA_BRIDGE_MRP"},
	5: {Name: "IFLA_BRIDGE_CFM"},
	6: {Name: "IFLA_BRIDGE_MST"},
}}

var bridgeVlanTunnelAttrs = decode.AttrSet{Name: "IFLA_BRIDGE_VLAN_TUNNEL", Attrs: []decode.Attr{
	0: {Name: "IFLA_BRIDGE_VLAN_TUNNEL_UNSPEC"},
	1: {Name: "IFLA_BRIDGE_VLAN_TUNNEL_ID", Type: decode.U32},
	2: {Name: "IFLA_BRIDGE_VLAN_TUNNEL_VID", Type: decode.U16},
	3: {Name: "IFLA_BRIDGE_VLAN_TUNNEL_FLAGS", Type: decode.U16, Sem: decode.Hex},
}}

var vfInfoListAttrs = decode.AttrSet{Name: "IFLA_VF", Attrs: []decode.Attr{
	0: {Name: "IFLA_VF_INFO_UNSPEC"},
	1: {Name: "IFLA_VF_INFO", Type: decode.Nest, Nest: &vfAttrs},
}}

var vfAttrs = decode.AttrSet{Name: "IFLA_VF", Attrs: []decode.Attr{
	0:  {Name: "IFLA_VF_UNSPEC"},
	1:  {Name: "IFLA_VF_MAC", Type: decode.Struct, Struct: &vfMac},
	2:  {Name: "IFLA_VF_VLAN", Type: decode.Struct, Struct: &vfVlan},
	3:  {Name: "IFLA_VF_TX_RATE", Type: decode.Struct, Struct: &vfU32},
	4:  {Name: "IFLA_VF_SPOOFCHK", Type: decode.Struct, Struct: &vfU32},
	5:  {Name: "IFLA_VF_LINK_STATE", Type: decode.Struct, Struct: &vfU32},
	6:  {Name: "IFLA_VF_RATE", Type: decode.Struct, Struct: &vfRate},
	7:  {Name: "IFLA_VF_RSS_QUERY_EN", Type: decode.Struct, Struct: &vfU32},
	8:  {Name: "IFLA_VF_STATS", Type: decode.Nest, Nest: &vfStatsAttrs},
	9:  {Name: "IFLA_VF_TRUST", Type: decode.Struct, Struct: &vfU32},
	10: {Name: "IFLA_VF_IB_NODE_GUID", Type: decode.Struct, Struct: &vfGUID},
	11: {Name: "IFLA_VF_IB_PORT_GUID", Type: decode.Struct, Struct: &vfGUID},
	12: {Name: "IFLA_VF_VLAN_LIST"},
	13: {Name: "IFLA_VF_BROADCAST", Type: decode.HWAddr},
}}

var vfStatsAttrs = decode.AttrSet{Name: "IFLA_VF_STATS", Attrs: []decode.Attr{
	0: {Name: "IFLA_VF_STATS_RX_PACKETS", Type: decode.U64},
	1: {Name: "IFLA_VF_STATS_TX_PACKETS", Type: decode.U64},
	2: {Name: "IFLA_VF_STATS_RX_BYTES", Type: decode.U64},
	3: {Name: "IFLA_VF_STATS_TX_BYTES", Type: decode.U64},
	4: {Name: "IFLA_VF_STATS_BROADCAST", Type: decode.U64},
	5: {Name: "IFLA_VF_STATS_MULTICAST", Type: decode.U64},
	6: {Name: "IFLA_VF_STATS_PAD"},
	7: {Name: "IFLA_VF_STATS_RX_DROPPED", Type: decode.U64},
	8: {Name: "IFLA_VF_STATS_TX_DROPPED", Type: decode.U64},
}}

var vfPortsAttrs = decode.AttrSet{Name: "IFLA_VF_PORT", Attrs: []decode.Attr{
	0: {Name: "IFLA_VF_PORT_UNSPEC"},
	1: {Name: "IFLA_VF_PORT", Type: decode.Nest, Nest: &portAttrs},
}}

var portAttrs = decode.AttrSet{Name: "IFLA_PORT", Attrs: []decode.Attr{
	0: {Name: "IFLA_PORT_UNSPEC"},
	1: {Name: "IFLA_PORT_VF", Type: decode.U32},
	2: {Name: "IFLA_PORT_PROFILE", Type: decode.String},
	3: {Name: "IFLA_PORT_VSI_TYPE"},
	4: {Name: "IFLA_PORT_INSTANCE_UUID"},
	5: {Name: "IFLA_PORT_HOST_UUID"},
	6: {Name: "IFLA_PORT_REQUEST", Type: decode.U8},
	7: {Name: "IFLA_PORT_RESPONSE", Type: decode.U16},
}}

var vethAttrs = decode.AttrSet{Name: "VETH_INFO", Attrs: []decode.Attr{
	0: {Name: "VETH_INFO_UNSPEC"},
	1: {Name: "VETH_INFO_PEER", Type: decode.Custom, Custom: vethPeer},
}}

var addrAttrs = decode.AttrSet{Name: "IFA", Attrs: []decode.Attr{
	0:  {Name: "IFA_UNSPEC"},
	1:  {Name: "IFA_ADDRESS", Type: decode.Addr},
	2:  {Name: "IFA_LOCAL", Type: decode.Addr},
	3:  {Name: "IFA_LABEL", Type: decode.String},
	4:  {Name: "IFA_BROADCAST", Type: decode.Addr},
	5:  {Name: "IFA_ANYCAST", Type: decode.Addr},
	6:  {Name: "IFA_CACHEINFO", Type: decode.Struct, Struct: &ifaCacheinfo},
	7:  {Name: "IFA_MULTICAST", Type: decode.Addr},
	8:  {Name: "IFA_FLAGS", Type: decode.U32, Sem: decode.FlagBits, Flags: &ifaFlags},
	9:  {Name: "IFA_RT_PRIORITY", Type: decode.U32},
	10: {Name: "IFA_TARGET_NETNSID", Type: decode.S32, Sem: decode.NetnsID},
	11: {Name: "IFA_PROTO", Type: decode.U8, Sem: decode.EnumValue, Enum: &ifaProtos},
}}

var addrLabelAttrs = decode.AttrSet{Name: "IFAL", Attrs: []decode.Attr{
	1: {Name: "IFAL_ADDRESS", Type: decode.Addr},
	2: {Name: "IFAL_LABEL", Type: decode.U32},
}}

var routeAttrs = decode.AttrSet{Name: "RTA", Attrs: []decode.Attr{
	0:  {Name: "RTA_UNSPEC"},
	1:  {Name: "RTA_DST", Type: decode.Addr},
	2:  {Name: "RTA_SRC", Type: decode.Addr},
	3:  {Name: "RTA_IIF", Type: decode.U32, Sem: decode.Ifindex},
	4:  {Name: "RTA_OIF", Type: decode.U32, Sem: decode.Ifindex},
	5:  {Name: "RTA_GATEWAY", Type: decode.Addr},
	6:  {Name: "RTA_PRIORITY", Type: decode.U32},
	7:  {Name: "RTA_PREFSRC", Type: decode.Addr},
	8:  {Name: "RTA_METRICS", Type: decode.Nest, Nest: &metricsAttrs},
	9:  {Name: "RTA_MULTIPATH", Type: decode.Custom, Custom: multipath},
	10: {Name: "RTA_PROTOINFO"},
	11: {Name: "RTA_FLOW", Type: decode.U32},
	12: {Name: "RTA_CACHEINFO", Type: decode.Struct, Struct: &rtaCacheinfo},
	13: {Name: "RTA_SESSION"},
	14: {Name: "RTA_MP_ALGO"},
	15: {Name: "RTA_TABLE", Type: decode.U32, Sem: decode.EnumValue, Enum: &tables},
	16: {Name: "RTA_MARK", Type: decode.U32, Sem: decode.Hex},
	17: {Name: "RTA_MFC_STATS", Type: decode.Struct, Struct: &mfcStats},
	18: {Name: "RTA_VIA", Type: decode.Custom, Custom: via},
	19: {Name: "RTA_NEWDST", Type: decode.Custom, Custom: mplsLabels},
	20: {Name: "RTA_PREF", Type: decode.U8, Sem: decode.EnumValue, Enum: &routePrefs},
	21: {Name: "RTA_ENCAP_TYPE", Type: decode.U16, Sem: decode.EnumValue, Enum: &encapTypes},
	22: {Name: "RTA_ENCAP", Type: decode.Nest, Select: selectEncap},
	23: {Name: "RTA_EXPIRES", Type: decode.Uint},
	24: {Name: "RTA_PAD"},
	25: {Name: "RTA_UID", Type: decode.U32},
	26: {Name: "RTA_TTL_PROPAGATE", Type: decode.U8},
	27: {Name: "RTA_IP_PROTO", Type: decode.U8, Sem: decode.EnumValue, Enum: &ipProtos},
	28: {Name: "RTA_SPORT", Type: decode.BE16},
	29: {Name: "RTA_DPORT", Type: decode.BE16},
	30: {Name: "RTA_NH_ID", Type: decode.U32},
	31: {Name: "RTA_FLOWLABEL", Type: decode.BE32, Sem: decode.Hex},
}}

var metricsAttrs = decode.AttrSet{Name: "RTAX", Attrs: []decode.Attr{
	0:  {Name: "RTAX_UNSPEC"},
	1:  {Name: "RTAX_LOCK", Type: decode.U32, Sem: decode.Hex},
	2:  {Name: "RTAX_MTU", Type: decode.U32},
	3:  {Name: "RTAX_WINDOW", Type: decode.U32},
	4:  {Name: "RTAX_RTT", Type: decode.U32},
	5:  {Name: "RTAX_RTTVAR", Type: decode.U32},
	6:  {Name: "RTAX_SSTHRESH", Type: decode.U32},
	7:  {Name: "RTAX_CWND", Type: decode.U32},
	8:  {Name: "RTAX_ADVMSS", Type: decode.U32},
	9:  {Name: "RTAX_REORDERING", Type: decode.U32},
	10: {Name: "RTAX_HOPLIMIT", Type: decode.U32},
	11: {Name: "RTAX_INITCWND", Type: decode.U32},
	12: {Name: "RTAX_FEATURES", Type: decode.U32, Sem: decode.Hex},
	13: {Name: "RTAX_RTO_MIN", Type: decode.U32},
	14: {Name: "RTAX_INITRWND", Type: decode.U32},
	15: {Name: "RTAX_QUICKACK", Type: decode.U32},
	16: {Name: "RTAX_CC_ALGO", Type: decode.String},
	17: {Name: "RTAX_FASTOPEN_NO_COOKIE", Type: decode.U32},
}}

var mplsEncapAttrs = decode.AttrSet{Name: "MPLS_IPTUNNEL", Attrs: []decode.Attr{
	0: {Name: "MPLS_IPTUNNEL_UNSPEC"},
	1: {Name: "MPLS_IPTUNNEL_DST", Type: decode.Custom, Custom: mplsLabels},
	2: {Name: "MPLS_IPTUNNEL_TTL", Type: decode.U8},
}}

var ipEncapAttrs = decode.AttrSet{Name: "LWTUNNEL_IP", Attrs: []decode.Attr{
	0: {Name: "LWTUNNEL_IP_UNSPEC"},
	1: {Name: "LWTUNNEL_IP_ID", Type: decode.BE64},
	2: {Name: "LWTUNNEL_IP_DST", Type: decode.Addr},
	3: {Name: "LWTUNNEL_IP_SRC", Type: decode.Addr},
	4: {Name: "LWTUNNEL_IP_TTL", Type: decode.U8},
	5: {Name: "LWTUNNEL_IP_TOS", Type: decode.U8},
	6: {Name: "LWTUNNEL_IP_FLAGS", Type: decode.BE16, Sem: decode.Hex},
	7: {Name: "LWTUNNEL_IP_PAD"},
	8: {Name: "LWTUNNEL_IP_OPTS"},
}}

var ip6EncapAttrs = decode.AttrSet{Name: "LWTUNNEL_IP6", Attrs: []decode.Attr{
	0: {Name: "LWTUNNEL_IP6_UNSPEC"},
	1: {Name: "LWTUNNEL_IP6_ID", Type: decode.BE64},
	2: {Name: "LWTUNNEL_IP6_DST", Type: decode.Addr},
	3: {Name: "LWTUNNEL_IP6_SRC", Type: decode.Addr},
	4: {Name: "LWTUNNEL_IP6_HOPLIMIT", Type: decode.U8},
	5: {Name: "LWTUNNEL_IP6_TC", Type: decode.U8},
	6: {Name: "LWTUNNEL_IP6_FLAGS", Type: decode.BE16, Sem: decode.Hex},
	7: {Name: "LWTUNNEL_IP6_PAD"},
	8: {Name: "LWTUNNEL_IP6_OPTS"},
}}

var bpfEncapAttrs = decode.AttrSet{Name: "LWT_BPF", Attrs: []decode.Attr{
	0: {Name: "LWT_BPF_UNSPEC"},
	1: {Name: "LWT_BPF_IN", Type: decode.Nest, Nest: &bpfProgAttrs},
	2: {Name: "LWT_BPF_OUT", Type: decode.Nest, Nest: &bpfProgAttrs},
	3: {Name: "LWT_BPF_XMIT", Type: decode.Nest, Nest: &bpfProgAttrs},
	4: {Name: "LWT_BPF_XMIT_HEADROOM", Type: decode.U32},
}}

var bpfProgAttrs = decode.AttrSet{Name: "LWT_BPF_PROG", Attrs: []decode.Attr{
	0: {Name: "LWT_BPF_PROG_UNSPEC"},
	1: {Name: "LWT_BPF_PROG_FD", Type: decode.U32},
	2: {Name: "LWT_BPF_PROG_NAME", Type: decode.String},
}}

var seg6EncapAttrs = decode.AttrSet{Name: "SEG6_IPTUNNEL", Attrs: []decode.Attr{
	0: {Name: "SEG6_IPTUNNEL_UNSPEC"},
	1: {Name: "SEG6_IPTUNNEL_SRH", Type: decode.Custom, Custom: seg6Encap},
}}

var neighAttrs = decode.AttrSet{Name: "NDA", Attrs: []decode.Attr{
	0:  {Name: "NDA_UNSPEC"},
	1:  {Name: "NDA_DST", Type: decode.Addr},
	2:  {Name: "NDA_LLADDR", Type: decode.HWAddr},
	3:  {Name: "NDA_CACHEINFO", Type: decode.Struct, Struct: &ndaCacheinfo},
	4:  {Name: "NDA_PROBES", Type: decode.U32},
	5:  {Name: "NDA_VLAN", Type: decode.U16},
	6:  {Name: "NDA_PORT", Type: decode.BE16},
	7:  {Name: "NDA_VNI", Type: decode.U32},
	8:  {Name: "NDA_IFINDEX", Type: decode.U32, Sem: decode.Ifindex},
	9:  {Name: "NDA_MASTER", Type: decode.U32, Sem: decode.Ifindex},
	10: {Name: "NDA_LINK_NETNSID", Type: decode.S32, Sem: decode.NetnsID},
	11: {Name: "NDA_SRC_VNI", Type: decode.U32},
	12: {Name: "NDA_PROTOCOL", Type: decode.U8, Sem: decode.EnumValue, Enum: &protocols},
	13: {Name: "NDA_NH_ID", Type: decode.U32},
	14: {Name: "NDA_FDB_EXT_ATTRS"},
	15: {Name: "NDA_FLAGS_EXT", Type: decode.U32, Sem: decode.Hex},
	16: {Name: "NDA_NDM_STATE_MASK", Type: decode.U16, Sem: decode.Hex},
	17: {Name: "NDA_NDM_FLAGS_MASK", Type: decode.U8, Sem: decode.Hex},
}}

var neighTableAttrs = decode.AttrSet{Name: "NDTA", Attrs: []decode.Attr{
	0: {Name: "NDTA_UNSPEC"},
	1: {Name: "NDTA_NAME", Type: decode.String},
	2: {Name: "NDTA_THRESH1", Type: decode.U32},
	3: {Name: "NDTA_THRESH2", Type: decode.U32},
	4: {Name: "NDTA_THRESH3", Type: decode.U32},
	5: {Name: "NDTA_CONFIG", Type: decode.Struct, Struct: &ndtConfig},
	6: {Name: "NDTA_PARMS", Type: decode.Nest, Nest: &neighParmsAttrs},
	7: {Name: "NDTA_STATS", Type: decode.Struct, Struct: &ndtStats},
	8: {Name: "NDTA_GC_INTERVAL", Type: decode.U64, Sem: decode.Millis},
	9: {Name: "NDTA_PAD"},
}}

var neighParmsAttrs = decode.AttrSet{Name: "NDTPA", Attrs: []decode.Attr{
	0:  {Name: "NDTPA_UNSPEC"},
	1:  {Name: "NDTPA_IFINDEX", Type: decode.U32, Sem: decode.Ifindex},
	2:  {Name: "NDTPA_REFCNT", Type: decode.U32},
	3:  {Name: "NDTPA_REACHABLE_TIME", Type: decode.U64, Sem: decode.Millis},
	4:  {Name: "NDTPA_BASE_REACHABLE_TIME", Type: decode.U64, Sem: decode.Millis},
	5:  {Name: "NDTPA_RETRANS_TIME", Type: decode.U64, Sem: decode.Millis},
	6:  {Name: "NDTPA_GC_STALETIME", Type: decode.U64, Sem: decode.Millis},
	7:  {Name: "NDTPA_DELAY_PROBE_TIME", Type: decode.U64, Sem: decode.Millis},
	8:  {Name: "NDTPA_QUEUE_LEN", Type: decode.U32},
	9:  {Name: "NDTPA_APP_PROBES", Type: decode.U32},
	10: {Name: "NDTPA_UCAST_PROBES", Type: decode.U32},
	11: {Name: "NDTPA_MCAST_PROBES", Type: decode.U32},
	12: {Name: "NDTPA_ANYCAST_DELAY", Type: decode.U64, Sem: decode.Millis},
	13: {Name: "NDTPA_PROXY_DELAY", Type: decode.U64, Sem: decode.Millis},
	14: {Name: "NDTPA_PROXY_QLEN", Type: decode.U32},
	15: {Name: "NDTPA_LOCKTIME", Type: decode.U64, Sem: decode.Millis},
	16: {Name: "NDTPA_QUEUE_LENBYTES", Type: decode.U32},
	17: {Name: "NDTPA_MCAST_REPROBES", Type: decode.U32},
	18: {Name: "NDTPA_PAD"},
	19: {Name: "NDTPA_INTERVAL_PROBE_TIME_MS", Type: decode.U64, Sem: decode.Millis},
}}

var ruleAttrs = decode.AttrSet{Name: "FRA", Attrs: []decode.Attr{
	0:  {Name: "FRA_UNSPEC"},
	1:  {Name: "FRA_DST", Type: decode.Addr},
	2:  {Name: "FRA_SRC", Type: decode.Addr},
	3:  {Name: "FRA_IIFNAME", Type: decode.String},
	4:  {Name: "FRA_GOTO", Type: decode.U32},
	5:  {Name: "FRA_UNUSED2"},
	6:  {Name: "FRA_PRIORITY", Type: decode.U32},
	7:  {Name: "FRA_UNUSED3"},
	8:  {Name: "FRA_UNUSED4"},
	9:  {Name: "FRA_UNUSED5"},
	10: {Name: "FRA_FWMARK", Type: decode.U32, Sem: decode.Hex},
	11: {Name: "FRA_FLOW", Type: decode.U32},
	12: {Name: "FRA_TUN_ID", Type: decode.BE64},
	13: {Name: "FRA_SUPPRESS_IFGROUP", Type: decode.U32},
	14: {Name: "FRA_SUPPRESS_PREFIXLEN", Type: decode.U32},
	15: {Name: "FRA_TABLE", Type: decode.U32, Sem: decode.EnumValue, Enum: &tables},
	16: {Name: "FRA_FWMASK", Type: decode.U32, Sem: decode.Hex},
	17: {Name: "FRA_OIFNAME", Type: decode.String},
	18: {Name: "FRA_PAD"},
	19: {Name: "FRA_L3MDEV", Type: decode.U8},
	20: {Name: "FRA_UID_RANGE", Type: decode.Struct, Struct: &uidRange},
	21: {Name: "FRA_PROTOCOL", Type: decode.U8, Sem: decode.EnumValue, Enum: &protocols},
	22: {Name: "FRA_IP_PROTO", Type: decode.U8, Sem: decode.EnumValue, Enum: &ipProtos},
	23: {Name: "FRA_SPORT_RANGE", Type: decode.Struct, Struct: &portRangeHost},
	24: {Name: "FRA_DPORT_RANGE", Type: decode.Struct, Struct: &portRangeHost},
	25: {Name: "FRA_DSCP", Type: decode.U8},
	26: {Name: "FRA_FLOWLABEL", Type: decode.BE32, Sem: decode.Hex},
	27: {Name: "FRA_FLOWLABEL_MASK", Type: decode.BE32, Sem: decode.Hex},
	28: {Name: "FRA_SPORT_MASK", Type: decode.U16, Sem: decode.Hex},
	29: {Name: "FRA_DPORT_MASK", Type: decode.U16, Sem: decode.Hex},
	30: {Name: "FRA_DSCP_MASK", Type: decode.U8, Sem: decode.Hex},
}}

var nexthopAttrs = decode.AttrSet{Name: "NHA", Attrs: []decode.Attr{
	0:  {Name: "NHA_UNSPEC"},
	1:  {Name: "NHA_ID", Type: decode.U32},
	2:  {Name: "NHA_GROUP", Type: decode.StructArray, Struct: &nexthopGrp},
	3:  {Name: "NHA_GROUP_TYPE", Type: decode.U16, Sem: decode.EnumValue, Enum: &nhGroupTypes},
	4:  {Name: "NHA_BLACKHOLE", Type: decode.Flag},
	5:  {Name: "NHA_OIF", Type: decode.U32, Sem: decode.Ifindex},
	6:  {Name: "NHA_GATEWAY", Type: decode.Addr},
	7:  {Name: "NHA_ENCAP_TYPE", Type: decode.U16, Sem: decode.EnumValue, Enum: &encapTypes},
	8:  {Name: "NHA_ENCAP", Type: decode.Nest, Select: selectEncap},
	9:  {Name: "NHA_GROUPS", Type: decode.Flag},
	10: {Name: "NHA_MASTER", Type: decode.U32, Sem: decode.Ifindex},
	11: {Name: "NHA_FDB", Type: decode.Flag},
	12: {Name: "NHA_RES_GROUP", Type: decode.Nest, Nest: &nhResGroupAttrs},
	13: {Name: "NHA_RES_BUCKET", Type: decode.Nest, Nest: &nhResBucketAttrs},
	14: {Name: "NHA_OP_FLAGS", Type: decode.U32, Sem: decode.Hex},
	15: {Name: "NHA_GROUP_STATS"},
	16: {Name: "NHA_HW_STATS_ENABLE", Type: decode.U32},
	17: {Name: "NHA_HW_STATS_USED", Type: decode.U32},
}}

var nhResGroupAttrs = decode.AttrSet{Name: "NHA_RES_GROUP", Attrs: []decode.Attr{
	0: {Name: "NHA_RES_GROUP_UNSPEC"},
	1: {Name: "NHA_RES_GROUP_BUCKETS", Type: decode.U16},
	2: {Name: "NHA_RES_GROUP_IDLE_TIMER", Type: decode.U32, Sem: decode.Centis},
	3: {Name: "NHA_RES_GROUP_UNBALANCED_TIMER", Type: decode.U32, Sem: decode.Centis},
	4: {Name: "NHA_RES_GROUP_UNBALANCED_TIME", Type: decode.U64, Sem: decode.Centis},
}}

var nhResBucketAttrs = decode.AttrSet{Name: "NHA_RES_BUCKET", Attrs: []decode.Attr{
	0: {Name: "NHA_RES_BUCKET_UNSPEC"},
	1: {Name: "NHA_RES_BUCKET_INDEX", Type: decode.U16},
	2: {Name: "NHA_RES_BUCKET_IDLE_TIME", Type: decode.U64, Sem: decode.Centis},
	3: {Name: "NHA_RES_BUCKET_NH_ID", Type: decode.U32},
}}

var netconfAttrs = decode.AttrSet{Name: "NETCONFA", Attrs: []decode.Attr{
	0: {Name: "NETCONFA_UNSPEC"},
	1: {Name: "NETCONFA_IFINDEX", Type: decode.S32, Sem: decode.Ifindex},
	2: {Name: "NETCONFA_FORWARDING", Type: decode.S32},
	3: {Name: "NETCONFA_RP_FILTER", Type: decode.S32},
	4: {Name: "NETCONFA_MC_FORWARDING", Type: decode.S32},
	5: {Name: "NETCONFA_PROXY_NEIGH", Type: decode.S32},
	6: {Name: "NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN", Type: decode.S32},
	7: {Name: "NETCONFA_INPUT", Type: decode.S32},
	8: {Name: "NETCONFA_BC_FORWARDING", Type: decode.S32},
	9: {Name: "NETCONFA_FORCE_FORWARDING", Type: decode.S32},
}}

var nsidAttrs = decode.AttrSet{Name: "NETNSA", Attrs: []decode.Attr{
	0: {Name: "NETNSA_NONE", Type: decode.S32},
	1: {Name: "NETNSA_NSID", Type: decode.S32, Sem: decode.NetnsID},
	2: {Name: "NETNSA_PID", Type: decode.U32},
	3: {Name: "NETNSA_FD", Type: decode.U32},
	4: {Name: "NETNSA_TARGET_NSID", Type: decode.S32, Sem: decode.NetnsID},
	5: {Name: "NETNSA_CURRENT_NSID", Type: decode.S32, Sem: decode.NetnsID},
}}

var mdbAttrs = decode.AttrSet{Name: "MDBA", Attrs: []decode.Attr{
	0: {Name: "MDBA_UNSPEC"},
	1: {Name: "MDBA_MDB", Type: decode.Nest, Nest: &mdbMdbAttrs},
	2: {Name: "MDBA_ROUTER", Type: decode.Nest, Nest: &mdbRouterAttrs},
}}

var mdbMdbAttrs = decode.AttrSet{Name: "MDBA_MDB", Attrs: []decode.Attr{
	0: {Name: "MDBA_MDB_UNSPEC"},
	1: {Name: "MDBA_MDB_ENTRY", Type: decode.Nest, Nest: &mdbEntryListAttrs},
}}

var mdbEntryListAttrs = decode.AttrSet{Name: "MDBA_MDB_ENTRY", Attrs: []decode.Attr{
	0: {Name: "MDBA_MDB_ENTRY_UNSPEC"},
	1: {Name: "MDBA_MDB_ENTRY_INFO", Type: decode.Custom, Custom: mdbEntryInfo},
}}

var mdbEntryAttrs = decode.AttrSet{Name: "MDBA_MDB_EATTR", Attrs: []decode.Attr{
	0: {Name: "MDBA_MDB_EATTR_UNSPEC"},
	1: {Name: "MDBA_MDB_EATTR_TIMER", Type: decode.U32, Sem: decode.Centis},
	2: {Name: "MDBA_MDB_EATTR_SRC_LIST"},
	3: {Name: "MDBA_MDB_EATTR_GROUP_MODE", Type: decode.U8},
	4: {Name: "MDBA_MDB_EATTR_SOURCE", Type: decode.Addr},
	5: {Name: "MDBA_MDB_EATTR_RTPROT", Type: decode.U8, Sem: decode.EnumValue, Enum: &protocols},
}}

var mdbRouterAttrs = decode.AttrSet{Name: "MDBA_ROUTER", Attrs: []decode.Attr{
	0: {Name: "MDBA_ROUTER_UNSPEC"},
	1: {Name: "MDBA_ROUTER_PORT", Type: decode.Custom, Custom: mdbRouterPort},
}}

var mdbRouterPortAttrs = decode.AttrSet{Name: "MDBA_ROUTER_PATTR", Attrs: []decode.Attr{
	0: {Name: "MDBA_ROUTER_PATTR_UNSPEC"},
	1: {Name: "MDBA_ROUTER_PATTR_TIMER", Type: decode.U32, Sem: decode.Centis},
	2: {Name: "MDBA_ROUTER_PATTR_TYPE", Type: decode.U8},
	3: {Name: "MDBA_ROUTER_PATTR_INET_TIMER", Type: decode.U32, Sem: decode.Centis},
	4: {Name: "MDBA_ROUTER_PATTR_INET6_TIMER", Type: decode.U32, Sem: decode.Centis},
	5: {Name: "MDBA_ROUTER_PATTR_VID", Type: decode.U16},
}}

var statsAttrs = decode.AttrSet{Name: "IFLA_STATS", Attrs: []decode.Attr{
	0: {Name: "IFLA_STATS_UNSPEC"},
	1: {Name: "IFLA_STATS_LINK_64", Type: decode.Struct, Struct: &linkStats64},
	2: {Name: "IFLA_STATS_LINK_XSTATS"},
	3: {Name: "IFLA_STATS_LINK_XSTATS_SLAVE"},
	4: {Name: "IFLA_STATS_LINK_OFFLOAD_XSTATS"},
	5: {Name: "IFLA_STATS_AF_SPEC"},
}}

var inetConf = decode.Layout{Name: "ipv4_devconf", Size: 132, Members: []decode.Attr{
	{Name: "IPV4_DEVCONF_FORWARDING", Type: decode.U32, Off: 0},
	{Name: "IPV4_DEVCONF_MC_FORWARDING", Type: decode.U32, Off: 4},
	{Name: "IPV4_DEVCONF_PROXY_ARP", Type: decode.U32, Off: 8},
	{Name: "IPV4_DEVCONF_ACCEPT_REDIRECTS", Type: decode.U32, Off: 12},
	{Name: "IPV4_DEVCONF_SECURE_REDIRECTS", Type: decode.U32, Off: 16},
	{Name: "IPV4_DEVCONF_SEND_REDIRECTS", Type: decode.U32, Off: 20},
	{Name: "IPV4_DEVCONF_SHARED_MEDIA", Type: decode.U32, Off: 24},
	{Name: "IPV4_DEVCONF_RP_FILTER", Type: decode.U32, Off: 28},
	{Name: "IPV4_DEVCONF_ACCEPT_SOURCE_ROUTE", Type: decode.U32, Off: 32},
	{Name: "IPV4_DEVCONF_BOOTP_RELAY", Type: decode.U32, Off: 36},
	{Name: "IPV4_DEVCONF_LOG_MARTIANS", Type: decode.U32, Off: 40},
	{Name: "IPV4_DEVCONF_TAG", Type: decode.U32, Off: 44},
	{Name: "IPV4_DEVCONF_ARPFILTER", Type: decode.U32, Off: 48},
	{Name: "IPV4_DEVCONF_MEDIUM_ID", Type: decode.U32, Off: 52},
	{Name: "IPV4_DEVCONF_NOXFRM", Type: decode.U32, Off: 56},
	{Name: "IPV4_DEVCONF_NOPOLICY", Type: decode.U32, Off: 60},
	{Name: "IPV4_DEVCONF_FORCE_IGMP_VERSION", Type: decode.U32, Off: 64},
	{Name: "IPV4_DEVCONF_ARP_ANNOUNCE", Type: decode.U32, Off: 68},
	{Name: "IPV4_DEVCONF_ARP_IGNORE", Type: decode.U32, Off: 72},
	{Name: "IPV4_DEVCONF_PROMOTE_SECONDARIES", Type: decode.U32, Off: 76},
	{Name: "IPV4_DEVCONF_ARP_ACCEPT", Type: decode.U32, Off: 80},
	{Name: "IPV4_DEVCONF_ARP_NOTIFY", Type: decode.U32, Off: 84},
	{Name: "IPV4_DEVCONF_ACCEPT_LOCAL", Type: decode.U32, Off: 88},
	{Name: "IPV4_DEVCONF_SRC_VMARK", Type: decode.U32, Off: 92},
	{Name: "IPV4_DEVCONF_PROXY_ARP_PVLAN", Type: decode.U32, Off: 96},
	{Name: "IPV4_DEVCONF_ROUTE_LOCALNET", Type: decode.U32, Off: 100},
	{Name: "IPV4_DEVCONF_IGMPV2_UNSOLICITED_REPORT_INTERVAL", Type: decode.U32, Off: 104},
	{Name: "IPV4_DEVCONF_IGMPV3_UNSOLICITED_REPORT_INTERVAL", Type: decode.U32, Off: 108},
	{Name: "IPV4_DEVCONF_IGNORE_ROUTES_WITH_LINKDOWN", Type: decode.U32, Off: 112},
	{Name: "IPV4_DEVCONF_DROP_UNICAST_IN_L2_MULTICAST", Type: decode.U32, Off: 116},
	{Name: "IPV4_DEVCONF_DROP_GRATUITOUS_ARP", Type: decode.U32, Off: 120},
	{Name: "IPV4_DEVCONF_BC_FORWARDING", Type: decode.U32, Off: 124},
	{Name: "IPV4_DEVCONF_ARP_EVICT_NOCARRIER", Type: decode.U32, Off: 128},
}, Tail: &decode.Attr{Name: "IPV4_DEVCONF_", Type: decode.U32}, TailBase: 1}

var inet6Conf = decode.Layout{Name: "ipv6_devconf", Size: 240, Members: []decode.Attr{
	{Name: "DEVCONF_FORWARDING", Type: decode.S32, Off: 0},
	{Name: "DEVCONF_HOPLIMIT", Type: decode.S32, Off: 4},
	{Name: "DEVCONF_MTU6", Type: decode.S32, Off: 8},
	{Name: "DEVCONF_ACCEPT_RA", Type: decode.S32, Off: 12},
	{Name: "DEVCONF_ACCEPT_REDIRECTS", Type: decode.S32, Off: 16},
	{Name: "DEVCONF_AUTOCONF", Type: decode.S32, Off: 20},
	{Name: "DEVCONF_DAD_TRANSMITS", Type: decode.S32, Off: 24},
	{Name: "DEVCONF_RTR_SOLICITS", Type: decode.S32, Off: 28},
	{Name: "DEVCONF_RTR_SOLICIT_INTERVAL", Type: decode.S32, Off: 32},
	{Name: "DEVCONF_RTR_SOLICIT_DELAY", Type: decode.S32, Off: 36},
	{Name: "DEVCONF_USE_TEMPADDR", Type: decode.S32, Off: 40},
	{Name: "DEVCONF_TEMP_VALID_LFT", Type: decode.S32, Off: 44},
	{Name: "DEVCONF_TEMP_PREFERED_LFT", Type: decode.S32, Off: 48},
	{Name: "DEVCONF_REGEN_MAX_RETRY", Type: decode.S32, Off: 52},
	{Name: "DEVCONF_MAX_DESYNC_FACTOR", Type: decode.S32, Off: 56},
	{Name: "DEVCONF_MAX_ADDRESSES", Type: decode.S32, Off: 60},
	{Name: "DEVCONF_FORCE_MLD_VERSION", Type: decode.S32, Off: 64},
	{Name: "DEVCONF_ACCEPT_RA_DEFRTR", Type: decode.S32, Off: 68},
	{Name: "DEVCONF_ACCEPT_RA_PINFO", Type: decode.S32, Off: 72},
	{Name: "DEVCONF_ACCEPT_RA_RTR_PREF", Type: decode.S32, Off: 76},
	{Name: "DEVCONF_RTR_PROBE_INTERVAL", Type: decode.S32, Off: 80},
	{Name: "DEVCONF_ACCEPT_RA_RT_INFO_MAX_PLEN", Type: decode.S32, Off: 84},
	{Name: "DEVCONF_PROXY_NDP", Type: decode.S32, Off: 88},
	{Name: "DEVCONF_OPTIMISTIC_DAD", Type: decode.S32, Off: 92},
	{Name: "DEVCONF_ACCEPT_SOURCE_ROUTE", Type: decode.S32, Off: 96},
	{Name: "DEVCONF_MC_FORWARDING", Type: decode.S32, Off: 100},
	{Name: "DEVCONF_DISABLE_IPV6", Type: decode.S32, Off: 104},
	{Name: "DEVCONF_ACCEPT_DAD", Type: decode.S32, Off: 108},
	{Name: "DEVCONF_FORCE_TLLAO", Type: decode.S32, Off: 112},
	{Name: "DEVCONF_NDISC_NOTIFY", Type: decode.S32, Off: 116},
	{Name: "DEVCONF_MLDV1_UNSOLICITED_REPORT_INTERVAL", Type: decode.S32, Off: 120},
	{Name: "DEVCONF_MLDV2_UNSOLICITED_REPORT_INTERVAL", Type: decode.S32, Off: 124},
	{Name: "DEVCONF_SUPPRESS_FRAG_NDISC", Type: decode.S32, Off: 128},
	{Name: "DEVCONF_ACCEPT_RA_FROM_LOCAL", Type: decode.S32, Off: 132},
	{Name: "DEVCONF_USE_OPTIMISTIC", Type: decode.S32, Off: 136},
	{Name: "DEVCONF_ACCEPT_RA_MTU", Type: decode.S32, Off: 140},
	{Name: "DEVCONF_STABLE_SECRET", Type: decode.S32, Off: 144},
	{Name: "DEVCONF_USE_OIF_ADDRS_ONLY", Type: decode.S32, Off: 148},
	{Name: "DEVCONF_ACCEPT_RA_MIN_HOP_LIMIT", Type: decode.S32, Off: 152},
	{Name: "DEVCONF_IGNORE_ROUTES_WITH_LINKDOWN", Type: decode.S32, Off: 156},
	{Name: "DEVCONF_DROP_UNICAST_IN_L2_MULTICAST", Type: decode.S32, Off: 160},
	{Name: "DEVCONF_DROP_UNSOLICITED_NA", Type: decode.S32, Off: 164},
	{Name: "DEVCONF_KEEP_ADDR_ON_DOWN", Type: decode.S32, Off: 168},
	{Name: "DEVCONF_RTR_SOLICIT_MAX_INTERVAL", Type: decode.S32, Off: 172},
	{Name: "DEVCONF_SEG6_ENABLED", Type: decode.S32, Off: 176},
	{Name: "DEVCONF_SEG6_REQUIRE_HMAC", Type: decode.S32, Off: 180},
	{Name: "DEVCONF_ENHANCED_DAD", Type: decode.S32, Off: 184},
	{Name: "DEVCONF_ADDR_GEN_MODE", Type: decode.S32, Off: 188},
	{Name: "DEVCONF_DISABLE_POLICY", Type: decode.S32, Off: 192},
	{Name: "DEVCONF_ACCEPT_RA_RT_INFO_MIN_PLEN", Type: decode.S32, Off: 196},
	{Name: "DEVCONF_NDISC_TCLASS", Type: decode.S32, Off: 200},
	{Name: "DEVCONF_RPL_SEG_ENABLED", Type: decode.S32, Off: 204},
	{Name: "DEVCONF_RA_DEFRTR_METRIC", Type: decode.S32, Off: 208},
	{Name: "DEVCONF_IOAM6_ENABLED", Type: decode.S32, Off: 212},
	{Name: "DEVCONF_IOAM6_ID", Type: decode.S32, Off: 216},
	{Name: "DEVCONF_IOAM6_ID_WIDE", Type: decode.S32, Off: 220},
	{Name: "DEVCONF_NDISC_EVICT_NOCARRIER", Type: decode.S32, Off: 224},
	{Name: "DEVCONF_ACCEPT_UNTRACKED_NA", Type: decode.S32, Off: 228},
	{Name: "DEVCONF_ACCEPT_RA_MIN_LFT", Type: decode.S32, Off: 232},
	{Name: "DEVCONF_FORCE_FORWARDING", Type: decode.S32, Off: 236},
}, Tail: &decode.Attr{Name: "DEVCONF_", Type: decode.S32}}

// IFLA_INET6_STATS is an array indexed by the kernel's IPSTATS_MIB_* enum,
// whose order changed twice: Linux 6.3 added OUTPKTS (OutTransmits) at the
// end, and Linux 6.15 moved the hot counters (ECN, OutRequests,
// OutTransmits, OutOctets, OutForwDatagrams) to the front. Its length
// tells 6.1-6.2 (37 counters) from later kernels (38); 6.3-6.14 send 38
// counters too, in the middle order, and are read with today's numbering,
// so on those kernels the counters from index 4 on are named wrong (the
// README says so). /proc/net/dev_snmp6 names them by the kernel's own
// table; TestInet6StatsMatchProc checks ours against it.
var inet6Stats = decode.Layout{Name: "ipstats_mib", Size: 304, Older: []*decode.Layout{&inet6StatsV61}, Members: []decode.Attr{
	{Name: "IPSTATS_MIB_NUM", Type: decode.U64, Off: 0},
	{Name: "IPSTATS_MIB_INPKTS", Type: decode.U64, Off: 8},
	{Name: "IPSTATS_MIB_INOCTETS", Type: decode.U64, Off: 16},
	{Name: "IPSTATS_MIB_INDELIVERS", Type: decode.U64, Off: 24},
	{Name: "IPSTATS_MIB_NOECTPKTS", Type: decode.U64, Off: 32},
	{Name: "IPSTATS_MIB_ECT1PKTS", Type: decode.U64, Off: 40},
	{Name: "IPSTATS_MIB_ECT0PKTS", Type: decode.U64, Off: 48},
	{Name: "IPSTATS_MIB_CEPKTS", Type: decode.U64, Off: 56},
	{Name: "IPSTATS_MIB_OUTREQUESTS", Type: decode.U64, Off: 64},
	{Name: "IPSTATS_MIB_OUTPKTS", Type: decode.U64, Off: 72},
	{Name: "IPSTATS_MIB_OUTOCTETS", Type: decode.U64, Off: 80},
	{Name: "IPSTATS_MIB_OUTFORWDATAGRAMS", Type: decode.U64, Off: 88},
	{Name: "IPSTATS_MIB_INHDRERRORS", Type: decode.U64, Off: 96},
	{Name: "IPSTATS_MIB_INTOOBIGERRORS", Type: decode.U64, Off: 104},
	{Name: "IPSTATS_MIB_INNOROUTES", Type: decode.U64, Off: 112},
	{Name: "IPSTATS_MIB_INADDRERRORS", Type: decode.U64, Off: 120},
	{Name: "IPSTATS_MIB_INUNKNOWNPROTOS", Type: decode.U64, Off: 128},
	{Name: "IPSTATS_MIB_INTRUNCATEDPKTS", Type: decode.U64, Off: 136},
	{Name: "IPSTATS_MIB_INDISCARDS", Type: decode.U64, Off: 144},
	{Name: "IPSTATS_MIB_OUTDISCARDS", Type: decode.U64, Off: 152},
	{Name: "IPSTATS_MIB_OUTNOROUTES", Type: decode.U64, Off: 160},
	{Name: "IPSTATS_MIB_REASMTIMEOUT", Type: decode.U64, Off: 168},
	{Name: "IPSTATS_MIB_REASMREQDS", Type: decode.U64, Off: 176},
	{Name: "IPSTATS_MIB_REASMOKS", Type: decode.U64, Off: 184},
	{Name: "IPSTATS_MIB_REASMFAILS", Type: decode.U64, Off: 192},
	{Name: "IPSTATS_MIB_FRAGOKS", Type: decode.U64, Off: 200},
	{Name: "IPSTATS_MIB_FRAGFAILS", Type: decode.U64, Off: 208},
	{Name: "IPSTATS_MIB_FRAGCREATES", Type: decode.U64, Off: 216},
	{Name: "IPSTATS_MIB_INMCASTPKTS", Type: decode.U64, Off: 224},
	{Name: "IPSTATS_MIB_OUTMCASTPKTS", Type: decode.U64, Off: 232},
	{Name: "IPSTATS_MIB_INBCASTPKTS", Type: decode.U64, Off: 240},
	{Name: "IPSTATS_MIB_OUTBCASTPKTS", Type: decode.U64, Off: 248},
	{Name: "IPSTATS_MIB_INMCASTOCTETS", Type: decode.U64, Off: 256},
	{Name: "IPSTATS_MIB_OUTMCASTOCTETS", Type: decode.U64, Off: 264},
	{Name: "IPSTATS_MIB_INBCASTOCTETS", Type: decode.U64, Off: 272},
	{Name: "IPSTATS_MIB_OUTBCASTOCTETS", Type: decode.U64, Off: 280},
	{Name: "IPSTATS_MIB_CSUMERRORS", Type: decode.U64, Off: 288},
	{Name: "IPSTATS_MIB_REASM_OVERLAPS", Type: decode.U64, Off: 296},
}, Tail: &decode.Attr{Name: "IPSTATS_MIB_", Type: decode.U64}}

// inet6StatsV61 is the order of Linux 6.1 and 6.2: no OutTransmits, the
// ECN counters near the end.
var inet6StatsV61 = decode.Layout{Name: "ipstats_mib", Size: 296, Members: []decode.Attr{
	{Name: "IPSTATS_MIB_NUM", Type: decode.U64, Off: 0},
	{Name: "IPSTATS_MIB_INPKTS", Type: decode.U64, Off: 8},
	{Name: "IPSTATS_MIB_INOCTETS", Type: decode.U64, Off: 16},
	{Name: "IPSTATS_MIB_INDELIVERS", Type: decode.U64, Off: 24},
	{Name: "IPSTATS_MIB_OUTFORWDATAGRAMS", Type: decode.U64, Off: 32},
	{Name: "IPSTATS_MIB_OUTREQUESTS", Type: decode.U64, Off: 40},
	{Name: "IPSTATS_MIB_OUTOCTETS", Type: decode.U64, Off: 48},
	{Name: "IPSTATS_MIB_INHDRERRORS", Type: decode.U64, Off: 56},
	{Name: "IPSTATS_MIB_INTOOBIGERRORS", Type: decode.U64, Off: 64},
	{Name: "IPSTATS_MIB_INNOROUTES", Type: decode.U64, Off: 72},
	{Name: "IPSTATS_MIB_INADDRERRORS", Type: decode.U64, Off: 80},
	{Name: "IPSTATS_MIB_INUNKNOWNPROTOS", Type: decode.U64, Off: 88},
	{Name: "IPSTATS_MIB_INTRUNCATEDPKTS", Type: decode.U64, Off: 96},
	{Name: "IPSTATS_MIB_INDISCARDS", Type: decode.U64, Off: 104},
	{Name: "IPSTATS_MIB_OUTDISCARDS", Type: decode.U64, Off: 112},
	{Name: "IPSTATS_MIB_OUTNOROUTES", Type: decode.U64, Off: 120},
	{Name: "IPSTATS_MIB_REASMTIMEOUT", Type: decode.U64, Off: 128},
	{Name: "IPSTATS_MIB_REASMREQDS", Type: decode.U64, Off: 136},
	{Name: "IPSTATS_MIB_REASMOKS", Type: decode.U64, Off: 144},
	{Name: "IPSTATS_MIB_REASMFAILS", Type: decode.U64, Off: 152},
	{Name: "IPSTATS_MIB_FRAGOKS", Type: decode.U64, Off: 160},
	{Name: "IPSTATS_MIB_FRAGFAILS", Type: decode.U64, Off: 168},
	{Name: "IPSTATS_MIB_FRAGCREATES", Type: decode.U64, Off: 176},
	{Name: "IPSTATS_MIB_INMCASTPKTS", Type: decode.U64, Off: 184},
	{Name: "IPSTATS_MIB_OUTMCASTPKTS", Type: decode.U64, Off: 192},
	{Name: "IPSTATS_MIB_INBCASTPKTS", Type: decode.U64, Off: 200},
	{Name: "IPSTATS_MIB_OUTBCASTPKTS", Type: decode.U64, Off: 208},
	{Name: "IPSTATS_MIB_INMCASTOCTETS", Type: decode.U64, Off: 216},
	{Name: "IPSTATS_MIB_OUTMCASTOCTETS", Type: decode.U64, Off: 224},
	{Name: "IPSTATS_MIB_INBCASTOCTETS", Type: decode.U64, Off: 232},
	{Name: "IPSTATS_MIB_OUTBCASTOCTETS", Type: decode.U64, Off: 240},
	{Name: "IPSTATS_MIB_CSUMERRORS", Type: decode.U64, Off: 248},
	{Name: "IPSTATS_MIB_NOECTPKTS", Type: decode.U64, Off: 256},
	{Name: "IPSTATS_MIB_ECT1PKTS", Type: decode.U64, Off: 264},
	{Name: "IPSTATS_MIB_ECT0PKTS", Type: decode.U64, Off: 272},
	{Name: "IPSTATS_MIB_CEPKTS", Type: decode.U64, Off: 280},
	{Name: "IPSTATS_MIB_REASM_OVERLAPS", Type: decode.U64, Off: 288},
}, Tail: &decode.Attr{Name: "IPSTATS_MIB_", Type: decode.U64}}

var icmp6Stats = decode.Layout{Name: "icmp6_mib", Size: 56, Members: []decode.Attr{
	{Name: "ICMP6_MIB_NUM", Type: decode.U64, Off: 0},
	{Name: "ICMP6_MIB_INMSGS", Type: decode.U64, Off: 8},
	{Name: "ICMP6_MIB_INERRORS", Type: decode.U64, Off: 16},
	{Name: "ICMP6_MIB_OUTMSGS", Type: decode.U64, Off: 24},
	{Name: "ICMP6_MIB_OUTERRORS", Type: decode.U64, Off: 32},
	{Name: "ICMP6_MIB_CSUMERRORS", Type: decode.U64, Off: 40},
	{Name: "ICMP6_MIB_RATELIMITHOST", Type: decode.U64, Off: 48},
}, Tail: &decode.Attr{Name: "ICMP6_MIB_", Type: decode.U64}}
