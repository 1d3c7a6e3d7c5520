package pcapng

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/nltrace/nltrace/capture"
)

// Format is the kind of capture file a Reader reads.
type Format uint8

const (
	FormatPcapNG Format = iota + 1
	FormatPcap
)

func (f Format) String() string {
	switch f {
	case FormatPcapNG:
		return "pcapng"
	case FormatPcap:
		return "pcap"
	}
	return fmt.Sprintf("unknown(%d)", uint8(f))
}

// FormatError says that a file is not a capture nltrace can read, or is
// damaged. Offset is the byte offset in the (uncompressed) file where the
// problem was seen, or -1 when it is not known.
type FormatError struct {
	File   string
	Offset int64
	Err    error
}

func (e *FormatError) Error() string {
	if e.Offset < 0 {
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s: at offset %d: %v", e.File, e.Offset, e.Err)
}

func (e *FormatError) Unwrap() error { return e.Err }

// FrameError says that one frame of a readable file is not netlink or is too
// short for its link-layer header. The Reader stays usable: the next
// ReadInto reads the next frame.
type FrameError struct {
	File  string
	Frame uint64 // 1-based, as Wireshark numbers frames
	// Offset is where the frame's block or record ends in the file.
	Offset int64
	Err    error
}

func (e *FrameError) Error() string {
	return fmt.Sprintf("%s: frame %d (block ending at offset %d): %v", e.File, e.Frame, e.Offset, e.Err)
}

func (e *FrameError) Unwrap() error { return e.Err }

// NonFatal says the Reader stays usable after a FrameError.
func (e *FrameError) NonFatal() bool { return true }

// TruncatedError is the warning a Reader keeps when a file ends inside a
// block or record, as a capture that was killed mid-write does. Every
// complete frame before it was read.
type TruncatedError struct {
	File string
	// Offset is where the incomplete block or record starts.
	Offset int64
	Frames uint64 // complete frames read
}

func (e *TruncatedError) Error() string {
	return fmt.Sprintf("%s: file ends inside the block at offset %d; read the %d complete frames before it", e.File, e.Offset, e.Frames)
}

// Info describes the file a Reader reads.
type Info struct {
	Format Format
	// Application and OS come from the pcapng section header; empty for
	// classic pcap.
	Application, OS string
	// Ours reports whether nltrace wrote the file, so its comments and
	// flags carry each record's metadata.
	Ours bool
}

// Reader reads records from a pcap or pcapng file. It implements
// capture.Source: ReadInto returns io.EOF at the end of the file.
type Reader struct {
	name  string
	file  io.Closer // closed by Close; nil for NewReader
	count *countingReader
	buf   *bufio.Reader
	// fileCount counts the bytes of the file itself (compressed, when
	// gzipped), to tell its read errors from a damaged gzip stream.
	fileCount *countingReader
	gzipped   bool
	// blocks checks pcapng blocks between buf and ng; ngBuf is ng's
	// buffer over it.
	blocks *blockReader
	ngBuf  *bufio.Reader
	ng     *pcapgo.NgReader
	pcap   *pcapgo.Reader
	info   Info
	frames uint64
	stats  capture.Stats
	// fileDropped is the drop count the capturing program recorded in the
	// file's interface statistics, and fileLoss its reasons when nltrace
	// wrote the file; lossSeen is what ReadInto has reported as gaps.
	fileDropped uint64
	fileLoss    capture.Stats
	lossSeen    uint64
	// A record read ahead while a loss is reported before it.
	held     []byte
	heldCI   gopacket.CaptureInfo
	heldOpts pcapgo.NgPacketOptions
	heldLT   layers.LinkType
	hasHeld  bool
	warning  *TruncatedError
	err      error // sticky: the file cannot be read further
	closed   bool
}

// bufferSize is the read buffer; pcapgo reuses a *bufio.Reader of at least
// its default size instead of wrapping another one, which keeps offsets
// exact.
const bufferSize = 64 << 10

// Open opens a capture file; the name "-" means standard input.
func Open(name string) (*Reader, error) {
	if name == "-" {
		return NewReader(os.Stdin, "standard input")
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("open capture file: %w", err)
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("open capture file %s: %w", name, syscall.EISDIR)
	}
	r, err := NewReader(f, name)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.file = f
	return r, nil
}

// NewReader reads the file header from rd and returns a Reader for the
// records that follow. name is used in errors. Close does not close rd.
func NewReader(rd io.Reader, name string) (*Reader, error) {
	r := &Reader{name: name}
	fileErr := &countingReader{r: rd}
	r.count = fileErr
	r.fileCount = fileErr
	r.buf = bufio.NewReaderSize(r.count, bufferSize)
	magic, err := r.buf.Peek(4)
	gzipped := len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b
	r.gzipped = gzipped
	if gzipped {
		// Unpack here, not in pcapgo, so that offsets count file bytes.
		gz, gerr := gzip.NewReader(r.buf)
		if gerr != nil {
			return nil, &FormatError{File: name, Offset: 0, Err: fmt.Errorf("gzip: %w", gerr)}
		}
		r.count = &countingReader{r: gz}
		r.buf = bufio.NewReaderSize(r.count, bufferSize)
		magic, err = r.buf.Peek(4)
	}
	if err != nil {
		if len(magic) == 0 && errors.Is(err, io.EOF) {
			return nil, &FormatError{File: name, Offset: 0, Err: errors.New("empty file, not a pcap or pcapng capture")}
		}
		if gzipped && !fileErr.failed(err) {
			// A cut or corrupt gzip stream is a bad file, not a failed read.
			return nil, &FormatError{File: name, Offset: 0, Err: fmt.Errorf("gzip: %w", err)}
		}
		if !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		return nil, &FormatError{File: name, Offset: 0, Err: fmt.Errorf("%d-byte file is too short to be a pcap or pcapng capture", len(magic))}
	}
	switch m := binary.LittleEndian.Uint32(magic); m {
	case 0x0A0D0D0A:
		r.info.Format = FormatPcapNG
		r.blocks = newBlockReader(r.buf, false)
		r.ngBuf = bufio.NewReaderSize(r.blocks, bufferSize)
		r.ng, err = pcapgo.NewNgReader(r.ngBuf, pcapgo.NgReaderOptions{
			WantMixedLinkType: true,
			// Skipping a section of a newer version is what the pcapng
			// specification asks for.
			SkipUnknownVersion: true,
			StatisticsCallback: func(_ int, s pcapgo.NgInterfaceStatistics) {
				// Each statistics block holds the counts so far, not
				// the counts since the last one.
				if s.PacketsDropped != pcapgo.NgNoValue64 && s.PacketsDropped > r.fileDropped {
					r.fileDropped = s.PacketsDropped
				}
				if l, ok := parseLossComment(s.Comment); ok {
					r.fileLoss = l
				}
			},
		})
		if err != nil {
			return nil, r.headerError(err)
		}
		si := r.ng.SectionInfo()
		r.info.Application, r.info.OS = si.Application, si.OS
		r.info.Ours = strings.HasPrefix(si.Application, "nltrace ")
	case 0xA1B2C3D4, 0xD4C3B2A1, 0xA1B23C4D, 0x4D3CB2A1:
		r.info.Format = FormatPcap
		r.pcap, err = pcapgo.NewReader(r.buf)
		if err != nil {
			return nil, r.headerError(err)
		}
		if lt := r.pcap.LinkType(); !netlinkLinkType(lt) {
			return nil, &FormatError{File: name, Offset: 20, Err: fmt.Errorf("link type %s does not carry netlink", linkTypeName(lt))}
		}
	default:
		return nil, &FormatError{File: name, Offset: 0, Err: fmt.Errorf("not a pcap or pcapng capture (starts with % x)", magic)}
	}
	return r, nil
}

func (r *Reader) headerError(err error) error {
	if ferr := r.streamError(); ferr != nil {
		return ferr
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &FormatError{File: r.name, Offset: r.offset(), Err: fmt.Errorf("file ends inside the %s header", r.info.Format)}
	}
	return &FormatError{File: r.name, Offset: -1, Err: fmt.Errorf("bad %s header: %w", r.info.Format, err)}
}

// offset is how many bytes of the file have been consumed.
func (r *Reader) offset() int64 {
	if r.blocks != nil {
		return r.blocks.fileOffset(r.blocks.outN - int64(r.ngBuf.Buffered()))
	}
	return r.count.n - int64(r.buf.Buffered())
}

// KeepGoing makes the Reader skip a damaged pcapng block to the next good
// one instead of stopping with an error; Skipped lists what it skipped.
// Classic pcap has no block lengths to resynchronise on, so damage there
// still ends the file.
func (r *Reader) KeepGoing(on bool) {
	if r.blocks != nil {
		r.blocks.keepGoing = on
	}
}

// Skipped returns the damaged blocks skipped under KeepGoing so far.
func (r *Reader) Skipped() []*DamageError {
	if r.blocks == nil {
		return nil
	}
	return r.blocks.skipped
}

// streamError returns the error that ended the bytes below the pcap
// layer: the file's own read error, or a cut or corrupt gzip stream, which
// is a bad file rather than a cut capture.
func (r *Reader) streamError() error {
	var err error
	switch {
	case r.blocks != nil && r.blocks.srcErr != nil:
		err = r.blocks.srcErr
	case r.count.readErr != nil:
		err = r.count.readErr
	default:
		return nil
	}
	if r.fileCount.failed(err) || !r.gzipped {
		return fmt.Errorf("read %s: %w", r.name, err)
	}
	return &FormatError{File: r.name, Offset: -1, Err: fmt.Errorf("gzip stream is cut or corrupt after %d bytes of the file: %w", r.fileCount.n, err)}
}

// LossError is not a failure: ReadInto returns it, before the next record,
// where the capture file says records were lost since the records before
// it. The Reader stays usable.
type LossError struct {
	File string
	// Lost is how many records were lost here; Reasons says why, when
	// the file keeps the reasons (nltrace writes them), else only
	// Recorded is set.
	Lost    uint64
	Reasons capture.Stats
	// AtEnd says the file recorded the loss only after its last record,
	// so where the records went missing is not known.
	AtEnd bool
}

func (e *LossError) Error() string {
	if e.AtEnd {
		return fmt.Sprintf("%s: %d records lost during the capture, the file does not say where (%s)", e.File, e.Lost, lossReasons(e.Reasons))
	}
	return fmt.Sprintf("%s: %d records lost here (%s)", e.File, e.Lost, lossReasons(e.Reasons))
}

// NonFatal says the Reader stays usable after a LossError.
func (e *LossError) NonFatal() bool { return true }

func lossReasons(s capture.Stats) string {
	if s.RingFull == 0 && s.LostWakeup == 0 {
		return "reason not recorded"
	}
	return fmt.Sprintf("ring buffer full %d, other losses %d", s.RingFull, s.LostWakeup)
}

// FileLoss returns the reasons of the losses the capturing program
// recorded, when it kept them (nltrace does): RingFull and LostWakeup,
// with Recorded for any part the file gives no reason for.
func (r *Reader) FileLoss() capture.Stats {
	l := r.fileLoss
	if known := l.RingFull + l.LostWakeup; r.fileDropped > known {
		l.Recorded = r.fileDropped - known
	}
	return l
}

// Info describes the file.
func (r *Reader) Info() Info { return r.info }

// Warning returns a *TruncatedError if the file ended inside a block, once
// ReadInto has returned io.EOF; nil otherwise.
func (r *Reader) Warning() error {
	if r.warning == nil {
		return nil
	}
	return r.warning
}

// FileDropped returns the drop count that the capturing program recorded in
// the file (pcapng interface statistics), as read so far; it is complete
// once ReadInto has returned io.EOF.
func (r *Reader) FileDropped() uint64 { return r.fileDropped }

// Stats counts the records read. Records lost during the capture are in
// FileDropped, not here: reading a file loses nothing.
func (r *Reader) Stats() capture.Stats { return r.stats }

// Close closes the file if Open opened it.
func (r *Reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	if r.file != nil {
		return r.file.Close()
	}
	return nil
}

// ReadInto reads the next frame into rec, reusing rec.Data's storage.
func (r *Reader) ReadInto(ctx context.Context, rec *capture.Record) error {
	if r.closed {
		return capture.ErrClosed
	}
	if r.err != nil {
		return r.err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	start := r.offset()
	var (
		data []byte
		ci   gopacket.CaptureInfo
		opts pcapgo.NgPacketOptions
		lt   layers.LinkType
		err  error
	)
	switch {
	case r.hasHeld:
		data, ci, opts, lt = r.held, r.heldCI, r.heldOpts, r.heldLT
		r.hasHeld = false
	case r.ng != nil:
		data, ci, opts, err = r.ng.ZeroCopyReadPacketDataWithOptions()
		if err == nil && len(ci.AncillaryData) > 0 {
			lt, _ = ci.AncillaryData[0].(layers.LinkType)
		}
	default:
		data, ci, err = r.pcap.ZeroCopyReadPacketData()
		lt = r.pcap.LinkType()
	}
	if errors.Is(err, io.EOF) && r.fileDropped > r.lossSeen {
		// Losses recorded after the last record (a file whose only
		// statistics block is its last) are reported before the end.
		lost := r.fileDropped - r.lossSeen
		r.lossSeen = r.fileDropped
		return &LossError{File: r.name, Lost: lost, Reasons: r.FileLoss(), AtEnd: true}
	}
	if err == nil && r.fileDropped > r.lossSeen {
		// A statistics block before this record says records were lost
		// since the last one: report the gap where it is, then the
		// record on the next call.
		lost := r.fileDropped - r.lossSeen
		reasons := r.FileLoss()
		r.lossSeen = r.fileDropped
		r.held = append(r.held[:0], data...)
		r.heldCI, r.heldOpts, r.heldLT, r.hasHeld = ci, opts, lt, true
		return &LossError{File: r.name, Lost: lost, Reasons: reasons}
	}
	if err != nil {
		switch {
		case r.blocks != nil && errors.Is(err, io.EOF):
			r.err = r.endOfBlocks(start)
		case errors.Is(err, io.EOF) && r.streamError() != nil:
			r.err = r.streamError()
		case errors.Is(err, io.EOF):
			r.err = io.EOF
		case errors.Is(err, io.ErrUnexpectedEOF) && r.streamError() != nil:
			r.err = r.streamError()
		case errors.Is(err, io.ErrUnexpectedEOF):
			r.warning = &TruncatedError{File: r.name, Offset: start, Frames: r.frames}
			r.err = io.EOF
		default:
			r.err = &FormatError{File: r.name, Offset: start, Err: fmt.Errorf("bad block after %d frames: %w", r.frames, err)}
		}
		return r.err
	}
	r.frames++
	ck, err := parseCooked(lt, data)
	if err != nil {
		return &FrameError{File: r.name, Frame: r.frames, Offset: r.offset(), Err: err}
	}
	r.fill(rec, data, ck, ci, opts)
	r.stats.Records++
	if rec.Truncated() {
		r.stats.Truncated++
	}
	return nil
}

func (r *Reader) fill(rec *capture.Record, frame []byte, ck cooked, ci gopacket.CaptureInfo, opts pcapgo.NgPacketOptions) {
	payload := frame[ck.headerLen:]
	*rec = capture.Record{
		Time:     ci.Timestamp.Local(),
		Protocol: ck.protocol,
		Data:     append(rec.Data[:0], payload...),
		OrigLen:  max(ci.Length-ck.headerLen, len(payload)),
	}
	ours := false
	for _, c := range opts.Comments {
		if parseComment(c, rec) {
			ours = true
			break
		}
	}
	if opts.Flags != nil {
		switch opts.Flags.Direction {
		case pcapgo.NgEpbFlagDirectionInbound:
			rec.Direction = capture.FromKernel
		case pcapgo.NgEpbFlagDirectionOutbound:
			rec.Direction = capture.ToKernel
		}
	}
	if rec.Direction == capture.DirectionUnknown && !ours {
		// No flags and no comment of ours: a capture by tcpdump or
		// another tool, whose packet type says nothing (nlmon marks every
		// frame outgoing). Infer, and say so.
		dir, port := capture.InferDirection(payload)
		if dir != capture.DirectionUnknown {
			rec.Direction, rec.DirectionInferred = dir, true
		}
		rec.PortID = port
	}
	if rec.Method == capture.MethodUnknown && !ours {
		// Only an nlmon device produces ARPHRD_NETLINK frames.
		rec.Method = capture.MethodNlmon
	}
}

// endOfBlocks decides what the end of a pcapng stream means: the end of
// the file, an error reading it, damage, or a cut last block.
func (r *Reader) endOfBlocks(start int64) error {
	b := r.blocks
	switch {
	case b.srcErr != nil:
		return r.streamError()
	case b.damage != nil:
		return &FormatError{File: r.name, Offset: b.damage.Offset, Err: b.damage}
	case b.cut != nil:
		r.warning = &TruncatedError{File: r.name, Offset: *b.cut, Frames: r.frames}
	}
	return io.EOF
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r       io.Reader
	n       int64
	readErr error // the last error other than io.EOF
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if err != nil && err != io.EOF {
		c.readErr = err
	}
	return n, err
}

// failed says whether err came from reading the file itself rather than
// from a layer above it, such as gzip finding a cut or corrupt stream.
func (c *countingReader) failed(err error) bool {
	return c.readErr != nil && errors.Is(err, c.readErr)
}

var _ capture.Source = (*Reader)(nil)
