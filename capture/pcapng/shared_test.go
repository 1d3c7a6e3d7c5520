package pcapng_test

import (
	"encoding/binary"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/internal/testenv"
)

// sharedPcaps is where the repository keeps real nlmon captures made by
// other projects.
func sharedPcaps(t testing.TB) string { return testenv.PcapDir(t) }

// TestSharedPcaps reads every frame of real captures written by tcpdump and
// Wireshark, and checks each against tshark's reading: the netlink family
// and the first message's sequence number and port id.
func TestSharedPcaps(t *testing.T) {
	dir := sharedPcaps(t)
	frames := map[string]int{"ld-rtnetlink.pcap": 527, "gtp.pcap": 373, "ovs-netlink.pcap": 399}
	for name, want := range frames {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			recs, r := readAll(t, path)
			if len(recs) != want {
				t.Errorf("read %d frames, want %d", len(recs), want)
			}
			if w := r.Warning(); w != nil {
				t.Errorf("warning: %v", w)
			}
			if r.Info().Ours {
				t.Error("a foreign capture is taken for ours")
			}
			for i, rec := range recs {
				if !rec.DirectionInferred || rec.Direction == capture.DirectionUnknown {
					t.Errorf("frame %d: direction %v inferred=%v, want an inferred direction", i+1, rec.Direction, rec.DirectionInferred)
				}
				if rec.Method != capture.MethodNlmon {
					t.Errorf("frame %d: method %v, want nlmon", i+1, rec.Method)
				}
				if len(rec.Data) >= 16 {
					flags := binary.NativeEndian.Uint16(rec.Data[6:])
					typ := binary.NativeEndian.Uint16(rec.Data[4:])
					wantDir := capture.FromKernel
					if flags&1 != 0 && typ >= 0x10 {
						wantDir = capture.ToKernel
					}
					if rec.Direction != wantDir {
						t.Errorf("frame %d: type %#x flags %#x inferred %v, want %v", i+1, typ, flags, rec.Direction, wantDir)
					}
				}
			}
			compareTshark(t, path, recs)
		})
	}
}

func compareTshark(t *testing.T, path string, recs []capture.Record) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Log("tshark is not installed: not comparing")
		return
	}
	out, err := exec.Command(tshark, "-r", path, "-T", "fields", "-E", "separator=|",
		"-e", "netlink.family", "-e", "netlink.hdr_seq", "-e", "netlink.hdr_pid").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	var want, got []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		for i := range f {
			f[i], _, _ = strings.Cut(f[i], ",")
		}
		want = append(want, strings.Join(f, "|"))
	}
	for _, rec := range recs {
		seq, port := "", ""
		if len(rec.Data) >= 16 {
			seq = fmt.Sprint(binary.NativeEndian.Uint32(rec.Data[8:]))
			port = fmt.Sprint(binary.NativeEndian.Uint32(rec.Data[12:]))
		}
		got = append(got, fmt.Sprintf("%#04x|%s|%s", rec.Protocol, seq, port))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("family|seq|port against tshark (-tshark +nltrace):\n%s", diff)
	}
}
