package tui

import (
	"context"
	"errors"
	"flag"
	"io"
	"testing"

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
		cfg.Width, cfg.Height = 80, 24
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
