package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// cpioRecord is one record of a newc archive, as readNewc sees it.
type cpioRecord struct {
	Name  string
	Mode  uint32
	Nlink uint32
	Body  string // file data or symlink target
}

// readNewc parses a newc archive independently of the writer, checking
// the magic and the 4-byte alignment of every header and body.
func readNewc(t *testing.T, b []byte) []cpioRecord {
	t.Helper()
	var recs []cpioRecord
	off := 0
	field := func(i int) uint32 {
		v, err := strconv.ParseUint(string(b[off+6+8*i:off+6+8*i+8]), 16, 32)
		if err != nil {
			t.Fatalf("offset %d: header field %d: %v", off, i, err)
		}
		return uint32(v)
	}
	align := func(n int) int { return (n + 3) &^ 3 }
	for {
		if off%4 != 0 || off+110 > len(b) {
			t.Fatalf("record at offset %d: misaligned or truncated (archive is %d bytes)", off, len(b))
		}
		if magic := string(b[off : off+6]); magic != "070701" {
			t.Fatalf("offset %d: magic %q", off, magic)
		}
		mode, nlink, size, namesize := field(1), field(4), int(field(6)), int(field(11))
		nameStart := off + 110
		name := string(b[nameStart : nameStart+namesize-1])
		if b[nameStart+namesize-1] != 0 {
			t.Fatalf("%s: name not NUL-terminated", name)
		}
		bodyStart := align(nameStart + namesize)
		if name == "TRAILER!!!" {
			if rest := len(b) - bodyStart; rest != 0 {
				t.Fatalf("%d bytes after the trailer", rest)
			}
			return recs
		}
		recs = append(recs, cpioRecord{Name: name, Mode: mode, Nlink: nlink, Body: string(b[bodyStart : bodyStart+size])})
		off = align(bodyStart + size)
	}
}

func TestImageWriteTo(t *testing.T) {
	hostFile := filepath.Join(t.TempDir(), "host")
	if err := os.WriteFile(hostFile, []byte("from the host\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		build func(im *image)
		want  []cpioRecord
	}{
		{
			name:  "empty",
			build: func(*image) {},
			want:  nil,
		},
		{
			name: "parents come first",
			build: func(im *image) {
				im.File("/a/b/c", 0o644, []byte("abc"))
				im.Dir("/tmp", 0o1777)
			},
			want: []cpioRecord{
				{Name: "a", Mode: modeDir | 0o755, Nlink: 2},
				{Name: "a/b", Mode: modeDir | 0o755, Nlink: 2},
				{Name: "a/b/c", Mode: modeRegular | 0o644, Nlink: 1, Body: "abc"},
				{Name: "tmp", Mode: modeDir | 0o1777, Nlink: 2},
			},
		},
		{
			name: "every kind, odd lengths for padding",
			build: func(im *image) {
				im.File("init", 0o755, []byte("#!/bin/sh\n"))
				im.HostFile("/usr/lib/x", 0o600, hostFile)
				im.Symlink("/bin/sh", "/bin/busybox")
				im.File("/e", 0o644, nil)
			},
			want: []cpioRecord{
				{Name: "bin", Mode: modeDir | 0o755, Nlink: 2},
				{Name: "bin/sh", Mode: modeSymlink | 0o777, Nlink: 1, Body: "/bin/busybox"},
				{Name: "e", Mode: modeRegular | 0o644, Nlink: 1},
				{Name: "init", Mode: modeRegular | 0o755, Nlink: 1, Body: "#!/bin/sh\n"},
				{Name: "usr", Mode: modeDir | 0o755, Nlink: 2},
				{Name: "usr/lib", Mode: modeDir | 0o755, Nlink: 2},
				{Name: "usr/lib/x", Mode: modeRegular | 0o600, Nlink: 1, Body: "from the host\n"},
			},
		},
		{
			name: "a later entry replaces an earlier one",
			build: func(im *image) {
				im.File("/f", 0o644, []byte("old"))
				im.Symlink("/f", "/g")
			},
			want: []cpioRecord{{Name: "f", Mode: modeSymlink | 0o777, Nlink: 1, Body: "/g"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im := newImage()
			tt.build(im)
			var buf bytes.Buffer
			n, err := im.WriteTo(&buf)
			if err != nil {
				t.Fatalf("WriteTo: %v", err)
			}
			if n != int64(buf.Len()) {
				t.Errorf("WriteTo returned %d, wrote %d bytes", n, buf.Len())
			}
			if diff := cmp.Diff(tt.want, readNewc(t, buf.Bytes())); diff != "" {
				t.Errorf("archive (-want +got):\n%s", diff)
			}
		})
	}
}

func TestImageWriteToMissingHostFile(t *testing.T) {
	im := newImage()
	im.HostFile("/x", 0o644, filepath.Join(t.TempDir(), "missing"))
	_, err := im.WriteTo(&bytes.Buffer{})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("WriteTo with a missing host file: got %v, want a not-exist error", err)
	}
}

// TestImageCpioTool checks that GNU cpio, an independent reader, extracts
// what the writer wrote.
func TestImageCpioTool(t *testing.T) {
	cpio, err := exec.LookPath("cpio")
	if err != nil {
		t.Skip("cpio is not installed")
	}
	im := newImage()
	im.File("/etc/passwd", 0o644, []byte("root:x:0:0::/root:/bin/sh\n"))
	im.Symlink("/bin/sh", "busybox")
	im.File("/bin/busybox", 0o755, bytes.Repeat([]byte{0x7f, 'E', 'L', 'F', 1}, 1001))
	var archive bytes.Buffer
	if _, err := im.WriteTo(&archive); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command(cpio, "-i", "-d", "--quiet")
	cmd.Dir = dir
	cmd.Stdin = &archive
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cpio -i: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, name := range []string{"etc/passwd", "bin/busybox"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(filepath.Join(dir, name))
		got[name] = fmt.Sprintf("%d bytes %v", len(data), st.Mode().Perm())
	}
	target, err := os.Readlink(filepath.Join(dir, "bin/sh"))
	if err != nil {
		t.Fatal(err)
	}
	got["bin/sh"] = "-> " + target
	want := map[string]string{
		"etc/passwd":  "26 bytes -rw-r--r--",
		"bin/busybox": "5005 bytes -rwxr-xr-x",
		"bin/sh":      "-> busybox",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("extracted by cpio (-want +got):\n%s", diff)
	}
}
