package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// parseFlags parses args with fs as common command-line tools do: explicit
// help (-h, --help) prints the usage on standard output, where `nltrace -h |
// less` finds it, and returns flag.ErrHelp (exit 0); a bad flag prints the
// error and the usage on standard error (exit 2).
func parseFlags(fs *flag.FlagSet, head string, args []string, std stdio) error {
	fs.SetOutput(std.err)
	fs.Usage = func() {} // printed below, on the stream that fits
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printUsage(fs, head, std.out)
	case err != nil:
		printUsage(fs, head, std.err)
	}
	return err
}

// printUsage writes the usage head and the flags to w.
func printUsage(fs *flag.FlagSet, head string, w io.Writer) {
	fmt.Fprint(w, head)
	out := fs.Output()
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(out)
}

const helpUsage = `usage: nltrace help [trace|read|decode|replay]
`

// runHelp prints the usage of a subcommand on standard output.
func runHelp(args []string, std stdio) int {
	topic := "trace"
	switch len(args) {
	case 0:
	case 1:
		topic = args[0]
	default:
		fmt.Fprint(std.err, helpUsage)
		return 2
	}
	switch topic {
	case "trace":
		return runTrace([]string{"-h"}, std)
	case "read":
		return runRead([]string{"-h"}, std)
	case "decode":
		return runDecode([]string{"-h"}, std)
	case "replay":
		return runReplay([]string{"-h"}, std)
	}
	fmt.Fprintf(std.err, "nltrace help: no help on %q\n%s", topic, helpUsage)
	return 2
}
