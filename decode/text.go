package decode

import (
	"encoding/binary"
	"net/netip"
	"strconv"
	"strings"

	"github.com/nltrace/nltrace/client"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// The extended-ACK attributes (NLMSGERR_ATTR_*) and the policy nest.
var extackAttrs = AttrSet{Name: "NLMSGERR_ATTR", Attrs: []Attr{
	client.ErrAttrMsg:      {Name: "NLMSGERR_ATTR_MSG", Type: String},
	client.ErrAttrOffs:     {Name: "NLMSGERR_ATTR_OFFS", Type: U32},
	client.ErrAttrCookie:   {Name: "NLMSGERR_ATTR_COOKIE", Type: Binary},
	client.ErrAttrPolicy:   {Name: "NLMSGERR_ATTR_POLICY", Type: Nest, Nest: &policyAttrs},
	client.ErrAttrMissType: {Name: "NLMSGERR_ATTR_MISS_TYPE", Type: U32},
	client.ErrAttrMissNest: {Name: "NLMSGERR_ATTR_MISS_NEST", Type: U32},
}}

var policyTypes = Enum{Name: "netlink_attribute_type", Names: []string{
	"invalid", "flag", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
	"binary", "string", "nul-string", "nested", "nested-array", "bitfield32", "sint", "uint",
}}

var policyAttrs = AttrSet{Name: "NL_POLICY_TYPE_ATTR", Attrs: []Attr{
	client.PolicyAttrType:           {Name: "NL_POLICY_TYPE_ATTR_TYPE", Type: U32, Sem: EnumValue, Enum: &policyTypes},
	client.PolicyAttrMinValueS:      {Name: "NL_POLICY_TYPE_ATTR_MIN_VALUE_S", Type: S64},
	client.PolicyAttrMaxValueS:      {Name: "NL_POLICY_TYPE_ATTR_MAX_VALUE_S", Type: S64},
	client.PolicyAttrMinValueU:      {Name: "NL_POLICY_TYPE_ATTR_MIN_VALUE_U", Type: U64},
	client.PolicyAttrMaxValueU:      {Name: "NL_POLICY_TYPE_ATTR_MAX_VALUE_U", Type: U64},
	client.PolicyAttrMinLength:      {Name: "NL_POLICY_TYPE_ATTR_MIN_LENGTH", Type: U32},
	client.PolicyAttrMaxLength:      {Name: "NL_POLICY_TYPE_ATTR_MAX_LENGTH", Type: U32},
	client.PolicyAttrPolicyIdx:      {Name: "NL_POLICY_TYPE_ATTR_POLICY_IDX", Type: U32},
	client.PolicyAttrPolicyMaxType:  {Name: "NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE", Type: U32},
	client.PolicyAttrBitfield32Mask: {Name: "NL_POLICY_TYPE_ATTR_BITFIELD32_MASK", Type: U32, Sem: Hex},
	client.PolicyAttrPad:            {Name: "NL_POLICY_TYPE_ATTR_PAD", Type: Binary},
	client.PolicyAttrMask:           {Name: "NL_POLICY_TYPE_ATTR_MASK", Type: U64, Sem: Hex},
}}

// AppendName appends a field's name: the schema name, "PREFIX type N" for an
// unknown attribute, "attr N" when even the set is unknown, and the index
// for array elements ("IFLA_VF_PORT[1]").
func AppendName(b []byte, f *Field) []byte {
	switch {
	case f.Has(FieldUnknown):
		if f.Name != "" {
			b = append(b, f.Name...)
			b = append(b, " type "...)
		} else {
			b = append(b, "attr "...)
		}
		return strconv.AppendUint(b, uint64(f.Type), 10)
	case f.Has(FieldElem) || f.Spec != nil && (f.Spec.Type == NestArray || f.Spec.Type == StructArray) && f.Kind == KindNone && f.Name == elemName(f.Spec):
		b = append(b, f.Name...)
		b = append(b, '[')
		b = strconv.AppendUint(b, uint64(f.Type), 10)
		return append(b, ']')
	}
	return append(b, f.Name...)
}

func elemName(a *Attr) string {
	if a.Elem != "" {
		return a.Elem
	}
	if a.Type == StructArray && a.Struct != nil {
		return a.Struct.Name
	}
	return a.Name
}

// AppendValue appends a field's value as text, the way iproute2 shows such
// values where it has a way: names for enums and flags, dotted or colon
// addresses, "3(eth0)" for interface indexes. Containers append nothing.
func AppendValue(b []byte, t *Tree, f *Field) []byte {
	switch f.Kind {
	case KindNone:
		return b
	case KindUint, KindInt:
		return appendNumber(b, f)
	case KindString:
		return strconv.AppendQuote(b, string(t.Value(f)))
	case KindBytes:
		b = appendHex(b, t.Value(f))
		if f.Has(FieldMalformed) && f.Str != "" {
			b = append(b, " (malformed: "...)
			b = append(b, f.Str...)
			b = append(b, ')')
		}
		return b
	case KindFlag:
		return append(b, "true"...)
	case KindIP:
		return appendIP(b, t.Value(f))
	case KindMAC:
		return appendMAC(b, t.Value(f))
	case KindMPLS:
		return appendMPLS(b, t.Value(f))
	case KindErrno:
		if name, text, ok := strings.Cut(f.Str, "\x00"); ok {
			return appendNamedErrno(b, int32(f.Num), name, text)
		}
		return AppendErrno(b, int32(f.Num))
	case KindText:
		return append(b, f.Str...)
	case KindRedacted:
		b = append(b, '<')
		b = strconv.AppendInt(b, int64(f.ValLen), 10)
		return append(b, " bytes redacted>"...)
	case KindMalformed:
		b = append(b, f.Str...)
		if f.Len > 0 {
			b = append(b, ": "...)
			b = appendHex(b, t.Value(f))
		}
		return b
	}
	return b
}

func appendNumber(b []byte, f *Field) []byte {
	signed := f.Kind == KindInt
	var sem Sem
	var spec *Attr
	if f.Spec != nil {
		spec = f.Spec
		sem = spec.Sem
	}
	switch sem {
	case Hex:
		b = append(b, "0x"...)
		return strconv.AppendUint(b, f.Num, 16)
	case EnumValue:
		return spec.Enum.AppendName(b, f.Num)
	case FlagBits:
		if spec.Flags == nil {
			break
		}
		return spec.Flags.AppendNames(b, f.Num)
	case Bool:
		if f.Num != 0 {
			return append(b, "on"...)
		}
		return append(b, "off"...)
	case Ifindex:
		b = strconv.AppendUint(b, f.Num, 10)
		if f.Str != "" {
			b = append(b, '(')
			b = append(b, f.Str...)
			b = append(b, ')')
		}
		return b
	case Seconds:
		b = strconv.AppendUint(b, f.Num, 10)
		return append(b, "sec"...)
	case Millis:
		b = strconv.AppendUint(b, f.Num, 10)
		return append(b, "ms"...)
	case Micros:
		b = strconv.AppendUint(b, f.Num, 10)
		return append(b, "us"...)
	case Centis:
		b = strconv.AppendUint(b, f.Num/100, 10)
		b = append(b, '.')
		c := f.Num % 100
		if c < 10 {
			b = append(b, '0')
		}
		b = strconv.AppendUint(b, c, 10)
		return append(b, "sec"...)
	case NetnsID:
		return strconv.AppendInt(b, int64(int32(f.Num)), 10)
	case TCHandle:
		return appendTCHandle(b, uint32(f.Num))
	case U32Handle:
		return appendU32Handle(b, uint32(f.Num))
	}
	if signed {
		return strconv.AppendInt(b, int64(f.Num), 10)
	}
	return strconv.AppendUint(b, f.Num, 10)
}

const hexDigits = "0123456789abcdef"

func appendHex(b []byte, v []byte) []byte {
	if len(v) == 0 {
		return append(b, "(empty)"...)
	}
	for _, c := range v {
		b = append(b, hexDigits[c>>4], hexDigits[c&15])
	}
	return b
}

func appendIP(b []byte, v []byte) []byte {
	switch len(v) {
	case 4:
		return netip.AddrFrom4([4]byte(v)).AppendTo(b)
	case 16:
		return netip.AddrFrom16([16]byte(v)).AppendTo(b)
	}
	return appendHex(b, v)
}

func appendMAC(b []byte, v []byte) []byte {
	if len(v) == 0 {
		return append(b, "(empty)"...)
	}
	for i, c := range v {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&15])
	}
	return b
}

// appendMPLS shows a label stack as iproute2 does: labels joined by "/".
func appendMPLS(b []byte, v []byte) []byte {
	for i := 0; i+4 <= len(v); i += 4 {
		if i > 0 {
			b = append(b, '/')
		}
		e := binary.BigEndian.Uint32(v[i:])
		b = strconv.AppendUint(b, uint64(e>>12), 10)
	}
	return b
}

// kernelErrnos are the errnos from 512 on that the kernel keeps for itself
// (include/linux/errno.h) but that still reach user space now and then
// (ENOTSUPP from drivers); strace names them too.
var kernelErrnos = [...]string{
	"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD", "ERESTART_RESTARTBLOCK",
	"EPROBE_DEFER", "EOPENSTALE", "ENOPARAM", "", "EBADHANDLE", "ENOTSYNC", "EBADCOOKIE",
	"ENOTSUPP", "ETOOSMALL", "ESERVERFAULT", "EBADTYPE", "EJUKEBOX", "EIOCBQUEUED", "ERECALLCONFLICT", "ENOGRACE",
}

// ErrnoName names a positive errno as the kernel's headers and strace do:
// EOPNOTSUPP, not its alias ENOTSUP; "" when it has no name.
func ErrnoName(n int32) string {
	switch n {
	case int32(unix.EOPNOTSUPP):
		return "EOPNOTSUPP"
	case int32(unix.EAGAIN):
		return "EAGAIN"
	case int32(unix.EDEADLK):
		return "EDEADLK"
	}
	if n >= 512 && n < 512+int32(len(kernelErrnos)) {
		return kernelErrnos[n-512]
	}
	return unix.ErrnoName(unix.Errno(n))
}

// AppendMessageErrno appends the error code of an NLMSG_ERROR or
// NLMSG_DONE as AppendErrno does, or by the family's own name for a code
// private to the family ("-IPSET_ERR_EXIST (Element cannot be added to the
// set: it's already added)").
func AppendMessageErrno(b []byte, m *Message) []byte {
	if m.ErrnoName != "" {
		return appendNamedErrno(b, m.Errno, m.ErrnoName, m.ErrnoText)
	}
	return AppendErrno(b, m.Errno)
}

func appendNamedErrno(b []byte, e int32, name, text string) []byte {
	if e < 0 {
		b = append(b, '-')
	}
	b = append(b, name...)
	if text != "" {
		b = append(b, " ("...)
		b = append(b, text...)
		b = append(b, ')')
	}
	return b
}

// AppendErrno appends an errno as sent in NLMSG_ERROR: "0" for success,
// otherwise "-EEXIST (File exists)".
func AppendErrno(b []byte, e int32) []byte {
	if e == 0 {
		return append(b, '0')
	}
	n := e
	if n < 0 {
		n = -n
	}
	errno := unix.Errno(n)
	name, msg := ErrnoName(n), errno.Error()
	if n >= 512 && n < 512+int32(len(kernelErrnos)) && kernelErrnos[n-512] != "" {
		msg = "kernel-internal errno " + strconv.Itoa(int(n))
	}
	if e < 0 {
		b = append(b, '-')
	}
	if name == "" {
		b = strconv.AppendInt(b, int64(n), 10)
	} else {
		b = append(b, name...)
	}
	b = append(b, " ("...)
	if msg != "" && msg[0] >= 'a' && msg[0] <= 'z' {
		b = append(b, msg[0]-'a'+'A')
		msg = msg[1:]
	}
	b = append(b, msg...)
	return append(b, ')')
}

// flagBit names one nlmsg_flags bit. The tables below are read-only; as
// arrays they are built once, not for every message's headline.
type flagBit struct {
	bit  uint16
	name string
}

var (
	lowFlags = [...]flagBit{{client.FlagRequest, "req"}, {client.FlagMulti, "multi"}, {client.FlagAck, "ack"}, {client.FlagEcho, "echo"},
		{client.FlagDumpIntr, "dump_intr"}, {client.FlagDumpFiltered, "dump_filtered"}}
	ackFlags  = [...]flagBit{{client.FlagCapped, "capped"}, {client.FlagAckTLVs, "ack_tlvs"}}
	doneFlags = [...]flagBit{{client.FlagAckTLVs, "ack_tlvs"}}
	getFlags  = [...]flagBit{{client.FlagRoot, "root"}, {client.FlagMatch, "match"}, {client.FlagAtomic, "atomic"}}
	newFlags  = [...]flagBit{{client.FlagReplace, "replace"}, {client.FlagExcl, "excl"}, {client.FlagCreate, "create"}, {client.FlagAppend, "append"}}
	delFlags  = [...]flagBit{{client.FlagNonrec, "nonrec"}, {client.FlagBulk, "bulk"}}
)

// AppendFlags appends the names of nlmsg_flags as the message's kind names
// them (GET: root, match, atomic, with root|match as dump; NEW and SET:
// replace, excl, create, append; DEL: nonrec, bulk; ACK: capped, ack_tlvs),
// joined by ",", with leftover bits in hex. No flags append "0".
func AppendFlags(b []byte, m *Message) []byte {
	v := m.Header.Flags
	if v == 0 {
		return append(b, '0')
	}
	first := true
	put := func(s string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, s...)
	}
	for _, x := range &lowFlags {
		if v&x.bit != 0 {
			put(x.name)
			v &^= x.bit
		}
	}
	var high []flagBit
	switch {
	case m.IsAck:
		high = ackFlags[:]
	case m.IsDone:
		high = doneFlags[:]
	case m.Op == OpGet:
		if v&client.FlagDump == client.FlagDump {
			put("dump")
			v &^= client.FlagDump
		}
		high = getFlags[:]
	case m.Op == OpNew || m.Op == OpSet:
		high = newFlags[:]
	case m.Op == OpDel:
		high = delFlags[:]
	}
	for _, x := range high {
		if v&x.bit != 0 {
			put(x.name)
			v &^= x.bit
		}
	}
	if v != 0 {
		if !first {
			b = append(b, ',')
		}
		b = append(b, "0x"...)
		b = strconv.AppendUint(b, uint64(v), 16)
	}
	return b
}

// appendTCHandle shows a tc handle as tc(8) prints classids: the special
// parents by name (TC_H_INGRESS and TC_H_CLSACT are one value, so both read
// "ingress"; clsact's two hooks read "ingress" and "egress"), otherwise hex
// major and minor, with a zero side left empty ("1:", ":5").
func appendTCHandle(b []byte, h uint32) []byte {
	switch h {
	case 0xffffffff: // TC_H_ROOT
		return append(b, "root"...)
	case 0: // TC_H_UNSPEC
		return append(b, "none"...)
	case 0xfffffff1, 0xfffffff2: // TC_H_INGRESS (= TC_H_CLSACT), clsact's TC_H_MIN_INGRESS
		return append(b, "ingress"...)
	case 0xfffffff3: // clsact's TC_H_MIN_EGRESS
		return append(b, "egress"...)
	}
	if h>>16 != 0 {
		b = strconv.AppendUint(b, uint64(h>>16), 16)
	}
	b = append(b, ':')
	if minor := h & 0xffff; minor != 0 {
		b = strconv.AppendUint(b, uint64(minor), 16)
	}
	return b
}

// appendU32Handle shows a u32 classifier handle as tc(8) does: the hash
// table id with a colon, then the bucket and ":node" when either is set, a
// zero part left out ("800:", "800::800", "1:2:3"), and 0 as "none".
func appendU32Handle(b []byte, h uint32) []byte {
	if h == 0 {
		return append(b, "none"...)
	}
	htid, bucket, node := h>>20, h>>12&0xff, h&0xfff
	if htid != 0 {
		b = strconv.AppendUint(b, uint64(htid), 16)
		b = append(b, ':')
	}
	if bucket != 0 {
		b = strconv.AppendUint(b, uint64(bucket), 16)
	}
	if node != 0 {
		b = append(b, ':')
		b = strconv.AppendUint(b, uint64(node), 16)
	}
	return b
}
