package rtnl

import (
	"encoding/binary"
	"strconv"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
)

// RTM_NEWNDUSEROPT carries one ICMPv6 neighbour discovery option that the
// kernel does not handle itself (RDNSS, DNSSL, PREF64, captive portal, from
// router advertisements) to user space. RTM_NEWCACHEREPORT tells a multicast
// routing daemon about a packet with no cache entry. Constants come from
// linux/rtnetlink.h, linux/mroute.h, linux/mroute6.h and RFCs 4861, 4191,
// 8106, 8781 and 8910 (ND option types and layouts).

// Message types from linux/rtnetlink.h.
const (
	rtmNewNdUserOpt   = 68
	rtmNewCacheReport = 96
)

// RTNL_FAMILY_IP6MR, the rtgenmsg family of IPv6 cache reports.
const rtnlFamilyIP6MR = 129

var nduseroptmsg = decode.Layout{Name: "nduseroptmsg", Size: 16, Members: []decode.Attr{
	{Name: "family", Type: decode.U8, Sem: decode.EnumValue, Enum: &families, Off: 0},
	{Name: "opts_len", Type: decode.U16, Off: 2},
	{Name: "ifindex", Type: decode.S32, Sem: decode.Ifindex, Off: 4},
	{Name: "icmp_type", Type: decode.U8, Sem: decode.EnumValue, Enum: &icmp6Types, Off: 8},
	{Name: "icmp_code", Type: decode.U8, Off: 9},
}}

// The ICMPv6 message types that carry ND options.
var icmp6Types = decode.Enum{Name: "ICMPV6", Open: true, Names: []string{
	133: "router_solicitation", 134: "router_advertisement", 135: "neighbour_solicitation",
	136: "neighbour_advertisement", 137: "redirect",
}}

var ndUserOptAttrs = decode.AttrSet{Name: "NDUSEROPT", Attrs: []decode.Attr{
	1: {Name: "NDUSEROPT_SRCADDR", Type: decode.Addr},
}}

// ndOptNames names ND option types (ND_OPT_* as the kernel's ndisc.h
// spells them).
var ndOptNames = decode.Enum{Name: "ND_OPT", Open: true, Names: []string{
	1: "ND_OPT_SOURCE_LL_ADDR", 2: "ND_OPT_TARGET_LL_ADDR", 3: "ND_OPT_PREFIX_INFO", 4: "ND_OPT_REDIRECT_HDR",
	5: "ND_OPT_MTU", 14: "ND_OPT_NONCE", 24: "ND_OPT_ROUTE_INFO", 25: "ND_OPT_RDNSS", 31: "ND_OPT_DNSSL",
	37: "ND_OPT_CAPTIVE_PORTAL", 38: "ND_OPT_PREF64",
}}

// ndOptLayout returns an option's layout: the type and length (in units of
// 8 bytes) every option starts with, then rest.
func ndOptLayout(name string, size int, rest ...decode.Attr) decode.Layout {
	return decode.Layout{Name: name, Size: size, Members: append([]decode.Attr{
		{Name: "type", Type: decode.U8, Sem: decode.EnumValue, Enum: &ndOptNames, Off: 0},
		{Name: "len", Type: decode.U8, Off: 1},
	}, rest...)}
}

var (
	ndOptGeneric = ndOptLayout("nd_opt", 2)
	ndOptLLAddr  = ndOptLayout("nd_opt_lladdr", 8, decode.Attr{Name: "lladdr", Type: decode.HWAddr, Off: 2, Len: 6})
	ndOptMTU     = ndOptLayout("nd_opt_mtu", 8, decode.Attr{Name: "mtu", Type: decode.BE32, Off: 4})
	ndOptPrefix  = ndOptLayout("nd_opt_prefix_info", 32,
		decode.Attr{Name: "prefix_len", Type: decode.U8, Off: 2},
		decode.Attr{Name: "flags", Type: decode.U8, Sem: decode.Hex, Off: 3},
		decode.Attr{Name: "valid_lifetime", Type: decode.BE32, Sem: decode.Seconds, Off: 4},
		decode.Attr{Name: "preferred_lifetime", Type: decode.BE32, Sem: decode.Seconds, Off: 8},
		decode.Attr{Name: "prefix", Type: decode.Addr, Off: 16, Len: 16})
	// A route information option holds 0, 8 or 16 bytes of prefix; only
	// 16 make an address.
	ndOptRouteInfo   = routeInfoLayout(8, decode.Attr{})
	ndOptRouteInfo8  = routeInfoLayout(16, decode.Attr{Name: "prefix", Type: decode.Binary, Off: 8, Len: 8})
	ndOptRouteInfo16 = routeInfoLayout(24, decode.Attr{Name: "prefix", Type: decode.Addr, Off: 8, Len: 16})
	// RDNSS and DNSSL: a lifetime, then servers or domain names.
	ndOptLifetime = ndOptLayout("nd_opt_dns", 8, decode.Attr{Name: "lifetime", Type: decode.BE32, Sem: decode.Seconds, Off: 4})
	// PREF64's first 16 bits are the scaled lifetime (13 bits, units of 8
	// seconds) and the prefix length code (3 bits).
	ndOptPref64 = ndOptLayout("nd_opt_pref64", 16,
		decode.Attr{Name: "scaled_lifetime_plc", Type: decode.BE16, Sem: decode.Hex, Off: 2},
		decode.Attr{Name: "prefix", Type: decode.Binary, Off: 4, Len: 12})
)

func routeInfoLayout(size int, prefix decode.Attr) decode.Layout {
	members := []decode.Attr{
		{Name: "prefix_len", Type: decode.U8, Off: 2},
		{Name: "flags", Type: decode.U8, Sem: decode.Hex, Off: 3},
		{Name: "lifetime", Type: decode.BE32, Sem: decode.Seconds, Off: 4},
	}
	if prefix.Name != "" {
		members = append(members, prefix)
	}
	return ndOptLayout("nd_opt_route_info", size, members...)
}

var rdnssServer = decode.Layout{Name: "server", Size: 16, Members: []decode.Attr{
	{Name: "server", Type: decode.Addr, Off: 0, Len: 16},
}}

// ndUserOptBody decodes what follows nduseroptmsg: opts_len bytes of ND
// options, then NDUSEROPT_* attributes.
func ndUserOptBody(b *decode.Builder, p []byte, off int) {
	at := nduseroptmsg.Size
	optsLen := int(binary.NativeEndian.Uint16(p[2:]))
	if at+optsLen > len(p) {
		b.Malformed(off+at, len(p)-at, "opts_len "+strconv.Itoa(optsLen)+" runs past the message")
		return
	}
	ndOptions(b, p[at:at+optsLen], off+at)
	if rest := client.Align(at + optsLen); rest < len(p) {
		b.Attrs(&ndUserOptAttrs, p[rest:], off+rest)
	}
}

// ndOptions decodes a run of ND options, each a container named by its
// type.
func ndOptions(b *decode.Builder, p []byte, off int) {
	for len(p) > 0 {
		if len(p) < 2 {
			b.Malformed(off, len(p), "trailing byte shorter than an ND option header")
			return
		}
		n := int(p[1]) * 8
		if n == 0 || n > len(p) {
			b.Malformed(off, len(p), "ND option length "+strconv.Itoa(n)+" does not fit")
			return
		}
		opt := p[:n]
		name := ndOptNames.Lookup(uint64(p[0]))
		if name == "" {
			name = "nd_opt"
		}
		b.Open(name, off, n)
		ndOption(b, opt, off)
		b.Close()
		p, off = p[n:], off+n
	}
}

func ndOption(b *decode.Builder, opt []byte, off int) {
	switch opt[0] {
	case 1, 2: // source and target link-layer address
		b.Layout(&ndOptLLAddr, opt, off)
	case 3:
		b.Layout(&ndOptPrefix, opt, off)
	case 5:
		b.Layout(&ndOptMTU, opt, off)
	case 24:
		switch {
		case len(opt) >= ndOptRouteInfo16.Size:
			b.Layout(&ndOptRouteInfo16, opt, off)
		case len(opt) >= ndOptRouteInfo8.Size:
			b.Layout(&ndOptRouteInfo8, opt, off)
		default:
			b.Layout(&ndOptRouteInfo, opt, off)
		}
	case 25: // RDNSS: lifetime, then IPv6 addresses
		b.Layout(&ndOptLifetime, opt[:min(len(opt), 8)], off)
		for i := 8; i+16 <= len(opt); i += 16 {
			b.Layout(&rdnssServer, opt[i:i+16], off+i)
		}
	case 31: // DNSSL: lifetime, then DNS-encoded domain names
		b.Layout(&ndOptLifetime, opt[:min(len(opt), 8)], off)
		if len(opt) > 8 {
			dnsNames(b, opt[8:], off+8)
		}
	case 37: // captive portal URI, NUL-padded
		b.Layout(&ndOptGeneric, opt[:2], off)
		uri := opt[2:]
		for len(uri) > 0 && uri[len(uri)-1] == 0 {
			uri = uri[:len(uri)-1]
		}
		b.Note("uri", string(uri), off+2)
	case 38:
		b.Layout(&ndOptPref64, opt, off)
	default:
		b.Layout(&ndOptGeneric, opt[:2], off)
		if len(opt) > 2 {
			b.Bytes("data", opt[2:], off+2)
		}
	}
}

// dnsNames shows DNS wire-format names (RFC 1035 labels) as dotted text,
// one field per name; zero padding after the last name is left out.
func dnsNames(b *decode.Builder, p []byte, off int) {
	for i := 0; i < len(p); {
		if p[i] == 0 {
			i++ // padding
			continue
		}
		start := i
		var text []byte
		for i < len(p) && p[i] != 0 {
			n := int(p[i])
			if n > 63 || i+1+n > len(p) {
				b.Malformed(off+start, len(p)-start, "DNS label does not fit")
				return
			}
			if len(text) > 0 {
				text = append(text, '.')
			}
			text = append(text, p[i+1:i+1+n]...)
			i += 1 + n
		}
		b.Note("domain", string(text), off+start)
	}
}

// IPMRA_CREPORT_* from linux/mroute.h.
var ipmrCacheReportAttrs = decode.AttrSet{Name: "IPMRA_CREPORT", Attrs: []decode.Attr{
	1: {Name: "IPMRA_CREPORT_MSGTYPE", Type: decode.U8, Sem: decode.EnumValue, Enum: &igmpMsgTypes},
	2: {Name: "IPMRA_CREPORT_VIF_ID", Type: decode.U32},
	3: {Name: "IPMRA_CREPORT_SRC_ADDR", Type: decode.Addr},
	4: {Name: "IPMRA_CREPORT_DST_ADDR", Type: decode.Addr},
	5: {Name: "IPMRA_CREPORT_PKT", Type: decode.Binary},
	6: {Name: "IPMRA_CREPORT_TABLE", Type: decode.U32, Sem: decode.EnumValue, Enum: &tables},
}}

var igmpMsgTypes = decode.Enum{Name: "IGMPMSG", Names: []string{
	1: "IGMPMSG_NOCACHE", 2: "IGMPMSG_WRONGVIF", 3: "IGMPMSG_WHOLEPKT", 4: "IGMPMSG_WRVIFWHOLE",
}}

// IP6MRA_CREPORT_* from linux/mroute6.h.
var ip6mrCacheReportAttrs = decode.AttrSet{Name: "IP6MRA_CREPORT", Attrs: []decode.Attr{
	1: {Name: "IP6MRA_CREPORT_MSGTYPE", Type: decode.U8, Sem: decode.EnumValue, Enum: &mrt6MsgTypes},
	2: {Name: "IP6MRA_CREPORT_MIF_ID", Type: decode.U32},
	3: {Name: "IP6MRA_CREPORT_SRC_ADDR", Type: decode.Addr},
	4: {Name: "IP6MRA_CREPORT_DST_ADDR", Type: decode.Addr},
	5: {Name: "IP6MRA_CREPORT_PKT", Type: decode.Binary},
}}

var mrt6MsgTypes = decode.Enum{Name: "MRT6MSG", Names: []string{
	1: "MRT6MSG_NOCACHE", 2: "MRT6MSG_WRONGMIF", 3: "MRT6MSG_WHOLEPKT", 4: "MRT6MSG_WRMIFWHOLE",
}}

var ip6mrCacheReport = decode.MessageType{Name: "RTM_NEWCACHEREPORT", Op: decode.OpOther, Header: &rtgenmsg, Attrs: &ip6mrCacheReportAttrs}

// cacheReportLookup picks the IPv6 attribute set for an ip6mr cache report;
// IPv4 ones use messageTypes.
func cacheReportLookup(h client.Header, payload []byte) *decode.MessageType {
	if h.Type == rtmNewCacheReport && len(payload) > 0 && payload[0] == rtnlFamilyIP6MR {
		return &ip6mrCacheReport
	}
	return nil
}
