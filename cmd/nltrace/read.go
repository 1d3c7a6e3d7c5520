package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/client"
)

// readOptions are the flags of nltrace read.
type readOptions struct {
	output   string // -o: text output, "-" for stdout
	write    string // -w: also write the (filtered) records as pcapng
	family   int    // --family: keep one netlink protocol; -1 keeps all
	pid      uint64 // -p: keep one process; 0 keeps all
	fileName string
}

func parseReadOptions(args []string, stderr io.Writer) (readOptions, error) {
	o := readOptions{family: -1}
	fs := flag.NewFlagSet("nltrace read", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.output, "o", "-", "write the text output to `FILE`")
	fs.StringVar(&o.write, "w", "", "also write the records read (after filters) to the pcapng `FILE`; - is standard output")
	family := fs.String("family", "", "show only netlink protocol `NAME` (route, generic, ... or a number)")
	fs.Uint64Var(&o.pid, "p", 0, "show only records of process `PID`")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: nltrace read [flags] FILE   (pcapng or pcap; - reads standard input)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return o, errors.New("read needs exactly one capture file")
	}
	o.fileName = fs.Arg(0)
	if *family != "" {
		p, err := client.ParseProtocol(*family)
		if err != nil {
			return o, fmt.Errorf("--family: %w", err)
		}
		o.family = p
	}
	if o.write != "" && o.write == o.output {
		return o, errors.New("-w and -o name the same file")
	}
	return o, nil
}

// runRead decodes a capture file. Exit status: 0 when every frame was read,
// 1 when some frame or the file was bad, 2 for a usage error.
//
// TODO(pipeline): the shared filters and renderers (cmd/nltrace/pipeline.go,
// decode's text/JSON/hex output) have not landed; until they do, each record
// prints as a header line and one line per netlink message header.
func runRead(args []string, stdio stdio) int {
	o, err := parseReadOptions(args, stdio.err)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stdio.err, "nltrace read: %v\n", err)
		return 2
	}
	if err := readFile(context.Background(), o, stdio); err != nil {
		fmt.Fprintf(stdio.err, "nltrace read: %v\n", err)
		return 1
	}
	return 0
}

func readFile(ctx context.Context, o readOptions, stdio stdio) (err error) {
	var src *pcapng.Reader
	if o.fileName == "-" {
		src, err = pcapng.NewReader(stdio.in, "standard input")
	} else {
		src, err = pcapng.Open(o.fileName)
	}
	if err != nil {
		return err
	}
	defer src.Close()

	out := stdio.out
	if o.output != "-" {
		f, err := os.Create(o.output)
		if err != nil {
			return fmt.Errorf("create output: %w", err)
		}
		defer func() {
			if cerr := f.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("close output: %w", cerr)
			}
		}()
		out = f
	}
	bw := bufio.NewWriterSize(out, 64<<10)
	defer func() {
		if ferr := bw.Flush(); ferr != nil && err == nil {
			err = fmt.Errorf("write output: %w", ferr)
		}
	}()

	var pw *pcapng.Writer
	if o.write != "" {
		pw, err = pcapng.Create(o.write, &pcapng.WriterConfig{Version: version, Method: capture.MethodFile, InterfaceDescription: "records read from " + o.fileName})
		if err != nil {
			return err
		}
	}
	frameErrors := 0
	var rec capture.Record
	var line []byte
	for {
		rerr := src.ReadInto(ctx, &rec)
		var fe *pcapng.FrameError
		if errors.As(rerr, &fe) {
			frameErrors++
			fmt.Fprintf(stdio.err, "nltrace read: %v\n", fe)
			continue
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			err = rerr
			break
		}
		if o.family >= 0 && int(rec.Protocol) != o.family || o.pid != 0 && uint64(rec.PID) != o.pid {
			continue
		}
		line = appendRecordText(line[:0], &rec)
		if _, werr := bw.Write(line); werr != nil {
			err = fmt.Errorf("write output: %w", werr)
			break
		}
		if pw != nil {
			if werr := pw.Write(&rec); werr != nil {
				err = werr
				break
			}
		}
	}
	if pw != nil {
		// The file's own drop count carries over into the copy.
		cerr := pw.Close(capture.Stats{Records: pw.Written(), LostWakeup: src.FileDropped()})
		if err == nil {
			err = cerr
		}
	}
	if w := src.Warning(); w != nil {
		fmt.Fprintf(stdio.err, "nltrace read: warning: %v\n", w)
	}
	if n := src.FileDropped(); n > 0 {
		fmt.Fprintf(stdio.err, "nltrace read: the capture recorded %d dropped records\n", n)
	}
	if err == nil && frameErrors > 0 {
		err = fmt.Errorf("%d frames could not be read", frameErrors)
	}
	return err
}

// appendRecordText appends a record as text: a line naming time, process,
// direction and protocol, then one indented line per netlink message header.
func appendRecordText(b []byte, r *capture.Record) []byte {
	b = r.Time.AppendFormat(b, "15:04:05.000000")
	b = append(b, ' ')
	if r.Comm != "" || r.PID != 0 {
		b = append(b, r.Comm...)
		b = append(b, '(')
		b = strconv.AppendUint(b, uint64(r.PID), 10)
		b = append(b, ')', ' ')
	} else if r.PortID != 0 {
		b = append(b, "port "...)
		b = strconv.AppendUint(b, uint64(r.PortID), 10)
		b = append(b, ' ')
	}
	b = append(b, r.Direction.Arrow()...)
	if r.DirectionInferred {
		b = append(b, '?')
	}
	b = append(b, ' ')
	b = append(b, client.ProtocolName(int(r.Protocol))...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(len(r.Data)), 10)
	b = append(b, " bytes"...)
	if r.Truncated() {
		b = append(b, " (cut from "...)
		b = strconv.AppendInt(b, int64(r.OrigLen), 10)
		b = append(b, ')')
	}
	b = append(b, '\n')
	for off := 0; off < len(r.Data); {
		h, err := client.ParseHeader(r.Data[off:])
		if err != nil || h.Length < client.HeaderLen || int(h.Length) > len(r.Data)-off {
			b = append(b, "    malformed message header at offset "...)
			b = strconv.AppendInt(b, int64(off), 10)
			b = append(b, ": "...)
			b = strconv.AppendInt(b, int64(len(r.Data)-off), 10)
			b = append(b, " bytes left\n"...)
			break
		}
		b = append(b, "    "...)
		b = append(b, client.MessageTypeName(int(r.Protocol), h.Type)...)
		b = append(b, " flags=0x"...)
		b = strconv.AppendUint(b, uint64(h.Flags), 16)
		b = append(b, " seq="...)
		b = strconv.AppendUint(b, uint64(h.Sequence), 10)
		b = append(b, " port="...)
		b = strconv.AppendUint(b, uint64(h.PortID), 10)
		b = append(b, " len="...)
		b = strconv.AppendUint(b, uint64(h.Length), 10)
		b = append(b, '\n')
		off += client.Align(int(h.Length))
	}
	return b
}
