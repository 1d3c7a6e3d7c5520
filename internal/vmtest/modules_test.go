package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nltrace/nltrace/internal/testenv"
)

func TestModuleName(t *testing.T) {
	tests := map[string]string{
		"kernel/drivers/net/nlmon.ko":          "nlmon",
		"kernel/net/netfilter/nf_tables.ko.xz": "nf_tables",
		"kernel/net/sched/act-gact.ko.zst":     "act_gact",
		"nf_conntrack":                         "nf_conntrack",
	}
	for in, want := range tests {
		if got := moduleName(in); got != want {
			t.Errorf("moduleName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseModinfoDepends(t *testing.T) {
	tests := []struct {
		name string
		info string
		want []string
	}{
		{"two", "license=GPL\x00depends=nf_conntrack,nfnetlink\x00name=nf_conntrack_netlink\x00", []string{"nf_conntrack", "nfnetlink"}},
		{"none", "license=GPL\x00depends=\x00name=dummy\x00", []string{}},
		{"absent", "license=GPL\x00name=dummy\x00", []string{}},
		{"dashes", "depends=foo-bar\x00", []string{"foo_bar"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, parseModinfoDepends([]byte(tt.info))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseModulesDep(t *testing.T) {
	in := "kernel/net/netfilter/nf_conntrack_netlink.ko: kernel/net/netfilter/nf_conntrack.ko kernel/net/netfilter/nfnetlink.ko\n" +
		"kernel/drivers/net/dummy.ko:\n\n"
	files, deps, err := parseModulesDep(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := map[string]string{
		"nf_conntrack_netlink": "kernel/net/netfilter/nf_conntrack_netlink.ko",
		"dummy":                "kernel/drivers/net/dummy.ko",
	}
	wantDeps := map[string][]string{
		"nf_conntrack_netlink": {"nf_conntrack", "nfnetlink"},
		"dummy":                {},
	}
	if diff := cmp.Diff(wantFiles, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantDeps, deps); diff != "" {
		t.Errorf("deps (-want +got):\n%s", diff)
	}
	if _, _, err := parseModulesDep(strings.NewReader("no colon here\n")); err == nil {
		t.Error("a line without a colon parsed without error")
	}
}

// fakeIndex is a module index whose dependencies come from a table, as if
// read from each module's .modinfo.
func fakeIndex(deps map[string][]string, builtin ...string) *moduleIndex {
	idx := &moduleIndex{dir: "/m", files: map[string]string{}, builtin: map[string]bool{}}
	for name := range deps {
		idx.files[name] = "kernel/" + name + ".ko"
	}
	for _, b := range builtin {
		idx.builtin[b] = true
	}
	idx.modinfo = func(path string) ([]string, error) { return deps[moduleName(path)], nil }
	return idx
}

func TestResolve(t *testing.T) {
	deps := map[string][]string{
		"nf_conntrack_netlink": {"nf_conntrack", "nfnetlink"},
		"nf_conntrack":         {"nf_defrag_ipv4", "nf_defrag_ipv6", "libcrc32c"},
		"nf_tables":            {"nfnetlink", "libcrc32c"},
		"nfnetlink":            {},
		"nf_defrag_ipv4":       {},
		"nf_defrag_ipv6":       {},
		"libcrc32c":            {},
		"nlmon":                {},
		"vxlan":                {"udp_tunnel", "ip6_udp_tunnel"},
		"udp_tunnel":           {},
		"ip6_udp_tunnel":       {},
		"loop_a":               {"loop_b"},
		"loop_b":               {"loop_a"},
		"needs_missing":        {"missing"},
	}
	tests := []struct {
		name    string
		wanted  []string
		want    []string
		wantErr string
	}{
		{
			name:   "dependencies first, each once",
			wanted: []string{"nf_conntrack_netlink", "nf_tables", "nlmon"},
			want: []string{
				"kernel/nf_defrag_ipv4.ko", "kernel/nf_defrag_ipv6.ko", "kernel/libcrc32c.ko", "kernel/nf_conntrack.ko",
				"kernel/nfnetlink.ko", "kernel/nf_conntrack_netlink.ko", "kernel/nf_tables.ko", "kernel/nlmon.ko",
			},
		},
		{
			name:   "built-in modules need no file",
			wanted: []string{"vxlan", "af_packet"},
			want:   []string{"kernel/udp_tunnel.ko", "kernel/ip6_udp_tunnel.ko", "kernel/vxlan.ko"},
		},
		{
			name:   "dashes and underscores are one name",
			wanted: []string{"nf-tables"},
			want:   []string{"kernel/nfnetlink.ko", "kernel/libcrc32c.ko", "kernel/nf_tables.ko"},
		},
		{name: "unknown module", wanted: []string{"nosuch"}, wantErr: "module nosuch: not found in /m and not built in"},
		{name: "unknown dependency", wanted: []string{"needs_missing"}, wantErr: "module missing (needed by needs_missing): not found"},
		{name: "cycle", wanted: []string{"loop_a"}, wantErr: "module dependency cycle: loop_a -> loop_b -> loop_a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fakeIndex(deps, "af_packet").Resolve(tt.wanted)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Resolve(%v): got error %v, want one containing %q", tt.wanted, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve(%v): %v", tt.wanted, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Resolve(%v) (-want +got):\n%s", tt.wanted, diff)
			}
		})
	}
}

func TestModulesDep(t *testing.T) {
	idx := fakeIndex(map[string][]string{
		"nf_conntrack_netlink": {"nf_conntrack", "nfnetlink"},
		"nf_conntrack":         {"libcrc32c"},
		"nfnetlink":            {},
		"libcrc32c":            {},
	})
	order, err := idx.Resolve([]string{"nf_conntrack_netlink"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := idx.modulesDep(order)
	if err != nil {
		t.Fatal(err)
	}
	want := "kernel/libcrc32c.ko:\n" +
		"kernel/nf_conntrack.ko: kernel/libcrc32c.ko\n" +
		"kernel/nfnetlink.ko:\n" +
		"kernel/nf_conntrack_netlink.ko: kernel/nfnetlink.ko kernel/nf_conntrack.ko kernel/libcrc32c.ko\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("modules.dep (-want +got):\n%s", diff)
	}
}

func TestModuleBytesRefusesCompressed(t *testing.T) {
	_, err := moduleBytes("/m/kernel/x.ko.xz")
	if err == nil || !strings.Contains(err.Error(), "compressed kernel modules are not supported") {
		t.Fatalf("moduleBytes(.ko.xz): got %v, want a clear refusal", err)
	}
}

// TestDecompressModules unpacks an xz-compressed module in place, as
// Debian's 6.12 kernels ship them, and leaves plain modules alone.
func TestDecompressModules(t *testing.T) {
	if _, err := exec.LookPath("xz"); err != nil {
		testenv.Skip(t, testenv.Host, "xz is not installed")
	}
	dir := t.TempDir()
	sub := filepath.Join(dir, "kernel", "drivers", "net")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	elf := []byte("\x7fELF module bytes")
	plain, packed := filepath.Join(sub, "dummy.ko"), filepath.Join(sub, "nlmon.ko")
	for _, f := range []string{plain, packed} {
		if err := os.WriteFile(f, elf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("xz", packed).CombinedOutput(); err != nil {
		t.Fatalf("xz: %v: %s", err, out)
	}
	n, err := decompressModules(context.Background(), dir)
	if err != nil || n != 1 {
		t.Fatalf("decompressModules = %d, %v; want 1 unpacked", n, err)
	}
	for _, f := range []string{plain, packed} {
		if b, err := moduleBytes(f); err != nil || string(b) != string(elf) {
			t.Errorf("%s: %q, %v", f, b, err)
		}
	}
	if _, err := os.Stat(packed + ".xz"); !os.IsNotExist(err) {
		t.Errorf("the compressed file is still there: %v", err)
	}
	if n, err := decompressModules(context.Background(), dir); err != nil || n != 0 {
		t.Errorf("second run: %d, %v; want nothing to do", n, err)
	}
}
