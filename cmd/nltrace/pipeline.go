package main

// The output pipeline shared by live tracing (eBPF and nlmon) and
// `nltrace read`: records in, filters, one decoder, the dissector's
// renderers (decode/render), an optional raw-record sink, and a summary.
//
//	p, err := newPipeline(w, sink, pipelineOptions{Format: "compact"})
//	for each record: p.Handle(&rec)
//	p.Flush(); p.Summary(stderr, src.Stats())
//
// Because live capture and read run the same code on the same records, a
// file written with -w reads back to the same text as the live output.

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/decode/render"
)

// formatNone renders nothing: only the sink and the summary see records.
const formatNone = "none"

// pipelineOptions are the filters and the format; zero values keep
// everything and print compact lines.
type pipelineOptions struct {
	Format    string   // compact, tree, hex, json; "" is compact; "none" prints nothing
	Comm      string   // keep records of this command name; "" keeps all
	PID       uint32   // keep records of this process; 0 keeps all
	Protocols []uint16 // keep these netlink protocols; empty keeps all
	Types     []string // keep messages whose type name matches one of these globs
	Errors    bool     // keep only failed requests and their error replies
	// LineBuffered flushes the text after every record, for a terminal or
	// a pipe that someone watches; otherwise text is flushed in blocks.
	LineBuffered bool
	// GenlLookup names generic-netlink family ids the stream has not
	// named (the kernel's list, in a live trace); nil names only those.
	GenlLookup func(id uint16) (string, bool)
	// ShowSecrets shows key material in the text; by default it is
	// redacted ("<32 bytes redacted>").
	ShowSecrets bool
	// RedactSecrets zeroes key material in the records before they reach
	// the sink (-w --redact-secrets); the text is redacted either way
	// unless ShowSecrets.
	RedactSecrets bool
}

// recordSink receives every record that passes the filters, raw (pcapng).
type recordSink interface {
	Write(r *capture.Record) error
}

// pipeline filters, decodes, renders and counts records.
type pipeline struct {
	opts   pipelineOptions
	format render.Format
	out    *bufio.Writer
	sink   recordSink
	dec    *decode.Decoder
	tree   decode.Tree
	rec    *capture.Record // the record being rendered
	line   []byte
	extra  []byte // scratch for the record fields of a JSON line
	protos map[uint16]bool

	// pending holds requests for --errors until their replies show whether
	// they failed.
	pending map[requestKey]*pendingRequest

	// Summary counters.
	toKernel, fromKernel, unknownDir uint64
	inferred                         uint64 // records whose direction was guessed
	types                            map[string]uint64
	errnos                           map[int32]uint64
}

// requestKey pairs a reply with its request the way the kernel does: by
// the socket's port id and the sequence number.
type requestKey struct {
	proto     uint16
	port, seq uint32
}

type pendingRequest struct {
	text string
	rec  *sharedRecord // the whole record, for the sink
}

// sharedRecord is a request record that several pending messages (a batch
// sent in one call) may point at; it goes to the sink at most once.
type sharedRecord struct {
	rec     capture.Record
	written bool
}

// newRegistry returns the protocol families nltrace decodes.
func newRegistry() *decode.Registry {
	return families.NewRegistry()
}

func newPipeline(w io.Writer, sink recordSink, opts pipelineOptions) (*pipeline, error) {
	p := &pipeline{
		opts:    opts,
		out:     bufio.NewWriterSize(w, 64<<10),
		sink:    sink,
		dec:     decode.NewDecoder(newRegistry()),
		pending: map[requestKey]*pendingRequest{},
		types:   map[string]uint64{},
		errnos:  map[int32]uint64{},
	}
	p.dec.State().SetGenlLookup(opts.GenlLookup)
	p.dec.State().SetShowSecrets(opts.ShowSecrets)
	switch opts.Format {
	case "":
		p.opts.Format = "compact"
	case formatNone:
	default:
		f, err := render.ParseFormat(opts.Format)
		if err != nil {
			return nil, err
		}
		p.format = f
	}
	if err := checkTypes(opts.Types); err != nil {
		return nil, err
	}
	if len(opts.Protocols) > 0 {
		p.protos = map[uint16]bool{}
		for _, pr := range opts.Protocols {
			p.protos[pr] = true
		}
	}
	return p, nil
}

// Handle filters, decodes and renders one record, and hands it to the sink
// when any of its messages was kept.
func (p *pipeline) Handle(r *capture.Record) error {
	if p.opts.Comm != "" && r.Comm != p.opts.Comm ||
		p.opts.PID != 0 && r.PID != p.opts.PID ||
		p.protos != nil && !p.protos[r.Protocol] {
		return nil
	}
	// Durations (dump times) come from wall-clock readings, as a file
	// stores them, not from the monotonic clock a live time.Now carries:
	// otherwise a file could read back a microsecond off the live text.
	r.Time = r.Time.Round(0)
	p.dec.Decode(&p.tree, r)
	p.rec = r
	t := &p.tree
	if p.opts.RedactSecrets && p.sink != nil {
		// The tree aliases r.Data, so this zeroes the record that the
		// sink writes; the text below shows the zeroed bytes only with
		// --show-secrets.
		decode.RedactSecrets(t)
	}
	if t.Meta.Family == "" {
		// Families without a schema still print under their own name.
		t.Meta.Family = client.ProtocolName(int(r.Protocol))
	}
	if r.DirectionInferred {
		p.inferred++
	}
	kept := false
	var held *sharedRecord
	for i := range t.Messages {
		m := &t.Messages[i]
		if m.Trailing {
			// Padding the kernel skips: shown, but not a message.
			if !p.opts.Errors && len(p.opts.Types) == 0 {
				p.line = p.render(p.line[:0], i)
				p.out.Write(p.line)
				kept = true
			}
			continue
		}
		name := messageName(m)
		if !p.typeWanted(m, name) {
			continue
		}
		switch r.Direction {
		case capture.ToKernel:
			p.toKernel++
		case capture.FromKernel:
			p.fromKernel++
		default:
			p.unknownDir++
		}
		p.types[name]++
		if (m.IsAck || m.IsDone) && m.Errno != 0 {
			p.errnos[m.Errno]++
		}
		p.line = p.render(p.line[:0], i)
		if !p.opts.Errors {
			kept = true
			p.out.Write(p.line)
			continue
		}
		if !(m.IsAck || m.IsDone) {
			if !isReply(r, m) {
				if held == nil && p.sink != nil {
					held = &sharedRecord{rec: r.Clone()}
				}
				p.hold(requestKey{r.Protocol, portOf(r, m), m.Header.Sequence}, &pendingRequest{text: string(p.line), rec: held})
			}
			continue
		}
		req := p.answer(r.Protocol, portOf(r, m), m.Header.Sequence)
		if m.Errno == 0 {
			continue
		}
		if req != nil {
			p.out.WriteString(req.text)
			if req.rec != nil && !req.rec.written {
				req.rec.written = true
				if err := p.sink.Write(&req.rec.rec); err != nil {
					return fmt.Errorf("write record: %w", err)
				}
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
	if p.opts.LineBuffered || p.out.Buffered() > 32<<10 {
		return p.Flush()
	}
	return nil
}

// isReply says a message that is neither an ACK nor a DONE came from the
// kernel as an answer or notification rather than as a request.
func isReply(r *capture.Record, m *decode.Message) bool {
	switch r.Direction {
	case capture.ToKernel:
		return false
	case capture.FromKernel:
		return true
	}
	return m.Header.Flags&client.FlagRequest == 0
}

// portOf is the port id that pairs a message with its request or reply:
// the socket's, when the capture knows it, else the header's.
func portOf(r *capture.Record, m *decode.Message) uint32 {
	if r.PortID != 0 {
		return r.PortID
	}
	return m.Header.PortID
}

// maxPendingRequests bounds what --errors remembers; a stream of requests
// that never see replies must not grow without bound.
const maxPendingRequests = 4096

func (p *pipeline) hold(k requestKey, req *pendingRequest) {
	if len(p.pending) >= maxPendingRequests {
		clear(p.pending)
	}
	p.pending[k] = req
}

// answer removes and returns the request a reply answers. A request sent
// before the kernel assigned the socket's port id carries port 0 (nlmon
// sees only that), so port 0 is tried second.
func (p *pipeline) answer(proto uint16, port, seq uint32) *pendingRequest {
	for _, k := range []requestKey{{proto, port, seq}, {proto, 0, seq}} {
		if req, ok := p.pending[k]; ok {
			delete(p.pending, k)
			return req
		}
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

func (p *pipeline) render(b []byte, i int) []byte {
	if p.opts.Format == formatNone {
		return b
	}
	switch p.format {
	case render.Tree:
		return render.AppendTree(b, &p.tree, i)
	case render.Hex:
		return render.AppendHex(b, &p.tree, i)
	case render.JSON:
		start := len(b)
		b = render.AppendJSON(b, &p.tree, i)
		return p.insertRecordJSON(b, start, i)
	}
	return render.AppendCompact(b, &p.tree, i)
}

// insertRecordJSON adds to the JSON object that starts at b[start] what
// the capture knows about the record and the dissector does not: thread,
// namespace, the socket's port id (the header's is "port"), multicast
// group, capture method, whether the direction was inferred or the
// message cut short, and the message's bytes in hex. These names are as
// stable as the dissector's:
//
//	"tid", "netns", "port_id", "group" (when not 0), "method",
//	"direction_inferred" (when true), "truncated" (when true), "bytes"
func (p *pipeline) insertRecordJSON(b []byte, start, i int) []byte {
	r, m := p.rec, &p.tree.Messages[i]
	x := p.extra[:0]
	x = append(x, `"tid":`...)
	x = strconv.AppendUint(x, uint64(r.TID), 10)
	x = append(x, `,"netns":`...)
	x = strconv.AppendUint(x, r.NetNS, 10)
	x = append(x, `,"port_id":`...)
	x = strconv.AppendUint(x, uint64(r.PortID), 10)
	if r.Group != 0 {
		x = append(x, `,"group":`...)
		x = strconv.AppendUint(x, uint64(r.Group), 10)
	}
	x = append(x, `,"method":"`...)
	x = append(x, r.Method.String()...)
	x = append(x, '"')
	if r.DirectionInferred {
		x = append(x, `,"direction_inferred":true`...)
	}
	if r.Truncated() && i == len(p.tree.Messages)-1 {
		x = append(x, `,"truncated":true`...)
	}
	x = append(x, `,"bytes":"`...)
	x = hex.AppendEncode(x, p.tree.Data[m.Off:m.Off+m.Len])
	x = append(x, `",`...)
	p.extra = x
	if start >= len(b) || b[start] != '{' {
		return b // not an object: leave the dissector's line alone
	}
	n := len(x)
	b = append(b, x...)
	copy(b[start+1+n:], b[start+1:len(b)-n])
	copy(b[start+1:], x)
	return b
}

// Flush writes out buffered text.
func (p *pipeline) Flush() error {
	if err := p.out.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// Summary writes the counts: messages per direction, the top types, errors
// by errno, and what the capture lost.
func (p *pipeline) Summary(w io.Writer, st capture.Stats) {
	fmt.Fprintf(w, "nltrace: %d messages: %d to kernel, %d from kernel", p.toKernel+p.fromKernel+p.unknownDir, p.toKernel, p.fromKernel)
	if p.unknownDir > 0 {
		fmt.Fprintf(w, ", %d of unknown direction", p.unknownDir)
	}
	fmt.Fprintln(w)
	if p.inferred > 0 {
		fmt.Fprintf(w, "  directions of %d records were inferred from message headers (nlmon records carry none)\n", p.inferred)
	}
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
			fmt.Fprintf(w, "  %8s %d more types\n", "...", len(top)-10)
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
		sort.Slice(es, func(i, j int) bool {
			if p.errnos[es[i]] != p.errnos[es[j]] {
				return p.errnos[es[i]] > p.errnos[es[j]]
			}
			return es[i] < es[j]
		})
		for _, e := range es {
			fmt.Fprintf(w, "  %8d %s\n", p.errnos[e], errnoText(e))
		}
	}
	fmt.Fprintf(w, "records: %d, dropped: %d (ring buffer full %d, other losses %d", st.Records, st.Dropped(), st.RingFull, st.LostWakeup)
	if st.Recorded > 0 {
		fmt.Fprintf(w, ", lost when the capture file was written %d", st.Recorded)
	}
	fmt.Fprintf(w, "), truncated: %d\n", st.Truncated)
}

// NoteLoss hands the capture's loss counts to the sink, which records in
// the file where records went missing (pcapng statistics blocks).
func (p *pipeline) NoteLoss(st capture.Stats) error {
	if ls, ok := p.sink.(interface{ WriteLoss(capture.Stats) error }); ok {
		if err := ls.WriteLoss(st); err != nil {
			return fmt.Errorf("write record: %w", err)
		}
	}
	return nil
}

// Gap marks, in the text, where a capture file says records were lost:
// a line in the text forms, an object with "gap" in JSON.
// atEnd says the file does not say where they were lost.
func (p *pipeline) Gap(lost uint64, atEnd bool, why string) error {
	if p.opts.Format == formatNone {
		return nil
	}
	where := "here"
	if atEnd {
		where = "during the capture, the file does not say where"
	}
	if p.format == render.JSON {
		fmt.Fprintf(p.out, "{\"gap\":%d,\"where_known\":%t,\"reason\":%q}\n", lost, !atEnd, why)
	} else {
		fmt.Fprintf(p.out, "--- %d records lost %s (%s) ---\n", lost, where, why)
	}
	if p.opts.LineBuffered {
		return p.Flush()
	}
	return nil
}

// errnoText names an errno as the kernel sends it (negative), whichever
// sign it was counted with.
func errnoText(e int32) string {
	if e > 0 {
		e = -e
	}
	return string(decode.AppendErrno(nil, e))
}

// parseFamilies turns "route,xfrm" (names, NETLINK_* names or numbers) into
// protocol numbers.
func parseFamilies(s string) ([]uint16, error) {
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

// checkFormat rejects an unknown --format while flags are parsed, so that
// it is a usage error.
func checkFormat(s string) error {
	if s == "" || s == formatNone {
		return nil
	}
	_, err := render.ParseFormat(s)
	return err
}

// checkTypes rejects a bad --type glob while flags are parsed, so that it
// is a usage error.
func checkTypes(globs []string) error {
	for _, g := range globs {
		if _, err := path.Match(g, ""); err != nil {
			return fmt.Errorf("bad --type pattern %q: %w", g, err)
		}
	}
	return nil
}

// maxComm is the length the kernel keeps of a command name (TASK_COMM_LEN
// less the terminating NUL).
const maxComm = 15

// checkComm turns a --comm name into what records carry: the kernel keeps
// the first 15 bytes of a command name, so a longer name would never match.
// The note, if not empty, says what is matched instead.
func checkComm(name string) (comm, note string) {
	if len(name) <= maxComm {
		return name, ""
	}
	comm = name[:maxComm]
	return comm, fmt.Sprintf("--comm: the kernel keeps %d bytes of a command name: matching %q", maxComm, comm)
}

// parseTypes splits a --type list of globs.
func parseTypes(s string) []string {
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

// createPrivate creates or truncates an output file readable by its owner
// only: a capture or its text holds whatever key material crossed netlink
// (xfrm SAs, WireGuard keys), and tcpdump's world-readable default would
// hand it to every local user.
func createPrivate(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
}
