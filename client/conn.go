package client

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"
	"time"

	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// Socket is what a Conn sends and receives through: a netlink socket, or a
// fake from package clienttest. Receive returns one datagram in a slice
// that the caller may keep, and the multicast group it was delivered
// through (0 for unicast).
type Socket interface {
	Send(b []byte) error
	Receive(ctx context.Context) (datagram []byte, group uint32, err error)
	PortID() uint32
	JoinGroup(group uint32) error
	LeaveGroup(group uint32) error
	SetDeadline(t time.Time) error
	Close() error
}

// Config configures Dial. A nil *Config means all defaults.
type Config struct {
	// NetNS is the network namespace to open the socket in; nil means the
	// calling thread's namespace.
	NetNS *NetNS
	// Groups are multicast groups to join at once; nil joins none.
	Groups []uint32
	// DisableExtendedAck turns off NETLINK_EXT_ACK; by default the kernel
	// is asked for extended ACKs.
	DisableExtendedAck bool
	// CapAck sets NETLINK_CAP_ACK, so errors echo only the request header;
	// by default the whole request is echoed.
	CapAck bool
	// Strict sets NETLINK_GET_STRICT_CHK, so the kernel validates dump
	// requests strictly; off by default, as in the kernel.
	Strict bool
	// ReadBufferSize sets the socket receive buffer (SO_RCVBUFFORCE when
	// permitted, else SO_RCVBUF); 0 keeps the kernel default.
	ReadBufferSize int
}

// Conn is a netlink connection. It numbers requests, checks that every reply
// belongs to the request that waits for it (sequence number and port id),
// collects multipart dumps and turns NLMSG_ERROR into *Error. A Conn is safe
// for concurrent use; requests on one Conn are serialised.
type Conn struct {
	sock     Socket
	protocol int
	seq      atomic.Uint32

	mu sync.Mutex // serialises receive paths, guards the fields below
	// queued holds notifications that arrived while Execute waited for a
	// reply, for Notifications to deliver.
	queued []Message
	// abandoned holds sequence numbers of requests whose caller gave up
	// (context cancelled): their late replies are dropped, not reported.
	abandoned []uint32
}

// maxAbandoned bounds how many given-up requests a Conn remembers.
const maxAbandoned = 64

// NewConn returns a Conn over sock, for protocol (unix.NETLINK_ROUTE, ...).
// Dial is the usual way; NewConn exists for fakes and for sockets opened
// elsewhere.
func NewConn(sock Socket, protocol int) *Conn {
	c := &Conn{sock: sock, protocol: protocol}
	// Start sequence numbers away from 0, which notifications use.
	c.seq.Store(uint32(time.Now().UnixNano()) | 1)
	return c
}

// Protocol returns the netlink protocol of the connection.
func (c *Conn) Protocol() int { return c.protocol }

// PortID returns the local port id (nl_pid) the kernel assigned.
func (c *Conn) PortID() uint32 { return c.sock.PortID() }

// Close closes the socket.
func (c *Conn) Close() error { return c.sock.Close() }

// SetDeadline sets a deadline for all receives; the zero time clears it.
func (c *Conn) SetDeadline(t time.Time) error { return c.sock.SetDeadline(t) }

// JoinGroup subscribes to a multicast group.
func (c *Conn) JoinGroup(group uint32) error {
	if err := c.sock.JoinGroup(group); err != nil {
		return fmt.Errorf("join multicast group %d: %w", group, err)
	}
	return nil
}

// LeaveGroup unsubscribes from a multicast group.
func (c *Conn) LeaveGroup(group uint32) error {
	if err := c.sock.LeaveGroup(group); err != nil {
		return fmt.Errorf("leave multicast group %d: %w", group, err)
	}
	return nil
}

func (c *Conn) nextSeq() uint32 {
	for {
		if s := c.seq.Add(1); s != 0 {
			return s
		}
	}
}

// Send sends one message as it is, after giving it a sequence number if it
// has none. It returns the message as sent. Most callers want Execute.
func (c *Conn) Send(m Message) (Message, error) {
	if m.Header.Sequence == 0 {
		m.Header.Sequence = c.nextSeq()
	}
	b, _ := m.MarshalBinary()
	if err := c.sock.Send(b); err != nil {
		return m, fmt.Errorf("send %s: %w", MessageTypeName(c.protocol, m.Header.Type), err)
	}
	return m, nil
}

// SendRaw sends b, one or more messages exactly as given, in one datagram:
// a batch the kernel must see in one send (nftables), or recorded bytes
// that replay sends unchanged. Nothing is numbered or checked.
func (c *Conn) SendRaw(b []byte) error {
	if err := c.sock.Send(b); err != nil {
		return fmt.Errorf("send %d bytes: %w", len(b), err)
	}
	return nil
}

// Receive reads one datagram and returns its messages, unchecked. Most
// callers want Execute or Notifications.
func (c *Conn) Receive(ctx context.Context) ([]Message, error) {
	b, _, err := c.sock.Receive(ctx)
	if err != nil {
		return nil, err
	}
	return ParseMessages(b)
}

// Execute sends a request and returns its replies. It sets NLM_F_REQUEST
// and NLM_F_ACK, assigns a sequence number, and reads until the request is
// complete: an ACK, an error, or the NLMSG_DONE of a dump. The ACK and
// NLMSG_DONE themselves are not returned.
//
// A refusal comes back as *Error (errors.Is(err, unix.EEXIST) works). A dump
// the kernel marked NLM_F_DUMP_INTR returns all its replies together with
// an error that matches ErrDumpInterrupted. A reply with a foreign sequence
// number or port id is a *MismatchError.
func (c *Conn) Execute(ctx context.Context, req Message) ([]Message, error) {
	c.mu.Lock()
	defer c.mu.Unlock()

	req.Header.Flags |= FlagRequest | FlagAck
	req.Header.Sequence = c.nextSeq()
	if _, err := c.Send(req); err != nil {
		return nil, err
	}
	replies, err := c.collect(ctx, req.Header)
	if err != nil && ctx.Err() != nil {
		c.abandon(req.Header.Sequence)
	}
	return replies, err
}

func (c *Conn) abandon(seq uint32) {
	if len(c.abandoned) == maxAbandoned {
		c.abandoned = c.abandoned[1:]
	}
	c.abandoned = append(c.abandoned, seq)
}

func (c *Conn) wasAbandoned(seq uint32) bool {
	for _, s := range c.abandoned {
		if s == seq {
			return true
		}
	}
	return false
}

// collect reads the replies to req. The caller holds c.mu.
func (c *Conn) collect(ctx context.Context, req Header) ([]Message, error) {
	var replies []Message
	interrupted := false
	port := c.sock.PortID()
	for {
		b, group, err := c.sock.Receive(ctx)
		if err != nil {
			return replies, c.opError(req, err)
		}
		var s MessageScanner
		s.Reset(b)
		for s.Next() {
			m := s.Message()
			h := m.Header
			switch {
			case group != 0 || h.PortID != port || h.Sequence == 0:
				// Not a reply: a multicast notification (which carries the
				// port and sequence number of whoever caused it, possibly
				// this very request) or a message from another socket.
				// Keep it for Notifications.
				c.queued = append(c.queued, m)
				continue
			case h.Sequence != req.Sequence:
				if c.wasAbandoned(h.Sequence) {
					continue
				}
				return replies, &MismatchError{Want: Header{Sequence: req.Sequence, PortID: port}, Got: h}
			}
			if h.Flags&FlagDumpIntr != 0 {
				interrupted = true
			}
			switch h.Type {
			case TypeError:
				em, err := ParseErrorMessage(h.Flags, m.Data)
				if err != nil {
					return replies, c.opError(req, fmt.Errorf("parse NLMSG_ERROR: %w", err))
				}
				if em.Errno != 0 {
					return replies, &Error{Protocol: c.protocol, Request: req, Errno: unix.Errno(-em.Errno), Ack: em.Ack}
				}
				return finish(replies, interrupted)
			case TypeDone:
				dm, err := ParseDoneMessage(h.Flags, m.Data)
				if err != nil {
					return replies, c.opError(req, fmt.Errorf("parse NLMSG_DONE: %w", err))
				}
				if dm.Errno != 0 {
					return replies, &Error{Protocol: c.protocol, Request: req, Errno: unix.Errno(-dm.Errno), Ack: dm.Ack}
				}
				return finish(replies, interrupted)
			case TypeNoop:
				continue
			case TypeOverrun:
				return replies, c.opError(req, errors.New("kernel reported NLMSG_OVERRUN: data was lost"))
			}
			replies = append(replies, m)
		}
		if err := s.Err(); err != nil {
			return replies, c.opError(req, err)
		}
	}
}

func finish(replies []Message, interrupted bool) ([]Message, error) {
	if interrupted {
		return replies, ErrDumpInterrupted
	}
	return replies, nil
}

func (c *Conn) opError(req Header, err error) error {
	return &OpError{Op: "execute " + MessageTypeName(c.protocol, req.Type), Err: err}
}

// Notifications yields the messages that arrive on the socket, typically
// multicast notifications after JoinGroup, until ctx ends or the consumer
// stops. A receive error is yielded and iteration goes on, so a consumer
// can count ENOBUFS (lost notifications) and continue; it stops after an
// error that ends the socket (closed, deadline, context); ENOBUFS (the
// kernel dropped notifications) and a malformed datagram are recoverable.
func (c *Conn) Notifications(ctx context.Context) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		for {
			c.mu.Lock()
			queued := c.queued
			c.queued = nil
			c.mu.Unlock()
			for _, m := range queued {
				if !yield(m, nil) {
					return
				}
			}
			c.mu.Lock()
			msgs, err := c.Receive(ctx)
			c.mu.Unlock()
			for _, m := range msgs {
				if !yield(m, nil) {
					return
				}
			}
			if err != nil {
				recoverable := errors.Is(err, unix.ENOBUFS) || errors.Is(err, ErrMalformed)
				if !yield(Message{}, fmt.Errorf("receive notifications: %w", err)) || !recoverable {
					return
				}
			}
		}
	}
}
