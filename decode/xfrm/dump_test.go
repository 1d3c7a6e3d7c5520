package xfrm_test

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/render"
)

// TestDumpRequests decodes SA and policy dump requests as clients send
// them: ip's (attributes straight after the nlmsghdr), an empty one, and
// one that carries the GETSA header, which the kernel skips.
func TestDumpRequests(t *testing.T) {
	filter := make([]byte, 4+36)
	binary.NativeEndian.PutUint16(filter, 40)
	binary.NativeEndian.PutUint16(filter[2:], 26) // XFRMA_ADDRESS_FILTER
	binary.NativeEndian.PutUint16(filter[4+32:], 2)
	filter[4+34], filter[4+35] = 8, 16
	id := make([]byte, 24)
	copy(id, []byte{10, 0, 0, 2})
	binary.NativeEndian.PutUint32(id[16:], 0x100)
	binary.NativeEndian.PutUint16(id[20:], 2)
	id[22] = 50
	for _, tc := range []struct {
		name string
		typ  uint16
		body []byte
		want string
	}{
		{"ip", 0x12, filter, "XFRM_MSG_GETSA req,dump seq=1 XFRMA_ADDRESS_FILTER={saddr=0.0.0.0 daddr=0.0.0.0 family=inet splen=8 dplen=16}"},
		{"empty", 0x15, nil, "XFRM_MSG_GETPOLICY req,dump seq=1\n"},
		{"header", 0x12, id, "XFRM_MSG_GETSA req,dump seq=1 daddr=10.0.0.2 spi=0x10000 family=inet proto=esp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := client.Header{Length: uint32(client.HeaderLen + len(tc.body)), Type: tc.typ, Flags: client.FlagRequest | client.FlagDump, Sequence: 1}
			d := decode.NewDecoder(registry())
			var tr decode.Tree
			d.DecodeBytes(&tr, 6, append(h.Append(nil), tc.body...))
			for _, p := range problems(&tr, 0) {
				t.Error(p)
			}
			got := string(render.Append(nil, &tr, render.Compact))
			if want := tc.want; !strings.Contains(got, want) {
				t.Errorf("got %q, want it to contain %q", got, want)
			}
		})
	}
}
