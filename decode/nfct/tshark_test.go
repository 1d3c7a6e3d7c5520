package nfct_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/internal/testenv"
	"golang.org/x/sys/unix"
)

// tsharkFields are the ctnetlink fields tshark 4.0 decodes, each with the
// field of ours that holds the same value: header members and attributes
// by name.
var tsharkFields = []struct{ tshark, ours string }{
	{"netlink-netfilter.family", "nfgen_family"},
	{"netlink-netfilter.res_id", "res_id"},
	{"netlink-netfilter.nfct_tuple.proto.num", "CTA_PROTO_NUM"},
	{"netlink-netfilter.nfct_tuple.proto.src_port", "CTA_PROTO_SRC_PORT"},
	{"netlink-netfilter.nfct_tuple.proto.dst_port", "CTA_PROTO_DST_PORT"},
	{"netlink-netfilter.nfct_tuple.ip.ip_addr", "CTA_IP_V4_"},
	{"netlink-netfilter.nfct_tuple.ip.ip6_addr", "CTA_IP_V6_"},
	{"netlink-netfilter.nfct_tuple.zone", "CTA_TUPLE_ZONE"},
	{"netlink-netfilter.ct_attr.timeout", "CTA_TIMEOUT"},
	{"netlink-netfilter.ct_attr.id", "CTA_ID"},
	{"netlink-netfilter.ct_attr.status", "CTA_STATUS"},
}

// ourFields lists, per frame of a capture, the values of tsharkFields as
// tshark -T fields prints them: occurrences in order, joined by commas.
func ourFields(t *testing.T, path string) [][]string {
	t.Helper()
	r, err := pcapng.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	d := decode.NewDecoder(registry())
	var tr decode.Tree
	var out [][]string
	for {
		var rec capture.Record
		err := r.ReadInto(context.Background(), &rec)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(tsharkFields))
		if rec.Protocol == unix.NETLINK_NETFILTER {
			d.Decode(&tr, &rec)
			for _, f := range tr.Fields {
				for i, tf := range tsharkFields {
					if f.Name != tf.ours && !(strings.HasSuffix(tf.ours, "_") && strings.HasPrefix(f.Name, tf.ours)) {
						continue
					}
					var v string
					switch {
					case f.Kind == decode.KindIP:
						v = string(decode.AppendValue(nil, &tr, &f))
					case tf.ours == "CTA_ID" || tf.ours == "CTA_STATUS":
						v = fmt.Sprintf("0x%08x", f.Num)
					default:
						v = strconv.FormatUint(f.Num, 10)
					}
					if row[i] != "" {
						row[i] += ","
					}
					row[i] += v
				}
			}
		}
		out = append(out, row)
	}
}

// TestAgreesWithTshark reads the recorded conntrack captures with tshark
// and compares every ctnetlink field tshark decodes (header, tuples,
// timeout, id, status) with ours, frame by frame.
func TestAgreesWithTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		testenv.Skip(t, testenv.Host, "tshark is not installed (scripts/deps installs it)")
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "captures", "ct-*.pcapng"))
	if len(files) == 0 {
		t.Fatal("no conntrack captures")
	}
	for _, path := range files {
		switch filepath.Base(path) {
		case "ct-stats.pcapng", "ct-expect-stats.pcapng":
			// tshark 4.0 decodes statistics replies with the entry
			// attributes (CTA_STATS_ERROR as CTA_ID, and so on).
			continue
		}
		t.Run(filepath.Base(path), func(t *testing.T) {
			args := []string{"-r", path, "-T", "fields", "-E", "separator=|", "-e", "frame.number"}
			for _, f := range tsharkFields {
				args = append(args, "-e", f.tshark)
			}
			out, err := exec.Command("tshark", args...).Output()
			if err != nil {
				t.Fatalf("tshark: %v", err)
			}
			ours := ourFields(t, path)
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			if len(lines) != len(ours) {
				t.Fatalf("tshark shows %d frames, we read %d", len(lines), len(ours))
			}
			compared := 0
			for i, line := range lines {
				theirs := strings.Split(line, "|")[1:]
				for j, tf := range tsharkFields {
					if theirs[j] != ours[i][j] {
						t.Errorf("frame %d %s: tshark %q, nltrace %q", i+1, tf.tshark, theirs[j], ours[i][j])
					}
					if theirs[j] != "" {
						compared++
					}
				}
			}
			t.Logf("%d frames, %d field lists agree", len(lines), compared)
		})
	}
}
