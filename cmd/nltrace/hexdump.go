package main

import (
	"fmt"
	"strconv"
	"strings"
)

// dumpLineBytes is how many bytes every hex-dump format nltrace reads shows
// on a full line.
const dumpLineBytes = 16

// parseHexDump reads hex dumps with offsets, as users have them at hand:
// strace -e write=FD / -e read=FD (" | 00000  30 00 …  0....... |"),
// hexdump -C, xxd, and Wireshark's "Copy as Hex Dump". Lines that are no
// dump lines (strace's "* 48 bytes in buffer 0", the syscall itself) are
// skipped; an offset of 0 after data starts the next buffer (strace dumps
// each iovec on its own), and the buffers are joined. found is false when
// the text holds no dump line, so the caller can try other forms.
func parseHexDump(s string) (out []byte, found bool, err error) {
	bufStart := 0
	asciiCol := -1 // where the text column starts, once a full line showed it
	for n, line := range strings.Split(s, "\n") {
		off, data, end, ok := parseDumpLine(line, asciiCol)
		if !ok {
			continue
		}
		if off == 0 && len(out) > bufStart {
			bufStart = len(out)
		}
		if want := len(out) - bufStart; off != want {
			return nil, true, fmt.Errorf("hex dump line %d: offset %#x, want %#x (a line is missing or cut)", n+1, off, want)
		}
		if len(data) == dumpLineBytes && asciiCol < 0 {
			asciiCol = end
		}
		out = append(out, data...)
		found = true
	}
	return out, found, nil
}

// parseDumpLine reads one dump line: an offset of 4 to 8 hex digits that
// ends in a colon or two spaces, then up to 16 bytes written as hex pairs
// (or xxd's groups of them), then the text column, which is ignored. A
// text column can look like hex ("01"), so it is cut off at asciiCol when a
// full line showed where it starts, and otherwise at a gap of three spaces
// or more, which every format leaves before it on a short line. end is the
// column just after the last byte.
func parseDumpLine(line string, asciiCol int) (off int, data []byte, end int, ok bool) {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '|') {
		i++
	}
	start := i
	for i < len(line) && isHex(line[i]) {
		i++
	}
	if n := i - start; n < 4 || n > 8 {
		return 0, nil, 0, false
	}
	v, err := strconv.ParseUint(line[start:i], 16, 32)
	if err != nil {
		return 0, nil, 0, false
	}
	switch {
	case strings.HasPrefix(line[i:], ":"):
		i++
	case strings.HasPrefix(line[i:], "  "), strings.HasPrefix(line[i:], "\t"):
	default:
		return 0, nil, 0, false
	}
	limit := len(line)
	if asciiCol >= 0 && asciiCol < limit {
		limit = asciiCol
	}
	for len(data) < dumpLineBytes {
		gap := i
		for i < limit && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i == limit || (asciiCol < 0 && len(data) > 0 && i-gap >= 3) {
			break
		}
		tok := i
		for i < limit && isHex(line[i]) {
			i++
		}
		n := i - tok
		if n == 0 || n%2 != 0 || n > 8 || (i < limit && line[i] != ' ' && line[i] != '\t') || len(data)+n/2 > dumpLineBytes {
			i = tok
			break
		}
		for j := tok; j < i; j += 2 {
			b, _ := strconv.ParseUint(line[j:j+2], 16, 8)
			data = append(data, byte(b))
		}
		end = i
	}
	return int(v), data, end, len(data) > 0
}
