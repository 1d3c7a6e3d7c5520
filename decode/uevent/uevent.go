// Package uevent is the NETLINK_KOBJECT_UEVENT schema for the decoder:
// kernel uevents (an "ACTION@DEVPATH" line, then NUL-separated KEY=value
// pairs) and the events udev re-broadcasts, which start with libudev's
// monitor header ("libudev\0", a magic number, offsets and filter hashes)
// before the same pairs. Neither is framed by an nlmsghdr, so the family
// decodes whole records through decode.Family.Raw.
//
// Register it with decode.NewRegistry(uevent.Family()).
package uevent

import (
	"bytes"
	"encoding/binary"

	"github.com/nltrace/nltrace/decode"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// Family returns the NETLINK_KOBJECT_UEVENT decoder.
func Family() *decode.Family {
	return &decode.Family{Protocol: unix.NETLINK_KOBJECT_UEVENT, Name: "uevent", Raw: decodeRecord, Names: names}
}

func names() []string {
	out := []string{"uevent", "libudev"}
	for _, a := range actions {
		out = append(out, a, "libudev "+a)
	}
	return out
}

// libudevMagic is UDEV_MONITOR_MAGIC, stored big-endian.
const libudevMagic = 0xfeedcafe

// monitorHeader is libudev's struct udev_monitor_netlink_header. The
// offsets are in host order, the magic and the filter hashes big-endian.
var monitorHeader = decode.Layout{Name: "udev_monitor_netlink_header", Size: 40, Members: []decode.Attr{
	{Name: "prefix", Type: decode.String, Off: 0, Len: 8},
	{Name: "magic", Type: decode.BE32, Sem: decode.Hex, Off: 8},
	{Name: "header_size", Type: decode.U32, Off: 12},
	{Name: "properties_off", Type: decode.U32, Off: 16},
	{Name: "properties_len", Type: decode.U32, Off: 20},
	{Name: "filter_subsystem_hash", Type: decode.BE32, Sem: decode.Hex, Off: 24},
	{Name: "filter_devtype_hash", Type: decode.BE32, Sem: decode.Hex, Off: 28},
	{Name: "filter_tag_bloom_hi", Type: decode.BE32, Sem: decode.Hex, Off: 32},
	{Name: "filter_tag_bloom_lo", Type: decode.BE32, Sem: decode.Hex, Off: 36},
}}

var (
	actionSpec  = decode.Attr{Name: "action", Type: decode.String}
	devpathSpec = decode.Attr{Name: "devpath", Type: decode.String}
	lineSpec    = decode.Attr{Name: "line", Type: decode.String}
)

// decodeRecord decodes one uevent datagram and names it by its action
// ("add", "remove", ...) as the kernel's first line or the ACTION pair
// gives it.
func decodeRecord(b *decode.Builder, data []byte) string {
	if bytes.HasPrefix(data, []byte("libudev\x00")) {
		return decodeLibudev(b, data)
	}
	name := "uevent"
	line, rest := cut(data)
	at := bytes.IndexByte(line, '@')
	if at < 0 {
		b.Malformed(0, len(data), "no ACTION@DEVPATH line")
		return name
	}
	b.Field(&actionSpec, line[:at], 0)
	b.Field(&devpathSpec, line[at+1:], at+1)
	if a := actionName(line[:at]); a != "" {
		name = a
	}
	pairs(b, rest, len(line)+1)
	return name
}

func decodeLibudev(b *decode.Builder, data []byte) string {
	h := &monitorHeader
	if len(data) < h.Size {
		b.Malformed(0, len(data), "shorter than udev_monitor_netlink_header")
		return "libudev"
	}
	b.Header(h, data[:h.Size], 0)
	if m := binary.BigEndian.Uint32(data[8:]); m != libudevMagic {
		b.Malformed(8, 4, "not libudev's magic 0xfeedcafe")
		return "libudev"
	}
	off := int(binary.NativeEndian.Uint32(data[16:]))
	n := int(binary.NativeEndian.Uint32(data[20:]))
	if off < h.Size || off > len(data) || n < 0 || n > len(data)-off {
		b.Malformed(h.Size, len(data)-h.Size, "properties outside the record")
		return "libudev"
	}
	if off > h.Size {
		b.Bytes("gap", data[h.Size:off], h.Size)
	}
	pairs(b, data[off:off+n], off)
	name := "libudev"
	if a := actionName(value(data[off:off+n], "ACTION=")); a != "" {
		name = "libudev " + a
	}
	if end := off + n; end < len(data) {
		b.Bytes("trailing", data[end:], end)
	}
	return name
}

// value returns the value of the pair that starts with key in p.
func value(p []byte, key string) []byte {
	for len(p) > 0 {
		s, rest := cut(p)
		if v, ok := bytes.CutPrefix(s, []byte(key)); ok {
			return v
		}
		p = rest
	}
	return nil
}

// pairs decodes NUL-separated KEY=value strings, each as a field named by
// its key. The names are the record's own, so each pair allocates its
// schema entry: uevents are rare enough for that.
func pairs(b *decode.Builder, p []byte, off int) {
	for len(p) > 0 {
		s, rest := cut(p)
		if len(s) > 0 {
			if eq := bytes.IndexByte(s, '='); eq > 0 {
				spec := &decode.Attr{Name: string(s[:eq]), Type: decode.String}
				b.Field(spec, s[eq+1:], off+eq+1)
			} else {
				b.Field(&lineSpec, s, off)
			}
		}
		off += len(s) + 1
		p = rest
	}
}

// cut splits p at its first NUL.
func cut(p []byte) (line, rest []byte) {
	if i := bytes.IndexByte(p, 0); i >= 0 {
		return p[:i], p[i+1:]
	}
	return p, nil
}

// actionName returns a when it is one of the kernel's kobject actions
// (lib/kobject_uevent.c), which name the message, and "" otherwise.
func actionName(a []byte) string {
	for _, n := range actions {
		if string(a) == n {
			return n
		}
	}
	return ""
}

var actions = [...]string{"add", "remove", "change", "move", "online", "offline", "bind", "unbind"}
