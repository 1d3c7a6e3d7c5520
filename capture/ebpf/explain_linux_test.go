//go:build linux && (386 || amd64)

package ebpf

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/internal/testenv"
)

// TestLoadErrorWithoutMemlockHint checks that a refused load does not pass
// on cilium/ebpf's advice to raise the memlock limit, which Open has
// already lifted, and still says EPERM: on an error as the library words
// it, and on this host's real answer to the fentry set where the kernel
// refuses it.
func TestLoadErrorWithoutMemlockHint(t *testing.T) {
	lib := fmt.Errorf("program fexit_netlink_recvmsg: load program: %w (MEMLOCK may be too low, consider rlimit.RemoveMemlock)", unix.EPERM)
	check := func(err error) {
		t.Helper()
		if strings.Contains(err.Error(), "MEMLOCK") || !errors.Is(err, unix.EPERM) || !strings.Contains(err.Error(), "operation not permitted") {
			t.Errorf("error %q: want EPERM and no memlock hint", err)
		}
	}
	check(explainLoadError(lib))

	testenv.RequireRoot(t)
	plan, err := NewPlan(Config{Probe: ProbeFentry})
	if err != nil {
		t.Fatal(err)
	}
	src, err := Open(plan)
	if err == nil {
		src.Close()
		t.Log("the kernel loads the fentry set; only the library's wording was checked")
		return
	}
	if errors.Is(err, unix.EPERM) {
		check(err)
	}
}
