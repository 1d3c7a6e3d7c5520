package client

import (
	"context"
	"errors"
	"fmt"
)

// RouteConn performs rtnetlink operations (links, addresses, routes) over a
// NETLINK_ROUTE Conn. Like Conn it is safe for concurrent use. Close it.
//
// Every method takes a context for cancellation and deadlines. A request the
// kernel refuses returns the *Error with its Op set to what was being done
// ("add link d0: file exists"), so errors.Is(err, unix.EEXIST) works and the
// extended-ACK message is kept.
type RouteConn struct {
	conn *Conn
}

// maxDumpAttempts bounds how often a dump that the kernel marked
// NLM_F_DUMP_INTR is retried before the partial result is returned.
const maxDumpAttempts = 3

// DialRoute opens a NETLINK_ROUTE socket with cfg (nil means defaults) and
// returns a RouteConn over it.
func DialRoute(cfg *Config) (*RouteConn, error) {
	c, err := Dial(ProtocolRoute, cfg)
	if err != nil {
		return nil, err
	}
	return &RouteConn{conn: c}, nil
}

// NewRouteConn returns a RouteConn over c, which must speak NETLINK_ROUTE;
// this is how tests put a RouteConn over a fake socket. Closing the
// RouteConn closes c.
func NewRouteConn(c *Conn) *RouteConn { return &RouteConn{conn: c} }

// Conn returns the underlying connection, for requests RouteConn does not
// offer.
func (r *RouteConn) Conn() *Conn { return r.conn }

// Close closes the underlying connection.
func (r *RouteConn) Close() error { return r.conn.Close() }

// execute runs one request that expects at most an ACK or a single reply.
func (r *RouteConn) execute(ctx context.Context, op string, req Message) ([]Message, error) {
	if err := requireProtocol(r.conn, ProtocolRoute, op); err != nil {
		return nil, err
	}
	replies, err := r.conn.Execute(ctx, req)
	if err != nil {
		return nil, withOp(op, err)
	}
	return replies, nil
}

// dump runs a dump request, retrying one the kernel interrupted.
func (r *RouteConn) dump(ctx context.Context, op string, req Message) ([]Message, error) {
	if err := requireProtocol(r.conn, ProtocolRoute, op); err != nil {
		return nil, err
	}
	replies, err := executeDump(ctx, r.conn, req)
	if err != nil {
		return replies, withOp(op, err)
	}
	return replies, nil
}

// executeDump sends a dump request and collects its replies. When the
// kernel's tables changed during the dump (NLM_F_DUMP_INTR) it asks again,
// up to maxDumpAttempts times, and then returns the last partial result
// with an error that matches ErrDumpInterrupted.
func executeDump(ctx context.Context, c *Conn, req Message) ([]Message, error) {
	req.Header.Flags |= FlagDump
	var (
		replies []Message
		err     error
	)
	for range maxDumpAttempts {
		replies, err = c.Execute(ctx, req)
		if !errors.Is(err, ErrDumpInterrupted) {
			break
		}
	}
	return replies, err
}

// withOp names the operation in err. A kernel refusal is the *Error itself
// with Op set, so its text reads "add link d0: file exists: <extack>";
// anything else is wrapped.
func withOp(op string, err error) error {
	if e, ok := err.(*Error); ok && e.Op == "" {
		e.Op = op
		return e
	}
	return fmt.Errorf("%s: %w", op, err)
}

func requireProtocol(c *Conn, protocol int, op string) error {
	if c.Protocol() != protocol {
		return fmt.Errorf("%s: connection speaks netlink protocol %s, need %s", op, ProtocolName(c.Protocol()), ProtocolName(protocol))
	}
	return nil
}

// request builds a message from a fixed header and attributes.
func request(typ, flags uint16, fixed []byte, attrs *AttributeEncoder) (Message, error) {
	data := fixed
	if attrs != nil {
		b, err := attrs.Encode()
		if err != nil {
			return Message{}, err
		}
		data = append(data, b...)
	}
	return Message{Header: Header{Type: typ, Flags: flags}, Data: data}, nil
}
