// Package client is nltrace's netlink client: the wire codec shared with the
// dissector, and a Conn that speaks netlink to the kernel.
//
// The codec (Header, Messages, AttributeDecoder, AttributeEncoder, the fixed
// family headers and ParseErrorMessage) is pure and never panics on any
// input: malformed bytes come back as a *MalformedError that carries the
// byte offset. It is the only netlink parser in nltrace; the decode packages
// build on it.
//
// Conn (Linux only) adds sequence numbers, port-id checks, multipart dumps,
// ACKs, extended ACKs, multicast groups, deadlines and context cancellation.
// On top of it sit generic-netlink family resolution (GetFamily,
// ListFamilies), network namespaces (NetNS) and the rtnetlink operations the
// rest of nltrace needs (RouteConn). Every Conn must be closed.
//
// Package clienttest provides a scripted fake socket for tests that have no
// kernel to talk to.
package client
