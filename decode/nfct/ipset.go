package nfct

import (
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/nfnl"
)

// ipset (linux/netfilter/ipset/ip_set.h). Command-level attributes wrap an
// IPSET_ATTR_DATA nest whose numbering depends on the command: a create
// (and the header of a list) uses the create attributes, add/del/test the
// element (ADT) attributes, which reuse numbers from 17 up for other
// meanings. A list reply carries its elements as IPSET_ATTR_DATA nests
// inside IPSET_ATTR_ADT.

const (
	ipsetCmdProtocol = 1
	ipsetCmdCreate   = 2
	ipsetCmdDestroy  = 3
	ipsetCmdFlush    = 4
	ipsetCmdRename   = 5
	ipsetCmdSwap     = 6
	ipsetCmdList     = 7
	ipsetCmdSave     = 8
	ipsetCmdAdd      = 9
	ipsetCmdDel      = 10
	ipsetCmdTest     = 11
	ipsetCmdHeader   = 12
	ipsetCmdType     = 13
	ipsetCmdByName   = 14
	ipsetCmdByIndex  = 15

	ipsetAttrSetname  = 2
	ipsetAttrTypename = 3
)

var ipsetCmdFlags = decode.FlagSet{Name: "IPSET_FLAG", Bits: []string{
	0: "EXIST", 1: "LIST_SETNAME", 2: "LIST_HEADER", 3: "SKIP_COUNTER_UPDATE",
	4: "SKIP_SUBCOUNTER_UPDATE", 5: "MATCH_COUNTERS", 7: "RETURN_NOMATCH",
	8: "MAP_SKBMARK", 9: "MAP_SKBPRIO", 10: "MAP_SKBQUEUE",
}}

var ipsetCadtFlags = decode.FlagSet{Name: "IPSET_FLAG", Bits: []string{
	"BEFORE", "PHYSDEV", "NOMATCH", "WITH_COUNTERS", "WITH_COMMENT", "WITH_FORCEADD",
	"WITH_SKBINFO", "IFACE_WILDCARD",
}}

// ipaddrAttrs holds one address: IPSET_ATTR_IPADDR_IPV4 or _IPV6.
var ipaddrAttrs = decode.AttrSet{Name: "IPSET_ATTR_IPADDR", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "IPSET_ATTR_IPADDR_IPV4", Type: decode.Addr},
	2: {Name: "IPSET_ATTR_IPADDR_IPV6", Type: decode.Addr},
}}

// cadtAttrs are the attributes 1..16 that create and element data share.
func cadtAttrs(rest ...decode.Attr) []decode.Attr {
	a := make([]decode.Attr, 17, 17+len(rest))
	a[1] = decode.Attr{Name: "IPSET_ATTR_IP", Type: decode.Nest, Nest: &ipaddrAttrs}
	a[2] = decode.Attr{Name: "IPSET_ATTR_IP_TO", Type: decode.Nest, Nest: &ipaddrAttrs}
	a[3] = decode.Attr{Name: "IPSET_ATTR_CIDR", Type: decode.U8}
	a[4] = decode.Attr{Name: "IPSET_ATTR_PORT", Type: decode.BE16}
	a[5] = decode.Attr{Name: "IPSET_ATTR_PORT_TO", Type: decode.BE16}
	a[6] = decode.Attr{Name: "IPSET_ATTR_TIMEOUT", Type: decode.BE32, Sem: decode.Seconds}
	a[7] = decode.Attr{Name: "IPSET_ATTR_PROTO", Type: decode.U8, Sem: decode.EnumValue, Enum: &protoNames}
	a[8] = decode.Attr{Name: "IPSET_ATTR_CADT_FLAGS", Type: decode.BE32, Sem: decode.FlagBits, Flags: &ipsetCadtFlags}
	a[9] = decode.Attr{Name: "IPSET_ATTR_CADT_LINENO", Type: decode.BE32}
	a[10] = decode.Attr{Name: "IPSET_ATTR_MARK", Type: decode.BE32, Sem: decode.Hex}
	a[11] = decode.Attr{Name: "IPSET_ATTR_MARKMASK", Type: decode.BE32, Sem: decode.Hex}
	a[12] = decode.Attr{Name: "IPSET_ATTR_BITMASK", Type: decode.Nest, Nest: &ipaddrAttrs}
	return append(a, rest...)
}

var ipsetCreateData = decode.AttrSet{Name: "IPSET_ATTR", BigEndian: true, Attrs: cadtAttrs(
	decode.Attr{Name: "IPSET_ATTR_INITVAL", Type: decode.BE32, Sem: decode.Hex},
	decode.Attr{Name: "IPSET_ATTR_HASHSIZE", Type: decode.BE32},
	decode.Attr{Name: "IPSET_ATTR_MAXELEM", Type: decode.BE32},
	decode.Attr{Name: "IPSET_ATTR_NETMASK", Type: decode.U8},
	decode.Attr{Name: "IPSET_ATTR_BUCKETSIZE", Type: decode.U8},
	decode.Attr{Name: "IPSET_ATTR_RESIZE", Type: decode.U8},
	decode.Attr{Name: "IPSET_ATTR_SIZE", Type: decode.BE32},
	decode.Attr{Name: "IPSET_ATTR_ELEMENTS", Type: decode.BE32},
	decode.Attr{Name: "IPSET_ATTR_REFERENCES", Type: decode.BE32},
	decode.Attr{Name: "IPSET_ATTR_MEMSIZE", Type: decode.BE32, Sem: decode.Bytes},
)}

var ipsetADTData = decode.AttrSet{Name: "IPSET_ATTR", BigEndian: true, Attrs: cadtAttrs(
	decode.Attr{Name: "IPSET_ATTR_ETHER", Type: decode.HWAddr},
	decode.Attr{Name: "IPSET_ATTR_NAME", Type: decode.String},
	decode.Attr{Name: "IPSET_ATTR_NAMEREF", Type: decode.String},
	decode.Attr{Name: "IPSET_ATTR_IP2", Type: decode.Nest, Nest: &ipaddrAttrs},
	decode.Attr{Name: "IPSET_ATTR_CIDR2", Type: decode.U8},
	decode.Attr{Name: "IPSET_ATTR_IP2_TO", Type: decode.Nest, Nest: &ipaddrAttrs},
	decode.Attr{Name: "IPSET_ATTR_IFACE", Type: decode.String},
	decode.Attr{Name: "IPSET_ATTR_BYTES", Type: decode.BE64, Sem: decode.Bytes},
	decode.Attr{Name: "IPSET_ATTR_PACKETS", Type: decode.BE64},
	decode.Attr{Name: "IPSET_ATTR_COMMENT", Type: decode.String},
	decode.Attr{Name: "IPSET_ATTR_SKBMARK", Type: decode.BE64, Sem: decode.Hex},
	decode.Attr{Name: "IPSET_ATTR_SKBPRIO", Type: decode.BE32, Sem: decode.TCHandle},
	decode.Attr{Name: "IPSET_ATTR_SKBQUEUE", Type: decode.BE16},
	decode.Attr{Name: "IPSET_ATTR_PAD", Type: decode.Binary},
)}

// ipsetADT holds the elements of a list reply, each an IPSET_ATTR_DATA.
var ipsetADT = decode.AttrSet{Name: "IPSET_ATTR", BigEndian: true, Attrs: []decode.Attr{
	7: {Name: "IPSET_ATTR_DATA", Type: decode.Nest, Nest: &ipsetADTData},
}}

// ipsetData picks the create or the element attributes by the command.
func ipsetData(s decode.Scope) *decode.AttrSet {
	switch s.MessageType() & 0xff {
	case ipsetCmdAdd, ipsetCmdDel, ipsetCmdTest:
		return &ipsetADTData
	}
	return &ipsetCreateData
}

func ipsetCmdAttrs(name3 string) []decode.Attr {
	return []decode.Attr{
		1:  {Name: "IPSET_ATTR_PROTOCOL", Type: decode.U8},
		2:  {Name: "IPSET_ATTR_SETNAME", Type: decode.String},
		3:  {Name: name3, Type: decode.String},
		4:  {Name: "IPSET_ATTR_REVISION", Type: decode.U8},
		5:  {Name: "IPSET_ATTR_FAMILY", Type: decode.U8, Sem: decode.EnumValue, Enum: &nfnl.Families},
		6:  {Name: "IPSET_ATTR_FLAGS", Type: decode.BE32, Sem: decode.FlagBits, Flags: &ipsetCmdFlags},
		7:  {Name: "IPSET_ATTR_DATA", Type: decode.Nest, Select: ipsetData},
		8:  {Name: "IPSET_ATTR_ADT", Type: decode.Nest, Nest: &ipsetADT},
		9:  {Name: "IPSET_ATTR_LINENO", Type: decode.BE32},
		10: {Name: "IPSET_ATTR_PROTOCOL_MIN", Type: decode.U8},
		11: {Name: "IPSET_ATTR_INDEX", Type: decode.BE16},
	}
}

// Attribute 3 is the type name, except in rename and swap, where it is the
// second set's name; attribute 10 is the minimum revision in a type reply.
var (
	ipsetAttrs       = decode.AttrSet{Name: "IPSET_ATTR", BigEndian: true, Attrs: ipsetCmdAttrs("IPSET_ATTR_TYPENAME")}
	ipsetRenameAttrs = decode.AttrSet{Name: "IPSET_ATTR", BigEndian: true, Attrs: ipsetCmdAttrs("IPSET_ATTR_SETNAME2")}
	ipsetTypeAttrs   = func() decode.AttrSet {
		a := ipsetCmdAttrs("IPSET_ATTR_TYPENAME")
		a[10].Name = "IPSET_ATTR_REVISION_MIN"
		return decode.AttrSet{Name: "IPSET_ATTR", BigEndian: true, Attrs: a}
	}()
)

// Every ipset request but a list or save is named as a new-kind message:
// ipset(8) sets NLM_F_EXCL on them unless told -exist, and the kernel reads
// it so on an add.
func ipsetMsg(name string, op decode.Op, attrs *decode.AttrSet) decode.MessageType {
	return decode.MessageType{Name: name, Op: op, Header: hdr, Attrs: attrs, Body: func(b *decode.Builder, payload []byte, off int) {
		ipsetBody(b, payload, off, attrs)
	}}
}

var ipset = nfnl.Subsystem{ID: nfnl.SubsysIPSet, Name: "ip_set", ErrnoName: ipsetErrno, Types: []decode.MessageType{
	ipsetCmdProtocol: ipsetMsg("IPSET_CMD_PROTOCOL", decode.OpNew, &ipsetAttrs),
	ipsetCmdCreate:   ipsetMsg("IPSET_CMD_CREATE", decode.OpNew, &ipsetAttrs),
	ipsetCmdDestroy:  ipsetMsg("IPSET_CMD_DESTROY", decode.OpNew, &ipsetAttrs),
	ipsetCmdFlush:    ipsetMsg("IPSET_CMD_FLUSH", decode.OpNew, &ipsetAttrs),
	ipsetCmdRename:   ipsetMsg("IPSET_CMD_RENAME", decode.OpNew, &ipsetRenameAttrs),
	ipsetCmdSwap:     ipsetMsg("IPSET_CMD_SWAP", decode.OpNew, &ipsetRenameAttrs),
	ipsetCmdList:     ipsetMsg("IPSET_CMD_LIST", decode.OpGet, &ipsetAttrs),
	ipsetCmdSave:     ipsetMsg("IPSET_CMD_SAVE", decode.OpGet, &ipsetAttrs),
	ipsetCmdAdd:      ipsetMsg("IPSET_CMD_ADD", decode.OpNew, &ipsetAttrs),
	ipsetCmdDel:      ipsetMsg("IPSET_CMD_DEL", decode.OpNew, &ipsetAttrs),
	ipsetCmdTest:     ipsetMsg("IPSET_CMD_TEST", decode.OpNew, &ipsetAttrs),
	ipsetCmdHeader:   ipsetMsg("IPSET_CMD_HEADER", decode.OpNew, &ipsetAttrs),
	ipsetCmdType:     ipsetMsg("IPSET_CMD_TYPE", decode.OpNew, &ipsetTypeAttrs),
	ipsetCmdByName:   ipsetMsg("IPSET_CMD_GET_BYNAME", decode.OpNew, &ipsetAttrs),
	ipsetCmdByIndex:  ipsetMsg("IPSET_CMD_GET_BYINDEX", decode.OpNew, &ipsetAttrs),
}}

// learnType is the State namespace of set name → set type ("hash:ip").
const learnType = "ipset.type"

// ipsetBody decodes the attributes and learns each set's type from
// messages that name both (create, header and list replies), so an error
// code that only a type defines can be named for a later add to the set.
func ipsetBody(b *decode.Builder, payload []byte, off int, attrs *decode.AttrSet) {
	at := client.Align(nfnl.HeaderLen)
	if at > len(payload) {
		return
	}
	run := payload[at:]
	var name, tname []byte
	var d client.AttributeDecoder
	d.Reset(run, 0)
	for d.Next() {
		switch d.Type() {
		case ipsetAttrSetname:
			name = cstr(d.Bytes())
		case ipsetAttrTypename:
			tname = cstr(d.Bytes())
		}
	}
	if len(name) > 0 && len(tname) > 0 && attrs != &ipsetRenameAttrs && b.State() != nil {
		b.State().Learn(learnType, name, tname)
	}
	b.Attrs(attrs, run, off+at)
}

func cstr(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i]
		}
	}
	return b
}
