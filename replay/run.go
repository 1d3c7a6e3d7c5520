package replay

import (
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
)

// Config configures Run. A nil *Config means the defaults.
type Config struct {
	// NetNS is the network namespace to replay in, left as it is after the
	// run; nil creates a new unnamed namespace that disappears when Run
	// returns. The initial network namespace is refused.
	NetNS *client.NetNS
	// Sink receives the replay's own traffic, every send and every
	// receive, as records; nil records nothing.
	Sink Sink
	// Log, when set, receives one line for each rewritten value, each
	// namespace and each link created (the CLI's --verbose).
	Log func(line string)
	// Wait bounds each silence while the answers to one send are awaited
	// (a dump may go on longer, as long as parts keep coming); 0 means 5
	// seconds.
	Wait time.Duration
	// Fast sends each send as soon as the previous one is answered. By
	// default the replay keeps the capture's pace: a send never goes out
	// sooner after the first than it was recorded, because the kernel
	// finishes some work asynchronously (a link's carrier comes up some
	// time after the link) and the recorded program's requests relied on
	// that time having passed.
	Fast bool
	// StubLinks creates, before the first send, the links that the
	// capture refers to (by index or by name) but never creates itself,
	// named as in the capture: dummy links, or veth pairs where the
	// kernel has no dummy driver.
	StubLinks bool
}

// Sink receives records; *pcapng.Writer is one.
type Sink interface {
	Write(r *capture.Record) error
}

// Result is the outcome of one replayed request.
type Result struct {
	// Record is the capture's record number; Message the request's
	// position in it (from 1), since a batch holds several.
	Record, Message int
	// Socket is the index of the recorded socket (Plan.Sockets).
	Socket int
	Name   string
	// Recorded and Replayed are the two outcomes; Diffs says how they
	// differ, empty when they match.
	Recorded, Replayed Outcome
	Diffs              []string
}

// Same reports whether the replayed outcome matches the recorded one.
func (r Result) Same() bool { return len(r.Diffs) == 0 }

const defaultWait = 5 * time.Second
