package ynl_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/genl/ynl"
	"github.com/nltrace/nltrace/decode/rtnl"
)

// compatible lists the decoder types that may carry each YNL type.
var compatible = map[string][]decode.Type{
	"u8":            {decode.U8},
	"u16":           {decode.U16, decode.BE16},
	"u32":           {decode.U32, decode.BE32, decode.Addr, decode.Uint},
	"u64":           {decode.U64, decode.BE64},
	"s8":            {decode.S8},
	"s16":           {decode.S16},
	"s32":           {decode.S32},
	"s64":           {decode.S64},
	"uint":          {decode.Uint, decode.U32, decode.U64},
	"sint":          {decode.Sint, decode.S32, decode.S64},
	"string":        {decode.String},
	"flag":          {decode.Flag},
	"binary":        {decode.Binary, decode.Struct, decode.StructArray, decode.Addr, decode.HWAddr, decode.Custom, decode.String},
	"bitfield32":    {decode.Struct, decode.Binary},
	"nest":          {decode.Nest, decode.NestArray, decode.Custom},
	"indexed-array": {decode.NestArray, decode.Custom},
	"sub-message":   {decode.Nest, decode.Custom},
	"pad":           {decode.Binary},
}

// crossDiffs explains every difference between the netlink-raw specs and
// decode/rtnl that is not a mistake in decode/rtnl, keyed by spec file and
// the attribute's uapi name (or "file:name" path for a set): the test
// fails on any difference not listed here.
var crossDiffs = map[string]string{
	"RTM_NEWLINK/IFLA_PROP_LIST ":                                                 "the spec nests all of link-attrs in IFLA_PROP_LIST; the kernel puts only IFLA_ALT_IFNAME there, which is what decode/rtnl decodes",
	"IFLA_AF_SPEC (RTM_NEWLINK 26): nested in the spec":                           "decode/rtnl picks the set by the message's family (Select): per-AF nests, or bridge VLAN info in AF_BRIDGE messages",
	"IFA_TARGET_NETNSID (RTM_NEWADDR 10): spec type binary":                       "the kernel sends an s32 (nla_put_s32); the spec leaves it binary",
	"IFLA_COST (RTM_NEWLINK 8)":                                                   "never sent by the kernel; the spec's string type is a placeholder",
	"IFLA_PRIORITY (RTM_NEWLINK 9)":                                               "never sent by the kernel; the spec's string type is a placeholder",
	"IFLA_WIRELESS (RTM_NEWLINK 11)":                                              "wireless events carry raw iw_event structs (shown as bytes); the spec's string type is a placeholder",
	"IFLA_PROTINFO (RTM_NEWLINK 12)":                                              "a nest (bridge port or inet6 link info by family), as decode/rtnl has it; the spec at this commit says string",
	"IFLA_PROTO_DOWN_REASON (RTM_NEWLINK 55)":                                     "a nest of IFLA_PROTO_DOWN_REASON_MASK/VALUE in the kernel; the spec at this commit says string",
	"IFLA_DEVLINK_PORT (RTM_NEWLINK 62)":                                          "the kernel nests a devlink port handle here; the spec says binary",
	"IFLA_NET_NS_FD (RTM_NEWLINK 28)":                                             "a file descriptor, decoded signed; same size",
	"IFLA_TARGET_NETNSID (RTM_NEWLINK 46): decode/rtnl calls it IFLA_IF_NETNSID":  "both names are in linux/if_link.h (IFLA_TARGET_NETNSID = IFLA_IF_NETNSID)",
	"DPLL_A_ID (RTM_NEWLINK/IFLA_DPLL_PIN 1): decode/rtnl calls it DPLL_A_PIN_ID": "linux/dpll.h names a pin's id DPLL_A_PIN_ID; the spec's set borrows the dpll-a- prefix",
	"IFLA_STATS_LINK_OFFLOAD_XSTATS (RTM_GETSTATS 4)":                             "not decoded by decode/rtnl yet: shown as named bytes",
	"IFLA_VF_VLAN_LIST (RTM_NEWLINK/IFLA_VFINFO_LIST/IFLA_VF_INFO 12)":            "not decoded by decode/rtnl yet: shown as named bytes (needs SR-IOV hardware to test)",
	"RTA_ENCAP (RTM_GETROUTE 22)":                                                 "a nest chosen by RTA_ENCAP_TYPE in decode/rtnl (Select); the spec says binary",
	"TCA_XSTATS (RTM_NEWQDISC 4)":                                                 "per qdisc kind: decode/rtnl's lookup picks the kind's variant table, the base table keeps bytes",
	"TCA_STATS_APP (RTM_NEWQDISC/TCA_STATS2 4)":                                   "per qdisc kind: decode/rtnl's lookup picks the kind's variant table, the base table keeps bytes",
}

// TestRtnlAgainstSpecs checks decode/rtnl's hand-written tables against
// the kernel's netlink-raw YNL specs (rt-link, rt-addr, rt-route,
// rt-neigh, rt-rule, tc): every attribute a spec defines for a message
// type's attribute set, and the sets nested in it, is in decode/rtnl with
// the same number, name and a compatible type. Sub-messages (the kind-
// specific IFLA_INFO_DATA, TCA_OPTIONS) are chosen by hooks at decode time
// and are not walked.
func TestRtnlAgainstSpecs(t *testing.T) {
	files, _ := filepath.Glob("../specs/netlink-raw/*.yaml")
	if len(files) != 6 {
		t.Fatalf("want the 6 netlink-raw specs, found %v", files)
	}
	fam := rtnl.Family()
	checked := 0
	var diffs []string
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Base(file)
		f, err := ynl.Parse(base, data)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		var walk func(set *ynl.AttrSet, ds *decode.AttrSet, path string)
		walk = func(set *ynl.AttrSet, ds *decode.AttrSet, path string) {
			key := set.Name + "→" + ds.Name
			if seen[key] {
				return
			}
			seen[key] = true
			if set.SubsetOf != "" {
				set = f.Set(set.SubsetOf)
			}
			for _, a := range set.Attrs {
				if a.Type == "unused" {
					continue
				}
				checked++
				d := ds.Lookup(uint16(a.Value))
				where := fmt.Sprintf("%s %s (%s %d)", base, a.CName, path, a.Value)
				if d == nil {
					diffs = append(diffs, where+": not in decode/rtnl")
					continue
				}
				if d.Name != a.CName {
					diffs = append(diffs, fmt.Sprintf("%s: decode/rtnl calls it %s", where, d.Name))
				}
				if !slices.Contains(compatible[a.Type], d.Type) {
					diffs = append(diffs, fmt.Sprintf("%s: spec type %s, decode/rtnl type %d", where, a.Type, d.Type))
				}
				if a.Nested != "" && a.Type != "sub-message" {
					next := d.Nest
					if next == nil && d.Item != nil {
						next = d.Item.Nest
					}
					if next != nil {
						walk(f.Set(a.Nested), next, path+"/"+a.CName)
					} else if d.Type != decode.Custom {
						diffs = append(diffs, where+": nested in the spec, no nested set in decode/rtnl")
					}
				}
			}
		}
		for _, op := range f.Ops {
			if op.AttrSet == "" {
				continue
			}
			for _, v := range []int{op.Req, op.Rsp} {
				if v < 0 || v >= len(fam.Types) || fam.Types[v].Attrs == nil {
					continue
				}
				walk(f.Set(op.AttrSet), fam.Types[v].Attrs, fam.Types[v].Name)
			}
		}
	}
	var bad []string
	for _, d := range diffs {
		why := ""
		for k, v := range crossDiffs {
			if strings.Contains(d, k) {
				why = v
				break
			}
		}
		if why == "" {
			bad = append(bad, d)
		} else {
			t.Logf("%s: %s", d, why)
		}
	}
	slices.Sort(bad)
	bad = slices.Compact(bad)
	for _, d := range bad {
		t.Error(d)
	}
	t.Logf("%d spec attributes checked, %d differences explained", checked, len(diffs)-len(bad))
	if checked < 300 {
		t.Errorf("only %d attributes checked", checked)
	}
}
