package linuxabi_test

import (
	"errors"
	"fmt"
	"strconv"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/internal/linuxabi"
)

// TestConstantsMatchUnix checks every generated constant against
// golang.org/x/sys/unix as compiled for this architecture.
func TestConstantsMatchUnix(t *testing.T) {
	if len(generatedConsts) == 0 {
		t.Fatal("no generated constants")
	}
	for _, c := range generatedConsts {
		if c.got != c.want {
			t.Errorf("%s = %d, x/sys/unix says %d", c.name, c.got, c.want)
		}
	}
}

// TestErrnoTablesMatchUnix checks the errno tables that other GOOSes use
// against x/sys/unix's names and syscall's messages here.
func TestErrnoTablesMatchUnix(t *testing.T) {
	for _, e := range generatedErrnos {
		if got, want := linuxabi.ErrnoName(e), unix.ErrnoName(e); got != want {
			t.Errorf("ErrnoName(%d) = %q, x/sys/unix says %q", uintptr(e), got, want)
		}
		// This architecture's syscall package may lack a message another
		// one has (amd64 has none for EHWPOISON).
		if host := syscall.Errno(e).Error(); host != "errno "+strconv.Itoa(int(e)) {
			if got := linuxabi.ErrnoMessage(e); got != host {
				t.Errorf("message of errno %d = %q, syscall says %q", uintptr(e), got, host)
			}
		}
	}
}

// TestErrnoIsUnixErrno checks that on Linux the two packages' errnos are
// interchangeable under errors.Is, as client.Error promises.
func TestErrnoIsUnixErrno(t *testing.T) {
	if !errors.Is(fmt.Errorf("x: %w", linuxabi.EEXIST), unix.EEXIST) {
		t.Error("linuxabi.EEXIST is not unix.EEXIST")
	}
	if !errors.Is(fmt.Errorf("x: %w", unix.ENOENT), linuxabi.ENOENT) {
		t.Error("unix.ENOENT is not linuxabi.ENOENT")
	}
	var target unix.Errno
	if !errors.As(fmt.Errorf("x: %w", linuxabi.EAGAIN), &target) || target != unix.EAGAIN {
		t.Error("errors.As into unix.Errno fails")
	}
}
