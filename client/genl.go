package client

import (
	"context"
	"fmt"
)

// Generic-netlink controller commands and attributes (CTRL_CMD_*,
// CTRL_ATTR_*), from linux/genetlink.h.
const (
	GenlCtrlCmdNewFamily uint8 = 1
	GenlCtrlCmdGetFamily uint8 = 3

	GenlCtrlAttrFamilyID    uint16 = 1
	GenlCtrlAttrFamilyName  uint16 = 2
	GenlCtrlAttrVersion     uint16 = 3
	GenlCtrlAttrHeaderSize  uint16 = 4
	GenlCtrlAttrMaxAttr     uint16 = 5
	GenlCtrlAttrOps         uint16 = 6
	GenlCtrlAttrMcastGroups uint16 = 7

	genlCtrlAttrOpID    uint16 = 1
	genlCtrlAttrOpFlags uint16 = 2

	genlCtrlAttrMcastGrpName uint16 = 1
	genlCtrlAttrMcastGrpID   uint16 = 2
)

// Family is a generic-netlink family as the controller (nlctrl) describes
// it.
type Family struct {
	// ID is the message type that addresses the family.
	ID uint16
	// Name is the family's name, such as "nlctrl" or "ethtool".
	Name string
	// Version is the family's protocol version.
	Version uint32
	// HeaderSize is the size of the family's own header after genlmsghdr;
	// 0 for most families.
	HeaderSize uint32
	// MaxAttr is the highest attribute type the family accepts.
	MaxAttr uint32
	// Groups are the family's multicast groups; nil when it has none.
	Groups []MulticastGroup
	// Operations are the commands the family implements; nil when the
	// kernel did not list them.
	Operations []Operation
}

// MulticastGroup is a generic-netlink multicast group; join it with
// Conn.JoinGroup(ID).
type MulticastGroup struct {
	ID   uint32
	Name string
}

// Operation is one command of a generic-netlink family.
type Operation struct {
	// ID is the command number (genlmsghdr.cmd).
	ID uint32
	// Flags are the GENL_* operation flags (GENL_ADMIN_PERM, GENL_CMD_CAP_DO,
	// GENL_CMD_CAP_DUMP, ...).
	Flags uint32
}

// Group returns the multicast group called name, and whether it exists.
func (f Family) Group(name string) (MulticastGroup, bool) {
	for _, g := range f.Groups {
		if g.Name == name {
			return g, true
		}
	}
	return MulticastGroup{}, false
}

// GetFamily asks the generic-netlink controller about the family called
// name. c must be a NETLINK_GENERIC Conn. A family the kernel does not have
// gives an error that matches unix.ENOENT.
func GetFamily(ctx context.Context, c *Conn, name string) (Family, error) {
	op := fmt.Sprintf("get generic netlink family %q", name)
	if err := requireProtocol(c, ProtocolGeneric, op); err != nil {
		return Family{}, err
	}
	var e AttributeEncoder
	e.String(GenlCtrlAttrFamilyName, name)
	req, err := genlCtrlRequest(0, &e)
	if err != nil {
		return Family{}, fmt.Errorf("%s: %w", op, err)
	}
	replies, err := c.Execute(ctx, req)
	if err != nil {
		return Family{}, withOp(op, err)
	}
	if len(replies) != 1 {
		return Family{}, fmt.Errorf("%s: kernel sent %d replies, want 1", op, len(replies))
	}
	f, err := ParseFamily(replies[0])
	if err != nil {
		return Family{}, fmt.Errorf("%s: %w", op, err)
	}
	return f, nil
}

// ListFamilies returns every generic-netlink family the kernel has. c must
// be a NETLINK_GENERIC Conn.
func ListFamilies(ctx context.Context, c *Conn) ([]Family, error) {
	const op = "list generic netlink families"
	if err := requireProtocol(c, ProtocolGeneric, op); err != nil {
		return nil, err
	}
	req, err := genlCtrlRequest(FlagDump, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	replies, err := executeDump(ctx, c, req)
	if err != nil {
		return nil, withOp(op, err)
	}
	out := make([]Family, 0, len(replies))
	for _, m := range replies {
		f, err := ParseFamily(m)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, f)
	}
	return out, nil
}

func genlCtrlRequest(flags uint16, attrs *AttributeEncoder) (Message, error) {
	data := GenlMsgHdr{Command: GenlCtrlCmdGetFamily, Version: 1}.Append(nil)
	if attrs != nil {
		b, err := attrs.Encode()
		if err != nil {
			return Message{}, err
		}
		data = append(data, b...)
	}
	return Message{Header: Header{Type: GenlIDCtrl, Flags: flags}, Data: data}, nil
}

// ParseFamily reads a CTRL_CMD_NEWFAMILY message, the controller's answer
// to CTRL_CMD_GETFAMILY and its notification of a new family.
func ParseFamily(m Message) (Family, error) {
	if m.Header.Type != GenlIDCtrl {
		return Family{}, fmt.Errorf("parse generic netlink family: message type %d is not nlctrl (%d)", m.Header.Type, GenlIDCtrl)
	}
	gh, err := ParseGenlMsgHdr(m.Data)
	if err != nil {
		return Family{}, fmt.Errorf("parse generic netlink family: %w", err)
	}
	if gh.Command != GenlCtrlCmdNewFamily {
		return Family{}, fmt.Errorf("parse generic netlink family: command %d is not CTRL_CMD_NEWFAMILY", gh.Command)
	}
	var f Family
	var d AttributeDecoder
	d.Reset(m.Data[GenlMsgHdrLen:], HeaderLen+GenlMsgHdrLen)
	for d.Next() {
		switch d.Type() {
		case GenlCtrlAttrFamilyID:
			f.ID = d.Uint16()
		case GenlCtrlAttrFamilyName:
			f.Name = d.String()
		case GenlCtrlAttrVersion:
			f.Version = d.Uint32()
		case GenlCtrlAttrHeaderSize:
			f.HeaderSize = d.Uint32()
		case GenlCtrlAttrMaxAttr:
			f.MaxAttr = d.Uint32()
		case GenlCtrlAttrOps:
			d.Nest(func(ops *AttributeDecoder) error {
				var op AttributeDecoder
				for ops.Next() {
					ops.NestedInto(&op)
					var o Operation
					for op.Next() {
						switch op.Type() {
						case genlCtrlAttrOpID:
							o.ID = op.Uint32()
						case genlCtrlAttrOpFlags:
							o.Flags = op.Uint32()
						}
					}
					if err := op.Err(); err != nil {
						return err
					}
					f.Operations = append(f.Operations, o)
				}
				return nil
			})
		case GenlCtrlAttrMcastGroups:
			d.Nest(func(groups *AttributeDecoder) error {
				var gd AttributeDecoder
				for groups.Next() {
					groups.NestedInto(&gd)
					var g MulticastGroup
					for gd.Next() {
						switch gd.Type() {
						case genlCtrlAttrMcastGrpName:
							g.Name = gd.String()
						case genlCtrlAttrMcastGrpID:
							g.ID = gd.Uint32()
						}
					}
					if err := gd.Err(); err != nil {
						return err
					}
					f.Groups = append(f.Groups, g)
				}
				return nil
			})
		}
	}
	if err := d.Err(); err != nil {
		return Family{}, fmt.Errorf("parse generic netlink family: %w", err)
	}
	if f.ID == 0 || f.Name == "" {
		return Family{}, fmt.Errorf("parse generic netlink family: reply lacks the family id or name")
	}
	return f, nil
}
