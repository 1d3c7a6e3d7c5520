package tui

import "charm.land/bubbles/v2/key"

// keyMap is every key binding of the viewer; the help screen is drawn from
// it.
type keyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Open, Back, NextPane                  key.Binding
	Pair, NextError, PrevError            key.Binding
	Filter, Follow, Stats, Save, SaveAll  key.Binding
	Help, Quit                            key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "ctrl+b", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", "ctrl+f", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Home:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "first")),
		End:       key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "last")),
		Open:      key.NewBinding(key.WithKeys("enter", "space", "right", "l"), key.WithHelp("enter", "open message / expand-collapse nest")),
		Back:      key.NewBinding(key.WithKeys("esc", "left", "h"), key.WithHelp("esc", "back to the list / collapse")),
		NextPane:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane (list, tree, bytes)")),
		Pair:      key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "jump request ↔ reply")),
		NextError: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "next error")),
		PrevError: key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "previous error")),
		Filter:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter: family= type= comm= pid= errors, words")),
		Follow:    key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "follow / pause")),
		Stats:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "statistics")),
		Save:      key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "save shown records (pcapng)")),
		SaveAll:   key.NewBinding(key.WithKeys("W"), key.WithHelp("W", "save all records (pcapng)")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// ShortHelp is the one-line hint at the bottom of the screen.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Open, k.Pair, k.NextError, k.Filter, k.Follow, k.Stats, k.Save, k.Quit}
}

// FullHelp is the help screen, in columns.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Open, k.Back, k.NextPane, k.Pair, k.NextError, k.PrevError},
		{k.Filter, k.Follow, k.Stats, k.Save, k.SaveAll, k.Help, k.Quit},
	}
}
