package main

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/pipeline"
	"github.com/nltrace/nltrace/ui/tui"
)

// tuiConfig is the viewer's configuration for the CLI's flags: their
// filters become the filter bar's first expression, and NO_COLOR (any
// value, as no-color.org says) turns colour off.
func tuiConfig(title string, o pipeline.Options, method capture.Method) tui.Config {
	return tui.Config{
		Title:   title,
		Options: pipeline.Options{ShowSecrets: o.ShowSecrets, RedactSecrets: o.RedactSecrets, GenlLookup: o.GenlLookup, Registry: o.Registry},
		Filter:  filterExpr(&o.Filter),
		NoColor: os.Getenv("NO_COLOR") != "",
		Version: version,
		Method:  method,
	}
}

// filterExpr writes filter flags in the filter bar's language.
func filterExpr(f *pipeline.Filter) string {
	var terms []string
	if len(f.Protocols) > 0 {
		var ps []string
		for _, p := range f.Protocols {
			ps = append(ps, strconv.Itoa(int(p)))
		}
		terms = append(terms, "family="+strings.Join(ps, ","))
	}
	if len(f.Types) > 0 {
		terms = append(terms, "type="+strings.Join(f.Types, ","))
	}
	if f.Comm != "" {
		terms = append(terms, "comm="+f.Comm)
	}
	if f.PID != 0 {
		terms = append(terms, "pid="+strconv.FormatUint(uint64(f.PID), 10))
	}
	if f.Errors {
		terms = append(terms, "errors")
	}
	if f.Match != nil {
		// Last: it takes the rest of the bar.
		terms = append(terms, "match="+f.Match.String())
	}
	return strings.Join(terms, " ")
}

// noteWriter turns what nltrace would print on standard error while the
// viewer owns the terminal into status-bar notes, and keeps it to print
// once the viewer has closed.
type noteWriter struct {
	view *tui.UI
	mu   sync.Mutex
	all  bytes.Buffer
	line []byte
}

func (w *noteWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.all.Write(b)
	w.line = append(w.line, b...)
	for {
		i := bytes.IndexByte(w.line, '\n')
		if i < 0 {
			break
		}
		// Warnings, errors and news ("ip exited"); the summary waits
		// for the viewer to close.
		l := string(w.line[:i])
		if rest, ok := strings.CutPrefix(l, "nltrace read: "); ok {
			w.view.Note(rest)
		} else if rest, ok := strings.CutPrefix(l, "nltrace: "); ok && !isSummary(rest) {
			w.view.Note(rest)
		}
		w.line = w.line[i+1:]
	}
	return len(b), nil
}

func (w *noteWriter) Bytes() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]byte(nil), w.all.Bytes()...)
}

// cappedBuffer keeps the first max bytes written to it, for a traced
// command's output while the viewer owns the terminal.
type cappedBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	max     int
	dropped int
}

func (c *cappedBuffer) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := min(len(b), c.max-c.buf.Len())
	if n > 0 {
		c.buf.Write(b[:n])
	}
	c.dropped += len(b) - max(n, 0)
	return len(b), nil
}

func (c *cappedBuffer) Bytes() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := append([]byte(nil), c.buf.Bytes()...)
	if c.dropped > 0 {
		b = append(b, "\n[nltrace: "+strconv.Itoa(c.dropped)+" more bytes of output not kept]\n"...)
	}
	return b
}

// isSummary says a line is the first of the summary ("12 messages: ...").
func isSummary(l string) bool {
	n, rest, ok := strings.Cut(l, " messages: ")
	_, err := strconv.ParseUint(n, 10, 64)
	return ok && err == nil && rest != ""
}

// isTTY says w is a terminal, which the viewer draws on and reads keys
// from.
func isTTY(w any) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}

// errNoTerminal is the viewer started without a terminal.
var errNoTerminal = errors.New("--tui needs a terminal on standard input and output")
