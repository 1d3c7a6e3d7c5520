package xfrm

import (
	"github.com/nltrace/nltrace/decode"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// Values are named as ip-xfrm(8) prints them (iproute2's ip/ipxfrm.c).

// families names the address families an xfrm struct can carry.
var families = decode.Enum{Name: "AF", Sparse: map[uint64]string{
	unix.AF_UNSPEC: "unspec", unix.AF_INET: "inet", unix.AF_INET6: "inet6",
}}

// xfrmProtos names xfrm_id.proto: the IPsec (and Mobile IPv6) protocol of
// an SA or template. 255 is IPSEC_PROTO_ANY.
var xfrmProtos = decode.Enum{Name: "IPPROTO", Sparse: map[uint64]string{
	unix.IPPROTO_ESP: "esp", unix.IPPROTO_AH: "ah", unix.IPPROTO_COMP: "comp",
	unix.IPPROTO_ROUTING: "route2", unix.IPPROTO_DSTOPTS: "hao",
	unix.IPPROTO_IPIP: "ipip", unix.IPPROTO_IPV6: "ipv6", 255: "ipsec-any",
}}

// flushProtos names xfrm_usersa_flush.proto, where 0 flushes SAs of
// every protocol.
var flushProtos = decode.Enum{Name: "IPPROTO", Sparse: map[uint64]string{
	0: "any", unix.IPPROTO_ESP: "esp", unix.IPPROTO_AH: "ah", unix.IPPROTO_COMP: "comp",
	unix.IPPROTO_ROUTING: "route2", unix.IPPROTO_DSTOPTS: "hao",
	unix.IPPROTO_IPIP: "ipip", unix.IPPROTO_IPV6: "ipv6", 255: "ipsec-any",
}}

// upperProtos names a selector's upper-layer protocol, as /etc/protocols
// does for the ones selectors match on; other numbers are shown as numbers,
// as ip does when getprotobynumber knows no name.
var upperProtos = decode.Enum{Name: "IPPROTO", Open: true, Sparse: map[uint64]string{
	unix.IPPROTO_ICMP: "icmp", unix.IPPROTO_IGMP: "igmp", unix.IPPROTO_IPIP: "ipencap",
	unix.IPPROTO_TCP: "tcp", unix.IPPROTO_UDP: "udp", unix.IPPROTO_IPV6: "ipv6",
	unix.IPPROTO_ROUTING: "ipv6-route", unix.IPPROTO_FRAGMENT: "ipv6-frag",
	unix.IPPROTO_GRE: "gre", unix.IPPROTO_ESP: "esp", unix.IPPROTO_AH: "ah",
	unix.IPPROTO_ICMPV6: "ipv6-icmp", unix.IPPROTO_DSTOPTS: "ipv6-opts",
	unix.IPPROTO_MH: "ipv6-mh", unix.IPPROTO_COMP: "ipcomp", unix.IPPROTO_SCTP: "sctp",
	unix.IPPROTO_UDPLITE: "udplite", unix.IPPROTO_DCCP: "dccp", unix.IPPROTO_L2TP: "l2tp",
}}

// modes names XFRM_MODE_*; 5 (IP-TFS) is newer than the installed header.
var modes = decode.Enum{Name: "XFRM_MODE", Names: []string{
	"transport", "tunnel", "ro", "in_trigger", "beet", "iptfs",
}}

// saFlags names XFRM_STATE_* (xfrm_usersa_info.flags).
var saFlags = decode.FlagSet{Name: "XFRM_STATE", Sep: " ", Bits: []string{
	"noecn", "decap-dscp", "nopmtudisc", "wildrecv", "icmp", "af-unspec", "align4", "esn",
}}

// saExtraFlags names XFRM_SA_XFLAG_* (XFRMA_SA_EXTRA_FLAGS).
var saExtraFlags = decode.FlagSet{Name: "XFRM_SA_XFLAG", Sep: " ", Bits: []string{
	"dont-encap-dscp", "oseq-may-wrap",
}}

// policyDirs names XFRM_POLICY_IN/OUT/FWD; a socket policy's direction is
// the same number plus XFRM_POLICY_MAX.
var policyDirs = decode.Enum{Name: "XFRM_POLICY_DIR", Names: []string{
	"in", "out", "fwd", "in(socket)", "out(socket)", "fwd(socket)",
}}

// policyActions names XFRM_POLICY_ALLOW and XFRM_POLICY_BLOCK.
var policyActions = decode.Enum{Name: "XFRM_POLICY_ACTION", Names: []string{"allow", "block"}}

// policyFlags names XFRM_POLICY_LOCALOK and XFRM_POLICY_ICMP.
// XFRM_POLICY_CPU_ACQUIRE (Linux 6.13) is newer than the installed header.
var policyFlags = decode.FlagSet{Name: "XFRM_POLICY_FLAG", Sep: " ", Bits: []string{"localok", "icmp", "cpu-acquire"}}

// shares names XFRM_SHARE_*.
var shares = decode.Enum{Name: "XFRM_SHARE", Names: []string{"any", "session", "user", "unique"}}

// policyTypes names XFRM_POLICY_TYPE_*.
var policyTypes = decode.Enum{Name: "XFRM_POLICY_TYPE", Names: []string{"main", "sub"},
	Sparse: map[uint64]string{255: "any"}}

// saDirs names XFRM_SA_DIR_IN and XFRM_SA_DIR_OUT (XFRMA_SA_DIR).
var saDirs = decode.Enum{Name: "XFRM_SA_DIR", Names: []string{1: "in", 2: "out"}}

// offloadFlags names XFRM_OFFLOAD_*.
var offloadFlags = decode.FlagSet{Name: "XFRM_OFFLOAD", Sep: " ", Bits: []string{"ipv6", "inbound", "packet"}}

// defaultActions names XFRM_USERPOLICY_* (xfrm_userpolicy_default).
var defaultActions = decode.Enum{Name: "XFRM_USERPOLICY", Names: []string{"unspec", "block", "accept"}}

// aeFlags names XFRM_AE_* (xfrm_aevent_id.flags).
var aeFlags = decode.FlagSet{Name: "XFRM_AE", Sep: " ", Bits: []string{"rthr", "rval", "lval", "ethr", "cr", "ce", "cu"}}

// encapTypes names the UDP_ENCAP_* and TCP_ENCAP_* types of
// xfrm_encap_tmpl (linux/udp.h, linux/tcp.h).
var encapTypes = decode.Enum{Name: "UDP_ENCAP", Names: []string{
	1: "espinudp-nonike", 2: "espinudp", 3: "l2tpinudp", 4: "gtp0", 5: "gtp1u", 6: "rxrpc", 7: "espintcp",
}}

// secCtxAlgs and secCtxDOIs name XFRM_SC_ALG_* and XFRM_SC_DOI_*.
var (
	secCtxAlgs = decode.Enum{Name: "XFRM_SC_ALG", Names: []string{"reserved", "selinux"}}
	secCtxDOIs = decode.Enum{Name: "XFRM_SC_DOI", Names: []string{"reserved", "lsm"}}
)

// addr is an xfrm_address_t member at off: its first 4 bytes when the
// family that goes with it is AF_INET, all 16 otherwise.
func addr(name string, off int, v6 bool) decode.Attr {
	n := 4
	if v6 {
		n = 16
	}
	return decode.Attr{Name: name, Type: decode.Addr, Off: off, Len: n}
}

func u8(name string, off int) decode.Attr {
	return decode.Attr{Name: name, Type: decode.U8, Off: off}
}
func u16(name string, off int) decode.Attr {
	return decode.Attr{Name: name, Type: decode.U16, Off: off}
}
func u32(name string, off int) decode.Attr {
	return decode.Attr{Name: name, Type: decode.U32, Off: off}
}
func u64(name string, off int) decode.Attr {
	return decode.Attr{Name: name, Type: decode.U64, Off: off}
}
func hex32(name string, off int) decode.Attr {
	return decode.Attr{Name: name, Type: decode.U32, Sem: decode.Hex, Off: off}
}
func enum8(name string, off int, e *decode.Enum) decode.Attr {
	return decode.Attr{Name: name, Type: decode.U8, Sem: decode.EnumValue, Enum: e, Off: off}
}
func family(name string, off int) decode.Attr {
	return decode.Attr{Name: name, Type: decode.U16, Sem: decode.EnumValue, Enum: &families, Off: off}
}
func member(name string, off int, l *decode.Layout) decode.Attr {
	return decode.Attr{Name: name, Type: decode.Struct, Struct: l, Off: off}
}

// Struct sizes on 64-bit kernels, checked against the C compiler's.
const (
	addrSize          = 16
	selectorSize      = 56
	idSize            = 24
	lifetimeCfgSize   = 64
	lifetimeCurSize   = 32
	usersaInfoSize    = 224
	usersaIDSize      = 24
	aeventIDSize      = 48
	userspiInfoSize   = 232
	policyInfoSize    = 168
	policyIDSize      = 64
	acquireSize       = 280
	expireSize        = 232
	polexpireSize     = 176
	flushSize         = 1
	reportSize        = 60
	kmaddressSize     = 40
	migrateSize       = 76
	migrateStateSize  = 132
	mappingSize       = 64
	addrFilterSize    = 36
	offloadSize       = 8
	defaultSize       = 3
	secCtxSize        = 8
	tmplSize          = 64
	encapSize         = 24
	policyTypeSize    = 6
	markSize          = 8
	replaySize        = 12
	replayESNSize     = 24
	statsSize         = 12
	algoSize          = 68 // xfrm_algo: name, key length
	algoAuthSize      = 72 // xfrm_algo_auth and xfrm_algo_aead: and a truncation or ICV length
	sadhinfoSize      = 8
	spdinfoSize       = 24
	spdhinfoSize      = 8
	spdhthreshSize    = 2
	algNameSize       = 64
	infoFamilyOff     = 212 // xfrm_usersa_info.family
	selFamilyOff      = 40  // xfrm_selector.family
	usersaIDFamilyOff = 20  // xfrm_usersa_id.family
	migStateNewFamOff = 128 // xfrm_user_migrate_state.new_family
	tmplFamilyOff     = 24  // xfrm_user_tmpl.family
	kmaddressFamOff   = 36  // xfrm_user_kmaddress.family
	migrateOldFamOff  = 72  // xfrm_user_migrate.old_family
	migrateNewFamOff  = 74  // xfrm_user_migrate.new_family
	filterFamilyOff   = 32  // xfrm_address_filter.family
	acquireSelOff     = 40  // xfrm_user_acquire.sel
	acquirePolicyOff  = 96  // xfrm_user_acquire.policy
	reportSelOff      = 4   // xfrm_user_report.sel
)

// Layouts without addresses.
var (
	lifetimeCfg = decode.Layout{Name: "xfrm_lifetime_cfg", Size: lifetimeCfgSize, Members: []decode.Attr{
		u64("soft_byte_limit", 0), u64("hard_byte_limit", 8),
		u64("soft_packet_limit", 16), u64("hard_packet_limit", 24),
		{Name: "soft_add_expires_seconds", Type: decode.U64, Sem: decode.Seconds, Off: 32},
		{Name: "hard_add_expires_seconds", Type: decode.U64, Sem: decode.Seconds, Off: 40},
		{Name: "soft_use_expires_seconds", Type: decode.U64, Sem: decode.Seconds, Off: 48},
		{Name: "hard_use_expires_seconds", Type: decode.U64, Sem: decode.Seconds, Off: 56},
	}}
	// lifetimeCur's add_time and use_time are seconds since the epoch.
	lifetimeCur = decode.Layout{Name: "xfrm_lifetime_cur", Size: lifetimeCurSize, Members: []decode.Attr{
		u64("bytes", 0), u64("packets", 8), u64("add_time", 16), u64("use_time", 24),
	}}
	stats = decode.Layout{Name: "xfrm_stats", Size: statsSize, Members: []decode.Attr{
		u32("replay_window", 0), u32("replay", 4), u32("integrity_failed", 8),
	}}
	replayState = decode.Layout{Name: "xfrm_replay_state", Size: replaySize, Members: []decode.Attr{
		u32("oseq", 0), u32("seq", 4), hex32("bitmap", 8),
	}}
	// replayStateESN is followed by bmp_len 32-bit words of bitmap, shown
	// as bmp0, bmp1, ...
	replayStateESN = decode.Layout{Name: "xfrm_replay_state_esn", Size: replayESNSize, Members: []decode.Attr{
		u32("bmp_len", 0), u32("oseq", 4), u32("seq", 8), u32("oseq_hi", 12), u32("seq_hi", 16), u32("replay_window", 20),
	}, Tail: &decode.Attr{Name: "bmp", Type: decode.U32, Sem: decode.Hex}, TailBase: -replayESNSize / 4}
	mark = decode.Layout{Name: "xfrm_mark", Size: markSize, Members: []decode.Attr{hex32("v", 0), hex32("m", 4)}}
	// policyType's reserved members are shown: nothing else would show
	// bytes a sender left in them.
	policyType = decode.Layout{Name: "xfrm_userpolicy_type", Size: policyTypeSize, Members: []decode.Attr{
		enum8("type", 0, &policyTypes), u16("reserved1", 2), u8("reserved2", 4),
	}}
	userOffload = decode.Layout{Name: "xfrm_user_offload", Size: offloadSize, Members: []decode.Attr{
		{Name: "ifindex", Type: decode.S32, Sem: decode.Ifindex, Off: 0},
		{Name: "flags", Type: decode.U8, Sem: decode.FlagBits, Flags: &offloadFlags, Off: 4},
	}}
	userpolicyDefault = decode.Layout{Name: "xfrm_userpolicy_default", Size: defaultSize, Members: []decode.Attr{
		enum8("in", 0, &defaultActions), enum8("fwd", 1, &defaultActions), enum8("out", 2, &defaultActions),
	}}
	usersaFlush = decode.Layout{Name: "xfrm_usersa_flush", Size: flushSize, Members: []decode.Attr{
		enum8("proto", 0, &flushProtos),
	}}
	userSecCtx = decode.Layout{Name: "xfrm_user_sec_ctx", Size: secCtxSize, Members: []decode.Attr{
		u16("len", 0), u16("exttype", 2), enum8("ctx_alg", 4, &secCtxAlgs), enum8("ctx_doi", 5, &secCtxDOIs), u16("ctx_len", 6),
	}}
	sadhinfo = decode.Layout{Name: "xfrmu_sadhinfo", Size: sadhinfoSize, Members: []decode.Attr{
		u32("sadhcnt", 0), u32("sadhmcnt", 4),
	}}
	spdinfo = decode.Layout{Name: "xfrmu_spdinfo", Size: spdinfoSize, Members: []decode.Attr{
		u32("incnt", 0), u32("outcnt", 4), u32("fwdcnt", 8), u32("inscnt", 12), u32("outscnt", 16), u32("fwdscnt", 20),
	}}
	spdhinfo = decode.Layout{Name: "xfrmu_spdhinfo", Size: spdhinfoSize, Members: []decode.Attr{
		u32("spdhcnt", 0), u32("spdhmcnt", 4),
	}}
	spdhthresh = decode.Layout{Name: "xfrmu_spdhthresh", Size: spdhthreshSize, Members: []decode.Attr{
		u8("lbits", 0), u8("rbits", 1),
	}}
	// flagsWord is the u32 that heads the SAD and SPD info messages: the
	// kernel fills it with 0 in replies and ignores it in requests.
	flagsWord = decode.Layout{Name: "flags", Size: 4, Members: []decode.Attr{hex32("flags", 0)}}
)

// The layouts that hold addresses come in variants indexed by family: 0
// for AF_INET (4-byte addresses), 1 for anything else (16 bytes). Those
// with two families are indexed 2*a + b.

func selector(v6 bool) decode.Layout {
	return decode.Layout{Name: "xfrm_selector", Size: selectorSize, Members: []decode.Attr{
		addr("daddr", 0, v6), addr("saddr", 16, v6),
		{Name: "dport", Type: decode.BE16, Off: 32},
		{Name: "dport_mask", Type: decode.BE16, Sem: decode.Hex, Off: 34},
		{Name: "sport", Type: decode.BE16, Off: 36},
		{Name: "sport_mask", Type: decode.BE16, Sem: decode.Hex, Off: 38},
		family("family", 40),
		u8("prefixlen_d", 42), u8("prefixlen_s", 43),
		{Name: "proto", Type: decode.U8, Sem: decode.EnumValue, Enum: &upperProtos, Off: 44},
		{Name: "ifindex", Type: decode.S32, Sem: decode.Ifindex, Off: 48},
		u32("user", 52),
	}}
}

func xfrmID(v6 bool) decode.Layout {
	return decode.Layout{Name: "xfrm_id", Size: idSize, Members: []decode.Attr{
		addr("daddr", 0, v6),
		{Name: "spi", Type: decode.BE32, Sem: decode.Hex, Off: 16},
		enum8("proto", 20, &xfrmProtos),
	}}
}

func address(v6 bool) decode.Layout {
	return decode.Layout{Name: "xfrm_address_t", Size: addrSize, Members: []decode.Attr{addr("addr", 0, v6)}}
}

func usersaInfo(sel, fam bool) decode.Layout {
	return decode.Layout{Name: "xfrm_usersa_info", Size: usersaInfoSize, Members: []decode.Attr{
		member("sel", 0, &selectors[b2i(sel)]),
		member("id", 56, &ids[b2i(fam)]),
		addr("saddr", 80, fam),
		member("lft", 96, &lifetimeCfg),
		member("curlft", 160, &lifetimeCur),
		member("stats", 192, &stats),
		u32("seq", 204), u32("reqid", 208),
		family("family", 212),
		enum8("mode", 214, &modes),
		u8("replay_window", 215),
		{Name: "flags", Type: decode.U8, Sem: decode.FlagBits, Flags: &saFlags, Off: 216},
	}}
}

func usersaID(fam bool) decode.Layout {
	return decode.Layout{Name: "xfrm_usersa_id", Size: usersaIDSize, Members: []decode.Attr{
		addr("daddr", 0, fam),
		{Name: "spi", Type: decode.BE32, Sem: decode.Hex, Off: 16},
		family("family", 20),
		enum8("proto", 22, &xfrmProtos),
	}}
}

func aeventID(fam bool) decode.Layout {
	return decode.Layout{Name: "xfrm_aevent_id", Size: aeventIDSize, Members: []decode.Attr{
		member("sa_id", 0, &usersaIDs[b2i(fam)]),
		addr("saddr", 24, fam),
		{Name: "flags", Type: decode.U32, Sem: decode.FlagBits, Flags: &aeFlags, Off: 40},
		u32("reqid", 44),
	}}
}

func userspiInfo(sel, fam bool) decode.Layout {
	return decode.Layout{Name: "xfrm_userspi_info", Size: userspiInfoSize, Members: []decode.Attr{
		member("info", 0, &usersaInfos[2*b2i(sel)+b2i(fam)]),
		hex32("min", 224), hex32("max", 228),
	}}
}

func policyInfo(sel bool) decode.Layout {
	return decode.Layout{Name: "xfrm_userpolicy_info", Size: policyInfoSize, Members: []decode.Attr{
		member("sel", 0, &selectors[b2i(sel)]),
		member("lft", 56, &lifetimeCfg),
		member("curlft", 120, &lifetimeCur),
		u32("priority", 152), u32("index", 156),
		enum8("dir", 160, &policyDirs),
		enum8("action", 161, &policyActions),
		{Name: "flags", Type: decode.U8, Sem: decode.FlagBits, Flags: &policyFlags, Off: 162},
		enum8("share", 163, &shares),
	}}
}

func policyID(sel bool) decode.Layout {
	return decode.Layout{Name: "xfrm_userpolicy_id", Size: policyIDSize, Members: []decode.Attr{
		member("sel", 0, &selectors[b2i(sel)]),
		u32("index", 56),
		enum8("dir", 60, &policyDirs),
	}}
}

// userAcquire's id and saddr go with its sel's family; its policy's
// selector has its own.
func userAcquire(sel, pol bool) decode.Layout {
	return decode.Layout{Name: "xfrm_user_acquire", Size: acquireSize, Members: []decode.Attr{
		member("id", 0, &ids[b2i(sel)]),
		addr("saddr", 24, sel),
		member("sel", 40, &selectors[b2i(sel)]),
		member("policy", 96, &policyInfos[b2i(pol)]),
		hex32("aalgos", 264), hex32("ealgos", 268), hex32("calgos", 272),
		u32("seq", 276),
	}}
}

func userExpire(sel, fam bool) decode.Layout {
	return decode.Layout{Name: "xfrm_user_expire", Size: expireSize, Members: []decode.Attr{
		member("state", 0, &usersaInfos[2*b2i(sel)+b2i(fam)]),
		u8("hard", 224),
	}}
}

func userPolexpire(sel bool) decode.Layout {
	return decode.Layout{Name: "xfrm_user_polexpire", Size: polexpireSize, Members: []decode.Attr{
		member("pol", 0, &policyInfos[b2i(sel)]),
		u8("hard", 168),
	}}
}

func userReport(sel bool) decode.Layout {
	return decode.Layout{Name: "xfrm_user_report", Size: reportSize, Members: []decode.Attr{
		enum8("proto", 0, &xfrmProtos),
		member("sel", 4, &selectors[b2i(sel)]),
	}}
}

func userKmaddress(fam bool) decode.Layout {
	return decode.Layout{Name: "xfrm_user_kmaddress", Size: kmaddressSize, Members: []decode.Attr{
		addr("local", 0, fam), addr("remote", 16, fam),
		u32("reserved", 32), family("family", 36),
	}}
}

func userMigrate(old, new bool) decode.Layout {
	return decode.Layout{Name: "xfrm_user_migrate", Size: migrateSize, Members: []decode.Attr{
		addr("old_daddr", 0, old), addr("old_saddr", 16, old),
		addr("new_daddr", 32, new), addr("new_saddr", 48, new),
		enum8("proto", 64, &xfrmProtos), enum8("mode", 65, &modes),
		u16("reserved", 66), u32("reqid", 68),
		family("old_family", 72), family("new_family", 74),
	}}
}

func userMapping(fam bool) decode.Layout {
	return decode.Layout{Name: "xfrm_user_mapping", Size: mappingSize, Members: []decode.Attr{
		member("id", 0, &usersaIDs[b2i(fam)]),
		u32("reqid", 24),
		addr("old_saddr", 28, fam), addr("new_saddr", 44, fam),
		{Name: "old_sport", Type: decode.BE16, Off: 60},
		{Name: "new_sport", Type: decode.BE16, Off: 62},
	}}
}

// migrateStateFlags names XFRM_MIGRATE_STATE_*.
var migrateStateFlags = decode.FlagSet{Name: "XFRM_MIGRATE_STATE", Sep: " ", Bits: []string{"clear-offload", "update-h2h-sel"}}

// userMigrateState is struct xfrm_user_migrate_state of
// XFRM_MSG_MIGRATE_STATE, newer than the installed header: the SA's id
// (family a), its new addresses (family b), and a new selector with a
// family of its own.
func userMigrateState(id, new bool) decode.Layout {
	return decode.Layout{Name: "xfrm_user_migrate_state", Size: migrateStateSize, Members: []decode.Attr{
		member("id", 0, &usersaIDs[b2i(id)]),
		addr("new_daddr", 24, new), addr("new_saddr", 40, new),
		member("old_mark", 56, &mark),
		{Name: "new_sel", Type: decode.Custom, Custom: selectorAttr, Off: 64, Len: selectorSize},
		u32("new_reqid", 120),
		{Name: "flags", Type: decode.U32, Sem: decode.FlagBits, Flags: &migrateStateFlags, Off: 124},
		family("new_family", 128),
		u16("reserved", 130),
	}}
}

func addressFilter(fam bool) decode.Layout {
	return decode.Layout{Name: "xfrm_address_filter", Size: addrFilterSize, Members: []decode.Attr{
		addr("saddr", 0, fam), addr("daddr", 16, fam),
		family("family", 32), u8("splen", 34), u8("dplen", 35),
	}}
}

func userTmpl(fam bool) decode.Layout {
	return decode.Layout{Name: "xfrm_user_tmpl", Size: tmplSize, Members: []decode.Attr{
		member("id", 0, &ids[b2i(fam)]),
		family("family", 24),
		addr("saddr", 28, fam),
		u32("reqid", 44),
		enum8("mode", 48, &modes),
		enum8("share", 49, &shares),
		u8("optional", 50),
		hex32("aalgos", 52), hex32("ealgos", 56), hex32("calgos", 60),
	}}
}

func encapTmpl(fam bool) decode.Layout {
	return decode.Layout{Name: "xfrm_encap_tmpl", Size: encapSize, Members: []decode.Attr{
		{Name: "encap_type", Type: decode.U16, Sem: decode.EnumValue, Enum: &encapTypes, Off: 0},
		{Name: "encap_sport", Type: decode.BE16, Off: 2},
		{Name: "encap_dport", Type: decode.BE16, Off: 4},
		addr("encap_oa", 8, fam),
	}}
}

func b2i(v bool) int {
	if v {
		return 1
	}
	return 0
}

// Family variants of the layouts above.
var (
	selectors      = [2]decode.Layout{selector(false), selector(true)}
	ids            = [2]decode.Layout{xfrmID(false), xfrmID(true)}
	addresses      = [2]decode.Layout{address(false), address(true)}
	usersaInfos    = [4]decode.Layout{usersaInfo(false, false), usersaInfo(false, true), usersaInfo(true, false), usersaInfo(true, true)}
	usersaIDs      = [2]decode.Layout{usersaID(false), usersaID(true)}
	aeventIDs      = [2]decode.Layout{aeventID(false), aeventID(true)}
	userspiInfos   = [4]decode.Layout{userspiInfo(false, false), userspiInfo(false, true), userspiInfo(true, false), userspiInfo(true, true)}
	policyInfos    = [2]decode.Layout{policyInfo(false), policyInfo(true)}
	policyIDs      = [2]decode.Layout{policyID(false), policyID(true)}
	userAcquires   = [4]decode.Layout{userAcquire(false, false), userAcquire(false, true), userAcquire(true, false), userAcquire(true, true)}
	userExpires    = [4]decode.Layout{userExpire(false, false), userExpire(false, true), userExpire(true, false), userExpire(true, true)}
	userPolexpires = [2]decode.Layout{userPolexpire(false), userPolexpire(true)}
	userReports    = [2]decode.Layout{userReport(false), userReport(true)}
	userKmaddrs    = [2]decode.Layout{userKmaddress(false), userKmaddress(true)}
	userMigrates   = [4]decode.Layout{userMigrate(false, false), userMigrate(false, true), userMigrate(true, false), userMigrate(true, true)}
	userMappings   = [2]decode.Layout{userMapping(false), userMapping(true)}
	addrFilters    = [2]decode.Layout{addressFilter(false), addressFilter(true)}
	userTmpls      = [2]decode.Layout{userTmpl(false), userTmpl(true)}
	encapTmpls     = [2]decode.Layout{encapTmpl(false), encapTmpl(true)}
	migrateStates  = [4]decode.Layout{userMigrateState(false, false), userMigrateState(false, true), userMigrateState(true, false), userMigrateState(true, true)}
)

// xfrmAttrs returns the XFRMA_* set of a message whose SA (or selector)
// family is v6 (see addr): it decides how XFRMA_SRCADDR, XFRMA_COADDR and
// XFRMA_ENCAP show their addresses. The other attributes carry their own
// families or none.
func xfrmAttrs(v6 bool) decode.AttrSet {
	return decode.AttrSet{Name: "XFRMA", Attrs: []decode.Attr{
		0:  {Name: "XFRMA_UNSPEC"},
		1:  {Name: "XFRMA_ALG_AUTH", Type: decode.Custom, Custom: algo},
		2:  {Name: "XFRMA_ALG_CRYPT", Type: decode.Custom, Custom: algo},
		3:  {Name: "XFRMA_ALG_COMP", Type: decode.Custom, Custom: algo},
		4:  {Name: "XFRMA_ENCAP", Type: decode.Struct, Struct: &encapTmpls[b2i(v6)]},
		5:  {Name: "XFRMA_TMPL", Type: decode.Custom, Custom: tmpls},
		6:  {Name: "XFRMA_SA", Type: decode.Custom, Custom: saInfo},
		7:  {Name: "XFRMA_POLICY", Type: decode.Custom, Custom: policyInfoAttr},
		8:  {Name: "XFRMA_SEC_CTX", Type: decode.Custom, Custom: secCtx},
		9:  {Name: "XFRMA_LTIME_VAL", Type: decode.Struct, Struct: &lifetimeCur},
		10: {Name: "XFRMA_REPLAY_VAL", Type: decode.Struct, Struct: &replayState},
		11: {Name: "XFRMA_REPLAY_THRESH", Type: decode.U32},
		// The expiry timer threshold is in units of 100 ms, like the
		// sysctl xfrm_aevent_etime.
		12: {Name: "XFRMA_ETIMER_THRESH", Type: decode.U32},
		13: {Name: "XFRMA_SRCADDR", Type: decode.Struct, Struct: &addresses[b2i(v6)]},
		14: {Name: "XFRMA_COADDR", Type: decode.Struct, Struct: &addresses[b2i(v6)]},
		15: {Name: "XFRMA_LASTUSED", Type: decode.U64},
		16: {Name: "XFRMA_POLICY_TYPE", Type: decode.Struct, Struct: &policyType},
		17: {Name: "XFRMA_MIGRATE", Type: decode.Custom, Custom: migrates},
		18: {Name: "XFRMA_ALG_AEAD", Type: decode.Custom, Custom: algoAEAD},
		19: {Name: "XFRMA_KMADDRESS", Type: decode.Custom, Custom: kmaddress},
		20: {Name: "XFRMA_ALG_AUTH_TRUNC", Type: decode.Custom, Custom: algoAuth},
		21: {Name: "XFRMA_MARK", Type: decode.Struct, Struct: &mark},
		22: {Name: "XFRMA_TFCPAD", Type: decode.U32},
		23: {Name: "XFRMA_REPLAY_ESN_VAL", Type: decode.Struct, Struct: &replayStateESN},
		24: {Name: "XFRMA_SA_EXTRA_FLAGS", Type: decode.U32, Sem: decode.FlagBits, Flags: &saExtraFlags},
		25: {Name: "XFRMA_PROTO", Type: decode.U8, Sem: decode.EnumValue, Enum: &xfrmProtos},
		26: {Name: "XFRMA_ADDRESS_FILTER", Type: decode.Custom, Custom: addrFilter},
		27: {Name: "XFRMA_PAD"},
		28: {Name: "XFRMA_OFFLOAD_DEV", Type: decode.Struct, Struct: &userOffload},
		29: {Name: "XFRMA_SET_MARK", Type: decode.U32, Sem: decode.Hex},
		30: {Name: "XFRMA_SET_MARK_MASK", Type: decode.U32, Sem: decode.Hex},
		31: {Name: "XFRMA_IF_ID", Type: decode.U32},
		32: {Name: "XFRMA_MTIMER_THRESH", Type: decode.U32, Sem: decode.Seconds},
		// 33 and up are newer than the installed header (Linux 6.10-6.14).
		33: {Name: "XFRMA_SA_DIR", Type: decode.U8, Sem: decode.EnumValue, Enum: &saDirs},
		34: {Name: "XFRMA_NAT_KEEPALIVE_INTERVAL", Type: decode.U32, Sem: decode.Seconds},
		35: {Name: "XFRMA_SA_PCPU", Type: decode.U32},
		36: {Name: "XFRMA_IPTFS_DROP_TIME", Type: decode.U32}, // microseconds
		37: {Name: "XFRMA_IPTFS_REORDER_WINDOW", Type: decode.U16},
		38: {Name: "XFRMA_IPTFS_DONT_FRAG", Type: decode.Flag},
		39: {Name: "XFRMA_IPTFS_INIT_DELAY", Type: decode.U32}, // microseconds
		40: {Name: "XFRMA_IPTFS_MAX_QSIZE", Type: decode.U32, Sem: decode.Bytes},
		41: {Name: "XFRMA_IPTFS_PKT_SIZE", Type: decode.U32, Sem: decode.Bytes},
	}}
}

var xfrmaSets = [2]decode.AttrSet{xfrmAttrs(false), xfrmAttrs(true)}

// sadAttrs are XFRMA_SAD_* (XFRM_MSG_NEWSADINFO).
var sadAttrs = decode.AttrSet{Name: "XFRMA_SAD", Attrs: []decode.Attr{
	0: {Name: "XFRMA_SAD_UNSPEC"},
	1: {Name: "XFRMA_SAD_CNT", Type: decode.U32},
	2: {Name: "XFRMA_SAD_HINFO", Type: decode.Struct, Struct: &sadhinfo},
}}

// spdAttrs are XFRMA_SPD_* (XFRM_MSG_NEWSPDINFO).
var spdAttrs = decode.AttrSet{Name: "XFRMA_SPD", Attrs: []decode.Attr{
	0: {Name: "XFRMA_SPD_UNSPEC"},
	1: {Name: "XFRMA_SPD_INFO", Type: decode.Struct, Struct: &spdinfo},
	2: {Name: "XFRMA_SPD_HINFO", Type: decode.Struct, Struct: &spdhinfo},
	3: {Name: "XFRMA_SPD_IPV4_HTHRESH", Type: decode.Struct, Struct: &spdhthresh},
	4: {Name: "XFRMA_SPD_IPV6_HTHRESH", Type: decode.Struct, Struct: &spdhthresh},
}}
