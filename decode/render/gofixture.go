package render

import (
	"strconv"

	"github.com/nltrace/nltrace/decode"
)

// AppendGo appends message i of t as a Go byte-slice literal followed by a
// comma, preceded by a comment holding its compact one-line form, so that
// a run of them pasted between `[][]byte{` and `}` is a test fixture
// (client/clienttest and other libraries' fake sockets take such bytes).
// Redacted secrets are written as zero bytes, as -w --redact-secrets
// writes them, and the comment says so.
func AppendGo(b []byte, t *decode.Tree, i int) []byte {
	m := &t.Messages[i]
	b = append(b, "// "...)
	line := AppendCompact(b, t, i)
	// The compact form ends in a newline; a comment must hold no other.
	for k := len(b); k < len(line); k++ {
		if line[k] == '\n' || line[k] == '\r' {
			line[k] = ' '
		}
	}
	b = line
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	b = append(b, '\n')
	secret := hasRedacted(t, i)
	if secret {
		b = append(b, "// (secret bytes are zeroed; --show-secrets keeps them)\n"...)
	}
	if m.Cut {
		b = append(b, "// (cut: "...)
		b = strconv.AppendInt(b, int64(m.Len), 10)
		b = append(b, " of "...)
		b = strconv.AppendUint(b, uint64(m.Header.Length), 10)
		b = append(b, " bytes)\n"...)
	}
	data := t.Data[m.Off : m.Off+m.Len]
	b = append(b, "[]byte{"...)
	for k, c := range data {
		if k%16 == 0 {
			b = append(b, "\n\t"...)
		} else {
			b = append(b, ' ')
		}
		if secret && t.Redacted(i, m.Off+k, 1) {
			c = 0
		}
		b = append(b, '0', 'x', hexDigits[c>>4], hexDigits[c&15], ',')
	}
	if len(data) > 0 {
		b = append(b, '\n')
	}
	return append(b, "},\n"...)
}
