package tui

import (
	"context"
	"errors"
	"io"
	"sync"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/pipeline"
)

// Config says what the viewer shows and how. The zero value views records
// with the default decoder settings, in colour, on the process's terminal.
type Config struct {
	// Title names what is viewed ("ip link show", "cap.pcapng").
	Title string
	// Live says records are still arriving: the list follows new ones
	// until paused. A file starts at its first message.
	Live bool
	// Stats, when set, returns the capture's counters; it is called from
	// the UI's goroutine while records are added, so it must be safe for
	// concurrent use (the eBPF and nlmon sources' Stats are). SetStats is
	// the alternative.
	Stats func() capture.Stats
	// Decoder settings, as the CLI's flags set them (secrets, generic
	// netlink lookups); RedactSecrets zeroes key material in the files w
	// saves. The filters in it are not applied: the filter bar is.
	Options pipeline.Options
	// Filter is the filter bar's first expression (as the CLI's filter
	// flags say it: "type=RTM_*LINK errors"); "" shows everything.
	Filter string
	// NoColor draws without colour (NO_COLOR): bold and reverse remain.
	NoColor bool
	// Version and Method go into the files that w saves.
	Version string
	Method  capture.Method
	// Input and Output are the terminal; nil means the process's.
	Input  io.Reader
	Output io.Writer
	// Width and Height fix the screen size instead of asking the terminal
	// (tests); zero asks.
	Width, Height int
}

// UI is one viewer. Add, Note, SetStats and End may be called from any
// goroutine, before and while Run runs.
type UI struct {
	cfg Config
	st  *store

	mu     sync.Mutex
	stats  capture.Stats
	notes  []string
	ended  bool
	endErr error
}

// New returns a viewer of no records yet.
func New(cfg Config) *UI {
	return &UI{cfg: cfg, st: newStore(&cfg.Options)}
}

// Add stores a copy of r; the record's buffers may be reused afterwards.
func (u *UI) Add(r *capture.Record) { u.st.add(r) }

// Note shows a line in the status bar ("ip exited with status 0").
func (u *UI) Note(s string) {
	u.mu.Lock()
	u.notes = append(u.notes, s)
	u.mu.Unlock()
}

// SetStats sets the capture's counters shown in the status bar.
func (u *UI) SetStats(st capture.Stats) {
	u.mu.Lock()
	u.stats = st
	u.mu.Unlock()
}

// End says no more records will come, and why (nil: the capture ended
// normally).
func (u *UI) End(err error) {
	u.mu.Lock()
	u.ended, u.endErr = true, err
	u.mu.Unlock()
}

// health is what the status line shows of the capture.
type health struct {
	stats  capture.Stats
	notes  []string
	ended  bool
	endErr error
}

func (u *UI) health() health {
	u.mu.Lock()
	defer u.mu.Unlock()
	h := health{stats: u.stats, notes: append([]string(nil), u.notes...), ended: u.ended, endErr: u.endErr}
	if u.cfg.Stats != nil {
		h.stats = u.cfg.Stats()
	}
	return h
}

// Run draws the viewer and reads keys until the user quits or ctx is
// done. It leaves the capture running: ending it is the caller's.
func (u *UI) Run(ctx context.Context) error {
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithoutSignalHandler()}
	if u.cfg.Input != nil {
		opts = append(opts, tea.WithInput(u.cfg.Input))
	}
	if u.cfg.Output != nil {
		opts = append(opts, tea.WithOutput(u.cfg.Output))
	}
	if u.cfg.NoColor {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	if u.cfg.Width > 0 && u.cfg.Height > 0 {
		opts = append(opts, tea.WithWindowSize(u.cfg.Width, u.cfg.Height))
	}
	_, err := tea.NewProgram(newModel(u), opts...).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // the caller ended it
	}
	return err
}
