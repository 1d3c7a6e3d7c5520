// Package match is the --match filter language: expressions over the
// decoded fields of a message and the process that sent or received it,
// such as `IFLA_IFNAME == "v0"`, `RTA_DST in 10.0.0.0/8`,
// `errno == EEXIST` or `comm ~ "^kube" && !(type == RTM_GETLINK)`. The CLI
// and the TUI's filter bar parse the same language with Parse.
//
// Grammar (whitespace between tokens is free):
//
//	expr    = and { "||" and }
//	and     = unary { "&&" unary }
//	unary   = "!" unary | "(" expr ")" | test
//	test    = operand [ op value ]      a bare operand tests presence
//	op      = "==" | "!=" | "<" | "<=" | ">" | ">=" | "~" | "in"
//	operand = NAME { "/" NAME }         an attribute or header member, at any
//	                                    depth; a path names its parents
//	        | comm | pid | type | family | dir | errno | seq | port | request | flags
//	value   = "string" | number | word  (an enum or flag name, an errno name,
//	                                    an address, a prefix for "in")
//
// A field test holds when any field of the message with that name (or
// path) satisfies it. "~" matches a regular expression against the value
// as the text forms show it.
package match

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

// Error is a syntax error, with the 1-based column where it was found.
type Error struct {
	Expr   string
	Column int
	Msg    string
}

func (e *Error) Error() string {
	return fmt.Sprintf("column %d: %s\n  %s\n  %s^", e.Column, e.Msg, e.Expr, strings.Repeat(" ", max(e.Column-1, 0)))
}

type tokKind uint8

const (
	tEOF tokKind = iota
	tLParen
	tRParen
	tNot
	tAnd
	tOr
	tOp     // comparison operator, text in s
	tString // quoted, unquoted in s
	tWord
)

type token struct {
	kind tokKind
	s    string
	col  int
}

func isWordByte(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '(', ')', '!', '&', '|', '=', '<', '>', '~', '"':
		return false
	}
	return true
}

func lex(src string) ([]token, error) {
	var toks []token
	for i := 0; i < len(src); {
		c := src[i]
		col := i + 1
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{tLParen, "(", col})
			i++
		case c == ')':
			toks = append(toks, token{tRParen, ")", col})
			i++
		case c == '&' || c == '|':
			if i+1 >= len(src) || src[i+1] != c {
				return nil, &Error{src, col, fmt.Sprintf("%q must be doubled (%c%c)", c, c, c)}
			}
			k := tAnd
			if c == '|' {
				k = tOr
			}
			toks = append(toks, token{k, src[i : i+2], col})
			i += 2
		case c == '!':
			if i+1 < len(src) && src[i+1] == '=' {
				toks = append(toks, token{tOp, "!=", col})
				i += 2
			} else {
				toks = append(toks, token{tNot, "!", col})
				i++
			}
		case c == '=':
			if i+1 >= len(src) || src[i+1] != '=' {
				return nil, &Error{src, col, `use "==" to compare`}
			}
			toks = append(toks, token{tOp, "==", col})
			i += 2
		case c == '<' || c == '>':
			op := string(c)
			if i+1 < len(src) && src[i+1] == '=' {
				op += "="
			}
			toks = append(toks, token{tOp, op, col})
			i += len(op)
		case c == '~':
			toks = append(toks, token{tOp, "~", col})
			i++
		case c == '"':
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				return nil, &Error{src, col, "string is not closed"}
			}
			s, err := strconv.Unquote(src[i : j+1])
			if err != nil {
				return nil, &Error{src, col, "bad string: " + err.Error()}
			}
			toks = append(toks, token{tString, s, col})
			i = j + 1
		default:
			j := i
			for j < len(src) && isWordByte(src[j]) {
				j++
			}
			w := src[i:j]
			if w == "in" {
				toks = append(toks, token{tOp, "in", col})
			} else {
				toks = append(toks, token{tWord, w, col})
			}
			i = j
		}
	}
	return append(toks, token{tEOF, "", len(src) + 1}), nil
}

// node is a parsed expression.
type node interface{ eval(*env) bool }

type orNode struct{ l, r node }
type andNode struct{ l, r node }
type notNode struct{ x node }

// testNode compares an operand with a value, or tests presence when op is
// "".
type testNode struct {
	path  []string // operand, split at "/"
	op    string
	value string
	// Pre-parsed forms of value.
	num    int64
	isNum  bool
	prefix netip.Prefix
	addr   netip.Addr
	re     *regexp.Regexp
}

func (n orNode) eval(e *env) bool  { return n.l.eval(e) || n.r.eval(e) }
func (n andNode) eval(e *env) bool { return n.l.eval(e) && n.r.eval(e) }
func (n notNode) eval(e *env) bool { return !n.x.eval(e) }

// Expr is a parsed --match expression.
type Expr struct {
	src  string
	root node
}

// String returns the expression as it was written.
func (x *Expr) String() string { return x.src }

// Parse parses a --match expression.
func Parse(src string) (*Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	if p.peek().kind == tEOF {
		return nil, &Error{src, 1, "empty expression"}
	}
	root, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, &Error{src, t.col, fmt.Sprintf("unexpected %q", t.s)}
	}
	return &Expr{src: src, root: root}, nil
}

type parser struct {
	src  string
	toks []token
	pos  int
}

func (p *parser) peek() token { return p.toks[p.pos] }
func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

func (p *parser) or() (node, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tOr {
		p.next()
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = orNode{l, r}
	}
	return l, nil
}

func (p *parser) and() (node, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tAnd {
		p.next()
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = andNode{l, r}
	}
	return l, nil
}

func (p *parser) unary() (node, error) {
	t := p.next()
	switch t.kind {
	case tNot:
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return notNode{x}, nil
	case tLParen:
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tRParen {
			return nil, &Error{p.src, c.col, "expected \")\""}
		}
		return x, nil
	case tWord:
		return p.test(t)
	case tEOF:
		return nil, &Error{p.src, t.col, "expression ends where a field name was expected"}
	}
	return nil, &Error{p.src, t.col, fmt.Sprintf("expected a field name, found %q", t.s)}
}

func (p *parser) test(name token) (node, error) {
	n := &testNode{path: strings.Split(name.s, "/")}
	for _, seg := range n.path {
		if seg == "" {
			return nil, &Error{p.src, name.col, "empty name in the path " + strconv.Quote(name.s)}
		}
	}
	if p.peek().kind != tOp {
		return n, nil
	}
	op := p.next()
	v := p.next()
	if v.kind != tString && v.kind != tWord {
		return nil, &Error{p.src, v.col, fmt.Sprintf("expected a value after %q", op.s)}
	}
	n.op, n.value = op.s, v.s
	if i, err := strconv.ParseInt(v.s, 0, 64); err == nil && v.kind == tWord {
		n.num, n.isNum = i, true
	} else if u, err := strconv.ParseUint(v.s, 0, 64); err == nil && v.kind == tWord {
		n.num, n.isNum = int64(u), true
	}
	switch op.s {
	case "~":
		re, err := regexp.Compile(v.s)
		if err != nil {
			return nil, &Error{p.src, v.col, "bad regular expression: " + err.Error()}
		}
		n.re = re
	case "in":
		pf, err := netip.ParsePrefix(v.s)
		if err != nil {
			return nil, &Error{p.src, v.col, fmt.Sprintf("%q is not an address prefix such as 10.0.0.0/8", v.s)}
		}
		n.prefix = pf.Masked()
	case "<", "<=", ">", ">=":
		if !n.isNum {
			return nil, &Error{p.src, v.col, fmt.Sprintf("%q compares numbers; %q is not one", op.s, v.s)}
		}
	}
	if a, err := netip.ParseAddr(v.s); err == nil {
		n.addr = a
	}
	return n, nil
}
