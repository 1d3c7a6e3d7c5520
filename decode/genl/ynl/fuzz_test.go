package ynl_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/nltrace/nltrace/decode/genl"
	"github.com/nltrace/nltrace/decode/genl/ynl"
)

// FuzzSpec feeds mutated YAML to the loader and the builder (what --spec
// runs): neither may panic, and a spec that fails is an *ynl.Error. The
// seeds are the built-in specs, up to 47 KB each; minimizing such inputs
// with the default 60 s budget takes most of a short run, so bound it by
// count (scripts/test passes -fuzzminimizetime 200x).
func FuzzSpec(f *testing.F) {
	files, _ := filepath.Glob("../specs/*.yaml")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("name: x\nattribute-sets:\n  - name: a\n    attributes:\n      - name: b\n        type: sub-message\n        sub-message: m\n        selector: c\n      - name: c\n        type: string\nsub-messages:\n  - name: m\n    formats:\n      - value: v\n        attribute-set: a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fam, err := ynl.Parse("fuzz.yaml", data)
		if err != nil {
			var e *ynl.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse error %T is not an *ynl.Error: %v", err, err)
			}
			return
		}
		if _, err := genl.Build(fam); err != nil {
			var e *ynl.Error
			if !errors.As(err, &e) {
				t.Fatalf("Build error %T is not an *ynl.Error: %v", err, err)
			}
		}
	})
}
