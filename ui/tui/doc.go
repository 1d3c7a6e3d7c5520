// Package tui is nltrace's interactive viewer: a message list, the selected
// message's attribute tree and its bytes, over a live trace or a capture
// file, in a terminal (bubbletea).
//
// A UI holds every record it is given raw, in a compact store, and
// decodes only what is on the screen; records arrive from any goroutine
// through Add while Run draws and reads keys. The capture itself (probes,
// nlmon links, -w files) stays the caller's: Run returning means the user
// quit, and the caller then ends the capture as the CLI always does.
package tui
