//go:build linux

package client_test

import (
	"net/netip"
	"testing"

	"github.com/nltrace/nltrace/client"
	"golang.org/x/sys/unix"
)

// FuzzParseObjects feeds arbitrary payloads to the link, address, route and
// generic-netlink family parsers: none may panic, and whatever they accept
// must be self-consistent.
func FuzzParseObjects(f *testing.F) {
	seed := func(typ uint16, fixed []byte, fill func(*client.AttributeEncoder)) {
		var e client.AttributeEncoder
		fill(&e)
		attrs, _ := e.Encode()
		f.Add(typ, append(fixed, attrs...))
	}
	seed(unix.RTM_NEWLINK, client.IfInfoMsg{Index: 2}.Append(nil), func(e *client.AttributeEncoder) {
		e.String(unix.IFLA_IFNAME, "vx0")
		e.Uint32(unix.IFLA_MTU, 1450)
		e.Bytes(unix.IFLA_ADDRESS, []byte{2, 0, 0, 0, 0, 1})
		info := e.NestStart(unix.IFLA_LINKINFO)
		e.String(unix.IFLA_INFO_KIND, "vxlan")
		data := e.NestStart(unix.IFLA_INFO_DATA)
		e.Uint32(unix.IFLA_VXLAN_ID, 42)
		e.Uint16BE(unix.IFLA_VXLAN_PORT, 4789)
		e.Bytes(unix.IFLA_VXLAN_GROUP, []byte{239, 1, 1, 1})
		e.NestEnd(data)
		e.NestEnd(info)
	})
	seed(unix.RTM_NEWLINK, client.IfInfoMsg{Index: 3}.Append(nil), func(e *client.AttributeEncoder) {
		info := e.NestStart(unix.IFLA_LINKINFO)
		e.String(unix.IFLA_INFO_KIND, "bridge")
		data := e.NestStart(unix.IFLA_INFO_DATA)
		e.Uint32(unix.IFLA_BR_STP_STATE, 1)
		e.Uint16(unix.IFLA_BR_PRIORITY, 7)
		e.NestEnd(data)
		e.NestEnd(info)
	})
	seed(unix.RTM_NEWADDR, client.IfAddrMsg{Family: unix.AF_INET, PrefixLen: 24, Index: 2}.Append(nil), func(e *client.AttributeEncoder) {
		e.Bytes(unix.IFA_LOCAL, []byte{10, 0, 0, 1})
		e.Bytes(unix.IFA_ADDRESS, []byte{10, 0, 0, 2})
		e.String(unix.IFA_LABEL, "v0")
	})
	seed(unix.RTM_NEWROUTE, client.RtMsg{Family: unix.AF_INET6, DstLen: 64}.Append(nil), func(e *client.AttributeEncoder) {
		e.Bytes(unix.RTA_DST, netip.MustParseAddr("fd00::").AsSlice())
		e.Bytes(unix.RTA_MULTIPATH, []byte{8, 0, 0, 1, 2, 0, 0, 0, 8, 0, 0, 0, 3, 0, 0, 0})
	})
	seed(client.GenlIDCtrl, client.GenlMsgHdr{Command: unix.CTRL_CMD_NEWFAMILY}.Append(nil), func(e *client.AttributeEncoder) {
		e.Uint16(unix.CTRL_ATTR_FAMILY_ID, 0x15)
		e.String(unix.CTRL_ATTR_FAMILY_NAME, "ethtool")
		ops := e.NestStart(unix.CTRL_ATTR_OPS)
		op := e.NestStart(1)
		e.Uint32(unix.CTRL_ATTR_OP_ID, 1)
		e.NestEnd(op)
		e.NestEnd(ops)
	})

	f.Fuzz(func(t *testing.T, typ uint16, data []byte) {
		m := client.Message{Header: client.Header{Type: typ}, Data: data}
		if l, err := client.ParseLink(m); err == nil && l.Data != nil && l.Data.Kind() != l.Kind {
			t.Errorf("link data of kind %q on a %q link", l.Data.Kind(), l.Kind)
		}
		if a, err := client.ParseAddress(m); err == nil && !a.Prefix.IsValid() {
			t.Errorf("accepted address has invalid prefix %v", a.Prefix)
		}
		if r, err := client.ParseRoute(m); err == nil {
			for _, h := range r.MultiPath {
				if h.Weight < 1 || h.Weight > 256 {
					t.Errorf("next hop weight %d outside 1..256", h.Weight)
				}
			}
		}
		if fam, err := client.ParseFamily(m); err == nil && (fam.ID == 0 || fam.Name == "") {
			t.Errorf("accepted family without id or name: %+v", fam)
		}
	})
}
