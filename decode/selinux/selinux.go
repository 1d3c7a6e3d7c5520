// Package selinux is the NETLINK_SELINUX schema for the decoder: the two
// notifications SELinux multicasts to its AVC group, a change of enforcing
// mode and a policy load.
//
// Register it with decode.NewRegistry(selinux.Family()).
package selinux

import (
	"github.com/nltrace/nltrace/decode"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// Family returns the NETLINK_SELINUX decoder.
func Family() *decode.Family {
	return &decode.Family{Protocol: unix.NETLINK_SELINUX, Name: "selinux", Types: types}
}

var enforcing = decode.Enum{Name: "enforcing", Names: []string{"permissive", "enforcing"}}

// SELNL_MSG_* (linux/selinux_netlink.h).
var types = []decode.MessageType{
	0x10: {Name: "SELNL_MSG_SETENFORCE", Header: &decode.Layout{Name: "selnl_msg_setenforce", Size: 4, Members: []decode.Attr{
		{Name: "val", Type: decode.S32, Sem: decode.EnumValue, Enum: &enforcing, Off: 0},
	}}},
	0x11: {Name: "SELNL_MSG_POLICYLOAD", Header: &decode.Layout{Name: "selnl_msg_policyload", Size: 4, Members: []decode.Attr{
		{Name: "seqno", Type: decode.U32, Off: 0},
	}}},
}
