// Package fiblookup is the NETLINK_FIB_LOOKUP schema for the decoder: a
// program sends struct fib_result_nl with an IPv4 address, mark, TOS and
// scope (and the table to look in), and the kernel sends the same message
// back with the result filled in: table, prefix length, nexthop, route
// type, scope and error. The message type is whatever the sender chose,
// so every type above the netlink control messages is this one.
//
// Register it with decode.NewRegistry(fiblookup.Family()).
package fiblookup

import (
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// Family returns the NETLINK_FIB_LOOKUP decoder.
func Family() *decode.Family {
	return &decode.Family{Protocol: unix.NETLINK_FIB_LOOKUP, Name: "fib_lookup", Types: []decode.MessageType{client.TypeMinReserved: lookupType},
		Lookup: func(_ *decode.State, h client.Header, _ []byte) *decode.MessageType {
			if h.Type >= client.TypeMinReserved {
				return &lookupType
			}
			return nil
		}}
}

var lookupType = decode.MessageType{Name: "FIB_LOOKUP", Header: &resultNL}

var routeTypes = decode.Enum{Name: "RTN", Names: []string{
	"unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable", "prohibit", "throw", "nat", "xresolve",
}}

var scopes = decode.Enum{Name: "RT_SCOPE", Open: true, Names: []string{0: "global", 200: "site", 253: "link", 254: "host", 255: "nowhere"}}

var tables = decode.Enum{Name: "RT_TABLE", Open: true, Names: []string{0: "unspec", 252: "compat", 253: "default", 254: "main", 255: "local"}}

// resultNL is struct fib_result_nl (include/net/ip_fib.h): the query,
// then the result.
var resultNL = decode.Layout{Name: "fib_result_nl", Size: 20, Members: []decode.Attr{
	{Name: "fl_addr", Type: decode.Addr, Off: 0, Len: 4},
	{Name: "fl_mark", Type: decode.U32, Sem: decode.Hex, Off: 4},
	{Name: "fl_tos", Type: decode.U8, Sem: decode.Hex, Off: 8},
	{Name: "fl_scope", Type: decode.U8, Sem: decode.EnumValue, Enum: &scopes, Off: 9},
	{Name: "tb_id_in", Type: decode.U8, Sem: decode.EnumValue, Enum: &tables, Off: 10},
	{Name: "tb_id", Type: decode.U8, Sem: decode.EnumValue, Enum: &tables, Off: 11},
	{Name: "prefixlen", Type: decode.U8, Off: 12},
	{Name: "nh_sel", Type: decode.U8, Off: 13},
	{Name: "type", Type: decode.U8, Sem: decode.EnumValue, Enum: &routeTypes, Off: 14},
	{Name: "scope", Type: decode.U8, Sem: decode.EnumValue, Enum: &scopes, Off: 15},
	{Name: "err", Type: decode.S32, Off: 16},
}}
