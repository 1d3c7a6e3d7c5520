package genl

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

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
		if path := sameTables(reflect.ValueOf(d), reflect.ValueOf(g), "Def", map[[2]uintptr]bool{}); path != "" {
			t.Errorf("%s: Build differs from the generated tables at %s", name, path)
		}
	}
}

// sameTables compares two table graphs as reflect.DeepEqual does, visiting
// each pair of pointers once (the sets are shared and cyclic), but with
// hooks compared by their code: a Custom decoder by function, a Select by
// the function literal that made it. It returns the path of the first
// difference, or "".
func sameTables(a, b reflect.Value, path string, seen map[[2]uintptr]bool) string {
	if a.Kind() != b.Kind() {
		return path
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path
			}
			return ""
		}
		k := [2]uintptr{a.Pointer(), b.Pointer()}
		if seen[k] {
			return ""
		}
		seen[k] = true
		return sameTables(a.Elem(), b.Elem(), path, seen)
	case reflect.Func:
		if a.IsNil() != b.IsNil() || (!a.IsNil() && a.Pointer() != b.Pointer()) {
			return path
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if p := sameTables(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name, seen); p != "" {
				return p
			}
		}
	case reflect.Slice, reflect.Array:
		if a.Kind() == reflect.Slice && (a.IsNil() != b.IsNil()) || a.Len() != b.Len() {
			return path
		}
		for i := range a.Len() {
			if p := sameTables(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i), seen); p != "" {
				return p
			}
		}
	case reflect.Map:
		if a.Len() != b.Len() {
			return path
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				return fmt.Sprintf("%s[%v]", path, k)
			}
			if p := sameTables(a.MapIndex(k), bv, fmt.Sprintf("%s[%v]", path, k), seen); p != "" {
				return p
			}
		}
	default:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return path
		}
	}
	return ""
}
