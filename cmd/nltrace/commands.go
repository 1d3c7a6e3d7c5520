package main

import (
	"flag"
	"strings"

	"github.com/nltrace/nltrace/capture/ebpf"
	"github.com/nltrace/nltrace/client"
)

// command is a subcommand as the completion scripts and the man page
// describe it; its flags come from the same constructor its parser uses.
type command struct {
	name     string // "" for live tracing, which has no subcommand word
	synopsis []string
	summary  string
	about    string // what the usage says beyond the synopsis
	flags    *flag.FlagSet
	// args says what the words after the flags are: "files" (capture
	// files), "command" (-- CMD ARGS) or a list of words.
	args  string
	words []string
}

// commands lists nltrace's subcommands, live tracing first.
func commands() []command {
	tfs, _ := newTraceFlags(&traceOptions{})
	rfs, _ := newReadFlags(&readOptions{})
	dfs, _ := newDecodeFlags()
	pfs, _ := newReplayFlags(&replayOptions{})
	none := flag.NewFlagSet("", flag.ContinueOnError)
	return []command{
		{
			synopsis: []string{"nltrace [flags] -- CMD [ARGS...]", "nltrace [flags] -p PID[,PID...]", "nltrace [flags] -a", "nltrace --nlmon [flags] [-- CMD [ARGS...]]"},
			summary:  "trace the netlink messages of a command and its descendants, of running processes, of every process (eBPF), or of a network namespace (nlmon)",
			flags:    tfs, args: "command",
		},
		{
			name: "read", synopsis: []string{"nltrace read [flags] FILE"},
			summary: "decode a capture file (pcapng or pcap, nltrace's or tcpdump's from an nlmon device; - is standard input)",
			flags:   rfs, args: "files",
		},
		{
			name: "decode", synopsis: []string{"nltrace decode [flags] [FILE]"},
			summary: "decode netlink bytes written as hex, strace escapes, a Go byte-slice literal or a hex dump",
			about:   usageAbout(decodeUsage), flags: dfs, args: "files",
		},
		{
			name: "replay", synopsis: []string{"nltrace replay [flags] FILE"},
			summary: "replay a capture's requests in a new network namespace and compare the outcomes",
			about:   usageAbout(replayUsage), flags: pfs, args: "files",
		},
		{
			name: "help", synopsis: []string{"nltrace help [trace|read|decode|replay]"},
			summary: "print a subcommand's usage on standard output",
			flags:   none, args: "words", words: []string{"trace", "read", "decode", "replay"},
		},
		{
			name: "completion", synopsis: []string{"nltrace completion bash|zsh|fish"},
			summary: "print a shell completion script",
			flags:   none, args: "words", words: []string{"bash", "zsh", "fish"},
		},
		{
			name: "man", synopsis: []string{"nltrace man"},
			summary: "print this manual page (roff)",
			flags:   none,
		},
		{
			name: "version", synopsis: []string{"nltrace version", "nltrace --version"},
			summary: "print the version, the VCS revision it was built from and the Go version",
			flags:   none,
		},
	}
}

// usageAbout is the text of a usage constant after its synopsis line.
func usageAbout(usage string) string {
	_, about, _ := strings.Cut(usage, "\n\n")
	return strings.TrimSpace(about)
}

// flagChoices are the values a flag takes, for completion; nil for a flag
// whose value is free-form.
func flagChoices(cmd, name string) []string {
	switch name {
	case "format":
		if cmd == "replay" {
			return []string{"text", "json"}
		}
		return []string{"compact", "tree", "hex", "json", "go"}
	case "probe":
		var out []string
		for p := ebpf.ProbeAuto; p <= ebpf.ProbeTracepoint; p++ {
			out = append(out, p.String())
		}
		return out
	case "family":
		var out []string
		for i := range 32 {
			if n := client.ProtocolName(i); !strings.HasPrefix(n, "proto ") {
				out = append(out, n)
			}
		}
		return out
	}
	return nil
}

// takesFile says a flag's value is a file name: its usage names the value
// FILE, FILE.yaml or PATH.
func takesFile(f *flag.Flag) bool {
	arg, _ := flag.UnquoteUsage(f)
	return strings.Contains(arg, "FILE") || strings.Contains(arg, "PATH")
}

// isBoolFlag says a flag takes no value.
func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// dashed is a flag as the help text writes it: -p, --format.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// flagList is the flags of fs in order of name.
func flagList(fs *flag.FlagSet) []*flag.Flag {
	var out []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) { out = append(out, f) })
	return out
}
