package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedUpToDate regenerates internal/linuxabi's files in memory and
// fails when the committed ones differ: a portable file uses a unix.X that
// is not generated yet, or no longer uses one.
func TestGeneratedUpToDate(t *testing.T) {
	files, err := generate("../../..", arches)
	if err != nil {
		t.Fatal(err)
	}
	onDisk, _ := filepath.Glob("../z*.go")
	if len(onDisk) != len(files) {
		t.Errorf("internal/linuxabi has %d generated files, the generator writes %d", len(onDisk), len(files))
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join("..", name))
		if err != nil {
			t.Errorf("%v; run go generate in internal/linuxabi", err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("internal/linuxabi/%s is not what the module's portable files need; run go generate in internal/linuxabi", name)
		}
	}
}

// TestGenerateRejectsCalls checks that a portable file calling a function
// of unix is refused with a pointer to the file, not generated.
func TestGenerateRejectsCalls(t *testing.T) {
	root := t.TempDir()
	abi := filepath.Join(root, "internal", "linuxabi")
	if err := os.MkdirAll(abi, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(root, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gomod, err := os.ReadFile("../../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	gosum, _ := os.ReadFile("../../../go.sum")
	write("go.mod", string(gomod))
	write("go.sum", string(gosum))
	write("internal/linuxabi/errno.go", "package linuxabi\n\ntype Errno uintptr\n")
	write("a.go", "package a\n\nimport unix \""+abiPkg+"\"\n\nvar _ = unix.IFLA_MTU + unix.Getpid()\n")
	_, err = generate(root, arches[:1])
	if err == nil {
		t.Fatal("generate accepted unix.Getpid in a portable file")
	}
	if want := "a.go: unix.Getpid is not a constant"; !bytes.Contains([]byte(err.Error()), []byte(want)) {
		t.Errorf("error %q does not say %q", err, want)
	}
}
