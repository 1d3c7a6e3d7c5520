package client

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
)

// AttrHeaderLen is the size of struct nlattr.
const AttrHeaderLen = 4

// Attribute type flags (NLA_F_*), carried in the top bits of nla_type.
const (
	AttrNested       uint16 = 1 << 15
	AttrNetByteOrder uint16 = 1 << 14
	AttrTypeMask     uint16 = ^(AttrNested | AttrNetByteOrder)
)

// AttributeDecoder is a zero-copy scanner over a run of netlink attributes.
//
//	var d AttributeDecoder
//	d.Reset(payload, offsetOfPayload)
//	for d.Next() {
//		switch d.Type() {
//		case unix.IFLA_MTU:
//			mtu = d.Uint32()
//		}
//	}
//	if err := d.Err(); err != nil { ... }
//
// The first error is kept: Next then returns false and the getters return
// zero values, so the caller checks Err once. Offsets in errors and from
// Offset are absolute: the base given to Reset plus the position in the
// buffer. The decoder never allocates and never panics.
type AttributeDecoder struct {
	buf       []byte
	base      int
	next      int // position of the next attribute in buf
	cur       int // position of the current attribute in buf
	rawType   uint16
	data      []byte
	bigEndian bool
	err       error
}

// NewAttributeDecoder returns a decoder over b with base offset 0 and native
// byte order.
func NewAttributeDecoder(b []byte) *AttributeDecoder {
	d := &AttributeDecoder{}
	d.Reset(b, 0)
	return d
}

// Reset makes d scan b, whose first byte is at absolute offset base. The byte
// order setting is kept.
func (d *AttributeDecoder) Reset(b []byte, base int) {
	be := d.bigEndian
	*d = AttributeDecoder{buf: b, base: base, bigEndian: be}
}

// SetByteOrder sets the byte order of integer payloads. It is native by
// default; nfnetlink families set big-endian. An attribute with
// NLA_F_NET_BYTEORDER is always read as big-endian.
func (d *AttributeDecoder) SetByteOrder(o binary.ByteOrder) {
	d.bigEndian = o == binary.BigEndian
}

// BigEndian reports whether integer payloads default to big-endian.
func (d *AttributeDecoder) BigEndian() bool { return d.bigEndian }

// Next advances to the next attribute.
func (d *AttributeDecoder) Next() bool {
	if d.err != nil || d.next >= len(d.buf) {
		return false
	}
	rest := d.buf[d.next:]
	if len(rest) < AttrHeaderLen {
		d.fail(d.next, fmt.Sprintf("%d trailing bytes are too short for an attribute header", len(rest)))
		return false
	}
	n := int(binary.NativeEndian.Uint16(rest[0:2]))
	switch {
	case n < AttrHeaderLen:
		d.fail(d.next, fmt.Sprintf("attribute length %d is shorter than its header", n))
		return false
	case n > len(rest):
		d.fail(d.next, fmt.Sprintf("attribute length %d exceeds the %d bytes left", n, len(rest)))
		return false
	}
	d.cur = d.next
	d.rawType = binary.NativeEndian.Uint16(rest[2:4])
	d.data = rest[AttrHeaderLen:n:n]
	d.next += Align(n)
	return true
}

func (d *AttributeDecoder) fail(pos int, reason string) {
	if d.err == nil {
		d.err = &MalformedError{Offset: d.base + pos, Reason: reason}
	}
}

// Err returns the first error met, or nil.
func (d *AttributeDecoder) Err() error { return d.err }

// Type returns the current attribute's type without the NLA_F_* flags.
func (d *AttributeDecoder) Type() uint16 { return d.rawType & AttrTypeMask }

// RawType returns the current attribute's type with its NLA_F_* flags.
func (d *AttributeDecoder) RawType() uint16 { return d.rawType }

// Nested reports whether the NLA_F_NESTED flag is set. Kernels do not set it
// consistently, so schemas, not this flag, should decide nesting.
func (d *AttributeDecoder) Nested() bool { return d.rawType&AttrNested != 0 }

// NetByteOrder reports whether the NLA_F_NET_BYTEORDER flag is set.
func (d *AttributeDecoder) NetByteOrder() bool { return d.rawType&AttrNetByteOrder != 0 }

// Offset returns the absolute offset of the current attribute's header.
func (d *AttributeDecoder) Offset() int { return d.base + d.cur }

// Len returns the length of the current attribute's payload.
func (d *AttributeDecoder) Len() int { return len(d.data) }

// Bytes returns the current attribute's payload. It aliases the input.
func (d *AttributeDecoder) Bytes() []byte {
	if d.err != nil {
		return nil
	}
	return d.data
}

// IsBigEndian reports whether the current attribute's integers are big-endian.
func (d *AttributeDecoder) IsBigEndian() bool { return d.bigEndian || d.NetByteOrder() }

func (d *AttributeDecoder) sized(n int, what string) []byte {
	if d.err != nil {
		return nil
	}
	if len(d.data) != n {
		d.fail(d.cur, fmt.Sprintf("attribute type %d: %s needs %d bytes, have %d", d.Type(), what, n, len(d.data)))
		return nil
	}
	return d.data
}

func (d *AttributeDecoder) order() byteOrder {
	if d.IsBigEndian() {
		return binary.BigEndian
	}
	return binary.NativeEndian
}

// Uint8 returns the payload as a uint8.
func (d *AttributeDecoder) Uint8() uint8 {
	if b := d.sized(1, "uint8"); b != nil {
		return b[0]
	}
	return 0
}

// Uint16 returns the payload as a uint16 in the attribute's byte order.
func (d *AttributeDecoder) Uint16() uint16 {
	if b := d.sized(2, "uint16"); b != nil {
		return d.order().Uint16(b)
	}
	return 0
}

// Uint32 returns the payload as a uint32 in the attribute's byte order.
func (d *AttributeDecoder) Uint32() uint32 {
	if b := d.sized(4, "uint32"); b != nil {
		return d.order().Uint32(b)
	}
	return 0
}

// Uint64 returns the payload as a uint64 in the attribute's byte order.
func (d *AttributeDecoder) Uint64() uint64 {
	if b := d.sized(8, "uint64"); b != nil {
		return d.order().Uint64(b)
	}
	return 0
}

// Uint returns a variable-width unsigned integer (NLA_UINT): 1, 2, 4 or 8
// bytes.
func (d *AttributeDecoder) Uint() uint64 {
	switch len(d.data) {
	case 1:
		return uint64(d.Uint8())
	case 2:
		return uint64(d.Uint16())
	case 4:
		return uint64(d.Uint32())
	default:
		return d.Uint64()
	}
}

// Int8 returns the payload as an int8.
func (d *AttributeDecoder) Int8() int8 { return int8(d.Uint8()) }

// Int16 returns the payload as an int16.
func (d *AttributeDecoder) Int16() int16 { return int16(d.Uint16()) }

// Int32 returns the payload as an int32.
func (d *AttributeDecoder) Int32() int32 { return int32(d.Uint32()) }

// Int64 returns the payload as an int64.
func (d *AttributeDecoder) Int64() int64 { return int64(d.Uint64()) }

// String returns the payload as a string, up to the first NUL.
func (d *AttributeDecoder) String() string {
	if d.err != nil {
		return ""
	}
	b := d.data
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// Flag returns true: a flag attribute means yes by being present. A flag with
// a payload is malformed.
func (d *AttributeDecoder) Flag() bool {
	if d.err != nil {
		return false
	}
	if len(d.data) != 0 {
		d.fail(d.cur, fmt.Sprintf("attribute type %d: flag has a %d-byte payload", d.Type(), len(d.data)))
		return false
	}
	return true
}

// NestedInto makes into scan the current attribute's payload as nested
// attributes, keeping absolute offsets and the byte order. into may be
// reused between calls; this keeps nested decoding free of allocations.
func (d *AttributeDecoder) NestedInto(into *AttributeDecoder) {
	into.bigEndian = d.bigEndian
	if d.err != nil {
		into.Reset(nil, 0)
		into.err = d.err
		return
	}
	into.Reset(d.data, d.base+d.cur+AttrHeaderLen)
}

// Nest calls fn with a decoder over the current attribute's nested
// attributes, and keeps fn's error or the nested decoder's error as d's.
func (d *AttributeDecoder) Nest(fn func(*AttributeDecoder) error) {
	if d.err != nil {
		return
	}
	var nd AttributeDecoder
	d.NestedInto(&nd)
	if err := fn(&nd); err != nil {
		d.err = err
		return
	}
	if nd.err != nil {
		d.err = nd.err
	}
}

// Attribute is one decoded attribute, for callers that want a slice rather
// than a scanner. Data aliases the input.
type Attribute struct {
	Type   uint16 // without NLA_F_* flags
	Flags  uint16 // NLA_F_NESTED | NLA_F_NET_BYTEORDER bits
	Offset int    // absolute offset of the attribute header
	Data   []byte
}

// ParseAttributes returns every attribute in b, or those before the first
// malformed one together with its error.
func ParseAttributes(b []byte) ([]Attribute, error) {
	var out []Attribute
	d := AttributeDecoder{buf: b}
	for d.Next() {
		out = append(out, Attribute{Type: d.Type(), Flags: d.rawType &^ AttrTypeMask, Offset: d.Offset(), Data: d.data})
	}
	return out, d.Err()
}

// AttributeEncoder builds a run of netlink attributes.
//
//	var e AttributeEncoder
//	e.String(unix.IFLA_IFNAME, "d0")
//	nest := e.NestStart(unix.IFLA_LINKINFO)
//	e.String(unix.IFLA_INFO_KIND, "dummy")
//	e.NestEnd(nest)
//	b, err := e.Encode()
//
// Every attribute is padded to 4 bytes. Integers are native-endian unless
// SetByteOrder says otherwise or a *BE method is used; the encoder never sets
// NLA_F_* flags itself, so a caller that wants them ORs them into the type.
type AttributeEncoder struct {
	buf       []byte
	open      int // nests started and not yet ended
	bigEndian bool
	err       error
}

// SetByteOrder sets the byte order of the integer methods without a BE suffix.
func (e *AttributeEncoder) SetByteOrder(o binary.ByteOrder) {
	e.bigEndian = o == binary.BigEndian
}

// byteOrder is what both encoding/binary byte orders implement.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

func (e *AttributeEncoder) order() byteOrder {
	if e.bigEndian {
		return binary.BigEndian
	}
	return binary.NativeEndian
}

func (e *AttributeEncoder) header(typ uint16, payload int) {
	if e.err == nil && AttrHeaderLen+payload > math.MaxUint16 {
		e.err = fmt.Errorf("encode attribute type %d: payload of %d bytes does not fit in nla_len", typ&AttrTypeMask, payload)
	}
	e.buf = binary.NativeEndian.AppendUint16(e.buf, uint16(AttrHeaderLen+payload))
	e.buf = binary.NativeEndian.AppendUint16(e.buf, typ)
}

func (e *AttributeEncoder) pad() {
	for len(e.buf)%4 != 0 {
		e.buf = append(e.buf, 0)
	}
}

// Bytes adds an attribute with payload b.
func (e *AttributeEncoder) Bytes(typ uint16, b []byte) {
	e.header(typ, len(b))
	e.buf = append(e.buf, b...)
	e.pad()
}

// String adds a NUL-terminated string attribute.
func (e *AttributeEncoder) String(typ uint16, s string) {
	e.header(typ, len(s)+1)
	e.buf = append(e.buf, s...)
	e.buf = append(e.buf, 0)
	e.pad()
}

// Flag adds an attribute with no payload.
func (e *AttributeEncoder) Flag(typ uint16) { e.header(typ, 0) }

// Uint8 adds a one-byte attribute.
func (e *AttributeEncoder) Uint8(typ uint16, v uint8) {
	e.header(typ, 1)
	e.buf = append(e.buf, v)
	e.pad()
}

// Uint16 adds a 16-bit attribute in the encoder's byte order.
func (e *AttributeEncoder) Uint16(typ uint16, v uint16) {
	e.header(typ, 2)
	e.buf = e.order().AppendUint16(e.buf, v)
	e.pad()
}

// Uint32 adds a 32-bit attribute in the encoder's byte order.
func (e *AttributeEncoder) Uint32(typ uint16, v uint32) {
	e.header(typ, 4)
	e.buf = e.order().AppendUint32(e.buf, v)
}

// Uint64 adds a 64-bit attribute in the encoder's byte order.
func (e *AttributeEncoder) Uint64(typ uint16, v uint64) {
	e.header(typ, 8)
	e.buf = e.order().AppendUint64(e.buf, v)
}

// Uint16BE adds a big-endian 16-bit attribute.
func (e *AttributeEncoder) Uint16BE(typ uint16, v uint16) {
	e.header(typ, 2)
	e.buf = binary.BigEndian.AppendUint16(e.buf, v)
	e.pad()
}

// Uint32BE adds a big-endian 32-bit attribute.
func (e *AttributeEncoder) Uint32BE(typ uint16, v uint32) {
	e.header(typ, 4)
	e.buf = binary.BigEndian.AppendUint32(e.buf, v)
}

// Uint64BE adds a big-endian 64-bit attribute.
func (e *AttributeEncoder) Uint64BE(typ uint16, v uint64) {
	e.header(typ, 8)
	e.buf = binary.BigEndian.AppendUint64(e.buf, v)
}

// Int8 adds a signed one-byte attribute.
func (e *AttributeEncoder) Int8(typ uint16, v int8) { e.Uint8(typ, uint8(v)) }

// Int16 adds a signed 16-bit attribute.
func (e *AttributeEncoder) Int16(typ uint16, v int16) { e.Uint16(typ, uint16(v)) }

// Int32 adds a signed 32-bit attribute.
func (e *AttributeEncoder) Int32(typ uint16, v int32) { e.Uint32(typ, uint32(v)) }

// Int64 adds a signed 64-bit attribute.
func (e *AttributeEncoder) Int64(typ uint16, v int64) { e.Uint64(typ, uint64(v)) }

// NestStart opens a nested attribute and returns a token for NestEnd.
func (e *AttributeEncoder) NestStart(typ uint16) int {
	start := len(e.buf)
	e.header(typ, 0)
	e.open++
	return start
}

// NestEnd closes the nested attribute that NestStart opened.
func (e *AttributeEncoder) NestEnd(start int) {
	if start < 0 || start+AttrHeaderLen > len(e.buf) {
		if e.err == nil {
			e.err = fmt.Errorf("encode attributes: NestEnd(%d) does not match a NestStart", start)
		}
		return
	}
	n := len(e.buf) - start
	if n > math.MaxUint16 && e.err == nil {
		e.err = fmt.Errorf("encode nested attribute type %d: %d bytes do not fit in nla_len", binary.NativeEndian.Uint16(e.buf[start+2:])&AttrTypeMask, n)
	}
	binary.NativeEndian.PutUint16(e.buf[start:], uint16(n))
	e.open--
}

// Nested adds a nested attribute whose contents fn encodes.
func (e *AttributeEncoder) Nested(typ uint16, fn func(*AttributeEncoder)) {
	start := e.NestStart(typ)
	fn(e)
	e.NestEnd(start)
}

// Encode returns the encoded attributes. The encoder can be reused after
// Reset.
func (e *AttributeEncoder) Encode() ([]byte, error) {
	if e.err != nil {
		return nil, e.err
	}
	if e.open != 0 {
		return nil, fmt.Errorf("encode attributes: %d nested attributes were not ended", e.open)
	}
	return e.buf, nil
}

// Reset empties the encoder, keeping its buffer and byte order.
func (e *AttributeEncoder) Reset() {
	e.buf, e.open, e.err = e.buf[:0], 0, nil
}

// Len returns the number of bytes encoded so far.
func (e *AttributeEncoder) Len() int { return len(e.buf) }
