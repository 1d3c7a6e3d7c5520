package rtnl_test

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/client"
	"golang.org/x/sys/unix"
)

// From linux/mroute.h.
const (
	mrtInit        = 200 // MRT_INIT
	mrtAddVif      = 202 // MRT_ADD_VIF
	viffUseIfindex = 0x8 // VIFF_USE_IFINDEX
)

// vifctl is struct vifctl for a VIF named by interface index.
func vifctl(vif uint16, ifindex int32) string {
	b := make([]byte, 16)
	binary.NativeEndian.PutUint16(b[0:], vif)
	b[2] = viffUseIfindex
	b[3] = 1 // TTL threshold
	binary.NativeEndian.PutUint32(b[8:], uint32(ifindex))
	return string(b)
}

// cacheReportCase makes this process the namespace's IPv4 multicast router
// (MRT_INIT, two VIFs), sends a multicast datagram into one VIF for which no
// (S,G) cache entry exists, and records the RTM_NEWCACHEREPORT that the
// kernel sends to RTNLGRP_IPV4_MROUTE_R.
func cacheReportCase(t *testing.T, n *netns) []record {
	s := n.openSession(t, false)
	s.join(t, unix.RTNLGRP_LINK, unix.RTNLGRP_IPV4_MROUTE_R)
	n.ip(t, "link", "add", "m0", "type", "veth", "peer", "name", "m1")
	n.ip(t, "link", "add", "m2", "type", "veth", "peer", "name", "m3")
	m0, m1, m2, m3 := n.ifindex(t, "m0"), n.ifindex(t, "m1"), n.ifindex(t, "m2"), n.ifindex(t, "m3")
	// The sender's address is local to this namespace too: m1 must accept
	// it as a source.
	if out, err := exec.Command("ip", "netns", "exec", n.name, "sysctl", "-qw", "net.ipv4.conf.m1.accept_local=1").CombinedOutput(); err != nil {
		t.Fatalf("sysctl accept_local: %v: %s", err, out)
	}
	n.ip(t, "addr", "add", "10.1.0.1/24", "dev", "m0")
	n.ip(t, "addr", "add", "10.1.0.2/24", "dev", "m1")
	n.ip(t, "addr", "add", "10.2.0.1/24", "dev", "m2")
	for _, l := range []string{"m0", "m1", "m2", "m3"} {
		n.ip(t, "link", "set", l, "up")
	}
	up := map[int32]bool{}
	s.await(t, "m0 to m3 running", func(m client.Message) bool {
		for _, i := range []int32{m0, m1, m2, m3} {
			if linkRunning(m, i) {
				up[i] = true
			}
		}
		return len(up) == 4
	})

	mr := n.socketIn(t, unix.AF_INET, unix.SOCK_RAW, unix.IPPROTO_IGMP)
	if err := unix.SetsockoptInt(mr, unix.IPPROTO_IP, mrtInit, 1); err != nil {
		t.Skipf("MRT_INIT: %v (no IPv4 multicast routing in this kernel)", err)
	}
	for vif, index := range []int32{m1, m2} {
		if err := unix.SetsockoptString(mr, unix.IPPROTO_IP, mrtAddVif, vifctl(uint16(vif), index)); err != nil {
			t.Fatalf("MRT_ADD_VIF %d: %v", vif, err)
		}
	}
	s.records = nil // the link notifications only served to wait

	tx := n.socketIn(t, unix.AF_INET, unix.SOCK_DGRAM, 0)
	if err := unix.SetsockoptIPMreqn(tx, unix.IPPROTO_IP, unix.IP_MULTICAST_IF, &unix.IPMreqn{Ifindex: m0}); err != nil {
		t.Fatal(err)
	}
	if err := unix.SetsockoptInt(tx, unix.IPPROTO_IP, unix.IP_MULTICAST_LOOP, 0); err != nil {
		t.Fatal(err)
	}
	if err := unix.Sendto(tx, []byte("nltrace"), 0, &unix.SockaddrInet4{Addr: [4]byte{239, 1, 1, 1}, Port: 5000}); err != nil {
		t.Fatalf("send multicast: %v", err)
	}
	s.await(t, "RTM_NEWCACHEREPORT", func(m client.Message) bool { return m.Header.Type == rtmNewCacheReport })
	return s.records
}

// TestRecordCacheReportKernelBytes rewrites testdata/kernel/cachereport.bin.
// It runs only with -record, as root.
func TestRecordCacheReportKernelBytes(t *testing.T) {
	if !*recordFlag {
		t.Skip("run with -record to rewrite testdata/kernel from this kernel")
	}
	n := newNetNS(t)
	rs := cacheReportCase(t, n)
	if err := os.WriteFile(filepath.Join("testdata", "kernel", "cachereport.bin"), encodeRecords(rs), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCacheReportFromKernel has the kernel report a multicast packet with
// no cache entry and checks the decoded report.
func TestCacheReportFromKernel(t *testing.T) {
	n := newNetNS(t)
	s := &session{records: cacheReportCase(t, n)}
	var got []string
	for _, m := range decodeSession(s, rtmNewCacheReport) {
		got = append(got, m.text("rtgenmsg/family")+" "+m.text("IPMRA_CREPORT_MSGTYPE")+" vif="+m.text("IPMRA_CREPORT_VIF_ID")+
			" "+m.text("IPMRA_CREPORT_SRC_ADDR")+"→"+m.text("IPMRA_CREPORT_DST_ADDR")+" table="+m.text("IPMRA_CREPORT_TABLE"))
	}
	want := []string{"ipmr IGMPMSG_NOCACHE vif=0 10.1.0.1→239.1.1.1 table=default"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RTM_NEWCACHEREPORT (-want +got):\n%s", diff)
	}
}
