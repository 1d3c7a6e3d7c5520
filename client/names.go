package client

import (
	"strconv"
)

// BaseMessageTypeName returns the NLMSG_* name of a base message type, or ""
// for a protocol's own type.
func BaseMessageTypeName(t uint16) string {
	switch t {
	case TypeNoop:
		return "NLMSG_NOOP"
	case TypeError:
		return "NLMSG_ERROR"
	case TypeDone:
		return "NLMSG_DONE"
	case TypeOverrun:
		return "NLMSG_OVERRUN"
	}
	return ""
}

// MessageTypeName names a message type of a netlink protocol as well as the
// client knows it: base types, every rtnetlink type and the generic-netlink
// controller. Other types print as "type N". The decode packages know more.
func MessageTypeName(protocol int, t uint16) string {
	if n := BaseMessageTypeName(t); n != "" {
		return n
	}
	switch protocol {
	case ProtocolRoute:
		if n := RouteMessageTypeName(t); n != "" {
			return n
		}
	case ProtocolGeneric:
		if t == GenlIDCtrl {
			return "nlctrl"
		}
	}
	return "type " + strconv.Itoa(int(t))
}

// GenlIDCtrl is the fixed family id of the generic-netlink controller.
const GenlIDCtrl = 0x10
