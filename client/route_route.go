package client

import (
	"context"
	"encoding/binary"
	"fmt"
	"net/netip"
)

// Route is a routing table entry (RTM_*ROUTE).
type Route struct {
	// Family is the address family (unix.AF_INET, unix.AF_INET6, ...).
	// When adding, 0 takes it from Dst.
	Family uint8
	// Dst is the destination prefix; 0.0.0.0/0 or ::/0 for a default
	// route. Required when adding.
	Dst netip.Prefix
	// Src is the source prefix of a source-specific route (RTA_SRC); the
	// zero Prefix for none.
	Src netip.Prefix
	// PrefSrc is the preferred source address (RTA_PREFSRC, ip route's
	// "src"); the zero Addr for none.
	PrefSrc netip.Addr
	// Gateway is the next hop's address; the zero Addr for a route
	// straight onto the link.
	Gateway netip.Addr
	// OutIndex is the outgoing link's index (RTA_OIF); 0 for none.
	OutIndex int
	// Table is the routing table; 0 when adding or deleting means
	// TableMain.
	Table uint32
	// Protocol says who installed the route (RouteProtoKernel, ...); 0 when
	// adding means RouteProtoBoot, as ip route uses, and when deleting
	// matches any.
	Protocol uint8
	// Scope is the route's scope. 0 (ScopeUniverse) when adding is taken
	// as ip route would choose: ScopeHost for local routes, ScopeLink for
	// broadcast, multicast and anycast routes and for unicast routes with
	// neither gateway nor multipath, ScopeUniverse otherwise. When deleting
	// it matches any scope.
	Scope uint8
	// Type is the route type (RouteTypeUnicast, ...); 0 when adding means
	// RouteTypeUnicast, and when deleting matches any.
	Type uint8
	// Priority is the metric (RTA_PRIORITY); 0 for none.
	Priority uint32
	// TOS is the type-of-service selector; 0 for any.
	TOS uint8
	// Flags are the RTM_F_* and RTNH_F_* flags of rtm_flags.
	Flags uint32
	// MultiPath lists the next hops of a multipath route (RTA_MULTIPATH);
	// nil for a route with one next hop, which Gateway and OutIndex give.
	MultiPath []NextHop
}

// NextHop is one next hop of a multipath route (struct rtnexthop).
type NextHop struct {
	// Gateway is the next hop's address; the zero Addr for none.
	Gateway netip.Addr
	// OutIndex is the outgoing link's index.
	OutIndex int
	// Weight is the next hop's share of traffic; the kernel keeps
	// Weight-1 in rtnh_hops, so 0 when adding means 1.
	Weight int
	// Flags are the RTNH_F_* flags.
	Flags uint8
}

// rtnexthopLen is the size of struct rtnexthop.
const rtnexthopLen = 8

// ParseRoute reads an RTM_NEWROUTE or RTM_DELROUTE message.
func ParseRoute(m Message) (Route, error) {
	if m.Header.Type != rtmNewRoute && m.Header.Type != rtmDelRoute {
		return Route{}, fmt.Errorf("parse route: message type %d is not RTM_NEWROUTE or RTM_DELROUTE", m.Header.Type)
	}
	rtm, err := ParseRtMsg(m.Data)
	if err != nil {
		return Route{}, fmt.Errorf("parse route: %w", err)
	}
	rt := Route{
		Family: rtm.Family, Table: uint32(rtm.Table), Protocol: rtm.Protocol, Scope: rtm.Scope,
		Type: rtm.Type, TOS: rtm.TOS, Flags: rtm.Flags,
	}
	var dst, src netip.Addr
	var d AttributeDecoder
	d.Reset(m.Data[RtMsgLen:], HeaderLen+RtMsgLen)
	for d.Next() {
		switch d.Type() {
		case rtaDst:
			dst = addrFrom(d.Bytes())
		case rtaSrc:
			src = addrFrom(d.Bytes())
		case rtaGateway:
			rt.Gateway = addrFrom(d.Bytes())
		case rtaPrefSrc:
			rt.PrefSrc = addrFrom(d.Bytes())
		case rtaOif:
			rt.OutIndex = int(d.Uint32())
		case rtaPriority:
			rt.Priority = d.Uint32()
		case rtaTable:
			rt.Table = d.Uint32()
		case rtaMultipath:
			hops, err := parseMultipath(d.Bytes(), d.Offset()+AttrHeaderLen)
			if err != nil {
				return Route{}, fmt.Errorf("parse route: %w", err)
			}
			rt.MultiPath = hops
		}
	}
	if err := d.Err(); err != nil {
		return Route{}, fmt.Errorf("parse route: %w", err)
	}
	rt.Dst = routePrefix(rtm.Family, dst, rtm.DstLen)
	if src.IsValid() || rtm.SrcLen != 0 {
		rt.Src = routePrefix(rtm.Family, src, rtm.SrcLen)
	}
	return rt, nil
}

// routePrefix builds a route prefix; a missing address means the family's
// all-zeros address, as in a default route. Families without IP addresses
// (MPLS, ...) give the zero Prefix.
func routePrefix(family uint8, a netip.Addr, bits uint8) netip.Prefix {
	if !a.IsValid() {
		switch family {
		case familyInet, rtnlFamilyIPMR:
			a = netip.IPv4Unspecified()
		case familyInet6, rtnlFamilyIP6MR:
			a = netip.IPv6Unspecified()
		default:
			return netip.Prefix{}
		}
	}
	return netip.PrefixFrom(a, int(bits))
}

// Multicast routing families (RTNL_FAMILY_IPMR, RTNL_FAMILY_IP6MR).
const (
	rtnlFamilyIPMR  uint8 = 128
	rtnlFamilyIP6MR uint8 = 129
)

func parseMultipath(b []byte, base int) ([]NextHop, error) {
	var hops []NextHop
	for off := 0; off < len(b); {
		rest := b[off:]
		if len(rest) < rtnexthopLen {
			return nil, &MalformedError{Offset: base + off, Reason: fmt.Sprintf("%d trailing bytes are too short for struct rtnexthop", len(rest))}
		}
		n := int(binary.NativeEndian.Uint16(rest))
		if n < rtnexthopLen || n > len(rest) {
			return nil, &MalformedError{Offset: base + off, Reason: fmt.Sprintf("rtnexthop length %d outside %d..%d", n, rtnexthopLen, len(rest))}
		}
		h := NextHop{Flags: rest[2], Weight: int(rest[3]) + 1, OutIndex: int(int32(binary.NativeEndian.Uint32(rest[4:])))}
		var d AttributeDecoder
		d.Reset(rest[rtnexthopLen:n], base+off+rtnexthopLen)
		for d.Next() {
			if d.Type() == rtaGateway {
				h.Gateway = addrFrom(d.Bytes())
			}
		}
		if err := d.Err(); err != nil {
			return nil, err
		}
		hops = append(hops, h)
		off += Align(n)
	}
	return hops, nil
}

// ListRoutes returns the routes of every table; family is unix.AF_INET,
// unix.AF_INET6, or 0 for all families.
func (r *RouteConn) ListRoutes(ctx context.Context, family int) ([]Route, error) {
	const op = "list routes"
	req, _ := request(rtmGetRoute, 0, RtMsg{Family: uint8(family)}.Append(nil), nil)
	replies, err := r.dump(ctx, op, req)
	if err != nil {
		return nil, err
	}
	out := make([]Route, 0, len(replies))
	for _, m := range replies {
		rt, err := ParseRoute(m)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, rt)
	}
	return out, nil
}

// AddRoute adds a route; see Route for the defaults of its zero fields. A
// route that exists already gives an error that matches unix.EEXIST.
func (r *RouteConn) AddRoute(ctx context.Context, rt Route) error {
	op := fmt.Sprintf("add route %s", rt.Dst)
	req, err := routeRequest(rtmNewRoute, FlagCreate|FlagExcl, rt)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	_, err = r.execute(ctx, op, req)
	return err
}

// DeleteRoute deletes the first route that matches rt's Dst and the fields
// rt sets; a route that does not exist gives an error that matches
// unix.ESRCH.
func (r *RouteConn) DeleteRoute(ctx context.Context, rt Route) error {
	op := fmt.Sprintf("delete route %s", rt.Dst)
	req, err := routeRequest(rtmDelRoute, 0, rt)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	_, err = r.execute(ctx, op, req)
	return err
}

func routeRequest(typ, flags uint16, rt Route) (Message, error) {
	if !rt.Dst.IsValid() {
		return Message{}, fmt.Errorf("route needs a destination prefix (0.0.0.0/0 or ::/0 for a default route)")
	}
	dst := rt.Dst.Masked()
	family := familyInet6
	if dst.Addr().Is4() {
		family = familyInet
	}
	if rt.Family != 0 && rt.Family != family {
		return Message{}, fmt.Errorf("family %d does not match destination %s", rt.Family, rt.Dst)
	}
	sameFamily := func(a netip.Addr) error {
		if a.IsValid() && a.Is4() != dst.Addr().Is4() {
			return fmt.Errorf("address %s is not in the family of destination %s", a, rt.Dst)
		}
		return nil
	}
	for _, a := range []netip.Addr{rt.Gateway, rt.PrefSrc, rt.Src.Addr()} {
		if err := sameFamily(a); err != nil {
			return Message{}, err
		}
	}
	table := rt.Table
	if table == 0 {
		table = TableMain
	}
	rtm := RtMsg{Family: family, DstLen: uint8(dst.Bits()), TOS: rt.TOS, Protocol: rt.Protocol, Scope: rt.Scope, Type: rt.Type, Flags: rt.Flags}
	if table < 256 {
		rtm.Table = uint8(table)
	}
	if rt.Src.IsValid() {
		rtm.SrcLen = uint8(rt.Src.Bits())
	}
	if typ == rtmNewRoute {
		if rtm.Protocol == 0 {
			rtm.Protocol = RouteProtoBoot
		}
		if rtm.Type == 0 {
			rtm.Type = RouteTypeUnicast
		}
		if rtm.Scope == ScopeUniverse {
			rtm.Scope = defaultScope(rtm.Type, rt.Gateway.IsValid() || len(rt.MultiPath) != 0)
		}
	} else if rtm.Scope == ScopeUniverse {
		rtm.Scope = ScopeNowhere
	}

	var e AttributeEncoder
	e.Uint32(rtaTable, table)
	if dst.Bits() > 0 {
		e.Bytes(rtaDst, dst.Addr().AsSlice())
	}
	if rt.Src.IsValid() {
		e.Bytes(rtaSrc, rt.Src.Masked().Addr().AsSlice())
	}
	if rt.Gateway.IsValid() {
		e.Bytes(rtaGateway, rt.Gateway.AsSlice())
	}
	if rt.PrefSrc.IsValid() {
		e.Bytes(rtaPrefSrc, rt.PrefSrc.AsSlice())
	}
	if rt.OutIndex != 0 {
		e.Uint32(rtaOif, uint32(rt.OutIndex))
	}
	if rt.Priority != 0 {
		e.Uint32(rtaPriority, rt.Priority)
	}
	if len(rt.MultiPath) != 0 {
		b, err := encodeMultipath(rt.MultiPath, sameFamily)
		if err != nil {
			return Message{}, err
		}
		e.Bytes(rtaMultipath, b)
	}
	return request(typ, flags, rtm.Append(nil), &e)
}

func defaultScope(typ uint8, viaGateway bool) uint8 {
	switch typ {
	case RouteTypeLocal:
		return ScopeHost
	case RouteTypeBroadcast, RouteTypeMulticast, RouteTypeAnycast:
		return ScopeLink
	case RouteTypeUnicast:
		if !viaGateway {
			return ScopeLink
		}
	}
	return ScopeUniverse
}

func encodeMultipath(hops []NextHop, check func(netip.Addr) error) ([]byte, error) {
	var b []byte
	for i, h := range hops {
		if err := check(h.Gateway); err != nil {
			return nil, fmt.Errorf("next hop %d: %w", i, err)
		}
		weight := h.Weight
		if weight == 0 {
			weight = 1
		}
		if weight < 1 || weight > 256 {
			return nil, fmt.Errorf("next hop %d: weight %d outside 1..256", i, h.Weight)
		}
		var e AttributeEncoder
		if h.Gateway.IsValid() {
			e.Bytes(rtaGateway, h.Gateway.AsSlice())
		}
		attrs, err := e.Encode()
		if err != nil {
			return nil, err
		}
		b = binary.NativeEndian.AppendUint16(b, uint16(rtnexthopLen+len(attrs)))
		b = append(b, h.Flags, uint8(weight-1))
		b = binary.NativeEndian.AppendUint32(b, uint32(int32(h.OutIndex)))
		b = append(b, attrs...)
	}
	return b, nil
}
