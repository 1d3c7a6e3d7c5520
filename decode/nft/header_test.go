package nft

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/internal/testenv"
)

// allSets lists every attribute set of the package, including those only
// reachable through Select functions.
func allSets() []*decode.AttrSet {
	sets := []*decode.AttrSet{
		&verdictAttrs, &dataAttrs, &tableAttrs, &deviceAttrs, &inetHookAttrs, &counterAttrs, &chainAttrs,
		&ruleCompatAttrs, &ruleAttrs, &setFieldAttrs, &setFieldListAttrs, &setDescAttrs, &setAttrs, &setElemAttrs,
		&setElemListAttrs, &genAttrs, &objAttrs, &ctHelperAttrs, &ctTimeoutAttrs, &ctExpectAttrs, &secmarkAttrs,
		&tunnelIPAttrs, &tunnelIP6Attrs, &tunnelVxlanAttrs, &tunnelErspanAttrs, &tunnelGeneveAttrs, &tunnelOptsAttrs,
		&tunnelKeyAttrs, &flowtableHookAttrs, &flowtableAttrs, &traceAttrs, &compatAttrs, &exprAttrs, &exprListAttrs,
		&immediateAttrs, &cmpAttrs, &rangeAttrs, &payloadAttrs, &metaAttrs, &bitwiseAttrs, &byteorderAttrs,
		&lookupAttrs, &dynsetAttrs, &ctAttrs, &natAttrs, &masqAttrs, &redirAttrs, &logAttrs, &limitAttrs,
		&quotaAttrs, &connlimitAttrs, &lastAttrs, &rejectICMPxAttrs, &queueAttrs, &fibAttrs, &socketAttrs,
		&tproxyAttrs, &xfrmAttrs, &osfAttrs, &synproxyAttrs, &tunnelAttrs, &hashAttrs, &numgenAttrs, &rtAttrs,
		&exthdrAttrs, &objrefAttrs, &fwdAttrs, &dupAttrs, &innerAttrs, &flowOffloadAttrs, &matchAttrs, &targetAttrs,
	}
	return sets
}

var (
	enumRe    = regexp.MustCompile(`(?s)enum\s+(\w*)\s*\{(.*?)\}`)
	commentRe = regexp.MustCompile(`(?s)/\*.*?\*/`)
)

// headerEnums returns name → value of every enumerator of the header.
func headerEnums(t *testing.T, path string) map[string]int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		testenv.Skip(t, testenv.Host, "no kernel uapi headers (install linux-libc-dev): "+err.Error())
	}
	text := commentRe.ReplaceAllString(string(b), "")
	out := map[string]int{}
	for _, m := range enumRe.FindAllStringSubmatch(text, -1) {
		next := 0
		for _, e := range strings.Split(m[2], ",") {
			e = strings.TrimSpace(e)
			if e == "" || strings.HasPrefix(e, "#") {
				continue
			}
			if i := strings.Index(e, "\n"); i >= 0 { // a #define inside the enum
				e = strings.TrimSpace(e[:i])
			}
			name, val, hasVal := strings.Cut(e, "=")
			name = strings.TrimSpace(name)
			if hasVal {
				v, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), "U"), 0, 64)
				if err != nil {
					continue // an expression of other enumerators
				}
				next = int(v)
			}
			out[name] = next
			next++
		}
	}
	return out
}

// TestHeaderAttributes checks every NFTA_* attribute and NFT_MSG_* message
// of the installed uapi headers against our tables, by number: the
// headers are the authority. (The tables come from a newer header than
// most systems install, so they may name more.)
func TestHeaderAttributes(t *testing.T) {
	enums := headerEnums(t, "/usr/include/linux/netfilter/nf_tables.h")
	for k, v := range headerEnums(t, "/usr/include/linux/netfilter/nf_tables_compat.h") {
		enums[k] = v
	}
	named := map[string]int{}
	for _, s := range allSets() {
		for i, a := range s.Attrs {
			if strings.HasPrefix(a.Name, "NFTA_") {
				named[a.Name] = i
			}
		}
	}
	checked := 0
	for name, v := range enums {
		switch {
		case strings.HasPrefix(name, "NFTA_") && !strings.HasSuffix(name, "_UNSPEC") && !strings.HasPrefix(name, "NFTA_FIB_F_"):
			got, ok := named[name]
			if !ok {
				t.Errorf("%s (%d) is in the header but not in our tables", name, v)
			} else if got != v {
				t.Errorf("%s is %d in the header, %d in our tables", name, v, got)
			}
			checked++
		case strings.HasPrefix(name, "NFT_MSG_") && name != "NFT_MSG_MAX":
			if v >= len(tables.Types) || tables.Types[v].Name != name {
				t.Errorf("%s (%d) is not named so in our message table", name, v)
			}
			checked++
		}
	}
	if checked < 300 {
		t.Errorf("only %d header names checked: the header parser is broken", checked)
	}
	t.Logf("%d header names agree", checked)
}
