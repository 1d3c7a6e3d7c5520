package tui

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/internal/golden"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fileRecords reads a capture from testdata.
func fileRecords(t testing.TB, name string) []capture.Record {
	t.Helper()
	src, err := pcapng.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var recs []capture.Record
	for {
		var r capture.Record
		err := src.ReadInto(context.Background(), &r)
		if errors.Is(err, io.EOF) {
			return recs
		}
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r.Clone())
	}
}

// newTestModel is a viewer of recs at a fixed size.
func newTestModel(t testing.TB, cfg Config, recs []capture.Record) *model {
	t.Helper()
	if cfg.Width == 0 {
		cfg.Width = 80
	}
	if cfg.Height == 0 {
		cfg.Height = 24
	}
	u := New(cfg)
	for i := range recs {
		u.Add(&recs[i])
	}
	m := newModel(u)
	m.Update(tea.WindowSizeMsg{Width: cfg.Width, Height: cfg.Height})
	m.Update(tickMsg{})
	return m
}

// press turns a key name into the message a terminal sends.
func press(s string) tea.KeyPressMsg {
	codes := map[string]rune{
		"up": tea.KeyUp, "down": tea.KeyDown, "enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab,
		"pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp, "home": tea.KeyHome, "end": tea.KeyEnd, "left": tea.KeyLeft, "right": tea.KeyRight,
		"space": tea.KeySpace, "backspace": tea.KeyBackspace,
	}
	if c, ok := codes[s]; ok {
		return tea.KeyPressMsg{Code: c}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// send presses keys, running the commands they return (but not ticks),
// and returns the screen as text.
func send(t testing.TB, m *model, keys ...string) string {
	t.Helper()
	for _, k := range keys {
		_, cmd := m.Update(press(k))
		run(m, cmd)
	}
	return screen(m)
}

// typeText types s into the open prompt.
func typeText(t testing.TB, m *model, s string) {
	for _, r := range s {
		_, cmd := m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		run(m, cmd)
	}
}

// run runs a command's message through the model, as the program would,
// except ticks and cursor blinks, which would never end.
func run(m *model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	msg := cmd()
	switch msg := msg.(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			run(m, c)
		}
	case filterStepMsg, savedMsg:
		_, next := m.Update(msg)
		run(m, next)
	}
}

func screen(m *model) string {
	return ansi.Strip(m.View().Content)
}

func checkScreen(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, *update, name, []byte(got+"\n"))
}

func TestViewFile(t *testing.T) {
	m := newTestModel(t, Config{Title: "ld-rtnetlink.pcap"}, fileRecords(t, "ld-rtnetlink.pcap"))
	checkScreen(t, "start", screen(m))
	checkScreen(t, "next_error", send(t, m, "e"))
	checkScreen(t, "tree", send(t, m, "p", "enter", "down", "down", "down"))
}

func TestMain(m *testing.M) {
	// Goldens show times as a viewer in UTC sees them.
	time.Local = time.UTC
	os.Exit(m.Run())
}

func TestViewSizes(t *testing.T) {
	recs := fileRecords(t, "ld-rtnetlink.pcap")
	m := newTestModel(t, Config{Title: "ld-rtnetlink.pcap", Width: 160, Height: 40}, recs)
	checkScreen(t, "wide", send(t, m, "e"))
	// Resizing keeps the selection in view.
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	got := screen(m)
	checkScreen(t, "resized", got)
	if n := len(strings.Split(got, "\n")); n != 24 {
		t.Errorf("screen has %d lines at 80×24", n)
	}
	for i, l := range strings.Split(got, "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line %d is %d columns wide: %q", i, w, l)
		}
	}
	// Too small to be useful still draws without panicking.
	m.Update(tea.WindowSizeMsg{Width: 20, Height: 5})
	_ = screen(m)
}

func TestFilterBar(t *testing.T) {
	m := newTestModel(t, Config{Title: "f"}, fileRecords(t, "ld-rtnetlink.pcap"))
	send(t, m, "/")
	typeText(t, m, "type=NLMSG_ERROR errors")
	got := send(t, m, "enter")
	if !strings.Contains(got, "8 of 1043 messages │ 8 errors │ filter type=NLMSG_ERROR errors") {
		t.Errorf("the title does not show the filter:\n%s", got)
	}
	checkScreen(t, "errors", got)
	// Words search the rows; family= and comm= are the CLI's filters.
	send(t, m, "/", "backspace")
	m.input.SetValue("family=route wlp58s0 RTM_NEWADDR")
	got = send(t, m, "enter")
	if m.count() == 0 || !strings.Contains(got, "RTM_NEWADDR") || strings.Contains(got, "RTM_NEWLINK") {
		t.Errorf("word filter kept %d messages:\n%s", m.count(), got)
	}
	// A bad filter says why and keeps the old one.
	send(t, m, "/")
	m.input.SetValue("type=BOGUS_*")
	got = send(t, m, "enter")
	if !strings.Contains(got, `matches no message type`) || m.filt == nil || m.filt.expr != "family=route wlp58s0 RTM_NEWADDR" {
		t.Errorf("bad filter:\n%s", got)
	}
	// Esc in the list clears it.
	send(t, m, "esc")
	if m.filt != nil || m.count() != 1043 {
		t.Errorf("after esc: filter %v, %d messages", m.filt, m.count())
	}
}

func TestFilterFlagsStartTheBar(t *testing.T) {
	m := newTestModel(t, Config{Filter: "comm=nosuch"}, fileRecords(t, "ld-rtnetlink.pcap"))
	if got := screen(m); !strings.Contains(got, "(no message matches the filter)") {
		t.Errorf("initial filter not applied:\n%s", got)
	}
}

func TestPairAndErrors(t *testing.T) {
	m := newTestModel(t, Config{}, fileRecords(t, "ld-rtnetlink.pcap"))
	send(t, m, "e")
	first := m.detail
	m.st.mu.RLock()
	errno, pair := m.st.msg(first).errno, m.st.msg(first).pair
	m.st.mu.RUnlock()
	if errno == 0 || pair < 0 {
		t.Fatalf("e selected message %d: errno %d, pair %d", first, errno, pair)
	}
	send(t, m, "p")
	if m.detail != pair {
		t.Errorf("p selected %d, want the request %d", m.detail, pair)
	}
	if got := screen(m); !strings.Contains(got, fmt.Sprintf("reply #%d", first+1)) {
		t.Errorf("the request's title does not name its reply:\n%s", got)
	}
	send(t, m, "p")
	if m.detail != first {
		t.Errorf("p again selected %d, want %d", m.detail, first)
	}
	send(t, m, "e")
	if m.detail <= first {
		t.Errorf("second e selected %d, not an error after %d", m.detail, first)
	}
	send(t, m, "E")
	if m.detail != first {
		t.Errorf("E selected %d, want %d", m.detail, first)
	}
}

func TestTreeExpandCollapse(t *testing.T) {
	m := newTestModel(t, Config{Height: 40}, fileRecords(t, "ld-rtnetlink.pcap"))
	// The second message is an RTM_NEWLINK of lo with nests.
	got := send(t, m, "down", "enter")
	if m.focus != focusTree || !strings.Contains(got, "▾ ifinfomsg") || !strings.Contains(got, "IFLA_IFNAME \"lo\"") {
		t.Fatalf("enter did not open the tree:\n%s", got)
	}
	// Walk down to IFLA_AF_SPEC and close it.
	for i := 0; i < 300 && selectedField(m) != "IFLA_AF_SPEC"; i++ {
		send(t, m, "down")
	}
	if selectedField(m) != "IFLA_AF_SPEC" {
		t.Fatal("IFLA_AF_SPEC not found in the tree")
	}
	got = send(t, m, "enter")
	if !strings.Contains(got, "▸ IFLA_AF_SPEC …") || strings.Contains(got, "AF_INET6") {
		t.Errorf("enter did not close IFLA_AF_SPEC:\n%s", got)
	}
	checkScreen(t, "collapsed", got)
	got = send(t, m, "right")
	if !strings.Contains(got, "▾ IFLA_AF_SPEC") {
		t.Errorf("right did not open IFLA_AF_SPEC:\n%s", got)
	}
	// The bytes pane names the selected field and its span.
	if !strings.Contains(got, "IFLA_AF_SPEC: bytes ") {
		t.Errorf("bytes pane does not name the field:\n%s", got)
	}
	send(t, m, "esc")
	if m.focus != focusList {
		t.Errorf("esc left focus %d", m.focus)
	}
}

func TestStatsAndHelp(t *testing.T) {
	m := newTestModel(t, Config{}, fileRecords(t, "ld-rtnetlink.pcap"))
	got := send(t, m, "s")
	for _, want := range []string{"per type", "per errno", "per process", "RTM_NEWROUTE", "-ENODEV", "dropped 0"} {
		if !strings.Contains(got, want) {
			t.Errorf("statistics lack %q:\n%s", want, got)
		}
	}
	checkScreen(t, "stats", got)
	got = send(t, m, "s", "?")
	for _, want := range []string{"next error", "jump request ↔ reply", "follow / pause", "save all records"} {
		if !strings.Contains(got, want) {
			t.Errorf("help lacks %q:\n%s", want, got)
		}
	}
	checkScreen(t, "help", got)
	if got = send(t, m, "x"); strings.Contains(got, "any key closes") {
		t.Error("a key did not close the help")
	}
}

func TestMouse(t *testing.T) {
	m := newTestModel(t, Config{}, fileRecords(t, "ld-rtnetlink.pcap"))
	l := m.layout()
	m.Update(tea.MouseClickMsg{X: 5, Y: l.listY + 3, Button: tea.MouseLeft})
	if m.sel != 3 {
		t.Errorf("click on the fourth row selected row %d", m.sel)
	}
	m.Update(tea.MouseWheelMsg{X: 5, Y: l.listY, Button: tea.MouseWheelDown})
	if m.sel != 6 {
		t.Errorf("wheel down moved to row %d, want 6", m.sel)
	}
	m.Update(tea.MouseClickMsg{X: 5, Y: l.treeY + 1, Button: tea.MouseLeft})
	if m.focus != focusTree || m.fsel != 1 {
		t.Errorf("click in the tree: focus %d, field %d", m.focus, m.fsel)
	}
}

// TestLiveFollow adds records while the viewer runs: following shows the
// newest, pausing keeps the selection and counts what arrives.
func TestLiveFollow(t *testing.T) {
	recs := fileRecords(t, "ld-rtnetlink.pcap")
	m := newTestModel(t, Config{Live: true}, recs[:10])
	if m.sel != m.count()-1 || !strings.Contains(screen(m), "following") {
		t.Errorf("a live view does not follow: row %d of %d", m.sel, m.count())
	}
	send(t, m, "f")
	sel := m.sel
	for i := 10; i < 20; i++ {
		m.ui.Add(&recs[i])
	}
	m.Update(tickMsg{})
	got := screen(m)
	if m.sel != sel || !strings.Contains(got, fmt.Sprintf("paused, %d new", m.count()-(sel+1))) {
		t.Errorf("paused view moved to %d or does not count arrivals:\n%s", m.sel, got)
	}
	send(t, m, "f")
	if m.sel != m.count()-1 {
		t.Errorf("f did not return to following")
	}
	m.ui.SetStats(capture.Stats{Records: 20, RingFull: 3})
	m.ui.End(nil)
	m.Update(tickMsg{})
	got = screen(m)
	if !strings.Contains(got, "dropped: 3 (ring buffer full 3") || !strings.Contains(got, "capture ended") {
		t.Errorf("status line does not show the drops and the end:\n%s", got)
	}
}

func TestSave(t *testing.T) {
	recs := fileRecords(t, "ld-rtnetlink.pcap")
	m := newTestModel(t, Config{Version: "test"}, recs)
	dir := t.TempDir()
	for _, tc := range []struct {
		filter, key string
		want        int
	}{
		{"", "w", len(recs)},
		{"type=NLMSG_ERROR", "w", 40}, // each in a record of its own
		{"type=NLMSG_ERROR", "W", len(recs)},
	} {
		if tc.filter != "" {
			send(t, m, "/")
			m.input.SetValue(tc.filter)
			send(t, m, "enter")
		}
		send(t, m, tc.key)
		path := filepath.Join(dir, tc.filter+tc.key+".pcapng")
		m.input.SetValue(path)
		got := send(t, m, "enter")
		if !strings.Contains(got, fmt.Sprintf("saved %d records to %s", tc.want, path)) {
			t.Errorf("%s %s: %s", tc.filter, tc.key, got)
			continue
		}
		st, err := os.Stat(path)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("saved file: %v, mode %v", err, st.Mode())
		}
		src, err := pcapng.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, err := range capture.Records(context.Background(), src) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		src.Close()
		if n != tc.want {
			t.Errorf("%s holds %d records, want %d", path, n, tc.want)
		}
	}
}

// selectedField names the tree's selected field.
func selectedField(m *model) string {
	m.st.mu.RLock()
	defer m.st.mu.RUnlock()
	_, _, fields := m.detailFields()
	rows := m.treeRows(fields)
	if m.fsel >= len(rows) {
		return ""
	}
	return fields[rows[m.fsel].field].Name
}

// TestAddWhileDrawing adds records from another goroutine, as a capture
// does, while the screen is drawn and keys are pressed (run with -race).
func TestAddWhileDrawing(t *testing.T) {
	recs := fileRecords(t, "ld-rtnetlink.pcap")
	m := newTestModel(t, Config{Live: true}, nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range recs {
			m.ui.Add(&recs[i])
		}
		m.ui.End(nil)
	}()
	for i := 0; ; i++ {
		m.Update(tickMsg{})
		send(t, m, []string{"up", "e", "p", "down"}[i%4])
		select {
		case <-done:
			m.Update(tickMsg{})
			if m.count() != 1043 || !strings.Contains(screen(m), "capture ended") {
				t.Errorf("%d messages after the capture ended", m.count())
			}
			return
		default:
		}
	}
}

func TestFilterMatch(t *testing.T) {
	m := newTestModel(t, Config{}, fileRecords(t, "ld-rtnetlink.pcap"))
	send(t, m, "/")
	m.input.SetValue(`type=RTM_NEWLINK match=IFLA_IFNAME == "docker0" && IFLA_MTU >= 1500`)
	got := send(t, m, "enter")
	if m.count() == 0 || strings.Contains(got, "index=2(wlp58s0)") {
		t.Fatalf("match= kept %d messages:\n%s", m.count(), got)
	}
	m.st.mu.RLock()
	for _, mi := range m.shown {
		if s := m.vw.summary(mi); !strings.Contains(s, `IFLA_IFNAME="docker0"`) {
			t.Errorf("match= kept %q", s)
		}
	}
	m.st.mu.RUnlock()
	send(t, m, "/")
	m.input.SetValue(`errors match=IFLA_MTU >`)
	if got := send(t, m, "enter"); !strings.Contains(got, "match=:") {
		t.Errorf("a bad match= expression is not reported:\n%s", got)
	}
}
