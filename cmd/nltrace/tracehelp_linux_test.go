package main

// Helpers of the end-to-end tests of live tracing: building and running the
// real nltrace binary and the netlink test program in throwaway network
// namespaces, and turning both sides (the program's log, nltrace's pcapng
// or JSON output) into comparable events.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf/link"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/internal/netlinkprog"
)

// Environment of the end-to-end tests. NLTRACE_BIN is also set by the VM
// runner; runAsNetlinkProgEnv makes this test binary act as the netlink
// test program (the VM has no Go toolchain to build one).
const (
	nltraceBinEnv       = "NLTRACE_BIN"
	netlinkProgEnv      = "NLTRACE_NETLINKPROG"
	toolDirEnv          = "NLTRACE_TEST_TOOLS"
	runAsNetlinkProgEnv = "NLTRACE_RUN_AS_NETLINKPROG"
	// runAsSignalCounterEnv makes this test binary the signal counter.
	runAsSignalCounterEnv = "NLTRACE_RUN_AS_SIGNALCOUNTER"
)

func TestMain(m *testing.M) {
	if os.Getenv(runAsNetlinkProgEnv) == "1" {
		os.Exit(netlinkprog.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	if os.Getenv(runAsSignalCounterEnv) == "1" {
		os.Exit(signalCounter())
	}
	// The binaries are built once per test binary, on first use, into a
	// directory that lives as long as the run.
	dir, err := os.MkdirTemp("", "nltrace-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Readable by all: -u runs the netlink program as nobody.
	os.Chmod(dir, 0o755)
	os.Setenv(toolDirEnv, dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// tools are the two programs the end-to-end tests run.
type tools struct {
	nltrace string
	// prog runs the netlink test program: the static binary, or this test
	// binary with runAsNetlinkProgEnv set.
	prog    string
	progEnv []string
}

// buildTools returns nltrace and the netlink program: from the environment
// when set, otherwise built once per test binary (CGO_ENABLED=0).
func buildTools(t *testing.T) tools {
	t.Helper()
	dir := os.Getenv(toolDirEnv)
	build := func(env, name, pkg string) string {
		if p := os.Getenv(env); p != "" {
			return p
		}
		out := filepath.Join(dir, name)
		if _, err := os.Stat(out); err == nil {
			return out
		}
		if _, err := exec.LookPath("go"); err != nil {
			t.Fatalf("%s is not set and there is no go toolchain to build %s", env, pkg)
		}
		cmd := exec.Command("go", "build", "-o", out, pkg)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, b)
		}
		return out
	}
	return tools{
		nltrace: build(nltraceBinEnv, "nltrace", "."),
		prog:    build(netlinkProgEnv, "netlinkprog", "./testdata/netlinkprog"),
	}
}

// selfAsProg makes the netlink program this test binary itself.
func (tl tools) selfAsProg(t *testing.T) tools {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tl.prog = self
	tl.progEnv = []string{runAsNetlinkProgEnv + "=1"}
	return tl
}

// progComm is the command name the kernel gives the netlink program.
func (tl tools) progComm() string {
	c := filepath.Base(tl.prog)
	if len(c) > 15 {
		c = c[:15]
	}
	return c
}

// netNS is a throwaway network namespace with lo up.
type netNS struct {
	name  string
	path  string
	inode uint64
}

func newNetNS(t *testing.T) netNS {
	t.Helper()
	b := make([]byte, 4)
	rand.Read(b)
	name := "nltrace-e2e-" + hex.EncodeToString(b)
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v: %s", name, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", name).CombinedOutput(); err != nil {
			t.Errorf("ip netns del %s: %v: %s", name, err, out)
		}
	})
	ns := netNS{name: name, path: filepath.Join("/run/netns", name)}
	var st unix.Stat_t
	if err := unix.Stat(ns.path, &st); err != nil {
		t.Fatalf("stat %s: %v", ns.path, err)
	}
	ns.inode = st.Ino
	ns.ip(t, "link", "set", "lo", "up")
	return ns
}

// ip runs an untraced ip command inside the namespace.
func (ns netNS) ip(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", append([]string{"-n", ns.name}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// command runs argv inside the namespace; ip netns exec execs argv in
// place, so the process's pid is argv's.
func (ns netNS) command(argv ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", ns.name}, argv...)...)
}

// tracer is one nltrace process.
type tracer struct {
	cmd            *exec.Cmd
	stdout, stderr *watchBuffer
	waited         chan struct{}
	status         int
}

// startTrace starts nltrace with args inside ns; the netlink program's
// environment, if any, goes to nltrace, which hands it on.
func startTrace(t *testing.T, tl tools, ns netNS, stdin io.Reader, args ...string) *tracer {
	t.Helper()
	cmd := ns.command(append([]string{tl.nltrace}, args...)...)
	cmd.Env = append(os.Environ(), tl.progEnv...)
	cmd.Stdin = stdin
	return startTracer(t, cmd)
}

// traceTimeout bounds every wait of these tests; nothing should take long.
const traceTimeout = 60 * time.Second

// wait waits for nltrace to exit and returns its status.
func (r *tracer) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-r.waited:
	case <-time.After(traceTimeout):
		t.Fatalf("nltrace did not exit within %v; stderr:\n%s", traceTimeout, r.stderr)
	}
	return r.status
}

// ready waits until nltrace says its probes are attached.
func (r *tracer) ready(t *testing.T) {
	t.Helper()
	if err := r.stderr.waitFor("nltrace: tracing with the ", r.waited); err != nil {
		t.Fatalf("nltrace never became ready: %v; stderr:\n%s", err, r.stderr)
	}
}

// traceToEnd runs nltrace to the end and fails the test unless it exits with
// want.
func traceToEnd(t *testing.T, tl tools, ns netNS, want int, args ...string) *tracer {
	t.Helper()
	r := startTrace(t, tl, ns, nil, args...)
	if got := r.wait(t); got != want {
		t.Fatalf("nltrace %s: exit status %d, want %d; stderr:\n%s", strings.Join(args, " "), got, want, r.stderr)
	}
	return r
}

// watchBuffer collects a process's output and lets a test wait for a
// string in it.
type watchBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newWatchBuffer() *watchBuffer { return &watchBuffer{changed: make(chan struct{})} }

func (w *watchBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	close(w.changed)
	w.changed = make(chan struct{})
	return len(p), nil
}

func (w *watchBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// waitFor returns when s has been written, or an error when ended closes
// first or the time runs out.
func (w *watchBuffer) waitFor(s string, ended <-chan struct{}) error {
	deadline := time.After(traceTimeout)
	for {
		w.mu.Lock()
		found := strings.Contains(w.buf.String(), s)
		changed := w.changed
		w.mu.Unlock()
		if found {
			return nil
		}
		select {
		case <-changed:
		case <-ended:
			if strings.Contains(w.String(), s) {
				return nil
			}
			return errors.New("the process ended")
		case <-deadline:
			return fmt.Errorf("timed out after %v", traceTimeout)
		}
	}
}

// readLog reads the netlink program's log.
func readLog(t *testing.T, name string) ([]netlinkprog.Op, []string) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ops, notes, err := netlinkprog.ParseLog(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) == 0 {
		t.Fatalf("the netlink program logged nothing")
	}
	return ops, notes
}

// readPcapng reads back every record nltrace wrote with -w.
func readPcapng(t *testing.T, name string) ([]capture.Record, capture.Stats) {
	t.Helper()
	rd, err := pcapng.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var recs []capture.Record
	for r, err := range capture.Records(context.Background(), rd) {
		if capture.IsNonFatal(err) {
			// A gap marker: the drops themselves are checked by count.
			continue
		}
		if err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
		recs = append(recs, r)
	}
	return recs, rd.Stats()
}

// event is one send or receive as both sides can tell it.
type event struct {
	Send     bool
	PID, TID uint32 // TID only where the program's thread was locked
	Group    uint32 // multicast group number, 0 for unicast
	Bytes    string // hex
}

// eventsOfLog groups the logged calls by socket (port id): the order across
// sockets depends on the scheduler, the order on one socket does not.
func eventsOfLog(ops []netlinkprog.Op) map[uint32][]event {
	out := map[uint32][]event{}
	for _, o := range ops {
		e := event{Send: o.Send, PID: o.PID, Group: groupNumber(o.Group), Bytes: hex.EncodeToString(o.Data)}
		if o.Locked {
			e.TID = o.TID
		}
		out[o.Port] = append(out[o.Port], e)
	}
	return out
}

// lockedPorts are the sockets whose thread was locked, so whose TID counts.
func lockedPorts(ops []netlinkprog.Op) map[uint32]bool {
	out := map[uint32]bool{}
	for _, o := range ops {
		if o.Locked {
			out[o.Port] = true
		}
	}
	return out
}

func groupNumber(mask uint32) uint32 {
	for g := uint32(0); g < 32; g++ {
		if mask&(1<<g) != 0 {
			return g + 1
		}
	}
	return 0
}

// eventsOfRecords groups records by port id like eventsOfLog, and checks
// the metadata every record of the program must carry.
func eventsOfRecords(t *testing.T, recs []capture.Record, locked map[uint32]bool, comm string, netns uint64, method capture.Method) map[uint32][]event {
	t.Helper()
	out := map[uint32][]event{}
	for _, r := range recs {
		if r.Comm != comm || r.NetNS != netns || r.Protocol != unix.NETLINK_ROUTE || r.Method != method || r.Truncated() {
			t.Errorf("record metadata: comm %q netns %d protocol %d method %v orig %d len %d; want comm %q netns %d route %v untruncated",
				r.Comm, r.NetNS, r.Protocol, r.Method, r.OrigLen, len(r.Data), comm, netns, method)
		}
		e := event{Send: r.Direction == capture.ToKernel, PID: r.PID, Group: r.Group, Bytes: hex.EncodeToString(r.Data)}
		if r.Direction == capture.DirectionUnknown {
			t.Errorf("record without direction: %+v", r)
		}
		if locked[r.PortID] {
			e.TID = r.TID
		}
		out[r.PortID] = append(out[r.PortID], e)
	}
	return out
}

// compareEvents reports the difference between what the program logged and
// what nltrace captured, per socket, byte for byte.
func compareEvents(t *testing.T, want, got map[uint32][]event) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("captured records differ from the program's log (-want +got):\n%s", diff)
	}
}

// jsonLine is the part of nltrace's JSON output these tests rely on.
type jsonLine struct {
	Time      time.Time `json:"time"`
	CallTime  time.Time `json:"call_time"`
	PID       uint32    `json:"pid"`
	TID       uint32    `json:"tid"`
	Comm      string    `json:"comm"`
	Direction string    `json:"direction"`
	Protocol  string    `json:"protocol"`
	NetNS     uint64    `json:"netns"`
	PortID    uint32    `json:"port_id"`
	Group     uint32    `json:"group"`
	Type      string    `json:"type"`
	Flags     []string  `json:"flags"`
	Seq       uint32    `json:"seq"`
	Errno     int32     `json:"error"`
	Request   string    `json:"request"`
	Bytes     string    `json:"bytes"`
}

func parseJSONLines(t *testing.T, text string) []jsonLine {
	t.Helper()
	var out []jsonLine
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l jsonLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("bad JSON line %q: %v", sc.Text(), err)
		}
		out = append(out, l)
	}
	return out
}

// message is one netlink message as both sides can tell it.
type message struct {
	Send  bool
	PID   uint32
	Bytes string
}

// splitMessages cuts the bytes of one call into its messages.
func splitMessages(b []byte) [][]byte {
	var out [][]byte
	for len(b) >= unix.NLMSG_HDRLEN {
		l := int(binary.NativeEndian.Uint32(b))
		if l < unix.NLMSG_HDRLEN || l > len(b) {
			return append(out, b)
		}
		out = append(out, b[:l])
		b = b[min((l+3)&^3, len(b)):]
	}
	return out
}

// messagesOfLog returns the logged messages by port, kept by keep.
func messagesOfLog(ops []netlinkprog.Op, keep func(m []byte) bool) map[uint32][]message {
	out := map[uint32][]message{}
	for _, o := range ops {
		for _, m := range splitMessages(o.Data) {
			if keep == nil || keep(m) {
				out[o.Port] = append(out[o.Port], message{o.Send, o.PID, hex.EncodeToString(m)})
			}
		}
	}
	return out
}

func messagesOfJSON(lines []jsonLine) map[uint32][]message {
	out := map[uint32][]message{}
	for _, l := range lines {
		out[l.PortID] = append(out[l.PortID], message{l.Direction == capture.ToKernel.String(), l.PID, l.Bytes})
	}
	return out
}

// linkIDs returns the ids of the BPF links a process holds open, from
// /proc/PID/fdinfo.
func linkIDs(t *testing.T, pid int) []link.ID {
	t.Helper()
	dir := fmt.Sprintf("/proc/%d/fdinfo", pid)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []link.ID
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			continue // closed meanwhile
		}
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "link_id:"); ok {
				if n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 32); err == nil {
					ids = append(ids, link.ID(n))
				}
			}
		}
	}
	return ids
}

// checkDetached fails t if any of the links still exists.
func checkDetached(t *testing.T, ids []link.ID) {
	t.Helper()
	for _, id := range ids {
		l, err := link.NewFromID(id)
		if err == nil {
			l.Close()
			t.Errorf("BPF link %d is still attached after nltrace exited", id)
			continue
		}
		if !errors.Is(err, unix.ENOENT) {
			t.Errorf("look up BPF link %d: %v", id, err)
		}
	}
}

// signal sends sig to nltrace.
func (r *tracer) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := r.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal nltrace: %v", err)
	}
}

// summaryCounts parses the summary's first line.
func summaryCounts(t *testing.T, stderr string) (total, toKernel, fromKernel int) {
	t.Helper()
	for _, line := range strings.Split(stderr, "\n") {
		if _, err := fmt.Sscanf(line, "nltrace: %d messages: %d to kernel, %d from kernel", &total, &toKernel, &fromKernel); err == nil {
			return total, toKernel, fromKernel
		}
	}
	t.Fatalf("no summary in stderr:\n%s", stderr)
	return 0, 0, 0
}

// countMessages counts the logged messages per direction.
func countMessages(ops []netlinkprog.Op) (toKernel, fromKernel int) {
	for _, o := range ops {
		n := len(splitMessages(o.Data))
		if o.Send {
			toKernel += n
		} else {
			fromKernel += n
		}
	}
	return toKernel, fromKernel
}

// The header fields of one message (host byte order).
func msgType(m []byte) uint16 { return binary.NativeEndian.Uint16(m[4:]) }
func msgSeq(m []byte) uint32  { return binary.NativeEndian.Uint32(m[8:]) }

// msgErrno is the error code of an NLMSG_ERROR, 0 for anything else.
func msgErrno(m []byte) int32 {
	if msgType(m) != unix.NLMSG_ERROR || len(m) < unix.NLMSG_HDRLEN+4 {
		return 0
	}
	return int32(binary.NativeEndian.Uint32(m[unix.NLMSG_HDRLEN:]))
}
