// Package audit is the NETLINK_AUDIT schema for the decoder: every audit
// message type by its AUDIT_* name; the control structs (audit_status of
// AUDIT_GET/AUDIT_SET, audit_features, audit_tty_status, audit_sig_info,
// audit_rule_data with its fields, operators and string values); and the
// text that kernel events and user-space messages carry, as text.
//
// Register it with decode.NewRegistry(audit.Family()).
package audit

import (
	"encoding/binary"
	"strconv"

	"github.com/nltrace/nltrace/decode"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// Control message types (linux/audit.h).
const (
	typeGet         = 1000
	typeSet         = 1001
	typeList        = 1002
	typeAdd         = 1003
	typeDel         = 1004
	typeSignalInfo  = 1010
	typeAddRule     = 1011
	typeDelRule     = 1012
	typeListRules   = 1013
	typeTrim        = 1014
	typeMakeEquiv   = 1015
	typeTTYGet      = 1016
	typeTTYSet      = 1017
	typeSetFeature  = 1018
	typeGetFeature  = 1019
	maxMessageType  = 2999
	firstUserMsg2   = 2100
	firstUserMsg    = 1100
	lastUserMsg     = 1199
	firstKernAnom   = 1700
	lastKernAnom    = 1799
	firstIntegrity  = 1800
	lastIntegrity   = 1899
	firstKernelMsg  = 1300
	lastKernelMsg   = 1399
	firstSELinuxMsg = 1400
	lastSELinuxMsg  = 1499
)

// Family returns the NETLINK_AUDIT decoder.
func Family() *decode.Family {
	return &decode.Family{Protocol: unix.NETLINK_AUDIT, Name: "audit", Types: types}
}

var types = func() []decode.MessageType {
	t := make([]decode.MessageType, maxMessageType+1)
	for n, name := range typeNames {
		t[n] = decode.MessageType{Name: name, Body: text}
	}
	// Numbers in the ranges audit reserves, without a name of their own.
	ranges := []struct {
		lo, hi int
		prefix string
	}{
		{firstUserMsg, lastUserMsg, "AUDIT_USER_MSG_"}, {firstUserMsg2, maxMessageType, "AUDIT_USER_MSG2_"},
		{firstKernelMsg, lastKernelMsg, "AUDIT_KERNEL_MSG_"}, {firstSELinuxMsg, lastSELinuxMsg, "AUDIT_MAC_MSG_"},
		{firstKernAnom, lastKernAnom, "AUDIT_ANOM_MSG_"}, {firstIntegrity, lastIntegrity, "AUDIT_INTEGRITY_MSG_"},
	}
	for _, r := range ranges {
		for n := r.lo; n <= r.hi; n++ {
			if t[n].Name == "" {
				t[n] = decode.MessageType{Name: r.prefix + strconv.Itoa(n), Body: text}
			}
		}
	}
	t[typeGet] = decode.MessageType{Name: "AUDIT_GET", Op: decode.OpGet, Body: status}
	t[typeSet] = decode.MessageType{Name: "AUDIT_SET", Op: decode.OpSet, Body: status}
	for _, n := range []int{typeList, typeAdd, typeDel, typeMakeEquiv} {
		// Deprecated (struct audit_rule) or rare; shown as bytes.
		t[n].Body = nil
	}
	t[typeList].Op, t[typeAdd].Op, t[typeDel].Op = decode.OpGet, decode.OpNew, decode.OpDel
	t[typeSignalInfo] = decode.MessageType{Name: "AUDIT_SIGNAL_INFO", Op: decode.OpGet, Body: sigInfo}
	t[typeAddRule] = decode.MessageType{Name: "AUDIT_ADD_RULE", Op: decode.OpNew, Body: ruleData}
	t[typeDelRule] = decode.MessageType{Name: "AUDIT_DEL_RULE", Op: decode.OpDel, Body: ruleData}
	t[typeListRules] = decode.MessageType{Name: "AUDIT_LIST_RULES", Op: decode.OpGet, Body: ruleData}
	t[typeTrim] = decode.MessageType{Name: "AUDIT_TRIM", Op: decode.OpDel}
	t[typeTTYGet] = decode.MessageType{Name: "AUDIT_TTY_GET", Op: decode.OpGet, Body: layoutBody(&ttyStatus)}
	t[typeTTYSet] = decode.MessageType{Name: "AUDIT_TTY_SET", Op: decode.OpSet, Body: layoutBody(&ttyStatus)}
	t[typeSetFeature] = decode.MessageType{Name: "AUDIT_SET_FEATURE", Op: decode.OpSet, Body: layoutBody(&features)}
	t[typeGetFeature] = decode.MessageType{Name: "AUDIT_GET_FEATURE", Op: decode.OpGet, Body: layoutBody(&features)}
	return t
}()

var textSpec = decode.Attr{Name: "text", Type: decode.String}

// text decodes the payload of an event or user message: text, which the
// kernel does not NUL-terminate.
func text(b *decode.Builder, p []byte, off int) {
	if len(p) > 0 {
		b.Field(&textSpec, p, off)
	}
}

// layoutBody decodes a payload as the struct l, members that fit: a
// request may be empty (AUDIT_GET_FEATURE) and older programs send older,
// shorter structs.
func layoutBody(l *decode.Layout) func(*decode.Builder, []byte, int) {
	return func(b *decode.Builder, p []byte, off int) {
		if len(p) == 0 {
			return
		}
		b.Open(l.Name, off, len(p))
		b.Layout(l, p, off)
		b.Close()
	}
}

var statusMask = decode.FlagSet{Name: "AUDIT_STATUS", Bits: []string{
	"enabled", "failure", "pid", "rate_limit", "backlog_limit", "backlog_wait_time", "lost", "backlog_wait_time_actual",
}}

var enabled = decode.Enum{Name: "audit_enabled", Names: []string{"off", "on", "locked"}}

var failure = decode.Enum{Name: "AUDIT_FAIL", Names: []string{"silent", "printk", "panic"}}

var featureBitmap = decode.FlagSet{Name: "AUDIT_FEATURE_BITMAP", Bits: []string{
	"backlog_limit", "backlog_wait_time", "executable_path", "exclude_extend", "sessionid_filter", "lost_reset", "filter_fs",
}}

// auditStatus is struct audit_status; its last members came with Linux
// 3.13 (backlog_wait_time) and 5.9 (backlog_wait_time_actual).
var auditStatus = decode.Layout{Name: "audit_status", Size: 44, Members: []decode.Attr{
	{Name: "mask", Type: decode.U32, Sem: decode.FlagBits, Flags: &statusMask, Off: 0},
	{Name: "enabled", Type: decode.U32, Sem: decode.EnumValue, Enum: &enabled, Off: 4},
	{Name: "failure", Type: decode.U32, Sem: decode.EnumValue, Enum: &failure, Off: 8},
	{Name: "pid", Type: decode.U32, Off: 12},
	{Name: "rate_limit", Type: decode.U32, Off: 16},
	{Name: "backlog_limit", Type: decode.U32, Off: 20},
	{Name: "lost", Type: decode.U32, Off: 24},
	{Name: "backlog", Type: decode.U32, Off: 28},
	{Name: "feature_bitmap", Type: decode.U32, Sem: decode.FlagBits, Flags: &featureBitmap, Off: 32},
	{Name: "backlog_wait_time", Type: decode.U32, Off: 36},
	{Name: "backlog_wait_time_actual", Type: decode.U32, Off: 40},
}}

var status = layoutBody(&auditStatus)

var featureBits = decode.FlagSet{Name: "AUDIT_FEATURE", Bits: []string{"only_unset_loginuid", "loginuid_immutable"}}

var features = decode.Layout{Name: "audit_features", Size: 16, Members: []decode.Attr{
	{Name: "vers", Type: decode.U32, Off: 0},
	{Name: "mask", Type: decode.U32, Sem: decode.FlagBits, Flags: &featureBits, Off: 4},
	{Name: "features", Type: decode.U32, Sem: decode.FlagBits, Flags: &featureBits, Off: 8},
	{Name: "lock", Type: decode.U32, Sem: decode.FlagBits, Flags: &featureBits, Off: 12},
}}

var ttyStatus = decode.Layout{Name: "audit_tty_status", Size: 8, Members: []decode.Attr{
	{Name: "enabled", Type: decode.U32, Sem: decode.Bool, Off: 0},
	{Name: "log_passwd", Type: decode.U32, Sem: decode.Bool, Off: 4},
}}

var (
	sigUID = decode.Attr{Name: "uid", Type: decode.U32}
	sigPID = decode.Attr{Name: "pid", Type: decode.U32}
	sigCtx = decode.Attr{Name: "ctx", Type: decode.String}
)

// sigInfo decodes struct audit_sig_info: who last signalled auditd, and
// its security context.
func sigInfo(b *decode.Builder, p []byte, off int) {
	if len(p) == 0 {
		return
	}
	if len(p) < 8 {
		b.Malformed(off, len(p), "shorter than audit_sig_info")
		return
	}
	b.Field(&sigUID, p[:4], off)
	b.Field(&sigPID, p[4:8], off+4)
	if len(p) > 8 {
		b.Field(&sigCtx, p[8:], off+8)
	}
}

// Rules (struct audit_rule_data).

var filterLists = decode.Enum{Name: "AUDIT_FILTER", Names: []string{"user", "task", "entry", "watch", "exit", "exclude", "fs", "uring_exit"}}

var actions = decode.Enum{Name: "AUDIT_ACTION", Names: []string{"never", "possible", "always"}}

var ruleFields = decode.Enum{Name: "AUDIT_FIELD", Names: []string{
	0: "pid", 1: "uid", 2: "euid", 3: "suid", 4: "fsuid", 5: "gid", 6: "egid", 7: "sgid", 8: "fsgid",
	9: "auid", 10: "pers", 11: "arch", 12: "msgtype", 13: "subj_user", 14: "subj_role", 15: "subj_type",
	16: "subj_sen", 17: "subj_clr", 18: "ppid", 19: "obj_user", 20: "obj_role", 21: "obj_type",
	22: "obj_lev_low", 23: "obj_lev_high", 24: "loginuid_set", 25: "sessionid", 26: "fstype",
	100: "devmajor", 101: "devminor", 102: "inode", 103: "exit", 104: "success", 105: "path", 106: "perm",
	107: "dir", 108: "filetype", 109: "obj_uid", 110: "obj_gid", 111: "field_compare", 112: "exe",
	113: "saddr_fam", 200: "a0", 201: "a1", 202: "a2", 203: "a3", 210: "key",
}}

// operators names fieldflags as auditctl writes them.
var operators = decode.Enum{Name: "AUDIT_OPERATOR", Sparse: map[uint64]string{
	0x08000000: "&", 0x10000000: "<", 0x20000000: ">", 0x30000000: "!=", 0x40000000: "=",
	0x48000000: "&=", 0x50000000: "<=", 0x60000000: ">=",
}}

// stringField says a rule field's value is the length of a string in buf.
func stringField(f uint32) bool {
	switch f {
	case 13, 14, 15, 16, 17, 19, 20, 21, 22, 23, 105, 107, 112, 210:
		return true
	}
	return false
}

var (
	// flags holds the filter list and AUDIT_FILTER_PREPEND (0x10).
	ruleFlags  = decode.Attr{Name: "list", Type: decode.U32, Sem: decode.EnumValue, Enum: &filterLists, Bits: 4}
	rulePrep   = decode.Attr{Name: "prepend", Type: decode.U32, Sem: decode.Bool, Bits: 1, Shift: 4}
	ruleAction = decode.Attr{Name: "action", Type: decode.U32, Sem: decode.EnumValue, Enum: &actions}
	ruleCount  = decode.Attr{Name: "field_count", Type: decode.U32}
	ruleMask   = decode.Attr{Name: "mask", Type: decode.Binary}
	ruleField  = decode.Attr{Name: "field", Type: decode.U32, Sem: decode.EnumValue, Enum: &ruleFields}
	ruleOp     = decode.Attr{Name: "op", Type: decode.U32, Sem: decode.EnumValue, Enum: &operators}
	ruleValue  = decode.Attr{Name: "value", Type: decode.U32}
	ruleString = decode.Attr{Name: "string", Type: decode.String}
	ruleBuflen = decode.Attr{Name: "buflen", Type: decode.U32}
)

// ruleDataLen is the size of audit_rule_data before buf.
const ruleDataLen = 12 + 64*4 + 3*64*4 + 4

// ruleData decodes struct audit_rule_data: the filter list and action,
// the syscalls of the mask (by number), each field with its operator and
// value, and the strings the string fields take from buf.
func ruleData(b *decode.Builder, p []byte, off int) {
	if len(p) == 0 {
		return // an AUDIT_LIST_RULES request
	}
	if len(p) < ruleDataLen {
		b.Malformed(off, len(p), "shorter than audit_rule_data")
		return
	}
	u32 := func(at int) uint32 { return binary.NativeEndian.Uint32(p[at:]) }
	b.Open("audit_rule_data", off, len(p))
	defer b.Close()
	b.Field(&ruleFlags, p[0:4], off)
	b.Field(&rulePrep, p[0:4], off)
	b.Field(&ruleAction, p[4:8], off+4)
	b.Field(&ruleCount, p[8:12], off+8)
	var sys []byte
	for i := 0; i < 64*32; i++ {
		if u32(12+i/32*4)&(1<<(i%32)) != 0 {
			if len(sys) > 0 {
				sys = append(sys, ',')
			}
			sys = strconv.AppendInt(sys, int64(i), 10)
		}
	}
	if len(sys) == 0 {
		sys = append(sys, "none"...)
	}
	b.Note("syscalls", string(sys), off+12)
	b.Field(&ruleMask, p[12:12+256], off+12)
	const fieldsAt, valuesAt, flagsAt, buflenAt = 12 + 256, 12 + 512, 12 + 768, 12 + 1024
	buf := p[ruleDataLen:]
	bufOff := off + ruleDataLen
	b.Field(&ruleBuflen, p[buflenAt:buflenAt+4], off+buflenAt)
	n := int(min(u32(8), 64))
	for i := 0; i < n; i++ {
		b.Open("field["+strconv.Itoa(i)+"]", off+fieldsAt+4*i, 4)
		b.Field(&ruleField, p[fieldsAt+4*i:fieldsAt+4*i+4], off+fieldsAt+4*i)
		b.Field(&ruleOp, p[flagsAt+4*i:flagsAt+4*i+4], off+flagsAt+4*i)
		b.Field(&ruleValue, p[valuesAt+4*i:valuesAt+4*i+4], off+valuesAt+4*i)
		if stringField(u32(fieldsAt + 4*i)) {
			l := int(u32(valuesAt + 4*i))
			if l > len(buf) {
				b.Malformed(bufOff, len(buf), "string longer than the rest of buf")
				buf = nil
			} else {
				b.Field(&ruleString, buf[:l], bufOff)
				buf, bufOff = buf[l:], bufOff+l
			}
		}
		b.Close()
	}
	if len(buf) > 0 {
		b.Bytes("buf", buf, bufOff)
	}
}
