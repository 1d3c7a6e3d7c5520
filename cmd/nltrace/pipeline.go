package main

// The output pipeline shared by live tracing and `nltrace read`: records in,
// filters, decoding, a renderer, and a summary.
//
//	p, err := newPipeline(w, pipelineOptions{Format: "compact"})
//	for each record: p.Handle(&rec)
//	p.Summary(stderr, src.Stats())

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/rtnl"
)

// pipelineOptions are the filters and the format; zero values keep
// everything and print compact lines.
type pipelineOptions struct {
	Format    string   // compact, tree, hex, json; "" is compact; "none" prints nothing
	Comm      string   // keep records of this command name; "" keeps all
	Protocols []uint16 // keep these netlink protocols; empty keeps all
	Types     []string // keep messages whose type name matches one of these globs
	Errors    bool     // keep only failed requests and their error replies
}

// recordSink receives every record that passes the filters, raw (pcapng).
type recordSink interface {
	Write(r *capture.Record) error
}

// pipeline filters, decodes, renders and counts records.
type pipeline struct {
	opts   pipelineOptions
	out    *bufio.Writer
	sink   recordSink
	dec    *decode.Decoder
	tree   decode.Tree
	line   []byte
	protos map[uint16]bool
	pnames map[uint16]string

	// pending holds failed-request candidates for --errors: requests by
	// (port id, sequence) until their reply shows whether they failed.
	pending map[requestKey]string

	// Summary counters.
	toKernel, fromKernel uint64
	types                map[string]uint64
	errnos               map[int32]uint64
}

type requestKey struct {
	pid, port, seq uint32
}

func newPipeline(w io.Writer, sink recordSink, opts pipelineOptions) (*pipeline, error) {
	switch opts.Format {
	case "":
		opts.Format = "compact"
	case "compact", "tree", "hex", "json", "none":
	default:
		return nil, fmt.Errorf("unknown format %q (want compact, tree, hex or json)", opts.Format)
	}
	for _, g := range opts.Types {
		if _, err := path.Match(g, ""); err != nil {
			return nil, fmt.Errorf("bad --type pattern %q: %w", g, err)
		}
	}
	p := &pipeline{
		opts:    opts,
		out:     bufio.NewWriterSize(w, 64<<10),
		sink:    sink,
		dec:     decode.NewDecoder(decode.NewRegistry(rtnl.Family())),
		pending: map[requestKey]string{},
		types:   map[string]uint64{},
		errnos:  map[int32]uint64{},
		pnames:  map[uint16]string{},
	}
	for name, v := range protocolNames() {
		p.pnames[v] = name
	}
	if len(opts.Protocols) > 0 {
		p.protos = map[uint16]bool{}
		for _, pr := range opts.Protocols {
			p.protos[pr] = true
		}
	}
	return p, nil
}

// Handle filters, decodes and renders one record.
func (p *pipeline) Handle(r *capture.Record) error {
	if p.opts.Comm != "" && r.Comm != p.opts.Comm {
		return nil
	}
	if p.protos != nil && !p.protos[r.Protocol] {
		return nil
	}
	p.dec.Decode(&p.tree, r)
	t := &p.tree
	kept := false
	for i := range t.Messages {
		m := &t.Messages[i]
		name := messageName(m)
		if !p.typeWanted(m, name) {
			continue
		}
		if r.Direction == capture.FromKernel {
			p.fromKernel++
		} else {
			p.toKernel++
		}
		p.types[name]++
		if m.IsAck || m.IsDone {
			if m.Errno != 0 {
				p.errnos[m.Errno]++
			}
		}
		p.line = p.render(p.line[:0], r, i)
		if p.opts.Errors {
			key := requestKey{r.PID, r.PortID, m.Header.Sequence}
			if r.Direction != capture.FromKernel {
				if len(p.pending) > 4096 {
					clear(p.pending)
				}
				p.pending[key] = string(p.line)
				continue
			}
			if !(m.IsAck || m.IsDone) || m.Errno == 0 {
				continue
			}
			if req, ok := p.pending[key]; ok {
				p.out.WriteString(req)
				delete(p.pending, key)
			}
		}
		kept = true
		p.out.Write(p.line)
	}
	if kept && p.sink != nil {
		if err := p.sink.Write(r); err != nil {
			return fmt.Errorf("write record: %w", err)
		}
	}
	if p.out.Buffered() > 32<<10 {
		return p.Flush()
	}
	return nil
}

func (p *pipeline) typeWanted(m *decode.Message, name string) bool {
	if len(p.opts.Types) == 0 {
		return true
	}
	// Replies to a wanted request are kept with it.
	for _, name := range []string{name, m.Request} {
		for _, g := range p.opts.Types {
			if ok, _ := path.Match(g, name); ok {
				return true
			}
		}
	}
	return false
}

func messageName(m *decode.Message) string {
	if m.Name != "" {
		return m.Name
	}
	return fmt.Sprintf("type %d", m.Header.Type)
}

// Flush writes out buffered text.
func (p *pipeline) Flush() error {
	if err := p.out.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

func (p *pipeline) render(b []byte, r *capture.Record, i int) []byte {
	switch p.opts.Format {
	case "none":
		return b
	case "json":
		return p.renderJSON(b, r, i)
	}
	b = p.renderCompact(b, r, i)
	m := &p.tree.Messages[i]
	switch p.opts.Format {
	case "tree":
		for _, f := range p.tree.MessageFields(i) {
			f := f
			b = append(b, "    "...)
			for range f.Depth {
				b = append(b, "  "...)
			}
			b = decode.AppendName(b, &f)
			b = append(b, ' ')
			b = decode.AppendValue(b, &p.tree, &f)
			b = append(b, '\n')
		}
	case "hex":
		b = append(b, hex.Dump(p.tree.Data[m.Off:m.Off+m.Len])...)
	}
	return b
}

func (p *pipeline) renderCompact(b []byte, r *capture.Record, i int) []byte {
	m := &p.tree.Messages[i]
	b = r.Time.AppendFormat(b, "15:04:05.000000")
	b = fmt.Appendf(b, " %s(%d) %s %s %s ", r.Comm, r.PID, r.Direction.Arrow(), p.protocolName(r.Protocol), messageName(m))
	b = decode.AppendFlags(b, m)
	b = fmt.Appendf(b, " seq=%d", m.Header.Sequence)
	if r.Group != 0 {
		b = fmt.Appendf(b, " group=%d", r.Group)
	}
	if m.IsAck {
		if m.Request != "" {
			b = fmt.Appendf(b, " for %s", m.Request)
		}
		b = append(b, ": "...)
		b = decode.AppendErrno(b, m.Errno)
	} else if m.IsDone && m.Errno != 0 {
		b = append(b, " "...)
		b = decode.AppendErrno(b, m.Errno)
	}
	if r.Truncated() && i == len(p.tree.Messages)-1 {
		b = fmt.Appendf(b, " (truncated: %d of %d bytes)", len(r.Data), r.OrigLen)
	}
	return append(b, '\n')
}

type jsonMessage struct {
	Time      string `json:"time"`
	PID       uint32 `json:"pid"`
	TID       uint32 `json:"tid"`
	Comm      string `json:"comm"`
	Direction string `json:"direction"`
	Protocol  string `json:"protocol"`
	NetNS     uint64 `json:"netns"`
	PortID    uint32 `json:"port_id"`
	Group     uint32 `json:"group,omitempty"`
	Type      string `json:"type"`
	Flags     uint16 `json:"flags"`
	Seq       uint32 `json:"seq"`
	Errno     int32  `json:"errno,omitempty"`
	Request   string `json:"request,omitempty"`
	Bytes     string `json:"bytes"`
	Truncated bool   `json:"truncated,omitempty"`
}

func (p *pipeline) renderJSON(b []byte, r *capture.Record, i int) []byte {
	m := &p.tree.Messages[i]
	j := jsonMessage{
		Time: r.Time.UTC().Format("2006-01-02T15:04:05.000000000Z"), PID: r.PID, TID: r.TID, Comm: r.Comm,
		Direction: r.Direction.String(), Protocol: p.protocolName(r.Protocol), NetNS: r.NetNS, PortID: r.PortID,
		Group: r.Group, Type: messageName(m), Flags: m.Header.Flags, Seq: m.Header.Sequence, Errno: m.Errno,
		Request: m.Request, Bytes: hex.EncodeToString(p.tree.Data[m.Off : m.Off+m.Len]),
		Truncated: m.Len < int(m.Header.Length),
	}
	out, err := json.Marshal(j)
	if err != nil {
		return fmt.Appendf(b, "{\"error\":%q}\n", err.Error())
	}
	return append(append(b, out...), '\n')
}

// Summary writes the counts: messages per direction, the top types, errors
// by errno, and what the capture lost.
func (p *pipeline) Summary(w io.Writer, st capture.Stats) {
	fmt.Fprintf(w, "nltrace: %d messages: %d to kernel, %d from kernel\n", p.toKernel+p.fromKernel, p.toKernel, p.fromKernel)
	type count struct {
		name string
		n    uint64
	}
	var top []count
	for k, v := range p.types {
		top = append(top, count{k, v})
	}
	sort.Slice(top, func(i, j int) bool {
		if top[i].n != top[j].n {
			return top[i].n > top[j].n
		}
		return top[i].name < top[j].name
	})
	for i, c := range top {
		if i == 10 {
			break
		}
		fmt.Fprintf(w, "  %8d %s\n", c.n, c.name)
	}
	if len(p.errnos) > 0 {
		fmt.Fprintln(w, "errors:")
		var es []int32
		for e := range p.errnos {
			es = append(es, e)
		}
		sort.Slice(es, func(i, j int) bool { return p.errnos[es[i]] > p.errnos[es[j]] })
		for _, e := range es {
			fmt.Fprintf(w, "  %8d %s\n", p.errnos[e], errnoText(e))
		}
	}
	fmt.Fprintf(w, "records: %d, dropped: %d (ring buffer full %d, unreadable %d), truncated: %d\n",
		st.Records, st.Dropped(), st.RingFull, st.LostWakeup, st.Truncated)
}

func errnoText(e int32) string {
	n := unix.Errno(-e)
	if e > 0 {
		n = unix.Errno(e)
	}
	name := unix.ErrnoName(n)
	if name == "" {
		name = fmt.Sprintf("errno %d", int(n))
	}
	return fmt.Sprintf("-%s (%s)", name, n.Error())
}

// protocolNames are the netlink protocols by the names --family takes.
func protocolNames() map[string]uint16 {
	return map[string]uint16{
		"route": unix.NETLINK_ROUTE, "usersock": unix.NETLINK_USERSOCK, "firewall": unix.NETLINK_FIREWALL,
		"sock_diag": unix.NETLINK_SOCK_DIAG, "nflog": unix.NETLINK_NFLOG, "xfrm": unix.NETLINK_XFRM,
		"selinux": unix.NETLINK_SELINUX, "iscsi": unix.NETLINK_ISCSI, "audit": unix.NETLINK_AUDIT,
		"fib_lookup": unix.NETLINK_FIB_LOOKUP, "connector": unix.NETLINK_CONNECTOR,
		"netfilter": unix.NETLINK_NETFILTER, "ip6_fw": unix.NETLINK_IP6_FW, "dnrtmsg": unix.NETLINK_DNRTMSG,
		"kobject_uevent": unix.NETLINK_KOBJECT_UEVENT, "generic": unix.NETLINK_GENERIC,
		"scsitransport": unix.NETLINK_SCSITRANSPORT, "ecryptfs": unix.NETLINK_ECRYPTFS,
		"rdma": unix.NETLINK_RDMA, "crypto": unix.NETLINK_CRYPTO, "smc": unix.NETLINK_SMC,
	}
}

func (p *pipeline) protocolName(proto uint16) string {
	if name, ok := p.pnames[proto]; ok {
		return name
	}
	return fmt.Sprintf("protocol(%d)", proto)
}

// parseFamilies turns "route,xfrm" into protocol numbers.
func parseFamilies(s string) ([]uint16, error) {
	if s == "" {
		return nil, nil
	}
	names := protocolNames()
	var out []uint16
	for _, f := range strings.Split(s, ",") {
		v, ok := names[strings.TrimSpace(f)]
		if !ok {
			return nil, fmt.Errorf("unknown netlink family %q", f)
		}
		out = append(out, v)
	}
	return out, nil
}
