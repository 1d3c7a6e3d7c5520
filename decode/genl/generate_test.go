package genl

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/genl/ynl"
)

func readSpecs(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("specs", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no specs: %v", err)
	}
	specs := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		specs[filepath.Base(f)] = b
	}
	return specs
}

// TestGeneratedUpToDate regenerates the tables in memory and fails when
// they differ from the committed zz_generated_*.go files (run go generate
// in decode/genl after changing a spec, the overlays or the generator).
func TestGeneratedUpToDate(t *testing.T) {
	out, err := GenerateSources(readSpecs(t))
	if err != nil {
		t.Fatal(err)
	}
	onDisk, _ := filepath.Glob("zz_generated_*.go")
	for _, f := range onDisk {
		if _, ok := out[f]; !ok {
			t.Errorf("%s is not generated from any spec; run go generate", f)
		}
	}
	for name, src := range out {
		got, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("%s: %v; run go generate", name, err)
			continue
		}
		if !bytes.Equal(got, src) {
			t.Errorf("%s differs from what the specs generate; run go generate in decode/genl", name)
		}
	}
}

// TestBuildMatchesGenerated checks that the tables --spec builds at run
// time from a spec equal the generated ones of the same spec.
func TestBuildMatchesGenerated(t *testing.T) {
	gen := map[string]*Def{}
	for _, d := range generatedDefs() {
		gen[d.Name] = d
	}
	for name, data := range readSpecs(t) {
		f, err := ynl.Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Build(f)
		if err != nil {
			t.Fatal(err)
		}
		g := gen[d.Name]
		if g == nil {
			t.Errorf("%s: no generated def %q", name, d.Name)
			continue
		}
		// Hooks are compared by their code: Select closures by the
		// function literal that made them.
		sameCode := cmp.Options{
			cmp.Comparer(func(a, b func(*decode.Builder, []byte, int)) bool {
				return reflect.ValueOf(a).Pointer() == reflect.ValueOf(b).Pointer()
			}),
			cmp.Comparer(func(a, b func(decode.Scope) *decode.AttrSet) bool {
				return reflect.ValueOf(a).Pointer() == reflect.ValueOf(b).Pointer()
			}),
		}
		if diff := cmp.Diff(d, g, sameCode); diff != "" {
			t.Errorf("%s: Build differs from the generated tables (-build +generated):\n%s", name, diff)
		}
	}
}
