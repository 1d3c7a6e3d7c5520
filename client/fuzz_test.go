package client_test

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/nltrace/nltrace/client"
)

func seedFuzz(f *testing.F) {
	for _, s := range []string{kernelRequest, kernelUncapped, kernelCapped, kernelDone} {
		f.Add(mustHex(f, s))
	}
	f.Add([]byte{})
	f.Add(client.Header{Length: 17, Type: 18, Flags: 0x301}.Append(nil))
}

// FuzzMessages checks that the message scanner never panics, that every
// message it yields lies inside the input, and that re-encoding the
// messages reproduces the bytes they came from.
func FuzzMessages(f *testing.F) {
	seedFuzz(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		s := client.NewMessageScanner(b)
		for s.Next() {
			m := s.Message()
			off := s.Offset()
			end := off + int(m.Header.Length)
			if off < 0 || end > len(b) || m.Header.Length < client.HeaderLen {
				t.Fatalf("message at %d with length %d escapes %d-byte input", off, m.Header.Length, len(b))
			}
			re := m.Append(nil)
			if string(re[:m.Header.Length]) != string(b[off:end]) {
				t.Fatalf("re-encoding message at %d differs", off)
			}
		}
		if err := s.Err(); err != nil && !errors.Is(err, client.ErrMalformed) {
			t.Fatalf("error %v is not ErrMalformed", err)
		}
	})
}

// FuzzAttributes walks attributes recursively, checking spans, and that
// re-encoding decoded attributes gives back the same attributes.
func FuzzAttributes(f *testing.F) {
	seedFuzz(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		var walk func(d *client.AttributeDecoder, depth int)
		walk = func(d *client.AttributeDecoder, depth int) {
			for d.Next() {
				if d.Offset() < 0 || d.Offset()+client.AttrHeaderLen+d.Len() > len(b) {
					t.Fatalf("attribute at %d (+%d) escapes %d-byte input", d.Offset(), d.Len(), len(b))
				}
				_ = d.String()
				if depth < 8 {
					var in client.AttributeDecoder
					d.NestedInto(&in)
					walk(&in, depth+1)
				}
			}
		}
		var d client.AttributeDecoder
		d.Reset(b, 0)
		walk(&d, 0)

		attrs, err := client.ParseAttributes(b)
		var e client.AttributeEncoder
		for _, a := range attrs {
			e.Bytes(a.Type|a.Flags, a.Data)
		}
		enc, encErr := e.Encode()
		if encErr != nil {
			t.Fatal(encErr)
		}
		again, err2 := client.ParseAttributes(enc)
		if err2 != nil || len(again) != len(attrs) {
			t.Fatalf("re-encoded %d attributes parse as %d (%v); first parse err %v", len(attrs), len(again), err2, err)
		}
		for i := range attrs {
			if attrs[i].Type != again[i].Type || string(attrs[i].Data) != string(again[i].Data) {
				t.Fatalf("attribute %d changed in the round trip", i)
			}
		}
	})
}

// FuzzParseErrorMessage feeds arbitrary NLMSG_ERROR and NLMSG_DONE
// payloads with every flag combination.
func FuzzParseErrorMessage(f *testing.F) {
	seedFuzz(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, flags := range []uint16{0, client.FlagCapped, client.FlagAckTLVs, client.FlagCapped | client.FlagAckTLVs} {
			em, err := client.ParseErrorMessage(flags, b)
			if err != nil && !errors.Is(err, client.ErrMalformed) {
				t.Fatalf("error %v is not ErrMalformed", err)
			}
			if em.AckOffset > len(b) || len(em.RequestPayload) > len(b) {
				t.Fatalf("offsets escape the input: ack at %d, echoed %d bytes of %d", em.AckOffset, len(em.RequestPayload), len(b))
			}
			if _, err := client.ParseDoneMessage(flags, b); err != nil && !errors.Is(err, client.ErrMalformed) {
				t.Fatalf("done: error %v is not ErrMalformed", err)
			}
		}
		if len(b) >= 4 {
			_ = binary.NativeEndian.Uint32(b)
		}
	})
}
