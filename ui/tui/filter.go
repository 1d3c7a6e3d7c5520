package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nltrace/nltrace/pipeline"
	"github.com/nltrace/nltrace/pipeline/match"
)

// filter is what the filter bar keeps: the CLI's filters (family=, type=,
// comm=, pid=, errors), in the CLI's meaning (pipeline.Filter), plus free
// words that must all appear in a message's row, case-insensitively.
// Further kinds of term (a --match expression) plug in as fields here and
// a clause in model.matches.
type filter struct {
	expr  string
	pf    pipeline.Filter
	words []string // lower case
}

// filterHelp says what the filter bar takes.
const filterHelp = "family=route,generic type=RTM_*LINK comm=ip pid=123 errors, words to find, and last match=EXPR (--match)"

// parseFilter reads a filter bar expression: space-separated terms, each
// key=value (also key:value) or a word; "quoted words" keep their spaces.
// match= takes the rest of the bar: an expression of the --match language
// (pipeline/match), which has spaces and quotes of its own.
func parseFilter(expr string) (*filter, error) {
	f := &filter{expr: strings.TrimSpace(expr)}
	rest := f.expr
	if i := matchTerm(rest); i >= 0 {
		x, err := match.Parse(strings.TrimSpace(rest[i+len("match="):]))
		if err != nil {
			return nil, fmt.Errorf("match=: %w", err)
		}
		f.pf.Match = x
		rest = rest[:i]
	}
	terms, err := splitTerms(rest)
	if err != nil {
		return nil, err
	}
	for _, t := range terms {
		k, v, ok := cutTerm(t)
		if !ok {
			if t == "errors" {
				f.pf.Errors = true
				continue
			}
			f.words = append(f.words, strings.ToLower(t))
			continue
		}
		switch k {
		case "family":
			p, err := pipeline.ParseFamilies(v)
			if err != nil {
				return nil, err
			}
			f.pf.Protocols = append(f.pf.Protocols, p...)
		case "type":
			types := pipeline.ParseTypes(v)
			if err := pipeline.CheckTypes(types); err != nil {
				return nil, err
			}
			f.pf.Types = append(f.pf.Types, types...)
		case "comm":
			f.pf.Comm, _ = pipeline.CheckComm(v)
		case "pid", "p":
			n, err := strconv.ParseUint(v, 10, 32)
			if err != nil || n == 0 {
				return nil, fmt.Errorf("pid=%s: not a process id", v)
			}
			f.pf.PID = uint32(n)
		case "errors":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return nil, fmt.Errorf("errors=%s: say errors, errors=true or errors=false", v)
			}
			f.pf.Errors = b
		default:
			return nil, fmt.Errorf("unknown filter %q (%s)", k, filterHelp)
		}
	}
	return f, nil
}

// cutTerm splits key=value or key:value when key is a filter name; "a:b"
// words that are not filters (an address) stay words.
func cutTerm(t string) (k, v string, ok bool) {
	i := strings.IndexAny(t, "=:")
	if i <= 0 {
		return "", "", false
	}
	k, v = strings.ToLower(t[:i]), t[i+1:]
	switch k {
	case "family", "type", "comm", "pid", "p", "errors":
		return k, v, true
	}
	if t[i] == '=' {
		return k, v, true // an unknown filter: say so
	}
	return "", "", false
}

func splitTerms(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' {
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				return nil, fmt.Errorf("unterminated quote in %q", s)
			}
			out = append(out, s[1:1+end])
			s = s[2+end:]
			continue
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out, nil
}

// matchTerm finds where a match= term starts, at the start of the bar or
// after a space, or returns -1.
func matchTerm(s string) int {
	for i := 0; ; {
		j := strings.Index(s[i:], "match=")
		if j < 0 {
			return -1
		}
		if i+j == 0 || s[i+j-1] == ' ' {
			return i + j
		}
		i += j + 1
	}
}
