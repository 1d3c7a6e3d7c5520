package main

// Host tests of how the nltrace binary behaves as a command-line tool:
// closed pipes, bad arguments, exit statuses, signals.

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/internal/testenv"
)

// startTraceTo starts nltrace with args inside ns, with its standard
// output going to stdout (a pipe whose reader may be gone).
func startTraceTo(t *testing.T, tl tools, ns netNS, stdout *os.File, args ...string) *tracer {
	t.Helper()
	r := &tracer{
		cmd:    ns.command(append([]string{tl.nltrace}, args...)...),
		stdout: newWatchBuffer(), stderr: newWatchBuffer(), waited: make(chan struct{}),
	}
	r.cmd.Stdout, r.cmd.Stderr = stdout, r.stderr
	r.cmd.WaitDelay = time.Second
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("start nltrace: %v", err)
	}
	go func() {
		r.cmd.Wait()
		r.status = exitStatus(r.cmd.ProcessState)
		close(r.waited)
	}()
	t.Cleanup(func() {
		select {
		case <-r.waited:
		default:
			r.cmd.Process.Kill()
			<-r.waited
		}
	})
	return r
}

// closedPipe returns the write end of a pipe whose read end is closed, as
// `nltrace ... | head -1` leaves it once head has exited.
func closedPipe(t *testing.T) *os.File {
	t.Helper()
	rd, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	rd.Close()
	t.Cleanup(func() { wr.Close() })
	return wr
}

// TestTraceClosedOutput writes the text into a pipe nobody reads: nltrace
// stops tracing quietly (no Go error dump), detaches every probe, finishes
// the -w file with its statistics, prints the summary, and exits with the
// command's status, or 0 for -a, as tcpdump does.
func TestTraceClosedOutput(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	for _, tc := range []struct {
		name string
		args func(ns netNS) []string
		// run makes netlink traffic once nltrace is ready, when the
		// mode has no command of its own.
		run    bool
		status int
	}{
		{"command", func(ns netNS) []string { return []string{"--", "sh", "-c", "ip link show >/dev/null; exit 3"} }, false, 3},
		{"all", func(ns netNS) []string { return []string{"-a", "--netns", ns.path} }, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ns := newNetNS(t)
			capName := filepath.Join(t.TempDir(), "cap.pcapng")
			r := startTraceTo(t, tl, ns, closedPipe(t), append([]string{"-o", "-", "-w", capName}, tc.args(ns)...)...)
			r.ready(t)
			links := linkIDs(t, r.cmd.Process.Pid)
			if tc.run {
				ns.ip(t, "link", "show")
			}
			if got := r.wait(t); got != tc.status {
				t.Errorf("exit status %d, want %d; stderr:\n%s", got, tc.status, r.stderr)
			}
			checkDetached(t, links)
			stderr := r.stderr.String()
			for _, bad := range []string{"goroutine ", "panic", "broken pipe"} {
				if strings.Contains(stderr, bad) {
					t.Errorf("stderr holds %q:\n%s", bad, stderr)
				}
			}
			if total, _, _ := summaryCounts(t, stderr); total == 0 {
				t.Errorf("the summary counts no message; stderr:\n%s", stderr)
			}
			recs, _ := readPcapng(t, capName)
			if len(recs) == 0 {
				t.Errorf("the -w file holds no record")
			}
		})
	}
}

// TestTraceWriteStdout runs a command that prints under -w -: standard
// output carries only the pcapng stream, which reads back whole, and the
// command's own output goes to standard error.
func TestTraceWriteStdout(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	ns := newNetNS(t)
	r := traceToEnd(t, tl, ns, 0, "-w", "-", "--", "sh", "-c", "echo command-output; ip link show")
	rd, err := pcapng.NewReader(strings.NewReader(r.stdout.String()), "standard output")
	if err != nil {
		t.Fatalf("standard output is not a capture: %v", err)
	}
	n := 0
	for _, err := range capture.Records(context.Background(), rd) {
		if err != nil {
			t.Fatalf("read the capture on standard output: %v", err)
		}
		n++
	}
	if n == 0 {
		t.Errorf("the capture on standard output holds no record")
	}
	if !strings.Contains(r.stderr.String(), "command-output\n") {
		t.Errorf("the command's output is not on standard error:\n%s", r.stderr)
	}
}

// TestTraceCommandNotExecutable starts an executable file the kernel cannot
// run (ENOEXEC): nltrace exits 126, as a shell does for a command it found
// but could not execute, and says why.
func TestTraceCommandNotExecutable(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	ns := newNetNS(t)
	bad := filepath.Join(t.TempDir(), "bad")
	if err := os.WriteFile(bad, []byte("\x7fELF but not a program"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := traceToEnd(t, tl, ns, 126, "--", bad)
	if !strings.Contains(r.stderr.String(), "exec format error") {
		t.Errorf("stderr does not say why:\n%s", r.stderr)
	}
}

// TestTraceAttachSignal ends nltrace -p with SIGINT or SIGTERM while the
// traced process still runs: nltrace detaches, prints the summary, exits
// 0, and the process runs on.
func TestTraceAttachSignal(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	ns := newNetNS(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			capName := filepath.Join(t.TempDir(), "cap.pcapng")
			prog, goAhead, _ := startWaitingProg(t, tl, ns, filepath.Join(t.TempDir(), "log"), "workers", "1")
			r := startTrace(t, tl, ns, nil, "-p", strconv.Itoa(prog.Process.Pid), "-w", capName)
			r.ready(t)
			links := linkIDs(t, r.cmd.Process.Pid)
			r.signal(t, sig)
			if got := r.wait(t); got != 0 {
				t.Errorf("exit status %d, want 0; stderr:\n%s", got, r.stderr)
			}
			checkDetached(t, links)
			summaryCounts(t, r.stderr.String())
			readPcapng(t, capName)
			goAhead.Write([]byte("go\n"))
			if err := prog.Wait(); err != nil {
				t.Errorf("the traced program after nltrace left: %v", err)
			}
		})
	}
}

// TestTraceAttachMissing gives -p a process that does not exist: an error
// and status 1 before anything is loaded, not a trace that waits forever.
func TestTraceAttachMissing(t *testing.T) {
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	pid := strconv.Itoa(gone.Process.Pid)
	_, errs, code := runCLI("-p", "1,"+pid)
	if want := "-p " + pid + ": no such process"; code != 1 || !strings.Contains(errs, want) {
		t.Errorf("exit %d, stderr %q; want 1 and %q", code, errs, want)
	}
}
