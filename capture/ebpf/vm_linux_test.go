//go:build linux && (386 || amd64)

package ebpf_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/ebpf"
	"github.com/nltrace/nltrace/internal/testenv"
)

// These tests run only inside the test VM (internal/vmtest): its stock kernel
// allows fentry and kprobes, which the host's locked-down kernel refuses.

// workloadEnv, when set, makes the test binary the traced workload: it runs
// netlinkWorkload and writes its log of sent and received bytes to the file
// the variable names.
const workloadEnv = "NLTRACE_EBPF_WORKLOAD_LOG"

// TestVMProbeSets traces one run of a netlink workload with the three probe
// sets at once: each must record the same messages, byte for byte, with the
// same metadata; only the capture method and the time (taken at the system
// call or at netlink_sendmsg/netlink_recvmsg) differ. The workload's own
// messages must also equal what it logged sending and receiving.
func TestVMProbeSets(t *testing.T) {
	testenv.RequireVM(t)
	if log := os.Getenv(workloadEnv); log != "" {
		if err := netlinkWorkload(log); err != nil {
			fmt.Fprintln(os.Stderr, "workload:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}

	sets := []ebpf.ProbeSet{ebpf.ProbeFentry, ebpf.ProbeKprobe, ebpf.ProbeTracepoint}
	var srcs []*ebpf.Source
	for _, set := range sets {
		plan, err := ebpf.NewPlan(ebpf.Config{Probe: set, Self: uint32(os.Getpid()), RingSize: 4 << 20})
		if err != nil {
			t.Fatal(err)
		}
		src, err := ebpf.Open(plan)
		if err != nil {
			t.Fatalf("open %s: %v", set, err)
		}
		t.Cleanup(func() {
			if err := src.Close(); err != nil {
				t.Errorf("close %s: %v", set, err)
			}
		})
		if src.ProbeSet() != set {
			t.Fatalf("asked for %s, got %s", set, src.ProbeSet())
		}
		srcs = append(srcs, src)
	}

	logFile := filepath.Join(t.TempDir(), "workload.json")
	cmd := exec.Command(os.Args[0], "-test.run=^TestVMProbeSets$")
	cmd.Env = append(os.Environ(), workloadEnv+"="+logFile)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	// The fork hook of every set adds the child while this process is
	// tracked; Self keeps this process's own messages out.
	for _, src := range srcs {
		if err := src.Track(uint32(os.Getpid())); err != nil {
			t.Fatal(err)
		}
	}
	startErr := cmd.Start()
	for _, src := range srcs {
		if err := src.Untrack(uint32(os.Getpid())); err != nil {
			t.Fatal(err)
		}
	}
	if startErr != nil {
		t.Fatal(startErr)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("workload: %v", err)
	}
	workloadPID := uint32(cmd.Process.Pid)

	logged, err := readWorkloadLog(logFile)
	if err != nil {
		t.Fatal(err)
	}
	recs := make([][]capture.Record, len(sets))
	for i, src := range srcs {
		recs[i] = drain(t, src)
		t.Logf("%s: %d records", sets[i], len(recs[i]))
		for _, r := range recs[i] {
			if r.Method != sets[i].Method() {
				t.Errorf("%s: record with method %v", sets[i], r.Method)
			}
		}
	}

	// The workload's own messages, as it logged them.
	for i, set := range sets {
		var got []loggedMessage
		for _, r := range recs[i] {
			if r.PID == workloadPID {
				got = append(got, loggedMessage{ToKernel: r.Direction == capture.ToKernel, Data: r.Data, Len: r.OrigLen, Group: r.Group})
			}
		}
		if diff := cmp.Diff(logged, got); diff != "" {
			t.Errorf("%s: the workload's messages differ from its log (-want +got):\n%s", set, diff)
		}
	}

	// Every record, the ip children's included, agrees across the sets.
	comparable := func(rs []capture.Record) []capture.Record {
		out := make([]capture.Record, len(rs))
		for i, r := range rs {
			r.Time, r.CallTime = time.Time{}, time.Time{}
			r.Method = capture.MethodUnknown
			out[i] = r
		}
		return out
	}
	want := comparable(recs[len(sets)-1])
	if len(want) < len(logged)+4 {
		t.Errorf("tracepoint: only %d records for %d logged messages and the ip runs", len(want), len(logged))
	}
	for i, set := range sets[:len(sets)-1] {
		if diff := cmp.Diff(want, comparable(recs[i])); diff != "" {
			t.Errorf("%s records differ from the tracepoint set's (-tracepoint +%s):\n%s", set, set, diff)
		}
	}
}

// TestVMAutoPicksFentry checks that automatic selection takes the first set,
// fentry, on a kernel that allows it.
func TestVMAutoPicksFentry(t *testing.T) {
	testenv.RequireVM(t)
	plan, err := ebpf.NewPlan(ebpf.Config{Self: uint32(os.Getpid()), RingSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	src, err := ebpf.Open(plan)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if got := src.ProbeSet(); got != ebpf.ProbeFentry {
		t.Errorf("automatic selection: got %s, want fentry", got)
	}
}

// loggedMessage is one message the workload sent or received: the bytes
// that moved, the datagram's full length and, for multicast, the group.
type loggedMessage struct {
	ToKernel bool
	Data     []byte
	Len      int
	Group    uint32
}

func readWorkloadLog(name string) ([]loggedMessage, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read workload log: %w", err)
	}
	var log []loggedMessage
	if err := json.Unmarshal(b, &log); err != nil {
		return nil, fmt.Errorf("parse workload log: %w", err)
	}
	return log, nil
}

// netlinkWorkload uses NETLINK_ROUTE through every call the tracepoint set
// watches, in a network namespace of its own: write and read, sendto and a
// truncating recvfrom, sendmsg with two iovecs and recvmsg after peeks,
// sendmmsg and recvmmsg, and a multicast subscriber. Then it runs
// `ip link show` and `ip addr add`. It logs its own messages to logName.
func netlinkWorkload(logName string) error {
	runtime.LockOSThread() // the namespace belongs to this thread, and its children
	if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
		return fmt.Errorf("unshare: %w", err)
	}
	w := &workload{}
	// Writes to a file that is not a netlink socket, then a socket in the
	// same fd: the tracepoint set's fd cache must let go of the old answer.
	null, err := unix.Open("/dev/null", unix.O_WRONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open /dev/null: %w", err)
	}
	for range 3 {
		if _, err := unix.Write(null, []byte("not netlink\n")); err != nil {
			return fmt.Errorf("write /dev/null: %w", err)
		}
	}
	unix.Close(null)
	fd, err := w.socket(0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	if fd != null {
		return fmt.Errorf("the netlink socket got fd %d, not the closed fd %d", fd, null)
	}
	sub, err := w.socket(unix.RTMGRP_LINK)
	if err != nil {
		return err
	}
	defer unix.Close(sub)

	// write/read: set lo up, read the ACK.
	up := ifinfo(unix.RTM_NEWLINK, unix.NLM_F_REQUEST|unix.NLM_F_ACK, 1, 1, unix.IFF_UP, unix.IFF_UP)
	if _, err := unix.Write(fd, up); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	w.logSent(up, 0)
	buf := make([]byte, 1<<15)
	n, err := unix.Read(fd, buf)
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	w.logReceived(buf[:n], n, 0)

	// The subscriber's notifications, each after a peek; the source address
	// says the group.
	for {
		if _, _, err := unix.Recvfrom(sub, buf[:16], unix.MSG_PEEK|unix.MSG_TRUNC|unix.MSG_DONTWAIT); errors.Is(err, unix.EAGAIN) {
			break
		} else if err != nil {
			return fmt.Errorf("peek notification: %w", err)
		}
		n, _, _, from, err := unix.Recvmsg(sub, buf, nil, unix.MSG_DONTWAIT)
		if err != nil {
			return fmt.Errorf("recvmsg notification: %w", err)
		}
		var group uint32
		if sa, ok := from.(*unix.SockaddrNetlink); ok && sa.Groups != 0 {
			group = uint32(bitsTrailingZeros(sa.Groups)) + 1
		}
		w.logReceived(buf[:n], n, group)
	}

	// sendto, and recvfrom into 16 bytes with MSG_TRUNC: the record keeps
	// the ACK's full length.
	addr := ifaddr(2, 1, [4]byte{10, 9, 8, 7}, 24)
	if err := unix.Sendto(fd, addr, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return fmt.Errorf("sendto: %w", err)
	}
	w.logSent(addr, 0)
	small := make([]byte, 16)
	n, _, err = unix.Recvfrom(fd, small, unix.MSG_TRUNC)
	if err != nil {
		return fmt.Errorf("recvfrom: %w", err)
	}
	w.logReceived(small, n, 0)

	// sendmsg with the header and the body in two iovecs; a dump read by
	// recvmsg into two iovecs, each read after a peek.
	dump := ifinfo(unix.RTM_GETLINK, unix.NLM_F_REQUEST|unix.NLM_F_DUMP, 3, 0, 0, 0)
	if _, err := unix.SendmsgBuffers(fd, [][]byte{dump[:16], dump[16:]}, nil, nil, 0); err != nil {
		return fmt.Errorf("sendmsg: %w", err)
	}
	w.logSent(dump, 0)
	for done := false; !done; {
		if _, _, _, _, err := unix.Recvmsg(fd, buf[:0], nil, unix.MSG_PEEK|unix.MSG_TRUNC); err != nil {
			return fmt.Errorf("peek dump: %w", err)
		}
		n, _, _, _, err := unix.RecvmsgBuffers(fd, [][]byte{buf[:100], buf[100:]}, nil, 0)
		if err != nil {
			return fmt.Errorf("recvmsg dump: %w", err)
		}
		w.logReceived(buf[:n], n, 0)
		done = lastType(buf[:n]) == unix.NLMSG_DONE
	}

	// sendmmsg of two requests, recvmmsg of their replies.
	reqs := [][]byte{
		ifinfo(unix.RTM_GETLINK, unix.NLM_F_REQUEST, 4, 1, 0, 0),
		ifinfo(unix.RTM_GETLINK, unix.NLM_F_REQUEST, 5, 1, 0, 0),
	}
	if err := sendmmsg(fd, reqs); err != nil {
		return err
	}
	for _, r := range reqs {
		w.logSent(r, 0)
	}
	for got := 0; got < len(reqs); {
		bufs := [][]byte{make([]byte, 1<<14), make([]byte, 1<<14)}
		lens, err := recvmmsg(fd, bufs)
		if err != nil {
			return err
		}
		for i, l := range lens {
			w.logReceived(bufs[i][:l], l, 0)
		}
		got += len(lens)
	}

	for _, args := range [][]string{{"link", "show"}, {"addr", "add", "10.9.9.9/24", "dev", "lo"}} {
		cmd := exec.Command("ip", args...)
		cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("ip %v: %w", args, err)
		}
	}

	b, err := json.Marshal(w.log)
	if err != nil {
		return err
	}
	return os.WriteFile(logName, b, 0o644)
}

type workload struct {
	log []loggedMessage
}

func (w *workload) socket(groups uint32) (int, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
	if err != nil {
		return -1, fmt.Errorf("socket: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: groups}); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("bind: %w", err)
	}
	return fd, nil
}

func (w *workload) logSent(b []byte, group uint32) {
	w.log = append(w.log, loggedMessage{ToKernel: true, Data: bytes.Clone(b), Len: len(b), Group: group})
}

func (w *workload) logReceived(b []byte, n int, group uint32) {
	w.log = append(w.log, loggedMessage{Data: bytes.Clone(b), Len: n, Group: group})
}

func bitsTrailingZeros(v uint32) int {
	n := 0
	for v&1 == 0 && n < 32 {
		v >>= 1
		n++
	}
	return n
}

// ifinfo builds an RTM_*LINK request: nlmsghdr and ifinfomsg.
func ifinfo(typ, flags uint16, seq uint32, index int32, ifFlags, change uint32) []byte {
	b := make([]byte, unix.NLMSG_HDRLEN+unix.SizeofIfInfomsg)
	ne := binary.NativeEndian
	ne.PutUint32(b[0:], uint32(len(b)))
	ne.PutUint16(b[4:], typ)
	ne.PutUint16(b[6:], flags)
	ne.PutUint32(b[8:], seq)
	b[16] = unix.AF_UNSPEC
	ne.PutUint32(b[20:], uint32(index))
	ne.PutUint32(b[24:], ifFlags)
	ne.PutUint32(b[28:], change)
	return b
}

// ifaddr builds an RTM_NEWADDR request for an IPv4 address with IFA_LOCAL
// and IFA_ADDRESS.
func ifaddr(seq uint32, index uint32, ip [4]byte, prefix uint8) []byte {
	ne := binary.NativeEndian
	b := make([]byte, unix.NLMSG_HDRLEN+unix.SizeofIfAddrmsg, 64)
	ne.PutUint16(b[4:], unix.RTM_NEWADDR)
	ne.PutUint16(b[6:], unix.NLM_F_REQUEST|unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL)
	ne.PutUint32(b[8:], seq)
	b[16] = unix.AF_INET
	b[17] = prefix
	ne.PutUint32(b[20:], index)
	for _, typ := range []uint16{unix.IFA_LOCAL, unix.IFA_ADDRESS} {
		attr := make([]byte, 8)
		ne.PutUint16(attr[0:], 8)
		ne.PutUint16(attr[2:], typ)
		copy(attr[4:], ip[:])
		b = append(b, attr...)
	}
	ne.PutUint32(b[0:], uint32(len(b)))
	return b
}

// lastType returns the type of the last message in b.
func lastType(b []byte) uint16 {
	var typ uint16
	for len(b) >= unix.NLMSG_HDRLEN {
		l := int(binary.NativeEndian.Uint32(b))
		typ = binary.NativeEndian.Uint16(b[4:])
		if l < unix.NLMSG_HDRLEN || l > len(b) {
			break
		}
		b = b[(l+unix.NLMSG_ALIGNTO-1)&^(unix.NLMSG_ALIGNTO-1):]
	}
	return typ
}

// mmsghdr is struct mmsghdr on 64-bit Linux.
type mmsghdr struct {
	hdr unix.Msghdr
	len uint32
	_   [4]byte
}

func sendmmsg(fd int, msgs [][]byte) error {
	iovs := make([]unix.Iovec, len(msgs))
	hdrs := make([]mmsghdr, len(msgs))
	for i, m := range msgs {
		iovs[i].Base = &m[0]
		iovs[i].SetLen(len(m))
		hdrs[i].hdr.Iov = &iovs[i]
		hdrs[i].hdr.SetIovlen(1)
	}
	n, _, errno := unix.Syscall6(unix.SYS_SENDMMSG, uintptr(fd), uintptr(unsafe.Pointer(&hdrs[0])), uintptr(len(hdrs)), 0, 0, 0)
	runtime.KeepAlive(msgs)
	if errno != 0 {
		return fmt.Errorf("sendmmsg: %w", errno)
	}
	if int(n) != len(msgs) {
		return fmt.Errorf("sendmmsg: sent %d of %d", n, len(msgs))
	}
	return nil
}

func recvmmsg(fd int, bufs [][]byte) ([]int, error) {
	iovs := make([]unix.Iovec, len(bufs))
	hdrs := make([]mmsghdr, len(bufs))
	for i, b := range bufs {
		iovs[i].Base = &b[0]
		iovs[i].SetLen(len(b))
		hdrs[i].hdr.Iov = &iovs[i]
		hdrs[i].hdr.SetIovlen(1)
	}
	n, _, errno := unix.Syscall6(unix.SYS_RECVMMSG, uintptr(fd), uintptr(unsafe.Pointer(&hdrs[0])), uintptr(len(hdrs)), 0, 0, 0)
	runtime.KeepAlive(bufs)
	if errno != 0 {
		return nil, fmt.Errorf("recvmmsg: %w", errno)
	}
	lens := make([]int, n)
	for i := range lens {
		lens[i] = int(hdrs[i].len)
	}
	return lens, nil
}
