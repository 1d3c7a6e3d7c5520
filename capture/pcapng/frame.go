package pcapng

import (
	"encoding/binary"
	"fmt"

	"github.com/gopacket/gopacket/layers"
	"github.com/nltrace/nltrace/capture"
)

// Link types and the cooked-header values nltrace reads and writes.
const (
	// LinkTypeNetlink is LINKTYPE_NETLINK: a 16-byte cooked header, then
	// the netlink bytes.
	LinkTypeNetlink = layers.LinkType(253)
	// LinkTypeLinuxSLL is LINKTYPE_LINUX_SLL, as tcpdump -i any writes;
	// it carries netlink when its hatype is ARPHRD_NETLINK.
	LinkTypeLinuxSLL = layers.LinkType(113)
	// LinkTypeLinuxSLL2 is LINKTYPE_LINUX_SLL2, the newer "any" header.
	LinkTypeLinuxSLL2 = layers.LinkType(276)

	// cookedLen is the LINKTYPE_NETLINK (and LINUX_SLL) header length.
	cookedLen = 16
	// sll2Len is the LINUX_SLL2 header length.
	sll2Len = 20
	// arphrdNetlink is ARPHRD_NETLINK; Wireshark dissects nothing unless the
	// cooked header says it.
	arphrdNetlink = 824

	// Packet types (PACKET_*) in the cooked header. nlmon always gives
	// packetOutgoing, so it says nothing about the direction.
	packetHost     = 0
	packetOutgoing = 4
)

// appendCooked appends the 16-byte LINKTYPE_NETLINK header for r.
func appendCooked(b []byte, r *capture.Record) []byte {
	pkttype := uint16(packetOutgoing)
	if r.Direction == capture.FromKernel {
		pkttype = packetHost
	}
	b = binary.BigEndian.AppendUint16(b, pkttype)
	b = binary.BigEndian.AppendUint16(b, arphrdNetlink)
	b = binary.BigEndian.AppendUint16(b, 0) // address length
	b = append(b, 0, 0, 0, 0, 0, 0, 0, 0)
	return binary.BigEndian.AppendUint16(b, r.Protocol)
}

// cooked is what a frame's link-layer header says.
type cooked struct {
	pkttype  uint16
	protocol uint16
	// headerLen is how many bytes precede the netlink bytes.
	headerLen int
}

// parseCooked reads the link-layer header of one frame of the given link
// type.
func parseCooked(lt layers.LinkType, frame []byte) (cooked, error) {
	switch lt {
	case LinkTypeNetlink, LinkTypeLinuxSLL:
		if len(frame) < cookedLen {
			return cooked{}, fmt.Errorf("frame of %d bytes is shorter than the %d-byte %s header", len(frame), cookedLen, linkTypeName(lt))
		}
		hatype := binary.BigEndian.Uint16(frame[2:4])
		if lt == LinkTypeLinuxSLL && hatype != arphrdNetlink {
			return cooked{}, fmt.Errorf("LINUX_SLL frame with hatype %d is not netlink (want %d)", hatype, arphrdNetlink)
		}
		return cooked{
			pkttype:   binary.BigEndian.Uint16(frame[0:2]),
			protocol:  binary.BigEndian.Uint16(frame[14:16]),
			headerLen: cookedLen,
		}, nil
	case LinkTypeLinuxSLL2:
		if len(frame) < sll2Len {
			return cooked{}, fmt.Errorf("frame of %d bytes is shorter than the %d-byte LINUX_SLL2 header", len(frame), sll2Len)
		}
		if hatype := binary.BigEndian.Uint16(frame[8:10]); hatype != arphrdNetlink {
			return cooked{}, fmt.Errorf("LINUX_SLL2 frame with hatype %d is not netlink (want %d)", hatype, arphrdNetlink)
		}
		return cooked{
			pkttype:   uint16(frame[10]),
			protocol:  binary.BigEndian.Uint16(frame[0:2]),
			headerLen: sll2Len,
		}, nil
	}
	return cooked{}, fmt.Errorf("link type %s does not carry netlink", linkTypeName(lt))
}

// netlinkLinkType reports whether frames of link type lt can carry netlink.
func netlinkLinkType(lt layers.LinkType) bool {
	return lt == LinkTypeNetlink || lt == LinkTypeLinuxSLL || lt == LinkTypeLinuxSLL2
}

func linkTypeName(lt layers.LinkType) string {
	switch lt {
	case LinkTypeNetlink:
		return "NETLINK"
	case LinkTypeLinuxSLL:
		return "LINUX_SLL"
	case LinkTypeLinuxSLL2:
		return "LINUX_SLL2"
	}
	return fmt.Sprintf("%d", uint16(lt))
}
