package client

import (
	"fmt"
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"
)

// NetNS is a handle on a network namespace, held open by a file descriptor
// so that an unnamed namespace lives as long as the handle. Close it.
type NetNS struct {
	fd   int
	path string
}

// NewNetNS creates a new, unnamed network namespace. The calling goroutine
// stays in its own namespace.
func NewNetNS() (*NetNS, error) {
	var ns *NetNS
	err := onFreshThread(func() error {
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			return fmt.Errorf("unshare network namespace: %w", err)
		}
		var err error
		ns, err = OpenNetNS("/proc/thread-self/ns/net")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("new network namespace: %w", err)
	}
	ns.path = ""
	return ns, nil
}

// OpenNetNS opens the network namespace at path, for example
// /var/run/netns/blue or /proc/1234/ns/net.
func OpenNetNS(path string) (*NetNS, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open network namespace %s: %w", path, err)
	}
	return &NetNS{fd: fd, path: path}, nil
}

// OpenNetNSByPID opens the network namespace of process pid.
func OpenNetNSByPID(pid int) (*NetNS, error) {
	return OpenNetNS("/proc/" + strconv.Itoa(pid) + "/ns/net")
}

// CurrentNetNS opens the calling thread's network namespace.
func CurrentNetNS() (*NetNS, error) {
	return OpenNetNS("/proc/thread-self/ns/net")
}

// FD returns the namespace's file descriptor, valid until Close.
func (ns *NetNS) FD() int { return ns.fd }

// Path returns the path the namespace was opened from, or "" for one that
// NewNetNS created.
func (ns *NetNS) Path() string { return ns.path }

// Inode returns the namespace's inode number, the id that ip netns and
// /proc/PID/ns/net show.
func (ns *NetNS) Inode() (uint64, error) {
	var st unix.Stat_t
	if err := unix.Fstat(ns.fd, &st); err != nil {
		return 0, fmt.Errorf("stat network namespace: %w", err)
	}
	return st.Ino, nil
}

// Do runs fn on an OS thread that has entered the namespace. The calling
// goroutine's own thread never changes namespace, and sockets that fn opens
// stay in this namespace after fn returns.
func (ns *NetNS) Do(fn func() error) error {
	return onFreshThread(func() error {
		if err := unix.Setns(ns.fd, unix.CLONE_NEWNET); err != nil {
			return fmt.Errorf("enter network namespace: %w", err)
		}
		return fn()
	})
}

// Close releases the handle. An unnamed namespace disappears with its last
// handle, socket and process.
func (ns *NetNS) Close() error {
	if ns.fd < 0 {
		return nil
	}
	err := unix.Close(ns.fd)
	ns.fd = -1
	return err
}

// onFreshThread runs fn on a locked OS thread of a new goroutine, then puts
// the thread back into its original network namespace. If that fails the
// thread stays locked, so the runtime destroys it when the goroutine ends
// rather than reuse a thread in the wrong namespace.
func onFreshThread(fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- fmt.Errorf("open current network namespace: %w", err)
			return
		}
		defer unix.Close(orig)
		ferr := fn()
		if err := unix.Setns(orig, unix.CLONE_NEWNET); err != nil {
			if ferr == nil {
				ferr = fmt.Errorf("return to original network namespace: %w", err)
			}
			errc <- ferr
			return
		}
		runtime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}
