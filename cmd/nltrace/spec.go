package main

import (
	"flag"
	"strings"

	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
)

// specFiles collects the --spec flags: YNL generic-netlink specs decoded
// like the built-in families.
type specFiles []string

func (s *specFiles) String() string { return strings.Join(*s, ",") }

func (s *specFiles) Set(v string) error {
	*s = append(*s, v)
	return nil
}

func addSpecFlag(fs *flag.FlagSet, s *specFiles) {
	fs.Var(s, "spec", "also decode generic netlink with the YNL spec `FILE.yaml` (repeatable; replaces a built-in family of the same name)")
}

// registry loads the specs; nil when none were given, which the pipeline
// takes as every built-in family.
func (s specFiles) registry() (*decode.Registry, error) {
	if len(s) == 0 {
		return nil, nil
	}
	defs, err := families.LoadSpecs(s...)
	if err != nil {
		return nil, err
	}
	return families.NewRegistryWith(&families.Options{Specs: defs}), nil
}
