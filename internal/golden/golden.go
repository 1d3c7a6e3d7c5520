// Package golden compares test output with golden files kept at
// testdata/<Test>/<name>.golden, and rewrites them when asked.
//
// Each test package declares its own -update flag and passes its value, so
// this package registers no flags and holds no state.
package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Check compares got with the golden file name of t's top-level test, or
// writes got there when update is set.
func Check(t testing.TB, update bool, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", strings.SplitN(t.Name(), "/", 2)[0], name+".golden")
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}
