// Command nltrace traces, decodes, records and replays netlink traffic.
//
//	nltrace [flags] -- CMD ARGS   trace a command and its descendants
//	nltrace [flags] -p PID        trace running processes
//	nltrace [flags] -a            trace every process on the host
//	nltrace --nlmon [flags]       capture through an nlmon device
//	nltrace read FILE             decode a capture file
//	nltrace decode [FILE]         decode pasted netlink bytes
//	nltrace replay FILE           replay a capture's requests, diff outcomes
//	nltrace help [SUBCOMMAND]     usage on standard output
//	nltrace completion SHELL      a bash, zsh or fish completion script
//	nltrace man                   the manual page (roff)
//
// This file only dispatches; each subcommand lives in its own file.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
)

// version may be set at build time with -ldflags "-X main.version=...";
// otherwise the module version and VCS revision the Go toolchain stamps
// into the binary say which nltrace this is.
var version string

// stdio is where a subcommand reads and writes; tests substitute buffers.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

func main() {
	os.Exit(run(os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}))
}

// run returns the process exit status.
func run(args []string, io stdio) int {
	if len(args) > 0 {
		switch args[0] {
		case "decode":
			return runDecode(args[1:], io)
		case "read":
			return runRead(args[1:], io)
		case "replay":
			return runReplay(args[1:], io)
		case "help":
			return runHelp(args[1:], io)
		case "completion":
			return runCompletion(args[1:], io)
		case "man":
			return runMan(args[1:], io)
		case "version", "--version":
			bi, _ := debug.ReadBuildInfo()
			fmt.Fprintf(io.out, "nltrace %s\n", longVersion(version, bi))
			return 0
		}
	}
	return runTrace(args, io)
}

// buildVCS is what the toolchain recorded of the checkout a binary was
// built from.
type buildVCS struct {
	module, revision, time string
	modified               bool
}

func readBuildVCS(bi *debug.BuildInfo) buildVCS {
	var v buildVCS
	if bi == nil {
		return v
	}
	v.module = bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.revision = s.Value
		case "vcs.time":
			v.time = s.Value
		case "vcs.modified":
			v.modified = s.Value == "true"
		}
	}
	return v
}

// shortVersion is the version written into capture files: the -X value,
// a released module version, or the revision ("dev" when nothing is
// known, as with go run).
func shortVersion() string {
	if version != "" {
		return version
	}
	bi, _ := debug.ReadBuildInfo()
	v := readBuildVCS(bi)
	switch {
	case v.module != "" && v.module != "(devel)":
		return v.module
	case v.revision != "":
		r := v.revision[:min(12, len(v.revision))]
		if v.modified {
			r += "-dirty"
		}
		return r
	}
	return "dev"
}

// longVersion is what --version prints: the version, the VCS revision and
// time it was built from, and the Go toolchain.
func longVersion(set string, bi *debug.BuildInfo) string {
	v := readBuildVCS(bi)
	out := set
	if out == "" {
		out = v.module
	}
	if out == "" || out == "(devel)" {
		out = "(devel)"
	}
	if v.revision != "" {
		out += " revision " + v.revision
		if v.modified {
			out += " with uncommitted changes"
		}
		if v.time != "" {
			out += " of " + v.time
		}
	} else if set == "" && (v.module == "" || v.module == "(devel)") {
		out += ", built without VCS information (go run, or -buildvcs=false)"
	}
	return out + ", " + runtime.Version()
}
