package client_test

import (
	"encoding/json"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/client"
	"golang.org/x/sys/unix"
)

// topology builds, through RouteConn, a veth pair v0/v1 with v1 in bridge
// br0, a unicast vxlan vx0 and a multicast vxlan vx1 over v0, and a macvlan
// mv0 over v0. v0, v1, br0 and mv0 end up; vx0 goes up and down again.
func (h *hostNS) topology(t *testing.T) map[string]client.Link {
	t.Helper()
	ctx := testContext(t)
	rc := h.rc
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	must("add veth", rc.AddLink(ctx, client.Link{Name: "v0", MTU: 1400, Data: &client.Veth{PeerName: "v1"}}))
	must("add bridge", rc.AddLink(ctx, client.Link{Name: "br0", Data: &client.Bridge{STP: true, AgeingTime: 12000}}))
	v0, v1, br0 := h.mustLink(t, "v0"), h.mustLink(t, "v1"), h.mustLink(t, "br0")
	must("enslave v1", rc.SetLinkMaster(ctx, v1.Index, br0.Index))
	must("add vxlan", rc.AddLink(ctx, client.Link{Name: "vx0", Data: &client.VXLAN{
		VNI: 42, Port: 4789, Local: netip.MustParseAddr("10.1.0.1"), Remote: netip.MustParseAddr("10.1.0.2"), DeviceIndex: v0.Index,
	}}))
	must("add multicast vxlan", rc.AddLink(ctx, client.Link{Name: "vx1", Data: &client.VXLAN{
		VNI: 43, Group: netip.MustParseAddr("239.1.1.1"), DeviceIndex: v0.Index, TTL: 5,
	}}))
	mac, _ := net.ParseMAC("02:00:00:00:00:01")
	must("add macvlan", rc.AddLink(ctx, client.Link{Name: "mv0", ParentIndex: v0.Index, HardwareAddr: mac, Data: &client.Macvlan{Mode: client.MacvlanBridge}}))
	must("set v0 mtu", rc.SetLinkMTU(ctx, v0.Index, 1450))
	for _, name := range []string{"v0", "v1", "br0", "mv0", "vx0"} {
		must("set "+name+" up", rc.SetLinkUp(ctx, h.mustLink(t, name).Index))
	}
	must("set vx0 down", rc.SetLinkDown(ctx, h.mustLink(t, "vx0").Index))

	links, err := rc.ListLinks(ctx)
	must("list links", err)
	byName := map[string]client.Link{}
	for _, l := range links {
		byName[l.Name] = l
	}
	return byName
}

func TestLinksHost(t *testing.T) {
	h := newHostNS(t)
	links := h.topology(t)
	v0, v1, br0, vx0, vx1, mv0 := links["v0"], links["v1"], links["br0"], links["vx0"], links["vx1"], links["mv0"]

	t.Run("what we asked for", func(t *testing.T) {
		type summary struct {
			Kind        string
			Up          bool
			MTU         uint32
			Parent      int
			Master      int
			SlaveKind   string
			Data        client.LinkData
			MAC         string
			Promiscuity uint32
		}
		got := map[string]summary{}
		for _, name := range []string{"v0", "v1", "br0", "vx0", "vx1", "mv0"} {
			l := links[name]
			s := summary{Kind: l.Kind, Up: l.Up(), MTU: l.MTU, Parent: l.ParentIndex, Master: l.MasterIndex, SlaveKind: l.SlaveKind, Data: l.Data, Promiscuity: l.Promiscuity}
			if name == "mv0" {
				s.MAC = l.HardwareAddr.String()
			}
			got[name] = s
		}
		want := map[string]summary{
			// v0 cannot filter unicast addresses, so the macvlan's own
			// address makes the kernel count it promiscuous.
			"v0": {Kind: "veth", Up: true, MTU: 1450, Parent: v1.Index, Data: &client.Veth{}, Promiscuity: 1},
			// A bridge port is promiscuous through the counter alone.
			"v1":  {Kind: "veth", Up: true, MTU: 1500, Parent: v0.Index, Master: br0.Index, SlaveKind: "bridge", Data: &client.Veth{}, Promiscuity: 1},
			"br0": {Kind: "bridge", Up: true, MTU: 1500, Data: &client.Bridge{STP: true, AgeingTime: 12000, ForwardDelay: 1500, HelloTime: 200, MaxAge: 2000, Priority: 32768}},
			// Upper links took v0's MTU (1400) when they were made; vxlan
			// keeps 50 bytes for its headers.
			"vx0": {Kind: "vxlan", MTU: 1350, Data: &client.VXLAN{
				VNI: 42, Port: 4789, Local: netip.MustParseAddr("10.1.0.1"), Remote: netip.MustParseAddr("10.1.0.2"), DeviceIndex: v0.Index,
			}},
			"vx1": {Kind: "vxlan", MTU: 1350, Data: &client.VXLAN{VNI: 43, Port: 8472, Group: netip.MustParseAddr("239.1.1.1"), DeviceIndex: v0.Index, TTL: 5}},
			"mv0": {Kind: "macvlan", Up: true, MTU: 1400, Parent: v0.Index, Data: &client.Macvlan{Mode: client.MacvlanBridge}, MAC: "02:00:00:00:00:01"},
		}
		if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
			t.Errorf("links (-want +got):\n%s", diff)
		}
		if vx0.Up() || vx1.Up() || mv0.HardwareAddr == nil {
			t.Errorf("vx0 up=%v vx1 up=%v", vx0.Up(), vx1.Up())
		}
	})

	t.Run("same as ip -d link show", func(t *testing.T) {
		ours, theirs := snapshot(t, func() []linkView {
			ls, err := h.rc.ListLinks(testContext(t))
			if err != nil {
				t.Fatalf("ListLinks: %v", err)
			}
			return ourLinkViews(ls)
		}, func() []linkView {
			var ipLinks []ipLink
			h.ipJSON(t, &ipLinks, "-d", "link", "show")
			return ipLinkViews(t, ipLinks)
		})
		if len(ours) != 7 {
			t.Errorf("got %d links, want lo and the 6 we made", len(ours))
		}
		if diff := cmp.Diff(theirs, ours); diff != "" {
			t.Errorf("links differ from ip -j -d link show (-ip +ours):\n%s", diff)
		}
	})

	t.Run("get by name and index agree with the dump", func(t *testing.T) {
		for _, want := range links {
			byIndex, err := h.rc.LinkByIndex(testContext(t), want.Index)
			if err != nil {
				t.Fatalf("LinkByIndex(%d): %v", want.Index, err)
			}
			if byIndex.Name != want.Name || byIndex.Kind != want.Kind || byIndex.MTU != want.MTU {
				t.Errorf("LinkByIndex(%d) = %s/%s/%d, want %s/%s/%d", want.Index, byIndex.Name, byIndex.Kind, byIndex.MTU, want.Name, want.Kind, want.MTU)
			}
		}
	})

	t.Run("errors", func(t *testing.T) {
		ctx := testContext(t)
		err := h.rc.AddLink(ctx, client.Link{Name: "v0", Data: &client.Veth{PeerName: "v9"}})
		if !errors.Is(err, unix.EEXIST) || !strings.HasPrefix(err.Error(), "add link v0: ") {
			t.Errorf("adding v0 again: got %v, want \"add link v0: ...\" matching EEXIST", err)
		}
		if _, err := h.rc.LinkByName(ctx, "nosuch0"); !errors.Is(err, unix.ENODEV) {
			t.Errorf("LinkByName(nosuch0): got %v, want ENODEV", err)
		}
		if err := h.rc.AddLink(ctx, client.Link{Name: "x0"}); err == nil || !strings.Contains(err.Error(), "needs a kind") {
			t.Errorf("AddLink without a kind: got %v", err)
		}
	})

	t.Run("delete", func(t *testing.T) {
		ctx := testContext(t)
		if err := h.rc.DeleteLinkByName(ctx, "vx1"); err != nil {
			t.Fatalf("DeleteLinkByName(vx1): %v", err)
		}
		if err := h.rc.DeleteLink(ctx, v0.Index); err != nil {
			t.Fatalf("DeleteLink(v0): %v", err)
		}
		// The peer goes with v0, and the macvlan with its lower device.
		for _, l := range []client.Link{v0, v1, mv0, vx1} {
			if _, err := h.rc.LinkByIndex(ctx, l.Index); !errors.Is(err, unix.ENODEV) {
				t.Errorf("%s after delete: got %v, want ENODEV", l.Name, err)
			}
		}
		if err := h.rc.DeleteLink(ctx, v0.Index); !errors.Is(err, unix.ENODEV) {
			t.Errorf("deleting v0 twice: got %v, want ENODEV", err)
		}
	})
}

// TestExtendedAckHost sends an MTU the veth cannot take: the kernel's own
// words must come back in the error, as ip prints them for the same request.
func TestExtendedAckHost(t *testing.T) {
	h := newHostNS(t)
	ctx := testContext(t)
	if err := h.rc.AddLink(ctx, client.Link{Name: "v0", Data: &client.Veth{PeerName: "v1"}}); err != nil {
		t.Fatalf("add veth: %v", err)
	}
	v0 := h.mustLink(t, "v0")
	if v0.MaxMTU == 0 {
		t.Fatalf("v0 reports no maximum MTU")
	}
	bad := v0.MaxMTU + 1

	err := h.rc.SetLinkMTU(ctx, v0.Index, bad)
	if !errors.Is(err, unix.EINVAL) {
		t.Fatalf("SetLinkMTU(%d): got %v, want EINVAL", bad, err)
	}
	var nerr *client.Error
	if !errors.As(err, &nerr) {
		t.Fatalf("SetLinkMTU(%d): %T is not a *client.Error", bad, err)
	}

	_, stderr, ipErr := h.command(t, "ip", "link", "set", "v0", "mtu", itoa(bad))
	if ipErr == nil {
		t.Fatalf("ip accepted mtu %d", bad)
	}
	ipMsg := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(string(stderr)), "Error: "), ".")
	if ipMsg == "" || nerr.Ack.Message != ipMsg {
		t.Errorf("extended-ACK message %q, ip says %q", nerr.Ack.Message, ipMsg)
	}
	wantText := "set link " + itoa(uint32(v0.Index)) + " mtu " + itoa(bad) + ": invalid argument: " + ipMsg
	if err.Error() != wantText {
		t.Errorf("error text\n got %q\nwant %q", err.Error(), wantText)
	}
	if got := h.mustLink(t, "v0").MTU; got != v0.MTU {
		t.Errorf("MTU after the refused change = %d, want %d", got, v0.MTU)
	}
}

func itoa(n uint32) string { return strconv.FormatUint(uint64(n), 10) }

// linkView holds what ip -j -d link show and Link both report.
type linkView struct {
	Index       int
	Name        string
	Flags       []string
	MTU         uint32
	MinMTU      uint32
	MaxMTU      uint32
	TxQueueLen  uint32
	OperState   string
	Address     string
	Master      string
	Parent      string
	Promiscuity uint32
	Kind        string
	SlaveKind   string
	Data        any
}

// ipLink is one link of ip -j -d link show.
type ipLink struct {
	IfIndex     int      `json:"ifindex"`
	IfName      string   `json:"ifname"`
	Flags       []string `json:"flags"`
	MTU         uint32   `json:"mtu"`
	MinMTU      uint32   `json:"min_mtu"`
	MaxMTU      uint32   `json:"max_mtu"`
	TxQLen      uint32   `json:"txqlen"`
	OperState   string   `json:"operstate"`
	Address     string   `json:"address"`
	Master      string   `json:"master"`
	Link        string   `json:"link"`
	Promiscuity uint32   `json:"promiscuity"`
	LinkInfo    struct {
		Kind      string          `json:"info_kind"`
		SlaveKind string          `json:"info_slave_kind"`
		Data      json.RawMessage `json:"info_data"`
	} `json:"linkinfo"`
}

type vxlanView struct {
	ID    uint32 `json:"id"`
	Port  uint16 `json:"port"`
	Local string `json:"local"`
	// Remote and Group: ip prints one or the other.
	Remote string `json:"remote"`
	Group  string `json:"group"`
	Link   string `json:"link"`
	TTL    uint8  `json:"ttl"`
}

type bridgeView struct {
	STPState     uint32 `json:"stp_state"`
	AgeingTime   uint32 `json:"ageing_time"`
	ForwardDelay uint32 `json:"forward_delay"`
	HelloTime    uint32 `json:"hello_time"`
	MaxAge       uint32 `json:"max_age"`
	Priority     uint16 `json:"priority"`
}

type macvlanView struct {
	Mode string `json:"mode"`
}

func ipLinkViews(t *testing.T, links []ipLink) []linkView {
	t.Helper()
	var out []linkView
	for _, l := range links {
		v := linkView{
			Index: l.IfIndex, Name: l.IfName, Flags: l.Flags, MTU: l.MTU, MinMTU: l.MinMTU, MaxMTU: l.MaxMTU,
			TxQueueLen: l.TxQLen, OperState: l.OperState, Address: l.Address, Master: l.Master, Parent: l.Link,
			Promiscuity: l.Promiscuity, Kind: l.LinkInfo.Kind, SlaveKind: l.LinkInfo.SlaveKind,
		}
		var data any
		switch l.LinkInfo.Kind {
		case "vxlan":
			data = &vxlanView{}
		case "bridge":
			data = &bridgeView{}
		case "macvlan":
			data = &macvlanView{}
		}
		if data != nil {
			if err := json.Unmarshal(l.LinkInfo.Data, data); err != nil {
				t.Fatalf("ip link %s info_data %s: %v", l.IfName, l.LinkInfo.Data, err)
			}
			v.Data = data
		}
		out = append(out, v)
	}
	return out
}

func ourLinkViews(links []client.Link) []linkView {
	names := map[int]string{}
	for _, l := range links {
		names[l.Index] = l.Name
	}
	addr := func(a netip.Addr) string {
		if !a.IsValid() {
			return ""
		}
		return a.String()
	}
	var out []linkView
	for _, l := range links {
		v := linkView{
			Index: l.Index, Name: l.Name, Flags: ipFlags(l.Flags), MTU: l.MTU, MinMTU: l.MinMTU, MaxMTU: l.MaxMTU,
			TxQueueLen: l.TxQueueLen, OperState: l.OperState.String(), Address: l.HardwareAddr.String(),
			Master: names[l.MasterIndex], Parent: names[l.ParentIndex], Promiscuity: l.Promiscuity,
			Kind: l.Kind, SlaveKind: l.SlaveKind,
		}
		switch d := l.Data.(type) {
		case *client.VXLAN:
			v.Data = &vxlanView{ID: d.VNI, Port: d.Port, Local: addr(d.Local), Remote: addr(d.Remote), Group: addr(d.Group), Link: names[d.DeviceIndex], TTL: d.TTL}
		case *client.Bridge:
			stp := uint32(0)
			if d.STP {
				stp = 1
			}
			v.Data = &bridgeView{STPState: stp, AgeingTime: d.AgeingTime, ForwardDelay: d.ForwardDelay, HelloTime: d.HelloTime, MaxAge: d.MaxAge, Priority: d.Priority}
		case *client.Macvlan:
			v.Data = &macvlanView{Mode: d.Mode.String()}
		}
		out = append(out, v)
	}
	return out
}
