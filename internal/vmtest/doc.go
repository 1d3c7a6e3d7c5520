// Command vmtest runs nltrace's VM test tier: it boots stock Debian cloud
// kernels (6.1 and 6.12, one VM each, in turn) under qemu (software
// emulation) from an initramfs holding busybox,
// the kernel modules the tests need, every test binary with TestVM tests,
// the nltrace binary and the tools the tests call, runs those tests inside
// the guest and reports their results.
//
// Run it from anywhere inside the module, as root (apt-get download and
// dpkg -x need no root, but the caches usually live in root-owned places):
//
//	go run ./internal/vmtest
//
// Each kernel package is resolved through a meta-package
// (linux-image-cloud-amd64 and linux-image-6.12-cloud-amd64 on Debian 12;
// -kernels changes the list), downloaded with apt-get and unpacked once into
// the cache directory ($NLTRACE_VM_CACHE, else the user cache directory).
// The test binaries are built once; each kernel gets its own initramfs (its
// modules) and boot. A VM that fails to boot, never finishes, or runs no
// TestVM test fails the tier: the exit status is non-zero and the reason,
// named by kernel release, is printed. Nothing is skipped.
//
// The guests' consoles stream to standard output (and to console-RELEASE.log in the
// run directory, which is kept when the tier fails); progress, per-package
// results, problems, one "RELEASE: vm: N passed, ..." line per kernel with
// its boot and VM times, and the closing "vm: N passed, M failed, K
// skipped" line over all kernels go to standard error. The exit
// status is 0 only when every expected test binary ran and exited 0, every
// module loaded, and at least one TestVM test passed or failed. -timeout,
// -boot-timeout and -test-timeout bound the run; -run narrows the tests.
//
// Inside the guest, tests see NLTRACE_IN_VM=1 (internal/testenv.RequireVM),
// NLTRACE_REQUIRE_TIERS=host,vm (so a gated test cannot skip silently),
// NLTRACE_BIN (the nltrace binary) and PATH with ip, tc, bridge, tcpdump and
// friends. Each test binary runs in /tests/<package path>, next to a copy of
// its package's testdata directory.
package main
