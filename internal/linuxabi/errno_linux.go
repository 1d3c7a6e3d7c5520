package linuxabi

import "syscall"

// Errno is a Linux error number. On Linux it is syscall.Errno itself, so
// that values from this package and from golang.org/x/sys/unix compare
// equal under errors.Is.
type Errno = syscall.Errno
