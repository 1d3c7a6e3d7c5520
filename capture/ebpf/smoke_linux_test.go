//go:build linux && (386 || amd64)

package ebpf_test

import (
	"testing"

	"github.com/nltrace/nltrace/internal/testenv"
)

func TestSmoke(t *testing.T) {
	testenv.RequireRoot(t)
	ns := newNetNS(t)
	src := openSource(t, ns)
	recs := runTraced(t, src, ns.command("ip", "link", "show"))
	for _, r := range recs {
		t.Logf("%v %s pid=%d proto=%d port=%d netns=%d len=%d/%d % x", r.Direction, r.Comm, r.PID, r.Protocol, r.PortID, r.NetNS, len(r.Data), r.OrigLen, r.Data[:min(32, len(r.Data))])
	}
}
