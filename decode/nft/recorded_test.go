package nft_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/nfnl"
	"github.com/nltrace/nltrace/decode/nft"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/internal/golden"
	"golang.org/x/sys/unix"
)

var update = flag.Bool("update", false, "rewrite golden files")

// session is what one run of the scenario (kernel_linux_test.go) produced:
// nltrace's captures of nft and iptables-nft, the multicast events a
// socket of our own received meanwhile, and what the tools printed.
type session struct {
	add    []capture.Record // nft --debug=netlink -f testdata/ruleset.nft
	compat []capture.Record // iptables-nft adding rules with xtables matches
	list   []capture.Record // nft list ruleset
	events []capture.Record // NFNLGRP_NFTABLES and NFNLGRP_NFTRACE
	// crafted is what nft cannot send, from a socket of our own
	// (crafted_linux_test.go): a tunnel object, last, inner and tunnel
	// expressions, the reset dumps, destroy messages.
	crafted []capture.Record
	debug   string // nft --debug=netlink's output while adding
	json    []byte // nft -j list ruleset
	// monitor is what nft monitor printed while a datagram was traced.
	monitor string
}

const kernelDir = "testdata/kernel"

var sessionFiles = []string{"add.pcapng", "compat.pcapng", "list.pcapng", "events.pcapng", "crafted.pcapng"}

func (s *session) parts() []*[]capture.Record {
	return []*[]capture.Record{&s.add, &s.compat, &s.list, &s.events, &s.crafted}
}

// loadSession reads the recorded session. Only netfilter records are kept
// (nft also asks rtnetlink about interfaces), with times 1µs apart and a
// fixed process, so renderings are stable.
func loadSession(t testing.TB) *session {
	t.Helper()
	s := &session{}
	base := time.Date(2026, 1, 2, 12, 0, 1, 0, time.UTC)
	n := 0
	for i, part := range s.parts() {
		rd, err := pcapng.Open(filepath.Join(kernelDir, sessionFiles[i]))
		if err != nil {
			t.Fatalf("%v (record it as root with go test -run TestKernel -record)", err)
		}
		for r, err := range capture.Records(context.Background(), rd) {
			if err != nil {
				t.Fatal(err)
			}
			if r.Protocol != unix.NETLINK_NETFILTER {
				continue
			}
			r.Time = base.Add(time.Duration(n) * time.Microsecond)
			n++
			if r.PID != 0 {
				r.PID, r.TID = 4242, 4242
			}
			*part = append(*part, r)
		}
		rd.Close()
	}
	var err error
	if b, err := os.ReadFile(filepath.Join(kernelDir, "debug-netlink.txt")); err == nil {
		s.debug = string(b)
	} else {
		t.Fatal(err)
	}
	if s.json, err = os.ReadFile(filepath.Join(kernelDir, "list.json")); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(kernelDir, "monitor.txt")); err == nil {
		s.monitor = string(b)
	} else {
		t.Fatal(err)
	}
	return s
}

// save writes the session to testdata/kernel.
func (s *session) save(t *testing.T) {
	t.Helper()
	if err := os.MkdirAll(kernelDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, part := range s.parts() {
		path := filepath.Join(kernelDir, sessionFiles[i])
		os.Remove(path)
		w, err := pcapng.Create(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for j := range *part {
			if err := w.Write(&(*part)[j]); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(capture.Stats{}); err != nil {
			t.Fatal(err)
		}
		os.Chmod(path, 0o644)
	}
	if err := os.WriteFile(filepath.Join(kernelDir, "debug-netlink.txt"), []byte(s.debug), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(kernelDir, "list.json"), s.json, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(kernelDir, "monitor.txt"), []byte(s.monitor), 0o644); err != nil {
		t.Fatal(err)
	}
}

func registry() *decode.Registry {
	return decode.NewRegistry(nfnl.Family(nft.Subsystem(), nft.CompatSubsystem()))
}

// msg is one decoded message, its tree shared with the others of its
// record.
type msg struct {
	tree *decode.Tree
	i    int
	dir  capture.Direction
}

func (m msg) name() string           { return m.tree.Messages[m.i].Name }
func (m msg) fields() []decode.Field { return m.tree.MessageFields(m.i) }

// decodeAll decodes records with one decoder, as a stream.
func decodeAll(recs []capture.Record) []msg {
	d := decode.NewDecoder(registry())
	var out []msg
	for i := range recs {
		tree := &decode.Tree{}
		d.Decode(tree, &recs[i])
		for j := range tree.Messages {
			out = append(out, msg{tree, j, recs[i].Direction})
		}
	}
	return out
}

// node is a decoded field with its children, for lookups by path.
type node struct {
	f    *decode.Field
	tree *decode.Tree
	kids []*node
}

func nodes(tree *decode.Tree, fields []decode.Field) []*node {
	var out []*node
	for j := 0; j < len(fields); j++ {
		end := j + 1
		for end < len(fields) && fields[end].Depth > fields[j].Depth {
			end++
		}
		out = append(out, &node{f: &fields[j], tree: tree, kids: nodes(tree, fields[j+1:end])})
		j = end - 1
	}
	return out
}

func (m msg) root() *node { return &node{tree: m.tree, kids: nodes(m.tree, m.fields())} }

// get returns the first descendant at path ("A/B/C"), or nil.
func (n *node) get(path string) *node {
	cur := n
	for _, name := range strings.Split(path, "/") {
		var next *node
		for _, k := range cur.kids {
			if k.f.Name == name {
				next = k
				break
			}
		}
		if next == nil {
			return nil
		}
		cur = next
	}
	return cur
}

// text returns the value at path as the text forms show it, strings
// unquoted; "" when absent.
func (n *node) text(path string) string {
	c := n.get(path)
	if c == nil {
		return ""
	}
	return c.value()
}

func (n *node) value() string {
	if n.f.Kind == decode.KindString {
		return string(n.tree.Value(n.f))
	}
	return string(decode.AppendValue(nil, n.tree, n.f))
}

// leaves returns every field below n that holds a value.
func (n *node) leaves() []*node {
	var out []*node
	for _, k := range n.kids {
		if k.f.Kind == decode.KindNone {
			out = append(out, k.leaves()...)
		} else {
			out = append(out, k)
		}
	}
	return out
}

// TestNothingUnnamed decodes every recorded message and fails on any
// message type without a name, any unknown attribute and any malformed
// field, in the JSON output as a user would see it.
func TestNothingUnnamed(t *testing.T) {
	s := loadSession(t)
	for i, part := range s.parts() {
		t.Run(sessionFiles[i], func(t *testing.T) {
			if len(*part) == 0 {
				t.Fatal("no records")
			}
			d := decode.NewDecoder(registry())
			var tree decode.Tree
			for k := range *part {
				d.Decode(&tree, &(*part)[k])
				for m := range tree.Messages {
					var v struct {
						Type   string          `json:"type"`
						Fields json.RawMessage `json:"fields"`
					}
					one := render.AppendJSON(nil, &tree, m)
					if err := json.Unmarshal(one, &v); err != nil {
						t.Fatalf("record %d message %d: invalid JSON: %v", k, m, err)
					}
					if v.Type == "" || strings.HasPrefix(v.Type, "type ") || strings.HasPrefix(v.Type, "NLMSG type") {
						t.Errorf("record %d message %d: type shown as %q", k, m, v.Type)
					}
					if bytes.Contains(v.Fields, []byte(`"unknown":true`)) || bytes.Contains(v.Fields, []byte(`"malformed":true`)) {
						t.Errorf("record %d message %d (%s): unknown or malformed field: %s", k, m, v.Type, v.Fields)
					}
				}
			}
		})
	}
}

// TestGolden pins the compact rendering of every recorded message, and
// the tree rendering of the compat session.
func TestGolden(t *testing.T) {
	s := loadSession(t)
	for i, part := range s.parts() {
		name := strings.TrimSuffix(sessionFiles[i], ".pcapng")
		t.Run(name, func(t *testing.T) {
			d := decode.NewDecoder(registry())
			var tree decode.Tree
			var text, compact []byte
			for k := range *part {
				d.Decode(&tree, &(*part)[k])
				text = render.Append(text, &tree, render.Tree)
				compact = render.Append(compact, &tree, render.Compact)
			}
			// The tree form is pinned for the small compat session only;
			// both forms render the same trees.
			if name != "compat" {
				text = nil
			}
			golden.Check(t, *update, name, append(append(text, "--- compact\n"...), compact...))
		})
	}
}

// debugRule is one rule as nft --debug=netlink printed it.
type debugRule struct {
	head  string   // "inet filter input"
	exprs []string // "payload load 4b @ network header + 16 => reg 1"
}

var ruleHead = regexp.MustCompile(`^(ip|ip6|inet|arp|bridge|netdev) \S+ \S+$`)

func parseDebug(out string) []debugRule {
	var rules []debugRule
	var cur *debugRule
	for _, line := range strings.Split(out, "\n") {
		switch {
		case ruleHead.MatchString(line):
			rules = append(rules, debugRule{head: line})
			cur = &rules[len(rules)-1]
		case cur != nil && strings.HasPrefix(line, "  [ ") && strings.HasSuffix(line, " ]"):
			cur.exprs = append(cur.exprs, strings.TrimSuffix(strings.TrimPrefix(line, "  [ "), " ]"))
		case cur != nil && strings.HasPrefix(line, "  "):
		default:
			cur = nil
		}
	}
	return rules
}

var (
	debugRegs  = regexp.MustCompile(`\b(?:reg|sreg|dreg|reg_\w+|sreg_\w+|\w+_(?:min|max)) (\d+)`)
	debugNames = regexp.MustCompile(`(?:\bset|->|\bname) (\S+)`)
	debugWords = regexp.MustCompile(`0x[0-9a-f]+|[0-9]+|[A-Za-z_][A-Za-z_0-9]*`)
)

// regName is how our decode names register n.
func regName(n string) string {
	if n == "0" {
		return "verdict"
	}
	return "reg " + n
}

// dataWords renders a value as libnftnl prints data: 32-bit words in host
// order, zero-padded.
func dataWords(v []byte) []string {
	var out []string
	for i := 0; i < len(v); i += 4 {
		var w [4]byte
		copy(w[:], v[i:])
		out = append(out, fmt.Sprintf("0x%08x", binary.LittleEndian.Uint32(w[:])))
	}
	return out
}

// exprFacts is what our decode says about one expression.
type exprFacts struct {
	name    string
	words   map[string]bool // tokens of every value's text
	nums    map[uint64]bool
	regs    map[string]bool
	data    map[string]bool // data words
	strings map[string]bool
}

func factsOf(e *node) exprFacts {
	x := exprFacts{name: e.text("NFTA_EXPR_NAME"), words: map[string]bool{}, nums: map[uint64]bool{},
		regs: map[string]bool{}, data: map[string]bool{}, strings: map[string]bool{}}
	data := e.get("NFTA_EXPR_DATA")
	if data == nil {
		return x
	}
	for _, l := range data.leaves() {
		txt := l.value()
		for _, w := range debugWords.FindAllString(txt, -1) {
			x.words[w] = true
		}
		switch l.f.Kind {
		case decode.KindUint, decode.KindInt:
			x.nums[l.f.Num] = true
			if l.f.Spec != nil && l.f.Spec.Enum != nil && strings.HasPrefix(l.f.Spec.Enum.Name, "NFT_REG") {
				x.regs[txt] = true
			}
		case decode.KindString:
			x.strings[txt] = true
		case decode.KindBytes:
			for _, w := range dataWords(l.tree.Value(l.f)) {
				x.data[w] = true
			}
		}
		// A nested expression's facts count for its parent (dynset).
	}
	for _, k := range data.kids {
		for _, sub := range []*node{k, k.get("NFTA_LIST_ELEM")} {
			if sub != nil && sub.get("NFTA_EXPR_NAME") != nil {
				x.words[sub.text("NFTA_EXPR_NAME")] = true
			}
		}
	}
	return x
}

// checkExpr reports where nft's line and our decode of the same expression
// disagree: the name, every register, every data word, every non-zero
// number, every named value and every set, chain and object name nft
// printed must be in our decode.
func checkExpr(line string, x exprFacts, vocab map[string]bool) []string {
	var bad []string
	name, rest, _ := strings.Cut(line, " ")
	if name != x.name {
		return []string{fmt.Sprintf("expression %q, we decoded %q", name, x.name)}
	}
	for _, m := range debugRegs.FindAllStringSubmatch(rest, -1) {
		if !x.regs[regName(m[1])] {
			bad = append(bad, fmt.Sprintf("register %s", m[1]))
		}
	}
	for _, m := range debugNames.FindAllStringSubmatch(rest, -1) {
		if !x.strings[m[1]] && !vocab[m[1]] {
			bad = append(bad, fmt.Sprintf("name %q", m[1]))
		}
	}
	stripped := debugRegs.ReplaceAllString(rest, "")
	stripped = debugNames.ReplaceAllString(stripped, "")
	for _, w := range debugWords.FindAllString(stripped, -1) {
		switch {
		case len(w) == 10 && strings.HasPrefix(w, "0x"):
			if !x.data[w] {
				bad = append(bad, "data "+w)
			}
		case strings.HasPrefix(w, "0x"), w[0] >= '0' && w[0] <= '9':
			v, err := strconv.ParseUint(strings.TrimPrefix(w, "0x"), map[bool]int{true: 16, false: 10}[strings.HasPrefix(w, "0x")], 64)
			if err == nil && v != 0 && !x.nums[v] {
				bad = append(bad, "number "+w)
			}
		case vocab[w]:
			if !x.words[w] {
				bad = append(bad, "value "+w)
			}
		}
	}
	return bad
}

// nftWords are the value names nft --debug=netlink (libnftnl) prints,
// written out here rather than taken from our tables so that a wrong name
// there fails: verdicts, cmp ops, payload bases, meta, ct, rt, socket and
// xfrm keys, exthdr ops, fib results and flags, hash and numgen types, nat
// types, dynset and byteorder ops, limit types, log flags. Words that are
// also part of nft's format ("type", "bytes", "set") are left out.
const nftWords = `accept drop continue return jump goto break queue stolen
eq neq lt lte gt gte link network transport inner
len protocol priority mark iif oif iifname oifname iiftype oiftype skuid skgid nftrace rtclassid secmark
nfproto l4proto bri_iifname bri_oifname pkttype cpu iifgroup oifgroup cgroup prandom secpath iifkind oifkind
bri_iifpvid bri_iifvproto time day hour sdif sdifname broute
state direction status expiration helper l3protocol src dst proto_src proto_dst label packets avgpkt zone
event src_ip dst_ip src_ip6 dst_ip6 id original reply
classid nexthop4 nexthop6 tcpmss xfrm transparent wildcard cgroupv2
ipv6 tcpopt ipv4 sctp dccp present oifname saddr daddr
jhash symhash inc random snat dnat add update delete ntoh hton
tcpseq tcpopt ipopt uid macdecode in out reqid spi`

func vocabulary() map[string]bool {
	v := map[string]bool{}
	for _, w := range strings.Fields(nftWords) {
		v[w] = true
	}
	return v
}

// checkDebugNetlink compares every rule nft --debug=netlink printed with our
// decode of the NFT_MSG_NEWRULE requests nft sent, in order.
func checkDebugNetlink(t *testing.T, s *session) {
	t.Helper()
	rules := parseDebug(s.debug)
	var sent []msg
	for _, m := range decodeAll(s.add) {
		if m.name() == "NFT_MSG_NEWRULE" && m.dir == capture.ToKernel {
			sent = append(sent, m)
		}
	}
	if len(rules) == 0 || len(rules) != len(sent) {
		t.Fatalf("nft printed %d rules, nltrace saw %d NFT_MSG_NEWRULE requests", len(rules), len(sent))
	}
	vocab := vocabulary()
	checked := map[string]int{}
	for i, r := range rules {
		root := sent[i].root()
		list := root.get("NFTA_RULE_EXPRESSIONS")
		if list == nil {
			t.Errorf("rule %d (%s): no NFTA_RULE_EXPRESSIONS", i, r.head)
			continue
		}
		if len(list.kids) != len(r.exprs) {
			t.Errorf("rule %d (%s): nft printed %d expressions, we decoded %d", i, r.head, len(r.exprs), len(list.kids))
			continue
		}
		fam, _, _ := strings.Cut(r.head, " ")
		if got := familyName(root.text("nfgenmsg/nfgen_family")); got != fam {
			t.Errorf("rule %d: family %s, we decoded %s", i, fam, got)
		}
		for j, line := range r.exprs {
			x := factsOf(list.kids[j])
			if bad := checkExpr(line, x, vocab); len(bad) > 0 {
				t.Errorf("rule %d (%s) expression %d: nft printed [ %s ]; missing from our decode: %s", i, r.head, j, line, strings.Join(bad, ", "))
			}
			checked[x.name]++
		}
	}
	var names []string
	for n := range checked {
		names = append(names, n)
	}
	slices.Sort(names)
	t.Logf("%d rules, expressions checked: %v", len(rules), names)
}

func familyName(s string) string {
	switch s {
	case "ipv4":
		return "ip"
	case "ipv6":
		return "ip6"
	}
	return s
}

func TestRecordedDebugNetlink(t *testing.T) { checkDebugNetlink(t, loadSession(t)) }

// renderCompact renders one decoded message on one line, for failure logs.
func renderCompact(m msg) string {
	return strings.TrimSuffix(string(render.AppendCompact(nil, m.tree, m.i)), "\n")
}
