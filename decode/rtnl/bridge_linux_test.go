package rtnl_test

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/decode/rtnl"
	"golang.org/x/sys/unix"
)

// TestMdbAgreesWithBridge dumps the multicast database of a snooping bridge
// holding IPv4, IPv6, L2 (MAC) and per-VLAN groups, permanent and temporary,
// and compares every entry with what `bridge -j -d mdb show` reports.
func TestMdbAgreesWithBridge(t *testing.T) {
	n := newNetNS(t)
	n.ip(t, "link", "add", "br0", "type", "bridge", "mcast_snooping", "1")
	n.ip(t, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	n.ip(t, "link", "set", "v0", "master", "br0")
	for _, l := range []string{"br0", "v0", "v1"} {
		n.ip(t, "link", "set", l, "up")
	}
	// The temporary group is the bridge's own (port br0): a temporary
	// entry on v0 needs v0 forwarding, which the bridge reaches only after
	// the carrier change is processed asynchronously.
	groups := map[string][]string{
		"239.1.1.1":         {"port", "v0", "grp", "239.1.1.1", "permanent"},
		"239.1.1.2":         {"port", "v0", "grp", "239.1.1.2", "vid", "1", "permanent"},
		"239.1.1.3":         {"port", "br0", "grp", "239.1.1.3", "temp"},
		"ff0e::42":          {"port", "v0", "grp", "ff0e::42", "permanent"},
		"01:00:5e:01:01:05": {"port", "v0", "grp", "01:00:5e:01:01:05", "permanent"},
	}
	for _, g := range groups {
		if !n.bridge(t, append([]string{"mdb", "add", "dev", "br0"}, g...)...) {
			t.Fatalf("bridge mdb add %s failed", strings.Join(g, " "))
		}
	}
	s := n.openSession(t, false)
	// The link dump teaches the decoder the port names.
	s.dump(t, unix.RTM_GETLINK, ifinfo(unix.AF_UNSPEC, 0))
	// One group added by a request of our own, as bridge(8) builds it:
	// br_port_msg, MDBA_SET_ENTRY (a br_mdb_entry) and MDBA_SET_ENTRY_ATTRS.
	entry := make([]byte, 28)
	binary.NativeEndian.PutUint32(entry[0:], uint32(n.ifindex(t, "v0")))
	entry[4] = 1 // MDB_PERMANENT
	copy(entry[8:], []byte{239, 1, 1, 9})
	binary.BigEndian.PutUint16(entry[24:], unix.ETH_P_IP)
	req := append([]byte{unix.AF_BRIDGE, 0, 0, 0}, binary.NativeEndian.AppendUint32(nil, uint32(n.ifindex(t, "br0")))...)
	req = append(req, attrs(func(e *client.AttributeEncoder) {
		e.Bytes(1 /* MDBA_SET_ENTRY */, entry)
		e.Nested(2|client.AttrNested /* MDBA_SET_ENTRY_ATTRS, which the kernel parses strictly */, func(e *client.AttributeEncoder) {
			e.Uint8(4 /* MDBE_ATTR_RTPROT */, 11 /* RTPROT_ZEBRA */)
		})
	})...)
	s.request(t, unix.RTM_NEWMDB, client.FlagAck|client.FlagCreate|client.FlagExcl, req)
	groups["239.1.1.9"] = []string{"proto zebra"}
	s.dump(t, unix.RTM_GETMDB, []byte{unix.AF_BRIDGE, 0, 0, 0, 0, 0, 0, 0})
	if got := requestTexts(s, unix.RTM_NEWMDB, "MDBA_SET_ENTRY/ifindex", "MDBA_SET_ENTRY/state", "MDBA_SET_ENTRY/addr", "MDBA_SET_ENTRY/proto",
		"MDBA_SET_ENTRY_ATTRS/MDBE_ATTR_RTPROT"); got != fmt.Sprintf("%d(v0) permanent 239.1.1.9 ip zebra", n.ifindex(t, "v0")) {
		t.Errorf("decoded RTM_NEWMDB request: %q", got)
	}

	var shown []struct {
		MDB []struct {
			Port     string   `json:"port"`
			Group    string   `json:"grp"`
			State    string   `json:"state"`
			Protocol string   `json:"protocol"`
			Flags    []string `json:"flags"`
			VID      int      `json:"vid"`
		} `json:"mdb"`
	}
	if err := json.Unmarshal(n.output(t, "bridge", "-j", "-d", "mdb", "show"), &shown); err != nil {
		t.Fatalf("bridge -j -d mdb show: %v", err)
	}
	var want, got []string
	for _, dev := range shown {
		for _, e := range dev.MDB {
			if groups[e.Group] == nil {
				continue // groups the bridge learns may come and go between the two dumps
			}
			want = append(want, fmt.Sprintf("port=%s grp=%s state=%s proto=%s flags=%s vid=%d",
				e.Port, e.Group, e.State, e.Protocol, strings.Join(e.Flags, ","), e.VID))
		}
	}
	// RTM_GETMDB is also the type of the kernel's dump replies.
	for _, m := range decodeSession(s, unix.RTM_GETMDB) {
		fields := m.tree.MessageFields(m.idx)
		for j := range fields {
			f := &fields[j]
			if f.Name != "MDBA_MDB_ENTRY_INFO" {
				continue
			}
			value := func(name string) string {
				for k := j + 1; k < len(fields) && fields[k].Depth > f.Depth; k++ {
					if fields[k].Name == name {
						return string(decode.AppendValue(nil, m.tree, &fields[k]))
					}
				}
				return ""
			}
			port := ""
			for k := j + 1; k < len(fields) && fields[k].Depth > f.Depth; k++ {
				if fields[k].Name == "ifindex" {
					port = fields[k].Str
					break
				}
			}
			if groups[value("addr")] == nil {
				continue
			}
			flags := value("flags")
			if flags == "0" {
				flags = ""
			}
			got = append(got, fmt.Sprintf("port=%s grp=%s state=%s proto=%s flags=%s vid=%s",
				port, value("addr"), value("state"), value("MDBA_MDB_EATTR_RTPROT"), flags, value("vid")))
		}
	}
	if len(got) != len(groups) {
		t.Fatalf("decoded %d of the mdb entries, want the %d added:\n%s", len(got), len(groups), strings.Join(got, "\n"))
	}
	sort.Strings(want)
	sort.Strings(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mdb entries (-bridge +decoded):\n%s", diff)
	}
}

// buildBridgeDBScenario makes a bridge with a port and a VXLAN device in
// VNI filter mode holding single VNIs, a range, and VNIs with IPv4 and
// IPv6 remotes. It reports whether the kernel allowed vnifilter.
func buildBridgeDBScenario(t *testing.T, n *netns) bool {
	t.Helper()
	n.ip(t, "link", "add", "br0", "type", "bridge", "mcast_snooping", "1")
	n.ip(t, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	n.ip(t, "link", "set", "v0", "master", "br0")
	if !n.ip(t, "link", "add", "vx0", "type", "vxlan", "dstport", "4789", "external", "vnifilter") {
		return false
	}
	for _, v := range [][]string{
		{"vni", "100"},
		{"vni", "300", "remote", "10.0.0.2"},
		{"vni", "400-402"},
		{"vni", "500", "remote", "fd00::2"},
	} {
		if !n.bridge(t, append([]string{"vni", "add", "dev", "vx0"}, v...)...) {
			t.Fatalf("bridge vni add %s failed", strings.Join(v, " "))
		}
	}
	return true
}

func brVlanMsg(index int32) []byte {
	b := make([]byte, 8)
	b[0] = unix.AF_BRIDGE
	binary.NativeEndian.PutUint32(b[4:], uint32(index))
	return b
}

func tunnelMsg(flags uint8, index int32) []byte {
	b := brVlanMsg(index)
	b[1] = flags
	return b
}

// bridgeDBKernelCases records VLAN database and VNI filter exchanges.
func bridgeDBKernelCases(t *testing.T, n *netns) map[string][]record {
	out := map[string][]record{}
	vx0 := n.ifindex(t, "vx0")
	s := n.openSession(t, false)
	// As `bridge -d vlan show` and `bridge vlan global show` ask; a kernel
	// without CONFIG_BRIDGE_VLAN_FILTERING answers EOPNOTSUPP.
	s.dump(t, rtmGetVlan, append(brVlanMsg(0), attrs(func(e *client.AttributeEncoder) {
		e.Uint32(1 /* BRIDGE_VLANDB_DUMP_FLAGS */, 1 /* BRIDGE_VLANDB_DUMPF_STATS */)
	})...))
	s.dump(t, rtmGetVlan, append(brVlanMsg(0), attrs(func(e *client.AttributeEncoder) {
		e.Uint32(1 /* BRIDGE_VLANDB_DUMP_FLAGS */, 2 /* BRIDGE_VLANDB_DUMPF_GLOBAL */)
	})...))
	out["vlan"] = s.records

	s = n.openSession(t, false)
	s.dump(t, rtmGetTunnel, tunnelMsg(0, vx0))
	s.dump(t, rtmGetTunnel, tunnelMsg(1 /* TUNNEL_MSG_FLAG_STATS */, vx0))
	s.join(t, unix.RTNLGRP_TUNNEL)
	n.bridge(t, "vni", "add", "dev", "vx0", "vni", "600", "remote", "10.0.0.3")
	n.bridge(t, "vni", "delete", "dev", "vx0", "vni", "600")
	// A request on the same socket: its reply comes after the
	// notifications.
	s.request(t, rtmGetTunnel, 0, tunnelMsg(0, vx0))
	out["tunnel"] = s.records
	return out
}

// The VLAN and tunnel message types, from linux/rtnetlink.h.
const (
	rtmGetVlan   = 114
	rtmNewTunnel = 120
	rtmGetTunnel = 122
)

// TestRecordBridgeDBKernelBytes rewrites testdata/kernel/{vlan,tunnel}.bin
// from this kernel. It runs only with -record, as root.
func TestRecordBridgeDBKernelBytes(t *testing.T) {
	if !*recordFlag {
		t.Skip("run with -record to rewrite testdata/kernel from this kernel")
	}
	n := newNetNS(t)
	if !buildBridgeDBScenario(t, n) {
		t.Skip("this kernel cannot create a vxlan device with vnifilter")
	}
	for name, rs := range bridgeDBKernelCases(t, n) {
		if err := os.WriteFile(filepath.Join("testdata", "kernel", name+".bin"), encodeRecords(rs), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestVniAgreesWithBridge decodes a live VNI filter dump, with and without
// statistics, and compares it with `bridge -j [-s] vni show`.
func TestVniAgreesWithBridge(t *testing.T) {
	n := newNetNS(t)
	if !buildBridgeDBScenario(t, n) {
		t.Skip("this kernel cannot create a vxlan device with vnifilter")
	}
	vx0 := n.ifindex(t, "vx0")
	for _, stats := range []bool{false, true} {
		t.Run(fmt.Sprintf("stats=%v", stats), func(t *testing.T) {
			args := []string{"bridge", "-j", "vni", "show"}
			var flags uint8
			if stats {
				args = []string{"bridge", "-j", "-s", "vni", "show"}
				flags = 1 // TUNNEL_MSG_FLAG_STATS
			}
			s := n.openSession(t, false)
			s.dump(t, rtmGetTunnel, tunnelMsg(flags, vx0))
			var shown []struct {
				VNIs []struct {
					VNI    int            `json:"vni"`
					End    int            `json:"vniEnd"`
					Remote string         `json:"remote"`
					Group  string         `json:"group"`
					Stats  map[string]int `json:"stats"`
				} `json:"vnis"`
			}
			if err := json.Unmarshal(n.output(t, args...), &shown); err != nil {
				t.Fatalf("%s: %v", strings.Join(args, " "), err)
			}
			var want, got []string
			for _, dev := range shown {
				for _, v := range dev.VNIs {
					line := fmt.Sprintf("vni=%d end=%d remote=%s%s", v.VNI, v.End, v.Remote, v.Group)
					if stats {
						line += fmt.Sprintf(" rx=%d/%d tx=%d/%d", v.Stats["rx_bytes"], v.Stats["rx_pkts"], v.Stats["tx_bytes"], v.Stats["tx_pkts"])
					}
					want = append(want, line)
				}
			}
			for _, m := range decodeSession(s, rtmNewTunnel) {
				fields := m.tree.MessageFields(m.idx)
				for j := range fields {
					f := &fields[j]
					if f.Name != "VXLAN_VNIFILTER_ENTRY" {
						continue
					}
					value := func(name string) string {
						for k := j + 1; k < len(fields) && fields[k].Depth > f.Depth; k++ {
							if fields[k].Name == name {
								return string(decode.AppendValue(nil, m.tree, &fields[k]))
							}
						}
						return ""
					}
					end := value("VXLAN_VNIFILTER_ENTRY_END")
					if end == "" {
						end = "0"
					}
					line := fmt.Sprintf("vni=%s end=%s remote=%s%s", value("VXLAN_VNIFILTER_ENTRY_START"), end,
						value("VXLAN_VNIFILTER_ENTRY_GROUP"), value("VXLAN_VNIFILTER_ENTRY_GROUP6"))
					if stats {
						line += fmt.Sprintf(" rx=%s/%s tx=%s/%s", value("VNIFILTER_ENTRY_STATS_RX_BYTES"), value("VNIFILTER_ENTRY_STATS_RX_PKTS"),
							value("VNIFILTER_ENTRY_STATS_TX_BYTES"), value("VNIFILTER_ENTRY_STATS_TX_PKTS"))
					}
					got = append(got, line)
				}
			}
			if len(got) == 0 {
				t.Fatal("decoded no VXLAN_VNIFILTER_ENTRY")
			}
			sort.Strings(want)
			sort.Strings(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("VNIs (-bridge +decoded):\n%s", diff)
			}
		})
	}
}

// requestTexts decodes the session and returns the values at paths of the
// first request of type typ, space separated, after checking that the
// kernel acknowledged it and nothing in the session is malformed or
// unnamed.
func requestTexts(s *session, typ uint16, paths ...string) string {
	d := decode.NewDecoder(decode.NewRegistry(rtnl.Family()))
	var texts []string
	acked := false
	for _, r := range s.records {
		rec := capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_ROUTE, Data: r.data, OrigLen: len(r.data)}
		if r.toKernel {
			rec.Direction = capture.ToKernel
		}
		tree := &decode.Tree{}
		d.Decode(tree, &rec)
		if p := problems(tree); len(p) > 0 {
			return strings.Join(p, "; ")
		}
		for i := range tree.Messages {
			m := &tree.Messages[i]
			if r.toKernel && m.Header.Type == typ && texts == nil {
				dm := decodedMsg{tree, i}
				for _, p := range paths {
					texts = append(texts, dm.text(p))
				}
			}
			if !r.toKernel && m.IsAck && texts != nil && !acked {
				if m.Errno != 0 {
					return "request failed: " + string(render.AppendCompact(nil, tree, i))
				}
				acked = true
			}
		}
	}
	if !acked {
		return "no ACK for the request"
	}
	return strings.Join(texts, " ")
}
