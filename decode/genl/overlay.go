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
	// hints gives values a display hint the spec lacks ("ipv4", "ipv6",
	// "mac", "hex"), keyed like sems.
	hints map[string]string
	// enums names the values (or, with flags, the bits) of integers the
	// spec leaves as bare numbers, keyed like sems.
	enums map[string]ovEnum
	// custom decodes attributes whose layout YNL cannot express with a
	// decoder of this package, by name (see customDecoder).
	custom map[string]string
	// attrs adds attributes a partial spec lacks to its set (keyed by the
	// spec's set name), from the uapi header; the spec's own win.
	attrs map[string]map[int]decode.Attr
	// values renumbers attributes ("set/attribute") where the spec is
	// wrong and the uapi header is the authority.
	values map[string]int
}

// ovEnum is an enum or flag set from a uapi header that the spec does not
// define: names by value (by bit number for flags).
type ovEnum struct {
	name  string
	flags bool
	names map[uint64]string
}

// addressFamilies names the AF_* values that generic-netlink families
// carry (linux/socket.h), as iproute2 prints them.
func addressFamilies() ovEnum {
	return ovEnum{name: "AF", names: map[uint64]string{0: "unspec", 2: "inet", 10: "inet6"}}
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

// headerCommands adds commands named by a uapi header in both directions,
// decoded with the family's attribute set; the request's kind comes from
// the verb (NL80211_CMD_GET_STATION is a get, _NEW_ a new, ...).
func headerCommands(set string, names map[int]string) []extraCmd {
	var out []extraCmd
	for cmd, name := range names {
		op := decode.OpOther
		if i := strings.Index(name, "_CMD_"); i >= 0 {
			verb, _, _ := strings.Cut(name[i+len("_CMD_"):], "_")
			switch verb {
			case "GET":
				op = decode.OpGet
			case "NEW":
				op = decode.OpNew
			case "SET":
				op = decode.OpSet
			case "DEL":
				op = decode.OpDel
			}
		}
		out = append(out, extraCmd{request: true, cmd: cmd, name: name, set: set, op: op}, extraCmd{cmd: cmd, name: name, set: set})
	}
	return out
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
		}, enums: map[string]ovEnum{
			"wgallowedip/family": addressFamilies(),
		}, custom: map[string]string{
			"wgpeer/endpoint": "sockaddr",
		}}
	case "mptcp_pm":
		return overlay{hints: map[string]string{
			"address/addr4": "ipv4", "address/addr6": "ipv6",
			"event-attr/saddr4": "ipv4", "event-attr/daddr4": "ipv4", "event-attr/saddr6": "ipv6", "event-attr/daddr6": "ipv6",
		}, enums: map[string]ovEnum{
			"address/family":    addressFamilies(),
			"event-attr/family": addressFamilies(),
			// MPTCP_PM_ADDR_FLAG_* in linux/mptcp.h.
			"address/flags": {name: "MPTCP_PM_ADDR_FLAG", flags: true, names: map[uint64]string{
				0: "signal", 1: "subflow", 2: "backup", 3: "fullmesh", 4: "implicit"}},
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
	case "devlink":
		return overlay{extra: devlinkCommands(), attrs: map[string]map[int]decode.Attr{"devlink": devlinkAttrs()}}
	case "nl80211":
		return overlay{extra: nl80211Commands(), sems: map[string]decode.Sem{
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
