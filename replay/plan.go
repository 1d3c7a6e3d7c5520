package replay

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	unix "github.com/nltrace/nltrace/internal/linuxabi"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
)

// Plan is what a capture asks replay to do: the selected sends in capture
// order and the sockets they went through.
type Plan struct {
	Sends   []Send
	Sockets []Socket
	// Records is how many records the capture held.
	Records int
	// LoState says whether lo was up when the capture first showed it
	// (LoUp), if it did (LoKnown).
	LoKnown, LoUp bool
}

// Socket is one socket of the recorded program. Requests recorded on
// different sockets are replayed on different sockets.
type Socket struct {
	Protocol uint16
	// PortID, PID and Comm are as recorded; zero when the capture did not
	// say.
	PortID uint32
	PID    uint32
	Comm   string
}

// Send is one recorded send: one or more request messages that the kernel
// received together.
type Send struct {
	// Record is the record's number in the capture, counting from 1 as
	// Wireshark numbers frames.
	Record int
	// Time is when the send was recorded.
	Time   time.Time
	Socket int // index into Plan.Sockets
	// Data is the bytes as recorded; Run rewrites a copy.
	Data     []byte
	Requests []Request
	Rewrites []Rewrite
	// Links are the interfaces the send names (IFLA_IFNAME), in order;
	// LinkRef.Created marks the ones a RTM_NEWLINK with NLM_F_CREATE
	// makes.
	Links []LinkRef
}

// LinkRef is an interface a request names.
type LinkRef struct {
	Name    string
	Created bool
}

// Request is one request message of a Send.
type Request struct {
	// Off and Len place the message in Send.Data.
	Off, Len int
	Header   client.Header
	// Name is the message type's name ("RTM_NEWLINK"), or "type N".
	Name string
	// Dump says the request asks for a dump, which ends with NLMSG_DONE.
	Dump bool
	// Recorded is the outcome the capture holds.
	Recorded Outcome
	// attrs locate the request's attributes, to name the one an
	// extended ACK's offset points at.
	attrs []attrSpan
}

// attrSpan is an attribute of a request, by its offset in the message.
type attrSpan struct {
	off, len int
	depth    uint8
	name     string
}

// RewriteKind says what a rewritten value is.
type RewriteKind uint8

const (
	// RewriteIfindex is an interface index, rewritten by the interface's
	// name to its index in the replay namespace.
	RewriteIfindex RewriteKind = iota + 1
	// RewriteGenlFamily is a generic-netlink family id (nlmsg_type),
	// rewritten by the family's name to the kernel's id for it.
	RewriteGenlFamily
	// RewriteNetnsID is a network-namespace id. The value is kept: Run
	// gives each id that the requests use, but do not assign themselves,
	// a stand-in peer namespace with that id.
	RewriteNetnsID
	// RewriteNetnsRef is a process id or file descriptor that names a
	// network namespace (IFLA_NET_NS_PID, IFLA_NET_NS_FD, NETNSA_PID,
	// NETNSA_FD). It means nothing in the replaying process and could
	// name the host's namespace, so the attribute becomes a file
	// descriptor (FDType) of a stand-in namespace that the replay creates
	// and removes.
	RewriteNetnsRef
)

func (k RewriteKind) String() string {
	switch k {
	case RewriteIfindex:
		return "ifindex"
	case RewriteGenlFamily:
		return "genl family"
	case RewriteNetnsID:
		return "netns id"
	case RewriteNetnsRef:
		return "netns reference"
	}
	return "unknown(" + strconv.Itoa(int(k)) + ")"
}

// Rewrite is a value in Send.Data that depends on the namespace or the
// kernel it was recorded in.
type Rewrite struct {
	Kind RewriteKind
	// Off and Size place the value in Send.Data; BigEndian says its byte
	// order.
	Off, Size int
	BigEndian bool
	// Value is the recorded value.
	Value int64
	// Name is what the value stands for: the interface or family name, ""
	// when the capture never told it.
	Name string
	// Field names the value's place ("RTM_NEWADDR ifa_index").
	Field string
	// TypeOff is where the attribute's type is in Send.Data, and FDType
	// the file-descriptor attribute it becomes (RewriteNetnsRef only).
	TypeOff int
	FDType  uint16
}

// netnsRefs are the route attributes that name a namespace by process id
// or file descriptor, each with the file-descriptor attribute of its set.
var netnsRefs = map[string]uint16{
	"IFLA_NET_NS_PID": 28, // IFLA_NET_NS_FD
	"IFLA_NET_NS_FD":  28,
	"NETNSA_PID":      3, // NETNSA_FD
	"NETNSA_FD":       3,
}

// Selection narrows the requests of a capture. The zero value keeps every
// request.
type Selection struct {
	// First and Last bound the record numbers (from 1, inclusive); 0
	// leaves a side open.
	First, Last int
	// Keep, when set, is asked about each request message of a to-kernel
	// record (t holds the decoded record, i the message); a send is kept
	// when Keep keeps any of its messages, and is then replayed whole.
	Keep func(r *capture.Record, t *decode.Tree, i int) bool
	// Failed keeps only sends holding a request whose recorded outcome is
	// an error.
	Failed bool
}

// ErrNoRequests is returned by Load for a capture (or a selection) that
// holds no request to replay.
var ErrNoRequests = errors.New("no requests to replay")

// Load reads src to its end and returns the plan for the selected requests.
// reg decodes the records; it must be the registry the CLI decodes with
// (decode/families), since its schemas say which values to rewrite.
func Load(ctx context.Context, src capture.Source, reg *decode.Registry, sel *Selection) (*Plan, error) {
	if sel == nil {
		sel = &Selection{}
	}
	l := &loader{
		dec:     decode.NewDecoder(reg),
		plan:    &Plan{},
		sockets: map[socketKey]int{},
		pending: map[pendingKey]reqRef{},
	}
	// Show secrets: replay sends what was recorded, and the decoder must
	// not replace key material by a redaction note.
	l.dec.State().SetShowSecrets(true)
	var rec capture.Record
	for {
		err := src.ReadInto(ctx, &rec)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read capture: %w", err)
		}
		l.plan.Records++
		if err := l.record(&rec, sel); err != nil {
			return nil, err
		}
	}
	l.finish(sel)
	if len(l.plan.Sends) == 0 {
		return nil, fmt.Errorf("%d records read: %w", l.plan.Records, ErrNoRequests)
	}
	return l.plan, nil
}

type socketKey struct {
	proto uint16
	port  uint32
	pid   uint32
}

type pendingKey struct {
	proto     uint16
	port, seq uint32
}

type reqRef struct{ send, req int }

type loader struct {
	dec     *decode.Decoder
	tree    decode.Tree
	plan    *Plan
	sockets map[socketKey]int
	pending map[pendingKey]reqRef
	// dropped marks sends that the record range or Keep left out, whose
	// requests are still paired with their replies (and then dropped).
	selected []bool
	// unnamed are rewrites whose interface the stream had not named when
	// the request was sent; the names learned later fill them in.
	unnamed []rewriteRef
}

type rewriteRef struct{ send, rw int }

func isRequestRecord(r *capture.Record) bool {
	if r.Direction == capture.ToKernel {
		return true
	}
	if r.Direction != capture.DirectionUnknown || len(r.Data) < client.HeaderLen {
		return false
	}
	h, err := client.ParseHeader(r.Data)
	return err == nil && h.Flags&client.FlagRequest != 0
}

func (l *loader) record(r *capture.Record, sel *Selection) error {
	n := l.plan.Records
	t := &l.tree
	l.dec.Decode(t, r)
	if r.Group != 0 {
		return nil // a multicast notification answers no request
	}
	if !isRequestRecord(r) {
		l.replies(r, t)
		l.loState(r)
		return nil
	}
	inRange := (sel.First == 0 || n >= sel.First) && (sel.Last == 0 || n <= sel.Last)
	if !inRange {
		return nil
	}
	if r.Truncated() {
		return fmt.Errorf("record %d: the request was cut at the snap length (%d of %d bytes): it cannot be sent again; leave it out with the record range", n, len(r.Data), r.OrigLen)
	}
	keep := sel.Keep == nil
	s := Send{Record: n, Time: r.Time, Data: append([]byte(nil), r.Data...)}
	for i := range t.Messages {
		m := &t.Messages[i]
		if m.Trailing {
			continue
		}
		if m.Header.Length < client.HeaderLen || m.Len < int(m.Header.Length) {
			return fmt.Errorf("record %d: the bytes at offset %d are no whole netlink message (%d bytes), so they cannot be sent again; leave the record out with the record range", n, m.Off, m.Len)
		}
		if !keep && sel.Keep(r, t, i) {
			keep = true
		}
		req := Request{Off: m.Off, Len: m.Len, Header: m.Header, Name: messageName(m)}
		req.Dump = m.Header.Flags&client.FlagDump == client.FlagDump && (m.Op == decode.OpGet || m.Op == decode.OpOther)
		req.attrs = spans(t, i)
		l.rewrites(&s, r, t, i)
		s.Links = append(s.Links, linkNames(r, t, i)...)
		s.Requests = append(s.Requests, req)
	}
	if len(s.Requests) == 0 {
		return nil
	}
	s.Socket = l.socket(r, s.Requests[0].Header)
	idx := len(l.plan.Sends)
	l.plan.Sends = append(l.plan.Sends, s)
	l.selected = append(l.selected, keep)
	port := r.PortID
	for j, req := range s.Requests {
		p := port
		if p == 0 {
			p = req.Header.PortID
		}
		l.pending[pendingKey{r.Protocol, p, req.Header.Sequence}] = reqRef{idx, j}
	}
	return nil
}

func messageName(m *decode.Message) string {
	if m.Name != "" {
		return m.Name
	}
	return "type " + strconv.Itoa(int(m.Header.Type))
}

// spans lists the attributes of message i, with offsets from its start.
func spans(t *decode.Tree, i int) []attrSpan {
	m := &t.Messages[i]
	var out []attrSpan
	for _, f := range t.MessageFields(i) {
		if f.Has(decode.FieldHeader) && f.Depth == 0 && f.Name == "nlmsghdr" {
			continue
		}
		out = append(out, attrSpan{off: int(f.Off) - m.Off, len: int(f.Len), depth: f.Depth, name: string(decode.AppendName(nil, &f))})
	}
	return out
}

// socket returns the index of the recorded socket r was sent on.
func (l *loader) socket(r *capture.Record, h client.Header) int {
	k := socketKey{proto: r.Protocol, port: r.PortID}
	if k.port == 0 {
		k.port = h.PortID
	}
	if k.port == 0 {
		// Sent before the kernel assigned a port, and the capture could
		// not pair it: the process is the best guess at the socket.
		k.pid = r.PID
	}
	if i, ok := l.sockets[k]; ok {
		return i
	}
	i := len(l.plan.Sockets)
	l.plan.Sockets = append(l.plan.Sockets, Socket{Protocol: r.Protocol, PortID: k.port, PID: r.PID, Comm: r.Comm})
	l.sockets[k] = i
	return i
}

// rewrites notes the values of message i that depend on the namespace or
// the kernel.
func (l *loader) rewrites(s *Send, r *capture.Record, t *decode.Tree, i int) {
	m := &t.Messages[i]
	if int(r.Protocol) == client.ProtocolGeneric && m.Header.Type > client.GenlIDCtrl {
		name, _ := l.dec.State().GenlFamily(m.Header.Type)
		s.Rewrites = append(s.Rewrites, Rewrite{Kind: RewriteGenlFamily, Off: m.Off + 4, Size: 2, Value: int64(m.Header.Type), Name: name, Field: messageName(m) + " nlmsg_type"})
	}
	fields := t.MessageFields(i)
	for fi := range fields {
		f := &fields[fi]
		if fd, ok := netnsRefs[f.Name]; ok && int(r.Protocol) == client.ProtocolRoute && f.Has(decode.FieldAttr) && f.ValLen == 4 {
			s.Rewrites = append(s.Rewrites, Rewrite{Kind: RewriteNetnsRef, Off: int(f.ValOff), Size: 4, Value: int64(f.Num), Field: messageName(m) + " " + f.Name, TypeOff: int(f.Off) + 2, FDType: fd})
			continue
		}
		var kind RewriteKind
		switch f.Sem() {
		case decode.Ifindex:
			kind = RewriteIfindex
		case decode.NetnsID:
			kind = RewriteNetnsID
		default:
			continue
		}
		if f.Kind != decode.KindUint && f.Kind != decode.KindInt {
			continue
		}
		size := int(f.ValLen)
		if size != 2 && size != 4 {
			continue
		}
		v := t.Value(f)
		var native uint64
		if size == 2 {
			native = uint64(binary.NativeEndian.Uint16(v))
		} else {
			native = uint64(binary.NativeEndian.Uint32(v))
		}
		value := int64(int32(f.Num))
		if size == 2 {
			value = int64(int16(f.Num))
		}
		bigEndian := native != f.Num&(1<<(8*size)-1)
		if kind == RewriteIfindex && value <= 0 || kind == RewriteNetnsID && value < 0 {
			continue // no interface, no namespace: nothing to rewrite
		}
		rw := Rewrite{Kind: kind, Off: int(f.ValOff), Size: size, BigEndian: bigEndian, Value: value, Name: f.Str, Field: messageName(m) + " " + f.Name}
		s.Rewrites = append(s.Rewrites, rw)
		if kind == RewriteIfindex && rw.Name == "" {
			l.unnamed = append(l.unnamed, rewriteRef{send: len(l.plan.Sends), rw: len(s.Rewrites) - 1})
		}
	}
}

// linkNames lists the interface names message i of a route record gives.
func linkNames(r *capture.Record, t *decode.Tree, i int) []LinkRef {
	if int(r.Protocol) != client.ProtocolRoute {
		return nil
	}
	m := &t.Messages[i]
	create := m.Header.Type == rtmNewLink && m.Header.Flags&client.FlagCreate != 0
	var out []LinkRef
	for _, f := range t.MessageFields(i) {
		if f.Name == "IFLA_IFNAME" && f.Kind == decode.KindString {
			out = append(out, LinkRef{Name: string(t.Value(&f)), Created: create})
		}
	}
	return out
}

// rtmNewLink is RTM_NEWLINK.
const rtmNewLink = 16

// StubLinks returns the interfaces that the plan's requests refer to, by
// index or by name, but that no request of the plan creates, in order of
// first reference. The loopback interface exists in every namespace and
// is never listed.
func (p *Plan) StubLinks() []string {
	created := map[string]bool{"lo": true}
	seen := map[string]bool{}
	var out []string
	for _, s := range p.Sends {
		var names []string
		for _, rw := range s.Rewrites {
			if rw.Kind == RewriteIfindex && rw.Name != "" {
				names = append(names, rw.Name)
			}
		}
		for _, l := range s.Links {
			if l.Created {
				created[l.Name] = true
			} else {
				names = append(names, l.Name)
			}
		}
		for _, n := range names {
			if !created[n] && !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// namespaced are the netlink protocols whose requests act within the
// sender's network namespace. Others (audit, crypto, uevent, SELinux,
// SCSI, RDMA, ...) configure the whole host.
var namespaced = map[int]bool{
	client.ProtocolRoute:     true,
	client.ProtocolUsersock:  true,
	client.ProtocolSockDiag:  true,
	client.ProtocolXfrm:      true,
	client.ProtocolFibLookup: true,
	client.ProtocolNetfilter: true,
	client.ProtocolGeneric:   true,
}

// hostWideGenl reports generic-netlink families whose requests change
// host-wide state whatever the sender's namespace: NetLabel, the drop
// monitor, DPLL devices, thermal zones and vDPA devices.
func hostWideGenl(name string) bool {
	switch name {
	case "NLBL_MGMT", "NLBL_CIPSOv4", "NLBL_UNLBL", "NLBL_CALIPSO", "NET_DM", "dpll", "thermal", "vdpa":
		return true
	}
	return false
}

// Check refuses a plan whose requests would act beyond a network namespace:
// protocols that configure the whole host, and host-wide generic-netlink
// families.
func (p *Plan) Check() error {
	for _, s := range p.Sends {
		proto := int(p.Sockets[s.Socket].Protocol)
		if !namespaced[proto] {
			return fmt.Errorf("record %d: %s requests act on the whole host, not on one network namespace: replay refuses them (leave them out with --family)", s.Record, client.ProtocolName(proto))
		}
		for _, rw := range s.Rewrites {
			if rw.Kind == RewriteGenlFamily && hostWideGenl(rw.Name) {
				return fmt.Errorf("record %d: generic netlink family %s configures the whole host, not one network namespace: replay refuses it (leave it out with --records or --type)", s.Record, rw.Name)
			}
		}
	}
	return nil
}

// StandInNetnsIDs returns the netns ids that the requests use but do not
// assign themselves (RTM_NEWNSID), in order of first use: Run gives each a
// stand-in peer namespace.
func (p *Plan) StandInNetnsIDs() []int32 {
	assigned := map[int64]bool{}
	seen := map[int64]bool{}
	var used []int64
	for _, s := range p.Sends {
		for _, rw := range s.Rewrites {
			if rw.Kind != RewriteNetnsID {
				continue
			}
			if rw.Field == "RTM_NEWNSID NETNSA_NSID" {
				assigned[rw.Value] = true
			} else if !seen[rw.Value] {
				seen[rw.Value] = true
				used = append(used, rw.Value)
			}
		}
	}
	var out []int32
	for _, id := range used {
		if !assigned[id] {
			out = append(out, int32(id))
		}
	}
	return out
}

// loState notes lo's IFF_UP from the first link message about it that the
// kernel sent: the state the recorded program found.
func (l *loader) loState(r *capture.Record) {
	if l.plan.LoKnown || int(r.Protocol) != client.ProtocolRoute {
		return
	}
	var sc client.MessageScanner
	sc.Reset(r.Data)
	for sc.Next() {
		m := sc.Message()
		if m.Header.Type != rtmNewLink || len(m.Data) < 12 {
			continue
		}
		if int32(binary.NativeEndian.Uint32(m.Data[4:])) == 1 {
			l.plan.LoKnown = true
			l.plan.LoUp = binary.NativeEndian.Uint32(m.Data[8:])&unix.IFF_UP != 0
			return
		}
	}
}
