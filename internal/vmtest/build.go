package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// moduleRoot returns the directory of the main module's go.mod.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := runTool(ctx, "", "go", "env", "GOMOD")
	if err != nil {
		return "", err
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("not inside a Go module: run vmtest from the nltrace work tree")
	}
	return filepath.Dir(gomod), nil
}

// vmTestFunc matches the declaration of a VM-tier test.
func vmTestFunc() *regexp.Regexp {
	return regexp.MustCompile(`(?m)^func TestVM[A-Za-z0-9_]*\(\s*\w+\s+\*testing\.T\s*\)`)
}

// findVMPackages returns the module-relative directories (slash paths, "."
// for the root) of packages with at least one TestVM test, sorted.
func findVMPackages(root string) ([]string, error) {
	re := vmTestFunc()
	found := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			if p != root {
				if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
					return filepath.SkipDir // another module
				}
			}
			return nil
		}
		if !strings.HasSuffix(d.Name(), "_test.go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if re.Match(src) {
			rel, err := filepath.Rel(root, filepath.Dir(p))
			if err != nil {
				return err
			}
			found[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find TestVM tests: %w", err)
	}
	pkgs := make([]string, 0, len(found))
	for p := range found {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	return pkgs, nil
}

// binaryName is the file name of a package's test binary in the guest.
func binaryName(pkg string) string {
	if pkg == "." {
		return "root.test"
	}
	return strings.ReplaceAll(pkg, "/", "_") + ".test"
}

// goBuildEnv is the environment for building binaries that run in the
// guest: static, linux/amd64 whatever the host.
func goBuildEnv() []string {
	return append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
}

// goBuild runs a go command in root that writes a binary for the guest.
func goBuild(ctx context.Context, root string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = goBuildEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

// buildTestBinary compiles the tests of pkg into dir and returns the path.
func buildTestBinary(ctx context.Context, root, pkg, dir string) (string, error) {
	out := filepath.Join(dir, binaryName(pkg))
	if err := goBuild(ctx, root, "test", "-c", "-o", out, "./"+pkg); err != nil {
		return "", fmt.Errorf("build tests of %s: %w", pkg, err)
	}
	return out, nil
}

// buildNltrace compiles cmd/nltrace into dir and returns the path.
func buildNltrace(ctx context.Context, root, dir string) (string, error) {
	out := filepath.Join(dir, "nltrace")
	if err := goBuild(ctx, root, "build", "-o", out, "./cmd/nltrace"); err != nil {
		return "", fmt.Errorf("build nltrace: %w", err)
	}
	return out, nil
}

// tool is a host program copied into the guest.
type tool struct {
	Name     string
	Required bool
}

// testTools are the programs the VM tests call. The optional ones are
// copied when the host has them.
func testTools() []tool {
	return []tool{
		{"ip", true}, {"tc", true}, {"bridge", true}, {"tcpdump", true},
		{"ss", false}, {"nsenter", false}, {"nft", false}, {"conntrack", false}, {"bpftool", false}, {"strace", false},
		{"wg", false}, {"ethtool", false},
	}
}

// lookTool finds a program on PATH or in the sbin directories, which a
// non-root PATH often lacks.
func lookTool(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/bin", "/bin"} {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: not found on PATH or in /usr/sbin, /sbin", name)
}

// parseLdd returns the absolute paths of the shared objects (and the
// dynamic loader) in ldd output; a static program has none.
func parseLdd(out []byte) ([]string, error) {
	var libs []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "", strings.Contains(line, "not a dynamic executable"), strings.Contains(line, "statically linked"):
			continue
		case strings.Contains(line, "=> not found"):
			return nil, fmt.Errorf("missing shared library: %s", line)
		}
		if _, after, ok := strings.Cut(line, "=> "); ok {
			line = after
		}
		p, _, _ := strings.Cut(line, " (")
		p = strings.TrimSpace(p)
		if strings.HasPrefix(p, "/") {
			libs = append(libs, p)
		}
		// Anything else (linux-vdso.so.1) lives in the kernel.
	}
	return libs, sc.Err()
}

// sharedLibraries lists what program needs at run time, via ldd.
func sharedLibraries(ctx context.Context, program string) ([]string, error) {
	out, err := exec.CommandContext(ctx, "ldd", program).CombinedOutput()
	// ldd exits 1 for a static program; any other failure matters.
	if err != nil && !bytes.Contains(out, []byte("not a dynamic executable")) {
		return nil, fmt.Errorf("ldd %s: %w: %s", program, err, bytes.TrimSpace(out))
	}
	return parseLdd(out)
}
