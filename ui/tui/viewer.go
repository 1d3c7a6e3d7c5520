package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/pipeline"
)

// viewer decodes, on demand, the records whose messages are on screen. It
// has a decoder of its own: decoding out of the stream's order must not
// disturb the stream decoder's pairing. It copies the names the stream's
// decoder learned (interface and generic-netlink names), forgets pending
// requests before each record, and decodes a reply's request first so that
// an extended ACK's offset finds the attribute it names.
type viewer struct {
	st    *store
	dec   *decode.Decoder
	trees map[uint32]*decode.Tree
	order []uint32 // cached records, oldest first
	rows  map[int32]string
	buf   []byte
	spare decode.Tree
}

// maxTrees and maxRows bound the caches: a screen needs a few dozen.
const (
	maxTrees = 256
	maxRows  = 4096
)

func newViewer(st *store, opts *pipeline.Options) *viewer {
	return &viewer{st: st, dec: pipeline.NewDecoder(opts), trees: map[uint32]*decode.Tree{}, rows: map[int32]string{}}
}

// tree returns the decoded record of message mi and the message's index
// in it. Call with the store's read lock held.
func (v *viewer) tree(mi int32) (*decode.Tree, int) {
	m := v.st.msg(mi)
	if t, ok := v.trees[m.rec]; ok {
		return t, int(m.sub)
	}
	v.dec.State().CopyNames(v.st.snap.State())
	v.dec.State().ForgetPending()
	if m.pair >= 0 && m.bits&msgRequest == 0 {
		if req := v.st.msg(m.pair).rec; req != m.rec {
			r := v.st.record(req)
			v.dec.Decode(&v.spare, &r)
		}
	}
	t := &decode.Tree{}
	if len(v.order) >= maxTrees {
		old := v.order[0]
		v.order = v.order[1:]
		t = v.trees[old]
		delete(v.trees, old)
	}
	r := v.st.record(m.rec)
	v.dec.Decode(t, &r)
	if t.Meta.Family == "" {
		t.Meta.Family = client.ProtocolName(int(r.Protocol))
	}
	v.trees[m.rec] = t
	v.order = append(v.order, m.rec)
	return t, int(m.sub)
}

// summary is the one-line summary of message mi: for an ACK or a DONE
// what it answers, else its fields as the compact format shows them.
// Call with the store's read lock held.
func (v *viewer) summary(mi int32) string {
	if s, ok := v.rows[mi]; ok {
		return s
	}
	if len(v.rows) >= maxRows {
		clear(v.rows)
	}
	m := v.st.msg(mi)
	t, i := v.tree(mi)
	b := v.buf[:0]
	if i < len(t.Messages) {
		msg := &t.Messages[i]
		request := msg.Request
		if m.pair >= 0 && m.bits&msgRequest == 0 {
			request = lookupName(v.st.names, v.st.msg(m.pair).name)
		}
		if request == "" {
			request = "request"
		}
		switch {
		case m.bits&msgAck != 0:
			if m.errno == 0 {
				b = append(b, "ack for "...)
				b = append(b, request...)
				b = append(b, ": ok"...)
			} else {
				b = append(b, request...)
				b = append(b, " failed: "...)
				b = decode.AppendErrno(b, m.errno)
			}
		case m.bits&msgDone != 0:
			b = append(b, "end of "...)
			b = append(b, request...)
			b = append(b, " dump"...)
			if m.pair >= 0 {
				b = append(b, ": "...)
				b = strconv.AppendUint(b, uint64(m.aux), 10)
				b = append(b, " messages in "...)
				b = appendDuration(b, time.Duration(v.st.rec(m.rec).time-v.st.rec(v.st.msg(m.pair).rec).time))
			}
			if m.errno != 0 {
				b = append(b, " error "...)
				b = decode.AppendErrno(b, m.errno)
			}
		case m.bits&msgTrailing != 0:
			b = append(b, strconv.Itoa(msg.Len)...)
			b = append(b, " zero bytes after the last message"...)
		}
		if msg.Malformed {
			b = append(b, " [malformed]"...)
		}
		b = render.AppendCompactFields(b, t, i)
	}
	v.buf = b
	s := strings.TrimSpace(string(b))
	v.rows[mi] = s
	return s
}

// flagsText is nlmsg_flags as the CLI names them.
func flagsText(t *decode.Tree, i int) string {
	if i >= len(t.Messages) || t.Messages[i].Header.Flags == 0 {
		return ""
	}
	return string(decode.AppendFlags(nil, &t.Messages[i]))
}

// clock formats a record time as the CLI does.
func clock(ns int64) string {
	return time.Unix(0, ns).Format("15:04:05.000000")
}

// proc is "comm(pid)", or the socket's port id when the capture did not
// know the process (a file from tcpdump -i nlmon0).
func (s *store) proc(r *recMeta) string {
	comm := lookupName(s.comms, r.comm)
	if comm == "" && r.pid == 0 {
		return "port " + itoa(uint64(r.port))
	}
	return comm + "(" + itoa(uint64(r.pid)) + ")"
}

func arrow(dir uint8) string { return capture.Direction(dir).Arrow() }

// appendDuration formats a dump's duration as the CLI's text does.
func appendDuration(b []byte, d time.Duration) []byte {
	switch {
	case d >= time.Second:
		b = strconv.AppendFloat(b, d.Seconds(), 'f', 3, 64)
		return append(b, 's')
	case d >= time.Millisecond:
		b = strconv.AppendFloat(b, float64(d)/float64(time.Millisecond), 'f', 3, 64)
		return append(b, "ms"...)
	}
	b = strconv.AppendFloat(b, float64(d)/float64(time.Microsecond), 'f', 1, 64)
	return append(b, "µs"...)
}
