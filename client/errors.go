package client

import (
	"errors"
	"fmt"
	"strings"

	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// ErrMalformed matches every *MalformedError with errors.Is.
var ErrMalformed = errors.New("malformed netlink data")

// ErrDumpInterrupted is returned with the partial results of a dump whose
// messages carried NLM_F_DUMP_INTR: the kernel's tables changed while it
// dumped, so the results may be inconsistent and the dump should be retried.
var ErrDumpInterrupted = errors.New("netlink dump interrupted: results may be inconsistent")

// MalformedError reports bytes that do not follow the netlink wire format.
// Offset counts from the start of the buffer given to the parser (plus any
// base offset the caller gave an AttributeDecoder).
type MalformedError struct {
	Offset int
	Reason string
}

func (e *MalformedError) Error() string {
	return fmt.Sprintf("malformed netlink data at offset %d: %s", e.Offset, e.Reason)
}

// Is makes errors.Is(err, ErrMalformed) true.
func (e *MalformedError) Is(target error) bool { return target == ErrMalformed }

// MismatchError reports a reply whose sequence number or port id does not
// belong to the request that is waiting for it.
type MismatchError struct {
	Want, Got Header
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("netlink reply mismatch: want seq=%d port=%d, got seq=%d port=%d type=%d",
		e.Want.Sequence, e.Want.PortID, e.Got.Sequence, e.Got.PortID, e.Got.Type)
}

// Error is a request that the kernel refused, with everything the kernel said
// about why. errors.Is(err, unix.EEXIST) works on it.
type Error struct {
	// Op names what was being done, for example "add link d0".
	Op string
	// Protocol is the netlink protocol of the request (unix.NETLINK_ROUTE, ...).
	Protocol int
	// Request is the header of the refused request.
	Request Header
	// Errno is the error code, positive.
	Errno unix.Errno
	// Ack is the extended acknowledgement that came with the error; its
	// zero value means the kernel sent none.
	Ack ExtendedAck
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
	} else {
		b.WriteString(MessageTypeName(e.Protocol, e.Request.Type))
	}
	b.WriteString(": ")
	b.WriteString(e.Errno.Error())
	if e.Ack.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Ack.Message)
	}
	if e.Ack.HasOffset {
		fmt.Fprintf(&b, " (at offset %d)", e.Ack.Offset)
	}
	if e.Ack.HasMissingType {
		fmt.Fprintf(&b, " (missing attribute type %d)", e.Ack.MissingType)
	}
	return b.String()
}

// Unwrap returns the errno, so errors.Is matches unix.Errno values.
func (e *Error) Unwrap() error { return e.Errno }

// OpError wraps a failure of a Conn operation with what was being done.
type OpError struct {
	Op  string
	Err error
}

func (e *OpError) Error() string { return e.Op + ": " + e.Err.Error() }
func (e *OpError) Unwrap() error { return e.Err }
