package client

import (
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// Every netlink protocol number Linux defines (linux/netlink.h; 17 has
// none) has a name, and ParseProtocol takes that name back.
func TestProtocolNames(t *testing.T) {
	for _, p := range []int{
		unix.NETLINK_ROUTE, unix.NETLINK_UNUSED, unix.NETLINK_USERSOCK, unix.NETLINK_FIREWALL, unix.NETLINK_SOCK_DIAG,
		unix.NETLINK_NFLOG, unix.NETLINK_XFRM, unix.NETLINK_SELINUX, unix.NETLINK_ISCSI, unix.NETLINK_AUDIT,
		unix.NETLINK_FIB_LOOKUP, unix.NETLINK_CONNECTOR, unix.NETLINK_NETFILTER, unix.NETLINK_IP6_FW, unix.NETLINK_DNRTMSG,
		unix.NETLINK_KOBJECT_UEVENT, unix.NETLINK_GENERIC, unix.NETLINK_SCSITRANSPORT, unix.NETLINK_ECRYPTFS,
		unix.NETLINK_RDMA, unix.NETLINK_CRYPTO, unix.NETLINK_SMC,
	} {
		n := ProtocolName(p)
		if n == "proto "+strconv.Itoa(p) {
			t.Errorf("protocol %d has no name", p)
			continue
		}
		if got, err := ParseProtocol(n); err != nil || got != p {
			t.Errorf("ParseProtocol(%q) = %d, %v; want %d", n, got, err, p)
		}
	}
}
