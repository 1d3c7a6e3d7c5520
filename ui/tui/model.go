package tui

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/pipeline"
)

type focus uint8

const (
	focusList focus = iota
	focusTree
	focusHex
)

type mode uint8

const (
	modeBrowse mode = iota
	modeFilter
	modeSave
	modeHelp
	modeStats
)

// tickMsg refreshes the screen with what arrived since the last one.
type tickMsg time.Time

// filterStepMsg goes on applying a filter to messages not yet looked at.
type filterStepMsg struct{ gen int }

// savedMsg reports the end of a save.
type savedMsg struct {
	path string
	n    int
	err  error
}

// tickEvery is how often new records are drawn: records arrive in batches
// per frame, not one message per record.
const tickEvery = 100 * time.Millisecond

// filterBudget is how many messages one step of a filter looks at, so that
// filtering a million messages leaves keys answered between steps.
const filterBudget = 20000

type model struct {
	ui    *UI
	st    *store
	vw    *viewer
	keys  keyMap
	sty   styles
	help  help.Model
	input textinput.Model

	width, height int
	focus         focus
	mode          mode
	saveAll       bool

	filt    *filter
	filtGen int
	shown   []int32 // the messages the filter keeps, in order
	scanned int     // messages the filter has looked at
	total   int     // messages in the store at the last refresh

	sel, top int // selected and first visible row, as positions in the list
	follow   bool
	arrived  int // messages that arrived while paused

	detail     int32        // the message the panes show, -1 for none
	collapsed  map[int]bool // by field index within the message
	fsel, ftop int          // selected and first visible tree row
	htop       int          // first hex row shown

	health health
	msg    string // a transient line: saved, a filter error
}

func newModel(u *UI) *model {
	in := textinput.New()
	in.Prompt = ""
	// A steady cursor: a blinking one redraws the screen for nothing.
	ist := in.Styles()
	ist.Cursor.Blink = false
	in.SetStyles(ist)
	m := &model{
		ui: u, st: u.st, vw: newViewer(u.st, &u.cfg.Options),
		keys: newKeyMap(), sty: newStyles(), help: help.New(), input: in,
		width: 80, height: 24, follow: u.cfg.Live, detail: -1, collapsed: map[int]bool{},
	}
	if u.cfg.Width > 0 {
		m.width, m.height = u.cfg.Width, u.cfg.Height
	}
	if u.cfg.Filter != "" {
		if f, err := parseFilter(u.cfg.Filter); err != nil {
			m.msg = "filter: " + err.Error()
		} else {
			m.filt = f
		}
	}
	m.refresh()
	return m
}

func tick() tea.Cmd {
	return tea.Tick(tickEvery, func(t time.Time) tea.Msg { return tickMsg(t) })
}

func (m *model) Init() tea.Cmd { return tick() }

// count is the number of rows in the list.
func (m *model) count() int {
	if m.filt != nil {
		return len(m.shown)
	}
	return m.total
}

// at is the message index of list row pos.
func (m *model) at(pos int) int32 {
	if m.filt != nil {
		return m.shown[pos]
	}
	return int32(pos)
}

// refresh takes in what arrived: the new total, the filter over the new
// messages (at most one budget's worth; the rest in filter steps), the
// capture's health, and the selection when following.
func (m *model) refresh() tea.Cmd {
	m.health = m.ui.health()
	n := m.st.Len()
	if n == m.total && (m.filt == nil || m.scanned == n) {
		return nil
	}
	before := m.count()
	m.total = n
	cmd := m.scan()
	if !m.follow {
		m.arrived += m.count() - before
	}
	if m.follow && m.count() > 0 {
		m.selectRow(m.count() - 1)
	} else if m.detail < 0 && m.count() > 0 {
		m.selectRow(m.sel)
	}
	return cmd
}

// scan applies the filter to up to filterBudget messages it has not seen,
// and returns a step for the rest.
func (m *model) scan() tea.Cmd {
	if m.filt == nil {
		m.scanned = m.total
		return nil
	}
	m.st.mu.RLock()
	end := min(m.total, m.scanned+filterBudget)
	for i := m.scanned; i < end; i++ {
		if m.matches(int32(i)) {
			m.shown = append(m.shown, int32(i))
		}
	}
	m.st.mu.RUnlock()
	m.scanned = end
	if m.scanned < m.total {
		gen := m.filtGen
		return func() tea.Msg { return filterStepMsg{gen} }
	}
	return nil
}

// matches applies the filter to message i. Call with the read lock held.
func (m *model) matches(i int32) bool {
	f := m.filt
	mm := m.st.msg(i)
	r := m.st.rec(mm.rec)
	pf := &f.pf
	if pf.Comm != "" && lookupName(m.st.comms, r.comm) != pf.Comm || pf.PID != 0 && r.pid != pf.PID {
		return false
	}
	if len(pf.Protocols) > 0 {
		ok := false
		for _, p := range pf.Protocols {
			ok = ok || p == r.proto
		}
		if !ok {
			return false
		}
	}
	if pf.Errors && !mm.isError() {
		return false
	}
	if len(pf.Types) > 0 {
		req := ""
		if mm.pair >= 0 && mm.bits&msgRequest == 0 {
			req = lookupName(m.st.names, m.st.msg(mm.pair).name)
		}
		if mm.bits&msgTrailing != 0 || !pf.TypeNamed(lookupName(m.st.names, mm.name), req) {
			return false
		}
	}
	if pf.Match != nil && !m.matchExpr(i, mm) {
		return false
	}
	if len(f.words) > 0 {
		text := strings.ToLower(m.st.proc(r) + " " + lookupName(m.st.names, mm.name) + " " + m.vw.summary(i))
		for _, w := range f.words {
			if !strings.Contains(text, w) {
				return false
			}
		}
	}
	return true
}

// matchExpr applies the filter's match= expression to message i: it
// holds for the message, or, for a reply, for its request (as --match
// keeps the replies to the requests it kept). Call with the read lock held.
func (m *model) matchExpr(i int32, mm *msgMeta) bool {
	x := m.filt.pf.Match
	if t, sub := m.vw.tree(i); sub < len(t.Messages) && x.Match(t, sub) {
		return true
	}
	if mm.pair >= 0 && mm.bits&msgRequest == 0 {
		if t, sub := m.vw.tree(mm.pair); sub < len(t.Messages) && x.Match(t, sub) {
			return true
		}
	}
	return false
}

// setFilter replaces the filter and filters from the first message.
func (m *model) setFilter(f *filter) tea.Cmd {
	cur := int32(-1)
	if m.count() > 0 {
		cur = m.at(m.sel)
	}
	m.filt = f
	m.filtGen++
	m.shown = nil
	m.scanned = 0
	m.arrived = 0
	cmd := m.scan()
	// Keep the selected message selected when the filter keeps it.
	pos := 0
	if f == nil {
		pos = max(int(cur), 0)
	} else {
		for i, mi := range m.shown {
			if mi <= cur {
				pos = i
			}
		}
	}
	if m.follow {
		pos = m.count() - 1
	}
	m.detail = -1
	m.selectRow(pos)
	return cmd
}

// selectRow selects list row pos (clamped) and scrolls to it.
func (m *model) selectRow(pos int) {
	n := m.count()
	if n == 0 {
		m.sel, m.top, m.detail = 0, 0, -1
		return
	}
	pos = max(0, min(pos, n-1))
	m.sel = pos
	lh := m.layout().listH
	if m.sel < m.top {
		m.top = m.sel
	}
	if m.sel >= m.top+lh {
		m.top = m.sel - lh + 1
	}
	m.top = max(0, min(m.top, n-lh))
	if mi := m.at(pos); mi != m.detail {
		m.detail = mi
		m.openDetail()
	}
}

// openDetail resets the panes for a newly selected message: nests open,
// the header and an ACK's echoed request header closed.
func (m *model) openDetail() {
	clear(m.collapsed)
	m.fsel, m.ftop, m.htop = 0, 0, 0
	m.st.mu.RLock()
	defer m.st.mu.RUnlock()
	t, i := m.vw.tree(m.detail)
	if i >= len(t.Messages) {
		return
	}
	fields := t.MessageFields(i)
	for j := range fields {
		f := &fields[j]
		if f.Depth == 0 && (f.Name == "nlmsghdr" || f.Name == "request") && f.Kind == decode.KindNone {
			m.collapsed[j] = true
		}
	}
}

// layout places the panes: the list, the tree and the bytes, between the
// title line and the two lines at the bottom.
type layout struct {
	listY, listH, treeY, treeH, hexY, hexH int
}

func (m *model) layout() layout {
	avail := m.height - 6 // title, list header, tree title, hex title, status, bottom
	if avail < 3 {
		avail = 3
	}
	hexH := max(1, min(8, avail/5))
	listH := max(1, avail*45/100)
	treeH := max(1, avail-listH-hexH)
	l := layout{listY: 2, listH: listH}
	l.treeY = l.listY + listH + 1
	l.treeH = treeH
	l.hexY = l.treeY + treeH + 1
	l.hexH = hexH
	return l
}

func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
		m.input.SetWidth(max(10, msg.Width-30))
		m.selectRow(m.sel)
		return m, nil
	case tickMsg:
		return m, tea.Batch(m.refresh(), tick())
	case filterStepMsg:
		if msg.gen != m.filtGen {
			return m, nil
		}
		cmd := m.scan()
		if m.follow && m.count() > 0 {
			m.selectRow(m.count() - 1)
		} else if m.detail < 0 {
			m.selectRow(m.sel)
		}
		return m, cmd
	case savedMsg:
		if msg.err != nil {
			m.msg = "save: " + msg.err.Error()
		} else {
			m.msg = fmt.Sprintf("saved %d records to %s", msg.n, msg.path)
		}
		return m, nil
	case tea.KeyPressMsg:
		return m, m.key(msg)
	case tea.MouseWheelMsg:
		m.wheel(msg.Mouse())
		return m, nil
	case tea.MouseClickMsg:
		m.click(msg.Mouse())
		return m, nil
	}
	return m, nil
}

func (m *model) key(k tea.KeyPressMsg) tea.Cmd {
	switch m.mode {
	case modeFilter, modeSave:
		return m.prompt(k)
	case modeHelp:
		m.mode = modeBrowse
		if key.Matches(k, m.keys.Quit) {
			return tea.Quit
		}
		return nil
	}
	ks := &m.keys
	switch {
	case key.Matches(k, ks.Quit):
		return tea.Quit
	case key.Matches(k, ks.Help):
		m.mode = modeHelp
		return nil
	case key.Matches(k, ks.Stats):
		if m.mode == modeStats {
			m.mode = modeBrowse
		} else {
			m.mode = modeStats
		}
		return nil
	case key.Matches(k, ks.Filter):
		m.mode = modeFilter
		m.msg = ""
		if m.filt != nil {
			m.input.SetValue(m.filt.expr)
		} else {
			m.input.SetValue("")
		}
		m.input.CursorEnd()
		return m.input.Focus()
	case key.Matches(k, ks.Save, ks.SaveAll):
		m.mode = modeSave
		m.saveAll = key.Matches(k, ks.SaveAll) || m.filt == nil
		m.msg = ""
		m.input.SetValue(time.Now().Format("nltrace-20060102-150405.pcapng"))
		m.input.CursorEnd()
		return m.input.Focus()
	case key.Matches(k, ks.Follow):
		m.follow = !m.follow
		if m.follow {
			m.arrived = 0
			m.selectRow(m.count() - 1)
		}
		return nil
	case key.Matches(k, ks.Pair):
		m.jumpPair()
		return nil
	case key.Matches(k, ks.NextError):
		m.nextError(1)
		return nil
	case key.Matches(k, ks.PrevError):
		m.nextError(-1)
		return nil
	case key.Matches(k, ks.NextPane):
		m.focus = (m.focus + 1) % 3
		if m.mode == modeStats {
			m.mode = modeBrowse
		}
		return nil
	}
	if m.mode == modeStats && key.Matches(k, ks.Back) && k.String() == "esc" {
		m.mode = modeBrowse
		return nil
	}
	switch m.focus {
	case focusList:
		m.listKey(k)
	case focusTree:
		m.treeKey(k)
	case focusHex:
		m.hexKey(k)
	}
	return nil
}

func (m *model) listKey(k tea.KeyPressMsg) {
	ks := &m.keys
	page := m.layout().listH
	move := func(pos int) {
		m.selectRow(pos)
		if m.sel < m.count()-1 {
			m.follow = false
		}
	}
	switch {
	case key.Matches(k, ks.Up):
		move(m.sel - 1)
	case key.Matches(k, ks.Down):
		move(m.sel + 1)
	case key.Matches(k, ks.PageUp):
		move(m.sel - page)
	case key.Matches(k, ks.PageDown):
		move(m.sel + page)
	case key.Matches(k, ks.Home):
		move(0)
	case key.Matches(k, ks.End):
		move(m.count() - 1)
	case key.Matches(k, ks.Open):
		if m.detail >= 0 {
			m.focus = focusTree
		}
	case k.String() == "esc" && m.filt != nil:
		m.msg = ""
		m.setFilter(nil)
	}
}

// treeRow is one visible line of the attribute tree.
type treeRow struct {
	field    int // index within the message's fields
	children bool
}

// treeRows lists the fields not hidden by a collapsed ancestor. Call with
// the read lock held.
func (m *model) treeRows(fields []decode.Field) []treeRow {
	var rows []treeRow
	for j := 0; j < len(fields); j++ {
		kids := j+1 < len(fields) && fields[j+1].Depth > fields[j].Depth
		rows = append(rows, treeRow{j, kids})
		if kids && m.collapsed[j] {
			d := fields[j].Depth
			for j+1 < len(fields) && fields[j+1].Depth > d {
				j++
			}
		}
	}
	return rows
}

// detailFields returns the selected message's tree and fields. Call with
// the read lock held.
func (m *model) detailFields() (*decode.Tree, int, []decode.Field) {
	if m.detail < 0 {
		return nil, 0, nil
	}
	t, i := m.vw.tree(m.detail)
	if i >= len(t.Messages) {
		return t, i, nil
	}
	return t, i, t.MessageFields(i)
}

func (m *model) treeKey(k tea.KeyPressMsg) {
	m.st.mu.RLock()
	_, _, fields := m.detailFields()
	rows := m.treeRows(fields)
	m.st.mu.RUnlock()
	if len(rows) == 0 {
		if key.Matches(k, m.keys.Back) {
			m.focus = focusList
		}
		return
	}
	ks := &m.keys
	page := m.layout().treeH
	cur := rows[min(m.fsel, len(rows)-1)]
	switch {
	case key.Matches(k, ks.Up):
		m.fsel--
	case key.Matches(k, ks.Down):
		m.fsel++
	case key.Matches(k, ks.PageUp):
		m.fsel -= page
	case key.Matches(k, ks.PageDown):
		m.fsel += page
	case key.Matches(k, ks.Home):
		m.fsel = 0
	case key.Matches(k, ks.End):
		m.fsel = len(rows) - 1
	case key.Matches(k, ks.Open):
		if cur.children {
			m.collapsed[cur.field] = !m.collapsed[cur.field]
		}
	case key.Matches(k, ks.Back):
		switch {
		case k.String() == "esc":
			m.focus = focusList
		case cur.children && !m.collapsed[cur.field]:
			m.collapsed[cur.field] = true
		default:
			// To the parent.
			d := fields[cur.field].Depth
			for p := m.fsel - 1; p >= 0; p-- {
				if fields[rows[p].field].Depth < d {
					m.fsel = p
					break
				}
			}
		}
	}
	m.st.mu.RLock()
	rows = m.treeRows(fields)
	m.st.mu.RUnlock()
	m.fsel = max(0, min(m.fsel, len(rows)-1))
	th := m.layout().treeH
	if m.fsel < m.ftop {
		m.ftop = m.fsel
	}
	if m.fsel >= m.ftop+th {
		m.ftop = m.fsel - th + 1
	}
	m.htop = -1 // scroll the bytes to the field
}

func (m *model) hexKey(k tea.KeyPressMsg) {
	ks := &m.keys
	switch {
	case key.Matches(k, ks.Up):
		m.htop--
	case key.Matches(k, ks.Down):
		m.htop++
	case key.Matches(k, ks.PageUp):
		m.htop -= m.layout().hexH
	case key.Matches(k, ks.PageDown):
		m.htop += m.layout().hexH
	case key.Matches(k, ks.Home):
		m.htop = 0
	case key.Matches(k, ks.End):
		m.htop = 1 << 30
	case key.Matches(k, ks.Back):
		m.focus = focusList
	}
	if m.htop < 0 {
		m.htop = 0
	}
}

// prompt edits the filter bar or the save path.
func (m *model) prompt(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "esc":
		m.mode = modeBrowse
		m.input.Blur()
		return nil
	case "enter":
		saving := m.mode == modeSave
		m.mode = modeBrowse
		m.input.Blur()
		v := strings.TrimSpace(m.input.Value())
		if saving {
			return m.save(v)
		}
		if v == "" {
			return m.setFilter(nil)
		}
		f, err := parseFilter(v)
		if err != nil {
			m.msg = "filter: " + err.Error()
			return nil
		}
		m.msg = ""
		return m.setFilter(f)
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(k)
	return cmd
}

func (m *model) jumpPair() {
	if m.detail < 0 {
		return
	}
	m.st.mu.RLock()
	p := m.st.msg(m.detail).pair
	m.st.mu.RUnlock()
	if p < 0 {
		m.msg = "no paired request or reply was seen"
		return
	}
	pos, ok := m.position(p)
	if !ok {
		m.msg = "the paired message is hidden by the filter"
		return
	}
	m.msg = ""
	m.follow = false
	m.selectRow(pos)
}

// position finds message mi in the list.
func (m *model) position(mi int32) (int, bool) {
	if m.filt == nil {
		return int(mi), int(mi) < m.total
	}
	lo, hi := 0, len(m.shown)
	for lo < hi {
		mid := (lo + hi) / 2
		if m.shown[mid] < mi {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, lo < len(m.shown) && m.shown[lo] == mi
}

func (m *model) nextError(dir int) {
	if m.count() == 0 {
		return
	}
	cur := m.at(m.sel)
	found := -1
	m.st.mu.RLock()
	errs := m.st.errIdx
	// The first error after the selection (or the last before it), then
	// on through the errors to one the filter shows.
	k := sort.Search(len(errs), func(k int) bool { return errs[k] > cur })
	if dir < 0 {
		k = sort.Search(len(errs), func(k int) bool { return errs[k] >= cur }) - 1
	}
	for ; k >= 0 && k < len(errs); k += dir {
		if pos, ok := m.position(errs[k]); ok {
			found = pos
			break
		}
	}
	m.st.mu.RUnlock()
	if found < 0 {
		m.msg = "no further error"
		return
	}
	m.msg = ""
	m.follow = false
	m.selectRow(found)
}

func (m *model) wheel(ms tea.Mouse) {
	l := m.layout()
	d := 3
	if ms.Button == tea.MouseWheelUp {
		d = -3
	} else if ms.Button != tea.MouseWheelDown {
		return
	}
	switch {
	case ms.Y >= l.listY && ms.Y < l.listY+l.listH:
		m.selectRow(m.sel + d)
		if m.sel < m.count()-1 {
			m.follow = false
		}
	case ms.Y >= l.treeY && ms.Y < l.treeY+l.treeH:
		m.focus = focusTree
		if d < 0 {
			m.treeKey(tea.KeyPressMsg{Code: tea.KeyUp})
		} else {
			m.treeKey(tea.KeyPressMsg{Code: tea.KeyDown})
		}
	case ms.Y >= l.hexY && ms.Y < l.hexY+l.hexH:
		m.htop = max(0, m.htop+d/3)
	}
}

func (m *model) click(ms tea.Mouse) {
	if ms.Button != tea.MouseLeft || m.mode != modeBrowse && m.mode != modeStats {
		return
	}
	l := m.layout()
	switch {
	case ms.Y >= l.listY && ms.Y < l.listY+l.listH:
		m.focus = focusList
		if pos := m.top + ms.Y - l.listY; pos < m.count() {
			m.selectRow(pos)
			if m.sel < m.count()-1 {
				m.follow = false
			}
		}
	case ms.Y >= l.treeY && ms.Y < l.treeY+l.treeH && m.mode == modeBrowse:
		m.focus = focusTree
		row := m.ftop + ms.Y - l.treeY
		m.st.mu.RLock()
		_, _, fields := m.detailFields()
		rows := m.treeRows(fields)
		m.st.mu.RUnlock()
		if row < len(rows) {
			if row == m.fsel && rows[row].children {
				m.collapsed[rows[row].field] = !m.collapsed[rows[row].field]
			}
			m.fsel = row
			m.htop = -1
		}
	case ms.Y >= l.hexY && ms.Y < l.hexY+l.hexH:
		m.focus = focusHex
	}
}

// save writes the records of the listed messages (or all) to a pcapng
// file, in a command so the screen stays live.
func (m *model) save(path string) tea.Cmd {
	if path == "" {
		m.msg = "save: no file name"
		return nil
	}
	var recs []uint32
	m.st.mu.RLock()
	if m.saveAll || m.filt == nil {
		recs = make([]uint32, m.st.recs.Len())
		for i := range recs {
			recs[i] = uint32(i)
		}
	} else {
		last := int64(-1)
		for _, mi := range m.shown {
			if r := m.st.msg(mi).rec; int64(r) != last {
				recs = append(recs, r)
				last = int64(r)
			}
		}
	}
	m.st.mu.RUnlock()
	st, cfg := m.st, m.ui.cfg
	m.msg = fmt.Sprintf("saving %d records to %s", len(recs), path)
	return func() tea.Msg {
		var redact *decode.Decoder
		if cfg.Options.RedactSecrets {
			redact = pipeline.NewDecoder(&cfg.Options)
		}
		n, err := saveRecords(st, recs, path, &pcapng.WriterConfig{Version: cfg.Version, Method: cfg.Method, InterfaceDescription: "records saved from the nltrace viewer"}, redact)
		return savedMsg{path: path, n: n, err: err}
	}
}

// saveRecords writes records to a new pcapng file. With redact (the
// decoder of --redact-secrets), key material is zeroed in a copy of each
// record before it is written, as -w --redact-secrets does.
func saveRecords(st *store, recs []uint32, path string, cfg *pcapng.WriterConfig, redact *decode.Decoder) (int, error) {
	w, err := pcapng.Create(path, cfg)
	if err != nil {
		return 0, err
	}
	n := 0
	var t decode.Tree
	for _, ri := range recs {
		st.mu.RLock()
		r := st.record(ri)
		if redact != nil {
			r = r.Clone()
			redact.Decode(&t, &r)
			decode.RedactSecrets(&t)
		}
		err = w.Write(&r)
		st.mu.RUnlock()
		if err != nil {
			w.Close(capture.Stats{Records: uint64(n)})
			os.Remove(path)
			return 0, err
		}
		n++
	}
	return n, w.Close(capture.Stats{Records: uint64(n)})
}

// View draws the screen.
func (m *model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "nltrace " + m.ui.cfg.Title
	return v
}

// fit pads or cuts plain text to w columns.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	if n := ansi.StringWidth(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

func (m *model) render() string {
	lines := make([]string, 0, m.height)
	lines = append(lines, m.sty.title.Render(fit(m.titleLine(), m.width)))
	l := m.layout()
	m.st.mu.RLock()
	switch m.mode {
	case modeHelp:
		body := strings.Split(m.helpText(), "\n")
		for i := 0; i < m.height-3; i++ {
			s := ""
			if i < len(body) {
				s = body[i]
			}
			lines = append(lines, fit(s, m.width))
		}
	default:
		lines = append(lines, m.sty.header.Render(fit(m.listHeader(), m.width)))
		lines = m.listLines(lines, l)
		if m.mode == modeStats {
			for i, s := range m.statsLines(l.treeH + l.hexH + 2) {
				if i == 0 {
					s = m.sty.header.Render(fit(s, m.width))
				} else {
					s = fit(s, m.width)
				}
				lines = append(lines, s)
			}
		} else {
			lines = m.detailLines(lines, l)
		}
	}
	m.st.mu.RUnlock()
	lines = append(lines, m.statusLine())
	lines = append(lines, m.bottomLine())
	for len(lines) > m.height && len(lines) > 0 {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

func (m *model) titleLine() string {
	var b strings.Builder
	b.WriteString(" nltrace │ ")
	if m.filt != nil {
		fmt.Fprintf(&b, "%d of %d messages", len(m.shown), m.total)
	} else {
		fmt.Fprintf(&b, "%d messages", m.total)
	}
	m.st.mu.RLock()
	errs := m.st.errors
	m.st.mu.RUnlock()
	switch {
	case errs == 1:
		b.WriteString(" │ 1 error")
	case errs > 1:
		fmt.Fprintf(&b, " │ %d errors", errs)
	}
	if m.filt != nil {
		fmt.Fprintf(&b, " │ filter %s", m.filt.expr)
		if m.scanned < m.total {
			fmt.Fprintf(&b, " (filtering, %d%%)", m.scanned*100/max(1, m.total))
		}
	}
	switch {
	case m.ui.cfg.Live && !m.health.ended && m.follow:
		b.WriteString(" │ following")
	case m.ui.cfg.Live && !m.health.ended:
		fmt.Fprintf(&b, " │ paused, %d new", m.arrived)
	case m.ui.cfg.Live:
		b.WriteString(" │ capture ended")
	}
	if t := m.ui.cfg.Title; t != "" {
		b.WriteString(" │ " + t)
	}
	return b.String()
}

// columns are the list's column widths for the screen's width: at 80
// columns the time is cut to milliseconds and the sequence number and
// flags are left to the detail pane's title, so that the summary keeps
// some room.
type columns struct {
	time, proc, fam, typ, flags, seq int
	clock                            string
}

func (m *model) columns() columns {
	switch {
	case m.width >= 150:
		return columns{time: 15, proc: 14, fam: 7, typ: 18, flags: 12, seq: 10, clock: "15:04:05.000000"}
	case m.width >= 110:
		return columns{time: 15, proc: 14, fam: 7, typ: 18, seq: 10, clock: "15:04:05.000000"}
	}
	return columns{time: 12, proc: 11, fam: 6, typ: 16, clock: "15:04:05.000"}
}

func (m *model) listHeader() string {
	c := m.columns()
	s := "  " + fit("TIME", c.time) + " " + fit("PROCESS", c.proc) + " D " + fit("FAMILY", c.fam) + " " + fit("TYPE", c.typ) + " "
	if c.flags > 0 {
		s += fit("FLAGS", c.flags) + " "
	}
	if c.seq > 0 {
		s += fit("SEQ", c.seq) + " "
	}
	return s + "SUMMARY"
}

// listLines draws the visible rows only. Call with the read lock held.
func (m *model) listLines(lines []string, l layout) []string {
	n := m.count()
	c := m.columns()
	partner := int32(-1)
	if m.detail >= 0 {
		partner = m.st.msg(m.detail).pair
	}
	for row := 0; row < l.listH; row++ {
		pos := m.top + row
		if pos >= n {
			s := ""
			if n == 0 && row == 0 {
				s = "  (no messages yet)"
				if m.filt != nil {
					s = "  (no message matches the filter)"
				}
			}
			lines = append(lines, fit(s, m.width))
			continue
		}
		mi := m.at(pos)
		mm := m.st.msg(mi)
		r := m.st.rec(mm.rec)
		t, i := m.vw.tree(mi)
		mark := " "
		switch {
		case pos == m.sel:
			mark = ">"
		case mi == partner:
			mark = "↔"
		}
		flag := " "
		switch {
		case mm.isError():
			flag = "!"
		case mm.bits&msgMalformed != 0:
			flag = "x"
		}
		s := mark + flag + fit(time.Unix(0, r.time).Format(c.clock), c.time) + " " + fit(m.st.proc(r), c.proc) + " " + arrow(r.dir) + " " +
			fit(t.Meta.Family, c.fam) + " " + fit(lookupName(m.st.names, mm.name), c.typ) + " "
		if c.flags > 0 {
			s += fit(flagsText(t, i), c.flags) + " "
		}
		if c.seq > 0 {
			s += fit(strconv.FormatUint(uint64(mm.seq), 10), c.seq) + " "
		}
		s += m.vw.summary(mi)
		s = fit(s, m.width)
		switch {
		case pos == m.sel:
			st := m.sty.selected
			if mm.isError() {
				st = st.Foreground(m.sty.err.GetForeground()).Bold(true)
			}
			s = st.Render(s)
		case mm.isError():
			s = m.sty.err.Render(s)
		case mi == partner:
			s = m.sty.partner.Render(s)
		}
		lines = append(lines, s)
	}
	return lines
}

// extackTarget finds, for a request whose reply failed with an extended
// ACK offset, the field the offset points at (an index within the
// request's fields) and the kernel's message. Call with the read lock held.
func (m *model) extackTarget() (field int, text string) {
	mm := m.st.msg(m.detail)
	if mm.bits&msgRequest == 0 || mm.pair < 0 || m.st.msg(mm.pair).errno == 0 {
		return -1, ""
	}
	rt, ri := m.vw.tree(mm.pair)
	offs := -1
	if ri < len(rt.Messages) {
		for _, f := range rt.MessageFields(ri) {
			switch f.Name {
			case "NLMSGERR_ATTR_OFFS":
				offs = int(f.Num)
			case "NLMSGERR_ATTR_MSG":
				text = string(rt.Value(&f))
				text = strings.TrimRight(text, "\x00")
			}
		}
	}
	if offs < 0 {
		return -1, text
	}
	t, i := m.vw.tree(m.detail)
	if i >= len(t.Messages) {
		return -1, text
	}
	at := t.Messages[i].Off + offs
	field = -1
	for j, f := range t.MessageFields(i) {
		if int(f.Off) <= at && at < int(f.Off+f.Len) && f.Depth > 0 || int(f.Off) <= at && at < int(f.Off+f.Len) && !f.Has(decode.FieldHeader) {
			field = j
		}
	}
	return field, text
}

// detailLines draws the tree and the bytes of the selected message. Call
// with the read lock held.
func (m *model) detailLines(lines []string, l layout) []string {
	t, i, fields := m.detailFields()
	if t == nil || i >= len(t.Messages) {
		lines = append(lines, m.sty.header.Render(fit("── no message selected", m.width)))
		for k := 0; k < l.treeH+l.hexH+1; k++ {
			lines = append(lines, fit("", m.width))
		}
		return lines
	}
	msg := &t.Messages[i]
	mm := m.st.msg(m.detail)
	r := m.st.rec(mm.rec)
	title := fmt.Sprintf("── #%d %s", m.detail+1, lookupName(m.st.names, mm.name))
	if fl := flagsText(t, i); fl != "" {
		title += " " + fl
	}
	if mm.pair >= 0 {
		if mm.bits&msgRequest != 0 {
			title += fmt.Sprintf(" │ reply #%d", mm.pair+1)
		} else {
			title += fmt.Sprintf(" │ request #%d", mm.pair+1)
		}
	}
	title += fmt.Sprintf(" │ seq=%d port=%d │ %s %s %s │ %s", mm.seq, msg.Header.PortID, m.st.proc(r), arrow(r.dir), t.Meta.Family, clock(r.time))
	if r.tid != 0 && r.tid != r.pid {
		title += fmt.Sprintf(" │ tid %d", r.tid)
	}
	if t.Truncated && i == len(t.Messages)-1 {
		title += " │ cut at the snap length"
	}
	title += " "
	st := m.sty.header
	if m.focus == focusTree {
		st = st.Reverse(true)
	}
	lines = append(lines, st.Render(fit(title, m.width)))

	rows := m.treeRows(fields)
	m.fsel = max(0, min(m.fsel, len(rows)-1))
	target, ackText := m.extackTarget()
	var b []byte
	for k := 0; k < l.treeH; k++ {
		row := m.ftop + k
		if row >= len(rows) {
			lines = append(lines, fit("", m.width))
			continue
		}
		tr := rows[row]
		f := &fields[tr.field]
		b = b[:0]
		if row == m.fsel && m.focus == focusTree {
			b = append(b, '>')
		} else {
			b = append(b, ' ')
		}
		b = append(b, strings.Repeat("  ", int(f.Depth))...)
		switch {
		case tr.children && m.collapsed[tr.field]:
			b = append(b, "▸ "...)
		case tr.children:
			b = append(b, "▾ "...)
		default:
			b = append(b, "  "...)
		}
		b = decode.AppendName(b, f)
		if f.Kind != decode.KindNone {
			b = append(b, ' ')
			b = decode.AppendValue(b, t, f)
		} else if tr.children && m.collapsed[tr.field] {
			b = append(b, " …"...)
		}
		if tr.field == target {
			b = append(b, "  ◀ extack"...)
			if ackText != "" {
				b = append(b, ": "...)
				b = append(b, ackText...)
			}
		}
		s := fit(string(b), m.width)
		switch {
		case row == m.fsel:
			s = m.sty.selected.Render(s)
		case tr.field == target:
			s = m.sty.extack.Render(s)
		case f.Kind == decode.KindMalformed || f.Has(decode.FieldMalformed):
			s = m.sty.err.Render(s)
		}
		lines = append(lines, s)
	}
	return m.hexLines(lines, l, t, i, fields, rows)
}

// hexLines draws the message's bytes, 16 a row, with the selected field's
// span highlighted and secrets masked. Call with the read lock held.
func (m *model) hexLines(lines []string, l layout, t *decode.Tree, i int, fields []decode.Field, rows []treeRow) []string {
	msg := &t.Messages[i]
	data := t.Data[msg.Off : msg.Off+msg.Len]
	hl0, hl1 := -1, -1
	what := ""
	if len(rows) > 0 {
		f := &fields[rows[m.fsel].field]
		hl0, hl1 = int(f.Off)-msg.Off, int(f.Off+f.Len)-msg.Off
		what = fmt.Sprintf(" │ %s: bytes %d–%d", string(decode.AppendName(nil, f)), hl0, hl1-1)
		if f.Len == 0 {
			what = fmt.Sprintf(" │ %s: no bytes", string(decode.AppendName(nil, f)))
		}
	}
	nrows := (len(data) + 15) / 16
	if m.htop < 0 || m.htop >= nrows {
		// Scroll to the selected field.
		m.htop = max(0, hl0/16)
	}
	m.htop = max(0, min(m.htop, nrows-l.hexH))
	title := fmt.Sprintf("── bytes: %d%s ", len(data), what)
	st := m.sty.header
	if m.focus == focusHex {
		st = st.Reverse(true)
	}
	lines = append(lines, st.Render(fit(title, m.width)))
	for k := 0; k < l.hexH; k++ {
		row := m.htop + k
		if row >= nrows {
			lines = append(lines, fit("", m.width))
			continue
		}
		var hexb, text strings.Builder
		fmt.Fprintf(&hexb, " %04x  ", row*16)
		plainW := 7
		for c := 0; c < 16; c++ {
			o := row*16 + c
			if o >= len(data) {
				hexb.WriteString("   ")
				text.WriteByte(' ')
				plainW += 3
				continue
			}
			masked := t.Redacted(i, msg.Off+o, 1)
			h := fmt.Sprintf("%02x", data[o])
			ch := byte('.')
			if data[o] >= 0x20 && data[o] < 0x7f {
				ch = data[o]
			}
			if masked {
				h, ch = "**", '*'
			}
			in := o >= hl0 && o < hl1
			if in {
				h = m.sty.highlight.Render(h)
				hexb.WriteString(h)
			} else {
				hexb.WriteString(h)
			}
			if c == 7 {
				hexb.WriteString("  ")
				plainW++
			} else {
				hexb.WriteString(" ")
			}
			plainW += 3
			if in {
				text.WriteString(m.sty.highlight.Render(string(ch)))
			} else {
				text.WriteByte(ch)
			}
		}
		s := hexb.String() + " " + text.String()
		if w := plainW + 1 + 16; w < m.width {
			s += strings.Repeat(" ", m.width-w)
		} else {
			s = ansi.Truncate(s, m.width, "")
		}
		lines = append(lines, s)
	}
	return lines
}

// statsLines is the statistics view: messages per type, per errno and per
// process, and what the capture lost. Call with the read lock held.
func (m *model) statsLines(n int) []string {
	c := &m.st.counts
	out := []string{fmt.Sprintf("── statistics: %d messages: %d to kernel, %d from kernel, %d of unknown direction (s or esc closes)", c.Messages(), c.ToKernel, c.FromKernel, c.UnknownDir)}
	types := c.TopTypes()
	errs := c.TopErrnos()
	var procs []pipeline.Count
	for k, v := range m.st.procs {
		procs = append(procs, pipeline.Count{Name: k, N: v})
	}
	sortCountsDesc(procs)
	st := m.health.stats
	right := []string{"capture",
		fmt.Sprintf("  records %d, truncated %d", st.Records, st.Truncated),
		fmt.Sprintf("  dropped %d: ring buffer full %d, other losses %d, lost in the file %d", st.Dropped(), st.RingFull, st.LostWakeup, st.Recorded),
		fmt.Sprintf("  held %d bytes in %d records", m.st.rawSize, m.st.recs.Len()),
		"", "per errno"}
	for _, e := range errs {
		right = append(right, fmt.Sprintf("%8d %s", e.N, e.Name))
	}
	if len(errs) == 0 {
		right = append(right, "       none")
	}
	right = append(right, "", "per process")
	for i, p := range procs {
		if i == 5 {
			right = append(right, fmt.Sprintf("%8s %d more", "...", len(procs)-5))
			break
		}
		right = append(right, fmt.Sprintf("%8d %s", p.N, p.Name))
	}
	w := max(24, m.width/2)
	for k := 0; len(out) < n; k++ {
		left := ""
		switch {
		case k == 0:
			left = "per type"
		case k-1 < len(types):
			left = fmt.Sprintf("%8d %s", types[k-1].N, types[k-1].Name)
		}
		r := ""
		if k < len(right) {
			r = right[k]
		}
		out = append(out, fit(left, w)+r)
	}
	return out
}

func sortCountsDesc(c []pipeline.Count) {
	for i := 1; i < len(c); i++ {
		for j := i; j > 0 && (c[j].N > c[j-1].N || c[j].N == c[j-1].N && c[j].Name < c[j-1].Name); j-- {
			c[j], c[j-1] = c[j-1], c[j]
		}
	}
}

// helpText is the help screen, drawn from the key map: the movement and
// pane keys in one column, the actions in another, then what the marks
// and the filter bar mean.
func (m *model) helpText() string {
	groups := m.keys.FullHelp()
	entry := func(b key.Binding) string {
		h := b.Help()
		return fmt.Sprintf("  %-8s %s", h.Key, h.Desc)
	}
	left := append(append([]key.Binding(nil), groups[0]...), groups[1]...)
	right := groups[2]
	w := max(30, m.width/2)
	lines := []string{"nltrace viewer: keys (any key closes this help)", ""}
	for i := 0; i < max(len(left), len(right)); i++ {
		l, r := "", ""
		if i < len(left) {
			l = entry(left[i])
		}
		if i < len(right) {
			r = entry(right[i])
		}
		lines = append(lines, fit(l, w)+r)
	}
	lines = append(lines, "",
		"filter bar: "+filterHelp,
		"rows: > selected, ! error (failed request or error reply), x malformed, ↔ the selected message's request or reply",
		"mouse: the wheel scrolls the pane under it; a click selects, a second click opens or closes a nest")
	return strings.Join(lines, "\n")
}

// statusLine shows the capture's health: drops are never hidden.
func (m *model) statusLine() string {
	h := &m.health
	st := h.stats
	s := " " + pipeline.StatsLine(st)
	if h.ended && h.endErr != nil {
		s += " │ capture failed: " + h.endErr.Error()
	}
	for _, n := range h.notes {
		s += " │ " + n
	}
	s = fit(s, m.width)
	if st.Dropped() > 0 || h.endErr != nil {
		return m.sty.warn.Reverse(true).Render(s)
	}
	return m.sty.status.Render(s)
}

func (m *model) bottomLine() string {
	switch m.mode {
	case modeFilter:
		return fit("/"+m.input.View(), m.width)
	case modeSave:
		what := "all records"
		if !m.saveAll {
			what = "the records of the shown messages"
		}
		return fit("save "+what+" to: "+m.input.View(), m.width)
	}
	if m.msg != "" {
		return fit(" "+m.msg, m.width)
	}
	return fit(" "+ansi.Strip(m.help.ShortHelpView(m.keys.ShortHelp())), m.width)
}
