//go:build linux && (386 || amd64)

package ebpf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/ringbuf"
	"github.com/cilium/ebpf/rlimit"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
)

// Source is a running capture: BPF programs attached, records flowing
// through a ring buffer. It implements capture.Source.
type Source struct {
	set     ProbeSet
	objs    *ebpf.Collection
	links   []link.Link
	reader  *ringbuf.Reader
	tracked *ebpf.Map
	drops   *ebpf.Map
	// untrackGen counts Untrack calls: the BPF side caches "traced" per
	// thread and checks again after each one.
	untrackGen *ebpf.Map
	trackMu    sync.Mutex

	// monoToReal turns bpf_ktime_get_ns (CLOCK_MONOTONIC) into Unix time.
	monoToReal int64

	raw     ringbuf.Record
	partial map[uint32]*partialRecord
	records atomic.Uint64
	startMu sync.Mutex

	// endMu orders Drain, Close and Tracked, which a program calls from
	// different goroutines (a signal handler, a process watcher, the
	// reader); after Close they do nothing.
	endMu  sync.Mutex
	closed bool
}

// partialRecord is a record whose chunks are still arriving.
type partialRecord struct {
	rec capture.Record
	got int
	cap int
}

// eventSize is the size of the header in front of every chunk's data.
const eventSize = int(unsafe.Sizeof(nltraceEvent{}))

// Open loads the plan's programs and attaches the first probe set that
// works. Failures of every set are reported together.
func Open(p Plan) (*Source, error) {
	if err := checkPrivileges(); err != nil {
		return nil, err
	}
	if _, err := os.Stat("/sys/kernel/btf/vmlinux"); err != nil {
		return nil, fmt.Errorf("open ebpf capture: the kernel has no BTF (/sys/kernel/btf/vmlinux: %w); nltrace needs a kernel built with CONFIG_DEBUG_INFO_BTF=y", err)
	}
	if err := rlimit.RemoveMemlock(); err != nil {
		return nil, fmt.Errorf("open ebpf capture: raise the memlock limit: %w", err)
	}

	var errs []error
	for _, set := range p.Sets {
		s, err := openSet(p, set)
		if err == nil {
			return s, nil
		}
		errs = append(errs, fmt.Errorf("probe set %s: %w", set, err))
	}
	return nil, fmt.Errorf("open ebpf capture: no probe set works: %w", errors.Join(errs...))
}

// checkPrivileges says what is missing before the kernel answers EPERM.
func checkPrivileges() error {
	if unix.Geteuid() == 0 {
		return nil
	}
	var hdr = unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return fmt.Errorf("open ebpf capture: read capabilities: %w", err)
	}
	has := func(c uint) bool { return data[c/32].Effective&(1<<(c%32)) != 0 }
	if has(unix.CAP_SYS_ADMIN) || (has(unix.CAP_BPF) && has(unix.CAP_PERFMON)) {
		return nil
	}
	return fmt.Errorf("open ebpf capture: tracing needs root, or the capabilities CAP_BPF and CAP_PERFMON (try sudo): %w", unix.EPERM)
}

func openSet(p Plan, set ProbeSet) (_ *Source, err error) {
	spec, err := loadNltrace()
	if err != nil {
		return nil, fmt.Errorf("load embedded objects: %w", err)
	}
	// Threads that may be inside a call begun before the attach; the exit
	// probes recover such a call (bpf/nltrace.c, recover_call).
	inflight := inflightThreads(p)
	programs := set.Programs()
	if len(inflight) > 0 && set != ProbeTracepoint {
		// fexit and kretprobe miss a call already inside netlink_sendmsg
		// or recvmsg; the system call's exit still sees it. First, so that
		// a call is never between both.
		programs = append([]string{"sys_exit_recover"}, programs...)
	}
	keep := map[string]bool{}
	for _, name := range append(programs, followPrograms()...) {
		keep[name] = true
	}
	for name := range spec.Programs {
		if !keep[name] {
			delete(spec.Programs, name)
		}
	}
	consts := map[string]any{
		"snaplen":        p.Constants.SnapLen,
		"follow_tracked": boolByte(p.Constants.FollowTracked),
		"self_tgid":      p.Constants.SelfTGID,
		"netns_filter":   p.Constants.NetNS,
		"protocol_mask":  p.Constants.ProtocolMask,
	}
	for name, v := range consts {
		vs, ok := spec.Variables[name]
		if !ok {
			return nil, fmt.Errorf("object has no constant %s", name)
		}
		if err := vs.Set(v); err != nil {
			return nil, fmt.Errorf("set %s: %w", name, err)
		}
	}
	spec.Maps["events"].MaxEntries = uint32(p.RingSize)

	coll, err := ebpf.NewCollection(spec)
	if err != nil {
		return nil, explainLoadError(err)
	}
	s := &Source{
		set:        set,
		objs:       coll,
		tracked:    coll.Maps["tracked"],
		drops:      coll.Maps["drops"],
		untrackGen: coll.Maps["untrack_gen"],
		partial:    map[uint32]*partialRecord{},
	}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	for _, pid := range p.PIDs {
		if err := s.Track(pid); err != nil {
			return nil, err
		}
	}
	if err := s.markInflight(inflight); err != nil {
		return nil, err
	}
	if s.reader, err = ringbuf.NewReader(coll.Maps["events"]); err != nil {
		return nil, fmt.Errorf("open ring buffer: %w", err)
	}
	// Follow processes first, so no fork between two attaches is missed.
	for _, name := range append(followPrograms(), programs...) {
		ls, err := attach(name, coll.Programs[name])
		s.links = append(s.links, ls...)
		if err != nil {
			return nil, fmt.Errorf("attach %s: %w", name, explainLoadError(err))
		}
	}
	s.monoToReal = clockOffset()
	return s, nil
}

// inflightThreads lists the threads of the processes a plan traces from the
// start: the given processes, or with FollowAll every process but nltrace.
// Any of them may be blocked in a receive that began before the probes were
// attached. A process that exits meanwhile is left out.
func inflightThreads(p Plan) []uint32 {
	var pids []string
	if p.Constants.FollowTracked {
		for _, pid := range p.PIDs {
			pids = append(pids, strconv.FormatUint(uint64(pid), 10))
		}
	} else {
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			if _, err := strconv.ParseUint(e.Name(), 10, 32); err == nil && e.Name() != strconv.FormatUint(uint64(p.Constants.SelfTGID), 10) {
				pids = append(pids, e.Name())
			}
		}
	}
	var tids []uint32
	for _, pid := range pids {
		tasks, _ := os.ReadDir("/proc/" + pid + "/task")
		for _, t := range tasks {
			if tid, err := strconv.ParseUint(t.Name(), 10, 32); err == nil {
				tids = append(tids, uint32(tid))
			}
		}
	}
	return tids
}

// markInflight fills the inflight set before the probes are attached.
func (s *Source) markInflight(tids []uint32) error {
	set, count := s.objs.Maps["inflight"], s.objs.Maps["inflight_count"]
	var n uint64
	for _, tid := range tids {
		err := set.Update(tid, uint8(1), ebpf.UpdateNoExist)
		if errors.Is(err, ebpf.ErrKeyExist) {
			continue
		}
		if err != nil {
			// The set is full (more than 65536 threads): the others'
			// calls in progress at the attach are not recovered.
			break
		}
		n++
	}
	if err := count.Update(uint32(0), n, ebpf.UpdateAny); err != nil {
		return fmt.Errorf("mark threads already running: %w", err)
	}
	return nil
}

func boolByte(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

func attach(name string, prog *ebpf.Program) ([]link.Link, error) {
	if prog == nil {
		return nil, fmt.Errorf("program %s is missing from the object", name)
	}
	one := func(l link.Link, err error) ([]link.Link, error) {
		if err != nil {
			return nil, err
		}
		return []link.Link{l}, nil
	}
	switch prog.Type() {
	case ebpf.Tracing:
		return one(link.AttachTracing(link.TracingOptions{Program: prog}))
	case ebpf.Kprobe:
		switch name {
		case "kprobe_netlink_sendmsg":
			return one(link.Kprobe("netlink_sendmsg", prog, nil))
		case "kprobe_netlink_recvmsg":
			return one(link.Kprobe("netlink_recvmsg", prog, nil))
		case "kretprobe_netlink_sendmsg":
			return one(link.Kretprobe("netlink_sendmsg", prog, nil))
		case "kretprobe_netlink_recvmsg":
			return one(link.Kretprobe("netlink_recvmsg", prog, nil))
		}
	}
	return nil, fmt.Errorf("program %s: no way to attach type %v", name, prog.Type())
}

// explainLoadError keeps the verifier log and names the usual causes.
func explainLoadError(err error) error {
	var verr *ebpf.VerifierError
	if errors.As(err, &verr) {
		return fmt.Errorf("%w\nverifier log:\n%+v", err, verr)
	}
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
		return fmt.Errorf("%w (the kernel refused: not root, missing CAP_BPF/CAP_PERFMON, or locked down)", withoutMemlockHint(err))
	}
	return err
}

// memlockHint is what cilium/ebpf appends to an EPERM from loading a
// program or creating a map. Open has lifted the memlock limit already
// (rlimit.RemoveMemlock), so the hint would send the user the wrong way.
const memlockHint = " (MEMLOCK may be too low, consider rlimit.RemoveMemlock)"

// withoutMemlockHint returns err with the library's memlock hint left out
// of its text; errors.Is and errors.As still see err.
func withoutMemlockHint(err error) error {
	text := err.Error()
	if !strings.Contains(text, memlockHint) {
		return err
	}
	return &rewordedError{text: strings.Replace(text, memlockHint, "", 1), err: err}
}

// rewordedError shows text in place of err's own.
type rewordedError struct {
	text string
	err  error
}

func (e *rewordedError) Error() string { return e.text }
func (e *rewordedError) Unwrap() error { return e.err }

// clockOffset returns CLOCK_REALTIME - CLOCK_MONOTONIC in nanoseconds, read
// as close together as possible.
func clockOffset() int64 {
	var best int64
	bestSpan := int64(1 << 62)
	for range 3 {
		var m0, r, m1 unix.Timespec
		unix.ClockGettime(unix.CLOCK_MONOTONIC, &m0)
		unix.ClockGettime(unix.CLOCK_REALTIME, &r)
		unix.ClockGettime(unix.CLOCK_MONOTONIC, &m1)
		span := m1.Nano() - m0.Nano()
		if span < bestSpan {
			bestSpan = span
			best = r.Nano() - (m0.Nano()+m1.Nano())/2
		}
	}
	return best
}

// ProbeSet returns the probe set in use.
func (s *Source) ProbeSet() ProbeSet { return s.set }

// Track adds a process (its tgid) to the traced set; its future children
// follow it automatically.
func (s *Source) Track(pid uint32) error {
	if err := s.tracked.Update(pid, uint8(1), ebpf.UpdateAny); err != nil {
		return fmt.Errorf("track pid %d: %w", pid, err)
	}
	return nil
}

// Untrack removes a process from the traced set; its children stay.
func (s *Source) Untrack(pid uint32) error {
	if err := s.tracked.Delete(pid); err != nil && !errors.Is(err, ebpf.ErrKeyNotExist) {
		return fmt.Errorf("untrack pid %d: %w", pid, err)
	}
	s.trackMu.Lock()
	defer s.trackMu.Unlock()
	var gen uint64
	if err := s.untrackGen.Lookup(uint32(0), &gen); err != nil {
		return fmt.Errorf("untrack pid %d: read generation: %w", pid, err)
	}
	if err := s.untrackGen.Update(uint32(0), gen+1, ebpf.UpdateAny); err != nil {
		return fmt.Errorf("untrack pid %d: bump generation: %w", pid, err)
	}
	return nil
}

// Tracked returns the processes (tgids) in the traced set: those given in
// Config.PIDs or tracked since, and every child that followed them, until
// each exits.
func (s *Source) Tracked() ([]uint32, error) {
	s.endMu.Lock()
	defer s.endMu.Unlock()
	if s.closed {
		return nil, capture.ErrClosed
	}
	var (
		pids []uint32
		pid  uint32
		one  uint8
	)
	it := s.tracked.Iterate()
	for it.Next(&pid, &one) {
		pids = append(pids, pid)
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("list traced processes: %w", err)
	}
	return pids, nil
}

// WaitTracked returns nil once no process of the traced set is alive: the
// processes given in Config.PIDs and every child that followed them have
// exited. It returns ctx's error when ctx ends first.
func (s *Source) WaitTracked(ctx context.Context) error {
	wake, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		return fmt.Errorf("wait for traced processes: eventfd: %w", err)
	}
	defer unix.Close(wake)
	stop := context.AfterFunc(ctx, func() {
		unix.Write(wake, []byte{1, 0, 0, 0, 0, 0, 0, 0})
	})
	defer stop()
	// exited holds processes seen to exit that may linger in the set for
	// a moment (the exit hook removes them); they are not waited for again.
	exited := map[uint32]bool{}
	for {
		pids, err := s.Tracked()
		if err != nil {
			return err
		}
		fds := []unix.PollFd{{Fd: int32(wake), Events: unix.POLLIN}}
		alive := []uint32{0}
		for _, pid := range pids {
			if exited[pid] {
				continue
			}
			fd, err := unix.PidfdOpen(int(pid), 0)
			if errors.Is(err, unix.ESRCH) {
				exited[pid] = true
				continue
			}
			if err != nil {
				closePollFds(fds[1:])
				return fmt.Errorf("wait for traced process %d: %w", pid, err)
			}
			fds = append(fds, unix.PollFd{Fd: int32(fd), Events: unix.POLLIN})
			alive = append(alive, pid)
		}
		if len(fds) == 1 {
			return nil
		}
		_, err = unix.Poll(fds, -1)
		closePollFds(fds[1:])
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil && !errors.Is(err, unix.EINTR):
			return fmt.Errorf("wait for traced processes: poll: %w", err)
		}
		// A pidfd is readable once its process has exited; children it
		// started meanwhile are in the set at the next look.
		for i, f := range fds[1:] {
			if f.Revents != 0 {
				exited[alive[i+1]] = true
			}
		}
	}
}

func closePollFds(fds []unix.PollFd) {
	for _, f := range fds {
		unix.Close(int(f.Fd))
	}
}

// Start starts cmd so that it is traced from its first instruction: the
// calling process is tracked while it forks, so the fork hook adds the child
// before the child runs, and untracked again right after. Config.Self should
// be this process, so that its own messages are not recorded.
func (s *Source) Start(cmd *exec.Cmd) error {
	s.startMu.Lock()
	defer s.startMu.Unlock()
	self := uint32(os.Getpid())
	if err := s.Track(self); err != nil {
		return err
	}
	err := cmd.Start()
	if uerr := s.Untrack(self); uerr != nil && err == nil {
		err = uerr
	}
	return err
}

// Drain detaches the probes, so that nothing new arrives; ReadInto then
// returns the records still buffered, followed by io.EOF.
func (s *Source) Drain() error {
	s.endMu.Lock()
	defer s.endMu.Unlock()
	if s.closed {
		return nil
	}
	err := s.detach()
	if s.reader != nil {
		if ferr := s.reader.Flush(); ferr != nil {
			err = errors.Join(err, fmt.Errorf("flush ring buffer: %w", ferr))
		}
	}
	return err
}

// detach closes the links in parallel: each close waits for an RCU grace
// period, and parallel closes share them, which keeps the exit quick.
func (s *Source) detach() error {
	errs := make([]error, len(s.links))
	var wg sync.WaitGroup
	for i, l := range s.links {
		wg.Go(func() { errs[i] = l.Close() })
	}
	wg.Wait()
	s.links = nil
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("detach probes: %w", err)
	}
	return nil
}

// Close detaches every probe and frees the maps. A ReadInto blocked in
// another goroutine returns capture.ErrClosed. Closing again does nothing.
func (s *Source) Close() error {
	s.endMu.Lock()
	defer s.endMu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	err := s.detach()
	if s.reader != nil {
		if cerr := s.reader.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close ring buffer: %w", cerr))
		}
	}
	if s.objs != nil {
		s.objs.Close()
	}
	return err
}

// ReadInto blocks until the next whole record and fills r, reusing r.Data.
func (s *Source) ReadInto(ctx context.Context, r *capture.Record) error {
	if s.reader == nil {
		return capture.ErrClosed
	}
	s.reader.SetDeadline(time.Time{})
	if ctx.Done() != nil {
		stop := context.AfterFunc(ctx, func() { s.reader.SetDeadline(time.Unix(1, 0)) })
		defer stop()
	}
	for {
		err := s.reader.ReadInto(&s.raw)
		switch {
		case err == nil:
		case errors.Is(err, ringbuf.ErrFlushed):
			return io.EOF
		case errors.Is(err, ringbuf.ErrClosed):
			return capture.ErrClosed
		case errors.Is(err, os.ErrDeadlineExceeded) && ctx.Err() != nil:
			return ctx.Err()
		default:
			return fmt.Errorf("read ring buffer: %w", err)
		}
		if s.chunk(s.raw.RawSample, r) {
			s.records.Add(1)
			return nil
		}
	}
}

// chunk takes one chunk; it returns true when r holds a whole record.
func (s *Source) chunk(b []byte, r *capture.Record) bool {
	if len(b) < eventSize {
		return false
	}
	e := (*nltraceEvent)(unsafe.Pointer(&b[0]))
	data := b[eventSize:]
	if int(e.Len) > len(data) {
		return false
	}
	data = data[:e.Len]

	// The common case: a record in one chunk goes straight into r.
	if e.Offset == 0 && e.Len == e.CapLen {
		delete(s.partial, e.Tid)
		s.fill(r, e)
		r.Data = append(r.Data[:0], data...)
		return true
	}
	p := s.partial[e.Tid]
	if e.Offset == 0 {
		// A new record; an unfinished one of this thread lost a chunk,
		// which the BPF side counted.
		if p == nil {
			p = &partialRecord{}
			s.partial[e.Tid] = p
		}
		s.fill(&p.rec, e)
		p.rec.Data = p.rec.Data[:0]
		p.got = 0
		p.cap = int(e.CapLen)
	}
	if p == nil || int(e.Offset) != p.got {
		return false
	}
	p.rec.Data = append(p.rec.Data, data...)
	p.got += len(data)
	if p.got < p.cap {
		return false
	}
	data, meta := p.rec.Data, p.rec
	*r = meta
	r.Data = append(r.Data[:0:0], data...)
	delete(s.partial, e.Tid)
	return true
}

func (s *Source) fill(r *capture.Record, e *nltraceEvent) {
	data := r.Data
	*r = capture.Record{
		Time:      time.Unix(0, int64(e.TimeNs)+s.monoToReal),
		Direction: capture.Direction(e.Direction),
		Protocol:  e.Protocol,
		PID:       e.Pid,
		TID:       e.Tid,
		Comm:      commString(e.Comm[:]),
		NetNS:     uint64(e.Netns),
		PortID:    e.PortId,
		Group:     groupOf(e.Groups),
		OrigLen:   int(e.OrigLen),
		Method:    s.set.Method(),
		Data:      data,
	}
	if r.Direction == capture.FromKernel && e.CallNs != 0 {
		r.CallTime = time.Unix(0, int64(e.CallNs)+s.monoToReal)
	}
}

// groupOf turns the nl_groups mask of a received message's source address
// into the group number: the kernel sets the bit of the delivering group.
func groupOf(mask uint32) uint32 {
	for g := uint32(0); g < 32; g++ {
		if mask&(1<<g) != 0 {
			return g + 1
		}
	}
	return 0
}

func commString(c []int8) string {
	b := make([]byte, 0, len(c))
	for _, ch := range c {
		if ch == 0 {
			break
		}
		b = append(b, byte(ch))
	}
	return string(b)
}

// Stats returns the records delivered and the losses counted in the kernel.
func (s *Source) Stats() capture.Stats {
	st := capture.Stats{Records: s.records.Load()}
	if s.drops == nil {
		return st
	}
	sum := func(reason uint32) uint64 {
		var per []uint64
		if err := s.drops.Lookup(reason, &per); err != nil {
			return 0
		}
		var n uint64
		for _, v := range per {
			n += v
		}
		return n
	}
	st.RingFull = sum(dropRingFull)
	st.Truncated = sum(dropTruncated)
	st.LostWakeup = sum(dropReadFailed)
	return st
}

// The drop counters' indexes in the drops map (enum drop_reason in the C).
const (
	dropRingFull   = 0
	dropTruncated  = 1
	dropReadFailed = 2
)

var _ capture.Source = (*Source)(nil)
