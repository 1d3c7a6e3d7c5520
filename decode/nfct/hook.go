package nfct

import (
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/nfnl"
)

// The netfilter hook dump (linux/netfilter/nfnetlink_hook.h), which
// `nft list hooks` reads: one message per function registered at a hook,
// with the nf_tables chain or BPF program behind it.

var hookChainTypes = decode.Enum{Name: "NFNL_HOOK_TYPE", Names: []string{1: "NFTABLES", 2: "BPF"}}

var hookChainDescAttrs = decode.AttrSet{Name: "NFNLA_CHAIN", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFNLA_CHAIN_TABLE", Type: decode.String},
	2: {Name: "NFNLA_CHAIN_FAMILY", Type: decode.BE32, Sem: decode.EnumValue, Enum: &nfnl.Families},
	3: {Name: "NFNLA_CHAIN_NAME", Type: decode.String},
}}

var hookBPFAttrs = decode.AttrSet{Name: "NFNLA_HOOK_BPF", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFNLA_HOOK_BPF_ID", Type: decode.BE32},
}}

// hookDesc picks the description's set by the sibling NFNLA_HOOK_INFO_TYPE.
func hookDesc(s decode.Scope) *decode.AttrSet {
	if t, ok := s.Sibling(2); ok && len(t) == 4 && t[3] == 2 && t[0]|t[1]|t[2] == 0 {
		return &hookBPFAttrs
	}
	return &hookChainDescAttrs
}

var hookInfoAttrs = decode.AttrSet{Name: "NFNLA_HOOK_INFO", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFNLA_HOOK_INFO_DESC", Type: decode.Nest, Select: hookDesc},
	2: {Name: "NFNLA_HOOK_INFO_TYPE", Type: decode.BE32, Sem: decode.EnumValue, Enum: &hookChainTypes},
}}

func hookAttrSet(hooks *decode.Enum) decode.AttrSet {
	return decode.AttrSet{Name: "NFNLA_HOOK", BigEndian: true, Attrs: []decode.Attr{
		1: {Name: "NFNLA_HOOK_HOOKNUM", Type: decode.BE32, Sem: decode.EnumValue, Enum: hooks},
		2: {Name: "NFNLA_HOOK_PRIORITY", Type: decode.S32},
		3: {Name: "NFNLA_HOOK_DEV", Type: decode.String},
		4: {Name: "NFNLA_HOOK_FUNCTION_NAME", Type: decode.String},
		5: {Name: "NFNLA_HOOK_MODULE_NAME", Type: decode.String},
		6: {Name: "NFNLA_HOOK_CHAIN_INFO", Type: decode.Nest, Nest: &hookInfoAttrs},
	}}
}

var (
	hookAttrs       = hookAttrSet(&hookNames)
	hookNetdevAttrs = hookAttrSet(&netdevHookNames)
)

var hook = nfnl.Subsystem{ID: nfnl.SubsysHook, Name: "nfnetlink_hook", Types: []decode.MessageType{
	0: {Name: "NFNL_MSG_HOOK_GET", Op: decode.OpGet, Header: hdr, Attrs: &hookAttrs, Body: byFamily(&hookAttrs, &hookNetdevAttrs)},
}}
