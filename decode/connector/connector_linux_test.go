package connector_test

import (
	"encoding/binary"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/internal/testenv"
)

// listenMessage is the cn_msg a proc-event listener sends:
// PROC_CN_MCAST_LISTEN to CN_IDX_PROC/CN_VAL_PROC, as NLMSG_DONE.
func listenMessage(op uint32) []byte {
	p := binary.NativeEndian.AppendUint32(nil, 1)
	p = binary.NativeEndian.AppendUint32(p, 1)
	p = binary.NativeEndian.AppendUint32(p, 0)
	p = binary.NativeEndian.AppendUint32(p, 0)
	p = binary.NativeEndian.AppendUint16(p, 4)
	p = binary.NativeEndian.AppendUint16(p, 0)
	p = binary.NativeEndian.AppendUint32(p, op)
	return client.Message{Header: client.Header{Type: client.TypeDone, Sequence: 1}, Data: p}.Append(nil)
}

// TestProcEvents subscribes to the process connector (it exists only in
// the initial network namespace; listening changes nothing on the host
// but this socket's membership), runs a child, and checks that the events
// the kernel sent decode with the child's pid: its fork, exec and exit.
func TestProcEvents(t *testing.T) {
	testenv.RequireRoot(t)
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, unix.NETLINK_CONNECTOR)
	if err != nil {
		testenv.Skip(t, testenv.Host, "no NETLINK_CONNECTOR: "+err.Error())
	}
	defer unix.Close(fd)
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: 1}); err != nil {
		t.Fatal(err)
	}
	listen := listenMessage(1)
	if err := unix.Sendto(fd, listen, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		t.Fatal(err)
	}
	defer unix.Sendto(fd, listenMessage(2), 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK})
	cmd := exec.Command("/bin/sh", "-c", "exit 3")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	cmd.Wait()
	recs := []capture.Record{{Direction: capture.ToKernel, Protocol: unix.NETLINK_CONNECTOR, Data: listen, OrigLen: len(listen)}}
	unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &unix.Timeval{Sec: 5})
	seen := map[string]bool{}
	d := decode.NewDecoder(families.NewRegistry())
	deadline := time.Now().Add(10 * time.Second)
	for !seen["EXIT"] && time.Now().Before(deadline) {
		buf := make([]byte, 4096)
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil {
			t.Fatalf("recv: %v (seen %v)", err, seen)
		}
		rec := capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_CONNECTOR, Data: buf[:n], OrigLen: n}
		var tree decode.Tree
		d.Decode(&tree, &rec)
		for i, m := range tree.Messages {
			if m.Name != "CN_MSG" || m.Malformed {
				t.Fatalf("message %q malformed=%v", m.Name, m.Malformed)
			}
			f := map[string]string{}
			for _, fl := range tree.MessageFields(i) {
				if fl.Kind != decode.KindNone {
					f[fl.Name] = string(decode.AppendValue(nil, &tree, &fl))
				}
			}
			mine := false
			switch f["what"] {
			case "FORK":
				mine = f["child_pid"] == strconv.Itoa(pid)
			case "EXEC":
				mine = f["process_pid"] == strconv.Itoa(pid)
			case "EXIT", "NONZERO_EXIT":
				mine = f["process_pid"] == strconv.Itoa(pid)
				if mine && f["exit_code"] != "0x300" {
					t.Errorf("exit_code %s, want 0x300 (exit status 3)", f["exit_code"])
				}
			}
			if mine {
				seen[f["what"]] = true
				recs = append(recs, rec)
			}
		}
	}
	for _, w := range []string{"FORK", "EXEC", "EXIT"} {
		if !seen[w] {
			t.Errorf("no %s event for pid %d (seen %v)", w, pid, seen)
		}
	}
	if *record {
		saveRecords(t, recs)
	}
}
