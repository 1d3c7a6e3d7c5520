package pipeline

import (
	"fmt"
	"io"
	"sort"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/decode"
)

// Counts are the summary's numbers: messages by direction, by type and by
// errno. Only messages a filter kept are counted.
type Counts struct {
	ToKernel, FromKernel, UnknownDir uint64
	// Inferred counts records whose direction was guessed (nlmon).
	Inferred uint64
	Types    map[string]uint64
	Errnos   map[int32]uint64 // as sent: negative
	// ErrnoNames names the codes a family keeps for itself (ipset's
	// 4096 and up), as the replies that carried them did.
	ErrnoNames map[int32]string
}

// AddMessage counts m as Add does, and remembers the family's name for
// its error code when the code is private to the family.
func (c *Counts) AddMessage(dir capture.Direction, name string, m *decode.Message) {
	c.Add(dir, name, m.Errno)
	if m.Errno == 0 || m.ErrnoName == "" {
		return
	}
	if _, ok := c.ErrnoNames[m.Errno]; ok {
		return
	}
	if c.ErrnoNames == nil {
		c.ErrnoNames = map[int32]string{}
	}
	c.ErrnoNames[m.Errno] = string(decode.AppendMessageErrno(nil, m))
}

// NewCounts returns empty counts.
func NewCounts() Counts {
	return Counts{Types: map[string]uint64{}, Errnos: map[int32]uint64{}}
}

// Add counts one message that went dir, named name, carrying errno (0 for
// none; only ACKs and DONEs carry one).
func (c *Counts) Add(dir capture.Direction, name string, errno int32) {
	switch dir {
	case capture.ToKernel:
		c.ToKernel++
	case capture.FromKernel:
		c.FromKernel++
	default:
		c.UnknownDir++
	}
	c.Types[name]++
	if errno != 0 {
		c.Errnos[errno]++
	}
}

// Messages returns the number of messages counted.
func (c *Counts) Messages() uint64 { return c.ToKernel + c.FromKernel + c.UnknownDir }

// Count is one line of a ranking: a name and how often it was seen.
type Count struct {
	Name string
	N    uint64
}

// TopTypes returns the type counts, most frequent first.
func (c *Counts) TopTypes() []Count {
	var top []Count
	for k, v := range c.Types {
		top = append(top, Count{k, v})
	}
	sortCounts(top)
	return top
}

// TopErrnos returns the errno counts, most frequent first, named as
// ErrnoText names them.
func (c *Counts) TopErrnos() []Count {
	var es []int32
	for e := range c.Errnos {
		es = append(es, e)
	}
	sort.Slice(es, func(i, j int) bool {
		if c.Errnos[es[i]] != c.Errnos[es[j]] {
			return c.Errnos[es[i]] > c.Errnos[es[j]]
		}
		return es[i] < es[j]
	})
	top := make([]Count, len(es))
	for i, e := range es {
		name, ok := c.ErrnoNames[e]
		if !ok {
			name = ErrnoText(e)
		}
		top[i] = Count{name, c.Errnos[e]}
	}
	return top
}

func sortCounts(c []Count) {
	sort.Slice(c, func(i, j int) bool {
		if c[i].N != c[j].N {
			return c[i].N > c[j].N
		}
		return c[i].Name < c[j].Name
	})
}

// Write writes the summary: messages per direction, the top types, errors
// by errno, and what the capture lost.
func (c *Counts) Write(w io.Writer, st capture.Stats) {
	fmt.Fprintf(w, "nltrace: %d messages: %d to kernel, %d from kernel", c.Messages(), c.ToKernel, c.FromKernel)
	if c.UnknownDir > 0 {
		fmt.Fprintf(w, ", %d of unknown direction", c.UnknownDir)
	}
	fmt.Fprintln(w)
	if c.Inferred > 0 {
		fmt.Fprintf(w, "  directions of %d records were inferred from message headers (nlmon records carry none)\n", c.Inferred)
	}
	for i, t := range c.TopTypes() {
		if i == 10 {
			fmt.Fprintf(w, "  %8s %d more types\n", "...", len(c.Types)-10)
			break
		}
		fmt.Fprintf(w, "  %8d %s\n", t.N, t.Name)
	}
	if len(c.Errnos) > 0 {
		fmt.Fprintln(w, "errors:")
		for _, e := range c.TopErrnos() {
			fmt.Fprintf(w, "  %8d %s\n", e.N, e.Name)
		}
	}
	fmt.Fprintln(w, StatsLine(st))
}

// StatsLine says what the capture delivered and lost, in one line.
func StatsLine(st capture.Stats) string {
	s := fmt.Sprintf("records: %d, dropped: %d (ring buffer full %d, other losses %d", st.Records, st.Dropped(), st.RingFull, st.LostWakeup)
	if st.Recorded > 0 {
		s += fmt.Sprintf(", lost when the capture file was written %d", st.Recorded)
	}
	return s + fmt.Sprintf("), truncated: %d", st.Truncated)
}

// ErrnoText names an errno as the kernel sends it (negative), whichever
// sign it was counted with.
func ErrnoText(e int32) string {
	if e > 0 {
		e = -e
	}
	return string(decode.AppendErrno(nil, e))
}
