package main

import "os"

// createPrivate creates or truncates an output file readable by its owner
// only: a capture or its text holds whatever key material crossed netlink
// (xfrm SAs, WireGuard keys), and tcpdump's world-readable default would
// hand it to every local user.
func createPrivate(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
}
