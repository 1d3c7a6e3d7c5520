package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResultsVerdict(t *testing.T) {
	const boot = "SeaBIOS (version 1.16.2)\r\nnltrace-vm: boot kernel=6.1.0-56-cloud-amd64\r\n"
	tests := []struct {
		name     string
		console  string
		expected []string
		want     verdict
	}{
		{
			name: "all pass, subtests not counted, CRLF endings",
			console: boot +
				"nltrace-vm: begin client\r\n=== RUN   TestVMCreateLinks\r\n" +
				"--- PASS: TestVMCreateLinks (0.10s)\r\n    --- PASS: TestVMCreateLinks/nlmon (0.07s)\r\nPASS\r\n\r\n" +
				"nltrace-vm: end client status=0 seconds=1\r\n" +
				"nltrace-vm: begin capture/nlmon\n--- PASS: TestVMA (0.00s)\n--- SKIP: TestVMB (0.00s)\nPASS\n" +
				"nltrace-vm: end capture/nlmon status=0 seconds=2\n" +
				"nltrace-vm: done\n[    3.08] reboot: Power down\n",
			expected: []string{"capture/nlmon", "client"},
			want:     verdict{Passed: 2, Skipped: 1},
		},
		{
			name: "a failing test",
			console: boot + "nltrace-vm: begin client\n--- FAIL: TestVMX (0.00s)\n    --- PASS: TestVMX/a (0.00s)\n--- PASS: TestVMY (0.00s)\nFAIL\n" +
				"nltrace-vm: end client status=1 seconds=0\nnltrace-vm: done\n",
			expected: []string{"client"},
			want:     verdict{Passed: 1, Failed: 1, Problems: []string{"client: TestVMX failed"}},
		},
		{
			name: "a panicking binary",
			console: boot + "nltrace-vm: begin client\n=== RUN   TestVMX\npanic: runtime error\ngoroutine 1 [running]:\n" +
				"nltrace-vm: end client status=2 seconds=0\nnltrace-vm: done\n",
			expected: []string{"client"},
			want: verdict{Problems: []string{
				"client: the test binary exited with status 2 without a failing test (panic, timeout or build problem)",
				"no TestVM test ran",
			}},
		},
		{
			name:     "never booted",
			console:  "SeaBIOS\r\nBooting from ROM...\r\n",
			expected: []string{"client"},
			want:     verdict{Problems: []string{"the VM never booted into the test init", "no TestVM test ran"}},
		},
		{
			name:     "stopped in the middle of a binary",
			console:  boot + "nltrace-vm: begin client\n--- PASS: TestVMA (0.00s)\n=== RUN   TestVMB\n",
			expected: []string{"client", "decode"},
			want: verdict{Passed: 1, Problems: []string{
				"client: the test binary never finished",
				"decode: the test binary never started",
				"the VM never reached the end of the test run",
			}},
		},
		{
			name: "a module that did not load, and a kernel panic",
			console: boot + "nltrace-vm: module-failed nlmon status=1\nnltrace-vm: begin client\n--- PASS: TestVMA (0.00s)\n" +
				"nltrace-vm: end client status=0 seconds=0\n[    9.1] Kernel panic - not syncing: Attempted to kill init!\n",
			expected: []string{"client"},
			want: verdict{Passed: 1, Problems: []string{
				"the guest kernel panicked",
				"kernel module nlmon failed to load",
				"the VM never reached the end of the test run",
			}},
		},
		{
			name: "only skips",
			console: boot + "nltrace-vm: begin client\n--- SKIP: TestVMA (0.00s)\nPASS\n" +
				"nltrace-vm: end client status=0 seconds=0\nnltrace-vm: done\n",
			expected: []string{"client"},
			want:     verdict{Skipped: 1, Problems: []string{"no TestVM test ran"}},
		},
		{
			name: "test output that looks like a marker mid-line is not one",
			console: boot + "nltrace-vm: begin client\n--- PASS: TestVMA (0.00s)\nlog: nltrace-vm: done\n" +
				"nltrace-vm: end client status=0 seconds=0\n",
			expected: []string{"client"},
			want:     verdict{Passed: 1, Problems: []string{"the VM never reached the end of the test run"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r results
			for _, line := range strings.Split(tt.console, "\n") {
				r.Line(line)
			}
			got := r.Verdict(tt.expected)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Verdict (-want +got):\n%s", diff)
			}
			if got.OK() != (len(tt.want.Problems) == 0) {
				t.Errorf("OK() = %v with problems %q", got.OK(), got.Problems)
			}
		})
	}
}

func TestResultsBinaries(t *testing.T) {
	var r results
	for _, line := range []string{
		"nltrace-vm: boot kernel=6.1.0-56-cloud-amd64",
		"nltrace-vm: begin capture/ebpf",
		"--- PASS: TestVMFentry (1.00s)",
		"--- FAIL: TestVMKprobe (2.00s)",
		"--- SKIP: TestVMOld (0.00s)",
		"nltrace-vm: end capture/ebpf status=1 seconds=3",
		"--- PASS: TestVMOutside (0.00s)", // between binaries: not counted
	} {
		r.Line(line)
	}
	want := []*binaryResult{{
		Package: "capture/ebpf", Ended: true, Status: 1, Seconds: 3,
		Passed: []string{"TestVMFentry"}, Failed: []string{"TestVMKprobe"}, Skipped: []string{"TestVMOld"},
	}}
	if diff := cmp.Diff(want, r.Binaries); diff != "" {
		t.Errorf("Binaries (-want +got):\n%s", diff)
	}
	if r.Kernel != "6.1.0-56-cloud-amd64" {
		t.Errorf("Kernel = %q", r.Kernel)
	}
}

func TestVerdictSummary(t *testing.T) {
	got := verdict{Passed: 12, Failed: 1, Skipped: 2}.Summary()
	if want := "vm: 12 passed, 1 failed, 2 skipped"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
}
