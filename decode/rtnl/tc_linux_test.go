package rtnl_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"golang.org/x/sys/unix"
)

// tc runs a tc(8) command in the namespace and reports whether it worked;
// kinds this kernel lacks are logged and left out.
func (n *netns) tc(t *testing.T, args ...string) bool {
	t.Helper()
	out, err := exec.Command("ip", append([]string{"netns", "exec", n.name, "tc"}, args...)...).CombinedOutput()
	if err != nil {
		t.Logf("tc %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
		return false
	}
	return true
}

// tcSteps builds qdiscs, classes, filters, chains and actions. On this
// host only htb, tbf, fifos, mq, ingress, clsact, u32, bpf and mirred
// exist; the rest are logged and left out, and the VM test covers them.
func tcSteps() [][]string {
	return [][]string{
		{"qdisc", "add", "dev", "t0", "root", "handle", "1:", "htb", "default", "10", "r2q", "20"},
		{"class", "add", "dev", "t0", "parent", "1:", "classid", "1:1", "htb", "rate", "10mbit"},
		{"class", "add", "dev", "t0", "parent", "1:1", "classid", "1:10", "htb", "rate", "1mbit", "ceil", "2mbit", "prio", "2"},
		{"class", "add", "dev", "t0", "parent", "1:1", "classid", "1:20", "htb", "rate", "5gbit"},
		{"class", "add", "dev", "t0", "parent", "1:1", "classid", "1:30", "htb", "rate", "1mbit"},
		{"qdisc", "add", "dev", "t0", "parent", "1:10", "handle", "10:", "tbf", "rate", "1mbit", "burst", "32k", "latency", "50ms"},
		{"qdisc", "add", "dev", "t0", "parent", "1:20", "handle", "20:", "pfifo", "limit", "100"},
		{"qdisc", "add", "dev", "t0", "parent", "1:30", "handle", "30:", "bfifo", "limit", "10000"},
		{"filter", "add", "dev", "t0", "parent", "1:", "protocol", "ip", "prio", "10", "u32", "match", "ip", "dst", "10.0.0.1/32", "match", "ip", "dport", "80", "0xffff", "flowid", "1:10"},
		{"filter", "add", "dev", "t0", "parent", "1:", "protocol", "ipv6", "prio", "20", "u32", "match", "ip6", "dst", "fd00::1/128", "flowid", "1:20"},
		{"filter", "add", "dev", "t0", "parent", "1:", "protocol", "all", "prio", "30", "bpf", "bytecode", "1,6 0 0 0", "classid", "1:30"},
		{"filter", "add", "dev", "t0", "parent", "1:", "protocol", "802.1Q", "prio", "40", "u32", "match", "u32", "0", "0", "action", "mirred", "egress", "redirect", "dev", "t1"},
		{"filter", "add", "dev", "t0", "parent", "1:", "protocol", "ip", "prio", "50", "flower", "dst_ip", "10.0.0.2", "ip_proto", "tcp", "dst_port", "80", "classid", "1:10"},
		{"filter", "add", "dev", "t0", "parent", "1:", "protocol", "ip", "prio", "60", "matchall", "classid", "1:10"},
		{"chain", "add", "dev", "t0", "parent", "1:", "chain", "3"},
		{"qdisc", "add", "dev", "t1", "clsact"},
		{"filter", "add", "dev", "t1", "ingress", "protocol", "all", "prio", "5", "u32", "match", "u32", "0", "0", "action", "mirred", "egress", "mirror", "dev", "t2"},
		{"filter", "add", "dev", "t1", "egress", "protocol", "arp", "prio", "6", "u32", "match", "u32", "0", "0", "classid", "1:1"},
		{"qdisc", "add", "dev", "t2", "root", "handle", "2:", "mq"},
		{"qdisc", "add", "dev", "t3", "ingress"},
		{"qdisc", "add", "dev", "t3", "root", "pfifo_fast"},
		{"actions", "add", "action", "mirred", "egress", "redirect", "dev", "t1", "index", "7"},
		{"actions", "add", "action", "gact", "drop", "index", "8"},
	}
}

func buildTCScenario(t *testing.T, n *netns) {
	t.Helper()
	// No IPv6 autoconfiguration traffic, so the statistics stay still
	// between the dump and tc's own.
	for _, k := range []string{"net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"} {
		if out, err := exec.Command("ip", "netns", "exec", n.name, "sysctl", "-qw", k).CombinedOutput(); err != nil {
			t.Logf("sysctl %s: %v: %s", k, err, out)
		}
	}
	n.ip(t, "link", "add", "t0", "type", "veth", "peer", "name", "t1")
	n.ip(t, "link", "add", "t2", "type", "veth", "peer", "name", "t3")
	for _, l := range []string{"lo", "t0", "t1", "t2", "t3"} {
		n.ip(t, "link", "set", l, "up")
	}
	for _, s := range tcSteps() {
		n.tc(t, s...)
	}
}

func tcmsgBytes(index int32, parent uint32) []byte {
	return client.TcMsg{Index: index, Parent: parent}.Append(nil)
}

// qdiscDumpRequest asks for every qdisc, the invisible ones (mq's
// per-queue children) too, as tc does.
func qdiscDumpRequest() []byte {
	return append(tcmsgBytes(0, 0), attrs(func(e *client.AttributeEncoder) { e.Flag(10 /* TCA_DUMP_INVISIBLE */) })...)
}

// linkNames maps ifindex to name in the namespace.
func (n *netns) linkNames(t *testing.T) map[string]string {
	var links []struct {
		Index int    `json:"ifindex"`
		Name  string `json:"ifname"`
	}
	if err := json.Unmarshal(n.output(t, "ip", "-j", "link", "show"), &links); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, l := range links {
		out[strconv.Itoa(l.Index)] = l.Name
	}
	return out
}

// lastKey returns "val/mask@off" of the last key of a u32 selector, the
// one tc -j keeps when it prints several "match" keys.
func lastKey(m decodedMsg) string {
	sel := m.field("TCA_OPTIONS/TCA_U32_SEL")
	if sel == nil {
		return ""
	}
	fields := m.tree.MessageFields(m.idx)
	var val, mask, off string
	for j := range fields {
		f := &fields[j]
		if f.Depth != sel.Depth+2 || f.Off < sel.Off || f.Off >= sel.Off+sel.Len {
			continue
		}
		v := string(decode.AppendValue(nil, m.tree, f))
		switch f.Name {
		case "val":
			val = strings.TrimPrefix(v, "0x")
		case "mask":
			mask = strings.TrimPrefix(v, "0x")
		case "off":
			off = v
		}
	}
	if val == "" && mask == "" {
		return ""
	}
	return val + "/" + mask + "@" + off
}

// actionDumpRequest is a tcamsg with TCA_ROOT_TAB holding one action of
// kind, as `tc actions ls action KIND` sends it.
func actionDumpRequest(kind string) []byte {
	return append([]byte{unix.AF_UNSPEC, 0, 0, 0}, attrs(func(e *client.AttributeEncoder) {
		e.Nested(1 /* TCA_ROOT_TAB */, func(e *client.AttributeEncoder) {
			e.Nested(1, func(e *client.AttributeEncoder) { e.String(1 /* TCA_ACT_KIND */, kind) })
		})
	})...)
}

// tcKernelCases records tc dumps, notifications and an error.
func tcKernelCases(t *testing.T, n *netns) map[string][]record {
	out := map[string][]record{}
	run := func(name string, fn func(s *session)) {
		s := n.openSession(t, false)
		fn(s)
		out[name] = s.records
	}
	t0, t1 := n.ifindex(t, "t0"), n.ifindex(t, "t1")
	run("tc_qdiscs", func(s *session) {
		s.dump(t, unix.RTM_GETQDISC, qdiscDumpRequest())
	})
	run("tc_classes", func(s *session) {
		s.dump(t, unix.RTM_GETTCLASS, tcmsgBytes(t0, 0))
	})
	run("tc_filters", func(s *session) {
		s.dump(t, unix.RTM_GETTFILTER, tcmsgBytes(t0, 0x10000))
		s.dump(t, unix.RTM_GETTFILTER, tcmsgBytes(t1, 0xfffffff2))
		s.dump(t, unix.RTM_GETTFILTER, tcmsgBytes(t1, 0xfffffff3))
		s.dump(t, unix.RTM_GETCHAIN, tcmsgBytes(t0, 0x10000))
	})
	run("tc_actions", func(s *session) {
		s.dump(t, unix.RTM_GETACTION, actionDumpRequest("mirred"))
		s.dump(t, unix.RTM_GETACTION, actionDumpRequest("gact"))
	})
	run("tc_notifications", func(s *session) {
		s.join(t, unix.RTNLGRP_TC)
		n.tc(t, "qdisc", "add", "dev", "t2", "parent", "2:1", "handle", "21:", "tbf", "rate", "2mbit", "burst", "16k", "limit", "30k")
		n.tc(t, "filter", "add", "dev", "t1", "ingress", "protocol", "ip", "prio", "9", "u32", "match", "ip", "src", "10.1.0.0/16", "action", "mirred", "egress", "redirect", "dev", "t0")
		n.tc(t, "filter", "del", "dev", "t1", "ingress", "protocol", "ip", "prio", "9")
		n.tc(t, "qdisc", "del", "dev", "t2", "parent", "2:1", "handle", "21:")
		s.request(t, unix.RTM_GETQDISC, 0, tcmsgBytes(t1, 0xfffffff1))
	})
	run("tc_errors", func(s *session) {
		flags := uint16(client.FlagAck | client.FlagCreate | client.FlagExcl)
		s.request(t, unix.RTM_NEWQDISC, flags, append(tcmsgBytes(t1, 0xffffffff), attrs(func(e *client.AttributeEncoder) {
			e.String(1 /* TCA_KIND */, "nosuchqdisc")
		})...))
		s.request(t, unix.RTM_NEWTCLASS, flags, append(client.TcMsg{Index: t0, Parent: 0x10000, Handle: 0x10040}.Append(nil), attrs(func(e *client.AttributeEncoder) {
			e.String(1 /* TCA_KIND */, "htb")
			e.Nested(2 /* TCA_OPTIONS */, func(e *client.AttributeEncoder) { e.Uint32(5 /* TCA_HTB_DIRECT_QLEN */, 1) })
		})...))
	})
	return out
}

// TestRecordTCKernelBytes rewrites testdata/kernel/tc_*.bin from this
// kernel. It runs only with -record, as root.
func TestRecordTCKernelBytes(t *testing.T) {
	if !*recordFlag {
		t.Skip("run with -record to rewrite testdata/kernel from this kernel")
	}
	n := newNetNS(t)
	buildTCScenario(t, n)
	dir := filepath.Join("testdata", "kernel")
	for name, rs := range tcKernelCases(t, n) {
		if err := os.WriteFile(filepath.Join(dir, name+".bin"), encodeRecords(rs), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTCAgreesWithTc decodes live qdisc, class and filter dumps and
// compares the values with what `tc -j -s` (and, for classes, whose JSON
// this tc lacks, plain `tc class show`) reports for the same objects.
func TestTCAgreesWithTc(t *testing.T) {
	n := newNetNS(t)
	buildTCScenario(t, n)
	t0, t1 := n.ifindex(t, "t0"), n.ifindex(t, "t1")
	names := n.linkNames(t)
	s := n.openSession(t, false)
	s.dump(t, unix.RTM_GETQDISC, qdiscDumpRequest())
	s.dump(t, unix.RTM_GETTCLASS, tcmsgBytes(t0, 0))
	s.dump(t, unix.RTM_GETTFILTER, tcmsgBytes(t0, 0x10000))
	s.dump(t, unix.RTM_GETTFILTER, tcmsgBytes(t1, 0xfffffff2))

	t.Run("qdiscs", func(t *testing.T) {
		var want, got []string
		for _, dev := range []string{"t0", "t1", "t2", "t3"} {
			var qs []map[string]any
			tcJSON(t, n, &qs, "-s", "qdisc", "show", "dev", dev, "invisible")
			for _, q := range qs {
				parent := jsonText(q["parent"])
				if q["root"] == true {
					parent = "root"
				}
				if parent == "ffff:fff1" {
					parent = "ingress"
				}
				opts, _ := q["options"].(map[string]any)
				line := fmt.Sprintf("%s %s handle=%s parent=%s bytes=%s packets=%s drops=%s qlen=%s", dev, jsonText(q["kind"]),
					jsonText(q["handle"]), parent, jsonText(q["bytes"]), jsonText(q["packets"]), jsonText(q["drops"]), jsonText(q["qlen"]))
				switch jsonText(q["kind"]) {
				case "htb":
					line += fmt.Sprintf(" r2q=%s default=%s direct_qlen=%s", jsonText(opts["r2q"]), jsonText(opts["default"]), jsonText(opts["direct_qlen"]))
				case "tbf":
					line += fmt.Sprintf(" rate=%s", jsonText(opts["rate"]))
				case "pfifo", "bfifo":
					line += fmt.Sprintf(" limit=%s", jsonText(opts["limit"]))
				case "pfifo_fast":
					line += fmt.Sprintf(" bands=%s", jsonText(opts["bands"]))
				}
				want = append(want, line)
			}
		}
		for _, m := range decodeSession(s, unix.RTM_NEWQDISC) {
			kind := unquote(m.text("TCA_KIND"))
			line := fmt.Sprintf("%s %s handle=%s parent=%s bytes=%s packets=%s drops=%s qlen=%s", names[m.text("tcmsg/ifindex")], kind,
				strings.Replace(m.text("tcmsg/handle"), "none", "0:", 1), m.text("tcmsg/parent"), m.text("TCA_STATS2/TCA_STATS_BASIC/bytes"), m.text("TCA_STATS2/TCA_STATS_BASIC/packets"),
				m.text("TCA_STATS2/TCA_STATS_QUEUE/drops"), m.text("TCA_STATS2/TCA_STATS_QUEUE/qlen"))
			switch kind {
			case "htb":
				defcls := m.text("TCA_OPTIONS/TCA_HTB_INIT/defcls")
				line += fmt.Sprintf(" r2q=%s default=%s direct_qlen=%s", m.text("TCA_OPTIONS/TCA_HTB_INIT/rate2quantum"), defcls, m.text("TCA_OPTIONS/TCA_HTB_DIRECT_QLEN"))
			case "tbf":
				line += fmt.Sprintf(" rate=%s", m.text("TCA_OPTIONS/TCA_TBF_PARMS/rate/rate"))
			case "pfifo", "bfifo":
				line += fmt.Sprintf(" limit=%s", m.text("TCA_OPTIONS/limit"))
			case "pfifo_fast":
				line += fmt.Sprintf(" bands=%s", m.text("TCA_OPTIONS/bands"))
			}
			if names[m.text("tcmsg/ifindex")] == "lo" {
				continue
			}
			got = append(got, line)
		}
		sort.Strings(want)
		sort.Strings(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("qdiscs (-tc +decoded):\n%s", diff)
		}
		if len(want) < 6 {
			t.Errorf("only %d qdiscs compared: %v", len(want), want)
		}
	})

	t.Run("classes", func(t *testing.T) {
		var want, got []string
		for _, line := range strings.Split(string(n.output(t, "tc", "class", "show", "dev", "t0")), "\n") {
			f := strings.Fields(line)
			if len(f) < 4 || f[0] != "class" {
				continue
			}
			parent := "root"
			if f[3] == "parent" {
				parent = f[4]
			}
			want = append(want, fmt.Sprintf("%s %s parent=%s", f[1], f[2], parent))
		}
		for _, m := range decodeSession(s, unix.RTM_NEWTCLASS) {
			got = append(got, fmt.Sprintf("%s %s parent=%s", unquote(m.text("TCA_KIND")), m.text("tcmsg/handle"), m.text("tcmsg/parent")))
		}
		sort.Strings(want)
		sort.Strings(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("classes (-tc +decoded):\n%s", diff)
		}
		// htb class rates: 5gbit needs TCA_HTB_RATE64.
		rates := map[string]string{}
		for _, m := range decodeSession(s, unix.RTM_NEWTCLASS) {
			rate := m.text("TCA_OPTIONS/TCA_HTB_RATE64")
			if rate == "" {
				rate = m.text("TCA_OPTIONS/TCA_HTB_PARMS/rate/rate")
			}
			rates[m.text("tcmsg/handle")] = rate
		}
		wantRates := map[string]string{"1:1": "1250000", "1:10": "125000", "1:20": "625000000", "1:30": "125000"}
		for h, r := range wantRates {
			if rates[h] != r {
				t.Errorf("class %s rate: got %q, want %q bytes/s", h, rates[h], r)
			}
		}
	})

	t.Run("filters", func(t *testing.T) {
		var want, got []string
		for _, q := range []struct {
			dev, parent string
			index       int32
		}{{"t0", "1:", t0}, {"t1", "ingress", t1}} {
			var fs []map[string]any
			args := []string{"-s", "filter", "show", "dev", q.dev}
			if q.parent == "ingress" {
				args = append(args, "ingress")
			}
			tcJSON(t, n, &fs, args...)
			for _, f := range fs {
				opts, _ := f["options"].(map[string]any)
				line := fmt.Sprintf("%s parent=%s proto=%s pref=%s kind=%s chain=%s", q.dev, q.parent, jsonText(f["protocol"]),
					jsonText(f["pref"]), jsonText(f["kind"]), jsonText(f["chain"]))
				if opts != nil {
					line += fmt.Sprintf(" flowid=%s", jsonText(opts["flowid"]))
					if fh := jsonText(opts["fh"]); fh != "" {
						line += " fh=" + fh
					}
					if m, ok := opts["match"].(map[string]any); ok {
						line += fmt.Sprintf(" match=%s/%s@%s", jsonText(m["value"]), jsonText(m["mask"]), jsonText(m["off"]))
					}
				}
				want = append(want, line)
			}
		}
		for _, m := range decodeSession(s, unix.RTM_NEWTFILTER) {
			kind := unquote(m.text("TCA_KIND"))
			line := fmt.Sprintf("%s parent=%s proto=%s pref=%s kind=%s chain=%s", names[m.text("tcmsg/ifindex")], m.text("tcmsg/parent"), m.text("tcmsg/protocol"),
				m.text("tcmsg/prio"), kind, m.text("TCA_CHAIN"))
			if m.field("TCA_OPTIONS") != nil {
				flowid := ""
				for _, a := range []string{"TCA_U32_CLASSID", "TCA_BPF_CLASSID", "TCA_FLOWER_CLASSID", "TCA_MATCHALL_CLASSID"} {
					if v := m.text("TCA_OPTIONS/" + a); v != "" {
						flowid = v
					}
				}
				line += " flowid=" + flowid
				if kind == "u32" {
					line += " fh=" + m.text("tcmsg/handle")
					if k := lastKey(m); k != "" {
						line += " match=" + k
					}
				}
			}
			got = append(got, line)
		}
		sort.Strings(want)
		sort.Strings(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("filters (-tc +decoded):\n%s", diff)
		}
	})
}

func tcJSON(t *testing.T, n *netns, v any, args ...string) {
	t.Helper()
	out := n.output(t, append([]string{"tc", "-j"}, args...)...)
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("tc -j %s: %v: %s", strings.Join(args, " "), err, out)
	}
}
