package client_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/internal/testenv"
)

// These tests run only inside the test VM (internal/vmtest): its stock
// kernel has the nlmon and dummy drivers that the host's kernel lacks.

// vmLinkView is the part of a link these tests check, as RouteConn and as
// ip report it.
type vmLinkView struct {
	Name     string
	Kind     string
	LinkType string // ip's name for the ARPHRD type
	Data     string // Go type of Link.Data; "" from ip
}

func TestVMCreateLinks(t *testing.T) {
	testenv.RequireVM(t)
	tests := []struct {
		link client.Link
		want vmLinkView
	}{
		{
			link: client.Link{Name: "nlmon0", Data: &client.Nlmon{}},
			want: vmLinkView{Name: "nlmon0", Kind: "nlmon", LinkType: "netlink", Data: "*client.Nlmon"},
		},
		{
			link: client.Link{Name: "d0", Data: &client.Dummy{}},
			want: vmLinkView{Name: "d0", Kind: "dummy", LinkType: "ether", Data: "*client.Dummy"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.want.Kind, func(t *testing.T) {
			h := newHostNS(t)
			ctx := testContext(t)
			if err := h.rc.AddLink(ctx, tt.link); err != nil {
				t.Fatalf("AddLink(%s %s): %v", tt.want.Kind, tt.link.Name, err)
			}

			got := h.mustLink(t, tt.link.Name)
			ours := vmLinkView{Name: got.Name, Kind: got.Kind, LinkType: arphrdName(got.Type), Data: reflect.TypeOf(got.Data).String()}
			if diff := cmp.Diff(tt.want, ours); diff != "" {
				t.Errorf("LinkByName after AddLink (-want +got):\n%s", diff)
			}

			var fromIP []struct {
				IfName   string `json:"ifname"`
				LinkType string `json:"link_type"`
				LinkInfo struct {
					InfoKind string `json:"info_kind"`
				} `json:"linkinfo"`
			}
			h.ipJSON(t, &fromIP, "-d", "link", "show", "dev", tt.link.Name)
			if len(fromIP) != 1 {
				t.Fatalf("ip link show dev %s: want 1 link, got %d", tt.link.Name, len(fromIP))
			}
			theirs := vmLinkView{Name: fromIP[0].IfName, Kind: fromIP[0].LinkInfo.InfoKind, LinkType: fromIP[0].LinkType}
			wantIP := tt.want
			wantIP.Data = ""
			if diff := cmp.Diff(wantIP, theirs); diff != "" {
				t.Errorf("ip -d link show after AddLink (-want +got):\n%s", diff)
			}

			if err := h.rc.AddLink(ctx, tt.link); !errors.Is(err, unix.EEXIST) {
				t.Errorf("AddLink of an existing %s: got %v, want EEXIST", tt.link.Name, err)
			}
			if err := h.rc.DeleteLinkByName(ctx, tt.link.Name); err != nil {
				t.Fatalf("DeleteLinkByName(%s): %v", tt.link.Name, err)
			}
			if _, err := h.rc.LinkByName(ctx, tt.link.Name); !errors.Is(err, unix.ENODEV) {
				t.Errorf("LinkByName(%s) after delete: got %v, want ENODEV", tt.link.Name, err)
			}
		})
	}
}

// arphrdName is ip's name for the hardware types these tests create.
func arphrdName(t uint16) string {
	switch t {
	case unix.ARPHRD_NETLINK:
		return "netlink"
	case unix.ARPHRD_ETHER:
		return "ether"
	default:
		return "unknown"
	}
}
