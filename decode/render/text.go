package render

import (
	"strconv"

	"github.com/nltrace/nltrace/decode"
)

// AppendCompact appends message i of t as one line.
func AppendCompact(b []byte, t *decode.Tree, i int) []byte {
	b = appendHeadline(b, t, i)
	b = AppendCompactFields(b, t, i)
	return append(b, '\n')
}

// AppendCompactFields appends what follows the headline in AppendCompact:
// the fields of message i as name=value pairs, each after a space, nests
// in braces, the extended ACK last. A viewer that shows the headline's
// parts in columns of its own (the TUI) shows this as the summary.
func AppendCompactFields(b []byte, t *decode.Tree, i int) []byte {
	fields := t.MessageFields(i)
	open := 0 // braces open
	var depthStack [64]uint8
	for j := 0; j < len(fields); j++ {
		f := &fields[j]
		for open > 0 && f.Depth <= depthStack[open-1] {
			b = append(b, '}')
			open--
		}
		if skip(f) || (f.Depth == 0 && f.Name == "request" && f.Kind == decode.KindNone) {
			j = subtreeEnd(fields, j) - 1
			continue
		}
		if f.Depth == 0 && f.Name == "error" && f.Kind == decode.KindErrno {
			continue // the headline shows it
		}
		if f.Depth == 0 && f.Name == "extack" && f.Kind == decode.KindNone {
			end := subtreeEnd(fields, j)
			b = appendExtack(b, t, fields[j+1:end], true)
			j = end - 1
			continue
		}
		if open == 0 || b[len(b)-1] != '{' {
			b = append(b, ' ')
		}
		if isHeaderStruct(f) {
			end := subtreeEnd(fields, j)
			b = appendPairs(b, t, fields[j+1:end])
			j = end - 1
			continue
		}
		b = decode.AppendName(b, f)
		if f.Kind == decode.KindNone {
			b = append(b, "={"...)
			if open < len(depthStack) {
				depthStack[open] = f.Depth
				open++
			}
			continue
		}
		b = append(b, '=')
		b = decode.AppendValue(b, t, f)
	}
	for ; open > 0; open-- {
		b = append(b, '}')
	}
	return b
}

// appendPairs appends struct members as name=value pairs separated by
// spaces; nested structs print as name={...}.
func appendPairs(b []byte, t *decode.Tree, fields []decode.Field) []byte {
	base := uint8(0)
	if len(fields) > 0 {
		base = fields[0].Depth
	}
	first := true
	for j := range fields {
		f := &fields[j]
		if f.Depth != base {
			continue
		}
		if !first {
			b = append(b, ' ')
		}
		first = false
		b = decode.AppendName(b, f)
		b = append(b, '=')
		if f.Kind == decode.KindNone {
			end := subtreeEnd(fields, j)
			b = append(b, '{')
			b = appendPairs(b, t, fields[j+1:end])
			b = append(b, '}')
			continue
		}
		b = decode.AppendValue(b, t, f)
	}
	return b
}

// appendExtack appends ` extack: "msg" at offset N → PATH value` and any
// other extended-ACK attributes.
func appendExtack(b []byte, t *decode.Tree, fields []decode.Field, lead bool) []byte {
	if lead {
		b = append(b, ' ')
	}
	b = append(b, "extack:"...)
	var path *decode.Field
	for j := range fields {
		if fields[j].Name == "offset_path" {
			path = &fields[j]
		}
	}
	for j := 0; j < len(fields); j++ {
		f := &fields[j]
		switch f.Name {
		case "NLMSGERR_ATTR_MSG":
			b = append(b, ' ')
			b = decode.AppendValue(b, t, f)
		case "NLMSGERR_ATTR_OFFS":
			b = append(b, " at offset "...)
			b = strconv.AppendUint(b, f.Num, 10)
			if path != nil {
				b = append(b, " → "...)
				b = append(b, path.Str...)
			}
		case "offset_path":
		default:
			b = append(b, ' ')
			b = decode.AppendName(b, f)
			if f.Kind == decode.KindNone {
				end := subtreeEnd(fields, j)
				b = append(b, "={"...)
				b = appendPairs(b, t, fields[j+1:end])
				b = append(b, '}')
				j = end - 1
				continue
			}
			b = append(b, '=')
			b = decode.AppendValue(b, t, f)
		}
	}
	return b
}

const indentUnit = "    "

// AppendTree appends message i of t as a headline and one line per field,
// indented by depth. Fixed headers and struct values print on one line as
// name=value pairs.
func AppendTree(b []byte, t *decode.Tree, i int) []byte {
	b = appendHeadline(b, t, i)
	b = append(b, '\n')
	fields := t.MessageFields(i)
	for j := 0; j < len(fields); j++ {
		f := &fields[j]
		if skip(f) || (f.Depth == 0 && f.Name == "request" && f.Kind == decode.KindNone) ||
			(f.Depth == 0 && f.Name == "error" && f.Kind == decode.KindErrno) {
			j = subtreeEnd(fields, j) - 1
			continue
		}
		for range int(f.Depth) + 1 {
			b = append(b, indentUnit...)
		}
		end := subtreeEnd(fields, j)
		switch {
		case f.Depth == 0 && f.Name == "extack" && f.Kind == decode.KindNone:
			b = appendExtack(b, t, fields[j+1:end], false)
			b = append(b, '\n')
			j = end - 1
			continue
		case f.Kind == decode.KindNone && (isHeaderStruct(f) || isStructValue(f)):
			b = decode.AppendName(b, f)
			b = append(b, ' ')
			b = appendPairs(b, t, fields[j+1:end])
			b = append(b, '\n')
			j = end - 1
			continue
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

// isStructValue says a container is a struct-valued attribute or a struct
// array element, which prints on one line.
func isStructValue(f *decode.Field) bool {
	if f.Spec == nil {
		return false
	}
	return f.Spec.Type == decode.Struct || f.Spec.Type == decode.StructArray
}
