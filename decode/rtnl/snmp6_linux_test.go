package rtnl_test

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"strconv"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/decode"
	"golang.org/x/sys/unix"
)

// procMIB maps the names /proc/net/dev_snmp6 uses to the kernel's enum
// names, as net/ipv6/proc.c pairs them.
var procMIB = map[string]string{
	"Ip6InReceives": "IPSTATS_MIB_INPKTS", "Ip6InHdrErrors": "IPSTATS_MIB_INHDRERRORS",
	"Ip6InTooBigErrors": "IPSTATS_MIB_INTOOBIGERRORS", "Ip6InNoRoutes": "IPSTATS_MIB_INNOROUTES",
	"Ip6InAddrErrors": "IPSTATS_MIB_INADDRERRORS", "Ip6InUnknownProtos": "IPSTATS_MIB_INUNKNOWNPROTOS",
	"Ip6InTruncatedPkts": "IPSTATS_MIB_INTRUNCATEDPKTS", "Ip6InDiscards": "IPSTATS_MIB_INDISCARDS",
	"Ip6InDelivers": "IPSTATS_MIB_INDELIVERS", "Ip6OutForwDatagrams": "IPSTATS_MIB_OUTFORWDATAGRAMS",
	"Ip6OutRequests": "IPSTATS_MIB_OUTREQUESTS", "Ip6OutDiscards": "IPSTATS_MIB_OUTDISCARDS",
	"Ip6OutNoRoutes": "IPSTATS_MIB_OUTNOROUTES", "Ip6ReasmTimeout": "IPSTATS_MIB_REASMTIMEOUT",
	"Ip6ReasmReqds": "IPSTATS_MIB_REASMREQDS", "Ip6ReasmOKs": "IPSTATS_MIB_REASMOKS",
	"Ip6ReasmFails": "IPSTATS_MIB_REASMFAILS", "Ip6FragOKs": "IPSTATS_MIB_FRAGOKS",
	"Ip6FragFails": "IPSTATS_MIB_FRAGFAILS", "Ip6FragCreates": "IPSTATS_MIB_FRAGCREATES",
	"Ip6InMcastPkts": "IPSTATS_MIB_INMCASTPKTS", "Ip6OutMcastPkts": "IPSTATS_MIB_OUTMCASTPKTS",
	"Ip6InOctets": "IPSTATS_MIB_INOCTETS", "Ip6OutOctets": "IPSTATS_MIB_OUTOCTETS",
	"Ip6InMcastOctets": "IPSTATS_MIB_INMCASTOCTETS", "Ip6OutMcastOctets": "IPSTATS_MIB_OUTMCASTOCTETS",
	"Ip6InBcastOctets": "IPSTATS_MIB_INBCASTOCTETS", "Ip6OutBcastOctets": "IPSTATS_MIB_OUTBCASTOCTETS",
	"Ip6InNoECTPkts": "IPSTATS_MIB_NOECTPKTS", "Ip6InECT1Pkts": "IPSTATS_MIB_ECT1PKTS",
	"Ip6InECT0Pkts": "IPSTATS_MIB_ECT0PKTS", "Ip6InCEPkts": "IPSTATS_MIB_CEPKTS",
	"Ip6OutTransmits": "IPSTATS_MIB_OUTPKTS", "Ip6ReasmOverlaps": "IPSTATS_MIB_REASM_OVERLAPS",
	"Icmp6InMsgs": "ICMP6_MIB_INMSGS", "Icmp6InErrors": "ICMP6_MIB_INERRORS",
	"Icmp6OutMsgs": "ICMP6_MIB_OUTMSGS", "Icmp6OutErrors": "ICMP6_MIB_OUTERRORS",
	"Icmp6InCsumErrors": "ICMP6_MIB_CSUMERRORS", "Icmp6OutRateLimitHost": "ICMP6_MIB_RATELIMITHOST",
}

func readSnmp6(t *testing.T, n *netns, dev string) map[string]uint64 {
	t.Helper()
	out := map[string]uint64{}
	sc := bufio.NewScanner(bytes.NewReader(n.output(t, "cat", "/proc/net/dev_snmp6/"+dev)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 {
			continue
		}
		if v, err := strconv.ParseUint(f[1], 10, 64); err == nil {
			out[f[0]] = v
		}
	}
	return out
}

// TestInet6StatsMatchProc checks the IPSTATS_MIB and ICMP6_MIB names of
// IFLA_INET6_STATS and IFLA_INET6_ICMP6STATS against the kernel's own
// table in /proc/net/dev_snmp6, which names each counter: Linux reorders
// these arrays (6.3, 6.15), and a table that follows an old order shows
// OutRequests as InTooBigErrors.
func TestInet6StatsMatchProc(t *testing.T) {
	n := newNetNS(t)
	n.ip(t, "link", "set", "lo", "up")
	// Traffic on lo with distinct packet and octet counts.
	rx := n.socketIn(t, unix.AF_INET6, unix.SOCK_DGRAM, 0)
	defer unix.Close(rx)
	if err := unix.Bind(rx, &unix.SockaddrInet6{Addr: [16]byte{15: 1}, Port: 40404}); err != nil {
		t.Fatal(err)
	}
	tx := n.socketIn(t, unix.AF_INET6, unix.SOCK_DGRAM, 0)
	defer unix.Close(tx)
	for i := range 7 {
		if err := unix.Sendto(tx, make([]byte, 100+37*i), 0, &unix.SockaddrInet6{Addr: [16]byte{15: 1}, Port: 40404}); err != nil {
			t.Fatal(err)
		}
	}
	// And to a closed port, for ICMPv6 errors.
	unix.Sendto(tx, make([]byte, 10), 0, &unix.SockaddrInet6{Addr: [16]byte{15: 1}, Port: 40405})

	before := readSnmp6(t, n, "lo")
	s := n.openSession(t, false)
	msg := make([]byte, unix.SizeofIfInfomsg)
	binary.NativeEndian.PutUint32(msg[4:], 1) // lo
	s.request(t, unix.RTM_GETLINK, 0, msg)
	after := readSnmp6(t, n, "lo")
	if before["Ip6OutRequests"] < 7 || before["Ip6InOctets"] == before["Ip6InReceives"] {
		t.Fatalf("no IPv6 traffic on lo to compare: %v", before)
	}

	var m decodedMsg
	for _, dm := range decodeSession(s, unix.RTM_NEWLINK) {
		m = dm
	}
	if m.tree == nil {
		t.Fatal("no RTM_NEWLINK reply")
	}
	got := map[string]uint64{}
	for _, set := range []string{"IFLA_AF_SPEC/AF_INET6/IFLA_INET6_STATS", "IFLA_AF_SPEC/AF_INET6/IFLA_INET6_ICMP6STATS"} {
		parent := m.field(set)
		if parent == nil {
			t.Fatalf("reply has no %s", set)
		}
		fields := m.tree.MessageFields(m.idx)
		for i := range fields {
			f := &fields[i]
			if f.Depth == parent.Depth+1 && f.Off >= parent.Off && f.Off < parent.Off+parent.Len && f.Kind == decode.KindUint {
				got[f.Name] = f.Num
			}
		}
	}
	checked := 0
	for procName, lo := range before {
		mib, ok := procMIB[procName]
		if !ok {
			// Icmp6In<Type> and Icmp6OutType<N> are per-type counters
			// that netlink does not carry.
			if strings.HasPrefix(procName, "Ip6") {
				t.Errorf("/proc/net/dev_snmp6 has %s, which the test does not know", procName)
			}
			continue
		}
		v, ok := got[mib]
		if !ok {
			t.Errorf("%s (%s) is not in the decoded reply", mib, procName)
			continue
		}
		if hi := after[procName]; v < lo || v > hi {
			t.Errorf("%s = %d, but /proc/net/dev_snmp6 says %s is %d..%d", mib, v, procName, lo, hi)
		}
		checked++
	}
	if checked < 30 {
		t.Errorf("compared only %d counters", checked)
	}
}
