package rtnl_test

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/nltrace/nltrace/client"
	"golang.org/x/sys/unix"
)

var recordFlag = flag.Bool("record", false, "record kernel bytes into testdata/kernel (needs root)")

// linkKinds lists the link kinds the scenario tries to create, with the ip
// arguments. Kinds this kernel lacks (nlmon, dummy here) are logged and
// left out.
func linkKinds() [][]string {
	return [][]string{
		{"link", "add", "br0", "type", "bridge", "stp_state", "0"},
		{"link", "add", "v0", "type", "veth", "peer", "name", "v1"},
		{"link", "add", "v2", "type", "veth", "peer", "name", "v3"},
		{"link", "add", "v4", "type", "veth", "peer", "name", "v5"},
		{"link", "set", "v0", "master", "br0"},
		{"link", "add", "link", "v1", "name", "v1.10", "type", "vlan", "id", "10"},
		{"link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "local", "10.0.0.1"},
		{"link", "add", "mv0", "link", "v1", "type", "macvlan", "mode", "bridge"},
		{"link", "add", "mvt0", "link", "v1", "type", "macvtap", "mode", "vepa"},
		{"link", "add", "ipv0", "link", "v1", "type", "ipvlan", "mode", "l3"},
		{"link", "add", "bond0", "type", "bond", "mode", "active-backup", "miimon", "100"},
		{"link", "set", "v2", "master", "bond0"},
		{"link", "add", "gre1", "type", "gre", "remote", "10.9.0.2", "local", "10.9.0.1", "ttl", "64"},
		{"link", "add", "gt1", "type", "gretap", "remote", "10.9.0.2", "local", "10.9.0.1"},
		{"link", "add", "ip6g1", "type", "ip6gre", "remote", "fd09::2", "local", "fd09::1"},
		{"link", "add", "ipip1", "type", "ipip", "remote", "10.9.1.2", "local", "10.9.1.1"},
		{"link", "add", "sit1", "type", "sit", "remote", "10.9.2.2", "local", "10.9.2.1"},
		{"link", "add", "ip6t1", "type", "ip6tnl", "remote", "fd09::12", "local", "fd09::11"},
		{"link", "add", "gnv0", "type", "geneve", "id", "7", "remote", "10.9.3.2"},
		{"link", "add", "vrf0", "type", "vrf", "table", "100"},
		{"link", "set", "v4", "master", "vrf0"},
		{"tuntap", "add", "tun0", "mode", "tun"},
		{"link", "add", "ifb0", "type", "ifb"},
		{"link", "add", "xfrm0", "type", "xfrm", "dev", "v1", "if_id", "5"},
		{"link", "add", "wg0", "type", "wireguard"},
		{"link", "add", "nlmon0", "type", "nlmon"},
		{"link", "add", "d0", "type", "dummy"},
	}
}

// objects builds links, addresses, routes, neighbours, rules and nexthops
// in the namespace.
func buildScenario(t *testing.T, n *netns) {
	t.Helper()
	for _, args := range linkKinds() {
		n.ip(t, args...)
	}
	for _, l := range []string{"lo", "br0", "v0", "v1", "v2", "v3", "v4", "v5", "vx0", "v1.10", "bond0", "vrf0"} {
		n.ip(t, "link", "set", l, "up")
	}
	n.ip(t, "link", "property", "add", "dev", "br0", "altname", "bridge-zero")
	steps := [][]string{
		{"addr", "add", "10.0.0.1/24", "dev", "br0"},
		{"addr", "add", "fd00::1/64", "dev", "br0", "nodad"},
		{"addr", "add", "10.0.1.1/24", "dev", "v1", "label", "v1:lab"},
		{"-6", "addr", "add", "fd01::1/64", "dev", "v1", "nodad", "valid_lft", "3600", "preferred_lft", "1800"},
		{"route", "add", "10.1.0.0/16", "via", "10.0.0.2", "proto", "static"},
		{"route", "add", "10.2.0.0/16", "nexthop", "via", "10.0.0.2", "weight", "1", "nexthop", "via", "10.0.1.2", "weight", "2"},
		{"route", "add", "10.3.0.0/16", "dev", "br0", "metric", "50", "mtu", "1400", "advmss", "1300", "congctl", "reno"},
		{"route", "add", "table", "100", "10.4.0.0/16", "dev", "br0"},
		{"route", "add", "blackhole", "10.8.0.0/16"},
		{"-6", "route", "add", "fd05::/64", "via", "fd00::2", "pref", "high", "expires", "300"},
		{"-6", "route", "add", "fd06::/64", "encap", "seg6", "mode", "encap", "segs", "fd00::5,fd00::6", "dev", "br0"},
		{"route", "add", "10.6.0.0/16", "encap", "ip", "id", "5", "dst", "10.0.0.9", "dev", "br0"},
		{"nexthop", "add", "id", "1", "via", "10.0.0.2", "dev", "br0"},
		{"nexthop", "add", "id", "2", "via", "10.0.1.2", "dev", "v1"},
		{"nexthop", "add", "id", "3", "blackhole"},
		{"nexthop", "add", "id", "10", "group", "1/2,3"},
		{"nexthop", "add", "id", "11", "group", "1/2", "type", "resilient", "buckets", "8", "idle_timer", "60"},
		{"route", "add", "10.9.0.0/16", "nhid", "10"},
		{"neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "br0", "nud", "permanent"},
		{"neigh", "add", "fd00::5", "lladdr", "02:00:00:00:00:06", "dev", "br0", "nud", "reachable"},
		{"rule", "add", "from", "10.0.0.0/24", "table", "100", "pref", "1000"},
		{"rule", "add", "uidrange", "1000-2000", "table", "100", "pref", "1001"},
		{"rule", "add", "ipproto", "tcp", "sport", "1000-2000", "dport", "80", "table", "100", "pref", "1002"},
		{"rule", "add", "fwmark", "0x10/0xff", "iif", "br0", "table", "main", "pref", "1003"},
		{"-6", "rule", "add", "from", "fd00::/64", "table", "100", "pref", "1004"},
		{"addrlabel", "add", "prefix", "fd07::/64", "label", "99"},
	}
	for _, s := range steps {
		n.ip(t, s...)
	}
	n.bridge(t, "mdb", "add", "dev", "br0", "port", "v0", "grp", "239.1.1.1", "permanent")
	n.peer(t)
}

// ifindex returns the index of link name in the namespace.
func (n *netns) ifindex(t *testing.T, name string) int32 {
	t.Helper()
	var links []struct {
		Index int32 `json:"ifindex"`
	}
	if err := json.Unmarshal(n.output(t, "ip", "-j", "link", "show", name), &links); err != nil || len(links) != 1 {
		t.Fatalf("ifindex of %s: %v", name, err)
	}
	return links[0].Index
}

func ifinfo(family uint8, index int32) []byte {
	return client.IfInfoMsg{Family: family, Index: index}.Append(nil)
}

func attrs(fn func(e *client.AttributeEncoder)) []byte {
	var e client.AttributeEncoder
	fn(&e)
	b, _ := e.Encode()
	return b
}

// kernelCases records every case: each runs requests on its own session
// and returns the session's records.
func kernelCases(t *testing.T, n *netns) map[string][]record {
	out := map[string][]record{}
	run := func(name string, capAck bool, fn func(s *session)) {
		s := n.openSession(t, capAck)
		fn(s)
		out[name] = s.records
	}
	run("links", false, func(s *session) {
		s.dump(t, unix.RTM_GETLINK, append(ifinfo(unix.AF_UNSPEC, 0), attrs(func(e *client.AttributeEncoder) {
			e.Uint32(unix.IFLA_EXT_MASK, 1 /* RTEXT_FILTER_VF */)
		})...))
	})
	run("bridge_links", false, func(s *session) {
		s.dump(t, unix.RTM_GETLINK, append(ifinfo(unix.AF_BRIDGE, 0), attrs(func(e *client.AttributeEncoder) {
			e.Uint32(unix.IFLA_EXT_MASK, 2 /* RTEXT_FILTER_BRVLAN */)
		})...))
	})
	run("addresses", false, func(s *session) {
		s.dump(t, unix.RTM_GETADDR, client.IfAddrMsg{}.Append(nil))
	})
	run("routes", false, func(s *session) {
		s.dump(t, unix.RTM_GETROUTE, client.RtMsg{Family: unix.AF_INET}.Append(nil))
		s.dump(t, unix.RTM_GETROUTE, client.RtMsg{Family: unix.AF_INET6}.Append(nil))
	})
	run("neighbours", false, func(s *session) {
		s.dump(t, unix.RTM_GETNEIGH, client.NdMsg{}.Append(nil))
	})
	run("neighbour_tables", false, func(s *session) {
		s.dump(t, unix.RTM_GETNEIGHTBL, []byte{unix.AF_INET, 0, 0, 0})
	})
	run("rules", false, func(s *session) {
		s.dump(t, unix.RTM_GETRULE, client.FibRuleHdr{Family: unix.AF_INET}.Append(nil))
		s.dump(t, unix.RTM_GETRULE, client.FibRuleHdr{Family: unix.AF_INET6}.Append(nil))
	})
	run("nexthops", false, func(s *session) {
		s.dump(t, unix.RTM_GETNEXTHOP, client.NhMsg{}.Append(nil))
	})
	run("netconf", false, func(s *session) {
		s.dump(t, unix.RTM_GETNETCONF, []byte{unix.AF_INET, 0, 0, 0})
	})
	run("address_labels", false, func(s *session) {
		s.dump(t, unix.RTM_GETADDRLABEL, make([]byte, 12))
	})
	run("stats", false, func(s *session) {
		b := make([]byte, 12)
		binary.NativeEndian.PutUint32(b[8:], 1<<(unix.IFLA_STATS_LINK_64-1))
		s.dump(t, unix.RTM_GETSTATS, b)
	})
	run("mdb", false, func(s *session) {
		s.dump(t, unix.RTM_GETMDB, []byte{unix.AF_BRIDGE, 0, 0, 0, 0, 0, 0, 0})
	})
	run("nsid", false, func(s *session) {
		s.dump(t, unix.RTM_GETNSID, []byte{0, 0, 0, 0})
	})
	v0 := n.ifindex(t, "v0")
	vxlanBad := append(ifinfo(unix.AF_UNSPEC, 0), attrs(func(e *client.AttributeEncoder) {
		e.String(unix.IFLA_IFNAME, "vxbad")
		e.Nested(unix.IFLA_LINKINFO, func(e *client.AttributeEncoder) {
			e.String(unix.IFLA_INFO_KIND, "vxlan")
			e.Nested(unix.IFLA_INFO_DATA, func(e *client.AttributeEncoder) {
				e.Uint32(unix.IFLA_VXLAN_ID, 1<<24)
			})
		})
	})...)
	newFlags := client.FlagAck | client.FlagCreate | client.FlagExcl
	run("errors", false, func(s *session) {
		s.request(t, unix.RTM_NEWADDR, newFlags, append(client.IfAddrMsg{Family: unix.AF_INET, PrefixLen: 8, Scope: unix.RT_SCOPE_HOST, Index: 1}.Append(nil),
			attrs(func(e *client.AttributeEncoder) {
				e.Bytes(unix.IFA_LOCAL, []byte{127, 0, 0, 5})
				e.Bytes(unix.IFA_ADDRESS, []byte{127, 0, 0, 5})
			})...))
		s.request(t, unix.RTM_NEWLINK, client.FlagAck, append(ifinfo(unix.AF_UNSPEC, v0), attrs(func(e *client.AttributeEncoder) {
			e.Uint32(unix.IFLA_MTU, 9)
		})...))
		s.request(t, unix.RTM_NEWLINK, newFlags, vxlanBad)
		s.request(t, unix.RTM_NEWLINK, newFlags, append(ifinfo(unix.AF_UNSPEC, 0), attrs(func(e *client.AttributeEncoder) {
			e.String(unix.IFLA_IFNAME, "br0")
			e.Nested(unix.IFLA_LINKINFO, func(e *client.AttributeEncoder) { e.String(unix.IFLA_INFO_KIND, "bridge") })
		})...))
	})
	run("notifications", false, func(s *session) {
		s.join(t, unix.RTNLGRP_LINK, unix.RTNLGRP_NEIGH, unix.RTNLGRP_IPV4_IFADDR, unix.RTNLGRP_IPV4_ROUTE,
			unix.RTNLGRP_IPV4_RULE, unix.RTNLGRP_IPV6_IFADDR, unix.RTNLGRP_IPV4_NETCONF, unix.RTNLGRP_MDB,
			unix.RTNLGRP_NSID, unix.RTNLGRP_NEXTHOP)
		n.ip(t, "link", "add", "n0", "type", "veth", "peer", "name", "n1")
		n.ip(t, "link", "set", "n0", "up")
		n.ip(t, "link", "set", "n1", "up")
		n.ip(t, "addr", "add", "10.20.0.1/24", "dev", "n0")
		n.ip(t, "route", "add", "10.21.0.0/16", "via", "10.20.0.2")
		n.ip(t, "neigh", "add", "10.20.0.7", "lladdr", "02:00:00:00:00:07", "dev", "n0")
		n.ip(t, "rule", "add", "from", "10.20.0.0/24", "table", "200", "pref", "2000")
		n.ip(t, "nexthop", "add", "id", "20", "via", "10.20.0.2", "dev", "n0")
		n.ip(t, "route", "del", "10.21.0.0/16")
		n.ip(t, "neigh", "del", "10.20.0.7", "dev", "n0")
		n.ip(t, "rule", "del", "pref", "2000")
		n.ip(t, "nexthop", "del", "id", "20")
		n.ip(t, "addr", "del", "10.20.0.1/24", "dev", "n0")
		n.bridge(t, "mdb", "del", "dev", "br0", "port", "v0", "grp", "239.1.1.1", "permanent")
		n.ip(t, "link", "del", "n0")
		// A request on the same socket: its reply comes after every
		// notification the commands above caused.
		s.request(t, unix.RTM_GETLINK, 0, ifinfo(unix.AF_UNSPEC, 1))
	})
	run("capped_errors", true, func(s *session) {
		s.request(t, unix.RTM_NEWLINK, newFlags, vxlanBad)
	})
	return out
}

// TestRecordKernelBytes rewrites testdata/kernel from this kernel. It runs
// only with -record, as root.
func TestRecordKernelBytes(t *testing.T) {
	if !*recordFlag {
		t.Skip("run with -record to rewrite testdata/kernel from this kernel")
	}
	n := newNetNS(t)
	buildScenario(t, n)
	cases := kernelCases(t, n)
	dir := filepath.Join("testdata", "kernel")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, rs := range cases {
		if err := os.WriteFile(filepath.Join(dir, name+".bin"), encodeRecords(rs), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
