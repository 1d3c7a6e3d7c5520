package nlmon

import (
	"context"
	"encoding/binary"
	"errors"
	"time"

	"github.com/nltrace/nltrace/capture"
)

// DefaultReplyWait is how long ReadInto waits, after a request that carries
// port id 0, for the next frame that may be its reply. The kernel answers
// most requests inside the sender's sendmsg, so the reply is usually queued
// already; the bound only delays requests that get no answer. 100 ms, not
// less: on a loaded machine (or an emulated one) the reader can fall tens
// of milliseconds behind the frames, and the reply of a request that
// waited longer than the bound loses its process.
const DefaultReplyWait = 100 * time.Millisecond

// frameReader reads one frame into r, reusing r.Data's storage, with the
// port id already resolved where it can be. It waits until the deadline at
// most (the zero time: without bound), and then returns an error that
// wraps context.DeadlineExceeded.
type frameReader interface {
	readFrame(ctx context.Context, deadline time.Time, r *capture.Record) error
}

// replyPairer gives requests that carry port id 0 the port id and process
// of the reply that follows them. It looks one frame ahead, no further: a
// notification that comes between a request and its reply leaves the
// request unattributed, which is rare and only costs the attribution.
type replyPairer struct {
	frames frameReader
	// wait bounds the look-ahead; 0 or less turns it off.
	wait time.Duration

	// ahead is the frame read while looking ahead, delivered next. It has
	// a buffer of its own: the request was read into the caller's record.
	ahead     capture.Record
	haveAhead bool
	// aheadErr is a read error met while looking ahead, returned next so
	// that it is not lost behind the request.
	aheadErr error
}

// read fills r with the next frame.
func (p *replyPairer) read(ctx context.Context, r *capture.Record) error {
	switch {
	case p.haveAhead:
		p.haveAhead = false
		data := append(r.Data[:0], p.ahead.Data...)
		*r = p.ahead
		r.Data = data
	case p.aheadErr != nil:
		err := p.aheadErr
		p.aheadErr = nil
		return err
	default:
		if err := p.frames.readFrame(ctx, time.Time{}, r); err != nil {
			return err
		}
	}
	if p.wait <= 0 || !awaitsReply(r) {
		return nil
	}
	if err := p.frames.readFrame(ctx, time.Now().Add(p.wait), &p.ahead); err != nil {
		// A wait that ran out, or an ended ctx, ends the look-ahead only:
		// the request is returned, and an ended ctx ends the next read.
		// Any other error (Close, a failed read) belongs to the next read.
		if ctx.Err() == nil && !errors.Is(err, context.DeadlineExceeded) {
			p.aheadErr = err
		}
		return nil
	}
	p.haveAhead = true
	if answers(&p.ahead, r) {
		r.PortID, r.PID, r.Comm = p.ahead.PortID, p.ahead.PID, p.ahead.Comm
	}
	return nil
}

// nlmsgHeaderLen is the size of struct nlmsghdr; nlmsg_seq is at offset 8.
const nlmsgHeaderLen = 16

func sequence(data []byte) uint32 { return binary.NativeEndian.Uint32(data[8:12]) }

// awaitsReply says r is a request whose sender left the port id for the
// kernel to fill in, so that only the reply names the socket.
func awaitsReply(r *capture.Record) bool {
	return r.Direction == capture.ToKernel && r.PortID == 0 && len(r.Data) >= nlmsgHeaderLen
}

// answers says reply is the kernel's answer to req as far as the headers
// tell: from the kernel, same protocol and namespace, same sequence number,
// addressed to a port. A notification that a request caused carries the
// sender's port and sequence number too, and names the same process.
func answers(reply, req *capture.Record) bool {
	return reply.Direction == capture.FromKernel &&
		reply.Protocol == req.Protocol &&
		reply.NetNS == req.NetNS &&
		reply.PortID != 0 &&
		len(reply.Data) >= nlmsgHeaderLen &&
		sequence(reply.Data) == sequence(req.Data)
}
