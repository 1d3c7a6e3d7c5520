package main

import (
	"fmt"

	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/pipeline"
	"github.com/nltrace/nltrace/pipeline/match"
)

// setFilter converts the filter flags that trace, read and replay share
// (--comm, --family, --match, --type) into f. reg names the message types
// --type may match (nil: the built-in families). note, when not empty, is
// a warning about --comm to print whatever err is.
func setFilter(f *pipeline.Filter, reg *decode.Registry, family, matchExpr, types string) (note string, err error) {
	f.Comm, note = pipeline.CheckComm(f.Comm)
	if f.Protocols, err = pipeline.ParseFamilies(family); err != nil {
		return note, err
	}
	if matchExpr != "" {
		x, err := match.Parse(matchExpr)
		if err != nil {
			return note, fmt.Errorf("--match: %w", err)
		}
		f.Match = x
	}
	f.Types = pipeline.ParseTypes(types)
	return note, pipeline.CheckTypesIn(f.Types, reg)
}
