package client

import (
	"fmt"
	"strconv"
	"strings"
)

// Netlink protocols (NETLINK_* socket protocols), from linux/netlink.h. They
// are defined here, not taken from x/sys/unix, so the codec builds on every
// OS.
const (
	ProtocolRoute         = 0
	ProtocolUnused        = 1
	ProtocolUsersock      = 2
	ProtocolFirewall      = 3
	ProtocolSockDiag      = 4
	ProtocolNFLog         = 5
	ProtocolXfrm          = 6
	ProtocolSELinux       = 7
	ProtocolISCSI         = 8
	ProtocolAudit         = 9
	ProtocolFibLookup     = 10
	ProtocolConnector     = 11
	ProtocolNetfilter     = 12
	ProtocolIP6FW         = 13
	ProtocolDNRtMsg       = 14
	ProtocolKobjectUevent = 15
	ProtocolGeneric       = 16
	ProtocolSCSITransport = 18
	ProtocolECryptfs      = 19
	ProtocolRDMA          = 20
	ProtocolCrypto        = 21
	ProtocolSMC           = 22
)

// protocolNames lists each protocol's short name, as the --family flag and
// the output use it.
func protocolNames() [23]string {
	return [23]string{
		ProtocolRoute: "route", ProtocolUnused: "unused", ProtocolUsersock: "usersock", ProtocolFirewall: "firewall",
		ProtocolSockDiag: "sock_diag", ProtocolNFLog: "nflog", ProtocolXfrm: "xfrm",
		ProtocolSELinux: "selinux", ProtocolISCSI: "iscsi", ProtocolAudit: "audit",
		ProtocolFibLookup: "fib_lookup", ProtocolConnector: "connector", ProtocolNetfilter: "netfilter",
		ProtocolIP6FW: "ip6_fw", ProtocolDNRtMsg: "dnrtmsg", ProtocolKobjectUevent: "uevent", ProtocolGeneric: "generic",
		ProtocolSCSITransport: "scsitransport", ProtocolECryptfs: "ecryptfs", ProtocolRDMA: "rdma",
		ProtocolCrypto: "crypto", ProtocolSMC: "smc",
	}
}

// ProtocolName returns the short name of a netlink protocol ("route",
// "generic", ...), or "proto N" for one without a name.
func ProtocolName(protocol int) string {
	names := protocolNames()
	if protocol >= 0 && protocol < len(names) && names[protocol] != "" {
		return names[protocol]
	}
	return "proto " + strconv.Itoa(protocol)
}

// ParseProtocol accepts a protocol's short name, its NETLINK_* name in any
// case, or its number.
func ParseProtocol(s string) (int, error) {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n < 32 {
		return n, nil
	}
	name := strings.TrimPrefix(strings.ToLower(s), "netlink_")
	switch name {
	case "rtnetlink", "rtnl":
		return ProtocolRoute, nil
	case "genl", "genetlink":
		return ProtocolGeneric, nil
	case "nf", "nfnetlink":
		return ProtocolNetfilter, nil
	case "diag", "inet_diag":
		return ProtocolSockDiag, nil
	case "kobject_uevent":
		return ProtocolKobjectUevent, nil
	}
	for i, n := range protocolNames() {
		if n != "" && n == name {
			return i, nil
		}
	}
	return 0, fmt.Errorf("unknown netlink protocol %q", s)
}
