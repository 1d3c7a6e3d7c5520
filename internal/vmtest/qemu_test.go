package main

import (
	"bytes"
	"context"
	"flag"
	"github.com/nltrace/nltrace/internal/golden"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	flag.Bool("update", false, "rewrite golden files")
	os.Exit(m.Run())
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// checkGolden compares got with testdata/<test>/<name>.golden, rewriting it
// under -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, updateGolden(), name, []byte(got))
}

func TestInitScript(t *testing.T) {
	got := initScript(initConfig{
		Release: "6.1.0-56-cloud-amd64",
		Modules: []string{"kernel/net/netfilter/nfnetlink.ko", "kernel/drivers/net/nlmon.ko"},
		Binaries: []guestBinary{
			{Package: "capture/nlmon", Dir: "/tests/capture/nlmon", Name: "capture_nlmon.test"},
			{Package: "client", Dir: "/tests/client", Name: "client.test"},
		},
		TestRun:     "^TestVM",
		TestTimeout: 15 * time.Minute,
	})
	checkGolden(t, "two-binaries", got)
}

func TestQemuArgs(t *testing.T) {
	args := qemuArgs(bootConfig{Kernel: "/k/vmlinuz", Initramfs: "/r/initramfs.cpio.gz", MemoryMB: 1024})
	for _, want := range [][]string{{"-accel", "tcg"}, {"-no-reboot"}, {"-kernel", "/k/vmlinuz"}, {"-initrd", "/r/initramfs.cpio.gz"}, {"-m", "1024"}} {
		if i := slices.Index(args, want[0]); i < 0 || !slices.Equal(args[i:i+len(want)], want) {
			t.Errorf("qemu args %q lack %q", args, want)
		}
	}
	if slices.Contains(args, "-enable-kvm") {
		t.Errorf("qemu args %q ask for KVM, which hangs on these hosts", args)
	}
	if !strings.Contains(args[len(args)-1], "panic=-1") {
		t.Errorf("kernel command line %q does not end qemu on a panic", args[len(args)-1])
	}
}

// fakeQEMU writes a shell script that stands in for qemu.
func fakeQEMU(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "qemu")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBootVM(t *testing.T) {
	tests := []struct {
		name       string
		script     string
		wantErr    string // substring; "" for none
		wantDone   bool
		wantPassed int
	}{
		{
			name: "a guest that runs its tests",
			script: `printf '\033c\033[?7l\033[2JSeaBIOS\r\nnltrace-vm: boot kernel=6.1.0\r\nnltrace-vm: begin client\r\n--- PASS: TestVMA (0.00s)\r\n'
printf 'nltrace-vm: end client status=0 seconds=0\r\nnltrace-vm: done\r\nno newline at the end'`,
			wantDone:   true,
			wantPassed: 1,
		},
		{
			// The script hangs without printing the boot marker, as a
			// guest stuck in the firmware or kernel would; the watchdog
			// must kill it.
			name:    "a guest that never boots",
			script:  "echo SeaBIOS\nexec sleep 60",
			wantErr: "the VM did not boot",
		},
		{
			name:    "qemu that fails",
			script:  "echo 'qemu-system-x86_64: -kernel: could not open' >&2\nexit 1",
			wantErr: "qemu: exit status 1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var console bytes.Buffer
			var r results
			cfg := bootConfig{QEMU: fakeQEMU(t, tt.script), Kernel: "k", Initramfs: "i", MemoryMB: 64, BootTimeout: 500 * time.Millisecond}
			bootTime, err := bootVM(context.Background(), cfg, &console, &r)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("bootVM: got error %v, want %q", err, tt.wantErr)
			}
			if (bootTime > 0) != r.Booted {
				t.Errorf("boot time %s with Booted = %v", bootTime, r.Booted)
			}
			if r.Done != tt.wantDone {
				t.Errorf("Done = %v, want %v", r.Done, tt.wantDone)
			}
			if v := r.Verdict(nil); v.Passed != tt.wantPassed {
				t.Errorf("passed = %d, want %d", v.Passed, tt.wantPassed)
			}
			if tt.wantDone && !strings.HasPrefix(console.String(), "SeaBIOS\r\n") {
				t.Errorf("console copy kept the firmware's terminal controls: %q", console.String())
			}
			if tt.wantDone && !strings.HasSuffix(console.String(), "no newline at the end") {
				t.Errorf("console copy lost the last partial line: %q", console.String())
			}
		})
	}
}

func TestBootVMCancelled(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	var r results
	// The fake prints the boot marker, then tells us (through the console)
	// that it is running, and hangs; we cancel on that signal.
	console := &signalWriter{marker: "running", fire: func() { cancel(errTestCancel{}) }}
	cfg := bootConfig{QEMU: fakeQEMU(t, "echo 'nltrace-vm: boot kernel=x'\necho running\nexec sleep 60"), MemoryMB: 64, BootTimeout: time.Minute}
	start := time.Now()
	_, err := bootVM(ctx, cfg, console, &r)
	if err == nil || !strings.Contains(err.Error(), "cancelled by the test") {
		t.Fatalf("bootVM: got %v, want the cancellation cause", err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("bootVM took %s to stop a cancelled qemu", d)
	}
	if !r.Booted {
		t.Error("the boot marker was not seen")
	}
}

type errTestCancel struct{}

func (errTestCancel) Error() string { return "cancelled by the test" }

// signalWriter calls fire once when marker has been written to it.
type signalWriter struct {
	buf    bytes.Buffer
	marker string
	fire   func()
	fired  bool
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.buf.Write(p)
	if !w.fired && strings.Contains(w.buf.String(), w.marker) {
		w.fired = true
		w.fire()
	}
	return len(p), nil
}

func TestStripTerminalControls(t *testing.T) {
	tests := map[string]string{
		"plain line\r\n":                         "plain line\r\n",
		"\x1bc\x1b[?7l\x1b[2JSeaBIOS (1.16)\r\n": "SeaBIOS (1.16)\r\n",
		"\x1b[0mBooting\x1b[1;31m!\x1b[0m":       "Booting!",
		"cut off \x1b[12":                        "cut off ",
		"lone escape at the end \x1b":            "lone escape at the end ",
	}
	for in, want := range tests {
		if got := stripTerminalControls(in); got != want {
			t.Errorf("stripTerminalControls(%q) = %q, want %q", in, got, want)
		}
	}
}
