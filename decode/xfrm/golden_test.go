package xfrm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/internal/golden"
)

var update = flag.Bool("update", false, "rewrite golden files")

// recorded reads testdata/ip_xfrm.pcapng: ip xfrm traced by nltrace in a
// namespace (TestHostIPXfrm -record writes it).
func recorded(tb testing.TB) []capture.Record {
	tb.Helper()
	rd, err := pcapng.Open(filepath.Join("testdata", "ip_xfrm.pcapng"))
	if err != nil {
		tb.Fatal(err)
	}
	defer rd.Close()
	var recs []capture.Record
	for r, err := range capture.Records(context.Background(), rd) {
		if err != nil {
			tb.Fatal(err)
		}
		recs = append(recs, r)
	}
	return recs
}

// TestGolden decodes the recorded kernel and ip bytes and compares the
// tree and compact forms, and the hex and JSON forms, with the golden
// files. Every message and attribute must be named, none malformed.
func TestGolden(t *testing.T) {
	recs := recorded(t)
	var text, compact, hex, jsonl []byte
	// The hex and JSON forms are pinned for the first records only (SAs
	// with keys, their errors, the first dumps): they render the same
	// trees as the text forms.
	const pinned = 40
	n := 0
	for _, m := range decodeAll(recs, false) {
		for _, p := range problems(m.tree, m.i) {
			t.Error(p)
		}
		if m.i != 0 {
			continue
		}
		text = render.Append(text, m.tree, render.Tree)
		compact = render.Append(compact, m.tree, render.Compact)
		if n++; n <= pinned {
			hex = render.Append(hex, m.tree, render.Hex)
			jsonl = render.Append(jsonl, m.tree, render.JSON)
		}
	}
	golden.Check(t, *update, "ip_xfrm", append(append(text, "--- compact\n"...), compact...))
	golden.Check(t, *update, "ip_xfrm.hex", hex)
	golden.Check(t, *update, "ip_xfrm.json", jsonl)
}

// TestJSONNamesEverything reads the JSON lines of the recorded traffic as
// a consumer would: no object may be an unknown attribute or malformed.
func TestJSONNamesEverything(t *testing.T) {
	var jsonl []byte
	for _, m := range decodeAll(recorded(t), false) {
		if m.i == 0 {
			jsonl = render.Append(jsonl, m.tree, render.JSON)
		}
	}
	var check func(path string, v any)
	check = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if v["unknown"] == true || v["malformed"] == true {
				t.Errorf("%s: %v", path, v)
			}
			name, _ := v["name"].(string)
			for k, c := range v {
				check(path+"/"+name+"."+k, c)
			}
		case []any:
			for _, c := range v {
				check(path, c)
			}
		}
	}
	n := 0
	for _, line := range bytes.Split(bytes.TrimSpace(jsonl), []byte("\n")) {
		var v map[string]any
		if err := json.Unmarshal(line, &v); err != nil {
			t.Fatalf("not JSON: %v: %s", err, line)
		}
		if v["protocol"] == "xfrm" {
			n++
		}
		check(string(line[:min(60, len(line))]), v)
	}
	if n < 100 {
		t.Errorf("%d xfrm messages in the JSON output; the capture has more", n)
	}
	if strings.Contains(string(jsonl), strings.Repeat("11", 16)) {
		t.Error("the JSON output shows a key")
	}
}

// FuzzDecode decodes arbitrary bytes as xfrm messages, seeded with the
// recorded ones, in every output form: nothing may panic, every field's
// spans must lie inside the input, and no byte of a Secret field may show
// in text output.
func FuzzDecode(f *testing.F) {
	for _, r := range recorded(f) {
		f.Add(r.Data, r.Direction == capture.ToKernel)
	}
	reg := registry()
	f.Fuzz(func(t *testing.T, data []byte, request bool) {
		d := decode.NewDecoder(reg)
		dir := capture.FromKernel
		if request {
			dir = capture.ToKernel
		}
		rec := capture.Record{Direction: dir, Protocol: 6, Data: data, OrigLen: len(data)}
		var tr decode.Tree
		d.Decode(&tr, &rec)
		for _, fl := range tr.Fields {
			if fl.Off < 0 || fl.Len < 0 || int(fl.Off+fl.Len) > len(data) || fl.ValOff < 0 || fl.ValLen < 0 || int(fl.ValOff+fl.ValLen) > len(data) {
				t.Fatalf("field %s spans [%d,+%d) value [%d,+%d) outside %d bytes", fl.Name, fl.Off, fl.Len, fl.ValOff, fl.ValLen, len(data))
			}
		}
		for _, form := range []render.Format{render.Compact, render.Tree, render.Hex, render.JSON} {
			render.Append(nil, &tr, form)
		}
		for _, fl := range tr.Fields {
			if fl.Spec != nil && fl.Spec.Sem == decode.Secret && fl.Kind != decode.KindRedacted {
				t.Fatalf("secret %s decoded as kind %d", fl.Name, fl.Kind)
			}
		}
	})
}
