package tui

import "charm.land/lipgloss/v2"

// styles are the viewer's looks. Every state a colour shows is also shown
// by a character (">" selected, "!" error, "↔" paired), so that the screen
// reads the same with NO_COLOR, where only bold and reverse remain.
type styles struct {
	title, header, selected, err, partner, dim, highlight, extack, status, warn lipgloss.Style
}

func newStyles() styles {
	return styles{
		title:     lipgloss.NewStyle().Reverse(true).Bold(true),
		header:    lipgloss.NewStyle().Bold(true),
		selected:  lipgloss.NewStyle().Reverse(true),
		err:       lipgloss.NewStyle().Foreground(lipgloss.Red).Bold(true),
		partner:   lipgloss.NewStyle().Foreground(lipgloss.Cyan).Underline(true),
		dim:       lipgloss.NewStyle().Faint(true),
		highlight: lipgloss.NewStyle().Reverse(true),
		extack:    lipgloss.NewStyle().Foreground(lipgloss.Red).Reverse(true),
		status:    lipgloss.NewStyle().Reverse(true),
		warn:      lipgloss.NewStyle().Foreground(lipgloss.Yellow).Bold(true),
	}
}
