package main

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/internal/testenv"
)

// The TestVM tests of this package check the guest that the runner builds:
// that its init did its job and that the kernel offers what the host's
// kernel refuses, so that a broken VM fails here with a clear reason rather
// than as a puzzling failure in another package.

func TestVMGuestMounts(t *testing.T) {
	testenv.RequireVM(t)
	mounts := map[string]string{} // mount point → file system type
	f, err := os.Open("/proc/mounts")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) >= 3 {
			mounts[fields[1]] = fields[2]
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for point, fstype := range map[string]string{
		"/proc": "proc", "/sys": "sysfs", "/dev": "devtmpfs", "/sys/kernel/tracing": "tracefs",
		"/sys/kernel/debug": "debugfs", "/sys/fs/bpf": "bpf", "/sys/fs/cgroup": "cgroup2",
	} {
		if got := mounts[point]; got != fstype {
			t.Errorf("%s: mounted as %q, want %q", point, got, fstype)
		}
	}
}

func TestVMGuestModules(t *testing.T) {
	testenv.RequireVM(t)
	var uts unix.Utsname
	if err := unix.Uname(&uts); err != nil {
		t.Fatal(err)
	}
	release := unix.ByteSliceToString(uts.Release[:])
	builtin := map[string]bool{}
	if data, err := os.ReadFile(filepath.Join("/lib/modules", release, "modules.builtin")); err == nil {
		for _, line := range strings.Fields(string(data)) {
			builtin[moduleName(line)] = true
		}
	}
	for _, m := range testModules() {
		if _, err := os.Stat(filepath.Join("/sys/module", m)); err != nil && !builtin[m] {
			t.Errorf("kernel module %s is not loaded: %v", m, err)
		}
	}
}

func TestVMGuestTools(t *testing.T) {
	testenv.RequireVM(t)
	nltrace := os.Getenv("NLTRACE_BIN")
	if nltrace == "" {
		t.Fatal("NLTRACE_BIN is not set")
	}
	tests := []struct {
		name string
		args []string
		want string // in the combined output
	}{
		{"ip", []string{"-V"}, "iproute2"},
		{"tc", []string{"-V"}, "iproute2"},
		{"bridge", []string{"-V"}, "bridge utility"},
		{"tcpdump", []string{"--version"}, "libpcap"},
		{nltrace, []string{"version"}, "nltrace "},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.name), func(t *testing.T) {
			out, err := exec.Command(tt.name, tt.args...).CombinedOutput()
			if err != nil {
				t.Fatalf("%s %s: %v\n%s", tt.name, strings.Join(tt.args, " "), err, out)
			}
			if !strings.Contains(string(out), tt.want) {
				t.Errorf("%s %s: output %q does not mention %q", tt.name, strings.Join(tt.args, " "), out, tt.want)
			}
		})
	}
}

// TestVMGuestProbes attaches a counting program through each probe type
// nltrace's capture uses, sends one netlink request, and checks that every
// probe fired: the host kernel refuses fentry and has no kprobes, so this
// is where those paths get a kernel that runs them.
func TestVMGuestProbes(t *testing.T) {
	testenv.RequireVM(t)
	tests := []struct {
		name   string
		typ    ebpf.ProgramType
		attach ebpf.AttachType
		to     string
		link   func(*ebpf.Program) (link.Link, error)
	}{
		{name: "fentry netlink_sendmsg", typ: ebpf.Tracing, attach: ebpf.AttachTraceFEntry, to: "netlink_sendmsg",
			link: func(p *ebpf.Program) (link.Link, error) { return link.AttachTracing(link.TracingOptions{Program: p}) }},
		{name: "fexit netlink_recvmsg", typ: ebpf.Tracing, attach: ebpf.AttachTraceFExit, to: "netlink_recvmsg",
			link: func(p *ebpf.Program) (link.Link, error) { return link.AttachTracing(link.TracingOptions{Program: p}) }},
		{name: "kprobe netlink_sendmsg", typ: ebpf.Kprobe,
			link: func(p *ebpf.Program) (link.Link, error) { return link.Kprobe("netlink_sendmsg", p, nil) }},
		{name: "kretprobe netlink_recvmsg", typ: ebpf.Kprobe,
			link: func(p *ebpf.Program) (link.Link, error) { return link.Kretprobe("netlink_recvmsg", p, nil) }},
		{name: "kprobe __netlink_sendskb", typ: ebpf.Kprobe,
			link: func(p *ebpf.Program) (link.Link, error) { return link.Kprobe("__netlink_sendskb", p, nil) }},
		// client's socket sends with sendto and receives with recvmsg.
		{name: "tracepoint sys_enter_sendto", typ: ebpf.TracePoint,
			link: func(p *ebpf.Program) (link.Link, error) {
				return link.Tracepoint("syscalls", "sys_enter_sendto", p, nil)
			}},
		{name: "tracepoint sys_exit_recvmsg", typ: ebpf.TracePoint,
			link: func(p *ebpf.Program) (link.Link, error) {
				return link.Tracepoint("syscalls", "sys_exit_recvmsg", p, nil)
			}},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) {
			counter, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.Array, KeySize: 4, ValueSize: 8, MaxEntries: 1})
			if err != nil {
				t.Fatalf("create counter map: %v", err)
			}
			defer counter.Close()
			prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
				Type: tt.typ, AttachType: tt.attach, AttachTo: tt.to, License: "GPL",
				Instructions: countingProgram(counter.FD()),
			})
			if err != nil {
				var verr *ebpf.VerifierError
				if errors.As(err, &verr) {
					t.Fatalf("load program: %+v", verr)
				}
				t.Fatalf("load program: %v", err)
			}
			defer prog.Close()
			l, err := tt.link(prog)
			if err != nil {
				t.Fatalf("attach: %v", err)
			}
			defer l.Close()

			sendNetlinkRequest(t)

			var count uint64
			if err := counter.Lookup(uint32(0), &count); err != nil {
				t.Fatalf("read counter: %v", err)
			}
			if count == 0 {
				t.Errorf("the probe never fired during a netlink request")
			}
		})
	}
}

// countingProgram adds one to element 0 of the array map with fd, and
// returns 0.
func countingProgram(mapFD int) asm.Instructions {
	return asm.Instructions{
		asm.StoreImm(asm.RFP, -4, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, mapFD),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, -4),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "out"),
		asm.Mov.Imm(asm.R1, 1),
		asm.StoreXAdd(asm.R0, asm.R1, asm.DWord),
		asm.Mov.Imm(asm.R0, 0).WithSymbol("out"),
		asm.Return(),
	}
}

// sendNetlinkRequest lists the links through rtnetlink: one send and a
// few receives.
func sendNetlinkRequest(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	rc, err := client.DialRoute(nil)
	if err != nil {
		t.Fatalf("DialRoute: %v", err)
	}
	defer rc.Close()
	links, err := rc.ListLinks(ctx)
	if err != nil {
		t.Fatalf("ListLinks: %v", err)
	}
	if len(links) == 0 {
		t.Fatal("ListLinks returned no links, not even lo")
	}
}
