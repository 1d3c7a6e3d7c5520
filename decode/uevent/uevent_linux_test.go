package uevent_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/internal/testenv"
)

// TestTraceUevents creates and deletes a veth pair in a throwaway
// namespace while `nltrace -a --family kobject_uevent` traces, with a
// NETLINK_KOBJECT_UEVENT socket of this test listening there. The records
// nltrace wrote must be the datagrams the socket read, byte for byte, and
// each decodes to the action, devpath and KEY=value pairs that a plain
// split of those bytes gives (udevadm is not installed here to compare
// with).
func TestTraceUevents(t *testing.T) {
	testenv.RequireRoot(t)
	b := make([]byte, 4)
	rand.Read(b)
	name := "nltrace-ue-" + hex.EncodeToString(b)
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", name).Run() })
	ns, err := client.OpenNetNS("/run/netns/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	var fd int
	if err := ns.Do(func() error {
		var err error
		fd, err = unix.Socket(unix.AF_NETLINK, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, unix.NETLINK_KOBJECT_UEVENT)
		if err != nil {
			return err
		}
		return unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: 1})
	}); err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)

	bin := testenv.BuildNltrace(t, toolDir)
	capFile := filepath.Join(t.TempDir(), "cap.pcapng")
	cmd := exec.Command(bin, "-a", "--family", "kobject_uevent", "--netns", "/run/netns/"+name, "-w", capFile, "-o", os.DevNull)
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(stderr.String(), "nltrace: tracing with the ") {
		if time.Now().After(deadline) {
			t.Fatalf("nltrace never became ready:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}

	for _, args := range [][]string{{"link", "add", "ue0", "type", "veth", "peer", "name", "ue1"}, {"link", "del", "ue0"}} {
		if out, err := exec.Command("ip", append([]string{"-n", name}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	// Read until ue0's removal; the socket's datagrams are the oracle.
	var got [][]byte
	unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &unix.Timeval{Sec: 5})
	for {
		buf := make([]byte, 8192)
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil {
			t.Fatalf("recv uevent: %v (got %d)", err, len(got))
		}
		got = append(got, buf[:n])
		if bytes.HasPrefix(buf[:n], []byte("remove@")) && bytes.Contains(buf[:n], []byte("INTERFACE=ue0\x00")) {
			break
		}
	}
	cmd.Process.Signal(syscall.SIGINT)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("nltrace: %v\n%s", err, stderr.String())
	}

	rd, err := pcapng.Open(capFile)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var recs []capture.Record
	for r, err := range capture.Records(context.Background(), rd) {
		if err != nil {
			t.Fatal(err)
		}
		if r.Protocol == unix.NETLINK_KOBJECT_UEVENT && r.PID == uint32(os.Getpid()) && r.Direction == capture.FromKernel {
			r.Data = append([]byte(nil), r.Data...)
			recs = append(recs, r)
		}
	}
	var recBytes [][]byte
	for _, r := range recs {
		recBytes = append(recBytes, r.Data)
	}
	if diff := cmp.Diff(got, recBytes); diff != "" {
		t.Fatalf("records differ from the datagrams the socket read (-socket +nltrace):\n%s", diff)
	}
	if *record {
		saveRecords(t, recs)
	}
	actions := map[string]int{}
	d := decode.NewDecoder(families.NewRegistry())
	for i := range recs {
		var tree decode.Tree
		d.Decode(&tree, &recs[i])
		want, wantName := split(recs[i].Data)
		if tree.Messages[0].Name != wantName {
			t.Errorf("record %d named %q, want %q", i, tree.Messages[0].Name, wantName)
		}
		actions[wantName]++
		var pairs []string
		for _, f := range tree.MessageFields(0) {
			if f.Kind == decode.KindMalformed {
				t.Errorf("record %d: malformed: %s", i, f.Str)
			}
			pairs = append(pairs, f.Name+"="+string(tree.Value(&f)))
		}
		if diff := cmp.Diff(want, pairs); diff != "" {
			t.Errorf("record %d (-split +decoded):\n%s", i, diff)
		}
	}
	if actions["add"] < 2 || actions["remove"] < 2 {
		t.Errorf("actions %v, want the adds and removes of ue0 and ue1", actions)
	}
}

// split is the plain reading of a kernel uevent: the first string is
// ACTION@DEVPATH, the rest are KEY=value.
func split(b []byte) ([]string, string) {
	parts := strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
	action, devpath, _ := strings.Cut(parts[0], "@")
	out := []string{"action=" + action, "devpath=" + devpath}
	return append(out, parts[1:]...), action
}
