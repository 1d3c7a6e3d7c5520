package nfct

import (
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/nfnl"
)

// osf (linux/netfilter/nfnetlink_osf.h): passive OS fingerprints loaded by
// nfnl_osf. OSF_ATTR_FINGER is struct nf_osf_user_finger, copied from user
// space as is, so its integers are in host order.

var osfWSS = decode.Enum{Name: "OSF_WSS", Names: []string{"PLAIN", "MSS", "MTU", "MODULO"}}

var osfOptKinds = decode.Enum{Name: "OSFOPT", Open: true, Names: []string{
	"EOL", "NOP", "MSS", "WSO", "SACKP", "SACK", "ECHO", "ECHOREPLY", "TS", "POCP", "POSP",
}}

var osfOpt = decode.Layout{Name: "nf_osf_opt", Size: 12, Members: []decode.Attr{
	{Name: "kind", Type: decode.U16, Sem: decode.EnumValue, Enum: &osfOptKinds, Off: 0},
	{Name: "length", Type: decode.U16, Off: 2},
	{Name: "wc", Type: decode.U32, Sem: decode.EnumValue, Enum: &osfWSS, Off: 4},
	{Name: "val", Type: decode.U32, Off: 8},
}}

const osfGenreLen = 32

// osfFinger is struct nf_osf_user_finger: 40 option slots of which opt_num
// are used.
var osfFinger = decode.Layout{Name: "nf_osf_user_finger", Size: 112 + 40*12, Members: []decode.Attr{
	{Name: "wss.wc", Type: decode.U32, Sem: decode.EnumValue, Enum: &osfWSS, Off: 0},
	{Name: "wss.val", Type: decode.U32, Off: 4},
	{Name: "ttl", Type: decode.U8, Off: 8},
	{Name: "df", Type: decode.U8, Off: 9},
	{Name: "ss", Type: decode.U16, Off: 10},
	{Name: "mss", Type: decode.U16, Off: 12},
	{Name: "opt_num", Type: decode.U16, Off: 14},
	{Name: "genre", Type: decode.String, Off: 16, Len: osfGenreLen},
	{Name: "version", Type: decode.String, Off: 16 + osfGenreLen, Len: osfGenreLen},
	{Name: "subtype", Type: decode.String, Off: 16 + 2*osfGenreLen, Len: osfGenreLen},
	{Name: "opt", Type: decode.StructArray, Struct: &osfOpt, Off: 112, Len: 40 * 12},
}}

var osfAttrs = decode.AttrSet{Name: "OSF_ATTR", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "OSF_ATTR_FINGER", Type: decode.Struct, Struct: &osfFinger},
}}

var osf = nfnl.Subsystem{ID: nfnl.SubsysOSF, Name: "nfnetlink_osf", Types: []decode.MessageType{
	0: {Name: "OSF_MSG_ADD", Op: decode.OpNew, Header: hdr, Attrs: &osfAttrs},
	1: {Name: "OSF_MSG_REMOVE", Op: decode.OpDel, Header: hdr, Attrs: &osfAttrs},
}}
