package capture

import "encoding/binary"

// Netlink header facts InferDirection needs. They are repeated here, not
// imported from client, so that capture stays free of the codec.
const (
	nlmsgHeaderLen = 16
	nlmsgError     = 0x2
	nlmsgDone      = 0x3
	nlmsgOverrun   = 0x4
	nlmFRequest    = 0x1
)

// InferDirection guesses which way netlink bytes went from the first
// message header, for captures that do not say (nlmon frames, and files
// from tcpdump -i nlmon0, whose packet type is always "outgoing").
//
// The rule, in order:
//   - NLMSG_ERROR, NLMSG_DONE and NLMSG_OVERRUN come from the kernel;
//   - a message with NLM_F_REQUEST goes to the kernel;
//   - anything else (dump parts, replies, notifications) comes from the kernel.
//
// It returns the port id in that header too: for a reply the kernel puts the
// receiving socket's port id there, and a request carries the sender's port
// id, or 0 when the sender left it for the kernel to fill in (iproute2 and
// most libraries do).
//
// It is wrong for netlink between two user-space sockets (a request from one
// process to another, as some daemons do over NETLINK_USERSOCK or generic
// netlink), where the receiver's copy is called "to kernel"; for requests
// the kernel sends to user space (NETLINK_ROUTE has none; some families such
// as audit or connector do), and for multicast notifications, whose port id
// names the process that caused the change rather than the receiver. A
// shorter input than a header gives DirectionUnknown.
//
// A rule on the port id alone ("0 means from the kernel") is not used: real
// captures show requests with port id 0 and replies carrying the receiver's
// nonzero port id, so it would name nearly every request and reply wrongly.
func InferDirection(data []byte) (Direction, uint32) {
	if len(data) < nlmsgHeaderLen {
		return DirectionUnknown, 0
	}
	typ := binary.NativeEndian.Uint16(data[4:6])
	flags := binary.NativeEndian.Uint16(data[6:8])
	port := binary.NativeEndian.Uint32(data[12:16])
	switch {
	case typ == nlmsgError || typ == nlmsgDone || typ == nlmsgOverrun:
		return FromKernel, port
	case flags&nlmFRequest != 0:
		return ToKernel, port
	}
	return FromKernel, port
}
