package decode

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// Registry holds one Family per netlink protocol.
type Registry struct {
	families map[int]*Family
}

// NewRegistry returns a registry of the given families. A later family for
// the same protocol replaces an earlier one.
func NewRegistry(families ...*Family) *Registry {
	r := &Registry{families: make(map[int]*Family)}
	for _, f := range families {
		if f != nil {
			r.families[f.Protocol] = f
		}
	}
	return r
}

// TypeNames returns the names of every message type the registry's
// families know.
func (r *Registry) TypeNames() []string {
	if r == nil {
		return nil
	}
	var out []string
	for _, f := range r.families {
		out = append(out, f.TypeNames()...)
	}
	return out
}

// Family returns the family registered for protocol, or nil.
func (r *Registry) Family(protocol int) *Family {
	if r == nil {
		return nil
	}
	return r.families[protocol]
}

// Families returns the registered families, ordered by protocol number.
func (r *Registry) Families() []*Family {
	if r == nil {
		return nil
	}
	out := make([]*Family, 0, len(r.families))
	for _, f := range r.families {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b *Family) int { return a.Protocol - b.Protocol })
	return out
}

// Decoder decodes the records of one stream, remembering what earlier
// records said. It is not safe for concurrent use; use one per stream.
type Decoder struct {
	reg *Registry
	st  State
	b   Builder
	// scratch decodes requests when mapping extended-ACK offsets.
	scratch Tree
}

// NewDecoder returns a decoder for one stream of records.
func NewDecoder(reg *Registry) *Decoder {
	return &Decoder{reg: reg, st: newState()}
}

// State returns the stream's state.
func (d *Decoder) State() *State { return &d.st }

// Decode decodes rec into t, replacing t's contents. t aliases rec.Data.
func (d *Decoder) Decode(t *Tree, rec *capture.Record) {
	t.Reset()
	t.Data = rec.Data
	t.Truncated = rec.Truncated()
	t.Meta = Meta{Time: rec.Time, CallTime: rec.CallTime, Direction: uint8(rec.Direction), Protocol: rec.Protocol, PID: rec.PID, Comm: rec.Comm, PortID: rec.PortID, Group: rec.Group}
	if f := d.reg.Family(int(rec.Protocol)); f != nil {
		t.Meta.Family = f.Name
	}
	d.decode(t, int(rec.Protocol), rec.Direction, rec.PortID, rec.Time, false)
}

// DecodeBytes decodes data, netlink messages of protocol, into t. With no
// record to say which way the bytes went, a message with NLM_F_REQUEST set
// is taken as a request.
func (d *Decoder) DecodeBytes(t *Tree, protocol int, data []byte) {
	t.Reset()
	t.Data = data
	t.Meta.Protocol = uint16(protocol)
	if f := d.reg.Family(protocol); f != nil {
		t.Meta.Family = f.Name
	}
	// Pasted bytes that end inside a message were cut when they were
	// copied (a dump missing its last lines): decode them as far as they
	// go, as a record cut at the snap length is.
	d.decode(t, protocol, capture.DirectionUnknown, 0, time.Time{}, true)
}

// decode decodes t.Data. pasted says the bytes came from a paste rather
// than a record, so a message they end inside was cut by the copy.
func (d *Decoder) decode(t *Tree, proto int, dir capture.Direction, port uint32, when time.Time, pasted bool) {
	fam := d.reg.Family(proto)
	if fam != nil && fam.Raw != nil {
		d.b = Builder{t: t, st: &d.st, fam: fam}
		name := fam.Raw(&d.b, t.Data)
		t.Messages = append(t.Messages, Message{Len: len(t.Data), Name: name, End: len(t.Fields), Malformed: d.b.malformed, Raw: true})
		return
	}
	if fam != nil && fam.Batch != nil {
		defer d.numberBatches(t, fam, port)
	}
	var s client.MessageScanner
	s.Reset(t.Data)
	for s.Next() {
		m := s.Message()
		d.message(t, fam, proto, m, s.Offset(), dir, port, when)
	}
	if err := s.Err(); err != nil {
		off := 0
		if me, ok := err.(*client.MalformedError); ok {
			off = me.Offset
		}
		if off < 0 || off > len(t.Data) {
			off = 0
		}
		if !t.Truncated && allZero(t.Data[off:]) {
			first := len(t.Fields)
			d.b = Builder{t: t, st: &d.st}
			d.b.Bytes("trailing", t.Data[off:], off)
			t.Messages = append(t.Messages, Message{Off: off, Len: len(t.Data) - off, First: first, End: len(t.Fields), Trailing: true})
			return
		}
		if rest := t.Data[off:]; (t.Truncated || pasted) && len(rest) >= client.HeaderLen {
			// The snap length (or the copy of a paste) cut this message,
			// but its header is here: name it, count it and decode what
			// the bytes cover, as Wireshark does with a cut frame.
			if h, _ := client.ParseHeader(rest); int(h.Length) > len(rest) {
				d.message(t, fam, proto, client.Message{Header: h, Data: rest[client.HeaderLen:]}, off, dir, port, when)
				cut := &t.Messages[len(t.Messages)-1]
				why := "truncated at the snap length: "
				if !t.Truncated {
					why = "the input ends inside this message: "
				}
				d.b.Malformed(len(t.Data), 0, why+strconv.Itoa(len(rest))+" of "+strconv.Itoa(int(h.Length))+" bytes")
				cut.Cut = true
				cut.Malformed = true
				cut.End = len(t.Fields)
				return
			}
		}
		why := err.Error()
		if t.Truncated {
			why = "truncated at the snap length: " + why
		}
		first := len(t.Fields)
		d.b = Builder{t: t, st: &d.st}
		d.b.Malformed(off, len(t.Data)-off, why)
		t.Messages = append(t.Messages, Message{Off: off, Len: len(t.Data) - off, First: first, End: len(t.Fields), Malformed: true})
	}
}

// Message header layout, as fields of every message.
var nlmsghdr = Layout{Name: "nlmsghdr", Size: client.HeaderLen, Members: []Attr{
	{Name: "nlmsg_len", Type: U32, Off: 0},
	{Name: "nlmsg_type", Type: U16, Off: 4},
	{Name: "nlmsg_flags", Type: U16, Sem: Hex, Off: 6},
	{Name: "nlmsg_seq", Type: U32, Off: 8},
	{Name: "nlmsg_pid", Type: U32, Off: 12},
}}

func (d *Decoder) message(t *Tree, fam *Family, proto int, m client.Message, off int, dir capture.Direction, port uint32, when time.Time) {
	h := m.Header
	msg := Message{Header: h, Off: off, Len: client.HeaderLen + len(m.Data), First: len(t.Fields)}
	d.b = Builder{t: t, st: &d.st, fam: fam}
	b := &d.b
	if !d.st.messagesOnly {
		b.t.Fields[b.Open("nlmsghdr", off, client.HeaderLen)].Flags |= FieldHeader
		b.members(&nlmsghdr, t.Data[off:off+client.HeaderLen], off)
		b.Close()
	}
	payOff := off + client.HeaderLen
	replyPort := port
	if replyPort == 0 {
		replyPort = h.PortID
	}
	switch h.Type {
	case client.TypeNoop:
		msg.Name = "NLMSG_NOOP"
		if len(m.Data) > 0 {
			b.Bytes("payload", m.Data, payOff)
		}
	case client.TypeOverrun:
		msg.Name = "NLMSG_OVERRUN"
		if len(m.Data) > 0 {
			b.Bytes("payload", m.Data, payOff)
		}
	case client.TypeError:
		msg.Name = "NLMSG_ERROR"
		msg.IsAck = true
		d.errorMessage(t, &msg, fam, proto, m, payOff, replyPort)
	case client.TypeDone:
		if fam != nil && fam.DoneIsMessage {
			d.familyMessage(t, &msg, fam, proto, m, off, payOff, dir, port, replyPort, when)
			break
		}
		msg.Name = "NLMSG_DONE"
		msg.IsDone = true
		d.doneMessage(t, &msg, fam, proto, m, payOff, replyPort, when)
	default:
		d.familyMessage(t, &msg, fam, proto, m, off, payOff, dir, port, replyPort, when)
	}
	msg.Malformed = b.malformed
	msg.End = len(t.Fields)
	t.Messages = append(t.Messages, msg)
}

// familyMessage decodes a message that is not a netlink control message
// with the family's schema.
func (d *Decoder) familyMessage(t *Tree, msg *Message, fam *Family, proto int, m client.Message, off, payOff int, dir capture.Direction, port, replyPort uint32, when time.Time) {
	b := &d.b
	h := m.Header
	if proto == unix.NETLINK_GENERIC {
		d.learnGenl(h, m.Data)
	}
	mt := (*MessageType)(nil)
	if fam != nil {
		d.st.dir = dir
		mt = fam.MessageType(&d.st, h, m.Data)
		d.st.dir = capture.DirectionUnknown
	}
	if mt == nil {
		switch {
		case h.Type < client.TypeMinReserved:
			msg.Name = "NLMSG type " + strconv.Itoa(int(h.Type))
		case proto == unix.NETLINK_GENERIC:
			// With no schema for the family, its learned name still
			// tells the reader what the message is.
			msg.Name, _ = d.st.GenlFamily(h.Type)
		}
		if len(m.Data) > 0 {
			b.Bytes("payload", m.Data, payOff)
		}
		return
	}
	msg.Name = mt.Name
	msg.Op = mt.Op
	if !d.st.messagesOnly {
		d.body(mt, m.Data, payOff, h.Type)
	}
	isRequest := dir == capture.ToKernel || (dir == capture.DirectionUnknown && h.Flags&client.FlagRequest != 0)
	if isRequest {
		d.remember(t, proto, mt, h, off, msg.Len, port, when)
	} else if h.Flags&client.FlagMulti != 0 {
		if p, _ := d.st.findPending(proto, replyPort, h.Sequence); p != nil {
			p.count++
			msg.Request = p.name
		}
	}
}

// body decodes a family message's fixed header and attributes with b.
func (d *Decoder) body(mt *MessageType, payload []byte, off int, typ uint16) {
	b := &d.b
	b.msgType = typ
	b.hasFamily = len(payload) > 0 && mt.Header != nil
	if b.hasFamily {
		b.family = payload[0]
	}
	attrsAt := 0
	if mt.Header != nil {
		n := len(payload)
		if n > mt.Header.Size {
			n = mt.Header.Size
		}
		b.t.Fields[b.Open(mt.Header.Name, off, n)].Flags |= FieldHeader
		b.members(mt.Header, payload[:n], off)
		b.Close()
		if len(payload) < mt.Header.Size {
			if mt.Op != OpGet {
				b.Malformed(off, len(payload), mt.Header.Name+" is short")
			}
			return
		}
		attrsAt = client.Align(mt.Header.Size)
		if mt.LinkName != 0 {
			d.learnLink(mt, payload, attrsAt)
		}
	}
	if mt.Body != nil {
		mt.Body(b, payload, off)
		return
	}
	if attrsAt > len(payload) {
		return
	}
	rest := payload[attrsAt:]
	if mt.Attrs == nil {
		if len(rest) > 0 {
			b.Bytes("payload", rest, off+attrsAt)
		}
		return
	}
	b.Attrs(mt.Attrs, rest, off+attrsAt)
}

// learnGenl records generic-netlink family ids from the controller's
// CTRL_CMD_NEWFAMILY messages (replies to CTRL_CMD_GETFAMILY and
// notifications), so later messages of the family can be named.
func (d *Decoder) learnGenl(h client.Header, payload []byte) {
	if h.Type != unix.GENL_ID_CTRL || len(payload) < client.GenlMsgHdrLen || payload[0] != unix.CTRL_CMD_NEWFAMILY {
		return
	}
	var ad client.AttributeDecoder
	ad.Reset(payload[client.GenlMsgHdrLen:], 0)
	var id uint16
	var name []byte
	for ad.Next() {
		switch ad.Type() {
		case unix.CTRL_ATTR_FAMILY_ID:
			if ad.Len() == 2 {
				id = ad.Uint16()
			}
		case unix.CTRL_ATTR_FAMILY_NAME:
			name = ad.Bytes()
			for i, c := range name {
				if c == 0 {
					name = name[:i]
					break
				}
			}
		}
	}
	if id >= client.TypeMinReserved && len(name) > 0 {
		if old, ok := d.st.genl[id]; !ok || old != string(name) {
			d.st.LearnGenlFamily(id, string(name))
		}
	}
}

// learnLink records ifindex → name from a link message, before its fields
// are decoded so that the message's own index shows the name.
func (d *Decoder) learnLink(mt *MessageType, payload []byte, attrsAt int) {
	idx := int32(-1)
	for i := range mt.Header.Members {
		m := &mt.Header.Members[i]
		if m.Sem == Ifindex && m.Type == S32 || m.Sem == Ifindex && m.Type == U32 {
			if m.Off+4 <= len(payload) {
				idx = int32(binary.NativeEndian.Uint32(payload[m.Off:]))
			}
			break
		}
	}
	if idx <= 0 {
		return
	}
	var ad client.AttributeDecoder
	ad.Reset(payload[attrsAt:], 0)
	for ad.Next() {
		if ad.Type() == mt.LinkName {
			name := ad.Bytes()
			for i, c := range name {
				if c == 0 {
					name = name[:i]
					break
				}
			}
			d.st.LearnIfname(idx, name)
			return
		}
	}
}

func (d *Decoder) remember(t *Tree, proto int, mt *MessageType, h client.Header, off, n int, port uint32, when time.Time) {
	if port == 0 {
		port = h.PortID
	}
	p := &pending{name: mt.Name, mt: mt, dump: mt.Op == OpGet && h.Flags&client.FlagDump == client.FlagDump, time: when}
	if n > maxSavedRequest {
		n = maxSavedRequest
	}
	p.bytes = append([]byte(nil), t.Data[off:off+n]...)
	d.st.addPending(PairKey{uint16(proto), port, h.Sequence}, p)
}

// numberBatches numbers the messages of each batch in the record: a batch
// is one send (the kernel processes an nfnetlink batch within one buffer),
// so its begin and end are in the same record. Requests remembered for
// pairing learn their position, so an error reply can say which request of
// the batch failed.
func (d *Decoder) numberBatches(t *Tree, fam *Family, port uint32) {
	start := -1
	for i := range t.Messages {
		m := &t.Messages[i]
		if m.Trailing || m.Len < client.HeaderLen {
			continue
		}
		switch fam.Batch(m.Header) {
		case BatchBegin:
			start = i
			m.InBatch = true
		case BatchEnd:
			if start < 0 {
				continue
			}
			n := i - start - 1
			for j := start; j <= i; j++ {
				t.Messages[j].BatchLen = n
				t.Messages[j].InBatch = true
			}
			d.batchPending(t, fam, start, i, n, port)
			start = -1
		default:
			if start >= 0 {
				m.InBatch = true
				m.Batch = i - start
			}
		}
	}
	if start >= 0 {
		d.batchPending(t, fam, start, len(t.Messages), 0, port)
	}
}

// batchPending copies the batch positions of messages (from, to) to the
// requests remembered for them.
func (d *Decoder) batchPending(t *Tree, fam *Family, from, to, n int, port uint32) {
	for j := from + 1; j < to; j++ {
		m := &t.Messages[j]
		pport := port
		if pport == 0 {
			pport = m.Header.PortID
		}
		if p, ok := d.st.pending.Get(PairKey{uint16(fam.Protocol), pport, m.Header.Sequence}); ok {
			p.batch, p.batchLen = m.Batch, n
		}
	}
}

// errnoName asks the family to name a private error code.
func (d *Decoder) errnoName(msg *Message, fam *Family, req client.Header, payload []byte) {
	if fam == nil || fam.ErrnoName == nil || msg.Errno == 0 {
		return
	}
	e := msg.Errno
	if e < 0 {
		e = -e
	}
	msg.ErrnoName, msg.ErrnoText = fam.ErrnoName(&d.st, req, payload, e)
	if msg.ErrnoName == "" {
		return
	}
	for i := msg.First; i < len(d.b.t.Fields); i++ {
		if f := &d.b.t.Fields[i]; f.Kind == KindErrno && f.Depth == 0 {
			f.Str = msg.ErrnoName + "\x00" + msg.ErrnoText
			break
		}
	}
}

// requestOf returns the header and payload of a remembered request.
func requestOf(p *pending) (client.Header, []byte) {
	if p == nil || len(p.bytes) < client.HeaderLen {
		return client.Header{}, nil
	}
	h, _ := client.ParseHeader(p.bytes)
	return h, p.bytes[client.HeaderLen:]
}

func errnoField(b *Builder, payload []byte, off int) int32 {
	if len(payload) < 4 {
		return 0
	}
	e := int32(binary.NativeEndian.Uint32(payload))
	b.add(&Field{Name: "error", Kind: KindErrno, Off: int32(off), Len: 4, ValOff: int32(off), ValLen: 4, Num: uint64(int64(e))})
	return e
}

func (d *Decoder) errorMessage(t *Tree, msg *Message, fam *Family, proto int, m client.Message, off int, port uint32) {
	b := &d.b
	em, err := client.ParseErrorMessage(m.Header.Flags, m.Data)
	msg.Errno = errnoField(b, m.Data, off)
	if len(m.Data) >= 4+client.HeaderLen {
		b.Open("request", off+4, client.HeaderLen)
		b.members(&nlmsghdr, m.Data[4:4+client.HeaderLen], off+4)
		b.Close()
	}
	p, key := d.st.findPending(proto, port, em.Request.Sequence)
	reqType := em.Request.Type
	// The echoed header is the request's: look it up as one.
	d.st.dir = capture.ToKernel
	defer func() { d.st.dir = capture.DirectionUnknown }()
	if p != nil {
		msg.Request = p.name
		msg.Batch, msg.BatchLen, msg.InBatch = p.batch, p.batchLen, p.batch > 0
	} else if fam != nil {
		if mt := fam.MessageType(&d.st, em.Request, em.RequestPayload); mt != nil {
			msg.Request = mt.Name
		}
	}
	if msg.Request == "" && len(m.Data) >= 4+client.HeaderLen {
		msg.Request = client.MessageTypeName(proto, reqType)
	}
	if len(em.RequestPayload) > 0 && fam != nil {
		if mt := fam.MessageType(&d.st, em.Request, em.RequestPayload); mt != nil {
			b.Open("payload", off+4+client.HeaderLen, len(em.RequestPayload))
			d.body(mt, em.RequestPayload, off+4+client.HeaderLen, reqType)
			b.Close()
		} else {
			b.Bytes("payload", em.RequestPayload, off+4+client.HeaderLen)
		}
	}
	if len(em.RequestPayload) > 0 || p == nil {
		d.errnoName(msg, fam, em.Request, em.RequestPayload)
	} else {
		rh, rp := requestOf(p)
		d.errnoName(msg, fam, rh, rp)
	}
	if err != nil && em.AckOffset < 0 {
		b.Malformed(off, len(m.Data), err.Error())
	}
	if em.AckOffset >= 0 && em.AckOffset <= len(m.Data) {
		d.extack(t, m.Data[em.AckOffset:], off+em.AckOffset, em.Ack, func() []byte {
			if !em.Capped && len(m.Data) >= 4+int(em.Request.Length) && em.Request.Length >= client.HeaderLen {
				return m.Data[4 : 4+em.Request.Length]
			}
			if p != nil {
				return p.bytes
			}
			return nil
		}(), proto, fam)
	}
	if p != nil {
		d.st.donePending(key)
	}
}

func (d *Decoder) doneMessage(t *Tree, msg *Message, fam *Family, proto int, m client.Message, off int, port uint32, when time.Time) {
	b := &d.b
	dm, err := client.ParseDoneMessage(m.Header.Flags, m.Data)
	msg.Errno = errnoField(b, m.Data, off)
	p, key := d.st.findPending(proto, port, m.Header.Sequence)
	if p != nil {
		rh, rp := requestOf(p)
		d.errnoName(msg, fam, rh, rp)
		msg.Request = p.name
		msg.DumpCount = p.count
		msg.HasDump = true
		if !when.IsZero() && !p.time.IsZero() {
			msg.DumpTime = when.Sub(p.time)
		}
		d.st.donePending(key)
	}
	if err != nil && dm.AckOffset < 0 {
		b.Malformed(off, len(m.Data), err.Error())
	}
	if dm.AckOffset >= 0 && dm.AckOffset <= len(m.Data) {
		var req []byte
		if p != nil {
			req = p.bytes
		}
		d.extack(t, m.Data[dm.AckOffset:], off+dm.AckOffset, dm.Ack, req, proto, fam)
	}
	if len(m.Data) > 4 && dm.AckOffset < 0 {
		b.Bytes("payload", m.Data[4:], off+4)
	}
}

// extack decodes the extended-ACK attributes and, when the kernel gave an
// offset and the request is known, the attribute path it points at.
func (d *Decoder) extack(t *Tree, run []byte, off int, ack client.ExtendedAck, req []byte, proto int, fam *Family) {
	b := &d.b
	if len(run) == 0 {
		return
	}
	b.Open("extack", off, len(run))
	b.Attrs(&extackAttrs, run, off)
	if ack.HasOffset {
		if path := d.offsetPath(req, int(ack.Offset), proto, fam); path != "" {
			b.Note("offset_path", path, off)
		} else if req == nil {
			b.Note("offset_path", "request not seen", off)
		}
	}
	b.Close()
}

// offsetPath decodes req, a request with its nlmsghdr, and names the
// attribute at byte offset o: its path of attribute names and its value.
func (d *Decoder) offsetPath(req []byte, o, proto int, fam *Family) string {
	if req == nil || fam == nil || o < 0 || o >= len(req) {
		return ""
	}
	// Decode into the scratch tree with a scratch builder, keeping the
	// main builder's position.
	saved := d.b
	sub := &d.scratch
	sub.Reset()
	sub.Data = req
	var s client.MessageScanner
	s.Reset(req)
	if !s.Next() {
		d.b = saved
		return ""
	}
	m := s.Message()
	saveDir := d.st.dir
	d.st.dir = capture.ToKernel
	mt := fam.MessageType(&d.st, m.Header, m.Data)
	d.st.dir = saveDir
	if mt == nil {
		d.b = saved
		return ""
	}
	d.b = Builder{t: sub, st: &d.st, fam: fam}
	d.body(mt, m.Data, client.HeaderLen, m.Header.Type)
	d.b = saved
	// Fields are in depth-first order, so the last one whose span holds
	// o is the deepest.
	best := -1
	for i := range sub.Fields {
		f := &sub.Fields[i]
		if int(f.Off) <= o && o < int(f.Off+f.Len) {
			best = i
		}
	}
	if best < 0 {
		return fmt.Sprintf("offset %d is outside the attributes", o)
	}
	// Collect ancestors by walking back for smaller depths.
	var chain []int
	depth := int(sub.Fields[best].Depth) + 1
	for i := best; i >= 0; i-- {
		if int(sub.Fields[i].Depth) < depth {
			chain = append(chain, i)
			depth = int(sub.Fields[i].Depth)
		}
	}
	out := make([]byte, 0, 64)
	for i := len(chain) - 1; i >= 0; i-- {
		f := &sub.Fields[chain[i]]
		if len(out) > 0 {
			out = append(out, '/')
		}
		out = AppendName(out, f)
	}
	f := &sub.Fields[best]
	if f.Kind != KindNone {
		out = append(out, ' ')
		out = AppendValue(out, sub, f)
	}
	return string(out)
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
