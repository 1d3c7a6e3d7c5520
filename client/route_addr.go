package client

import (
	"context"
	"encoding/binary"
	"fmt"
	"net/netip"
)

// Address is an IPv4 or IPv6 address on a link (RTM_*ADDR).
type Address struct {
	// Index is the link's index.
	Index int
	// Prefix is the address with its prefix length: 10.0.0.1/24.
	Prefix netip.Prefix
	// Peer is the other end of a point-to-point link (IFA_ADDRESS when it
	// differs from the local address); the zero Addr for none.
	Peer netip.Addr
	// Broadcast is the IPv4 broadcast address; the zero Addr for none.
	Broadcast netip.Addr
	// Label is the IPv4 address label ("eth0:1"); "" for none, and then
	// the kernel uses the link's name.
	Label string
	// Scope is the address scope (ScopeUniverse, ScopeLink, ScopeHost).
	Scope uint8
	// Flags are the IFA_F_* flags (AddrFlagNoDAD, AddrFlagPermanent, ...).
	Flags uint32
	// ValidLifetime and PreferredLifetime are in seconds; 0xFFFFFFFF means
	// forever. They are reported, not sent: added addresses are permanent.
	ValidLifetime, PreferredLifetime uint32
}

// ParseAddress reads an RTM_NEWADDR or RTM_DELADDR message.
func ParseAddress(m Message) (Address, error) {
	if m.Header.Type != rtmNewAddr && m.Header.Type != rtmDelAddr {
		return Address{}, fmt.Errorf("parse address: message type %d is not RTM_NEWADDR or RTM_DELADDR", m.Header.Type)
	}
	ifa, err := ParseIfAddrMsg(m.Data)
	if err != nil {
		return Address{}, fmt.Errorf("parse address: %w", err)
	}
	a := Address{Index: int(ifa.Index), Scope: ifa.Scope, Flags: uint32(ifa.Flags)}
	var local, address netip.Addr
	var d AttributeDecoder
	d.Reset(m.Data[IfAddrMsgLen:], HeaderLen+IfAddrMsgLen)
	for d.Next() {
		switch d.Type() {
		case ifaAddress:
			address = addrFrom(d.Bytes())
		case ifaLocal:
			local = addrFrom(d.Bytes())
		case ifaBroadcast:
			a.Broadcast = addrFrom(d.Bytes())
		case ifaLabel:
			a.Label = d.String()
		case ifaFlags:
			a.Flags = d.Uint32()
		case ifaCacheInfo:
			// struct ifa_cacheinfo: prefered, valid, cstamp, tstamp.
			if b := d.Bytes(); len(b) >= 8 {
				a.PreferredLifetime = binary.NativeEndian.Uint32(b[0:])
				a.ValidLifetime = binary.NativeEndian.Uint32(b[4:])
			}
		}
	}
	if err := d.Err(); err != nil {
		return Address{}, fmt.Errorf("parse address on link %d: %w", ifa.Index, err)
	}
	primary := local
	if !primary.IsValid() {
		primary = address
	} else if address.IsValid() && address != local {
		a.Peer = address
	}
	if !primary.IsValid() {
		return Address{}, fmt.Errorf("parse address on link %d: message has neither IFA_LOCAL nor IFA_ADDRESS", ifa.Index)
	}
	// PrefixFrom keeps the host bits, which are the address itself.
	a.Prefix = netip.PrefixFrom(primary, int(ifa.PrefixLen))
	if !a.Prefix.IsValid() {
		return Address{}, fmt.Errorf("parse address on link %d: prefix length %d does not fit %s", ifa.Index, ifa.PrefixLen, primary)
	}
	return a, nil
}

// ListAddresses returns the addresses of every link; family is
// unix.AF_INET, unix.AF_INET6, or 0 for both.
func (r *RouteConn) ListAddresses(ctx context.Context, family int) ([]Address, error) {
	const op = "list addresses"
	req, _ := request(rtmGetAddr, 0, IfAddrMsg{Family: uint8(family)}.Append(nil), nil)
	replies, err := r.dump(ctx, op, req)
	if err != nil {
		return nil, err
	}
	out := make([]Address, 0, len(replies))
	for _, m := range replies {
		a, err := ParseAddress(m)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// AddAddress adds a.Prefix to the link a.Index, with a's Peer, Broadcast,
// Label, Scope and Flags. An address that exists already gives an error that
// matches unix.EEXIST.
func (r *RouteConn) AddAddress(ctx context.Context, a Address) error {
	op := fmt.Sprintf("add address %s to link %d", a.Prefix, a.Index)
	req, err := addressRequest(rtmNewAddr, FlagCreate|FlagExcl, a)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	_, err = r.execute(ctx, op, req)
	return err
}

// DeleteAddress removes a.Prefix from the link a.Index.
func (r *RouteConn) DeleteAddress(ctx context.Context, a Address) error {
	op := fmt.Sprintf("delete address %s from link %d", a.Prefix, a.Index)
	req, err := addressRequest(rtmDelAddr, 0, a)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	_, err = r.execute(ctx, op, req)
	return err
}

func addressRequest(typ, flags uint16, a Address) (Message, error) {
	if !a.Prefix.IsValid() {
		return Message{}, fmt.Errorf("address needs a valid prefix")
	}
	local := a.Prefix.Addr()
	if local.Is4In6() {
		return Message{}, fmt.Errorf("address %s is IPv4-mapped; give it as IPv4", local)
	}
	family := familyInet6
	if local.Is4() {
		family = familyInet
	}
	for _, other := range []netip.Addr{a.Peer, a.Broadcast} {
		if other.IsValid() && other.Is4() != local.Is4() {
			return Message{}, fmt.Errorf("address %s mixes address families with %s", local, other)
		}
	}
	ifa := IfAddrMsg{Family: family, PrefixLen: uint8(a.Prefix.Bits()), Flags: uint8(a.Flags), Scope: a.Scope, Index: uint32(a.Index)}
	var e AttributeEncoder
	e.Bytes(ifaLocal, local.AsSlice())
	address := local
	if a.Peer.IsValid() {
		address = a.Peer
	}
	e.Bytes(ifaAddress, address.AsSlice())
	if a.Broadcast.IsValid() {
		e.Bytes(ifaBroadcast, a.Broadcast.AsSlice())
	}
	if a.Label != "" {
		e.String(ifaLabel, a.Label)
	}
	if a.Flags > 0xff {
		e.Uint32(ifaFlags, a.Flags)
	}
	return request(typ, flags, ifa.Append(nil), &e)
}
