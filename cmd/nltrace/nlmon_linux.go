package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/nlmon"
	"github.com/nltrace/nltrace/client"
)

const nlmonDefaultLink = nlmon.DefaultInterface

// Draining an nlmon capture: the kernel queues a frame on the AF_PACKET
// socket while the message is sent, so once the traced command has exited
// its frames are already queued and read without waiting. The stream ends
// at the first quiet interval, or at the latest after drainMax when other
// processes keep the namespace busy.
const (
	drainQuiet = 100 * time.Millisecond
	drainMax   = 2 * time.Second
)

// nlmonSource adapts nlmon.Source to live tracing: the command starts
// plainly (the link already sees every socket of the namespace), and Drain
// reads what is queued, then ends the stream.
type nlmonSource struct {
	*nlmon.Source
	ns         *client.NetNS
	drain      context.Context
	startDrain context.CancelFunc
	drainEnd   time.Time
}

// openNlmonInterruptible is openNlmon that a signal aborts, also while it
// asks on the terminal whether to remove a stale link. It returns the
// signal when one came: the source, if any, is closed again, which removes
// a link it created.
func openNlmonInterruptible(o traceOptions, std stdio, signals <-chan os.Signal) (liveSource, os.Signal, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opened := make(chan struct{})
	got := make(chan os.Signal, 1)
	go func() {
		select {
		case sig := <-signals:
			got <- sig
			cancel()
		case <-opened:
		}
	}()
	src, err := openNlmon(ctx, o, std)
	close(opened)
	select {
	case sig := <-got:
		if src != nil {
			src.Close()
		}
		return nil, sig, nil
	default:
	}
	return src, nil, err
}

// openNlmon creates (or reuses) the nlmon link and says where it captures;
// that line on standard error is also the signal that capture is live.
func openNlmon(ctx context.Context, o traceOptions, std stdio) (liveSource, error) {
	cfg := &nlmon.Config{
		Interface: o.nlmonLink,
		Warn:      func(msg string) { fmt.Fprintf(std.err, "nltrace: %s\n", msg) },
		RemoveStale: func(name string) bool {
			if o.removeStale {
				return true
			}
			return askRemoveStale(ctx, std, name)
		},
	}
	if o.snaplen > 0 {
		cfg.SnapLen = o.snaplen
	}
	s := &nlmonSource{}
	where := "this network namespace"
	if o.netns != "" {
		ns, err := client.OpenNetNS(o.netns)
		if err != nil {
			return nil, fmt.Errorf("--netns: %w", err)
		}
		s.ns, cfg.NetNS, where = ns, ns, o.netns
	}
	src, err := nlmon.Open(ctx, cfg)
	if err != nil {
		if s.ns != nil {
			s.ns.Close()
		}
		if errors.Is(err, nlmon.ErrNoNlmon) {
			return nil, fmt.Errorf("--nlmon: %w", err)
		}
		return nil, err
	}
	s.Source = src
	s.drain, s.startDrain = context.WithCancel(context.Background())
	how := "an existing link, left in place on exit"
	if src.Created() {
		how = "created by nltrace, removed on exit"
	}
	fmt.Fprintf(std.err, "nltrace: capturing in %s on nlmon link %s (%s); directions are inferred from message headers\n", where, src.Interface(), how)
	return s, nil
}

// askRemoveStale asks on the terminal whether to remove a stale link; with
// no terminal it answers no, and Open's warning says how to remove it. An
// ended ctx (Ctrl-C) answers no at once.
func askRemoveStale(ctx context.Context, std stdio, name string) bool {
	in, ok := std.in.(*os.File)
	if !ok || !isTerminal(in) {
		fmt.Fprintf(std.err, "nltrace: (run with --remove-stale to remove stale nlmon links)\n")
		return false
	}
	fmt.Fprintf(std.err, "nltrace: nlmon link %s was left behind by an nltrace that no longer runs; remove it? [y/N] ", name)
	type reply struct {
		line string
		err  error
	}
	// The read cannot be cancelled; it ends with the process.
	replies := make(chan reply, 1)
	go func() {
		line, err := bufio.NewReader(in).ReadString('\n')
		replies <- reply{line, err}
	}()
	select {
	case <-ctx.Done():
		fmt.Fprintln(std.err)
		return false
	case r := <-replies:
		if r.err != nil && !errors.Is(r.err, io.EOF) {
			return false
		}
		answer := strings.ToLower(strings.TrimSpace(r.line))
		return answer == "y" || answer == "yes"
	}
}

func isTerminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

// Start starts cmd; the nlmon link already captures everything it sends.
func (s *nlmonSource) Start(cmd *exec.Cmd) error { return cmd.Start() }

// Drain makes ReadInto read what is queued and then report the end.
func (s *nlmonSource) Drain() error {
	s.startDrain()
	return nil
}

func (s *nlmonSource) ReadInto(ctx context.Context, r *capture.Record) error {
	if s.drain.Err() == nil {
		rctx, cancel := context.WithCancel(ctx)
		stop := context.AfterFunc(s.drain, cancel)
		err := s.Source.ReadInto(rctx, r)
		stop()
		cancel()
		if err == nil || s.drain.Err() == nil || ctx.Err() != nil {
			return err
		}
		// Drain cut the read short: read on what is queued.
	}
	if s.drainEnd.IsZero() {
		s.drainEnd = time.Now().Add(drainMax)
	}
	deadline := min(time.Until(s.drainEnd), drainQuiet)
	if deadline <= 0 {
		return io.EOF
	}
	rctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	err := s.Source.ReadInto(rctx, r)
	if err != nil && rctx.Err() != nil && ctx.Err() == nil {
		return io.EOF
	}
	return err
}

// Close removes the link if nltrace created it.
func (s *nlmonSource) Close() error {
	err := s.Source.Close()
	if s.ns != nil {
		s.ns.Close()
		s.ns = nil
	}
	return err
}
