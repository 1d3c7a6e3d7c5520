package replay

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
)

// Outcome is what the kernel answered one request.
type Outcome struct {
	// Answered says a reply was seen: an ACK, an error, a reply message or
	// the end of a dump. A request without NLM_F_ACK that succeeds gets no
	// answer.
	Answered bool `json:"answered"`
	// Acked says an NLMSG_ERROR came (an ACK when Errno is 0).
	Acked bool `json:"acked"`
	// Errno is the error the kernel gave (positive), 0 for none.
	Errno int32 `json:"errno"`
	// ErrnoText names it as the decoder does, with a family's own codes
	// (ipset's 4096 and up) by their names: "-EEXIST (File exists)".
	ErrnoText string `json:"errno_text,omitempty"`
	// ExtAck says the answer carried extended-ACK attributes; the socket
	// that was recorded may not have asked for them.
	ExtAck bool `json:"extack"`
	// ExtAckMessage is the kernel's text; ExtAckAttr names the attribute
	// it pointed at ("IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_VXLAN_ID") or the
	// required one it missed ("missing attribute 3").
	ExtAckMessage string `json:"extack_message,omitempty"`
	ExtAckAttr    string `json:"extack_attr,omitempty"`
	// Done says an NLMSG_DONE ended a dump.
	Done bool `json:"done"`
	// Replies counts reply messages (dump parts, the answer to a get);
	// Keys holds the key attributes of each, in order.
	Replies int      `json:"replies"`
	Keys    []string `json:"keys,omitempty"`
	// TimedOut says the replay waited for an answer that did not come.
	TimedOut bool `json:"timed_out,omitempty"`
	// SendError is why the kernel refused the send itself (sendmsg
	// failed), "" when it took it.
	SendError string `json:"send_error,omitempty"`
}

// String sums the outcome up: "ack", "EEXIST", "3 replies, done", "no
// answer".
func (o Outcome) String() string {
	var parts []string
	if o.Errno != 0 {
		e := o.errnoText()
		if o.ExtAckMessage != "" {
			e += " \"" + o.ExtAckMessage + "\""
		}
		if o.ExtAckAttr != "" {
			e += " at " + o.ExtAckAttr
		}
		parts = append(parts, e)
	} else if o.Acked {
		parts = append(parts, "ack")
	}
	if o.Replies > 0 || o.Done {
		parts = append(parts, plural(o.Replies, "reply", "replies"))
	}
	if o.Done && o.Errno == 0 {
		parts = append(parts, "done")
	}
	if o.TimedOut {
		parts = append(parts, "timed out")
	}
	if o.SendError != "" {
		parts = append(parts, "send failed: "+o.SendError)
	}
	if len(parts) == 0 {
		return "no answer"
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Diff lists how replayed differs from recorded, empty when they match.
// Extended-ACK text is compared only when the recorded answer carried it:
// replay always asks for extended ACKs, the recorded program may not have.
func Diff(recorded, replayed Outcome) []string {
	var d []string
	if recorded.Errno != replayed.Errno {
		d = append(d, "errno: recorded "+recorded.errnoText()+", replayed "+replayed.errnoText())
	} else if recorded.Acked != replayed.Acked {
		d = append(d, "ack: recorded "+yesNo(recorded.Acked)+", replayed "+yesNo(replayed.Acked))
	}
	if recorded.ExtAck {
		if recorded.ExtAckMessage != replayed.ExtAckMessage {
			d = append(d, "extack message: recorded "+strconv.Quote(recorded.ExtAckMessage)+", replayed "+strconv.Quote(replayed.ExtAckMessage))
		}
		if recorded.ExtAckAttr != replayed.ExtAckAttr {
			d = append(d, "extack attribute: recorded "+orNone(recorded.ExtAckAttr)+", replayed "+orNone(replayed.ExtAckAttr))
		}
	}
	if recorded.Done != replayed.Done {
		d = append(d, "dump done: recorded "+yesNo(recorded.Done)+", replayed "+yesNo(replayed.Done))
	}
	if recorded.Replies != replayed.Replies {
		d = append(d, "replies: recorded "+strconv.Itoa(recorded.Replies)+", replayed "+strconv.Itoa(replayed.Replies))
	}
	for i := 0; i < len(recorded.Keys) && i < len(replayed.Keys); i++ {
		if recorded.Keys[i] != replayed.Keys[i] {
			d = append(d, "reply "+strconv.Itoa(i+1)+": recorded "+recorded.Keys[i]+", replayed "+replayed.Keys[i])
			break
		}
	}
	if replayed.SendError != recorded.SendError {
		d = append(d, "send: recorded "+orNone(recorded.SendError)+", replayed "+orNone(replayed.SendError))
	}
	if replayed.TimedOut && !recorded.TimedOut {
		d = append(d, "replay timed out waiting for the answer")
	}
	return d
}

func (o Outcome) errnoText() string {
	switch {
	case o.Errno == 0:
		return "0"
	case o.ErrnoText != "":
		return o.ErrnoText
	}
	return string(decode.AppendErrno(nil, -o.Errno))
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// answer records message i of t, a reply to req, in o.
func answer(o *Outcome, req *Request, t *decode.Tree, i int, names func(int32) (string, bool)) (finished bool) {
	m := &t.Messages[i]
	body := t.Data[m.Off+client.HeaderLen : m.Off+m.Len]
	o.Answered = true
	switch m.Header.Type {
	case client.TypeError:
		em, _ := client.ParseErrorMessage(m.Header.Flags, body)
		o.Acked = true
		o.Errno = -em.Errno
		if o.Errno != 0 {
			o.ErrnoText = string(decode.AppendMessageErrno(nil, m))
		}
		o.ExtAck = em.AckOffset >= 0
		setExtAck(o, req, em.Ack)
		return true
	case client.TypeDone:
		dm, _ := client.ParseDoneMessage(m.Header.Flags, body)
		o.Done = true
		o.Errno = -dm.Errno
		if o.Errno != 0 {
			o.ErrnoText = string(decode.AppendMessageErrno(nil, m))
		}
		o.ExtAck = dm.AckOffset >= 0
		setExtAck(o, req, dm.Ack)
		return true
	}
	o.Replies++
	o.Keys = append(o.Keys, replyKey(t, i, names))
	return false
}

func setExtAck(o *Outcome, req *Request, a client.ExtendedAck) {
	o.ExtAckMessage = a.Message
	switch {
	case a.HasOffset:
		o.ExtAckAttr = req.attrPath(int(a.Offset))
	case a.HasMissingType:
		o.ExtAckAttr = "missing attribute " + strconv.FormatUint(uint64(a.MissingType), 10)
	}
}

// attrPath names the deepest attribute of the request that holds byte off
// (counted from the request's nlmsghdr), with its ancestors: the same name
// for the recorded and the rewritten bytes, which differ only in values.
func (r *Request) attrPath(off int) string {
	best := -1
	for i, a := range r.attrs {
		if a.off <= off && off < a.off+a.len {
			best = i
		}
	}
	if best < 0 {
		if off < client.HeaderLen {
			return "nlmsghdr"
		}
		return "offset " + strconv.Itoa(off)
	}
	var chain []string
	depth := int(r.attrs[best].depth) + 1
	for i := best; i >= 0; i-- {
		if int(r.attrs[i].depth) < depth {
			chain = append(chain, r.attrs[i].name)
			depth = int(r.attrs[i].depth)
		}
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return strings.Join(chain, "/")
}

// replyKey sums up reply message i by what identifies the object it
// describes: its type, the interfaces it names and its top-level text and
// address attributes. Counters, MAC addresses and other values that differ
// between any two namespaces are left out, and an IPv6 link-local address
// (made from a random MAC) counts only as link-local. names names the
// interfaces the decoder had not named when it decoded the reply: the
// recorded and the replayed stream each say what they learned, so the two
// keys name the same interfaces.
func replyKey(t *decode.Tree, i int, names func(int32) (string, bool)) string {
	m := &t.Messages[i]
	b := []byte(messageName(m))
	for _, f := range t.MessageFields(i) {
		top := f.Depth == 0 && f.Has(decode.FieldAttr)
		member := f.Depth == 1 && !f.Has(decode.FieldAttr)
		if !top && !member {
			continue
		}
		if member && f.Sem() != decode.Ifindex {
			continue // header members: only the interface
		}
		if senderIdentity[f.Name] {
			continue
		}
		var v string
		switch {
		case f.Sem() == decode.Ifindex:
			if f.Num == 0 {
				continue
			}
			v = f.Str
			if v == "" {
				if n, ok := names(int32(f.Num)); ok {
					v = n
				} else {
					v = "?"
				}
			}
		case f.Kind == decode.KindString:
			v = strconv.Quote(string(t.Value(&f)))
		case f.Kind == decode.KindIP:
			a, ok := netip.AddrFromSlice(t.Value(&f))
			if !ok {
				continue
			}
			if a.Is6() && a.IsLinkLocalUnicast() {
				v = "fe80::(link-local)"
			} else {
				v = a.String()
			}
		default:
			continue
		}
		b = append(b, ' ')
		b = append(b, f.Name...)
		b = append(b, '=')
		b = append(b, v...)
	}
	return string(b)
}

// senderIdentity are reply attributes that name the process asking, which
// replay is not.
var senderIdentity = map[string]bool{
	"NFTA_GEN_PROC_NAME": true,
}

// replies pairs the messages of a from-kernel record with the requests
// they answer.
func (l *loader) replies(r *capture.Record, t *decode.Tree) {
	for i := range t.Messages {
		m := &t.Messages[i]
		if m.Trailing || m.Len < client.HeaderLen {
			continue
		}
		port := r.PortID
		if port == 0 {
			port = m.Header.PortID
		}
		k := pendingKey{r.Protocol, port, m.Header.Sequence}
		ref, ok := l.pending[k]
		if !ok {
			k.port = 0
			if ref, ok = l.pending[k]; !ok {
				continue
			}
		}
		req := &l.plan.Sends[ref.send].Requests[ref.req]
		if answer(&req.Recorded, req, t, i, l.dec.State().Ifname) {
			delete(l.pending, k)
		}
	}
}

// finish fills in names learned after the requests that needed them and
// applies the selections that depend on outcomes.
func (l *loader) finish(sel *Selection) {
	st := l.dec.State()
	for _, ref := range l.unnamed {
		rw := &l.plan.Sends[ref.send].Rewrites[ref.rw]
		if n, ok := st.Ifname(int32(rw.Value)); ok {
			rw.Name = n
		}
	}
	// Families the stream named only after the request (a program that
	// resolved the id before the capture began, then again).
	for si := range l.plan.Sends {
		for ri := range l.plan.Sends[si].Rewrites {
			rw := &l.plan.Sends[si].Rewrites[ri]
			if rw.Kind == RewriteGenlFamily && rw.Name == "" {
				rw.Name, _ = st.GenlFamily(uint16(rw.Value))
			}
		}
	}
	kept := l.plan.Sends[:0]
	for si, s := range l.plan.Sends {
		if !l.selected[si] {
			continue
		}
		if sel.Failed && !anyFailed(s.Requests) {
			continue
		}
		kept = append(kept, s)
	}
	l.plan.Sends = kept
	// Keep only the sockets still used, numbered in order of first use.
	renum := map[int]int{}
	var socks []Socket
	for i := range l.plan.Sends {
		s := &l.plan.Sends[i]
		n, ok := renum[s.Socket]
		if !ok {
			n = len(socks)
			renum[s.Socket] = n
			socks = append(socks, l.plan.Sockets[s.Socket])
		}
		s.Socket = n
	}
	l.plan.Sockets = socks
}

func anyFailed(reqs []Request) bool {
	for _, r := range reqs {
		if r.Recorded.Errno != 0 {
			return true
		}
	}
	return false
}

// Expects says whether the request must be answered: it asked for an ACK
// or a dump.
func (r *Request) Expects() bool {
	return r.Header.Flags&client.FlagAck != 0 || r.Dump
}
