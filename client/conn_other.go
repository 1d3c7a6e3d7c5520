//go:build !linux

package client

import (
	"fmt"
	"runtime"
)

// NetNS is a network namespace; namespaces exist only on Linux.
type NetNS struct{}

// Dial is not supported outside Linux.
func Dial(protocol int, cfg *Config) (*Conn, error) {
	return nil, fmt.Errorf("dial netlink: not supported on %s", runtime.GOOS)
}
