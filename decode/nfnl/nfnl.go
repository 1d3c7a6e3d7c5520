// Package nfnl is the nfnetlink layer of the dissector: it splits a
// NETLINK_NETFILTER message type into subsystem and message, decodes the
// nfgenmsg header, and dispatches to the message tables that the subsystem
// packages (decode/nfct, decode/nft) provide. Attribute payloads in
// nfnetlink are big-endian whatever NLA_F_NET_BYTEORDER says, so every set
// a subsystem registers should have BigEndian set. The family it returns
// numbers the requests of each NFNL_MSG_BATCH_BEGIN/END batch and asks the
// subsystem of a failed request to name private error codes (ipset's).
package nfnl

import (
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// Subsystem ids (NFNL_SUBSYS_*), the high byte of nlmsg_type.
const (
	SubsysNone             = 0
	SubsysCtnetlink        = 1
	SubsysCtnetlinkExp     = 2
	SubsysQueue            = 3
	SubsysULog             = 4
	SubsysOSF              = 5
	SubsysIPSet            = 6
	SubsysAcct             = 7
	SubsysCtnetlinkTimeout = 8
	SubsysCthelper         = 9
	SubsysNFTables         = 10
	SubsysNFTCompat        = 11
	SubsysHook             = 12
)

// Batch message types (NFNL_MSG_BATCH_BEGIN/END) of subsystem 0.
const (
	MsgBatchBegin = unix.NLMSG_MIN_TYPE
	MsgBatchEnd   = unix.NLMSG_MIN_TYPE + 1
)

// HeaderLen is the size of struct nfgenmsg.
const HeaderLen = 4

// Subsystem is the message table of one nfnetlink subsystem.
type Subsystem struct {
	ID   uint8
	Name string // "ctnetlink", "nf_tables", as the kernel module names it
	// Types is indexed by the message number, the low byte of nlmsg_type.
	Types []decode.MessageType
	// Lookup, when set, is asked first and may return nil to fall back to
	// Types: ctnetlink names its multicast events ("IPCTNL_MSG_CT_NEW
	// [NEW]") by the header's flags.
	Lookup func(h client.Header) *decode.MessageType
	// Names lists the names Lookup can return that Types does not hold
	// (decode.Family.Names).
	Names []string
	// ErrnoName, when set, names the subsystem's private error codes in
	// replies to its requests (decode.Family.ErrnoName).
	ErrnoName func(st *decode.State, req client.Header, payload []byte, errno int32) (name, text string)
}

// SubsystemNames names the subsystems by their NFNL_SUBSYS_* suffix.
var SubsystemNames = decode.Enum{Name: "NFNL_SUBSYS", Names: []string{
	SubsysNone: "NONE", SubsysCtnetlink: "CTNETLINK", SubsysCtnetlinkExp: "CTNETLINK_EXP",
	SubsysQueue: "QUEUE", SubsysULog: "ULOG", SubsysOSF: "OSF", SubsysIPSet: "IPSET",
	SubsysAcct: "ACCT", SubsysCtnetlinkTimeout: "CTNETLINK_TIMEOUT", SubsysCthelper: "CTHELPER",
	SubsysNFTables: "NFTABLES", SubsysNFTCompat: "NFT_COMPAT", SubsysHook: "HOOK",
}}

// Families names nfgen_family: the protocol family a request is about
// (NFPROTO_*), which shares its numbers with AF_*.
var Families = decode.Enum{Name: "NFPROTO", Names: []string{
	unix.NFPROTO_UNSPEC: "unspec", unix.NFPROTO_INET: "inet", unix.NFPROTO_IPV4: "ipv4",
	unix.NFPROTO_ARP: "arp", unix.NFPROTO_NETDEV: "netdev", unix.NFPROTO_BRIDGE: "bridge",
	unix.NFPROTO_IPV6: "ipv6", 12: "decnet",
}}

// Header is struct nfgenmsg, the fixed header of every nfnetlink message.
// res_id is big-endian; what it holds depends on the subsystem (a queue
// number for nfqueue, a log group for nflog, the generation id in
// nf_tables replies), so it is shown as a number.
var Header = decode.Layout{Name: "nfgenmsg", Size: HeaderLen, Members: []decode.Attr{
	{Name: "nfgen_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &Families, Off: 0},
	{Name: "version", Type: decode.U8, Off: 1},
	{Name: "res_id", Type: decode.BE16, Off: 2},
}}

// batchHeader is the nfgenmsg of a batch message, whose res_id names the
// subsystem the batch is for.
var batchHeader = decode.Layout{Name: "nfgenmsg", Size: HeaderLen, Members: []decode.Attr{
	{Name: "nfgen_family", Type: decode.U8, Sem: decode.EnumValue, Enum: &Families, Off: 0},
	{Name: "version", Type: decode.U8, Off: 1},
	{Name: "res_id", Type: decode.BE16, Sem: decode.EnumValue, Enum: &SubsystemNames, Off: 2},
}}

// batchAttrs are the attributes a batch begin may carry.
var batchAttrs = decode.AttrSet{Name: "NFNL_BATCH", BigEndian: true, Attrs: []decode.Attr{
	1: {Name: "NFNL_BATCH_GENID", Type: decode.U32},
}}

var none = Subsystem{ID: SubsysNone, Name: "nfnetlink", Types: []decode.MessageType{
	MsgBatchBegin: {Name: "NFNL_MSG_BATCH_BEGIN", Header: &batchHeader, Attrs: &batchAttrs},
	MsgBatchEnd:   {Name: "NFNL_MSG_BATCH_END", Header: &batchHeader, Attrs: &batchAttrs},
}}

// Family returns the NETLINK_NETFILTER decoder over the given subsystems;
// the batch messages of subsystem 0 are always included.
func Family(subs ...*Subsystem) *decode.Family {
	var table [256]*Subsystem
	table[SubsysNone] = &none
	for _, s := range subs {
		if s != nil {
			table[s.ID] = s
		}
	}
	return &decode.Family{
		Protocol: unix.NETLINK_NETFILTER,
		Name:     "netfilter",
		Lookup: func(_ *decode.State, h client.Header, _ []byte) *decode.MessageType {
			s := table[h.Type>>8]
			if s == nil {
				return nil
			}
			if s.Lookup != nil {
				if mt := s.Lookup(h); mt != nil {
					return mt
				}
			}
			n := int(h.Type & 0xff)
			if n >= len(s.Types) || s.Types[n].Name == "" {
				return nil
			}
			return &s.Types[n]
		},
		ErrnoName: func(st *decode.State, req client.Header, payload []byte, errno int32) (string, string) {
			s := table[req.Type>>8]
			if s == nil || s.ErrnoName == nil {
				return "", ""
			}
			return s.ErrnoName(st, req, payload, errno)
		},
		Batch: func(h client.Header) decode.BatchMark {
			switch h.Type {
			case MsgBatchBegin:
				return decode.BatchBegin
			case MsgBatchEnd:
				return decode.BatchEnd
			}
			return decode.NotBatch
		},
		Names: func() []string {
			var names []string
			for _, s := range table {
				if s == nil {
					continue
				}
				for i := range s.Types {
					if s.Types[i].Name != "" {
						names = append(names, s.Types[i].Name)
					}
				}
				names = append(names, s.Names...)
			}
			return names
		},
	}
}
