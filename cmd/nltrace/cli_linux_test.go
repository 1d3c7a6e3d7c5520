package main

// Host tests of how the nltrace binary behaves as a command-line tool:
// closed pipes, bad arguments, exit statuses, signals.

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/internal/testenv"
)

// startTraceTo starts nltrace with args inside ns, with its standard
// output going to stdout (a pipe whose reader may be gone).
func startTraceTo(t *testing.T, tl tools, ns netNS, stdout *os.File, args ...string) *tracer {
	t.Helper()
	cmd := ns.command(append([]string{tl.nltrace}, args...)...)
	cmd.Stdout = stdout
	return startTracer(t, cmd)
}

// startTracer starts cmd, an nltrace; its standard error, and its standard
// output unless cmd has one, go to watch buffers.
func startTracer(t *testing.T, cmd *exec.Cmd) *tracer {
	t.Helper()
	r := &tracer{cmd: cmd, stdout: newWatchBuffer(), stderr: newWatchBuffer(), waited: make(chan struct{})}
	if r.cmd.Stdout == nil {
		r.cmd.Stdout = r.stdout
	}
	r.cmd.Stderr = r.stderr
	// A descendant that outlives nltrace must not hold up Wait.
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

// TestTraceWriteStdout runs a command that prints under -w - and -w
// /dev/stdout: standard output carries only the pcapng stream, which reads
// back whole, and the command's own output goes to standard error.
func TestTraceWriteStdout(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	ns := newNetNS(t)
	for _, w := range []string{"-", "/dev/stdout"} {
		t.Run(w, func(t *testing.T) {
			r := traceToEnd(t, tl, ns, 0, "-w", w, "--", "sh", "-c", "echo command-output; ip link show")
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
		})
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

// TestTraceSecondSignal ends nltrace -a while it cannot finish: its text
// goes to a pipe nobody reads that is too small for what it captured. The
// first signal starts the end; a second exits with 128+signal once the
// grace period has passed without a finish, and the probes are gone.
func TestTraceSecondSignal(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	ns := newNetNS(t)
	for i := range 8 {
		ns.ip(t, "link", "add", fmt.Sprintf("v%d", i), "type", "veth", "peer", "name", fmt.Sprintf("p%d", i))
	}
	rd, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	defer wr.Close()
	capacity, err := unix.FcntlInt(wr.Fd(), unix.F_SETPIPE_SZ, 4096)
	if err != nil {
		t.Fatal(err)
	}
	r := startTraceTo(t, tl, ns, wr, "-a", "--netns", ns.path)
	r.ready(t)
	links := linkIDs(t, r.cmd.Process.Pid)
	// Each dump of 17 links is some 20 kB of text: more than the pipe holds.
	for range 4 {
		ns.ip(t, "-d", "link", "show")
	}
	// Two different signals: two of one kind may merge into one pending
	// signal. Either may arrive second.
	r.signal(t, syscall.SIGINT)
	r.signal(t, syscall.SIGTERM)
	if got := r.wait(t); got != 128+int(syscall.SIGINT) && got != 128+int(syscall.SIGTERM) {
		t.Errorf("exit status %d, want 128+SIGINT or 128+SIGTERM (pipe of %d bytes); stderr:\n%s", got, capacity, r.stderr)
	}
	if !strings.Contains(r.stderr.String(), "exiting without finishing") {
		t.Errorf("stderr does not say why nltrace stopped early:\n%s", r.stderr)
	}
	checkDetached(t, links)
}

// signalCounter is a traced command that counts the SIGINTs it gets and
// reports the count when SIGTERM ends it.
func signalCounter() int {
	// A failed test kills nltrace; the counter, maybe in a session of its
	// own, must not outlive it.
	unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(unix.SIGKILL), 0, 0, 0)
	c := make(chan os.Signal, 8)
	signal.Notify(c, syscall.SIGINT, syscall.SIGTERM)
	fmt.Println("ready")
	n := 0
	for sig := range c {
		if sig == syscall.SIGTERM {
			fmt.Printf("SIGINTs: %d\n", n)
			return 0
		}
		n++
		fmt.Printf("SIGINT %d\n", n)
	}
	return 1
}

// openPTY returns a new pseudo-terminal's master and its terminal.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close() })
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock pty: %v", err)
	}
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("pty number: %v", err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close() })
	return master, tty
}

// TestTraceTerminalInterrupt presses Ctrl-C on the terminal of nltrace --
// CMD: the terminal signals the whole foreground group, so the command
// gets exactly one SIGINT (nltrace does not hand on a second; it does hand
// it on to a command in a session of its own), nltrace keeps tracing until
// the command ends, and exits with its status.
func TestTraceTerminalInterrupt(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	ns := newNetNS(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("same group", func(t *testing.T) { testTerminalInterrupt(t, tl, ns, self) })
	// A command in a session of its own is not signalled by the terminal:
	// nltrace hands Ctrl-C on, once.
	t.Run("own session", func(t *testing.T) { testTerminalInterrupt(t, tl, ns, "setsid", self) })
}

func testTerminalInterrupt(t *testing.T, tl tools, ns netNS, argv ...string) {
	master, tty := openPTY(t)
	cmd := ns.command(append([]string{tl.nltrace, "-o", os.DevNull, "--"}, argv...)...)
	cmd.Env = append(os.Environ(), runAsSignalCounterEnv+"=1")
	cmd.Stdin = tty
	// nltrace leads a session whose terminal is the pty: it and the
	// command are that terminal's foreground process group.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	r := startTracer(t, cmd)
	if err := r.stdout.waitFor("ready\n", r.waited); err != nil {
		t.Fatalf("the command never became ready: %v; stderr:\n%s", err, r.stderr)
	}
	if _, err := master.Write([]byte{3}); err != nil { // Ctrl-C
		t.Fatal(err)
	}
	if err := r.stdout.waitFor("SIGINT 1\n", r.waited); err != nil {
		t.Fatalf("the command got no SIGINT from the terminal: %v; stderr:\n%s", err, r.stderr)
	}
	// nltrace hands SIGTERM on after whatever it did with SIGINT, and the
	// command's lower-numbered SIGINT, if pending, arrives first.
	r.signal(t, syscall.SIGTERM)
	if got := r.wait(t); got != 0 {
		t.Errorf("exit status %d, want the command's 0; stderr:\n%s", got, r.stderr)
	}
	if out := r.stdout.String(); !strings.Contains(out, "SIGINTs: 1\n") {
		t.Errorf("the command did not get exactly one SIGINT:\n%s", out)
	}
	summaryCounts(t, r.stderr.String())
}

// TestTraceTerminalInterruptLeftRunning presses Ctrl-C on the terminal
// while the command runs, which ends the command but not the child it left
// running in the background (a script's background job ignores SIGINT).
// nltrace then follows the child, and the next Ctrl-C ends that wait
// cleanly, with the summary: the first Ctrl-C was the command's, so this
// one is no "second signal" that forces an exit.
func TestTraceTerminalInterruptLeftRunning(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	ns := newNetNS(t)
	master, tty := openPTY(t)
	cmd := ns.command(tl.nltrace, "-o", os.DevNull, "--", "sh", "-c", `sleep 600 & echo "left $!"; read line`)
	cmd.Stdin = tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	r := startTracer(t, cmd)
	if err := r.stdout.waitFor("left ", r.waited); err != nil {
		t.Fatalf("the command never started its child: %v; stderr:\n%s", err, r.stderr)
	}
	t.Cleanup(func() {
		var pid int
		if _, err := fmt.Sscanf(r.stdout.String(), "left %d", &pid); err == nil {
			unix.Kill(pid, unix.SIGKILL)
		}
	})
	if _, err := master.Write([]byte{3}); err != nil { // Ctrl-C ends sh
		t.Fatal(err)
	}
	// nltrace's own copy of the key may arrive after sh is gone; then it
	// ends the trace at once, which is fine too.
	if err := r.stderr.waitFor("until they exit", r.waited); err == nil {
		if _, err := master.Write([]byte{3}); err != nil { // Ctrl-C ends the wait
			t.Fatal(err)
		}
	}
	if got, want := r.wait(t), 128+int(syscall.SIGINT); got != want {
		t.Errorf("exit status %d, want sh's %d; stderr:\n%s", got, want, r.stderr)
	}
	if strings.Contains(r.stderr.String(), "again") {
		t.Errorf("the Ctrl-C after the command ended forced an exit:\n%s", r.stderr)
	}
	summaryCounts(t, r.stderr.String())
}

// TestTraceDrops fills a small ring buffer (-B 64) while nltrace cannot
// read it (its output pipe is full and unread until the command is done):
// the summary counts the records the full ring lost, the -w file carries
// the count in its statistics block, and nltrace read and tshark read it.
func TestTraceDrops(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	ns := newNetNS(t)
	for i := range 8 {
		ns.ip(t, "link", "add", fmt.Sprintf("v%d", i), "type", "veth", "peer", "name", fmt.Sprintf("p%d", i))
	}
	rd, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	defer wr.Close()
	capName := filepath.Join(t.TempDir(), "cap.pcapng")
	// 40 dumps of 17 links with every detail: over a megabyte of records.
	r := startTraceTo(t, tl, ns, wr, "-B", "64", "-s", "1024", "-o", "-", "-w", capName, "--",
		"sh", "-c", `i=0; while [ $i -lt 40 ]; do ip -d link show; i=$((i+1)); done >/dev/null; echo workload-done >&2`)
	if err := r.stderr.waitFor("workload-done\n", r.waited); err != nil {
		t.Fatalf("the workload did not finish: %v; stderr:\n%s", err, r.stderr)
	}
	go io.Copy(io.Discard, rd)
	if got := r.wait(t); got != 0 {
		t.Fatalf("exit status %d; stderr:\n%s", got, r.stderr)
	}
	var records, dropped, ringFull, other, truncated int
	line := lineWith(r.stderr.String(), "records: ")
	if _, err := fmt.Sscanf(line, "records: %d, dropped: %d (ring buffer full %d, other losses %d), truncated: %d", &records, &dropped, &ringFull, &other, &truncated); err != nil {
		t.Fatalf("summary line %q: %v", line, err)
	}
	if ringFull == 0 || dropped != ringFull+other {
		t.Errorf("summary %q: want drops because the ring buffer was full", line)
	}
	if recs, _ := readPcapng(t, capName); len(recs) != records {
		t.Errorf("the file holds %d records, the summary says %d", len(recs), records)
	}
	var out, errb strings.Builder
	if code := run([]string{"read", capName}, stdio{in: strings.NewReader(""), out: &out, err: &errb}); code != 0 {
		t.Fatalf("nltrace read: exit %d: %s", code, errb.String())
	}
	if want := fmt.Sprintf("the capture recorded %d dropped records", dropped); !strings.Contains(errb.String(), want) {
		t.Errorf("nltrace read does not say %q:\n%s", want, errb.String())
	}
	// The file keeps each reason, and where the records went missing.
	if want := fmt.Sprintf("dropped: %d (ring buffer full %d, other losses %d)", dropped, ringFull, other); !strings.Contains(errb.String(), want) {
		t.Errorf("nltrace read summary lacks %q:\n%s", want, errb.String())
	}
	gaps := 0
	for _, l := range strings.Split(out.String(), "\n") {
		var n int
		if _, err := fmt.Sscanf(l, "--- %d records lost", &n); err == nil {
			gaps += n
		}
	}
	if gaps != dropped {
		t.Errorf("nltrace read marks %d lost records in the text, the summary says %d", gaps, dropped)
	}
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("no tshark to read the file with")
	}
	tshark := exec.Command("tshark", "-r", capName, "-T", "fields", "-e", "frame.number")
	b, err := tshark.Output()
	if err != nil {
		t.Fatalf("tshark -r: %v", err)
	}
	if n := strings.Count(string(b), "\n"); n != records {
		t.Errorf("tshark reads %d frames, want %d", n, records)
	}
}

// lineWith returns the first line of s that holds sub.
func lineWith(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}

// TestTraceOutputErrors names outputs that cannot be written: a clear
// error, status 1 (the run failed; the usage was right), no "tracing" line
// and no command run.
func TestTraceOutputErrors(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	ns := newNetNS(t)
	dir := t.TempDir()
	marker := filepath.Join(dir, "ran")
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"-o in a missing directory", []string{"-o", filepath.Join(dir, "missing", "f")}, "-o: open " + filepath.Join(dir, "missing", "f") + ": no such file or directory"},
		{"-w to a directory", []string{"-w", dir}, "-w: open " + dir + ": is a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := traceToEnd(t, tl, ns, 1, append(tc.args, "--", "touch", marker)...)
			stderr := r.stderr.String()
			if !strings.Contains(stderr, tc.stderr) || strings.Contains(stderr, "tracing with") {
				t.Errorf("stderr:\n%s\nwant %q and no tracing line", stderr, tc.stderr)
			}
			if _, err := os.Stat(marker); err == nil {
				t.Errorf("the command ran")
			}
		})
	}
}

// TestTraceAttachThread gives -p a thread id: the probes follow processes,
// so it would trace nothing; nltrace names the process instead.
func TestTraceAttachThread(t *testing.T) {
	pid := os.Getpid()
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		t.Skip("no /proc:", err)
	}
	for _, task := range tasks {
		if task.Name() == strconv.Itoa(pid) {
			continue
		}
		_, errs, code := runCLI("-p", task.Name())
		want := fmt.Sprintf("-p %s: a thread of process %d", task.Name(), pid)
		if code != 1 || !strings.Contains(errs, want) {
			t.Errorf("exit %d, stderr %q; want 1 and %q", code, errs, want)
		}
		return
	}
	t.Skip("the test process has a single thread")
}

// TestTraceBackgroundChild traces a command that leaves a child running
// (cmd &): like strace -f, nltrace follows the child to its end, so its
// messages are in the trace, and exits with the command's status. A
// signal ends the wait for a child that does not end.
func TestTraceBackgroundChild(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	ns := newNetNS(t)
	t.Run("ends", func(t *testing.T) {
		r := traceToEnd(t, tl, ns, 3, "--format", "json", "-o", "-", "--", "sh", "-c", "ip link show >/dev/null & exit 3")
		lines := parseJSONLines(t, r.stdout.String())
		if len(lines) == 0 {
			t.Fatalf("no message of the background ip in the trace; stderr:\n%s", r.stderr)
		}
		if total, _, _ := summaryCounts(t, r.stderr.String()); total != len(lines) {
			t.Errorf("summary counts %d messages, the output has %d", total, len(lines))
		}
	})
	t.Run("signal", func(t *testing.T) {
		// The child waits on a pipe that only the test closes.
		rd, wr, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer wr.Close()
		// (fd 3: a shell may give a background job /dev/null as stdin)
		r := startTrace(t, tl, ns, rd, "--", "sh", "-c", "exec 3<&0; cat <&3 >/dev/null & exit 4")
		rd.Close()
		if err := r.stderr.waitFor("following the processes it left running", r.waited); err != nil {
			t.Fatalf("nltrace did not wait for the child: %v; stderr:\n%s", err, r.stderr)
		}
		r.signal(t, syscall.SIGTERM)
		if got := r.wait(t); got != 4 {
			t.Errorf("exit status %d, want the command's 4; stderr:\n%s", got, r.stderr)
		}
		summaryCounts(t, r.stderr.String())
	})
}

// TestTraceOutputFails makes the text output fail (-o /dev/full): the
// error is reported once, tracing stops, and the command is not killed:
// it runs on to its end; nltrace exits 1, or with the command's status
// when that is not 0.
func TestTraceOutputFails(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	ns := newNetNS(t)
	for _, tc := range []struct {
		exit, status int
	}{{0, 1}, {5, 5}} {
		t.Run(strconv.Itoa(tc.exit), func(t *testing.T) {
			// The command waits for a line until the failure is reported;
			// before, it makes more text than the output buffers (32 kB).
			stdin, goAhead, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer goAhead.Close()
			r := startTrace(t, tl, ns, stdin, "-o", "/dev/full", "--", "sh", "-c", fmt.Sprintf("i=0; while [ $i -lt 40 ]; do ip -d link show; i=$((i+1)); done >/dev/null; read line; echo ran-on; exit %d", tc.exit))
			stdin.Close()
			if err := r.stderr.waitFor("no space left on device", r.waited); err != nil {
				t.Fatalf("no error for the full output: %v; stderr:\n%s", err, r.stderr)
			}
			goAhead.Write([]byte("go\n"))
			if got := r.wait(t); got != tc.status {
				t.Errorf("exit status %d, want %d; stderr:\n%s", got, tc.status, r.stderr)
			}
			if !strings.Contains(r.stdout.String(), "ran-on") {
				t.Errorf("the command did not run to its end; stderr:\n%s", r.stderr)
			}
			if n := strings.Count(r.stderr.String(), "no space left on device"); n != 1 {
				t.Errorf("the error is reported %d times, want once:\n%s", n, r.stderr)
			}
			summaryCounts(t, r.stderr.String())
		})
	}
}

// TestVMNlmonPromptInterrupt interrupts nltrace --nlmon while it asks on
// the terminal whether to remove a stale nlmon link: it exits at once with
// 128+SIGINT, leaves the stale link alone and creates none.
func TestVMNlmonPromptInterrupt(t *testing.T) {
	testenv.RequireVM(t)
	bin := nltraceBin(t)
	newNamedNetNS(t, "nlprompt")
	stale := startProc(t, nil, bin, "--nlmon", "--netns", "nlprompt")
	stale.waitLine(t, stale.errC, "on nlmon link nltrace0 (created")
	stale.cmd.Process.Kill()
	stale.wait(t)
	_, tty := openPTY(t)
	cmd := exec.Command(bin, "--nlmon", "--netns", "nlprompt", "--nlmon-link", "other0", "--", "true")
	cmd.Stdin = tty
	r := startTracer(t, cmd)
	if err := r.stderr.waitFor("remove it? [y/N]", r.waited); err != nil {
		t.Fatalf("nltrace did not ask: %v; stderr:\n%s", err, r.stderr)
	}
	r.signal(t, syscall.SIGINT)
	if got, want := r.wait(t), 128+int(syscall.SIGINT); got != want {
		t.Errorf("exit status %d, want %d; stderr:\n%s", got, want, r.stderr)
	}
	if diff := cmp.Diff([]string{"nltrace0"}, nlmonLinks(t, "nlprompt")); diff != "" {
		t.Errorf("nlmon links after the interrupted prompt (-want +got):\n%s", diff)
	}
}

// TestVMNlmonClosedOutput ends an nlmon capture through a closed output
// pipe (nltrace --nlmon | head): nltrace stops quietly, removes the link
// it created, prints the summary and exits with the command's status; and
// a second signal while it cannot finish (an unread full pipe) still
// removes the link.
func TestVMNlmonClosedOutput(t *testing.T) {
	testenv.RequireVM(t)
	bin := nltraceBin(t)
	t.Run("closed pipe", func(t *testing.T) {
		newNamedNetNS(t, "nlpipe")
		// (not through sh: the VM's busybox sh runs its own ip applet)
		cmd := exec.Command(bin, "--nlmon", "--netns", "nlpipe", "-o", "-", "--", "ip", "-n", "nlpipe", "link", "add", "d1", "type", "dummy")
		cmd.Stdout = closedPipe(t)
		r := startTracer(t, cmd)
		if got := r.wait(t); got != 0 {
			t.Errorf("exit status %d, want the command's 0; stderr:\n%s", got, r.stderr)
		}
		if got := nlmonLinks(t, "nlpipe"); len(got) != 0 {
			t.Errorf("nlmon links after exit: %v", got)
		}
		if total, _, _ := summaryCounts(t, r.stderr.String()); total == 0 {
			t.Errorf("the summary counts no message:\n%s", r.stderr)
		}
	})
	t.Run("second signal", func(t *testing.T) {
		newNamedNetNS(t, "nlstuck")
		rd, wr, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer rd.Close()
		defer wr.Close()
		if _, err := unix.FcntlInt(wr.Fd(), unix.F_SETPIPE_SZ, 4096); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "--nlmon", "--netns", "nlstuck")
		cmd.Stdout = wr
		r := startTracer(t, cmd)
		if err := r.stderr.waitFor("on nlmon link nltrace0 (created", r.waited); err != nil {
			t.Fatalf("nltrace did not start: %v; stderr:\n%s", err, r.stderr)
		}
		// More text than the pipe holds: nltrace cannot finish.
		for i := range 8 {
			sh(t, "ip", "-n", "nlstuck", "link", "add", fmt.Sprintf("d%d", i), "type", "dummy")
		}
		for range 4 {
			sh(t, "ip", "-n", "nlstuck", "-d", "link", "show")
		}
		r.signal(t, syscall.SIGINT)
		r.signal(t, syscall.SIGTERM)
		if got := r.wait(t); got != 128+int(syscall.SIGINT) && got != 128+int(syscall.SIGTERM) {
			t.Errorf("exit status %d, want 128+SIGINT or 128+SIGTERM; stderr:\n%s", got, r.stderr)
		}
		if got := nlmonLinks(t, "nlstuck"); len(got) != 0 {
			t.Errorf("nlmon links after exit: %v", got)
		}
	})
}
