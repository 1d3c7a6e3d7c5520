//go:build linux && (386 || amd64)

package ebpf_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/ebpf"
	"github.com/nltrace/nltrace/internal/testenv"
)

// netNS is a throwaway network namespace, named for `ip netns exec`.
type netNS struct {
	name  string
	inode uint32
}

func newNetNS(t *testing.T) netNS {
	t.Helper()
	b := make([]byte, 4)
	rand.Read(b)
	name := "nltrace-test-" + hex.EncodeToString(b)
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v: %s", name, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", name).CombinedOutput(); err != nil {
			t.Errorf("ip netns del %s: %v: %s", name, err, out)
		}
	})
	var st unix.Stat_t
	if err := unix.Stat(filepath.Join("/run/netns", name), &st); err != nil {
		t.Fatalf("stat netns %s: %v", name, err)
	}
	return netNS{name: name, inode: uint32(st.Ino)}
}

// exec returns a command that runs argv inside the namespace.
func (n netNS) command(argv ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", n.name}, argv...)...)
}

// openSource opens a tracepoint capture limited to ns.
func openSource(t *testing.T, ns netNS) *ebpf.Source {
	t.Helper()
	plan, err := ebpf.NewPlan(ebpf.Config{Probe: ebpf.ProbeTracepoint, NetNS: ns.inode, Self: uint32(os.Getpid())})
	if err != nil {
		t.Fatal(err)
	}
	src, err := ebpf.Open(plan)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := src.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return src
}

// runTraced runs cmd under src and returns every record it produced.
func runTraced(t *testing.T, src *ebpf.Source, cmd *exec.Cmd) []capture.Record {
	t.Helper()
	if cmd.Stderr == nil {
		cmd.Stderr = os.Stderr
	}
	if err := src.Start(cmd); err != nil {
		t.Fatalf("start %v: %v", cmd.Args, err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v: %v", cmd.Args, err)
	}
	return drain(t, src)
}

func drain(t *testing.T, src *ebpf.Source) []capture.Record {
	t.Helper()
	if err := src.Drain(); err != nil {
		t.Fatal(err)
	}
	var recs []capture.Record
	for {
		var r capture.Record
		err := src.ReadInto(context.Background(), &r)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if st := src.Stats(); st.Dropped() != 0 {
		t.Errorf("drops: %+v", st)
	}
	return recs
}

// TestWaitTracked checks the end of a -p trace: a traced shell starts a
// background child and exits; the child stays in the traced set, and
// WaitTracked returns only once the child has exited too (or when its
// context ends).
func TestWaitTracked(t *testing.T) {
	testenv.RequireRoot(t)
	ns := newNetNS(t)
	src := openSource(t, ns)
	childIn, release, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer release.Close()
	cmd := exec.Command("sh", "-c", `sh -c "read x" <&3 & echo $!`)
	cmd.ExtraFiles = []*os.File{childIn}
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Start(cmd); err != nil {
		t.Fatal(err)
	}
	childIn.Close()
	var child int
	if _, err := fmt.Fscan(out, &child); err != nil {
		t.Fatalf("read the child's pid: %v", err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	childFD, err := unix.PidfdOpen(child, 0)
	if err != nil {
		t.Fatalf("pidfd of the child: %v", err)
	}
	defer unix.Close(childFD)
	pids, err := src.Tracked()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]uint32{uint32(child)}, pids); diff != "" {
		t.Errorf("traced set after the parent exited (-want +got):\n%s", diff)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := src.WaitTracked(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("WaitTracked with an ended context: %v, want %v", err, context.Canceled)
	}

	done := make(chan error, 1)
	go func() { done <- src.WaitTracked(context.Background()) }()
	release.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	fds := []unix.PollFd{{Fd: int32(childFD), Events: unix.POLLIN}}
	if n, err := unix.Poll(fds, 0); err != nil || n != 1 {
		t.Errorf("WaitTracked returned while the child still ran (poll: %d, %v)", n, err)
	}
}

// TestSourceEndTwice ends a capture the way a program with a signal
// handler and a process watcher does: Drain and Close from different
// goroutines, in either order, more than once. Nothing fails after Close,
// and the traced set is reported closed.
func TestSourceEndTwice(t *testing.T) {
	testenv.RequireRoot(t)
	ns := newNetNS(t)
	src := openSource(t, ns)
	done := make(chan error, 1)
	go func() { done <- src.Drain() }()
	if err := src.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := <-done; err != nil {
		t.Errorf("Drain while closing: %v", err)
	}
	if err := src.Drain(); err != nil {
		t.Errorf("Drain after Close: %v", err)
	}
	if err := src.Close(); err != nil {
		t.Errorf("Close again: %v", err)
	}
	if _, err := src.Tracked(); !errors.Is(err, capture.ErrClosed) {
		t.Errorf("Tracked after Close: %v, want %v", err, capture.ErrClosed)
	}
	if err := src.ReadInto(context.Background(), &capture.Record{}); !errors.Is(err, capture.ErrClosed) {
		t.Errorf("ReadInto after Close: %v, want %v", err, capture.ErrClosed)
	}
}
