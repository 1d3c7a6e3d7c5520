package pipeline

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/decode/render"
)

// FormatNone renders nothing: only the sink and the summary see records.
const FormatNone = "none"

// Options are the filters, the format and the decoder's settings; zero
// values keep everything and print compact lines.
type Options struct {
	Filter
	Format string // compact, tree, hex, json; "" is compact; FormatNone prints nothing
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
	// Registry is what records are decoded with; nil is every family
	// nltrace knows (families.NewRegistry). nltrace --spec adds to it.
	Registry *decode.Registry
}

// Sink receives every record that passes the filters, raw (pcapng).
type Sink interface {
	Write(r *capture.Record) error
}

// NewDecoder returns a decoder of every family nltrace knows, set up as o
// says (generic-netlink lookups, secrets). Each stream needs its own.
func NewDecoder(o *Options) *decode.Decoder {
	reg := o.Registry
	if reg == nil {
		reg = families.NewRegistry()
	}
	d := decode.NewDecoder(reg)
	d.State().SetGenlLookup(o.GenlLookup)
	d.State().SetShowSecrets(o.ShowSecrets)
	return d
}

// Pipeline filters, decodes, renders and counts records.
type Pipeline struct {
	opts   Options
	format render.Format
	out    *bufio.Writer
	sink   Sink
	dec    *decode.Decoder
	tree   decode.Tree
	rec    *capture.Record // the record being rendered
	line   []byte
	extra  []byte // scratch for the record fields of a JSON line
	masked []byte // scratch for a message's bytes with its secrets zeroed

	// pending holds requests for --errors until their replies show whether
	// they failed.
	pending *decode.Pairs[*pendingRequest]
	// matchedRequests are requests --match kept, so their replies are
	// kept with them.
	matchedRequests *decode.Pairs[bool]

	counts Counts
}

type pendingRequest struct {
	text string
	dir  capture.Direction
	name string
	rec  *sharedRecord // the whole record, for the sink
}

// sharedRecord is a request record that several pending messages (a batch
// sent in one call) may point at; it goes to the sink at most once.
type sharedRecord struct {
	rec     capture.Record
	written bool
}

// maxPendingRequests bounds what --errors remembers; a stream of requests
// that never see replies must not grow without bound. The oldest are
// forgotten first.
const maxPendingRequests = 4096

// New returns a pipeline that writes text to w and kept records to sink
// (nil for none).
func New(w io.Writer, sink Sink, opts Options) (*Pipeline, error) {
	p := &Pipeline{
		opts:            opts,
		out:             bufio.NewWriterSize(w, 64<<10),
		sink:            sink,
		dec:             NewDecoder(&opts),
		pending:         decode.NewPairs[*pendingRequest](maxPendingRequests),
		matchedRequests: decode.NewPairs[bool](maxPendingRequests),
		counts:          NewCounts(),
	}
	switch opts.Format {
	case "":
		p.opts.Format = "compact"
	case FormatNone:
	default:
		f, err := render.ParseFormat(opts.Format)
		if err != nil {
			return nil, err
		}
		p.format = f
	}
	if err := CheckTypesIn(opts.Types, opts.Registry); err != nil {
		return nil, err
	}
	if p.opts.Format == FormatNone && !opts.RedactSecrets && opts.Match == nil && !opts.Errors {
		// Nothing reads the fields: the summary counts messages by name
		// and error, and the sink takes the records raw. Decoding the
		// fields was most of nltrace's CPU per record with -w.
		p.dec.State().SetMessagesOnly(true)
	}
	return p, nil
}

// CheckFormat rejects an unknown --format while flags are parsed, so that
// it is a usage error.
func CheckFormat(s string) error {
	if s == "" || s == FormatNone {
		return nil
	}
	_, err := render.ParseFormat(s)
	return err
}

// Handle filters, decodes and renders one record, and hands it to the sink
// when any of its messages was kept.
func (p *Pipeline) Handle(r *capture.Record) error {
	if !p.opts.Record(r) {
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
		p.counts.Inferred++
	}
	kept := false
	var held *sharedRecord
	for i := range t.Messages {
		m := &t.Messages[i]
		if m.Trailing {
			// Padding the kernel skips: shown, but not a message.
			if !p.opts.Errors && len(p.opts.Types) == 0 && p.opts.Match == nil {
				p.line = p.render(p.line[:0], i)
				p.writeText(p.line)
				kept = true
			}
			continue
		}
		if !p.opts.Type(m) || !p.matched(r, t, i) {
			continue
		}
		name := MessageName(m)
		p.line = p.render(p.line[:0], i)
		if !p.opts.Errors {
			p.counts.AddMessage(r.Direction, name, m)
			kept = true
			p.writeText(p.line)
			continue
		}
		// --errors: a request waits for its reply; only a failure prints
		// it, with the reply, and only what is printed is counted.
		if !(m.IsAck || m.IsDone) {
			if !isReply(r, m) {
				if held == nil && p.sink != nil {
					held = &sharedRecord{rec: r.Clone()}
				}
				p.pending.Put(decode.PairKey{Proto: r.Protocol, Port: portOf(r, m), Seq: m.Header.Sequence},
					&pendingRequest{text: string(p.line), dir: r.Direction, name: name, rec: held})
			}
			continue
		}
		req := p.answer(r.Protocol, portOf(r, m), m.Header.Sequence)
		if m.Errno == 0 {
			continue
		}
		if req != nil {
			p.writeText([]byte(req.text))
			p.counts.Add(req.dir, req.name, 0)
			if req.rec != nil && !req.rec.written {
				req.rec.written = true
				if err := p.sink.Write(&req.rec.rec); err != nil {
					return fmt.Errorf("write record: %w", err)
				}
			}
		}
		p.counts.AddMessage(r.Direction, name, m)
		kept = true
		p.writeText(p.line)
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

// writeText buffers whole lines: the buffer is written out before a line
// that does not fit, so no write(2) ends inside a line and whatever else
// writes to the same file (a traced program sharing the terminal's
// stderr) falls between lines, never inside one.
func (p *Pipeline) writeText(b []byte) {
	if len(b) > p.out.Available() && p.out.Buffered() > 0 {
		p.out.Flush()
	}
	p.out.Write(b)
}

// matched applies --match to message i of t: a message that satisfies
// the expression is kept, and so is a reply (ACK, error, DONE, dump part)
// to a request that did.
func (p *Pipeline) matched(r *capture.Record, t *decode.Tree, i int) bool {
	if p.opts.Match == nil {
		return true
	}
	m := &t.Messages[i]
	key := decode.PairKey{Proto: r.Protocol, Port: portOf(r, m), Seq: m.Header.Sequence}
	if p.opts.Match.Match(t, i) {
		if !isReply(r, m) && !m.IsAck && !m.IsDone {
			p.matchedRequests.Put(key, true)
		}
		return true
	}
	if !isReply(r, m) && !m.IsAck && !m.IsDone {
		return false
	}
	if m.IsAck || m.IsDone {
		// The last reply: forget the request.
		if _, ok := p.matchedRequests.Take(key); ok {
			return true
		}
		_, ok := p.matchedRequests.Take(decode.PairKey{Proto: r.Protocol, Seq: m.Header.Sequence})
		return ok
	}
	if _, ok := p.matchedRequests.Get(key); ok {
		return true
	}
	_, ok := p.matchedRequests.Get(decode.PairKey{Proto: r.Protocol, Seq: m.Header.Sequence})
	return ok
}

// portOf is the port id that pairs a message with its request or reply:
// the socket's, when the capture knows it, else the header's.
func portOf(r *capture.Record, m *decode.Message) uint32 {
	if r.PortID != 0 {
		return r.PortID
	}
	return m.Header.PortID
}

// answer removes and returns the request a reply answers. A request sent
// before the kernel assigned the socket's port id carries port 0 (nlmon
// sees only that), so port 0 is tried second.
func (p *Pipeline) answer(proto uint16, port, seq uint32) *pendingRequest {
	for _, k := range []decode.PairKey{{Proto: proto, Port: port, Seq: seq}, {Proto: proto, Port: 0, Seq: seq}} {
		if req, ok := p.pending.Take(k); ok {
			return req
		}
	}
	return nil
}

func (p *Pipeline) render(b []byte, i int) []byte {
	if p.opts.Format == FormatNone {
		return b
	}
	switch p.format {
	case render.Tree:
		return render.AppendTree(b, &p.tree, i)
	case render.Hex:
		return render.AppendHex(b, &p.tree, i)
	case render.Go:
		return render.AppendGo(b, &p.tree, i)
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
func (p *Pipeline) insertRecordJSON(b []byte, start, i int) []byte {
	r := p.rec
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
	x = hex.AppendEncode(x, p.maskSecrets(i))
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

// maskSecrets returns the bytes of message i with the values of its
// redacted fields zeroed, as --redact-secrets writes them: "bytes" must
// not show a key that the fields show as "<N bytes redacted>".
func (p *Pipeline) maskSecrets(i int) []byte {
	m := &p.tree.Messages[i]
	data := p.tree.Data[m.Off : m.Off+m.Len]
	masked := false
	for _, f := range p.tree.MessageFields(i) {
		if f.Kind != decode.KindRedacted {
			continue
		}
		if !masked {
			p.masked = append(p.masked[:0], data...)
			data, masked = p.masked, true
		}
		from := max(int(f.ValOff)-m.Off, 0)
		to := min(int(f.ValOff+f.ValLen)-m.Off, len(data))
		if from < to {
			clear(data[from:to])
		}
	}
	return data
}

// Flush writes out buffered text.
func (p *Pipeline) Flush() error {
	if err := p.out.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// Counts returns what the pipeline counted so far.
func (p *Pipeline) Counts() *Counts { return &p.counts }

// Summary writes the counts: messages per direction, the top types, errors
// by errno, and what the capture lost.
func (p *Pipeline) Summary(w io.Writer, st capture.Stats) { p.counts.Write(w, st) }

// NoteLoss hands the capture's loss counts to the sink, which records in
// the file where records went missing (pcapng statistics blocks).
func (p *Pipeline) NoteLoss(st capture.Stats) error {
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
func (p *Pipeline) Gap(lost uint64, atEnd bool, why string) error {
	if p.opts.Format == FormatNone {
		return nil
	}
	where := "here"
	if atEnd {
		where = "during the capture, the file does not say where"
	}
	switch p.format {
	case render.JSON:
		p.writeText(fmt.Appendf(nil, "{\"gap\":%d,\"where_known\":%t,\"reason\":%q}\n", lost, !atEnd, why))
	case render.Go:
		// A comment, so pasted fixtures still compile.
		p.writeText(fmt.Appendf(nil, "// --- %d records lost %s (%s) ---\n", lost, where, why))
	default:
		p.writeText(fmt.Appendf(nil, "--- %d records lost %s (%s) ---\n", lost, where, why))
	}
	if p.opts.LineBuffered {
		return p.Flush()
	}
	return nil
}
