package rtnl

import (
	"github.com/nltrace/nltrace/decode"
)

// Qdisc and class options (TCA_OPTIONS) and xstats, from
// linux/pkt_sched.h.

// tcRatespecMembers is a struct tc_ratespec member of a larger struct.
func tcRatespecMembers(name string, off int) decode.Attr {
	return decode.Attr{Name: name, Type: decode.Struct, Struct: &tcRatespec, Off: off}
}

var tcRatespec = decode.Layout{Name: "tc_ratespec", Size: 12, Members: []decode.Attr{
	{Name: "cell_log", Type: decode.U8, Off: 0},
	{Name: "linklayer", Type: decode.U8, Sem: decode.EnumValue, Enum: &linkLayers, Off: 1},
	{Name: "overhead", Type: decode.U16, Off: 2},
	{Name: "cell_align", Type: decode.S16, Off: 4},
	{Name: "mpu", Type: decode.U16, Off: 6},
	{Name: "rate", Type: decode.U32, Off: 8},
}}

var tcFifoQopt = decode.Layout{Name: "tc_fifo_qopt", Size: 4, Members: []decode.Attr{
	{Name: "limit", Type: decode.U32, Off: 0},
}}

var tcPrioQopt = decode.Layout{Name: "tc_prio_qopt", Size: 20, Members: []decode.Attr{
	{Name: "bands", Type: decode.S32, Off: 0},
	{Name: "priomap", Type: decode.Binary, Off: 4, Len: 16},
}}

// tcSfqQoptV1 is what sfq dumps: tc_sfq_qopt followed by the RED part.
var tcSfqQoptV1 = decode.Layout{Name: "tc_sfq_qopt_v1", Size: 72, Members: []decode.Attr{
	{Name: "quantum", Type: decode.U32, Off: 0},
	{Name: "perturb_period", Type: decode.S32, Sem: decode.Seconds, Off: 4},
	{Name: "limit", Type: decode.U32, Off: 8},
	{Name: "divisor", Type: decode.U32, Off: 12},
	{Name: "flows", Type: decode.U32, Off: 16},
	{Name: "depth", Type: decode.U32, Off: 20},
	{Name: "headdrop", Type: decode.U32, Off: 24},
	{Name: "red_limit", Type: decode.U32, Off: 28},
	{Name: "qth_min", Type: decode.U32, Off: 32},
	{Name: "qth_max", Type: decode.U32, Off: 36},
	{Name: "Wlog", Type: decode.U8, Off: 40},
	{Name: "Plog", Type: decode.U8, Off: 41},
	{Name: "Scell_log", Type: decode.U8, Off: 42},
	{Name: "flags", Type: decode.U8, Sem: decode.FlagBits, Flags: &redFlags, Off: 43},
	{Name: "max_P", Type: decode.U32, Off: 44},
	{Name: "prob_drop", Type: decode.U32, Off: 48},
	{Name: "forced_drop", Type: decode.U32, Off: 52},
	{Name: "prob_mark", Type: decode.U32, Off: 56},
	{Name: "forced_mark", Type: decode.U32, Off: 60},
	{Name: "prob_mark_head", Type: decode.U32, Off: 64},
	{Name: "forced_mark_head", Type: decode.U32, Off: 68},
}}

var sfqXstats = decode.Layout{Name: "tc_sfq_xstats", Size: 4, Members: []decode.Attr{
	{Name: "allot", Type: decode.S32, Off: 0},
}}

// TCA_HTB_*.
var htbAttrs = decode.AttrSet{Name: "TCA_HTB", Attrs: []decode.Attr{
	1: {Name: "TCA_HTB_PARMS", Type: decode.Struct, Struct: &tcHtbOpt},
	2: {Name: "TCA_HTB_INIT", Type: decode.Struct, Struct: &tcHtbGlob},
	3: {Name: "TCA_HTB_CTAB", Type: decode.Binary},
	4: {Name: "TCA_HTB_RTAB", Type: decode.Binary},
	5: {Name: "TCA_HTB_DIRECT_QLEN", Type: decode.U32},
	6: {Name: "TCA_HTB_RATE64", Type: decode.U64},
	7: {Name: "TCA_HTB_CEIL64", Type: decode.U64},
	8: {Name: "TCA_HTB_PAD", Type: decode.Binary},
	9: {Name: "TCA_HTB_OFFLOAD", Type: decode.Flag},
}}

var tcHtbOpt = decode.Layout{Name: "tc_htb_opt", Size: 44, Members: []decode.Attr{
	tcRatespecMembers("rate", 0),
	tcRatespecMembers("ceil", 12),
	{Name: "buffer", Type: decode.U32, Off: 24},
	{Name: "cbuffer", Type: decode.U32, Off: 28},
	{Name: "quantum", Type: decode.U32, Off: 32},
	{Name: "level", Type: decode.U32, Off: 36},
	{Name: "prio", Type: decode.U32, Off: 40},
}}

var tcHtbGlob = decode.Layout{Name: "tc_htb_glob", Size: 20, Members: []decode.Attr{
	{Name: "version", Type: decode.U32, Off: 0},
	{Name: "rate2quantum", Type: decode.U32, Off: 4},
	{Name: "defcls", Type: decode.U32, Sem: decode.Hex, Off: 8},
	{Name: "debug", Type: decode.U32, Off: 12},
	{Name: "direct_pkts", Type: decode.U32, Off: 16},
}}

var htbXstats = decode.Layout{Name: "tc_htb_xstats", Size: 20, Members: []decode.Attr{
	{Name: "lends", Type: decode.U32, Off: 0},
	{Name: "borrows", Type: decode.U32, Off: 4},
	{Name: "giants", Type: decode.U32, Off: 8},
	{Name: "tokens", Type: decode.S32, Off: 12},
	{Name: "ctokens", Type: decode.S32, Off: 16},
}}

// TCA_TBF_*.
var tbfAttrs = decode.AttrSet{Name: "TCA_TBF", Attrs: []decode.Attr{
	1: {Name: "TCA_TBF_PARMS", Type: decode.Struct, Struct: &tcTbfQopt},
	2: {Name: "TCA_TBF_RTAB", Type: decode.Binary},
	3: {Name: "TCA_TBF_PTAB", Type: decode.Binary},
	4: {Name: "TCA_TBF_RATE64", Type: decode.U64},
	5: {Name: "TCA_TBF_PRATE64", Type: decode.U64},
	6: {Name: "TCA_TBF_BURST", Type: decode.U32},
	7: {Name: "TCA_TBF_PBURST", Type: decode.U32},
	8: {Name: "TCA_TBF_PAD", Type: decode.Binary},
}}

var tcTbfQopt = decode.Layout{Name: "tc_tbf_qopt", Size: 36, Members: []decode.Attr{
	tcRatespecMembers("rate", 0),
	tcRatespecMembers("peakrate", 12),
	{Name: "limit", Type: decode.U32, Off: 24},
	{Name: "buffer", Type: decode.U32, Off: 28},
	{Name: "mtu", Type: decode.U32, Off: 32},
}}

// TCA_FQ_CODEL_*. Times are in microseconds.
var fqCodelAttrs = decode.AttrSet{Name: "TCA_FQ_CODEL", Attrs: []decode.Attr{
	1:  {Name: "TCA_FQ_CODEL_TARGET", Type: decode.U32},
	2:  {Name: "TCA_FQ_CODEL_LIMIT", Type: decode.U32},
	3:  {Name: "TCA_FQ_CODEL_INTERVAL", Type: decode.U32},
	4:  {Name: "TCA_FQ_CODEL_ECN", Type: decode.U32, Sem: decode.Bool},
	5:  {Name: "TCA_FQ_CODEL_FLOWS", Type: decode.U32},
	6:  {Name: "TCA_FQ_CODEL_QUANTUM", Type: decode.U32},
	7:  {Name: "TCA_FQ_CODEL_CE_THRESHOLD", Type: decode.U32},
	8:  {Name: "TCA_FQ_CODEL_DROP_BATCH_SIZE", Type: decode.U32},
	9:  {Name: "TCA_FQ_CODEL_MEMORY_LIMIT", Type: decode.U32, Sem: decode.Bytes},
	10: {Name: "TCA_FQ_CODEL_CE_THRESHOLD_SELECTOR", Type: decode.U8, Sem: decode.Hex},
	11: {Name: "TCA_FQ_CODEL_CE_THRESHOLD_MASK", Type: decode.U8, Sem: decode.Hex},
}}

var fqCodelXstatsType = decode.Layout{Name: "tc_fq_codel_xstats", Size: 4, Members: []decode.Attr{
	{Name: "type", Type: decode.U32, Sem: decode.EnumValue, Enum: &fqCodelXstatsTypes, Off: 0},
}}

var fqCodelXstatsTypes = decode.Enum{Name: "TCA_FQ_CODEL_XSTATS", Names: []string{"qdisc", "class"}}

var fqCodelQdStats = decode.Layout{Name: "qdisc_stats", Size: 36, Members: []decode.Attr{
	{Name: "maxpacket", Type: decode.U32, Off: 0},
	{Name: "drop_overlimit", Type: decode.U32, Off: 4},
	{Name: "ecn_mark", Type: decode.U32, Off: 8},
	{Name: "new_flow_count", Type: decode.U32, Off: 12},
	{Name: "new_flows_len", Type: decode.U32, Off: 16},
	{Name: "old_flows_len", Type: decode.U32, Off: 20},
	{Name: "ce_mark", Type: decode.U32, Off: 24},
	{Name: "memory_usage", Type: decode.U32, Sem: decode.Bytes, Off: 28},
	{Name: "drop_overmemory", Type: decode.U32, Off: 32},
}}

var fqCodelClStats = decode.Layout{Name: "class_stats", Size: 24, Members: []decode.Attr{
	{Name: "deficit", Type: decode.S32, Off: 0},
	{Name: "ldelay", Type: decode.U32, Off: 4},
	{Name: "count", Type: decode.U32, Off: 8},
	{Name: "lastcount", Type: decode.U32, Off: 12},
	{Name: "dropping", Type: decode.U32, Off: 16},
	{Name: "drop_next", Type: decode.S32, Off: 20},
}}

// fqCodelXstats decodes struct tc_fq_codel_xstats: a type word, then the
// qdisc or the class member of the union.
func fqCodelXstats(b *decode.Builder, p []byte, off int) {
	if len(p) < 4 {
		b.Malformed(off, len(p), "tc_fq_codel_xstats is shorter than its type")
		return
	}
	b.Layout(&fqCodelXstatsType, p[:4], off)
	l := &fqCodelQdStats
	if p[0] == 1 {
		l = &fqCodelClStats
	}
	b.Layout(l, p[4:], off+4)
}

// TCA_CODEL_*.
var codelAttrs = decode.AttrSet{Name: "TCA_CODEL", Attrs: []decode.Attr{
	1: {Name: "TCA_CODEL_TARGET", Type: decode.U32},
	2: {Name: "TCA_CODEL_LIMIT", Type: decode.U32},
	3: {Name: "TCA_CODEL_INTERVAL", Type: decode.U32},
	4: {Name: "TCA_CODEL_ECN", Type: decode.U32, Sem: decode.Bool},
	5: {Name: "TCA_CODEL_CE_THRESHOLD", Type: decode.U32},
}}

var codelXstats = decode.Layout{Name: "tc_codel_xstats", Size: 36, Members: []decode.Attr{
	{Name: "maxpacket", Type: decode.U32, Off: 0},
	{Name: "count", Type: decode.U32, Off: 4},
	{Name: "lastcount", Type: decode.U32, Off: 8},
	{Name: "ldelay", Type: decode.U32, Off: 12},
	{Name: "drop_next", Type: decode.S32, Off: 16},
	{Name: "drop_overlimit", Type: decode.U32, Off: 20},
	{Name: "ecn_mark", Type: decode.U32, Off: 24},
	{Name: "dropping", Type: decode.U32, Off: 28},
	{Name: "ce_mark", Type: decode.U32, Off: 32},
}}

// TCA_FQ_*, including those newer than the installed headers.
var fqAttrs = decode.AttrSet{Name: "TCA_FQ", Attrs: []decode.Attr{
	1:  {Name: "TCA_FQ_PLIMIT", Type: decode.U32},
	2:  {Name: "TCA_FQ_FLOW_PLIMIT", Type: decode.U32},
	3:  {Name: "TCA_FQ_QUANTUM", Type: decode.U32},
	4:  {Name: "TCA_FQ_INITIAL_QUANTUM", Type: decode.U32},
	5:  {Name: "TCA_FQ_RATE_ENABLE", Type: decode.U32, Sem: decode.Bool},
	6:  {Name: "TCA_FQ_FLOW_DEFAULT_RATE", Type: decode.U32},
	7:  {Name: "TCA_FQ_FLOW_MAX_RATE", Type: decode.U32},
	8:  {Name: "TCA_FQ_BUCKETS_LOG", Type: decode.U32},
	9:  {Name: "TCA_FQ_FLOW_REFILL_DELAY", Type: decode.U32},
	10: {Name: "TCA_FQ_ORPHAN_MASK", Type: decode.U32, Sem: decode.Hex},
	11: {Name: "TCA_FQ_LOW_RATE_THRESHOLD", Type: decode.U32},
	12: {Name: "TCA_FQ_CE_THRESHOLD", Type: decode.U32},
	13: {Name: "TCA_FQ_TIMER_SLACK", Type: decode.U32},
	14: {Name: "TCA_FQ_HORIZON", Type: decode.U32},
	15: {Name: "TCA_FQ_HORIZON_DROP", Type: decode.U8, Sem: decode.Bool},
	16: {Name: "TCA_FQ_PRIOMAP", Type: decode.Struct, Struct: &tcPrioQopt},
	17: {Name: "TCA_FQ_WEIGHTS", Type: decode.StructArray, Struct: &s32Elem, Elem: "weight"},
	18: {Name: "TCA_FQ_OFFLOAD_HORIZON", Type: decode.U32},
}}

var s32Elem = decode.Layout{Name: "s32", Size: 4, Members: []decode.Attr{{Name: "value", Type: decode.S32}}}

var fqQdStats = decode.Layout{Name: "tc_fq_qd_stats", Size: 104, Members: []decode.Attr{
	{Name: "gc_flows", Type: decode.U64, Off: 0},
	{Name: "highprio_packets", Type: decode.U64, Off: 8},
	{Name: "tcp_retrans", Type: decode.U64, Off: 16},
	{Name: "throttled", Type: decode.U64, Off: 24},
	{Name: "flows_plimit", Type: decode.U64, Off: 32},
	{Name: "pkts_too_long", Type: decode.U64, Off: 40},
	{Name: "allocation_errors", Type: decode.U64, Off: 48},
	{Name: "time_next_delayed_flow", Type: decode.S64, Off: 56},
	{Name: "flows", Type: decode.U32, Off: 64},
	{Name: "inactive_flows", Type: decode.U32, Off: 68},
	{Name: "throttled_flows", Type: decode.U32, Off: 72},
	{Name: "unthrottle_latency_ns", Type: decode.U32, Off: 76},
	{Name: "ce_mark", Type: decode.U64, Off: 80},
	{Name: "horizon_drops", Type: decode.U64, Off: 88},
	{Name: "horizon_caps", Type: decode.U64, Off: 96},
}}

// netem's TCA_OPTIONS is a struct tc_netem_qopt followed by TCA_NETEM_*
// attributes.
var tcNetemQopt = decode.Layout{Name: "tc_netem_qopt", Size: 24, Members: []decode.Attr{
	{Name: "latency", Type: decode.U32, Off: 0},
	{Name: "limit", Type: decode.U32, Off: 4},
	{Name: "loss", Type: decode.U32, Off: 8},
	{Name: "gap", Type: decode.U32, Off: 12},
	{Name: "duplicate", Type: decode.U32, Off: 16},
	{Name: "jitter", Type: decode.U32, Off: 20},
}}

func netemOptions(b *decode.Builder, p []byte, off int) {
	n := min(len(p), tcNetemQopt.Size)
	b.Layout(&tcNetemQopt, p[:n], off)
	if len(p) > tcNetemQopt.Size {
		b.Attrs(&netemAttrs, p[tcNetemQopt.Size:], off+tcNetemQopt.Size)
	}
}

var netemAttrs = decode.AttrSet{Name: "TCA_NETEM", Attrs: []decode.Attr{
	1:  {Name: "TCA_NETEM_CORR", Type: decode.Struct, Struct: &netemCorr},
	2:  {Name: "TCA_NETEM_DELAY_DIST", Type: decode.StructArray, Struct: &s16Elem, Elem: "value"},
	3:  {Name: "TCA_NETEM_REORDER", Type: decode.Struct, Struct: &netemProbCorr},
	4:  {Name: "TCA_NETEM_CORRUPT", Type: decode.Struct, Struct: &netemProbCorr},
	5:  {Name: "TCA_NETEM_LOSS", Type: decode.Nest, Nest: &netemLossAttrs},
	6:  {Name: "TCA_NETEM_RATE", Type: decode.Struct, Struct: &netemRate},
	7:  {Name: "TCA_NETEM_ECN", Type: decode.U32, Sem: decode.Bool},
	8:  {Name: "TCA_NETEM_RATE64", Type: decode.U64},
	9:  {Name: "TCA_NETEM_PAD", Type: decode.Binary},
	10: {Name: "TCA_NETEM_LATENCY64", Type: decode.S64},
	11: {Name: "TCA_NETEM_JITTER64", Type: decode.S64},
	12: {Name: "TCA_NETEM_SLOT", Type: decode.Struct, Struct: &netemSlot},
	13: {Name: "TCA_NETEM_SLOT_DIST", Type: decode.StructArray, Struct: &s16Elem, Elem: "value"},
	14: {Name: "TCA_NETEM_PRNG_SEED", Type: decode.U64},
}}

var s16Elem = decode.Layout{Name: "s16", Size: 2, Members: []decode.Attr{{Name: "value", Type: decode.S16}}}

var netemCorr = decode.Layout{Name: "tc_netem_corr", Size: 12, Members: []decode.Attr{
	{Name: "delay_corr", Type: decode.U32, Off: 0},
	{Name: "loss_corr", Type: decode.U32, Off: 4},
	{Name: "dup_corr", Type: decode.U32, Off: 8},
}}

var netemProbCorr = decode.Layout{Name: "tc_netem_reorder", Size: 8, Members: []decode.Attr{
	{Name: "probability", Type: decode.U32, Off: 0},
	{Name: "correlation", Type: decode.U32, Off: 4},
}}

var netemRate = decode.Layout{Name: "tc_netem_rate", Size: 16, Members: []decode.Attr{
	{Name: "rate", Type: decode.U32, Off: 0},
	{Name: "packet_overhead", Type: decode.S32, Off: 4},
	{Name: "cell_size", Type: decode.U32, Off: 8},
	{Name: "cell_overhead", Type: decode.S32, Off: 12},
}}

var netemSlot = decode.Layout{Name: "tc_netem_slot", Size: 40, Members: []decode.Attr{
	{Name: "min_delay", Type: decode.S64, Off: 0},
	{Name: "max_delay", Type: decode.S64, Off: 8},
	{Name: "max_packets", Type: decode.S32, Off: 16},
	{Name: "max_bytes", Type: decode.S32, Off: 20},
	{Name: "dist_delay", Type: decode.S64, Off: 24},
	{Name: "dist_jitter", Type: decode.S64, Off: 32},
}}

// NETEM_LOSS_*.
var netemLossAttrs = decode.AttrSet{Name: "NETEM_LOSS", Attrs: []decode.Attr{
	1: {Name: "NETEM_LOSS_GI", Type: decode.Struct, Struct: &netemGIModel},
	2: {Name: "NETEM_LOSS_GE", Type: decode.Struct, Struct: &netemGEModel},
}}

var netemGIModel = decode.Layout{Name: "tc_netem_gimodel", Size: 20, Members: []decode.Attr{
	{Name: "p13", Type: decode.U32, Off: 0},
	{Name: "p31", Type: decode.U32, Off: 4},
	{Name: "p32", Type: decode.U32, Off: 8},
	{Name: "p14", Type: decode.U32, Off: 12},
	{Name: "p23", Type: decode.U32, Off: 16},
}}

var netemGEModel = decode.Layout{Name: "tc_netem_gemodel", Size: 16, Members: []decode.Attr{
	{Name: "p", Type: decode.U32, Off: 0},
	{Name: "r", Type: decode.U32, Off: 4},
	{Name: "h", Type: decode.U32, Off: 8},
	{Name: "k1", Type: decode.U32, Off: 12},
}}

// TCA_RED_*.
var redAttrs = decode.AttrSet{Name: "TCA_RED", Attrs: []decode.Attr{
	1: {Name: "TCA_RED_PARMS", Type: decode.Struct, Struct: &tcRedQopt},
	2: {Name: "TCA_RED_STAB", Type: decode.Binary},
	3: {Name: "TCA_RED_MAX_P", Type: decode.U32},
	4: {Name: "TCA_RED_FLAGS", Type: decode.Struct, Struct: &redFlagsBitfield},
	5: {Name: "TCA_RED_EARLY_DROP_BLOCK", Type: decode.U32},
	6: {Name: "TCA_RED_MARK_BLOCK", Type: decode.U32},
}}

var redFlags = decode.FlagSet{Name: "TC_RED", Bits: []string{"ecn", "harddrop", "adaptive", "nodrop"}}

var redFlagsBitfield = decode.Layout{Name: "nla_bitfield32", Size: 8, Members: []decode.Attr{
	{Name: "value", Type: decode.U32, Sem: decode.FlagBits, Flags: &redFlags, Off: 0},
	{Name: "selector", Type: decode.U32, Sem: decode.FlagBits, Flags: &redFlags, Off: 4},
}}

var tcRedQopt = decode.Layout{Name: "tc_red_qopt", Size: 16, Members: []decode.Attr{
	{Name: "limit", Type: decode.U32, Off: 0},
	{Name: "qth_min", Type: decode.U32, Off: 4},
	{Name: "qth_max", Type: decode.U32, Off: 8},
	{Name: "Wlog", Type: decode.U8, Off: 12},
	{Name: "Plog", Type: decode.U8, Off: 13},
	{Name: "Scell_log", Type: decode.U8, Off: 14},
	{Name: "flags", Type: decode.U8, Sem: decode.FlagBits, Flags: &redFlags, Off: 15},
}}

var redXstats = decode.Layout{Name: "tc_red_xstats", Size: 16, Members: []decode.Attr{
	{Name: "early", Type: decode.U32, Off: 0},
	{Name: "pdrop", Type: decode.U32, Off: 4},
	{Name: "other", Type: decode.U32, Off: 8},
	{Name: "marked", Type: decode.U32, Off: 12},
}}

// TCA_CAKE_*.
var cakeAttrs = decode.AttrSet{Name: "TCA_CAKE", Attrs: []decode.Attr{
	1:  {Name: "TCA_CAKE_PAD", Type: decode.Binary},
	2:  {Name: "TCA_CAKE_BASE_RATE64", Type: decode.U64},
	3:  {Name: "TCA_CAKE_DIFFSERV_MODE", Type: decode.U32},
	4:  {Name: "TCA_CAKE_ATM", Type: decode.U32},
	5:  {Name: "TCA_CAKE_FLOW_MODE", Type: decode.U32},
	6:  {Name: "TCA_CAKE_OVERHEAD", Type: decode.S32},
	7:  {Name: "TCA_CAKE_RTT", Type: decode.U32},
	8:  {Name: "TCA_CAKE_TARGET", Type: decode.U32},
	9:  {Name: "TCA_CAKE_AUTORATE", Type: decode.U32, Sem: decode.Bool},
	10: {Name: "TCA_CAKE_MEMORY", Type: decode.U32},
	11: {Name: "TCA_CAKE_NAT", Type: decode.U32, Sem: decode.Bool},
	12: {Name: "TCA_CAKE_RAW", Type: decode.U32, Sem: decode.Bool},
	13: {Name: "TCA_CAKE_WASH", Type: decode.U32, Sem: decode.Bool},
	14: {Name: "TCA_CAKE_MPU", Type: decode.U32},
	15: {Name: "TCA_CAKE_INGRESS", Type: decode.U32, Sem: decode.Bool},
	16: {Name: "TCA_CAKE_ACK_FILTER", Type: decode.U32},
	17: {Name: "TCA_CAKE_SPLIT_GSO", Type: decode.U32, Sem: decode.Bool},
	18: {Name: "TCA_CAKE_FWMARK", Type: decode.U32, Sem: decode.Hex},
}}

// cakeSet decodes cake qdiscs and classes (flows): their TCA_STATS_APP is a
// nest of TCA_CAKE_STATS_*, not a struct.
func cakeSet(options *decode.AttrSet) *decode.AttrSet {
	set := tcSetFor(nestOf(options), nil)
	stats2 := tcStats2For(nil)
	stats2.Attrs[4] = decode.Attr{Name: "TCA_STATS_APP", Type: decode.Nest, Nest: &cakeStatsAttrs}
	set.Attrs[7] = decode.Attr{Name: "TCA_STATS2", Type: decode.Nest, Nest: &stats2}
	return set
}

// TCA_CAKE_STATS_*: the qdisc's statistics, with one TCA_CAKE_TIN_STATS_*
// nest per tin (numbered from 1), and a flow's statistics in class dumps
// (DEFICIT to BLUE_TIMER_US). Rates are bytes per second.
var cakeStatsAttrs = decode.AttrSet{Name: "TCA_CAKE_STATS", Attrs: []decode.Attr{
	1:  {Name: "TCA_CAKE_STATS_PAD", Type: decode.Binary},
	2:  {Name: "TCA_CAKE_STATS_CAPACITY_ESTIMATE64", Type: decode.U64},
	3:  {Name: "TCA_CAKE_STATS_MEMORY_LIMIT", Type: decode.U32, Sem: decode.Bytes},
	4:  {Name: "TCA_CAKE_STATS_MEMORY_USED", Type: decode.U32, Sem: decode.Bytes},
	5:  {Name: "TCA_CAKE_STATS_AVG_NETOFF", Type: decode.U32},
	6:  {Name: "TCA_CAKE_STATS_MIN_NETLEN", Type: decode.U32},
	7:  {Name: "TCA_CAKE_STATS_MAX_NETLEN", Type: decode.U32},
	8:  {Name: "TCA_CAKE_STATS_MIN_ADJLEN", Type: decode.U32},
	9:  {Name: "TCA_CAKE_STATS_MAX_ADJLEN", Type: decode.U32},
	10: {Name: "TCA_CAKE_STATS_TIN_STATS", Type: decode.NestArray, Nest: &cakeTinStatsAttrs, Elem: "tin"},
	11: {Name: "TCA_CAKE_STATS_DEFICIT", Type: decode.S32},
	12: {Name: "TCA_CAKE_STATS_COBALT_COUNT", Type: decode.U32},
	13: {Name: "TCA_CAKE_STATS_DROPPING", Type: decode.U32},
	14: {Name: "TCA_CAKE_STATS_DROP_NEXT_US", Type: decode.S32},
	15: {Name: "TCA_CAKE_STATS_P_DROP", Type: decode.U32},
	16: {Name: "TCA_CAKE_STATS_BLUE_TIMER_US", Type: decode.S32},
}}

var cakeTinStatsAttrs = decode.AttrSet{Name: "TCA_CAKE_TIN_STATS", Attrs: []decode.Attr{
	1:  {Name: "TCA_CAKE_TIN_STATS_PAD", Type: decode.Binary},
	2:  {Name: "TCA_CAKE_TIN_STATS_SENT_PACKETS", Type: decode.U32},
	3:  {Name: "TCA_CAKE_TIN_STATS_SENT_BYTES64", Type: decode.U64, Sem: decode.Bytes},
	4:  {Name: "TCA_CAKE_TIN_STATS_DROPPED_PACKETS", Type: decode.U32},
	5:  {Name: "TCA_CAKE_TIN_STATS_DROPPED_BYTES64", Type: decode.U64, Sem: decode.Bytes},
	6:  {Name: "TCA_CAKE_TIN_STATS_ACKS_DROPPED_PACKETS", Type: decode.U32},
	7:  {Name: "TCA_CAKE_TIN_STATS_ACKS_DROPPED_BYTES64", Type: decode.U64, Sem: decode.Bytes},
	8:  {Name: "TCA_CAKE_TIN_STATS_ECN_MARKED_PACKETS", Type: decode.U32},
	9:  {Name: "TCA_CAKE_TIN_STATS_ECN_MARKED_BYTES64", Type: decode.U64, Sem: decode.Bytes},
	10: {Name: "TCA_CAKE_TIN_STATS_BACKLOG_PACKETS", Type: decode.U32},
	11: {Name: "TCA_CAKE_TIN_STATS_BACKLOG_BYTES", Type: decode.U32, Sem: decode.Bytes},
	12: {Name: "TCA_CAKE_TIN_STATS_THRESHOLD_RATE64", Type: decode.U64},
	13: {Name: "TCA_CAKE_TIN_STATS_TARGET_US", Type: decode.U32},
	14: {Name: "TCA_CAKE_TIN_STATS_INTERVAL_US", Type: decode.U32},
	15: {Name: "TCA_CAKE_TIN_STATS_WAY_INDIRECT_HITS", Type: decode.U32},
	16: {Name: "TCA_CAKE_TIN_STATS_WAY_MISSES", Type: decode.U32},
	17: {Name: "TCA_CAKE_TIN_STATS_WAY_COLLISIONS", Type: decode.U32},
	18: {Name: "TCA_CAKE_TIN_STATS_PEAK_DELAY_US", Type: decode.U32},
	19: {Name: "TCA_CAKE_TIN_STATS_AVG_DELAY_US", Type: decode.U32},
	20: {Name: "TCA_CAKE_TIN_STATS_BASE_DELAY_US", Type: decode.U32},
	21: {Name: "TCA_CAKE_TIN_STATS_SPARSE_FLOWS", Type: decode.U32},
	22: {Name: "TCA_CAKE_TIN_STATS_BULK_FLOWS", Type: decode.U32},
	23: {Name: "TCA_CAKE_TIN_STATS_UNRESPONSIVE_FLOWS", Type: decode.U32},
	24: {Name: "TCA_CAKE_TIN_STATS_MAX_SKBLEN", Type: decode.U32},
	25: {Name: "TCA_CAKE_TIN_STATS_FLOW_QUANTUM", Type: decode.U32},
}}
