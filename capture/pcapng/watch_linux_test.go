package pcapng_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"golang.org/x/sys/unix"
)

// waitForRecords blocks until the file at path holds n complete records,
// woken by inotify on each write to it; it fails t after 10 seconds.
func waitForRecords(t *testing.T, path string, n int) {
	t.Helper()
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if _, err := unix.InotifyAddWatch(fd, path, unix.IN_MODIFY); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	buf := make([]byte, 4096)
	for countRecords(path) < n {
		left := time.Until(deadline)
		if left <= 0 {
			t.Fatalf("the file holds %d records after 10s, want %d", countRecords(path), n)
		}
		pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		if _, err := unix.Poll(pfd, int(left.Milliseconds())+1); err != nil && !errors.Is(err, unix.EINTR) {
			t.Fatal(err)
		}
		unix.Read(fd, buf)
	}
}

func countRecords(path string) int {
	r, err := pcapng.Open(path)
	if err != nil {
		return 0
	}
	defer r.Close()
	var rec capture.Record
	n := 0
	for r.ReadInto(context.Background(), &rec) == nil {
		n++
	}
	return n
}
