package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// defaultKernels are the Debian meta-packages whose dependency names a
// cloud kernel image package; the tier boots one VM on each, so that a
// kernel layout or probe that changed between them is caught. On Debian 12
// the first is the 6.1 long-term kernel and the second 6.12.
var defaultKernels = []string{"linux-image-cloud-amd64", "linux-image-6.12-cloud-amd64"}

// kernel is an unpacked kernel image package.
type kernel struct {
	Meta    string // the meta-package that named it, linux-image-cloud-amd64
	Package string // linux-image-6.1.0-56-cloud-amd64
	Version string // Debian version, 6.1.192-2
	Release string // uname -r, 6.1.0-56-cloud-amd64
	Root    string // where the package is unpacked
}

// Image is the path of the bootable kernel.
func (k kernel) Image() string {
	return filepath.Join(k.Root, "boot", "vmlinuz-"+k.Release)
}

// ModulesDir is the path of /lib/modules/<release> in the unpacked package.
func (k kernel) ModulesDir() string {
	return filepath.Join(k.Root, "lib", "modules", k.Release)
}

// completeMarker names the file written last into a cache entry: an entry
// without it was interrupted and is rebuilt.
const completeMarker = ".complete"

// runTool runs a command and returns its standard output; on failure the
// error carries its standard error.
func runTool(ctx context.Context, dir string, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = strings.TrimSpace(stdout.String())
		}
		return stdout.Bytes(), fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, msg)
	}
	return stdout.Bytes(), nil
}

// parseMetaDepends picks the kernel image package out of `apt-cache depends`
// output for the meta-package.
func parseMetaDepends(out []byte) (string, error) {
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "|"))
		if pkg, ok := strings.CutPrefix(line, "Depends: "); ok {
			pkg = strings.TrimSpace(pkg)
			if strings.HasPrefix(pkg, "linux-image-") && !strings.HasPrefix(pkg, "<") {
				return pkg, nil
			}
		}
	}
	return "", errors.New("no linux-image-* dependency listed")
}

// parseControlField returns one field of the first stanza of apt-cache show
// output.
func parseControlField(out []byte, field string) (string, error) {
	for _, line := range strings.Split(string(out), "\n") {
		if line == "" {
			break
		}
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strings.TrimSpace(v), nil
		}
	}
	return "", fmt.Errorf("no %s field", field)
}

// releaseOf derives the kernel release from the image package name.
func releaseOf(pkg string) (string, error) {
	rel, ok := strings.CutPrefix(pkg, "linux-image-")
	if !ok || rel == "" {
		return "", fmt.Errorf("package %q is not a linux-image-* package", pkg)
	}
	return strings.TrimSuffix(rel, "-unsigned"), nil
}

// resolveKernelPackage asks apt which package and version the meta-package
// currently means.
func resolveKernelPackage(ctx context.Context, meta string) (pkg, version string, err error) {
	out, err := runTool(ctx, "", "apt-cache", "depends", meta)
	if err != nil {
		return "", "", fmt.Errorf("apt cannot resolve %s (run apt-get update first): %w", meta, err)
	}
	if pkg, err = parseMetaDepends(out); err != nil {
		return "", "", fmt.Errorf("apt-cache depends %s: %w (run apt-get update first)", meta, err)
	}
	out, err = runTool(ctx, "", "apt-cache", "show", "--no-all-versions", pkg)
	if err != nil {
		return "", "", fmt.Errorf("apt cannot find %s (run apt-get update first): %w", pkg, err)
	}
	if version, err = parseControlField(out, "Version"); err != nil {
		return "", "", fmt.Errorf("apt-cache show %s: %w", pkg, err)
	}
	return pkg, version, nil
}

// cacheEntryName is the directory name of a package version in the cache.
func cacheEntryName(pkg, version string) string {
	return pkg + "_" + strings.NewReplacer(":", "%3a", "/", "_").Replace(version)
}

// fetchKernel returns the kernel the meta-package names now, downloading
// and unpacking it into cacheDir unless it is there already. When apt cannot
// resolve the package but the cache holds a kernel of that meta-package,
// that kernel is used and logf says so.
func fetchKernel(ctx context.Context, cacheDir, meta string, logf func(string, ...any)) (kernel, error) {
	pkg, version, err := resolveKernelPackage(ctx, meta)
	if err != nil {
		cached, cerr := newestCachedKernel(cacheDir, meta)
		if cerr != nil {
			return kernel{}, err
		}
		logf("warning: %v; using the cached %s %s", err, cached.Package, cached.Version)
		return cached, nil
	}
	release, err := releaseOf(pkg)
	if err != nil {
		return kernel{}, err
	}
	k := kernel{Meta: meta, Package: pkg, Version: version, Release: release,
		Root: filepath.Join(cacheDir, cacheEntryName(pkg, version))}
	if _, err := os.Stat(filepath.Join(k.Root, completeMarker)); err == nil {
		logf("kernel %s %s (cached in %s)", pkg, version, k.Root)
		return k, checkKernel(k)
	}
	logf("kernel %s %s: downloading with apt-get", pkg, version)
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return kernel{}, fmt.Errorf("kernel cache: %w", err)
	}
	tmp, err := os.MkdirTemp(cacheDir, "download-")
	if err != nil {
		return kernel{}, fmt.Errorf("kernel cache: %w", err)
	}
	defer os.RemoveAll(tmp)
	// apt drops privileges to _apt for downloads, which cannot write into
	// a root-owned cache; the sandbox adds nothing for a signed package.
	if _, err := runTool(ctx, tmp, "apt-get", "-o", "APT::Sandbox::User=root", "download", pkg+"="+version); err != nil {
		return kernel{}, fmt.Errorf("download %s %s (run apt-get update first if apt cannot find it): %w", pkg, version, err)
	}
	debs, _ := filepath.Glob(filepath.Join(tmp, "*.deb"))
	if len(debs) != 1 {
		return kernel{}, fmt.Errorf("download %s %s: want one .deb, got %d", pkg, version, len(debs))
	}
	unpacked := filepath.Join(tmp, "root")
	if _, err := runTool(ctx, tmp, "dpkg", "-x", debs[0], unpacked); err != nil {
		return kernel{}, fmt.Errorf("unpack %s: %w", debs[0], err)
	}
	check := k
	check.Root = unpacked
	if err := checkKernel(check); err != nil {
		return kernel{}, err
	}
	fields := fmt.Sprintf("Meta: %s\nPackage: %s\nVersion: %s\nRelease: %s\n", meta, pkg, version, release)
	if err := os.WriteFile(filepath.Join(unpacked, completeMarker), []byte(fields), 0o644); err != nil {
		return kernel{}, fmt.Errorf("kernel cache: %w", err)
	}
	os.RemoveAll(k.Root) // an interrupted earlier attempt
	if err := os.Rename(unpacked, k.Root); err != nil {
		return kernel{}, fmt.Errorf("kernel cache: %w", err)
	}
	return k, nil
}

// checkKernel makes sure an unpacked package has what the tier boots.
func checkKernel(k kernel) error {
	if _, err := os.Stat(k.Image()); err != nil {
		return fmt.Errorf("kernel package %s has no kernel image: %w", k.Package, err)
	}
	if _, err := os.Stat(k.ModulesDir()); err != nil {
		return fmt.Errorf("kernel package %s has no modules: %w", k.Package, err)
	}
	return nil
}

// newestCachedKernel returns the most recently unpacked complete kernel of
// the meta-package in cacheDir. An entry written before the marker named
// its meta-package counts as the first default kernel's.
func newestCachedKernel(cacheDir, meta string) (kernel, error) {
	markers, _ := filepath.Glob(filepath.Join(cacheDir, "*", completeMarker))
	type found struct {
		k    kernel
		info fs.FileInfo
	}
	var all []found
	for _, m := range markers {
		data, err := os.ReadFile(m)
		info, serr := os.Stat(m)
		if err != nil || serr != nil {
			continue
		}
		k := kernel{Root: filepath.Dir(m)}
		if k.Meta, _ = parseControlField(data, "Meta"); k.Meta == "" {
			k.Meta = defaultKernels[0]
		}
		if k.Meta != meta {
			continue
		}
		k.Package, _ = parseControlField(data, "Package")
		k.Version, _ = parseControlField(data, "Version")
		k.Release, _ = parseControlField(data, "Release")
		if k.Package != "" && k.Release != "" && checkKernel(k) == nil {
			all = append(all, found{k, info})
		}
	}
	if len(all) == 0 {
		return kernel{}, fmt.Errorf("no cached kernel of %s in %s", meta, cacheDir)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].info.ModTime().After(all[j].info.ModTime()) })
	return all[0].k, nil
}
