package tui

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/pipeline"
)

// A family with a name, a secret key and an MTU, to check the viewer's
// redaction and its extended-ACK highlight without depending on a real
// family's schema.
var (
	testAttrs = decode.AttrSet{Name: "T", Attrs: []decode.Attr{
		1: {Name: "T_NAME", Type: decode.String},
		2: {Name: "T_KEY", Type: decode.Binary, Sem: decode.Secret},
		3: {Name: "T_MTU", Type: decode.U32},
	}}
	testFamily = &decode.Family{Protocol: 30, Name: "test", Types: []decode.MessageType{
		20: {Name: "T_NEW", Op: decode.OpNew, Attrs: &testAttrs},
	}}
)

func attr(typ uint16, payload []byte) []byte {
	b := binary.NativeEndian.AppendUint16(nil, uint16(4+len(payload)))
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = append(b, payload...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func message(typ, flags uint16, seq, port uint32, payload []byte) []byte {
	h := client.Header{Length: uint32(client.HeaderLen + len(payload)), Type: typ, Flags: flags, Sequence: seq, PortID: port}
	return append(h.Append(nil), payload...)
}

// secretExchange is a T_NEW request and the kernel's capped error with an
// extended ACK whose offset points at T_MTU.
func secretExchange() []capture.Record {
	var attrs []byte
	attrs = append(attrs, attr(1, []byte("x\x00"))...)
	attrs = append(attrs, attr(2, bytes.Repeat([]byte{0xab}, 16))...)
	mtuAt := client.HeaderLen + len(attrs)
	attrs = append(attrs, attr(3, binary.NativeEndian.AppendUint32(nil, 70000))...)
	req := message(20, unix.NLM_F_REQUEST|unix.NLM_F_ACK, 9, 0, attrs)
	payload := binary.NativeEndian.AppendUint32(nil, uint32(0xffffffff-unix.EINVAL+1))
	payload = append(payload, req[:client.HeaderLen]...)
	payload = append(payload, attr(unix.NLMSGERR_ATTR_MSG, []byte("mtu too big\x00"))...)
	payload = append(payload, attr(unix.NLMSGERR_ATTR_OFFS, binary.NativeEndian.AppendUint32(nil, uint32(mtuAt)))...)
	reply := message(unix.NLMSG_ERROR, unix.NLM_F_CAPPED|unix.NLM_F_ACK_TLVS, 9, 5, payload)
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return []capture.Record{
		{Time: when, Direction: capture.ToKernel, Protocol: 30, PID: 5, Comm: "t", PortID: 5, Data: req, OrigLen: len(req)},
		{Time: when.Add(time.Millisecond), Direction: capture.FromKernel, Protocol: 30, PID: 5, Comm: "t", PortID: 5, Data: reply, OrigLen: len(reply)},
	}
}

func TestExtackAndSecrets(t *testing.T) {
	reg := decode.NewRegistry(testFamily)
	m := newTestModel(t, Config{Options: pipeline.Options{Registry: reg}}, secretExchange())
	got := send(t, m, "home")
	checkScreen(t, "request", got)
	for _, want := range []string{"T_MTU 70000  ◀ extack: mtu too big", "T_KEY <16 bytes redacted>", "** ** ** **", "reply #2"} {
		if !strings.Contains(got, want) {
			t.Errorf("the request's panes lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "ab ab") || strings.Contains(got, "abab") {
		t.Errorf("the key's bytes are shown:\n%s", got)
	}
	got = send(t, m, "p")
	if !strings.Contains(got, "T_NEW failed: -EINVAL") || !strings.Contains(got, "mtu too big") {
		t.Errorf("the error reply:\n%s", got)
	}

	// --show-secrets shows them.
	m = newTestModel(t, Config{Options: pipeline.Options{Registry: reg, ShowSecrets: true}}, secretExchange())
	got = send(t, m, "home")
	if !strings.Contains(got, "ab ab ab") || strings.Contains(got, "redacted") {
		t.Errorf("with ShowSecrets the key is hidden:\n%s", got)
	}
}

// TestSaveRedacts saves with RedactSecrets (-w --redact-secrets): the file
// holds zeros where the key was, and the viewer still holds the records as
// captured.
func TestSaveRedacts(t *testing.T) {
	reg := decode.NewRegistry(testFamily)
	for _, redact := range []bool{false, true} {
		m := newTestModel(t, Config{Options: pipeline.Options{Registry: reg, RedactSecrets: redact, ShowSecrets: true}}, secretExchange())
		path := filepath.Join(t.TempDir(), "s.pcapng")
		send(t, m, "W")
		m.input.SetValue(path)
		if got := send(t, m, "enter"); !strings.Contains(got, "saved 2 records") {
			t.Fatalf("save: %s", got)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		key := bytes.Repeat([]byte{0xab}, 16)
		if got := bytes.Contains(b, key); got == redact {
			t.Errorf("redact %v: key in the file %v", redact, got)
		}
		if got := send(t, m, "home"); !strings.Contains(got, "ab ab ab") {
			t.Errorf("redact %v: the viewer's copy changed:\n%s", redact, got)
		}
	}
}
