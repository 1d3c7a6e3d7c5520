package nft_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode/nft"
	"github.com/nltrace/nltrace/internal/testenv"
	"golang.org/x/sys/unix"
)

var record = flag.Bool("record", false, "host tier: save the session TestKernel captured to testdata/kernel")

// TestKernel is the host tier: in a throwaway network namespace, nft adds
// testdata/ruleset.nft (every expression this kernel and nft build),
// iptables-nft adds rules with xtables matches and targets, a ping is
// traced, and nft lists the ruleset, each under nltrace; a socket of our
// own records the NFNLGRP_NFTABLES and NFNLGRP_NFTRACE events meanwhile.
// The decode must name everything and agree with nft --debug=netlink and
// nft -j list ruleset. The host's own ruleset must be untouched.
func TestKernel(t *testing.T) {
	testenv.RequireRoot(t)
	for _, tool := range []string{"nft", "iptables-nft", "ip", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			testenv.Skip(t, testenv.Host, tool+" is not installed (scripts/deps installs it)")
		}
	}
	hostBefore := hostRuleset(t)
	ns := newNetNS(t)
	nltrace := testenv.BuildNltrace(t, t.TempDir())
	dir := t.TempDir()

	events := ns.eventSocket(t)
	s := &session{}

	var out bytes.Buffer
	s.add = ns.trace(t, nltrace, filepath.Join(dir, "add.pcapng"), &out, "nft", "--debug=netlink", "-f", "testdata/ruleset.nft")
	s.debug = out.String()

	s.compat = ns.trace(t, nltrace, filepath.Join(dir, "compat.pcapng"), nil,
		"iptables-nft", "-A", "INPUT", "-p", "tcp", "-m", "multiport", "--dports", "7001,7002", "-j", "TCPMSS", "--set-mss", "1300")

	s.list = ns.trace(t, nltrace, filepath.Join(dir, "list.pcapng"), nil, "nft", "list", "ruleset")
	s.json = ns.run(t, "nft", "-j", "list", "ruleset")

	// The tracing table marks UDP for tracing: one datagram to the
	// discard port makes the kernel trace it through every chain, which
	// nft monitor prints as well.
	s.monitor = ns.monitor(t, func() { ns.run(t, "bash", "-c", "echo trace > /dev/udp/127.0.0.1/9") })
	s.crafted = craftedSession(t, ns)
	s.events = events.drain(t)

	if got := hostRuleset(t); got != hostBefore {
		t.Errorf("the host's ruleset changed:\nbefore:\n%s\nafter:\n%s", hostBefore, got)
	}

	var traces int
	for _, r := range s.events {
		for m, err := range client.Messages(r.Data) {
			if err == nil && m.Header.Type == nfnlType(nft.MsgTrace) {
				traces++
			}
		}
	}
	if traces == 0 {
		t.Errorf("no NFT_MSG_TRACE event for the traced ping")
	}

	t.Run("debug-netlink", func(t *testing.T) { checkDebugNetlink(t, s) })
	t.Run("list-json", func(t *testing.T) { checkListJSON(t, s) })
	t.Run("crafted", func(t *testing.T) { checkCrafted(t, s) })
	t.Run("monitor-trace", func(t *testing.T) { checkMonitorTrace(t, s) })
	if *record {
		s.save(t)
	}
}

func nfnlType(m int) uint16 { return 10<<8 | uint16(m) }

// hostRuleset is the host's nft ruleset, which the tests must not touch.
func hostRuleset(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("nft", "list", "ruleset").CombinedOutput()
	if err != nil {
		t.Fatalf("nft list ruleset: %v: %s", err, out)
	}
	return string(out)
}

type netns struct{ name string }

func newNetNS(t *testing.T) *netns {
	t.Helper()
	b := make([]byte, 4)
	rand.Read(b)
	n := &netns{name: "nltrace-nft-" + hex.EncodeToString(b)}
	if out, err := exec.Command("ip", "netns", "add", n.name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", n.name).CombinedOutput(); err != nil {
			t.Errorf("ip netns del %s: %v: %s", n.name, err, out)
		}
	})
	n.run(t, "ip", "link", "set", "lo", "up")
	// The ruleset's netdev chains and dup/fwd statements name these.
	n.run(t, "ip", "link", "add", "nftv0", "type", "veth", "peer", "name", "nftv1")
	n.run(t, "ip", "link", "set", "nftv0", "up")
	n.run(t, "ip", "link", "set", "nftv1", "up")
	return n
}

// run runs argv in the namespace and returns its standard output.
func (n *netns) run(t *testing.T, argv ...string) []byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("ip", append([]string{"netns", "exec", n.name}, argv...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v: %s", strings.Join(argv, " "), err, stderr.String())
	}
	return stdout.Bytes()
}

// monitor runs nft monitor in the namespace while fn runs and returns
// what it printed. It is known to listen once it prints a table the test
// adds, and to have printed what fn caused once it prints a last one,
// which the kernel announces after fn's events.
func (n *netns) monitor(t *testing.T, fn func()) string {
	t.Helper()
	out := &lineBuffer{}
	cmd := exec.Command("ip", "netns", "exec", n.name, "nft", "monitor")
	cmd.Stdout = out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	defer func() { cmd.Process.Kill(); <-done }()
	// nft monitor gives no sign that it listens: add tables until it
	// prints one.
	for k := 0; ; k++ {
		name := fmt.Sprintf("monitor_ready%d", k)
		n.run(t, "nft", "add", "table", "ip", name)
		if out.waitFor(t, "add table ip "+name+"\n", done, 2*time.Second) {
			break
		}
		if k == 10 {
			t.Fatalf("nft monitor printed none of the tables added:\n%s", out.String())
		}
	}
	fn()
	n.run(t, "nft", "add", "table", "ip", "monitor_done")
	// nft prints the generation a change made after the change.
	if !out.waitFor(t, "add table ip monitor_done\n# new generation [^\n]*\n", done, 30*time.Second) {
		t.Fatalf("nft monitor did not print the last table:\n%s", out.String())
	}
	return out.String()
}

// lineBuffer collects a process's output for waitFor.
type lineBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func (l *lineBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	if l.changed != nil {
		close(l.changed)
		l.changed = nil
	}
	return len(p), nil
}

func (l *lineBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// waitFor reports whether text matching the regular expression s was
// written within d; it fails the test if the process ends without writing
// it.
func (l *lineBuffer) waitFor(t *testing.T, s string, ended <-chan struct{}, d time.Duration) bool {
	t.Helper()
	re := regexp.MustCompile(s)
	timeout := time.After(d)
	for {
		l.mu.Lock()
		found := re.MatchString(l.buf.String())
		if l.changed == nil {
			l.changed = make(chan struct{})
		}
		changed := l.changed
		l.mu.Unlock()
		if found {
			return true
		}
		select {
		case <-changed:
		case <-ended:
			if !re.MatchString(l.String()) {
				t.Fatalf("nft monitor ended before printing %q:\n%s", s, l.String())
			}
			return true
		case <-timeout:
			return false
		}
	}
}

// trace runs argv in the namespace under nltrace -w and returns the
// records; stdout, if not nil, gets the command's standard output.
func (n *netns) trace(t *testing.T, nltrace, file string, stdout *bytes.Buffer, argv ...string) []capture.Record {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command("ip", append([]string{"netns", "exec", n.name, nltrace, "-w", file, "--"}, argv...)...)
	cmd.Stderr = &stderr
	if stdout != nil {
		cmd.Stdout = stdout
	}
	if err := cmd.Run(); err != nil {
		t.Fatalf("nltrace -- %s: %v\n%s", strings.Join(argv, " "), err, stderr.String())
	}
	rd, err := pcapng.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var recs []capture.Record
	for r, err := range capture.Records(context.Background(), rd) {
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if len(recs) == 0 {
		t.Fatalf("nltrace captured nothing from %s", strings.Join(argv, " "))
	}
	return recs
}

// eventSocket is a NETLINK_NETFILTER socket in the namespace, subscribed
// to ruleset changes and traces.
type eventSocket struct{ fd int }

// socketIn opens a bound NETLINK_NETFILTER socket inside the namespace
// from a locked thread, then returns the thread to its own namespace.
func (n *netns) socketIn(t *testing.T) int {
	t.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	self, err := os.Open("/proc/thread-self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	defer self.Close()
	target, err := os.Open(filepath.Join("/run/netns", n.name))
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
		t.Fatal(err)
	}
	fd, serr := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_NETFILTER)
	if err := unix.Setns(int(self.Fd()), unix.CLONE_NEWNET); err != nil {
		t.Fatalf("return to own netns: %v", err)
	}
	if serr != nil {
		t.Fatal(serr)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		t.Fatal(err)
	}
	return fd
}

func (n *netns) eventSocket(t *testing.T) *eventSocket {
	t.Helper()
	fd := n.socketIn(t)
	unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, 8<<20)
	for _, g := range []int{nft.GroupNFTables, nft.GroupNFTrace} {
		if err := unix.SetsockoptInt(fd, unix.SOL_NETLINK, unix.NETLINK_ADD_MEMBERSHIP, g); err != nil {
			t.Fatalf("join group %d: %v", g, err)
		}
	}
	return &eventSocket{fd: fd}
}

// drain returns what the socket has received. The kernel queues ruleset
// events before it answers the batch and trace events while the packet is
// processed, so all of them are here once the commands have returned.
func (e *eventSocket) drain(t *testing.T) []capture.Record {
	t.Helper()
	var recs []capture.Record
	buf := make([]byte, 1<<20)
	for {
		n, from, err := unix.Recvfrom(e.fd, buf, unix.MSG_DONTWAIT)
		if err == unix.EAGAIN {
			break
		}
		if err != nil {
			t.Fatalf("recv events: %v", err)
		}
		var group uint32
		if sa, ok := from.(*unix.SockaddrNetlink); ok {
			group = sa.Groups
		}
		recs = append(recs, capture.Record{Time: time.Now(), Direction: capture.FromKernel, Protocol: unix.NETLINK_NETFILTER,
			Group: group, Data: append([]byte(nil), buf[:n]...), OrigLen: n, Method: capture.MethodFile})
	}
	if len(recs) == 0 {
		t.Fatal("no nf_tables events received")
	}
	return recs
}
