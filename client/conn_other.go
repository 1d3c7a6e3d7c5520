//go:build !linux

package client

import (
	"fmt"
	"runtime"
)

// errNoNetlink is what the socket and namespace functions return off Linux,
// where the codec still works (for decoding captures) but there is no
// netlink to talk to.
func errNoNetlink(op string) error {
	return fmt.Errorf("%s: netlink is not supported on %s", op, runtime.GOOS)
}

// Dial is not supported outside Linux.
func Dial(protocol int, cfg *Config) (*Conn, error) {
	return nil, errNoNetlink("dial netlink")
}

// NetNS is a network namespace; namespaces exist only on Linux, so off Linux
// none can be created or opened.
type NetNS struct{}

// NewNetNS is not supported outside Linux.
func NewNetNS() (*NetNS, error) { return nil, errNoNetlink("new network namespace") }

// OpenNetNS is not supported outside Linux.
func OpenNetNS(path string) (*NetNS, error) {
	return nil, errNoNetlink("open network namespace " + path)
}

// OpenNetNSByPID is not supported outside Linux.
func OpenNetNSByPID(pid int) (*NetNS, error) {
	return nil, errNoNetlink("open network namespace of a process")
}

// CurrentNetNS is not supported outside Linux.
func CurrentNetNS() (*NetNS, error) { return nil, errNoNetlink("open the current network namespace") }

// FD returns -1: no namespace is ever open off Linux.
func (ns *NetNS) FD() int { return -1 }

// Path returns "".
func (ns *NetNS) Path() string { return "" }

// Inode is not supported outside Linux.
func (ns *NetNS) Inode() (uint64, error) { return 0, errNoNetlink("network namespace inode") }

// Do is not supported outside Linux.
func (ns *NetNS) Do(fn func() error) error { return errNoNetlink("enter network namespace") }

// Close does nothing.
func (ns *NetNS) Close() error { return nil }
