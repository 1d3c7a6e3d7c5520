package rtnl

import (
	"github.com/nltrace/nltrace/decode"
)

// Bridge VLAN database messages (RTM_NEWVLAN, RTM_DELVLAN, RTM_GETVLAN) and
// VXLAN VNI filter messages (RTM_NEWTUNNEL, RTM_DELTUNNEL, RTM_GETTUNNEL).
// Constants come from linux/if_bridge.h and linux/if_link.h; attribute
// numbers newer than the installed headers (BRIDGE_VLANDB_ENTRY 7-9) were
// checked against the kernel's uapi history.

// Message types from linux/rtnetlink.h, newer than some x/sys releases.
const (
	rtmNewVlan   = 112
	rtmDelVlan   = 113
	rtmGetVlan   = 114
	rtmNewTunnel = 120
	rtmDelTunnel = 121
	rtmGetTunnel = 122
)

var brVlanMsg = decode.Layout{Name: "br_vlan_msg", Size: 8, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "ifindex", Type: decode.U32, Sem: decode.Ifindex, Off: 4},
}}

// BRIDGE_VLANDB_* in RTM_NEWVLAN and RTM_DELVLAN (requests, dump replies
// and notifications).
var vlanDBAttrs = decode.AttrSet{Name: "BRIDGE_VLANDB", Attrs: []decode.Attr{
	1: {Name: "BRIDGE_VLANDB_ENTRY", Type: decode.Nest, Nest: &vlanDBEntryAttrs},
	2: {Name: "BRIDGE_VLANDB_GLOBAL_OPTIONS", Type: decode.Nest, Nest: &vlanDBGlobalAttrs},
}}

// BRIDGE_VLANDB_DUMP_* in RTM_GETVLAN dump requests, where type 1 is the
// dump flags, not an entry.
var vlanDBDumpAttrs = decode.AttrSet{Name: "BRIDGE_VLANDB_DUMP", Attrs: []decode.Attr{
	1: {Name: "BRIDGE_VLANDB_DUMP_FLAGS", Type: decode.U32, Sem: decode.FlagBits, Flags: &vlanDBDumpFlags},
}}

var vlanDBDumpFlags = decode.FlagSet{Name: "BRIDGE_VLANDB_DUMPF", Bits: []string{"STATS", "GLOBAL"}}

var vlanDBEntryAttrs = decode.AttrSet{Name: "BRIDGE_VLANDB_ENTRY", Attrs: []decode.Attr{
	1: {Name: "BRIDGE_VLANDB_ENTRY_INFO", Type: decode.Struct, Struct: &vlanDBInfo},
	2: {Name: "BRIDGE_VLANDB_ENTRY_RANGE", Type: decode.U16},
	3: {Name: "BRIDGE_VLANDB_ENTRY_STATE", Type: decode.U8, Sem: decode.EnumValue, Enum: &brportStates},
	4: {Name: "BRIDGE_VLANDB_ENTRY_TUNNEL_INFO", Type: decode.Nest, Nest: &vlanDBTunnelInfoAttrs},
	5: {Name: "BRIDGE_VLANDB_ENTRY_STATS", Type: decode.Nest, Nest: &vlanDBStatsAttrs},
	6: {Name: "BRIDGE_VLANDB_ENTRY_MCAST_ROUTER", Type: decode.U8, Sem: decode.EnumValue, Enum: &mcastRouterTypes},
	7: {Name: "BRIDGE_VLANDB_ENTRY_MCAST_N_GROUPS", Type: decode.U32},
	8: {Name: "BRIDGE_VLANDB_ENTRY_MCAST_MAX_GROUPS", Type: decode.U32},
	9: {Name: "BRIDGE_VLANDB_ENTRY_NEIGH_SUPPRESS", Type: decode.U8, Sem: decode.Bool},
}}

// vlanDBInfo is struct bridge_vlan_info with its flags named (the
// IFLA_BRIDGE_VLAN_INFO layout keeps them in hex).
var vlanDBInfo = decode.Layout{Name: "bridge_vlan_info", Size: 4, Members: []decode.Attr{
	{Name: "flags", Type: decode.U16, Sem: decode.FlagBits, Flags: &vlanInfoFlags, Off: 0},
	{Name: "vid", Type: decode.U16, Off: 2},
}}

var vlanInfoFlags = decode.FlagSet{Name: "BRIDGE_VLAN_INFO", Bits: []string{
	"master", "pvid", "untagged", "range_begin", "range_end", "brentry", "only_opts",
}}

// MDB_RTR_TYPE_*, named as bridge(8) names them.
var mcastRouterTypes = decode.Enum{Name: "MDB_RTR_TYPE", Names: []string{"disabled", "temp_query", "permanent", "temp"}}

var vlanDBTunnelInfoAttrs = decode.AttrSet{Name: "BRIDGE_VLANDB_TINFO", Attrs: []decode.Attr{
	1: {Name: "BRIDGE_VLANDB_TINFO_ID", Type: decode.U32},
	2: {Name: "BRIDGE_VLANDB_TINFO_CMD", Type: decode.U32},
}}

var vlanDBStatsAttrs = decode.AttrSet{Name: "BRIDGE_VLANDB_STATS", Attrs: []decode.Attr{
	1: {Name: "BRIDGE_VLANDB_STATS_RX_BYTES", Type: decode.U64, Sem: decode.Bytes},
	2: {Name: "BRIDGE_VLANDB_STATS_RX_PACKETS", Type: decode.U64},
	3: {Name: "BRIDGE_VLANDB_STATS_TX_BYTES", Type: decode.U64, Sem: decode.Bytes},
	4: {Name: "BRIDGE_VLANDB_STATS_TX_PACKETS", Type: decode.U64},
	5: {Name: "BRIDGE_VLANDB_STATS_PAD", Type: decode.Binary},
}}

// BRIDGE_VLANDB_GOPTS_*: the bridge's per-VLAN multicast options. The
// intervals are clock_t (USER_HZ) values, as in IFLA_BR_MCAST_*_INTVL.
var vlanDBGlobalAttrs = decode.AttrSet{Name: "BRIDGE_VLANDB_GOPTS", Attrs: []decode.Attr{
	1:  {Name: "BRIDGE_VLANDB_GOPTS_ID", Type: decode.U16},
	2:  {Name: "BRIDGE_VLANDB_GOPTS_RANGE", Type: decode.U16},
	3:  {Name: "BRIDGE_VLANDB_GOPTS_MCAST_SNOOPING", Type: decode.U8, Sem: decode.Bool},
	4:  {Name: "BRIDGE_VLANDB_GOPTS_MCAST_IGMP_VERSION", Type: decode.U8},
	5:  {Name: "BRIDGE_VLANDB_GOPTS_MCAST_MLD_VERSION", Type: decode.U8},
	6:  {Name: "BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_CNT", Type: decode.U32},
	7:  {Name: "BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_CNT", Type: decode.U32},
	8:  {Name: "BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_INTVL", Type: decode.U64, Sem: decode.Centis},
	9:  {Name: "BRIDGE_VLANDB_GOPTS_PAD", Type: decode.Binary},
	10: {Name: "BRIDGE_VLANDB_GOPTS_MCAST_MEMBERSHIP_INTVL", Type: decode.U64, Sem: decode.Centis},
	11: {Name: "BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_INTVL", Type: decode.U64, Sem: decode.Centis},
	12: {Name: "BRIDGE_VLANDB_GOPTS_MCAST_QUERY_INTVL", Type: decode.U64, Sem: decode.Centis},
	13: {Name: "BRIDGE_VLANDB_GOPTS_MCAST_QUERY_RESPONSE_INTVL", Type: decode.U64, Sem: decode.Centis},
	14: {Name: "BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_INTVL", Type: decode.U64, Sem: decode.Centis},
	15: {Name: "BRIDGE_VLANDB_GOPTS_MCAST_QUERIER", Type: decode.U8, Sem: decode.Bool},
	16: {Name: "BRIDGE_VLANDB_GOPTS_MCAST_ROUTER_PORTS", Type: decode.Nest, Nest: &mdbRouterAttrs},
	17: {Name: "BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_STATE", Type: decode.Nest, Nest: &querierStateAttrs},
	18: {Name: "BRIDGE_VLANDB_GOPTS_MSTI", Type: decode.U16},
}}

// BRIDGE_QUERIER_*: the querier a bridge (or one of its VLANs) has seen.
var querierStateAttrs = decode.AttrSet{Name: "BRIDGE_QUERIER", Attrs: []decode.Attr{
	1: {Name: "BRIDGE_QUERIER_IP_ADDRESS", Type: decode.Addr},
	2: {Name: "BRIDGE_QUERIER_IP_PORT", Type: decode.U32, Sem: decode.Ifindex},
	3: {Name: "BRIDGE_QUERIER_IP_OTHER_TIMER", Type: decode.U64, Sem: decode.Centis},
	4: {Name: "BRIDGE_QUERIER_PAD", Type: decode.Binary},
	5: {Name: "BRIDGE_QUERIER_IPV6_ADDRESS", Type: decode.Addr},
	6: {Name: "BRIDGE_QUERIER_IPV6_PORT", Type: decode.U32, Sem: decode.Ifindex},
	7: {Name: "BRIDGE_QUERIER_IPV6_OTHER_TIMER", Type: decode.U64, Sem: decode.Centis},
}}

var tunnelMsg = decode.Layout{Name: "tunnel_msg", Size: 8, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "flags", Type: decode.U8, Sem: decode.FlagBits, Flags: &tunnelMsgFlags, Off: 1},
	{Name: "ifindex", Type: decode.U32, Sem: decode.Ifindex, Off: 4},
}}

var tunnelMsgFlags = decode.FlagSet{Name: "TUNNEL_MSG_FLAG", Bits: []string{"STATS"}}

var vniFilterAttrs = decode.AttrSet{Name: "VXLAN_VNIFILTER", Attrs: []decode.Attr{
	1: {Name: "VXLAN_VNIFILTER_ENTRY", Type: decode.Nest, Nest: &vniFilterEntryAttrs},
}}

var vniFilterEntryAttrs = decode.AttrSet{Name: "VXLAN_VNIFILTER_ENTRY", Attrs: []decode.Attr{
	1: {Name: "VXLAN_VNIFILTER_ENTRY_START", Type: decode.U32},
	2: {Name: "VXLAN_VNIFILTER_ENTRY_END", Type: decode.U32},
	3: {Name: "VXLAN_VNIFILTER_ENTRY_GROUP", Type: decode.Addr},
	4: {Name: "VXLAN_VNIFILTER_ENTRY_GROUP6", Type: decode.Addr},
	5: {Name: "VXLAN_VNIFILTER_ENTRY_STATS", Type: decode.Nest, Nest: &vniFilterStatsAttrs},
}}

var vniFilterStatsAttrs = decode.AttrSet{Name: "VNIFILTER_ENTRY_STATS", Attrs: []decode.Attr{
	1: {Name: "VNIFILTER_ENTRY_STATS_RX_BYTES", Type: decode.U64, Sem: decode.Bytes},
	2: {Name: "VNIFILTER_ENTRY_STATS_RX_PKTS", Type: decode.U64},
	3: {Name: "VNIFILTER_ENTRY_STATS_RX_DROPS", Type: decode.U64},
	4: {Name: "VNIFILTER_ENTRY_STATS_RX_ERRORS", Type: decode.U64},
	5: {Name: "VNIFILTER_ENTRY_STATS_TX_BYTES", Type: decode.U64, Sem: decode.Bytes},
	6: {Name: "VNIFILTER_ENTRY_STATS_TX_PKTS", Type: decode.U64},
	7: {Name: "VNIFILTER_ENTRY_STATS_TX_DROPS", Type: decode.U64},
	8: {Name: "VNIFILTER_ENTRY_STATS_TX_ERRORS", Type: decode.U64},
	9: {Name: "VNIFILTER_ENTRY_STATS_PAD", Type: decode.Binary},
}}
