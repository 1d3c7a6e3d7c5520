package linuxabi_test

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"

	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// TestErrno checks Linux's names and messages on whatever GOOS the test
// runs: off Linux they come from the generated tables.
func TestErrno(t *testing.T) {
	for _, c := range []struct {
		e          unix.Errno
		name, text string
	}{
		{unix.EEXIST, "EEXIST", "file exists"},
		{unix.EAGAIN, "EAGAIN", "resource temporarily unavailable"},
		{unix.EOPNOTSUPP, "ENOTSUP", "operation not supported"}, // as x/sys/unix names 95
		{unix.ETIMEDOUT, "ETIMEDOUT", "connection timed out"},
		{unix.Errno(0), "", "errno 0"},
		{unix.Errno(600), "", "errno 600"},
	} {
		if got := unix.ErrnoName(c.e); got != c.name {
			t.Errorf("ErrnoName(%d) = %q, want %q", uintptr(c.e), got, c.name)
		}
		if got := c.e.Error(); got != c.text {
			t.Errorf("Errno(%d).Error() = %q, want %q", uintptr(c.e), got, c.text)
		}
	}
	wrapped := fmt.Errorf("add link: %w", unix.EEXIST)
	if !errors.Is(wrapped, unix.EEXIST) || !errors.Is(wrapped, fs.ErrExist) || errors.Is(wrapped, fs.ErrNotExist) {
		t.Errorf("errors.Is on a wrapped EEXIST: want EEXIST and fs.ErrExist only")
	}
	if !errors.Is(unix.EOPNOTSUPP, errors.ErrUnsupported) {
		t.Errorf("EOPNOTSUPP is not errors.ErrUnsupported")
	}
}
