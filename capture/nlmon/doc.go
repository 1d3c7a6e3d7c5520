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
package nlmon
