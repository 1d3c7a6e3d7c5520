package decode

import (
	"encoding/binary"
	"errors"
	"strconv"

	"github.com/nltrace/nltrace/client"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// Builder appends fields to a Tree while a message is decoded. The decoder
// drives it from the schemas; an Attr.Custom hook receives it to decode a
// payload whose layout a schema cannot express, using the same methods.
// Offsets given to a Builder are absolute offsets in Tree.Data.
type Builder struct {
	t     *Tree
	st    *State
	fam   *Family
	depth uint8
	// The message being decoded, for Scope.
	family    uint8
	hasFamily bool
	msgType   uint16
	bigEndian bool
	malformed bool
}

// maxDepth bounds nesting, so crafted input cannot recurse without limit.
const maxDepth = 32

// State returns the stream state, for hooks that learn from the bytes.
func (b *Builder) State() *State { return b.st }

// MessageBody decodes p, at absolute offset off, as the fixed header and
// attributes of message type typ of the family being decoded. Schemas use
// it for payloads that embed a whole message body (VETH_INFO_PEER holds an
// ifinfomsg and IFLA_* attributes) without referring to their own tables.
func (b *Builder) MessageBody(typ uint16, p []byte, off int) {
	mt := b.messageType(typ)
	if mt == nil {
		b.Bytes("data", p, off)
		return
	}
	if mt.Header == nil {
		b.Attrs(mt.Attrs, p, off)
		return
	}
	b.Header(mt.Header, p, off)
	if at := align4(mt.Header.Size); at < len(p) {
		b.Attrs(mt.Attrs, p[at:], off+at)
	}
}

// MessageAttrs decodes run with the attribute set of message type typ of
// the family being decoded (RTA_MULTIPATH nexthops carry RTA_* attributes).
func (b *Builder) MessageAttrs(typ uint16, run []byte, off int) {
	var set *AttrSet
	if mt := b.messageType(typ); mt != nil {
		set = mt.Attrs
	}
	b.Attrs(set, run, off)
}

func (b *Builder) messageType(typ uint16) *MessageType {
	if b.fam == nil || int(typ) >= len(b.fam.Types) || b.fam.Types[typ].Name == "" {
		return nil
	}
	return &b.fam.Types[typ]
}

func align4(n int) int { return (n + 3) &^ 3 }

func (b *Builder) add(f *Field) int {
	f.Depth = b.depth
	b.t.Fields = append(b.t.Fields, *f)
	return len(b.t.Fields) - 1
}

// slot adds a field at the current depth spanning data[off:off+n], its
// value the same span, and returns it to be filled in place: a Field is 72
// bytes, and building it on the stack to copy it in cost more than the
// decoding around it. The pointer is valid until the next field is added.
func (b *Builder) slot(name string, off, n int, spec *Attr) *Field {
	b.t.Fields = append(b.t.Fields, Field{})
	f := &b.t.Fields[len(b.t.Fields)-1]
	f.Name = name
	f.Depth = b.depth
	f.Off, f.Len = int32(off), int32(n)
	f.ValOff, f.ValLen = int32(off), int32(n)
	f.Spec = spec
	return f
}

// Open adds a container field spanning data[off:off+n] and makes the
// following fields its children until Close.
func (b *Builder) Open(name string, off, n int) int {
	i := b.add(&Field{Name: name, Kind: KindNone, Off: int32(off), Len: int32(n), ValOff: int32(off), ValLen: int32(n)})
	b.depth++
	return i
}

// Close ends the container that the last Open started.
func (b *Builder) Close() {
	if b.depth > 0 {
		b.depth--
	}
}

// Malformed adds a field that marks n bytes at off as malformed, with why.
func (b *Builder) Malformed(off, n int, why string) {
	b.malformed = true
	b.add(&Field{Name: "malformed", Kind: KindMalformed, Flags: FieldMalformed, Off: int32(off), Len: int32(n), ValOff: int32(off), ValLen: int32(n), Str: why})
}

// Note adds a text field composed by the decoder, spanning no bytes of its
// own (Off is where it applies).
func (b *Builder) Note(name, text string, off int) {
	b.add(&Field{Name: name, Kind: KindText, Off: int32(off), ValOff: int32(off), Str: text})
}

// Bytes adds a field showing data in hex.
func (b *Builder) Bytes(name string, data []byte, off int) {
	b.add(&Field{Name: name, Kind: KindBytes, Off: int32(off), Len: int32(len(data)), ValOff: int32(off), ValLen: int32(len(data))})
}

// Attrs decodes run, a run of attributes starting at absolute offset off,
// with set. Unknown attributes become fields with their number and bytes; a
// malformed attribute header ends the run with a malformed field over the
// rest of it.
func (b *Builder) Attrs(set *AttrSet, run []byte, off int) {
	var d client.AttributeDecoder
	if (set != nil && set.BigEndian) || b.bigEndian {
		d.SetByteOrder(binary.BigEndian)
	}
	d.Reset(run, off)
	for d.Next() {
		b.attr(set, &d, run, off)
	}
	if err := d.Err(); err != nil {
		at, why := off, err.Error()
		var me *client.MalformedError
		if errors.As(err, &me) {
			at, why = me.Offset, me.Reason
		}
		end := off + len(run)
		if at < off || at > end {
			at = off
		}
		b.Malformed(at, end-at, why)
	}
}

func (b *Builder) attr(set *AttrSet, d *client.AttributeDecoder, run []byte, runOff int) {
	typ := d.Type()
	aoff := d.Offset()
	data := d.Bytes()
	hdrLen := client.AttrHeaderLen
	a := set.Lookup(typ)
	f := b.slot("", aoff+hdrLen, len(data), a)
	f.Off, f.Len = int32(aoff), int32(hdrLen+len(data))
	f.Type = typ
	f.Flags = FieldAttr
	if d.Nested() {
		f.Flags |= FieldNested
	}
	if d.NetByteOrder() {
		f.Flags |= FieldNetOrder
	}
	if a == nil {
		f.Flags |= FieldUnknown
		f.Kind = KindBytes
		if set != nil {
			f.Name = set.Name
		}
		return
	}
	f.Name = a.Name
	bigEndian := d.IsBigEndian() && !a.HostOrder
	b.value(f, a, data, aoff+hdrLen, bigEndian, run)
}

// Field adds one field named by spec.Name, decoding data (at absolute
// offset off) as spec says: for Custom hooks whose layout mixes fixed
// members with variable parts (an xfrm_algo's name, key length and key).
func (b *Builder) Field(spec *Attr, data []byte, off int) {
	b.value(b.slot(spec.Name, off, len(data), spec), spec, data, off, b.bigEndian, nil)
}

// value fills f, the field just added (its spans set), from data per a, and
// adds any children after it.
func (b *Builder) value(f *Field, a *Attr, data []byte, off int, bigEndian bool, run []byte) {
	if a.Sem == Secret && (b.st == nil || !b.st.showSecrets) {
		f.Kind = KindRedacted
		return
	}
	// The byte order is a flag, not a binary.ByteOrder: calls through the
	// interface cannot be inlined, and this runs for every value.
	order := byteOrder{big: bigEndian}
	size := 0
	switch a.Type {
	case U8, S8:
		size = 1
	case U16, S16, BE16:
		size = 2
	case U32, S32, BE32:
		size = 4
	case U64, S64, BE64:
		size = 8
	}
	switch a.Type {
	case U8, U16, U32, U64, BE16, BE32, BE64:
		if len(data) != size {
			b.wrongSize(f, size)
			return
		}
		f.Kind = KindUint
		switch a.Type {
		case U8:
			f.Num = uint64(data[0])
		case U16:
			f.Num = uint64(order.Uint16(data))
		case U32:
			f.Num = uint64(order.Uint32(data))
		case U64:
			f.Num = order.Uint64(data)
		case BE16:
			f.Num = uint64(binary.BigEndian.Uint16(data))
		case BE32:
			f.Num = uint64(binary.BigEndian.Uint32(data))
		case BE64:
			f.Num = binary.BigEndian.Uint64(data)
		}
		if a.Bits != 0 {
			f.Num = f.Num >> a.Shift & (1<<a.Bits - 1)
		}
		b.scalar(f, a)
	case S8, S16, S32, S64:
		if len(data) != size {
			b.wrongSize(f, size)
			return
		}
		f.Kind = KindInt
		switch a.Type {
		case S8:
			f.Num = uint64(int64(int8(data[0])))
		case S16:
			f.Num = uint64(int64(int16(order.Uint16(data))))
		case S32:
			f.Num = uint64(int64(int32(order.Uint32(data))))
		case S64:
			f.Num = order.Uint64(data)
		}
		b.scalar(f, a)
	case Uint, Sint:
		var v uint64
		switch len(data) {
		case 1:
			v = uint64(data[0])
			if a.Type == Sint {
				v = uint64(int64(int8(data[0])))
			}
		case 2:
			v = uint64(order.Uint16(data))
			if a.Type == Sint {
				v = uint64(int64(int16(v)))
			}
		case 4:
			v = uint64(order.Uint32(data))
			if a.Type == Sint {
				v = uint64(int64(int32(v)))
			}
		case 8:
			v = order.Uint64(data)
		default:
			b.wrongSize(f, 8)
			return
		}
		f.Kind = KindUint
		if a.Type == Sint {
			f.Kind = KindInt
		}
		f.Num = v
		b.scalar(f, a)
	case String:
		f.Kind = KindString
		for i, c := range data {
			if c == 0 {
				f.ValLen = int32(i)
				break
			}
		}
	case Flag:
		if len(data) != 0 {
			b.wrongSize(f, 0)
			return
		}
		f.Kind = KindFlag
	case Addr:
		switch {
		case b.hasFamily && b.family == unix.AF_MPLS && len(data)%4 == 0 && len(data) > 0:
			f.Kind = KindMPLS
		case len(data) == 4 || len(data) == 16:
			f.Kind = KindIP
		default:
			f.Kind = KindBytes
		}
	case HWAddr:
		f.Kind = KindMAC
	case Nest:
		set := a.Nest
		if a.Select != nil {
			if s := a.Select(Scope{run: run, family: b.family, hasFamly: b.hasFamily, msgType: b.msgType}); s != nil {
				set = s
			}
		}
		if set == nil {
			f.Kind = KindBytes
			return
		}
		if !b.enter(f) {
			return
		}
		b.Attrs(set, data, off)
		b.Close()
	case NestArray:
		if !b.enter(f) {
			return
		}
		b.array(a, data, off)
		b.Close()
	case Struct:
		if !b.enter(f) {
			return
		}
		b.Layout(a.Struct, data, off)
		b.Close()
	case StructArray:
		if !b.enter(f) {
			return
		}
		b.structArray(a, data, off)
		b.Close()
	case Custom:
		if a.Custom == nil {
			f.Kind = KindBytes
			return
		}
		if !b.enter(f) {
			return
		}
		a.Custom(b, data, off)
		b.Close()
	default:
		f.Kind = KindBytes
	}
}

// enter makes f, the field just added, a container and goes one level
// deeper, unless the
// nesting is already too deep, in which case f is shown as bytes and
// marked.
func (b *Builder) enter(f *Field) bool {
	if b.depth >= maxDepth {
		f.Kind = KindBytes
		f.Flags |= FieldMalformed
		f.Str = "nested too deeply"
		b.malformed = true
		return false
	}
	f.Kind = KindNone
	b.depth++
	return true
}

func (b *Builder) scalar(f *Field, a *Attr) {
	if a.Sem == Ifindex && b.st != nil {
		if n, ok := b.st.ifnames[int32(f.Num)]; ok {
			f.Str = n
		}
	}
}

func (b *Builder) wrongSize(f *Field, want int) {
	f.Kind = KindBytes
	f.Flags |= FieldMalformed
	f.Str = sizeReason(want)
	b.malformed = true
}

func sizeReason(want int) string {
	switch want {
	case 0:
		return "flag with a payload"
	case 1:
		return "want 1 byte"
	case 2:
		return "want 2 bytes"
	case 4:
		return "want 4 bytes"
	case 8:
		return "want 8 bytes"
	}
	return "wrong size"
}

func (b *Builder) array(a *Attr, data []byte, off int) {
	var d client.AttributeDecoder
	if b.bigEndian {
		d.SetByteOrder(binary.BigEndian)
	}
	d.Reset(data, off)
	name := a.Elem
	if name == "" {
		name = a.Name
	}
	for d.Next() {
		eoff := d.Offset()
		payload := d.Bytes()
		f := b.slot(name, eoff+client.AttrHeaderLen, len(payload), a)
		f.Off, f.Len = int32(eoff), int32(client.AttrHeaderLen+len(payload))
		f.Type = d.Type()
		f.Flags = FieldAttr
		if a.Item != nil {
			f.Flags |= FieldElem
			f.Spec = a.Item
			b.value(f, a.Item, payload, eoff+client.AttrHeaderLen, d.IsBigEndian(), data)
			continue
		}
		if a.Nest == nil {
			f.Kind = KindBytes
			continue
		}
		if !b.enter(f) {
			continue
		}
		b.Attrs(a.Nest, payload, eoff+client.AttrHeaderLen)
		b.Close()
	}
	if err := d.Err(); err != nil {
		at, why := off, err.Error()
		var me *client.MalformedError
		if errors.As(err, &me) && me.Offset >= off && me.Offset <= off+len(data) {
			at, why = me.Offset, me.Reason
		}
		b.Malformed(at, off+len(data)-at, why)
	}
}

func (b *Builder) structArray(a *Attr, data []byte, off int) {
	l := a.Struct
	if l == nil || l.Size <= 0 {
		b.Bytes("data", data, off)
		return
	}
	name := a.Elem
	if name == "" {
		name = l.Name
	}
	i := 0
	for ; len(data) >= l.Size; i++ {
		f := b.slot(name, off, l.Size, a)
		f.Type = uint16(i)
		if !b.enter(f) {
			return
		}
		b.members(l, data[:l.Size], off)
		b.Close()
		data, off = data[l.Size:], off+l.Size
	}
	if len(data) > 0 {
		b.Malformed(off, len(data), "trailing bytes shorter than "+l.Name)
	}
}

// Layout decodes data, which starts at off, as the fixed struct l: one
// field per member that fits. Bytes beyond l.Size are shown as a trailing
// binary field. It returns how many bytes the members covered.
func (b *Builder) Layout(l *Layout, data []byte, off int) int {
	if l == nil {
		b.Bytes("data", data, off)
		return len(data)
	}
	for _, o := range l.Older {
		if len(data) == o.Size {
			l = o
			break
		}
	}
	n := b.members(l, data, off)
	if len(data) > l.Size {
		rest := l.Size
		if l.Tail != nil {
			rest = b.tail(l, data, off)
		}
		if rest < len(data) {
			b.Bytes("trailing", data[rest:], off+rest)
		}
		return len(data)
	}
	return n
}

// tail decodes the elements of an indexed array beyond the ones l names,
// and returns where the whole elements end.
func (b *Builder) tail(l *Layout, data []byte, off int) int {
	t := l.Tail
	size := memberSize(t)
	if size <= 0 || l.Size%size != 0 {
		return l.Size
	}
	p := l.Size
	for ; p+size <= len(data); p += size {
		index := l.TailBase + p/size
		f := b.slot(t.Name+strconv.Itoa(index), off+p, size, t)
		f.Type = uint16(index)
		b.value(f, t, data[p:p+size], off+p, b.bigEndian, nil)
	}
	return p
}

// Header decodes data as the fixed struct l inside a container field
// marked FieldHeader, so renderers show it on one line the way they show a
// message's fixed header (the rtnexthop before a nexthop's attributes).
func (b *Builder) Header(l *Layout, data []byte, off int) {
	if l == nil {
		b.Bytes("data", data, off)
		return
	}
	n := min(len(data), l.Size)
	b.t.Fields[b.Open(l.Name, off, n)].Flags |= FieldHeader
	b.members(l, data[:n], off)
	b.Close()
	if len(data) < l.Size {
		b.Malformed(off, len(data), l.Name+" is short")
	}
}

// members decodes the members of l that fit in data and returns the end of
// the last decoded one.
func (b *Builder) members(l *Layout, data []byte, off int) int {
	end := 0
	for i := range l.Members {
		m := &l.Members[i]
		n := memberSize(m)
		if m.Off < 0 || m.Off+n > len(data) {
			continue
		}
		v := data[m.Off : m.Off+n]
		f := b.slot(m.Name, off+m.Off, n, m)
		f.Type = uint16(i)
		b.value(f, m, v, off+m.Off, b.bigEndian, nil)
		if m.Off+n > end {
			end = m.Off + n
		}
	}
	return end
}

func memberSize(m *Attr) int {
	switch m.Type {
	case U8, S8:
		return 1
	case U16, S16, BE16:
		return 2
	case U32, S32, BE32:
		return 4
	case U64, S64, BE64:
		return 8
	case Struct:
		if m.Struct != nil && m.Len == 0 {
			return m.Struct.Size
		}
	}
	return m.Len
}

// byteOrder reads host-order values, or big-endian ones when big is set.
type byteOrder struct{ big bool }

func (o byteOrder) Uint16(b []byte) uint16 {
	if o.big {
		return binary.BigEndian.Uint16(b)
	}
	return binary.NativeEndian.Uint16(b)
}

func (o byteOrder) Uint32(b []byte) uint32 {
	if o.big {
		return binary.BigEndian.Uint32(b)
	}
	return binary.NativeEndian.Uint32(b)
}

func (o byteOrder) Uint64(b []byte) uint64 {
	if o.big {
		return binary.BigEndian.Uint64(b)
	}
	return binary.NativeEndian.Uint64(b)
}
