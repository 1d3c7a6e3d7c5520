package rtnl_test

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/decode/rtnl"
	"golang.org/x/sys/unix"
)

// builtCase is one message built by hand, for layouts no recorded kernel
// exchange covers, with its expected compact and JSON forms (JSON only
// where a raw value must stay available).
type builtCase struct {
	name     string
	typ      uint16
	flags    uint16
	body     []byte
	compact  string
	jsonHas  []string
	fromUser bool
}

// decodeBuilt decodes one message from the kernel (or to it) and returns
// its tree.
func decodeBuilt(t *testing.T, typ, flags uint16, body []byte, toKernel bool) *decode.Tree {
	t.Helper()
	m := client.Message{Header: client.Header{Type: typ, Flags: flags, Sequence: 1}, Data: body}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	rec := capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_ROUTE, Data: b, OrigLen: len(b)}
	if toKernel {
		rec.Direction = capture.ToKernel
	}
	var tree decode.Tree
	decode.NewDecoder(decode.NewRegistry(rtnl.Family())).Decode(&tree, &rec)
	if p := problems(&tree); len(p) > 0 {
		t.Errorf("problems:\n%s", strings.Join(p, "\n"))
	}
	return &tree
}

func runBuilt(t *testing.T, cases []builtCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tree := decodeBuilt(t, tc.typ, tc.flags, tc.body, tc.fromUser)
			got := strings.TrimSuffix(string(render.Append(nil, tree, render.Compact)), "\n")
			if diff := cmp.Diff(tc.compact, got); diff != "" {
				t.Errorf("compact (-want +got):\n%s", diff)
			}
			js := string(render.Append(nil, tree, render.JSON))
			for _, s := range tc.jsonHas {
				if !strings.Contains(js, s) {
					t.Errorf("JSON lacks %s:\n%s", s, js)
				}
			}
		})
	}
}

func filterMsg(ifindex int32, handle, parent uint32, proto uint16, prio uint16) []byte {
	b := make([]byte, 20)
	binary.NativeEndian.PutUint32(b[4:], uint32(ifindex))
	binary.NativeEndian.PutUint32(b[8:], handle)
	binary.NativeEndian.PutUint32(b[12:], parent)
	binary.BigEndian.PutUint16(b[16:], proto)
	binary.NativeEndian.PutUint16(b[18:], prio)
	return b
}

// TestU32Handles checks the htid:bucket:node form of u32 handles in the
// tcmsg and in TCA_U32_LINK and TCA_U32_HASH, with the raw number kept in
// JSON, and that other filter kinds keep their handles in hex.
func TestU32Handles(t *testing.T) {
	u32 := func(handle, link, hash uint32) []byte {
		return append(filterMsg(2, handle, 0x10000, unix.ETH_P_IP, 10), attrs(func(e *client.AttributeEncoder) {
			e.String(1 /* TCA_KIND */, "u32")
			e.Nested(2 /* TCA_OPTIONS */, func(e *client.AttributeEncoder) {
				e.Uint32(2 /* TCA_U32_HASH */, hash)
				e.Uint32(3 /* TCA_U32_LINK */, link)
			})
		})...)
	}
	runBuilt(t, []builtCase{
		{
			name: "node", typ: unix.RTM_NEWTFILTER, body: u32(0x80000800, 0x00100000, 0x80201000),
			compact: "← route RTM_NEWTFILTER seq=1 family=unspec ifindex=2 handle=800::800 parent=1: protocol=ip prio=10 TCA_KIND=\"u32\" TCA_OPTIONS={TCA_U32_HASH=802:1 TCA_U32_LINK=1:}",
			jsonHas: []string{`"value":2147485696,"text":"800::800"`, `"value":1048576,"text":"1:"`},
		},
		{
			name: "hash table", typ: unix.RTM_NEWTFILTER, body: u32(0x80000000, 0, 0x00000fff),
			compact: "← route RTM_NEWTFILTER seq=1 family=unspec ifindex=2 handle=800: parent=1: protocol=ip prio=10 TCA_KIND=\"u32\" TCA_OPTIONS={TCA_U32_HASH=:fff TCA_U32_LINK=none}",
		},
		{
			name: "delete request", typ: unix.RTM_DELTFILTER, flags: client.FlagRequest | client.FlagAck, fromUser: true, body: u32(0x800ff123, 0, 0),
			compact: "→ route RTM_DELTFILTER req,ack seq=1 family=unspec ifindex=2 handle=800:ff:123 parent=1: protocol=ip prio=10 TCA_KIND=\"u32\" TCA_OPTIONS={TCA_U32_HASH=none TCA_U32_LINK=none}",
		},
		{
			name: "matchall keeps hex", typ: unix.RTM_NEWTFILTER,
			body: append(filterMsg(2, 0x80000800, 0x10000, unix.ETH_P_IP, 10), attrs(func(e *client.AttributeEncoder) {
				e.String(1 /* TCA_KIND */, "matchall")
			})...),
			compact: "← route RTM_NEWTFILTER seq=1 family=unspec ifindex=2 handle=0x80000800 parent=1: protocol=ip prio=10 TCA_KIND=\"matchall\"",
		},
	})
}
