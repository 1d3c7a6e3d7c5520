// Package testenv holds the privilege gates that nltrace's tests share: each
// gate skips a test and says why, unless the run demands that tier, in which
// case the missing privilege fails the test instead.
//
// The test script sets NLTRACE_REQUIRE_TIERS=host (and vm, where the VM tier
// runs), so that CI cannot pass with a privileged tier silently skipped.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// Tier names a test tier that needs more than an unprivileged process.
type Tier string

const (
	// Host tests run as root inside throwaway network namespaces.
	Host Tier = "host"
	// VM tests run inside the qemu guest with a stock kernel.
	VM Tier = "vm"
)

// RequiredEnv is the environment variable that lists the tiers which must not
// be skipped, separated by commas.
const RequiredEnv = "NLTRACE_REQUIRE_TIERS"

// Required reports whether the run demands tier.
func Required(tier Tier) bool {
	for _, s := range strings.Split(os.Getenv(RequiredEnv), ",") {
		if strings.TrimSpace(s) == string(tier) {
			return true
		}
	}
	return false
}

// Skip skips t because tier's need is unmet, with the reason; when the run
// demands tier it fails t instead.
func Skip(t testing.TB, tier Tier, reason string) {
	t.Helper()
	if Required(tier) {
		t.Fatalf("%s tier required (%s) but cannot run: %s", tier, RequiredEnv, reason)
	}
	t.Skipf("%s tier: %s", tier, reason)
}

// RequireRoot marks t as a host-tier test: it needs root, for network
// namespaces, raw netlink changes and BPF.
func RequireRoot(t testing.TB) {
	t.Helper()
	if unix.Geteuid() != 0 {
		Skip(t, Host, "needs root (run the test script with sudo)")
	}
}

// RequireVM marks t as a VM-tier test: it runs only inside the test VM,
// whose init sets NLTRACE_IN_VM=1.
func RequireVM(t testing.TB) {
	t.Helper()
	if os.Getenv("NLTRACE_IN_VM") != "1" {
		Skip(t, VM, "runs only inside the test VM (see internal/vmtest)")
	}
}

// PcapDir returns the directory of the real captures kept in the
// repository (testdata/pcaps at its root), wherever the test runs from.
func PcapDir(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the repository from the test binary")
	}
	dir := filepath.Join(filepath.Dir(file), "..", "..", "testdata", "pcaps")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the repository's captures are missing: %v", err)
	}
	return dir
}

// Pcap returns the path of one capture in testdata/pcaps.
func Pcap(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join(PcapDir(t), name)
}

// BuildNltrace returns the path of an nltrace binary for tests that run the
// real command: $NLTRACE_BIN when set, else cmd/nltrace built static (as
// the README builds it) into dir, once: a binary already there is reused,
// so a test binary that passes the same dir to every test builds it once.
func BuildNltrace(t testing.TB, dir string) string {
	t.Helper()
	if p := os.Getenv("NLTRACE_BIN"); p != "" {
		return p
	}
	out := filepath.Join(dir, "nltrace")
	if _, err := os.Stat(out); err == nil {
		return out
	}
	if _, err := exec.LookPath("go"); err != nil {
		Skip(t, Host, "no go toolchain to build nltrace")
	}
	cmd := exec.Command("go", "build", "-o", out, "github.com/nltrace/nltrace/cmd/nltrace")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build nltrace: %v\n%s", err, b)
	}
	return out
}
