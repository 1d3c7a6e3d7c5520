package netlinkprog

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
)

// Op is one logged system call: the bytes one send handed to the kernel or
// one receive returned (peeks are not logged: they are not reads).
type Op struct {
	// Send is true for a send, false for a receive.
	Send bool
	// PID and TID are the process and the thread; TID is only meaningful
	// when Locked is true, because a goroutine that is not locked to its
	// thread may move between the call and the log line.
	PID, TID uint32
	Locked   bool
	// Port is the socket's port id; Group the multicast group bit mask of
	// a received datagram's source address (0 for unicast).
	Port, Group uint32
	// Call names the system call (sendto, recvmmsg, ...).
	Call string
	// Data is the bytes exactly as sent or received.
	Data []byte
}

// The log line: "send|recv PID TID locked|free PORT GROUP CALL HEX".
func (o Op) appendLine(b []byte) []byte {
	dir := "recv"
	if o.Send {
		dir = "send"
	}
	lock := "free"
	if o.Locked {
		lock = "locked"
	}
	b = fmt.Appendf(b, "%s %d %d %s %d %d %s ", dir, o.PID, o.TID, lock, o.Port, o.Group, o.Call)
	b = hex.AppendEncode(b, o.Data)
	return append(b, '\n')
}

// Logger writes log lines; it is safe for concurrent use, and each line is
// one write, so several processes may share one file opened for appending.
type Logger struct {
	mu sync.Mutex
	w  io.Writer
}

// OpenLog opens name for appending ("-" is standard output).
func OpenLog(name string) (*Logger, func() error, error) {
	if name == "-" {
		return &Logger{w: os.Stdout}, func() error { return nil }, nil
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("open log: %w", err)
	}
	return &Logger{w: f}, f.Close, nil
}

// Log writes one op.
func (l *Logger) Log(o Op) error {
	line := o.appendLine(nil)
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.w.Write(line); err != nil {
		return fmt.Errorf("write log: %w", err)
	}
	return nil
}

// Note writes a comment line ("# ..."), which ParseLog skips.
func (l *Logger) Note(format string, args ...any) error {
	line := fmt.Appendf([]byte("# "), format, args...)
	line = append(line, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.w.Write(line); err != nil {
		return fmt.Errorf("write log: %w", err)
	}
	return nil
}

// ParseLog reads a log. Lines starting with '#' are notes and are returned
// apart; any other line that is not an op is an error.
func ParseLog(r io.Reader) (ops []Op, notes []string, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if note, ok := strings.CutPrefix(line, "# "); ok {
			notes = append(notes, note)
			continue
		}
		o, err := parseOp(line)
		if err != nil {
			return nil, nil, fmt.Errorf("log line %d: %w", n, err)
		}
		ops = append(ops, o)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("read log: %w", err)
	}
	return ops, notes, nil
}

func parseOp(line string) (Op, error) {
	f := strings.Fields(line)
	if len(f) != 8 {
		return Op{}, fmt.Errorf("want 8 fields, got %d: %q", len(f), line)
	}
	var o Op
	switch f[0] {
	case "send":
		o.Send = true
	case "recv":
	default:
		return Op{}, fmt.Errorf("bad direction %q", f[0])
	}
	switch f[3] {
	case "locked":
		o.Locked = true
	case "free":
	default:
		return Op{}, fmt.Errorf("bad thread binding %q", f[3])
	}
	nums := []*uint32{&o.PID, &o.TID, nil, &o.Port, &o.Group}
	for i, p := range nums {
		if p == nil {
			continue
		}
		v, err := strconv.ParseUint(f[1+i], 10, 32)
		if err != nil {
			return Op{}, fmt.Errorf("field %d: %w", 2+i, err)
		}
		*p = uint32(v)
	}
	o.Call = f[6]
	data, err := hex.DecodeString(f[7])
	if err != nil {
		return Op{}, fmt.Errorf("bytes: %w", err)
	}
	o.Data = data
	return o, nil
}
