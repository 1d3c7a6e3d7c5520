package ebpf

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"github.com/google/go-cmp/cmp"
)

// ptRegsFields returns the pt_regs and user_pt_regs fields that an object's
// programs read through CO-RE relocations, by program.
func ptRegsFields(t *testing.T, file string) (*ebpf.CollectionSpec, map[string][]string) {
	t.Helper()
	spec, err := ebpf.LoadCollectionSpec(file)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	// CORERelocation prints as CORERelocation(kind, Struct:"name"[0:N...], ...).
	re := regexp.MustCompile(`Struct:"((?:user_)?pt_regs)"\[0:(\d+)`)
	out := map[string][]string{}
	for name, p := range spec.Programs {
		for i := range p.Instructions {
			relo := btf.CORERelocationMetadata(&p.Instructions[i])
			if relo == nil {
				continue
			}
			m := re.FindStringSubmatch(relo.String())
			if m == nil {
				continue
			}
			var st *btf.Struct
			if err := spec.Types.TypeByName(m[1], &st); err != nil {
				t.Fatalf("%s: %s: %v", file, m[1], err)
			}
			n, _ := strconv.Atoi(m[2])
			if n >= len(st.Members) {
				t.Fatalf("%s: %s has no member %d", file, m[1], n)
			}
			f := m[1] + "." + st.Members[n].Name
			if !slices.Contains(out[name], f) {
				out[name] = append(out[name], f)
			}
		}
		slices.Sort(out[name])
	}
	return spec, out
}

// TestObjectsPerArchitecture parses the committed amd64 and arm64 objects
// (cilium/ebpf's spec parser; only the amd64 one is loaded into a kernel,
// by the host and VM tests) and checks that they hold the same programs
// and maps, and that each reads the system call's number and arguments from
// its own architecture's registers.
func TestObjectsPerArchitecture(t *testing.T) {
	x86, x86Regs := ptRegsFields(t, "nltrace_x86_bpfel.o")
	arm, armRegs := ptRegsFields(t, "nltrace_arm64_bpfel.o")
	names := func(spec *ebpf.CollectionSpec) (progs, maps []string) {
		for n := range spec.Programs {
			progs = append(progs, n)
		}
		for n := range spec.Maps {
			maps = append(maps, n)
		}
		slices.Sort(progs)
		slices.Sort(maps)
		return
	}
	xp, xm := names(x86)
	ap, am := names(arm)
	if d := cmp.Diff(xp, ap); d != "" {
		t.Errorf("programs differ between amd64 and arm64 (-amd64 +arm64):\n%s", d)
	}
	if d := cmp.Diff(xm, am); d != "" {
		t.Errorf("maps differ between amd64 and arm64 (-amd64 +arm64):\n%s", d)
	}
	want := map[string]map[string][]string{
		"amd64": {
			"sys_enter_netlink": {"pt_regs.di", "pt_regs.dx", "pt_regs.r10", "pt_regs.r8", "pt_regs.r9", "pt_regs.si"},
			// sys_exit_netlink calls recover_call, which reads the arguments too.
			"sys_exit_netlink":       {"pt_regs.di", "pt_regs.dx", "pt_regs.orig_ax", "pt_regs.r10", "pt_regs.r8", "pt_regs.r9", "pt_regs.si"},
			"kprobe_netlink_sendmsg": {"pt_regs.di", "pt_regs.si"},
		},
		"arm64": {
			"sys_enter_netlink":      {"pt_regs.orig_x0", "pt_regs.regs"},
			"sys_exit_netlink":       {"pt_regs.orig_x0", "pt_regs.regs", "pt_regs.syscallno"},
			"kprobe_netlink_sendmsg": {"user_pt_regs.regs"},
		},
	}
	for arch, got := range map[string]map[string][]string{"amd64": x86Regs, "arm64": armRegs} {
		for prog, fields := range want[arch] {
			if d := cmp.Diff(fields, got[prog]); d != "" {
				t.Errorf("%s %s reads registers (-want +got):\n%s", arch, prog, d)
			}
		}
	}
	if arm.ByteOrder.String() != "LittleEndian" {
		t.Errorf("arm64 object byte order %v", arm.ByteOrder)
	}
	var notFound *btf.Struct
	if err := arm.Types.TypeByName("user_pt_regs", &notFound); errors.Is(err, btf.ErrNotFound) {
		t.Errorf("arm64 object has no user_pt_regs for its kprobes")
	}
}
