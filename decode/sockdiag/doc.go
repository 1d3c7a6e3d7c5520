// Package sockdiag is the NETLINK_SOCK_DIAG schema for the decoder: the
// SOCK_DIAG_BY_FAMILY and SOCK_DESTROY requests and replies of every
// socket family the kernel can report (inet and inet6 with tcp_info,
// mptcp_info and sctp_info, unix, netlink, packet, smc, xdp, vsock, tipc),
// the legacy TCPDIAG_GETSOCK and DCCPDIAG_GETSOCK messages, and the
// bytecode filters of inet requests shown op by op.
//
// A sock_diag message's meaning depends on the socket family, which is the
// first byte of every request (sdiag_family) and of most replies
// (idiag_family, udiag_family, ...). A reply is decoded with the family and
// protocol of the request it answers when the stream saw that request, and
// by its own first byte otherwise; an inet reply's INET_DIAG_INFO is a
// tcp_info, an mptcp_info or an sctp_info by that protocol. tcp_info is
// decoded for every length the kernel has used: members beyond the payload
// are left out, as an older kernel never sent them.
//
// States, timers and socket types are named as ss(8) names them. Register
// it with decode.NewRegistry(sockdiag.Family()).
package sockdiag
