package genl

import (
	"encoding/binary"

	"github.com/nltrace/nltrace/decode"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// customDecoder returns the Custom decoder an overlay names; the generator
// writes the same name as a function value.
func customDecoder(name string) func(b *decode.Builder, payload []byte, off int) {
	switch name {
	case "sockaddr":
		return sockaddr
	}
	return nil
}

var sockFamilies = decode.Enum{Name: "AF", Open: true, Names: []string{
	unix.AF_UNSPEC: "unspec", unix.AF_INET: "inet", unix.AF_INET6: "inet6",
}}

// struct sockaddr_in and sockaddr_in6 (linux/in.h, linux/in6.h): the port
// and flow label are in network order.
var (
	sockaddrIn = decode.Layout{Name: "sockaddr_in", Size: 16, Members: []decode.Attr{
		{Name: "family", Type: decode.U16, Sem: decode.EnumValue, Enum: &sockFamilies},
		{Name: "port", Type: decode.BE16, Off: 2},
		{Name: "addr", Type: decode.Addr, Off: 4, Len: 4},
	}}
	sockaddrIn6 = decode.Layout{Name: "sockaddr_in6", Size: 28, Members: []decode.Attr{
		{Name: "family", Type: decode.U16, Sem: decode.EnumValue, Enum: &sockFamilies},
		{Name: "port", Type: decode.BE16, Off: 2},
		{Name: "flowinfo", Type: decode.BE32, Sem: decode.Hex, Off: 4},
		{Name: "addr", Type: decode.Addr, Off: 8, Len: 16},
		{Name: "scope_id", Type: decode.U32, Off: 24},
	}}
)

// sockaddr decodes a socket address by its family (WireGuard's peer
// endpoint); another family is shown as bytes.
func sockaddr(b *decode.Builder, p []byte, off int) {
	if len(p) >= 2 {
		switch binary.NativeEndian.Uint16(p) {
		case unix.AF_INET:
			b.Layout(&sockaddrIn, p, off)
			return
		case unix.AF_INET6:
			b.Layout(&sockaddrIn6, p, off)
			return
		}
	}
	b.Bytes("data", p, off)
}
