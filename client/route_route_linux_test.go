package client_test

import (
	"cmp"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/client"
	"golang.org/x/sys/unix"
)

// addressed builds a veth pair v0/v1, both up, with IPv4 and IPv6 addresses
// on each end.
func (h *hostNS) addressed(t *testing.T) (v0, v1 client.Link) {
	t.Helper()
	ctx := testContext(t)
	if err := h.rc.AddLink(ctx, client.Link{Name: "v0", Flags: client.LinkFlagUp, Data: &client.Veth{PeerName: "v1"}}); err != nil {
		t.Fatalf("add veth: %v", err)
	}
	v0, v1 = h.mustLink(t, "v0"), h.mustLink(t, "v1")
	if err := h.rc.SetLinkUp(ctx, v1.Index); err != nil {
		t.Fatalf("set v1 up: %v", err)
	}
	for _, a := range []client.Address{
		{Index: v0.Index, Prefix: netip.MustParsePrefix("10.1.0.1/24"), Broadcast: netip.MustParseAddr("10.1.0.255"), Label: "v0:main"},
		{Index: v0.Index, Prefix: netip.MustParsePrefix("10.1.0.9/24")}, // a secondary
		{Index: v0.Index, Prefix: netip.MustParsePrefix("fd00::1/64"), Flags: client.AddrFlagNoDAD},
		{Index: v1.Index, Prefix: netip.MustParsePrefix("10.2.0.1/24"), Scope: client.ScopeLink},
		{Index: v1.Index, Prefix: netip.MustParsePrefix("10.3.0.1/32"), Peer: netip.MustParseAddr("10.3.0.2")},
		{Index: v1.Index, Prefix: netip.MustParsePrefix("fd01::1/64"), Flags: client.AddrFlagNoDAD | client.AddrFlagNoPrefixRoute},
	} {
		if err := h.rc.AddAddress(ctx, a); err != nil {
			t.Fatalf("AddAddress: %v", err)
		}
	}
	return v0, v1
}

func TestAddressesHost(t *testing.T) {
	h := newHostNS(t)
	v0, v1 := h.addressed(t)
	ctx := testContext(t)

	t.Run("same as ip addr show", func(t *testing.T) {
		ours, theirs := snapshot(t, func() []addrView {
			as, err := h.rc.ListAddresses(testContext(t), 0)
			if err != nil {
				t.Fatalf("ListAddresses: %v", err)
			}
			return ourAddrViews(as)
		}, func() []addrView {
			var links []ipAddrLink
			h.ipJSON(t, &links, "addr", "show")
			return ipAddrViews(links)
		})
		if diff := gocmp.Diff(theirs, ours); diff != "" {
			t.Errorf("addresses differ from ip -j addr show (-ip +ours):\n%s", diff)
		}
		// What we asked for is there, with the flags the kernel derives.
		want := []addrView{
			{Index: v0.Index, Family: "inet", Local: "10.1.0.1", PrefixLen: 24, Scope: "global", Label: "v0:main", Broadcast: "10.1.0.255", Valid: forever, Preferred: forever},
			{Index: v0.Index, Family: "inet", Local: "10.1.0.9", PrefixLen: 24, Scope: "global", Label: "v0", Secondary: true, Valid: forever, Preferred: forever},
			{Index: v0.Index, Family: "inet6", Local: "fd00::1", PrefixLen: 64, Scope: "global", NoDAD: true, Valid: forever, Preferred: forever},
			{Index: v1.Index, Family: "inet", Local: "10.2.0.1", PrefixLen: 24, Scope: "link", Label: "v1", Valid: forever, Preferred: forever},
			{Index: v1.Index, Family: "inet", Local: "10.3.0.1", Peer: "10.3.0.2", PrefixLen: 32, Scope: "global", Label: "v1", Valid: forever, Preferred: forever},
			{Index: v1.Index, Family: "inet6", Local: "fd01::1", PrefixLen: 64, Scope: "global", NoDAD: true, NoPrefixRoute: true, Valid: forever, Preferred: forever},
		}
		var got []addrView
		for _, a := range ours {
			if !strings.HasPrefix(a.Local, "fe80:") {
				got = append(got, a)
			}
		}
		if diff := gocmp.Diff(sortAddrViews(want), got); diff != "" {
			t.Errorf("addresses (-want +got):\n%s", diff)
		}
	})

	t.Run("family filter", func(t *testing.T) {
		for _, family := range []int{unix.AF_INET, unix.AF_INET6} {
			as, err := h.rc.ListAddresses(ctx, family)
			if err != nil {
				t.Fatalf("ListAddresses(%d): %v", family, err)
			}
			if len(as) == 0 {
				t.Errorf("ListAddresses(%d) is empty", family)
			}
			for _, a := range as {
				if a.Prefix.Addr().Is4() != (family == unix.AF_INET) {
					t.Errorf("ListAddresses(%d) returned %s", family, a.Prefix)
				}
			}
		}
	})

	t.Run("errors and delete", func(t *testing.T) {
		a4 := client.Address{Index: v0.Index, Prefix: netip.MustParsePrefix("10.1.0.9/24")}
		a6 := client.Address{Index: v1.Index, Prefix: netip.MustParsePrefix("fd01::1/64")}
		for _, a := range []client.Address{a4, a6} {
			if err := h.rc.AddAddress(ctx, a); !errors.Is(err, unix.EEXIST) {
				t.Errorf("adding %s again: got %v, want EEXIST", a.Prefix, err)
			}
			if err := h.rc.DeleteAddress(ctx, a); err != nil {
				t.Errorf("DeleteAddress(%s): %v", a.Prefix, err)
			}
			err := h.rc.DeleteAddress(ctx, a)
			if !errors.Is(err, unix.EADDRNOTAVAIL) || !strings.HasPrefix(err.Error(), fmt.Sprintf("delete address %s from link %d: ", a.Prefix, a.Index)) {
				t.Errorf("deleting %s twice: got %v, want EADDRNOTAVAIL", a.Prefix, err)
			}
		}
		as, err := h.rc.ListAddresses(ctx, 0)
		if err != nil {
			t.Fatalf("ListAddresses: %v", err)
		}
		for _, a := range as {
			if a.Prefix == a4.Prefix || a.Prefix == a6.Prefix {
				t.Errorf("%s is still there after delete", a.Prefix)
			}
		}
		if err := h.rc.AddAddress(ctx, client.Address{Index: v0.Index, Prefix: netip.MustParsePrefix("10.0.0.1/24"), Peer: netip.MustParseAddr("fd00::2")}); err == nil {
			t.Errorf("an IPv4 address with an IPv6 peer was accepted")
		}
	})
}

const forever = 0xFFFFFFFF

// addrView holds what ip -j addr show and Address both report.
type addrView struct {
	Index         int
	Family        string
	Local         string
	Peer          string
	PrefixLen     int
	Scope         string
	Label         string
	Broadcast     string
	Secondary     bool
	NoDAD         bool
	NoPrefixRoute bool
	Valid         uint32
	Preferred     uint32
}

type ipAddrLink struct {
	IfIndex  int `json:"ifindex"`
	AddrInfo []struct {
		Family        string `json:"family"`
		Local         string `json:"local"`
		Address       string `json:"address"`
		PrefixLen     int    `json:"prefixlen"`
		Scope         string `json:"scope"`
		Label         string `json:"label"`
		Broadcast     string `json:"broadcast"`
		Secondary     bool   `json:"secondary"`
		NoDAD         bool   `json:"nodad"`
		NoPrefixRoute bool   `json:"noprefixroute"`
		Valid         uint32 `json:"valid_life_time"`
		Preferred     uint32 `json:"preferred_life_time"`
	} `json:"addr_info"`
}

func sortAddrViews(vs []addrView) []addrView {
	slices.SortFunc(vs, func(a, b addrView) int {
		return cmp.Or(cmp.Compare(a.Index, b.Index), cmp.Compare(a.Family, b.Family), cmp.Compare(a.Local, b.Local))
	})
	return vs
}

func ipAddrViews(links []ipAddrLink) []addrView {
	var out []addrView
	for _, l := range links {
		for _, a := range l.AddrInfo {
			out = append(out, addrView{
				Index: l.IfIndex, Family: a.Family, Local: a.Local, Peer: a.Address, PrefixLen: a.PrefixLen,
				Scope: a.Scope, Label: a.Label, Broadcast: a.Broadcast, Secondary: a.Secondary, NoDAD: a.NoDAD,
				NoPrefixRoute: a.NoPrefixRoute, Valid: a.Valid, Preferred: a.Preferred,
			})
		}
	}
	return sortAddrViews(out)
}

func ourAddrViews(as []client.Address) []addrView {
	str := func(a netip.Addr) string {
		if !a.IsValid() {
			return ""
		}
		return a.String()
	}
	var out []addrView
	for _, a := range as {
		family := "inet6"
		if a.Prefix.Addr().Is4() {
			family = "inet"
		}
		out = append(out, addrView{
			Index: a.Index, Family: family, Local: a.Prefix.Addr().String(), Peer: str(a.Peer), PrefixLen: a.Prefix.Bits(),
			Scope: scopeName(a.Scope), Label: a.Label, Broadcast: str(a.Broadcast),
			Secondary: a.Flags&client.AddrFlagSecondary != 0, NoDAD: a.Flags&client.AddrFlagNoDAD != 0,
			NoPrefixRoute: a.Flags&client.AddrFlagNoPrefixRoute != 0, Valid: a.ValidLifetime, Preferred: a.PreferredLifetime,
		})
	}
	return sortAddrViews(out)
}

func TestRoutesHost(t *testing.T) {
	h := newHostNS(t)
	v0, v1 := h.addressed(t)
	ctx := testContext(t)
	p, a := netip.MustParsePrefix, netip.MustParseAddr
	routes := []client.Route{
		{Dst: p("10.9.0.0/16"), Gateway: a("10.1.0.2")},
		{Dst: p("10.8.0.0/16"), OutIndex: v1.Index, Priority: 100, PrefSrc: a("10.2.0.1")},
		{Dst: p("10.7.0.0/16"), MultiPath: []client.NextHop{
			{Gateway: a("10.1.0.2"), OutIndex: v0.Index, Weight: 2},
			{Gateway: a("10.2.0.2"), OutIndex: v1.Index},
		}},
		{Dst: p("0.0.0.0/0"), Gateway: a("10.1.0.2"), Protocol: client.RouteProtoStatic},
		{Dst: p("10.6.0.0/24"), Type: client.RouteTypeBlackhole},
		{Dst: p("10.5.0.0/16"), OutIndex: v0.Index, Table: 100},
		{Dst: p("fd09::/64"), Gateway: a("fd00::2"), Priority: 1024},
		{Dst: p("fd08::/64"), MultiPath: []client.NextHop{
			{Gateway: a("fd00::2"), OutIndex: v0.Index},
			{Gateway: a("fd00::3"), OutIndex: v0.Index, Weight: 3},
		}},
	}
	for _, rt := range routes {
		if err := h.rc.AddRoute(ctx, rt); err != nil {
			t.Fatalf("AddRoute(%s): %v", rt.Dst, err)
		}
	}

	names := map[int]string{}
	links, err := h.rc.ListLinks(ctx)
	if err != nil {
		t.Fatalf("ListLinks: %v", err)
	}
	for _, l := range links {
		names[l.Index] = l.Name
	}

	for _, tc := range []struct {
		name   string
		family int
		table  uint32
		ipArgs []string
	}{
		{"ipv4 main", unix.AF_INET, client.TableMain, []string{"route", "show"}},
		{"ipv4 table 100", unix.AF_INET, 100, []string{"route", "show", "table", "100"}},
		{"ipv6 main", unix.AF_INET6, client.TableMain, []string{"-6", "route", "show"}},
	} {
		t.Run("same as ip "+tc.name, func(t *testing.T) {
			ours, theirs := snapshot(t, func() []routeView {
				rs, err := h.rc.ListRoutes(testContext(t), tc.family)
				if err != nil {
					t.Fatalf("ListRoutes: %v", err)
				}
				var views []routeView
				for _, r := range rs {
					if r.Table == tc.table {
						views = append(views, ourRouteView(r, names))
					}
				}
				return sortRouteViews(views)
			}, func() []routeView {
				var rs []ipRoute
				h.ipJSON(t, &rs, tc.ipArgs...)
				return ipRouteViews(rs)
			})
			if diff := gocmp.Diff(theirs, ours); diff != "" {
				t.Errorf("routes differ from ip -j %s (-ip +ours):\n%s", strings.Join(tc.ipArgs, " "), diff)
			}
		})
	}

	t.Run("what we asked for", func(t *testing.T) {
		rs, err := h.rc.ListRoutes(ctx, 0)
		if err != nil {
			t.Fatalf("ListRoutes: %v", err)
		}
		byDst := map[netip.Prefix]client.Route{}
		for _, r := range rs {
			if r.Table != client.TableLocal {
				byDst[r.Dst] = r
			}
		}
		got := byDst[p("10.7.0.0/16")].MultiPath
		want := []client.NextHop{
			{Gateway: a("10.1.0.2"), OutIndex: v0.Index, Weight: 2},
			{Gateway: a("10.2.0.2"), OutIndex: v1.Index, Weight: 1},
		}
		if diff := gocmp.Diff(want, got, gocmp.Comparer(func(x, y netip.Addr) bool { return x == y })); diff != "" {
			t.Errorf("multipath next hops (-want +got):\n%s", diff)
		}
		if r := byDst[p("10.8.0.0/16")]; r.Scope != client.ScopeLink || r.Protocol != client.RouteProtoBoot || r.Priority != 100 || r.PrefSrc != a("10.2.0.1") {
			t.Errorf("10.8.0.0/16 = %+v, want scope link, protocol boot, metric 100, src 10.2.0.1", r)
		}
		if r := byDst[p("0.0.0.0/0")]; r.Protocol != client.RouteProtoStatic || r.Gateway != a("10.1.0.2") || r.Scope != client.ScopeUniverse {
			t.Errorf("default route = %+v", r)
		}
		if r := byDst[p("10.5.0.0/16")]; r.Table != 100 {
			t.Errorf("10.5.0.0/16 in table %d, want 100", r.Table)
		}
	})

	t.Run("errors and delete", func(t *testing.T) {
		for _, rt := range []client.Route{routes[0], routes[5], routes[6]} {
			if err := h.rc.AddRoute(ctx, rt); !errors.Is(err, unix.EEXIST) {
				t.Errorf("adding %s again: got %v, want EEXIST", rt.Dst, err)
			}
			if err := h.rc.DeleteRoute(ctx, rt); err != nil {
				t.Errorf("DeleteRoute(%s): %v", rt.Dst, err)
			}
			err := h.rc.DeleteRoute(ctx, rt)
			if !errors.Is(err, unix.ESRCH) || !strings.HasPrefix(err.Error(), "delete route "+rt.Dst.String()+": ") {
				t.Errorf("deleting %s twice: got %v, want ESRCH", rt.Dst, err)
			}
		}
		if err := h.rc.AddRoute(ctx, client.Route{Dst: p("10.4.0.0/16"), Gateway: a("10.99.0.1")}); !errors.Is(err, unix.ENETUNREACH) {
			t.Errorf("route via an unreachable gateway: got %v, want ENETUNREACH", err)
		}
		if err := h.rc.AddRoute(ctx, client.Route{Dst: p("10.4.0.0/16"), Gateway: a("fd00::2")}); err == nil {
			t.Errorf("an IPv4 route via an IPv6 gateway was accepted")
		}
	})
}

// routeView holds what ip -j route show and Route both report.
type routeView struct {
	Type     string
	Dst      string
	Gateway  string
	Dev      string
	Protocol string
	Scope    string
	Metric   uint32
	PrefSrc  string
	NextHops []nextHopView
}

type nextHopView struct {
	Gateway string
	Dev     string
	Weight  int
}

type ipRoute struct {
	Type     string `json:"type"`
	Dst      string `json:"dst"`
	Gateway  string `json:"gateway"`
	Dev      string `json:"dev"`
	Protocol string `json:"protocol"`
	Scope    string `json:"scope"`
	Metric   uint32 `json:"metric"`
	PrefSrc  string `json:"prefsrc"`
	NextHops []struct {
		Gateway string `json:"gateway"`
		Dev     string `json:"dev"`
		Weight  int    `json:"weight"`
	} `json:"nexthops"`
}

func sortRouteViews(vs []routeView) []routeView {
	slices.SortFunc(vs, func(a, b routeView) int { return cmp.Compare(a.Dst+" "+a.Dev, b.Dst+" "+b.Dev) })
	return vs
}

// ipRouteViews fills in what ip leaves out when it is the default: type
// unicast, protocol boot, scope global, weight 1, the /32 or /128 of a host
// route, and "default" for a zero-length prefix.
func ipRouteViews(rs []ipRoute) []routeView {
	var out []routeView
	for _, r := range rs {
		v := routeView{
			Type: cmp.Or(r.Type, "unicast"), Dst: r.Dst, Gateway: r.Gateway, Dev: r.Dev, Protocol: cmp.Or(r.Protocol, "boot"),
			Scope: cmp.Or(r.Scope, "global"), Metric: r.Metric, PrefSrc: r.PrefSrc,
		}
		if v.Dst != "default" && !strings.Contains(v.Dst, "/") {
			if strings.Contains(v.Dst, ":") {
				v.Dst += "/128"
			} else {
				v.Dst += "/32"
			}
		}
		for _, nh := range r.NextHops {
			v.NextHops = append(v.NextHops, nextHopView{Gateway: nh.Gateway, Dev: nh.Dev, Weight: cmp.Or(nh.Weight, 1)})
		}
		out = append(out, v)
	}
	return sortRouteViews(out)
}

func ourRouteView(r client.Route, names map[int]string) routeView {
	str := func(a netip.Addr) string {
		if !a.IsValid() {
			return ""
		}
		return a.String()
	}
	v := routeView{
		Type: routeTypeName(r.Type), Dst: r.Dst.String(), Gateway: str(r.Gateway), Dev: names[r.OutIndex],
		Protocol: routeProtoName(r.Protocol), Scope: scopeName(r.Scope), Metric: r.Priority, PrefSrc: str(r.PrefSrc),
	}
	if r.Dst.Bits() == 0 {
		v.Dst = "default"
	}
	for _, nh := range r.MultiPath {
		v.NextHops = append(v.NextHops, nextHopView{Gateway: str(nh.Gateway), Dev: names[nh.OutIndex], Weight: nh.Weight})
	}
	return v
}

func routeTypeName(t uint8) string {
	switch t {
	case client.RouteTypeUnicast:
		return "unicast"
	case client.RouteTypeLocal:
		return "local"
	case client.RouteTypeBroadcast:
		return "broadcast"
	case client.RouteTypeMulticast:
		return "multicast"
	case client.RouteTypeBlackhole:
		return "blackhole"
	case client.RouteTypeUnreachable:
		return "unreachable"
	case client.RouteTypeProhibit:
		return "prohibit"
	}
	return fmt.Sprint(t)
}

func routeProtoName(p uint8) string {
	switch p {
	case client.RouteProtoKernel:
		return "kernel"
	case client.RouteProtoBoot:
		return "boot"
	case client.RouteProtoStatic:
		return "static"
	}
	return fmt.Sprint(p)
}
