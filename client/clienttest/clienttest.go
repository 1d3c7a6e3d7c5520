// Package clienttest provides a scripted fake netlink socket, so that code
// built on client.Conn can be tested without a kernel.
//
// A test gives a Func that sees each request the Conn sends and returns the
// replies the kernel would have sent. Helpers build those replies (ACKs,
// errors with extended ACKs, multipart dumps) with the exact layouts the
// kernel uses. Sequence numbers and port ids left zero are filled in from
// the request, so a Func only sets them to test a mismatch.
package clienttest

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/nltrace/nltrace/client"
)

// PortID is the port id the fake socket reports.
const PortID = 4242

// Func answers the messages of one send with the replies to deliver. A
// non-nil error fails the Conn's send with it.
type Func func(req []client.Message) ([]client.Message, error)

// Socket is a fake client.Socket. Its zero value answers nothing; set Handle.
type Socket struct {
	// Handle answers each send; nil answers with nothing.
	Handle Func
	// PerRead is how many reply messages each receive returns; 0 returns
	// all replies to one send in a single datagram, as a kernel ACK does,
	// while 1 splits a dump across reads the way a large dump arrives.
	PerRead int

	mu       sync.Mutex
	cond     *sync.Cond
	pending  []datagram
	requests []client.Message
	groups   map[uint32]bool
	deadline time.Time
	closed   bool
}

// Dial returns a Conn over a new fake socket answered by fn.
func Dial(protocol int, fn Func) *client.Conn {
	return client.NewConn(&Socket{Handle: fn}, protocol)
}

// DialSocket returns a Conn over s, for tests that set PerRead or inspect
// the socket.
func DialSocket(protocol int, s *Socket) *client.Conn {
	return client.NewConn(s, protocol)
}

type datagram struct {
	b     []byte
	group uint32
}

func (s *Socket) init() {
	if s.cond == nil {
		s.cond = sync.NewCond(&s.mu)
		s.groups = map[uint32]bool{}
	}
}

// PortID implements client.Socket.
func (s *Socket) PortID() uint32 { return PortID }

// Send implements client.Socket: it parses b and queues the Func's replies.
func (s *Socket) Send(b []byte) error {
	req, err := client.ParseMessages(b)
	if err != nil {
		return fmt.Errorf("fake socket: request does not parse: %w", err)
	}
	s.mu.Lock()
	s.init()
	if s.closed {
		s.mu.Unlock()
		return os.ErrClosed
	}
	for _, m := range req {
		m.Data = append([]byte(nil), m.Data...)
		s.requests = append(s.requests, m)
	}
	s.mu.Unlock()
	if s.Handle == nil {
		return nil
	}
	replies, err := s.Handle(req)
	if err != nil {
		return err
	}
	for i := range replies {
		h := &replies[i].Header
		if h.Sequence == 0 && h.PortID == 0 && len(req) > 0 {
			h.Sequence, h.PortID = req[0].Header.Sequence, PortID
		}
	}
	s.queue(replies)
	return nil
}

func (s *Socket) queue(replies []client.Message) {
	per := s.PerRead
	if per <= 0 {
		per = len(replies)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	for len(replies) > 0 {
		n := min(per, len(replies))
		var b []byte
		for _, m := range replies[:n] {
			b = appendExact(b, m)
		}
		s.pending = append(s.pending, datagram{b: b})
		replies = replies[n:]
	}
	s.cond.Broadcast()
}

// appendExact encodes m keeping a Header.Length the caller set, so tests can
// send lying lengths; otherwise the length is computed.
func appendExact(b []byte, m client.Message) []byte {
	if m.Header.Length == 0 {
		return m.Append(b)
	}
	b = m.Header.Append(b)
	return append(b, m.Data...)
}

// Inject queues raw unicast datagrams to be received, such as malformed
// bytes.
func (s *Socket) Inject(datagrams ...[]byte) {
	for _, b := range datagrams {
		s.InjectGroup(0, b)
	}
}

// InjectGroup queues a raw datagram delivered through a multicast group.
func (s *Socket) InjectGroup(group uint32, b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	s.pending = append(s.pending, datagram{b: b, group: group})
	s.cond.Broadcast()
}

// InjectMessages queues messages as one unicast datagram, unchanged.
func (s *Socket) InjectMessages(msgs ...client.Message) {
	s.Inject(encodeAll(msgs))
}

// InjectNotification queues messages as one datagram delivered through a
// multicast group, as the kernel sends notifications.
func (s *Socket) InjectNotification(group uint32, msgs ...client.Message) {
	s.InjectGroup(group, encodeAll(msgs))
}

func encodeAll(msgs []client.Message) []byte {
	var b []byte
	for _, m := range msgs {
		b = appendExact(b, m)
	}
	return b
}

// Requests returns copies of every message sent so far.
func (s *Socket) Requests() []client.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]client.Message(nil), s.requests...)
}

// Groups reports whether the socket has joined group.
func (s *Socket) Groups(group uint32) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.groups[group]
}

// Receive implements client.Socket. It blocks until a datagram is queued,
// the deadline passes, ctx ends or the socket is closed.
func (s *Socket) Receive(ctx context.Context) ([]byte, uint32, error) {
	s.mu.Lock()
	s.init()
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer stop()
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		switch {
		case s.closed:
			s.mu.Unlock()
			return nil, 0, os.ErrClosed
		case len(s.pending) > 0:
			d := s.pending[0]
			s.pending = s.pending[1:]
			s.mu.Unlock()
			return d.b, d.group, nil
		case ctx.Err() != nil:
			s.mu.Unlock()
			return nil, 0, ctx.Err()
		case !s.deadline.IsZero() && !time.Now().Before(s.deadline):
			s.mu.Unlock()
			return nil, 0, os.ErrDeadlineExceeded
		}
		if !s.deadline.IsZero() && timer == nil {
			timer = time.AfterFunc(time.Until(s.deadline), func() {
				s.mu.Lock()
				s.cond.Broadcast()
				s.mu.Unlock()
			})
		}
		s.cond.Wait()
	}
}

// JoinGroup implements client.Socket.
func (s *Socket) JoinGroup(group uint32) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	s.groups[group] = true
	return nil
}

// LeaveGroup implements client.Socket.
func (s *Socket) LeaveGroup(group uint32) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	if !s.groups[group] {
		return errors.New("fake socket: not a member of the group")
	}
	delete(s.groups, group)
	return nil
}

// SetDeadline implements client.Socket.
func (s *Socket) SetDeadline(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	s.deadline = t
	s.cond.Broadcast()
	return nil
}

// Close implements client.Socket.
func (s *Socket) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	s.closed = true
	s.cond.Broadcast()
	return nil
}

// Ack returns the kernel's ACK for req: an NLMSG_ERROR with errno 0 and the
// request header echoed (capped, as the kernel does for ACKs).
func Ack(req client.Message) client.Message {
	return Error(req, 0, nil, true)
}

// Error returns an NLMSG_ERROR refusing req with errno (positive, e.g.
// unix.EEXIST). With capped the request header alone is echoed; otherwise
// the whole request. A non-nil ack adds extended-ACK attributes, laid out
// where the kernel puts them.
func Error(req client.Message, errno int, ack *client.ExtendedAck, capped bool) client.Message {
	reqHdr := req.Header
	reqHdr.Length = uint32(client.HeaderLen + len(req.Data))
	b := binary.NativeEndian.AppendUint32(nil, uint32(int32(-errno)))
	b = reqHdr.Append(b)
	var flags uint16
	if capped {
		flags |= client.FlagCapped
	} else {
		b = append(b, req.Data...)
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
	}
	if ack != nil {
		flags |= client.FlagAckTLVs
		b = append(b, EncodeExtendedAck(*ack)...)
	}
	return client.Message{Header: client.Header{Type: client.TypeError, Flags: flags}, Data: b}
}

// Done returns the NLMSG_DONE that ends a dump, carrying errno (0 for
// success) and, when ack is non-nil, extended-ACK attributes.
func Done(errno int, ack *client.ExtendedAck) client.Message {
	b := binary.NativeEndian.AppendUint32(nil, uint32(int32(-errno)))
	var flags uint16 = client.FlagMulti
	if ack != nil {
		flags |= client.FlagAckTLVs
		b = append(b, EncodeExtendedAck(*ack)...)
	}
	return client.Message{Header: client.Header{Type: client.TypeDone, Flags: flags}, Data: b}
}

// Multipart marks msgs as parts of a dump and ends them with NLMSG_DONE.
func Multipart(msgs ...client.Message) []client.Message {
	out := make([]client.Message, 0, len(msgs)+1)
	for _, m := range msgs {
		m.Header.Flags |= client.FlagMulti
		out = append(out, m)
	}
	return append(out, Done(0, nil))
}

// EncodeExtendedAck encodes the NLMSGERR_ATTR_* attributes of ack.
func EncodeExtendedAck(ack client.ExtendedAck) []byte {
	var e client.AttributeEncoder
	if ack.Message != "" {
		e.String(client.ErrAttrMsg, ack.Message)
	}
	if ack.HasOffset {
		e.Uint32(client.ErrAttrOffs, ack.Offset)
	}
	if ack.Cookie != nil {
		e.Bytes(client.ErrAttrCookie, ack.Cookie)
	}
	if p := ack.Policy; p != nil {
		n := e.NestStart(client.ErrAttrPolicy | client.AttrNested)
		put32 := func(t uint16, v uint32) {
			if p.Has(t) {
				e.Uint32(t, v)
			}
		}
		put64 := func(t uint16, v uint64) {
			if p.Has(t) {
				e.Uint64(t, v)
			}
		}
		put32(client.PolicyAttrType, p.Type)
		put64(client.PolicyAttrMinValueS, uint64(p.MinValueS))
		put64(client.PolicyAttrMaxValueS, uint64(p.MaxValueS))
		put64(client.PolicyAttrMinValueU, p.MinValueU)
		put64(client.PolicyAttrMaxValueU, p.MaxValueU)
		put32(client.PolicyAttrMinLength, p.MinLength)
		put32(client.PolicyAttrMaxLength, p.MaxLength)
		put32(client.PolicyAttrPolicyIdx, p.PolicyIdx)
		put32(client.PolicyAttrPolicyMaxType, p.PolicyMaxType)
		put32(client.PolicyAttrBitfield32Mask, p.Bitfield32Mask)
		put64(client.PolicyAttrMask, p.Mask)
		e.NestEnd(n)
	}
	if ack.HasMissingType {
		e.Uint32(client.ErrAttrMissType, ack.MissingType)
	}
	if ack.HasMissingNest {
		e.Uint32(client.ErrAttrMissNest, ack.MissingNest)
	}
	b, _ := e.Encode()
	return b
}
