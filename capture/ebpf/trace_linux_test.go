//go:build linux && (386 || amd64)

package ebpf_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/internal/testenv"
)

// TestTraceIPLinkShow traces `ip link show` in a fresh netns: the request,
// the one RTM_NEWLINK (lo) and NLMSG_DONE, each exactly once although ip
// peeks (MSG_PEEK|MSG_TRUNC) before every read.
func TestTraceIPLinkShow(t *testing.T) {
	testenv.RequireRoot(t)
	ns := newNetNS(t)
	src := openSource(t, ns)
	recs := runTraced(t, src, ns.command("ip", "link", "show"))

	type msg struct {
		Dir  capture.Direction
		Type uint16
	}
	var got []msg
	for _, r := range recs {
		if r.NetNS != uint64(ns.inode) || r.Protocol != 0 || r.Method != capture.MethodTracepoint || r.Comm != "ip" {
			t.Errorf("record metadata: %+v", r)
		}
		if r.Truncated() {
			t.Errorf("truncated record: %d of %d", len(r.Data), r.OrigLen)
		}
		ms, err := client.ParseMessages(r.Data)
		if err != nil {
			t.Fatalf("parse %x: %v", r.Data, err)
		}
		for _, m := range ms {
			if m.Header.Type == 2 { // NLMSG_ERROR: ip's probe of RTM_NEWLINK support
				continue
			}
			got = append(got, msg{r.Direction, m.Header.Type})
		}
	}
	// ip first probes with an empty RTM_NEWLINK request (answered by an error).
	want := []msg{{capture.ToKernel, 16}, {capture.ToKernel, 18}, {capture.FromKernel, 16}, {capture.FromKernel, 3}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}
