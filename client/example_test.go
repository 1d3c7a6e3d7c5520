//go:build linux

package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/netip"

	"github.com/nltrace/nltrace/client"
	"golang.org/x/sys/unix"
)

// ExampleRouteConn builds a veth pair with an address and a route inside a
// new network namespace, so the host's network is never touched. It needs
// root.
func ExampleRouteConn() {
	ns, err := client.NewNetNS()
	if err != nil {
		log.Print(err)
		return
	}
	defer ns.Close()
	rc, err := client.DialRoute(&client.Config{NetNS: ns})
	if err != nil {
		log.Print(err)
		return
	}
	defer rc.Close()
	ctx := context.Background()

	err = rc.AddLink(ctx, client.Link{Name: "v0", Flags: client.LinkFlagUp, Data: &client.Veth{PeerName: "v1"}})
	if errors.Is(err, unix.EEXIST) {
		log.Print("v0 exists already")
	}
	if err != nil {
		log.Print(err)
		return
	}
	v0, err := rc.LinkByName(ctx, "v0")
	if err != nil {
		log.Print(err)
		return
	}
	if err := rc.AddAddress(ctx, client.Address{Index: v0.Index, Prefix: netip.MustParsePrefix("10.0.0.1/24")}); err != nil {
		log.Print(err)
		return
	}
	if err := rc.AddRoute(ctx, client.Route{Dst: netip.MustParsePrefix("10.9.0.0/16"), Gateway: netip.MustParseAddr("10.0.0.2")}); err != nil {
		log.Print(err)
		return
	}
	// A refusal carries the kernel's own explanation.
	if err := rc.SetLinkMTU(ctx, v0.Index, 1<<20); err != nil {
		fmt.Println(err) // set link 3 mtu 1048576: invalid argument: mtu greater than device maximum
	}
	links, _ := rc.ListLinks(ctx)
	for _, l := range links {
		fmt.Println(l.Name, l.Kind, l.OperState, l.Promiscuity)
	}
}

// ExampleGetFamily resolves a generic-netlink family, the first step of
// talking to it.
func ExampleGetFamily() {
	c, err := client.Dial(unix.NETLINK_GENERIC, nil)
	if err != nil {
		log.Print(err)
		return
	}
	defer c.Close()
	f, err := client.GetFamily(context.Background(), c, "ethtool")
	if err != nil {
		log.Print(err)
		return
	}
	fmt.Printf("ethtool is family %#x, version %d\n", f.ID, f.Version)
	if g, ok := f.Group("monitor"); ok {
		if err := c.JoinGroup(g.ID); err != nil {
			log.Print(err)
		}
	}
}

// ExampleParseLink decodes an RTM_NEWLINK as it arrives in a capture or a
// notification.
func ExampleParseLink() {
	var e client.AttributeEncoder
	e.String(unix.IFLA_IFNAME, "v0")
	e.Uint32(unix.IFLA_MTU, 1500)
	e.Uint32(unix.IFLA_PROMISCUITY, 1)
	attrs, _ := e.Encode()
	m := client.Message{
		Header: client.Header{Type: unix.RTM_NEWLINK},
		Data:   append(client.IfInfoMsg{Index: 3, Flags: unix.IFF_UP | unix.IFF_BROADCAST}.Append(nil), attrs...),
	}
	l, err := client.ParseLink(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.Index, l.Name, l.MTU, l.Up(), l.Promiscuous(), l.Flags&client.LinkFlagPromisc != 0)
	// Output: 3 v0 1500 true true false
}
