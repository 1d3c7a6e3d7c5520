package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
)

// xfrmCapture is ip xfrm traced by nltrace (decode/xfrm's host test
// records it): SAs added with known keys, in requests and in the kernel's
// echo of them.
var xfrmCapture = filepath.Join("..", "..", "decode", "xfrm", "testdata", "ip_xfrm.pcapng")

// xfrmKeys are the keys the recorded commands used, as text output would
// show them.
var xfrmKeys = []string{
	strings.Repeat("11", 32), strings.Repeat("22", 16), strings.Repeat("33", 20), strings.Repeat("55", 16),
}

func readRecords(t *testing.T, name string) []capture.Record {
	t.Helper()
	rd, err := pcapng.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var recs []capture.Record
	for r, err := range capture.Records(context.Background(), rd) {
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	return recs
}

// secretSpans returns, per record, the value spans of the fields the
// schemas mark Secret.
func secretSpans(recs []capture.Record) [][][2]int {
	d := decode.NewDecoder(families.NewRegistry())
	out := make([][][2]int, len(recs))
	var tr decode.Tree
	for i := range recs {
		d.Decode(&tr, &recs[i])
		for _, f := range tr.Fields {
			if f.Spec != nil && f.Spec.Sem == decode.Secret {
				out[i] = append(out[i], [2]int{int(f.ValOff), int(f.ValOff + f.ValLen)})
			}
		}
	}
	return out
}

// TestReadRedactSecrets copies a capture holding xfrm keys with and
// without --redact-secrets: with it, exactly the key bytes are zero and
// every other byte is kept; without it the records are copied unchanged.
// Both files are readable by their owner only.
func TestReadRedactSecrets(t *testing.T) {
	orig := readRecords(t, xfrmCapture)
	spans := secretSpans(orig)
	nkeys := 0
	for _, s := range spans {
		nkeys += len(s)
	}
	if nkeys < 10 {
		t.Fatalf("the capture has %d keys; the recorded commands sent more", nkeys)
	}
	dir := t.TempDir()
	for _, redact := range []bool{false, true} {
		out := filepath.Join(dir, "plain.pcapng")
		args := []string{"read", "-w", out, "--format", "none"}
		if redact {
			out = filepath.Join(dir, "redacted.pcapng")
			args = []string{"read", "-w", out, "--redact-secrets", "--format", "none"}
		}
		var stdout, stderr bytes.Buffer
		if code := run(append(args, xfrmCapture), stdio{out: &stdout, err: &stderr}); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
		}
		if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v (%v), want 0600", out, fi.Mode().Perm(), err)
		}
		raw, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keyBytes(t) {
			if got := bytes.Contains(raw, k); got == redact {
				t.Errorf("redact=%v: key %x in the file: %v", redact, k[:4], got)
			}
		}
		got := readRecords(t, out)
		if len(got) != len(orig) {
			t.Fatalf("redact=%v: %d records, want %d", redact, len(got), len(orig))
		}
		for i := range orig {
			want := orig[i].Data
			if redact {
				want = bytes.Clone(want)
				for _, s := range spans[i] {
					clear(want[s[0]:s[1]])
				}
			}
			if !bytes.Equal(got[i].Data, want) {
				t.Errorf("redact=%v: record %d differs:\n got %x\nwant %x", redact, i, got[i].Data, want)
			}
		}
	}
}

func keyBytes(t *testing.T) [][]byte {
	var out [][]byte
	for _, k := range xfrmKeys {
		b := make([]byte, len(k)/2)
		for i := range b {
			b[i] = k[0]&0xf | (k[0]&0xf)<<4
		}
		if !strings.HasPrefix(k, "11") && !strings.HasPrefix(k, "22") && !strings.HasPrefix(k, "33") && !strings.HasPrefix(k, "55") {
			t.Fatalf("key %s is not one byte repeated", k)
		}
		out = append(out, b)
	}
	return out
}

// TestReadShowsNoKeys reads the capture in every text form: no key shows
// unless --show-secrets, and then each does.
func TestReadShowsNoKeys(t *testing.T) {
	for _, format := range []string{"compact", "tree", "hex", "json"} {
		for _, show := range []bool{false, true} {
			args := []string{"read", "--format", format}
			if show {
				args = append(args, "--show-secrets")
			}
			var stdout, stderr bytes.Buffer
			if code := run(append(args, xfrmCapture), stdio{out: &stdout, err: &stderr}); code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
			}
			text := stdout.String()
			for _, k := range xfrmKeys {
				shown := strings.Contains(text, k) || strings.Contains(text, spaced(k[:24]))
				if shown != show && !(show && format == "hex") {
					t.Errorf("%v: key %s shown: %v", args, k[:8], shown)
				}
			}
			if !show && format != "hex" && !strings.Contains(text, "<32 bytes redacted>") {
				t.Errorf("%v: no \"<32 bytes redacted>\"", args)
			}
		}
	}
}

// spaced writes hex as a hex dump does, a space between bytes.
func spaced(h string) string {
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}
