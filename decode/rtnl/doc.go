// Package rtnl is the rtnetlink (NETLINK_ROUTE) schema for the decoder: the
// message types, fixed headers and attribute sets of links, addresses,
// routes, neighbours, rules, nexthops, netconf, nsid, mdb, stats, the
// bridge VLAN database, VXLAN VNI filters, ND user options and multicast
// cache reports, with values named the way iproute2 names them.
//
// Register it with decode.NewRegistry(rtnl.Family()). The attribute names
// and numbers come from the kernel's uapi headers in /usr/include/linux
// (tables.go); the tc message schemas live in tc*.go, the VLAN and tunnel
// ones in vlan_tunnel.go, ND user options and cache reports in
// nduseropt.go.
package rtnl
