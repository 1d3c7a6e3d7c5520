package nlmon

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"golang.org/x/sys/unix"
)

// DefaultInterface is the name of the nlmon link Open creates.
const DefaultInterface = "nltrace0"

// aliasPrefix starts the alias (IFLA_IFALIAS) of every link nltrace creates,
// followed by the creator's pid: "nltrace pid=4242".
const aliasPrefix = "nltrace pid="

// ErrNoNlmon says the kernel cannot create nlmon links.
var ErrNoNlmon = errors.New("the kernel has no nlmon device (CONFIG_NLMON is missing or the nlmon module is not loaded); capture with the eBPF backend instead (drop --nlmon)")

// Config configures Open. A nil *Config means all defaults.
type Config struct {
	// NetNS is the namespace to capture in; nil means the calling thread's.
	NetNS *client.NetNS
	// Interface names the nlmon link. "" means DefaultInterface. A link of
	// that name that already exists is reused and left in place on Close,
	// if it is an nlmon link; any other kind is an error.
	Interface string
	// SnapLen is the most bytes kept of one frame; 0 means 256 KiB, more
	// than one netlink datagram can hold.
	SnapLen int
	// RemoveStale decides, for each nlmon link left behind by an nltrace
	// that no longer runs, whether to delete it. nil keeps them; Warn
	// still reports them.
	RemoveStale func(name string) bool
	// Warn receives warnings (stale links, resolver failures); nil
	// discards them.
	Warn func(msg string)
	// NoResolve turns off port id resolution through sock_diag.
	NoResolve bool
	// ReplyWait bounds the wait, after a request with port id 0, for the
	// reply whose port id and process the request is given; 0 means
	// DefaultReplyWait, less than 0 turns the pairing off.
	ReplyWait time.Duration
}

// Source reads netlink traffic from an nlmon link. It implements
// capture.Source; Close removes the link if Open created it.
type Source struct {
	cfg      Config
	route    *client.RouteConn
	link     client.Link
	created  bool
	netnsIno uint64
	file     *os.File
	fd       int
	resolver *Resolver
	buf      []byte
	pairer   replyPairer
	// interrupted is set when a cancelled context cut a read short with a
	// past deadline, which the next read must clear.
	interrupted atomic.Bool

	mu       sync.Mutex
	stats    capture.Stats
	kernDrop uint64 // PACKET_STATISTICS drops, summed (the kernel resets them on read)
	closed   bool
}

// Open sets up the nlmon link and the AF_PACKET socket that reads it.
func Open(ctx context.Context, cfg *Config) (*Source, error) {
	s := &Source{}
	if cfg != nil {
		s.cfg = *cfg
	}
	if s.cfg.Interface == "" {
		s.cfg.Interface = DefaultInterface
	}
	if s.cfg.SnapLen <= 0 {
		s.cfg.SnapLen = 256 << 10
	}
	if s.cfg.ReplyWait == 0 {
		s.cfg.ReplyWait = DefaultReplyWait
	}
	s.pairer = replyPairer{frames: s, wait: s.cfg.ReplyWait}
	route, err := client.DialRoute(&client.Config{NetNS: s.cfg.NetNS})
	if err != nil {
		return nil, fmt.Errorf("nlmon: %w", err)
	}
	s.route = route
	if err := s.setUp(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Source) warn(format string, args ...any) {
	if s.cfg.Warn != nil {
		s.cfg.Warn(fmt.Sprintf(format, args...))
	}
}

func (s *Source) setUp(ctx context.Context) error {
	if err := s.handleStale(ctx); err != nil {
		return err
	}
	name := s.cfg.Interface
	link, err := s.route.LinkByName(ctx, name)
	switch {
	case err == nil:
		if link.Kind != "nlmon" {
			return fmt.Errorf("nlmon: link %s exists and is a %q link, not nlmon", name, link.Kind)
		}
	case errors.Is(err, unix.ENODEV):
		// A request whose reply is at hand may complete even though ctx
		// has ended: do not create a link for a cancelled Open.
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("nlmon: %w", err)
		}
		if err := s.route.AddLink(ctx, client.Link{Name: name, Data: &client.Nlmon{}}); err != nil {
			if ctx.Err() != nil {
				// The kernel may have made the link before the wait for
				// its answer was cut short; the name was free, so a link
				// of that name is ours for Close to remove.
				s.created = true
				s.link.Name = name
			}
			if errors.Is(err, unix.EOPNOTSUPP) || strings.Contains(err.Error(), "Unknown device type") {
				return fmt.Errorf("nlmon: create link %s: %w (%v)", name, ErrNoNlmon, err)
			}
			return fmt.Errorf("nlmon: %w", err)
		}
		s.created = true
		s.link.Name = name // so that Close removes it even if a later step fails
		if link, err = s.route.LinkByName(ctx, name); err != nil {
			return fmt.Errorf("nlmon: %w", err)
		}
		if err := s.setAlias(ctx, link.Index, aliasPrefix+strconv.Itoa(os.Getpid())); err != nil {
			return fmt.Errorf("nlmon: mark link %s as nltrace's: %w", name, err)
		}
	default:
		return fmt.Errorf("nlmon: %w", err)
	}
	s.link = link
	if !link.Up() {
		if err := s.route.SetLinkUp(ctx, link.Index); err != nil {
			return fmt.Errorf("nlmon: %w", err)
		}
	}
	ns := s.cfg.NetNS
	if ns == nil {
		cur, err := client.CurrentNetNS()
		if err != nil {
			return fmt.Errorf("nlmon: %w", err)
		}
		defer cur.Close()
		ns = cur
	}
	if s.netnsIno, err = ns.Inode(); err != nil {
		return fmt.Errorf("nlmon: %w", err)
	}
	if err := s.openSocket(); err != nil {
		return err
	}
	if !s.cfg.NoResolve {
		s.resolver = NewResolver(&ResolverConfig{NetNS: s.cfg.NetNS})
	}
	s.buf = make([]byte, s.cfg.SnapLen)
	return nil
}

func (s *Source) setAlias(ctx context.Context, index int, alias string) error {
	return setLinkAlias(ctx, s.route, index, alias)
}

// setLinkAlias sets IFLA_IFALIAS, which RouteConn has no method for.
func setLinkAlias(ctx context.Context, route *client.RouteConn, index int, alias string) error {
	var e client.AttributeEncoder
	e.String(unix.IFLA_IFALIAS, alias)
	attrs, err := e.Encode()
	if err != nil {
		return err
	}
	_, err = route.Conn().Execute(ctx, client.Message{
		Header: client.Header{Type: unix.RTM_NEWLINK},
		Data:   append(client.IfInfoMsg{Index: int32(index)}.Append(nil), attrs...),
	})
	return err
}

// staleLink is an nlmon link that an nltrace created and did not remove.
type staleLink struct {
	name  string
	index int
	pid   int
}

// handleStale reports nlmon links whose alias names an nltrace that is no
// longer running, and removes those that cfg.RemoveStale approves.
func (s *Source) handleStale(ctx context.Context) error {
	stale, err := s.findStale(ctx)
	if err != nil {
		return fmt.Errorf("nlmon: look for stale links: %w", err)
	}
	for _, l := range stale {
		if s.cfg.RemoveStale != nil && s.cfg.RemoveStale(l.name) {
			if err := s.route.DeleteLink(ctx, l.index); err != nil {
				return fmt.Errorf("nlmon: remove stale link %s: %w", l.name, err)
			}
			s.warn("removed stale nlmon link %s, left behind by nltrace pid %d", l.name, l.pid)
			continue
		}
		s.warn("stale nlmon link %s was left behind by nltrace pid %d, which no longer runs; remove it with: ip link del %s", l.name, l.pid, l.name)
	}
	return nil
}

func (s *Source) findStale(ctx context.Context) ([]staleLink, error) {
	req := client.Message{
		Header: client.Header{Type: unix.RTM_GETLINK, Flags: client.FlagDump},
		Data:   client.IfInfoMsg{}.Append(nil),
	}
	replies, err := s.route.Conn().Execute(ctx, req)
	if err != nil {
		return nil, err
	}
	var stale []staleLink
	for _, m := range replies {
		l, err := client.ParseLink(m)
		if err != nil || l.Kind != "nlmon" {
			continue
		}
		pid, ok := nltracePID(linkAlias(m))
		if !ok || processRuns(pid) {
			continue
		}
		stale = append(stale, staleLink{name: l.Name, index: l.Index, pid: pid})
	}
	return stale, nil
}

// linkAlias returns IFLA_IFALIAS of an RTM_NEWLINK message, or "".
func linkAlias(m client.Message) string {
	if len(m.Data) < client.IfInfoMsgLen {
		return ""
	}
	d := client.NewAttributeDecoder(m.Data[client.IfInfoMsgLen:])
	for d.Next() {
		if d.Type() == unix.IFLA_IFALIAS {
			return d.String()
		}
	}
	return ""
}

// nltracePID parses the pid out of an alias that nltrace wrote.
func nltracePID(alias string) (int, bool) {
	rest, ok := strings.CutPrefix(alias, aliasPrefix)
	if !ok {
		return 0, false
	}
	pid, err := strconv.Atoi(rest)
	return pid, err == nil && pid > 0
}

func processRuns(pid int) bool {
	err := unix.Kill(pid, 0)
	return err == nil || errors.Is(err, unix.EPERM)
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

// openSocket opens an AF_PACKET socket bound to the nlmon link, inside the
// capture namespace, non-blocking under the Go poller so that Close and
// deadlines interrupt a read.
func (s *Source) openSocket() error {
	open := func() error {
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, int(htons(unix.ETH_P_ALL)))
		if err != nil {
			return fmt.Errorf("nlmon: open AF_PACKET socket: %w", err)
		}
		if err := unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: htons(unix.ETH_P_ALL), Ifindex: s.link.Index}); err != nil {
			unix.Close(fd)
			return fmt.Errorf("nlmon: bind AF_PACKET socket to %s: %w", s.link.Name, err)
		}
		// Netlink dumps come in bursts; a large buffer keeps the socket
		// from overrunning. The kernel caps it without CAP_NET_ADMIN.
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, 32<<20); err != nil {
			_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, 32<<20)
		}
		s.fd = fd
		return nil
	}
	var err error
	if s.cfg.NetNS != nil {
		err = s.cfg.NetNS.Do(open)
	} else {
		err = open()
	}
	if err != nil {
		return err
	}
	s.file = os.NewFile(uintptr(s.fd), "nlmon:"+s.link.Name)
	return nil
}

// Interface returns the name of the nlmon link being read.
func (s *Source) Interface() string { return s.link.Name }

// Created reports whether Open created the link (and Close will remove it).
func (s *Source) Created() bool { return s.created }

// ReadInto blocks until the next frame and fills r. A request that carries
// port id 0 is given the port id and process of the frame after it, when
// that frame is the kernel's reply (see replyPairer).
func (s *Source) ReadInto(ctx context.Context, r *capture.Record) error {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return capture.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for {
		if err := s.pairer.read(ctx, r); err != nil {
			return err
		}
		// The resolver's own sock_diag dumps cross the nlmon link too;
		// they are nltrace's doing, not the traced system's, and the
		// eBPF backends never see nltrace's own sockets either.
		if r.PID != uint32(os.Getpid()) || r.Protocol != unix.NETLINK_SOCK_DIAG {
			break
		}
	}
	s.mu.Lock()
	s.stats.Records++
	if r.Truncated() {
		s.stats.Truncated++
	}
	s.mu.Unlock()
	return nil
}

// readFrame reads one frame from the socket into r and resolves its port
// id. It implements frameReader.
func (s *Source) readFrame(ctx context.Context, deadline time.Time, r *capture.Record) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// The deadline bounds the wait for the frame, not the port id lookup
	// after it, which may take longer on a busy system.
	wctx := ctx
	if !deadline.IsZero() {
		var cancel context.CancelFunc
		wctx, cancel = context.WithDeadline(ctx, deadline)
		defer cancel()
	}
	raw, err := s.file.SyscallConn()
	if err != nil {
		return capture.ErrClosed
	}
	if s.interrupted.Swap(false) {
		s.file.SetReadDeadline(time.Time{})
	}
	interrupted := make(chan struct{})
	stop := context.AfterFunc(wctx, func() {
		s.interrupted.Store(true)
		s.file.SetReadDeadline(time.Unix(1, 0))
		close(interrupted)
	})
	var (
		n    int
		from unix.Sockaddr
		rerr error
	)
	err = raw.Read(func(fd uintptr) bool {
		n, from, rerr = unix.Recvfrom(int(fd), s.buf, unix.MSG_TRUNC)
		return rerr != unix.EAGAIN
	})
	now := time.Now()
	if !stop() {
		// The deadline may be set just after a read that succeeded; wait
		// until it is, so that the next read clears it and is not cut short.
		<-interrupted
	}
	if err != nil {
		if wctx.Err() != nil {
			return wctx.Err()
		}
		if errors.Is(err, os.ErrClosed) {
			return capture.ErrClosed
		}
		return fmt.Errorf("nlmon: read: %w", err)
	}
	if rerr != nil {
		return fmt.Errorf("nlmon: read: %w", rerr)
	}
	var protocol uint16
	if ll, ok := from.(*unix.SockaddrLinklayer); ok {
		protocol = htons(ll.Protocol)
	}
	data := s.buf[:min(n, len(s.buf))]
	dir, port := capture.InferDirection(data)
	*r = capture.Record{
		Time:              now,
		Direction:         dir,
		DirectionInferred: dir != capture.DirectionUnknown,
		Protocol:          protocol,
		NetNS:             s.netnsIno,
		PortID:            port,
		Data:              append(r.Data[:0], data...),
		OrigLen:           n,
		Method:            capture.MethodNlmon,
	}
	if s.resolver != nil && port != 0 {
		p, ok, err := s.resolver.Lookup(ctx, protocol, port)
		if err != nil {
			s.warn("resolve port id %d: %v", port, err)
		} else if ok {
			r.PID, r.Comm = p.PID, p.Comm
		}
	}
	return nil
}

// Stats returns the counts so far; frames the AF_PACKET socket dropped
// (PACKET_STATISTICS) count as LostWakeup.
func (s *Source) Stats() capture.Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pollDropsLocked()
	st := s.stats
	st.LostWakeup = s.kernDrop
	return st
}

func (s *Source) pollDropsLocked() {
	if s.file == nil || s.closed {
		return
	}
	raw, err := s.file.SyscallConn()
	if err != nil {
		return
	}
	raw.Control(func(fd uintptr) {
		if st, err := unix.GetsockoptTpacketStats(int(fd), unix.SOL_PACKET, unix.PACKET_STATISTICS); err == nil {
			s.kernDrop += uint64(st.Drops)
		}
	})
}

// Close stops reading and removes the nlmon link if Open created it.
func (s *Source) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.pollDropsLocked()
	s.closed = true
	s.mu.Unlock()
	var errs []error
	if s.file != nil {
		if err := s.file.Close(); err != nil {
			errs = append(errs, fmt.Errorf("nlmon: close socket: %w", err))
		}
	}
	if s.created {
		// A fresh context: Close runs on the way out, often after the
		// capture's context was cancelled by a signal.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var err error
		if s.link.Index != 0 {
			err = s.route.DeleteLink(ctx, s.link.Index)
		} else {
			err = s.route.DeleteLinkByName(ctx, s.link.Name)
		}
		if err != nil && !errors.Is(err, unix.ENODEV) {
			errs = append(errs, fmt.Errorf("nlmon: remove link %s: %w", s.link.Name, err))
		}
	}
	if s.route != nil {
		s.route.Close()
	}
	if s.resolver != nil {
		s.resolver.Close()
	}
	return errors.Join(errs...)
}

var _ capture.Source = (*Source)(nil)
