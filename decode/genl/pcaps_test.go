package genl_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/genl"
	"golang.org/x/sys/unix"
)

func registry() *decode.Registry {
	return decode.NewRegistry(genl.Family(genl.Builtin()...))
}

// problems lists the fields of tree that are not fully decoded: unknown
// attributes, malformed values, and generic-netlink payloads left in hex.
func problems(tree *decode.Tree) []string {
	var out []string
	for i := range tree.Messages {
		m := &tree.Messages[i]
		for _, f := range tree.MessageFields(i) {
			switch {
			case f.Has(decode.FieldUnknown):
				out = append(out, fmt.Sprintf("%s: unknown %s type %d", m.Name, f.Name, f.Type))
			case f.Has(decode.FieldMalformed) || f.Kind == decode.KindMalformed:
				out = append(out, fmt.Sprintf("%s: malformed %s: %s", m.Name, f.Name, f.Str))
			case f.Depth == 0 && f.Name == "payload" && !m.IsAck:
				out = append(out, fmt.Sprintf("%s: payload not decoded", m.Name))
			}
		}
	}
	return out
}

// decodeFile decodes the generic-netlink records of a capture and returns
// the messages' names in order and every problem found.
func decodeFile(t *testing.T, path string) (names []string, probs []string) {
	t.Helper()
	r, err := pcapng.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	d := decode.NewDecoder(registry())
	var tree decode.Tree
	var rec capture.Record
	for n := 1; ; n++ {
		err := r.ReadInto(context.Background(), &rec)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("record %d: %v", n, err)
		}
		if rec.Protocol != unix.NETLINK_GENERIC {
			continue
		}
		d.Decode(&tree, &rec)
		for i := range tree.Messages {
			names = append(names, tree.Messages[i].Name)
		}
		for _, p := range problems(&tree) {
			probs = append(probs, fmt.Sprintf("record %d: %s", n, p))
		}
	}
	return names, probs
}

// TestOVSCapture decodes Open vSwitch's datapath, vport, flow and packet
// traffic captured by another project: every message is named by its
// command and every attribute is named.
func TestOVSCapture(t *testing.T) {
	names, probs := decodeFile(t, "testdata/ovs-netlink.pcap")
	if len(probs) > 0 {
		t.Errorf("%d problems:\n%s", len(probs), strings.Join(probs, "\n"))
	}
	seen := map[string]int{}
	for _, n := range names {
		seen[n]++
	}
	for _, want := range []string{"CTRL_CMD_GETFAMILY", "CTRL_CMD_NEWFAMILY", "OVS_DP_CMD_GET", "OVS_DP_CMD_SET",
		"OVS_VPORT_CMD_GET", "OVS_VPORT_CMD_DEL", "OVS_FLOW_CMD_GET", "OVS_FLOW_CMD_DEL"} {
		if seen[want] == 0 {
			t.Errorf("no %s decoded; seen %v", want, seen)
		}
	}
	for n := range seen {
		if strings.HasPrefix(n, "ovs_") {
			t.Errorf("%d messages named only by family (%s): command not in the tables", seen[n], n)
		}
	}
}

// TestEthtoolMPTCPCapture decodes a capture nltrace recorded of ethtool
// (settings, features, stats, driver, rings, channels, coalescing, pause)
// and ip mptcp (endpoint add, show, limits, a refused add) on a veth in a
// network namespace: every message and attribute is named.
func TestEthtoolMPTCPCapture(t *testing.T) {
	names, probs := decodeFile(t, "testdata/ethtool-mptcp.pcapng")
	if len(probs) > 0 {
		t.Errorf("%d problems:\n%s", len(probs), strings.Join(probs, "\n"))
	}
	seen := map[string]int{}
	for _, n := range names {
		seen[n]++
	}
	for _, want := range []string{"ETHTOOL_MSG_LINKINFO_GET_REPLY", "ETHTOOL_MSG_FEATURES_GET_REPLY", "ETHTOOL_MSG_STRSET_GET_REPLY",
		"ETHTOOL_MSG_STATS_GET", "ETHTOOL_MSG_CHANNELS_GET", "MPTCP_PM_CMD_ADD_ADDR", "MPTCP_PM_CMD_GET_ADDR", "MPTCP_PM_CMD_GET_LIMITS"} {
		if seen[want] == 0 {
			t.Errorf("no %s decoded; seen %v", want, seen)
		}
	}
}

// BenchmarkDecodeEthtool decodes the records of the ethtool/mptcp capture
// (string sets, feature bitsets, stats requests) and reports messages per
// second.
func BenchmarkDecodeEthtool(b *testing.B) {
	r, err := pcapng.Open("testdata/ethtool-mptcp.pcapng")
	if err != nil {
		b.Fatal(err)
	}
	var recs []capture.Record
	for {
		var rec capture.Record
		err := r.ReadInto(context.Background(), &rec)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		recs = append(recs, rec)
	}
	r.Close()
	reg := registry()
	d := decode.NewDecoder(reg)
	var tree decode.Tree
	msgs, bytes := 0, 0
	for i := range recs {
		d.Decode(&tree, &recs[i])
		msgs += len(tree.Messages)
		bytes += len(recs[i].Data)
	}
	b.SetBytes(int64(bytes))
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		for i := range recs {
			d.Decode(&tree, &recs[i])
		}
	}
	b.ReportMetric(float64(msgs)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	// On a shared machine the wall clock counts time spent waiting for a
	// core; the process's CPU time does not.
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(msgs)*float64(b.N)/cpu, "msgs/cpu-s")
	}
}

func cpuTime() float64 {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// TestGTPCapture decodes a capture of gtp link tests made by another
// project. Its generic-netlink messages use id 43, which the capture never
// resolves (it holds no CTRL_CMD_GETFAMILY exchange), so they can only be
// shown by number with their payload in hex, as Wireshark shows them too;
// nothing in the file may be malformed.
func TestGTPCapture(t *testing.T) {
	r, err := pcapng.Open("testdata/gtp.pcap")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	d := decode.NewDecoder(registry())
	var tree decode.Tree
	var rec capture.Record
	genl, unresolved := 0, 0
	for {
		err := r.ReadInto(context.Background(), &rec)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec.Protocol != unix.NETLINK_GENERIC {
			continue
		}
		d.Decode(&tree, &rec)
		for i := range tree.Messages {
			m := &tree.Messages[i]
			if m.Malformed {
				t.Errorf("malformed %s", m.Name)
			}
			genl++
			if m.Header.Type >= 0x10 && m.Name == "" {
				unresolved++
				if _, ok := d.State().GenlFamily(m.Header.Type); ok {
					t.Errorf("id %d is resolved but its message is not named", m.Header.Type)
				}
			}
		}
	}
	t.Logf("%d generic-netlink messages, %d of a family the capture never resolves", genl, unresolved)
	if genl == 0 {
		t.Error("no generic-netlink messages")
	}
}
