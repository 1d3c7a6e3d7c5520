package capture

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"
)

// Direction says which way a record's bytes went.
type Direction uint8

const (
	// DirectionUnknown is a record whose direction nobody could tell.
	DirectionUnknown Direction = iota
	// ToKernel is a send: the process handed the bytes to the kernel (or,
	// for netlink between processes, to another socket).
	ToKernel
	// FromKernel is a receive: the bytes were read by the process.
	FromKernel
)

func (d Direction) String() string {
	switch d {
	case DirectionUnknown:
		return "unknown"
	case ToKernel:
		return "to-kernel"
	case FromKernel:
		return "from-kernel"
	}
	return fmt.Sprintf("unknown(%d)", uint8(d))
}

// Arrow returns the direction as the text output shows it.
func (d Direction) Arrow() string {
	switch d {
	case ToKernel:
		return "→"
	case FromKernel:
		return "←"
	}
	return "?"
}

// Method says how a record was captured.
type Method uint8

const (
	MethodUnknown    Method = iota
	MethodFentry            // fentry/fexit on netlink_sendmsg/netlink_recvmsg
	MethodKprobe            // kprobe/kretprobe on the same functions
	MethodTracepoint        // syscall tracepoints with an AF_NETLINK fd check
	MethodNlmon             // an nlmon device read through AF_PACKET
	MethodFile              // read from a capture file that did not say
)

func (m Method) String() string {
	switch m {
	case MethodUnknown:
		return "unknown"
	case MethodFentry:
		return "fentry"
	case MethodKprobe:
		return "kprobe"
	case MethodTracepoint:
		return "tracepoint"
	case MethodNlmon:
		return "nlmon"
	case MethodFile:
		return "file"
	}
	return fmt.Sprintf("unknown(%d)", uint8(m))
}

// ParseMethod is the inverse of Method.String.
func ParseMethod(s string) (Method, error) {
	for m := MethodUnknown; m <= MethodFile; m++ {
		if m.String() == s {
			return m, nil
		}
	}
	return MethodUnknown, fmt.Errorf("unknown capture method %q", s)
}

// Record is one send or one receive of netlink bytes. The zero value of each
// field means "not known".
type Record struct {
	// Time is the wall-clock time at which the bytes crossed: a send's is
	// when its call began, a receive's when its call returned with them
	// (a monitor blocked in recvmsg gets each event's arrival, not the
	// moment it started waiting). An nlmon capture has the time the kernel
	// queued the message; a file, what its writer recorded.
	Time time.Time
	// CallTime is when the call that moved the bytes began, for a receive
	// whose start is known: Time minus CallTime is how long the call
	// waited (for an event, or for the kernel to build a dump's next
	// part). It is zero when unknown, and for sends, whose Time is their
	// call's start already.
	CallTime time.Time
	// Direction is the way the bytes went. DirectionInferred says it was
	// guessed (nlmon frames carry no direction).
	Direction         Direction
	DirectionInferred bool
	// Protocol is the netlink protocol (unix.NETLINK_ROUTE, ...).
	Protocol uint16
	// PID and TID are the process (tgid) and thread; Comm is the thread's
	// command name.
	PID, TID uint32
	Comm     string
	// NetNS is the inode number of the socket's network namespace.
	NetNS uint64
	// PortID is the local port id (nl_pid) of the socket. An nlmon capture
	// reads it from the first message header; for a request sent with port
	// id 0 it is taken from the kernel's reply that followed, and is as
	// reliable as that pairing (capture/nlmon).
	PortID uint32
	// Group is the multicast group the bytes were delivered through, or 0.
	Group uint32
	// Data is the bytes as on the wire: one or more netlink messages, exactly
	// as one send or receive carried them, cut at the snap length.
	Data []byte
	// OrigLen is the length before truncation; it equals len(Data) unless
	// the record was cut at the snap length.
	OrigLen int
	// Method is how the record was captured.
	Method Method
}

// Truncated reports whether Data was cut at the snap length.
func (r *Record) Truncated() bool { return r.OrigLen > len(r.Data) }

// Clone returns a deep copy of r, so a Source may reuse its buffers.
func (r *Record) Clone() Record {
	c := *r
	c.Data = append([]byte(nil), r.Data...)
	return c
}

// Stats counts what a Source saw and what it lost. Every loss is counted;
// nothing is dropped silently.
type Stats struct {
	Records uint64 // records delivered
	// RingFull counts records lost because the kernel-to-user buffer was full.
	RingFull uint64
	// Truncated counts records cut at the snap length (they are delivered).
	Truncated uint64
	// LostWakeup counts records lost for other reasons the backend can see:
	// a failed copy from user memory, a missed wakeup, a socket overrun.
	LostWakeup uint64
	// Recorded counts records a capture file says were lost when it was
	// written, for reasons the file does not keep.
	Recorded uint64
}

// Dropped returns the number of records that were lost.
func (s Stats) Dropped() uint64 { return s.RingFull + s.LostWakeup + s.Recorded }

// Source is a capture backend. ReadInto blocks until the next record and
// fills r, reusing r.Data's storage where it can; the caller must Clone a
// record it keeps. At the end of a finite source ReadInto returns io.EOF;
// after Close it returns ErrClosed. Close detaches probes and removes
// devices the source created.
type Source interface {
	ReadInto(ctx context.Context, r *Record) error
	Stats() Stats
	Close() error
}

// IsNonFatal reports whether err, returned by ReadInto, leaves the source
// usable: a frame that could not be read, or a notice that records were
// lost at this point of a capture file. Such errors have a method
// NonFatal() bool that returns true.
func IsNonFatal(err error) bool {
	var nf interface{ NonFatal() bool }
	return errors.As(err, &nf) && nf.NonFatal()
}

// ErrClosed is returned by ReadInto after the Source was closed.
var ErrClosed = errors.New("capture source closed")

// Records iterates over a Source's records until it ends, yielding each
// record as a fresh copy. io.EOF ends the iteration without an error.
func Records(ctx context.Context, src Source) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		var r Record
		for {
			err := src.ReadInto(ctx, &r)
			if err != nil {
				if IsNonFatal(err) {
					if !yield(Record{}, err) {
						return
					}
					continue
				}
				if !isEnd(err) {
					yield(Record{}, err)
				}
				return
			}
			if !yield(r.Clone(), nil) {
				return
			}
		}
	}
}
