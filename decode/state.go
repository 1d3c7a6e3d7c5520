package decode

import (
	"maps"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// State is what a Decoder remembers about one stream of records. It is
// exported so that family lookups (generic netlink) can read and extend it.
type State struct {
	ifnames map[int32]string
	genl    map[uint16]string
	// genlLookup asks elsewhere (the kernel, in a live trace) for a
	// family id the stream has not named; nil asks nothing.
	genlLookup func(id uint16) (string, bool)
	pending    *Pairs[*pending]
	// showSecrets decodes Secret values as bytes instead of redacting them.
	showSecrets bool
	// messagesOnly skips the fields of family message bodies.
	messagesOnly bool
	// namesGen counts changes to ifnames and genl, so that CopyNames can
	// tell whether its copy is stale.
	namesGen uint64
	// copiedFrom and copiedGen say which state's names, as of which
	// change, CopyNames last copied.
	copiedFrom *State
	copiedGen  uint64
	// dir is the direction of the message being decoded, for IsRequest.
	dir capture.Direction
	// learned holds facts family hooks found in the stream, keyed by a
	// namespace and a key joined by NUL; key is scratch for building keys.
	learned map[string]string
	key     []byte
}

// maxLearned bounds the facts remembered by Learn; when full, the table
// starts over (facts are hints for naming, relearned from later messages).
const maxLearned = 4096

// maxPending bounds the requests remembered while waiting for replies; the
// oldest are forgotten first. A stream that never sees replies (a capture
// of sends only) must not grow without bound.
const maxPending = 4096

// maxSavedRequest bounds the request bytes kept for mapping the offset of a
// capped extended ACK.
const maxSavedRequest = 64 << 10

type pending struct {
	name  string // request type name
	mt    *MessageType
	dump  bool
	time  time.Time
	count int
	bytes []byte // the request, header included, up to maxSavedRequest
	// batch and batchLen place the request in its nfnetlink batch.
	batch, batchLen int
}

func newState() State {
	return State{
		ifnames: make(map[int32]string),
		// The controller's id is fixed by the kernel; every other family's
		// is learned.
		genl:    map[uint16]string{unix.GENL_ID_CTRL: "nlctrl"},
		pending: NewPairs[*pending](maxPending),
	}
}

// Ifname returns the interface name learned for index i.
func (s *State) Ifname(i int32) (string, bool) {
	n, ok := s.ifnames[i]
	return n, ok
}

// LearnIfname records that interface index i is named name. It does not
// allocate when the name is already known.
func (s *State) LearnIfname(i int32, name []byte) {
	if old, ok := s.ifnames[i]; ok && old == string(name) {
		return
	}
	s.ifnames[i] = string(name)
	s.namesGen++
}

// GenlFamily returns the generic-netlink family name learned for id.
func (s *State) GenlFamily(id uint16) (string, bool) {
	n, ok := s.genl[id]
	if !ok && s.genlLookup != nil {
		if n, ok = s.genlLookup(id); ok {
			s.genl[id] = n
			s.namesGen++
		}
	}
	return n, ok
}

// SetGenlLookup sets how a generic-netlink family id that the stream has
// not named is looked up. A live trace asks the kernel, which knows the
// families a program resolved before the trace began; a capture file read
// elsewhere must not, because ids are handed out as families register.
func (s *State) SetGenlLookup(lookup func(id uint16) (string, bool)) {
	s.genlLookup = lookup
}

// LearnGenlFamily records that generic-netlink id is family name, as a
// CTRL_CMD_NEWFAMILY message or a kernel query said.
func (s *State) LearnGenlFamily(id uint16, name string) {
	if old, ok := s.genl[id]; ok && old == name {
		return
	}
	s.genl[id] = name
	s.namesGen++
}

// IsRequest reports whether the message with header h, which a family's
// Lookup is resolving, goes to the kernel: the record's direction says so,
// a request echoed in an ACK is one, and without a direction a message
// with NLM_F_REQUEST set is taken as one. Families whose commands are
// numbered apart by direction (ethtool) dispatch on it.
func (s *State) IsRequest(h client.Header) bool {
	switch s.dir {
	case capture.ToKernel:
		return true
	case capture.FromKernel:
		return false
	}
	return h.Flags&client.FlagRequest != 0
}

// Learn records a fact a family's hook found in the stream, such as the
// type of an ipset set by its name (namespace "ipset.type", key the set
// name), for hooks that decode later messages. It does not allocate when
// the fact is already known.
func (s *State) Learn(ns string, key, value []byte) {
	s.key = append(append(append(s.key[:0], ns...), 0), key...)
	if old, ok := s.learned[string(s.key)]; ok && old == string(value) {
		return
	}
	if s.learned == nil || len(s.learned) >= maxLearned {
		s.learned = make(map[string]string)
	}
	s.learned[string(s.key)] = string(value)
}

// Learned returns a fact recorded by Learn.
func (s *State) Learned(ns string, key []byte) (string, bool) {
	s.key = append(append(append(s.key[:0], ns...), 0), key...)
	v, ok := s.learned[string(s.key)]
	return v, ok
}

// SetShowSecrets says whether values the schemas mark Secret are shown
// (true) or redacted (false, the default).
func (s *State) SetShowSecrets(show bool) { s.showSecrets = show }

// SetMessagesOnly says whether the decoder fills only the Message entries of
// a Tree (types, names, flags, errors and their extended ACKs, dump and
// batch pairing) and skips the fields of the messages' headers and bodies,
// which are most of the decoding's cost. A caller that shows no text and
// filters on no field (nltrace -w, counting the summary) needs no more.
// What a body teaches the stream (interface names, ipset types) is not
// learned then.
func (s *State) SetMessagesOnly(only bool) { s.messagesOnly = only }

// ShowSecrets reports whether Secret values are shown.
func (s *State) ShowSecrets() bool { return s.showSecrets }

// Request returns the bytes (nlmsghdr included, possibly cut at 64 KiB) of
// the request of protocol proto that a reply addressed to port with
// sequence number seq answers, or nil when the stream has not seen it. Families whose replies
// do not say what they hold use it: a sock_diag reply's INET_DIAG_INFO is
// a tcp_info or an mptcp_info by the protocol the request asked for.
func (s *State) Request(proto int, port, seq uint32) []byte {
	if p, _ := s.findPending(proto, port, seq); p != nil {
		return p.bytes
	}
	return nil
}

// Pending returns the number of requests waiting for replies.
func (s *State) Pending() int { return s.pending.Len() }

func (s *State) addPending(k PairKey, p *pending) { s.pending.Put(k, p) }

// findPending looks a reply's request up: by the protocol, the socket's
// port id and the sequence number, then with port 0 (a request sent before
// the kernel assigned the port carries nlmsg_pid 0).
func (s *State) findPending(proto int, port, seq uint32) (*pending, PairKey) {
	k := PairKey{uint16(proto), port, seq}
	if p, ok := s.pending.Get(k); ok {
		return p, k
	}
	k.Port = 0
	if p, ok := s.pending.Get(k); ok {
		return p, k
	}
	return nil, k
}

func (s *State) donePending(k PairKey) { s.pending.Take(k) }

// CopyNames replaces the names s has learned (interface names, generic
// netlink family ids) with those from has learned. A viewer that decodes
// records out of order (the TUI) uses a decoder of its own, whose pairing
// must not disturb the stream's, and copies the names the stream's decoder
// learned in order. Copying again after nothing changed costs nothing.
func (s *State) CopyNames(from *State) {
	if s.copiedFrom == from && s.copiedGen == from.namesGen {
		return
	}
	s.ifnames = maps.Clone(from.ifnames)
	s.genl = maps.Clone(from.genl)
	s.copiedFrom, s.copiedGen = from, from.namesGen
	s.namesGen++ // a copy of s is stale now
}

// ForgetPending forgets every request waiting for its reply, so that
// decoding a request and then its reply out of the stream's order pairs
// them with each other only.
func (s *State) ForgetPending() { s.pending = NewPairs[*pending](maxPending) }
