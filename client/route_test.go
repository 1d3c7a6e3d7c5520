//go:build linux

package client_test

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/client/clienttest"
	"golang.org/x/sys/unix"
)

// attrNode is a decoded attribute; Children is set for the types that
// nested() names.
type attrNode struct {
	Type     uint16
	Data     []byte
	Children []attrNode
}

// decodeAttrs decodes b, descending into the attribute types in nested.
func decodeAttrs(t *testing.T, b []byte, nested map[uint16]bool) []attrNode {
	t.Helper()
	var out []attrNode
	d := client.NewAttributeDecoder(b)
	for d.Next() {
		n := attrNode{Type: d.Type()}
		if nested[d.Type()] {
			n.Children = decodeAttrs(t, d.Bytes(), nested)
		} else {
			n.Data = append([]byte(nil), d.Bytes()...)
		}
		out = append(out, n)
	}
	if err := d.Err(); err != nil {
		t.Fatalf("request attributes: %v", err)
	}
	return out
}

func u32(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }
func str(s string) []byte { return append([]byte(s), 0) }

// sentRequest is what a test checks of one request.
type sentRequest struct {
	Type  uint16
	Flags uint16
	Fixed []byte
	Attrs []attrNode
}

// recordRequests returns a RouteConn over a fake that ACKs everything, and
// a function that returns the single request it was sent.
func recordRequests(t *testing.T) (*client.RouteConn, func(fixedLen int, nested map[uint16]bool) sentRequest) {
	sock := &clienttest.Socket{Handle: func(req []client.Message) ([]client.Message, error) {
		return []client.Message{clienttest.Ack(req[0])}, nil
	}}
	rc := client.NewRouteConn(clienttest.DialSocket(unix.NETLINK_ROUTE, sock))
	t.Cleanup(func() { rc.Close() })
	return rc, func(fixedLen int, nested map[uint16]bool) sentRequest {
		t.Helper()
		reqs := sock.Requests()
		if len(reqs) != 1 {
			t.Fatalf("sent %d requests, want 1", len(reqs))
		}
		m := reqs[0]
		if len(m.Data) < fixedLen {
			t.Fatalf("request of %d bytes is shorter than its %d-byte header", len(m.Data), fixedLen)
		}
		return sentRequest{
			Type: m.Header.Type, Flags: m.Header.Flags &^ (client.FlagRequest | client.FlagAck),
			Fixed: m.Data[:fixedLen], Attrs: decodeAttrs(t, m.Data[fixedLen:], nested),
		}
	}
}

func TestRouteConnRequests(t *testing.T) {
	p, a := netip.MustParsePrefix, netip.MustParseAddr
	linkNests := map[uint16]bool{unix.IFLA_LINKINFO: true, unix.IFLA_INFO_DATA: true}
	mac, _ := net.ParseMAC("02:00:00:00:00:07")
	ifi := func(m client.IfInfoMsg) []byte { return m.Append(nil) }
	ifa := func(m client.IfAddrMsg) []byte { return m.Append(nil) }
	rtm := func(m client.RtMsg) []byte { return m.Append(nil) }
	create := client.FlagCreate | client.FlagExcl

	tests := []struct {
		name   string
		call   func(context.Context, *client.RouteConn) error
		fixed  int
		nested map[uint16]bool
		want   sentRequest
	}{
		{
			name: "set link up",
			call: func(ctx context.Context, rc *client.RouteConn) error { return rc.SetLinkUp(ctx, 7) },
			want: sentRequest{Type: unix.RTM_SETLINK, Fixed: ifi(client.IfInfoMsg{Index: 7, Flags: unix.IFF_UP, Change: unix.IFF_UP})},
		},
		{
			name: "set link down",
			call: func(ctx context.Context, rc *client.RouteConn) error { return rc.SetLinkDown(ctx, 7) },
			want: sentRequest{Type: unix.RTM_SETLINK, Fixed: ifi(client.IfInfoMsg{Index: 7, Change: unix.IFF_UP})},
		},
		{
			name: "set link mtu",
			call: func(ctx context.Context, rc *client.RouteConn) error { return rc.SetLinkMTU(ctx, 7, 9000) },
			want: sentRequest{Type: unix.RTM_SETLINK, Fixed: ifi(client.IfInfoMsg{Index: 7}), Attrs: []attrNode{{Type: unix.IFLA_MTU, Data: u32(9000)}}},
		},
		{
			name: "set link master",
			call: func(ctx context.Context, rc *client.RouteConn) error { return rc.SetLinkMaster(ctx, 7, 3) },
			want: sentRequest{Type: unix.RTM_SETLINK, Fixed: ifi(client.IfInfoMsg{Index: 7}), Attrs: []attrNode{{Type: unix.IFLA_MASTER, Data: u32(3)}}},
		},
		{
			name: "delete link",
			call: func(ctx context.Context, rc *client.RouteConn) error { return rc.DeleteLink(ctx, 7) },
			want: sentRequest{Type: unix.RTM_DELLINK, Fixed: ifi(client.IfInfoMsg{Index: 7})},
		},
		{
			name: "delete link by name",
			call: func(ctx context.Context, rc *client.RouteConn) error { return rc.DeleteLinkByName(ctx, "d0") },
			want: sentRequest{Type: unix.RTM_DELLINK, Fixed: ifi(client.IfInfoMsg{}), Attrs: []attrNode{{Type: unix.IFLA_IFNAME, Data: str("d0")}}},
		},
		{
			name: "add macvlan up with address, mtu and parent",
			call: func(ctx context.Context, rc *client.RouteConn) error {
				return rc.AddLink(ctx, client.Link{Name: "mv0", Flags: client.LinkFlagUp, MTU: 1400, HardwareAddr: mac, ParentIndex: 2, MasterIndex: 5, TxQueueLen: 10, Data: &client.Macvlan{Mode: client.MacvlanPrivate}})
			},
			nested: linkNests,
			want: sentRequest{Type: unix.RTM_NEWLINK, Flags: create, Fixed: ifi(client.IfInfoMsg{Flags: unix.IFF_UP, Change: unix.IFF_UP}), Attrs: []attrNode{
				{Type: unix.IFLA_IFNAME, Data: str("mv0")},
				{Type: unix.IFLA_MTU, Data: u32(1400)},
				{Type: unix.IFLA_TXQLEN, Data: u32(10)},
				{Type: unix.IFLA_ADDRESS, Data: mac},
				{Type: unix.IFLA_MASTER, Data: u32(5)},
				{Type: unix.IFLA_LINK, Data: u32(2)},
				{Type: unix.IFLA_LINKINFO, Children: []attrNode{
					{Type: unix.IFLA_INFO_KIND, Data: str("macvlan")},
					{Type: unix.IFLA_INFO_DATA, Children: []attrNode{{Type: unix.IFLA_MACVLAN_MODE, Data: u32(1 /* MACVLAN_MODE_PRIVATE */)}}},
				}},
			}},
		},
		{
			name: "add veth",
			call: func(ctx context.Context, rc *client.RouteConn) error {
				return rc.AddLink(ctx, client.Link{Name: "v0", Index: 40, Data: &client.Veth{PeerName: "v1"}})
			},
			nested: linkNests,
			want: sentRequest{Type: unix.RTM_NEWLINK, Flags: create, Fixed: ifi(client.IfInfoMsg{Index: 40}), Attrs: []attrNode{
				{Type: unix.IFLA_IFNAME, Data: str("v0")},
				{Type: unix.IFLA_LINKINFO, Children: []attrNode{
					{Type: unix.IFLA_INFO_KIND, Data: str("veth")},
					{Type: unix.IFLA_INFO_DATA, Children: []attrNode{
						// VETH_INFO_PEER: a struct ifinfomsg, then the peer's attributes.
						{Type: 1 /* VETH_INFO_PEER */, Data: append(ifi(client.IfInfoMsg{}), 7, 0, unix.IFLA_IFNAME, 0, 'v', '1', 0, 0)},
					}},
				}},
			}},
		},
		{
			name: "add vxlan",
			call: func(ctx context.Context, rc *client.RouteConn) error {
				return rc.AddLink(ctx, client.Link{Name: "vx0", Data: &client.VXLAN{VNI: 42, Port: 4789, Local: a("fd00::1"), Group: a("ff05::9"), DeviceIndex: 2, TTL: 9}})
			},
			nested: linkNests,
			want: sentRequest{Type: unix.RTM_NEWLINK, Flags: create, Fixed: ifi(client.IfInfoMsg{}), Attrs: []attrNode{
				{Type: unix.IFLA_IFNAME, Data: str("vx0")},
				{Type: unix.IFLA_LINKINFO, Children: []attrNode{
					{Type: unix.IFLA_INFO_KIND, Data: str("vxlan")},
					{Type: unix.IFLA_INFO_DATA, Children: []attrNode{
						{Type: unix.IFLA_VXLAN_ID, Data: u32(42)},
						{Type: unix.IFLA_VXLAN_PORT, Data: []byte{0x12, 0xb5}},
						{Type: unix.IFLA_VXLAN_LOCAL6, Data: a("fd00::1").AsSlice()},
						{Type: unix.IFLA_VXLAN_GROUP6, Data: a("ff05::9").AsSlice()},
						{Type: unix.IFLA_VXLAN_LINK, Data: u32(2)},
						{Type: unix.IFLA_VXLAN_TTL, Data: []byte{9}},
					}},
				}},
			}},
		},
		{
			name: "add nlmon",
			call: func(ctx context.Context, rc *client.RouteConn) error {
				return rc.AddLink(ctx, client.Link{Name: "nlmon0", Data: &client.Nlmon{}})
			},
			nested: linkNests,
			want: sentRequest{Type: unix.RTM_NEWLINK, Flags: create, Fixed: ifi(client.IfInfoMsg{}), Attrs: []attrNode{
				{Type: unix.IFLA_IFNAME, Data: str("nlmon0")},
				{Type: unix.IFLA_LINKINFO, Children: []attrNode{
					{Type: unix.IFLA_INFO_KIND, Data: str("nlmon")},
					{Type: unix.IFLA_INFO_DATA},
				}},
			}},
		},
		{
			name: "add link by kind alone",
			call: func(ctx context.Context, rc *client.RouteConn) error {
				return rc.AddLink(ctx, client.Link{Name: "t0", Kind: "ifb"})
			},
			nested: linkNests,
			want: sentRequest{Type: unix.RTM_NEWLINK, Flags: create, Fixed: ifi(client.IfInfoMsg{}), Attrs: []attrNode{
				{Type: unix.IFLA_IFNAME, Data: str("t0")},
				{Type: unix.IFLA_LINKINFO, Children: []attrNode{{Type: unix.IFLA_INFO_KIND, Data: str("ifb")}}},
			}},
		},
		{
			name: "add ipv4 address",
			call: func(ctx context.Context, rc *client.RouteConn) error {
				return rc.AddAddress(ctx, client.Address{Index: 3, Prefix: p("10.0.0.1/24"), Broadcast: a("10.0.0.255"), Label: "d0:1"})
			},
			fixed: client.IfAddrMsgLen,
			want: sentRequest{Type: unix.RTM_NEWADDR, Flags: create, Fixed: ifa(client.IfAddrMsg{Family: unix.AF_INET, PrefixLen: 24, Index: 3}), Attrs: []attrNode{
				{Type: unix.IFA_LOCAL, Data: []byte{10, 0, 0, 1}},
				{Type: unix.IFA_ADDRESS, Data: []byte{10, 0, 0, 1}},
				{Type: unix.IFA_BROADCAST, Data: []byte{10, 0, 0, 255}},
				{Type: unix.IFA_LABEL, Data: str("d0:1")},
			}},
		},
		{
			name: "add ipv6 address with wide flags",
			call: func(ctx context.Context, rc *client.RouteConn) error {
				return rc.AddAddress(ctx, client.Address{Index: 3, Prefix: p("fd00::1/64"), Scope: client.ScopeLink, Flags: client.AddrFlagNoDAD | client.AddrFlagNoPrefixRoute})
			},
			fixed: client.IfAddrMsgLen,
			want: sentRequest{Type: unix.RTM_NEWADDR, Flags: create, Fixed: ifa(client.IfAddrMsg{Family: unix.AF_INET6, PrefixLen: 64, Flags: unix.IFA_F_NODAD, Scope: unix.RT_SCOPE_LINK, Index: 3}), Attrs: []attrNode{
				{Type: unix.IFA_LOCAL, Data: a("fd00::1").AsSlice()},
				{Type: unix.IFA_ADDRESS, Data: a("fd00::1").AsSlice()},
				{Type: unix.IFA_FLAGS, Data: u32(unix.IFA_F_NODAD | unix.IFA_F_NOPREFIXROUTE)},
			}},
		},
		{
			name: "delete point-to-point address",
			call: func(ctx context.Context, rc *client.RouteConn) error {
				return rc.DeleteAddress(ctx, client.Address{Index: 3, Prefix: p("10.0.0.1/32"), Peer: a("10.0.0.2")})
			},
			fixed: client.IfAddrMsgLen,
			want: sentRequest{Type: unix.RTM_DELADDR, Fixed: ifa(client.IfAddrMsg{Family: unix.AF_INET, PrefixLen: 32, Index: 3}), Attrs: []attrNode{
				{Type: unix.IFA_LOCAL, Data: []byte{10, 0, 0, 1}},
				{Type: unix.IFA_ADDRESS, Data: []byte{10, 0, 0, 2}},
			}},
		},
		{
			name: "add default route",
			call: func(ctx context.Context, rc *client.RouteConn) error {
				return rc.AddRoute(ctx, client.Route{Dst: p("0.0.0.0/0"), Gateway: a("10.0.0.254"), Priority: 5})
			},
			fixed: client.RtMsgLen,
			want: sentRequest{Type: unix.RTM_NEWROUTE, Flags: create, Fixed: rtm(client.RtMsg{Family: unix.AF_INET, Table: unix.RT_TABLE_MAIN, Protocol: unix.RTPROT_BOOT, Scope: unix.RT_SCOPE_UNIVERSE, Type: unix.RTN_UNICAST}), Attrs: []attrNode{
				{Type: unix.RTA_TABLE, Data: u32(unix.RT_TABLE_MAIN)},
				{Type: unix.RTA_GATEWAY, Data: []byte{10, 0, 0, 254}},
				{Type: unix.RTA_PRIORITY, Data: u32(5)},
			}},
		},
		{
			name: "add link route in a big table, host bits cleared",
			call: func(ctx context.Context, rc *client.RouteConn) error {
				return rc.AddRoute(ctx, client.Route{Dst: p("10.1.2.3/16"), OutIndex: 4, Table: 1000, PrefSrc: a("10.1.0.1")})
			},
			fixed: client.RtMsgLen,
			want: sentRequest{Type: unix.RTM_NEWROUTE, Flags: create, Fixed: rtm(client.RtMsg{Family: unix.AF_INET, DstLen: 16, Protocol: unix.RTPROT_BOOT, Scope: unix.RT_SCOPE_LINK, Type: unix.RTN_UNICAST}), Attrs: []attrNode{
				{Type: unix.RTA_TABLE, Data: u32(1000)},
				{Type: unix.RTA_DST, Data: []byte{10, 1, 0, 0}},
				{Type: unix.RTA_PREFSRC, Data: []byte{10, 1, 0, 1}},
				{Type: unix.RTA_OIF, Data: u32(4)},
			}},
		},
		{
			name: "add ipv6 multipath route",
			call: func(ctx context.Context, rc *client.RouteConn) error {
				return rc.AddRoute(ctx, client.Route{Dst: p("fd08::/64"), MultiPath: []client.NextHop{
					{Gateway: a("fd00::2"), OutIndex: 2, Weight: 3},
					{OutIndex: 5, Flags: unix.RTNH_F_ONLINK},
				}})
			},
			fixed: client.RtMsgLen,
			want: sentRequest{Type: unix.RTM_NEWROUTE, Flags: create, Fixed: rtm(client.RtMsg{Family: unix.AF_INET6, DstLen: 64, Table: unix.RT_TABLE_MAIN, Protocol: unix.RTPROT_BOOT, Type: unix.RTN_UNICAST}), Attrs: []attrNode{
				{Type: unix.RTA_TABLE, Data: u32(unix.RT_TABLE_MAIN)},
				{Type: unix.RTA_DST, Data: a("fd08::").AsSlice()},
				{Type: unix.RTA_MULTIPATH, Data: concat(
					[]byte{28, 0, 0, 2}, u32(2), []byte{20, 0, unix.RTA_GATEWAY, 0}, a("fd00::2").AsSlice(),
					[]byte{8, 0, unix.RTNH_F_ONLINK, 0}, u32(5),
				)},
			}},
		},
		{
			name: "delete route matches any scope",
			call: func(ctx context.Context, rc *client.RouteConn) error {
				return rc.DeleteRoute(ctx, client.Route{Dst: p("10.9.0.0/16")})
			},
			fixed: client.RtMsgLen,
			want: sentRequest{Type: unix.RTM_DELROUTE, Fixed: rtm(client.RtMsg{Family: unix.AF_INET, DstLen: 16, Table: unix.RT_TABLE_MAIN, Scope: unix.RT_SCOPE_NOWHERE}), Attrs: []attrNode{
				{Type: unix.RTA_TABLE, Data: u32(unix.RT_TABLE_MAIN)},
				{Type: unix.RTA_DST, Data: []byte{10, 9, 0, 0}},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc, sent := recordRequests(t)
			if err := tt.call(t.Context(), rc); err != nil {
				t.Fatalf("call: %v", err)
			}
			fixed := tt.fixed
			if fixed == 0 {
				fixed = client.IfInfoMsgLen
			}
			if diff := cmp.Diff(tt.want, sent(fixed, tt.nested)); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
	}
}

func concat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// echoKernel is a fake rtnetlink that keeps the links it is asked to add
// as the RTM_NEWLINK it would dump, so that what AddLink encodes can be
// read back through ParseLink.
func echoKernel(t *testing.T) *client.RouteConn {
	var links []client.Message
	handle := func(req []client.Message) ([]client.Message, error) {
		m := req[0]
		ifi, err := client.ParseIfInfoMsg(m.Data)
		if err != nil {
			return []client.Message{clienttest.Error(m, int(unix.EINVAL), nil, true)}, nil
		}
		switch m.Header.Type {
		case unix.RTM_NEWLINK:
			ifi.Index = int32(len(links) + 1)
			data := append(ifi.Append(nil), m.Data[client.IfInfoMsgLen:]...)
			links = append(links, client.Message{Header: client.Header{Type: unix.RTM_NEWLINK}, Data: data})
			return []client.Message{clienttest.Ack(m)}, nil
		case unix.RTM_GETLINK:
			if m.Header.Flags&client.FlagDump != 0 {
				return clienttest.Multipart(links...), nil
			}
			for _, l := range links {
				if got, _ := client.ParseLink(l); got.Index == int(ifi.Index) {
					return []client.Message{l, clienttest.Ack(m)}, nil
				}
			}
			return []client.Message{clienttest.Error(m, int(unix.ENODEV), nil, true)}, nil
		}
		return []client.Message{clienttest.Error(m, int(unix.EOPNOTSUPP), nil, true)}, nil
	}
	rc := client.NewRouteConn(clienttest.Dial(unix.NETLINK_ROUTE, handle))
	t.Cleanup(func() { rc.Close() })
	return rc
}

func TestLinkDataRoundTrip(t *testing.T) {
	a := netip.MustParseAddr
	mac, _ := net.ParseMAC("02:00:00:00:00:09")
	links := []client.Link{
		{Name: "br0", Flags: client.LinkFlagUp, Data: &client.Bridge{STP: true, VLANFiltering: true, AgeingTime: 500}},
		{Name: "vx4", MTU: 1450, Data: &client.VXLAN{VNI: 1<<24 - 1, Port: 4789, Local: a("10.0.0.1"), Remote: a("10.0.0.2"), DeviceIndex: 1, TTL: 64}},
		{Name: "vx6", Data: &client.VXLAN{VNI: 7, Local: a("fd00::1"), Group: a("ff05::7")}},
		{Name: "mv0", ParentIndex: 1, HardwareAddr: mac, Data: &client.Macvlan{Mode: client.MacvlanPassthru}},
		{Name: "nlmon0", Data: &client.Nlmon{}},
		{Name: "d0", MasterIndex: 1, Data: &client.Dummy{}},
	}
	rc := echoKernel(t)
	ctx := t.Context()
	for _, l := range links {
		if err := rc.AddLink(ctx, l); err != nil {
			t.Fatalf("AddLink(%s): %v", l.Name, err)
		}
	}
	got, err := rc.ListLinks(ctx)
	if err != nil {
		t.Fatalf("ListLinks: %v", err)
	}
	var want []client.Link
	for i, l := range links {
		l.Index = i + 1
		l.Kind = l.Data.Kind()
		want = append(want, l)
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(x, y netip.Addr) bool { return x == y })); diff != "" {
		t.Errorf("links read back (-want +got):\n%s", diff)
	}
	one, err := rc.LinkByIndex(ctx, 2)
	if err != nil || one.Name != "vx4" {
		t.Errorf("LinkByIndex(2) = %q, %v", one.Name, err)
	}
	if _, err := rc.LinkByIndex(ctx, 99); !errors.Is(err, unix.ENODEV) || !strings.HasPrefix(err.Error(), "get link 99: ") {
		t.Errorf("LinkByIndex(99): %v", err)
	}
}

func TestRouteConnKernelError(t *testing.T) {
	ack := &client.ExtendedAck{Message: "mtu greater than device maximum", HasOffset: true, Offset: 36}
	rc := client.NewRouteConn(clienttest.Dial(unix.NETLINK_ROUTE, func(req []client.Message) ([]client.Message, error) {
		return []client.Message{clienttest.Error(req[0], int(unix.EINVAL), ack, false)}, nil
	}))
	defer rc.Close()
	err := rc.SetLinkMTU(t.Context(), 3, 70000)
	if !errors.Is(err, unix.EINVAL) {
		t.Fatalf("got %v, want EINVAL", err)
	}
	var nerr *client.Error
	if !errors.As(err, &nerr) {
		t.Fatalf("%T is not a *client.Error", err)
	}
	if diff := cmp.Diff(*ack, nerr.Ack); diff != "" {
		t.Errorf("extended ACK (-want +got):\n%s", diff)
	}
	if want := "set link 3 mtu 70000: invalid argument: mtu greater than device maximum (at offset 36)"; err.Error() != want {
		t.Errorf("error text\n got %q\nwant %q", err.Error(), want)
	}
}

func TestListRetriesInterruptedDump(t *testing.T) {
	linkMessage := func(index int32, name string) client.Message {
		var e client.AttributeEncoder
		e.String(unix.IFLA_IFNAME, name)
		attrs, _ := e.Encode()
		return client.Message{Header: client.Header{Type: unix.RTM_NEWLINK}, Data: append(client.IfInfoMsg{Index: index}.Append(nil), attrs...)}
	}
	for _, tt := range []struct {
		name        string
		interrupted int // how many dumps come back interrupted
		wantDumps   int
		wantErr     error
	}{
		{"clean", 0, 1, nil},
		{"interrupted once", 1, 2, nil},
		{"always interrupted", 100, 3, client.ErrDumpInterrupted},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dumps := 0
			sock := &clienttest.Socket{Handle: func(req []client.Message) ([]client.Message, error) {
				dumps++
				msgs := []client.Message{linkMessage(1, "lo"), linkMessage(int32(dumps+1), "d0")}
				if dumps <= tt.interrupted {
					msgs[1].Header.Flags |= client.FlagDumpIntr
				}
				return clienttest.Multipart(msgs...), nil
			}}
			rc := client.NewRouteConn(clienttest.DialSocket(unix.NETLINK_ROUTE, sock))
			defer rc.Close()
			links, err := rc.ListLinks(t.Context())
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("ListLinks: got %v, want %v", err, tt.wantErr)
			}
			if dumps != tt.wantDumps {
				t.Errorf("dumped %d times, want %d", dumps, tt.wantDumps)
			}
			if tt.wantErr == nil && (len(links) != 2 || links[1].Index != dumps+1) {
				t.Errorf("links = %+v, want those of the last dump", links)
			}
			for _, r := range sock.Requests() {
				if r.Header.Flags&client.FlagDump != client.FlagDump {
					t.Errorf("dump request flags %#x lack NLM_F_DUMP", r.Header.Flags)
				}
			}
		})
	}
}

// TestRequestsRefusedBeforeSending checks requests that cannot be right:
// each fails with a clear error and nothing reaches the socket.
func TestRequestsRefusedBeforeSending(t *testing.T) {
	p, a := netip.MustParsePrefix, netip.MustParseAddr
	tests := []struct {
		name string
		call func(context.Context, *client.RouteConn) error
		want string
	}{
		{"link without name", func(ctx context.Context, rc *client.RouteConn) error {
			return rc.AddLink(ctx, client.Link{Kind: "dummy"})
		}, "link needs a name"},
		{"link without kind", func(ctx context.Context, rc *client.RouteConn) error { return rc.AddLink(ctx, client.Link{Name: "x"}) }, "add link x: link needs a kind"},
		{"kind mismatch", func(ctx context.Context, rc *client.RouteConn) error {
			return rc.AddLink(ctx, client.Link{Name: "x", Kind: "bridge", Data: &client.Dummy{}})
		}, `kind "bridge" does not match dummy data`},
		{"veth without peer", func(ctx context.Context, rc *client.RouteConn) error {
			return rc.AddLink(ctx, client.Link{Name: "x", Data: &client.Veth{}})
		}, "veth needs a peer name"},
		{"vxlan id too big", func(ctx context.Context, rc *client.RouteConn) error {
			return rc.AddLink(ctx, client.Link{Name: "x", Data: &client.VXLAN{VNI: 1 << 24}})
		}, "does not fit in 24 bits"},
		{"vxlan remote and group", func(ctx context.Context, rc *client.RouteConn) error {
			return rc.AddLink(ctx, client.Link{Name: "x", Data: &client.VXLAN{Remote: a("10.0.0.1"), Group: a("239.0.0.1")}})
		}, "not both"},
		{"vxlan mapped local", func(ctx context.Context, rc *client.RouteConn) error {
			return rc.AddLink(ctx, client.Link{Name: "x", Data: &client.VXLAN{Local: a("::ffff:10.0.0.1")}})
		}, "IPv4-mapped"},
		{"address without prefix", func(ctx context.Context, rc *client.RouteConn) error {
			return rc.AddAddress(ctx, client.Address{Index: 1})
		}, "valid prefix"},
		{"address families mixed", func(ctx context.Context, rc *client.RouteConn) error {
			return rc.AddAddress(ctx, client.Address{Index: 1, Prefix: p("10.0.0.1/24"), Broadcast: a("fd00::ff")})
		}, "mixes address families"},
		{"route without destination", func(ctx context.Context, rc *client.RouteConn) error {
			return rc.AddRoute(ctx, client.Route{OutIndex: 1})
		}, "needs a destination"},
		{"route gateway of another family", func(ctx context.Context, rc *client.RouteConn) error {
			return rc.AddRoute(ctx, client.Route{Dst: p("10.0.0.0/8"), Gateway: a("fd00::1")})
		}, "not in the family"},
		{"route family mismatch", func(ctx context.Context, rc *client.RouteConn) error {
			return rc.AddRoute(ctx, client.Route{Family: unix.AF_INET6, Dst: p("10.0.0.0/8")})
		}, "does not match destination"},
		{"next hop weight", func(ctx context.Context, rc *client.RouteConn) error {
			return rc.AddRoute(ctx, client.Route{Dst: p("10.0.0.0/8"), MultiPath: []client.NextHop{{OutIndex: 1, Weight: 300}}})
		}, "weight 300 outside 1..256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sock := &clienttest.Socket{}
			rc := client.NewRouteConn(clienttest.DialSocket(unix.NETLINK_ROUTE, sock))
			defer rc.Close()
			// The fake never answers: a request that got through would
			// block until this deadline.
			err := tt.call(testContext(t), rc)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
			if n := len(sock.Requests()); n != 0 {
				t.Errorf("%d requests reached the socket", n)
			}
		})
	}
}

func TestRouteConnNeedsRouteProtocol(t *testing.T) {
	sock := &clienttest.Socket{}
	rc := client.NewRouteConn(clienttest.DialSocket(unix.NETLINK_GENERIC, sock))
	defer rc.Close()
	if _, err := rc.ListLinks(t.Context()); err == nil || !strings.Contains(err.Error(), "need route") {
		t.Errorf("ListLinks over NETLINK_GENERIC: got %v", err)
	}
	if len(sock.Requests()) != 0 {
		t.Errorf("a request reached the socket")
	}
}

// TestParseKernelLayouts reads messages laid out as the kernel sends them.
func TestParseKernelLayouts(t *testing.T) {
	a := netip.MustParseAddr
	t.Run("address with cacheinfo and flags", func(t *testing.T) {
		var e client.AttributeEncoder
		e.Bytes(unix.IFA_ADDRESS, a("fd00::1").AsSlice())
		e.Bytes(unix.IFA_CACHEINFO, concat(u32(100), u32(200), u32(5), u32(6)))
		e.Uint32(unix.IFA_FLAGS, unix.IFA_F_NODAD|unix.IFA_F_NOPREFIXROUTE)
		attrs, _ := e.Encode()
		m := client.Message{Header: client.Header{Type: unix.RTM_NEWADDR}, Data: append(client.IfAddrMsg{Family: unix.AF_INET6, PrefixLen: 64, Flags: unix.IFA_F_NODAD, Index: 2}.Append(nil), attrs...)}
		got, err := client.ParseAddress(m)
		if err != nil {
			t.Fatal(err)
		}
		want := client.Address{Index: 2, Prefix: netip.MustParsePrefix("fd00::1/64"), Flags: client.AddrFlagNoDAD | client.AddrFlagNoPrefixRoute, PreferredLifetime: 100, ValidLifetime: 200}
		if diff := cmp.Diff(want, got, cmp.Comparer(func(x, y netip.Addr) bool { return x == y }), cmp.Comparer(func(x, y netip.Prefix) bool { return x == y })); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("ipv4 default route in table 1000", func(t *testing.T) {
		var e client.AttributeEncoder
		e.Uint32(unix.RTA_TABLE, 1000)
		e.Bytes(unix.RTA_GATEWAY, []byte{10, 0, 0, 1})
		e.Uint32(unix.RTA_OIF, 4)
		attrs, _ := e.Encode()
		m := client.Message{Header: client.Header{Type: unix.RTM_NEWROUTE}, Data: append(client.RtMsg{Family: unix.AF_INET, Table: unix.RT_TABLE_COMPAT, Protocol: unix.RTPROT_STATIC, Type: unix.RTN_UNICAST}.Append(nil), attrs...)}
		got, err := client.ParseRoute(m)
		if err != nil {
			t.Fatal(err)
		}
		if got.Dst != netip.MustParsePrefix("0.0.0.0/0") || got.Table != 1000 || got.Gateway != a("10.0.0.1") || got.OutIndex != 4 || got.Src.IsValid() {
			t.Errorf("route = %+v", got)
		}
	})
}

func TestParseMalformed(t *testing.T) {
	attr := func(typ uint16, payload ...byte) []byte {
		b := binary.NativeEndian.AppendUint16(nil, uint16(4+len(payload)))
		b = binary.NativeEndian.AppendUint16(b, typ)
		return append(b, payload...)
	}
	tests := []struct {
		name  string
		parse func() error
		want  error // nil: any error
	}{
		{"link header short", func() error {
			_, err := client.ParseLink(client.Message{Header: client.Header{Type: unix.RTM_NEWLINK}, Data: make([]byte, 10)})
			return err
		}, client.ErrMalformed},
		{"link attribute overruns", func() error {
			data := append(client.IfInfoMsg{}.Append(nil), 200, 0, 3, 0, 'x')
			_, err := client.ParseLink(client.Message{Header: client.Header{Type: unix.RTM_NEWLINK}, Data: data})
			return err
		}, client.ErrMalformed},
		{"link mtu of 2 bytes", func() error {
			data := append(client.IfInfoMsg{}.Append(nil), append(attr(unix.IFLA_MTU, 1, 2), 0, 0)...)
			_, err := client.ParseLink(client.Message{Header: client.Header{Type: unix.RTM_NEWLINK}, Data: data})
			return err
		}, client.ErrMalformed},
		{"link info nest overruns", func() error {
			inner := append(attr(unix.IFLA_INFO_KIND, 'v', 'x', 'l', 'a', 'n', 0, 0, 0), 40, 0, 2, 0)
			data := append(client.IfInfoMsg{}.Append(nil), attr(unix.IFLA_LINKINFO, inner...)...)
			_, err := client.ParseLink(client.Message{Header: client.Header{Type: unix.RTM_NEWLINK}, Data: data})
			return err
		}, client.ErrMalformed},
		{"link of the wrong type", func() error {
			_, err := client.ParseLink(client.Message{Header: client.Header{Type: unix.RTM_NEWROUTE}, Data: make([]byte, 16)})
			return err
		}, nil},
		{"address without any address", func() error {
			_, err := client.ParseAddress(client.Message{Header: client.Header{Type: unix.RTM_NEWADDR}, Data: client.IfAddrMsg{Family: unix.AF_INET}.Append(nil)})
			return err
		}, nil},
		{"address prefix too long", func() error {
			data := append(client.IfAddrMsg{Family: unix.AF_INET, PrefixLen: 33}.Append(nil), attr(unix.IFA_LOCAL, 10, 0, 0, 1)...)
			_, err := client.ParseAddress(client.Message{Header: client.Header{Type: unix.RTM_NEWADDR}, Data: data})
			return err
		}, nil},
		{"multipath next hop overruns", func() error {
			data := append(client.RtMsg{Family: unix.AF_INET}.Append(nil), attr(unix.RTA_MULTIPATH, 64, 0, 0, 0, 1, 0, 0, 0)...)
			_, err := client.ParseRoute(client.Message{Header: client.Header{Type: unix.RTM_NEWROUTE}, Data: data})
			return err
		}, client.ErrMalformed},
		{"family reply without id", func() error {
			var e client.AttributeEncoder
			e.String(client.GenlCtrlAttrFamilyName, "x")
			attrs, _ := e.Encode()
			_, err := client.ParseFamily(client.Message{Header: client.Header{Type: client.GenlIDCtrl}, Data: append([]byte{client.GenlCtrlCmdNewFamily, 2, 0, 0}, attrs...)})
			return err
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parse()
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("got %v, want an error matching %v", err, tt.want)
			}
		})
	}
}

// TestMultipathOffset checks that a malformed next hop is reported at its
// offset in the message, counting the netlink header.
func TestMultipathOffset(t *testing.T) {
	hop := concat([]byte{8, 0, 0, 0}, u32(1))
	bad := []byte{3, 0, 0, 0, 0, 0, 0, 0}
	var e client.AttributeEncoder
	e.Bytes(unix.RTA_MULTIPATH, concat(hop, bad))
	attrs, _ := e.Encode()
	_, err := client.ParseRoute(client.Message{Header: client.Header{Type: unix.RTM_NEWROUTE}, Data: append(client.RtMsg{Family: unix.AF_INET}.Append(nil), attrs...)})
	var merr *client.MalformedError
	if !errors.As(err, &merr) {
		t.Fatalf("got %v, want a *MalformedError", err)
	}
	if want := client.HeaderLen + client.RtMsgLen + client.AttrHeaderLen + len(hop); merr.Offset != want {
		t.Errorf("offset %d, want %d", merr.Offset, want)
	}
}
