package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseMetaDepends(t *testing.T) {
	tests := []struct {
		name    string
		out     string
		want    string
		wantErr bool
	}{
		{name: "bookworm", out: "linux-image-cloud-amd64\n  Depends: linux-image-6.1.0-56-cloud-amd64\n", want: "linux-image-6.1.0-56-cloud-amd64"},
		{name: "alternatives", out: "linux-image-cloud-amd64\n |Depends: linux-image-6.1.0-56-cloud-amd64\n  Depends: foo\n", want: "linux-image-6.1.0-56-cloud-amd64"},
		{name: "other dependencies first", out: "x\n  Depends: initramfs-tools\n  Depends: linux-image-6.12.9-cloud-amd64\n", want: "linux-image-6.12.9-cloud-amd64"},
		{name: "virtual only", out: "x\n  Depends: <linux-image-virtual>\n", wantErr: true},
		{name: "nothing", out: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseMetaDepends([]byte(tt.out))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseMetaDepends = %q, %v; want %q, error: %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseControlField(t *testing.T) {
	out := []byte("Package: linux-image-6.1.0-56-cloud-amd64\nSource: linux-signed-amd64 (6.1.192+2)\nVersion: 6.1.192-2\n\nPackage: second\nVersion: 0\n")
	got, err := parseControlField(out, "Version")
	if err != nil || got != "6.1.192-2" {
		t.Errorf("Version = %q, %v; want 6.1.192-2", got, err)
	}
	if _, err := parseControlField(out, "Missing"); err == nil {
		t.Error("a missing field gave no error")
	}
}

func TestReleaseOf(t *testing.T) {
	for pkg, want := range map[string]string{
		"linux-image-6.1.0-56-cloud-amd64":          "6.1.0-56-cloud-amd64",
		"linux-image-6.1.0-56-cloud-amd64-unsigned": "6.1.0-56-cloud-amd64",
	} {
		if got, err := releaseOf(pkg); err != nil || got != want {
			t.Errorf("releaseOf(%q) = %q, %v; want %q", pkg, got, err, want)
		}
	}
	if _, err := releaseOf("busybox-static"); err == nil {
		t.Error("releaseOf(busybox-static) gave no error")
	}
}

func TestNewestCachedKernel(t *testing.T) {
	cache := t.TempDir()
	add := func(pkg, version, release string, age time.Duration, complete bool) {
		root := filepath.Join(cache, cacheEntryName(pkg, version))
		for _, d := range []string{"boot", filepath.Join("lib", "modules", release)} {
			if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(root, "boot", "vmlinuz-"+release), []byte("MZ"), 0o644); err != nil {
			t.Fatal(err)
		}
		if !complete {
			return
		}
		marker := filepath.Join(root, completeMarker)
		meta := "Package: " + pkg + "\nVersion: " + version + "\nRelease: " + release + "\n"
		if err := os.WriteFile(marker, []byte(meta), 0o644); err != nil {
			t.Fatal(err)
		}
		when := time.Now().Add(-age)
		if err := os.Chtimes(marker, when, when); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := newestCachedKernel(cache); err == nil {
		t.Fatal("an empty cache gave a kernel")
	}
	add("linux-image-6.1.0-55-cloud-amd64", "6.1.176-1", "6.1.0-55-cloud-amd64", 2*time.Hour, true)
	add("linux-image-6.1.0-56-cloud-amd64", "6.1.192-2", "6.1.0-56-cloud-amd64", time.Hour, true)
	add("linux-image-6.1.0-57-cloud-amd64", "6.1.200-1", "6.1.0-57-cloud-amd64", 0, false) // interrupted
	got, err := newestCachedKernel(cache)
	if err != nil {
		t.Fatal(err)
	}
	want := kernel{
		Package: "linux-image-6.1.0-56-cloud-amd64", Version: "6.1.192-2", Release: "6.1.0-56-cloud-amd64",
		Root: filepath.Join(cache, "linux-image-6.1.0-56-cloud-amd64_6.1.192-2"),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("newestCachedKernel (-want +got):\n%s", diff)
	}
}
