package rtnl_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/internal/testenv"
	"golang.org/x/sys/unix"
)

// TestVMVlanDB dumps the VLAN database of a VLAN-filtering bridge
// (RTM_GETVLAN, entries and global options) and compares it with
// `bridge -j -d vlan show` and `bridge -j vlan global show`. This host's
// kernel has no CONFIG_BRIDGE_VLAN_FILTERING; the VM's has.
func TestVMVlanDB(t *testing.T) {
	testenv.RequireVM(t)
	n := newNetNS(t)
	n.ip(t, "link", "add", "br0", "type", "bridge", "vlan_filtering", "1", "mcast_snooping", "1")
	n.ip(t, "link", "set", "br0", "type", "bridge", "mcast_vlan_snooping", "1")
	n.ip(t, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	n.ip(t, "link", "set", "v0", "master", "br0")
	for _, args := range [][]string{
		{"vlan", "add", "dev", "v0", "vid", "10", "pvid", "untagged"},
		{"vlan", "add", "dev", "v0", "vid", "20-22"},
		{"vlan", "add", "dev", "br0", "vid", "10", "self"},
		{"vlan", "global", "set", "dev", "br0", "vid", "10", "mcast_igmp_version", "3", "mcast_last_member_count", "3"},
	} {
		if !n.bridge(t, args...) {
			t.Errorf("bridge %s failed", strings.Join(args, " "))
		}
	}
	br0 := n.ifindex(t, "br0")
	s := n.openSession(t, false)
	// The link dump teaches the decoder the port names.
	s.dump(t, unix.RTM_GETLINK, ifinfo(unix.AF_UNSPEC, 0))
	s.dump(t, rtmGetVlan, brVlanMsg(0))
	entries := len(s.records)
	s.dump(t, rtmGetVlan, append(brVlanMsg(br0), attrs(func(e *client.AttributeEncoder) {
		e.Uint32(1 /* BRIDGE_VLANDB_DUMP_FLAGS */, 2 /* BRIDGE_VLANDB_DUMPF_GLOBAL */)
	})...))
	s.dump(t, rtmGetVlan, append(brVlanMsg(0), attrs(func(e *client.AttributeEncoder) {
		e.Uint32(1 /* BRIDGE_VLANDB_DUMP_FLAGS */, 1 /* BRIDGE_VLANDB_DUMPF_STATS */)
	})...))
	p, count := sessionProblems(s, rtmNewVlan)
	if len(p) > 0 {
		t.Errorf("problems:\n%s", strings.Join(p, "\n"))
	}
	if count == 0 {
		t.Fatal("no RTM_NEWVLAN in the dumps")
	}

	t.Run("entries", func(t *testing.T) {
		var shown []struct {
			Name  string `json:"ifname"`
			VLANs []struct {
				VLAN  int      `json:"vlan"`
				End   int      `json:"vlanEnd"`
				Flags []string `json:"flags"`
				State string   `json:"state"`
			} `json:"vlans"`
		}
		if err := json.Unmarshal(n.output(t, "bridge", "-j", "-d", "vlan", "show"), &shown); err != nil {
			t.Fatalf("bridge -j -d vlan show: %v", err)
		}
		var want, got []string
		for _, dev := range shown {
			for _, v := range dev.VLANs {
				end := v.End
				if end == 0 {
					end = v.VLAN
				}
				flags := map[string]bool{}
				for _, f := range v.Flags {
					flags[f] = true
				}
				want = append(want, fmt.Sprintf("%s %d-%d pvid=%v untagged=%v state=%s", dev.Name, v.VLAN, end, flags["PVID"], flags["Egress Untagged"], v.State))
			}
		}
		part := &session{records: s.records[:entries]}
		for _, m := range decodeSession(part, rtmNewVlan) {
			dev := m.ifname("br_vlan_msg/ifindex")
			fields := m.tree.MessageFields(m.idx)
			for j := range fields {
				f := &fields[j]
				if f.Name != "BRIDGE_VLANDB_ENTRY" {
					continue
				}
				value := func(name string) *decode.Field {
					for k := j + 1; k < len(fields) && fields[k].Depth > f.Depth; k++ {
						if fields[k].Name == name {
							return &fields[k]
						}
					}
					return nil
				}
				vid, flags := value("vid"), value("flags")
				if vid == nil || flags == nil {
					t.Fatalf("BRIDGE_VLANDB_ENTRY without bridge_vlan_info in %s", dev)
				}
				end := vid.Num
				if r := value("BRIDGE_VLANDB_ENTRY_RANGE"); r != nil {
					end = r.Num
				}
				state := ""
				if st := value("BRIDGE_VLANDB_ENTRY_STATE"); st != nil {
					state = string(decode.AppendValue(nil, m.tree, st))
				}
				got = append(got, fmt.Sprintf("%s %d-%d pvid=%v untagged=%v state=%s", dev, vid.Num, end, flags.Num&2 != 0, flags.Num&4 != 0, state))
			}
		}
		sort.Strings(want)
		sort.Strings(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("VLAN entries (-bridge +decoded):\n%s", diff)
		}
	})

	t.Run("global", func(t *testing.T) {
		var shown []map[string]any
		if err := json.Unmarshal(n.output(t, "bridge", "-j", "vlan", "global", "show"), &shown); err != nil {
			t.Fatalf("bridge -j vlan global show: %v", err)
		}
		keys := map[string]string{
			"mcast_snooping":            "BRIDGE_VLANDB_GOPTS_MCAST_SNOOPING",
			"mcast_igmp_version":        "BRIDGE_VLANDB_GOPTS_MCAST_IGMP_VERSION",
			"mcast_mld_version":         "BRIDGE_VLANDB_GOPTS_MCAST_MLD_VERSION",
			"mcast_last_member_count":   "BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_CNT",
			"mcast_startup_query_count": "BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_CNT",
		}
		var want, got []string
		for _, dev := range shown {
			vlans, _ := dev["vlans"].([]any)
			for _, v := range vlans {
				m, _ := v.(map[string]any)
				line := fmt.Sprintf("vlan=%s", jsonText(m["vlan"]))
				for _, k := range []string{"mcast_snooping", "mcast_igmp_version", "mcast_mld_version", "mcast_last_member_count", "mcast_startup_query_count"} {
					line += fmt.Sprintf(" %s=%s", k, jsonText(m[k]))
				}
				want = append(want, line)
			}
		}
		part := &session{records: s.records[entries:]}
		for _, m := range decodeSession(part, rtmNewVlan) {
			fields := m.tree.MessageFields(m.idx)
			for j := range fields {
				f := &fields[j]
				if f.Name != "BRIDGE_VLANDB_GLOBAL_OPTIONS" {
					continue
				}
				value := func(name string) string {
					for k := j + 1; k < len(fields) && fields[k].Depth == f.Depth+1; k++ {
						if fields[k].Name == name {
							return fmt.Sprint(fields[k].Num)
						}
					}
					return ""
				}
				if value("BRIDGE_VLANDB_GOPTS_ID") == "" {
					continue // the stats dump repeats no global options
				}
				line := "vlan=" + value("BRIDGE_VLANDB_GOPTS_ID")
				for _, k := range []string{"mcast_snooping", "mcast_igmp_version", "mcast_mld_version", "mcast_last_member_count", "mcast_startup_query_count"} {
					line += fmt.Sprintf(" %s=%s", k, value(keys[k]))
				}
				got = append(got, line)
			}
		}
		sort.Strings(want)
		sort.Strings(got)
		if len(got) == 0 {
			t.Fatal("decoded no BRIDGE_VLANDB_GLOBAL_OPTIONS")
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("VLAN global options (-bridge +decoded):\n%s", diff)
		}
	})
}
