package nft_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/capture"
)

// checkCrafted checks our decode of the kernel's own encoding (replies and
// events) of what crafted_linux_test.go sent: a tunnel object, and rules
// with the last, inner and tunnel expressions.
func checkCrafted(t *testing.T, s *session) {
	t.Helper()
	got := map[string]string{}
	for _, m := range decodeAll(append(append([]capture.Record(nil), s.crafted...), s.events...)) {
		if m.dir != capture.FromKernel {
			continue
		}
		r := m.root()
		switch m.name() {
		case "NFT_MSG_NEWOBJ":
			if r.text("NFTA_OBJ_TYPE") != "tunnel" {
				continue
			}
			d := "NFTA_OBJ_DATA/"
			for _, p := range []string{"NFTA_TUNNEL_KEY_ID", "NFTA_TUNNEL_KEY_IP/NFTA_TUNNEL_KEY_IP_SRC", "NFTA_TUNNEL_KEY_IP/NFTA_TUNNEL_KEY_IP_DST",
				"NFTA_TUNNEL_KEY_FLAGS", "NFTA_TUNNEL_KEY_TOS", "NFTA_TUNNEL_KEY_TTL", "NFTA_TUNNEL_KEY_SPORT", "NFTA_TUNNEL_KEY_DPORT",
				"NFTA_TUNNEL_KEY_OPTS/NFTA_TUNNEL_KEY_OPTS_VXLAN/NFTA_TUNNEL_KEY_VXLAN_GBP"} {
				got["tunnel "+p] = r.text(d + p)
			}
		case "NFT_MSG_NEWRULE":
			list := r.get("NFTA_RULE_EXPRESSIONS")
			if list == nil {
				continue
			}
			for _, e := range list.kids {
				d := e.get("NFTA_EXPR_DATA")
				switch e.text("NFTA_EXPR_NAME") {
				case "inner":
					for _, p := range []string{"NFTA_INNER_NUM", "NFTA_INNER_TYPE", "NFTA_INNER_FLAGS", "NFTA_INNER_HDRSIZE",
						"NFTA_INNER_EXPR/NFTA_EXPR_NAME", "NFTA_INNER_EXPR/NFTA_EXPR_DATA/NFTA_PAYLOAD_BASE", "NFTA_INNER_EXPR/NFTA_EXPR_DATA/NFTA_PAYLOAD_OFFSET"} {
						got["inner "+p] = d.text(p)
					}
				case "tunnel":
					for _, p := range []string{"NFTA_TUNNEL_KEY", "NFTA_TUNNEL_DREG", "NFTA_TUNNEL_MODE"} {
						got["tunnel expr "+p] = d.text(p)
					}
				case "last":
					got["last"] = d.text("NFTA_LAST_SET")
				}
			}
		}
	}
	want := map[string]string{
		"tunnel NFTA_TUNNEL_KEY_ID": "42", "tunnel NFTA_TUNNEL_KEY_IP/NFTA_TUNNEL_KEY_IP_SRC": "192.0.2.1",
		"tunnel NFTA_TUNNEL_KEY_IP/NFTA_TUNNEL_KEY_IP_DST": "192.0.2.2", "tunnel NFTA_TUNNEL_KEY_FLAGS": "zero-csum-tx",
		"tunnel NFTA_TUNNEL_KEY_TOS": "1", "tunnel NFTA_TUNNEL_KEY_TTL": "64", "tunnel NFTA_TUNNEL_KEY_SPORT": "1234",
		"tunnel NFTA_TUNNEL_KEY_DPORT": "4789", "tunnel NFTA_TUNNEL_KEY_OPTS/NFTA_TUNNEL_KEY_OPTS_VXLAN/NFTA_TUNNEL_KEY_VXLAN_GBP": "0x10",
		"inner NFTA_INNER_NUM": "0", "inner NFTA_INNER_TYPE": "vxlan", "inner NFTA_INNER_FLAGS": "hdrsize,ll,nh",
		"inner NFTA_INNER_HDRSIZE": "8", "inner NFTA_INNER_EXPR/NFTA_EXPR_NAME": "payload",
		"inner NFTA_INNER_EXPR/NFTA_EXPR_DATA/NFTA_PAYLOAD_BASE":   "network header",
		"inner NFTA_INNER_EXPR/NFTA_EXPR_DATA/NFTA_PAYLOAD_OFFSET": "12",
		"tunnel expr NFTA_TUNNEL_KEY":                              "id", "tunnel expr NFTA_TUNNEL_DREG": "reg 1", "tunnel expr NFTA_TUNNEL_MODE": "rx",
		"last": "0",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the kernel's encoding of the crafted requests (-sent +decoded):\n%s", diff)
	}
}

func TestRecordedCrafted(t *testing.T) { checkCrafted(t, loadSession(t)) }
