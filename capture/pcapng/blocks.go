package pcapng

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// pcapng block types that a block boundary may start with, for checking a
// block and for finding the next one after damage.
const (
	blockSHB      = 0x0A0D0D0A
	blockIDB      = 0x00000001
	blockPB       = 0x00000002 // obsolete packet block
	blockSPB      = 0x00000003
	blockNRB      = 0x00000004
	blockISB      = 0x00000005
	blockEPB      = 0x00000006
	blockDSB      = 0x0000000A
	blockCustom   = 0x00000BAD
	blockCustomNC = 0x40000BAD
	byteOrderSHB  = 0x1A2B3C4D
)

// maxBlockLen bounds one block. A record is at most a few megabytes of
// netlink (a whole nft batch); a length beyond this is damage, and holding
// it in memory to check its trailer would let a bad file exhaust memory.
const maxBlockLen = 256 << 20

func blockName(t uint32) string {
	switch t {
	case blockSHB:
		return "section header"
	case blockIDB:
		return "interface description"
	case blockPB:
		return "packet"
	case blockSPB:
		return "simple packet"
	case blockNRB:
		return "name resolution"
	case blockISB:
		return "interface statistics"
	case blockEPB:
		return "enhanced packet"
	case blockDSB:
		return "decryption secrets"
	case blockCustom, blockCustomNC:
		return "custom"
	}
	return fmt.Sprintf("unknown (type 0x%08x)", t)
}

func knownBlock(t uint32) bool {
	switch t {
	case blockSHB, blockIDB, blockPB, blockSPB, blockNRB, blockISB, blockEPB, blockDSB, blockCustom, blockCustomNC:
		return true
	}
	return false
}

// DamageError says a pcapng block in the middle of a file is damaged: its
// length is impossible, or its leading and trailing lengths differ.
type DamageError struct {
	// Offset is where the damaged block starts in the (uncompressed) file.
	Offset int64
	// Block names the block's type as its header says.
	Block string
	Why   string
	// Skipped is how many bytes --keep-going skipped to the next good
	// block, or -1 when no good block followed.
	Skipped int64
}

func (e *DamageError) Error() string {
	s := fmt.Sprintf("damaged %s block at offset %d: %s", e.Block, e.Offset, e.Why)
	if e.Skipped >= 0 {
		s += fmt.Sprintf("; skipped %d bytes to the next good block", e.Skipped)
	}
	return s
}

// blockReader passes on the whole pcapng blocks of a stream whose leading
// and trailing lengths agree, and stops at the first damaged or incomplete
// one. pcapgo would read a damaged length as "the file ends here" and
// report a cut file; checking each block first tells damage from a cut,
// names the block, and lets a reader skip to the next good block.
type blockReader struct {
	src  io.Reader
	buf  []byte // file bytes read but not yet passed on; buf[0] is at bufOff
	eof  bool   // src has no more bytes
	rerr error  // src's error other than io.EOF
	// bufOff is the file offset of buf[0].
	bufOff int64
	order  binary.ByteOrder
	out    []byte // the current good block, being passed on
	// bufStore and outStore are the whole arrays that buf and out are
	// windows of: consuming a window moves its start, and without them
	// each refill and each block would allocate anew (the file's size
	// twice over, per read of it).
	bufStore, outStore []byte
	outN               int64 // bytes passed on in total
	// keepGoing skips damage instead of stopping at it.
	keepGoing bool
	// shifts maps passed-on offsets to file offsets after skips: from
	// outN at shifts[i].at on, file offset = passed-on offset + shifts[i].by.
	shifts []shift
	// skipped lists the damage that keepGoing skipped, in file order.
	skipped []*DamageError
	// damage is the damage that stopped the stream, cut the incomplete
	// last block, and srcErr an error reading the file (or gzip) itself.
	damage *DamageError
	cut    *int64
	srcErr error
}

type shift struct{ at, by int64 }

func newBlockReader(src io.Reader, keepGoing bool) *blockReader {
	return &blockReader{src: src, order: binary.LittleEndian, keepGoing: keepGoing}
}

// fill reads until buf holds at least n bytes or the source ends.
func (r *blockReader) fill(n int) {
	for len(r.buf) < n && !r.eof {
		if cap(r.buf)-len(r.buf) < 64<<10 {
			need := max(len(r.buf)+128<<10, n)
			if cap(r.bufStore) < need {
				r.bufStore = make([]byte, 0, max(2*cap(r.bufStore), need))
			}
			r.buf = append(r.bufStore[:0], r.buf...)
		}
		k, err := r.src.Read(r.buf[len(r.buf):cap(r.buf)])
		r.buf = r.buf[:len(r.buf)+k]
		if err != nil {
			r.eof = true
			if !errors.Is(err, io.EOF) {
				r.rerr = err
			}
		}
	}
}

func (r *blockReader) consume(n int) {
	r.buf = r.buf[n:]
	r.bufOff += int64(n)
}

// fileOffset maps an offset in the passed-on stream to one in the file.
func (r *blockReader) fileOffset(n int64) int64 {
	by := int64(0)
	for _, s := range r.shifts {
		if n >= s.at {
			by = s.by
		}
	}
	return n + by
}

func (r *blockReader) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if err := r.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	r.outN += int64(n)
	return n, nil
}

// check reports why the block at buf[at:] is not a whole good block, and
// its type; "" means it is good. It needs buf to hold the whole block;
// incomplete says the source ended inside it.
func (r *blockReader) check(at int) (typ uint32, length int, why string, incomplete bool) {
	b := r.buf[at:]
	if len(b) < 12 {
		return 0, 0, "", true
	}
	order := r.order
	typ = order.Uint32(b)
	if typ == blockSHB {
		switch binary.LittleEndian.Uint32(b[8:]) {
		case byteOrderSHB:
			order = binary.LittleEndian
		case 0x4D3C2B1A:
			order = binary.BigEndian
		default:
			return typ, 0, "bad byte-order magic", false
		}
	}
	length = int(order.Uint32(b[4:]))
	switch {
	case length < 12:
		return typ, length, fmt.Sprintf("block length %d is less than 12", length), false
	case length%4 != 0:
		return typ, length, fmt.Sprintf("block length %d is not a multiple of 4", length), false
	case length > maxBlockLen:
		return typ, length, fmt.Sprintf("block length %d is beyond any record", length), false
	case len(b) < length:
		return typ, length, "", true
	}
	if trail := int(order.Uint32(b[length-4:])); trail != length {
		return typ, length, fmt.Sprintf("leading block length %d and trailing block length %d differ", length, trail), false
	}
	if !knownBlock(typ) && typ&0x80000000 == 0 {
		// Reserved types are damage; the high bit marks local use.
		return typ, length, "unknown block type", false
	}
	return typ, length, "", false
}

// next moves the next good block into out, or ends the stream.
func (r *blockReader) next() error {
	if r.damage != nil || r.cut != nil || r.srcErr != nil {
		return io.EOF
	}
	r.fill(12)
	if len(r.buf) == 0 {
		if r.rerr != nil {
			r.srcErr = r.rerr
		}
		return io.EOF
	}
	typ, length, why, incomplete := r.check(0)
	if incomplete && why == "" {
		r.fill(max(length, 12))
		typ, length, why, incomplete = r.check(0)
	}
	if why == "" && !incomplete {
		if typ == blockSHB {
			if binary.LittleEndian.Uint32(r.buf[8:]) == byteOrderSHB {
				r.order = binary.LittleEndian
			} else {
				r.order = binary.BigEndian
			}
		}
		r.outStore = append(r.outStore[:0], r.buf[:length]...)
		r.out = r.outStore
		r.consume(length)
		return nil
	}
	at := r.bufOff
	if incomplete {
		// The source ended inside this block. A good block further on
		// means its length was damaged; none means the file was cut.
		if skip := r.resync(4); skip < 0 {
			if r.rerr != nil {
				r.srcErr = r.rerr
			} else {
				r.cut = &at
			}
			return io.EOF
		}
		why = fmt.Sprintf("block length %d runs past the end of the file, but good blocks follow", length)
	}
	d := &DamageError{Offset: at, Block: blockName(typ), Why: why, Skipped: -1}
	if !r.keepGoing {
		r.damage = d
		return io.EOF
	}
	skip := r.resync(4)
	if skip < 0 {
		d.Skipped = int64(len(r.buf))
		r.skipped = append(r.skipped, d)
		r.consume(len(r.buf))
		if r.rerr != nil {
			r.srcErr = r.rerr
		}
		return io.EOF
	}
	d.Skipped = int64(skip)
	r.skipped = append(r.skipped, d)
	r.consume(skip)
	r.shifts = append(r.shifts, shift{at: r.outN, by: r.bufOff - r.outN})
	return nil
}

// resync looks for the next good block at 4-byte steps from buf[from:],
// reading more of the source as needed, and returns its index in buf, or
// -1 when the source ends first.
func (r *blockReader) resync(from int) int {
	for at := from; ; at += 4 {
		r.fill(at + 12)
		if len(r.buf) < at+12 {
			return -1
		}
		t := r.order.Uint32(r.buf[at:])
		if !knownBlock(t) {
			continue
		}
		r.fill(at + min(int(r.order.Uint32(r.buf[at+4:])), maxBlockLen))
		if _, _, why, incomplete := r.check(at); why == "" && !incomplete {
			return at
		}
	}
}
