package rtnl_test

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/rtnl"
	"github.com/nltrace/nltrace/internal/testenv"
	"golang.org/x/sys/unix"
)

// TestSharedCaptures decodes every rtnetlink message in the captures that
// other projects made: none may be malformed and every attribute must be
// named.
func TestSharedCaptures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(testenv.PcapDir(t), "*.pcap*"))
	if len(files) == 0 {
		t.Fatal("no captures in testdata/pcaps")
	}
	reg := decode.NewRegistry(rtnl.Family())
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			r, err := pcapng.Open(name)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			d := decode.NewDecoder(reg)
			var tree decode.Tree
			var rec capture.Record
			records, msgs := 0, 0
			for {
				err := r.ReadInto(context.Background(), &rec)
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("record %d: %v", records, err)
				}
				records++
				if rec.Protocol != unix.NETLINK_ROUTE {
					continue
				}
				d.Decode(&tree, &rec)
				msgs += len(tree.Messages)
				if p := problems(&tree); len(p) > 0 {
					t.Errorf("record %d:\n%s", records, strings.Join(p, "\n"))
				}
			}
			t.Logf("%d records, %d rtnetlink messages", records, msgs)
		})
	}
}
