package rtnl_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/nltrace/nltrace/internal/golden"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/decode/rtnl"
	"golang.org/x/sys/unix"
)

var update = flag.Bool("update", false, "rewrite golden files")

type recordedCase struct {
	name    string
	records []capture.Record
}

// loadKernelCases reads testdata/kernel/*.bin (see encodeRecords). Records
// get times 1µs apart, so dump durations are stable.
func loadKernelCases(t testing.TB) []recordedCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "kernel", "*.bin"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recorded kernel bytes in testdata/kernel (run the tests with -record as root): %v", err)
	}
	sort.Strings(files)
	base := time.Date(2026, 1, 2, 12, 0, 1, 0, time.UTC)
	var out []recordedCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c := recordedCase{name: strings.TrimSuffix(filepath.Base(f), ".bin")}
		for len(b) >= 5 {
			dir := capture.FromKernel
			if b[0] == 1 {
				dir = capture.ToKernel
			}
			n := int(binary.LittleEndian.Uint32(b[1:5]))
			if 5+n > len(b) {
				t.Fatalf("%s: truncated record", f)
			}
			c.records = append(c.records, capture.Record{
				Time:      base.Add(time.Duration(len(c.records)) * time.Microsecond),
				Direction: dir, Protocol: unix.NETLINK_ROUTE, PID: 4242, Comm: "ip",
				Data: b[5 : 5+n], OrigLen: n, Method: capture.MethodFile,
			})
			b = b[5+n:]
		}
		out = append(out, c)
	}
	return out
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, *update, name, got)
}

// problems lists malformed and unnamed fields in t.
func problems(t *decode.Tree) []string {
	var out []string
	for i := range t.Messages {
		m := &t.Messages[i]
		if m.Name == "" {
			out = append(out, fmt.Sprintf("message %d: unknown type %d", i, m.Header.Type))
		}
		for _, f := range t.MessageFields(i) {
			if f.Has(decode.FieldMalformed) || f.Kind == decode.KindMalformed {
				out = append(out, fmt.Sprintf("message %d (%s): malformed %s at %d: %s", i, m.Name, f.Name, f.Off, f.Str))
			}
			if f.Has(decode.FieldUnknown) {
				out = append(out, fmt.Sprintf("message %d (%s): unnamed %s type %d at %d", i, m.Name, f.Name, f.Type, f.Off))
			}
		}
	}
	return out
}

// TestGolden decodes real kernel bytes for every recorded message type and
// compares the tree and compact forms with the golden files. Every field
// must be named and none malformed.
func TestGolden(t *testing.T) {
	reg := decode.NewRegistry(rtnl.Family())
	for _, c := range loadKernelCases(t) {
		t.Run(c.name, func(t *testing.T) {
			d := decode.NewDecoder(reg)
			var tree decode.Tree
			var text, compact, hex, jsonl []byte
			for i := range c.records {
				d.Decode(&tree, &c.records[i])
				if p := problems(&tree); len(p) > 0 {
					t.Errorf("record %d:\n%s", i, strings.Join(p, "\n"))
				}
				text = render.Append(text, &tree, render.Tree)
				compact = render.Append(compact, &tree, render.Compact)
				hex = render.Append(hex, &tree, render.Hex)
				jsonl = render.Append(jsonl, &tree, render.JSON)
			}
			checkGolden(t, c.name, append(append(text, "--- compact\n"...), compact...))
			for i, line := range bytes.Split(bytes.TrimSuffix(jsonl, []byte("\n")), []byte("\n")) {
				if !json.Valid(line) {
					t.Errorf("JSON line %d is not valid JSON: %s", i, line)
				}
			}
			// The hex and JSON forms are pinned for a few cases; they
			// render the same trees.
			if c.name == "errors" || c.name == "nexthops" {
				checkGolden(t, c.name+".hex", hex)
				checkGolden(t, c.name+".json", jsonl)
			}
		})
	}
}
