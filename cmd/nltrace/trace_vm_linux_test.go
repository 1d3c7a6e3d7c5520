package main

// End-to-end tests of live tracing in the test VM (see internal/vmtest),
// whose stock kernel allows all three probe sets. The VM has no Go
// toolchain: this test binary itself is the netlink program.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/internal/testenv"
)

// vmTools are the VM's nltrace binary and this test binary as the netlink
// program.
func vmTools(t *testing.T) tools {
	t.Helper()
	bin := os.Getenv(nltraceBinEnv)
	if bin == "" {
		t.Fatalf("%s is not set", nltraceBinEnv)
	}
	return tools{nltrace: bin}.selfAsProg(t)
}

func vmMethods() []capture.Method {
	return []capture.Method{capture.MethodFentry, capture.MethodKprobe, capture.MethodTracepoint}
}

// TestVMTrace runs `nltrace --probe SET -- PROGRAM workers 4` with each
// probe set: the records equal the program's log byte for byte, as on the
// host.
func TestVMTrace(t *testing.T) {
	testenv.RequireVM(t)
	tl := vmTools(t)
	for _, m := range vmMethods() {
		t.Run(m.String(), func(t *testing.T) {
			testGoProgram(t, tl, newNetNS(t), m)
		})
	}
}

// TestVMTraceSubscriber traces an RTNLGRP_LINK subscriber with each probe
// set: every notification is captured once, with its group.
func TestVMTraceSubscriber(t *testing.T) {
	testenv.RequireVM(t)
	tl := vmTools(t)
	for _, m := range vmMethods() {
		t.Run(m.String(), func(t *testing.T) {
			testSubscriber(t, tl, newNetNS(t), m)
		})
	}
}

// TestVMTraceAttachBlocked attaches with -p to a link monitor blocked in
// recvmsg with each probe set: the event its call was waiting for when the
// probes were attached is shown, as on the host (where only the tracepoint
// set loads). fexit and kretprobe miss that call; the exit from the system
// call recovers it.
func TestVMTraceAttachBlocked(t *testing.T) {
	testenv.RequireVM(t)
	tl := vmTools(t)
	for _, m := range vmMethods() {
		t.Run(m.String(), func(t *testing.T) {
			testAttachBlocked(t, tl, newNetNS(t), []string{"--probe", m.String()}, false)
		})
	}
}

// TestVMTraceAuto checks that nltrace picks fentry on a stock kernel, and
// follows the program's re-executed child with it.
func TestVMTraceAuto(t *testing.T) {
	testenv.RequireVM(t)
	tl := vmTools(t)
	ns := newNetNS(t)
	dir := t.TempDir()
	logName, capName := filepath.Join(dir, "log"), filepath.Join(dir, "cap.pcapng")
	r := traceToEnd(t, tl, ns, 0, "-w", capName, "--", tl.prog, "-log", logName, "fork")
	if want := "nltrace: tracing with the fentry probe set"; !strings.Contains(r.stderr.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	ops, _ := readLog(t, logName)
	recs, _ := readPcapng(t, capName)
	compareEvents(t, eventsOfLog(ops), eventsOfRecords(t, recs, lockedPorts(ops), tl.progComm(), ns.inode, capture.MethodFentry))
}
