package sockdiag_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/internal/golden"
)

var (
	update = flag.Bool("update", false, "rewrite golden files")
	record = flag.Bool("record", false, "host tests write their captures to testdata/captures")
)

// toolDir holds the nltrace binary the host tests build, for the run.
var toolDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "nltrace-sockdiag-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	toolDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// problems lists unnamed messages, unnamed attributes and malformed fields.
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
			if (f.Name == "payload" || f.Name == "trailing") && f.Kind == decode.KindBytes {
				out = append(out, fmt.Sprintf("message %d (%s): undecoded %s at %d", i, m.Name, f.Name, f.Off))
			}
		}
	}
	return out
}

// captures reads testdata/captures/*.pcapng: ss and friends recorded by
// nltrace itself (the host tests' -record).
func captures(t testing.TB) map[string][]capture.Record {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("testdata", "captures", "*.pcapng"))
	if len(files) == 0 {
		t.Fatal("no captures in testdata/captures (run the host tests with -record as root)")
	}
	sort.Strings(files)
	out := map[string][]capture.Record{}
	for _, f := range files {
		rd, err := pcapng.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		var recs []capture.Record
		for r, err := range capture.Records(context.Background(), rd) {
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			r.Data = append([]byte(nil), r.Data...)
			recs = append(recs, r)
		}
		rd.Close()
		out[strings.TrimSuffix(filepath.Base(f), ".pcapng")] = recs
	}
	return out
}

// TestGolden decodes the recorded captures and compares the tree and
// JSON forms with the golden files; every message and attribute must be
// named and nothing malformed.
func TestGolden(t *testing.T) {
	reg := families.NewRegistry()
	for name, recs := range captures(t) {
		t.Run(name, func(t *testing.T) {
			d := decode.NewDecoder(reg)
			var tree decode.Tree
			var text, jsonl []byte
			for i := range recs {
				d.Decode(&tree, &recs[i])
				if p := problems(&tree); len(p) > 0 {
					t.Errorf("record %d:\n%s", i, strings.Join(p, "\n"))
				}
				text = render.Append(text, &tree, render.Tree)
				jsonl = render.Append(jsonl, &tree, render.JSON)
			}
			for i, line := range bytes.Split(bytes.TrimSuffix(jsonl, []byte("\n")), []byte("\n")) {
				if !json.Valid(line) {
					t.Errorf("JSON line %d is not valid JSON: %s", i, line)
				}
			}
			golden.Check(t, *update, name, text)
			golden.Check(t, *update, name+".json", jsonl)
		})
	}
}
