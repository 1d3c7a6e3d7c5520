package decode_test

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/render"
)

// A family with one secret attribute, to check that every output form
// honours the Secret marker.
var secretAttrs = decode.AttrSet{Name: "T", Attrs: []decode.Attr{
	1: {Name: "T_NAME", Type: decode.String},
	2: {Name: "T_KEY", Type: decode.Binary, Sem: decode.Secret},
}}

var secretFamily = &decode.Family{Protocol: 30, Name: "test", Types: []decode.MessageType{
	20: {Name: "T_MSG", Attrs: &secretAttrs},
}}

func secretMessage() []byte {
	key := bytes.Repeat([]byte{0xab}, 16)
	var attrs []byte
	attrs = binary.NativeEndian.AppendUint16(attrs, 8)
	attrs = binary.NativeEndian.AppendUint16(attrs, 1)
	attrs = append(attrs, 'k', 'e', 'y', 0)
	attrs = binary.NativeEndian.AppendUint16(attrs, uint16(4+len(key)))
	attrs = binary.NativeEndian.AppendUint16(attrs, 2)
	attrs = append(attrs, key...)
	h := client.Header{Length: uint32(client.HeaderLen + len(attrs)), Type: 20, Flags: client.FlagRequest, Sequence: 1}
	return append(h.Append(nil), attrs...)
}

func TestSecretsRedacted(t *testing.T) {
	reg := decode.NewRegistry(secretFamily)
	for _, f := range []render.Format{render.Compact, render.Tree, render.Hex, render.JSON, render.Go} {
		d := decode.NewDecoder(reg)
		var tr decode.Tree
		d.DecodeBytes(&tr, 30, secretMessage())
		out := string(render.Append(nil, &tr, f))
		if strings.Contains(out, "abab") || strings.Contains(out, "ab ab") || strings.Contains(out, "0xab") {
			t.Errorf("format %d shows the key:\n%s", f, out)
		}
		if !strings.Contains(out, "<16 bytes redacted>") && f != render.Hex {
			t.Errorf("format %d does not say the key was redacted:\n%s", f, out)
		}
		if f == render.Hex && !strings.Contains(out, "** ** **") {
			t.Errorf("hex dump does not mask the key:\n%s", out)
		}
	}
}

func TestSecretsShown(t *testing.T) {
	d := decode.NewDecoder(decode.NewRegistry(secretFamily))
	d.State().SetShowSecrets(true)
	var tr decode.Tree
	d.DecodeBytes(&tr, 30, secretMessage())
	out := string(render.Append(nil, &tr, render.Compact))
	if !strings.Contains(out, "T_KEY="+strings.Repeat("ab", 16)) {
		t.Errorf("--show-secrets output lacks the key:\n%s", out)
	}
}

func TestRedactSecretsZeroesBytes(t *testing.T) {
	d := decode.NewDecoder(decode.NewRegistry(secretFamily))
	data := secretMessage()
	var tr decode.Tree
	d.DecodeBytes(&tr, 30, data)
	if !decode.RedactSecrets(&tr) {
		t.Fatal("RedactSecrets found no secret")
	}
	if bytes.Contains(data, []byte{0xab}) {
		t.Errorf("key bytes left in the record: %x", data)
	}
	if !bytes.Contains(data, []byte("key")) {
		t.Errorf("RedactSecrets zeroed a field that is no secret: %x", data)
	}
}
