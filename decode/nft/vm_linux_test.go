package nft_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/decode/nft"
	"github.com/nltrace/nltrace/internal/testenv"
	"golang.org/x/sys/unix"
)

// TestVMFlowtableQueueBridge covers, on the stock kernel of the VM tier,
// what the host kernel lacks (CONFIG_NF_FLOW_TABLE, CONFIG_NFT_QUEUE,
// CONFIG_NFT_BRIDGE_META): a flowtable, rules with the flow_offload, queue
// and bridge meta expressions, sent from a socket of our own; our decode of
// the kernel's dumps must say what was sent.
func TestVMFlowtableQueueBridge(t *testing.T) {
	testenv.RequireVM(t)
	ns := newNetNS(t)
	s := ns.nfSession(t)
	const inet, bridge = unix.NFPROTO_INET, unix.NFPROTO_BRIDGE
	create := uint16(unix.NLM_F_CREATE | unix.NLM_F_ACK)
	s.send(batch(200,
		nfMsg(nft.MsgNewTable, create, 201, inet, strAttr(1, "vm")),
		nfMsg(nft.MsgNewFlowtable, create, 202, inet, strAttr(1, "vm"), strAttr(2, "ft"),
			nestAttr(3, be32Attr(1, 0), be32Attr(2, 0), nestAttr(3, strAttr(1, "nftv0"))), // HOOK{ingress, prio 0, DEVS}
			be32Attr(7, 2)), // FLAGS counter
		nfMsg(nft.MsgNewChain, create, 203, inet, strAttr(1, "vm"), strAttr(3, "fwd"),
			nestAttr(4, be32Attr(1, 2), be32Attr(2, 0)), strAttr(7, "filter")), // forward, prio 0
		nfMsg(nft.MsgNewRule, create|unix.NLM_F_APPEND, 204, inet, strAttr(1, "vm"), strAttr(2, "fwd"),
			nestAttr(4, expr("flow_offload", strAttr(1, "ft")))),
		nfMsg(nft.MsgNewRule, create|unix.NLM_F_APPEND, 205, inet, strAttr(1, "vm"), strAttr(2, "fwd"),
			nestAttr(4, expr("queue", be16Attr(1, 3), be16Attr(2, 2), be16Attr(3, 1)))), // num 3, total 2, bypass
		nfMsg(nft.MsgNewTable, create, 206, bridge, strAttr(1, "vmbr")),
		nfMsg(nft.MsgNewChain, create, 207, bridge, strAttr(1, "vmbr"), strAttr(3, "c"),
			nestAttr(4, be32Attr(1, 2), be32Attr(2, 0)), strAttr(7, "filter")),
		nfMsg(nft.MsgNewRule, create|unix.NLM_F_APPEND, 208, bridge, strAttr(1, "vmbr"), strAttr(2, "c"),
			nestAttr(4,
				expr("meta", be32Attr(1, 1), be32Attr(2, 17)), // reg 1 = bri_iifname
				expr("cmp", be32Attr(1, 1), be32Attr(2, 0), nestAttr(3, attr(1, []byte("br0\x00")))))),
	))
	for seq := uint32(201); seq <= 208; seq++ {
		s.recvUntil(seq)
	}
	dump := uint16(unix.NLM_F_DUMP)
	s.send(nfMsg(nft.MsgGetFlowtable, dump, 210, inet))
	s.recvUntil(210)
	s.send(nfMsg(nft.MsgGetRule, dump, 211, unix.NFPROTO_UNSPEC))
	s.recvUntil(211)

	got := map[string]string{}
	for _, m := range decodeAll(s.recs) {
		if m.dir != capture.FromKernel {
			continue
		}
		r := m.root()
		switch m.name() {
		case "NFT_MSG_NEWFLOWTABLE":
			for _, p := range []string{"NFTA_FLOWTABLE_NAME", "NFTA_FLOWTABLE_FLAGS", "NFTA_FLOWTABLE_HOOK/NFTA_FLOWTABLE_HOOK_NUM",
				"NFTA_FLOWTABLE_HOOK/NFTA_FLOWTABLE_HOOK_PRIORITY", "NFTA_FLOWTABLE_HOOK/NFTA_FLOWTABLE_HOOK_DEVS/NFTA_DEVICE_NAME"} {
				got["flowtable "+p] = r.text(p)
			}
		case "NFT_MSG_NEWRULE":
			list := r.get("NFTA_RULE_EXPRESSIONS")
			if list == nil {
				continue
			}
			for _, e := range list.kids {
				d := e.get("NFTA_EXPR_DATA")
				switch e.text("NFTA_EXPR_NAME") {
				case "flow_offload":
					got["flow_offload"] = d.text("NFTA_FLOW_TABLE_NAME")
				case "queue":
					got["queue"] = d.text("NFTA_QUEUE_NUM") + " " + d.text("NFTA_QUEUE_TOTAL") + " " + d.text("NFTA_QUEUE_FLAGS")
				case "meta":
					got["meta "+familyName(r.text("nfgenmsg/nfgen_family"))] = d.text("NFTA_META_KEY") + " " + d.text("NFTA_META_DREG")
				}
			}
		}
	}
	want := map[string]string{
		"flowtable NFTA_FLOWTABLE_NAME": "ft", "flowtable NFTA_FLOWTABLE_FLAGS": "counter",
		"flowtable NFTA_FLOWTABLE_HOOK/NFTA_FLOWTABLE_HOOK_NUM": "ingress", "flowtable NFTA_FLOWTABLE_HOOK/NFTA_FLOWTABLE_HOOK_PRIORITY": "0",
		"flowtable NFTA_FLOWTABLE_HOOK/NFTA_FLOWTABLE_HOOK_DEVS/NFTA_DEVICE_NAME": "nftv0",
		"flow_offload": "ft", "queue": "3 2 bypass", "meta bridge": "bri_iifname reg 1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the kernel's dumps (-sent +decoded):\n%s", diff)
	}
	if t.Failed() {
		for _, m := range decodeAll(s.recs) {
			t.Logf("%s", renderCompact(m))
		}
	}
}
