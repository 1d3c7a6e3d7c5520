package decode

import (
	"strconv"

	"github.com/nltrace/nltrace/client"
)

// Schemas are data. A family package (decode/rtnl, decode/xfrm, ...) builds
// them once, as package-level tables that are never written, and hands them
// to the decoder through a *Family. The decoder reads them to turn bytes into
// fields; replay reads them to find values it must rewrite (every value whose
// Sem is Ifindex).
//
// A family package declares, for each message type, the fixed header (a
// Layout) and the attribute set (an AttrSet) that follow the nlmsghdr:
//
//	var linkAttrs = decode.AttrSet{Name: "IFLA", Attrs: []decode.Attr{
//		unix.IFLA_IFNAME: {Name: "IFLA_IFNAME", Type: decode.String},
//		unix.IFLA_MTU:    {Name: "IFLA_MTU", Type: decode.U32},
//		unix.IFLA_LINK:   {Name: "IFLA_LINK", Type: decode.U32, Sem: decode.Ifindex},
//		unix.IFLA_LINKINFO: {Name: "IFLA_LINKINFO", Type: decode.Nest, Nest: &linkInfoAttrs},
//	}}
//
// Attribute sets are dense slices indexed by attribute type, so a lookup is
// one bounds check. An entry whose Name is empty is an unknown attribute: the
// decoder shows its number and raw bytes.

// Type is how a value is laid out on the wire.
type Type uint8

const (
	// Binary is opaque bytes, shown in hex. It is the zero value, so an
	// attribute declared with a name only still shows everything it holds.
	Binary Type = iota
	U8          // one byte
	U16         // host byte order, as every Uxx below
	U32
	U64
	S8
	S16
	S32
	S64
	BE16 // network byte order (ports, ethertypes, VNIs in some families)
	BE32
	BE64
	Uint   // NLA_UINT: 1, 2, 4 or 8 bytes in host order
	Sint   // NLA_SINT: 1, 2, 4 or 8 bytes, signed
	String // NUL-terminated (or not) text
	Flag   // NLA_FLAG: present means true; no payload
	// Addr is a network-layer address: 4 bytes are IPv4, 16 bytes IPv6. In
	// a message whose header family is AF_MPLS it is an MPLS label stack.
	// Any other length is shown in hex.
	Addr
	HWAddr // a link-layer address (MAC), shown as colon-separated hex
	// Nest is a nested attribute run decoded with Attr.Nest, or with the set
	// that Attr.Select returns for this occurrence.
	Nest
	// NestArray is a nested run whose children are elements: each child's
	// type number is an index, not a name, and each child's payload is
	// decoded as a run of Attr.Nest (IFLA_VF_PORTS, TCA_ACT_TAB). Elements
	// are named by Attr.Elem with the index appended.
	NestArray
	// Struct is a fixed C struct laid out by Attr.Struct. Bytes beyond the
	// layout's Size are shown as a trailing binary field, not dropped.
	Struct
	// StructArray is Attr.Struct repeated until the payload ends (nexthop
	// groups). Elements are named by Attr.Elem with the index appended.
	StructArray
	// Custom is decoded by Attr.Custom, for layouts that are neither a run
	// of attributes nor a fixed struct (RTA_MULTIPATH: rtnexthop headers
	// each followed by attributes).
	Custom
)

// Sem is what a value means, which decides how it is shown and whether
// replay must rewrite it.
type Sem uint8

const (
	// Plain shows integers in decimal, strings as text, binary in hex.
	Plain Sem = iota
	// Hex shows an integer as 0x-prefixed hex (marks, handles, masks).
	Hex
	// Ifindex is an interface index. It is shown with the interface name
	// when the stream has told it ("3(eth0)"), and replay rewrites it.
	Ifindex
	// EnumValue shows an integer by the name Attr.Enum gives it.
	EnumValue
	// FlagBits shows an integer as the names of its set bits from
	// Attr.Flags, with leftover bits in hex.
	FlagBits
	// Bool shows 0 as "off" and anything else as "on", as iproute2 does.
	Bool
	// Seconds, Millis and Centis are durations in those units; Centis is
	// USER_HZ clock ticks (cacheinfo times, bridge timers).
	Seconds
	Millis
	Centis
	// Bytes is a byte count.
	Bytes
	// NetnsID is a network-namespace id (-1 means none).
	NetnsID
	// TCHandle is a tc handle or parent (major:minor), shown as tc shows
	// it: "1:10", "ffff:", "root", "ingress", "clsact", "none".
	TCHandle
	// U32Handle is a u32 classifier handle (12-bit hash table id, 8-bit
	// bucket, 12-bit node), shown as tc shows it: "800::800", "800:",
	// "none".
	U32Handle
	// Micros is a duration in microseconds (tcp_info's rtt and rto).
	Micros
	// Secret is key material (xfrm algorithm keys, WireGuard private and
	// preshared keys, MACsec keys). Unless the decoder was told to show
	// secrets, such a field has KindRedacted and every renderer shows
	// "<N bytes redacted>" instead of its bytes; RedactSecrets zeroes the
	// bytes themselves before a record is written to a file.
	Secret
)

// Enum names the values of an integer. Names is dense, indexed by value;
// Sparse holds values too large for a dense table. A value with no name is
// shown as "unknown(N)", or as the bare number when Open is set.
type Enum struct {
	Name   string // the C enum or prefix, for documentation and JSON
	Names  []string
	Sparse map[uint64]string
	// Open says unnamed values are normal, not unknown: routing tables,
	// route protocols and scopes are numbers that only some values of
	// have names, and iproute2 shows the others as numbers.
	Open bool
}

// Lookup returns the name of v, or "" when v has none.
func (e *Enum) Lookup(v uint64) string {
	if e == nil {
		return ""
	}
	if v < uint64(len(e.Names)) && e.Names[v] != "" {
		return e.Names[v]
	}
	return e.Sparse[v]
}

// AppendName appends the name of v, or "unknown(N)", to b.
func (e *Enum) AppendName(b []byte, v uint64) []byte {
	if n := e.Lookup(v); n != "" {
		return append(b, n...)
	}
	if e != nil && e.Open {
		return strconv.AppendUint(b, v, 10)
	}
	b = append(b, "unknown("...)
	b = strconv.AppendUint(b, v, 10)
	return append(b, ')')
}

// FlagSet names the bits of a flag word: Bits[i] names 1<<i. An empty name
// leaves the bit to the hex remainder.
type FlagSet struct {
	Name string
	Bits []string
	// Sep separates names; "," when empty. iproute2 uses "," for link
	// flags and " " for address flags.
	Sep string
}

// AppendNames appends the names of the bits set in v, joined by the set's
// separator, with any unnamed bits as a trailing hex number. Zero appends
// "0".
func (f *FlagSet) AppendNames(b []byte, v uint64) []byte {
	if v == 0 {
		return append(b, '0')
	}
	sep := f.Sep
	if sep == "" {
		sep = ","
	}
	first := true
	var rest uint64
	for i := 0; i < 64; i++ {
		bit := uint64(1) << i
		if v&bit == 0 {
			continue
		}
		if i >= len(f.Bits) || f.Bits[i] == "" {
			rest |= bit
			continue
		}
		if !first {
			b = append(b, sep...)
		}
		first = false
		b = append(b, f.Bits[i]...)
	}
	if rest != 0 {
		if !first {
			b = append(b, sep...)
		}
		b = append(b, "0x"...)
		b = strconv.AppendUint(b, rest, 16)
	}
	return b
}

// Attr describes one attribute of an AttrSet, or one member of a Struct.
type Attr struct {
	// Name is the kernel's name (IFLA_MTU, or a struct member's C name).
	Name string
	Type Type
	Sem  Sem
	// Enum names the values when Sem is EnumValue; Flags names the bits
	// when Sem is FlagBits.
	Enum  *Enum
	Flags *FlagSet
	// Nest is the set of a Nest attribute, or of each NestArray element.
	Nest *AttrSet
	// Select, when set, chooses the set of a Nest attribute from its
	// context: IFLA_INFO_DATA by the sibling IFLA_INFO_KIND, TCA_OPTIONS by
	// the sibling TCA_KIND, RTA_ENCAP by the sibling RTA_ENCAP_TYPE. A nil
	// result falls back to Nest; if both are nil the payload is shown as
	// binary (an unknown kind is not an error).
	Select func(Scope) *AttrSet
	// Struct is the layout of a Struct or StructArray value.
	Struct *Layout
	// Elem names the elements of a NestArray or StructArray.
	Elem string
	// Item, when set, is what each element of a NestArray holds instead
	// of a run of Nest: a scalar (an indexed array of u32), or another
	// NestArray for a second index level (nlctrl's policy dump, indexed
	// by policy and then by attribute).
	Item *Attr
	// Custom decodes a Custom attribute's payload into fields.
	Custom func(b *Builder, payload []byte, off int)

	// HostOrder says the integer is in the sender's byte order even in a
	// BigEndian set: a few nfnetlink attributes are (nf_tables'
	// NFTA_CT_EXPECT_TIMEOUT is put with nla_put_u32).
	HostOrder bool

	// Off and Len place a struct member within its Struct. Len is needed
	// only for Binary, String, Addr and HWAddr members; integer members
	// take their size from Type.
	Off, Len int
	// Bits, when non-zero, makes an unsigned integer member a C bitfield:
	// its value is the Bits bits from bit Shift (0 is the least
	// significant) of the integer that Type reads at Off. Several members
	// may share one Off (tcp_info's wscale byte holds two nibbles).
	Bits, Shift uint8
}

// AttrSet is a set of attributes that may appear together in one run.
type AttrSet struct {
	// Name is the set's prefix ("IFLA", "IFLA_VXLAN"), used for unknown
	// attributes ("IFLA_VXLAN type 99").
	Name string
	// Attrs is indexed by attribute type (without NLA_F_* flags).
	Attrs []Attr
	// BigEndian says integers in this set are in network order whether or
	// not NLA_F_NET_BYTEORDER is set (nfnetlink).
	BigEndian bool
}

// Lookup returns the attribute of type t, or nil when the set does not name
// it.
func (s *AttrSet) Lookup(t uint16) *Attr {
	if s == nil || int(t) >= len(s.Attrs) || s.Attrs[t].Name == "" {
		return nil
	}
	return &s.Attrs[t]
}

// Layout describes a fixed C struct: a family's message header (ifinfomsg)
// or a struct-valued attribute (ifa_cacheinfo).
type Layout struct {
	Name string // the C name, e.g. "ifinfomsg"
	// Size is the struct's size in bytes. Attributes after a message
	// header start at the aligned Size.
	Size    int
	Members []Attr // with Off (and Len where the type needs it) set
	// Tail, when set, says the struct is an array indexed by an enum that
	// newer kernels extend (ipv6 devconf, the SNMP counters): bytes beyond
	// Size are more elements of Tail's type, named Tail.Name plus their
	// index (DEVCONF_61) instead of being shown as trailing bytes.
	Tail *Attr
	// TailBase is the enum value of the array's element 0: IPV4_DEVCONF_*
	// start at 1, DEVCONF_* and the SNMP counters at 0.
	TailBase int
	// Older are the layouts of older kernels whose arrays the kernel has
	// since reordered: a value whose length is an older layout's Size is
	// decoded with that layout (IPSTATS_MIB of Linux 6.1).
	Older []*Layout
}

// Op is the kind of a message type, which decides how the high byte of
// nlmsg_flags is named.
type Op uint8

const (
	OpOther Op = iota // notifications and replies with no request kind
	OpNew             // REPLACE, EXCL, CREATE, APPEND
	OpDel             // NONREC, BULK
	OpGet             // ROOT, MATCH, ATOMIC (ROOT|MATCH is DUMP)
	OpSet             // named like NEW (RTM_SETLINK)
)

// MessageType describes one message type of a family.
type MessageType struct {
	Name string // RTM_NEWLINK
	Op   Op
	// Header is the fixed header after nlmsghdr, or nil. A request may
	// carry a shorter header than Size (a one-byte rtgenmsg in a dump
	// request); the members that fit are decoded.
	Header *Layout
	// Attrs is the attribute run after the aligned header, or nil when
	// the message carries none.
	Attrs *AttrSet
	// Body, when set, decodes what follows the fixed header instead of
	// Attrs, for messages whose header is followed by more than an
	// attribute run (nduseroptmsg: ICMPv6 options, then attributes). It
	// gets the whole payload, header included, so it can read header
	// members, and the payload's absolute offset.
	Body func(b *Builder, payload []byte, off int)
	// LinkName, when non-zero, is the attribute that names the interface
	// whose index is the header's Ifindex member: the decoder learns
	// ifindex → name from such messages (IFLA_IFNAME in RTM_NEWLINK).
	LinkName uint16
}

// Family is the decoder of one netlink protocol, registered with a
// Registry.
type Family struct {
	Protocol int    // unix.NETLINK_ROUTE, ...
	Name     string // as the output shows it: "route", "generic"
	// Types is indexed by message type.
	Types []MessageType
	// Lookup, when set, is asked first and may return nil to fall back to
	// Types. Generic netlink uses it to resolve ids learned by the stream.
	Lookup func(st *State, h client.Header, payload []byte) *MessageType
	// Raw, when set, says the protocol's records are not nlmsghdr-framed
	// (NETLINK_KOBJECT_UEVENT carries text): it decodes the whole record
	// as one message and returns that message's name. The message has no
	// netlink header; its Header is the zero value.
	Raw func(b *Builder, data []byte) string
	// DoneIsMessage says the family uses nlmsg_type NLMSG_DONE for its own
	// messages (the connector sends every cn_msg as NLMSG_DONE), so type 3
	// is decoded with Types and Lookup instead of as the end of a dump.
	DoneIsMessage bool
	// ErrnoName, when set, names error codes private to the family
	// (ipset's IPSET_ERR_* from 4096 up) given the request the error
	// answers (its header and payload, which may be empty when the reply
	// was capped and the request was not seen). It returns "" for codes
	// that are the system's errnos. errno is positive.
	ErrnoName func(st *State, req client.Header, payload []byte, errno int32) (name, text string)
	// Batch, when set, says which message types begin and end a batch
	// (nfnetlink's NFNL_MSG_BATCH_BEGIN/END): the messages between them in
	// one record are numbered (Message.Batch, Message.BatchLen).
	Batch func(h client.Header) BatchMark
	// Names lists the message type names Lookup can return, so that a
	// filter can tell a type glob that matches nothing nltrace knows
	// (a typo) from one that matches types not yet seen. A family whose
	// Lookup returns types that Types does not hold must set it; the
	// names in Types are listed without it.
	Names func() []string
}

// TypeNames returns the names of every message type f knows.
func (f *Family) TypeNames() []string {
	var out []string
	for i := range f.Types {
		if f.Types[i].Name != "" {
			out = append(out, f.Types[i].Name)
		}
	}
	if f.Names != nil {
		out = append(out, f.Names()...)
	}
	return out
}

// BatchMark says whether a message begins or ends a batch.
type BatchMark uint8

const (
	NotBatch   BatchMark = iota // an ordinary message
	BatchBegin                  // opens a batch
	BatchEnd                    // closes the batch
)

// MessageType returns the description of message type t, or nil.
func (f *Family) MessageType(st *State, h client.Header, payload []byte) *MessageType {
	if f.Lookup != nil {
		if mt := f.Lookup(st, h, payload); mt != nil {
			return mt
		}
	}
	if int(h.Type) < len(f.Types) && f.Types[h.Type].Name != "" {
		return &f.Types[h.Type]
	}
	return nil
}

// Scope is what an Attr.Select hook may look at to choose a nested set.
type Scope struct {
	run      []byte // the attribute run holding the attribute being decoded
	family   uint8
	msgType  uint16
	hasFamly bool
}

// Sibling returns the payload of the first attribute of type t in the same
// run as the attribute being decoded, wherever it sits in the run (the
// kernel puts RTA_ENCAP_TYPE after RTA_ENCAP).
func (s Scope) Sibling(t uint16) ([]byte, bool) {
	var d client.AttributeDecoder
	d.Reset(s.run, 0)
	for d.Next() {
		if d.Type() == t {
			return d.Bytes(), true
		}
	}
	return nil, false
}

// SiblingText returns a sibling's payload without its trailing NUL. Compare
// it as string(b) == "vxlan" or index a map with string(b): neither
// allocates.
func (s Scope) SiblingText(t uint16) []byte {
	b, _ := s.Sibling(t)
	for i, c := range b {
		if c == 0 {
			return b[:i]
		}
	}
	return b
}

// Family returns the first byte of the message's fixed header, which is the
// address family in every rtnetlink header, and whether there was one.
func (s Scope) Family() (uint8, bool) { return s.family, s.hasFamly }

// MessageType returns the nlmsg_type of the message being decoded.
func (s Scope) MessageType() uint16 { return s.msgType }
