package xfrm_test

import (
	"fmt"

	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/xfrm"
)

func registry() *decode.Registry { return decode.NewRegistry(xfrm.Family()) }

// problems lists unnamed and malformed messages and fields of message i.
func problems(t *decode.Tree, i int) []string {
	var out []string
	m := &t.Messages[i]
	if m.Name == "" {
		out = append(out, fmt.Sprintf("message %d: unknown type %d", i, m.Header.Type))
	}
	for _, f := range t.MessageFields(i) {
		if f.Has(decode.FieldMalformed) || f.Kind == decode.KindMalformed {
			out = append(out, fmt.Sprintf("%s: malformed %s at %d: %s", m.Name, f.Name, f.Off, f.Str))
		}
		if f.Has(decode.FieldUnknown) {
			out = append(out, fmt.Sprintf("%s: unnamed %s type %d at %d", m.Name, f.Name, f.Type, f.Off))
		}
		if f.Name == "note" {
			out = append(out, fmt.Sprintf("%s: note at %d: %s", m.Name, f.Off, f.Str))
		}
	}
	return out
}
