// Package rdma is the NETLINK_RDMA schema for the decoder: message types
// named by client and operation (nlmsg_type is client << 10 | op: the
// iWARP port mapper, local services and the RDMA device interface), and
// the RDMA_NLDEV_ATTR_* attributes of the device interface, which the
// rdma(8) tool uses. The port mapper's and local services' attributes are
// shown by number.
//
// Register it with decode.NewRegistry(rdma.Family()).
package rdma

import (
	"strings"

	"github.com/nltrace/nltrace/decode"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// Clients (RDMA_NL_*), the high bits of nlmsg_type.
const (
	clientIWCM  = 2
	clientLS    = 4
	clientNLDEV = 5
)

// Family returns the NETLINK_RDMA decoder.
func Family() *decode.Family {
	return &decode.Family{Protocol: unix.NETLINK_RDMA, Name: "rdma", Types: types}
}

var types = func() []decode.MessageType {
	t := make([]decode.MessageType, clientNLDEV<<10+64)
	for op, n := range iwpmOps {
		t[clientIWCM<<10|op] = decode.MessageType{Name: n, Attrs: &iwpmAttrs}
	}
	for op, n := range lsOps {
		t[clientLS<<10|op] = decode.MessageType{Name: n, Attrs: &lsAttrs}
	}
	for op, n := range nldevCommands {
		t[clientNLDEV<<10|op] = decode.MessageType{Name: n, Op: nldevOp(n), Attrs: &nldevAttrs}
	}
	return t
}()

// nldevOp says how a device-interface command's flags are named.
func nldevOp(name string) decode.Op {
	switch {
	case strings.HasSuffix(name, "_GET"), strings.HasSuffix(name, "_GET_RAW"), strings.Contains(name, "_GET_"):
		return decode.OpGet
	case name == "RDMA_NLDEV_CMD_NEWLINK", name == "RDMA_NLDEV_CMD_NEWDEV":
		return decode.OpNew
	case name == "RDMA_NLDEV_CMD_DELLINK", name == "RDMA_NLDEV_CMD_DELDEV", name == "RDMA_NLDEV_CMD_STAT_DEL":
		return decode.OpDel
	}
	return decode.OpSet
}

// The port mapper and local services number their attributes per
// operation; without a table per operation they are shown by number.
var (
	iwpmAttrs = decode.AttrSet{Name: "IWPM_NLA"}
	lsAttrs   = decode.AttrSet{Name: "LS_NLA"}
)
