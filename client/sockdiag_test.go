package client

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNetlinkDiagCodec(t *testing.T) {
	m := NetlinkDiagMsg{Family: 16, Type: 3, Protocol: 0, State: 7, PortID: 4242, DstPortID: 1, DstGroup: 2, Ino: 99, Cookie: 0x1122334455667788}
	b := m.Append(nil)
	if len(b) != NetlinkDiagMsgLen {
		t.Fatalf("encoded %d bytes, want %d", len(b), NetlinkDiagMsgLen)
	}
	got, err := ParseNetlinkDiagMsg(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := ParseNetlinkDiagMsg(b[:27]); err == nil {
		t.Errorf("a 27-byte netlink_diag_msg parsed")
	}
	if n := len((NetlinkDiagReq{Family: 16, Protocol: NetlinkDiagProtoAll}).Append(nil)); n != NetlinkDiagReqLen {
		t.Errorf("request of %d bytes, want %d", n, NetlinkDiagReqLen)
	}
}
