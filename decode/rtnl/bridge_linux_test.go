package rtnl_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/decode"
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
	s.dump(t, unix.RTM_GETMDB, []byte{unix.AF_BRIDGE, 0, 0, 0, 0, 0, 0, 0})

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
