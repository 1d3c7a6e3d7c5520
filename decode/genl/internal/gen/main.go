// Command gen writes decode/genl's tables from the YNL specs in
// decode/genl/specs; go generate runs it in that package's directory.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/nltrace/nltrace/decode/genl"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run() error {
	files, err := filepath.Glob(filepath.Join("specs", "*.yaml"))
	if err != nil {
		return err
	}
	specs := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		specs[filepath.Base(f)] = b
	}
	out, err := genl.GenerateSources(specs)
	if err != nil {
		return err
	}
	old, err := filepath.Glob("zz_generated_*.go")
	if err != nil {
		return err
	}
	for _, f := range old {
		if _, ok := out[f]; !ok {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	for name, src := range out {
		if err := os.WriteFile(name, src, 0o644); err != nil {
			return err
		}
	}
	return nil
}
