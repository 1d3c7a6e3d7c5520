package rtnl_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/rtnl"
	"github.com/nltrace/nltrace/internal/testenv"
	"golang.org/x/sys/unix"
)

// These tests run only inside the test VM (internal/vmtest), whose stock
// kernel has the qdiscs, classifiers, actions and link kinds this host's
// kernel lacks.

// sessionProblems decodes every record of a session and lists malformed
// and unnamed fields; count is how many messages of type typ came back.
func sessionProblems(s *session, typ uint16) (problemsFound []string, count int) {
	d := decode.NewDecoder(decode.NewRegistry(rtnl.Family()))
	for i, r := range s.records {
		rec := capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_ROUTE, Data: r.data, OrigLen: len(r.data)}
		if r.toKernel {
			rec.Direction = capture.ToKernel
		}
		var tree decode.Tree
		d.Decode(&tree, &rec)
		for _, p := range problems(&tree) {
			problemsFound = append(problemsFound, fmt.Sprintf("record %d: %s", i, p))
		}
		for j := range tree.Messages {
			if tree.Messages[j].Header.Type == typ {
				count++
			}
		}
	}
	return problemsFound, count
}

// mustTC runs tc in the namespace and fails the test if it fails: the VM's
// kernel has every kind these tests create.
func (n *netns) mustTC(t *testing.T, args ...string) {
	t.Helper()
	if !n.tc(t, args...) {
		t.Errorf("tc %s failed", strings.Join(args, " "))
	}
}

func TestVMTCKinds(t *testing.T) {
	testenv.RequireVM(t)
	n := newNetNS(t)
	n.ip(t, "link", "add", "t0", "type", "veth", "peer", "name", "t1")
	n.ip(t, "link", "add", "t2", "type", "veth", "peer", "name", "t3")
	// mq needs a multiqueue device.
	n.ip(t, "link", "add", "t4", "numtxqueues", "4", "numrxqueues", "4", "type", "veth", "peer", "name", "t5")
	for _, l := range []string{"lo", "t0", "t1", "t2", "t3", "t4"} {
		n.ip(t, "link", "set", l, "up")
	}
	t0, t1 := n.ifindex(t, "t0"), n.ifindex(t, "t1")

	qdiscs := [][]string{
		{"htb", "default", "10"},
		{"tbf", "rate", "1mbit", "burst", "32k", "latency", "50ms"},
		{"fq_codel", "limit", "1000", "target", "5ms", "ecn"},
		{"codel", "limit", "500", "target", "4ms"},
		{"fq", "limit", "1000", "flow_limit", "50", "maxrate", "10mbit"},
		{"prio", "bands", "4"},
		{"netem", "delay", "10ms", "2ms", "25%", "loss", "1%", "duplicate", "1%", "corrupt", "0.1%", "reorder", "5%", "rate", "5mbit"},
		{"sfq", "perturb", "10", "quantum", "1514"},
		{"red", "limit", "400000", "min", "30000", "max", "90000", "avpkt", "1000", "burst", "55", "bandwidth", "10mbit", "ecn"},
		{"cake", "bandwidth", "100mbit", "besteffort"},
		{"pfifo", "limit", "100"},
		{"bfifo", "limit", "10000"},
		{"mq"},
	}
	for _, q := range qdiscs {
		t.Run("qdisc_"+q[0], func(t *testing.T) {
			dev := "t2"
			if q[0] == "mq" {
				dev = "t4"
			}
			n.mustTC(t, append([]string{"qdisc", "add", "dev", dev, "root", "handle", "1:"}, q...)...)
			defer n.tc(t, "qdisc", "del", "dev", dev, "root")
			s := n.openSession(t, false)
			s.dump(t, unix.RTM_GETQDISC, qdiscDumpRequest())
			s.dump(t, unix.RTM_GETTCLASS, tcmsgBytes(n.ifindex(t, dev), 0))
			p, count := sessionProblems(s, unix.RTM_NEWQDISC)
			if len(p) > 0 {
				t.Errorf("%s:\n%s", q[0], strings.Join(p, "\n"))
			}
			if count == 0 {
				t.Errorf("%s: no RTM_NEWQDISC in the dump", q[0])
			}
		})
	}

	t.Run("classes_and_filters", func(t *testing.T) {
		steps := [][]string{
			{"qdisc", "add", "dev", "t0", "root", "handle", "1:", "htb", "default", "10"},
			{"class", "add", "dev", "t0", "parent", "1:", "classid", "1:10", "htb", "rate", "1mbit", "ceil", "2mbit"},
			{"qdisc", "add", "dev", "t0", "parent", "1:10", "handle", "10:", "fq_codel"},
			{"filter", "add", "dev", "t0", "parent", "1:", "protocol", "ip", "prio", "1", "u32", "match", "ip", "dst", "10.0.0.1/32", "flowid", "1:10", "police", "rate", "1mbit", "burst", "10k", "drop"},
			{"filter", "add", "dev", "t0", "parent", "1:", "protocol", "ip", "prio", "2", "flower", "dst_mac", "02:00:00:00:00:01", "src_ip", "10.0.0.0/8", "dst_ip", "10.0.0.2", "ip_proto", "tcp", "dst_port", "80", "src_port", "1000-2000", "ip_tos", "0x10/0xff", "tcp_flags", "0x2/0x12", "classid", "1:10"},
			{"filter", "add", "dev", "t0", "parent", "1:", "protocol", "802.1Q", "prio", "3", "flower", "vlan_id", "5", "vlan_prio", "2", "vlan_ethtype", "ipv6", "dst_ip", "fd00::1", "ip_proto", "udp", "dst_port", "4789", "classid", "1:10"},
			{"filter", "add", "dev", "t0", "parent", "1:", "protocol", "arp", "prio", "4", "flower", "arp_op", "request", "arp_sip", "10.0.0.1", "classid", "1:10"},
			{"filter", "add", "dev", "t0", "parent", "1:", "protocol", "ip", "prio", "5", "bpf", "bytecode", "1,6 0 0 0", "classid", "1:10"},
			{"filter", "add", "dev", "t0", "parent", "1:", "protocol", "ip", "prio", "6", "matchall", "classid", "1:10", "action", "gact", "pass", "random", "determ", "drop", "10"},
			{"filter", "add", "dev", "t0", "parent", "1:", "protocol", "ip", "prio", "7", "basic", "match", "cmp(u8 at 9 layer network eq 6)", "classid", "1:10"},
			{"filter", "add", "dev", "t0", "parent", "1:", "protocol", "ip", "prio", "8", "handle", "5", "fw", "classid", "1:10"},
			{"filter", "add", "dev", "t0", "parent", "1:", "protocol", "ip", "prio", "9", "route", "to", "5", "classid", "1:10"},
			{"chain", "add", "dev", "t0", "parent", "1:", "chain", "7"},
			{"qdisc", "add", "dev", "t1", "clsact"},
			{"filter", "add", "dev", "t1", "ingress", "protocol", "all", "prio", "1", "matchall", "action", "mirred", "egress", "redirect", "dev", "t0"},
			{"filter", "add", "dev", "t1", "ingress", "protocol", "ip", "prio", "2", "matchall", "action", "csum", "ip", "tcp", "udp"},
			{"filter", "add", "dev", "t1", "ingress", "protocol", "all", "prio", "3", "matchall", "action", "vlan", "push", "id", "5", "priority", "3"},
			{"filter", "add", "dev", "t1", "ingress", "protocol", "all", "prio", "4", "matchall", "action", "skbedit", "mark", "5", "priority", "1:2", "ptype", "host"},
			{"filter", "add", "dev", "t1", "ingress", "protocol", "ip", "prio", "5", "matchall", "action", "pedit", "ex", "munge", "ip", "ttl", "set", "5", "munge", "eth", "dst", "set", "02:00:00:00:00:09"},
			{"filter", "add", "dev", "t1", "ingress", "protocol", "all", "prio", "6", "matchall", "action", "tunnel_key", "set", "src_ip", "10.0.0.1", "dst_ip", "10.0.0.2", "id", "42", "dst_port", "4789", "geneve_opts", "0102:80:00880022", "tos", "0x10", "ttl", "64"},
			{"filter", "add", "dev", "t1", "ingress", "protocol", "ip", "prio", "7", "matchall", "action", "ct", "commit", "zone", "5", "mark", "0x10/0xff", "nat", "src", "addr", "10.9.0.1-10.9.0.9", "port", "1000-2000"},
			{"filter", "add", "dev", "t1", "ingress", "protocol", "ip", "prio", "8", "matchall", "action", "nat", "ingress", "10.0.0.1", "10.0.0.2"},
			{"filter", "add", "dev", "t1", "ingress", "protocol", "ip", "prio", "9", "matchall", "action", "police", "rate", "1mbit", "burst", "10k", "conform-exceed", "drop/pipe"},
			{"filter", "add", "dev", "t1", "ingress", "protocol", "ip", "prio", "10", "matchall", "action", "bpf", "bytecode", "1,6 0 0 0"},
			{"filter", "add", "dev", "t1", "ingress", "protocol", "ip", "prio", "11", "flower", "enc_key_id", "42", "enc_dst_ip", "10.0.0.9", "enc_dst_port", "6081", "geneve_opts", "0102:80:00880022", "action", "tunnel_key", "unset"},
			{"filter", "add", "dev", "t1", "ingress", "protocol", "ip", "prio", "12", "flower", "ct_state", "+trk+est", "ct_zone", "5", "action", "ct", "clear"},
			{"actions", "add", "action", "gact", "drop", "index", "20"},
			{"actions", "add", "action", "skbedit", "queue_mapping", "1", "index", "21"},
		}
		for _, st := range steps {
			n.mustTC(t, st...)
		}
		s := n.openSession(t, false)
		s.dump(t, unix.RTM_GETQDISC, qdiscDumpRequest())
		s.dump(t, unix.RTM_GETTCLASS, tcmsgBytes(t0, 0))
		s.dump(t, unix.RTM_GETTFILTER, tcmsgBytes(t0, 0x10000))
		s.dump(t, unix.RTM_GETTFILTER, tcmsgBytes(t1, 0xfffffff2))
		s.dump(t, unix.RTM_GETCHAIN, tcmsgBytes(t0, 0x10000))
		for _, kind := range []string{"gact", "skbedit", "mirred", "csum", "vlan", "pedit", "tunnel_key", "ct", "nat", "police", "bpf"} {
			s.dump(t, unix.RTM_GETACTION, actionDumpRequest(kind))
		}
		p, count := sessionProblems(s, unix.RTM_NEWTFILTER)
		if len(p) > 0 {
			t.Errorf("problems:\n%s", strings.Join(p, "\n"))
		}
		if count < 20 {
			t.Errorf("only %d RTM_NEWTFILTER messages in the dumps", count)
		}
	})
}

// vmLinkKinds are the link kinds this host cannot create, with typical
// options, and the IFLA_INFO_DATA values (attribute path below
// IFLA_LINKINFO/IFLA_INFO_DATA → ip -j -d's info_data key) to compare.
func vmLinkKinds() []struct {
	name   string
	args   []string
	values map[string]string
} {
	return []struct {
		name   string
		args   []string
		values map[string]string
	}{
		{"vl0", []string{"link", "add", "link", "p0", "name", "vl0", "type", "vlan", "id", "10", "protocol", "802.1ad"}, map[string]string{"IFLA_VLAN_ID": "id"}},
		{"ipv0", []string{"link", "add", "ipv0", "link", "p0", "type", "ipvlan", "mode", "l3"}, nil},
		{"bond0", []string{"link", "add", "bond0", "type", "bond", "mode", "active-backup", "miimon", "100", "updelay", "200"}, map[string]string{"IFLA_BOND_MIIMON": "miimon", "IFLA_BOND_UPDELAY": "updelay"}},
		{"gre1", []string{"link", "add", "gre1", "type", "gre", "remote", "10.9.0.2", "local", "10.9.0.1", "ttl", "64", "key", "5"}, map[string]string{"IFLA_GRE_REMOTE": "remote", "IFLA_GRE_LOCAL": "local", "IFLA_GRE_TTL": "ttl"}},
		{"gt1", []string{"link", "add", "gt1", "type", "gretap", "remote", "10.9.0.4", "local", "10.9.0.3"}, map[string]string{"IFLA_GRE_REMOTE": "remote", "IFLA_GRE_LOCAL": "local"}},
		{"ip6g1", []string{"link", "add", "ip6g1", "type", "ip6gre", "remote", "fd09::2", "local", "fd09::1", "hoplimit", "32"}, map[string]string{"IFLA_GRE_REMOTE": "remote", "IFLA_GRE_LOCAL": "local", "IFLA_GRE_TTL": "ttl"}},
		{"ipip1", []string{"link", "add", "ipip1", "type", "ipip", "remote", "10.9.1.2", "local", "10.9.1.1", "ttl", "30"}, map[string]string{"IFLA_IPTUN_REMOTE": "remote", "IFLA_IPTUN_LOCAL": "local", "IFLA_IPTUN_TTL": "ttl"}},
		{"sit1", []string{"link", "add", "sit1", "type", "sit", "remote", "10.9.2.2", "local", "10.9.2.1"}, map[string]string{"IFLA_IPTUN_REMOTE": "remote", "IFLA_IPTUN_LOCAL": "local"}},
		{"ip6t1", []string{"link", "add", "ip6t1", "type", "ip6tnl", "mode", "ip6ip6", "remote", "fd09::12", "local", "fd09::11"}, map[string]string{"IFLA_IPTUN_REMOTE": "remote", "IFLA_IPTUN_LOCAL": "local"}},
		{"gnv0", []string{"link", "add", "gnv0", "type", "geneve", "id", "7", "remote", "10.9.3.2", "ttl", "20"}, map[string]string{"IFLA_GENEVE_ID": "id", "IFLA_GENEVE_REMOTE": "remote", "IFLA_GENEVE_TTL": "ttl"}},
		{"vrf0", []string{"link", "add", "vrf0", "type", "vrf", "table", "100"}, map[string]string{"IFLA_VRF_TABLE": "table"}},
		{"xfrm0", []string{"link", "add", "xfrm0", "type", "xfrm", "dev", "p0", "if_id", "5"}, map[string]string{"IFLA_XFRM_IF_ID": "if_id"}},
		{"nlmon0", []string{"link", "add", "nlmon0", "type", "nlmon"}, nil},
		{"d0", []string{"link", "add", "d0", "type", "dummy"}, nil},
		{"wg0", []string{"link", "add", "wg0", "type", "wireguard"}, nil},
	}
}

func TestVMLinkKinds(t *testing.T) {
	testenv.RequireVM(t)
	n := newNetNS(t)
	if !n.ip(t, "link", "add", "p0", "type", "veth", "peer", "name", "p1") {
		t.Fatal("cannot create the veth pair the stacked links need")
	}
	kinds := vmLinkKinds()
	for _, k := range kinds {
		if !n.ip(t, k.args...) {
			t.Errorf("ip %s failed", strings.Join(k.args, " "))
		}
	}
	// A bond slave, and a vrf port.
	n.ip(t, "link", "add", "p2", "type", "veth", "peer", "name", "p3")
	n.ip(t, "link", "set", "p2", "master", "bond0")
	n.ip(t, "link", "add", "p4", "type", "veth", "peer", "name", "p5")
	n.ip(t, "link", "set", "p4", "master", "vrf0")

	s := n.openSession(t, false)
	s.dump(t, unix.RTM_GETLINK, append(ifinfo(unix.AF_UNSPEC, 0), attrs(func(e *client.AttributeEncoder) {
		e.Uint32(unix.IFLA_EXT_MASK, 1 /* RTEXT_FILTER_VF */)
	})...))
	p, count := sessionProblems(s, unix.RTM_NEWLINK)
	if len(p) > 0 {
		t.Errorf("problems:\n%s", strings.Join(p, "\n"))
	}
	if count < len(kinds) {
		t.Errorf("only %d links in the dump", count)
	}

	var links []map[string]any
	ipJSON(t, n, &links, "link", "show")
	fromIP := map[string]map[string]any{}
	for _, l := range links {
		name, _ := l["ifname"].(string)
		fromIP[name] = l
	}
	decoded := map[string]decodedMsg{}
	for _, m := range decodeSession(s, unix.RTM_NEWLINK) {
		decoded[unquote(m.text("IFLA_IFNAME"))] = m
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			m, ok := decoded[k.name]
			l := fromIP[k.name]
			if !ok || l == nil {
				t.Fatalf("%s: decoded %v, in ip -j %v", k.name, ok, l != nil)
			}
			info, _ := l["linkinfo"].(map[string]any)
			data, _ := info["info_data"].(map[string]any)
			want := map[string]string{"kind": jsonText(info["info_kind"])}
			got := map[string]string{"kind": unquote(m.text("IFLA_LINKINFO/IFLA_INFO_KIND"))}
			for attr, key := range k.values {
				want[key] = jsonText(data[key])
				got[key] = m.text("IFLA_LINKINFO/IFLA_INFO_DATA/" + attr)
			}
			for key, w := range want {
				if got[key] != w {
					t.Errorf("%s %s: decoded %q, ip -j -d says %q", k.name, key, got[key], w)
				}
			}
		})
	}
	t.Run("bond_slave", func(t *testing.T) {
		m := decoded["p2"]
		if m.tree == nil {
			t.Fatal("p2 not in the dump")
		}
		info, _ := fromIP["p2"]["linkinfo"].(map[string]any)
		sd, _ := info["info_slave_data"].(map[string]any)
		if got, want := unquote(m.text("IFLA_LINKINFO/IFLA_INFO_SLAVE_KIND")), jsonText(info["info_slave_kind"]); got != want {
			t.Errorf("slave kind: decoded %q, ip says %q", got, want)
		}
		if got, want := m.text("IFLA_LINKINFO/IFLA_INFO_SLAVE_DATA/IFLA_BOND_SLAVE_PERM_HWADDR"), jsonText(sd["perm_hwaddr"]); got != want {
			t.Errorf("perm_hwaddr: decoded %q, ip says %q", got, want)
		}
	})
}
