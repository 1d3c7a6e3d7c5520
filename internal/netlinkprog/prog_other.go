//go:build !linux

package netlinkprog

import (
	"fmt"
	"io"
	"runtime"
)

// Main reports that netlink exists only on Linux.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintf(stderr, "netlinkprog: netlink is not supported on %s\n", runtime.GOOS)
	return 1
}
