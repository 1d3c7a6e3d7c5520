package rtnl_test

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/internal/testenv"
	"golang.org/x/sys/unix"
)

// cakeJSONKeys maps tc -j -s's cake statistics keys to the decoded
// attributes, for the qdisc and for each tin.
var (
	cakeJSONKeys = map[string]string{
		"capacity_estimate": "TCA_CAKE_STATS_CAPACITY_ESTIMATE64",
		"memory_limit":      "TCA_CAKE_STATS_MEMORY_LIMIT",
		"memory_used":       "TCA_CAKE_STATS_MEMORY_USED",
		"min_network_size":  "TCA_CAKE_STATS_MIN_NETLEN",
		"max_network_size":  "TCA_CAKE_STATS_MAX_NETLEN",
		"min_adj_size":      "TCA_CAKE_STATS_MIN_ADJLEN",
		"max_adj_size":      "TCA_CAKE_STATS_MAX_ADJLEN",
	}
	cakeTinJSONKeys = map[string]string{
		"threshold_rate":     "TCA_CAKE_TIN_STATS_THRESHOLD_RATE64",
		"sent_bytes":         "TCA_CAKE_TIN_STATS_SENT_BYTES64",
		"backlog_bytes":      "TCA_CAKE_TIN_STATS_BACKLOG_BYTES",
		"target_us":          "TCA_CAKE_TIN_STATS_TARGET_US",
		"interval_us":        "TCA_CAKE_TIN_STATS_INTERVAL_US",
		"peak_delay_us":      "TCA_CAKE_TIN_STATS_PEAK_DELAY_US",
		"avg_delay_us":       "TCA_CAKE_TIN_STATS_AVG_DELAY_US",
		"base_delay_us":      "TCA_CAKE_TIN_STATS_BASE_DELAY_US",
		"sent_packets":       "TCA_CAKE_TIN_STATS_SENT_PACKETS",
		"way_indirect_hits":  "TCA_CAKE_TIN_STATS_WAY_INDIRECT_HITS",
		"way_misses":         "TCA_CAKE_TIN_STATS_WAY_MISSES",
		"way_collisions":     "TCA_CAKE_TIN_STATS_WAY_COLLISIONS",
		"drops":              "TCA_CAKE_TIN_STATS_DROPPED_PACKETS",
		"ecn_mark":           "TCA_CAKE_TIN_STATS_ECN_MARKED_PACKETS",
		"ack_drops":          "TCA_CAKE_TIN_STATS_ACKS_DROPPED_PACKETS",
		"sparse_flows":       "TCA_CAKE_TIN_STATS_SPARSE_FLOWS",
		"bulk_flows":         "TCA_CAKE_TIN_STATS_BULK_FLOWS",
		"unresponsive_flows": "TCA_CAKE_TIN_STATS_UNRESPONSIVE_FLOWS",
		"max_pkt_len":        "TCA_CAKE_TIN_STATS_MAX_SKBLEN",
		"flow_quantum":       "TCA_CAKE_TIN_STATS_FLOW_QUANTUM",
	}
)

// TestVMCakeStats decodes a cake qdisc's statistics (TCA_STATS_APP with
// TCA_CAKE_STATS_* and one TCA_CAKE_TIN_STATS_* nest per tin) from a live
// dump and compares every value with tc -j -s qdisc. This host's kernel has
// no sch_cake; the VM's has.
func TestVMCakeStats(t *testing.T) {
	testenv.RequireVM(t)
	n := newNetNS(t)
	// No IPv6 autoconfiguration traffic, so the counters stay still
	// between the dump and tc's own.
	for _, k := range []string{"net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"} {
		if out, err := exec.Command("ip", "netns", "exec", n.name, "sysctl", "-qw", k).CombinedOutput(); err != nil {
			t.Logf("sysctl %s: %v: %s", k, err, out)
		}
	}
	n.ip(t, "link", "add", "c0", "type", "veth", "peer", "name", "c1")
	n.ip(t, "link", "set", "c0", "up")
	n.ip(t, "link", "set", "c1", "up")
	n.mustTC(t, "qdisc", "add", "dev", "c0", "root", "handle", "1:", "cake", "bandwidth", "100mbit", "diffserv3")
	c0 := n.ifindex(t, "c0")
	s := n.openSession(t, false)
	s.dump(t, unix.RTM_GETQDISC, qdiscDumpRequest())
	if p, _ := sessionProblems(s, unix.RTM_NEWQDISC); len(p) > 0 {
		t.Errorf("problems:\n%s", strings.Join(p, "\n"))
	}

	var shown []map[string]any
	tcJSON(t, n, &shown, "-s", "qdisc", "show", "dev", "c0", "root")
	want := map[string]string{}
	for _, q := range shown {
		if q["kind"] != "cake" {
			continue
		}
		for k := range cakeJSONKeys {
			want[k] = jsonText(q[k])
		}
		tins, _ := q["tins"].([]any)
		for i, tin := range tins {
			m, _ := tin.(map[string]any)
			for k := range cakeTinJSONKeys {
				want[fmt.Sprintf("tin%d.%s", i+1, k)] = jsonText(m[k])
			}
		}
	}
	if len(want) == 0 {
		t.Fatal("tc shows no cake qdisc on c0")
	}

	got := map[string]string{}
	for _, m := range decodeSession(s, unix.RTM_NEWQDISC) {
		if m.text("tcmsg/ifindex") != fmt.Sprint(c0) || unquote(m.text("TCA_KIND")) != "cake" {
			continue
		}
		app := "TCA_STATS2/TCA_STATS_APP/"
		for k, attr := range cakeJSONKeys {
			got[k] = m.text(app + attr)
		}
		fields := m.tree.MessageFields(m.idx)
		tins := m.field(app + "TCA_CAKE_STATS_TIN_STATS")
		if tins == nil {
			t.Fatal("no TCA_CAKE_STATS_TIN_STATS")
		}
		for j := range fields {
			f := &fields[j]
			if f.Depth != tins.Depth+2 {
				continue
			}
			tin := tinIndex(fields, j, tins.Depth+1)
			for k, attr := range cakeTinJSONKeys {
				if f.Name == attr {
					got[fmt.Sprintf("tin%d.%s", tin, k)] = string(decode.AppendValue(nil, m.tree, f))
				}
			}
		}
	}
	// tc leaves out what the kernel did not send; so does the decoder.
	for k, v := range want {
		if v == "" && got[k] == "" {
			delete(want, k)
			delete(got, k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok && got[k] == "" {
			delete(got, k)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cake statistics (-tc +decoded):\n%s", diff)
	}
	t.Logf("compared %d cake statistics", len(want))
}

// tinIndex returns the element number of the tin container holding field
// j (the nearest earlier field at depth).
func tinIndex(fields []decode.Field, j int, depth uint8) int {
	for ; j >= 0; j-- {
		if fields[j].Depth == depth {
			return int(fields[j].Type)
		}
	}
	return -1
}
