package match

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/decode"
)

// env is the message an expression is evaluated on.
type env struct {
	t   *decode.Tree
	i   int
	buf []byte
}

// Match reports whether message i of t satisfies the expression.
func (x *Expr) Match(t *decode.Tree, i int) bool {
	if x == nil {
		return true
	}
	e := env{t: t, i: i}
	return x.root.eval(&e)
}

func (n *testNode) eval(e *env) bool {
	if len(n.path) == 1 {
		if v, ok := e.special(n.path[0]); ok {
			return n.compareMeta(n.path[0], v, e)
		}
	}
	fields := e.t.MessageFields(e.i)
	// stack holds the names of the open containers at each depth, so a
	// path's parents can be checked as the fields go by in depth order.
	var stack [64]string
	for j := range fields {
		f := &fields[j]
		d := int(f.Depth)
		if d < len(stack) {
			stack[d] = f.Name
		}
		if f.Name != n.path[len(n.path)-1] || !parentsMatch(stack[:min(d, len(stack))], n.path[:len(n.path)-1]) {
			continue
		}
		if n.op == "" || n.compareField(e, f) {
			return true
		}
	}
	return false
}

// parentsMatch says the innermost containers end with the path's parents.
func parentsMatch(open []string, parents []string) bool {
	if len(parents) > len(open) {
		return false
	}
	for k := range parents {
		if open[len(open)-len(parents)+k] != parents[k] {
			return false
		}
	}
	return true
}

// metaValue is a message-level value: a number, text, or both.
type metaValue struct {
	num    int64
	hasNum bool
	text   string
}

// special returns the message-level values the language names in lower
// case; attribute and member names never collide with them.
func (e *env) special(name string) (metaValue, bool) {
	m := &e.t.Messages[e.i]
	meta := &e.t.Meta
	switch name {
	case "comm":
		return metaValue{text: meta.Comm}, true
	case "pid":
		return metaValue{num: int64(meta.PID), hasNum: true}, true
	case "type":
		t := m.Name
		if t == "" {
			t = "type " + strconv.Itoa(int(m.Header.Type))
		}
		return metaValue{num: int64(m.Header.Type), hasNum: true, text: t}, true
	case "family":
		return metaValue{num: int64(meta.Protocol), hasNum: true, text: meta.Family}, true
	case "dir":
		return metaValue{text: capture.Direction(meta.Direction).String()}, true
	case "errno":
		if !m.IsAck && !m.IsDone {
			return metaValue{}, true
		}
		return metaValue{num: int64(m.Errno), hasNum: true, text: string(decode.AppendMessageErrno(nil, m))}, true
	case "seq":
		return metaValue{num: int64(m.Header.Sequence), hasNum: true}, true
	case "port":
		return metaValue{num: int64(m.Header.PortID), hasNum: true}, true
	case "request":
		return metaValue{text: m.Request}, true
	case "flags":
		return metaValue{num: int64(m.Header.Flags), hasNum: true, text: string(decode.AppendFlags(nil, m))}, true
	}
	return metaValue{}, false
}

func (n *testNode) compareMeta(name string, v metaValue, e *env) bool {
	if n.op == "" {
		return v.hasNum || v.text != ""
	}
	if name == "errno" {
		return n.compareErrno(v)
	}
	if name == "flags" && (n.op == "==" || n.op == "!=") && !n.isNum {
		// flags == dump: the flag is among the message's names.
		has := false
		for _, f := range strings.Split(v.text, ",") {
			if f == n.value {
				has = true
			}
		}
		return has == (n.op == "==")
	}
	if n.op == "~" {
		return n.re.MatchString(v.text)
	}
	if n.isNum && v.hasNum {
		return compareInts(v.num, n.op, n.num)
	}
	switch n.op {
	case "==":
		return v.text == n.value
	case "!=":
		return v.text != n.value
	}
	return false
}

// compareErrno compares an error reply's errno with a number (either
// sign) or a name ("EEXIST", "-EEXIST", a family's own such as
// IPSET_ERR_EXIST); a message that is no error reply has errno 0.
func (n *testNode) compareErrno(v metaValue) bool {
	code := v.num
	if code < 0 {
		code = -code
	}
	if n.op == "~" {
		return n.re.MatchString(v.text)
	}
	want := int64(-1)
	switch {
	case n.isNum:
		want = n.num
		if want < 0 {
			want = -want
		}
	case n.value == "0" || strings.EqualFold(n.value, "ok"):
		want = 0
	default:
		name := strings.TrimPrefix(n.value, "-")
		// The text is "-EEXIST (File exists)": its first word is the name.
		got := ""
		if f := strings.Fields(v.text); len(f) > 0 {
			got = strings.TrimPrefix(f[0], "-")
		}
		eq := v.hasNum && got == name
		switch n.op {
		case "==":
			return eq
		case "!=":
			return !eq
		}
		return false
	}
	return compareInts(code, n.op, want)
}

func compareInts(a int64, op string, b int64) bool {
	switch op {
	case "==":
		return a == b
	case "!=":
		return a != b
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case ">=":
		return a >= b
	}
	return false
}

func (n *testNode) compareField(e *env, f *decode.Field) bool {
	e.buf = decode.AppendValue(e.buf[:0], e.t, f)
	text := string(e.buf)
	switch f.Kind {
	case decode.KindString:
		text = string(e.t.Value(f))
	case decode.KindIP:
		a, ok := netip.AddrFromSlice(e.t.Value(f))
		if !ok {
			break
		}
		switch n.op {
		case "in":
			return n.prefix.Contains(a.Unmap())
		case "==", "!=":
			if n.addr.IsValid() {
				return (a.Unmap() == n.addr.Unmap()) == (n.op == "==")
			}
		}
	case decode.KindUint, decode.KindInt:
		if n.isNum {
			v := int64(f.Num)
			if f.Kind == decode.KindUint && f.Num > 1<<63-1 {
				return n.op == ">" || n.op == ">=" || n.op == "!="
			}
			return compareInts(v, n.op, n.num)
		}
		if f.Str != "" && (n.op == "==" || n.op == "!=") {
			// An interface index by its learned name.
			return (f.Str == n.value) == (n.op == "==")
		}
	}
	switch n.op {
	case "~":
		return n.re.MatchString(text)
	case "==":
		return text == n.value
	case "!=":
		return text != n.value
	}
	return false
}
