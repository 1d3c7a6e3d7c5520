package genl

import (
	"encoding/binary"
	"slices"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

//go:generate go run ./internal/gen

// HeaderLen is the size of struct genlmsghdr: cmd, version, reserved.
const HeaderLen = 4

// Def is the decoder of one generic-netlink family: its message types by
// command number and direction.
type Def struct {
	// Name is the family's name as the controller knows it ("ethtool").
	Name    string
	Version int
	// Requests is indexed by genlmsghdr.cmd of messages to the kernel,
	// Replies by that of messages from it (replies, notifications). For
	// most families they are the same table; ethtool and nlctrl number
	// the two directions apart.
	Requests []decode.MessageType
	Replies  []decode.MessageType
	// Unknown are the message types of commands the tables do not name,
	// for requests and replies: the header still decodes.
	Unknown [2]decode.MessageType
}

// Family returns the NETLINK_GENERIC decoder over defs, keyed by family
// name. A later def for the same name replaces an earlier one, so specs
// loaded at run time override the built-in tables. Ids come from the
// stream's State (CTRL_CMD_NEWFAMILY messages, or the kernel in a live
// trace); messages of a family no def describes keep the decoder's
// default (the learned name and the payload in hex).
func Family(defs ...*Def) *decode.Family {
	byName := make(map[string]*Def, len(defs))
	for _, d := range defs {
		if d != nil {
			byName[d.Name] = d
		}
	}
	names := func() []string {
		var out []string
		for _, d := range defs {
			if d == nil {
				continue
			}
			out = append(out, d.Name)
			for _, tbl := range [][]decode.MessageType{d.Requests, d.Replies} {
				for i := range tbl {
					if tbl[i].Name != "" {
						out = append(out, tbl[i].Name)
					}
				}
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return &decode.Family{
		Protocol: unix.NETLINK_GENERIC,
		Name:     "generic",
		Names:    names,
		Lookup: func(st *decode.State, h client.Header, payload []byte) *decode.MessageType {
			name, ok := st.GenlFamily(h.Type)
			if !ok {
				return nil
			}
			d := byName[name]
			if d == nil {
				return nil
			}
			req := st.IsRequest(h)
			dir := 1
			tbl := d.Replies
			if req {
				dir, tbl = 0, d.Requests
			}
			if len(payload) == 0 {
				return &d.Unknown[dir]
			}
			if cmd := int(payload[0]); cmd < len(tbl) && tbl[cmd].Name != "" {
				return &tbl[cmd]
			}
			return &d.Unknown[dir]
		},
	}
}

// Builtin returns the defs of every family whose spec is built in
// (generated from specs/ by go generate) and of the hand-written ones
// that have no spec (taskstats, net_dm, psample).
func Builtin() []*Def {
	return append(generatedDefs(), handDefs()...)
}

// genlHeader returns the layout of genlmsghdr with the command named by
// cmds, followed by fixed (a family's fixed header such as ovs_header),
// if any.
func genlHeader(cmds *decode.Enum, fixed *decode.Layout) decode.Layout {
	l := decode.Layout{Name: "genlmsghdr", Size: HeaderLen, Members: []decode.Attr{
		{Name: "cmd", Type: decode.U8, Off: 0},
		{Name: "version", Type: decode.U8, Off: 1},
		{Name: "reserved", Type: decode.U16, Off: 2},
	}}
	if cmds != nil {
		l.Members[0].Sem = decode.EnumValue
		l.Members[0].Enum = cmds
	}
	if fixed != nil {
		l.Size += fixed.Size
		for _, m := range fixed.Members {
			m.Off += HeaderLen
			l.Members = append(l.Members, m)
		}
	}
	return l
}

// selectByText returns an Attr.Select hook that picks the set of a
// sub-message by the text of the sibling attribute sel.
func selectByText(sel uint16, sets map[string]*decode.AttrSet) func(decode.Scope) *decode.AttrSet {
	return func(s decode.Scope) *decode.AttrSet {
		return sets[string(s.SiblingText(sel))]
	}
}

// selectByNumber returns an Attr.Select hook that picks the set of a
// sub-message by the integer value of the sibling attribute sel.
func selectByNumber(sel uint16, sets map[uint64]*decode.AttrSet) func(decode.Scope) *decode.AttrSet {
	return func(s decode.Scope) *decode.AttrSet {
		b, ok := s.Sibling(sel)
		if !ok {
			return nil
		}
		var v uint64
		switch len(b) {
		case 1:
			v = uint64(b[0])
		case 2:
			v = uint64(binary.NativeEndian.Uint16(b))
		case 4:
			v = uint64(binary.NativeEndian.Uint32(b))
		case 8:
			v = binary.NativeEndian.Uint64(b)
		default:
			return nil
		}
		return sets[v]
	}
}
