package netlinkprog

import (
	"bufio"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Main runs the program with args (without the program name) and returns
// its exit status.
//
//	netlinkprog [-log FILE] [-wait] workers N     N goroutines, each on its own socket
//	netlinkprog [-log FILE] [-wait] fork          one request, a child (re-exec) with one worker, one request
//	netlinkprog [-log FILE] [-wait] subscribe NAME  RTNLGRP_LINK until a link NAME appears
//	netlinkprog [-wait] flood DURATION            RTM_GETLINK of link 1, one call after another, for DURATION
//
// With -wait it prints "ready" on stdout once its sockets are bound (for
// subscribe) or before any netlink call (otherwise), and then waits for a
// line on stdin.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("netlinkprog", flag.ContinueOnError)
	fs.SetOutput(stderr)
	logName := fs.String("log", "-", "append the log to `FILE` (- is stdout)")
	wait := fs.Bool("wait", false, `print "ready" and wait for a line on stdin before the first netlink call`)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	log, closeLog, err := OpenLog(*logName)
	if err != nil {
		fmt.Fprintf(stderr, "netlinkprog: %v\n", err)
		return 1
	}
	p := &prog{log: log, stdin: stdin, stdout: stdout, wait: *wait, logName: *logName}
	err = p.run(fs.Args())
	if cerr := closeLog(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "netlinkprog: %v\n", err)
		return 1
	}
	return 0
}

type prog struct {
	log     *Logger
	stdin   io.Reader
	stdout  io.Writer
	wait    bool
	logName string
}

func (p *prog) run(args []string) error {
	if len(args) == 0 {
		return errors.New("say what to do: workers N, fork, subscribe NAME or flood DURATION")
	}
	if err := p.log.Note("pid=%d uid=%d mode=%s", os.Getpid(), os.Getuid(), args[0]); err != nil {
		return err
	}
	switch args[0] {
	case "workers":
		if len(args) != 2 {
			return errors.New("workers needs a count")
		}
		n, err := strconv.Atoi(args[1])
		if err != nil || n < 1 {
			return fmt.Errorf("bad worker count %q", args[1])
		}
		if err := p.ready(); err != nil {
			return err
		}
		return p.workers(n)
	case "fork":
		if err := p.ready(); err != nil {
			return err
		}
		return p.fork()
	case "subscribe":
		if len(args) != 2 {
			return errors.New("subscribe needs the name of the link that ends it")
		}
		return p.subscribe(args[1])
	case "flood":
		if len(args) != 2 {
			return errors.New("flood needs a duration")
		}
		d, err := time.ParseDuration(args[1])
		if err != nil || d <= 0 {
			return fmt.Errorf("bad flood duration %q", args[1])
		}
		if err := p.ready(); err != nil {
			return err
		}
		return p.flood(d)
	}
	return fmt.Errorf("unknown mode %q", args[0])
}

func (p *prog) ready() error {
	if !p.wait {
		return nil
	}
	if _, err := fmt.Fprintln(p.stdout, "ready"); err != nil {
		return err
	}
	if _, err := bufio.NewReader(p.stdin).ReadString('\n'); err != nil {
		return fmt.Errorf("wait for the go-ahead on stdin: %w", err)
	}
	return nil
}

// workers runs n goroutines; every other one locks its OS thread, and all
// start together once each has its socket, so the calls come from several
// threads at once.
func (p *prog) workers(n int) error {
	errs := make([]error, n)
	var wg, opened sync.WaitGroup
	start := make(chan struct{})
	opened.Add(n)
	for i := range n {
		wg.Go(func() {
			locked := i%2 == 0
			if locked {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
			}
			s, err := p.open(unix.NETLINK_ROUTE, 0, locked)
			opened.Done()
			if err != nil {
				errs[i] = err
				return
			}
			defer s.close()
			<-start
			errs[i] = s.worker(i)
		})
	}
	opened.Wait()
	close(start)
	wg.Wait()
	return errors.Join(errs...)
}

// fork makes one request, runs itself as a child with one worker (sharing
// the log), and makes one more request once the child is done.
func (p *prog) fork() error {
	s, err := p.open(unix.NETLINK_ROUTE, 0, false)
	if err != nil {
		return err
	}
	defer s.close()
	if err := s.roundTrip(sendto, recvPeekFrom, getLinkDump(1)); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find myself: %w", err)
	}
	child := exec.Command(self, "-log", p.logName, "workers", "1")
	child.Env = os.Environ()
	if p.logName == "-" {
		child.Stdout = p.stdout
	}
	child.Stderr = os.Stderr
	if err := child.Run(); err != nil {
		return fmt.Errorf("child: %w", err)
	}
	return s.roundTrip(sendmsgSplit, recvmsgSplit, getLinkByIndex(2, 1))
}

// subscribe joins RTNLGRP_LINK and logs every notification until one names
// the link stop.
func (p *prog) subscribe(stop string) error {
	s, err := p.open(unix.NETLINK_ROUTE, 1<<(unix.RTNLGRP_LINK-1), false)
	if err != nil {
		return err
	}
	defer s.close()
	if err := p.ready(); err != nil {
		return err
	}
	receivers := []receiver{recvmsgSplit, recvPeekFrom}
	for i := 0; ; i++ {
		datagrams, err := receivers[i%len(receivers)](s)
		if err != nil {
			return err
		}
		for _, d := range datagrams {
			if linkNamed(d, stop) {
				return nil
			}
		}
	}
}

// flood sends RTM_GETLINK requests for link 1 (lo), each followed by the
// receive of its one reply, as fast as it can until d has passed, and
// prints how many send and receive calls moved bytes: the records a tracer
// must account for, captured or counted as dropped. It logs no calls, so
// that the loop is the calls alone.
func (p *prog) flood(d time.Duration) error {
	s, err := p.open(unix.NETLINK_ROUTE, 0, false)
	if err != nil {
		return err
	}
	defer s.close()
	buf := make([]byte, 64<<10)
	var sent, received uint64
	req := getLinkByIndex(0, 1)
	// The ack flag would add a second reply message; one reply is the
	// link alone.
	binary.NativeEndian.PutUint16(req[6:], unix.NLM_F_REQUEST)
	start := time.Now()
	for seq := uint32(1); ; seq++ {
		// The clock is read once per 256 round trips: the loop is the
		// calls, not the time-keeping.
		if seq%256 == 0 && time.Since(start) >= d {
			break
		}
		binary.NativeEndian.PutUint32(req[8:], seq)
		if err := unix.Sendto(s.fd, req, 0, kernel()); err != nil {
			return fmt.Errorf("sendto: %w", err)
		}
		sent++
		n, _, err := unix.Recvfrom(s.fd, buf, 0)
		if err != nil {
			return fmt.Errorf("recvfrom: %w", err)
		}
		if n > 0 {
			received++
		}
	}
	elapsed := time.Since(start)
	_, err = fmt.Fprintf(p.stdout, "flood: sends %d receives %d records %d in %.3f s\n", sent, received, sent+received, elapsed.Seconds())
	return err
}

// worker runs a fixed script of requests, with the send and receive
// calls rotated by the worker's number.
func (s *socket) worker(id int) error {
	seq := uint32(id+1) * 1000
	script := [][]byte{
		getLinkDump(seq + 1),
		getAddrDump(seq + 2),
		getRouteDump(seq + 3),
		getLinkByIndex(seq+4, 1),
		delLinkHuge(seq + 5),
	}
	senders := []sender{sendto, sendmsgSplit, write, sendmmsg}
	receivers := []receiver{recvPeekFrom, recvmsgSplit, read, recvmmsg}
	for i, req := range script {
		if err := s.roundTrip(senders[(id+i)%len(senders)], receivers[(id+i)%len(receivers)], req); err != nil {
			return fmt.Errorf("worker %d request %d: %w", id, i, err)
		}
	}
	// Two requests in one sendmmsg: two records.
	if err := s.send(sendmmsg, getLinkByIndex(seq+6, 1), getLinkByIndex(seq+7, 1)); err != nil {
		return err
	}
	return s.receiveUntil(receivers[id%len(receivers)], 2)
}

// socket is one netlink socket; every call on it is logged.
type socket struct {
	p      *prog
	fd     int
	port   uint32
	locked bool
}

func (p *prog) open(proto int, groups uint32, locked bool) (*socket, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		return nil, fmt.Errorf("socket: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: groups}); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("bind: %w", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("getsockname: %w", err)
	}
	nl, ok := sa.(*unix.SockaddrNetlink)
	if !ok {
		unix.Close(fd)
		return nil, fmt.Errorf("getsockname: not a netlink address: %T", sa)
	}
	return &socket{p: p, fd: fd, port: nl.Pid, locked: locked}, nil
}

func (s *socket) close() { unix.Close(s.fd) }

func (s *socket) logOp(send bool, call string, group uint32, data []byte) error {
	return s.p.log.Log(Op{
		Send: send, PID: uint32(os.Getpid()), TID: uint32(unix.Gettid()), Locked: s.locked,
		Port: s.port, Group: group, Call: call, Data: data,
	})
}

// sender sends messages (one each, except sendmmsg) and logs each send.
type sender func(s *socket, msgs ...[]byte) error

// receiver makes one receive call and returns (and logs) the datagrams it
// got.
type receiver func(s *socket) ([][]byte, error)

func (s *socket) send(f sender, msgs ...[]byte) error { return f(s, msgs...) }

func (s *socket) roundTrip(f sender, r receiver, req []byte) error {
	if err := f(s, req); err != nil {
		return err
	}
	return s.receiveUntil(r, 1)
}

// receiveUntil receives until n replies have ended (NLMSG_DONE, or
// NLMSG_ERROR, which is also the ACK).
func (s *socket) receiveUntil(r receiver, n int) error {
	for n > 0 {
		datagrams, err := r(s)
		if err != nil {
			return err
		}
		for _, d := range datagrams {
			n -= endsOf(d)
		}
	}
	return nil
}

func kernel() *unix.SockaddrNetlink { return &unix.SockaddrNetlink{Family: unix.AF_NETLINK} }

func sendto(s *socket, msgs ...[]byte) error {
	for _, m := range msgs {
		if err := unix.Sendto(s.fd, m, 0, kernel()); err != nil {
			return fmt.Errorf("sendto: %w", err)
		}
		if err := s.logOp(true, "sendto", 0, m); err != nil {
			return err
		}
	}
	return nil
}

// sendmsgSplit sends each message in two iovecs: the header, then the rest.
func sendmsgSplit(s *socket, msgs ...[]byte) error {
	for _, m := range msgs {
		n, err := unix.SendmsgBuffers(s.fd, [][]byte{m[:unix.NLMSG_HDRLEN], m[unix.NLMSG_HDRLEN:]}, nil, kernel(), 0)
		if err != nil {
			return fmt.Errorf("sendmsg: %w", err)
		}
		if err := s.logOp(true, "sendmsg", 0, m[:n]); err != nil {
			return err
		}
	}
	return nil
}

func write(s *socket, msgs ...[]byte) error {
	for _, m := range msgs {
		n, err := unix.Write(s.fd, m)
		if err != nil {
			return fmt.Errorf("write: %w", err)
		}
		if err := s.logOp(true, "write", 0, m[:n]); err != nil {
			return err
		}
	}
	return nil
}

// sendmmsg sends all messages in one call.
func sendmmsg(s *socket, msgs ...[]byte) error {
	iovs := make([]unix.Iovec, len(msgs))
	hdrs := make([]unix.Mmsghdr, len(msgs))
	for i, m := range msgs {
		iovs[i].Base = &m[0]
		iovs[i].SetLen(len(m))
		hdrs[i].Hdr.Iov = &iovs[i]
		hdrs[i].Hdr.SetIovlen(1)
	}
	sent := 0
	for sent < len(msgs) {
		n, _, errno := unix.Syscall6(unix.SYS_SENDMMSG, uintptr(s.fd), uintptr(unsafe.Pointer(&hdrs[sent])), uintptr(len(msgs)-sent), 0, 0, 0)
		runtime.KeepAlive(msgs)
		runtime.KeepAlive(iovs)
		if errno != 0 {
			return fmt.Errorf("sendmmsg: %w", errno)
		}
		for i := sent; i < sent+int(n); i++ {
			if err := s.logOp(true, "sendmmsg", 0, msgs[i][:hdrs[i].Len]); err != nil {
				return err
			}
		}
		sent += int(n)
	}
	return nil
}

// recvPeekFrom peeks with MSG_TRUNC for the datagram's size, as iproute2
// does, then reads it with recvfrom.
func recvPeekFrom(s *socket) ([][]byte, error) {
	var probe [1]byte
	size, _, err := unix.Recvfrom(s.fd, probe[:], unix.MSG_PEEK|unix.MSG_TRUNC)
	if err != nil {
		return nil, fmt.Errorf("recvfrom peek: %w", err)
	}
	buf := make([]byte, size)
	n, from, err := unix.Recvfrom(s.fd, buf, 0)
	if err != nil {
		return nil, fmt.Errorf("recvfrom: %w", err)
	}
	d := buf[:n]
	return [][]byte{d}, s.logOp(false, "recvfrom", groupsOf(from), d)
}

// recvmsgSplit peeks, then reads into two iovecs: a small one first, so
// that a reply straddles them.
func recvmsgSplit(s *socket) ([][]byte, error) {
	var probe [1]byte
	size, _, _, _, err := unix.Recvmsg(s.fd, probe[:], nil, unix.MSG_PEEK|unix.MSG_TRUNC)
	if err != nil {
		return nil, fmt.Errorf("recvmsg peek: %w", err)
	}
	first := make([]byte, 20)
	rest := make([]byte, max(size, 1))
	n, _, _, from, err := unix.RecvmsgBuffers(s.fd, [][]byte{first, rest}, nil, 0)
	if err != nil {
		return nil, fmt.Errorf("recvmsg: %w", err)
	}
	d := append(first, rest...)[:n]
	return [][]byte{d}, s.logOp(false, "recvmsg", groupsOf(from), d)
}

func read(s *socket) ([][]byte, error) {
	buf := make([]byte, 64<<10)
	n, err := unix.Read(s.fd, buf)
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	d := buf[:n]
	return [][]byte{d}, s.logOp(false, "read", 0, d)
}

// recvmmsg reads up to four datagrams in one call.
func recvmmsg(s *socket) ([][]byte, error) {
	const vlen = 4
	var bufs [vlen][]byte
	iovs := make([]unix.Iovec, vlen)
	hdrs := make([]unix.Mmsghdr, vlen)
	for i := range vlen {
		bufs[i] = make([]byte, 64<<10)
		iovs[i].Base = &bufs[i][0]
		iovs[i].SetLen(len(bufs[i]))
		hdrs[i].Hdr.Iov = &iovs[i]
		hdrs[i].Hdr.SetIovlen(1)
	}
	n, _, errno := unix.Syscall6(unix.SYS_RECVMMSG, uintptr(s.fd), uintptr(unsafe.Pointer(&hdrs[0])), vlen, unix.MSG_WAITFORONE, 0, 0)
	runtime.KeepAlive(bufs)
	runtime.KeepAlive(iovs)
	if errno != 0 {
		return nil, fmt.Errorf("recvmmsg: %w", errno)
	}
	out := make([][]byte, n)
	for i := range out {
		out[i] = bufs[i][:hdrs[i].Len]
		if err := s.logOp(false, "recvmmsg", 0, out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func groupsOf(sa unix.Sockaddr) uint32 {
	if nl, ok := sa.(*unix.SockaddrNetlink); ok {
		return nl.Groups
	}
	return 0
}

// Requests, laid out by hand so that the bytes are this program's own.

func header(b []byte, typ, flags uint16, seq uint32) []byte {
	b = binary.NativeEndian.AppendUint32(b, 0) // length, set by finish
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = binary.NativeEndian.AppendUint16(b, flags)
	b = binary.NativeEndian.AppendUint32(b, seq)
	return binary.NativeEndian.AppendUint32(b, 0)
}

func finish(b []byte) []byte {
	binary.NativeEndian.PutUint32(b, uint32(len(b)))
	return b
}

// getLinkDump is a 17-byte request (a one-byte rtgenmsg), as Go's
// net.Interfaces sends: its length is not a multiple of 4.
func getLinkDump(seq uint32) []byte {
	b := header(nil, unix.RTM_GETLINK, unix.NLM_F_REQUEST|unix.NLM_F_DUMP, seq)
	return finish(append(b, unix.AF_UNSPEC))
}

func getAddrDump(seq uint32) []byte {
	b := header(nil, unix.RTM_GETADDR, unix.NLM_F_REQUEST|unix.NLM_F_DUMP, seq)
	return finish(append(b, make([]byte, unix.SizeofIfAddrmsg)...))
}

func getRouteDump(seq uint32) []byte {
	b := header(nil, unix.RTM_GETROUTE, unix.NLM_F_REQUEST|unix.NLM_F_DUMP, seq)
	return finish(append(b, make([]byte, unix.SizeofRtMsg)...))
}

func ifinfo(b []byte, index int32) []byte {
	msg := make([]byte, unix.SizeofIfInfomsg)
	binary.NativeEndian.PutUint32(msg[4:], uint32(index))
	return append(b, msg...)
}

func getLinkByIndex(seq uint32, index int32) []byte {
	b := header(nil, unix.RTM_GETLINK, unix.NLM_F_REQUEST|unix.NLM_F_ACK, seq)
	return finish(ifinfo(b, index))
}

// delLinkHuge asks to delete a link that does not exist, with a 40,000-byte
// attribute of a type rtnetlink ignores: the error reply echoes the whole
// request, so both directions carry a record larger than any ring-buffer
// chunk.
func delLinkHuge(seq uint32) []byte {
	b := header(nil, unix.RTM_DELLINK, unix.NLM_F_REQUEST|unix.NLM_F_ACK, seq)
	b = ifinfo(b, 0x7ffffff0)
	const payload = 40000
	b = binary.NativeEndian.AppendUint16(b, 4+payload)
	b = binary.NativeEndian.AppendUint16(b, 0x3ff)
	for i := range payload {
		b = append(b, byte(i*7))
	}
	return finish(b)
}

// endsOf counts the messages in d that end a reply.
func endsOf(d []byte) int {
	n := 0
	for len(d) >= unix.NLMSG_HDRLEN {
		l := int(binary.NativeEndian.Uint32(d))
		typ := binary.NativeEndian.Uint16(d[4:])
		if typ == unix.NLMSG_DONE || typ == unix.NLMSG_ERROR {
			n++
		}
		if l < unix.NLMSG_HDRLEN || l > len(d) {
			break
		}
		d = d[min((l+3)&^3, len(d)):]
	}
	return n
}

// linkNamed reports whether d holds an RTM_NEWLINK for the link name.
func linkNamed(d []byte, name string) bool {
	for len(d) >= unix.NLMSG_HDRLEN {
		l := int(binary.NativeEndian.Uint32(d))
		if l < unix.NLMSG_HDRLEN || l > len(d) {
			return false
		}
		msg := d[:l]
		if binary.NativeEndian.Uint16(msg[4:]) == unix.RTM_NEWLINK && len(msg) >= unix.NLMSG_HDRLEN+unix.SizeofIfInfomsg {
			attrs := msg[unix.NLMSG_HDRLEN+unix.SizeofIfInfomsg:]
			for len(attrs) >= 4 {
				al := int(binary.NativeEndian.Uint16(attrs))
				if al < 4 || al > len(attrs) {
					break
				}
				if binary.NativeEndian.Uint16(attrs[2:])&0x3fff == unix.IFLA_IFNAME && string(attrs[4:al]) == name+"\x00" {
					return true
				}
				attrs = attrs[min((al+3)&^3, len(attrs)):]
			}
		}
		d = d[min((l+3)&^3, len(d)):]
	}
	return false
}
