package match_test

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/rtnl"
	"github.com/nltrace/nltrace/pipeline/match"
	"golang.org/x/sys/unix"
)

// Real messages: ip addr add 127.0.0.5/8 dev lo; ip link show lo's
// request; the kernel's refusal of a 20-byte IFLA_IFNAME (Linux 6.18).
const (
	newaddr  = "28000000140005066500000000000000" + "020800fe" + "01000000" + "08000200" + "7f000005" + "08000100" + "7f000005"
	getlink  = "300000001200010074660" + "46b00000000" + "11000000000000000000000000000000" + "070003006c6f0000" + "08001d0001000000"
	rangeErr = "94000000020000020700000039290000deffffff3c000000100005000700000000000000000000000000000000000000000000001900030078787878787878787878787878787878787878780000000027000100417474726962757465206661696c656420706f6c6963792076616c69646174696f6e0000080002002000000014000480080007000f000000080001000b000000"
)

func decoded(t *testing.T, h string, dir capture.Direction) *decode.Tree {
	t.Helper()
	b, err := hex.DecodeString(h)
	if err != nil {
		t.Fatal(err)
	}
	var tr decode.Tree
	d := decode.NewDecoder(decode.NewRegistry(rtnl.Family()))
	d.Decode(&tr, &capture.Record{Direction: dir, Protocol: unix.NETLINK_ROUTE, PID: 4242, Comm: "kube-proxy", Data: b, OrigLen: len(b)})
	return &tr
}

func TestMatch(t *testing.T) {
	addr := decoded(t, newaddr, capture.ToKernel)
	link := decoded(t, getlink, capture.ToKernel)
	errReply := decoded(t, rangeErr, capture.FromKernel)
	for _, tc := range []struct {
		expr string
		tree *decode.Tree
		want bool
	}{
		{`IFA_LOCAL == 127.0.0.5`, addr, true},
		{`IFA_LOCAL in 127.0.0.0/8`, addr, true},
		{`IFA_LOCAL in 10.0.0.0/8`, addr, false},
		{`IFA_LOCAL != 127.0.0.5`, addr, false},
		{`ifaddrmsg/prefixlen == 8`, addr, true},
		{`prefixlen >= 9`, addr, false},
		{`ifaddrmsg/scope == host`, addr, true},
		{`IFA_LABEL`, addr, false},
		{`!IFA_LABEL && IFA_ADDRESS`, addr, true},
		{`type == RTM_NEWADDR && flags == create`, addr, true},
		{`flags == dump`, addr, false},
		{`type ~ "^RTM_.*ADDR$"`, addr, true},
		{`comm ~ "^kube"`, addr, true},
		{`comm == "ip"`, addr, false},
		{`pid == 4242 && dir == to-kernel`, addr, true},
		{`family == route`, addr, true},
		{`IFLA_IFNAME == "lo"`, link, true},
		{`IFLA_IFNAME == "v0" || IFLA_EXT_MASK == 1`, link, true},
		{`(IFLA_IFNAME == "v0" || IFLA_EXT_MASK == 1) && !(type == RTM_GETLINK)`, link, false},
		{`errno == ERANGE`, errReply, true},
		{`errno == -ERANGE`, errReply, true},
		{`errno == 34`, errReply, true},
		{`errno == EEXIST`, errReply, false},
		{`errno != 0`, errReply, true},
		{`errno == 0`, addr, true},
		{`errno == EEXIST`, addr, false},
		{`errno != EEXIST`, addr, true},
		{`request == RTM_NEWLINK`, errReply, true},
		{`NLMSGERR_ATTR_MSG ~ "policy"`, errReply, true},
		{`extack/NLMSGERR_ATTR_POLICY/NL_POLICY_TYPE_ATTR_MAX_LENGTH == 15`, errReply, true},
		{`NLMSGERR_ATTR_POLICY/NL_POLICY_TYPE_ATTR_TYPE == string`, errReply, true},
		{`payload/IFLA_IFNAME ~ "^x+$"`, errReply, true},
		{`IFLA_POLICY/IFLA_IFNAME`, errReply, false},
	} {
		x, err := match.Parse(tc.expr)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.expr, err)
			continue
		}
		if got := x.Match(tc.tree, 0); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.expr, got, tc.want)
		}
	}
}

func TestParseErrorsPointAtTheColumn(t *testing.T) {
	for _, tc := range []struct {
		expr string
		col  int
		msg  string
	}{
		{``, 1, "empty expression"},
		{`IFLA_IFNAME = "v0"`, 13, `use "=="`},
		{`IFLA_IFNAME == `, 16, "expected a value"},
		{`IFLA_MTU > big`, 12, "compares numbers"},
		{`RTA_DST in 10.0.0.0`, 12, "not an address prefix"},
		{`comm ~ "("`, 8, "bad regular expression"},
		{`(IFLA_MTU == 1`, 15, `expected ")"`},
		{`IFLA_MTU == 1 &`, 15, "must be doubled"},
		{`IFLA_MTU == 1 )`, 15, `unexpected ")"`},
		{`a//b`, 1, "empty name"},
		{`comm == "x`, 9, "not closed"},
		{`&& x`, 1, "expected a field name"},
	} {
		_, err := match.Parse(tc.expr)
		var me *match.Error
		if !errors.As(err, &me) {
			t.Errorf("Parse(%q) = %v, want a *match.Error", tc.expr, err)
			continue
		}
		if me.Column != tc.col || !strings.Contains(me.Msg, tc.msg) {
			t.Errorf("Parse(%q): column %d %q, want column %d and %q", tc.expr, me.Column, me.Msg, tc.col, tc.msg)
		}
		if lines := strings.Split(err.Error(), "\n"); len(lines) != 3 || strings.Index(lines[2], "^") != tc.col+1 {
			t.Errorf("Parse(%q): the caret is not under column %d:\n%s", tc.expr, tc.col, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`IFLA_IFNAME == "v0"`, `RTA_DST in 10.0.0.0/8 && !(errno == EEXIST)`, `comm ~ "^kube" || pid >= 3`, `a/b/c`} {
		f.Add(s)
	}
	tr := decoded(&testing.T{}, newaddr, capture.ToKernel)
	f.Fuzz(func(t *testing.T, s string) {
		x, err := match.Parse(s)
		if err != nil {
			var me *match.Error
			if !errors.As(err, &me) || me.Column < 1 || me.Column > len(s)+1 {
				t.Fatalf("Parse(%q): %v", s, err)
			}
			return
		}
		x.Match(tr, 0)
	})
}
