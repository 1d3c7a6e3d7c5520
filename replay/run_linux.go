package replay

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
)

// ErrInitialNetNS is returned by Run for the initial network namespace,
// which replay never changes.
var ErrInitialNetNS = errors.New("refusing to replay in the initial network namespace (the host's own links, addresses and routes)")

// Run replays the plan and returns one result per request, in the order
// they were sent. reg decodes the answers (decode/families). An error
// means the replay could not be carried out (a socket could not be opened,
// a generic-netlink family is missing); the kernel refusing a request is an
// outcome, not an error.
func Run(ctx context.Context, p *Plan, reg *decode.Registry, cfg *Config) (results []Result, err error) {
	if cfg == nil {
		cfg = &Config{}
	}
	r := &runner{plan: p, cfg: cfg, dec: decode.NewDecoder(reg), ifindex: map[string]int32{}, genl: map[string]uint16{}, pid: uint32(os.Getpid())}
	r.dec.State().SetShowSecrets(true)
	ns := cfg.NetNS
	if ns == nil {
		ns, err = client.NewNetNS()
		if err != nil {
			return nil, err
		}
		defer ns.Close()
	}
	r.ns = ns
	if r.inode, err = checkNetNS(ns); err != nil {
		return nil, err
	}
	defer r.close()
	if err := r.open(ctx); err != nil {
		return nil, err
	}
	if cfg.NetNS == nil {
		r.logf("replaying in a new network namespace (inode %d), removed at the end", r.inode)
		// Every namespace a program normally runs in (the host's, a
		// container's) has lo up, and a new one has it down: set it as
		// the capture showed it, up when it did not show it.
		switch {
		case p.LoKnown && !p.LoUp:
			r.logf("lo left down, as the capture shows it")
		default:
			if err := r.route.SetLinkUp(ctx, 1); err != nil {
				return nil, fmt.Errorf("set lo up in the new namespace: %w", err)
			}
			if p.LoKnown {
				r.logf("lo set up, as the capture shows it")
			} else {
				r.logf("lo set up")
			}
		}
	} else {
		r.logf("replaying in network namespace %s (inode %d), kept", ns.Path(), r.inode)
	}
	if cfg.StubLinks {
		if err := r.stubLinks(ctx); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	for i := range p.Sends {
		if !cfg.Fast {
			if err := pace(ctx, start, p.Sends[0].Time, p.Sends[i].Time); err != nil {
				return results, err
			}
		}
		res, err := r.send(ctx, &p.Sends[i])
		results = append(results, res...)
		if err != nil {
			return results, fmt.Errorf("record %d: %w", p.Sends[i].Record, err)
		}
	}
	return results, nil
}

// pace waits until the send recorded at t is as far from the start of the
// replay as it was from the first recorded send.
func pace(ctx context.Context, start, first, t time.Time) error {
	if first.IsZero() || t.IsZero() {
		return nil
	}
	d := time.Until(start.Add(t.Sub(first)))
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// procNetInitIno is the inode number that kernels since 6.14 give the
// initial network namespace (PROC_NET_INIT_INO in linux/proc_ns.h); no
// other namespace can have it.
const procNetInitIno = 0xEFFFFFF9

// checkNetNS returns the namespace's inode, refusing the initial namespace:
// that of pid 1, or the one with the fixed initial inode. When pid 1's
// namespace cannot be read (a process without ptrace access to pid 1), the
// caller's own namespace is refused too, since it might be the initial one.
func checkNetNS(ns *client.NetNS) (uint64, error) {
	ino, err := ns.Inode()
	if err != nil {
		return 0, err
	}
	if ino == procNetInitIno {
		return 0, ErrInitialNetNS
	}
	var st unix.Stat_t
	err = unix.Stat("/proc/1/ns/net", &st)
	if err == nil {
		if st.Ino == ino {
			return 0, ErrInitialNetNS
		}
		return ino, nil
	}
	if err := unix.Stat("/proc/thread-self/ns/net", &st); err != nil {
		return 0, fmt.Errorf("find the current network namespace: %w", err)
	}
	if st.Ino == ino {
		return 0, fmt.Errorf("%w: pid 1's namespace cannot be read, and this is the namespace nltrace runs in, which may be it", ErrInitialNetNS)
	}
	return ino, nil
}

type runner struct {
	plan  *Plan
	cfg   *Config
	ns    *client.NetNS
	inode uint64
	pid   uint32
	dec   *decode.Decoder
	tree  decode.Tree
	conns []*conn
	// route looks interface names up in the replay namespace.
	route *client.RouteConn
	// ifindex caches name → index lookups for one send; links change
	// between sends.
	ifindex map[string]int32
	genl    map[string]uint16
	// standIn is the namespace that recorded references to other
	// namespaces (by pid or fd) are pointed at; nil until one is needed.
	standIn *client.NetNS
	// peers are stand-ins for the peer namespaces the capture names by
	// netns id without assigning the id itself.
	peers []*client.NetNS
}

// conn is a replay socket with its own sequence numbers.
type conn struct {
	c   *client.Conn
	seq uint32
}

func (c *conn) nextSeq() uint32 {
	c.seq++
	return c.seq
}

func (r *runner) logf(format string, args ...any) {
	if r.cfg.Log != nil {
		r.cfg.Log(fmt.Sprintf(format, args...))
	}
}

func (r *runner) close() {
	for _, c := range r.conns {
		if c != nil {
			c.c.Close()
		}
	}
	if r.route != nil {
		r.route.Close()
	}
	if r.standIn != nil {
		r.standIn.Close()
	}
	for _, p := range r.peers {
		p.Close()
	}
}

// open dials every socket and resolves every generic-netlink family
// before anything is sent, so a capture this kernel cannot replay fails
// with nothing changed.
func (r *runner) open(ctx context.Context) error {
	var err error
	r.route, err = client.DialRoute(&client.Config{NetNS: r.ns})
	if err != nil {
		return err
	}
	if err := r.plan.Check(); err != nil {
		return err
	}
	var genlConn *client.Conn
	defer func() {
		if genlConn != nil {
			genlConn.Close()
		}
	}()
	for _, s := range r.plan.Sends {
		for _, rw := range s.Rewrites {
			if rw.Kind != RewriteGenlFamily {
				continue
			}
			if rw.Name == "" {
				return fmt.Errorf("record %d: generic netlink family id %d: the capture never named it (no CTRL_CMD_NEWFAMILY for it), so its id in this kernel is unknown", s.Record, rw.Value)
			}
			if _, ok := r.genl[rw.Name]; ok {
				continue
			}
			if genlConn == nil {
				if genlConn, err = client.Dial(client.ProtocolGeneric, &client.Config{NetNS: r.ns}); err != nil {
					return err
				}
			}
			f, err := client.GetFamily(ctx, genlConn, rw.Name)
			if errors.Is(err, unix.ENOENT) {
				return fmt.Errorf("record %d: the capture uses generic netlink family %q (id %d), which this kernel does not have (module not loaded?)", s.Record, rw.Name, rw.Value)
			}
			if err != nil {
				return fmt.Errorf("record %d: %w", s.Record, err)
			}
			r.genl[rw.Name] = f.ID
			// The replay's own stream may never resolve the family
			// (the capture did before it began): name its answers.
			r.dec.State().LearnGenlFamily(f.ID, f.Name)
		}
	}
	if err := r.assignNetnsIDs(ctx); err != nil {
		return err
	}
	r.conns = make([]*conn, len(r.plan.Sockets))
	for i, s := range r.plan.Sockets {
		c, err := client.Dial(int(s.Protocol), &client.Config{NetNS: r.ns})
		if err != nil {
			return fmt.Errorf("socket %d (%s): %w", i+1, client.ProtocolName(int(s.Protocol)), err)
		}
		r.conns[i] = &conn{c: c}
	}
	return nil
}

// assignNetnsIDs gives each netns id that the plan's requests use, but
// do not assign themselves (RTM_NEWNSID), a stand-in peer namespace of its
// own in the replay namespace, so the ids mean a namespace there too.
func (r *runner) assignNetnsIDs(ctx context.Context) error {
	for _, id := range r.plan.StandInNetnsIDs() {
		ns, err := client.NewNetNS()
		if err != nil {
			return fmt.Errorf("stand-in for netns id %d: %w", id, err)
		}
		r.peers = append(r.peers, ns)
		var e client.AttributeEncoder
		e.Uint32(netnsaFD, uint32(ns.FD()))
		e.Uint32(netnsaNSID, uint32(id))
		attrs, err := e.Encode()
		if err != nil {
			return err
		}
		req := client.Message{Header: client.Header{Type: unix.RTM_NEWNSID, Flags: client.FlagRequest}, Data: append([]byte{unix.AF_UNSPEC, 0, 0, 0}, attrs...)}
		if _, err := r.route.Conn().Execute(ctx, req); err != nil {
			return fmt.Errorf("assign netns id %d to a stand-in namespace: %w", id, err)
		}
		ino, _ := ns.Inode()
		r.logf("netns id %d: a stand-in peer namespace (inode %d), removed at the end", id, ino)
	}
	return nil
}

// NETNSA_* attributes of RTM_NEWNSID.
const (
	netnsaNSID = 1
	netnsaFD   = 3
)

// lookupIfindex returns the index of the link called name in the replay
// namespace, or false when there is none.
func (r *runner) lookupIfindex(ctx context.Context, name string) (int32, bool, error) {
	if i, ok := r.ifindex[name]; ok {
		return i, i > 0, nil
	}
	l, err := r.route.LinkByName(ctx, name)
	if errors.Is(err, unix.ENODEV) {
		r.ifindex[name] = 0
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	r.ifindex[name] = int32(l.Index)
	return int32(l.Index), true, nil
}

// rewrite prepares the bytes of s for the replay socket c: fresh sequence
// numbers, the socket's port id, and the rewritten values. It returns the
// replayed sequence number of each request.
func (r *runner) rewrite(ctx context.Context, s *Send, c *conn) ([]byte, []uint32, error) {
	data := append([]byte(nil), s.Data...)
	seqs := make([]uint32, len(s.Requests))
	port := c.c.PortID()
	for i := range s.Requests {
		q := &s.Requests[i]
		seqs[i] = c.nextSeq()
		binary.NativeEndian.PutUint32(data[q.Off+8:], seqs[i])
		p := uint32(0)
		if q.Header.PortID != 0 {
			// The recorded program named its own port; name ours.
			p = port
			binary.NativeEndian.PutUint32(data[q.Off+12:], p)
		}
		r.logf("record %d %s: seq %d → %d, port %d → %d", s.Record, q.Name, q.Header.Sequence, seqs[i], q.Header.PortID, p)
	}
	clear(r.ifindex)
	for _, rw := range s.Rewrites {
		var v int64
		switch rw.Kind {
		case RewriteIfindex:
			if rw.Name == "" {
				r.logf("record %d %s: ifindex %d kept: the capture never named it", s.Record, rw.Field, rw.Value)
				continue
			}
			idx, ok, err := r.lookupIfindex(ctx, rw.Name)
			if err != nil {
				return nil, nil, err
			}
			if !ok {
				r.logf("record %d %s: ifindex %d (%s) kept: no link %s in the replay namespace", s.Record, rw.Field, rw.Value, rw.Name, rw.Name)
				continue
			}
			v = int64(idx)
		case RewriteGenlFamily:
			v = int64(r.genl[rw.Name])
		case RewriteNetnsID:
			r.logf("record %d %s: netns id %d kept: it names a stand-in peer namespace in the replay", s.Record, rw.Field, rw.Value)
			continue
		case RewriteNetnsRef:
			fd, err := r.standInFD()
			if err != nil {
				return nil, nil, err
			}
			t := binary.NativeEndian.Uint16(data[rw.TypeOff:])
			binary.NativeEndian.PutUint16(data[rw.TypeOff:], t&^nlaTypeMask|rw.FDType)
			r.logf("record %d %s: %d → file descriptor %d of a stand-in namespace (a recorded pid or fd may name the host's)", s.Record, rw.Field, rw.Value, fd)
			put(data[rw.Off:rw.Off+rw.Size], int64(fd), false)
			continue
		}
		r.logf("record %d %s: %s %d (%s) → %d", s.Record, rw.Field, rw.Kind, rw.Value, rw.Name, v)
		put(data[rw.Off:rw.Off+rw.Size], v, rw.BigEndian)
	}
	return data, seqs, nil
}

// nlaTypeMask is the type part of nla_type, without NLA_F_NESTED and
// NLA_F_NET_BYTEORDER.
const nlaTypeMask = 0x3fff

// standInFD returns the file descriptor of the stand-in peer namespace,
// creating it on first use.
func (r *runner) standInFD() (int, error) {
	if r.standIn == nil {
		ns, err := client.NewNetNS()
		if err != nil {
			return 0, fmt.Errorf("stand-in namespace: %w", err)
		}
		r.standIn = ns
		ino, _ := ns.Inode()
		r.logf("created a stand-in peer namespace (inode %d), removed at the end", ino)
	}
	return r.standIn.FD(), nil
}

func put(b []byte, v int64, bigEndian bool) {
	var order binary.ByteOrder = binary.NativeEndian
	if bigEndian {
		order = binary.BigEndian
	}
	if len(b) == 2 {
		order.PutUint16(b, uint16(v))
	} else {
		order.PutUint32(b, uint32(v))
	}
}

func (r *runner) sink(dir capture.Direction, proto uint16, port uint32, data []byte) error {
	if r.cfg.Sink == nil {
		return nil
	}
	rec := capture.Record{Time: time.Now(), Direction: dir, Protocol: proto, PID: r.pid, TID: uint32(unix.Gettid()), Comm: "nltrace", NetNS: r.inode, PortID: port, Data: data, OrigLen: len(data)}
	if err := r.cfg.Sink.Write(&rec); err != nil {
		return fmt.Errorf("record the replay: %w", err)
	}
	return nil
}

// send replays one recorded send and collects the answers to its
// requests. After the send it sends an NLMSG_NOOP with NLM_F_ACK: the
// kernel handles a socket's messages in order, so that ACK arriving means
// every answer the requests get at once has arrived (only the rest of a
// dump comes later, and ends with NLMSG_DONE).
func (r *runner) send(ctx context.Context, s *Send) ([]Result, error) {
	c := r.conns[s.Socket]
	proto := r.plan.Sockets[s.Socket].Protocol
	data, seqs, err := r.rewrite(ctx, s, c)
	if err != nil {
		return nil, err
	}
	port := c.c.PortID()
	if err := c.c.SendRaw(data); err != nil {
		// The kernel refused the datagram itself: that is the outcome
		// of every request in it.
		var errno unix.Errno
		if !errors.As(err, &errno) {
			return nil, err
		}
		res := make([]Result, len(s.Requests))
		for i, q := range s.Requests {
			out := Outcome{SendError: errno.Error()}
			res[i] = Result{Record: s.Record, Message: i + 1, Socket: s.Socket, Name: q.Name, Recorded: q.Recorded, Replayed: out, Diffs: Diff(q.Recorded, out)}
		}
		return res, nil
	}
	if err := r.sink(capture.ToKernel, proto, port, data); err != nil {
		return nil, err
	}
	rec := capture.Record{Direction: capture.ToKernel, Protocol: proto, PortID: port, Data: data, OrigLen: len(data)}
	r.dec.Decode(&r.tree, &rec)

	barrier := client.Message{Header: client.Header{Type: client.TypeNoop, Flags: client.FlagRequest | client.FlagAck, Sequence: c.nextSeq(), PortID: 0}}
	bb, _ := barrier.MarshalBinary()
	if err := c.c.SendRaw(bb); err != nil {
		return nil, err
	}
	if err := r.sink(capture.ToKernel, proto, port, bb); err != nil {
		return nil, err
	}

	out := make([]Outcome, len(s.Requests))
	finished := make([]bool, len(s.Requests))
	bySeq := map[uint32]int{}
	openDumps := 0
	for i, q := range s.Requests {
		bySeq[seqs[i]] = i
		if q.Dump {
			openDumps++
		}
	}
	wait := r.cfg.Wait
	if wait <= 0 {
		wait = defaultWait
	}
	barrierDone := false
	for !barrierDone || openDumps > 0 {
		// The wait bounds the silence, not the whole exchange: a large
		// dump keeps arriving for as long as it takes.
		rctx, cancel := context.WithTimeout(ctx, wait)
		msgs, err := c.c.Receive(rctx)
		timedOut := rctx.Err() != nil
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if timedOut || errors.Is(err, os.ErrDeadlineExceeded) {
				for i, q := range s.Requests {
					if !finished[i] && (q.Dump || q.Header.Flags&client.FlagAck != 0 && !barrierDone) {
						out[i].TimedOut = true
					}
				}
				break
			}
			return nil, fmt.Errorf("receive: %w", err)
		}
		var b []byte
		for _, m := range msgs {
			b = m.Append(b)
		}
		if err := r.sink(capture.FromKernel, proto, port, b); err != nil {
			return nil, err
		}
		rec := capture.Record{Direction: capture.FromKernel, Protocol: proto, PortID: port, Data: b, OrigLen: len(b)}
		r.dec.Decode(&r.tree, &rec)
		for mi := range r.tree.Messages {
			m := &r.tree.Messages[mi]
			if m.Trailing || m.Len < client.HeaderLen {
				continue
			}
			if m.Header.Sequence == barrier.Header.Sequence {
				barrierDone = barrierDone || m.Header.Type == client.TypeError
				continue
			}
			i, ok := bySeq[m.Header.Sequence]
			if !ok || finished[i] {
				continue
			}
			if answer(&out[i], &s.Requests[i], &r.tree, mi, r.dec.State().Ifname) {
				finished[i] = true
				if s.Requests[i].Dump {
					openDumps--
				}
			}
		}
	}
	res := make([]Result, len(s.Requests))
	for i, q := range s.Requests {
		res[i] = Result{Record: s.Record, Message: i + 1, Socket: s.Socket, Name: q.Name, Recorded: q.Recorded, Replayed: out[i], Diffs: Diff(q.Recorded, out[i])}
	}
	return res, nil
}
