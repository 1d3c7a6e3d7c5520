//go:build !linux

package main

import (
	"fmt"

	"github.com/nltrace/nltrace/capture/nlmon"
)

const nlmonDefaultLink = "nltrace0" // nlmon.DefaultInterface on Linux

func openNlmon(traceOptions, stdio) (liveSource, error) {
	return nil, fmt.Errorf("--nlmon: %w", nlmon.ErrNoNlmon)
}
