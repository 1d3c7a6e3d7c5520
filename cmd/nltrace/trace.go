package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/ebpf"
	"github.com/nltrace/nltrace/capture/pcapng"
)

// traceOptions are the flags of live tracing.
type traceOptions struct {
	pids     []uint32
	all      bool
	user     string
	output   string
	write    string
	snaplen  int
	probe    ebpf.ProbeSet
	netns    uint32
	pipeline pipelineOptions
	command  []string
}

func parseTraceOptions(args []string, stderr io.Writer) (traceOptions, error) {
	var o traceOptions
	fs := flag.NewFlagSet("nltrace", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pids := fs.String("p", "", "trace running processes `PID[,PID...]` and their future children")
	fs.BoolVar(&o.all, "a", false, "trace every process on the host")
	fs.StringVar(&o.user, "u", "", "run the command as `USER`")
	fs.StringVar(&o.output, "o", "", "write the text output to `FILE` (default stdout)")
	fs.StringVar(&o.write, "w", "", "write the raw records to a pcapng `FILE` (- for stdout)")
	fs.IntVar(&o.snaplen, "s", ebpf.DefaultSnapLen, "keep at most `BYTES` of each record")
	fs.IntVar(&o.snaplen, "snaplen", ebpf.DefaultSnapLen, "same as -s")
	probe := fs.String("probe", "auto", "force a probe set: fentry, kprobe or tracepoint")
	netns := fs.String("netns", "", "keep only sockets of the network namespace `PATH|INODE`")
	fs.StringVar(&o.pipeline.Format, "format", "compact", "output format: compact, tree, hex or json")
	fs.StringVar(&o.pipeline.Comm, "comm", "", "keep only processes with this command `NAME`")
	family := fs.String("family", "", "keep only these netlink families (route,xfrm,netfilter,generic,sock_diag,...)")
	types := fs.String("type", "", "keep only message types matching these `GLOB`s, comma-separated (RTM_*LINK)")
	fs.BoolVar(&o.pipeline.Errors, "errors", false, "keep only failed requests and their error replies")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: nltrace [flags] -- CMD [ARGS...]\n       nltrace [flags] -p PID[,PID...]\n       nltrace [flags] -a")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.command = fs.Args()

	var err error
	if o.probe, err = ebpf.ParseProbeSet(*probe); err != nil {
		return o, err
	}
	if *pids != "" {
		for _, s := range strings.Split(*pids, ",") {
			n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32)
			if err != nil || n == 0 {
				return o, fmt.Errorf("-p: bad process id %q", s)
			}
			o.pids = append(o.pids, uint32(n))
		}
	}
	modes := 0
	for _, set := range []bool{len(o.command) > 0, len(o.pids) > 0, o.all} {
		if set {
			modes++
		}
	}
	if modes != 1 {
		return o, errors.New("say what to trace: -- CMD, -p PID or -a (exactly one)")
	}
	if o.user != "" && len(o.command) == 0 {
		return o, errors.New("-u needs a command to run")
	}
	if *netns != "" {
		if o.netns, err = parseNetNS(*netns); err != nil {
			return o, err
		}
	}
	if o.pipeline.Protocols, err = parseFamilies(*family); err != nil {
		return o, err
	}
	if *types != "" {
		o.pipeline.Types = strings.Split(*types, ",")
	}
	return o, nil
}

// parseNetNS takes a namespace inode number or a path to a namespace file
// (/run/netns/NAME, /proc/PID/ns/net) or a bare `ip netns` name.
func parseNetNS(s string) (uint32, error) {
	if n, err := strconv.ParseUint(s, 10, 32); err == nil {
		return uint32(n), nil
	}
	p := s
	if !strings.Contains(s, "/") {
		p = filepath.Join("/run/netns", s)
	}
	var st unix.Stat_t
	if err := unix.Stat(p, &st); err != nil {
		return 0, fmt.Errorf("--netns %s: %w", s, err)
	}
	return uint32(st.Ino), nil
}

func runTrace(args []string, std stdio) int {
	o, err := parseTraceOptions(args, std.err)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(std.err, "nltrace: %v\n", err)
		return 2
	}
	status, err := trace(o, std)
	if err != nil {
		fmt.Fprintf(std.err, "nltrace: %v\n", err)
	}
	return status
}

// trace runs one live trace and returns the exit status.
func trace(o traceOptions, std stdio) (int, error) {
	// Find the command before anything is loaded: a missing one is 127.
	var cmd *exec.Cmd
	if len(o.command) > 0 {
		path, err := exec.LookPath(o.command[0])
		if err != nil {
			return 127, fmt.Errorf("%s: command not found", o.command[0])
		}
		cmd = exec.Command(path, o.command[1:]...)
		cmd.Args[0] = o.command[0]
		cmd.Stdin, cmd.Stdout, cmd.Stderr = std.in, std.out, std.err
		if o.user != "" {
			if err := runAs(cmd, o.user); err != nil {
				return 2, err
			}
		}
	}

	text, closeText, err := openOutput(o, std)
	if err != nil {
		return 2, err
	}
	defer closeText()

	cfg := ebpf.Config{
		Probe: o.probe, PIDs: o.pids, SnapLen: o.snaplen, NetNS: o.netns,
		Protocols: o.pipeline.Protocols, Self: uint32(os.Getpid()),
	}
	if o.all {
		cfg.Follow = ebpf.FollowAll
	}
	plan, err := ebpf.NewPlan(cfg)
	if err != nil {
		return 2, err
	}
	src, err := ebpf.Open(plan)
	if err != nil {
		return 1, err
	}
	defer src.Close()
	fmt.Fprintf(std.err, "nltrace: tracing with the %s probe set\n", src.ProbeSet())

	var sink *pcapng.Writer
	if o.write != "" {
		w, closeW, err := openFile(o.write, std.out)
		if err != nil {
			return 2, err
		}
		defer closeW()
		sink, err = pcapng.NewWriter(w, &pcapng.WriterConfig{Version: version, Method: src.ProbeSet().Method(), SnapLen: uint32(o.snaplen)})
		if err != nil {
			return 2, fmt.Errorf("-w %s: %w", o.write, err)
		}
	}
	popts := o.pipeline
	if text == nil {
		popts.Format = "none"
		text = std.err
	}
	var rs recordSink
	if sink != nil {
		rs = sink
	}
	p, err := newPipeline(text, rs, popts)
	if err != nil {
		return 2, err
	}

	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(signals)

	status := 0
	done := make(chan struct{})
	if cmd != nil {
		if err := src.Start(cmd); err != nil {
			return 127, fmt.Errorf("start %s: %w", o.command[0], err)
		}
		go func() {
			defer close(done)
			for {
				select {
				case sig := <-signals:
					// The command decides how to end; its exit drains.
					cmd.Process.Signal(sig)
				case <-done:
					return
				}
			}
		}()
		go func() {
			cmd.Wait()
			status = exitStatus(cmd.ProcessState)
			src.Drain()
		}()
	} else {
		go func() {
			<-signals
			src.Drain()
		}()
	}

	var rec capture.Record
	var readErr error
	for {
		err := src.ReadInto(context.Background(), &rec)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, capture.ErrClosed) {
				readErr = err
			}
			break
		}
		if err := p.Handle(&rec); err != nil {
			readErr = err
			break
		}
	}
	if cmd != nil {
		done <- struct{}{}
	}
	stats := src.Stats()
	if err := src.Close(); err != nil && readErr == nil {
		readErr = err
	}
	if err := p.Flush(); err != nil && readErr == nil {
		readErr = err
	}
	if sink != nil {
		if err := sink.Close(stats); err != nil && readErr == nil {
			readErr = fmt.Errorf("-w %s: %w", o.write, err)
		}
	}
	p.Summary(std.err, stats)
	if readErr != nil && status == 0 {
		status = 1
	}
	return status, readErr
}

// openOutput opens the text output: -o FILE, stdout, or none when only -w
// was asked for.
func openOutput(o traceOptions, std stdio) (io.Writer, func(), error) {
	if o.output == "" {
		if o.write != "" {
			return nil, func() {}, nil
		}
		return std.out, func() {}, nil
	}
	return openFile(o.output, std.out)
}

func openFile(name string, stdout io.Writer) (io.Writer, func(), error) {
	if name == "-" {
		return stdout, func() {}, nil
	}
	f, err := os.Create(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

// runAs makes cmd run as the named user, with that user's groups.
func runAs(cmd *exec.Cmd, name string) error {
	u, err := user.Lookup(name)
	if err != nil {
		return fmt.Errorf("-u %s: %w", name, err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	var groups []uint32
	if ids, err := u.GroupIds(); err == nil {
		for _, g := range ids {
			if n, err := strconv.ParseUint(g, 10, 32); err == nil {
				groups = append(groups, uint32(n))
			}
		}
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: groups}}
	cmd.Env = append(os.Environ(), "HOME="+u.HomeDir, "USER="+u.Username, "LOGNAME="+u.Username)
	return nil
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
