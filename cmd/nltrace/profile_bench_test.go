package main

import (
	"io"
	"os"
	"strings"
	"testing"
)

// These benchmarks run whole nltrace commands in the test process, so that
// go test's -cpuprofile and -memprofile profile them (bench/profile.sh
// makes the captures and runs them):
//
//	NLTRACE_BENCH_FILE=routes.pcapng go test ./cmd/nltrace -run '^$' -bench ReadFile -cpuprofile cpu.out
//	NLTRACE_BENCH_CMD='ip route show' go test ./cmd/nltrace -run '^$' -bench TraceCommand -cpuprofile cpu.out
//
// Without the variable a benchmark has nothing to measure and says so.

// BenchmarkReadFile is `nltrace read -o /dev/null FILE` (compact text) of
// $NLTRACE_BENCH_FILE; NLTRACE_BENCH_ARGS adds flags (--format tree).
func BenchmarkReadFile(b *testing.B) {
	file := os.Getenv("NLTRACE_BENCH_FILE")
	if file == "" {
		b.Skip("NLTRACE_BENCH_FILE names no capture to read")
	}
	args := append([]string{"read", "-o", os.DevNull}, strings.Fields(os.Getenv("NLTRACE_BENCH_ARGS"))...)
	args = append(args, file)
	b.ReportAllocs()
	for range b.N {
		if code := run(args, stdio{in: strings.NewReader(""), out: io.Discard, err: io.Discard}); code != 0 {
			b.Fatalf("nltrace %s: exit %d", strings.Join(args, " "), code)
		}
	}
}

// BenchmarkTraceCommand is `nltrace -o /dev/null -- sh -c
// "$NLTRACE_BENCH_CMD"`, as root; NLTRACE_BENCH_ARGS replaces -o /dev/null
// (-w FILE).
func BenchmarkTraceCommand(b *testing.B) {
	cmd := os.Getenv("NLTRACE_BENCH_CMD")
	if cmd == "" {
		b.Skip("NLTRACE_BENCH_CMD names no command to trace")
	}
	flags := strings.Fields(os.Getenv("NLTRACE_BENCH_ARGS"))
	if len(flags) == 0 {
		flags = []string{"-o", os.DevNull}
	}
	args := append(flags, "--", "sh", "-c", cmd+" >/dev/null")
	b.ReportAllocs()
	for range b.N {
		if code := run(args, stdio{in: strings.NewReader(""), out: io.Discard, err: io.Discard}); code != 0 {
			b.Fatalf("nltrace %s: exit %d", strings.Join(args, " "), code)
		}
	}
}
