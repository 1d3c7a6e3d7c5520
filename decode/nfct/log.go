package nfct

import (
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/nfnl"
)

// nflog (linux/netfilter/nfnetlink_log.h) and nfqueue
// (linux/netfilter/nfnetlink_queue.h): packets the kernel hands to user
// space, and the configuration and verdicts user space sends back. res_id
// is the log group or the queue number. The packet itself (NFULA_PAYLOAD,
// NFQA_PAYLOAD) shows its IP and transport headers by name and the rest as
// bytes (packet.go).

// hwProtos names the ethertypes packet headers carry.
var hwProtos = decode.Enum{Name: "ETH_P", Open: true, Sparse: map[uint64]string{
	0x0800: "ipv4", 0x0806: "arp", 0x86dd: "ipv6", 0x8100: "802.1q", 0x88a8: "802.1ad", 0x8847: "mpls_uc",
}}

var packetTimestamp = decode.Layout{Name: "packet_timestamp", Size: 16, Members: []decode.Attr{
	{Name: "sec", Type: decode.BE64, Off: 0},
	{Name: "usec", Type: decode.BE64, Off: 8},
}}

var packetHW = decode.Layout{Name: "packet_hw", Size: 12, Members: []decode.Attr{
	{Name: "hw_addrlen", Type: decode.BE16, Off: 0},
	{Name: "hw_addr", Type: decode.HWAddr, Off: 4, Len: 8},
}}

var vlanLogAttrs = decode.AttrSet{Name: "NFULA_VLAN", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFULA_VLAN_PROTO", Type: decode.BE16, Sem: decode.EnumValue, Enum: &hwProtos},
	2: {Name: "NFULA_VLAN_TCI", Type: decode.BE16},
}}

var ulogPacketHdr = decode.Layout{Name: "nfulnl_msg_packet_hdr", Size: 4, Members: []decode.Attr{
	{Name: "hw_protocol", Type: decode.BE16, Sem: decode.EnumValue, Enum: &hwProtos, Off: 0},
	{Name: "hook", Type: decode.U8, Sem: decode.EnumValue, Enum: &hookNames, Off: 2},
}}

var ulogAttrs = decode.AttrSet{Name: "NFULA", BigEndian: true, Attrs: []decode.Attr{
	1:  {Name: "NFULA_PACKET_HDR", Type: decode.Struct, Struct: &ulogPacketHdr},
	2:  {Name: "NFULA_MARK", Type: decode.BE32, Sem: decode.Hex},
	3:  {Name: "NFULA_TIMESTAMP", Type: decode.Struct, Struct: &packetTimestamp},
	4:  {Name: "NFULA_IFINDEX_INDEV", Type: decode.BE32, Sem: decode.Ifindex},
	5:  {Name: "NFULA_IFINDEX_OUTDEV", Type: decode.BE32, Sem: decode.Ifindex},
	6:  {Name: "NFULA_IFINDEX_PHYSINDEV", Type: decode.BE32, Sem: decode.Ifindex},
	7:  {Name: "NFULA_IFINDEX_PHYSOUTDEV", Type: decode.BE32, Sem: decode.Ifindex},
	8:  {Name: "NFULA_HWADDR", Type: decode.Struct, Struct: &packetHW},
	9:  {Name: "NFULA_PAYLOAD", Type: decode.Custom, Custom: packetPayload},
	10: {Name: "NFULA_PREFIX", Type: decode.String},
	11: {Name: "NFULA_UID", Type: decode.BE32},
	12: {Name: "NFULA_SEQ", Type: decode.BE32},
	13: {Name: "NFULA_SEQ_GLOBAL", Type: decode.BE32},
	14: {Name: "NFULA_GID", Type: decode.BE32},
	15: {Name: "NFULA_HWTYPE", Type: decode.BE16},
	16: {Name: "NFULA_HWHEADER", Type: decode.Binary},
	17: {Name: "NFULA_HWLEN", Type: decode.BE16},
	18: {Name: "NFULA_CT", Type: decode.Nest, Nest: &ctAttrs},
	19: {Name: "NFULA_CT_INFO", Type: decode.BE32, Sem: decode.EnumValue, Enum: &ctinfoNames},
	20: {Name: "NFULA_VLAN", Type: decode.Nest, Nest: &vlanLogAttrs},
	21: {Name: "NFULA_L2HDR", Type: decode.Binary},
}}

var cfgCmds = decode.Enum{Name: "CFG_CMD", Names: []string{"NONE", "BIND", "UNBIND", "PF_BIND", "PF_UNBIND"}}
var copyModes = decode.Enum{Name: "COPY", Names: []string{"NONE", "META", "PACKET"}}

var ulogCfgCmd = decode.Layout{Name: "nfulnl_msg_config_cmd", Size: 1, Members: []decode.Attr{
	{Name: "command", Type: decode.U8, Sem: decode.EnumValue, Enum: &cfgCmds, Off: 0},
}}

var ulogCfgMode = decode.Layout{Name: "nfulnl_msg_config_mode", Size: 6, Members: []decode.Attr{
	{Name: "copy_range", Type: decode.BE32, Off: 0},
	{Name: "copy_mode", Type: decode.U8, Sem: decode.EnumValue, Enum: &copyModes, Off: 4},
}}

var ulogCfgFlags = decode.FlagSet{Name: "NFULNL_CFG_F", Bits: []string{"SEQ", "SEQ_GLOBAL", "CONNTRACK"}}

var ulogCfgAttrs = decode.AttrSet{Name: "NFULA_CFG", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFULA_CFG_CMD", Type: decode.Struct, Struct: &ulogCfgCmd},
	2: {Name: "NFULA_CFG_MODE", Type: decode.Struct, Struct: &ulogCfgMode},
	3: {Name: "NFULA_CFG_NLBUFSIZ", Type: decode.BE32, Sem: decode.Bytes},
	4: {Name: "NFULA_CFG_TIMEOUT", Type: decode.BE32, Sem: decode.Centis},
	5: {Name: "NFULA_CFG_QTHRESH", Type: decode.BE32},
	6: {Name: "NFULA_CFG_FLAGS", Type: decode.BE16, Sem: decode.FlagBits, Flags: &ulogCfgFlags},
}}

// The netdev family numbers its hooks differently.
var (
	ulogNetdevPacketHdr = withMember(ulogPacketHdr, 1, &netdevHookNames)
	ulogNetdevAttrs     = withAttr(ulogAttrs, 1, decode.Attr{Name: "NFULA_PACKET_HDR", Type: decode.Struct, Struct: &ulogNetdevPacketHdr})
	queueNetdevHdr      = withMember(queuePacketHdr, 2, &netdevHookNames)
	queueNetdevAttrs    = withAttr(queueAttrs, 1, decode.Attr{Name: "NFQA_PACKET_HDR", Type: decode.Struct, Struct: &queueNetdevHdr})
)

func withMember(l decode.Layout, i int, hooks *decode.Enum) decode.Layout {
	l.Members = append([]decode.Attr(nil), l.Members...)
	l.Members[i].Enum = hooks
	return l
}

func withAttr(s decode.AttrSet, i int, a decode.Attr) decode.AttrSet {
	s.Attrs = append([]decode.Attr(nil), s.Attrs...)
	s.Attrs[i] = a
	return s
}

var ulog = nfnl.Subsystem{ID: nfnl.SubsysULog, Name: "nfnetlink_log", Types: []decode.MessageType{
	0: {Name: "NFULNL_MSG_PACKET", Header: hdr, Attrs: &ulogAttrs, Body: byFamily(&ulogAttrs, &ulogNetdevAttrs)},
	1: {Name: "NFULNL_MSG_CONFIG", Header: hdr, Attrs: &ulogCfgAttrs},
}}

var queuePacketHdr = decode.Layout{Name: "nfqnl_msg_packet_hdr", Size: 7, Members: []decode.Attr{
	{Name: "packet_id", Type: decode.BE32, Off: 0},
	{Name: "hw_protocol", Type: decode.BE16, Sem: decode.EnumValue, Enum: &hwProtos, Off: 4},
	{Name: "hook", Type: decode.U8, Sem: decode.EnumValue, Enum: &hookNames, Off: 6},
}}

// verdicts names NF_DROP..NF_STOP; NF_QUEUE verdicts carry the queue
// number in the high 16 bits and show as numbers.
var verdicts = decode.Enum{Name: "NF", Open: true, Names: []string{"NF_DROP", "NF_ACCEPT", "NF_STOLEN", "NF_QUEUE", "NF_REPEAT", "NF_STOP"}}

var queueVerdictHdr = decode.Layout{Name: "nfqnl_msg_verdict_hdr", Size: 8, Members: []decode.Attr{
	{Name: "verdict", Type: decode.BE32, Sem: decode.EnumValue, Enum: &verdicts, Off: 0},
	{Name: "id", Type: decode.BE32, Off: 4},
}}

var skbInfoFlags = decode.FlagSet{Name: "NFQA_SKB", Bits: []string{"CSUMNOTREADY", "GSO", "CSUM_NOTVERIFIED"}}

var vlanQueueAttrs = decode.AttrSet{Name: "NFQA_VLAN", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFQA_VLAN_PROTO", Type: decode.BE16, Sem: decode.EnumValue, Enum: &hwProtos},
	2: {Name: "NFQA_VLAN_TCI", Type: decode.BE16},
}}

var queueAttrs = decode.AttrSet{Name: "NFQA", BigEndian: true, Attrs: []decode.Attr{
	1:  {Name: "NFQA_PACKET_HDR", Type: decode.Struct, Struct: &queuePacketHdr},
	2:  {Name: "NFQA_VERDICT_HDR", Type: decode.Struct, Struct: &queueVerdictHdr},
	3:  {Name: "NFQA_MARK", Type: decode.BE32, Sem: decode.Hex},
	4:  {Name: "NFQA_TIMESTAMP", Type: decode.Struct, Struct: &packetTimestamp},
	5:  {Name: "NFQA_IFINDEX_INDEV", Type: decode.BE32, Sem: decode.Ifindex},
	6:  {Name: "NFQA_IFINDEX_OUTDEV", Type: decode.BE32, Sem: decode.Ifindex},
	7:  {Name: "NFQA_IFINDEX_PHYSINDEV", Type: decode.BE32, Sem: decode.Ifindex},
	8:  {Name: "NFQA_IFINDEX_PHYSOUTDEV", Type: decode.BE32, Sem: decode.Ifindex},
	9:  {Name: "NFQA_HWADDR", Type: decode.Struct, Struct: &packetHW},
	10: {Name: "NFQA_PAYLOAD", Type: decode.Custom, Custom: packetPayload},
	11: {Name: "NFQA_CT", Type: decode.Nest, Nest: &ctAttrs},
	12: {Name: "NFQA_CT_INFO", Type: decode.BE32, Sem: decode.EnumValue, Enum: &ctinfoNames},
	13: {Name: "NFQA_CAP_LEN", Type: decode.BE32},
	14: {Name: "NFQA_SKB_INFO", Type: decode.BE32, Sem: decode.FlagBits, Flags: &skbInfoFlags},
	15: {Name: "NFQA_EXP", Type: decode.Nest, Nest: &expAttrs},
	16: {Name: "NFQA_UID", Type: decode.BE32},
	17: {Name: "NFQA_GID", Type: decode.BE32},
	18: {Name: "NFQA_SECCTX", Type: decode.String},
	19: {Name: "NFQA_VLAN", Type: decode.Nest, Nest: &vlanQueueAttrs},
	20: {Name: "NFQA_L2HDR", Type: decode.Binary},
	21: {Name: "NFQA_PRIORITY", Type: decode.BE32, Sem: decode.TCHandle},
}}

var queueCfgCmd = decode.Layout{Name: "nfqnl_msg_config_cmd", Size: 4, Members: []decode.Attr{
	{Name: "command", Type: decode.U8, Sem: decode.EnumValue, Enum: &cfgCmds, Off: 0},
	{Name: "pf", Type: decode.BE16, Sem: decode.EnumValue, Enum: &nfnl.Families, Off: 2},
}}

var queueCfgParams = decode.Layout{Name: "nfqnl_msg_config_params", Size: 5, Members: []decode.Attr{
	{Name: "copy_range", Type: decode.BE32, Off: 0},
	{Name: "copy_mode", Type: decode.U8, Sem: decode.EnumValue, Enum: &copyModes, Off: 4},
}}

var queueCfgFlags = decode.FlagSet{Name: "NFQA_CFG_F", Bits: []string{"FAIL_OPEN", "CONNTRACK", "GSO", "UID_GID", "SECCTX"}}

var queueCfgAttrs = decode.AttrSet{Name: "NFQA_CFG", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFQA_CFG_CMD", Type: decode.Struct, Struct: &queueCfgCmd},
	2: {Name: "NFQA_CFG_PARAMS", Type: decode.Struct, Struct: &queueCfgParams},
	3: {Name: "NFQA_CFG_QUEUE_MAXLEN", Type: decode.BE32},
	4: {Name: "NFQA_CFG_MASK", Type: decode.BE32, Sem: decode.FlagBits, Flags: &queueCfgFlags},
	5: {Name: "NFQA_CFG_FLAGS", Type: decode.BE32, Sem: decode.FlagBits, Flags: &queueCfgFlags},
}}

var queue = nfnl.Subsystem{ID: nfnl.SubsysQueue, Name: "nfnetlink_queue", Types: []decode.MessageType{
	0: {Name: "NFQNL_MSG_PACKET", Header: hdr, Attrs: &queueAttrs, Body: byFamily(&queueAttrs, &queueNetdevAttrs)},
	1: {Name: "NFQNL_MSG_VERDICT", Header: hdr, Attrs: &queueAttrs},
	2: {Name: "NFQNL_MSG_CONFIG", Header: hdr, Attrs: &queueCfgAttrs},
	3: {Name: "NFQNL_MSG_VERDICT_BATCH", Header: hdr, Attrs: &queueAttrs},
}}
