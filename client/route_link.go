package client

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
)

// OperState is a link's RFC 2863 operational state (IF_OPER_*).
type OperState uint8

// Operational states.
const (
	OperUnknown        OperState = 0
	OperNotPresent     OperState = 1
	OperDown           OperState = 2
	OperLowerLayerDown OperState = 3
	OperTesting        OperState = 4
	OperDormant        OperState = 5
	OperUp             OperState = 6
)

// String returns the state as ip link prints it ("UP", "LOWERLAYERDOWN").
func (s OperState) String() string {
	switch s {
	case OperUnknown:
		return "UNKNOWN"
	case OperNotPresent:
		return "NOTPRESENT"
	case OperDown:
		return "DOWN"
	case OperLowerLayerDown:
		return "LOWERLAYERDOWN"
	case OperTesting:
		return "TESTING"
	case OperDormant:
		return "DORMANT"
	case OperUp:
		return "UP"
	}
	return "unknown(" + strconv.Itoa(int(s)) + ")"
}

// Link is a network interface as rtnetlink describes it. AddLink reads only
// the fields its documentation names.
type Link struct {
	// Index is the interface index; 0 when adding lets the kernel choose.
	Index int
	// Name is the interface name (IFLA_IFNAME).
	Name string
	// Type is the hardware type (ARPHRD_*).
	Type uint16
	// Flags are the IFF_* flags (LinkFlagUp, ...). The kernel reports
	// IFF_PROMISC here only when the flag itself was set; Promiscuity is
	// the real state.
	Flags uint32
	// MTU is the link's MTU; 0 when adding keeps the kernel's default.
	MTU uint32
	// MinMTU and MaxMTU bound the MTU; 0 when the kernel did not say.
	MinMTU, MaxMTU uint32
	// TxQueueLen is the transmit queue length; 0 when adding keeps the
	// default.
	TxQueueLen uint32
	// HardwareAddr is the link-layer address; nil when adding lets the
	// kernel choose.
	HardwareAddr net.HardwareAddr
	// Broadcast is the link-layer broadcast address.
	Broadcast net.HardwareAddr
	// OperState is the operational state.
	OperState OperState
	// MasterIndex is the index of the bridge or bond the link is enslaved
	// to; 0 for none.
	MasterIndex int
	// ParentIndex is IFLA_LINK: a veth's peer, a macvlan's lower device;
	// 0 for none. It may be an index in another namespace when
	// HasLinkNetNSID is set.
	ParentIndex int
	// LinkNetNSID is the namespace id of ParentIndex's namespace, valid
	// when HasLinkNetNSID.
	LinkNetNSID    int32
	HasLinkNetNSID bool
	// Promiscuity is the kernel's promiscuity counter (IFLA_PROMISCUITY):
	// how many users (packet sockets with PACKET_MR_PROMISC, bridges, ip
	// link set promisc on) want the link promiscuous.
	Promiscuity uint32
	// Kind is the link type's name (IFLA_INFO_KIND): "veth", "bridge", ...;
	// "" for a link without one, such as loopback or a physical NIC.
	Kind string
	// SlaveKind is the kind of the link's master ("bridge") when enslaved.
	SlaveKind string
	// Data is the kind-specific data: *Veth, *Bridge, *VXLAN, *Macvlan,
	// *Nlmon or *Dummy; nil for a kind this package does not decode.
	Data LinkData
}

// Up reports whether the link is administratively up (IFF_UP).
func (l Link) Up() bool { return l.Flags&LinkFlagUp != 0 }

// Promiscuous reports whether the link receives all packets, however that
// was asked for.
func (l Link) Promiscuous() bool { return l.Promiscuity > 0 || l.Flags&LinkFlagPromisc != 0 }

// LinkData is the kind-specific part of a link (IFLA_INFO_DATA).
type LinkData interface {
	// Kind returns the IFLA_INFO_KIND the data belongs to.
	Kind() string
	encodeInfoData(e *AttributeEncoder) error
}

// Veth is a virtual Ethernet pair. When adding, PeerName names the other
// end, created in the same namespace. In a dump the kernel sends no veth
// data; the peer shows as the Link's ParentIndex.
type Veth struct {
	PeerName string
}

// Kind returns "veth".
func (*Veth) Kind() string { return "veth" }

func (v *Veth) encodeInfoData(e *AttributeEncoder) error {
	if v.PeerName == "" {
		return fmt.Errorf("veth needs a peer name")
	}
	var peer AttributeEncoder
	peer.String(iflaIfname, v.PeerName)
	attrs, err := peer.Encode()
	if err != nil {
		return err
	}
	e.Bytes(vethInfoPeer, append(IfInfoMsg{}.Append(nil), attrs...))
	return nil
}

// Bridge is an Ethernet bridge. Times are in hundredths of a second, as
// the kernel counts them (clock_t).
type Bridge struct {
	// STP turns on the spanning tree protocol; off by default.
	STP bool
	// VLANFiltering turns on VLAN filtering; off by default.
	VLANFiltering bool
	// AgeingTime is how long learnt addresses live; 0 when adding keeps
	// the kernel's default (30000, five minutes).
	AgeingTime uint32
	// ForwardDelay, HelloTime, MaxAge and Priority are reported; adding
	// keeps the kernel's defaults.
	ForwardDelay, HelloTime, MaxAge uint32
	Priority                        uint16
}

// Kind returns "bridge".
func (*Bridge) Kind() string { return "bridge" }

func (b *Bridge) encodeInfoData(e *AttributeEncoder) error {
	if b.STP {
		e.Uint32(iflaBrSTPState, 1)
	}
	if b.VLANFiltering {
		e.Uint8(iflaBrVLANFiltering, 1)
	}
	if b.AgeingTime != 0 {
		e.Uint32(iflaBrAgeingTime, b.AgeingTime)
	}
	return nil
}

func decodeBridge(d *AttributeDecoder) *Bridge {
	b := &Bridge{}
	for d.Next() {
		switch d.Type() {
		case iflaBrSTPState:
			b.STP = d.Uint32() != 0
		case iflaBrVLANFiltering:
			b.VLANFiltering = d.Uint8() != 0
		case iflaBrAgeingTime:
			b.AgeingTime = d.Uint32()
		case iflaBrForwardDelay:
			b.ForwardDelay = d.Uint32()
		case iflaBrHelloTime:
			b.HelloTime = d.Uint32()
		case iflaBrMaxAge:
			b.MaxAge = d.Uint32()
		case iflaBrPriority:
			b.Priority = d.Uint16()
		}
	}
	return b
}

// VXLAN is a VXLAN tunnel endpoint.
type VXLAN struct {
	// VNI is the VXLAN network identifier (24 bits).
	VNI uint32
	// Port is the UDP destination port; 0 when adding keeps the kernel's
	// default (8472, not the IANA 4789).
	Port uint16
	// Local is the source address; the zero Addr for none.
	Local netip.Addr
	// Remote is the unicast peer and Group the multicast group; the
	// kernel keeps both in one attribute, so at most one may be set.
	Remote, Group netip.Addr
	// DeviceIndex is the underlying device's index; 0 for none.
	DeviceIndex int
	// TTL of the outer packets; 0 inherits.
	TTL uint8
}

// Kind returns "vxlan".
func (*VXLAN) Kind() string { return "vxlan" }

func (v *VXLAN) encodeInfoData(e *AttributeEncoder) error {
	if v.VNI >= 1<<24 {
		return fmt.Errorf("vxlan id %d does not fit in 24 bits", v.VNI)
	}
	if v.Remote.IsValid() && v.Group.IsValid() {
		return fmt.Errorf("vxlan can have a remote or a group, not both")
	}
	e.Uint32(iflaVXLANID, v.VNI)
	if v.Port != 0 {
		e.Uint16BE(iflaVXLANPort, v.Port)
	}
	if err := encodeAddrPair(e, v.Local, iflaVXLANLocal, iflaVXLANLocal6); err != nil {
		return fmt.Errorf("vxlan local: %w", err)
	}
	peer := v.Remote
	if v.Group.IsValid() {
		peer = v.Group
	}
	if err := encodeAddrPair(e, peer, iflaVXLANGroup, iflaVXLANGroup6); err != nil {
		return fmt.Errorf("vxlan remote: %w", err)
	}
	if v.DeviceIndex != 0 {
		e.Uint32(iflaVXLANLink, uint32(v.DeviceIndex))
	}
	if v.TTL != 0 {
		e.Uint8(iflaVXLANTTL, v.TTL)
	}
	return nil
}

// encodeAddrPair adds a as the IPv4 attribute v4 or the IPv6 attribute v6.
func encodeAddrPair(e *AttributeEncoder, a netip.Addr, v4, v6 uint16) error {
	switch {
	case !a.IsValid():
	case a.Is4():
		b := a.As4()
		e.Bytes(v4, b[:])
	case a.Is4In6():
		return fmt.Errorf("address %s is IPv4-mapped; give it as IPv4", a)
	default:
		b := a.As16()
		e.Bytes(v6, b[:])
	}
	return nil
}

func decodeVXLAN(d *AttributeDecoder) *VXLAN {
	v := &VXLAN{}
	var peer netip.Addr
	for d.Next() {
		switch d.Type() {
		case iflaVXLANID:
			v.VNI = d.Uint32()
		case iflaVXLANPort:
			// Always big-endian, whether or not NLA_F_NET_BYTEORDER is set.
			if b := d.Bytes(); len(b) == 2 {
				v.Port = uint16(b[0])<<8 | uint16(b[1])
			}
		case iflaVXLANLocal, iflaVXLANLocal6:
			v.Local = addrFrom(d.Bytes())
		case iflaVXLANGroup, iflaVXLANGroup6:
			peer = addrFrom(d.Bytes())
		case iflaVXLANLink:
			v.DeviceIndex = int(d.Uint32())
		case iflaVXLANTTL:
			v.TTL = d.Uint8()
		}
	}
	if peer.IsMulticast() {
		v.Group = peer
	} else if peer.IsValid() && !peer.IsUnspecified() {
		v.Remote = peer
	}
	if v.Local.IsUnspecified() {
		v.Local = netip.Addr{}
	}
	return v
}

// MacvlanMode is a macvlan's mode (MACVLAN_MODE_*).
type MacvlanMode uint32

// Macvlan modes.
const (
	MacvlanPrivate  MacvlanMode = 1
	MacvlanVEPA     MacvlanMode = 2
	MacvlanBridge   MacvlanMode = 4
	MacvlanPassthru MacvlanMode = 8
	MacvlanSource   MacvlanMode = 16
)

// String returns the mode as ip link names it.
func (m MacvlanMode) String() string {
	switch m {
	case MacvlanPrivate:
		return "private"
	case MacvlanVEPA:
		return "vepa"
	case MacvlanBridge:
		return "bridge"
	case MacvlanPassthru:
		return "passthru"
	case MacvlanSource:
		return "source"
	}
	return "unknown(" + strconv.FormatUint(uint64(m), 10) + ")"
}

// Macvlan is a MAC-address-based virtual link on top of a lower device,
// which is the Link's ParentIndex (required when adding).
type Macvlan struct {
	// Mode is the macvlan mode; 0 when adding keeps the kernel's default
	// (vepa).
	Mode MacvlanMode
}

// Kind returns "macvlan".
func (*Macvlan) Kind() string { return "macvlan" }

func (m *Macvlan) encodeInfoData(e *AttributeEncoder) error {
	if m.Mode != 0 {
		e.Uint32(iflaMacvlanMode, uint32(m.Mode))
	}
	return nil
}

// Nlmon is a netlink monitor device: packet sockets on it see every
// netlink message of its namespace. It has no kind-specific data.
type Nlmon struct{}

// Kind returns "nlmon".
func (*Nlmon) Kind() string { return "nlmon" }

func (*Nlmon) encodeInfoData(*AttributeEncoder) error { return nil }

// Dummy is a link that drops everything sent to it. It has no
// kind-specific data.
type Dummy struct{}

// Kind returns "dummy".
func (*Dummy) Kind() string { return "dummy" }

func (*Dummy) encodeInfoData(*AttributeEncoder) error { return nil }

// ParseLink reads an RTM_NEWLINK or RTM_DELLINK message.
func ParseLink(m Message) (Link, error) {
	if m.Header.Type != rtmNewLink && m.Header.Type != rtmDelLink {
		return Link{}, fmt.Errorf("parse link: message type %d is not RTM_NEWLINK or RTM_DELLINK", m.Header.Type)
	}
	ifi, err := ParseIfInfoMsg(m.Data)
	if err != nil {
		return Link{}, fmt.Errorf("parse link: %w", err)
	}
	l := Link{Index: int(ifi.Index), Type: ifi.Type, Flags: ifi.Flags}
	var d AttributeDecoder
	d.Reset(m.Data[IfInfoMsgLen:], HeaderLen+IfInfoMsgLen)
	for d.Next() {
		switch d.Type() {
		case iflaIfname:
			l.Name = d.String()
		case iflaMTU:
			l.MTU = d.Uint32()
		case iflaMinMTU:
			l.MinMTU = d.Uint32()
		case iflaMaxMTU:
			l.MaxMTU = d.Uint32()
		case iflaTxQLen:
			l.TxQueueLen = d.Uint32()
		case iflaAddress:
			l.HardwareAddr = net.HardwareAddr(bytes.Clone(d.Bytes()))
		case iflaBroadcast:
			l.Broadcast = net.HardwareAddr(bytes.Clone(d.Bytes()))
		case iflaOperState:
			l.OperState = OperState(d.Uint8())
		case iflaMaster:
			l.MasterIndex = int(d.Uint32())
		case iflaLink:
			l.ParentIndex = int(d.Uint32())
		case iflaLinkNetNSID:
			l.LinkNetNSID, l.HasLinkNetNSID = d.Int32(), true
		case iflaPromiscuity:
			l.Promiscuity = d.Uint32()
		case iflaLinkInfo:
			d.Nest(func(info *AttributeDecoder) error { return decodeLinkInfo(info, &l) })
		}
	}
	if err := d.Err(); err != nil {
		return Link{}, fmt.Errorf("parse link %d: %w", ifi.Index, err)
	}
	return l, nil
}

// decodeLinkInfo reads IFLA_LINKINFO. The kernel sends IFLA_INFO_KIND
// before IFLA_INFO_DATA, so the kind is known when the data arrives; data
// that comes first is decoded once the kind is seen.
func decodeLinkInfo(info *AttributeDecoder, l *Link) error {
	var data AttributeDecoder
	haveData := false
	for info.Next() {
		switch info.Type() {
		case iflaInfoKind:
			l.Kind = info.String()
		case iflaInfoSlaveKind:
			l.SlaveKind = info.String()
		case iflaInfoData:
			info.NestedInto(&data)
			haveData = true
		}
	}
	if err := info.Err(); err != nil {
		return err
	}
	switch l.Kind {
	case "veth":
		l.Data = &Veth{}
	case "nlmon":
		l.Data = &Nlmon{}
	case "dummy":
		l.Data = &Dummy{}
	case "bridge":
		if haveData {
			l.Data = decodeBridge(&data)
		} else {
			l.Data = &Bridge{}
		}
	case "vxlan":
		if haveData {
			l.Data = decodeVXLAN(&data)
		} else {
			l.Data = &VXLAN{}
		}
	case "macvlan":
		m := &Macvlan{}
		for haveData && data.Next() {
			if data.Type() == iflaMacvlanMode {
				m.Mode = MacvlanMode(data.Uint32())
			}
		}
		l.Data = m
	}
	if haveData {
		return data.Err()
	}
	return nil
}

// addrFrom returns the IP address in a 4- or 16-byte attribute, or the zero
// Addr for any other length.
func addrFrom(b []byte) netip.Addr {
	a, _ := netip.AddrFromSlice(b)
	return a
}

// ListLinks returns every link in the connection's namespace.
func (r *RouteConn) ListLinks(ctx context.Context) ([]Link, error) {
	const op = "list links"
	req, _ := request(rtmGetLink, 0, IfInfoMsg{}.Append(nil), nil)
	replies, err := r.dump(ctx, op, req)
	if err != nil {
		return nil, err
	}
	links := make([]Link, 0, len(replies))
	for _, m := range replies {
		l, err := ParseLink(m)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		links = append(links, l)
	}
	return links, nil
}

// LinkByName returns the link called name. A missing link gives an error
// that matches unix.ENODEV.
func (r *RouteConn) LinkByName(ctx context.Context, name string) (Link, error) {
	var e AttributeEncoder
	e.String(iflaIfname, name)
	return r.getLink(ctx, fmt.Sprintf("get link %q", name), IfInfoMsg{}, &e)
}

// LinkByIndex returns the link with index. A missing link gives an error
// that matches unix.ENODEV.
func (r *RouteConn) LinkByIndex(ctx context.Context, index int) (Link, error) {
	return r.getLink(ctx, fmt.Sprintf("get link %d", index), IfInfoMsg{Index: int32(index)}, nil)
}

func (r *RouteConn) getLink(ctx context.Context, op string, ifi IfInfoMsg, attrs *AttributeEncoder) (Link, error) {
	req, err := request(rtmGetLink, 0, ifi.Append(nil), attrs)
	if err != nil {
		return Link{}, fmt.Errorf("%s: %w", op, err)
	}
	replies, err := r.execute(ctx, op, req)
	if err != nil {
		return Link{}, err
	}
	if len(replies) != 1 {
		return Link{}, fmt.Errorf("%s: kernel sent %d replies, want 1", op, len(replies))
	}
	l, err := ParseLink(replies[0])
	if err != nil {
		return Link{}, fmt.Errorf("%s: %w", op, err)
	}
	return l, nil
}

// AddLink creates a link. It reads Name (required), Index, MTU,
// TxQueueLen, HardwareAddr, MasterIndex, ParentIndex, LinkFlagUp in Flags,
// and the kind: Data's kind with its data, or Kind when Data is nil. A link
// that exists already gives an error that matches unix.EEXIST.
func (r *RouteConn) AddLink(ctx context.Context, l Link) error {
	op := fmt.Sprintf("add link %s", l.Name)
	req, err := addLinkRequest(l)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	_, err = r.execute(ctx, op, req)
	return err
}

func addLinkRequest(l Link) (Message, error) {
	if l.Name == "" {
		return Message{}, fmt.Errorf("link needs a name")
	}
	kind := l.Kind
	if l.Data != nil {
		if kind != "" && kind != l.Data.Kind() {
			return Message{}, fmt.Errorf("kind %q does not match %s data", kind, l.Data.Kind())
		}
		kind = l.Data.Kind()
	}
	if kind == "" {
		return Message{}, fmt.Errorf("link needs a kind")
	}
	ifi := IfInfoMsg{Index: int32(l.Index)}
	if l.Flags&LinkFlagUp != 0 {
		ifi.Flags, ifi.Change = LinkFlagUp, LinkFlagUp
	}
	var e AttributeEncoder
	e.String(iflaIfname, l.Name)
	if l.MTU != 0 {
		e.Uint32(iflaMTU, l.MTU)
	}
	if l.TxQueueLen != 0 {
		e.Uint32(iflaTxQLen, l.TxQueueLen)
	}
	if len(l.HardwareAddr) != 0 {
		e.Bytes(iflaAddress, l.HardwareAddr)
	}
	if l.MasterIndex != 0 {
		e.Uint32(iflaMaster, uint32(l.MasterIndex))
	}
	if l.ParentIndex != 0 {
		e.Uint32(iflaLink, uint32(l.ParentIndex))
	}
	info := e.NestStart(iflaLinkInfo)
	e.String(iflaInfoKind, kind)
	if l.Data != nil {
		data := e.NestStart(iflaInfoData)
		if err := l.Data.encodeInfoData(&e); err != nil {
			return Message{}, err
		}
		e.NestEnd(data)
	}
	e.NestEnd(info)
	return request(rtmNewLink, FlagCreate|FlagExcl, ifi.Append(nil), &e)
}

// DeleteLink deletes the link with index. Deleting one end of a veth pair
// deletes both.
func (r *RouteConn) DeleteLink(ctx context.Context, index int) error {
	op := fmt.Sprintf("delete link %d", index)
	req, _ := request(rtmDelLink, 0, IfInfoMsg{Index: int32(index)}.Append(nil), nil)
	_, err := r.execute(ctx, op, req)
	return err
}

// DeleteLinkByName deletes the link called name.
func (r *RouteConn) DeleteLinkByName(ctx context.Context, name string) error {
	op := fmt.Sprintf("delete link %s", name)
	var e AttributeEncoder
	e.String(iflaIfname, name)
	req, err := request(rtmDelLink, 0, IfInfoMsg{}.Append(nil), &e)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	_, err = r.execute(ctx, op, req)
	return err
}

// SetLinkUp brings the link with index administratively up.
func (r *RouteConn) SetLinkUp(ctx context.Context, index int) error {
	return r.setLink(ctx, fmt.Sprintf("set link %d up", index), IfInfoMsg{Index: int32(index), Flags: LinkFlagUp, Change: LinkFlagUp}, nil)
}

// SetLinkDown brings the link with index administratively down.
func (r *RouteConn) SetLinkDown(ctx context.Context, index int) error {
	return r.setLink(ctx, fmt.Sprintf("set link %d down", index), IfInfoMsg{Index: int32(index), Change: LinkFlagUp}, nil)
}

// SetLinkMTU sets the MTU of the link with index. The kernel refuses an
// MTU outside the link's range with unix.EINVAL and says why in the
// error's extended ACK.
func (r *RouteConn) SetLinkMTU(ctx context.Context, index int, mtu uint32) error {
	var e AttributeEncoder
	e.Uint32(iflaMTU, mtu)
	return r.setLink(ctx, fmt.Sprintf("set link %d mtu %d", index, mtu), IfInfoMsg{Index: int32(index)}, &e)
}

// SetLinkMaster enslaves the link with index to the bridge or bond with
// index master; master 0 releases it.
func (r *RouteConn) SetLinkMaster(ctx context.Context, index, master int) error {
	var e AttributeEncoder
	e.Uint32(iflaMaster, uint32(master))
	return r.setLink(ctx, fmt.Sprintf("set link %d master %d", index, master), IfInfoMsg{Index: int32(index)}, &e)
}

func (r *RouteConn) setLink(ctx context.Context, op string, ifi IfInfoMsg, attrs *AttributeEncoder) error {
	req, err := request(rtmSetLink, 0, ifi.Append(nil), attrs)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	_, err = r.execute(ctx, op, req)
	return err
}
