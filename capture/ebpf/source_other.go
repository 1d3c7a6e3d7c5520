//go:build !linux || !(386 || amd64)

package ebpf

import (
	"context"
	"fmt"
	"os/exec"
	"runtime"

	"github.com/nltrace/nltrace/capture"
)

// Source is a running capture. On this platform none can be opened.
type Source struct{}

// Open reports that eBPF capture is not supported on this platform.
func Open(p Plan) (*Source, error) {
	return nil, fmt.Errorf("open ebpf capture: not supported on %s/%s (needs linux/amd64)", runtime.GOOS, runtime.GOARCH)
}

func (s *Source) ProbeSet() ProbeSet                                    { return ProbeAuto }
func (s *Source) Track(pid uint32) error                                { return capture.ErrClosed }
func (s *Source) Untrack(pid uint32) error                              { return capture.ErrClosed }
func (s *Source) Start(cmd *exec.Cmd) error                             { return capture.ErrClosed }
func (s *Source) Drain() error                                          { return nil }
func (s *Source) Close() error                                          { return nil }
func (s *Source) ReadInto(ctx context.Context, r *capture.Record) error { return capture.ErrClosed }
func (s *Source) Stats() capture.Stats                                  { return capture.Stats{} }
func (s *Source) Tracked() ([]uint32, error)                            { return nil, capture.ErrClosed }
func (s *Source) WaitTracked(ctx context.Context) error                 { return capture.ErrClosed }
