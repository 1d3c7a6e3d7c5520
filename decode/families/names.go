package families

import (
	"github.com/nltrace/nltrace/client"
)

// TypeNames returns every message type name the decoders can give a
// message: the NLMSG_* base types, each family's types, and the names of
// the generic-netlink families the kernel and its YNL specs define, which
// name the messages of a family whose schema nltrace lacks. A --type glob
// that matches none of them can only be a mistake.
func TypeNames() []string {
	var names []string
	for t := uint16(0); t < client.TypeMinReserved; t++ {
		if n := client.BaseMessageTypeName(t); n != "" {
			names = append(names, n)
		}
	}
	for _, f := range All() {
		names = append(names, f.TypeNames()...)
	}
	return append(names, genlFamilyNames()...)
}

// genlFamilyNames are the generic-netlink family names (GENL_NAME and
// *_FAMILY_NAME in the uapi headers, and the YNL specs' families), as the
// controller lists them. Their ids are assigned at run time, so a message
// is named by its family when the stream or the kernel said which id it
// has.
func genlFamilyNames() []string {
	return []string{
		"nlctrl", "acpi_event", "batadv", "cifs", "devlink", "DLM", "dpll", "ethtool", "fou",
		"gtp", "handshake", "hsr", "ila", "IOAM6", "IPVS", "l2tp", "lockd", "macsec", "mptcp_pm",
		"nbd", "ncsi", "net_shaper", "netdev", "nfc", "nfsd", "nl80211", "nl802154", "NLBL_CALIPSO",
		"NLBL_CIPSOv4", "NLBL_MGMT", "NLBL_UNLBL", "ovpn", "ovs_ct_limit", "ovs_datapath",
		"ovs_flow", "ovs_meter", "ovs_packet", "ovs_vport", "psample", "psp", "SEG6",
		"SMC_GEN_NETLINK", "SMC_PNETID", "TASKSTATS", "tcp_metrics", "team", "thermal", "TIPC",
		"TIPCv2", "vdpa", "VFS_DQUOT", "wireguard", "802.15.4 MAC",
	}
}
