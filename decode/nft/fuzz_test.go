package nft_test

import (
	"testing"

	"github.com/nltrace/nltrace/decode"
	"golang.org/x/sys/unix"
)

// FuzzDecode decodes arbitrary netfilter bytes, seeded with every recorded
// message: no panic, and every field's span inside the input.
func FuzzDecode(f *testing.F) {
	s := loadSession(f)
	for _, part := range s.parts() {
		for _, r := range *part {
			f.Add(r.Data)
		}
	}
	reg := registry()
	f.Fuzz(func(t *testing.T, data []byte) {
		d := decode.NewDecoder(reg)
		var tree decode.Tree
		d.DecodeBytes(&tree, unix.NETLINK_NETFILTER, data)
		for i := range tree.Fields {
			fl := &tree.Fields[i]
			if fl.Off < 0 || fl.Len < 0 || int(fl.Off+fl.Len) > len(data) || fl.ValOff < 0 || fl.ValLen < 0 || int(fl.ValOff+fl.ValLen) > len(data) {
				t.Fatalf("field %s spans [%d,+%d) value [%d,+%d) outside %d bytes", fl.Name, fl.Off, fl.Len, fl.ValOff, fl.ValLen, len(data))
			}
		}
	})
}
