package render

import (
	"strconv"
	"unicode/utf8"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/decode"
)

const hexDigits = "0123456789abcdef"

func appendHex4(b []byte, v int) []byte {
	return append(b, hexDigits[v>>12&15], hexDigits[v>>8&15], hexDigits[v>>4&15], hexDigits[v&15])
}

// AppendHex appends message i of t as its headline, a hex dump with
// offsets into the record, and each field with its byte span.
func AppendHex(b []byte, t *decode.Tree, i int) []byte {
	m := &t.Messages[i]
	b = appendHeadline(b, t, i)
	b = append(b, '\n')
	data := t.Data[m.Off : m.Off+m.Len]
	secret := hasRedacted(t, i)
	for row := 0; row < len(data); row += 16 {
		b = append(b, indentUnit...)
		b = appendHex4(b, m.Off+row)
		b = append(b, "  "...)
		end := min(row+16, len(data))
		for k := row; k < row+16; k++ {
			switch {
			case k < end && secret && t.Redacted(i, m.Off+k, 1):
				b = append(b, "** "...)
			case k < end:
				c := data[k]
				b = append(b, hexDigits[c>>4], hexDigits[c&15], ' ')
			default:
				b = append(b, "   "...)
			}
			if k == row+7 {
				b = append(b, ' ')
			}
		}
		b = append(b, " |"...)
		for k, c := range data[row:end] {
			if c < 0x20 || c > 0x7e || secret && t.Redacted(i, m.Off+row+k, 1) {
				c = '.'
			}
			b = append(b, c)
		}
		b = append(b, "|\n"...)
	}
	fields := t.MessageFields(i)
	for j := range fields {
		f := &fields[j]
		b = append(b, indentUnit...)
		b = appendHex4(b, int(f.Off))
		b = append(b, '+')
		b = strconv.AppendInt(b, int64(f.Len), 10)
		for k := len(strconv.Itoa(int(f.Len))); k < 5; k++ {
			b = append(b, ' ')
		}
		for range int(f.Depth) {
			b = append(b, "  "...)
		}
		b = decode.AppendName(b, f)
		if f.Kind != decode.KindNone {
			b = append(b, ' ')
			b = decode.AppendValue(b, t, f)
		}
		b = append(b, '\n')
	}
	return b
}

// hasRedacted reports whether message i has a redacted field, so hex dumps
// of messages without secrets skip the per-byte check.
func hasRedacted(t *decode.Tree, i int) bool {
	for _, f := range t.MessageFields(i) {
		if f.Kind == decode.KindRedacted {
			return true
		}
	}
	return false
}

// JSON field names are stable: tools may depend on them.
//
// A message object has: time (RFC 3339, when known: when the bytes
// crossed, a send's call start or a receive's return), call_time (a
// receive's call start, when known), direction, pid, comm,
// protocol, offset, length, type (name or "type N"), type_num, flags (list
// of names), seq, port, malformed, and for replies request, error (errno
// number), error_text, dump_count, dump_ns; then fields.
//
// A field object has: name, offset, length, and where they apply: attr
// (attribute type number), index (array element), value (a number for
// plain integers, a string otherwise), text (the value as the text forms
// show it), unknown, malformed, reason, and fields (children).

// AppendJSON appends message i of t as one JSON object and a newline.
func AppendJSON(b []byte, t *decode.Tree, i int) []byte {
	m := &t.Messages[i]
	meta := &t.Meta
	b = append(b, '{')
	if !meta.Time.IsZero() {
		b = append(b, `"time":"`...)
		b = meta.Time.AppendFormat(b, "2006-01-02T15:04:05.000000000Z07:00")
		b = append(b, `",`...)
	}
	if !meta.CallTime.IsZero() {
		b = append(b, `"call_time":"`...)
		b = meta.CallTime.AppendFormat(b, "2006-01-02T15:04:05.000000000Z07:00")
		b = append(b, `",`...)
	}
	if d := capture.Direction(meta.Direction); d != capture.DirectionUnknown {
		b = append(b, `"direction":"`...)
		b = append(b, d.String()...)
		b = append(b, `",`...)
	}
	if meta.PID != 0 {
		b = append(b, `"pid":`...)
		b = strconv.AppendUint(b, uint64(meta.PID), 10)
		b = append(b, ',')
	}
	if meta.Comm != "" {
		b = append(b, `"comm":`...)
		b = appendJSONText(b, meta.Comm)
		b = append(b, ',')
	}
	b = append(b, `"protocol":`...)
	if meta.Family != "" {
		b = appendJSONText(b, meta.Family)
	} else {
		b = strconv.AppendUint(b, uint64(meta.Protocol), 10)
	}
	b = append(b, `,"offset":`...)
	b = strconv.AppendInt(b, int64(m.Off), 10)
	b = append(b, `,"length":`...)
	b = strconv.AppendInt(b, int64(m.Len), 10)
	b = append(b, `,"type":"`...)
	b = appendTypeName(b, m)
	b = append(b, `","type_num":`...)
	b = strconv.AppendUint(b, uint64(m.Header.Type), 10)
	b = append(b, `,"flags":[`...)
	var fl [64]byte
	names := decode.AppendFlags(fl[:0], m)
	if !(len(names) == 1 && names[0] == '0') {
		start := 0
		for k := 0; k <= len(names); k++ {
			if k == len(names) || names[k] == ',' {
				if start > 0 {
					b = append(b, ',')
				}
				b = append(b, '"')
				b = append(b, names[start:k]...)
				b = append(b, '"')
				start = k + 1
			}
		}
	}
	b = append(b, `],"seq":`...)
	b = strconv.AppendUint(b, uint64(m.Header.Sequence), 10)
	b = append(b, `,"port":`...)
	b = strconv.AppendUint(b, uint64(m.Header.PortID), 10)
	if m.Malformed {
		b = append(b, `,"malformed":true`...)
	}
	if m.Trailing {
		b = append(b, `,"trailing":true`...)
	}
	if m.Request != "" {
		b = append(b, `,"request":`...)
		b = appendJSONText(b, m.Request)
	}
	if m.IsAck || m.IsDone {
		b = append(b, `,"error":`...)
		b = strconv.AppendInt(b, int64(m.Errno), 10)
		b = append(b, `,"error_text":"`...)
		b = decode.AppendMessageErrno(b, m)
		b = append(b, '"')
	}
	if m.InBatch {
		b = append(b, `,"batch":`...)
		b = strconv.AppendInt(b, int64(m.Batch), 10)
		b = append(b, `,"batch_len":`...)
		b = strconv.AppendInt(b, int64(m.BatchLen), 10)
	}
	if m.HasDump {
		b = append(b, `,"dump_count":`...)
		b = strconv.AppendInt(b, int64(m.DumpCount), 10)
		b = append(b, `,"dump_ns":`...)
		b = strconv.AppendInt(b, int64(m.DumpTime), 10)
	}
	b = append(b, `,"fields":`...)
	b = appendJSONFields(b, t, t.MessageFields(i))
	return append(b, "}\n"...)
}

func appendJSONFields(b []byte, t *decode.Tree, fields []decode.Field) []byte {
	b = append(b, '[')
	if len(fields) == 0 {
		return append(b, ']')
	}
	base := fields[0].Depth
	first := true
	for j := 0; j < len(fields); j++ {
		f := &fields[j]
		if f.Depth != base {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `{"name":`...)
		var nb [96]byte
		b = appendJSONText(b, decode.AppendName(nb[:0], f))
		b = append(b, `,"offset":`...)
		b = strconv.AppendInt(b, int64(f.Off), 10)
		b = append(b, `,"length":`...)
		b = strconv.AppendInt(b, int64(f.Len), 10)
		if f.Has(decode.FieldAttr) {
			b = append(b, `,"attr":`...)
			b = strconv.AppendUint(b, uint64(f.Type), 10)
		}
		if f.Has(decode.FieldUnknown) {
			b = append(b, `,"unknown":true`...)
		}
		if f.Has(decode.FieldMalformed) {
			b = append(b, `,"malformed":true`...)
			if f.Str != "" {
				b = append(b, `,"reason":`...)
				b = appendJSONText(b, f.Str)
			}
		}
		switch f.Kind {
		case decode.KindNone:
			end := j + 1
			for end < len(fields) && fields[end].Depth > base {
				end++
			}
			b = append(b, `,"fields":`...)
			b = appendJSONFields(b, t, fields[j+1:end])
			j = end - 1
		case decode.KindUint:
			b = append(b, `,"value":`...)
			b = strconv.AppendUint(b, f.Num, 10)
			if f.Sem() != decode.Plain {
				b = append(b, `,"text":`...)
				var vb [128]byte
				b = appendJSONText(b, decode.AppendValue(vb[:0], t, f))
			}
		case decode.KindInt, decode.KindErrno:
			b = append(b, `,"value":`...)
			b = strconv.AppendInt(b, int64(f.Num), 10)
			if f.Sem() != decode.Plain || f.Kind == decode.KindErrno {
				b = append(b, `,"text":`...)
				var vb [128]byte
				b = appendJSONText(b, decode.AppendValue(vb[:0], t, f))
			}
		case decode.KindFlag:
			b = append(b, `,"value":true`...)
		case decode.KindString:
			b = append(b, `,"value":`...)
			b = appendJSONText(b, t.Value(f))
		case decode.KindRedacted:
			b = append(b, `,"redacted":true,"text":`...)
			var vb [64]byte
			b = appendJSONText(b, decode.AppendValue(vb[:0], t, f))
		case decode.KindMalformed:
			b = append(b, `,"malformed":true,"reason":`...)
			b = appendJSONText(b, f.Str)
		default:
			b = append(b, `,"value":`...)
			var vb [128]byte
			b = appendJSONText(b, decode.AppendValue(vb[:0], t, f))
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendJSONText appends text as a JSON string, replacing invalid UTF-8 with
// U+FFFD so every line stays valid JSON.
func appendJSONText[T ~string | ~[]byte](b []byte, s T) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, `\u00`...)
				b = append(b, hexDigits[c>>4], hexDigits[c&15])
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
		if r == utf8.RuneError && n == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}
