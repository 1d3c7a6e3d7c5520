package genl

import (
	"strings"

	"github.com/nltrace/nltrace/decode"
)

// An overlay is what YNL does not say about a family but a reader needs:
// which values are interface indexes or key material, and command names
// the kernel uses that the spec lacks. It is applied by the builder, so
// generated tables and specs loaded with --spec get it alike. Keep one
// entry per family here; never edit the generated files.
type overlay struct {
	// name is the family's name in the kernel when it differs from the
	// spec's.
	name string
	// sems gives attributes and struct members a meaning, keyed by
	// "set/attribute" in the spec's spelling (struct members by
	// "struct/member").
	sems map[string]decode.Sem
	// replyNames renames kernel commands: nlctrl's legacy header calls
	// the reply to GETFAMILY CTRL_CMD_NEWFAMILY.
	replyNames map[int]string
	// extra adds commands the spec does not list.
	extra []extraCmd
	// values renumbers attributes ("set/attribute") where the spec is
	// wrong and the uapi header is the authority.
	values map[string]int
}

type extraCmd struct {
	request bool
	cmd     int
	name    string
	set     string
	op      decode.Op
}

// both adds a command the spec lacks in both directions, as the kernel
// answers it with the same command number.
func both(cmd int, name, set string, op decode.Op) []extraCmd {
	return []extraCmd{{request: true, cmd: cmd, name: name, set: set, op: op}, {cmd: cmd, name: name, set: set}}
}

func overlayFor(family string) overlay {
	switch family {
	case "nlctrl":
		return overlay{
			// nlctrl.yaml lists mask before pad; linux/netlink.h has
			// NL_POLICY_TYPE_ATTR_PAD = 11, NL_POLICY_TYPE_ATTR_MASK = 12.
			values:     map[string]int{"policy-attrs/pad": 11, "policy-attrs/mask": 12},
			replyNames: map[int]string{1: "CTRL_CMD_NEWFAMILY", 10: "CTRL_CMD_GETPOLICY"},
			extra: []extraCmd{
				{cmd: 2, name: "CTRL_CMD_DELFAMILY", set: "ctrl-attrs"},
				{cmd: 7, name: "CTRL_CMD_NEWMCAST_GRP", set: "ctrl-attrs"},
				{cmd: 8, name: "CTRL_CMD_DELMCAST_GRP", set: "ctrl-attrs"},
			},
		}
	case "ovs_datapath":
		// The spec lists get, new and del; the kernel also has set.
		return overlay{extra: both(4, "OVS_DP_CMD_SET", "datapath", decode.OpSet)}
	case "ovs_vport":
		return overlay{extra: both(4, "OVS_VPORT_CMD_SET", "vport", decode.OpSet)}
	case "ovs_flow":
		return overlay{extra: append(both(2, "OVS_FLOW_CMD_DEL", "flow-attrs", decode.OpDel),
			both(4, "OVS_FLOW_CMD_SET", "flow-attrs", decode.OpSet)...)}
	case "wireguard":
		return overlay{sems: map[string]decode.Sem{
			"wgdevice/private-key": decode.Secret,
			"wgpeer/preshared-key": decode.Secret,
		}}
	case "ovpn":
		return overlay{sems: map[string]decode.Sem{
			"keydir/cipher-key": decode.Secret,
			"keydir/nonce-tail": decode.Secret,
		}}
	case "psp":
		return overlay{sems: map[string]decode.Sem{
			"keys/key": decode.Secret,
		}}
	case "nl80211":
		return overlay{sems: map[string]decode.Sem{
			"nl80211-attrs/key-data":     decode.Secret,
			"nl80211-attrs/key":          decode.Secret,
			"nl80211-attrs/keys":         decode.Secret,
			"nl80211-attrs/pmk":          decode.Secret,
			"nl80211-attrs/sae-password": decode.Secret,
			"nl80211-attrs/rekey-data":   decode.Secret,
			"nl80211-attrs/ifindex":      decode.Ifindex,
		}}
	}
	return overlay{}
}

// apply sets a's meaning from the overlay, or from its name when the name
// says it is an interface index (ifindex, dev-index, if-idx, ...).
func (o *overlay) apply(a *decode.Attr, set, attr string) {
	attr = strings.ReplaceAll(attr, "_", "-")
	if s, ok := o.sems[set+"/"+attr]; ok {
		a.Sem = s
		return
	}
	switch a.Type {
	case decode.U32, decode.S32, decode.Uint, decode.Sint:
	default:
		return
	}
	if a.Sem != decode.Plain {
		return
	}
	switch {
	case attr == "ifindex", attr == "dev-index", attr == "if-idx", attr == "ifidx",
		strings.HasSuffix(attr, "-ifindex"):
		a.Sem = decode.Ifindex
	}
}
