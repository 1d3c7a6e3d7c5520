// Command vmtest runs nltrace's VM test tier: it boots a stock Debian cloud
// kernel under qemu (software emulation) from an initramfs holding busybox,
// the kernel modules the tests need, every test binary with TestVM tests,
// the nltrace binary and the tools the tests call, runs those tests inside
// the guest and reports their results.
//
// Run it from anywhere inside the module, as root (apt-get download and
// dpkg -x need no root, but the caches usually live in root-owned places):
//
//	go run ./internal/vmtest
//
// The kernel package is resolved through the linux-image-cloud-amd64
// meta-package, downloaded with apt-get and unpacked once into the cache
// directory ($NLTRACE_VM_CACHE, else the user cache directory). A VM that
// fails to boot, never finishes, or runs no TestVM test fails the tier: the
// exit status is non-zero and the reason is printed. Nothing is skipped.
//
// The guest's console streams to standard output (and to console.log in the
// run directory, which is kept when the tier fails); progress, per-package
// results, problems and the closing "vm: N passed, M failed, K skipped"
// line with the boot, VM and tier times go to standard error. The exit
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
