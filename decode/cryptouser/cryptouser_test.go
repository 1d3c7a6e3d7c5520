package cryptouser_test

import (
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/decode/render"
)

// getalgReply builds a CRYPTO_MSG_GETALG reply as crypto_report_one and
// crypto_report_shash lay it out for sha256-generic. This kernel has no
// NETLINK_CRYPTO to record one from (see TestVMAgreesWithProcCrypto).
func getalgReply() []byte {
	p := make([]byte, 208)
	copy(p, "sha256")
	copy(p[64:], "sha256-generic")
	copy(p[128:], "kernel")
	binary.NativeEndian.PutUint32(p[192:], 0xe)   // CRYPTO_ALG_TYPE_SHASH
	binary.NativeEndian.PutUint32(p[200:], 1)     // refcnt
	binary.NativeEndian.PutUint32(p[204:], 0x40e) // TESTED | type
	var e client.AttributeEncoder
	e.Uint32(1, 100)
	rep := make([]byte, 72)
	copy(rep, "shash")
	binary.NativeEndian.PutUint32(rep[64:], 64)
	binary.NativeEndian.PutUint32(rep[68:], 32)
	e.Bytes(3, rep)
	a, _ := e.Encode()
	return client.Message{Header: client.Header{Type: 0x13, Flags: client.FlagMulti, Sequence: 1}, Data: append(p, a...)}.Append(nil)
}

func TestReport(t *testing.T) {
	var tree decode.Tree
	decode.NewDecoder(families.NewRegistry()).DecodeBytes(&tree, unix.NETLINK_CRYPTO, getalgReply())
	got := string(render.Append(nil, &tree, render.Compact))
	want := `crypto CRYPTO_MSG_GETALG multi seq=1 cru_name="sha256" cru_driver_name="sha256-generic" cru_module_name="kernel" cru_type=0xe cru_mask=0x0 cru_refcnt=1 cru_flags=0x40e CRYPTOCFGA_PRIORITY_VAL=100 CRYPTOCFGA_REPORT_HASH={type="shash" blocksize=64 digestsize=32}` + "\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func FuzzCrypto(f *testing.F) {
	f.Add(getalgReply())
	reg := families.NewRegistry()
	f.Fuzz(func(t *testing.T, data []byte) {
		var tree decode.Tree
		decode.NewDecoder(reg).DecodeBytes(&tree, unix.NETLINK_CRYPTO, data)
		n := int32(len(data))
		for _, fl := range tree.Fields {
			if fl.Off < 0 || fl.Len < 0 || fl.Off+fl.Len > n || fl.ValOff < 0 || fl.ValLen < 0 || fl.ValOff+fl.ValLen > n {
				t.Fatalf("field %q outside %d bytes", fl.Name, n)
			}
		}
		render.Append(nil, &tree, render.JSON)
	})
}
