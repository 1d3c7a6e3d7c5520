package rtnl

import (
	"encoding/binary"

	"github.com/nltrace/nltrace/decode"
)

// Filter options (TCA_OPTIONS of RTM_*TFILTER), from linux/pkt_cls.h.

func tcFilterOptions(kind []byte) *decode.AttrSet {
	switch string(kind) {
	case "u32":
		return &u32Attrs
	case "flower":
		return &flowerAttrs
	case "bpf":
		return &bpfFilterAttrs
	case "matchall":
		return &matchallAttrs
	case "basic":
		return &basicAttrs
	case "fw":
		return &fwAttrs
	case "route":
		return &route4Attrs
	}
	return nil
}

// actionList is a TCA_*_ACT attribute: a nest whose children are the
// filter's actions in order, each a run of TCA_ACT_* attributes.
func actionList(name string) decode.Attr {
	return decode.Attr{Name: name, Type: decode.NestArray, Nest: &tcActAttrs, Elem: "action"}
}

func policeNest(name string) decode.Attr {
	return decode.Attr{Name: name, Type: decode.Nest, Nest: &policeAttrs}
}

var clsFlags = decode.FlagSet{Name: "TCA_CLS_FLAGS", Bits: []string{"skip_hw", "skip_sw", "in_hw", "not_in_hw", "verbose"}}

// TCA_U32_*.
var u32Attrs = decode.AttrSet{Name: "TCA_U32", Attrs: []decode.Attr{
	1:  {Name: "TCA_U32_CLASSID", Type: decode.U32, Sem: decode.TCHandle},
	2:  {Name: "TCA_U32_HASH", Type: decode.U32, Sem: decode.U32Handle},
	3:  {Name: "TCA_U32_LINK", Type: decode.U32, Sem: decode.U32Handle},
	4:  {Name: "TCA_U32_DIVISOR", Type: decode.U32},
	5:  {Name: "TCA_U32_SEL", Type: decode.Custom, Custom: u32Sel},
	6:  policeNest("TCA_U32_POLICE"),
	7:  actionList("TCA_U32_ACT"),
	8:  {Name: "TCA_U32_INDEV", Type: decode.String},
	9:  {Name: "TCA_U32_PCNT", Type: decode.Custom, Custom: u32Pcnt},
	10: {Name: "TCA_U32_MARK", Type: decode.Struct, Struct: &u32Mark},
	11: {Name: "TCA_U32_FLAGS", Type: decode.U32, Sem: decode.FlagBits, Flags: &clsFlags},
	12: {Name: "TCA_U32_PAD", Type: decode.Binary},
}}

var u32SelHdr = decode.Layout{Name: "tc_u32_sel", Size: 16, Members: []decode.Attr{
	{Name: "flags", Type: decode.U8, Sem: decode.FlagBits, Flags: &u32SelFlags, Off: 0},
	{Name: "offshift", Type: decode.U8, Off: 1},
	{Name: "nkeys", Type: decode.U8, Off: 2},
	{Name: "offmask", Type: decode.BE16, Sem: decode.Hex, Off: 4},
	{Name: "off", Type: decode.U16, Off: 6},
	{Name: "offoff", Type: decode.S16, Off: 8},
	{Name: "hoff", Type: decode.S16, Off: 10},
	{Name: "hmask", Type: decode.BE32, Sem: decode.Hex, Off: 12},
}}

var u32SelFlags = decode.FlagSet{Name: "TC_U32", Bits: []string{"terminal", "offset", "varoffset", "eat"}}

var u32Key = decode.Layout{Name: "tc_u32_key", Size: 16, Members: []decode.Attr{
	{Name: "mask", Type: decode.BE32, Sem: decode.Hex, Off: 0},
	{Name: "val", Type: decode.BE32, Sem: decode.Hex, Off: 4},
	{Name: "off", Type: decode.S32, Off: 8},
	{Name: "offmask", Type: decode.S32, Off: 12},
}}

// u32Sel decodes struct tc_u32_sel and its keys.
func u32Sel(b *decode.Builder, p []byte, off int) {
	if len(p) < u32SelHdr.Size {
		b.Malformed(off, len(p), "shorter than tc_u32_sel")
		return
	}
	b.Layout(&u32SelHdr, p[:u32SelHdr.Size], off)
	rest, roff := p[u32SelHdr.Size:], off+u32SelHdr.Size
	for i := 0; len(rest) >= u32Key.Size; i++ {
		b.Open("key", roff, u32Key.Size)
		b.Layout(&u32Key, rest[:u32Key.Size], roff)
		b.Close()
		rest, roff = rest[u32Key.Size:], roff+u32Key.Size
	}
	if len(rest) > 0 {
		b.Malformed(roff, len(rest), "trailing bytes shorter than tc_u32_key")
	}
}

var u32PcntHdr = decode.Layout{Name: "tc_u32_pcnt", Size: 16, Members: []decode.Attr{
	{Name: "rcnt", Type: decode.U64, Off: 0},
	{Name: "rhit", Type: decode.U64, Off: 8},
}}

var u64Elem = decode.Layout{Name: "kcnt", Size: 8, Members: []decode.Attr{{Name: "kcnt", Type: decode.U64}}}

// u32Pcnt decodes struct tc_u32_pcnt: two counters, then one hit count per
// key.
func u32Pcnt(b *decode.Builder, p []byte, off int) {
	if len(p) < u32PcntHdr.Size {
		b.Malformed(off, len(p), "shorter than tc_u32_pcnt")
		return
	}
	b.Layout(&u32PcntHdr, p[:u32PcntHdr.Size], off)
	for i := u32PcntHdr.Size; i+8 <= len(p); i += 8 {
		b.Layout(&u64Elem, p[i:i+8], off+i)
	}
	if r := (len(p) - u32PcntHdr.Size) % 8; r != 0 {
		b.Malformed(off+len(p)-r, r, "key counters are 8 bytes")
	}
}

var u32Mark = decode.Layout{Name: "tc_u32_mark", Size: 12, Members: []decode.Attr{
	{Name: "val", Type: decode.U32, Sem: decode.Hex, Off: 0},
	{Name: "mask", Type: decode.U32, Sem: decode.Hex, Off: 4},
	{Name: "success", Type: decode.U32, Off: 8},
}}

// TCA_FW_*.
var fwAttrs = decode.AttrSet{Name: "TCA_FW", Attrs: []decode.Attr{
	1: {Name: "TCA_FW_CLASSID", Type: decode.U32, Sem: decode.TCHandle},
	2: policeNest("TCA_FW_POLICE"),
	3: {Name: "TCA_FW_INDEV", Type: decode.String},
	4: actionList("TCA_FW_ACT"),
	5: {Name: "TCA_FW_MASK", Type: decode.U32, Sem: decode.Hex},
}}

// TCA_ROUTE4_*.
var route4Attrs = decode.AttrSet{Name: "TCA_ROUTE4", Attrs: []decode.Attr{
	1: {Name: "TCA_ROUTE4_CLASSID", Type: decode.U32, Sem: decode.TCHandle},
	2: {Name: "TCA_ROUTE4_TO", Type: decode.U32},
	3: {Name: "TCA_ROUTE4_FROM", Type: decode.U32},
	4: {Name: "TCA_ROUTE4_IIF", Type: decode.S32, Sem: decode.Ifindex},
	5: policeNest("TCA_ROUTE4_POLICE"),
	6: actionList("TCA_ROUTE4_ACT"),
}}

// TCA_BASIC_*.
var basicAttrs = decode.AttrSet{Name: "TCA_BASIC", Attrs: []decode.Attr{
	1: {Name: "TCA_BASIC_CLASSID", Type: decode.U32, Sem: decode.TCHandle},
	2: {Name: "TCA_BASIC_EMATCHES", Type: decode.Nest, Nest: &ematchTreeAttrs},
	3: actionList("TCA_BASIC_ACT"),
	4: policeNest("TCA_BASIC_POLICE"),
	5: {Name: "TCA_BASIC_PCNT", Type: decode.Struct, Struct: &basicPcnt},
	6: {Name: "TCA_BASIC_PAD", Type: decode.Binary},
}}

var basicPcnt = decode.Layout{Name: "tc_basic_pcnt", Size: 16, Members: []decode.Attr{
	{Name: "rcnt", Type: decode.U64, Off: 0},
	{Name: "rhit", Type: decode.U64, Off: 8},
}}

// TCA_EMATCH_TREE_*: a header, then a list whose children are the
// matches in order, each a struct tcf_ematch_hdr and the match's data.
var ematchTreeAttrs = decode.AttrSet{Name: "TCA_EMATCH_TREE", Attrs: []decode.Attr{
	1: {Name: "TCA_EMATCH_TREE_HDR", Type: decode.Struct, Struct: &ematchTreeHdr},
	2: {Name: "TCA_EMATCH_TREE_LIST", Type: decode.Custom, Custom: ematchList},
}}

var ematchTreeHdr = decode.Layout{Name: "tcf_ematch_tree_hdr", Size: 4, Members: []decode.Attr{
	{Name: "nmatches", Type: decode.U16, Off: 0},
	{Name: "progid", Type: decode.U16, Off: 2},
}}

var ematchHdr = decode.Layout{Name: "tcf_ematch_hdr", Size: 8, Members: []decode.Attr{
	{Name: "matchid", Type: decode.U16, Off: 0},
	{Name: "kind", Type: decode.U16, Sem: decode.EnumValue, Enum: &ematchKinds, Off: 2},
	{Name: "flags", Type: decode.U16, Sem: decode.FlagBits, Flags: &ematchFlags, Off: 4},
	{Name: "pad", Type: decode.U16, Off: 6},
}}

var ematchKinds = decode.Enum{Name: "TCF_EM", Open: true, Names: []string{
	"container", "cmp", "nbyte", "u32", "meta", "text", "vlan", "canid", "ipset", "ipt",
}}

var ematchFlags = decode.FlagSet{Name: "TCF_EM_REL", Bits: []string{"and", "or", "invert", "simple"}}

// ematchList decodes TCA_EMATCH_TREE_LIST: attributes numbered 1..n, each
// holding a tcf_ematch_hdr and the match's own bytes.
func ematchList(b *decode.Builder, p []byte, off int) {
	for len(p) >= 4 {
		n := int(binary.NativeEndian.Uint16(p))
		if n < 4 || n > len(p) {
			b.Malformed(off, len(p), "ematch attribute length does not fit")
			return
		}
		b.Open("match", off, n)
		body := p[4:n]
		hdr := min(len(body), ematchHdr.Size)
		b.Layout(&ematchHdr, body[:hdr], off+4)
		if len(body) > hdr {
			b.Bytes("data", body[hdr:], off+4+hdr)
		}
		b.Close()
		step := min((n+3)&^3, len(p))
		p, off = p[step:], off+step
	}
	if len(p) > 0 {
		b.Malformed(off, len(p), "trailing bytes shorter than an attribute header")
	}
}

// TCA_BPF_*.
var bpfFilterAttrs = decode.AttrSet{Name: "TCA_BPF", Attrs: []decode.Attr{
	1:  actionList("TCA_BPF_ACT"),
	2:  policeNest("TCA_BPF_POLICE"),
	3:  {Name: "TCA_BPF_CLASSID", Type: decode.U32, Sem: decode.TCHandle},
	4:  {Name: "TCA_BPF_OPS_LEN", Type: decode.U16},
	5:  {Name: "TCA_BPF_OPS", Type: decode.StructArray, Struct: &sockFilter, Elem: "insn"},
	6:  {Name: "TCA_BPF_FD", Type: decode.U32},
	7:  {Name: "TCA_BPF_NAME", Type: decode.String},
	8:  {Name: "TCA_BPF_FLAGS", Type: decode.U32, Sem: decode.FlagBits, Flags: &bpfFilterFlags},
	9:  {Name: "TCA_BPF_FLAGS_GEN", Type: decode.U32, Sem: decode.FlagBits, Flags: &clsFlags},
	10: {Name: "TCA_BPF_TAG", Type: decode.Binary},
	11: {Name: "TCA_BPF_ID", Type: decode.U32},
}}

var bpfFilterFlags = decode.FlagSet{Name: "TCA_BPF_FLAG", Bits: []string{"direct-action"}}

// sockFilter is one classic BPF instruction (struct sock_filter).
var sockFilter = decode.Layout{Name: "sock_filter", Size: 8, Members: []decode.Attr{
	{Name: "code", Type: decode.U16, Sem: decode.Hex, Off: 0},
	{Name: "jt", Type: decode.U8, Off: 2},
	{Name: "jf", Type: decode.U8, Off: 3},
	{Name: "k", Type: decode.U32, Sem: decode.Hex, Off: 4},
}}

// TCA_MATCHALL_*.
var matchallAttrs = decode.AttrSet{Name: "TCA_MATCHALL", Attrs: []decode.Attr{
	1: {Name: "TCA_MATCHALL_CLASSID", Type: decode.U32, Sem: decode.TCHandle},
	2: actionList("TCA_MATCHALL_ACT"),
	3: {Name: "TCA_MATCHALL_FLAGS", Type: decode.U32, Sem: decode.FlagBits, Flags: &clsFlags},
	4: {Name: "TCA_MATCHALL_PCNT", Type: decode.Struct, Struct: &basicPcnt},
	5: {Name: "TCA_MATCHALL_PAD", Type: decode.Binary},
}}

// TCA_POLICE_*.
var policeAttrs = decode.AttrSet{Name: "TCA_POLICE", Attrs: []decode.Attr{
	1:  {Name: "TCA_POLICE_TBF", Type: decode.Struct, Struct: &tcPolice},
	2:  {Name: "TCA_POLICE_RATE", Type: decode.Binary},
	3:  {Name: "TCA_POLICE_PEAKRATE", Type: decode.Binary},
	4:  {Name: "TCA_POLICE_AVRATE", Type: decode.U32},
	5:  {Name: "TCA_POLICE_RESULT", Type: decode.S32, Sem: decode.EnumValue, Enum: &tcVerdicts},
	6:  {Name: "TCA_POLICE_TM", Type: decode.Struct, Struct: &tcfT},
	7:  {Name: "TCA_POLICE_PAD", Type: decode.Binary},
	8:  {Name: "TCA_POLICE_RATE64", Type: decode.U64},
	9:  {Name: "TCA_POLICE_PEAKRATE64", Type: decode.U64},
	10: {Name: "TCA_POLICE_PKTRATE64", Type: decode.U64},
	11: {Name: "TCA_POLICE_PKTBURST64", Type: decode.U64},
}}

var tcPolice = decode.Layout{Name: "tc_police", Size: 56, Members: []decode.Attr{
	{Name: "index", Type: decode.U32, Off: 0},
	{Name: "action", Type: decode.S32, Sem: decode.EnumValue, Enum: &tcVerdicts, Off: 4},
	{Name: "limit", Type: decode.U32, Off: 8},
	{Name: "burst", Type: decode.U32, Off: 12},
	{Name: "mtu", Type: decode.U32, Off: 16},
	tcRatespecMembers("rate", 20),
	tcRatespecMembers("peakrate", 32),
	{Name: "refcnt", Type: decode.S32, Off: 44},
	{Name: "bindcnt", Type: decode.S32, Off: 48},
	{Name: "capab", Type: decode.U32, Off: 52},
}}

// TCA_FLOWER_*. Keys are in network order where the packet has them
// (ports, ethertypes, ids); masks have the type of their key.
var flowerAttrs = decode.AttrSet{Name: "TCA_FLOWER", Attrs: []decode.Attr{
	1:   {Name: "TCA_FLOWER_CLASSID", Type: decode.U32, Sem: decode.TCHandle},
	2:   {Name: "TCA_FLOWER_INDEV", Type: decode.String},
	3:   actionList("TCA_FLOWER_ACT"),
	4:   {Name: "TCA_FLOWER_KEY_ETH_DST", Type: decode.HWAddr},
	5:   {Name: "TCA_FLOWER_KEY_ETH_DST_MASK", Type: decode.HWAddr},
	6:   {Name: "TCA_FLOWER_KEY_ETH_SRC", Type: decode.HWAddr},
	7:   {Name: "TCA_FLOWER_KEY_ETH_SRC_MASK", Type: decode.HWAddr},
	8:   {Name: "TCA_FLOWER_KEY_ETH_TYPE", Type: decode.BE16, Sem: decode.EnumValue, Enum: &ethProtocols},
	9:   {Name: "TCA_FLOWER_KEY_IP_PROTO", Type: decode.U8, Sem: decode.EnumValue, Enum: &ipProtos},
	10:  {Name: "TCA_FLOWER_KEY_IPV4_SRC", Type: decode.Addr},
	11:  {Name: "TCA_FLOWER_KEY_IPV4_SRC_MASK", Type: decode.Addr},
	12:  {Name: "TCA_FLOWER_KEY_IPV4_DST", Type: decode.Addr},
	13:  {Name: "TCA_FLOWER_KEY_IPV4_DST_MASK", Type: decode.Addr},
	14:  {Name: "TCA_FLOWER_KEY_IPV6_SRC", Type: decode.Addr},
	15:  {Name: "TCA_FLOWER_KEY_IPV6_SRC_MASK", Type: decode.Addr},
	16:  {Name: "TCA_FLOWER_KEY_IPV6_DST", Type: decode.Addr},
	17:  {Name: "TCA_FLOWER_KEY_IPV6_DST_MASK", Type: decode.Addr},
	18:  {Name: "TCA_FLOWER_KEY_TCP_SRC", Type: decode.BE16},
	19:  {Name: "TCA_FLOWER_KEY_TCP_DST", Type: decode.BE16},
	20:  {Name: "TCA_FLOWER_KEY_UDP_SRC", Type: decode.BE16},
	21:  {Name: "TCA_FLOWER_KEY_UDP_DST", Type: decode.BE16},
	22:  {Name: "TCA_FLOWER_FLAGS", Type: decode.U32, Sem: decode.FlagBits, Flags: &clsFlags},
	23:  {Name: "TCA_FLOWER_KEY_VLAN_ID", Type: decode.U16},
	24:  {Name: "TCA_FLOWER_KEY_VLAN_PRIO", Type: decode.U8},
	25:  {Name: "TCA_FLOWER_KEY_VLAN_ETH_TYPE", Type: decode.BE16, Sem: decode.EnumValue, Enum: &ethProtocols},
	26:  {Name: "TCA_FLOWER_KEY_ENC_KEY_ID", Type: decode.BE32},
	27:  {Name: "TCA_FLOWER_KEY_ENC_IPV4_SRC", Type: decode.Addr},
	28:  {Name: "TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK", Type: decode.Addr},
	29:  {Name: "TCA_FLOWER_KEY_ENC_IPV4_DST", Type: decode.Addr},
	30:  {Name: "TCA_FLOWER_KEY_ENC_IPV4_DST_MASK", Type: decode.Addr},
	31:  {Name: "TCA_FLOWER_KEY_ENC_IPV6_SRC", Type: decode.Addr},
	32:  {Name: "TCA_FLOWER_KEY_ENC_IPV6_SRC_MASK", Type: decode.Addr},
	33:  {Name: "TCA_FLOWER_KEY_ENC_IPV6_DST", Type: decode.Addr},
	34:  {Name: "TCA_FLOWER_KEY_ENC_IPV6_DST_MASK", Type: decode.Addr},
	35:  {Name: "TCA_FLOWER_KEY_TCP_SRC_MASK", Type: decode.BE16, Sem: decode.Hex},
	36:  {Name: "TCA_FLOWER_KEY_TCP_DST_MASK", Type: decode.BE16, Sem: decode.Hex},
	37:  {Name: "TCA_FLOWER_KEY_UDP_SRC_MASK", Type: decode.BE16, Sem: decode.Hex},
	38:  {Name: "TCA_FLOWER_KEY_UDP_DST_MASK", Type: decode.BE16, Sem: decode.Hex},
	39:  {Name: "TCA_FLOWER_KEY_SCTP_SRC_MASK", Type: decode.BE16, Sem: decode.Hex},
	40:  {Name: "TCA_FLOWER_KEY_SCTP_DST_MASK", Type: decode.BE16, Sem: decode.Hex},
	41:  {Name: "TCA_FLOWER_KEY_SCTP_SRC", Type: decode.BE16},
	42:  {Name: "TCA_FLOWER_KEY_SCTP_DST", Type: decode.BE16},
	43:  {Name: "TCA_FLOWER_KEY_ENC_UDP_SRC_PORT", Type: decode.BE16},
	44:  {Name: "TCA_FLOWER_KEY_ENC_UDP_SRC_PORT_MASK", Type: decode.BE16, Sem: decode.Hex},
	45:  {Name: "TCA_FLOWER_KEY_ENC_UDP_DST_PORT", Type: decode.BE16},
	46:  {Name: "TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK", Type: decode.BE16, Sem: decode.Hex},
	47:  {Name: "TCA_FLOWER_KEY_FLAGS", Type: decode.BE32, Sem: decode.FlagBits, Flags: &flowerKeyFlags},
	48:  {Name: "TCA_FLOWER_KEY_FLAGS_MASK", Type: decode.BE32, Sem: decode.FlagBits, Flags: &flowerKeyFlags},
	49:  {Name: "TCA_FLOWER_KEY_ICMPV4_CODE", Type: decode.U8},
	50:  {Name: "TCA_FLOWER_KEY_ICMPV4_CODE_MASK", Type: decode.U8, Sem: decode.Hex},
	51:  {Name: "TCA_FLOWER_KEY_ICMPV4_TYPE", Type: decode.U8},
	52:  {Name: "TCA_FLOWER_KEY_ICMPV4_TYPE_MASK", Type: decode.U8, Sem: decode.Hex},
	53:  {Name: "TCA_FLOWER_KEY_ICMPV6_CODE", Type: decode.U8},
	54:  {Name: "TCA_FLOWER_KEY_ICMPV6_CODE_MASK", Type: decode.U8, Sem: decode.Hex},
	55:  {Name: "TCA_FLOWER_KEY_ICMPV6_TYPE", Type: decode.U8},
	56:  {Name: "TCA_FLOWER_KEY_ICMPV6_TYPE_MASK", Type: decode.U8, Sem: decode.Hex},
	57:  {Name: "TCA_FLOWER_KEY_ARP_SIP", Type: decode.Addr},
	58:  {Name: "TCA_FLOWER_KEY_ARP_SIP_MASK", Type: decode.Addr},
	59:  {Name: "TCA_FLOWER_KEY_ARP_TIP", Type: decode.Addr},
	60:  {Name: "TCA_FLOWER_KEY_ARP_TIP_MASK", Type: decode.Addr},
	61:  {Name: "TCA_FLOWER_KEY_ARP_OP", Type: decode.U8},
	62:  {Name: "TCA_FLOWER_KEY_ARP_OP_MASK", Type: decode.U8, Sem: decode.Hex},
	63:  {Name: "TCA_FLOWER_KEY_ARP_SHA", Type: decode.HWAddr},
	64:  {Name: "TCA_FLOWER_KEY_ARP_SHA_MASK", Type: decode.HWAddr},
	65:  {Name: "TCA_FLOWER_KEY_ARP_THA", Type: decode.HWAddr},
	66:  {Name: "TCA_FLOWER_KEY_ARP_THA_MASK", Type: decode.HWAddr},
	67:  {Name: "TCA_FLOWER_KEY_MPLS_TTL", Type: decode.U8},
	68:  {Name: "TCA_FLOWER_KEY_MPLS_BOS", Type: decode.U8},
	69:  {Name: "TCA_FLOWER_KEY_MPLS_TC", Type: decode.U8},
	70:  {Name: "TCA_FLOWER_KEY_MPLS_LABEL", Type: decode.U32},
	71:  {Name: "TCA_FLOWER_KEY_TCP_FLAGS", Type: decode.BE16, Sem: decode.Hex},
	72:  {Name: "TCA_FLOWER_KEY_TCP_FLAGS_MASK", Type: decode.BE16, Sem: decode.Hex},
	73:  {Name: "TCA_FLOWER_KEY_IP_TOS", Type: decode.U8, Sem: decode.Hex},
	74:  {Name: "TCA_FLOWER_KEY_IP_TOS_MASK", Type: decode.U8, Sem: decode.Hex},
	75:  {Name: "TCA_FLOWER_KEY_IP_TTL", Type: decode.U8},
	76:  {Name: "TCA_FLOWER_KEY_IP_TTL_MASK", Type: decode.U8, Sem: decode.Hex},
	77:  {Name: "TCA_FLOWER_KEY_CVLAN_ID", Type: decode.U16},
	78:  {Name: "TCA_FLOWER_KEY_CVLAN_PRIO", Type: decode.U8},
	79:  {Name: "TCA_FLOWER_KEY_CVLAN_ETH_TYPE", Type: decode.BE16, Sem: decode.EnumValue, Enum: &ethProtocols},
	80:  {Name: "TCA_FLOWER_KEY_ENC_IP_TOS", Type: decode.U8, Sem: decode.Hex},
	81:  {Name: "TCA_FLOWER_KEY_ENC_IP_TOS_MASK", Type: decode.U8, Sem: decode.Hex},
	82:  {Name: "TCA_FLOWER_KEY_ENC_IP_TTL", Type: decode.U8},
	83:  {Name: "TCA_FLOWER_KEY_ENC_IP_TTL_MASK", Type: decode.U8, Sem: decode.Hex},
	84:  {Name: "TCA_FLOWER_KEY_ENC_OPTS", Type: decode.Nest, Nest: &flowerEncOptsAttrs},
	85:  {Name: "TCA_FLOWER_KEY_ENC_OPTS_MASK", Type: decode.Nest, Nest: &flowerEncOptsAttrs},
	86:  {Name: "TCA_FLOWER_IN_HW_COUNT", Type: decode.U32},
	87:  {Name: "TCA_FLOWER_KEY_PORT_SRC_MIN", Type: decode.BE16},
	88:  {Name: "TCA_FLOWER_KEY_PORT_SRC_MAX", Type: decode.BE16},
	89:  {Name: "TCA_FLOWER_KEY_PORT_DST_MIN", Type: decode.BE16},
	90:  {Name: "TCA_FLOWER_KEY_PORT_DST_MAX", Type: decode.BE16},
	91:  {Name: "TCA_FLOWER_KEY_CT_STATE", Type: decode.U16, Sem: decode.FlagBits, Flags: &flowerCtFlags},
	92:  {Name: "TCA_FLOWER_KEY_CT_STATE_MASK", Type: decode.U16, Sem: decode.FlagBits, Flags: &flowerCtFlags},
	93:  {Name: "TCA_FLOWER_KEY_CT_ZONE", Type: decode.U16},
	94:  {Name: "TCA_FLOWER_KEY_CT_ZONE_MASK", Type: decode.U16, Sem: decode.Hex},
	95:  {Name: "TCA_FLOWER_KEY_CT_MARK", Type: decode.U32, Sem: decode.Hex},
	96:  {Name: "TCA_FLOWER_KEY_CT_MARK_MASK", Type: decode.U32, Sem: decode.Hex},
	97:  {Name: "TCA_FLOWER_KEY_CT_LABELS", Type: decode.Binary},
	98:  {Name: "TCA_FLOWER_KEY_CT_LABELS_MASK", Type: decode.Binary},
	99:  {Name: "TCA_FLOWER_KEY_MPLS_OPTS", Type: decode.Nest, Nest: &flowerMplsOptsAttrs},
	100: {Name: "TCA_FLOWER_KEY_HASH", Type: decode.U32, Sem: decode.Hex},
	101: {Name: "TCA_FLOWER_KEY_HASH_MASK", Type: decode.U32, Sem: decode.Hex},
	102: {Name: "TCA_FLOWER_KEY_NUM_OF_VLANS", Type: decode.U8},
	103: {Name: "TCA_FLOWER_KEY_PPPOE_SID", Type: decode.BE16},
	104: {Name: "TCA_FLOWER_KEY_PPP_PROTO", Type: decode.BE16, Sem: decode.Hex},
	105: {Name: "TCA_FLOWER_KEY_L2TPV3_SID", Type: decode.BE32},
	106: {Name: "TCA_FLOWER_L2_MISS", Type: decode.U8},
	107: {Name: "TCA_FLOWER_KEY_CFM", Type: decode.Nest, Nest: &flowerCfmAttrs},
	108: {Name: "TCA_FLOWER_KEY_SPI", Type: decode.BE32, Sem: decode.Hex},
	109: {Name: "TCA_FLOWER_KEY_SPI_MASK", Type: decode.BE32, Sem: decode.Hex},
	110: {Name: "TCA_FLOWER_KEY_ENC_FLAGS", Type: decode.BE32, Sem: decode.Hex},
	111: {Name: "TCA_FLOWER_KEY_ENC_FLAGS_MASK", Type: decode.BE32, Sem: decode.Hex},
}}

var flowerKeyFlags = decode.FlagSet{Name: "TCA_FLOWER_KEY_FLAGS", Bits: []string{"frag", "firstfrag", "tuncsum", "tundf", "tunoam", "tuncrit"}}

var flowerCtFlags = decode.FlagSet{Name: "TCA_FLOWER_KEY_CT_FLAGS", Bits: []string{"new", "established", "related", "tracked", "invalid", "reply"}}

// TCA_FLOWER_KEY_ENC_OPTS_*.
var flowerEncOptsAttrs = decode.AttrSet{Name: "TCA_FLOWER_KEY_ENC_OPTS", Attrs: []decode.Attr{
	1: {Name: "TCA_FLOWER_KEY_ENC_OPTS_GENEVE", Type: decode.Nest, Nest: &genevOptAttrs},
	2: {Name: "TCA_FLOWER_KEY_ENC_OPTS_VXLAN", Type: decode.Nest, Nest: &vxlanOptAttrs},
	3: {Name: "TCA_FLOWER_KEY_ENC_OPTS_ERSPAN", Type: decode.Nest, Nest: &erspanOptAttrs},
	4: {Name: "TCA_FLOWER_KEY_ENC_OPTS_GTP", Type: decode.Nest, Nest: &gtpOptAttrs},
}}

// The tunnel option sets of flower keys (TCA_FLOWER_KEY_ENC_OPT_*, in
// linux/pkt_cls.h) and of tunnel_key actions (TCA_TUNNEL_KEY_ENC_OPT_*, in
// linux/tc_act/tc_tunnel_key.h) number their attributes the same way but
// name them apart.
var (
	genevOptAttrs  = encOptGeneve("TCA_FLOWER_KEY_ENC_OPT_")
	vxlanOptAttrs  = encOptVxlan("TCA_FLOWER_KEY_ENC_OPT_")
	erspanOptAttrs = encOptErspan("TCA_FLOWER_KEY_ENC_OPT_")

	tunnelKeyGenevOptAttrs  = encOptGeneve("TCA_TUNNEL_KEY_ENC_OPT_")
	tunnelKeyVxlanOptAttrs  = encOptVxlan("TCA_TUNNEL_KEY_ENC_OPT_")
	tunnelKeyErspanOptAttrs = encOptErspan("TCA_TUNNEL_KEY_ENC_OPT_")
)

func encOptGeneve(p string) decode.AttrSet {
	return decode.AttrSet{Name: p + "GENEVE", Attrs: []decode.Attr{
		1: {Name: p + "GENEVE_CLASS", Type: decode.BE16, Sem: decode.Hex},
		2: {Name: p + "GENEVE_TYPE", Type: decode.U8, Sem: decode.Hex},
		3: {Name: p + "GENEVE_DATA", Type: decode.Binary},
	}}
}

func encOptVxlan(p string) decode.AttrSet {
	return decode.AttrSet{Name: p + "VXLAN", Attrs: []decode.Attr{
		1: {Name: p + "VXLAN_GBP", Type: decode.U32, Sem: decode.Hex},
	}}
}

func encOptErspan(p string) decode.AttrSet {
	return decode.AttrSet{Name: p + "ERSPAN", Attrs: []decode.Attr{
		1: {Name: p + "ERSPAN_VER", Type: decode.U8},
		2: {Name: p + "ERSPAN_INDEX", Type: decode.BE32},
		3: {Name: p + "ERSPAN_DIR", Type: decode.U8},
		4: {Name: p + "ERSPAN_HWID", Type: decode.U8},
	}}
}

var gtpOptAttrs = decode.AttrSet{Name: "TCA_FLOWER_KEY_ENC_OPT_GTP", Attrs: []decode.Attr{
	1: {Name: "TCA_FLOWER_KEY_ENC_OPT_GTP_PDU_TYPE", Type: decode.U8},
	2: {Name: "TCA_FLOWER_KEY_ENC_OPT_GTP_QFI", Type: decode.U8},
}}

var flowerMplsOptsAttrs = decode.AttrSet{Name: "TCA_FLOWER_KEY_MPLS_OPTS", Attrs: []decode.Attr{
	1: {Name: "TCA_FLOWER_KEY_MPLS_OPTS_LSE", Type: decode.Nest, Nest: &flowerMplsLseAttrs},
}}

var flowerMplsLseAttrs = decode.AttrSet{Name: "TCA_FLOWER_KEY_MPLS_OPT_LSE", Attrs: []decode.Attr{
	1: {Name: "TCA_FLOWER_KEY_MPLS_OPT_LSE_DEPTH", Type: decode.U8},
	2: {Name: "TCA_FLOWER_KEY_MPLS_OPT_LSE_TTL", Type: decode.U8},
	3: {Name: "TCA_FLOWER_KEY_MPLS_OPT_LSE_BOS", Type: decode.U8},
	4: {Name: "TCA_FLOWER_KEY_MPLS_OPT_LSE_TC", Type: decode.U8},
	5: {Name: "TCA_FLOWER_KEY_MPLS_OPT_LSE_LABEL", Type: decode.U32},
}}

var flowerCfmAttrs = decode.AttrSet{Name: "TCA_FLOWER_KEY_CFM", Attrs: []decode.Attr{
	1: {Name: "TCA_FLOWER_KEY_CFM_MD_LEVEL", Type: decode.U8},
	2: {Name: "TCA_FLOWER_KEY_CFM_OPCODE", Type: decode.U8},
}}
