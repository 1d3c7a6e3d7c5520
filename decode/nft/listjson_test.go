package nft_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/capture"
)

// listObjects turns nft -j list ruleset into "kind family table name" →
// the properties both sides show.
func listObjects(t *testing.T, data []byte) map[string]map[string]string {
	t.Helper()
	var doc struct {
		Nftables []map[string]map[string]any `json:"nftables"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("nft -j: %v", err)
	}
	str := func(v any) string {
		switch x := v.(type) {
		case nil:
			return ""
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64)
		case string:
			return x
		}
		return fmt.Sprint(v)
	}
	out := map[string]map[string]string{}
	for _, o := range doc.Nftables {
		for kind, v := range o {
			p := map[string]string{"handle": str(v["handle"])}
			var key string
			switch kind {
			case "metainfo":
				continue
			case "table":
				key = fmt.Sprintf("table %s %s", v["family"], v["name"])
			case "chain":
				key = fmt.Sprintf("chain %s %s %s", v["family"], v["table"], v["name"])
				p["type"], p["hook"], p["prio"], p["policy"] = str(v["type"]), str(v["hook"]), str(v["prio"]), str(v["policy"])
			case "rule":
				key = fmt.Sprintf("rule %s %s %s %s", v["family"], v["table"], v["chain"], p["handle"])
				p["comment"] = str(v["comment"])
				// xtables matches and targets (nft_compat), in order.
				var xt []string
				exprs, _ := v["expr"].([]any)
				for _, e := range exprs {
					if m, ok := e.(map[string]any); ok {
						if x, ok := m["xt"].(map[string]any); ok {
							xt = append(xt, str(x["type"])+" "+str(x["name"]))
						}
					}
				}
				p["xt"] = strings.Join(xt, ",")
			case "set", "map":
				key = fmt.Sprintf("set %s %s %s", v["family"], v["table"], v["name"])
				if fl, ok := v["flags"].([]any); ok {
					for _, f := range fl {
						p["flag "+str(f)] = "yes"
					}
				}
				if v["timeout"] != nil {
					p["timeout"] = str(v["timeout"]) + "000ms"
				}
				p["size"] = str(v["size"])
			default:
				key = fmt.Sprintf("%s %s %s %s", kind, v["family"], v["table"], v["name"])
				switch kind {
				case "quota":
					p["bytes"] = str(v["bytes"])
				case "limit":
					p["rate"], p["burst"] = str(v["rate"]), str(v["burst"])
				case "synproxy":
					p["mss"], p["wscale"] = str(v["mss"]), str(v["wscale"])
				case "ct expectation":
					p["dport"], p["timeout"], p["size"] = str(v["dport"]), str(v["timeout"])+"ms", str(v["size"])
				case "ct helper":
					p["type"] = str(v["type"])
				case "ct timeout":
					if pol, ok := v["policy"].(map[string]any); ok {
						for st, sec := range pol {
							p["policy "+st] = str(sec) + "sec"
						}
					}
				}
			}
			out[key] = p
		}
	}
	return out
}

// dumpObjects turns our decode of nft's list dumps into the same form.
func dumpObjects(recs []capture.Record) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, m := range decodeAll(recs) {
		if m.dir != capture.FromKernel {
			continue
		}
		r := m.root()
		fam := familyName(r.text("nfgenmsg/nfgen_family"))
		switch m.name() {
		case "NFT_MSG_NEWTABLE":
			out[fmt.Sprintf("table %s %s", fam, r.text("NFTA_TABLE_NAME"))] = map[string]string{"handle": r.text("NFTA_TABLE_HANDLE")}
		case "NFT_MSG_NEWCHAIN":
			out[fmt.Sprintf("chain %s %s %s", fam, r.text("NFTA_CHAIN_TABLE"), r.text("NFTA_CHAIN_NAME"))] = map[string]string{
				"handle": r.text("NFTA_CHAIN_HANDLE"), "type": r.text("NFTA_CHAIN_TYPE"),
				"hook": r.text("NFTA_CHAIN_HOOK/NFTA_HOOK_HOOKNUM"), "prio": r.text("NFTA_CHAIN_HOOK/NFTA_HOOK_PRIORITY"),
				"policy": r.text("NFTA_CHAIN_POLICY"),
			}
		case "NFT_MSG_NEWRULE":
			h := r.text("NFTA_RULE_HANDLE")
			var xt []string
			if list := r.get("NFTA_RULE_EXPRESSIONS"); list != nil {
				for _, e := range list.kids {
					switch n := e.text("NFTA_EXPR_NAME"); n {
					case "match":
						xt = append(xt, n+" "+e.text("NFTA_EXPR_DATA/NFTA_MATCH_NAME"))
					case "target":
						xt = append(xt, n+" "+e.text("NFTA_EXPR_DATA/NFTA_TARGET_NAME"))
					}
				}
			}
			out[fmt.Sprintf("rule %s %s %s %s", fam, r.text("NFTA_RULE_TABLE"), r.text("NFTA_RULE_CHAIN"), h)] = map[string]string{
				"handle": h, "comment": r.text("NFTA_RULE_USERDATA/NFTNL_UDATA_RULE_COMMENT"), "xt": strings.Join(xt, ","),
			}
		case "NFT_MSG_NEWSET":
			flags := r.text("NFTA_SET_FLAGS")
			if strings.Contains(flags, "anonymous") {
				continue // nft shows anonymous sets inside their rules
			}
			p := map[string]string{"handle": r.text("NFTA_SET_HANDLE"), "timeout": r.text("NFTA_SET_TIMEOUT"),
				"size": r.text("NFTA_SET_DESC/NFTA_SET_DESC_SIZE")}
			for _, f := range strings.Split(flags, ",") {
				// nft -j lists the flags a user declares; map, object
				// and eval (dynamic) it shows otherwise.
				switch f {
				case "interval", "timeout", "constant":
					p["flag "+f] = "yes"
				}
			}
			out[fmt.Sprintf("set %s %s %s", fam, r.text("NFTA_SET_TABLE"), r.text("NFTA_SET_NAME"))] = p
		case "NFT_MSG_NEWOBJ":
			kind := r.text("NFTA_OBJ_TYPE")
			p := map[string]string{"handle": r.text("NFTA_OBJ_HANDLE")}
			d := "NFTA_OBJ_DATA/"
			switch kind {
			case "quota":
				p["bytes"] = strings.TrimSuffix(r.text(d+"NFTA_QUOTA_BYTES"), "")
			case "limit":
				p["rate"], p["burst"] = r.text(d+"NFTA_LIMIT_RATE"), r.text(d+"NFTA_LIMIT_BURST")
			case "synproxy":
				p["mss"], p["wscale"] = r.text(d+"NFTA_SYNPROXY_MSS"), r.text(d+"NFTA_SYNPROXY_WSCALE")
			case "ct expectation":
				p["dport"], p["timeout"], p["size"] = r.text(d+"NFTA_CT_EXPECT_DPORT"), r.text(d+"NFTA_CT_EXPECT_TIMEOUT"), r.text(d+"NFTA_CT_EXPECT_SIZE")
			case "ct helper":
				p["type"] = r.text(d + "NFTA_CT_HELPER_NAME")
			case "ct timeout":
				if data := r.get(d + "NFTA_CT_TIMEOUT_DATA"); data != nil {
					for _, k := range data.kids {
						st := strings.ToLower(strings.TrimPrefix(k.f.Name, "CTA_TIMEOUT_TCP_"))
						p["policy "+st] = k.value()
					}
				}
			}
			out[fmt.Sprintf("%s %s %s %s", kind, fam, r.text("NFTA_OBJ_TABLE"), r.text("NFTA_OBJ_NAME"))] = p
		}
	}
	return out
}

// checkListJSON compares nft -j list ruleset with our decode of the dumps
// nft list ruleset received: every table, chain, rule, set and object nft
// shows, with its handle and the properties both show.
func checkListJSON(t *testing.T, s *session) {
	t.Helper()
	want := listObjects(t, s.json)
	got := dumpObjects(s.list)
	if len(want) < 20 {
		t.Fatalf("nft -j listed only %d objects", len(want))
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: in nft -j, not in our decode", k)
			continue
		}
		w := want[k]
		// Compare only what nft shows; a ct timeout object's policy is
		// all the kernel's states, of which nft shows those set.
		for p := range g {
			if _, ok := w[p]; !ok {
				delete(g, p)
			}
		}
		for p, v := range w {
			if v == "" {
				delete(w, p)
				delete(g, p)
			}
		}
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("%s (-nft +ours):\n%s", k, diff)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: in our decode, not in nft -j", k)
		}
	}
	xt := 0
	for _, w := range want {
		if w["xt"] != "" {
			xt++
		}
	}
	if xt == 0 {
		t.Errorf("nft -j shows no xtables match or target (iptables-nft's rule)")
	}
	t.Logf("%d objects agree with nft -j, %d rules with xtables matches or targets", len(want), xt)
}

func TestRecordedListJSON(t *testing.T) { checkListJSON(t, loadSession(t)) }
