package tui

import (
	"encoding/binary"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
)

// routeDump generates the records of a route dump of n routes, 32
// RTM_NEWROUTE messages to a record as the kernel packs a dump, each with
// a destination, a gateway, an output interface, a table and a priority
// (68 bytes a message, as in a real IPv4 route dump), and hands each
// record to add; the record's buffer is reused for the next.
func routeDump(n int, add func(*capture.Record)) {
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	r := capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_ROUTE, PID: 100, TID: 100, Comm: "ip",
		PortID: 100, Method: capture.MethodTracepoint}
	var data, p []byte
	records := 0
	flush := func() {
		if len(data) > 0 {
			r.Time = base.Add(time.Duration(records) * time.Microsecond)
			r.Data, r.OrigLen = data, len(data)
			add(&r)
			records++
			data = data[:0]
		}
	}
	u32 := func(b []byte, typ uint16, v uint32) []byte {
		b = binary.NativeEndian.AppendUint16(b, 8)
		b = binary.NativeEndian.AppendUint16(b, typ)
		return binary.NativeEndian.AppendUint32(b, v)
	}
	for i := 0; i < n; i++ {
		p = append(p[:0], unix.AF_INET, 32, 0, 0, unix.RT_TABLE_MAIN, unix.RTPROT_STATIC, unix.RT_SCOPE_UNIVERSE, unix.RTN_UNICAST, 0, 0, 0, 0)
		p = u32(p, unix.RTA_TABLE, unix.RT_TABLE_MAIN)
		p = u32(p, unix.RTA_DST, binary.BigEndian.Uint32([]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}))
		p = u32(p, unix.RTA_GATEWAY, binary.BigEndian.Uint32([]byte{192, 168, 0, 1}))
		p = u32(p, unix.RTA_OIF, 2)
		p = u32(p, unix.RTA_PRIORITY, 100)
		h := client.Header{Length: uint32(client.HeaderLen + len(p)), Type: unix.RTM_NEWROUTE, Flags: unix.NLM_F_MULTI, Sequence: 7, PortID: 100}
		data = append(h.Append(data), p...)
		if (i+1)%32 == 0 {
			flush()
		}
	}
	flush()
}

// rss reads the process's resident set size.
func rss(b *testing.B) uint64 {
	s, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(s))
	pages, _ := strconv.ParseUint(f[1], 10, 64)
	return pages * uint64(os.Getpagesize())
}

func heap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkHold1M adds a generated 1,000,000-route dump to a viewer and
// reports the memory it holds per message (heap after GC), that memory over
// the raw bytes held, the growth of the resident set over the raw bytes,
// and the ingest rate (storing and indexing, which decodes every message
// once). The generator reuses one buffer, so what grows is the viewer.
func BenchmarkHold1M(b *testing.B) {
	const n = 1_000_000
	for b.Loop() {
		before, rss0 := heap(), rss(b)
		u := New(Config{})
		t0 := time.Now()
		routeDump(n, u.Add)
		ingest := time.Since(t0)
		held := heap() - before
		raw := u.st.rawSize
		if got := u.st.Len(); got != n {
			b.Fatalf("%d messages held", got)
		}
		b.ReportMetric(float64(held)/n, "heap-B/msg")
		b.ReportMetric(float64(raw)/n, "raw-B/msg")
		b.ReportMetric(float64(held)/float64(raw), "heap/raw")
		b.ReportMetric(float64(rss(b)-rss0)/float64(raw), "rss-growth/raw")
		b.ReportMetric(n/ingest.Seconds(), "msgs/s")
		runtime.KeepAlive(u)
	}
}

// BenchmarkFrame draws frames of a 120×40 viewer holding 1,000,000
// messages. "step" moves the selection one row a frame (one new row to
// decode, as when scrolling); "page" moves a page a frame (every row new).
func BenchmarkFrame(b *testing.B) {
	u := New(Config{Width: 120, Height: 40})
	routeDump(1_000_000, u.Add)
	m := newModel(u)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	for _, bc := range []struct {
		name string
		key  tea.KeyPressMsg
	}{
		{"step", press("down")},
		{"page", press("pgdown")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			m.selectRow(0)
			for b.Loop() {
				if m.sel >= m.count()-100 {
					m.selectRow(0)
				}
				m.Update(bc.key)
				_ = m.View()
			}
		})
	}
}

// BenchmarkKeyWhileIngesting answers keys (an Update and the frame it
// draws, as the program does) while another goroutine adds a 1,000,000
// message route dump as fast as it can, as a capture would. Keys come
// every 20 ms (a fast typist) between the program's 100 ms ticks. It
// reports the slowest and the median answer and the ingest rate reached
// meanwhile.
func BenchmarkKeyWhileIngesting(b *testing.B) {
	for b.Loop() {
		u := New(Config{Width: 120, Height: 40, Live: true})
		m := newModel(u)
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		done := make(chan time.Duration)
		go func() {
			t0 := time.Now()
			routeDump(1_000_000, u.Add)
			done <- time.Since(t0)
		}()
		keys := []tea.KeyPressMsg{press("up"), press("e"), press("down"), press("p"), press("pgup")}
		var lat []time.Duration
		var ingest time.Duration
		key := time.NewTicker(20 * time.Millisecond)
		frame := time.NewTicker(tickEvery)
	loop:
		for i := 0; ; i++ {
			select {
			case ingest = <-done:
				break loop
			case <-frame.C:
				m.Update(tickMsg{})
				_ = m.View()
			case <-key.C:
				t0 := time.Now()
				m.Update(keys[i%len(keys)])
				_ = m.View()
				lat = append(lat, time.Since(t0))
			}
		}
		key.Stop()
		frame.Stop()
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)-1])/float64(time.Millisecond), "worst-key-ms")
		b.ReportMetric(float64(lat[len(lat)/2])/float64(time.Millisecond), "median-key-ms")
		b.ReportMetric(1_000_000/ingest.Seconds(), "ingest-msgs/s")
	}
}
