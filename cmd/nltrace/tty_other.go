//go:build !linux

package main

import (
	"os"

	"github.com/charmbracelet/x/term"
)

// isTerminal says f is a terminal, for read --tui off Linux.
func isTerminal(f *os.File) bool { return term.IsTerminal(f.Fd()) }
