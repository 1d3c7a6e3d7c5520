//go:build !linux

package main

import (
	"fmt"
	"os/exec"
	"runtime"
)

// liveTracing says why live tracing cannot work here: netlink, eBPF and
// nlmon are Linux's. Captures from Linux still decode here (nltrace read,
// nltrace decode).
func liveTracing() error {
	return fmt.Errorf("live tracing is not supported on %s (nltrace read and nltrace decode work here)", runtime.GOOS)
}

func parseNetNS(s string) (uint32, error) {
	return 0, fmt.Errorf("--netns %s: %w", s, liveTracing())
}

func checkProcess(pid uint32) error { return fmt.Errorf("-p %d: %w", pid, liveTracing()) }

func runAs(cmd *exec.Cmd, name string) error { return fmt.Errorf("-u %s: %w", name, liveTracing()) }

func inTerminalForeground(std stdio, pid int) bool { return false }
