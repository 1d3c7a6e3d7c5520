//go:build !linux

package linuxabi

import (
	"errors"
	"io/fs"
	"strconv"
)

// Errno is a Linux error number. Off Linux it cannot be syscall.Errno,
// whose numbers and messages are the host's: EAGAIN is 35 on macOS.
type Errno uintptr

// Error returns Linux's message, as syscall.Errno does on Linux.
func (e Errno) Error() string {
	if m := ErrnoMessage(e); m != "" {
		return m
	}
	return "errno " + strconv.FormatUint(uint64(e), 10)
}

// Is lets errors.Is match the portable errors that syscall.Errno matches on
// Linux (fs.ErrExist for EEXIST, ...).
func (e Errno) Is(target error) bool {
	switch target {
	case fs.ErrPermission:
		return e == EACCES || e == EPERM
	case fs.ErrExist:
		return e == EEXIST || e == ENOTEMPTY
	case fs.ErrNotExist:
		return e == ENOENT
	case errors.ErrUnsupported:
		return e == ENOSYS || e == ENOTSUP || e == EOPNOTSUPP
	}
	return false
}

// Timeout reports whether e is a timeout, as syscall.Errno does.
func (e Errno) Timeout() bool {
	return e == EAGAIN || e == EWOULDBLOCK || e == ETIMEDOUT
}
