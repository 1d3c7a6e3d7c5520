package tui

import (
	"sync"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/pipeline"
)

// chunkSize is the size of the byte arenas that hold records' bytes: large
// enough that the per-chunk overhead vanishes, small enough that growing
// never copies much.
const chunkSize = 1 << 20

// recMeta is what the store keeps of a record besides its bytes.
type recMeta struct {
	chunk, off   uint32 // where the bytes are
	n, origLen   uint32
	time         int64 // Unix nanoseconds
	pid, tid     uint32
	port, group  uint32
	netns        uint64
	comm         uint16 // index into store.comms
	proto        uint16
	dir, method  uint8
	inferred     bool
	firstMessage uint32 // index of the record's first message
}

// Message bits.
const (
	msgAck      = 1 << iota // NLMSG_ERROR
	msgDone                 // NLMSG_DONE
	msgRequest              // a request to the kernel
	msgFailed               // a request whose reply carried an error
	msgTrailing             // padding after the last message
	msgMalformed
)

// msgMeta is what the store keeps of each message: enough to draw its row
// and to filter, without decoding it again.
type msgMeta struct {
	rec   uint32 // record index
	sub   uint32 // index of the message within the record's decoded tree
	seq   uint32
	errno int32
	// pair is the message paired with this one: a reply's request, or a
	// request's final reply (its ACK or DONE); -1 for none.
	pair  int32
	aux   uint32 // for a DONE: the number of messages in the dump
	name  uint16 // index into store.names
	flags uint16
	bits  uint8
}

func (m *msgMeta) isError() bool { return m.errno != 0 || m.bits&msgFailed != 0 }

// store holds records raw and the index of their messages. Add appends
// from the capture's goroutine; the UI reads under the read lock.
type store struct {
	mu     sync.RWMutex
	chunks [][]byte
	recs   chunked[recMeta]
	msgs   chunked[msgMeta]

	names   []string
	nameIdx map[string]uint16
	comms   []string
	commIdx map[string]uint16

	// in serializes adders. The stream's decoder, fed every record in
	// order, decodes outside mu (readers never touch it); snap holds a
	// copy of the names it learned, taken under mu, for the viewer.
	in      sync.Mutex
	dec     *decode.Decoder
	tree    decode.Tree
	snap    *decode.Decoder
	pending *decode.Pairs[int32] // requests by key, as message indexes
	errIdx  []int32              // the messages that carry an errno, in order

	counts  pipeline.Counts
	procs   map[string]uint64 // messages per "comm(pid)"
	errors  int
	rawSize uint64 // bytes of record data held
}

func newStore(opts *pipeline.Options) *store {
	return &store{
		nameIdx: map[string]uint16{},
		commIdx: map[string]uint16{},
		dec:     pipeline.NewDecoder(opts),
		snap:    pipeline.NewDecoder(opts),
		pending: decode.NewPairs[int32](1 << 16),
		counts:  pipeline.NewCounts(),
		procs:   map[string]uint64{},
	}
}

func intern(list *[]string, idx map[string]uint16, s string) uint16 {
	if i, ok := idx[s]; ok {
		return i
	}
	if len(*list) >= 0xffff {
		return 0xffff // table full: shown as "?"
	}
	i := uint16(len(*list))
	*list = append(*list, s)
	idx[s] = i
	return i
}

func lookupName(list []string, i uint16) string {
	if int(i) < len(list) {
		return list[i]
	}
	return "?"
}

// keep copies r's bytes into the arenas and returns where they are.
func (s *store) keep(data []byte) (chunk, off uint32) {
	n := len(data)
	if len(s.chunks) == 0 || cap(s.chunks[len(s.chunks)-1])-len(s.chunks[len(s.chunks)-1]) < n {
		size := chunkSize
		if n > size {
			size = n
		}
		s.chunks = append(s.chunks, make([]byte, 0, size))
	}
	c := len(s.chunks) - 1
	off = uint32(len(s.chunks[c]))
	s.chunks[c] = append(s.chunks[c], data...)
	return uint32(c), off
}

// add stores r (its bytes are copied) and indexes its messages.
func (s *store) add(r *capture.Record) {
	s.in.Lock()
	defer s.in.Unlock()
	r.Time = r.Time.Round(0)
	// Decoding is the costly part: done before taking the lock, so that
	// drawing and keys wait for a few appends only.
	s.dec.Decode(&s.tree, r)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.snap.State().CopyNames(s.dec.State())
	chunk, off := s.keep(r.Data)
	ri := uint32(s.recs.Len())
	s.recs.Append(recMeta{
		chunk: chunk, off: off, n: uint32(len(r.Data)), origLen: uint32(r.OrigLen),
		time: r.Time.UnixNano(), pid: r.PID, tid: r.TID, port: r.PortID, group: r.Group, netns: r.NetNS,
		comm: intern(&s.comms, s.commIdx, r.Comm), proto: r.Protocol, dir: uint8(r.Direction),
		method: uint8(r.Method), inferred: r.DirectionInferred, firstMessage: uint32(s.msgs.Len()),
	})
	s.rawSize += uint64(len(r.Data))
	if r.DirectionInferred {
		s.counts.Inferred++
	}
	proc := s.proc(s.rec(ri))
	for i := range s.tree.Messages {
		m := &s.tree.Messages[i]
		name := pipeline.MessageName(m)
		mm := msgMeta{rec: ri, sub: uint32(i), seq: m.Header.Sequence, errno: m.Errno, pair: -1,
			name: intern(&s.names, s.nameIdx, name), flags: m.Header.Flags}
		switch {
		case m.Trailing:
			mm.bits |= msgTrailing
			mm.name = intern(&s.names, s.nameIdx, "trailing")
		case m.IsAck:
			mm.bits |= msgAck
		case m.IsDone:
			mm.bits |= msgDone
			mm.aux = uint32(m.DumpCount)
		case r.Direction == capture.ToKernel || r.Direction == capture.DirectionUnknown && m.Header.Flags&client.FlagRequest != 0:
			mm.bits |= msgRequest
		}
		if m.Malformed {
			mm.bits |= msgMalformed
		}
		idx := int32(s.msgs.Len())
		s.pair(r, m, &mm, idx)
		if mm.errno != 0 {
			s.errors++
			s.errIdx = append(s.errIdx, idx)
		}
		if !m.Trailing {
			s.counts.Add(r.Direction, name, m.Errno)
			s.procs[proc]++
		}
		s.msgs.Append(mm)
	}
}

// pair links a reply with its request, by protocol, port and sequence
// number as the kernel answers them.
func (s *store) pair(r *capture.Record, m *decode.Message, mm *msgMeta, idx int32) {
	if mm.bits&msgTrailing != 0 {
		return
	}
	port := r.PortID
	if port == 0 {
		port = m.Header.PortID
	}
	k := decode.PairKey{Proto: r.Protocol, Port: port, Seq: m.Header.Sequence}
	if mm.bits&msgRequest != 0 {
		s.pending.Put(k, idx)
		return
	}
	for _, key := range []decode.PairKey{k, {Proto: k.Proto, Seq: k.Seq}} {
		req, ok := s.pending.Get(key)
		if !ok {
			continue
		}
		mm.pair = req
		// An ACK or a DONE ends an exchange; so does a single reply (a
		// get without NLM_F_DUMP) to a request that asked for no ACK.
		final := mm.bits&(msgAck|msgDone) != 0 ||
			mm.flags&client.FlagMulti == 0 && s.msg(req).flags&client.FlagAck == 0
		if final {
			s.pending.Take(key)
			s.msg(req).pair = idx
			if mm.errno != 0 && mm.bits&msgAck != 0 {
				s.msg(req).bits |= msgFailed
			}
		}
		return
	}
}

// Len returns the number of messages held.
func (s *store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.msgs.Len()
}

// data returns record ri's bytes. Call with the lock held.
func (s *store) data(ri uint32) []byte {
	r := s.rec(ri)
	return s.chunks[r.chunk][r.off : r.off+r.n]
}

// record rebuilds record ri, its bytes aliasing the store. Call with the
// lock held.
func (s *store) record(ri uint32) capture.Record {
	r := s.rec(ri)
	return capture.Record{
		Time: time.Unix(0, r.time), Direction: capture.Direction(r.dir), DirectionInferred: r.inferred,
		Protocol: r.proto, PID: r.pid, TID: r.tid, Comm: lookupName(s.comms, r.comm), NetNS: r.netns,
		PortID: r.port, Group: r.group, Data: s.data(ri), OrigLen: int(r.origLen), Method: capture.Method(r.method),
	}
}

func itoa(v uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return string(b[i:])
}

// msg returns message i. Call with the lock held.
func (s *store) msg(i int32) *msgMeta { return s.msgs.At(int(i)) }

// rec returns record i. Call with the lock held.
func (s *store) rec(i uint32) *recMeta { return s.recs.At(int(i)) }

// chunked is an append-only slice kept in fixed-size chunks: growing it
// never copies what it holds, so a million messages leave no garbage
// behind (and no transient doubling of the resident set).
type chunked[T any] struct {
	chunks [][]T
	n      int
}

const chunkLen = 1 << 14

func (c *chunked[T]) Append(v T) {
	if c.n%chunkLen == 0 {
		c.chunks = append(c.chunks, make([]T, 0, chunkLen))
	}
	last := &c.chunks[len(c.chunks)-1]
	*last = append(*last, v)
	c.n++
}

func (c *chunked[T]) At(i int) *T { return &c.chunks[i/chunkLen][i%chunkLen] }

func (c *chunked[T]) Len() int { return c.n }
