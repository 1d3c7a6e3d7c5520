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
	add := func(meta, pkg, version, release string, age time.Duration, complete bool) {
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
		fields := "Package: " + pkg + "\nVersion: " + version + "\nRelease: " + release + "\n"
		if meta != "" {
			fields = "Meta: " + meta + "\n" + fields
		}
		if err := os.WriteFile(marker, []byte(fields), 0o644); err != nil {
			t.Fatal(err)
		}
		when := time.Now().Add(-age)
		if err := os.Chtimes(marker, when, when); err != nil {
			t.Fatal(err)
		}
	}
	const meta61, meta612 = "linux-image-cloud-amd64", "linux-image-6.12-cloud-amd64"
	if _, err := newestCachedKernel(cache, meta61); err == nil {
		t.Fatal("an empty cache gave a kernel")
	}
	// An entry from before markers named the meta-package is the default's.
	add("", "linux-image-6.1.0-55-cloud-amd64", "6.1.176-1", "6.1.0-55-cloud-amd64", 2*time.Hour, true)
	add(meta61, "linux-image-6.1.0-56-cloud-amd64", "6.1.192-2", "6.1.0-56-cloud-amd64", time.Hour, true)
	add(meta61, "linux-image-6.1.0-57-cloud-amd64", "6.1.200-1", "6.1.0-57-cloud-amd64", 0, false) // interrupted
	add(meta612, "linux-image-6.12.117+deb12-cloud-amd64", "6.12.117-1~deb12u1", "6.12.117+deb12-cloud-amd64", 30*time.Minute, true)
	if _, err := newestCachedKernel(cache, "linux-image-rt-amd64"); err == nil {
		t.Error("a meta-package with no cached kernel gave one")
	}
	for meta, want := range map[string]kernel{
		meta61: {Meta: meta61, Package: "linux-image-6.1.0-56-cloud-amd64", Version: "6.1.192-2", Release: "6.1.0-56-cloud-amd64",
			Root: filepath.Join(cache, "linux-image-6.1.0-56-cloud-amd64_6.1.192-2")},
		meta612: {Meta: meta612, Package: "linux-image-6.12.117+deb12-cloud-amd64", Version: "6.12.117-1~deb12u1", Release: "6.12.117+deb12-cloud-amd64",
			Root: filepath.Join(cache, "linux-image-6.12.117+deb12-cloud-amd64_6.12.117-1~deb12u1")},
	} {
		got, err := newestCachedKernel(cache, meta)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("newestCachedKernel(%s) (-want +got):\n%s", meta, diff)
		}
	}
}
