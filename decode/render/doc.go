// Package render turns decoded field trees into text: a compact line per
// message, an indented tree, a hex dump with field offsets, and JSON lines.
// It reads only decode.Tree values and never parses bytes itself.
package render
