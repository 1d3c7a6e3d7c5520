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
//
// This file only dispatches; each subcommand lives in its own file.
package main

import (
	"fmt"
	"io"
	"os"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

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
		case "version", "--version":
			fmt.Fprintf(io.out, "nltrace %s\n", version)
			return 0
		}
	}
	return runTrace(args, io)
}
