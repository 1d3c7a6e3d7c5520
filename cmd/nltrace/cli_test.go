package main

import (
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
)

// runCLI runs nltrace's command line in process.
func runCLI(args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	code = run(args, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	return out.String(), errb.String(), code
}

// TestHelp checks that asked-for help goes to standard output with status
// 0, and that a usage error goes to standard error with status 2, as Go's
// flag package and common tools do.
func TestHelp(t *testing.T) {
	for _, tc := range []struct {
		args []string
		head string // the usage's first line starts with it
	}{
		{[]string{"-h"}, "usage: nltrace [flags] -- CMD"},
		{[]string{"--help"}, "usage: nltrace [flags] -- CMD"},
		{[]string{"help"}, "usage: nltrace [flags] -- CMD"},
		{[]string{"help", "trace"}, "usage: nltrace [flags] -- CMD"},
		{[]string{"help", "read"}, "usage: nltrace read"},
		{[]string{"help", "decode"}, "usage: nltrace decode"},
		{[]string{"read", "-h"}, "usage: nltrace read"},
		{[]string{"decode", "--help"}, "usage: nltrace decode"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, errs, code := runCLI(tc.args...)
			if code != 0 || errs != "" {
				t.Errorf("exit %d, stderr %q; want 0 and nothing", code, errs)
			}
			if !strings.HasPrefix(out, tc.head) || !strings.Contains(out, "-format") {
				t.Errorf("stdout is not the usage with the flags:\n%s", out)
			}
		})
	}
	// The main usage leads to the subcommands.
	out, _, _ := runCLI("-h")
	for _, sub := range []string{"nltrace read ", "nltrace decode ", "nltrace help read", "nltrace --version"} {
		if !strings.Contains(out, sub) {
			t.Errorf("nltrace -h does not mention %q:\n%s", sub, out)
		}
	}
	out, errs, code := runCLI("--version")
	if code != 0 || errs != "" || !strings.HasPrefix(out, "nltrace ") {
		t.Errorf("--version: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// TestUsageErrors checks that bad flags and values are refused with status
// 2 and a message on standard error, before anything is loaded or run
// (these tests need no privileges: none is reached).
func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"--bogus"}, "flag provided but not defined: -bogus\nusage: nltrace"},
		{[]string{"read", "--bogus", "f"}, "flag provided but not defined: -bogus\nusage: nltrace read"},
		{[]string{"decode", "--bogus"}, "flag provided but not defined: -bogus\nusage: nltrace decode"},
		{[]string{"read"}, "usage: nltrace read"},
		{[]string{"help", "nosuch"}, `no help on "nosuch"`},
		{[]string{"--format", "nope", "--", "true"}, `unknown output format "nope"`},
		{[]string{"--family", "nope", "--", "true"}, `--family: unknown netlink protocol "nope"`},
		{[]string{"--type", "[", "--", "true"}, `bad --type pattern "["`},
		{[]string{"read", "--type", "RTM_[", "f"}, `bad --type pattern "RTM_["`},
		{[]string{"read", "--tui", "-"}, "--tui reads keys from the terminal: give the capture as a file name"},
		{[]string{"read", "--tui", "-w", "-", "f"}, "--tui draws on standard output: -w and -o need a file name"},
		{[]string{"--tui", "-o", "-", "--", "true"}, "--tui draws on standard output: -w and -o need a file name"},
		{[]string{"--tui", "--", "true"}, "--tui needs a terminal on standard input and output"},
		{[]string{"read", "--tui", "f"}, "--tui needs a terminal"},
		{[]string{"--type", "BOGUS_*", "--", "true"}, `--type "BOGUS_*" matches no message type nltrace knows`},
		{[]string{"read", "--type", "RTM_NEWLINK,rtm_*addr", "f"}, `--type "rtm_*addr" matches no message type nltrace knows (names are case-sensitive: did you mean "RTM_*ADDR"?)`},
		{[]string{"-s", "-1", "--", "true"}, "-s -1: the snap length is from 16"},
		{[]string{"-s", "15", "--", "true"}, "-s 15: the snap length"},
		{[]string{"-s", "2000000000", "--", "true"}, "-s 2000000000: the snap length"},
		{[]string{"-p", "1,abc"}, `-p: bad process id "abc"`},
		{[]string{"-p", "0"}, `-p: bad process id "0"`},
		{[]string{"-a", "-p", "1"}, "exactly one"},
		{nil, "say what to trace"},
		{[]string{"-u", "nobody", "-a"}, "-u needs a command"},
		{[]string{"-w", "-", "-o", "-", "-a"}, "-w and -o name the same file"},
		{[]string{"-w", "f", "-o", "f", "-a"}, "-w and -o name the same file"},
		{[]string{"-w", "f", "-o", "./f", "-a"}, "-w and -o name the same file"},
		{[]string{"read", "-w", "f", "-o", "./f", "in"}, "-w and -o name the same file"},
		{[]string{"-u", "nosuchuser-e2e", "--", "true"}, "-u nosuchuser-e2e: "},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, errs, code := runCLI(tc.args...)
			if code != 2 || !strings.Contains(errs, tc.stderr) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 2, no stdout, stderr with %q", code, out, errs, tc.stderr)
			}
		})
	}
}

// TestCommandNotRunnable checks the shell's statuses for a command that
// cannot run: 127 when it is not found, 126 when it is found but is not
// executable. The command is looked up before any probe is loaded.
func TestCommandNotRunnable(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, []byte("not a program\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		cmd    string
		code   int
		stderr string
	}{
		{"missing", filepath.Join(dir, "missing"), 127, "command not found"},
		{"missing in PATH", "nltrace-no-such-command", 127, "command not found"},
		{"not executable", plain, 126, "permission denied"},
		{"directory", dir, 126, "is a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, code := runCLI("--", tc.cmd)
			if code != tc.code || !strings.Contains(errs, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tc.code, tc.stderr)
			}
		})
	}
}

// TestBufferSizeErrors checks -B: a power of two from 64 KiB, and not with
// --nlmon. (64 at the default snap length works: TestTraceSmallestRing.)
func TestBufferSizeErrors(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"-B", "32", "-a"}, "-B 32: the ring buffer size is a power of two"},
		{[]string{"-B", "100", "-a"}, "-B 100: the ring buffer size is a power of two"},
		{[]string{"-B", "-64", "-a"}, "-B -64: "},
		{[]string{"-B", "64", "--nlmon"}, "-B sizes the eBPF ring buffer"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, errs, code := runCLI(tc.args...)
			if code != 2 || !strings.Contains(errs, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, tc.stderr)
			}
		})
	}
}

// TestDirectoryInput gives read and decode a directory: one plain error
// line that says so, status 1.
func TestDirectoryInput(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"read", dir}, "nltrace read: open capture file " + dir + ": is a directory\n"},
		{[]string{"decode", dir}, "nltrace decode: " + dir + ": is a directory\n"},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			_, errs, code := runCLI(tc.args...)
			if code != 1 || errs != tc.stderr {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, errs, tc.stderr)
			}
		})
	}
}

// TestParseNetNS checks --netns: a path must be a network namespace, and an
// inode must belong to one in use; either mistake would trace nothing.
func TestParseNetNS(t *testing.T) {
	own, err := os.Readlink("/proc/self/ns/net")
	if err != nil {
		t.Skip("no /proc/self/ns/net:", err)
	}
	var ino uint64
	if _, err := fmt.Sscanf(own, "net:[%d]", &ino); err != nil {
		t.Fatalf("parse %q: %v", own, err)
	}
	for _, tc := range []struct {
		arg  string
		want uint32 // 0: an error with errText
		err  string
	}{
		{"/proc/self/ns/net", uint32(ino), ""},
		{strconv.FormatUint(ino, 10), uint32(ino), ""},
		{"1", 0, "--netns 1: no process, open file or /run/netns entry is in a network namespace with this inode (lsns -t net lists them)"},
		{"/proc/self/ns/uts", 0, "--netns /proc/self/ns/uts: /proc/self/ns/uts is not a network namespace"},
		{"/etc/passwd", 0, "--netns /etc/passwd: /etc/passwd is not a network namespace"},
		{"/nonexistent/ns", 0, "--netns /nonexistent/ns: open /nonexistent/ns: no such file or directory"},
		{"nltrace-no-such-netns", 0, "--netns nltrace-no-such-netns: open /run/netns/nltrace-no-such-netns: no such file or directory"},
	} {
		t.Run(tc.arg, func(t *testing.T) {
			got, err := parseNetNS(tc.arg)
			switch {
			case tc.err == "" && (err != nil || got != tc.want):
				t.Errorf("parseNetNS = %d, %v; want %d", got, err, tc.want)
			case tc.err != "" && (err == nil || err.Error() != tc.err):
				t.Errorf("parseNetNS = %d, %v; want the error %q", got, err, tc.err)
			}
		})
	}
}

// TestLongComm filters on a command name longer than the 15 bytes the
// kernel keeps: it matches the kept prefix, and a note says so.
func TestLongComm(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.pcapng")
	w, err := pcapng.Create(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, comm := range []string{"systemd-network", "ip"} {
		r := capture.Record{Time: time.Unix(1, 0), Direction: capture.ToKernel, PID: 7, Comm: comm, Data: testMessage(18, 0x301, 7, 0), Method: capture.MethodTracepoint}
		r.OrigLen = len(r.Data)
		if err := w.Write(&r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(capture.Stats{Records: 2}); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runCLI("read", "--comm", "systemd-networkd", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if n := strings.Count(out, "systemd-network("); n != 1 || strings.Contains(out, "ip(") {
		t.Errorf("want the one systemd-network record:\n%s", out)
	}
	if want := `--comm: the kernel keeps 15 bytes of a command name: matching "systemd-network"`; !strings.Contains(errs, want) {
		t.Errorf("stderr lacks %q:\n%s", want, errs)
	}
	if _, errs, code := runCLI("--comm", "systemd-networkd", "--family", "nope", "-a"); code != 2 || !strings.Contains(errs, "matching") {
		t.Errorf("trace --comm: exit %d, stderr %q; want the note and the usage error", code, errs)
	}
}

// TestReadOutputIsInput names the capture being read as -o or -w: a usage
// error, and the capture is left as it was (creating the output would
// truncate it).
func TestReadOutputIsInput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.pcapng")
	writeTestCapture(t, path)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Another name for the same file, too.
	link := filepath.Join(dir, "link.pcapng")
	if err := os.Link(path, link); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"-o", path}, {"-w", path}, {"-w", link}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			_, errs, code := runCLI(append(append([]string{"read"}, args...), path)...)
			if want := args[0] + " " + args[1] + " is the capture file being read"; code != 2 || !strings.Contains(errs, want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, want)
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before, after) {
				t.Errorf("the capture changed")
			}
		})
	}
}

// TestCaughtSignalsKeepIgnored checks that SIGHUP and SIGQUIT, when
// nltrace was started with them ignored (nohup), stay ignored rather than
// ending the trace, while SIGINT and SIGTERM always end it.
func TestCaughtSignalsKeepIgnored(t *testing.T) {
	all := []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGQUIT, syscall.SIGHUP}
	tests := []struct {
		name    string
		ignored []os.Signal
		want    []os.Signal
	}{
		{"none ignored", nil, all},
		{"nohup", []os.Signal{syscall.SIGHUP}, all[:3]},
		{"background job of a script", []os.Signal{syscall.SIGINT, syscall.SIGQUIT}, []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}},
		{"everything", all, all[:2]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ignored := func(sig os.Signal) bool { return slices.Contains(tt.ignored, sig) }
			if diff := cmp.Diff(tt.want, caughtSignals(ignored)); diff != "" {
				t.Errorf("caught signals (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecodeStraceCut decodes bytes that strace cut at its -s length: the
// result is malformed, and a note says why and how to get all the bytes.
func TestDecodeStraceCut(t *testing.T) {
	cut := `"\x28\x00\x00\x00\x12\x00\x01\x03\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"...`
	_, errs, code := runDecodeCmd(t, cut)
	if code != 1 || !strings.Contains(errs, `strace cut these bytes short ("..."): run strace with -s 65536`) {
		t.Errorf("exit %d, stderr %q; want 1 and the strace note", code, errs)
	}
	whole := `"\x14\x00\x00\x00\x12\x00\x01\x03\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"`
	if _, errs, code := runDecodeCmd(t, whole); code != 0 || errs != "" {
		t.Errorf("whole bytes: exit %d, stderr %q", code, errs)
	}
}

func TestLongVersion(t *testing.T) {
	bi := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "04261e5aa1b2c3d4e5f60718293a4b5c6d7e8f90"},
		{Key: "vcs.time", Value: "2026-12-02T05:23:20Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	want := "(devel) revision 04261e5aa1b2c3d4e5f60718293a4b5c6d7e8f90 with uncommitted changes of 2026-12-02T05:23:20Z, " + runtime.Version()
	if got := longVersion("", bi); got != want {
		t.Errorf("longVersion = %q, want %q", got, want)
	}
	rel := &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}
	if got := longVersion("", rel); got != "v1.4.0, "+runtime.Version() {
		t.Errorf("released module: %q", got)
	}
	if got := longVersion("1.5.0-rc1", rel); !strings.HasPrefix(got, "1.5.0-rc1, ") {
		t.Errorf("-X main.version: %q", got)
	}
	if got := longVersion("", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}); !strings.Contains(got, "without VCS information") {
		t.Errorf("no VCS stamp: %q", got)
	}
}

// TestBuiltBinary builds nltrace as the README says (CGO_ENABLED=0 go
// build) and checks that the binary is static, and that --version names
// what the toolchain stamped into it (the commit, in a clone), not "dev".
func TestBuiltBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "nltrace")
	build := exec.Command("go", "build", "-o", bin, ".")
	// This machine's go env turns VCS stamping off; a user's build has it.
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-buildvcs=true")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary is dynamically linked (program header %v)", p.Type)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs shared libraries %v", libs)
	}
	f.Close()
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	meta, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	rev := ""
	for _, l := range strings.Split(string(meta), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "build" && strings.HasPrefix(f[1], "vcs.revision=") {
			rev = strings.TrimPrefix(f[1], "vcs.revision=")
		}
	}
	switch {
	case strings.Contains(string(out), "nltrace dev"):
		t.Errorf("--version printed %q", out)
	case rev != "" && !strings.Contains(string(out), "revision "+rev):
		t.Errorf("--version printed %q, want the revision %s", out, rev)
	case rev == "" && !strings.Contains(string(out), "without VCS information"):
		// A git worktree checkout is not stamped by this toolchain.
		t.Errorf("--version printed %q for a binary without a VCS stamp", out)
	}
	if head, err := exec.Command("git", "rev-parse", "HEAD").Output(); err == nil && rev != "" && rev != strings.TrimSpace(string(head)) {
		t.Errorf("stamped revision %s is not HEAD %s", rev, head)
	}
}
