package pipeline

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/pipeline/match"
)

// Filter is what the CLI's filter flags keep. The zero value keeps
// everything.
type Filter struct {
	Comm      string   // keep records of this command name; "" keeps all
	PID       uint32   // keep records of this process; 0 keeps all
	Protocols []uint16 // keep these netlink protocols; empty keeps all
	Types     []string // keep messages whose type name matches one of these globs
	Errors    bool     // keep only failed requests and their error replies
	// Match keeps the messages whose decoded fields satisfy it (--match),
	// and the replies to requests it kept; nil keeps all.
	Match *match.Expr
}

// Record reports whether the record-level filters (command, process,
// protocol) keep r.
func (f *Filter) Record(r *capture.Record) bool {
	if f.Comm != "" && r.Comm != f.Comm || f.PID != 0 && r.PID != f.PID {
		return false
	}
	if len(f.Protocols) == 0 {
		return true
	}
	for _, p := range f.Protocols {
		if p == r.Protocol {
			return true
		}
	}
	return false
}

// Type reports whether the type globs keep m. A reply (an ACK, a DONE) is
// kept with its request: it matches when the request's name does.
func (f *Filter) Type(m *decode.Message) bool {
	if len(f.Types) == 0 {
		return true
	}
	return f.TypeNamed(MessageName(m), m.Request)
}

// TypeNamed is Type for a message named name whose request, for a reply,
// is named request ("" for none).
func (f *Filter) TypeNamed(name, request string) bool {
	if len(f.Types) == 0 {
		return true
	}
	for _, g := range f.Types {
		if ok, _ := path.Match(g, name); ok {
			return true
		}
		if request != "" {
			if ok, _ := path.Match(g, request); ok {
				return true
			}
		}
	}
	return false
}

// MessageName is the name a message is filtered and counted by: its type
// name, or "type N" when the decoder has none.
func MessageName(m *decode.Message) string {
	if m.Name != "" {
		return m.Name
	}
	return "type " + strconv.Itoa(int(m.Header.Type))
}

// ParseFamilies turns "route,xfrm" (names, NETLINK_* names or numbers) into
// protocol numbers.
func ParseFamilies(s string) ([]uint16, error) {
	if s == "" {
		return nil, nil
	}
	var out []uint16
	for _, f := range strings.Split(s, ",") {
		v, err := client.ParseProtocol(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("--family: %w", err)
		}
		out = append(out, uint16(v))
	}
	return out, nil
}

// ParseTypes splits a --type list of globs.
func ParseTypes(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, g := range strings.Split(s, ",") {
		if g = strings.TrimSpace(g); g != "" {
			out = append(out, g)
		}
	}
	return out
}

// CheckTypes rejects a --type glob that is not a valid pattern, or that
// matches no message type name nltrace knows (families.TypeNames), which
// would otherwise silently filter out everything.
func CheckTypes(globs []string) error { return CheckTypesIn(globs, nil) }

// CheckTypesIn is CheckTypes for records decoded with reg (nil is every
// built-in family), so that names a --spec family adds are known too.
func CheckTypesIn(globs []string, reg *decode.Registry) error {
	var names []string
	for _, g := range globs {
		if _, err := path.Match(g, ""); err != nil {
			return fmt.Errorf("bad --type pattern %q: %w", g, err)
		}
		if names == nil {
			names = append(families.TypeNames(), reg.TypeNames()...)
		}
		if !matchesAny(g, names) {
			return noMatchError(g, names)
		}
	}
	return nil
}

func matchesAny(g string, names []string) bool {
	for _, n := range names {
		if ok, _ := path.Match(g, n); ok {
			return true
		}
	}
	// Messages the decoder cannot name are "type N", and base types
	// without a name "NLMSG type N".
	if g != "" && !strings.ContainsRune("*?[\\tN", rune(g[0])) {
		return false
	}
	for t := 0; t <= 0xffff; t++ {
		if ok, _ := path.Match(g, "type "+strconv.Itoa(t)); ok {
			return true
		}
		if t < int(client.TypeMinReserved) {
			if ok, _ := path.Match(g, "NLMSG type "+strconv.Itoa(t)); ok {
				return true
			}
		}
	}
	return false
}

func noMatchError(g string, names []string) error {
	hint := "type names are the kernel's (RTM_NEWLINK, NLMSG_ERROR; a generic-netlink family's name, nl80211), matched whole: RTM_*LINK"
	if up := strings.ToUpper(g); up != g && matchesAny(up, names) {
		hint = fmt.Sprintf("names are case-sensitive: did you mean %q?", up)
	}
	return fmt.Errorf("--type %q matches no message type nltrace knows (%s)", g, hint)
}

// MaxComm is the length the kernel keeps of a command name (TASK_COMM_LEN
// less the terminating NUL).
const MaxComm = 15

// CheckComm turns a --comm name into what records carry: the kernel keeps
// the first 15 bytes of a command name, so a longer name would never match.
// The note, if not empty, says what is matched instead.
func CheckComm(name string) (comm, note string) {
	if len(name) <= MaxComm {
		return name, ""
	}
	comm = name[:MaxComm]
	return comm, fmt.Sprintf("--comm: the kernel keeps %d bytes of a command name: matching %q", MaxComm, comm)
}
