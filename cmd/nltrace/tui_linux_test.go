package main

// End-to-end tests of the viewer as a person uses it: nltrace runs in a
// tmux pane, keys are typed with send-keys, and the screen is read back
// with capture-pane.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nltrace/nltrace/internal/testenv"
)

// tmuxPane is nltrace running in a tmux session of its own (a private tmux
// server), at a fixed size.
type tmuxPane struct {
	t      *testing.T
	socket string
}

// startPane runs argv in a fresh tmux server with env added; when the
// command ends the pane says EXIT=status and stays.
func startPane(t *testing.T, cols, rows int, dir string, env []string, argv ...string) *tmuxPane {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		testenv.Skip(t, testenv.Host, "tmux is not installed (scripts/deps installs it)")
	}
	p := &tmuxPane{t: t, socket: filepath.Join(t.TempDir(), "tmux.sock")}
	var quoted []string
	for _, a := range argv {
		quoted = append(quoted, "'"+strings.ReplaceAll(a, "'", `'\''`)+"'")
	}
	shell := strings.Join(quoted, " ") + `; echo "EXIT=$?"; sleep 600`
	args := []string{"-S", p.socket, "-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", fmt.Sprint(cols), "-y", fmt.Sprint(rows), "-c", dir}
	for _, e := range append([]string{"TERM=xterm-256color"}, env...) {
		args = append(args, "-e", e)
	}
	args = append(args, shell)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", "-S", p.socket, "kill-server").Run() })
	return p
}

// keys types keys as tmux names them (Enter, Escape, C-u, or text).
func (p *tmuxPane) keys(keys ...string) {
	p.t.Helper()
	if out, err := exec.Command("tmux", append([]string{"-S", p.socket, "send-keys", "-t", "t"}, keys...)...).CombinedOutput(); err != nil {
		p.t.Fatalf("tmux send-keys %v: %v: %s", keys, err, out)
	}
}

// text types s literally.
func (p *tmuxPane) text(s string) {
	p.t.Helper()
	if out, err := exec.Command("tmux", "-S", p.socket, "send-keys", "-t", "t", "-l", s).CombinedOutput(); err != nil {
		p.t.Fatalf("tmux send-keys -l %q: %v: %s", s, err, out)
	}
}

// screen is what the pane shows; with escapes, its colours and attributes
// as tmux keeps them.
func (p *tmuxPane) screen(escapes bool) string {
	p.t.Helper()
	args := []string{"-S", p.socket, "capture-pane", "-p", "-t", "t"}
	if escapes {
		args = append(args, "-e")
	}
	out, err := exec.Command("tmux", args...).Output()
	if err != nil {
		p.t.Fatalf("tmux capture-pane: %v", err)
	}
	return string(out)
}

// waitFor waits until the screen matches re and returns it. It polls the
// screen, which is what a person watching does; there is no other signal
// that a frame was drawn.
func (p *tmuxPane) waitFor(re string) string {
	p.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(traceTimeout)
	for {
		s := p.screen(false)
		if rx.MatchString(s) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the screen never showed %q; it shows:\n%s", re, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestTUIRead browses a real capture (ld-rtnetlink.pcap, recorded by
// another project with nlmon) as a user would: the list, the next error in
// red, its tree opened, a filter, a save, and the saved file read back.
func TestTUIRead(t *testing.T) {
	tl := buildTools(t)
	capPath, err := filepath.Abs("../../ui/tui/testdata/ld-rtnetlink.pcap")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := startPane(t, 100, 30, dir, nil, tl.nltrace, "read", "--tui", capPath)
	s := p.waitFor(`1043 messages │ 8 errors`)
	if !strings.Contains(s, "RTM_GETLINK") || !strings.Contains(s, "end of RTM_GETLINK dump: 4") {
		t.Errorf("the list:\n%s", s)
	}

	// The next error is selected and drawn in red (SGR 31), with its mark.
	p.keys("e")
	p.waitFor(`(?m)^>!\S+ port 20317 +← route +NLMSG_ERROR +RTM_NEWLINK failed: -ENODEV`)
	colour := p.screen(true)
	if !regexp.MustCompile(`\x1b\[[0-9;]*31m[^\n]*!20:39:27\.008 port 0 `).MatchString(colour) {
		t.Errorf("the failed request is not red:\n%q", colour)
	}

	// Enter opens the tree; the ACK's payload holds the echoed request.
	p.keys("Enter", "Down", "Down", "Down")
	s = p.waitFor(`(?m)^>\s*▾ payload`)
	if !strings.Contains(s, "error -ENODEV (No such device)") || !strings.Contains(s, "▾ ifinfomsg") {
		t.Errorf("the opened tree:\n%s", s)
	}

	// The filter bar takes the CLI's filter language.
	p.keys("/")
	p.text("type=RTM_NEWROUTE")
	p.keys("Enter")
	s = p.waitFor(`307 of 1043 messages │ 8 errors │ filter type=RTM_NEWROUTE`)
	if strings.Contains(s, "RTM_NEWLINK") {
		t.Errorf("the filter left other types:\n%s", s)
	}

	// w saves the records of the shown messages.
	saved := filepath.Join(dir, "routes.pcapng")
	p.keys("w", "C-u")
	p.text(saved)
	p.keys("Enter")
	p.waitFor(`saved \d+ records to ` + regexp.QuoteMeta(saved))
	p.keys("q")
	p.waitFor(`EXIT=0`)

	out, err := exec.Command(tl.nltrace, "read", saved).CombinedOutput()
	if err != nil {
		t.Fatalf("nltrace read %s: %v\n%s", saved, err, out)
	}
	if n := bytes.Count(out, []byte(" RTM_NEWROUTE ")); n < 307 {
		t.Errorf("the saved file holds %d RTM_NEWROUTE, want the 307 shown:\n%s", n, out)
	}
}

// TestTUINoColor checks that NO_COLOR (any value) draws without colour,
// and that the error is still marked.
func TestTUINoColor(t *testing.T) {
	tl := buildTools(t)
	capPath, _ := filepath.Abs("../../ui/tui/testdata/ld-rtnetlink.pcap")
	p := startPane(t, 100, 30, t.TempDir(), []string{"NO_COLOR=yes"}, tl.nltrace, "read", "--tui", capPath)
	p.waitFor(`1043 messages`)
	p.keys("e")
	p.waitFor(`(?m)^>!`)
	if s := p.screen(true); regexp.MustCompile(`\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;)`).MatchString(s) {
		t.Errorf("colours drawn with NO_COLOR:\n%q", s)
	}
	p.keys("q")
	p.waitFor(`EXIT=0`)
}

// TestTUITrace traces `ip link show` in a throwaway namespace in the
// viewer, with -w: the list fills live, the tree opens, and quitting
// prints the command's output and the summary and finishes the -w file,
// as the CLI does.
func TestTUITrace(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	ns := newNetNS(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "trace.pcapng")
	p := startPane(t, 120, 32, dir, nil, "ip", "netns", "exec", ns.name, tl.nltrace, "--tui", "-w", file, "--", "ip", "link", "show")
	p.waitFor(`ip exited with status 0`)
	s := p.waitFor(`capture ended`)
	if !regexp.MustCompile(`ip\(\d+\) +→ route +RTM_GETLINK`).MatchString(s) || !strings.Contains(s, "end of RTM_GETLINK dump") {
		t.Errorf("the list:\n%s", s)
	}
	// lo's RTM_NEWLINK, found with a --match expression, opened.
	p.keys("/")
	p.text(`type=RTM_NEWLINK match=IFLA_IFNAME == "lo"`)
	p.keys("Enter")
	p.waitFor(`1 of \d+ messages .*filter type=RTM_NEWLINK match=IFLA_IFNAME == "lo"`)
	p.keys("g", "Enter")
	s = p.waitFor(`IFLA_IFNAME "lo"`)
	if !strings.Contains(s, "▾ ifinfomsg") {
		t.Errorf("the tree:\n%s", s)
	}
	p.keys("q")
	s = p.waitFor(`EXIT=0`)
	if !strings.Contains(s, "1: lo: <LOOPBACK") || !regexp.MustCompile(`nltrace: \d+ messages: \d+ to kernel`).MatchString(s) {
		t.Errorf("after the viewer, the command's output and the summary:\n%s", s)
	}
	out, err := exec.Command(tl.nltrace, "read", file).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "RTM_GETLINK") || !strings.Contains(string(out), `IFLA_IFNAME="lo"`) {
		t.Errorf("nltrace read of the -w file: %v\n%s", err, out)
	}
	if st, err := os.Stat(file); err == nil && st.Mode().Perm() != 0o600 {
		t.Errorf("-w file mode %v", st.Mode())
	}
}

// TestTUIAttach attaches the viewer to a running `ip monitor link` with -p:
// events show up live while following, are counted while paused, and
// quitting detaches without touching the traced process.
func TestTUIAttach(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	ns := newNetNS(t)
	mon := ns.command("ip", "monitor", "link")
	if err := mon.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		mon.Process.Kill()
		mon.Wait()
	})
	p := startPane(t, 120, 32, t.TempDir(), nil, tl.nltrace, "--tui", "-p", fmt.Sprint(mon.Process.Pid))
	p.waitFor(`following │ -p \d+`)
	ns.ip(t, "link", "add", "tuia", "type", "veth", "peer", "name", "tuib")
	p.waitFor(`ip\(\d+\) +← route +RTM_NEWLINK +.*index=\d+\(tuia\)`)
	// Paused, the list stays and counts what arrives.
	p.keys("f")
	p.waitFor(`paused, 0 new`)
	ns.ip(t, "link", "set", "tuia", "up")
	p.waitFor(`paused, [1-9]\d* new`)
	p.keys("f")
	p.waitFor(`following`)
	p.keys("q")
	s := p.waitFor(`EXIT=0`)
	if !regexp.MustCompile(`nltrace: \d+ messages: 0 to kernel, \d+ from kernel`).MatchString(s) {
		t.Errorf("summary after quitting:\n%s", s)
	}
	if err := mon.Process.Signal(syscall.Signal(0)); err != nil {
		t.Errorf("the traced process is gone after quitting: %v", err)
	}
}

// TestTUIQuitInterrupts quits while the traced command still runs: it gets
// SIGINT, as from Ctrl-C in the CLI, and nltrace exits with its status.
func TestTUIQuitInterrupts(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	ns := newNetNS(t)
	p := startPane(t, 100, 30, t.TempDir(), nil, "ip", "netns", "exec", ns.name, tl.nltrace, "--tui", "--", "sh", "-c", "ip link show lo; exec sleep 600")
	p.waitFor(`RTM_GETLINK`)
	p.keys("q")
	s := p.waitFor(`EXIT=\d+`)
	if !strings.Contains(s, "EXIT=130") || !strings.Contains(s, "1: lo:") {
		t.Errorf("after quitting:\n%s", s)
	}
}
