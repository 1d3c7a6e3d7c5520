// Package connector is the NETLINK_CONNECTOR schema for the decoder: the
// cn_msg header every connector message carries (its callback id, names
// for the kernel's users), and the process events connector's payloads:
// the listen/ignore request (PROC_CN_MCAST_* and proc_input) and each
// PROC_EVENT_* with its pids, ids, comm or exit status. The payloads of
// other users (w1, uvesafb, Hyper-V, device mapper, DRBD) are shown as
// bytes.
//
// Every connector message has nlmsg_type NLMSG_DONE, so the family sets
// decode.Family.DoneIsMessage. Register it with
// decode.NewRegistry(connector.Family()).
package connector

import (
	"encoding/binary"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// Family returns the NETLINK_CONNECTOR decoder.
func Family() *decode.Family {
	return &decode.Family{Protocol: unix.NETLINK_CONNECTOR, Name: "connector", DoneIsMessage: true,
		Types: []decode.MessageType{client.TypeDone: {Name: "CN_MSG", Header: &cnMsg, Body: body}}}
}

// cnMsgLen is the size of struct cn_msg before its data.
const cnMsgLen = 20

// CN_IDX_* (linux/connector.h).
var indexes = decode.Enum{Name: "CN_IDX", Open: true, Names: []string{
	1: "proc", 2: "cifs", 3: "w1", 4: "v86d", 5: "bb", 6: "dst", 7: "dm", 8: "drbd", 9: "hyperv-kvp", 10: "hyperv-vss",
}}

var cnMsg = decode.Layout{Name: "cn_msg", Size: cnMsgLen, Members: []decode.Attr{
	{Name: "idx", Type: decode.U32, Sem: decode.EnumValue, Enum: &indexes, Off: 0},
	{Name: "val", Type: decode.U32, Off: 4},
	{Name: "seq", Type: decode.U32, Off: 8},
	{Name: "ack", Type: decode.U32, Off: 12},
	{Name: "len", Type: decode.U16, Off: 16},
	{Name: "flags", Type: decode.U16, Sem: decode.Hex, Off: 18},
}}

const idxProc = 1

// body decodes a cn_msg's data by the user its id names.
func body(b *decode.Builder, p []byte, off int) {
	if len(p) < cnMsgLen {
		return
	}
	n := int(binary.NativeEndian.Uint16(p[16:]))
	data, doff := p[cnMsgLen:], off+cnMsgLen
	if n > len(data) {
		b.Malformed(doff, len(data), "cn_msg len exceeds the message")
		n = len(data)
	}
	rest := data[n:]
	data = data[:n]
	switch {
	case len(data) == 0:
	case binary.NativeEndian.Uint32(p) == idxProc && (len(data) == 4 || len(data) == 8):
		b.Open("proc_input", doff, len(data))
		b.Layout(&procInput, data, doff)
		b.Close()
	case binary.NativeEndian.Uint32(p) == idxProc:
		procEvent(b, data, doff)
	default:
		b.Bytes("data", data, doff)
	}
	if len(rest) > 0 {
		b.Bytes("trailing", rest, doff+n)
	}
}

var mcastOps = decode.Enum{Name: "PROC_CN_MCAST", Names: []string{1: "LISTEN", 2: "IGNORE"}}

// eventNames names PROC_EVENT_* bits (linux/cn_proc.h; NONZERO_EXIT is
// from Linux 6.6).
var eventNames = decode.FlagSet{Name: "PROC_EVENT", Bits: func() []string {
	b := make([]string, 32)
	b[0], b[1], b[2], b[6], b[7], b[8], b[9] = "FORK", "EXEC", "UID", "GID", "SID", "PTRACE", "COMM"
	b[29], b[30], b[31] = "NONZERO_EXIT", "COREDUMP", "EXIT"
	return b
}()}

// procInput is what a listener sends: the operation alone, or since Linux
// 6.6 struct proc_input with the events it wants.
var procInput = decode.Layout{Name: "proc_input", Size: 8, Members: []decode.Attr{
	{Name: "mcast_op", Type: decode.U32, Sem: decode.EnumValue, Enum: &mcastOps, Off: 0},
	{Name: "event_type", Type: decode.U32, Sem: decode.FlagBits, Flags: &eventNames, Off: 4},
}}

var whatNames = decode.Enum{Name: "PROC_EVENT", Sparse: map[uint64]string{
	0: "NONE", 0x1: "FORK", 0x2: "EXEC", 0x4: "UID", 0x40: "GID", 0x80: "SID", 0x100: "PTRACE", 0x200: "COMM",
	0x20000000: "NONZERO_EXIT", 0x40000000: "COREDUMP", 0x80000000: "EXIT",
}}

var eventHeader = decode.Layout{Name: "proc_event", Size: 16, Members: []decode.Attr{
	{Name: "what", Type: decode.U32, Sem: decode.EnumValue, Enum: &whatNames, Off: 0},
	{Name: "cpu", Type: decode.U32, Off: 4},
	{Name: "timestamp_ns", Type: decode.U64, Off: 8},
}}

func pids(names ...string) []decode.Attr {
	var m []decode.Attr
	for i, n := range names {
		m = append(m, decode.Attr{Name: n, Type: decode.S32, Off: 4 * i})
	}
	return m
}

var (
	ackEvent  = decode.Layout{Name: "ack", Size: 4, Members: []decode.Attr{{Name: "err", Type: decode.U32, Off: 0}}}
	forkEvent = decode.Layout{Name: "fork", Size: 16, Members: pids("parent_pid", "parent_tgid", "child_pid", "child_tgid")}
	execEvent = decode.Layout{Name: "exec", Size: 8, Members: pids("process_pid", "process_tgid")}
	uidEvent  = decode.Layout{Name: "id", Size: 16, Members: append(pids("process_pid", "process_tgid"),
		decode.Attr{Name: "ruid", Type: decode.U32, Off: 8}, decode.Attr{Name: "euid", Type: decode.U32, Off: 12})}
	gidEvent = decode.Layout{Name: "id", Size: 16, Members: append(pids("process_pid", "process_tgid"),
		decode.Attr{Name: "rgid", Type: decode.U32, Off: 8}, decode.Attr{Name: "egid", Type: decode.U32, Off: 12})}
	sidEvent    = decode.Layout{Name: "sid", Size: 8, Members: pids("process_pid", "process_tgid")}
	ptraceEvent = decode.Layout{Name: "ptrace", Size: 16, Members: pids("process_pid", "process_tgid", "tracer_pid", "tracer_tgid")}
	commEvent   = decode.Layout{Name: "comm", Size: 24, Members: append(pids("process_pid", "process_tgid"),
		decode.Attr{Name: "comm", Type: decode.String, Off: 8, Len: 16})}
	coredumpEvent = decode.Layout{Name: "coredump", Size: 16, Members: pids("process_pid", "process_tgid", "parent_pid", "parent_tgid")}
	exitEvent     = decode.Layout{Name: "exit", Size: 24, Members: append(pids("process_pid", "process_tgid"),
		decode.Attr{Name: "exit_code", Type: decode.U32, Sem: decode.Hex, Off: 8}, decode.Attr{Name: "exit_signal", Type: decode.U32, Off: 12},
		decode.Attr{Name: "parent_pid", Type: decode.S32, Off: 16}, decode.Attr{Name: "parent_tgid", Type: decode.S32, Off: 20})}
)

// procEvent decodes struct proc_event: the header, then the union member
// that what selects.
func procEvent(b *decode.Builder, p []byte, off int) {
	if len(p) < eventHeader.Size {
		b.Malformed(off, len(p), "shorter than proc_event")
		return
	}
	b.Open("proc_event", off, len(p))
	defer b.Close()
	b.Layout(&eventHeader, p[:eventHeader.Size], off)
	data, doff := p[eventHeader.Size:], off+eventHeader.Size
	var l *decode.Layout
	switch binary.NativeEndian.Uint32(p) {
	case 0:
		l = &ackEvent
	case 0x1:
		l = &forkEvent
	case 0x2:
		l = &execEvent
	case 0x4:
		l = &uidEvent
	case 0x40:
		l = &gidEvent
	case 0x80:
		l = &sidEvent
	case 0x100:
		l = &ptraceEvent
	case 0x200:
		l = &commEvent
	case 0x40000000:
		l = &coredumpEvent
	case 0x20000000, 0x80000000:
		l = &exitEvent
	}
	if l == nil {
		b.Bytes("event_data", data, doff)
		return
	}
	// The kernel sends the whole union (24 bytes): bytes beyond this
	// member are the union's padding, not trailing data.
	n := min(len(data), l.Size)
	b.Open(l.Name, doff, n)
	b.Layout(l, data[:n], doff)
	b.Close()
	if len(data) < l.Size {
		b.Malformed(doff, len(data), "shorter than "+l.Name)
	}
}
