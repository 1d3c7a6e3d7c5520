// Package replay sends the requests of a netlink capture again, in a network
// namespace other than the host's, and compares what the kernel answers
// with what it answered when the capture was made.
//
// Replay is a plan and its execution. Load reads a capture into a Plan: the
// to-kernel sends it selected (each kept whole, so a batch stays one send),
// the sockets they went through, the values that must be rewritten for
// another namespace (interface indexes, generic-netlink family ids, taken
// from the schemas' Ifindex marks and the stream's learned names) and each
// request's recorded outcome. A Plan is plain data that tests can inspect.
// Run (Linux only) executes it: one socket per recorded socket, every
// recorded send as one send with sequence numbers, port ids and the marked
// values rewritten, then each request's replayed outcome against the
// recorded one.
//
// Run never touches the initial network namespace: by default it creates
// an unnamed namespace that disappears when Run returns, and it refuses a
// namespace given by the caller that is the initial one.
package replay
