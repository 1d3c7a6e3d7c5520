package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// bootConfig says how to boot the guest.
type bootConfig struct {
	QEMU        string
	Kernel      string // bzImage
	Initramfs   string
	MemoryMB    int
	BootTimeout time.Duration // until init prints its boot marker
}

// qemuArgs returns the qemu command line. TCG, because KVM hangs on the
// machines this runs on; one CPU, because the tests need no more and TCG
// is faster that way; panic=-1 with -no-reboot makes a guest panic end qemu.
func qemuArgs(cfg bootConfig) []string {
	return []string{
		"-accel", "tcg", "-cpu", "max", "-smp", "1", "-m", strconv.Itoa(cfg.MemoryMB),
		"-nographic", "-no-reboot",
		"-kernel", cfg.Kernel, "-initrd", cfg.Initramfs,
		"-append", "console=ttyS0 quiet panic=-1",
	}
}

// bootVM runs qemu until the guest powers off, copying its console to
// console and feeding each line to r. It returns how long the guest took to
// reach its init (0 if it never did), and an error when qemu could not run,
// ended badly, or was stopped by ctx or the boot timeout; the guest's test
// results are in r either way.
func bootVM(ctx context.Context, cfg bootConfig, console io.Writer, r *results) (time.Duration, error) {
	// qemu's stderr is copied by exec's own goroutine while this one copies
	// stdout: both must go through one lock. The wrapper also hides a
	// bytes.Buffer's ReadFrom, which would hold the buffer's length across
	// a blocking read and cut off whatever the other writer added meanwhile.
	console = &lockedWriter{w: console}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	cmd := exec.CommandContext(ctx, cfg.QEMU, qemuArgs(cfg)...)
	cmd.WaitDelay = 5 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, fmt.Errorf("qemu: %w", err)
	}
	cmd.Stderr = console
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("start %s: %w", cfg.QEMU, err)
	}
	start := time.Now()
	var bootTime time.Duration
	var booted atomic.Bool
	watchdog := time.AfterFunc(cfg.BootTimeout, func() {
		if !booted.Load() {
			cancel(fmt.Errorf("the VM did not boot: no boot marker from its init within %s", cfg.BootTimeout))
		}
	})
	defer watchdog.Stop()

	rd := bufio.NewReaderSize(stdout, 64*1024)
	var readErr error
	for {
		line, err := rd.ReadString('\n')
		if line != "" {
			line = stripTerminalControls(line)
			if _, werr := io.WriteString(console, line); werr != nil && readErr == nil {
				readErr = fmt.Errorf("console log: %w", werr)
			}
			r.Line(strings.TrimRight(line, "\r\n"))
			if r.Booted && bootTime == 0 {
				bootTime = time.Since(start)
				booted.Store(true)
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				readErr = fmt.Errorf("read console: %w", err)
			}
			break
		}
	}
	waitErr := cmd.Wait()
	if cause := context.Cause(ctx); cause != nil {
		return bootTime, fmt.Errorf("qemu stopped: %w", cause)
	}
	if waitErr != nil {
		return bootTime, fmt.Errorf("qemu: %w", waitErr)
	}
	return bootTime, readErr
}

// stripTerminalControls removes the escape sequences the firmware sends to
// the serial console (terminal reset, clear screen, line wrap off), which
// would otherwise clear the user's terminal and clutter the log.
func stripTerminalControls(s string) string {
	if !strings.ContainsRune(s, 0x1b) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != 0x1b {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '[' {
			// CSI: parameters and intermediates up to a final byte.
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j
			continue
		}
		i++ // a two-byte sequence such as ESC c
	}
	return b.String()
}

// lockedWriter serialises writes from several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
