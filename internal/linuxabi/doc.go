// Package linuxabi gives the module's portable code the Linux numbers of the
// netlink ABI on every GOOS, so that the codec and the dissector decode a
// capture the same way on macOS, Windows or FreeBSD as on Linux.
//
// It declares, with the same names as golang.org/x/sys/unix, every constant
// that the portable files use (their imports read
// `unix "github.com/nltrace/nltrace/internal/linuxabi"`), with its Linux
// value: x/sys/unix itself has other values, or none, off Linux. Errno is
// syscall.Errno on Linux, so errors.Is(err, unix.EEXIST) works with either
// package there; elsewhere it is a type of its own that prints Linux's
// messages.
//
// zconst.go, zerrno.go and zconst_linux_test.go are generated: after using
// a new unix.X in a portable file, run go generate here. Code that calls
// into the kernel (sockets, ioctls) stays in _linux.go files with the real
// golang.org/x/sys/unix.
package linuxabi

//go:generate go run ./gen
