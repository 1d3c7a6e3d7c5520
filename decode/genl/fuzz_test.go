package genl_test

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/render"
	"golang.org/x/sys/unix"
)

// FuzzDecodeGenl decodes mutated generic-netlink records, seeded with the
// records of the ethtool/mptcp and OVS captures. The family ids are
// learned from the capture's own CTRL_CMD_NEWFAMILY messages before each
// input, so mutations reach the generated tables and the hooks (sockaddr,
// indexed arrays, policy dumps). Decoding must not panic, every field must
// lie inside the input, and every renderer must accept the tree.
func FuzzDecodeGenl(f *testing.F) {
	var learn [][]byte
	for _, file := range []string{"testdata/ethtool-mptcp.pcapng", "testdata/ovs-netlink.pcap"} {
		r, err := pcapng.Open(file)
		if err != nil {
			f.Fatal(err)
		}
		for {
			var rec capture.Record
			err := r.ReadInto(context.Background(), &rec)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				f.Fatal(err)
			}
			if rec.Protocol != unix.NETLINK_GENERIC {
				continue
			}
			f.Add(rec.Data, uint8(rec.Direction))
			if len(rec.Data) >= 20 && binary.NativeEndian.Uint16(rec.Data[4:]) == unix.GENL_ID_CTRL {
				learn = append(learn, rec.Data)
			}
		}
		r.Close()
	}
	reg := registry()
	f.Fuzz(func(t *testing.T, data []byte, dir uint8) {
		d := decode.NewDecoder(reg)
		var tree decode.Tree
		for _, b := range learn {
			d.DecodeBytes(&tree, unix.NETLINK_GENERIC, b)
		}
		rec := capture.Record{Direction: capture.Direction(dir % 3), Protocol: unix.NETLINK_GENERIC, Data: data, OrigLen: len(data)}
		d.Decode(&tree, &rec)
		for _, fd := range tree.Fields {
			if fd.Off < 0 || int(fd.Off+fd.Len) > len(data) || fd.ValOff < 0 || int(fd.ValOff+fd.ValLen) > len(data) {
				t.Fatalf("field %s spans [%d,+%d) value [%d,+%d) outside %d bytes", fd.Name, fd.Off, fd.Len, fd.ValOff, fd.ValLen, len(data))
			}
		}
		for _, form := range []render.Format{render.Compact, render.Tree, render.Hex, render.JSON} {
			render.Append(nil, &tree, form)
		}
	})
}
