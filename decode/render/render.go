package render

import (
	"strconv"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/decode"
)

// Format is one of the output forms.
type Format uint8

const (
	Compact Format = iota // one line per message
	Tree                  // a header line, then one line per field, indented by depth
	Hex                   // the message's bytes with offsets, then each field's span
	JSON                  // one JSON object per message
	Go                    // a Go byte-slice literal per message, for test fixtures
)

// ParseFormat reads a format name as the command line gives it.
func ParseFormat(s string) (Format, error) {
	switch s {
	case "compact":
		return Compact, nil
	case "tree":
		return Tree, nil
	case "hex":
		return Hex, nil
	case "json":
		return JSON, nil
	case "go":
		return Go, nil
	}
	return 0, &FormatError{Name: s}
}

// FormatError reports an unknown format name.
type FormatError struct{ Name string }

func (e *FormatError) Error() string {
	return "unknown output format " + strconv.Quote(e.Name) + " (want compact, tree, hex, json or go)"
}

// Append appends every message of t in format f to b and returns it. b is
// meant to be reused between calls, so rendering allocates nothing once it
// has grown.
func Append(b []byte, t *decode.Tree, f Format) []byte {
	for i := range t.Messages {
		switch f {
		case Compact:
			b = AppendCompact(b, t, i)
		case Tree:
			b = AppendTree(b, t, i)
		case Hex:
			b = AppendHex(b, t, i)
		case JSON:
			b = AppendJSON(b, t, i)
		case Go:
			b = AppendGo(b, t, i)
		}
	}
	return b
}

// appendClock appends t as "15:04:05.000000" in t's location. It is
// Time.AppendFormat with that layout, without parsing the layout for every
// message of a 100,000-message dump.
func appendClock(b []byte, t time.Time) []byte {
	h, m, s := t.Clock()
	us := t.Nanosecond() / 1000
	b = append(b, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10), ':', byte('0'+s/10), byte('0'+s%10), '.')
	for div := 100000; div > 0; div /= 10 {
		b = append(b, byte('0'+us/div%10))
	}
	return b
}

// appendLead appends what starts every message's line: time, process,
// direction and protocol, as far as the record told them.
func appendLead(b []byte, t *decode.Tree) []byte {
	m := &t.Meta
	if !m.Time.IsZero() {
		b = appendClock(b, m.Time)
		b = append(b, ' ')
	}
	if m.Comm != "" || m.PID != 0 {
		b = append(b, m.Comm...)
		b = append(b, '(')
		b = strconv.AppendUint(b, uint64(m.PID), 10)
		b = append(b, ") "...)
	}
	if d := capture.Direction(m.Direction); d != capture.DirectionUnknown {
		b = append(b, d.Arrow()...)
		b = append(b, ' ')
	}
	if m.Family != "" {
		b = append(b, m.Family...)
	} else {
		b = append(b, "proto "...)
		b = strconv.AppendUint(b, uint64(m.Protocol), 10)
	}
	return b
}

// appendHeadline appends the message's first line, without a newline.
func appendHeadline(b []byte, t *decode.Tree, i int) []byte {
	m := &t.Messages[i]
	b = appendLead(b, t)
	if m.Trailing {
		b = append(b, " trailing "...)
		b = strconv.AppendInt(b, int64(m.Len), 10)
		return append(b, " zero bytes after the last message (the kernel ignores them)"...)
	}
	b = append(b, ' ')
	b = appendTypeName(b, m)
	switch {
	case m.IsAck:
		b = append(b, " seq="...)
		b = strconv.AppendUint(b, uint64(m.Header.Sequence), 10)
		if m.Header.Flags != 0 {
			b = append(b, " flags="...)
			b = decode.AppendFlags(b, m)
		}
		b = append(b, ' ')
		if m.Errno == 0 {
			b = append(b, "ack for "...)
			b = appendRequest(b, m)
			b = appendBatchOf(b, m)
			b = append(b, ": ok"...)
		} else {
			b = appendRequest(b, m)
			b = appendBatchOf(b, m)
			b = append(b, " failed: "...)
			b = decode.AppendMessageErrno(b, m)
		}
		return b
	case m.IsDone:
		b = append(b, " seq="...)
		b = strconv.AppendUint(b, uint64(m.Header.Sequence), 10)
		if m.Request != "" {
			b = append(b, " end of "...)
			b = append(b, m.Request...)
			b = append(b, " dump"...)
		}
		if m.HasDump {
			b = append(b, ": "...)
			b = strconv.AppendInt(b, int64(m.DumpCount), 10)
			b = append(b, " messages"...)
			if m.DumpTime > 0 {
				b = append(b, " in "...)
				b = appendDuration(b, m.DumpTime)
			}
		}
		if m.Errno != 0 {
			b = append(b, " error "...)
			b = decode.AppendMessageErrno(b, m)
		}
		return b
	}
	if m.Raw {
		// No netlink header: no flags, sequence number or port to show.
		if m.Malformed {
			b = append(b, " [malformed]"...)
		}
		return b
	}
	if m.Header.Flags != 0 {
		b = append(b, ' ')
		b = decode.AppendFlags(b, m)
	}
	b = append(b, " seq="...)
	b = strconv.AppendUint(b, uint64(m.Header.Sequence), 10)
	if m.Header.PortID != 0 {
		b = append(b, " port="...)
		b = strconv.AppendUint(b, uint64(m.Header.PortID), 10)
	}
	if m.InBatch {
		b = appendBatch(b, m)
	}
	if m.Malformed {
		b = append(b, " [malformed]"...)
	}
	return b
}

// appendBatch appends where a message sits in its batch: " batch=3/7"
// inside it, " batch of 7" on its begin and end; "?" when the record did
// not hold the batch's end.
func appendBatch(b []byte, m *decode.Message) []byte {
	if m.Batch == 0 {
		b = append(b, " batch of "...)
	} else {
		b = append(b, " batch="...)
		b = strconv.AppendInt(b, int64(m.Batch), 10)
		b = append(b, '/')
	}
	if m.BatchLen > 0 {
		return strconv.AppendInt(b, int64(m.BatchLen), 10)
	}
	return append(b, '?')
}

// appendBatchOf appends, after the name of the request an ACK answers,
// where that request sat in its batch: " (batch 3/7)".
func appendBatchOf(b []byte, m *decode.Message) []byte {
	if m.Batch == 0 {
		return b
	}
	b = append(b, " (batch "...)
	b = strconv.AppendInt(b, int64(m.Batch), 10)
	b = append(b, '/')
	if m.BatchLen > 0 {
		b = strconv.AppendInt(b, int64(m.BatchLen), 10)
	} else {
		b = append(b, '?')
	}
	return append(b, ')')
}

func appendRequest(b []byte, m *decode.Message) []byte {
	if m.Request != "" {
		return append(b, m.Request...)
	}
	return append(b, "request"...)
}

func appendTypeName(b []byte, m *decode.Message) []byte {
	if m.Name != "" {
		return append(b, m.Name...)
	}
	if m.Len < 16 {
		return append(b, "malformed"...)
	}
	b = append(b, "type "...)
	return strconv.AppendUint(b, uint64(m.Header.Type), 10)
}

func appendDuration(b []byte, d time.Duration) []byte {
	switch {
	case d >= time.Second:
		b = strconv.AppendFloat(b, d.Seconds(), 'f', 3, 64)
		return append(b, 's')
	case d >= time.Millisecond:
		b = strconv.AppendFloat(b, float64(d)/float64(time.Millisecond), 'f', 3, 64)
		return append(b, "ms"...)
	}
	b = strconv.AppendFloat(b, float64(d)/float64(time.Microsecond), 'f', 1, 64)
	return append(b, "µs"...)
}

// skip reports whether renderers leave field f out of text forms: the
// nlmsghdr (the headline shows it) and the echoed request header of an ACK.
func skip(f *decode.Field) bool {
	return f.Depth == 0 && f.Has(decode.FieldHeader) && f.Name == "nlmsghdr"
}

// subtreeEnd returns the index after the last descendant of fields[i].
func subtreeEnd(fields []decode.Field, i int) int {
	d := fields[i].Depth
	j := i + 1
	for j < len(fields) && fields[j].Depth > d {
		j++
	}
	return j
}

// isHeaderStruct says fields[i] is a message's fixed header (ifinfomsg),
// which text forms show on one line as name=value pairs.
func isHeaderStruct(f *decode.Field) bool {
	return f.Kind == decode.KindNone && f.Has(decode.FieldHeader)
}
