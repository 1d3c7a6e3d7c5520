package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
)

// Unix file type bits, as the newc header's mode field carries them.
const (
	modeDir     = 0o040000
	modeRegular = 0o100000
	modeSymlink = 0o120000
)

// entry is one file of an initramfs image. A regular file's bytes come
// either from data or from the host file at source.
type entry struct {
	mode   uint32 // type bits and permissions
	data   []byte
	source string
	target string // symlink target
}

// image is the file tree of an initramfs, built up in memory and written
// out as a newc cpio archive. Names are absolute slash paths.
type image struct {
	entries map[string]entry
}

func newImage() *image {
	return &image{entries: map[string]entry{"/": {mode: modeDir | 0o755}}}
}

func cleanName(name string) string {
	return path.Clean("/" + name)
}

// addParents creates the missing directories above name.
func (im *image) addParents(name string) {
	for dir := path.Dir(name); dir != "/"; dir = path.Dir(dir) {
		if _, ok := im.entries[dir]; ok {
			return
		}
		im.entries[dir] = entry{mode: modeDir | 0o755}
	}
}

// Dir adds a directory with permissions perm (for example 0o1777 for /tmp).
func (im *image) Dir(name string, perm uint32) {
	name = cleanName(name)
	im.addParents(name)
	im.entries[name] = entry{mode: modeDir | perm&0o7777}
}

// File adds a regular file holding data.
func (im *image) File(name string, perm uint32, data []byte) {
	name = cleanName(name)
	im.addParents(name)
	im.entries[name] = entry{mode: modeRegular | perm&0o7777, data: data}
}

// HostFile adds a regular file whose bytes are read from source when the
// image is written; symlinks at source are followed.
func (im *image) HostFile(name string, perm uint32, source string) {
	name = cleanName(name)
	im.addParents(name)
	im.entries[name] = entry{mode: modeRegular | perm&0o7777, source: source}
}

// Symlink adds a symbolic link to target.
func (im *image) Symlink(name, target string) {
	name = cleanName(name)
	im.addParents(name)
	im.entries[name] = entry{mode: modeSymlink | 0o777, target: target}
}

// Has reports whether the image holds name.
func (im *image) Has(name string) bool {
	_, ok := im.entries[cleanName(name)]
	return ok
}

// WriteTo writes the image as a newc cpio archive; parents always come
// before their children, as the kernel's unpacker needs.
func (im *image) WriteTo(w io.Writer) (int64, error) {
	names := make([]string, 0, len(im.entries))
	for name := range im.entries {
		if name != "/" {
			names = append(names, name)
		}
	}
	sort.Strings(names) // "/a" sorts before "/a/b"
	cw := &cpioWriter{w: bufio.NewWriterSize(w, 1<<20)}
	for _, name := range names {
		e := im.entries[name]
		if err := cw.write(strings.TrimPrefix(name, "/"), e); err != nil {
			return cw.n, fmt.Errorf("cpio: %s: %w", name, err)
		}
	}
	if err := cw.trailer(); err != nil {
		return cw.n, fmt.Errorf("cpio: trailer: %w", err)
	}
	return cw.n, cw.w.Flush()
}

// cpioWriter writes newc ("070701") records.
type cpioWriter struct {
	w   *bufio.Writer
	n   int64
	ino uint32
}

func (cw *cpioWriter) put(b []byte) error {
	k, err := cw.w.Write(b)
	cw.n += int64(k)
	return err
}

func (cw *cpioWriter) pad() error {
	if r := cw.n % 4; r != 0 {
		return cw.put(make([]byte, 4-r))
	}
	return nil
}

// header writes a record header and the NUL-terminated, padded name.
func (cw *cpioWriter) header(name string, mode uint32, nlink uint32, size int64) error {
	if size > 0xffffffff {
		return fmt.Errorf("file of %d bytes is too big for newc", size)
	}
	cw.ino++
	h := fmt.Sprintf("070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		cw.ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, len(name)+1, 0)
	if err := cw.put([]byte(h)); err != nil {
		return err
	}
	if err := cw.put(append([]byte(name), 0)); err != nil {
		return err
	}
	return cw.pad()
}

func (cw *cpioWriter) write(name string, e entry) error {
	switch e.mode &^ 0o7777 {
	case modeDir:
		return cw.header(name, e.mode, 2, 0)
	case modeSymlink:
		if err := cw.header(name, e.mode, 1, int64(len(e.target))); err != nil {
			return err
		}
		if err := cw.put([]byte(e.target)); err != nil {
			return err
		}
		return cw.pad()
	case modeRegular:
		if e.source == "" {
			if err := cw.header(name, e.mode, 1, int64(len(e.data))); err != nil {
				return err
			}
			if err := cw.put(e.data); err != nil {
				return err
			}
			return cw.pad()
		}
		return cw.copyFile(name, e)
	default:
		return fmt.Errorf("unsupported file mode %#o", e.mode)
	}
}

func (cw *cpioWriter) copyFile(name string, e entry) error {
	f, err := os.Open(e.source)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", e.source)
	}
	if err := cw.header(name, e.mode, 1, st.Size()); err != nil {
		return err
	}
	k, err := io.Copy(cw.w, io.LimitReader(f, st.Size()))
	cw.n += k
	if err != nil {
		return err
	}
	if k != st.Size() {
		return fmt.Errorf("%s shrank while being copied (%d of %d bytes)", e.source, k, st.Size())
	}
	return cw.pad()
}

func (cw *cpioWriter) trailer() error {
	return cw.header("TRAILER!!!", 0, 1, 0)
}
