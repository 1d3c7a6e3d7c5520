//go:build linux

package client_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/client/clienttest"
	"golang.org/x/sys/unix"
)

// newFamilyMessage lays out a CTRL_CMD_NEWFAMILY as the kernel does:
// operations and groups are nests of nests numbered from 1.
func newFamilyMessage(f client.Family) client.Message {
	var e client.AttributeEncoder
	e.String(unix.CTRL_ATTR_FAMILY_NAME, f.Name)
	e.Uint16(unix.CTRL_ATTR_FAMILY_ID, f.ID)
	e.Uint32(unix.CTRL_ATTR_VERSION, f.Version)
	e.Uint32(unix.CTRL_ATTR_HDRSIZE, f.HeaderSize)
	e.Uint32(unix.CTRL_ATTR_MAXATTR, f.MaxAttr)
	if len(f.Operations) > 0 {
		ops := e.NestStart(unix.CTRL_ATTR_OPS | client.AttrNested)
		for i, op := range f.Operations {
			n := e.NestStart(uint16(i+1) | client.AttrNested)
			e.Uint32(unix.CTRL_ATTR_OP_ID, op.ID)
			e.Uint32(unix.CTRL_ATTR_OP_FLAGS, op.Flags)
			e.NestEnd(n)
		}
		e.NestEnd(ops)
	}
	if len(f.Groups) > 0 {
		groups := e.NestStart(unix.CTRL_ATTR_MCAST_GROUPS | client.AttrNested)
		for i, g := range f.Groups {
			n := e.NestStart(uint16(i+1) | client.AttrNested)
			e.Uint32(unix.CTRL_ATTR_MCAST_GRP_ID, g.ID)
			e.String(unix.CTRL_ATTR_MCAST_GRP_NAME, g.Name)
			e.NestEnd(n)
		}
		e.NestEnd(groups)
	}
	attrs, _ := e.Encode()
	data := append(client.GenlMsgHdr{Command: unix.CTRL_CMD_NEWFAMILY, Version: 2}.Append(nil), attrs...)
	return client.Message{Header: client.Header{Type: client.GenlIDCtrl}, Data: data}
}

func TestGetFamily(t *testing.T) {
	ethtool := client.Family{
		ID: 0x15, Name: "ethtool", Version: 1, MaxAttr: 0,
		Operations: []client.Operation{{ID: 1, Flags: unix.GENL_CMD_CAP_DO | unix.GENL_CMD_CAP_HASPOL}, {ID: 2, Flags: unix.GENL_ADMIN_PERM | unix.GENL_CMD_CAP_DO}},
		Groups:     []client.MulticastGroup{{ID: 6, Name: "monitor"}},
	}
	var seen []client.Message
	c := clienttest.Dial(unix.NETLINK_GENERIC, func(req []client.Message) ([]client.Message, error) {
		seen = append(seen, req...)
		d := client.NewAttributeDecoder(req[0].Data[client.GenlMsgHdrLen:])
		for d.Next() {
			if d.Type() == unix.CTRL_ATTR_FAMILY_NAME && d.String() == "ethtool" {
				return []client.Message{newFamilyMessage(ethtool), clienttest.Ack(req[0])}, nil
			}
		}
		return []client.Message{clienttest.Error(req[0], int(unix.ENOENT), nil, true)}, nil
	})
	defer c.Close()

	got, err := client.GetFamily(t.Context(), c, "ethtool")
	if err != nil {
		t.Fatalf("GetFamily: %v", err)
	}
	if diff := cmp.Diff(ethtool, got); diff != "" {
		t.Errorf("family (-want +got):\n%s", diff)
	}
	if g, ok := got.Group("monitor"); !ok || g.ID != 6 {
		t.Errorf("Group(monitor) = %+v, %v", g, ok)
	}
	if _, ok := got.Group("nosuch"); ok {
		t.Errorf("Group(nosuch) found")
	}

	req := seen[0]
	hdr, _ := client.ParseGenlMsgHdr(req.Data)
	if req.Header.Type != client.GenlIDCtrl || hdr.Command != unix.CTRL_CMD_GETFAMILY || req.Header.Flags&client.FlagDump != 0 {
		t.Errorf("request type %d command %d flags %#x, want nlctrl CTRL_CMD_GETFAMILY without NLM_F_DUMP", req.Header.Type, hdr.Command, req.Header.Flags)
	}

	_, err = client.GetFamily(t.Context(), c, "nosuch")
	if !errors.Is(err, unix.ENOENT) || !strings.HasPrefix(err.Error(), `get generic netlink family "nosuch": `) {
		t.Errorf("missing family: got %v, want ENOENT naming it", err)
	}
}

func TestListFamilies(t *testing.T) {
	families := []client.Family{
		{ID: client.GenlIDCtrl, Name: "nlctrl", Version: 2, MaxAttr: 10, Groups: []client.MulticastGroup{{ID: 0x10, Name: "notify"}}},
		{ID: 0x15, Name: "ethtool", Version: 1},
	}
	sock := &clienttest.Socket{PerRead: 1, Handle: func(req []client.Message) ([]client.Message, error) {
		var msgs []client.Message
		for _, f := range families {
			msgs = append(msgs, newFamilyMessage(f))
		}
		return clienttest.Multipart(msgs...), nil
	}}
	c := clienttest.DialSocket(unix.NETLINK_GENERIC, sock)
	defer c.Close()
	got, err := client.ListFamilies(t.Context(), c)
	if err != nil {
		t.Fatalf("ListFamilies: %v", err)
	}
	if diff := cmp.Diff(families, got); diff != "" {
		t.Errorf("families (-want +got):\n%s", diff)
	}
	if reqs := sock.Requests(); len(reqs) != 1 || reqs[0].Header.Flags&client.FlagDump != client.FlagDump {
		t.Errorf("requests %+v, want one dump", reqs)
	}
}

func TestFamilyNeedsGenericProtocol(t *testing.T) {
	sock := &clienttest.Socket{}
	c := clienttest.DialSocket(unix.NETLINK_ROUTE, sock)
	defer c.Close()
	if _, err := client.ListFamilies(t.Context(), c); err == nil || !strings.Contains(err.Error(), "need generic") {
		t.Errorf("ListFamilies over NETLINK_ROUTE: got %v", err)
	}
	if len(sock.Requests()) != 0 {
		t.Errorf("a request reached the socket")
	}
}
