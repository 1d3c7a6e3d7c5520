// Package nlmon captures the netlink traffic of a network namespace through
// an nlmon device, read with an AF_PACKET socket, and names the process
// behind each port id through NETLINK_SOCK_DIAG.
//
// Open creates the nlmon link (or reuses one that already exists, and then
// leaves it in place), brings it up and starts reading. Close the Source to
// remove a link it created; the command wires SIGINT and SIGTERM to Close.
// A link that an nltrace killed before it could clean up carries the alias
// "nltrace pid=N"; Open finds such stale links and reports them.
//
// nlmon frames carry no direction: the kernel marks every frame outgoing.
// Records get the direction that capture.InferDirection infers from the
// message header, marked as inferred. The port id in that header is
// resolved to a pid and comm with a sock_diag dump matched against the
// socket inodes in /proc/*/fd; the thread id is not known.
//
// Requests from iproute2 and most libraries carry port id 0: the kernel
// fills in the sender. The kernel answers a request inside the sender's
// sendmsg, so the frame after it is usually the reply (ACK, error, object
// or first dump part), addressed to the sender's port. A request with port
// id 0 is therefore given the port id, pid and comm of the next frame, if
// that frame comes within Config.ReplyWait, from the kernel, of the same
// protocol and with the same sequence number. This attribution is only as
// good as that pairing: two sockets that use the same sequence number at
// the same moment could be confused, and a request whose reply does not
// come next (a notification in between, a slow or absent reply) stays
// unattributed. Records do not say which port ids were paired this way.
package nlmon
