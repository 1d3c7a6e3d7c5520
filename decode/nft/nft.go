package nft

import (
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/nfnl"
)

// Message numbers of enum nf_tables_msg_types, the low byte of nlmsg_type.
const (
	MsgNewTable = iota
	MsgGetTable
	MsgDelTable
	MsgNewChain
	MsgGetChain
	MsgDelChain
	MsgNewRule
	MsgGetRule
	MsgDelRule
	MsgNewSet
	MsgGetSet
	MsgDelSet
	MsgNewSetElem
	MsgGetSetElem
	MsgDelSetElem
	MsgNewGen
	MsgGetGen
	MsgTrace
	MsgNewObj
	MsgGetObj
	MsgDelObj
	MsgGetObjReset
	MsgNewFlowtable
	MsgGetFlowtable
	MsgDelFlowtable
	MsgGetRuleReset
	MsgDestroyTable
	MsgDestroyChain
	MsgDestroyRule
	MsgDestroySet
	MsgDestroySetElem
	MsgDestroyObj
	MsgDestroyFlowtable
	MsgGetSetElemReset
)

// Multicast groups of nfnetlink that carry nf_tables messages.
const (
	GroupNFTables = 7 // NFNLGRP_NFTABLES: ruleset changes (nft monitor)
	GroupNFTrace  = 9 // NFNLGRP_NFTRACE: trace events (nft monitor trace)
)

func msg(name string, op decode.Op, attrs *decode.AttrSet) decode.MessageType {
	return decode.MessageType{Name: name, Op: op, Header: &nfnl.Header, Attrs: attrs}
}

var tables = nfnl.Subsystem{ID: nfnl.SubsysNFTables, Name: "nf_tables", Types: []decode.MessageType{
	MsgNewTable:         msg("NFT_MSG_NEWTABLE", decode.OpNew, &tableAttrs),
	MsgGetTable:         msg("NFT_MSG_GETTABLE", decode.OpGet, &tableAttrs),
	MsgDelTable:         msg("NFT_MSG_DELTABLE", decode.OpDel, &tableAttrs),
	MsgNewChain:         msg("NFT_MSG_NEWCHAIN", decode.OpNew, &chainAttrs),
	MsgGetChain:         msg("NFT_MSG_GETCHAIN", decode.OpGet, &chainAttrs),
	MsgDelChain:         msg("NFT_MSG_DELCHAIN", decode.OpDel, &chainAttrs),
	MsgNewRule:          msg("NFT_MSG_NEWRULE", decode.OpNew, &ruleAttrs),
	MsgGetRule:          msg("NFT_MSG_GETRULE", decode.OpGet, &ruleAttrs),
	MsgDelRule:          msg("NFT_MSG_DELRULE", decode.OpDel, &ruleAttrs),
	MsgNewSet:           msg("NFT_MSG_NEWSET", decode.OpNew, &setAttrs),
	MsgGetSet:           msg("NFT_MSG_GETSET", decode.OpGet, &setAttrs),
	MsgDelSet:           msg("NFT_MSG_DELSET", decode.OpDel, &setAttrs),
	MsgNewSetElem:       msg("NFT_MSG_NEWSETELEM", decode.OpNew, &setElemListAttrs),
	MsgGetSetElem:       msg("NFT_MSG_GETSETELEM", decode.OpGet, &setElemListAttrs),
	MsgDelSetElem:       msg("NFT_MSG_DELSETELEM", decode.OpDel, &setElemListAttrs),
	MsgNewGen:           msg("NFT_MSG_NEWGEN", decode.OpOther, &genAttrs),
	MsgGetGen:           msg("NFT_MSG_GETGEN", decode.OpGet, &genAttrs),
	MsgTrace:            msg("NFT_MSG_TRACE", decode.OpOther, &traceAttrs),
	MsgNewObj:           msg("NFT_MSG_NEWOBJ", decode.OpNew, &objAttrs),
	MsgGetObj:           msg("NFT_MSG_GETOBJ", decode.OpGet, &objAttrs),
	MsgDelObj:           msg("NFT_MSG_DELOBJ", decode.OpDel, &objAttrs),
	MsgGetObjReset:      msg("NFT_MSG_GETOBJ_RESET", decode.OpGet, &objAttrs),
	MsgNewFlowtable:     msg("NFT_MSG_NEWFLOWTABLE", decode.OpNew, &flowtableAttrs),
	MsgGetFlowtable:     msg("NFT_MSG_GETFLOWTABLE", decode.OpGet, &flowtableAttrs),
	MsgDelFlowtable:     msg("NFT_MSG_DELFLOWTABLE", decode.OpDel, &flowtableAttrs),
	MsgGetRuleReset:     msg("NFT_MSG_GETRULE_RESET", decode.OpGet, &ruleAttrs),
	MsgDestroyTable:     msg("NFT_MSG_DESTROYTABLE", decode.OpDel, &tableAttrs),
	MsgDestroyChain:     msg("NFT_MSG_DESTROYCHAIN", decode.OpDel, &chainAttrs),
	MsgDestroyRule:      msg("NFT_MSG_DESTROYRULE", decode.OpDel, &ruleAttrs),
	MsgDestroySet:       msg("NFT_MSG_DESTROYSET", decode.OpDel, &setAttrs),
	MsgDestroySetElem:   msg("NFT_MSG_DESTROYSETELEM", decode.OpDel, &setElemListAttrs),
	MsgDestroyObj:       msg("NFT_MSG_DESTROYOBJ", decode.OpDel, &objAttrs),
	MsgDestroyFlowtable: msg("NFT_MSG_DESTROYFLOWTABLE", decode.OpDel, &flowtableAttrs),
	MsgGetSetElemReset:  msg("NFT_MSG_GETSETELEM_RESET", decode.OpGet, &setElemListAttrs),
}}

var compat = nfnl.Subsystem{ID: nfnl.SubsysNFTCompat, Name: "nft_compat", Types: []decode.MessageType{
	0: msg("NFNL_MSG_COMPAT_GET", decode.OpGet, &compatAttrs),
}}

// Subsystem returns the nf_tables message table (NFNL_SUBSYS_NFTABLES), to
// be passed to nfnl.Family. It is shared and must not be modified.
func Subsystem() *nfnl.Subsystem { return &tables }

// CompatSubsystem returns the NFT_COMPAT message table
// (NFNL_SUBSYS_NFT_COMPAT). It is shared and must not be modified.
func CompatSubsystem() *nfnl.Subsystem { return &compat }
