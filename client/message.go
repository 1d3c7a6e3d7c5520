package client

import (
	"encoding/binary"
	"fmt"
	"iter"
)

// HeaderLen is the size of struct nlmsghdr.
const HeaderLen = 16

// Align rounds n up to the 4-byte netlink alignment (NLMSG_ALIGN, NLA_ALIGN).
func Align(n int) int { return (n + 3) &^ 3 }

// Base message types (NLMSG_*), shared by every netlink protocol.
const (
	TypeNoop    uint16 = 0x1
	TypeError   uint16 = 0x2
	TypeDone    uint16 = 0x3
	TypeOverrun uint16 = 0x4
	// TypeMinReserved is the first type a protocol may use (NLMSG_MIN_TYPE).
	TypeMinReserved uint16 = 0x10
)

// Header flags (NLM_F_*). The high byte means different things depending on
// the kind of request; see the kind-specific names below.
const (
	FlagRequest      uint16 = 0x01
	FlagMulti        uint16 = 0x02
	FlagAck          uint16 = 0x04
	FlagEcho         uint16 = 0x08
	FlagDumpIntr     uint16 = 0x10
	FlagDumpFiltered uint16 = 0x20

	// GET requests.
	FlagRoot   uint16 = 0x100
	FlagMatch  uint16 = 0x200
	FlagAtomic uint16 = 0x400
	FlagDump   uint16 = FlagRoot | FlagMatch

	// NEW requests.
	FlagReplace uint16 = 0x100
	FlagExcl    uint16 = 0x200
	FlagCreate  uint16 = 0x400
	FlagAppend  uint16 = 0x800

	// DEL requests.
	FlagNonrec uint16 = 0x100
	FlagBulk   uint16 = 0x200

	// NLMSG_ERROR (ACK) replies.
	FlagCapped  uint16 = 0x100
	FlagAckTLVs uint16 = 0x200
)

// Header is struct nlmsghdr. Length counts the header itself.
type Header struct {
	Length   uint32
	Type     uint16
	Flags    uint16
	Sequence uint32
	PortID   uint32
}

// ParseHeader reads a header from the first HeaderLen bytes of b.
func ParseHeader(b []byte) (Header, error) {
	if len(b) < HeaderLen {
		return Header{}, &MalformedError{Offset: 0, Reason: fmt.Sprintf("message header needs %d bytes, have %d", HeaderLen, len(b))}
	}
	return Header{
		Length:   binary.NativeEndian.Uint32(b[0:4]),
		Type:     binary.NativeEndian.Uint16(b[4:6]),
		Flags:    binary.NativeEndian.Uint16(b[6:8]),
		Sequence: binary.NativeEndian.Uint32(b[8:12]),
		PortID:   binary.NativeEndian.Uint32(b[12:16]),
	}, nil
}

// Append appends the encoded header to b.
func (h Header) Append(b []byte) []byte {
	b = binary.NativeEndian.AppendUint32(b, h.Length)
	b = binary.NativeEndian.AppendUint16(b, h.Type)
	b = binary.NativeEndian.AppendUint16(b, h.Flags)
	b = binary.NativeEndian.AppendUint32(b, h.Sequence)
	return binary.NativeEndian.AppendUint32(b, h.PortID)
}

// Message is one netlink message. Data is the payload after the header; when
// a Message comes from Messages or a MessageScanner it aliases the input.
type Message struct {
	Header Header
	Data   []byte
}

// Append appends the encoded message to b, padded to the netlink alignment.
// Header.Length is computed from Data; the field's value is ignored.
func (m Message) Append(b []byte) []byte {
	h := m.Header
	h.Length = uint32(HeaderLen + len(m.Data))
	b = h.Append(b)
	b = append(b, m.Data...)
	for range Align(len(m.Data)) - len(m.Data) {
		b = append(b, 0)
	}
	return b
}

// MarshalBinary encodes the message, padded to the netlink alignment.
func (m Message) MarshalBinary() ([]byte, error) {
	return m.Append(make([]byte, 0, HeaderLen+Align(len(m.Data)))), nil
}

// MessageScanner walks the messages in one buffer, as one send or receive
// carried them. Use it as
//
//	s := NewMessageScanner(b)
//	for s.Next() { m := s.Message(); ... }
//	if err := s.Err(); err != nil { ... }
//
// A message whose length is not a multiple of 4 is accepted; the next one
// starts at the aligned offset, and a buffer may end without the padding.
// The scanner never allocates.
type MessageScanner struct {
	buf []byte
	off int // start of the next message
	cur int // start of the current message
	msg Message
	err error
}

// NewMessageScanner returns a scanner over b.
func NewMessageScanner(b []byte) *MessageScanner {
	s := &MessageScanner{}
	s.Reset(b)
	return s
}

// Reset makes the scanner walk b from the start, so one scanner can be reused.
func (s *MessageScanner) Reset(b []byte) {
	*s = MessageScanner{buf: b}
}

// Next advances to the next message. It returns false at the end of the
// buffer or at the first malformed message; Err tells which.
func (s *MessageScanner) Next() bool {
	if s.err != nil || s.off >= len(s.buf) {
		return false
	}
	rest := s.buf[s.off:]
	if len(rest) < HeaderLen {
		s.err = &MalformedError{Offset: s.off, Reason: fmt.Sprintf("%d trailing bytes are too short for a message header", len(rest))}
		return false
	}
	h, _ := ParseHeader(rest)
	switch {
	case h.Length < HeaderLen:
		s.err = &MalformedError{Offset: s.off, Reason: fmt.Sprintf("message length %d is shorter than its header", h.Length)}
		return false
	case int64(h.Length) > int64(len(rest)):
		s.err = &MalformedError{Offset: s.off, Reason: fmt.Sprintf("message length %d exceeds the %d bytes left", h.Length, len(rest))}
		return false
	}
	s.cur = s.off
	s.msg = Message{Header: h, Data: rest[HeaderLen:h.Length:h.Length]}
	s.off += Align(int(h.Length))
	return true
}

// Message returns the current message.
func (s *MessageScanner) Message() Message { return s.msg }

// Offset returns the byte offset of the current message in the buffer.
func (s *MessageScanner) Offset() int { return s.cur }

// Err returns the first malformation met, or nil.
func (s *MessageScanner) Err() error { return s.err }

// Messages iterates over the messages in b. After a malformed message it
// yields the error once and stops.
func Messages(b []byte) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		var s MessageScanner
		s.Reset(b)
		for s.Next() {
			if !yield(s.Message(), nil) {
				return
			}
		}
		if err := s.Err(); err != nil {
			yield(Message{}, err)
		}
	}
}

// ParseMessages returns every message in b, or the messages before the first
// malformed one together with its error.
func ParseMessages(b []byte) ([]Message, error) {
	var out []Message
	for m, err := range Messages(b) {
		if err != nil {
			return out, err
		}
		out = append(out, m)
	}
	return out, nil
}
