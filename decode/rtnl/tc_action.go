package rtnl

import (
	"github.com/nltrace/nltrace/decode"
)

// Actions: RTM_*ACTION messages (tcamsg and TCA_ROOT_*), and the TCA_ACT_*
// runs that filters nest in their TCA_*_ACT lists. Options come from
// linux/tc_act/*.h.

// TCA_ROOT_*.
var tcRootAttrs = decode.AttrSet{Name: "TCA_ROOT", Attrs: []decode.Attr{
	1: actionList("TCA_ROOT_TAB"),
	2: {Name: "TCA_ROOT_FLAGS", Type: decode.Struct, Struct: &tcRootFlags},
	3: {Name: "TCA_ROOT_COUNT", Type: decode.U32},
	4: {Name: "TCA_ROOT_TIME_DELTA", Type: decode.U32, Sem: decode.Millis},
	5: {Name: "TCA_ROOT_EXT_WARN_MSG", Type: decode.String},
}}

var tcRootFlagBits = decode.FlagSet{Name: "TCA_ACT_FLAG", Bits: []string{"LARGE_DUMP_ON", "TERSE_DUMP"}}

var tcRootFlags = decode.Layout{Name: "nla_bitfield32", Size: 8, Members: []decode.Attr{
	{Name: "value", Type: decode.U32, Sem: decode.FlagBits, Flags: &tcRootFlagBits, Off: 0},
	{Name: "selector", Type: decode.U32, Sem: decode.FlagBits, Flags: &tcRootFlagBits, Off: 4},
}}

// TCA_ACT_*.
var tcActAttrs = decode.AttrSet{Name: "TCA_ACT", Attrs: []decode.Attr{
	1:  {Name: "TCA_ACT_KIND", Type: decode.String},
	2:  {Name: "TCA_ACT_OPTIONS", Type: decode.Nest, Select: selectActOptions},
	3:  {Name: "TCA_ACT_INDEX", Type: decode.U32},
	4:  {Name: "TCA_ACT_STATS", Type: decode.Nest, Nest: &tcStats2Attrs},
	5:  {Name: "TCA_ACT_PAD", Type: decode.Binary},
	6:  {Name: "TCA_ACT_COOKIE", Type: decode.Binary},
	7:  {Name: "TCA_ACT_FLAGS", Type: decode.Struct, Struct: &actFlags},
	8:  {Name: "TCA_ACT_HW_STATS", Type: decode.Struct, Struct: &actHWStats},
	9:  {Name: "TCA_ACT_USED_HW_STATS", Type: decode.Struct, Struct: &actHWStats},
	10: {Name: "TCA_ACT_IN_HW_COUNT", Type: decode.U32},
}}

var actFlagBits = decode.FlagSet{Name: "TCA_ACT_FLAGS", Bits: []string{"no_percpu", "skip_hw", "skip_sw"}}

var actFlags = decode.Layout{Name: "nla_bitfield32", Size: 8, Members: []decode.Attr{
	{Name: "value", Type: decode.U32, Sem: decode.FlagBits, Flags: &actFlagBits, Off: 0},
	{Name: "selector", Type: decode.U32, Sem: decode.FlagBits, Flags: &actFlagBits, Off: 4},
}}

var actHWStatsBits = decode.FlagSet{Name: "TCA_ACT_HW_STATS", Bits: []string{"immediate", "delayed"}}

var actHWStats = decode.Layout{Name: "nla_bitfield32", Size: 8, Members: []decode.Attr{
	{Name: "value", Type: decode.U32, Sem: decode.FlagBits, Flags: &actHWStatsBits, Off: 0},
	{Name: "selector", Type: decode.U32, Sem: decode.FlagBits, Flags: &actHWStatsBits, Off: 4},
}}

func selectActOptions(s decode.Scope) *decode.AttrSet {
	switch string(s.SiblingText(1 /* TCA_ACT_KIND */)) {
	case "gact":
		return &gactAttrs
	case "mirred":
		return &mirredAttrs
	case "police":
		return &policeAttrs
	case "bpf":
		return &actBpfAttrs
	case "csum":
		return &csumAttrs
	case "vlan":
		return &vlanActAttrs
	case "skbedit":
		return &skbeditAttrs
	case "pedit":
		return &peditAttrs
	case "tunnel_key":
		return &tunnelKeyAttrs
	case "ct":
		return &ctActAttrs
	case "nat":
		return &natAttrs
	}
	return nil
}

// tcVerdicts are TC_ACT_* as tc names them. TC_ACT_UNSPEC (-1) is
// "continue"; jumps and goto-chain verdicts carry an operand in the low
// bits and show as numbers.
var tcVerdicts = decode.Enum{Name: "TC_ACT", Open: true, Names: []string{
	"pass", "reclassify", "drop", "pipe", "stolen", "queued", "repeat", "redirect", "trap",
}, Sparse: map[uint64]string{
	0xffffffffffffffff: "continue",
}}

// tcGen lays out the members every action's parms struct starts with
// (the tc_gen macro).
func tcGen(name string, size int, more ...decode.Attr) decode.Layout {
	members := []decode.Attr{
		{Name: "index", Type: decode.U32, Off: 0},
		{Name: "capab", Type: decode.U32, Off: 4},
		{Name: "action", Type: decode.S32, Sem: decode.EnumValue, Enum: &tcVerdicts, Off: 8},
		{Name: "refcnt", Type: decode.S32, Off: 12},
		{Name: "bindcnt", Type: decode.S32, Off: 16},
	}
	return decode.Layout{Name: name, Size: size, Members: append(members, more...)}
}

// tcfT is struct tcf_t: times in jiffies-derived clock ticks.
var tcfT = decode.Layout{Name: "tcf_t", Size: 32, Members: []decode.Attr{
	{Name: "install", Type: decode.U64, Sem: decode.Centis, Off: 0},
	{Name: "lastuse", Type: decode.U64, Sem: decode.Centis, Off: 8},
	{Name: "expires", Type: decode.U64, Sem: decode.Centis, Off: 16},
	{Name: "firstuse", Type: decode.U64, Sem: decode.Centis, Off: 24},
}}

func tmAttr(name string) decode.Attr {
	return decode.Attr{Name: name, Type: decode.Struct, Struct: &tcfT}
}

// gact.
var gactAttrs = decode.AttrSet{Name: "TCA_GACT", Attrs: []decode.Attr{
	1: tmAttr("TCA_GACT_TM"),
	2: {Name: "TCA_GACT_PARMS", Type: decode.Struct, Struct: &tcGact},
	3: {Name: "TCA_GACT_PROB", Type: decode.Struct, Struct: &tcGactP},
	4: {Name: "TCA_GACT_PAD", Type: decode.Binary},
}}

var tcGact = tcGen("tc_gact", 20)

var tcGactP = decode.Layout{Name: "tc_gact_p", Size: 8, Members: []decode.Attr{
	{Name: "ptype", Type: decode.U16, Sem: decode.EnumValue, Enum: &gactProbTypes, Off: 0},
	{Name: "pval", Type: decode.U16, Off: 2},
	{Name: "paction", Type: decode.S32, Sem: decode.EnumValue, Enum: &tcVerdicts, Off: 4},
}}

var gactProbTypes = decode.Enum{Name: "PGACT", Names: []string{"none", "netrand", "determ"}}

// mirred.
var mirredAttrs = decode.AttrSet{Name: "TCA_MIRRED", Attrs: []decode.Attr{
	1: tmAttr("TCA_MIRRED_TM"),
	2: {Name: "TCA_MIRRED_PARMS", Type: decode.Struct, Struct: &tcMirred},
	3: {Name: "TCA_MIRRED_PAD", Type: decode.Binary},
	4: {Name: "TCA_MIRRED_BLOCKID", Type: decode.U32},
}}

var tcMirred = tcGen("tc_mirred", 28,
	decode.Attr{Name: "eaction", Type: decode.S32, Sem: decode.EnumValue, Enum: &mirredActions, Off: 20},
	decode.Attr{Name: "ifindex", Type: decode.U32, Sem: decode.Ifindex, Off: 24},
)

var mirredActions = decode.Enum{Name: "TCA_MIRRED", Names: []string{
	1: "egress redirect", 2: "egress mirror", 3: "ingress redirect", 4: "ingress mirror",
}}

// bpf action.
var actBpfAttrs = decode.AttrSet{Name: "TCA_ACT_BPF", Attrs: []decode.Attr{
	1: tmAttr("TCA_ACT_BPF_TM"),
	2: {Name: "TCA_ACT_BPF_PARMS", Type: decode.Struct, Struct: &tcActBpf},
	3: {Name: "TCA_ACT_BPF_OPS_LEN", Type: decode.U16},
	4: {Name: "TCA_ACT_BPF_OPS", Type: decode.StructArray, Struct: &sockFilter, Elem: "insn"},
	5: {Name: "TCA_ACT_BPF_FD", Type: decode.U32},
	6: {Name: "TCA_ACT_BPF_NAME", Type: decode.String},
	7: {Name: "TCA_ACT_BPF_PAD", Type: decode.Binary},
	8: {Name: "TCA_ACT_BPF_TAG", Type: decode.Binary},
	9: {Name: "TCA_ACT_BPF_ID", Type: decode.U32},
}}

var tcActBpf = tcGen("tc_act_bpf", 20)

// csum.
var csumAttrs = decode.AttrSet{Name: "TCA_CSUM", Attrs: []decode.Attr{
	1: {Name: "TCA_CSUM_PARMS", Type: decode.Struct, Struct: &tcCsum},
	2: tmAttr("TCA_CSUM_TM"),
	3: {Name: "TCA_CSUM_PAD", Type: decode.Binary},
}}

var tcCsum = tcGen("tc_csum", 24,
	decode.Attr{Name: "update_flags", Type: decode.U32, Sem: decode.FlagBits, Flags: &csumFlags, Off: 20},
)

var csumFlags = decode.FlagSet{Name: "TCA_CSUM_UPDATE_FLAG", Bits: []string{"iph", "icmp", "igmp", "tcp", "udp", "udplite", "sctp"}}

// vlan.
var vlanActAttrs = decode.AttrSet{Name: "TCA_VLAN", Attrs: []decode.Attr{
	1: tmAttr("TCA_VLAN_TM"),
	2: {Name: "TCA_VLAN_PARMS", Type: decode.Struct, Struct: &tcVlan},
	3: {Name: "TCA_VLAN_PUSH_VLAN_ID", Type: decode.U16},
	4: {Name: "TCA_VLAN_PUSH_VLAN_PROTOCOL", Type: decode.BE16, Sem: decode.EnumValue, Enum: &ethProtocols},
	5: {Name: "TCA_VLAN_PAD", Type: decode.Binary},
	6: {Name: "TCA_VLAN_PUSH_VLAN_PRIORITY", Type: decode.U8},
	7: {Name: "TCA_VLAN_PUSH_ETH_DST", Type: decode.HWAddr},
	8: {Name: "TCA_VLAN_PUSH_ETH_SRC", Type: decode.HWAddr},
}}

var tcVlan = tcGen("tc_vlan", 24,
	decode.Attr{Name: "v_action", Type: decode.S32, Sem: decode.EnumValue, Enum: &vlanActions, Off: 20},
)

var vlanActions = decode.Enum{Name: "TCA_VLAN_ACT", Names: []string{1: "pop", 2: "push", 3: "modify", 4: "pop_eth", 5: "push_eth"}}

// skbedit.
var skbeditAttrs = decode.AttrSet{Name: "TCA_SKBEDIT", Attrs: []decode.Attr{
	1:  tmAttr("TCA_SKBEDIT_TM"),
	2:  {Name: "TCA_SKBEDIT_PARMS", Type: decode.Struct, Struct: &tcSkbedit},
	3:  {Name: "TCA_SKBEDIT_PRIORITY", Type: decode.U32, Sem: decode.TCHandle},
	4:  {Name: "TCA_SKBEDIT_QUEUE_MAPPING", Type: decode.U16},
	5:  {Name: "TCA_SKBEDIT_MARK", Type: decode.U32, Sem: decode.Hex},
	6:  {Name: "TCA_SKBEDIT_PAD", Type: decode.Binary},
	7:  {Name: "TCA_SKBEDIT_PTYPE", Type: decode.U16, Sem: decode.EnumValue, Enum: &packetTypes},
	8:  {Name: "TCA_SKBEDIT_MASK", Type: decode.U32, Sem: decode.Hex},
	9:  {Name: "TCA_SKBEDIT_FLAGS", Type: decode.U64, Sem: decode.FlagBits, Flags: &skbeditFlags},
	10: {Name: "TCA_SKBEDIT_QUEUE_MAPPING_MAX", Type: decode.U16},
}}

var tcSkbedit = tcGen("tc_skbedit", 20)

var skbeditFlags = decode.FlagSet{Name: "SKBEDIT_F", Bits: []string{"priority", "queue_mapping", "mark", "ptype", "mask", "inheritdsfield", "txq_skbhash"}}

var packetTypes = decode.Enum{Name: "PACKET", Names: []string{"host", "broadcast", "multicast", "otherhost", "outgoing", "loopback"}}

// pedit.
var peditAttrs = decode.AttrSet{Name: "TCA_PEDIT", Attrs: []decode.Attr{
	1: tmAttr("TCA_PEDIT_TM"),
	2: {Name: "TCA_PEDIT_PARMS", Type: decode.Custom, Custom: peditSel},
	3: {Name: "TCA_PEDIT_PAD", Type: decode.Binary},
	4: {Name: "TCA_PEDIT_PARMS_EX", Type: decode.Custom, Custom: peditSel},
	5: {Name: "TCA_PEDIT_KEYS_EX", Type: decode.Nest, Nest: &peditKeysExAttrs},
	6: {Name: "TCA_PEDIT_KEY_EX", Type: decode.Nest, Nest: &peditKeyExAttrs},
}}

// tcPeditSel is struct tc_pedit_sel without its keys: tc_gen, nkeys and
// flags, padded to the keys' alignment.
var tcPeditSel = tcGen("tc_pedit_sel", 24,
	decode.Attr{Name: "nkeys", Type: decode.U8, Off: 20},
	decode.Attr{Name: "flags", Type: decode.U8, Sem: decode.Hex, Off: 21},
)

var tcPeditKey = decode.Layout{Name: "tc_pedit_key", Size: 24, Members: []decode.Attr{
	{Name: "mask", Type: decode.U32, Sem: decode.Hex, Off: 0},
	{Name: "val", Type: decode.U32, Sem: decode.Hex, Off: 4},
	{Name: "off", Type: decode.U32, Off: 8},
	{Name: "at", Type: decode.U32, Off: 12},
	{Name: "offmask", Type: decode.U32, Sem: decode.Hex, Off: 16},
	{Name: "shift", Type: decode.U32, Off: 20},
}}

// peditSel decodes struct tc_pedit_sel and its keys.
func peditSel(b *decode.Builder, p []byte, off int) {
	if len(p) < tcPeditSel.Size {
		b.Malformed(off, len(p), "shorter than tc_pedit_sel")
		return
	}
	b.Layout(&tcPeditSel, p[:tcPeditSel.Size], off)
	rest, roff := p[tcPeditSel.Size:], off+tcPeditSel.Size
	for len(rest) >= tcPeditKey.Size {
		b.Open("key", roff, tcPeditKey.Size)
		b.Layout(&tcPeditKey, rest[:tcPeditKey.Size], roff)
		b.Close()
		rest, roff = rest[tcPeditKey.Size:], roff+tcPeditKey.Size
	}
	if len(rest) > 0 {
		b.Malformed(roff, len(rest), "trailing bytes shorter than tc_pedit_key")
	}
}

var peditKeysExAttrs = decode.AttrSet{Name: "TCA_PEDIT", Attrs: []decode.Attr{
	6: {Name: "TCA_PEDIT_KEY_EX", Type: decode.Nest, Nest: &peditKeyExAttrs},
}}

var peditKeyExAttrs = decode.AttrSet{Name: "TCA_PEDIT_KEY_EX", Attrs: []decode.Attr{
	1: {Name: "TCA_PEDIT_KEY_EX_HTYPE", Type: decode.U16, Sem: decode.EnumValue, Enum: &peditHeaderTypes},
	2: {Name: "TCA_PEDIT_KEY_EX_CMD", Type: decode.U16, Sem: decode.EnumValue, Enum: &peditCmds},
}}

var peditHeaderTypes = decode.Enum{Name: "TCA_PEDIT_KEY_EX_HDR_TYPE", Names: []string{"network", "eth", "ip4", "ip6", "tcp", "udp"}}

var peditCmds = decode.Enum{Name: "TCA_PEDIT_KEY_EX_CMD", Names: []string{"set", "add"}}

// tunnel_key.
var tunnelKeyAttrs = decode.AttrSet{Name: "TCA_TUNNEL_KEY", Attrs: []decode.Attr{
	1:  tmAttr("TCA_TUNNEL_KEY_TM"),
	2:  {Name: "TCA_TUNNEL_KEY_PARMS", Type: decode.Struct, Struct: &tcTunnelKey},
	3:  {Name: "TCA_TUNNEL_KEY_ENC_IPV4_SRC", Type: decode.Addr},
	4:  {Name: "TCA_TUNNEL_KEY_ENC_IPV4_DST", Type: decode.Addr},
	5:  {Name: "TCA_TUNNEL_KEY_ENC_IPV6_SRC", Type: decode.Addr},
	6:  {Name: "TCA_TUNNEL_KEY_ENC_IPV6_DST", Type: decode.Addr},
	7:  {Name: "TCA_TUNNEL_KEY_ENC_KEY_ID", Type: decode.BE32},
	8:  {Name: "TCA_TUNNEL_KEY_PAD", Type: decode.Binary},
	9:  {Name: "TCA_TUNNEL_KEY_ENC_DST_PORT", Type: decode.BE16},
	10: {Name: "TCA_TUNNEL_KEY_NO_CSUM", Type: decode.U8, Sem: decode.Bool},
	11: {Name: "TCA_TUNNEL_KEY_ENC_OPTS", Type: decode.Nest, Nest: &tunnelKeyEncOptsAttrs},
	12: {Name: "TCA_TUNNEL_KEY_ENC_TOS", Type: decode.U8, Sem: decode.Hex},
	13: {Name: "TCA_TUNNEL_KEY_ENC_TTL", Type: decode.U8},
	14: {Name: "TCA_TUNNEL_KEY_NO_FRAG", Type: decode.Flag},
}}

var tcTunnelKey = tcGen("tc_tunnel_key", 24,
	decode.Attr{Name: "t_action", Type: decode.S32, Sem: decode.EnumValue, Enum: &tunnelKeyActions, Off: 20},
)

var tunnelKeyActions = decode.Enum{Name: "TCA_TUNNEL_KEY_ACT", Names: []string{1: "set", 2: "unset"}}

var tunnelKeyEncOptsAttrs = decode.AttrSet{Name: "TCA_TUNNEL_KEY_ENC_OPTS", Attrs: []decode.Attr{
	1: {Name: "TCA_TUNNEL_KEY_ENC_OPTS_GENEVE", Type: decode.Nest, Nest: &tunnelKeyGenevOptAttrs},
	2: {Name: "TCA_TUNNEL_KEY_ENC_OPTS_VXLAN", Type: decode.Nest, Nest: &tunnelKeyVxlanOptAttrs},
	3: {Name: "TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN", Type: decode.Nest, Nest: &tunnelKeyErspanOptAttrs},
}}

// ct.
var ctActAttrs = decode.AttrSet{Name: "TCA_CT", Attrs: []decode.Attr{
	1:  {Name: "TCA_CT_PARMS", Type: decode.Struct, Struct: &tcCt},
	2:  tmAttr("TCA_CT_TM"),
	3:  {Name: "TCA_CT_ACTION", Type: decode.U16, Sem: decode.FlagBits, Flags: &ctActFlags},
	4:  {Name: "TCA_CT_ZONE", Type: decode.U16},
	5:  {Name: "TCA_CT_MARK", Type: decode.U32, Sem: decode.Hex},
	6:  {Name: "TCA_CT_MARK_MASK", Type: decode.U32, Sem: decode.Hex},
	7:  {Name: "TCA_CT_LABELS", Type: decode.Binary},
	8:  {Name: "TCA_CT_LABELS_MASK", Type: decode.Binary},
	9:  {Name: "TCA_CT_NAT_IPV4_MIN", Type: decode.Addr},
	10: {Name: "TCA_CT_NAT_IPV4_MAX", Type: decode.Addr},
	11: {Name: "TCA_CT_NAT_IPV6_MIN", Type: decode.Addr},
	12: {Name: "TCA_CT_NAT_IPV6_MAX", Type: decode.Addr},
	13: {Name: "TCA_CT_NAT_PORT_MIN", Type: decode.BE16},
	14: {Name: "TCA_CT_NAT_PORT_MAX", Type: decode.BE16},
	15: {Name: "TCA_CT_PAD", Type: decode.Binary},
	16: {Name: "TCA_CT_HELPER_NAME", Type: decode.String},
	17: {Name: "TCA_CT_HELPER_FAMILY", Type: decode.U8, Sem: decode.EnumValue, Enum: &families},
	18: {Name: "TCA_CT_HELPER_PROTO", Type: decode.U8, Sem: decode.EnumValue, Enum: &ipProtos},
}}

var tcCt = tcGen("tc_ct", 20)

var ctActFlags = decode.FlagSet{Name: "TCA_CT_ACT", Bits: []string{"commit", "force", "clear", "nat", "nat_src", "nat_dst"}}

// nat.
var natAttrs = decode.AttrSet{Name: "TCA_NAT", Attrs: []decode.Attr{
	1: {Name: "TCA_NAT_PARMS", Type: decode.Struct, Struct: &tcNat},
	2: tmAttr("TCA_NAT_TM"),
	3: {Name: "TCA_NAT_PAD", Type: decode.Binary},
}}

var tcNat = tcGen("tc_nat", 36,
	decode.Attr{Name: "old_addr", Type: decode.Addr, Off: 20, Len: 4},
	decode.Attr{Name: "new_addr", Type: decode.Addr, Off: 24, Len: 4},
	decode.Attr{Name: "mask", Type: decode.Addr, Off: 28, Len: 4},
	decode.Attr{Name: "flags", Type: decode.U32, Sem: decode.FlagBits, Flags: &natFlags, Off: 32},
)

var natFlags = decode.FlagSet{Name: "TCA_NAT_FLAG", Bits: []string{"egress"}}
