package genl

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/genl/ynl"
)

// headerOf says which installed uapi header defines the names of each
// family's spec. Families whose header this machine's linux-libc-dev does
// not ship (dpll, handshake, lockd, netdev, net-shaper, nfsd, ovpn, psp on
// 6.1) are compared wherever the header exists.
var headerOf = map[string][]string{
	"devlink":      {"devlink.h"},
	"ethtool":      {"ethtool_netlink_generated.h", "ethtool_netlink.h", "ethtool.h"},
	"fou":          {"fou.h"},
	"mptcp_pm":     {"mptcp_pm.h", "mptcp.h"},
	"nl80211":      {"nl80211.h"},
	"nlctrl":       {"genetlink.h", "netlink.h"},
	"ovs_datapath": {"openvswitch.h"},
	"ovs_flow":     {"openvswitch.h"},
	"ovs_packet":   {"openvswitch.h"},
	"ovs_vport":    {"openvswitch.h"},
	"tcp_metrics":  {"tcp_metrics.h"},
	"team":         {"if_team.h"},
	"wireguard":    {"wireguard.h"},
	"dpll":         {"dpll.h"},
	"handshake":    {"handshake.h"},
	"lockd":        {"lockd_netlink.h"},
	"netdev":       {"netdev.h"},
	"net-shaper":   {"net_shaper.h"},
	"nfsd":         {"nfsd_netlink.h"},
	"ovpn":         {"ovpn.h"},
	"psp":          {"psp.h"},
}

// knownDiffs explain names whose number differs from the installed
// header, or that the header has under a prefix we decode but we do not
// name: by exact name, or by prefix. Anything else that differs fails the
// test. Two rules apply everywhere and need no entry: NAME_UNSPEC = 0 (no
// message carries attribute or command 0), and #define aliases of enum
// values (NL80211_ATTR_MESH_PARAMS for NL80211_ATTR_MESH_CONFIG).
var knownDiffs = map[string]string{
	"CTRL_CMD_NEWOPS":       "never sent by the kernel; not in nlctrl.yaml",
	"CTRL_CMD_DELOPS":       "never sent by the kernel; not in nlctrl.yaml",
	"CTRL_CMD_GETOPS":       "never sent by the kernel; not in nlctrl.yaml",
	"CTRL_CMD_GETMCAST_GRP": "unused (genetlink.h says so); not in nlctrl.yaml",
	"DEVLINK_ATTR_":         "devlink.yaml is the first, partial spec (get and info-get only)",
}

func explained(name string) (string, bool) {
	if why, ok := knownDiffs[name]; ok {
		return why, true
	}
	for p, why := range knownDiffs {
		if strings.HasSuffix(p, "_") && strings.HasPrefix(name, p) {
			return why, true
		}
	}
	return "", false
}

// headerConsts parses the enums and numeric #defines of a C header; defs
// are the aliases: names that #define gave, and enum names set equal to
// another.
func headerConsts(src string) (out map[string]int64, defs map[string]bool) {
	out, defs = map[string]int64{}, map[string]bool{}
	src = regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(src, "")
	src = regexp.MustCompile(`//[^\n]*`).ReplaceAllString(src, "")
	eval := func(expr string) (int64, bool) {
		expr = strings.NewReplacer("(", " ", ")", " ").Replace(expr)
		f := strings.Fields(strings.NewReplacer("<<", " << ", "+", " + ", "-", " - ").Replace(expr))
		val := func(s string) (int64, bool) {
			if n, err := strconv.ParseInt(strings.TrimRight(s, "UuLl"), 0, 64); err == nil && s[0] >= '0' && s[0] <= '9' {
				return n, true
			}
			n, ok := out[s]
			return n, ok
		}
		if len(f) == 0 {
			return 0, false
		}
		v, ok := val(f[0])
		for i := 1; ok && i+1 < len(f); i += 2 {
			w, ok2 := val(f[i+1])
			if !ok2 {
				return 0, false
			}
			switch f[i] {
			case "<<":
				v <<= w
			case "+":
				v += w
			case "-":
				v -= w
			default:
				return 0, false
			}
		}
		return v, ok && len(f)%2 == 1
	}
	// Enum bodies and defines, in the order they appear, since later
	// values may refer to earlier ones.
	re := regexp.MustCompile(`(?s)enum\s*\w*\s*\{(.*?)\}|#define[ \t]+(\w+)[ \t]+([^\n]+)`)
	for _, m := range re.FindAllStringSubmatch(src, -1) {
		if m[2] != "" {
			if v, ok := eval(m[3]); ok {
				out[m[2]] = v
				defs[m[2]] = true
			}
			continue
		}
		next := int64(0)
		for _, e := range strings.Split(m[1], ",") {
			e = strings.TrimSpace(e)
			if e == "" {
				continue
			}
			name, expr, has := strings.Cut(e, "=")
			name = strings.TrimSpace(name)
			if has {
				v, ok := eval(expr)
				if !ok {
					// The rest of the enum counts from a value we
					// cannot compute: leave it out.
					break
				}
				next = v
				if e := strings.TrimSpace(expr); e != "" && (e[0] == '_' || e[0] >= 'A' && e[0] <= 'Z') && !strings.ContainsAny(e, " +-<(") {
					// NL80211_CMD_ACTION = NL80211_CMD_REGISTER_FRAME:
					// another name for a value, like a #define alias.
					defs[name] = true
				}
			}
			out[name] = next
			next++
		}
	}
	return out, defs
}

// ourNames lists the names and numbers the decoder shows for a family:
// attributes of every set it reaches, commands by direction, and enum
// entries from the spec.
func ourNames(f *ynl.Family, d *Def) map[string]int64 {
	out := map[string]int64{}
	seen := map[*decode.AttrSet]bool{}
	var walk func(s *decode.AttrSet)
	walk = func(s *decode.AttrSet) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		for i := range s.Attrs {
			a := &s.Attrs[i]
			if a.Name != "" {
				out[a.Name] = int64(i)
			}
			walk(a.Nest)
			for it := a.Item; it != nil; it = it.Item {
				walk(it.Nest)
			}
		}
	}
	for _, tbl := range [][]decode.MessageType{d.Requests, d.Replies} {
		for i := range tbl {
			if tbl[i].Name != "" {
				out[tbl[i].Name] = int64(i)
				walk(tbl[i].Attrs)
			}
		}
	}
	if f == nil {
		return out
	}
	for _, e := range f.Enums {
		for _, en := range e.Entries {
			out[en.CName] = int64(en.Value)
		}
	}
	return out
}

// TestNamesMatchHeaders compares every name the decoder gives (attributes,
// commands, enum values) with the uapi headers installed on this machine:
// a name both define must have the same number, and a header name in a
// prefix we decode must be one we name, unless knownDiffs explains it.
// The specs may be newer than the headers; names only the spec has are
// counted, not failed.
func TestNamesMatchHeaders(t *testing.T) {
	compared := 0
	for name, data := range readSpecs(t) {
		f, err := ynl.Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Build(f)
		if err != nil {
			t.Fatal(err)
		}
		var hdr map[string]int64
		defs := map[string]bool{}
		var file string
		for _, h := range headerOf[f.Name] {
			if src, err := os.ReadFile("/usr/include/linux/" + h); err == nil {
				c, d := headerConsts(string(src))
				if hdr == nil {
					hdr, defs, file = c, d, h
					continue
				}
				for k, v := range c {
					if _, ok := hdr[k]; !ok {
						hdr[k], defs[k] = v, d[k]
					}
				}
			}
		}
		if hdr == nil {
			t.Logf("%s: no header installed (%v)", f.Name, headerOf[f.Name])
			continue
		}
		ours := ourNames(f, d)
		same, only := 0, 0
		var bad []string
		prefixes := map[string]bool{}
		for n, v := range ours {
			hv, ok := hdr[n]
			if !ok {
				only++
				continue
			}
			same++
			if i := strings.LastIndexByte(n, '_'); i > 0 {
				prefixes[n[:i+1]] = true
			}
			if hv != v {
				if why, ok := explained(n); ok {
					t.Logf("%s: %s is %d here, %d in %s: %s", f.Name, n, v, hv, file, why)
					continue
				}
				bad = append(bad, fmt.Sprintf("%s = %d, %s says %d", n, v, file, hv))
			}
		}
		// Header names under a prefix we decode that we lack.
		for n := range hdr {
			if _, ok := ours[n]; ok || defs[n] || strings.HasPrefix(n, "__") || strings.HasSuffix(n, "_MAX") || strings.HasSuffix(n, "_CNT") ||
				(strings.HasSuffix(n, "_UNSPEC") && hdr[n] == 0) {
				continue
			}
			i := strings.LastIndexByte(n, '_')
			if i <= 0 || !prefixes[n[:i+1]] {
				continue
			}
			if why, ok := explained(n); ok {
				t.Logf("%s: %s (%d) in %s is not decoded: %s", f.Name, n, hdr[n], file, why)
				continue
			}
			bad = append(bad, fmt.Sprintf("%s (%d) is in %s but not decoded", n, hdr[n], file))
		}
		slices.Sort(bad)
		for _, b := range bad {
			t.Errorf("%s: %s", f.Name, b)
		}
		compared += same
		t.Logf("%s: %d names equal %s, %d only in the spec", f.Name, same, file, only)
	}
	// The hand-written families, against the headers they were written
	// from.
	for _, d := range handDefs() {
		files := map[string][]string{"TASKSTATS": {"taskstats.h", "cgroupstats.h"}, "NET_DM": {"net_dropmon.h"}, "psample": {"psample.h"}}[d.Name]
		var src []byte
		for _, h := range files {
			b, err := os.ReadFile("/usr/include/linux/" + h)
			if err != nil {
				t.Fatalf("%s: %v", d.Name, err)
			}
			src = append(src, b...)
		}
		hdr, _ := headerConsts(string(src))
		same := 0
		for n, v := range ourNames(nil, d) {
			hv, ok := hdr[n]
			if !ok {
				t.Errorf("%s: %s is not in %v", d.Name, n, files)
				continue
			}
			if hv != v {
				t.Errorf("%s: %s = %d, %v says %d", d.Name, n, v, files, hv)
			}
			same++
		}
		compared += same
		t.Logf("%s: %d names equal %v", d.Name, same, files)
	}
	if compared < 500 {
		t.Errorf("compared only %d names with the headers", compared)
	}
}
