package genl

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/genl/ynl"
)

// hook records how an Attr.Select was made, so the Go generator can write
// the same call.
type hook struct {
	sel  uint16
	text map[string]*decode.AttrSet
	num  map[uint64]*decode.AttrSet
	// custom names the Custom decoder an overlay chose (customDecoder).
	custom string
}

// builder turns one loaded spec into decoder tables. The same tables are
// what --spec decodes with at run time and what go generate writes out as
// Go source for the built-in families.
type builder struct {
	f        *ynl.Family
	ov       overlay
	sets     map[string]*decode.AttrSet
	enums    map[string]*decode.Enum
	flagSets map[string]*decode.FlagSet
	layouts  map[string]*decode.Layout
	hooks    map[*decode.Attr]*hook
}

// Build turns a loaded generic-netlink spec into a Def, with the semantic
// overlays (interface indexes, secrets, names the kernel uses that the spec
// lacks) of a built-in family of the same name.
func Build(f *ynl.Family) (*Def, error) {
	b, err := build(f)
	if err != nil {
		return nil, err
	}
	return b.def, nil
}

type built struct {
	def   *Def
	hooks map[*decode.Attr]*hook
}

func build(f *ynl.Family) (*built, error) {
	if f.Protocol == ynl.NetlinkRaw {
		return nil, &ynl.Error{File: f.File, Field: "protocol", Err: fmt.Errorf("%s is a netlink-raw spec; only generic-netlink specs can be loaded", f.Name)}
	}
	b := &builder{f: f, ov: overlayFor(f.Name),
		sets: map[string]*decode.AttrSet{}, enums: map[string]*decode.Enum{},
		flagSets: map[string]*decode.FlagSet{}, layouts: map[string]*decode.Layout{},
		hooks: map[*decode.Attr]*hook{}}
	def := &Def{Name: f.Name, Version: f.Version}
	if b.ov.name != "" {
		def.Name = b.ov.name
	}
	var fixed *decode.Layout
	if f.FixedHeader != nil {
		fixed = b.layout(f.FixedHeader.Name)
	}
	reqNames := &decode.Enum{Name: ynl.CUpper(f.Name) + " request commands"}
	rspNames := &decode.Enum{Name: ynl.CUpper(f.Name) + " kernel commands"}
	reqHdr := genlHeader(reqNames, fixed)
	rspHdr := genlHeader(rspNames, fixed)
	put := func(tbl *[]decode.MessageType, names *decode.Enum, cmd int, mt decode.MessageType) {
		for len(*tbl) <= cmd {
			*tbl = append(*tbl, decode.MessageType{})
		}
		(*tbl)[cmd] = mt
		for len(names.Names) <= cmd {
			names.Names = append(names.Names, "")
		}
		names.Names[cmd] = mt.Name
	}
	for _, op := range f.Ops {
		var attrs *decode.AttrSet
		if op.AttrSet != "" {
			attrs = b.set(op.AttrSet)
		}
		req, rsp := &reqHdr, &rspHdr
		if op.FixedHeader != "" {
			l := b.layout(op.FixedHeader)
			r1, r2 := genlHeader(reqNames, l), genlHeader(rspNames, l)
			req, rsp = &r1, &r2
		}
		if op.Req >= 0 {
			put(&def.Requests, reqNames, op.Req, decode.MessageType{Name: op.CName, Op: opKind(op), Header: req, Attrs: attrs})
		}
		if op.Rsp >= 0 {
			name := op.ReplyCName
			if n := b.ov.replyNames[op.Rsp]; n != "" {
				name = n
			}
			put(&def.Replies, rspNames, op.Rsp, decode.MessageType{Name: name, Header: rsp, Attrs: attrs})
		}
	}
	for _, x := range b.ov.extra {
		var attrs *decode.AttrSet
		if x.set != "" && f.Set(x.set) != nil {
			attrs = b.set(x.set)
		}
		tbl, names, hdr := &def.Replies, rspNames, &rspHdr
		if x.request {
			tbl, names, hdr = &def.Requests, reqNames, &reqHdr
		}
		if x.cmd < len(*tbl) && (*tbl)[x.cmd].Name != "" {
			continue
		}
		put(tbl, names, x.cmd, decode.MessageType{Name: x.name, Op: x.op, Header: hdr, Attrs: attrs})
	}
	def.Unknown[0] = decode.MessageType{Name: def.Name, Header: &reqHdr}
	def.Unknown[1] = decode.MessageType{Name: def.Name, Header: &rspHdr}
	return &built{def: def, hooks: b.hooks}, nil
}

// opKind says how a request's nlmsg_flags are named, from the verb in the
// operation's name, or a dump when it has one.
func opKind(op *ynl.Op) decode.Op {
	words := strings.Split(op.Name, "-")
	for _, w := range words {
		switch w {
		case "get", "dump", "list", "show", "query":
			return decode.OpGet
		case "new", "add", "create", "register":
			return decode.OpNew
		case "set", "change", "update", "modify":
			return decode.OpSet
		case "del", "delete", "remove", "flush", "destroy", "unregister":
			return decode.OpDel
		}
	}
	// Legacy names glue the verb on: getfamily, newflow, set_device.
	w := words[0]
	switch {
	case strings.HasPrefix(w, "get"):
		return decode.OpGet
	case strings.HasPrefix(w, "new"):
		return decode.OpNew
	case strings.HasPrefix(w, "set"):
		return decode.OpSet
	case strings.HasPrefix(w, "del"):
		return decode.OpDel
	}
	if op.HasDump {
		return decode.OpGet
	}
	return decode.OpOther
}

func setName(prefix string) string { return strings.TrimSuffix(prefix, "_") }

// set returns the decoder set for the spec set called name. A subset
// decodes with its parent: the numbers and names are the same, and a
// kernel that sends more than the subset lists is still named.
func (b *builder) set(name string) *decode.AttrSet {
	ys := b.f.Set(name)
	if ys == nil {
		// An attribute of a subset may leave its nested set to the
		// parent's; with none named there either, its payload shows as
		// bytes.
		return nil
	}
	if ys.SubsetOf != "" {
		return b.set(ys.SubsetOf)
	}
	if s := b.sets[name]; s != nil {
		return s
	}
	s := &decode.AttrSet{Name: setName(ys.Prefix)}
	b.sets[name] = s
	value := func(a *ynl.Attr) int {
		if v, ok := b.ov.values[name+"/"+a.Name]; ok {
			return v
		}
		return a.Value
	}
	n := 0
	for _, a := range ys.Attrs {
		n = max(n, value(a)+1)
	}
	extra := b.ov.attrs[name]
	for v := range extra {
		n = max(n, v+1)
	}
	if n > 0 {
		s.Attrs = make([]decode.Attr, n)
	}
	for _, a := range ys.Attrs {
		at, h := b.attr(ys, a)
		v := value(a)
		s.Attrs[v] = at
		if h != nil {
			b.hooks[&s.Attrs[v]] = h
		}
	}
	for v, a := range extra {
		if s.Attrs[v].Name == "" {
			if a.Type == decode.U32 && strings.HasSuffix(a.Name, "_IFINDEX") {
				a.Sem = decode.Ifindex
			}
			s.Attrs[v] = a
		}
	}
	return s
}

var scalarTypes = map[string][2]decode.Type{
	"u8": {decode.U8, decode.U8}, "u16": {decode.U16, decode.BE16}, "u32": {decode.U32, decode.BE32},
	"u64": {decode.U64, decode.BE64}, "s8": {decode.S8, decode.S8}, "s16": {decode.S16, decode.BE16},
	"s32": {decode.S32, decode.BE32}, "s64": {decode.S64, decode.BE64},
	"uint": {decode.Uint, decode.Uint}, "sint": {decode.Sint, decode.Sint},
}

// scalar fills a with an integer's type and how it is shown.
func (b *builder) scalar(a *decode.Attr, typ string, bigEndian bool, hint, enum string, asFlags bool) {
	t := scalarTypes[typ]
	a.Type = t[0]
	if bigEndian {
		a.Type = t[1]
	}
	switch hint {
	case "hex":
		a.Sem = decode.Hex
	case "ipv4", "ipv4-or-v6":
		if typ == "u32" {
			a.Type = decode.Addr
		}
	}
	if enum != "" {
		e := b.f.Enum(enum)
		if e.Flags || asFlags {
			a.Sem = decode.FlagBits
			a.Flags = b.flagSet(e)
		} else {
			a.Sem = decode.EnumValue
			a.Enum = b.enum(e)
		}
	}
}

func (b *builder) enum(e *ynl.Enum) *decode.Enum {
	if de := b.enums[e.Name]; de != nil {
		return de
	}
	de := &decode.Enum{Name: ynl.CUpper(e.Name)}
	top := uint64(0)
	for _, en := range e.Entries {
		top = max(top, en.Value)
	}
	for _, en := range e.Entries {
		if top < 1024 {
			for uint64(len(de.Names)) <= en.Value {
				de.Names = append(de.Names, "")
			}
			de.Names[en.Value] = en.Name
			continue
		}
		if de.Sparse == nil {
			de.Sparse = map[uint64]string{}
		}
		de.Sparse[en.Value] = en.Name
	}
	b.enums[e.Name] = de
	return de
}

// flagSet names bits: a flags definition by its entries' bits, an enum
// used as flags by its values as bit numbers.
func (b *builder) flagSet(e *ynl.Enum) *decode.FlagSet {
	if fs := b.flagSets[e.Name]; fs != nil {
		return fs
	}
	fs := &decode.FlagSet{Name: ynl.CUpper(e.Name)}
	for _, en := range e.Entries {
		bit := en.Value
		if e.Flags {
			if en.Value == 0 || en.Value&(en.Value-1) != 0 {
				continue
			}
			bit = uint64(bits.TrailingZeros64(en.Value))
		}
		if bit >= 64 {
			continue
		}
		for uint64(len(fs.Bits)) <= bit {
			fs.Bits = append(fs.Bits, "")
		}
		fs.Bits[bit] = en.Name
	}
	b.flagSets[e.Name] = fs
	return fs
}

// layout returns the decoder layout of the spec struct called name.
func (b *builder) layout(name string) *decode.Layout {
	if l := b.layouts[name]; l != nil {
		return l
	}
	s := b.f.Struct(name)
	l := &decode.Layout{Name: s.CName, Size: s.Size}
	b.layouts[name] = l
	for _, m := range s.Members {
		if m.Type == "pad" {
			continue
		}
		a := decode.Attr{Name: m.Name, Off: m.Off}
		switch m.Type {
		case "binary":
			a.Len = m.Len
			switch {
			case m.Struct != "":
				a.Type, a.Struct, a.Len = decode.Struct, b.layout(m.Struct), 0
			case m.DisplayHint == "mac":
				a.Type = decode.HWAddr
			case (m.DisplayHint == "ipv4" && m.Len == 4) || (m.DisplayHint == "ipv6" && m.Len == 16):
				a.Type = decode.Addr
			}
		case "string":
			a.Type, a.Len = decode.String, m.Len
		default:
			b.scalar(&a, m.Type, m.BigEndian, m.DisplayHint, m.Enum, m.EnumAsFlags)
			if a.Type == decode.Addr {
				a.Len = 4
			}
		}
		b.ov.apply(&a, s.Name, m.Name)
		l.Members = append(l.Members, a)
	}
	return l
}

// attr returns the decoder attribute for a, and the hook its Select was
// made with, if any.
func (b *builder) attr(set *ynl.AttrSet, a *ynl.Attr) (decode.Attr, *hook) {
	at := decode.Attr{Name: a.CName}
	if h, ok := b.ov.hints[set.Name+"/"+a.Name]; ok {
		c := *a
		c.DisplayHint = h
		a = &c
	}
	var h *hook
	switch a.Type {
	case "unused", "pad":
	case "flag":
		at.Type = decode.Flag
	case "string":
		at.Type = decode.String
	case "binary":
		switch {
		case a.Struct != "":
			at.Type, at.Struct = decode.Struct, b.layout(a.Struct)
		case scalarTypes[a.SubType][0] != 0:
			// An array of integers in one attribute.
			var elem decode.Attr
			b.scalar(&elem, a.SubType, a.BigEndian, a.DisplayHint, a.Enum, a.EnumAsFlags)
			elem.Name = "value"
			l := &decode.Layout{Name: a.CName, Size: memberSize(elem.Type), Members: []decode.Attr{elem}}
			at.Type, at.Struct, at.Elem = decode.StructArray, l, "item"
		case a.DisplayHint == "mac":
			at.Type = decode.HWAddr
		case a.DisplayHint == "ipv4" || a.DisplayHint == "ipv6" || a.DisplayHint == "ipv4-or-v6":
			at.Type = decode.Addr
		}
	case "bitfield32":
		l := &decode.Layout{Name: "nla_bitfield32", Size: 8, Members: []decode.Attr{
			{Name: "value", Type: decode.U32, Sem: decode.Hex, Off: 0},
			{Name: "selector", Type: decode.U32, Sem: decode.Hex, Off: 4},
		}}
		if a.Enum != "" {
			fs := b.flagSet(b.f.Enum(a.Enum))
			for i := range l.Members {
				l.Members[i].Sem, l.Members[i].Flags = decode.FlagBits, fs
			}
		}
		at.Type, at.Struct = decode.Struct, l
	case "nest":
		if a.Nested != "" {
			at.Type, at.Nest = decode.Nest, b.set(a.Nested)
		}
	case "indexed-array", "array-nest":
		at.Type = decode.NestArray
		// Elements are named apart from the array, so that the array
		// itself is not taken for one of them: by their set's prefix
		// (WGPEER_A[0]), or "item" for scalars.
		if a.SubType == "" || a.SubType == "nest" {
			at.Elem = "item"
			if at.Nest = b.set(a.Nested); at.Nest != nil {
				at.Elem = at.Nest.Name
			}
			break
		}
		at.Elem = "item"
		item := &decode.Attr{Name: "item"}
		switch {
		case scalarTypes[a.SubType][0] != 0:
			b.scalar(item, a.SubType, a.BigEndian, a.DisplayHint, a.Enum, a.EnumAsFlags)
		case a.Struct != "":
			item.Type, item.Struct = decode.Struct, b.layout(a.Struct)
		case a.SubType == "string":
			item.Type = decode.String
		}
		b.ov.apply(item, set.Name, a.Name)
		at.Item = item
	case "nest-type-value":
		// Each level is indexed by a value (nlctrl's policy dump: by
		// policy, then by attribute); the last holds the nested set.
		levels := a.TypeValue
		if len(levels) == 0 {
			levels = []string{"index"}
		}
		inner := &decode.Attr{Type: decode.NestArray, Nest: b.set(a.Nested), Elem: ynl.CUpper(levels[len(levels)-1])}
		for i := len(levels) - 2; i >= 0; i-- {
			inner = &decode.Attr{Type: decode.NestArray, Elem: ynl.CUpper(levels[i]), Item: inner}
		}
		at.Type, at.Elem, at.Nest, at.Item = decode.NestArray, inner.Elem, inner.Nest, inner.Item
	case "sub-message":
		at.Type = decode.Nest
		h = b.subMessage(set, a)
		if h != nil {
			if h.text != nil {
				at.Select = selectByText(h.sel, h.text)
			} else {
				at.Select = selectByNumber(h.sel, h.num)
			}
		}
	default:
		b.scalar(&at, a.Type, a.BigEndian, a.DisplayHint, a.Enum, a.EnumAsFlags)
	}
	b.ov.apply(&at, set.Name, a.Name)
	b.overlayEnum(&at, set.Name+"/"+a.Name)
	if name, ok := b.ov.custom[set.Name+"/"+a.Name]; ok {
		at.Type, at.Custom = decode.Custom, customDecoder(name)
		h = &hook{custom: name}
	}
	return at, h
}

// overlayEnum names a's values with an enum the overlay supplies.
func (b *builder) overlayEnum(a *decode.Attr, key string) {
	oe, ok := b.ov.enums[key]
	if !ok {
		return
	}
	if oe.flags {
		fs := &decode.FlagSet{Name: oe.name}
		for bit, n := range oe.names {
			for uint64(len(fs.Bits)) <= bit {
				fs.Bits = append(fs.Bits, "")
			}
			fs.Bits[bit] = n
		}
		a.Sem, a.Flags = decode.FlagBits, fs
		return
	}
	e := &decode.Enum{Name: oe.name, Open: true}
	for v, n := range oe.names {
		for uint64(len(e.Names)) <= v {
			e.Names = append(e.Names, "")
		}
		e.Names[v] = n
	}
	a.Sem, a.Enum = decode.EnumValue, e
}

// subMessage makes the hook that picks a sub-message's set by its selector
// attribute. Formats with a fixed header are left out: their payload is
// shown as bytes rather than decoded from the wrong offset.
func (b *builder) subMessage(set *ynl.AttrSet, a *ynl.Attr) *hook {
	sm := b.f.SubMessageByName(a.SubMessage)
	sel := set.Lookup(a.Selector)
	if sm == nil || sel == nil {
		return nil
	}
	h := &hook{sel: uint16(sel.Value)}
	var entries []ynl.EnumEntry
	if sel.Enum != "" {
		entries = b.f.Enum(sel.Enum).Entries
	}
	for _, fm := range sm.Formats {
		if fm.FixedHeader != "" || fm.AttrSet == "" {
			continue
		}
		s := b.set(fm.AttrSet)
		if sel.Type == "string" {
			if h.text == nil {
				h.text = map[string]*decode.AttrSet{}
			}
			h.text[fm.Value] = s
			continue
		}
		i := slices.IndexFunc(entries, func(e ynl.EnumEntry) bool { return e.Name == fm.Value })
		if i < 0 {
			continue
		}
		if h.num == nil {
			h.num = map[uint64]*decode.AttrSet{}
		}
		h.num[entries[i].Value] = s
	}
	if h.text == nil && h.num == nil {
		return nil
	}
	return h
}

func memberSize(t decode.Type) int {
	switch t {
	case decode.U8, decode.S8:
		return 1
	case decode.U16, decode.S16, decode.BE16:
		return 2
	case decode.U32, decode.S32, decode.BE32:
		return 4
	}
	return 8
}
