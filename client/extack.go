package client

import (
	"encoding/binary"
	"fmt"
)

// Extended-ACK attribute types (NLMSGERR_ATTR_*).
const (
	ErrAttrMsg      uint16 = 1
	ErrAttrOffs     uint16 = 2
	ErrAttrCookie   uint16 = 3
	ErrAttrPolicy   uint16 = 4
	ErrAttrMissType uint16 = 5
	ErrAttrMissNest uint16 = 6
)

// Policy attribute types (NL_POLICY_TYPE_ATTR_*), nested in ErrAttrPolicy.
const (
	PolicyAttrType           uint16 = 1
	PolicyAttrMinValueS      uint16 = 2
	PolicyAttrMaxValueS      uint16 = 3
	PolicyAttrMinValueU      uint16 = 4
	PolicyAttrMaxValueU      uint16 = 5
	PolicyAttrMinLength      uint16 = 6
	PolicyAttrMaxLength      uint16 = 7
	PolicyAttrPolicyIdx      uint16 = 8
	PolicyAttrPolicyMaxType  uint16 = 9
	PolicyAttrBitfield32Mask uint16 = 10
	PolicyAttrPad            uint16 = 11
	PolicyAttrMask           uint16 = 12
)

// ExtendedAck is what the kernel says beyond the errno when NETLINK_EXT_ACK
// is on. The Has* fields tell a present zero from an absent value.
type ExtendedAck struct {
	Message        string
	HasOffset      bool
	Offset         uint32 // into the request, counting its nlmsghdr
	Cookie         []byte
	Policy         *Policy // the policy of the rejected attribute
	HasMissingType bool
	MissingType    uint32 // a required attribute that was absent
	HasMissingNest bool
	MissingNest    uint32 // offset of the nest that lacked MissingType
}

// IsZero reports whether the kernel sent no extended-ACK attribute.
func (a ExtendedAck) IsZero() bool {
	return a.Message == "" && !a.HasOffset && a.Cookie == nil && a.Policy == nil && !a.HasMissingType && !a.HasMissingNest
}

// Policy is the netlink policy of an attribute (NLMSGERR_ATTR_POLICY). Only
// the fields named in Present were sent.
type Policy struct {
	Present        uint32 // bit i set: policy attribute i was sent
	Type           uint32 // NL_ATTR_TYPE_*
	MinValueS      int64
	MaxValueS      int64
	MinValueU      uint64
	MaxValueU      uint64
	MinLength      uint32
	MaxLength      uint32
	PolicyIdx      uint32
	PolicyMaxType  uint32
	Bitfield32Mask uint32
	Mask           uint64
}

// Has reports whether policy attribute t was sent.
func (p *Policy) Has(t uint16) bool { return t < 32 && p.Present&(1<<t) != 0 }

// ParseExtendedAck reads extended-ACK attributes from b, whose first byte is
// at absolute offset base. Unknown attributes are skipped, as the kernel may
// add more.
func ParseExtendedAck(b []byte, base int) (ExtendedAck, error) {
	var ack ExtendedAck
	var d AttributeDecoder
	d.Reset(b, base)
	for d.Next() {
		switch d.Type() {
		case ErrAttrMsg:
			ack.Message = d.String()
		case ErrAttrOffs:
			ack.Offset, ack.HasOffset = d.Uint32(), true
		case ErrAttrCookie:
			ack.Cookie = append([]byte{}, d.Bytes()...)
		case ErrAttrPolicy:
			p := &Policy{}
			d.Nest(func(nd *AttributeDecoder) error {
				for nd.Next() {
					t := nd.Type()
					switch t {
					case PolicyAttrType:
						p.Type = nd.Uint32()
					case PolicyAttrMinValueS:
						p.MinValueS = nd.Int64()
					case PolicyAttrMaxValueS:
						p.MaxValueS = nd.Int64()
					case PolicyAttrMinValueU:
						p.MinValueU = nd.Uint64()
					case PolicyAttrMaxValueU:
						p.MaxValueU = nd.Uint64()
					case PolicyAttrMinLength:
						p.MinLength = nd.Uint32()
					case PolicyAttrMaxLength:
						p.MaxLength = nd.Uint32()
					case PolicyAttrPolicyIdx:
						p.PolicyIdx = nd.Uint32()
					case PolicyAttrPolicyMaxType:
						p.PolicyMaxType = nd.Uint32()
					case PolicyAttrBitfield32Mask:
						p.Bitfield32Mask = nd.Uint32()
					case PolicyAttrMask:
						p.Mask = nd.Uint64()
					default:
						continue
					}
					p.Present |= 1 << t
				}
				return nil
			})
			ack.Policy = p
		case ErrAttrMissType:
			ack.MissingType, ack.HasMissingType = d.Uint32(), true
		case ErrAttrMissNest:
			ack.MissingNest, ack.HasMissingNest = d.Uint32(), true
		}
	}
	return ack, d.Err()
}

// ErrorMessage is a parsed NLMSG_ERROR: an ACK when Errno is 0, otherwise
// the kernel's refusal of a request.
type ErrorMessage struct {
	// Errno is the error as on the wire: 0 for an ACK, negative otherwise.
	Errno int32
	// Request is the echoed header of the request.
	Request Header
	// Capped says NLM_F_CAPPED was set: only the request's header was
	// echoed, although Request.Length still gives the original length.
	Capped bool
	// RequestPayload is the echoed request payload, nil when capped.
	RequestPayload []byte
	// AckOffset is where the extended-ACK attributes start in the payload
	// of the NLMSG_ERROR message, or -1 when NLM_F_ACK_TLVS is clear.
	AckOffset int
	// Ack is the parsed extended ACK.
	Ack ExtendedAck
}

// errorMsgLen is the size of struct nlmsgerr: the errno plus the echoed header.
const errorMsgLen = 4 + HeaderLen

// ParseErrorMessage parses the payload of an NLMSG_ERROR message. flags are
// the NLMSG_ERROR message's own header flags (NLM_F_CAPPED, NLM_F_ACK_TLVS).
// Offsets in errors count from the start of the payload.
func ParseErrorMessage(flags uint16, payload []byte) (ErrorMessage, error) {
	em := ErrorMessage{AckOffset: -1}
	if len(payload) < errorMsgLen {
		return em, &MalformedError{Offset: 0, Reason: fmt.Sprintf("nlmsgerr needs %d bytes, have %d", errorMsgLen, len(payload))}
	}
	em.Errno = int32(binary.NativeEndian.Uint32(payload))
	em.Request, _ = ParseHeader(payload[4:])
	em.Capped = flags&FlagCapped != 0
	ackStart := errorMsgLen
	if !em.Capped {
		n := int(em.Request.Length)
		switch {
		case n < HeaderLen:
			// Some senders echo a zeroed header; there is nothing more to read.
			n = HeaderLen
		case 4+n > len(payload):
			return em, &MalformedError{Offset: 4, Reason: fmt.Sprintf("echoed request length %d exceeds the %d bytes left", n, len(payload)-4)}
		}
		em.RequestPayload = payload[errorMsgLen : 4+n : 4+n]
		ackStart = 4 + Align(n)
	}
	if flags&FlagAckTLVs == 0 {
		return em, nil
	}
	if ackStart > len(payload) {
		ackStart = len(payload)
	}
	em.AckOffset = ackStart
	ack, err := ParseExtendedAck(payload[ackStart:], ackStart)
	em.Ack = ack
	return em, err
}

// DoneMessage is a parsed NLMSG_DONE: the end of a dump, which may carry
// the dump's error and an extended ACK.
type DoneMessage struct {
	Errno     int32 // 0 or negative
	AckOffset int   // -1 when NLM_F_ACK_TLVS is clear
	Ack       ExtendedAck
}

// ParseDoneMessage parses the payload of an NLMSG_DONE message. Some
// families end a dump with an empty NLMSG_DONE; that is a success.
func ParseDoneMessage(flags uint16, payload []byte) (DoneMessage, error) {
	dm := DoneMessage{AckOffset: -1}
	if len(payload) < 4 {
		return dm, nil
	}
	dm.Errno = int32(binary.NativeEndian.Uint32(payload))
	if flags&FlagAckTLVs == 0 {
		return dm, nil
	}
	dm.AckOffset = 4
	ack, err := ParseExtendedAck(payload[4:], 4)
	dm.Ack = ack
	return dm, err
}
