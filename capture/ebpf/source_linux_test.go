//go:build linux && (386 || amd64)

package ebpf_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/ebpf"
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
