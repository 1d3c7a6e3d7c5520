// Package pcapng writes capture records to pcapng files and reads them back
// from pcapng and classic pcap files, so that a recorded capture decodes
// exactly like the live stream.
//
// Files hold LINKTYPE_NETLINK frames: a 16-byte cooked header (packet type,
// ARPHRD_NETLINK, protocol = netlink family; big-endian) and then the netlink
// bytes exactly as one send or receive carried them. The direction travels in
// the enhanced packet block's flags, and the rest of a Record (pid, tid,
// comm, netns, port id, group, capture method) in a packet comment such as
//
//	pid=4242 tid=4243 comm=ip netns=4026531840 port=1234 method=tracepoint
//
// which Wireshark shows as frame.comment. Reader also reads what
// tcpdump -i nlmon0 writes (LINKTYPE_NETLINK, LINUX_SLL and LINUX_SLL2 with
// ARPHRD_NETLINK), inferring the direction, which nlmon does not record, and
// marking it as inferred.
//
// A Writer flushes at least every second and every few records, so a
// capture that is killed leaves a file readable up to its last flushed
// record; Close writes the interface statistics (the drop count) and flushes.
// File I/O goes through github.com/gopacket/gopacket/pcapgo.
package pcapng
