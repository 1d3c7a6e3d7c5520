package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/pipeline"
	"github.com/nltrace/nltrace/ui/tui"
)

// readOptions are the flags of nltrace read.
type readOptions struct {
	output   string // -o: text output; "" or "-" for stdout
	write    string // -w: also write the (filtered) records as pcapng
	pipeline pipeline.Options
	fileName string
	// keepGoing skips damaged blocks and reads a cut file with exit
	// status 0.
	keepGoing bool
	// tui opens the interactive viewer instead of printing text.
	tui bool
	// view, when the viewer is open, is also given every record read.
	view *tui.UI
}

const readUsage = "usage: nltrace read [flags] FILE   (pcapng or pcap; - reads standard input)\n"

func parseReadOptions(args []string, std stdio) (readOptions, error) {
	var o readOptions
	fs, v := newReadFlags(&o)
	if err := parseFlags(fs, readUsage, args, std); err != nil {
		return o, err
	}
	var err error
	if o.pipeline.Registry, err = v.specs.registry(); err != nil {
		return o, err
	}
	if fs.NArg() != 1 {
		printUsage(fs, readUsage, std.err)
		return o, errors.New("read needs exactly one capture file")
	}
	o.fileName = fs.Arg(0)
	if *v.pid > 1<<32-1 {
		return o, fmt.Errorf("-p: bad process id %d", *v.pid)
	}
	o.pipeline.PID = uint32(*v.pid)
	if err := pipeline.CheckFormat(o.pipeline.Format); err != nil {
		return o, err
	}
	note, err := setFilter(&o.pipeline.Filter, o.pipeline.Registry, *v.family, *v.matchExpr, *v.types)
	if note != "" {
		fmt.Fprintf(std.err, "nltrace read: %s\n", note)
	}
	if err != nil {
		return o, err
	}
	if o.write != "" && sameOutput(o.write, o.output) {
		return o, errors.New("-w and -o name the same file")
	}
	if o.tui {
		switch {
		case o.fileName == "-":
			return o, errors.New("--tui reads keys from the terminal: give the capture as a file name, not -")
		case o.write == "-" || o.output == "-":
			return o, errors.New("--tui draws on standard output: -w and -o need a file name")
		}
	}
	// Creating an output truncates it: it must not be the capture read.
	for _, out := range []struct{ flag, name string }{{"-o", o.output}, {"-w", o.write}} {
		if out.name != "" && out.name != "-" && o.fileName != "-" && sameFilePath(out.name, o.fileName) {
			return o, fmt.Errorf("%s %s is the capture file being read", out.flag, out.name)
		}
	}
	return o, nil
}

// readFlagValues holds the flags that parseReadOptions checks and converts
// after parsing.
type readFlagValues struct {
	family    *string
	matchExpr *string
	types     *string
	pid       *uint
	specs     specFiles
}

// newReadFlags defines the flags of nltrace read on a new FlagSet that sets o
// and the returned values, without parsing: the completion scripts and the
// man page are made from it too.
func newReadFlags(o *readOptions) (*flag.FlagSet, *readFlagValues) {
	v := &readFlagValues{}
	fs := flag.NewFlagSet("nltrace read", flag.ContinueOnError)
	fs.StringVar(&o.output, "o", "", "write the text output to `FILE` (default standard output, unless -w - takes it)")
	fs.StringVar(&o.write, "w", "", "also write the records kept by the filters to the pcapng `FILE`; - is standard output")
	fs.StringVar(&o.pipeline.Format, "format", "compact", "output format: compact, tree, hex, json or go (Go byte-slice literals for test fixtures)")
	fs.StringVar(&o.pipeline.Comm, "comm", "", "keep only processes with this command `NAME`")
	v.family = fs.String("family", "", "keep only these netlink families (route,xfrm,netfilter,generic,sock_diag,...)")
	v.matchExpr = fs.String("match", "", "keep messages whose decoded fields satisfy `EXPR` (IFLA_IFNAME == \"v0\", RTA_DST in 10.0.0.0/8, errno == EEXIST, comm ~ \"^kube\"; && || ! and parentheses), with the replies to the requests it keeps")
	v.types = fs.String("type", "", "keep only message types matching these `GLOB`s, comma-separated (RTM_*LINK)")
	fs.BoolVar(&o.pipeline.Errors, "errors", false, "keep only failed requests and their error replies")
	fs.BoolVar(&o.pipeline.ShowSecrets, "show-secrets", false, "show key material (xfrm and WireGuard keys) instead of \"<N bytes redacted>\"")
	fs.BoolVar(&o.pipeline.RedactSecrets, "redact-secrets", false, "with -w: zero key material in the records written")
	v.pid = fs.Uint("p", 0, "keep only records of process `PID`")
	fs.BoolVar(&o.tui, "tui", false, "browse the capture in the interactive viewer (list, attribute tree, bytes; ? for keys)")
	fs.BoolVar(&o.keepGoing, "keep-going", false, "skip damaged pcapng blocks to the next good one, and read a cut file, reporting what was skipped (exit status 0)")
	addSpecFlag(fs, &v.specs)
	return fs, v
}

// sameOutput says two output names (- is standard output) are one file.
// "" is none given: -o then gives way to -w -.
func sameOutput(a, b string) bool {
	if a == "" || b == "" || a == "-" || b == "-" {
		return a != "" && a == b
	}
	if aa, err := filepath.Abs(a); err == nil {
		if bb, err := filepath.Abs(b); err == nil && aa == bb {
			return true
		}
	}
	return sameFilePath(a, b)
}

// sameFilePath says two paths name one existing file.
func sameFilePath(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}

// runRead decodes a capture file through the same pipeline as live
// capture. Exit status: 0 when every frame was read, 1 when some frame or
// the file was bad, 2 for a usage error.
func runRead(args []string, stdio stdio) int {
	o, err := parseReadOptions(args, stdio)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stdio.err, "nltrace read: %v\n", err)
		return 2
	}
	if o.tui {
		if !isTTY(stdio.in) || !isTTY(stdio.out) {
			fmt.Fprintf(stdio.err, "nltrace read: %v\n", errNoTerminal)
			return 2
		}
		return readTUI(o, stdio)
	}
	if err := readFile(context.Background(), o, stdio); err != nil {
		fmt.Fprintf(stdio.err, "nltrace read: %v\n", err)
		return 1
	}
	return 0
}

func readFile(ctx context.Context, o readOptions, stdio stdio) (err error) {
	var src *pcapng.Reader
	if o.fileName == "-" {
		src, err = pcapng.NewReader(stdio.in, "standard input")
	} else {
		src, err = pcapng.Open(o.fileName)
	}
	if err != nil {
		return err
	}
	defer src.Close()
	src.KeepGoing(o.keepGoing)

	popts := o.pipeline
	text := stdio.out
	switch {
	case o.output != "" && o.output != "-":
		f, err := createPrivate(o.output)
		if err != nil {
			return fmt.Errorf("-o: %w", err)
		}
		defer func() {
			if cerr := f.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("-o: close %s: %w", o.output, cerr)
			}
		}()
		text = f
	case o.write == "-" && o.output == "", o.view != nil && o.output == "":
		// Standard output carries the pcapng copy, or the viewer.
		popts.Format = pipeline.FormatNone
		text = io.Discard
	}

	var pw *pcapng.Writer
	if o.write != "" {
		cfg := &pcapng.WriterConfig{Version: shortVersion(), Method: capture.MethodFile, InterfaceDescription: "records read from " + o.fileName}
		if o.write == "-" {
			pw, err = pcapng.NewWriter(stdio.out, cfg)
		} else {
			pw, err = pcapng.Create(o.write, cfg)
		}
		if err != nil {
			return fmt.Errorf("-w: %w", err)
		}
	}
	var sink pipeline.Sink
	if pw != nil {
		sink = pw
	}
	p, err := pipeline.New(text, sink, popts)
	if err != nil {
		return err
	}

	frameErrors := 0
	var rec capture.Record
	for {
		rerr := src.ReadInto(ctx, &rec)
		var fe *pcapng.FrameError
		if errors.As(rerr, &fe) {
			frameErrors++
			fmt.Fprintf(stdio.err, "nltrace read: %v\n", fe)
			continue
		}
		var loss *pcapng.LossError
		if errors.As(rerr, &loss) {
			why := "ring buffer full " + strconv.FormatUint(loss.Reasons.RingFull, 10) + ", other losses " + strconv.FormatUint(loss.Reasons.LostWakeup, 10)
			if !loss.AtEnd {
				why += " so far"
			}
			if loss.Reasons.RingFull+loss.Reasons.LostWakeup == 0 {
				why = "the file gives no reason"
			}
			if o.view != nil {
				o.view.Note(fmt.Sprintf("%d records lost (%s)", loss.Lost, why))
			}
			if gerr := p.Gap(loss.Lost, loss.AtEnd, why); gerr != nil {
				err = gerr
				break
			}
			continue
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			err = rerr
			break
		}
		if herr := p.Handle(&rec); herr != nil {
			err = herr
			break
		}
		if o.view != nil {
			o.view.Add(&rec)
		}
	}
	if ferr := p.Flush(); ferr != nil && err == nil {
		err = ferr
	}
	stats := src.Stats()
	// Records the capturing program lost are counted in the file, by
	// reason when it kept them; they carry over into a copy and into the
	// summary.
	loss := src.FileLoss()
	stats.RingFull, stats.LostWakeup, stats.Recorded = loss.RingFull, loss.LostWakeup, loss.Recorded
	if pw != nil {
		cerr := pw.Close(capture.Stats{Records: pw.Written(), RingFull: loss.RingFull, LostWakeup: loss.LostWakeup, Recorded: loss.Recorded})
		if err == nil && cerr != nil {
			err = fmt.Errorf("-w: %w", cerr)
		}
	}
	for _, d := range src.Skipped() {
		fmt.Fprintf(stdio.err, "nltrace read: warning: %s: %v\n", o.fileName, d)
	}
	if w := src.Warning(); w != nil {
		if o.keepGoing {
			fmt.Fprintf(stdio.err, "nltrace read: warning: %v\n", w)
		} else if err == nil {
			err = fmt.Errorf("%w (--keep-going reads it with exit status 0)", w)
		}
	}
	if n := src.FileDropped(); n > 0 {
		fmt.Fprintf(stdio.err, "nltrace read: the capture recorded %d dropped records\n", n)
	}
	if o.view != nil {
		o.view.SetStats(stats)
	}
	p.Summary(stdio.err, stats)
	if err == nil && frameErrors > 0 {
		err = fmt.Errorf("%s: %d frames could not be read", o.fileName, frameErrors)
	}
	return err
}

// readTUI reads the file into the viewer while the viewer runs, so that a
// large file can be browsed as it loads. What read would print on standard
// error is shown in the status bar and printed once the viewer closes.
func readTUI(o readOptions, std stdio) int {
	cfg := tuiConfig(o.fileName, o.pipeline, capture.MethodFile)
	view := tui.New(cfg)
	o.view = view
	// The viewer's filter bar starts with the filter flags; -w and -o
	// still get what the flags keep.
	notes := &noteWriter{view: view}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		err := readFile(ctx, o, stdio{in: std.in, out: io.Discard, err: notes})
		if err != nil {
			view.Note("read: " + err.Error())
		}
		view.End(err)
		done <- err
	}()
	uiErr := view.Run(context.Background())
	cancel()
	err := <-done
	std.err.Write(notes.Bytes())
	if uiErr != nil {
		fmt.Fprintf(std.err, "nltrace read: %v\n", uiErr)
		return 1
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(std.err, "nltrace read: %v\n", err)
		return 1
	}
	return 0
}
