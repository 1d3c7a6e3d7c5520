package decode

import (
	"time"

	"github.com/nltrace/nltrace/client"
)

// Kind says how a field's value is stored, and so how renderers show it.
type Kind uint8

const (
	KindNone      Kind = iota // a container: a nest, a struct, an array element
	KindUint                  // Num
	KindInt                   // Num holds an int64
	KindString                // the value bytes, without a trailing NUL
	KindBytes                 // the value bytes, shown in hex
	KindFlag                  // a present NLA_FLAG
	KindIP                    // the value bytes: 4 (IPv4) or 16 (IPv6)
	KindMAC                   // the value bytes, a link-layer address
	KindMPLS                  // the value bytes, a stack of 4-byte MPLS labels
	KindErrno                 // Num holds the int32 errno as sent (negative or 0)
	KindText                  // Str, text the decoder composed (extack paths, notes)
	KindMalformed             // Str is why; the span covers the bad bytes
	// KindRedacted is a Secret value that must not be shown: renderers
	// print "<N bytes redacted>" and mask its bytes in hex dumps.
	KindRedacted
)

// FieldFlag marks fields.
type FieldFlag uint8

const (
	// FieldAttr says the field is a netlink attribute: Type is its type
	// number and the span includes the 4-byte attribute header.
	FieldAttr FieldFlag = 1 << iota
	// FieldUnknown says the schema does not name the attribute or message
	// type; Name is the set's prefix and Type the number.
	FieldUnknown
	// FieldMalformed says the value is not what its schema says (a wrong
	// size). The value is shown as bytes; decoding goes on.
	FieldMalformed
	// FieldNested says the attribute had NLA_F_NESTED set.
	FieldNested
	// FieldNetOrder says the attribute had NLA_F_NET_BYTEORDER set.
	FieldNetOrder
	// FieldHeader marks the container of a message's fixed header
	// (ifinfomsg), and of the nlmsghdr.
	FieldHeader
	// FieldElem says the field is an element of a NestArray decoded with
	// Attr.Item: Type is its index, shown as "NAME[index]".
	FieldElem
)

// Field is one node of a decoded message: a header member, an attribute, an
// element or a note. Fields live in a flat slice in depth-first order; Depth
// gives the nesting, so a field's children are the fields after it with a
// greater Depth. Nothing in a Field is allocated per message: Name and Spec
// point into the schema, and values are scalars or spans of Tree.Data.
type Field struct {
	Name  string
	Kind  Kind
	Flags FieldFlag
	Depth uint8
	// Type is the attribute type number (without NLA_F_* flags) for
	// attributes, or the element index for array elements.
	Type uint16
	// Off and Len span the whole field in Tree.Data (for an attribute,
	// header included).
	Off, Len int32
	// ValOff and ValLen span the value bytes in Tree.Data.
	ValOff, ValLen int32
	// Num holds integer values, errnos and flag words.
	Num uint64
	// Str holds text the decoder looked up or composed: the interface name
	// of an Ifindex, the reason of a malformed field, an extack path.
	Str string
	// Spec is the schema entry the field was decoded with, or nil for
	// unknown attributes and decoder notes. Renderers read Sem, Enum and
	// Flags from it; replay reads Sem.
	Spec *Attr
}

// Has reports whether f carries flag x.
func (f *Field) Has(x FieldFlag) bool { return f.Flags&x != 0 }

// Sem returns the field's semantic kind, Plain without a Spec.
func (f *Field) Sem() Sem {
	if f.Spec == nil {
		return Plain
	}
	return f.Spec.Sem
}

// Message is one decoded netlink message within a Tree.
type Message struct {
	Header client.Header
	// Off is where the message starts in Tree.Data; Len is how many bytes
	// of it are present (less than Header.Length when truncated).
	Off, Len int
	// Name is the message type's name ("RTM_NEWLINK", "NLMSG_ERROR"), or ""
	// when unknown (renderers show "type N").
	Name string
	Op   Op
	// Fields[First:End] of the Tree are this message's fields.
	First, End int
	// Malformed says at least one field of the message is malformed.
	Malformed bool
	// Cut says the message's bytes end before its nlmsg_len: the snap
	// length or the copy of a paste cut it. It is decoded as far as the
	// bytes go, and Malformed is set too.
	Cut bool
	// Trailing says this is no message but zero bytes after the last one,
	// too short or zero-length for a header, which the kernel skips
	// without an error (iproute2 sends such padding with some requests).
	Trailing bool
	// Raw says the message was decoded whole by its family's Raw hook: it
	// has no netlink header, so Header is the zero value.
	Raw bool

	// Reply pairing, filled for NLMSG_ERROR, NLMSG_DONE and dump parts
	// when the stream saw the request: the request's type name, and for a
	// finished dump its message count and duration.
	Request   string
	Errno     int32 // NLMSG_ERROR / NLMSG_DONE error code, 0 for an ACK
	IsAck     bool  // an NLMSG_ERROR
	IsDone    bool  // an NLMSG_DONE
	DumpCount int   // messages in the dump this NLMSG_DONE ends, when known
	DumpTime  time.Duration
	HasDump   bool // DumpCount and DumpTime are set
	// ErrnoName and ErrnoText name an error code private to the family
	// (Family.ErrnoName: ipset's "IPSET_ERR_EXIST"); both are empty for a
	// system errno.
	ErrnoName, ErrnoText string

	// Batch is the message's position (1-based) among the messages of the
	// batch that holds it, and BatchLen how many messages the batch holds
	// (between its begin and end messages, which carry BatchLen and
	// Batch 0). BatchLen is 0 when the batch's end was not in the record.
	// An error reply carries the position of the request it answers.
	Batch, BatchLen int
	// InBatch says the message is a batch's begin or end, or inside one.
	InBatch bool
}

// Tree is the decoded form of one record: its messages and their fields.
// Decoder.Decode fills a Tree, reusing its slices, so a caller that decodes
// many records into one Tree allocates nothing per message once the slices
// have grown. A Tree's fields alias Data; copy what must outlive the next
// Decode.
type Tree struct {
	Data     []byte
	Messages []Message
	Fields   []Field
	// Truncated says the record was cut at the snap length; the last
	// message may be incomplete.
	Truncated bool
	// Meta is the record's metadata, for renderers (time, process,
	// direction). It is the zero value when decoding plain bytes.
	Meta Meta
}

// Meta is the part of a capture.Record that renderers show.
type Meta struct {
	Time      time.Time
	CallTime  time.Time // capture.Record.CallTime: a receive's call start
	Direction uint8     // capture.Direction
	Protocol  uint16
	Family    string // the protocol's name, "route"
	PID       uint32
	Comm      string
	PortID    uint32
	Group     uint32
}

// MessageFields returns the fields of message i.
func (t *Tree) MessageFields(i int) []Field {
	m := &t.Messages[i]
	return t.Fields[m.First:m.End]
}

// Redacted reports whether the bytes at data offsets [off, off+n) overlap a
// redacted field of message i, so hex dumps can mask them.
func (t *Tree) Redacted(i, off, n int) bool {
	for _, f := range t.MessageFields(i) {
		if f.Kind == KindRedacted && int(f.ValOff) < off+n && off < int(f.ValOff+f.ValLen) {
			return true
		}
	}
	return false
}

// RedactSecrets zeroes, in t.Data, the value bytes of every field whose
// schema marks it Secret, whether or not the decoder showed it. Call it on
// a tree decoded from a private copy of a record, before writing that copy
// to a file (-w --redact-secrets); it reports whether anything was zeroed.
func RedactSecrets(t *Tree) bool {
	zeroed := false
	for i := range t.Fields {
		f := &t.Fields[i]
		if f.Spec == nil || f.Spec.Sem != Secret || f.ValLen <= 0 {
			continue
		}
		clear(t.Data[f.ValOff : f.ValOff+f.ValLen])
		zeroed = true
	}
	return zeroed
}

// Value returns the value bytes of f.
func (t *Tree) Value(f *Field) []byte {
	return t.Data[f.ValOff : f.ValOff+f.ValLen]
}

// Reset empties t for reuse, keeping the slices' storage.
func (t *Tree) Reset() {
	t.Data = nil
	t.Messages = t.Messages[:0]
	t.Fields = t.Fields[:0]
	t.Truncated = false
	t.Meta = Meta{}
}
