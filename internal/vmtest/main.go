package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// options are the runner's command-line settings.
type options struct {
	cache       string
	timeout     time.Duration
	bootTimeout time.Duration
	testTimeout time.Duration
	run         string
	qemu        string
	memoryMB    int
	gzip        bool
	keep        bool
	kernels     []string
}

func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("vmtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.cache, "cache", defaultCacheDir(), "directory for the unpacked kernel and the run files ($NLTRACE_VM_CACHE)")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Minute, "limit for the whole VM run, boot to power-off")
	fs.DurationVar(&o.bootTimeout, "boot-timeout", 3*time.Minute, "limit for the guest to reach its test init")
	fs.DurationVar(&o.testTimeout, "test-timeout", 15*time.Minute, "-test.timeout for each test binary in the guest")
	fs.StringVar(&o.run, "run", "^TestVM", "-test.run pattern for the test binaries")
	fs.StringVar(&o.qemu, "qemu", "qemu-system-x86_64", "qemu binary")
	fs.IntVar(&o.memoryMB, "m", 1024, "guest memory in MiB")
	fs.BoolVar(&o.gzip, "gzip", true, "gzip the initramfs")
	fs.BoolVar(&o.keep, "keep", false, "keep the run directory (initramfs, binaries, console log) after a passing run")
	kernels := fs.String("kernels", strings.Join(defaultKernels, ","), "comma-separated kernel meta-packages; one VM boots each kernel in turn")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	for _, k := range strings.Split(*kernels, ",") {
		if k = strings.TrimSpace(k); k != "" {
			o.kernels = append(o.kernels, k)
		}
	}
	if len(o.kernels) == 0 {
		return o, errors.New("-kernels names no kernel")
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return o, nil
}

// defaultCacheDir is $NLTRACE_VM_CACHE, else nltrace-vm in the user cache
// directory, outside any work tree.
func defaultCacheDir() string {
	if d := os.Getenv("NLTRACE_VM_CACHE"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "nltrace-vm")
	}
	return filepath.Join(os.TempDir(), "nltrace-vm")
}

func main() {
	o, err := parseOptions(os.Args[1:], os.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "vmtest:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ok, err := run(ctx, o, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vmtest: FAIL:", err)
	}
	if err != nil || !ok {
		os.Exit(1)
	}
}

// run runs the tier and reports whether it passed; an error means the tier
// could not run at all, which is a failure too.
func run(ctx context.Context, o options, stdout, stderr io.Writer) (bool, error) {
	start := time.Now()
	logf := func(format string, args ...any) {
		fmt.Fprintf(stderr, "vmtest: "+format+"\n", args...)
	}

	if _, err := exec.LookPath(o.qemu); err != nil {
		return false, fmt.Errorf("%s not found (install qemu-system-x86): %w", o.qemu, err)
	}
	root, err := moduleRoot(ctx)
	if err != nil {
		return false, err
	}
	pkgs, err := findVMPackages(root)
	if err != nil {
		return false, err
	}
	if len(pkgs) == 0 {
		return false, fmt.Errorf("no package in %s has a TestVM test", root)
	}
	logf("packages with TestVM tests: %s", strings.Join(pkgs, ", "))

	if err := os.MkdirAll(o.cache, 0o755); err != nil {
		return false, fmt.Errorf("cache directory: %w", err)
	}
	runDir, err := os.MkdirTemp(o.cache, "run-")
	if err != nil {
		return false, fmt.Errorf("run directory: %w", err)
	}
	keep := o.keep
	defer func() {
		if keep {
			logf("run directory kept: %s", runDir)
		} else {
			os.RemoveAll(runDir)
		}
	}()

	buildStart := time.Now()
	tests := map[string]string{}
	var binaries []guestBinary
	for _, pkg := range pkgs {
		bin, err := buildTestBinary(ctx, root, pkg, runDir)
		if err != nil {
			return false, err
		}
		tests[pkg] = bin
		dir := guestTestsDir + "/root"
		if pkg != "." {
			dir = path.Join(guestTestsDir, pkg)
		}
		binaries = append(binaries, guestBinary{Package: pkg, Dir: dir, Name: filepath.Base(bin)})
	}
	nltrace, err := buildNltrace(ctx, root, runDir)
	if err != nil {
		return false, err
	}
	logf("built %d test binaries and nltrace in %s", len(pkgs), time.Since(buildStart).Round(100*time.Millisecond))

	busybox, err := findBusybox()
	if err != nil {
		return false, err
	}
	if libs, err := sharedLibraries(ctx, busybox); err != nil || len(libs) > 0 {
		return false, fmt.Errorf("%s is not a static busybox (install busybox-static)", busybox)
	}
	// One VM per kernel, in turn: the build above is shared.
	var total verdict
	for _, meta := range o.kernels {
		v, err := runKernel(ctx, o, kernelRun{
			meta: meta, root: root, runDir: runDir, pkgs: pkgs, tests: tests, binaries: binaries,
			nltrace: nltrace, busybox: busybox,
		}, stdout, stderr, logf)
		if err != nil {
			return false, fmt.Errorf("%s: %w", meta, err)
		}
		total.add(v)
		if !v.OK() {
			keep = true
		}
	}
	verdictWord := "PASS"
	if !total.OK() {
		verdictWord = "FAIL"
	}
	fmt.Fprintf(stderr, "%s (%s; %d kernels, tier %s)\n", total.Summary(), verdictWord, len(o.kernels), time.Since(start).Round(100*time.Millisecond))
	return total.OK(), nil
}

// kernelRun is what one kernel's VM needs from the shared build.
type kernelRun struct {
	meta, root, runDir string
	pkgs               []string
	tests              map[string]string
	binaries           []guestBinary
	nltrace, busybox   string
}

// runKernel boots the kernel the meta-package names, with its modules, runs
// the tests in it and returns its verdict; an error means it could not run.
func runKernel(ctx context.Context, o options, kr kernelRun, stdout, stderr io.Writer, logf func(string, ...any)) (verdict, error) {
	start := time.Now()
	root, pkgs, tests, binaries, nltrace, busybox := kr.root, kr.pkgs, kr.tests, kr.binaries, kr.nltrace, kr.busybox
	logf("resolving the kernel through %s", kr.meta)
	k, err := fetchKernel(ctx, o.cache, kr.meta, logf)
	if err != nil {
		return verdict{}, err
	}
	if n, err := decompressModules(ctx, k.ModulesDir()); err != nil {
		return verdict{}, err
	} else if n > 0 {
		logf("unpacked %d compressed kernel modules in the cache", n)
	}
	idx, err := loadModuleIndex(k.ModulesDir())
	if err != nil {
		return verdict{}, err
	}
	load, err := idx.Resolve(testModules())
	if err != nil {
		return verdict{}, err
	}
	logf("%d kernel modules to load (%d asked for, dependencies added)", len(load), len(testModules()))

	imageStart := time.Now()
	im, err := buildImage(ctx, initramfsInput{
		Root: root, Kernel: k, Modules: idx, Load: load, Tests: tests,
		Nltrace: nltrace, Busybox: busybox, Logf: logf,
		Init: initConfig{Release: k.Release, Modules: load, Binaries: binaries,
			TestRun: o.run, TestTimeout: o.testTimeout},
	})
	if err != nil {
		return verdict{}, err
	}
	initrd := filepath.Join(kr.runDir, "initramfs-"+k.Release+".cpio")
	if o.gzip {
		initrd += ".gz"
	}
	size, err := writeInitramfs(im, initrd, o.gzip)
	if err != nil {
		return verdict{}, err
	}
	logf("initramfs: %d files, %.1f MB, in %s", len(im.entries), float64(size)/1e6, time.Since(imageStart).Round(100*time.Millisecond))

	logPath := filepath.Join(kr.runDir, "console-"+k.Release+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return verdict{}, fmt.Errorf("console log: %w", err)
	}
	defer logFile.Close()

	logf("booting %s under %s (TCG; boot timeout %s, overall timeout %s)", k.Release, o.qemu, o.bootTimeout, o.timeout)
	bootStart := time.Now()
	vmCtx, cancel := context.WithTimeoutCause(ctx, o.timeout, fmt.Errorf("the VM run exceeded -timeout %s", o.timeout))
	defer cancel()
	var r results
	bootTime, bootErr := bootVM(vmCtx, bootConfig{
		QEMU: o.qemu, Kernel: k.Image(), Initramfs: initrd, MemoryMB: o.memoryMB, BootTimeout: o.bootTimeout,
	}, io.MultiWriter(stdout, logFile), &r)
	vmTime := time.Since(bootStart)

	v := r.Verdict(pkgs)
	if bootErr != nil {
		v.Problems = append([]string{bootErr.Error()}, v.Problems...)
	}
	fmt.Fprintln(stderr)
	for _, b := range r.Binaries {
		status := "did not finish"
		if b.Ended {
			status = fmt.Sprintf("exit status %d", b.Status)
		}
		logf("%s: %s: %d passed, %d failed, %d skipped, %s, %ds", k.Release, b.Package, len(b.Passed), len(b.Failed), len(b.Skipped), status, b.Seconds)
	}
	for i, p := range v.Problems {
		v.Problems[i] = k.Release + ": " + p
		logf("problem: %s", v.Problems[i])
	}
	if !v.OK() {
		logf("console log: %s", logPath)
	}
	verdictWord := "PASS"
	if !v.OK() {
		verdictWord = "FAIL"
	}
	fmt.Fprintf(stderr, "vmtest: %s: %s (%s; boot %s, VM %s, with its image %s)\n", k.Release, v.Summary(), verdictWord, bootTime.Round(100*time.Millisecond),
		vmTime.Round(100*time.Millisecond), time.Since(start).Round(100*time.Millisecond))
	return v, nil
}
