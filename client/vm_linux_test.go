package client_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/internal/testenv"
)

// These tests run only inside the test VM (internal/vmtest): its stock
// kernel has the nlmon and dummy drivers that the host lacks. They drive
// rtnetlink through Conn with hand-built requests; once RouteConn lands they
// should go through it.

// vmRouteConn dials rtnetlink in a fresh network namespace.
func vmRouteConn(t *testing.T) *client.Conn {
	t.Helper()
	ns, err := client.NewNetNS()
	if err != nil {
		t.Fatalf("NewNetNS: %v", err)
	}
	t.Cleanup(func() { ns.Close() })
	c, err := client.Dial(unix.NETLINK_ROUTE, &client.Config{NetNS: ns})
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// linkRequest builds an rtnetlink link message for the link called name;
// a non-empty kind adds IFLA_LINKINFO/IFLA_INFO_KIND.
func linkRequest(t *testing.T, typ, flags uint16, name, kind string) client.Message {
	t.Helper()
	var e client.AttributeEncoder
	e.String(unix.IFLA_IFNAME, name)
	if kind != "" {
		e.Nested(unix.IFLA_LINKINFO, func(n *client.AttributeEncoder) {
			n.String(unix.IFLA_INFO_KIND, kind)
		})
	}
	attrs, err := e.Encode()
	if err != nil {
		t.Fatalf("encode link attributes: %v", err)
	}
	data := client.IfInfoMsg{Family: unix.AF_UNSPEC}.Append(nil)
	return client.Message{Header: client.Header{Type: typ, Flags: flags}, Data: append(data, attrs...)}
}

// vmLink is what the kernel reports about a link.
type vmLink struct {
	Name string
	Kind string
	Type uint16 // ARPHRD_*
}

// getLink asks the kernel for the link called name.
func getLink(ctx context.Context, t *testing.T, c *client.Conn, name string) (vmLink, error) {
	t.Helper()
	replies, err := c.Execute(ctx, linkRequest(t, unix.RTM_GETLINK, 0, name, ""))
	if err != nil {
		return vmLink{}, err
	}
	if len(replies) != 1 {
		t.Fatalf("RTM_GETLINK %s: want 1 reply, got %d", name, len(replies))
	}
	ifi, err := client.ParseIfInfoMsg(replies[0].Data)
	if err != nil {
		t.Fatalf("RTM_NEWLINK reply: %v", err)
	}
	link := vmLink{Type: ifi.Type}
	d := client.NewAttributeDecoder(replies[0].Data[client.IfInfoMsgLen:])
	for d.Next() {
		switch d.Type() {
		case unix.IFLA_IFNAME:
			link.Name = d.String()
		case unix.IFLA_LINKINFO:
			var info client.AttributeDecoder
			d.NestedInto(&info)
			for info.Next() {
				if info.Type() == unix.IFLA_INFO_KIND {
					link.Kind = info.String()
				}
			}
			if err := info.Err(); err != nil {
				t.Fatalf("IFLA_LINKINFO: %v", err)
			}
		}
	}
	if err := d.Err(); err != nil {
		t.Fatalf("RTM_NEWLINK attributes: %v", err)
	}
	return link, nil
}

func TestVMCreateLinks(t *testing.T) {
	testenv.RequireVM(t)
	tests := []struct {
		name string
		kind string
		want vmLink
	}{
		{name: "nlmon0", kind: "nlmon", want: vmLink{Name: "nlmon0", Kind: "nlmon", Type: unix.ARPHRD_NETLINK}},
		{name: "d0", kind: "dummy", want: vmLink{Name: "d0", Kind: "dummy", Type: unix.ARPHRD_ETHER}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			c := vmRouteConn(t)

			create := linkRequest(t, unix.RTM_NEWLINK, client.FlagCreate|client.FlagExcl, tt.name, tt.kind)
			if _, err := c.Execute(ctx, create); err != nil {
				t.Fatalf("create %s link %s: %v", tt.kind, tt.name, err)
			}
			got, err := getLink(ctx, t, c, tt.name)
			if err != nil {
				t.Fatalf("get link %s: %v", tt.name, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("link after create (-want +got):\n%s", diff)
			}

			_, err = c.Execute(ctx, create)
			if !errors.Is(err, unix.EEXIST) {
				t.Errorf("creating %s twice: got %v, want EEXIST", tt.name, err)
			}

			if _, err := c.Execute(ctx, linkRequest(t, unix.RTM_DELLINK, 0, tt.name, "")); err != nil {
				t.Fatalf("delete link %s: %v", tt.name, err)
			}
			if _, err := getLink(ctx, t, c, tt.name); !errors.Is(err, unix.ENODEV) {
				t.Errorf("get link %s after delete: got %v, want ENODEV", tt.name, err)
			}
		})
	}
}
