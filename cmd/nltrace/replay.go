package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/pipeline"
	"github.com/nltrace/nltrace/replay"
)

const replayUsage = `usage: nltrace replay [flags] FILE   (pcapng or pcap, ours or tcpdump's nlmon captures)

Sends the capture's requests again in a new network namespace (or --netns),
then compares each request's outcome with the recorded one. Exit status: 0
when every outcome is the same, 1 when some differ or the replay failed, 2
for a usage error.
`

// replayOptions are the flags of nltrace replay.
type replayOptions struct {
	netns     string
	stubLinks bool
	fast      bool
	verbose   bool
	format    string
	write     string
	emitGo    string
	goPackage string
	first     int
	last      int
	wait      time.Duration
	// filter narrows the requests replayed; its Errors keeps the sends
	// holding a request that failed when recorded.
	filter pipeline.Filter
	// registry decodes the capture and the answers: the built-in
	// families and any --spec; its schemas say what to rewrite.
	registry *decode.Registry
	fileName string
}

func parseReplayOptions(args []string, std stdio) (replayOptions, error) {
	var o replayOptions
	fs, v := newReplayFlags(&o)
	if err := parseFlags(fs, replayUsage, args, std); err != nil {
		return o, err
	}
	if fs.NArg() != 1 {
		printUsage(fs, replayUsage, std.err)
		return o, errors.New("replay needs exactly one capture file")
	}
	o.fileName = fs.Arg(0)
	var err error
	if o.registry, err = v.specs.registry(); err != nil {
		return o, err
	}
	if o.registry == nil {
		o.registry = families.NewRegistry()
	}
	if o.format != "text" && o.format != "json" {
		return o, fmt.Errorf("--format %q: want text or json", o.format)
	}
	if *v.pid > 1<<32-1 {
		return o, fmt.Errorf("-p: bad process id %d", *v.pid)
	}
	o.filter.PID = uint32(*v.pid)
	if o.first, o.last, err = parseRange(*v.records); err != nil {
		return o, fmt.Errorf("--records: %w", err)
	}
	note, err := setFilter(&o.filter, o.registry, *v.family, *v.matchExpr, *v.types)
	if note != "" {
		fmt.Fprintf(std.err, "nltrace replay: %s\n", note)
	}
	if err != nil {
		return o, err
	}
	if o.emitGo != "" && (o.write != "" || o.netns != "" || o.stubLinks) {
		return o, errors.New("--emit-go writes a test instead of replaying: -w, --netns and --stub-links do not apply")
	}
	for _, out := range []struct{ flag, name string }{{"-w", o.write}, {"--emit-go", o.emitGo}} {
		if out.name != "" && out.name != "-" && sameFilePath(out.name, o.fileName) {
			return o, fmt.Errorf("%s %s is the capture file being read", out.flag, out.name)
		}
	}
	if o.write == "-" {
		return o, errors.New("-w -: standard output carries the report; name a file")
	}
	return o, nil
}

// replayFlagValues holds the flags that parseReplayOptions checks and converts
// after parsing.
type replayFlagValues struct {
	specs     specFiles
	records   *string
	pid       *uint
	family    *string
	matchExpr *string
	types     *string
}

// newReplayFlags defines the flags of nltrace replay on a new FlagSet that sets o
// and the returned values, without parsing: the completion scripts and the
// man page are made from it too.
func newReplayFlags(o *replayOptions) (*flag.FlagSet, *replayFlagValues) {
	v := &replayFlagValues{}
	fs := flag.NewFlagSet("nltrace replay", flag.ContinueOnError)
	fs.StringVar(&o.netns, "netns", "", "replay in the existing network namespace at `PATH` (/run/netns/NAME, /proc/PID/ns/net), kept afterwards; default: a new one, removed afterwards. The initial namespace is refused")
	fs.BoolVar(&o.stubLinks, "stub-links", false, "first create the links the capture refers to but never creates (dummy, or veth where dummy is missing)")
	fs.BoolVar(&o.fast, "fast", false, "send each request as soon as the previous one is answered, instead of at the capture's pace")
	fs.BoolVar(&o.verbose, "verbose", false, "report every rewritten value (interface indexes, family ids, sequence numbers, port ids) on standard error")
	fs.StringVar(&o.format, "format", "text", "output format: text or json")
	fs.StringVar(&o.write, "w", "", "record the replay's own traffic to the pcapng `FILE`")
	fs.StringVar(&o.emitGo, "emit-go", "", "write a Go test that replays the requests with client/ and asserts the recorded outcomes to `FILE` (- is standard output) instead of replaying")
	fs.StringVar(&o.goPackage, "go-package", "nlreplay", "with --emit-go: the Go package `NAME` of the test file")
	addSpecFlag(fs, &v.specs)
	v.records = fs.String("records", "", "replay only records in `RANGE`: N, N-M, N- or -M (record numbers as nltrace read and Wireshark count them)")
	fs.DurationVar(&o.wait, "wait", 5*time.Second, "how long to wait for the next answer to a send before calling it missing")
	fs.StringVar(&o.filter.Comm, "comm", "", "replay only requests of processes with this command `NAME`")
	v.pid = fs.Uint("p", 0, "replay only requests of process `PID`")
	v.family = fs.String("family", "", "replay only these netlink families (route,xfrm,netfilter,generic,...)")
	v.matchExpr = fs.String("match", "", "keep messages whose decoded fields satisfy `EXPR` (IFLA_IFNAME == \"v0\", RTA_DST in 10.0.0.0/8, errno == EEXIST, comm ~ \"^kube\"; && || ! and parentheses), with the replies to the requests it keeps")
	v.types = fs.String("type", "", "replay only message types matching these `GLOB`s, comma-separated (RTM_*LINK)")
	fs.BoolVar(&o.filter.Errors, "errors", false, "replay only the sends holding a request that failed when recorded")
	return fs, v
}

// parseRange parses N, N-M, N- and -M; 0 leaves a side open.
func parseRange(s string) (first, last int, err error) {
	if s == "" {
		return 0, 0, nil
	}
	num := func(v string) (int, error) {
		if v == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, fmt.Errorf("bad record number %q", v)
		}
		return n, nil
	}
	a, b, isRange := strings.Cut(s, "-")
	if isRange && a == "" && b == "" {
		return 0, 0, fmt.Errorf("bad range %q", s)
	}
	if first, err = num(a); err != nil {
		return 0, 0, err
	}
	if !isRange {
		if first == 0 {
			return 0, 0, fmt.Errorf("bad range %q", s)
		}
		return first, first, nil
	}
	if last, err = num(b); err != nil {
		return 0, 0, err
	}
	if last != 0 && first > last {
		return 0, 0, fmt.Errorf("range %q ends before it starts", s)
	}
	return first, last, nil
}

func (o replayOptions) selection() *replay.Selection {
	sel := &replay.Selection{First: o.first, Last: o.last, Failed: o.filter.Errors}
	f := o.filter
	if f.Comm == "" && f.PID == 0 && len(f.Protocols) == 0 && len(f.Types) == 0 {
		return sel
	}
	sel.Keep = func(r *capture.Record, t *decode.Tree, i int) bool {
		return f.Record(r) && f.Type(&t.Messages[i])
	}
	return sel
}

// runReplay replays a capture. Exit status: 0 when every outcome matched,
// 1 when some differ or the replay failed, 2 for a usage error.
func runReplay(args []string, std stdio) int {
	o, err := parseReplayOptions(args, std)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(std.err, "nltrace replay: %v\n", err)
		return 2
	}
	status, err := replayFile(context.Background(), o, std)
	if err != nil {
		fmt.Fprintf(std.err, "nltrace replay: %v\n", err)
		return 1
	}
	return status
}

func loadPlan(ctx context.Context, o replayOptions, std stdio) (*replay.Plan, error) {
	var src *pcapng.Reader
	var err error
	if o.fileName == "-" {
		src, err = pcapng.NewReader(std.in, "standard input")
	} else {
		src, err = pcapng.Open(o.fileName)
	}
	if err != nil {
		return nil, err
	}
	defer src.Close()
	plan, err := replay.Load(ctx, src, o.registry, o.selection())
	if w := src.Warning(); w != nil {
		// A cut file lost the answers of its last requests, and maybe
		// requests: refuse rather than report made-up differences.
		return nil, fmt.Errorf("%w; a cut capture is not replayed (its last outcomes are missing)", w)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", o.fileName, err)
	}
	return plan, nil
}

func replayFile(ctx context.Context, o replayOptions, std stdio) (status int, err error) {
	plan, err := loadPlan(ctx, o, std)
	if err != nil {
		return 1, err
	}
	if o.emitGo != "" {
		return 0, emitGo(o, plan, std)
	}
	cfg := &replay.Config{StubLinks: o.stubLinks, Wait: o.wait, Fast: o.fast}
	if o.verbose {
		cfg.Log = func(line string) { fmt.Fprintf(std.err, "nltrace replay: %s\n", line) }
	}
	if o.netns != "" {
		ns, err := client.OpenNetNS(netnsPath(o.netns))
		if err != nil {
			return 1, fmt.Errorf("--netns: %w", err)
		}
		defer ns.Close()
		cfg.NetNS = ns
	}
	var pw *pcapng.Writer
	if o.write != "" {
		pw, err = pcapng.Create(o.write, &pcapng.WriterConfig{Version: version, InterfaceDescription: "nltrace replay of " + o.fileName})
		if err != nil {
			return 1, fmt.Errorf("-w: %w", err)
		}
		cfg.Sink = pw
		defer func() {
			if cerr := pw.Close(capture.Stats{Records: pw.Written()}); cerr != nil && err == nil {
				err = fmt.Errorf("-w: %w", cerr)
			}
		}()
	}
	results, rerr := replay.Run(ctx, plan, o.registry, cfg)
	if rerr == nil || len(results) > 0 {
		if werr := writeResults(std.out, o.format, plan, results); werr != nil && rerr == nil {
			rerr = werr
		}
	}
	if rerr != nil {
		return 1, rerr
	}
	for _, r := range results {
		if !r.Same() {
			return 1, nil
		}
	}
	return 0, nil
}

// resultLine is a result as --format json shows it.
type resultLine struct {
	Record   int            `json:"record"`
	Message  int            `json:"message"`
	Socket   int            `json:"socket"`
	Type     string         `json:"type"`
	Same     bool           `json:"same"`
	Diffs    []string       `json:"diffs,omitempty"`
	Recorded replay.Outcome `json:"recorded"`
	Replayed replay.Outcome `json:"replayed"`
}

type summaryLine struct {
	Summary struct {
		Requests  int `json:"requests"`
		Same      int `json:"same"`
		Different int `json:"different"`
		Sockets   int `json:"sockets"`
		Sends     int `json:"sends"`
	} `json:"summary"`
}

func writeResults(w io.Writer, format string, plan *replay.Plan, results []replay.Result) error {
	var sum summaryLine
	sum.Summary.Sockets = len(plan.Sockets)
	sum.Summary.Sends = len(plan.Sends)
	perRecord := map[int]int{}
	for _, r := range results {
		perRecord[r.Record]++
	}
	enc := json.NewEncoder(w)
	var b strings.Builder
	for _, r := range results {
		sum.Summary.Requests++
		if r.Same() {
			sum.Summary.Same++
		} else {
			sum.Summary.Different++
		}
		if format == "json" {
			if err := enc.Encode(resultLine{r.Record, r.Message, r.Socket + 1, r.Name, r.Same(), r.Diffs, r.Recorded, r.Replayed}); err != nil {
				return err
			}
			continue
		}
		b.Reset()
		fmt.Fprintf(&b, "record %d", r.Record)
		if perRecord[r.Record] > 1 {
			fmt.Fprintf(&b, ".%d", r.Message)
		}
		if len(plan.Sockets) > 1 {
			fmt.Fprintf(&b, " socket %d", r.Socket+1)
		}
		fmt.Fprintf(&b, " %s: ", r.Name)
		if r.Same() {
			fmt.Fprintf(&b, "same (%s)\n", r.Replayed)
		} else {
			fmt.Fprintf(&b, "different: %s\n", strings.Join(r.Diffs, "; "))
		}
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	if format == "json" {
		return enc.Encode(sum)
	}
	s := sum.Summary
	_, err := fmt.Fprintf(w, "%d requests in %d sends on %d sockets: %d same, %d different\n", s.Requests, s.Sends, s.Sockets, s.Same, s.Different)
	return err
}

func emitGo(o replayOptions, plan *replay.Plan, std stdio) (err error) {
	// Render first: a plan that cannot become a test leaves no file.
	var b bytes.Buffer
	if err := plan.EmitGo(&b, replay.EmitOptions{Package: o.goPackage, Source: filepath.Base(o.fileName)}); err != nil {
		return err
	}
	if o.emitGo == "-" {
		_, err := std.out.Write(b.Bytes())
		return err
	}
	f, err := createPrivate(o.emitGo)
	if err != nil {
		return fmt.Errorf("--emit-go: %w", err)
	}
	if _, err := f.Write(b.Bytes()); err != nil {
		f.Close()
		return fmt.Errorf("--emit-go: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--emit-go: %w", err)
	}
	return nil
}
