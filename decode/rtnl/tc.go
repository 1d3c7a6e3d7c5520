package rtnl

import (
	"bytes"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
)

// tc messages: qdiscs, classes, filters and chains carry a tcmsg and TCA_*
// attributes; actions carry a tcamsg and TCA_ROOT_* attributes. Constants
// come from linux/rtnetlink.h, pkt_sched.h, pkt_cls.h, gen_stats.h and
// tc_act/*.h.

// Qdisc and class messages are decoded with a message type chosen by their
// TCA_KIND (tcLookup): a kind's TCA_OPTIONS may be a bare struct (pfifo,
// prio, sfq) or a struct followed by attributes (netem), and its xstats
// (TCA_XSTATS, TCA_STATS_APP) are a kind-specific struct, none of which an
// attribute-set Select can express. Filters, chains and actions always nest
// attributes, and choose their sets with Select hooks.

// The tc message types, from linux/rtnetlink.h.
const (
	rtmNewQdisc   = 36
	rtmGetTClass  = 42
	rtmNewTFilter = 44
	rtmGetTFilter = 46
	rtmNewChain   = 100
	rtmGetChain   = 102
)

func isFilterMsg(t uint16) bool {
	return t >= rtmNewTFilter && t <= rtmGetTFilter || t >= rtmNewChain && t <= rtmGetChain
}

// tcKindTypes holds RTM_NEWQDISC..RTM_GETTCLASS (36..42) for one kind.
type tcKindTypes [7]decode.MessageType

// tcQdiscTypes returns the qdisc and class message types for a kind whose
// qdisc and class attribute sets are qdisc and class.
func tcQdiscTypes(qdisc, class *decode.AttrSet) *tcKindTypes {
	var t tcKindTypes
	for i, name := range []string{"RTM_NEWQDISC", "RTM_DELQDISC", "RTM_GETQDISC", "", "RTM_NEWTCLASS", "RTM_DELTCLASS", "RTM_GETTCLASS"} {
		if name == "" {
			continue
		}
		set := qdisc
		if i >= 4 {
			set = class
		}
		t[i] = decode.MessageType{Name: name, Op: []decode.Op{decode.OpNew, decode.OpDel, decode.OpGet}[i%4], Header: &tcmsg, Attrs: set}
	}
	return &t
}

// tcSetFor returns the TCA_* set with TCA_OPTIONS decoded as options and
// the xstats as xstats (nil: bytes).
func tcSetFor(options decode.Attr, xstats *decode.Layout) *decode.AttrSet {
	set := decode.AttrSet{Name: tcAttrs.Name, Attrs: append([]decode.Attr(nil), tcAttrs.Attrs...)}
	options.Name = "TCA_OPTIONS"
	set.Attrs[2] = options
	if xstats != nil {
		set.Attrs[4] = decode.Attr{Name: "TCA_XSTATS", Type: decode.Struct, Struct: xstats}
		stats2 := tcStats2For(xstats)
		set.Attrs[7] = decode.Attr{Name: "TCA_STATS2", Type: decode.Nest, Nest: &stats2}
	}
	return &set
}

func nestOf(set *decode.AttrSet) decode.Attr {
	return decode.Attr{Type: decode.Nest, Nest: set}
}

func structOf(l *decode.Layout) decode.Attr {
	return decode.Attr{Type: decode.Struct, Struct: l}
}

// tcKinds maps a qdisc kind to its qdisc and class message types. It is
// built once and never written.
var tcKinds = map[string]*tcKindTypes{
	"htb":             tcQdiscTypes(tcSetFor(nestOf(&htbAttrs), nil), tcSetFor(nestOf(&htbAttrs), &htbXstats)),
	"tbf":             tcQdiscTypes(tcSetFor(nestOf(&tbfAttrs), nil), nil),
	"fq_codel":        tcQdiscTypes(fqCodelSet, fqCodelSet),
	"codel":           tcQdiscTypes(tcSetFor(nestOf(&codelAttrs), &codelXstats), nil),
	"fq":              tcQdiscTypes(tcSetFor(nestOf(&fqAttrs), &fqQdStats), nil),
	"netem":           tcQdiscTypes(tcSetFor(decode.Attr{Type: decode.Custom, Custom: netemOptions}, nil), nil),
	"red":             tcQdiscTypes(tcSetFor(nestOf(&redAttrs), &redXstats), nil),
	"cake":            tcQdiscTypes(cakeSet(&cakeAttrs), cakeSet(&emptyAttrs)),
	"prio":            tcQdiscTypes(tcSetFor(structOf(&tcPrioQopt), nil), tcSetFor(nestOf(&emptyAttrs), nil)),
	"pfifo_fast":      tcQdiscTypes(tcSetFor(structOf(&tcPrioQopt), nil), nil),
	"pfifo":           tcQdiscTypes(tcSetFor(structOf(&tcFifoQopt), nil), nil),
	"bfifo":           tcQdiscTypes(tcSetFor(structOf(&tcFifoQopt), nil), nil),
	"pfifo_head_drop": tcQdiscTypes(tcSetFor(structOf(&tcFifoQopt), nil), nil),
	"sfq":             tcQdiscTypes(tcSetFor(structOf(&tcSfqQoptV1), nil), tcSetFor(nestOf(&emptyAttrs), &sfqXstats)),
	"ingress":         tcQdiscTypes(tcSetFor(nestOf(&emptyAttrs), nil), nil),
	"clsact":          tcQdiscTypes(tcSetFor(nestOf(&emptyAttrs), nil), nil),
	"mq":              tcQdiscTypes(tcSetFor(nestOf(&emptyAttrs), nil), tcSetFor(nestOf(&emptyAttrs), nil)),
	"noqueue":         tcQdiscTypes(tcSetFor(nestOf(&emptyAttrs), nil), nil),
}

// fqCodelSet decodes fq_codel qdiscs and classes: the xstats struct says
// which of the two it holds.
var fqCodelSet = func() *decode.AttrSet {
	set := tcSetFor(nestOf(&fqCodelAttrs), nil)
	set.Attrs[4] = decode.Attr{Name: "TCA_XSTATS", Type: decode.Custom, Custom: fqCodelXstats}
	stats2 := tcStats2For(nil)
	stats2.Attrs[4] = decode.Attr{Name: "TCA_STATS_APP", Type: decode.Custom, Custom: fqCodelXstats}
	set.Attrs[7] = decode.Attr{Name: "TCA_STATS2", Type: decode.Nest, Nest: &stats2}
	return set
}()

// tcLookup chooses the message type of a qdisc or class message by its
// TCA_KIND; other messages (and unknown kinds) fall back to messageTypes.
func tcLookup(_ *decode.State, h client.Header, payload []byte) *decode.MessageType {
	isFilter := h.Type >= rtmNewTFilter && h.Type <= rtmGetTFilter
	if (h.Type < rtmNewQdisc || h.Type > rtmGetTClass) && !isFilter || len(payload) <= tcmsg.Size {
		return nil
	}
	var d client.AttributeDecoder
	d.Reset(payload[tcmsg.Size:], 0)
	for d.Next() {
		if d.Type() != 1 /* TCA_KIND */ {
			continue
		}
		kind := d.Bytes()
		if i := bytes.IndexByte(kind, 0); i >= 0 {
			kind = kind[:i]
		}
		if isFilter {
			if string(kind) == "u32" {
				return &u32FilterTypes[h.Type-rtmNewTFilter]
			}
			return nil
		}
		types := tcKinds[string(kind)]
		if types == nil {
			return nil
		}
		mt := &types[h.Type-rtmNewQdisc]
		if mt.Attrs == nil {
			return nil
		}
		return mt
	}
	return nil
}

// tcmsg is the header of qdisc and class messages. tcm_info is the
// reference count in a qdisc dump and unused otherwise.
var tcmsg = decode.Layout{Name: "tcmsg", Size: 20, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "ifindex", Type: decode.S32, Sem: decode.Ifindex, Off: 4},
	{Name: "handle", Type: decode.U32, Sem: decode.TCHandle, Off: 8},
	{Name: "parent", Type: decode.U32, Sem: decode.TCHandle, Off: 12},
	{Name: "info", Type: decode.U32, Off: 16},
}}

// tcmsgFilter is the tcmsg of filter and chain messages, where tcm_info
// is TC_H_MAKE(prio << 16, htons(protocol)): in memory (little-endian
// hosts, which is all nltrace supports) the low half comes first and holds
// the protocol in network order, the high half is the priority.
var tcmsgFilter = decode.Layout{Name: "tcmsg", Size: 20, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "ifindex", Type: decode.S32, Sem: decode.Ifindex, Off: 4},
	{Name: "handle", Type: decode.U32, Sem: decode.Hex, Off: 8},
	{Name: "parent", Type: decode.U32, Sem: decode.TCHandle, Off: 12},
	{Name: "protocol", Type: decode.BE16, Sem: decode.EnumValue, Enum: &ethProtocols, Off: 16},
	{Name: "prio", Type: decode.U16, Off: 18},
}}

// tcmsgU32 is the tcmsg of u32 filter messages, whose handle is a u32
// node handle (htid:bucket:node) rather than a major:minor.
var tcmsgU32 = func() decode.Layout {
	l := tcmsgFilter
	l.Members = append([]decode.Attr(nil), tcmsgFilter.Members...)
	l.Members[2].Sem = decode.U32Handle
	return l
}()

// u32FilterTypes holds RTM_NEWTFILTER..RTM_GETTFILTER for kind u32.
var u32FilterTypes = [3]decode.MessageType{
	{Name: "RTM_NEWTFILTER", Op: decode.OpNew, Header: &tcmsgU32, Attrs: &tcAttrs},
	{Name: "RTM_DELTFILTER", Op: decode.OpDel, Header: &tcmsgU32, Attrs: &tcAttrs},
	{Name: "RTM_GETTFILTER", Op: decode.OpGet, Header: &tcmsgU32, Attrs: &tcAttrs},
}

var tcamsg = decode.Layout{Name: "tcamsg", Size: 4, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
}}

// ethProtocols names ethertypes as iproute2's ll_proto table does.
var ethProtocols = decode.Enum{Name: "ETH_P", Open: true, Names: []string{
	0x0001: "802_3", 0x0002: "ax25", 0x0003: "all", 0x0004: "802_2", 0x0005: "snap", 0x0006: "ddcmp",
	0x0007: "wan_ppp", 0x0008: "ppp_mp", 0x0009: "localtalk", 0x000c: "can", 0x0010: "ppptalk",
	0x0011: "tr_802_2", 0x0015: "mobitex", 0x0016: "control", 0x0017: "irda", 0x0018: "econet",
	0x0019: "tipc", 0x001a: "profinet", 0x001b: "aoe", 0x001d: "802_3_min", 0x0060: "loop", 0x0200: "pup",
	0x0201: "pupat", 0x0800: "ip", 0x0805: "x25", 0x0806: "arp", 0x08ff: "bpq",
}, Sparse: map[uint64]string{
	0x0a00: "pupat", 0x0a01: "pupat", 0x6000: "dec", 0x6001: "dna_dl", 0x6002: "dna_rc", 0x6003: "dna_rt",
	0x6004: "lat", 0x6005: "diag", 0x6006: "cust", 0x6007: "sca", 0x8035: "rarp", 0x809b: "atalk",
	0x80f3: "aarp", 0x8100: "802.1Q", 0x8137: "ipx", 0x86dd: "ipv6", 0x8808: "pause", 0x8809: "slow",
	0x880b: "ppp", 0x8847: "mpls_uc", 0x8848: "mpls_mc", 0x884c: "atmmpoa", 0x8863: "ppp_disc",
	0x8864: "ppp_ses", 0x886c: "link_ctl", 0x8884: "atmfate", 0x888e: "802.1X", 0x8892: "profinet",
	0x8899: "rtl", 0x88a2: "aoe", 0x88a4: "ethercat", 0x88a8: "802.1ad", 0x88b5: "802_ex1",
	0x88c7: "preauth", 0x88ca: "tipc", 0x88cc: "lldp", 0x88e3: "mrp", 0x88e5: "macsec", 0x88e7: "802.1ah",
	0x88f7: "1588", 0x8902: "cfm", 0x8906: "fcoe", 0x8914: "fip", 0x8915: "iboe", 0x892f: "hsr",
	0x9000: "loopback", 0x9100: "qinq1", 0x9200: "qinq2", 0x9300: "qinq3", 0xdada: "edsa",
	0xed3e: "ife", 0xfbfb: "af_iucv",
}}

// TCA_* from linux/rtnetlink.h.
var tcAttrs = decode.AttrSet{Name: "TCA", Attrs: []decode.Attr{
	1:  {Name: "TCA_KIND", Type: decode.String},
	2:  {Name: "TCA_OPTIONS", Type: decode.Nest, Select: selectTCOptions},
	3:  {Name: "TCA_STATS", Type: decode.Struct, Struct: &tcStats},
	4:  {Name: "TCA_XSTATS", Type: decode.Binary},
	5:  {Name: "TCA_RATE", Type: decode.Struct, Struct: &tcEstimator},
	6:  {Name: "TCA_FCNT", Type: decode.U32},
	7:  {Name: "TCA_STATS2", Type: decode.Nest, Nest: &tcStats2Attrs},
	8:  {Name: "TCA_STAB", Type: decode.Nest, Nest: &tcStabAttrs},
	9:  {Name: "TCA_PAD", Type: decode.Binary},
	10: {Name: "TCA_DUMP_INVISIBLE", Type: decode.Flag},
	11: {Name: "TCA_CHAIN", Type: decode.U32},
	12: {Name: "TCA_HW_OFFLOAD", Type: decode.U8, Sem: decode.Bool},
	13: {Name: "TCA_INGRESS_BLOCK", Type: decode.U32},
	14: {Name: "TCA_EGRESS_BLOCK", Type: decode.U32},
	15: {Name: "TCA_DUMP_FLAGS", Type: decode.Struct, Struct: &tcDumpFlags},
	16: {Name: "TCA_EXT_WARN_MSG", Type: decode.String},
}}

var tcDumpFlagBits = decode.FlagSet{Name: "TCA_DUMP_FLAGS", Bits: []string{"TERSE"}}

// tcDumpFlags is a struct nla_bitfield32 of TCA_DUMP_FLAGS_*.
var tcDumpFlags = decode.Layout{Name: "nla_bitfield32", Size: 8, Members: []decode.Attr{
	{Name: "value", Type: decode.U32, Sem: decode.FlagBits, Flags: &tcDumpFlagBits, Off: 0},
	{Name: "selector", Type: decode.U32, Sem: decode.FlagBits, Flags: &tcDumpFlagBits, Off: 4},
}}

var tcStats = decode.Layout{Name: "tc_stats", Size: 40, Members: []decode.Attr{
	{Name: "bytes", Type: decode.U64, Sem: decode.Bytes, Off: 0},
	{Name: "packets", Type: decode.U32, Off: 8},
	{Name: "drops", Type: decode.U32, Off: 12},
	{Name: "overlimits", Type: decode.U32, Off: 16},
	{Name: "bps", Type: decode.U32, Off: 20},
	{Name: "pps", Type: decode.U32, Off: 24},
	{Name: "qlen", Type: decode.U32, Off: 28},
	{Name: "backlog", Type: decode.U32, Off: 32},
}}

var tcEstimator = decode.Layout{Name: "tc_estimator", Size: 2, Members: []decode.Attr{
	{Name: "interval", Type: decode.S8, Off: 0},
	{Name: "ewma_log", Type: decode.U8, Off: 1},
}}

// TCA_STATS_* from linux/gen_stats.h. TCA_STATS_APP is the kind's xstats
// struct; selectTCStats2 picks a set that decodes it.
var tcStats2Attrs = tcStats2For(nil)

func tcStats2For(app *decode.Layout) decode.AttrSet {
	appAttr := decode.Attr{Name: "TCA_STATS_APP", Type: decode.Binary}
	if app != nil {
		appAttr = decode.Attr{Name: "TCA_STATS_APP", Type: decode.Struct, Struct: app}
	}
	return decode.AttrSet{Name: "TCA_STATS", Attrs: []decode.Attr{
		1: {Name: "TCA_STATS_BASIC", Type: decode.Struct, Struct: &gnetStatsBasic},
		2: {Name: "TCA_STATS_RATE_EST", Type: decode.Struct, Struct: &gnetStatsRateEst},
		3: {Name: "TCA_STATS_QUEUE", Type: decode.Struct, Struct: &gnetStatsQueue},
		4: appAttr,
		5: {Name: "TCA_STATS_RATE_EST64", Type: decode.Struct, Struct: &gnetStatsRateEst64},
		6: {Name: "TCA_STATS_PAD", Type: decode.Binary},
		7: {Name: "TCA_STATS_BASIC_HW", Type: decode.Struct, Struct: &gnetStatsBasic},
		8: {Name: "TCA_STATS_PKT64", Type: decode.U64},
	}}
}

var gnetStatsBasic = decode.Layout{Name: "gnet_stats_basic", Size: 16, Members: []decode.Attr{
	{Name: "bytes", Type: decode.U64, Sem: decode.Bytes, Off: 0},
	{Name: "packets", Type: decode.U32, Off: 8},
}}

var gnetStatsRateEst = decode.Layout{Name: "gnet_stats_rate_est", Size: 8, Members: []decode.Attr{
	{Name: "bps", Type: decode.U32, Off: 0},
	{Name: "pps", Type: decode.U32, Off: 4},
}}

var gnetStatsRateEst64 = decode.Layout{Name: "gnet_stats_rate_est64", Size: 16, Members: []decode.Attr{
	{Name: "bps", Type: decode.U64, Off: 0},
	{Name: "pps", Type: decode.U64, Off: 8},
}}

var gnetStatsQueue = decode.Layout{Name: "gnet_stats_queue", Size: 20, Members: []decode.Attr{
	{Name: "qlen", Type: decode.U32, Off: 0},
	{Name: "backlog", Type: decode.U32, Off: 4},
	{Name: "drops", Type: decode.U32, Off: 8},
	{Name: "requeues", Type: decode.U32, Off: 12},
	{Name: "overlimits", Type: decode.U32, Off: 16},
}}

// TCA_STAB_* from linux/pkt_sched.h.
var tcStabAttrs = decode.AttrSet{Name: "TCA_STAB", Attrs: []decode.Attr{
	1: {Name: "TCA_STAB_BASE", Type: decode.Struct, Struct: &tcSizespec},
	2: {Name: "TCA_STAB_DATA", Type: decode.StructArray, Struct: &u16Elem, Elem: "size"},
}}

var u16Elem = decode.Layout{Name: "u16", Size: 2, Members: []decode.Attr{{Name: "value", Type: decode.U16}}}

var tcSizespec = decode.Layout{Name: "tc_sizespec", Size: 24, Members: []decode.Attr{
	{Name: "cell_log", Type: decode.U8, Off: 0},
	{Name: "size_log", Type: decode.U8, Off: 1},
	{Name: "cell_align", Type: decode.S16, Off: 2},
	{Name: "overhead", Type: decode.S32, Off: 4},
	{Name: "linklayer", Type: decode.U32, Sem: decode.EnumValue, Enum: &linkLayers, Off: 8},
	{Name: "mpu", Type: decode.U32, Off: 12},
	{Name: "mtu", Type: decode.U32, Off: 16},
	{Name: "tsize", Type: decode.U32, Off: 20},
}}

var linkLayers = decode.Enum{Name: "TC_LINKLAYER", Names: []string{"unaware", "ethernet", "atm"}}

// selectTCOptions chooses the TCA_OPTIONS set of a filter or chain by its
// TCA_KIND. Qdiscs and classes get here only for kinds tcKinds does not
// know, which show their options as bytes.
func selectTCOptions(s decode.Scope) *decode.AttrSet {
	if !isFilterMsg(s.MessageType()) {
		return nil
	}
	return tcFilterOptions(s.SiblingText(1 /* TCA_KIND */))
}
