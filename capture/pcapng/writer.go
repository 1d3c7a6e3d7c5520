package pcapng

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/nltrace/nltrace/capture"
)

// WriterConfig configures a Writer. A nil *WriterConfig means all defaults.
type WriterConfig struct {
	// Version goes into the section header as "nltrace <Version>"; empty
	// means "dev".
	Version string
	// InterfaceName and InterfaceDescription name the one interface the
	// records are written on; empty means "nltrace" and a description of
	// Method.
	InterfaceName        string
	InterfaceDescription string
	// Method describes how the records are captured, for the interface
	// description; MethodUnknown leaves the method out.
	Method capture.Method
	// SnapLen is the most netlink bytes a record holds (the capture's snap
	// length); 0 means unlimited.
	SnapLen uint32
	// FlushInterval bounds how long a written record may stay buffered;
	// 0 means one second.
	FlushInterval time.Duration
	// FlushRecords flushes after this many records; 0 means 64.
	FlushRecords int
}

// Writer writes records to a pcapng file. It is safe for concurrent use. Call
// Close to write the drop count and flush; a Writer that is never closed
// still leaves a file that reads up to its last flush.
type Writer struct {
	mu      sync.Mutex
	ng      *pcapgo.NgWriter
	closer  io.Closer // the file Create opened; nil otherwise
	start   time.Time
	written uint64
	// pending counts records written since the last flush; timer flushes
	// them after FlushInterval if no later record does.
	pending       int
	flushRecords  int
	flushInterval time.Duration
	timer         *time.Timer
	err           error // first write or flush error; the file is broken after it
	closed        bool
	frame         []byte
	comment       []byte
	flags         pcapgo.NgEpbFlags
	// lossWritten is the drop count of the last statistics block.
	lossWritten uint64
	// raw is the stream under ng, for blocks pcapgo cannot write.
	raw io.Writer
}

// appendStatsBlock appends an interface statistics block for interface 0
// (little-endian, nanosecond timestamps, as the interface says): start
// and end time when set, packets received and dropped, and the loss
// reasons in a comment.
func appendStatsBlock(b []byte, now, start, end time.Time, s capture.Stats) []byte {
	le := binary.LittleEndian
	at := len(b)
	b = le.AppendUint32(b, blockISB)
	b = le.AppendUint32(b, 0) // length, set below
	b = le.AppendUint32(b, 0) // interface id
	ts := func(b []byte, t time.Time) []byte {
		n := uint64(t.UnixNano())
		b = le.AppendUint32(b, uint32(n>>32))
		return le.AppendUint32(b, uint32(n))
	}
	b = ts(b, now)
	opt := func(b []byte, code uint16, v []byte) []byte {
		b = le.AppendUint16(b, code)
		b = le.AppendUint16(b, uint16(len(v)))
		b = append(b, v...)
		for len(v)%4 != 0 {
			b = append(b, 0)
			v = append(v, 0)
		}
		return b
	}
	b = opt(b, 1, []byte(lossComment(s)))
	if !start.IsZero() {
		b = opt(b, 2, ts(nil, start))
	}
	if !end.IsZero() {
		b = opt(b, 3, ts(nil, end))
	}
	b = opt(b, 4, le.AppendUint64(nil, s.Records+s.Dropped()))
	b = opt(b, 5, le.AppendUint64(nil, s.Dropped()))
	b = opt(b, 0, nil)
	n := len(b) - at + 4
	b = le.AppendUint32(b, uint32(n))
	le.PutUint32(b[at+4:], uint32(n))
	return b
}

// Create creates (or truncates) the file at path and returns a Writer on it.
// The path "-" means standard output, which Close leaves open.
func Create(path string, cfg *WriterConfig) (*Writer, error) {
	if path == "-" {
		return NewWriter(os.Stdout, cfg)
	}
	// Owner-only: a capture holds whatever keys crossed netlink.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create capture file: %w", err)
	}
	w, err := NewWriter(f, cfg)
	if err != nil {
		f.Close()
		return nil, err
	}
	w.closer = f
	return w, nil
}

// writeBuffer is how many bytes of records the writer holds before a
// write(2).
const writeBuffer = 256 << 10

// NewWriter writes the section header and the interface description to w
// and returns a Writer that appends records to it. Close does not close w.
func NewWriter(w io.Writer, cfg *WriterConfig) (*Writer, error) {
	if cfg == nil {
		cfg = &WriterConfig{}
	}
	version := cfg.Version
	if version == "" {
		version = "dev"
	}
	name := cfg.InterfaceName
	if name == "" {
		name = "nltrace"
	}
	desc := cfg.InterfaceDescription
	if desc == "" {
		desc = "netlink sends and receives captured by nltrace"
		if cfg.Method != capture.MethodUnknown {
			desc += " (" + cfg.Method.String() + ")"
		}
	}
	snap := uint32(0)
	if cfg.SnapLen != 0 {
		snap = cfg.SnapLen + cookedLen
	}
	intf := pcapgo.NgInterface{
		Name:        name,
		Description: desc,
		OS:          runtime.GOOS,
		LinkType:    LinkTypeNetlink,
		SnapLength:  snap,
		// pcapgo always writes nanosecond timestamps.
		TimestampResolution: 9,
	}
	opts := pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{
		Hardware:    runtime.GOARCH,
		OS:          osName(),
		Application: "nltrace " + version,
	}}
	// pcapgo buffers in a bufio.Writer of 4 KiB, one write(2) for every
	// two or three link-sized records; it adopts a larger bufio.Writer
	// handed to it (bufio.NewWriter returns it as is), so records go out
	// when this fills or Flush is due. Blocks written to raw follow an
	// ng.Flush, which empties it first.
	ng, err := pcapgo.NewNgWriterInterface(bufio.NewWriterSize(w, writeBuffer), intf, opts)
	if err != nil {
		return nil, fmt.Errorf("write pcapng header: %w", err)
	}
	wr := &Writer{
		ng:            ng,
		raw:           w,
		start:         time.Now(),
		flushRecords:  cfg.FlushRecords,
		flushInterval: cfg.FlushInterval,
	}
	if wr.flushRecords <= 0 {
		wr.flushRecords = 64
	}
	if wr.flushInterval <= 0 {
		wr.flushInterval = time.Second
	}
	// The header goes out at once, so even a capture killed before its
	// first record leaves a valid (empty) file.
	if err := ng.Flush(); err != nil {
		return nil, fmt.Errorf("write pcapng header: %w", err)
	}
	return wr, nil
}

// Write appends one record. It does not keep r or its Data.
func (w *Writer) Write(r *capture.Record) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("write pcapng record: writer closed")
	}
	w.frame = appendCooked(w.frame[:0], r)
	w.frame = append(w.frame, r.Data...)
	orig := len(r.Data)
	if r.OrigLen > orig {
		orig = r.OrigLen
	}
	ci := gopacket.CaptureInfo{
		Timestamp:     r.Time,
		CaptureLength: len(w.frame),
		Length:        cookedLen + orig,
	}
	if ci.Timestamp.IsZero() {
		ci.Timestamp = time.Now()
	}
	var opts pcapgo.NgPacketOptions
	switch r.Direction {
	case capture.ToKernel:
		w.flags.Direction = pcapgo.NgEpbFlagDirectionOutbound
	case capture.FromKernel:
		w.flags.Direction = pcapgo.NgEpbFlagDirectionInbound
	default:
		w.flags.Direction = pcapgo.NgEpbFlagDirectionUnknown
	}
	opts.Flags = &w.flags
	w.comment = appendComment(w.comment[:0], r)
	if len(w.comment) > 0 {
		opts.Comments = []string{string(w.comment)}
	}
	if err := w.ng.WritePacketWithOptions(ci, w.frame, opts); err != nil {
		w.err = fmt.Errorf("write pcapng record: %w", err)
		return w.err
	}
	w.written++
	w.pending++
	if w.pending >= w.flushRecords {
		return w.flushLocked()
	}
	if w.pending == 1 {
		w.armTimer()
	}
	return nil
}

func (w *Writer) armTimer() {
	if w.timer == nil {
		w.timer = time.AfterFunc(w.flushInterval, w.timedFlush)
		return
	}
	w.timer.Reset(w.flushInterval)
}

func (w *Writer) timedFlush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || w.err != nil || w.pending == 0 {
		return
	}
	// A failure here is kept in w.err and returned by the next Write or
	// Close: nothing is lost silently.
	_ = w.flushLocked()
}

// Flush writes buffered records out to the file.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	return w.flushLocked()
}

func (w *Writer) flushLocked() error {
	w.pending = 0
	if err := w.ng.Flush(); err != nil {
		w.err = fmt.Errorf("flush pcapng file: %w", err)
		return w.err
	}
	return nil
}

// Written returns how many records were written.
func (w *Writer) Written() uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.written
}

// WriteLoss records, in an interface statistics block written between the
// records, that the capture has lost records since the last such block:
// a reader then shows the gap where it happened, with its reasons. It
// writes nothing while s.Dropped() has not grown. The live trace calls it
// with its source's counts as it writes records.
func (w *Writer) WriteLoss(s capture.Stats) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || w.err != nil || s.Dropped() <= w.lossWritten {
		return w.err
	}
	if err := w.writeStatsLocked(s, false); err != nil {
		w.err = err
		return err
	}
	return nil
}

// writeStatsLocked writes an interface statistics block with the counts so
// far; the comment keeps what the standard options cannot: each reason.
func (w *Writer) writeStatsLocked(s capture.Stats, final bool) error {
	// pcapgo's writer leaves the comment out of statistics blocks, so
	// the block is written here, after what pcapgo holds buffered.
	if err := w.ng.Flush(); err != nil {
		return fmt.Errorf("write pcapng statistics: %w", err)
	}
	now := time.Now()
	end := time.Time{}
	if final {
		end = now
	}
	if _, err := w.raw.Write(appendStatsBlock(nil, now, w.start, end, s)); err != nil {
		return fmt.Errorf("write pcapng statistics: %w", err)
	}
	w.lossWritten = s.Dropped()
	return nil
}

// Close writes an interface statistics block with the capture's final
// counts (isb_ifdrop is final.Dropped()), flushes, and closes the file if
// Create opened it. Call it once, after the last Write.
func (w *Writer) Close(final capture.Stats) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	if w.timer != nil {
		w.timer.Stop()
	}
	err := w.err
	if err == nil {
		err = w.writeStatsLocked(final, true)
		if err == nil {
			err = w.flushLocked()
		}
	}
	if w.closer != nil {
		if cerr := w.closer.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close capture file: %w", cerr)
		}
	}
	return err
}
