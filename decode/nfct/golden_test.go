package nfct_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/nfct"
	"github.com/nltrace/nltrace/decode/nfnl"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/internal/golden"
	"golang.org/x/sys/unix"
)

var update = flag.Bool("update", false, "rewrite golden files")

// registry decodes nfnetlink with this package's subsystems only, so the
// goldens do not change when another subsystem's decoder does.
func registry() *decode.Registry {
	return decode.NewRegistry(nfnl.Family(nfct.Subsystems()...))
}

// readCapture returns the NETLINK_NETFILTER records of a capture that
// testdata/record.sh made.
func readCapture(t testing.TB, path string) []capture.Record {
	t.Helper()
	r, err := pcapng.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []capture.Record
	for {
		var rec capture.Record
		err := r.ReadInto(context.Background(), &rec)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("%s: record %d: %v", path, len(out), err)
		}
		if rec.Protocol == unix.NETLINK_NETFILTER {
			out = append(out, rec)
		}
	}
}

func captures(t testing.TB) []string {
	files, err := filepath.Glob(filepath.Join("testdata", "captures", "*.pcapng"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures in testdata/captures (run testdata/record.sh as root): %v", err)
	}
	return files
}

// problems lists unnamed message types, unnamed attributes and malformed
// fields; nf_tables messages (another package's) are left alone.
func problems(tr *decode.Tree) []string {
	var out []string
	for i := range tr.Messages {
		m := &tr.Messages[i]
		if m.Header.Type>>8 == nfnl.SubsysNFTables {
			continue
		}
		if m.Name == "" {
			out = append(out, fmt.Sprintf("message %d: unknown type %#x", i, m.Header.Type))
		}
		for _, f := range tr.MessageFields(i) {
			if f.Has(decode.FieldMalformed) || f.Kind == decode.KindMalformed {
				out = append(out, fmt.Sprintf("message %d (%s): malformed %s at %d: %s", i, m.Name, f.Name, f.Off, f.Str))
			}
			if f.Has(decode.FieldUnknown) {
				out = append(out, fmt.Sprintf("message %d (%s): unnamed %s type %d at %d", i, m.Name, f.Name, f.Type, f.Off))
			}
		}
		if (m.IsAck || m.IsDone) && m.Errno <= -4096 && m.ErrnoName == "" {
			out = append(out, fmt.Sprintf("message %d: errno %d not named", i, m.Errno))
		}
	}
	return out
}

// TestGolden decodes the recorded captures of conntrack, ipset, nfacct,
// nft list hooks and tshark's nflog capture: every message and attribute
// must be named, none malformed, and the text must match the goldens.
func TestGolden(t *testing.T) {
	for _, path := range captures(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".pcapng")
		t.Run(name, func(t *testing.T) {
			d := decode.NewDecoder(registry())
			var tree decode.Tree
			var text, compact, jsonl []byte
			for i, rec := range readCapture(t, path) {
				d.Decode(&tree, &rec)
				if p := problems(&tree); len(p) > 0 {
					t.Errorf("record %d:\n%s", i, strings.Join(p, "\n"))
				}
				text = render.Append(text, &tree, render.Tree)
				compact = render.Append(compact, &tree, render.Compact)
				jsonl = render.Append(jsonl, &tree, render.JSON)
			}
			for i, line := range bytes.Split(bytes.TrimSuffix(jsonl, []byte("\n")), []byte("\n")) {
				if len(line) > 0 && !json.Valid(line) {
					t.Errorf("JSON line %d is not valid JSON: %s", i, line)
				}
			}
			golden.Check(t, *update, name, append(append(text, "--- compact\n"...), compact...))
		})
	}
}

// FuzzDecode decodes arbitrary bytes as nfnetlink, seeded with every
// recorded record: no panic, every field inside the input, every form
// renders.
func FuzzDecode(f *testing.F) {
	for _, path := range captures(f) {
		for _, r := range readCapture(f, path) {
			f.Add(r.Data, r.Direction == capture.ToKernel)
		}
	}
	reg := registry()
	f.Fuzz(func(t *testing.T, data []byte, request bool) {
		d := decode.NewDecoder(reg)
		dir := capture.FromKernel
		if request {
			dir = capture.ToKernel
		}
		rec := capture.Record{Direction: dir, Protocol: unix.NETLINK_NETFILTER, Data: data, OrigLen: len(data)}
		var tr decode.Tree
		d.Decode(&tr, &rec)
		d.Decode(&tr, &rec) // again, with what the first pass learned
		for _, fl := range tr.Fields {
			if fl.Off < 0 || fl.Len < 0 || int(fl.Off+fl.Len) > len(data) || fl.ValOff < 0 || fl.ValLen < 0 || int(fl.ValOff+fl.ValLen) > len(data) {
				t.Fatalf("field %s spans [%d,+%d) value [%d,+%d) outside %d bytes", fl.Name, fl.Off, fl.Len, fl.ValOff, fl.ValLen, len(data))
			}
		}
		for _, form := range []render.Format{render.Compact, render.Tree, render.Hex, render.JSON} {
			render.Append(nil, &tr, form)
		}
	})
}
