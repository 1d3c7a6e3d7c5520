//go:build !linux

package main

import (
	"fmt"
	"os"

	"github.com/nltrace/nltrace/capture/nlmon"
)

const nlmonDefaultLink = "nltrace0" // nlmon.DefaultInterface on Linux

func openNlmonInterruptible(traceOptions, stdio, <-chan os.Signal) (liveSource, os.Signal, error) {
	return nil, nil, fmt.Errorf("--nlmon: %w", nlmon.ErrNoNlmon)
}
