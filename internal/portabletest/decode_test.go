package portabletest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/pipeline"
)

// decodedDirEnv names a directory shared by two runs of this test in
// scripts/test: the Linux run writes its decoding there, the GOOS=js run
// compares its own with it.
const decodedDirEnv = "NLTRACE_DECODED_DIR"

// decodeFile renders every record of a capture as nltrace read --format tree
// does.
func decodeFile(t *testing.T, name string) []byte {
	t.Helper()
	r, err := pcapng.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out bytes.Buffer
	p, err := pipeline.New(&out, nil, pipeline.Options{Format: "tree"})
	if err != nil {
		t.Fatal(err)
	}
	var rec capture.Record
	for {
		err := r.ReadInto(context.Background(), &rec)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := p.Handle(&rec); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestDecodeMatchesLinux decodes testdata/pcaps. On Linux with
// NLTRACE_DECODED_DIR set it records the text there; elsewhere that
// variable is required and the text must be identical.
func TestDecodeMatchesLinux(t *testing.T) {
	files, err := filepath.Glob("../../testdata/pcaps/*.pcap*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures: %v", err)
	}
	dir := os.Getenv(decodedDirEnv)
	if runtime.GOOS != "linux" && dir == "" {
		t.Fatalf("off Linux this test compares with Linux's decoding: set %s to a directory a Linux run of it filled (scripts/test does)", decodedDirEnv)
	}
	for _, f := range files {
		out := decodeFile(t, f)
		if !bytes.Contains(out, []byte("NLMSG")) && !bytes.Contains(out, []byte("RTM_")) && !bytes.Contains(out, []byte("generic")) {
			t.Errorf("%s decodes to no netlink message:\n%.500s", f, out)
		}
		if dir == "" {
			continue
		}
		ref := filepath.Join(dir, filepath.Base(f)+".txt")
		if runtime.GOOS == "linux" {
			if err := os.WriteFile(ref, out, 0o600); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(ref)
		if err != nil {
			t.Fatalf("%v (run this test on Linux with %s first)", err, decodedDirEnv)
		}
		if !bytes.Equal(out, want) {
			a, b := strings.Split(string(want), "\n"), strings.Split(string(out), "\n")
			for i := range min(len(a), len(b)) {
				if a[i] != b[i] {
					t.Errorf("%s on %s/%s differs from Linux at line %d:\nlinux: %s\nhere:  %s", f, runtime.GOOS, runtime.GOARCH, i+1, a[i], b[i])
					break
				}
			}
			if len(a) != len(b) {
				t.Errorf("%s on %s/%s: %d lines, Linux %d", f, runtime.GOOS, runtime.GOARCH, len(b), len(a))
			}
		}
	}
}
