package ynl

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is a spec that cannot be loaded: the file, the line (0 when the
// YAML parser did not say) and the field at fault.
type Error struct {
	File  string
	Line  int
	Field string
	Err   error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Protocols a spec may declare.
const (
	Genetlink       = "genetlink"
	GenetlinkC      = "genetlink-c"
	GenetlinkLegacy = "genetlink-legacy"
	NetlinkRaw      = "netlink-raw"
)

// Family is one resolved spec.
type Family struct {
	File     string
	Name     string // "ethtool"
	Protocol string // genetlink unless the spec says otherwise
	// Header is the uapi header the spec describes ("linux/ethtool_netlink_generated.h").
	Header  string
	Version int
	// Directional says request and reply commands are numbered apart
	// (ethtool, nlctrl): the same number means different commands in the
	// two directions.
	Directional bool
	Consts      map[string]int64
	Enums       []*Enum
	Structs     []*Struct
	Sets        []*AttrSet
	Ops         []*Op
	SubMessages []*SubMessage
	// FixedHeader is the struct that follows genlmsghdr in every message
	// (ovs_header), or nil.
	FixedHeader *Struct

	enums   map[string]*Enum
	structs map[string]*Struct
	sets    map[string]*AttrSet
	subs    map[string]*SubMessage
}

// Enum is an enum or flags definition.
type Enum struct {
	Name  string // the spec's name
	Flags bool
	// Header says the enum is defined in another uapi header; its
	// entries' names still follow the spec's prefix.
	Header  string
	Entries []EnumEntry
}

// EnumEntry is one value of an Enum. For flags, Value is the bit's value
// (1<<position), as the C header defines it.
type EnumEntry struct {
	Name  string // spec name ("compact-bitsets")
	CName string // ETHTOOL_FLAG_COMPACT_BITSETS
	Value uint64
}

// Struct is a fixed C struct: a fixed message header or a binary
// attribute's layout.
type Struct struct {
	Name    string // spec name
	CName   string // C name ("ovs_header")
	Size    int
	Members []Member
}

// Member is one member of a Struct, placed at Off.
type Member struct {
	Name        string // C name ("dp_ifindex")
	Type        string // u8 ... s64, binary, string, pad
	Off, Len    int
	BigEndian   bool
	DisplayHint string
	Enum        string
	EnumAsFlags bool
	Struct      string
}

// AttrSet is an attribute set; a subset shares its parent's attributes and
// numbers and lists only some of them.
type AttrSet struct {
	Name     string
	Prefix   string // C prefix of its attributes ("ETHTOOL_A_LINKINFO_")
	SubsetOf string
	Attrs    []*Attr
	byName   map[string]*Attr
}

// Lookup returns the attribute called name (the spec's name).
func (s *AttrSet) Lookup(name string) *Attr { return s.byName[name] }

// Attr is one attribute with its number and uapi name.
type Attr struct {
	Name        string // spec name ("dev-index")
	CName       string // ETHTOOL_A_HEADER_DEV_INDEX
	Value       int
	Type        string // the spec's type: u32, nest, indexed-array, ...
	SubType     string // for indexed-array and arrays
	Nested      string // nested-attributes
	MultiAttr   bool
	BigEndian   bool
	DisplayHint string
	Enum        string
	EnumAsFlags bool
	Struct      string
	SubMessage  string
	Selector    string
	TypeValue   []string
	Line        int
}

// Op is one operation (command), with the numbers it has as a request and
// as a message from the kernel.
type Op struct {
	Name string // spec name ("linkinfo-get")
	// CName is the request's uapi name; ReplyCName the name of what the
	// kernel sends for it (a reply, notification or event).
	CName, ReplyCName string
	// Req and Rsp are the command numbers; -1 when the operation has no
	// message in that direction.
	Req, Rsp     int
	AttrSet      string
	HasDo        bool
	HasDump      bool
	Notify       bool // a notification (notify: or event:)
	FixedHeader  string
	Line         int
	RequestAttrs []string
	ReplyAttrs   []string
}

// SubMessage chooses the attributes of a nest by the value of a sibling
// (the selector).
type SubMessage struct {
	Name    string
	Formats []SubFormat
}

// SubFormat is one choice of a SubMessage.
type SubFormat struct {
	Value       string
	FixedHeader string
	AttrSet     string
}

// Enum returns the enum called name, or nil.
func (f *Family) Enum(name string) *Enum { return f.enums[name] }

// Struct returns the struct called name, or nil.
func (f *Family) Struct(name string) *Struct { return f.structs[name] }

// Set returns the attribute set called name, or nil.
func (f *Family) Set(name string) *AttrSet { return f.sets[name] }

// SubMessageByName returns the sub-message called name, or nil.
func (f *Family) SubMessageByName(name string) *SubMessage { return f.subs[name] }

// CUpper turns a spec name into a C constant's spelling, as YNL does.
func CUpper(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "-", "_")) }

// CLower turns a spec name into a C identifier's spelling.
func CLower(s string) string { return strings.ToLower(strings.ReplaceAll(s, "-", "_")) }

// Parse loads the spec in data; file names it in errors.
func Parse(file string, data []byte) (*Family, error) {
	var raw rawSpec
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return nil, yamlError(file, err)
	}
	r := resolver{file: file, raw: &raw}
	f, err := r.resolve()
	if err != nil {
		return nil, err
	}
	return f, nil
}

// yamlError turns the YAML parser's error into an *Error with its line.
func yamlError(file string, err error) error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.IndexByte(rest, ':'); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				line = n
				msg = strings.TrimSpace(rest[i+1:])
			}
		}
	}
	return &Error{File: file, Line: line, Err: errors.New(msg)}
}

type resolver struct {
	file string
	raw  *rawSpec
	f    *Family
	// busy and done guard struct layouts that contain other structs.
	busy, done map[*Struct]bool
}

func (r *resolver) errf(line int, field, format string, args ...any) error {
	return &Error{File: r.file, Line: line, Field: field, Err: fmt.Errorf(format, args...)}
}

var scalarSizes = map[string]int{
	"u8": 1, "u16": 2, "u32": 4, "u64": 8,
	"s8": 1, "s16": 2, "s32": 4, "s64": 8,
}

var attrTypes = map[string]bool{
	"unused": true, "pad": true, "flag": true, "binary": true, "bitfield32": true,
	"u8": true, "u16": true, "u32": true, "u64": true, "s8": true, "s16": true, "s32": true, "s64": true,
	"uint": true, "sint": true, "string": true, "nest": true, "indexed-array": true,
	"nest-type-value": true, "sub-message": true, "array-nest": true,
}

func (r *resolver) resolve() (*Family, error) {
	raw := r.raw
	if raw.Name == "" {
		return nil, r.errf(1, "name", "missing")
	}
	f := &Family{
		File: r.file, Name: raw.Name, Protocol: raw.Protocol, Version: 1,
		Consts:  map[string]int64{},
		enums:   map[string]*Enum{},
		structs: map[string]*Struct{},
		sets:    map[string]*AttrSet{},
		subs:    map[string]*SubMessage{},
	}
	r.f = f
	if f.Protocol == "" {
		f.Protocol = Genetlink
	}
	switch f.Protocol {
	case Genetlink, GenetlinkC, GenetlinkLegacy, NetlinkRaw:
	default:
		return nil, r.errf(0, "protocol", "unknown protocol %q", f.Protocol)
	}
	if raw.Version != nil {
		f.Version = *raw.Version
	}
	ident := CLower(raw.Name)
	f.Header = raw.UAPIHeader
	if f.Header == "" {
		f.Header = "linux/" + ident + ".h"
	}
	for i := range raw.Definitions {
		if err := r.definition(&raw.Definitions[i], ident); err != nil {
			return nil, err
		}
	}
	for i := range raw.Definitions {
		d := &raw.Definitions[i]
		if d.Type == "struct" {
			if err := r.structDef(d); err != nil {
				return nil, err
			}
		}
	}
	for i := range raw.AttributeSets {
		if err := r.attrSet(&raw.AttributeSets[i], ident); err != nil {
			return nil, err
		}
	}
	for i := range raw.AttributeSets {
		if err := r.checkSet(&raw.AttributeSets[i]); err != nil {
			return nil, err
		}
	}
	for i := range raw.SubMessages {
		sm := &raw.SubMessages[i]
		if sm.Name == "" {
			return nil, r.errf(sm.Line, "sub-messages.name", "missing")
		}
		s := &SubMessage{Name: sm.Name}
		for _, fm := range sm.Formats {
			if fm.AttributeSet != "" && f.sets[fm.AttributeSet] == nil {
				return nil, r.errf(fm.Line, "attribute-set", "sub-message %q format %q: no attribute set %q", sm.Name, fm.Value, fm.AttributeSet)
			}
			if fm.FixedHeader != "" && f.structs[fm.FixedHeader] == nil {
				return nil, r.errf(fm.Line, "fixed-header", "sub-message %q format %q: no struct %q", sm.Name, fm.Value, fm.FixedHeader)
			}
			s.Formats = append(s.Formats, SubFormat{Value: fm.Value, FixedHeader: fm.FixedHeader, AttrSet: fm.AttributeSet})
		}
		f.SubMessages = append(f.SubMessages, s)
		f.subs[s.Name] = s
	}
	for _, set := range f.Sets {
		for _, a := range set.Attrs {
			if a.SubMessage != "" && f.subs[a.SubMessage] == nil {
				return nil, r.errf(a.Line, "sub-message", "attribute %q: no sub-message %q", a.Name, a.SubMessage)
			}
		}
	}
	if err := r.operations(ident); err != nil {
		return nil, err
	}
	return f, nil
}

func (r *resolver) definition(d *rawDefinition, ident string) error {
	f := r.f
	if d.Name == "" {
		return r.errf(d.Line, "definitions.name", "missing")
	}
	switch d.Type {
	case "const":
		if d.Value == nil {
			return r.errf(d.Line, "value", "const %q has no value", d.Name)
		}
		// A const may be text (a multicast group's name); only numbers
		// can serve as lengths.
		if d.Value.IsN {
			f.Consts[d.Name] = d.Value.Num
		} else if c, ok := f.Consts[d.Value.Name]; ok {
			f.Consts[d.Name] = c
		}
	case "enum", "flags":
		if f.enums[d.Name] != nil {
			return r.errf(d.Line, "name", "enum %q defined twice", d.Name)
		}
		prefix := ident + "-" + d.Name + "-"
		if d.NamePrefix != nil {
			prefix = *d.NamePrefix
		}
		e := &Enum{Name: d.Name, Flags: d.Type == "flags", Header: d.Header}
		var next int64
		if d.ValueStart != nil {
			next = *d.ValueStart
		}
		for _, en := range d.Entries {
			if en.Name == "" {
				return r.errf(en.Line, "entries.name", "enum %q: entry without a name", d.Name)
			}
			v := next
			if en.Value != nil {
				v = *en.Value
			}
			next = v + 1
			uv := uint64(v)
			if e.Flags {
				if v < 0 || v > 63 {
					return r.errf(en.Line, "entries.value", "flags %q: bit %d out of range", d.Name, v)
				}
				uv = 1 << uint(v)
			}
			e.Entries = append(e.Entries, EnumEntry{Name: en.Name, CName: CUpper(prefix + en.Name), Value: uv})
		}
		f.Enums = append(f.Enums, e)
		f.enums[d.Name] = e
	case "struct":
		if f.structs[d.Name] != nil {
			return r.errf(d.Line, "name", "struct %q defined twice", d.Name)
		}
		// Placeholder so members may refer to structs defined later.
		s := &Struct{Name: d.Name, CName: CLower(d.Name)}
		f.structs[d.Name] = s
		f.Structs = append(f.Structs, s)
	default:
		return r.errf(d.Line, "type", "definition %q: unknown type %q", d.Name, d.Type)
	}
	return nil
}

func (r *resolver) length(v *intOrName, field string) (int, error) {
	if v.IsN {
		if v.Num < 0 || v.Num > 1<<16 {
			return 0, r.errf(v.Line, field, "length %d out of range", v.Num)
		}
		return int(v.Num), nil
	}
	c, ok := r.f.Consts[v.Name]
	if !ok || c < 0 || c > 1<<16 {
		return 0, r.errf(v.Line, field, "%q is not a number or a known constant", v.Name)
	}
	return int(c), nil
}

func (r *resolver) structDef(d *rawDefinition) error {
	f := r.f
	s := f.structs[d.Name]
	if r.done[s] {
		return nil
	}
	if r.busy[s] {
		return r.errf(d.Line, "struct", "struct %q contains itself", d.Name)
	}
	if r.busy == nil {
		r.busy, r.done = map[*Struct]bool{}, map[*Struct]bool{}
	}
	r.busy[s] = true
	defer func() { r.busy[s] = false; r.done[s] = true }()
	off := 0
	for _, m := range d.Members {
		if m.Name == "" {
			return r.errf(m.Line, "members.name", "struct %q: member without a name", d.Name)
		}
		mem := Member{Name: CLower(m.Name), Type: m.Type, Off: off, BigEndian: m.ByteOrder == "big-endian",
			DisplayHint: m.DisplayHint, Enum: m.Enum, EnumAsFlags: m.EnumAsFlags, Struct: m.Struct}
		if m.Enum != "" && f.enums[m.Enum] == nil {
			return r.errf(m.Line, "enum", "struct %q member %q: no enum %q", d.Name, m.Name, m.Enum)
		}
		switch {
		case scalarSizes[m.Type] > 0:
			mem.Len = scalarSizes[m.Type]
		case m.Type == "binary" || m.Type == "string" || m.Type == "pad":
			if m.Struct != "" {
				sub := f.structs[m.Struct]
				if sub == nil {
					return r.errf(m.Line, "struct", "struct %q member %q: no struct %q", d.Name, m.Name, m.Struct)
				}
				if err := r.structDef(r.rawStruct(m.Struct)); err != nil {
					return err
				}
				mem.Len = sub.Size
				break
			}
			if m.Len == nil {
				return r.errf(m.Line, "len", "struct %q member %q: %s without len", d.Name, m.Name, m.Type)
			}
			n, err := r.length(m.Len, "len")
			if err != nil {
				return err
			}
			mem.Len = n
		default:
			return r.errf(m.Line, "type", "struct %q member %q: unknown type %q", d.Name, m.Name, m.Type)
		}
		off += mem.Len
		s.Members = append(s.Members, mem)
	}
	s.Size = off
	return nil
}

func (r *resolver) rawStruct(name string) *rawDefinition {
	for i := range r.raw.Definitions {
		if d := &r.raw.Definitions[i]; d.Name == name && d.Type == "struct" {
			return d
		}
	}
	return nil
}

func (r *resolver) attrSet(rs *rawAttrSet, ident string) error {
	f := r.f
	if rs.Name == "" {
		return r.errf(rs.Line, "attribute-sets.name", "missing")
	}
	if f.sets[rs.Name] != nil {
		return r.errf(rs.Line, "name", "attribute set %q defined twice", rs.Name)
	}
	set := &AttrSet{Name: rs.Name, SubsetOf: rs.SubsetOf, byName: map[string]*Attr{}}
	if rs.SubsetOf != "" {
		parent := f.sets[rs.SubsetOf]
		if parent == nil {
			return r.errf(rs.Line, "subset-of", "attribute set %q: no set %q (a subset must follow its parent)", rs.Name, rs.SubsetOf)
		}
		set.Prefix = parent.Prefix
		for _, ra := range rs.Attributes {
			pa := parent.byName[ra.Name]
			if pa == nil {
				return r.errf(ra.Line, "name", "subset %q: %q is not in %q", rs.Name, ra.Name, rs.SubsetOf)
			}
			a := *pa
			set.Attrs = append(set.Attrs, &a)
			set.byName[a.Name] = &a
		}
		f.Sets = append(f.Sets, set)
		f.sets[set.Name] = set
		return nil
	}
	switch {
	case rs.NamePrefix != nil:
		set.Prefix = *rs.NamePrefix
	case rs.Name == r.raw.Name:
		set.Prefix = ident + "-a-"
	default:
		set.Prefix = ident + "-a-" + rs.Name + "-"
	}
	set.Prefix = CUpper(set.Prefix)
	// Attributes are numbered from 1; 0 is the unused unspec, which
	// specs that name it list with an explicit value.
	val := int64(1)
	for _, ra := range rs.Attributes {
		if ra.Name == "" {
			return r.errf(ra.Line, "attributes.name", "set %q: attribute without a name", rs.Name)
		}
		if !attrTypes[ra.Type] {
			return r.errf(ra.Line, "type", "set %q attribute %q: unknown type %q", rs.Name, ra.Name, ra.Type)
		}
		if ra.Value != nil {
			val = *ra.Value
		}
		if val < 0 || val > 0x3fff {
			return r.errf(ra.Line, "value", "set %q attribute %q: value %d out of range", rs.Name, ra.Name, val)
		}
		if old := set.byName[ra.Name]; old != nil {
			// ethtool's strings set lists unspec twice, identically.
			if old.Type == ra.Type && int64(old.Value) == val {
				val++
				continue
			}
			return r.errf(ra.Line, "name", "set %q: attribute %q defined twice", rs.Name, ra.Name)
		}
		cname := set.Prefix + CUpper(ra.Name)
		if ra.NamePrefix != nil {
			cname = CUpper(*ra.NamePrefix + ra.Name)
		}
		a := &Attr{Name: ra.Name, CName: cname, Value: int(val), Type: ra.Type, SubType: ra.SubType,
			Nested: ra.NestedAttributes, MultiAttr: ra.MultiAttr, BigEndian: ra.ByteOrder == "big-endian",
			DisplayHint: ra.DisplayHint, Enum: ra.Enum, EnumAsFlags: ra.EnumAsFlags, Struct: ra.Struct,
			SubMessage: ra.SubMessage, Selector: ra.Selector, TypeValue: ra.TypeValue, Line: ra.Line}
		set.Attrs = append(set.Attrs, a)
		set.byName[a.Name] = a
		val++
	}
	f.Sets = append(f.Sets, set)
	f.sets[set.Name] = set
	return nil
}

// checkSet checks the references of a set once every set is known, since a
// nest may name a set defined after it.
func (r *resolver) checkSet(rs *rawAttrSet) error {
	f := r.f
	set := f.sets[rs.Name]
	for _, a := range set.Attrs {
		if a.Nested != "" && f.sets[a.Nested] == nil {
			return r.errf(a.Line, "nested-attributes", "attribute %q: no attribute set %q", a.Name, a.Nested)
		}
		if a.Enum != "" && f.enums[a.Enum] == nil {
			return r.errf(a.Line, "enum", "attribute %q: no enum %q", a.Name, a.Enum)
		}
		if a.Struct != "" && f.structs[a.Struct] == nil {
			return r.errf(a.Line, "struct", "attribute %q: no struct %q", a.Name, a.Struct)
		}
		switch a.Type {
		case "nest", "nest-type-value":
			if a.Nested == "" && set.SubsetOf == "" {
				return r.errf(a.Line, "nested-attributes", "attribute %q: %s without nested-attributes", a.Name, a.Type)
			}
		case "indexed-array":
			if a.SubType == "" {
				return r.errf(a.Line, "sub-type", "attribute %q: indexed-array without sub-type", a.Name)
			}
			if a.SubType == "nest" && a.Nested == "" {
				return r.errf(a.Line, "nested-attributes", "attribute %q: indexed-array of nests without nested-attributes", a.Name)
			}
		case "sub-message":
			if a.SubMessage == "" || a.Selector == "" {
				return r.errf(a.Line, "sub-message", "attribute %q: sub-message needs sub-message and selector", a.Name)
			}
		}
	}
	return nil
}

func (r *resolver) operations(ident string) error {
	f := r.f
	ops := &r.raw.Operations
	prefix := ident + "-cmd-"
	if ops.NamePrefix != nil {
		prefix = *ops.NamePrefix
	}
	asyncPrefix := prefix
	if ops.AsyncPrefix != nil {
		asyncPrefix = *ops.AsyncPrefix
	}
	if ops.FixedHeader != "" {
		f.FixedHeader = f.structs[ops.FixedHeader]
		if f.FixedHeader == nil {
			return r.errf(ops.Line, "fixed-header", "no struct %q", ops.FixedHeader)
		}
	}
	switch ops.EnumModel {
	case "", "unified":
	case "directional":
		f.Directional = true
	default:
		return r.errf(ops.Line, "enum-model", "unknown enum-model %q", ops.EnumModel)
	}
	// genetlink commands are one byte; netlink-raw message types two.
	maxOp := int64(255)
	if f.Protocol == NetlinkRaw {
		maxOp = 0xffff
	}
	byName := map[string]*Op{}
	notifies := map[*Op]*rawOp{}
	req, rsp := int64(1), int64(1)
	val := int64(1)
	for i := range ops.List {
		ro := &ops.List[i]
		if ro.Name == "" {
			return r.errf(ro.Line, "operations.name", "operation without a name")
		}
		notify := ro.Notify != "" || ro.Event != nil
		op := &Op{Name: ro.Name, AttrSet: ro.AttributeSet, HasDo: ro.Do != nil, HasDump: ro.Dump != nil,
			Notify: notify, FixedHeader: ro.FixedHeader, Line: ro.Line, Req: -1, Rsp: -1}
		if op.FixedHeader != "" && f.structs[op.FixedHeader] == nil {
			return r.errf(ro.Line, "fixed-header", "operation %q: no struct %q", ro.Name, ro.FixedHeader)
		}
		if notify {
			op.CName = CUpper(asyncPrefix + ro.Name)
		} else {
			op.CName = CUpper(prefix + ro.Name)
		}
		op.ReplyCName = op.CName
		if ro.Notify != "" {
			notifies[op] = ro
		}
		if ro.Event != nil {
			op.ReplyAttrs = ro.Event.Attributes
		}
		for _, m := range []*rawOpMode{ro.Do, ro.Dump} {
			if m == nil {
				continue
			}
			if m.Request != nil && op.RequestAttrs == nil {
				op.RequestAttrs = m.Request.Attributes
			}
			if m.Reply != nil && op.ReplyAttrs == nil {
				op.ReplyAttrs = m.Reply.Attributes
			}
		}
		if op.AttrSet != "" && f.sets[op.AttrSet] == nil {
			return r.errf(ro.Line, "attribute-set", "operation %q: no attribute set %q", ro.Name, op.AttrSet)
		}
		if !f.Directional {
			if ro.Value != nil {
				val = *ro.Value
			}
			if val < 0 || val > maxOp {
				return r.errf(ro.Line, "value", "operation %q: value %d out of range", ro.Name, val)
			}
			if ro.Do != nil || ro.Dump != nil {
				op.Req = int(val)
			}
			op.Rsp = int(val)
			val++
		} else {
			switch {
			case notify:
				if ro.Value != nil {
					rsp = *ro.Value
				}
				op.Rsp = int(rsp)
				rsp++
			case ro.Do != nil || ro.Dump != nil:
				m := ro.Do
				if m == nil {
					m = ro.Dump
				}
				if m.Request != nil && m.Request.Value != nil {
					req = *m.Request.Value
				}
				if m.Reply != nil && m.Reply.Value != nil {
					rsp = *m.Reply.Value
				}
				op.Req = int(req)
				req++
				if m.Reply != nil {
					op.Rsp = int(rsp)
					rsp++
					op.ReplyCName = op.CName + "_REPLY"
				}
			default:
				return r.errf(ro.Line, "operations", "operation %q: directional operations need do, dump, notify or event", ro.Name)
			}
			if int64(op.Req) > maxOp || int64(op.Rsp) > maxOp || op.Req < -1 || op.Rsp < -1 {
				return r.errf(ro.Line, "value", "operation %q: value out of range", ro.Name)
			}
		}
		if excluded(ops.Exclude, ro.Name) {
			continue
		}
		f.Ops = append(f.Ops, op)
		byName[op.Name] = op
	}
	// A notification takes its attributes from the operation it names,
	// which may come later in the list.
	for _, op := range f.Ops {
		ro := notifies[op]
		if ro == nil {
			continue
		}
		parent := byName[ro.Notify]
		if parent == nil {
			return r.errf(ro.Line, "notify", "operation %q: no operation %q", ro.Name, ro.Notify)
		}
		if op.AttrSet == "" {
			op.AttrSet = parent.AttrSet
		}
		op.ReplyAttrs = parent.ReplyAttrs
	}
	return nil
}

func excluded(list []string, name string) bool {
	for _, x := range list {
		if x == name {
			return true
		}
	}
	return false
}
