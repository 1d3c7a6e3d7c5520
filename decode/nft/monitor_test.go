package nft_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkMonitorTrace compares the trace lines nft monitor printed with our
// decode of the NFT_MSG_TRACE events our socket received, event by event:
// trace id, family, table, chain, and the packet, the rule's verdict or
// the policy.
func checkMonitorTrace(t *testing.T, s *session) {
	t.Helper()
	var want []string
	for _, line := range strings.Split(s.monitor, "\n") {
		f := strings.Fields(line)
		if len(f) < 7 || f[0] != "trace" || f[1] != "id" {
			continue
		}
		head := strings.Join(f[2:6], " ")
		switch f[6] {
		case "packet:":
			want = append(want, head+" packet")
		case "rule":
			// "rule <statements> (verdict V)"
			i := strings.LastIndex(line, "(verdict ")
			if i < 0 {
				t.Fatalf("trace line without a verdict: %s", line)
			}
			want = append(want, head+" rule "+strings.TrimSuffix(line[i+len("(verdict "):], ")"))
		case "policy", "verdict":
			want = append(want, head+" "+f[6]+" "+f[7])
		default:
			t.Fatalf("unexpected trace line: %s", line)
		}
	}
	var got []string
	for _, m := range decodeAll(s.events) {
		if m.name() != "NFT_MSG_TRACE" {
			continue
		}
		r := m.root()
		head := fmt.Sprintf("%08s %s %s %s", strings.TrimPrefix(r.text("NFTA_TRACE_ID"), "0x"),
			familyName(r.text("nfgenmsg/nfgen_family")), r.text("NFTA_TRACE_TABLE"), r.text("NFTA_TRACE_CHAIN"))
		switch r.text("NFTA_TRACE_TYPE") {
		case "rule":
			// As nft prints a rule event: the packet when the event
			// carries its headers, the rule when it names one.
			if r.get("NFTA_TRACE_LL_HEADER") != nil || r.get("NFTA_TRACE_NETWORK_HEADER") != nil {
				got = append(got, head+" packet")
			}
			if r.get("NFTA_TRACE_RULE_HANDLE") != nil {
				got = append(got, head+" rule "+r.text("NFTA_TRACE_VERDICT/NFTA_VERDICT_CODE"))
			}
		case "policy":
			got = append(got, head+" policy "+r.text("NFTA_TRACE_POLICY"))
		case "return":
			got = append(got, head+" verdict "+r.text("NFTA_TRACE_VERDICT/NFTA_VERDICT_CODE"))
		default:
			got = append(got, head+" "+r.text("NFTA_TRACE_TYPE"))
		}
	}
	if len(want) == 0 {
		t.Fatalf("nft monitor printed no trace:\n%s", s.monitor)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trace events (-nft monitor +ours):\n%s", diff)
	}
	t.Logf("%d trace events agree with nft monitor", len(want))

	// The ruleset events nft monitor printed: the tables the test added
	// and the generations they made.
	var wantEv, gotEv []string
	for _, line := range strings.Split(s.monitor, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 4 && f[0] == "add" && f[1] == "table":
			wantEv = append(wantEv, "table "+f[2]+" "+f[3])
		case len(f) == 8 && f[0] == "#" && f[2] == "generation":
			wantEv = append(wantEv, "gen "+f[3]+" "+f[6]+" "+strings.Trim(f[7], "()"))
		}
	}
	for _, m := range decodeAll(s.events) {
		r := m.root()
		switch m.name() {
		case "NFT_MSG_NEWTABLE":
			if n := r.text("NFTA_TABLE_NAME"); strings.HasPrefix(n, "monitor_") {
				gotEv = append(gotEv, "table "+familyName(r.text("nfgenmsg/nfgen_family"))+" "+n)
			}
		case "NFT_MSG_NEWGEN":
			gotEv = append(gotEv, "gen "+r.text("NFTA_GEN_ID")+" "+r.text("NFTA_GEN_PROC_PID")+" "+r.text("NFTA_GEN_PROC_NAME"))
		}
	}
	// Our socket saw every generation since the start; nft monitor only
	// those after it started.
	for len(gotEv) > 0 && len(wantEv) > 0 && gotEv[0] != wantEv[0] {
		gotEv = gotEv[1:]
	}
	if len(gotEv) > len(wantEv) {
		gotEv = gotEv[:len(wantEv)]
	}
	if len(wantEv) < 4 {
		t.Errorf("nft monitor printed too few ruleset events: %q\n%s", wantEv, s.monitor)
	}
	if diff := cmp.Diff(wantEv, gotEv); diff != "" {
		t.Errorf("ruleset events (-nft monitor +ours):\n%s", diff)
	}
}

func TestRecordedMonitorTrace(t *testing.T) { checkMonitorTrace(t, loadSession(t)) }
