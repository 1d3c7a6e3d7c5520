package pcapng_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
)

// nlmsg builds one netlink message with the given header fields and payload.
func nlmsg(typ, flags uint16, seq, port uint32, payload []byte) []byte {
	b := binary.NativeEndian.AppendUint32(nil, uint32(16+len(payload)))
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = binary.NativeEndian.AppendUint16(b, flags)
	b = binary.NativeEndian.AppendUint32(b, seq)
	b = binary.NativeEndian.AppendUint32(b, port)
	b = append(b, payload...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// sampleRecords covers every Record field, and the awkward values: a comm
// with a space and a quote, an unknown direction, a truncated record, a
// receive whose call began long before its bytes arrived.
func sampleRecords() []capture.Record {
	t0 := time.Date(2025, 3, 1, 12, 0, 1, 123456789, time.Local)
	getLink := nlmsg(18, 0x301, 1, 0, make([]byte, 16))
	newLink := nlmsg(16, 0x2, 1, 4242, bytes.Repeat([]byte{0xab}, 40))
	ack := nlmsg(2, 0x100, 2, 4242, make([]byte, 20))
	return []capture.Record{
		{Time: t0, Direction: capture.ToKernel, Protocol: 0, PID: 4242, TID: 4243, Comm: "ip", NetNS: 4026531840, PortID: 4242, Data: getLink, OrigLen: len(getLink), Method: capture.MethodTracepoint},
		{Time: t0.Add(37 * time.Microsecond), CallTime: t0.Add(-306*time.Millisecond - 1), Direction: capture.FromKernel, Protocol: 0, PID: 4242, TID: 4243, Comm: "ip", NetNS: 4026531840, PortID: 4242, Data: newLink, OrigLen: len(newLink), Method: capture.MethodTracepoint},
		{Time: t0.Add(time.Millisecond), Direction: capture.FromKernel, Protocol: 16, PID: 7, TID: 9, Comm: `my "prog" x=1`, NetNS: 1, PortID: 99, Group: 3, Data: ack, OrigLen: len(ack), Method: capture.MethodFentry},
		{Time: t0.Add(2 * time.Millisecond), Direction: capture.ToKernel, DirectionInferred: true, Protocol: 12, PortID: 5, Data: getLink[:20], OrigLen: 4000, Method: capture.MethodNlmon},
		{Time: t0.Add(3 * time.Millisecond), Direction: capture.DirectionUnknown, Protocol: 9, Comm: "ünï", Data: []byte{1, 2, 3}, OrigLen: 3, Method: capture.MethodKprobe},
		{Time: t0.Add(4 * time.Millisecond), Direction: capture.FromKernel, Protocol: 0, Data: []byte{}, OrigLen: 0, Method: capture.MethodFile},
	}
}

func writeFile(t testing.TB, path string, recs []capture.Record, final capture.Stats) {
	t.Helper()
	w, err := pcapng.Create(path, &pcapng.WriterConfig{Version: "1.2.3", Method: capture.MethodTracepoint, SnapLen: 4096})
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		if err := w.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(final); err != nil {
		t.Fatal(err)
	}
}

// readAll reads a whole file; any error but the end fails t.
func readAll(t testing.TB, path string) ([]capture.Record, *pcapng.Reader) {
	t.Helper()
	r, err := pcapng.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	var got []capture.Record
	for rec, err := range capture.Records(context.Background(), r) {
		var loss *pcapng.LossError
		if errors.As(err, &loss) {
			continue
		}
		if err != nil {
			t.Fatalf("read %s after %d records: %v", path, len(got), err)
		}
		got = append(got, rec)
	}
	return got, r
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rt.pcapng")
	want := sampleRecords()
	writeFile(t, path, want, capture.Stats{Records: uint64(len(want)), RingFull: 5, LostWakeup: 2})
	got, r := readAll(t, path)
	// A zero-length Data reads back as empty, not nil; both mean "no bytes".
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b []byte) bool { return bytes.Equal(a, b) })); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if got, want := r.FileDropped(), uint64(7); got != want {
		t.Errorf("FileDropped = %d, want %d", got, want)
	}
	info := r.Info()
	if !info.Ours || info.Format != pcapng.FormatPcapNG || info.Application != "nltrace 1.2.3" || info.OS == "" {
		t.Errorf("Info = %+v, want an nltrace 1.2.3 pcapng with an OS", info)
	}
	if w := r.Warning(); w != nil {
		t.Errorf("Warning = %v, want none", w)
	}
	if got, want := r.Stats(), (capture.Stats{Records: 6, Truncated: 1}); got != want {
		t.Errorf("Stats = %+v, want %+v", got, want)
	}
}

func TestWriteStdout(t *testing.T) {
	// "-" means standard output; Close must leave it open.
	old := os.Stdout
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout = pw
	w, err := pcapng.Create("-", nil)
	os.Stdout = old
	if err != nil {
		t.Fatal(err)
	}
	recs := sampleRecords()[:2]
	for i := range recs {
		if err := w.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(capture.Stats{}); err != nil {
		t.Fatal(err)
	}
	if _, err := pw.Write(nil); err != nil {
		t.Fatalf("Close closed standard output: %v", err)
	}
	pw.Close()
	r, err := pcapng.NewReader(pr, "pipe")
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, err := range capture.Records(context.Background(), r) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 2 {
		t.Errorf("read %d records from the pipe, want 2", n)
	}
}

// signalWriter reports each Write on a channel, so a test can wait for the
// timed flush instead of sleeping.
type signalWriter struct {
	bytes.Buffer
	wrote chan struct{}
}

func (s *signalWriter) Write(p []byte) (int, error) {
	n, err := s.Buffer.Write(p)
	s.wrote <- struct{}{}
	return n, err
}

func TestTimedFlush(t *testing.T) {
	sw := &signalWriter{wrote: make(chan struct{}, 16)}
	w, err := pcapng.NewWriter(sw, &pcapng.WriterConfig{FlushInterval: 20 * time.Millisecond, FlushRecords: 1000})
	if err != nil {
		t.Fatal(err)
	}
	<-sw.wrote // the header is flushed at once
	rec := sampleRecords()[0]
	if err := w.Write(&rec); err != nil {
		t.Fatal(err)
	}
	select {
	case <-sw.wrote:
	case <-time.After(10 * time.Second):
		t.Fatal("a buffered record was not flushed by the timer")
	}
	r, err := pcapng.NewReader(bytes.NewReader(sw.Bytes()), "flushed")
	if err != nil {
		t.Fatal(err)
	}
	var got capture.Record
	if err := r.ReadInto(context.Background(), &got); err != nil {
		t.Fatalf("the flushed bytes do not hold the record: %v", err)
	}
	if err := w.Close(capture.Stats{}); err != nil {
		t.Fatal(err)
	}
}

func TestTruncatedLastBlock(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.pcapng")
	recs := sampleRecords()
	w, err := pcapng.Create(full, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ends []int64 // file size after each record
	for i := range recs {
		if err := w.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(full)
		if err != nil {
			t.Fatal(err)
		}
		ends = append(ends, fi.Size())
	}
	w.Close(capture.Stats{})
	b, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	last := ends[len(ends)-2] // where the last record's block starts
	for _, cut := range []int64{last + 1, last + 4, last + 8, last + 27, ends[len(ends)-1] - 1} {
		path := filepath.Join(dir, "cut.pcapng")
		if err := os.WriteFile(path, b[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		got, r := readAll(t, path)
		if len(got) != len(recs)-1 {
			t.Errorf("cut at %d: read %d records, want %d", cut, len(got), len(recs)-1)
		}
		var te *pcapng.TruncatedError
		if err := r.Warning(); !errors.As(err, &te) || te.Offset != last || te.File != path {
			t.Errorf("cut at %d: Warning = %v, want a truncation at offset %d of %s", cut, err, last, path)
		}
	}
}

func TestNotACapture(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		content []byte
		offset  int64
	}{
		{"text", []byte("hello, this is not a capture\n"), 0},
		{"empty", nil, 0},
		{"short", []byte{0x0a, 0x0d}, 0},
		{"pcap ethernet", append(binary.LittleEndian.AppendUint32(nil, 0xa1b2c3d4), 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0), 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			if err := os.WriteFile(path, tt.content, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := pcapng.Open(path)
			var fe *pcapng.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("Open = %v, want a *FormatError", err)
			}
			if fe.File != path || fe.Offset != tt.offset {
				t.Errorf("error %q names %s offset %d, want %s offset %d", err, fe.File, fe.Offset, path, tt.offset)
			}
		})
	}
}

func TestCorruptBlock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "corrupt.pcapng")
	recs := sampleRecords()
	writeFile(t, path, recs[:2], capture.Stats{})
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Point the second record's interface id at an interface that does not
	// exist; the reader must stop with an error that names the block.
	first := findEPB(t, b, 0)
	second := findEPB(t, b, first+int(binary.LittleEndian.Uint32(b[first+4:])))
	binary.LittleEndian.PutUint32(b[second+8:], 7)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := pcapng.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var rec capture.Record
	if err := r.ReadInto(context.Background(), &rec); err != nil {
		t.Fatalf("first record: %v", err)
	}
	err = r.ReadInto(context.Background(), &rec)
	var fe *pcapng.FormatError
	if !errors.As(err, &fe) || fe.Offset != int64(second) {
		t.Fatalf("second record: %v, want a *FormatError at offset %d", err, second)
	}
	if err2 := r.ReadInto(context.Background(), &rec); err2 != err {
		t.Errorf("after a format error ReadInto = %v, want the same error again", err2)
	}
}

// findEPB returns the offset of the first enhanced packet block at or after
// from.
func findEPB(t *testing.T, b []byte, from int) int {
	t.Helper()
	for off := from; off+8 <= len(b); {
		typ := binary.LittleEndian.Uint32(b[off:])
		n := int(binary.LittleEndian.Uint32(b[off+4:]))
		if typ == 6 {
			return off
		}
		if n < 12 {
			break
		}
		off += n
	}
	t.Fatal("no enhanced packet block")
	return 0
}

func TestReadAfterClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.pcapng")
	writeFile(t, path, sampleRecords(), capture.Stats{})
	r, err := pcapng.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	var rec capture.Record
	if err := r.ReadInto(context.Background(), &rec); !errors.Is(err, capture.ErrClosed) {
		t.Errorf("ReadInto after Close = %v, want ErrClosed", err)
	}
	if err := r.ReadInto(context.Background(), &rec); errors.Is(err, io.EOF) {
		t.Errorf("ReadInto after Close = io.EOF")
	}
}

// gzipped compresses b the way `gzip` would.
func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGzipCapture(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.pcapng")
	recs := sampleRecords()
	writeFile(t, plain, recs, capture.Stats{})
	b, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	gz := gzipped(t, b)
	t.Run("whole", func(t *testing.T) {
		r, err := pcapng.NewReader(bytes.NewReader(gz), "whole.gz")
		if err != nil {
			t.Fatal(err)
		}
		var rec capture.Record
		n := 0
		for r.ReadInto(context.Background(), &rec) == nil {
			n++
		}
		if n != len(recs) {
			t.Errorf("read %d records from the gzipped file, want %d", n, len(recs))
		}
	})
	// A gzip stream cut before any of the capture is inflated, or with its
	// deflate data corrupted, is a bad file: a *FormatError, never an I/O
	// error (the fuzzer found the cut case).
	corrupt := bytes.Clone(gz)
	for i := 10; i < 20 && i < len(corrupt); i++ {
		corrupt[i] ^= 0xff
	}
	for name, content := range map[string][]byte{
		"cut after header": gz[:12],
		"corrupt deflate":  corrupt,
		"just the magic":   gz[:2],
	} {
		t.Run(name, func(t *testing.T) {
			_, err := pcapng.NewReader(bytes.NewReader(content), name)
			var fe *pcapng.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("NewReader = %v, want a *FormatError", err)
			}
		})
	}
	t.Run("read error", func(t *testing.T) {
		// An error from the file itself stays what it is.
		_, err := pcapng.NewReader(io.MultiReader(bytes.NewReader(gz[:12]), iotest.ErrReader(errDisk)), "disk.gz")
		var fe *pcapng.FormatError
		if errors.As(err, &fe) || !errors.Is(err, errDisk) {
			t.Fatalf("NewReader = %v, want the read error %v unwrapped", err, errDisk)
		}
	})
}

var errDisk = errors.New("input/output error")
