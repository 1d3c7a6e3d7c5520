package replay_test

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/replay"
)

// FuzzLoad loads a request record and a reply record of arbitrary bytes:
// Load must not panic, and every place Run writes to (headers, rewritten
// values, attribute types) must lie inside the send's bytes.
func FuzzLoad(f *testing.F) {
	for _, r := range capture1() {
		f.Add(uint16(unix.NETLINK_ROUTE), r.Data, []byte(nil))
	}
	f.Add(uint16(unix.NETLINK_GENERIC), []byte{20, 0, 0, 0, 0x20, 0, 5, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0}, []byte{36, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 0x20, 0, 5, 0, 1, 0, 0, 0, 0, 0, 0, 0})
	reg := families.NewRegistry()
	f.Fuzz(func(t *testing.T, proto uint16, req, reply []byte) {
		recs := []capture.Record{
			{Direction: capture.ToKernel, Protocol: proto, PortID: 5, Data: req, OrigLen: len(req)},
			{Direction: capture.FromKernel, Protocol: proto, PortID: 5, Data: reply, OrigLen: len(reply)},
		}
		p, err := replay.Load(context.Background(), &records{recs}, reg, nil)
		if errors.Is(err, replay.ErrNoRequests) || err != nil {
			return
		}
		for _, s := range p.Sends {
			for _, q := range s.Requests {
				if q.Off < 0 || q.Off+16 > len(s.Data) || q.Off+q.Len > len(s.Data) {
					t.Fatalf("request at %d+%d outside %d bytes", q.Off, q.Len, len(s.Data))
				}
			}
			for _, rw := range s.Rewrites {
				if rw.Off < 0 || rw.Off+rw.Size > len(s.Data) || rw.Kind == replay.RewriteNetnsRef && (rw.TypeOff < 0 || rw.TypeOff+2 > len(s.Data)) {
					t.Fatalf("rewrite %+v outside %d bytes", rw, len(s.Data))
				}
			}
			_ = s.Requests[0].Recorded.String()
		}
	})
}
