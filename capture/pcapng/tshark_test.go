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
)

// TestTshark checks our files against Wireshark's reading of them: the
// direction flag, the comment, and the netlink header fields come back as
// written, and no packet is malformed.
func TestTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark is not installed")
	}
	recs := sampleRecords()[:3] // the others are not well-formed netlink on purpose
	path := filepath.Join(t.TempDir(), "ts.pcapng")
	writeFile(t, path, recs, capture.Stats{Records: 3, RingFull: 4})

	out, err := exec.Command(tshark, "-r", path, "-T", "fields", "-E", "separator=|",
		"-e", "frame.packet_flags_direction", "-e", "frame.comment", "-e", "netlink.hdr_seq", "-e", "netlink.hdr_pid").CombinedOutput()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	var want []string
	for _, r := range recs {
		dir := map[capture.Direction]string{capture.ToKernel: "0x00000002", capture.FromKernel: "0x00000001"}[r.Direction]
		seq := binary.NativeEndian.Uint32(r.Data[8:])
		pid := binary.NativeEndian.Uint32(r.Data[12:])
		comment := fmt.Sprintf("pid=%d tid=%d comm=%s netns=%d port=%d", r.PID, r.TID, quoteComm(r.Comm), r.NetNS, r.PortID)
		if r.Group != 0 {
			comment += fmt.Sprintf(" group=%d", r.Group)
		}
		comment += " method=" + r.Method.String()
		if !r.CallTime.IsZero() {
			comment += " call=" + r.Time.Sub(r.CallTime).String()
		}
		want = append(want, fmt.Sprintf("%s|%s|%d|%d", dir, comment, seq, pid))
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(dropRootWarning(string(out))), "\n") {
		// An NLMSG_ERROR carries the echoed request's header as well; keep
		// the outer message's fields.
		f := strings.Split(line, "|")
		for i := 2; i < len(f); i++ {
			f[i], _, _ = strings.Cut(f[i], ",")
		}
		got = append(got, strings.Join(f, "|"))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tshark fields (-want +got):\n%s", diff)
	}

	verbose, err := exec.Command(tshark, "-r", path, "-V").CombinedOutput()
	if err != nil {
		t.Fatalf("tshark -V: %v\n%s", err, verbose)
	}
	for _, bad := range []string{"Malformed", "Expert Info (Error", "Expert Info (Warning"} {
		if strings.Contains(string(verbose), bad) {
			t.Errorf("tshark -V reports %q:\n%s", bad, verbose)
		}
	}
	for _, must := range []string{"Encapsulation type: Linux Netlink", "Interface name: nltrace", "Interface description:"} {
		if !strings.Contains(string(verbose), must) {
			t.Errorf("tshark -V does not show %q", must)
		}
	}

	if capinfos, err := exec.LookPath("capinfos"); err == nil {
		info, err := exec.Command(capinfos, path).CombinedOutput()
		if err != nil {
			t.Fatalf("capinfos: %v\n%s", err, info)
		}
		for _, must := range []string{"Capture application: nltrace 1.2.3", "Capture oper-sys:    Linux", "Number of stat entries = 1"} {
			if !strings.Contains(string(info), must) {
				t.Errorf("capinfos does not show %q:\n%s", must, info)
			}
		}
	}
}

// quoteComm is how the comment spells a comm: bare unless it needs quotes.
func quoteComm(s string) string {
	if strings.ContainsAny(s, " \"=\\") {
		return fmt.Sprintf("%q", s)
	}
	return s
}

func dropRootWarning(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "Running as user") {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}
