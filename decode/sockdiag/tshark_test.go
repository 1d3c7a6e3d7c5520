package sockdiag_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/internal/testenv"
)

// tsharkFields maps the sock_diag fields tshark 4.0 decodes to how ours
// are named; each of ours is turned into tshark's text form.
var tsharkFields = []struct {
	tshark string
	ours   []string
	form   func(t *decode.Tree, f *decode.Field) string
}{
	{"family", []string{"sdiag_family", "idiag_family", "udiag_family", "ndiag_family", "pdiag_family"}, dec},
	{"state", []string{"idiag_state", "udiag_state", "ndiag_state"}, dec},
	{"inode", []string{"idiag_inode", "udiag_ino", "ndiag_ino", "pdiag_ino"}, dec},
	{"recv_queue", []string{"idiag_rqueue", "udiag_rqueue"}, dec},
	{"send_queue", []string{"idiag_wqueue", "udiag_wqueue"}, dec},
	{"cookie", []string{"idiag_cookie", "udiag_cookie", "ndiag_cookie", "pdiag_cookie"}, hexN(16)},
	{"rcvbuf", []string{"SK_MEMINFO_RCVBUF"}, dec},
	{"sndbuf", []string{"SK_MEMINFO_SNDBUF"}, dec},
	{"shutdown", []string{"INET_DIAG_SHUTDOWN", "UNIX_DIAG_SHUTDOWN"}, hexN(2)},
	{"inet_sport", []string{"idiag_sport"}, dec},
	{"inet_dport", []string{"idiag_dport"}, dec},
	{"inet_src_ip4", []string{"idiag_src/4"}, text},
	{"inet_dest_ip4", []string{"idiag_dst/4"}, text},
	{"inet_src_ip6", []string{"idiag_src/16"}, text},
	{"inet_dest_ip6", []string{"idiag_dst/16"}, text},
	{"inet_interface", []string{"idiag_if"}, dec},
	{"unix_peer_inode", []string{"UNIX_DIAG_PEER"}, dec},
	{"netlink_portid", []string{"ndiag_portid"}, dec},
	{"netlink_dst_portid", []string{"ndiag_dst_portid"}, dec},
	{"packet_protocol", []string{"pdiag_num"}, hexN(4)},
}

func dec(_ *decode.Tree, f *decode.Field) string { return fmt.Sprint(f.Num) }

func text(t *decode.Tree, f *decode.Field) string { return string(decode.AppendValue(nil, t, f)) }

func hexN(digits int) func(*decode.Tree, *decode.Field) string {
	return func(_ *decode.Tree, f *decode.Field) string { return fmt.Sprintf("0x%0*x", digits, f.Num) }
}

// TestAgreesWithTshark compares, record by record, the values of every
// sock_diag field tshark 4.0 decodes with ours on the recorded captures.
// Where tshark is known to be wrong it is left out: it reads a request's
// idiag_states big-endian, and a request's sdiag_protocol as a state.
func TestAgreesWithTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		testenv.Skip(t, testenv.Host, "tshark is not installed (scripts/deps installs it)")
	}
	reg := families.NewRegistry()
	for name, recs := range captures(t) {
		t.Run(name, func(t *testing.T) {
			args := []string{"-n", "-r", filepath.Join("testdata", "captures", name+".pcapng"), "-T", "fields", "-E", "separator=|"}
			for _, f := range tsharkFields {
				args = append(args, "-e", "netlink-sock_diag."+f.tshark)
			}
			out, err := exec.Command("tshark", args...).Output()
			if err != nil {
				t.Fatalf("tshark: %v", err)
			}
			lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
			if len(lines) != len(recs) {
				t.Fatalf("tshark shows %d frames, the capture has %d records", len(lines), len(recs))
			}
			d := decode.NewDecoder(reg)
			compared := 0
			for i := range recs {
				var tree decode.Tree
				d.Decode(&tree, &recs[i])
				theirs := strings.Split(lines[i], "|")
				ours := make([][]string, len(tsharkFields))
				for m := range tree.Messages {
					for _, f := range tree.MessageFields(m) {
						for k, tf := range tsharkFields {
							for _, name := range tf.ours {
								n, size, _ := strings.Cut(name, "/")
								if f.Name != n || (size != "" && fmt.Sprint(f.ValLen) != size) {
									continue
								}
								ours[k] = append(ours[k], tf.form(&tree, &f))
							}
						}
					}
				}
				for k, tf := range tsharkFields {
					got := strings.Join(ours[k], ",")
					switch {
					case recs[i].Direction == 1 && (tf.tshark == "state" || tf.tshark == "packet_protocol"):
						continue // tshark reads the request's sdiag_protocol as these
					case tf.tshark == "send_queue" && len(ours[0]) > 0 && ours[0][0] == "1":
						// unix: tshark shows UNIX_DIAG_RQLEN's first u32
						// as both queues; ss agrees with ours.
						if theirs[k] != strings.Join(ours[3], ",") {
							t.Errorf("record %d: tshark's unix send_queue %q is no longer its recv_queue", i, theirs[k])
						}
						continue
					case strings.Trim(lines[i], "|") == "" && (tree.Messages[0].Name == "SOCK_DESTROY" || tree.Messages[0].Name == "TCPDIAG_GETSOCK"):
						continue // tshark decodes neither SOCK_DESTROY nor the legacy messages
					}
					if diff := cmp.Diff(theirs[k], got); diff != "" {
						t.Errorf("record %d %s (-tshark +ours):\n%s", i, tf.tshark, diff)
					}
					if got != "" {
						compared++
					}
				}
			}
			if compared == 0 && strings.Trim(string(out), "|\n") != "" {
				t.Errorf("no field compared")
			}
		})
	}
}
