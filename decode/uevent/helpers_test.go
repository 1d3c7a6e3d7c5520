package uevent_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
)

var (
	update = flag.Bool("update", false, "rewrite golden files")
	record = flag.Bool("record", false, "host tests write their captures to testdata")
)

var toolDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "nltrace-uevent-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	toolDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildNltrace builds the nltrace binary once per test run.
func buildNltrace(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("NLTRACE_BIN"); p != "" {
		return p
	}
	out := filepath.Join(toolDir, "nltrace")
	if _, err := os.Stat(out); err == nil {
		return out
	}
	cmd := exec.Command("go", "build", "-o", out, "github.com/nltrace/nltrace/cmd/nltrace")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build nltrace: %v\n%s", err, b)
	}
	return out
}

// syncBuffer is a bytes.Buffer safe for a process writing and a test
// reading.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func saveRecords(t *testing.T, recs []capture.Record) {
	t.Helper()
	w, err := pcapng.Create(filepath.Join("testdata", "veth.pcapng"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		if err := w.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(capture.Stats{}); err != nil {
		t.Fatal(err)
	}
}
