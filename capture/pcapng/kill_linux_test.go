package pcapng_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/nltrace/nltrace/capture/pcapng"
)

// killHelperEnv makes the test binary act as a capturing process that writes
// records and then waits to be killed.
const killHelperEnv = "NLTRACE_PCAPNG_KILL_HELPER"

// killHelperRecords is how many records the helper writes: not a multiple of
// the flush count, so the last few reach the file only by the timed flush.
const killHelperRecords = 70

func TestMain(m *testing.M) {
	if path := os.Getenv(killHelperEnv); path != "" {
		os.Exit(killHelper(path))
	}
	os.Exit(m.Run())
}

func killHelper(path string) int {
	w, err := pcapng.Create(path, &pcapng.WriterConfig{FlushRecords: 32})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	recs := sampleRecords()
	for i := range killHelperRecords {
		if err := w.Write(&recs[i%len(recs)]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	fmt.Println("written")
	// Wait for the killer; the writer's timer must flush the tail.
	select {}
}

// TestKilledCaptureReads kills a writing process with SIGKILL (no Close, no
// deferred flush) and checks that the file reads up to its last record.
func TestKilledCaptureReads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "killed.pcapng")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), killHelperEnv+"="+path)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "written" {
		t.Fatalf("helper: %q, %v", line, err)
	}
	// The first 64 records were flushed by count; the timed flush brings
	// the rest within a second. Wait for the file to reach its full size
	// by watching it with inotify rather than sleeping.
	waitForRecords(t, path, killHelperRecords)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	got, r := readAll(t, path)
	if len(got) != killHelperRecords {
		t.Fatalf("read %d records from the killed capture, want %d", len(got), killHelperRecords)
	}
	if w := r.Warning(); w != nil {
		t.Errorf("warning: %v", w)
	}
	want := sampleRecords()
	for i, rec := range got {
		if rec.PID != want[i%len(want)].PID || len(rec.Data) != len(want[i%len(want)].Data) {
			t.Errorf("record %d = %+v, want %+v", i, rec, want[i%len(want)])
		}
	}
}
