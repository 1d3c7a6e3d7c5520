package rdma_test

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/decode/render"
)

// A device-interface reply as rdma(8) receives it for "rdma dev": type
// RDMA_NL_NLDEV << 10 | RDMA_NLDEV_CMD_GET, with a nested resource
// summary (this host has no NETLINK_RDMA to record one from).
func TestNldev(t *testing.T) {
	var entry client.AttributeEncoder
	entry.String(17, "qp") // RES_SUMMARY_ENTRY_NAME
	entry.Uint64(18, 3)    // RES_SUMMARY_ENTRY_CURR
	ent, _ := entry.Encode()
	var sum client.AttributeEncoder
	sum.Bytes(16|0x8000, ent) // RES_SUMMARY_ENTRY, nested
	s, _ := sum.Encode()
	var e client.AttributeEncoder
	e.Uint32(1, 0)        // DEV_INDEX
	e.String(2, "rxe0")   // DEV_NAME
	e.Bytes(15|0x8000, s) // RES_SUMMARY
	a, _ := e.Encode()
	msg := client.Message{Header: client.Header{Type: 5<<10 | 1, Flags: client.FlagMulti, Sequence: 2}, Data: a}.Append(nil)
	var tree decode.Tree
	decode.NewDecoder(families.NewRegistry()).DecodeBytes(&tree, unix.NETLINK_RDMA, msg)
	got := string(render.Append(nil, &tree, render.Compact))
	want := `rdma RDMA_NLDEV_CMD_GET multi seq=2 RDMA_NLDEV_ATTR_DEV_INDEX=0 RDMA_NLDEV_ATTR_DEV_NAME="rxe0" RDMA_NLDEV_ATTR_RES_SUMMARY={RDMA_NLDEV_ATTR_RES_SUMMARY_ENTRY={RDMA_NLDEV_ATTR_RES_SUMMARY_ENTRY_NAME="qp" RDMA_NLDEV_ATTR_RES_SUMMARY_ENTRY_CURR=3}}` + "\n"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for _, c := range []struct {
		typ  uint16
		name string
	}{{2 << 10, "RDMA_NL_IWPM_REG_PID"}, {4<<10 | 2, "RDMA_NL_LS_OP_IP_RESOLVE"}, {5<<10 | 9, "RDMA_NLDEV_CMD_RES_GET"}} {
		decode.NewDecoder(families.NewRegistry()).DecodeBytes(&tree, unix.NETLINK_RDMA, client.Message{Header: client.Header{Type: c.typ}}.Append(nil))
		if tree.Messages[0].Name != c.name {
			t.Errorf("type %#x named %q, want %s", c.typ, tree.Messages[0].Name, c.name)
		}
	}
}
