package rtnl_test

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/client"
	"golang.org/x/sys/unix"
)

// await records what the session receives until want returns true for a
// received message; a receive timeout bounds a kernel that never sends it.
func (s *session) await(t *testing.T, what string, want func(client.Message) bool) {
	t.Helper()
	tv := unix.Timeval{Sec: 10}
	if err := unix.SetsockoptTimeval(s.fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1<<16)
	for {
		n, _, err := unix.Recvfrom(s.fd, buf, 0)
		if err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		data := append([]byte(nil), buf[:n]...)
		s.records = append(s.records, record{data: data})
		for m, err := range client.Messages(data) {
			if err != nil {
				t.Fatalf("waiting for %s: %v", what, err)
			}
			if want(m) {
				return
			}
		}
	}
}

// linkRunning reports whether m says interface index is operationally
// up. The kernel sets that, starts the device's queues and only then
// announces it, so a packet sent after this message is not dropped by a
// queue that is not running yet.
func linkRunning(m client.Message, index int32) bool {
	if m.Header.Type != unix.RTM_NEWLINK || len(m.Data) < 16 || int32(binary.NativeEndian.Uint32(m.Data[4:])) != index {
		return false
	}
	var d client.AttributeDecoder
	d.Reset(m.Data[16:], 0)
	for d.Next() {
		if d.Type() == unix.IFLA_OPERSTATE {
			b := d.Bytes()
			return len(b) == 1 && b[0] == 6 /* IF_OPER_UP */
		}
	}
	return false
}

// routerAdvertisement is an ICMPv6 router advertisement (not a default
// router) carrying the options the kernel hands to user space: RDNSS,
// DNSSL, captive portal and PREF64. The kernel fills in the checksum.
func routerAdvertisement() []byte {
	ra := []byte{134, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	ra = append(ra, 25, 3, 0, 0, 0, 0, 0x0e, 0x10, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53)
	ra = append(ra, 31, 3, 0, 0, 0, 0, 0x07, 0x08)
	ra = append(ra, "\x07example\x03org\x00\x00\x00\x00"...)
	ra = append(ra, 37, 3)
	ra = append(ra, "https://p.ex\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"...)
	ra = append(ra, 38, 2, 0x07, 0x08, 0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0)
	return ra
}

// ndUserOptCase sends a router advertisement from one veth end to the other
// and records the RTM_NEWNDUSEROPT notifications it causes.
func ndUserOptCase(t *testing.T, n *netns) []record {
	s := n.openSession(t, false)
	s.join(t, unix.RTNLGRP_LINK, unix.RTNLGRP_ND_USEROPT)
	n.ip(t, "link", "add", "r0", "type", "veth", "peer", "name", "r1")
	r0, r1 := n.ifindex(t, "r0"), n.ifindex(t, "r1")
	n.ip(t, "addr", "add", "fe80::1/64", "dev", "r0", "nodad")
	n.ip(t, "link", "set", "r1", "up")
	n.ip(t, "link", "set", "r0", "up")
	up := map[int32]bool{}
	s.await(t, "r0 and r1 running", func(m client.Message) bool {
		for _, i := range []int32{r0, r1} {
			if linkRunning(m, i) {
				up[i] = true
			}
		}
		return up[r0] && up[r1]
	})
	// The link notifications only served to wait; the case is the RA.
	s.records = nil

	fd := n.socketIn(t, unix.AF_INET6, unix.SOCK_RAW, unix.IPPROTO_ICMPV6)
	if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_HOPS, 255); err != nil {
		t.Fatal(err)
	}
	// No copy to r0 itself: only r1 should take the advertisement in.
	if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_LOOP, 0); err != nil {
		t.Fatal(err)
	}
	if err := unix.Bind(fd, &unix.SockaddrInet6{Addr: [16]byte{0: 0xfe, 1: 0x80, 15: 1}, ZoneId: uint32(r0)}); err != nil {
		t.Fatal(err)
	}
	allNodes := &unix.SockaddrInet6{Addr: [16]byte{0: 0xff, 1: 0x02, 15: 1}, ZoneId: uint32(r0)}
	if err := unix.Sendto(fd, routerAdvertisement(), 0, allNodes); err != nil {
		t.Fatalf("send router advertisement: %v", err)
	}
	seen := 0
	s.await(t, "RTM_NEWNDUSEROPT for r1", func(m client.Message) bool {
		if m.Header.Type == rtmNewNdUserOpt && len(m.Data) >= 8 && int32(binary.NativeEndian.Uint32(m.Data[4:])) == r1 {
			seen++
		}
		return seen == 4
	})
	return s.records
}

// TestRecordNdUserOptKernelBytes rewrites testdata/kernel/nduseropt.bin.
// It runs only with -record, as root.
func TestRecordNdUserOptKernelBytes(t *testing.T) {
	if !*recordFlag {
		t.Skip("run with -record to rewrite testdata/kernel from this kernel")
	}
	n := newNetNS(t)
	rs := ndUserOptCase(t, n)
	if err := os.WriteFile(filepath.Join("testdata", "kernel", "nduseropt.bin"), encodeRecords(rs), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestNdUserOptFromKernel has the kernel turn a router advertisement into
// RTM_NEWNDUSEROPT notifications and checks the decoded options.
func TestNdUserOptFromKernel(t *testing.T) {
	n := newNetNS(t)
	s := &session{records: ndUserOptCase(t, n)}
	var got []string
	for _, m := range decodeSession(s, rtmNewNdUserOpt) {
		line := m.text("nduseroptmsg/icmp_type") + " src=" + m.text("NDUSEROPT_SRCADDR")
		for _, path := range []string{"ND_OPT_RDNSS/server", "ND_OPT_DNSSL/domain", "ND_OPT_CAPTIVE_PORTAL/uri", "ND_OPT_PREF64/prefix"} {
			if v := m.text(path); v != "" {
				line += " " + path + "=" + v
			}
		}
		got = append(got, line)
	}
	want := []string{
		"router_advertisement src=fe80::1 ND_OPT_RDNSS/server=2001:db8::53",
		"router_advertisement src=fe80::1 ND_OPT_DNSSL/domain=example.org",
		"router_advertisement src=fe80::1 ND_OPT_CAPTIVE_PORTAL/uri=https://p.ex",
		"router_advertisement src=fe80::1 ND_OPT_PREF64/prefix=0064ff9b0000000000000000",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RTM_NEWNDUSEROPT (-want +got):\n%s", diff)
	}
}
