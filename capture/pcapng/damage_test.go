package pcapng_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
)

// manyRecords writes n small records and returns the file's bytes and the
// offset of each record's block.
func manyRecords(t *testing.T, n int) ([]byte, []int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "many.pcapng")
	var recs []capture.Record
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.Local)
	for i := range n {
		m := nlmsg(18, 0x301, uint32(i+1), 0, make([]byte, 16))
		recs = append(recs, capture.Record{Time: t0.Add(time.Duration(i) * time.Millisecond), Direction: capture.ToKernel, PID: 1, Comm: "x", Data: m, OrigLen: len(m)})
	}
	writeFile(t, path, recs, capture.Stats{Records: uint64(n)})
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var offs []int
	for off := findEPB(t, b, 0); len(offs) < n; {
		offs = append(offs, off)
		off += int(binary.LittleEndian.Uint32(b[off+4:]))
	}
	return b, offs
}

// readEvery reads r to its end and returns the sequence numbers read and
// the error that ended it (nil at a clean end).
func readEvery(r *pcapng.Reader) ([]uint32, error) {
	var seqs []uint32
	var rec capture.Record
	for {
		err := r.ReadInto(context.Background(), &rec)
		switch {
		case err == nil:
			seqs = append(seqs, binary.NativeEndian.Uint32(rec.Data[8:]))
		case capture.IsNonFatal(err):
		case errors.Is(err, io.EOF):
			return seqs, nil
		default:
			return seqs, err
		}
	}
}

func TestDamagedBlockInTheMiddle(t *testing.T) {
	b, offs := manyRecords(t, 20)
	for _, tc := range []struct {
		name   string
		damage func(b []byte, at int)
	}{
		// A leading length that points past the end, as the issue's
		// report had it: pcapgo took it for a cut file.
		{"length past the end", func(b []byte, at int) { binary.LittleEndian.PutUint32(b[at+4:], 1<<20) }},
		{"length inside the next block", func(b []byte, at int) { binary.LittleEndian.PutUint32(b[at+4:], 96) }},
		{"trailing length", func(b []byte, at int) {
			n := int(binary.LittleEndian.Uint32(b[at+4:]))
			binary.LittleEndian.PutUint32(b[at+n-4:], 12345)
		}},
		{"length not a multiple of 4", func(b []byte, at int) { binary.LittleEndian.PutUint32(b[at+4:], 61) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := bytes.Clone(b)
			at := offs[4]
			tc.damage(bad, at)
			r, err := pcapng.NewReader(bytes.NewReader(bad), "bad.pcapng")
			if err != nil {
				t.Fatal(err)
			}
			seqs, err := readEvery(r)
			var fe *pcapng.FormatError
			var de *pcapng.DamageError
			if !errors.As(err, &fe) || !errors.As(err, &de) || fe.Offset != int64(at) || de.Block != "enhanced packet" {
				t.Fatalf("read ended with %v, want a damaged enhanced packet block at offset %d", err, at)
			}
			if len(seqs) != 4 {
				t.Errorf("read %d records before the damage, want 4", len(seqs))
			}
			if r.Warning() != nil {
				t.Errorf("damage also reported as a cut file: %v", r.Warning())
			}

			// --keep-going: everything but the damaged record.
			r, err = pcapng.NewReader(bytes.NewReader(bad), "bad.pcapng")
			if err != nil {
				t.Fatal(err)
			}
			r.KeepGoing(true)
			seqs, err = readEvery(r)
			if err != nil {
				t.Fatalf("keep going: %v", err)
			}
			if len(seqs) != 19 || seqs[4] != 6 {
				t.Errorf("keep going read %v, want 1..20 without 5", seqs)
			}
			sk := r.Skipped()
			if len(sk) != 1 || sk[0].Offset != int64(at) || sk[0].Skipped != int64(offs[5]-at) {
				t.Errorf("Skipped = %+v, want one block at %d, %d bytes", sk, at, offs[5]-at)
			}
		})
	}
}

func TestCutFileNamesTheBlock(t *testing.T) {
	b, offs := manyRecords(t, 3)
	// Cut inside the first packet block: the offset named is that block's.
	for _, cut := range []int{offs[0] + 3, offs[0] + 20, offs[1] - 1} {
		r, err := pcapng.NewReader(bytes.NewReader(b[:cut]), "cut.pcapng")
		if err != nil {
			t.Fatal(err)
		}
		seqs, err := readEvery(r)
		if err != nil || len(seqs) != 0 {
			t.Fatalf("cut at %d: read %v, %v; want nothing and a warning", cut, seqs, err)
		}
		var te *pcapng.TruncatedError
		if w := r.Warning(); !errors.As(w, &te) || te.Offset != int64(offs[0]) {
			t.Errorf("cut at %d: warning %v, want the block at offset %d", cut, w, offs[0])
		}
	}
}

func TestGzipDamageIsAnError(t *testing.T) {
	b, _ := manyRecords(t, 50)
	gz := gzipped(t, b)
	for name, content := range map[string][]byte{
		"cut in the trailer": gz[:len(gz)-3],
		"cut mid-stream":     gz[:len(gz)/2],
	} {
		t.Run(name, func(t *testing.T) {
			r, err := pcapng.NewReader(bytes.NewReader(content), name)
			if err != nil {
				var fe *pcapng.FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("NewReader = %v, want a *FormatError", err)
				}
				return
			}
			_, err = readEvery(r)
			var fe *pcapng.FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), "gzip") {
				t.Fatalf("read ended with %v, want a gzip *FormatError", err)
			}
			if r.Warning() != nil {
				t.Errorf("a damaged gzip stream was also reported as a cut capture: %v", r.Warning())
			}
		})
	}
}

func TestLossMarkersKeepReasons(t *testing.T) {
	path := filepath.Join(t.TempDir(), "loss.pcapng")
	w, err := pcapng.Create(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := func(seq uint32) *capture.Record {
		m := nlmsg(18, 0x301, seq, 0, nil)
		return &capture.Record{Time: time.Now(), Direction: capture.ToKernel, Data: m, OrigLen: len(m)}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.Write(rec(1)))
	must(w.WriteLoss(capture.Stats{Records: 1}))              // nothing lost: no block
	must(w.WriteLoss(capture.Stats{Records: 1, RingFull: 3})) // 3 lost after record 1
	must(w.Write(rec(2)))
	must(w.Write(rec(3)))
	must(w.WriteLoss(capture.Stats{Records: 3, RingFull: 3, LostWakeup: 2})) // 2 more after record 3
	must(w.Write(rec(4)))
	must(w.Close(capture.Stats{Records: 4, RingFull: 3, LostWakeup: 2}))

	r, err := pcapng.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var events []string
	var got capture.Record
	for {
		err := r.ReadInto(context.Background(), &got)
		var le *pcapng.LossError
		switch {
		case err == nil:
			events = append(events, "rec")
		case errors.As(err, &le):
			events = append(events, le.Error()[len(path)+2:])
		case errors.Is(err, io.EOF):
			want := []string{"rec", "3 records lost here (ring buffer full 3, other losses 0)", "rec", "rec", "2 records lost here (ring buffer full 3, other losses 2)", "rec"}
			if strings.Join(events, "|") != strings.Join(want, "|") {
				t.Errorf("read\n%q\nwant\n%q", events, want)
			}
			if l := r.FileLoss(); l.RingFull != 3 || l.LostWakeup != 2 || l.Recorded != 0 {
				t.Errorf("FileLoss = %+v, want ring full 3, other 2", l)
			}
			return
		default:
			t.Fatal(err)
		}
	}
}
