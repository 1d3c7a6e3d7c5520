package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	unix "github.com/nltrace/nltrace/internal/linuxabi"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/ebpf"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/pipeline"
	"github.com/nltrace/nltrace/ui/tui"
)

// traceOptions are the flags of live tracing.
type traceOptions struct {
	pids     []uint32
	all      bool
	user     string
	output   string
	write    string
	snaplen  int
	ringSize int // bytes
	probe    ebpf.ProbeSet
	netns    string // --netns as given
	netnsIno uint32 // --netns as an inode, for the eBPF filter
	pipeline pipeline.Options
	command  []string

	nlmon       bool   // capture through an nlmon link instead of eBPF
	nlmonLink   string // the nlmon link's name
	removeStale bool   // remove nlmon links a killed nltrace left behind

	tui bool // browse the trace in the interactive viewer
}

const traceUsage = `usage: nltrace [flags] -- CMD [ARGS...]    trace a command and its descendants
       nltrace [flags] -p PID[,PID...]     trace running processes
       nltrace [flags] -a                  trace every process on the host
       nltrace --nlmon [flags] [-- CMD]    capture a namespace's netlink traffic through an nlmon link
                                           (until SIGINT/SIGTERM, or until CMD exits)
       nltrace read [flags] FILE           decode a capture file (nltrace help read)
       nltrace decode [flags] [FILE]       decode netlink bytes written as hex (nltrace help decode)
       nltrace replay [flags] FILE         replay a capture's requests in a new namespace, diff the outcomes
                                           (nltrace help replay)
       nltrace --version
`

func parseTraceOptions(args []string, std stdio) (traceOptions, error) {
	var o traceOptions
	fs, v := newTraceFlags(&o)
	if err := parseFlags(fs, traceUsage, args, std); err != nil {
		return o, err
	}
	var err error
	if o.pipeline.Registry, err = v.specs.registry(); err != nil {
		return o, err
	}
	o.command = fs.Args()

	if o.probe, err = ebpf.ParseProbeSet(*v.probe); err != nil {
		return o, err
	}
	if *v.pids != "" {
		for _, s := range strings.Split(*v.pids, ",") {
			n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32)
			if err != nil || n == 0 {
				return o, fmt.Errorf("-p: bad process id %q", s)
			}
			o.pids = append(o.pids, uint32(n))
		}
	}
	if o.nlmon {
		if len(o.pids) > 0 || o.all {
			return o, errors.New("--nlmon captures a whole network namespace: it takes no -p or -a")
		}
		if *v.probe != "auto" {
			return o, errors.New("--probe chooses eBPF probes: it does not go with --nlmon")
		}
	} else {
		modes := 0
		for _, set := range []bool{len(o.command) > 0, len(o.pids) > 0, o.all} {
			if set {
				modes++
			}
		}
		if modes != 1 {
			return o, errors.New("say what to trace: -- CMD, -p PID, -a or --nlmon (exactly one)")
		}
	}
	if o.write != "" && sameOutput(o.write, o.output) {
		return o, errors.New("-w and -o name the same file")
	}
	if o.tui && (o.write == "-" || o.output == "-") {
		return o, errors.New("--tui draws on standard output: -w and -o need a file name")
	}
	if o.user != "" && len(o.command) == 0 {
		return o, errors.New("-u needs a command to run")
	}
	if o.netns != "" {
		if o.nlmon {
			if _, err := strconv.ParseUint(o.netns, 10, 32); err == nil {
				return o, fmt.Errorf("--netns %s: --nlmon needs a namespace path (/run/netns/NAME, /proc/PID/ns/net) or an ip netns name, not an inode", o.netns)
			}
			o.netns = netnsPath(o.netns)
		} else if o.netnsIno, err = parseNetNS(o.netns); err != nil {
			return o, err
		}
	}
	if err := pipeline.CheckFormat(o.pipeline.Format); err != nil {
		return o, err
	}
	note, err := setFilter(&o.pipeline.Filter, o.pipeline.Registry, *v.family, *v.matchExpr, *v.types)
	if note != "" {
		fmt.Fprintf(std.err, "nltrace: %s\n", note)
	}
	if err != nil {
		return o, err
	}
	// 0 is the default, as with tcpdump -s 0.
	if o.snaplen < 0 || o.snaplen > ebpf.MaxSnapLen || o.snaplen > 0 && o.snaplen < unix.NLMSG_HDRLEN {
		return o, fmt.Errorf("-s %d: the snap length is from %d (a netlink header) to %d bytes, or 0 (the default) for whole records", o.snaplen, unix.NLMSG_HDRLEN, ebpf.MaxSnapLen)
	}
	if o.nlmon && *v.ringKiB != ebpf.DefaultRingSize>>10 {
		return o, errors.New("-B sizes the eBPF ring buffer: it does not go with --nlmon")
	}
	const maxRingKiB = 1 << 20 // 1 GiB
	if k := *v.ringKiB; k < 64 || k > maxRingKiB || k&(k-1) != 0 {
		return o, fmt.Errorf("-B %d: the ring buffer size is a power of two from 64 to %d KiB", k, maxRingKiB)
	}
	// Records cross the ring in chunks of at most 16 KiB, so any size
	// carries any snap length; what finds it full is counted as dropped.
	o.ringSize = *v.ringKiB << 10
	return o, nil
}

// traceFlagValues holds the flags that parseTraceOptions checks and converts
// after parsing.
type traceFlagValues struct {
	pids      *string
	ringKiB   *int
	probe     *string
	family    *string
	matchExpr *string
	types     *string
	specs     specFiles
}

// newTraceFlags defines the flags of live tracing on a new FlagSet that sets o
// and the returned values, without parsing: the completion scripts and the
// man page are made from it too.
func newTraceFlags(o *traceOptions) (*flag.FlagSet, *traceFlagValues) {
	v := &traceFlagValues{}
	fs := flag.NewFlagSet("nltrace", flag.ContinueOnError)
	v.pids = fs.String("p", "", "trace running processes `PID[,PID...]` and their future children")
	fs.BoolVar(&o.all, "a", false, "trace every process on the host")
	fs.StringVar(&o.user, "u", "", "run the command as `USER`")
	fs.StringVar(&o.output, "o", "", "write the text output to `FILE`; - is standard output (default: standard error with -- CMD, as strace, so CMD's own output cannot split a line; standard output otherwise)")
	fs.StringVar(&o.write, "w", "", "write the raw records to a pcapng `FILE` (- for stdout; the command's output then goes to stderr)")
	fs.IntVar(&o.snaplen, "s", ebpf.DefaultSnapLen, "keep at most `BYTES` of each record (0: whole records, whatever their size)")
	fs.IntVar(&o.snaplen, "snaplen", ebpf.DefaultSnapLen, "same as -s")
	v.ringKiB = fs.Int("B", ebpf.DefaultRingSize>>10, "eBPF ring buffer size in `KiB`, a power of two from 64; records that find it full are counted as dropped")
	v.probe = fs.String("probe", "auto", "force a probe set: fentry, kprobe or tracepoint")
	fs.StringVar(&o.netns, "netns", "", "eBPF: keep only sockets of the network namespace `PATH|INODE` (an inode in use, as lsns -t net lists); --nlmon: capture in the namespace at PATH")
	fs.BoolVar(&o.nlmon, "nlmon", false, "capture through an nlmon link (every socket of one network namespace, no eBPF)")
	fs.StringVar(&o.nlmonLink, "nlmon-link", nlmonDefaultLink, "--nlmon: the nlmon link `NAME`; an existing nlmon link is reused and left in place")
	fs.BoolVar(&o.tui, "tui", false, "browse the trace live in the interactive viewer (list, attribute tree, bytes; ? for keys); the command's output is printed when the viewer closes")
	fs.BoolVar(&o.removeStale, "remove-stale", false, "--nlmon: remove nlmon links that a killed nltrace left behind")
	fs.StringVar(&o.pipeline.Format, "format", "compact", "output format: compact, tree, hex, json or go (Go byte-slice literals for test fixtures)")
	fs.StringVar(&o.pipeline.Comm, "comm", "", "keep only processes with this command `NAME`")
	v.family = fs.String("family", "", "keep only these netlink families (route,xfrm,netfilter,generic,sock_diag,...)")
	v.matchExpr = fs.String("match", "", "keep messages whose decoded fields satisfy `EXPR` (IFLA_IFNAME == \"v0\", RTA_DST in 10.0.0.0/8, errno == EEXIST, comm ~ \"^kube\"; && || ! and parentheses), with the replies to the requests it keeps")
	v.types = fs.String("type", "", "keep only message types matching these `GLOB`s, comma-separated (RTM_*LINK)")
	fs.BoolVar(&o.pipeline.Errors, "errors", false, "keep only failed requests and their error replies")
	fs.BoolVar(&o.pipeline.ShowSecrets, "show-secrets", false, "show key material (xfrm and WireGuard keys) instead of \"<N bytes redacted>\"")
	fs.BoolVar(&o.pipeline.RedactSecrets, "redact-secrets", false, "with -w: zero key material in the records written to the file")
	addSpecFlag(fs, &v.specs)
	return fs, v
}

// netnsPath turns a bare ip netns name into its path.
func netnsPath(s string) string {
	if strings.Contains(s, "/") {
		return s
	}
	return filepath.Join("/run/netns", s)
}

func runTrace(args []string, std stdio) int {
	o, err := parseTraceOptions(args, std)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(std.err, "nltrace: %v\n", err)
		return 2
	}
	if o.tui && (!isTTY(std.in) || !isTTY(std.out)) {
		fmt.Fprintf(std.err, "nltrace: %v\n", errNoTerminal)
		return 2
	}
	if err := liveTracing(); err != nil {
		fmt.Fprintf(std.err, "nltrace: %v\n", err)
		return 1
	}
	status, err := trace(o, std)
	if err != nil {
		fmt.Fprintf(std.err, "nltrace: %v\n", err)
	}
	return status
}

// liveSource is a capture backend as live tracing drives it.
type liveSource interface {
	capture.Source
	// Start starts cmd so that its first message is captured.
	Start(cmd *exec.Cmd) error
	// Drain ends the stream: records already captured are still read,
	// then ReadInto reports the end.
	Drain() error
}

// trace runs one live trace and returns the exit status.
func trace(o traceOptions, std stdio) (int, error) {
	// A closed output pipe (nltrace ... | head) must end the trace through
	// the normal path, which detaches, finishes -w and prints the summary:
	// with SIGPIPE caught, writes fail with EPIPE instead of killing us.
	// The handler, unlike SIG_IGN, is reset to the default in the command.
	brokenPipe := make(chan os.Signal, 1)
	signal.Notify(brokenPipe, syscall.SIGPIPE)
	defer signal.Stop(brokenPipe)
	// Caught from the start: the "tracing with" line tells users and tests
	// that they may interrupt, and that must already end the trace cleanly.
	// SIGQUIT and SIGHUP too: uncaught, Ctrl-\ would end nltrace with a
	// goroutine dump and a hangup would skip the clean-up.
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, caughtSignals(signal.Ignored)...)
	defer signal.Stop(signals)

	// Find the command before anything is loaded: a missing one is 127.
	var cmd *exec.Cmd
	var cmdOut *cappedBuffer
	if len(o.command) > 0 {
		path, err := exec.LookPath(o.command[0])
		switch {
		case errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EISDIR):
			// Found but not executable (or a directory): 126, as a shell says.
			return 126, fmt.Errorf("%s: %w", o.command[0], err)
		case err != nil:
			return 127, fmt.Errorf("%s: command not found", o.command[0])
		}
		cmd = exec.Command(path, o.command[1:]...)
		cmd.Args[0] = o.command[0]
		cmd.Stdin, cmd.Stdout, cmd.Stderr = std.in, std.out, std.err
		if o.tui {
			// The viewer owns the terminal: the command reads nothing and
			// its output is printed when the viewer closes.
			cmdOut = &cappedBuffer{max: 1 << 20}
			cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, cmdOut, cmdOut
		}
		if o.user != "" {
			if err := runAs(cmd, o.user); err != nil {
				return 2, err
			}
		}
	}

	// A -p process that does not exist is an error, as with strace -p,
	// not a trace that waits forever for nothing.
	for _, pid := range o.pids {
		if err := checkProcess(pid); err != nil {
			return 1, err
		}
	}

	var (
		src    liveSource
		es     *ebpf.Source
		method capture.Method
		err    error
	)
	if o.nlmon {
		var sig os.Signal
		src, sig, err = openNlmonInterruptible(o, std, signals)
		if sig != nil {
			return 128 + int(sig.(syscall.Signal)), fmt.Errorf("%v while setting up the nlmon link", sig)
		}
		method = capture.MethodNlmon
	} else {
		es, err = openEBPF(o)
		if es != nil {
			src, method = es, es.ProbeSet().Method()
		}
	}
	if err != nil {
		return 1, err
	}
	defer src.Close()

	// An output that cannot be opened is an error of the run, not of usage.
	out, err := openOutputs(o, std, method)
	if err != nil {
		return 1, err
	}
	defer out.close()
	if cmd != nil && out.sinkIsStdout {
		// Standard output carries the pcapng stream: the command's own
		// output would corrupt it.
		cmd.Stdout = std.err
	}
	popts := out.opts
	if es != nil {
		// The eBPF probes never record nltrace's own messages, so asking
		// the kernel leaves no trace in the output (an nlmon capture would
		// show the dump).
		popts.GenlLookup = newKernelGenlFamilies().lookup
	}
	p, err := pipeline.New(out.text, out.recordSink(), popts)
	if err != nil {
		return 2, err
	}
	if es != nil {
		// Said once everything is ready: users and tests start from here.
		fmt.Fprintf(std.err, "nltrace: tracing with the %s probe set\n", es.ProbeSet())
	}
	// errOut is standard error; while the viewer runs, what nltrace says
	// there goes to its status bar instead (and is printed afterwards).
	errOut := std.err
	var view *tui.UI
	var notes *noteWriter
	if o.tui {
		cfg := tuiConfig(traceTitle(o), popts, method)
		cfg.Live = true
		cfg.Stats = src.Stats
		view = tui.New(cfg)
		notes = &noteWriter{view: view}
		std.err = notes
	}

	status := 0
	exited := make(chan struct{})
	drain := sync.OnceFunc(func() { src.Drain() })
	// Ends the waits for traced processes when the trace ends otherwise.
	watchCtx, stopWatching := context.WithCancel(context.Background())
	defer stopWatching()
	if cmd != nil {
		select {
		case sig := <-signals:
			// Interrupted while the probes loaded: the command never ran.
			return 128 + int(sig.(syscall.Signal)), fmt.Errorf("%v before %s started", sig, o.command[0])
		default:
		}
		if err := src.Start(cmd); err != nil {
			code := 126 // found but cannot run (ENOEXEC, EACCES), as a shell says
			if errors.Is(err, fs.ErrNotExist) {
				code = 127
			}
			return code, fmt.Errorf("start %s: %w", o.command[0], err)
		}
		go func() {
			cmd.Wait()
			status = exitStatus(cmd.ProcessState)
			close(exited)
			if view != nil {
				view.Note(fmt.Sprintf("%s exited with status %d", o.command[0], status))
			}
			// Like strace -f, follow the descendants the command left
			// running (cmd &) to their end: their messages are part of
			// the trace. A signal ends the wait.
			if es != nil {
				if pids, err := es.Tracked(); err == nil && len(pids) > 0 {
					fmt.Fprintf(std.err, "nltrace: %s exited; following the processes it left running until they exit (Ctrl-C stops)\n", o.command[0])
					if es.WaitTracked(watchCtx) != nil {
						return
					}
				}
			}
			drain()
		}()
	}
	stop := drain
	tuiCtx, closeTUI := context.WithCancel(context.Background())
	defer closeTUI()
	if view != nil {
		// A signal that ends the trace closes the viewer too.
		stop = func() { drain(); closeTUI() }
	}
	go handleSignals(signals, cmd, exited, stop, src, std)
	if cmd == nil && len(o.pids) > 0 && es != nil {
		// Like strace -p, the trace ends when what it traces is gone.
		go func() {
			if es.WaitTracked(watchCtx) == nil {
				fmt.Fprintln(std.err, "nltrace: the traced processes have exited")
				drain()
			}
		}()
	}

	var readErr error
	if view != nil {
		readErr = browse(tuiCtx, view, src, p, cmd, exited, drain)
		if cmdOut != nil {
			std.out.Write(cmdOut.Bytes())
		}
		errOut.Write(notes.Bytes())
	} else {
		readErr = consume(context.Background(), src, p)
	}
	std.err = errOut
	stopWatching()
	// Whoever read the output went away: stop tracing as tcpdump does.
	outputClosed := errors.Is(readErr, syscall.EPIPE)
	if outputClosed {
		readErr = nil
	}
	// failed: an error was already reported, and the output it came from
	// fails again at the end.
	failed := false
	keep := func(err error) {
		if err != nil && readErr == nil && !failed && !(outputClosed && errors.Is(err, syscall.EPIPE)) {
			readErr = err
		}
	}
	// Stats are read before Close, which frees the kernel's counters.
	var stats capture.Stats
	closed := false
	if cmd != nil {
		select {
		case <-exited:
		default:
			if outputClosed || readErr != nil {
				// The trace ended before the command: its output went
				// away or failed. The command is not ours to kill (it gets
				// its own SIGPIPE if it writes to the same pipe): detach
				// now and let it run on, untraced, to its end.
				if readErr != nil {
					fmt.Fprintf(std.err, "nltrace: %v\nnltrace: tracing stopped; %s runs on untraced\n", readErr, o.command[0])
					readErr = nil
				}
				stats, closed = src.Stats(), true
				keep(src.Close())
				failed = failed || !outputClosed
			}
		}
		<-exited
	}
	if !closed {
		stats = src.Stats()
		keep(src.Close())
	}
	keep(p.Flush())
	keep(out.finish(stats))
	p.Summary(std.err, stats)
	if (failed || readErr != nil) && status == 0 {
		status = 1
	}
	return status, readErr
}

// openEBPF plans and loads the probes.
func openEBPF(o traceOptions) (*ebpf.Source, error) {
	cfg := ebpf.Config{
		Probe: o.probe, PIDs: o.pids, SnapLen: o.snaplen, RingSize: o.ringSize, NetNS: o.netnsIno,
		Protocols: o.pipeline.Protocols, Self: uint32(os.Getpid()),
	}
	if o.all {
		cfg.Follow = ebpf.FollowAll
	}
	plan, err := ebpf.NewPlan(cfg)
	if err != nil {
		return nil, err
	}
	return ebpf.Open(plan)
}

// consume reads src to its end through p. The end of the stream (EOF, a
// closed source) is not an error.
func consume(ctx context.Context, src capture.Source, p *pipeline.Pipeline) error {
	return consumeTo(ctx, src, p, nil)
}

// consumeTo is consume that also gives every record to view, when not nil.
func consumeTo(ctx context.Context, src capture.Source, p *pipeline.Pipeline, view *tui.UI) error {
	var rec capture.Record
	for n := 1; ; n++ {
		err := src.ReadInto(ctx, &rec)
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, capture.ErrClosed) {
				return nil
			}
			return err
		}
		if err := p.Handle(&rec); err != nil {
			return err
		}
		if view != nil {
			view.Add(&rec)
		}
		if n%64 == 0 {
			// Losses show where they happened in a -w file; reading the
			// counts costs a few map lookups, so not for every record.
			if err := p.NoteLoss(src.Stats()); err != nil {
				return err
			}
		}
	}
}

// outputs are where a live trace writes: text (stdout, -o FILE or none)
// and the pcapng sink of -w.
type outputs struct {
	text    io.Writer
	opts    pipeline.Options
	sink    *pcapng.Writer
	write   string
	closers []func() error
	// sinkIsStdout: the pcapng stream goes to standard output (-w -,
	// -w /dev/stdout, -w FILE > FILE), where nothing else may write.
	sinkIsStdout bool
}

// sameFile says f and w are the same open file.
func sameFile(f *os.File, w io.Writer) bool {
	g, ok := w.(*os.File)
	if !ok {
		return false
	}
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := g.Stat()
	return err == nil && os.SameFile(a, b)
}

// openOutputs opens the text output (-o FILE, stdout, or none when only -w
// was asked for) and the -w pcapng writer.
func openOutputs(o traceOptions, std stdio, method capture.Method) (*outputs, error) {
	out := &outputs{opts: o.pipeline, write: o.write}
	switch {
	case o.output == "" && (o.write != "" || o.tui):
		// Only the -w file, or the viewer, which draws on standard output.
		out.opts.Format = pipeline.FormatNone
		out.text = io.Discard
	case o.output == "" && len(o.command) > 0:
		// As strace does: the command owns standard output, and the
		// trace goes to standard error, so the command's writes can never
		// land inside a trace line (nor a trace line inside the
		// command's output that a pipe reads). -o - puts it on stdout.
		out.text = std.err
		out.opts.LineBuffered = !isRegularFile(std.err)
	case o.output == "" || o.output == "-":
		out.text = std.out
		// Someone watches standard output: show each record as it comes.
		out.opts.LineBuffered = !isRegularFile(std.out)
	default:
		f, err := createPrivate(o.output)
		if err != nil {
			return nil, fmt.Errorf("-o: %w", err)
		}
		out.text = f
		out.closers = append(out.closers, f.Close)
	}
	if o.write != "" {
		w := std.out
		if o.write != "-" {
			f, err := createPrivate(o.write)
			if err != nil {
				out.close()
				return nil, fmt.Errorf("-w: %w", err)
			}
			w = f
			out.closers = append(out.closers, f.Close)
			out.sinkIsStdout = sameFile(f, std.out)
		} else {
			out.sinkIsStdout = true
		}
		sink, err := pcapng.NewWriter(w, &pcapng.WriterConfig{Version: shortVersion(), Method: method, SnapLen: uint32(o.snaplen)})
		if err != nil {
			out.close()
			return nil, fmt.Errorf("-w %s: %w", o.write, err)
		}
		out.sink = sink
	}
	return out, nil
}

func (out *outputs) recordSink() pipeline.Sink {
	if out.sink == nil {
		return nil
	}
	return out.sink
}

// finish writes the pcapng statistics block and closes the files.
func (out *outputs) finish(st capture.Stats) error {
	var err error
	if out.sink != nil {
		if cerr := out.sink.Close(st); cerr != nil {
			err = fmt.Errorf("-w %s: %w", out.write, cerr)
		}
		out.sink = nil
	}
	if cerr := out.close(); cerr != nil && err == nil {
		err = cerr
	}
	return err
}

func (out *outputs) close() error {
	var errs []error
	for _, c := range out.closers {
		if err := c(); err != nil {
			errs = append(errs, fmt.Errorf("close output: %w", err))
		}
	}
	out.closers = nil
	return errors.Join(errs...)
}

// isRegularFile says w is a file on disk (or /dev/null), where block
// buffering costs nobody anything.
func isRegularFile(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return true // a buffer in tests
	}
	st, err := f.Stat()
	if err != nil {
		return false
	}
	if st.Mode().IsRegular() {
		return true
	}
	null, err := os.Stat(os.DevNull)
	return err == nil && os.SameFile(st, null)
}

// caughtSignals are the signals that end a trace. SIGINT and SIGTERM are
// always caught, as tcpdump does, because a script stops a background
// capture with `kill -INT $!` and a shell without job control starts
// background jobs with SIGINT ignored. SIGHUP and SIGQUIT stay ignored when
// nltrace was started with them ignored (nohup): Notify would turn them
// back on. ignored is signal.Ignored, or a stand-in in tests.
func caughtSignals(ignored func(os.Signal) bool) []os.Signal {
	sigs := []os.Signal{syscall.SIGINT, syscall.SIGTERM}
	for _, sig := range []os.Signal{syscall.SIGQUIT, syscall.SIGHUP} {
		if !ignored(sig) {
			sigs = append(sigs, sig)
		}
	}
	return sigs
}

// handleSignals acts on SIGINT, SIGTERM, SIGQUIT and SIGHUP. While the
// command runs, they are its own: it decides how to end, and its exit
// drains the capture. Otherwise the first ends the trace (drain), a
// second exits without finishing the output if nltrace has not finished
// within forcedExitGrace, and a third exits at once.
func handleSignals(signals <-chan os.Signal, cmd *exec.Cmd, exited <-chan struct{}, drain func(), src liveSource, std stdio) {
	// seen counts the signals nltrace acted on. The terminal's copy of a
	// Ctrl-C that the command got too is not one: otherwise the Ctrl-C
	// that ends the wait for what the command left running would be a
	// "second signal" and force an exit without finishing the output.
	seen := 0
	for sig := range signals {
		running := false
		if cmd != nil {
			select {
			case <-exited:
			default:
				running = true
			}
		}
		if running && (sig == syscall.SIGINT || sig == syscall.SIGQUIT) && inTerminalForeground(std, cmd.Process.Pid) {
			// A key on the terminal (Ctrl-C, Ctrl-\) signals the whole
			// foreground group, the command included: handing it on would
			// deliver it twice.
			continue
		}
		seen++
		switch {
		case running:
			cmd.Process.Signal(sig)
		case seen == 1:
			// The first ends the trace (or the wait for what the command
			// left running); it may be the terminal's copy of the signal
			// that ended the command.
			drain()
		case seen == 2:
			// Finishing may hang on an output nobody reads, and the user
			// asked twice; but a second signal can also be a Ctrl-C meant
			// for a trace that was already ending, and a healthy finish
			// takes well under the grace period.
			time.AfterFunc(forcedExitGrace, func() { forceExit(sig, src, std) })
		default:
			forceExit(sig, src, std)
		}
	}
}

// forcedExitGrace is how long nltrace may go on finishing after a second
// signal before it exits without finishing; a third exits at once.
const forcedExitGrace = time.Second

// forceExit detaches, removes what nltrace created (an nlmon link) and
// exits without finishing the output.
func forceExit(sig os.Signal, src liveSource, std stdio) {
	fmt.Fprintf(std.err, "nltrace: %v again: exiting without finishing the output\n", sig)
	src.Close()
	os.Exit(128 + int(sig.(syscall.Signal)))
}

// exitStatus is the command's exit code, or 128+signal as a shell reports it.
func exitStatus(ps *os.ProcessState) int {
	if ps == nil {
		return 1
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}

// traceTitle says what a trace follows, for the viewer's title.
func traceTitle(o traceOptions) string {
	switch {
	case len(o.command) > 0:
		return "-- " + strings.Join(o.command, " ")
	case len(o.pids) > 0:
		var ps []string
		for _, p := range o.pids {
			ps = append(ps, strconv.FormatUint(uint64(p), 10))
		}
		return "-p " + strings.Join(ps, ",")
	case o.nlmon:
		return "--nlmon " + o.nlmonLink
	}
	return "-a"
}

// browse runs the viewer while the capture feeds it through p (which
// writes -w and -o as without the viewer). When the user quits, the trace
// ends as Ctrl-C ends it in the CLI: a command still running gets SIGINT
// (and SIGKILL if it has not exited within commandGrace), otherwise the
// capture drains. It returns once the capture has ended.
func browse(ctx context.Context, view *tui.UI, src liveSource, p *pipeline.Pipeline, cmd *exec.Cmd, exited <-chan struct{}, drain func()) error {
	consumed := make(chan error, 1)
	go func() {
		err := consumeTo(context.Background(), src, p, view)
		view.End(err)
		consumed <- err
	}()
	uiErr := view.Run(ctx)
	if cmd != nil {
		select {
		case <-exited:
		default:
			cmd.Process.Signal(syscall.SIGINT)
			kill := time.AfterFunc(commandGrace, func() { cmd.Process.Kill() })
			go func() {
				<-exited
				kill.Stop()
			}()
		}
	}
	drain()
	err := <-consumed
	if err == nil {
		err = uiErr
	}
	return err
}

// commandGrace is how long a command interrupted by quitting the viewer
// has to exit before it is killed.
const commandGrace = 3 * time.Second
