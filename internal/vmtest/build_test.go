package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseLdd(t *testing.T) {
	tests := []struct {
		name    string
		out     string
		want    []string
		wantErr bool
	}{
		{
			name: "dynamic",
			out: "\tlinux-vdso.so.1 (0x00007ffd)\n" +
				"\tlibpcap.so.0.8 => /lib/x86_64-linux-gnu/libpcap.so.0.8 (0x00007f25)\n" +
				"\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f25)\n" +
				"\t/lib64/ld-linux-x86-64.so.2 (0x00007f25)\n",
			want: []string{"/lib/x86_64-linux-gnu/libpcap.so.0.8", "/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"},
		},
		{name: "static", out: "\tnot a dynamic executable\n"},
		{name: "static-pie", out: "\tstatically linked\n"},
		{name: "missing library", out: "\tlibfoo.so.1 => not found\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseLdd([]byte(tt.out))
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseLdd: error %v, want error: %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseLdd (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFindVMPackages(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"go.mod":                           "module example.com/m\n",
		"a/vm_linux_test.go":               "package a\n\nfunc TestVMLinks(t *testing.T) {}\n",
		"a/other_test.go":                  "package a\n\nfunc TestVMMore(t *testing.T) {}\n",
		"b/c/x_test.go":                    "package c\n\nfunc TestVMSomething(tt *testing.T) {\n}\n",
		"d/plain_test.go":                  "package d\n\nfunc TestVerify(t *testing.T) {}\n// func TestVMCommented(t *testing.T) {}\n",
		"e/notatest.go":                    "package e\n\nfunc TestVMNot(t *testing.T) {}\n",
		"f/testdata/x_test.go":             "package x\n\nfunc TestVMData(t *testing.T) {}\n",
		".cache/y/y_test.go":               "package y\n\nfunc TestVMHidden(t *testing.T) {}\n",
		"nested/go.mod":                    "module example.com/nested\n",
		"nested/z_test.go":                 "package z\n\nfunc TestVMNested(t *testing.T) {}\n",
		"root_test.go":                     "package m\n\nfunc TestVMRoot(t *testing.T) {}\n",
		"g/bench_test.go":                  "package g\n\nfunc BenchmarkTestVM(b *testing.B) {}\n",
		"h/helper_test.go":                 "package h\n\nfunc TestVMHelper(t testing.TB) {}\n",
		"i/vm_linux_test.go":               "package i\n\nfunc TestVM(t *testing.T) {}\n",
		"j/deeper/still/deeper/vm_test.go": "package deeper\n\nfunc TestVMDeep(t *testing.T) {}\n",
	}
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := findVMPackages(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{".", "a", "b/c", "i", "j/deeper/still/deeper"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findVMPackages (-want +got):\n%s", diff)
	}
}

func TestBinaryName(t *testing.T) {
	for pkg, want := range map[string]string{".": "root.test", "client": "client.test", "capture/ebpf": "capture_ebpf.test"} {
		if got := binaryName(pkg); got != want {
			t.Errorf("binaryName(%q) = %q, want %q", pkg, got, want)
		}
	}
}

// TestFindVMPackagesInThisModule keeps the runner honest about the real
// tree: it must find at least the packages this runner's author wrote
// TestVM tests in.
func TestFindVMPackagesInThisModule(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	got, err := findVMPackages(root)
	if err != nil {
		t.Fatal(err)
	}
	have := strings.Join(got, " ")
	for _, pkg := range []string{"client", "internal/vmtest"} {
		if !strings.Contains(" "+have+" ", " "+pkg+" ") {
			t.Errorf("findVMPackages(%s) = %v, missing %s", root, got, pkg)
		}
	}
}
