package client_test

import (
	"slices"
	"testing"

	"github.com/nltrace/nltrace/client"
	"golang.org/x/sys/unix"
)

// TestPromiscuityHost does what tcpdump does: a packet socket joins
// PACKET_MR_PROMISC on a link. The kernel then counts the link promiscuous
// while IFF_PROMISC stays clear in the flags it reports; Link must follow
// the counter, as ip -d link show does.
func TestPromiscuityHost(t *testing.T) {
	h := newHostNS(t)
	ctx := testContext(t)
	if err := h.rc.AddLink(ctx, client.Link{Name: "v0", Flags: client.LinkFlagUp, Data: &client.Veth{PeerName: "v1"}}); err != nil {
		t.Fatalf("add veth: %v", err)
	}
	v0 := h.mustLink(t, "v0")

	type state struct {
		Count       uint32
		FlagPromisc bool
		Promiscuous bool
	}
	check := func(t *testing.T, want state) {
		t.Helper()
		l := h.mustLink(t, "v0")
		got := state{Count: l.Promiscuity, FlagPromisc: l.Flags&unix.IFF_PROMISC != 0, Promiscuous: l.Promiscuous()}
		if got != want {
			t.Errorf("Link: %+v, want %+v", got, want)
		}
		var ipLinks []ipLink
		h.ipJSON(t, &ipLinks, "-d", "link", "show", "dev", "v0")
		if len(ipLinks) != 1 {
			t.Fatalf("ip link show dev v0 listed %d links", len(ipLinks))
		}
		ipGot := state{Count: ipLinks[0].Promiscuity, FlagPromisc: slices.Contains(ipLinks[0].Flags, "PROMISC"), Promiscuous: got.Promiscuous}
		if ipGot != got {
			t.Errorf("ip -d link show says %+v, Link says %+v", ipGot, got)
		}
	}

	check(t, state{})

	var sock int
	err := h.ns.Do(func() error {
		var err error
		sock, err = unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, int(htons(unix.ETH_P_ALL)))
		return err
	})
	if err != nil {
		t.Fatalf("packet socket: %v", err)
	}
	closed := false
	closeSock := func() {
		if !closed {
			closed = true
			unix.Close(sock)
		}
	}
	t.Cleanup(closeSock)
	mreq := &unix.PacketMreq{Ifindex: int32(v0.Index), Type: unix.PACKET_MR_PROMISC}
	if err := unix.SetsockoptPacketMreq(sock, unix.SOL_PACKET, unix.PACKET_ADD_MEMBERSHIP, mreq); err != nil {
		t.Fatalf("PACKET_ADD_MEMBERSHIP: %v", err)
	}
	t.Run("packet socket", func(t *testing.T) { check(t, state{Count: 1, Promiscuous: true}) })

	// ip link set promisc on both counts and sets the flag.
	if _, stderr, err := h.command(t, "ip", "link", "set", "v0", "promisc", "on"); err != nil {
		t.Fatalf("ip link set promisc on: %v: %s", err, stderr)
	}
	t.Run("packet socket and promisc on", func(t *testing.T) { check(t, state{Count: 2, FlagPromisc: true, Promiscuous: true}) })

	if _, stderr, err := h.command(t, "ip", "link", "set", "v0", "promisc", "off"); err != nil {
		t.Fatalf("ip link set promisc off: %v: %s", err, stderr)
	}
	// Closing the socket drops its membership before close returns.
	closeSock()
	t.Run("all released", func(t *testing.T) { check(t, state{}) })
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }
