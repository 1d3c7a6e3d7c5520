package client

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Dial opens a netlink socket for protocol (unix.NETLINK_ROUTE, ...) and
// returns a Conn over it. A nil cfg means the defaults.
func Dial(protocol int, cfg *Config) (*Conn, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	var sock *netlinkSocket
	open := func() error {
		var err error
		sock, err = openSocket(protocol)
		return err
	}
	var err error
	if cfg.NetNS != nil {
		err = cfg.NetNS.Do(open)
	} else {
		err = open()
	}
	if err != nil {
		return nil, fmt.Errorf("dial netlink protocol %d: %w", protocol, err)
	}
	if err := sock.configure(cfg); err != nil {
		sock.Close()
		return nil, fmt.Errorf("dial netlink protocol %d: %w", protocol, err)
	}
	return NewConn(sock, protocol), nil
}

// netlinkSocket is a non-blocking AF_NETLINK socket driven by the Go
// runtime's poller, which gives deadlines and cancellation for free.
type netlinkSocket struct {
	file   *os.File
	raw    syscall.RawConn
	portID uint32

	recvMu sync.Mutex
	buf    []byte
	oob    [64]byte

	// deadline is the caller's deadline, restored after a context
	// cancellation borrowed the read deadline.
	deadlineMu sync.Mutex
	deadline   time.Time
}

func openSocket(protocol int) (*netlinkSocket, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, protocol)
	if err != nil {
		return nil, fmt.Errorf("socket: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("bind: %w", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("getsockname: %w", err)
	}
	nsa, ok := sa.(*unix.SockaddrNetlink)
	if !ok {
		unix.Close(fd)
		return nil, fmt.Errorf("getsockname: unexpected address type %T", sa)
	}
	f := os.NewFile(uintptr(fd), "netlink")
	raw, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("raw conn: %w", err)
	}
	return &netlinkSocket{file: f, raw: raw, portID: nsa.Pid, buf: make([]byte, 32*1024)}, nil
}

func (s *netlinkSocket) configure(cfg *Config) error {
	// The group of each datagram tells multicast notifications, which may
	// carry this socket's own port and sequence number, from replies.
	if err := s.setInt(unix.SOL_NETLINK, unix.NETLINK_PKTINFO, 1); err != nil {
		return fmt.Errorf("enable packet info: %w", err)
	}
	if !cfg.DisableExtendedAck {
		// Kernels before 4.12 lack the option; they simply send no extended ACK.
		if err := s.setInt(unix.SOL_NETLINK, unix.NETLINK_EXT_ACK, 1); err != nil && !errors.Is(err, unix.ENOPROTOOPT) {
			return fmt.Errorf("enable extended ack: %w", err)
		}
	}
	if cfg.CapAck {
		if err := s.setInt(unix.SOL_NETLINK, unix.NETLINK_CAP_ACK, 1); err != nil {
			return fmt.Errorf("enable capped ack: %w", err)
		}
	}
	if cfg.Strict {
		if err := s.setInt(unix.SOL_NETLINK, unix.NETLINK_GET_STRICT_CHK, 1); err != nil {
			return fmt.Errorf("enable strict checking: %w", err)
		}
	}
	if cfg.ReadBufferSize > 0 {
		if err := s.setInt(unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, cfg.ReadBufferSize); err != nil {
			if err := s.setInt(unix.SOL_SOCKET, unix.SO_RCVBUF, cfg.ReadBufferSize); err != nil {
				return fmt.Errorf("set receive buffer to %d bytes: %w", cfg.ReadBufferSize, err)
			}
		}
	}
	for _, g := range cfg.Groups {
		if err := s.JoinGroup(g); err != nil {
			return fmt.Errorf("join multicast group %d: %w", g, err)
		}
	}
	return nil
}

func (s *netlinkSocket) setInt(level, opt, value int) error {
	var serr error
	err := s.raw.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), level, opt, value)
	})
	if err != nil {
		return err
	}
	return serr
}

func (s *netlinkSocket) PortID() uint32 { return s.portID }

func (s *netlinkSocket) Send(b []byte) error {
	var serr error
	err := s.raw.Write(func(fd uintptr) bool {
		serr = unix.Sendto(int(fd), b, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK})
		return serr != unix.EAGAIN
	})
	if err != nil {
		return err
	}
	return serr
}

// Receive reads one datagram. It peeks first to learn the datagram's size,
// because netlink silently cuts a datagram that does not fit.
func (s *netlinkSocket) Receive(ctx context.Context) ([]byte, uint32, error) {
	s.recvMu.Lock()
	defer s.recvMu.Unlock()
	if ctx.Done() != nil {
		stop := context.AfterFunc(ctx, func() {
			// Wake the blocked read; the deadline is restored below.
			s.file.SetReadDeadline(time.Unix(1, 0))
		})
		defer func() {
			if !stop() {
				s.deadlineMu.Lock()
				s.file.SetReadDeadline(s.deadline)
				s.deadlineMu.Unlock()
			}
		}()
	}
	for {
		n, _, err := s.recv(unix.MSG_PEEK | unix.MSG_TRUNC)
		if err == nil && n > len(s.buf) {
			s.buf = make([]byte, n)
			continue
		}
		var group uint32
		if err == nil {
			n, group, err = s.recv(0)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, 0, ctx.Err()
			}
			return nil, 0, err
		}
		return append([]byte(nil), s.buf[:n]...), group, nil
	}
}

// recv reads (or peeks at) one datagram and returns its full length and the
// multicast group from the NETLINK_PKTINFO control message.
func (s *netlinkSocket) recv(flags int) (int, uint32, error) {
	var (
		n, oobn int
		rerr    error
	)
	err := s.raw.Read(func(fd uintptr) bool {
		n, oobn, _, _, rerr = unix.Recvmsg(int(fd), s.buf, s.oob[:], flags)
		return rerr != unix.EAGAIN
	})
	if err != nil {
		return 0, 0, err
	}
	if rerr != nil {
		return 0, 0, fmt.Errorf("recvmsg: %w", rerr)
	}
	return n, pktinfoGroup(s.oob[:oobn]), nil
}

// pktinfoGroup extracts nl_pktinfo.group from control messages.
func pktinfoGroup(oob []byte) uint32 {
	cmsgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return 0
	}
	for _, c := range cmsgs {
		if c.Header.Level == unix.SOL_NETLINK && c.Header.Type == unix.NETLINK_PKTINFO && len(c.Data) >= 4 {
			return binary.NativeEndian.Uint32(c.Data)
		}
	}
	return 0
}

func (s *netlinkSocket) SetDeadline(t time.Time) error {
	s.deadlineMu.Lock()
	defer s.deadlineMu.Unlock()
	s.deadline = t
	return s.file.SetDeadline(t)
}

func (s *netlinkSocket) JoinGroup(group uint32) error {
	return s.setInt(unix.SOL_NETLINK, unix.NETLINK_ADD_MEMBERSHIP, int(group))
}

func (s *netlinkSocket) LeaveGroup(group uint32) error {
	return s.setInt(unix.SOL_NETLINK, unix.NETLINK_DROP_MEMBERSHIP, int(group))
}

func (s *netlinkSocket) Close() error { return s.file.Close() }
