package rtnl_test

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/internal/testenv"
	"golang.org/x/sys/unix"
)

// netns is a throwaway named network namespace for host-tier tests.
type netns struct {
	name string
}

func newNetNS(t *testing.T) *netns {
	t.Helper()
	testenv.RequireRoot(t)
	name := fmt.Sprintf("nltrace-decode-%d", os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", name).Run() })
	return &netns{name: name}
}

// ip runs an ip(8) command in the namespace and reports whether it worked;
// objects this kernel cannot create are skipped by the callers.
func (n *netns) ip(t *testing.T, args ...string) bool {
	t.Helper()
	out, err := exec.Command("ip", append([]string{"-n", n.name}, args...)...).CombinedOutput()
	if err != nil {
		t.Logf("ip %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
		return false
	}
	return true
}

// bridge runs a bridge(8) command in the namespace.
func (n *netns) bridge(t *testing.T, args ...string) bool {
	t.Helper()
	out, err := exec.Command("bridge", append([]string{"-n", n.name}, args...)...).CombinedOutput()
	if err != nil {
		t.Logf("bridge %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
		return false
	}
	return true
}

// peer creates a second namespace and gives it nsid 7 in n.
func (n *netns) peer(t *testing.T) {
	t.Helper()
	name := n.name + "-peer"
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", name).Run() })
	n.ip(t, "netns", "set", name, "7")
}

// join subscribes the session to rtnetlink multicast groups.
func (s *session) join(t *testing.T, groups ...int) {
	t.Helper()
	for _, g := range groups {
		if err := unix.SetsockoptInt(s.fd, unix.SOL_NETLINK, unix.NETLINK_ADD_MEMBERSHIP, g); err != nil {
			t.Fatalf("join group %d: %v", g, err)
		}
	}
}

// output runs a command in the namespace and returns its standard output.
func (n *netns) output(t *testing.T, cmd ...string) []byte {
	t.Helper()
	out, err := exec.Command("ip", append([]string{"netns", "exec", n.name}, cmd...)...).Output()
	if err != nil {
		t.Fatalf("%s: %v", strings.Join(cmd, " "), err)
	}
	return out
}

// record is one send or receive of raw netlink bytes.
type record struct {
	toKernel bool
	data     []byte
}

// session is a raw NETLINK_ROUTE socket inside the namespace. Raw syscalls,
// not client.Conn, so the bytes are exactly what the kernel sent.
type session struct {
	fd      int
	seq     uint32
	records []record
}

// socketIn opens a socket inside the namespace from a locked thread, then
// returns the thread to its own namespace; the socket stays in n and is
// closed when the test ends.
func (n *netns) socketIn(t *testing.T, domain, typ, proto int) int {
	t.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	self, err := os.Open("/proc/thread-self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	defer self.Close()
	// iproute2 keeps named namespaces in /run/netns or /var/run/netns,
	// as it was built; on most hosts one is a link to the other, not in
	// the test VM.
	target, err := os.Open(filepath.Join("/run/netns", n.name))
	if err != nil {
		target, err = os.Open(filepath.Join("/var/run/netns", n.name))
	}
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
		t.Fatal(err)
	}
	fd, serr := unix.Socket(domain, typ|unix.SOCK_CLOEXEC, proto)
	if err := unix.Setns(int(self.Fd()), unix.CLONE_NEWNET); err != nil {
		t.Fatalf("return to own netns: %v", err)
	}
	if serr != nil {
		t.Fatal(serr)
	}
	t.Cleanup(func() { unix.Close(fd) })
	return fd
}

// openSession opens a route socket in the namespace.
func (n *netns) openSession(t *testing.T, capAck bool) *session {
	t.Helper()
	fd := n.socketIn(t, unix.AF_NETLINK, unix.SOCK_RAW, unix.NETLINK_ROUTE)
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		t.Fatal(err)
	}
	unix.SetsockoptInt(fd, unix.SOL_NETLINK, unix.NETLINK_EXT_ACK, 1)
	if capAck {
		unix.SetsockoptInt(fd, unix.SOL_NETLINK, unix.NETLINK_CAP_ACK, 1)
	}
	return &session{fd: fd, seq: 100}
}

// request sends one message and records everything until its ACK, error or
// the end of its dump.
func (s *session) request(t *testing.T, typ, flags uint16, body []byte) {
	t.Helper()
	s.seq++
	m := client.Message{Header: client.Header{Type: typ, Flags: flags | client.FlagRequest, Sequence: s.seq}, Data: body}
	b, _ := m.MarshalBinary()
	if err := unix.Sendto(s.fd, b, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		t.Fatalf("send: %v", err)
	}
	s.records = append(s.records, record{toKernel: true, data: b})
	buf := make([]byte, 1<<20)
	for {
		n, _, err := unix.Recvfrom(s.fd, buf, 0)
		if err != nil {
			t.Fatalf("recv: %v", err)
		}
		data := append([]byte(nil), buf[:n]...)
		s.records = append(s.records, record{data: data})
		done := false
		for msg, err := range client.Messages(data) {
			if err != nil {
				t.Fatalf("reply: %v", err)
			}
			if msg.Header.Sequence != s.seq {
				continue
			}
			if msg.Header.Type == client.TypeDone || msg.Header.Type == client.TypeError || msg.Header.Flags&client.FlagMulti == 0 {
				done = true
			}
		}
		if done {
			return
		}
	}
}

func (s *session) dump(t *testing.T, typ uint16, body []byte) {
	t.Helper()
	s.request(t, typ, client.FlagDump, body)
}

// encodeRecords writes records as: direction byte (1 to the kernel, 2 from
// it), little-endian uint32 length, bytes.
func encodeRecords(rs []record) []byte {
	var out []byte
	for _, r := range rs {
		dir := byte(2)
		if r.toKernel {
			dir = 1
		}
		out = append(out, dir)
		out = binary.LittleEndian.AppendUint32(out, uint32(len(r.data)))
		out = append(out, r.data...)
	}
	return out
}
