package selinux_test

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/decode/render"
)

// The notifications as selnl_notify_setenforce and
// selnl_notify_policyload build them (this host has no SELinux to record
// them from).
func TestNotifications(t *testing.T) {
	for _, c := range []struct {
		typ  uint16
		data []byte
		want string
	}{
		{0x10, []byte{1, 0, 0, 0}, "selinux SELNL_MSG_SETENFORCE seq=0 val=enforcing\n"},
		{0x11, []byte{7, 0, 0, 0}, "selinux SELNL_MSG_POLICYLOAD seq=0 seqno=7\n"},
	} {
		msg := client.Message{Header: client.Header{Type: c.typ}, Data: c.data}.Append(nil)
		var tree decode.Tree
		decode.NewDecoder(families.NewRegistry()).DecodeBytes(&tree, unix.NETLINK_SELINUX, msg)
		if got := string(render.Append(nil, &tree, render.Compact)); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}
