package nfct

import "github.com/nltrace/nltrace/decode"

// The packet that nflog and nfqueue hand to user space starts at its
// network header. Its IPv4 or IPv6 header and its TCP, UDP or ICMP header
// are shown by name, the rest as bytes.

var iphdr = decode.Layout{Name: "iphdr", Size: 20, Members: []decode.Attr{
	{Name: "version", Type: decode.U8, Bits: 4, Shift: 4, Off: 0},
	{Name: "ihl", Type: decode.U8, Bits: 4, Off: 0},
	{Name: "tos", Type: decode.U8, Sem: decode.Hex, Off: 1},
	{Name: "tot_len", Type: decode.BE16, Off: 2},
	{Name: "id", Type: decode.BE16, Off: 4},
	{Name: "frag_off", Type: decode.BE16, Sem: decode.Hex, Off: 6},
	{Name: "ttl", Type: decode.U8, Off: 8},
	{Name: "protocol", Type: decode.U8, Sem: decode.EnumValue, Enum: &protoNames, Off: 9},
	{Name: "check", Type: decode.BE16, Sem: decode.Hex, Off: 10},
	{Name: "saddr", Type: decode.Addr, Off: 12, Len: 4},
	{Name: "daddr", Type: decode.Addr, Off: 16, Len: 4},
}}

var ipv6hdr = decode.Layout{Name: "ipv6hdr", Size: 40, Members: []decode.Attr{
	{Name: "version", Type: decode.U8, Bits: 4, Shift: 4, Off: 0},
	{Name: "payload_len", Type: decode.BE16, Off: 4},
	{Name: "nexthdr", Type: decode.U8, Sem: decode.EnumValue, Enum: &protoNames, Off: 6},
	{Name: "hop_limit", Type: decode.U8, Off: 7},
	{Name: "saddr", Type: decode.Addr, Off: 8, Len: 16},
	{Name: "daddr", Type: decode.Addr, Off: 24, Len: 16},
}}

var tcpHdrFlags = decode.FlagSet{Name: "TCP", Bits: []string{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"}}

var tcphdr = decode.Layout{Name: "tcphdr", Size: 20, Members: []decode.Attr{
	{Name: "source", Type: decode.BE16, Off: 0},
	{Name: "dest", Type: decode.BE16, Off: 2},
	{Name: "seq", Type: decode.BE32, Off: 4},
	{Name: "ack_seq", Type: decode.BE32, Off: 8},
	{Name: "doff", Type: decode.U8, Bits: 4, Shift: 4, Off: 12},
	{Name: "flags", Type: decode.U8, Sem: decode.FlagBits, Flags: &tcpHdrFlags, Off: 13},
	{Name: "window", Type: decode.BE16, Off: 14},
	{Name: "check", Type: decode.BE16, Sem: decode.Hex, Off: 16},
	{Name: "urg_ptr", Type: decode.BE16, Off: 18},
}}

var udphdr = decode.Layout{Name: "udphdr", Size: 8, Members: []decode.Attr{
	{Name: "source", Type: decode.BE16, Off: 0},
	{Name: "dest", Type: decode.BE16, Off: 2},
	{Name: "len", Type: decode.BE16, Off: 4},
	{Name: "check", Type: decode.BE16, Sem: decode.Hex, Off: 6},
}}

var icmphdr = decode.Layout{Name: "icmphdr", Size: 4, Members: []decode.Attr{
	{Name: "type", Type: decode.U8, Off: 0},
	{Name: "code", Type: decode.U8, Off: 1},
	{Name: "checksum", Type: decode.BE16, Sem: decode.Hex, Off: 2},
}}

// packetPayload decodes NFULA_PAYLOAD and NFQA_PAYLOAD. A packet that is
// neither IPv4 nor IPv6, or too short for its headers, is shown as bytes.
func packetPayload(b *decode.Builder, p []byte, off int) {
	at, l4 := 0, -1
	switch {
	case len(p) >= 20 && p[0]>>4 == 4:
		ihl := int(p[0]&15) * 4
		if ihl < 20 || ihl > len(p) {
			break
		}
		b.Header(&iphdr, p[:ihl], off)
		at = ihl
		// Only the first fragment carries the transport header.
		if p[6]&0x1f == 0 && p[7] == 0 {
			l4 = int(p[9])
		}
	case len(p) >= 40 && p[0]>>4 == 6:
		b.Header(&ipv6hdr, p[:40], off)
		at, l4 = 40, int(p[6])
	}
	rest := p[at:]
	switch {
	case l4 == 6 && len(rest) >= 20:
		n := int(rest[12]>>4) * 4
		if n < 20 || n > len(rest) {
			n = 20
		}
		b.Header(&tcphdr, rest[:20], off+at)
		if n > 20 {
			b.Bytes("tcp_options", rest[20:n], off+at+20)
		}
		at += n
	case (l4 == 17 || l4 == 136) && len(rest) >= 8:
		b.Header(&udphdr, rest[:8], off+at)
		at += 8
	case (l4 == 1 || l4 == 58) && len(rest) >= 4:
		b.Header(&icmphdr, rest[:4], off+at)
		at += 4
	}
	if at < len(p) {
		b.Bytes("data", p[at:], off+at)
	}
}
