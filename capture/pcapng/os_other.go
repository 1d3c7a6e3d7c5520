//go:build !linux

package pcapng

import "runtime"

func osName() string { return runtime.GOOS }
