//go:build !linux

package nlmon

import (
	"context"
	"errors"
	"runtime"
	"time"

	"github.com/nltrace/nltrace/capture"
)

// ErrNoNlmon says nlmon capture is not available.
var ErrNoNlmon = errors.New("nlmon capture needs Linux, not " + runtime.GOOS)

// Config configures Open; see the Linux documentation.
type Config struct {
	Interface   string
	SnapLen     int
	RemoveStale func(name string) bool
	Warn        func(msg string)
	NoResolve   bool
	ReplyWait   time.Duration
}

// Source is not available on this system.
type Source struct{}

// Open returns ErrNoNlmon.
func Open(context.Context, *Config) (*Source, error) { return nil, ErrNoNlmon }

func (*Source) ReadInto(context.Context, *capture.Record) error { return ErrNoNlmon }
func (*Source) Stats() capture.Stats                            { return capture.Stats{} }
func (*Source) Close() error                                    { return nil }
