//go:build !linux

package replay

import (
	"context"
	"fmt"
	"runtime"

	"github.com/nltrace/nltrace/decode"
)

// Run is not supported outside Linux: replay needs network namespaces.
func Run(ctx context.Context, p *Plan, reg *decode.Registry, cfg *Config) ([]Result, error) {
	return nil, fmt.Errorf("replay: not supported on %s", runtime.GOOS)
}
