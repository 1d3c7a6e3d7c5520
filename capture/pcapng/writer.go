package pcapng

import (
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
	ng, err := pcapgo.NewNgWriterInterface(w, intf, opts)
	if err != nil {
		return nil, fmt.Errorf("write pcapng header: %w", err)
	}
	wr := &Writer{
		ng:            ng,
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
		now := time.Now()
		err = w.ng.WriteInterfaceStats(0, pcapgo.NgInterfaceStatistics{
			LastUpdate:      now,
			StartTime:       w.start,
			EndTime:         now,
			PacketsReceived: final.Records + final.Dropped(),
			PacketsDropped:  final.Dropped(),
		})
		if err != nil {
			err = fmt.Errorf("write pcapng statistics: %w", err)
		} else {
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
