package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/pipeline"
)

const decodeUsage = `usage: nltrace decode [--family NAME] [--format compact|tree|hex|json] [FILE]

Decodes netlink bytes read from FILE or standard input. The bytes may be
plain hex (whitespace, newlines and 0x prefixes allowed), strace's "\x.."
escapes, a Go byte-slice literal ([]byte{0x10, 0x00, ...}), or a hex dump
with offsets: strace -e write=FD / -e read=FD, hexdump -C, xxd, or
Wireshark's "Copy as Hex Dump".
`

// decodeFlagValues holds the flags of nltrace decode.
type decodeFlagValues struct {
	family, format *string
	showSecrets    *bool
	specs          specFiles
}

// newDecodeFlags defines the flags of nltrace decode on a new FlagSet,
// without parsing: the completion scripts and the man page are made from it
// too.
func newDecodeFlags() (*flag.FlagSet, *decodeFlagValues) {
	v := &decodeFlagValues{}
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	v.family = fs.String("family", "route", "netlink protocol of the bytes: route, generic, netfilter, xfrm, sock_diag, audit, ...")
	v.format = fs.String("format", "tree", "output form: compact, tree, hex, json or go (Go byte-slice literals for test fixtures)")
	v.showSecrets = fs.Bool("show-secrets", false, "show key material (xfrm and WireGuard keys) instead of \"<N bytes redacted>\"")
	addSpecFlag(fs, &v.specs)
	return fs, v
}

func runDecode(args []string, io stdio) int {
	fs, v := newDecodeFlags()
	family, format, showSecrets, specs := v.family, v.format, v.showSecrets, &v.specs
	if err := parseFlags(fs, decodeUsage, args, io); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(io.err, "nltrace decode: at most one FILE")
		return 2
	}
	reg, err := specs.registry()
	if err != nil {
		fmt.Fprintf(io.err, "nltrace decode: %v\n", err)
		return 2
	}
	if reg == nil {
		reg = families.NewRegistry()
	}
	proto, err := client.ParseProtocol(*family)
	if err != nil {
		fmt.Fprintf(io.err, "nltrace decode: unknown --family %q: %v\n", *family, err)
		return 2
	}
	f, err := render.ParseFormat(*format)
	if err != nil {
		fmt.Fprintf(io.err, "nltrace decode: %v\n", err)
		return 2
	}
	in := io.in
	name := "standard input"
	if fs.NArg() == 1 && fs.Arg(0) != "-" {
		file, err := os.Open(fs.Arg(0))
		if err != nil {
			fmt.Fprintf(io.err, "nltrace decode: %v\n", err)
			return 1
		}
		defer file.Close()
		if st, err := file.Stat(); err == nil && st.IsDir() {
			fmt.Fprintf(io.err, "nltrace decode: %s: %v\n", fs.Arg(0), syscall.EISDIR)
			return 1
		}
		in, name = file, fs.Arg(0)
	}
	text, err := readAll(in)
	if err != nil {
		fmt.Fprintf(io.err, "nltrace decode: read %s: %v\n", name, err)
		return 1
	}
	data, form, err := parseBytes(text)
	if err != nil {
		fmt.Fprintf(io.err, "nltrace decode: %s: %v\n", name, err)
		return 1
	}
	if form == formEscaped && strings.Contains(string(text), `"...`) {
		// strace prints at most -s bytes of a buffer (32 by default)
		// and marks the cut with "...". A hex dump (-e write=FD) holds
		// every byte, whatever its syscall line shows.
		fmt.Fprintln(io.err, `nltrace decode: strace cut these bytes short ("..."): run strace with -s 65536 to see all of them`)
	}
	if reg.Family(proto) == nil {
		fmt.Fprintf(io.err, "nltrace decode: no schema for family %q yet: showing message headers and raw payloads\n", *family)
	}
	d := decode.NewDecoder(reg)
	d.State().SetShowSecrets(*showSecrets)
	var t decode.Tree
	d.DecodeBytes(&t, proto, data)
	out := render.Append(nil, &t, f)
	if _, err := io.out.Write(out); err != nil {
		fmt.Fprintf(io.err, "nltrace decode: write: %v\n", err)
		return 1
	}
	for i := range t.Messages {
		if t.Messages[i].Cut {
			fmt.Fprintf(io.err, "nltrace decode: the input ends inside %s (marked above): %d of its %d bytes are there\n", pipeline.MessageName(&t.Messages[i]), t.Messages[i].Len, t.Messages[i].Header.Length)
			return 1
		}
		if t.Messages[i].Malformed {
			fmt.Fprintln(io.err, "nltrace decode: the input holds malformed netlink data (marked above)")
			return 1
		}
	}
	return 0
}

func readAll(r io.Reader) ([]byte, error) {
	const limit = 64 << 20
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if len(b) > limit {
		return nil, fmt.Errorf("input is larger than %d bytes", limit)
	}
	return b, nil
}

// inputForm is how the bytes given to nltrace decode were written.
type inputForm uint8

const (
	formHex inputForm = iota
	formDump
	formGoLiteral
	formEscaped
)

// errStraceStructs says the input is strace's decoded form of a message,
// which has no bytes to decode.
var errStraceStructs = errors.New(`this is strace's decoded form of the message (nlmsg_len=..., nla_type=...), not its bytes: ` +
	`run strace with -e write=FD for sends or -e read=FD for receives (FD the netlink socket, or "all") and paste the hex dump it adds below the call`)

// parseBytes reads netlink bytes written as a Go byte-slice literal,
// strace escapes, a hex dump with offsets, or plain hex, and says which.
func parseBytes(text []byte) ([]byte, inputForm, error) {
	s := strings.TrimSpace(string(text))
	if s == "" {
		return nil, formHex, errors.New("no input bytes")
	}
	var out []byte
	var err error
	form := formHex
	dump, isDump, dumpErr := parseHexDump(string(text))
	switch {
	case isDump && dumpErr == nil:
		out, form = dump, formDump
	case isDump:
		// Plain hex in groups of four digits can look like a dump line;
		// only if it is not plain hex either is the dump's error the one.
		if out, err = parseHex(s); err != nil {
			return nil, formDump, dumpErr
		}
	case strings.Contains(s, "nlmsg_len=") || strings.Contains(s, "nla_type="):
		return nil, formHex, errStraceStructs
	case strings.Contains(s, "{"):
		out, err = parseGoLiteral(s)
		form = formGoLiteral
	case strings.Contains(s, `\x`) || strings.HasPrefix(s, `"`):
		out, err = parseEscaped(s)
		form = formEscaped
	default:
		out, err = parseHex(s)
	}
	if err != nil {
		return nil, form, err
	}
	if len(out) == 0 {
		return nil, form, errors.New("no input bytes")
	}
	return out, form, nil
}

// parseGoLiteral reads []byte{0x10, 0x00, 16, ...}.
func parseGoLiteral(s string) ([]byte, error) {
	open := strings.IndexByte(s, '{')
	end := strings.LastIndexByte(s, '}')
	if end < open {
		return nil, errors.New("byte-slice literal: missing closing brace")
	}
	var out []byte
	for i, tok := range strings.Split(s[open+1:end], ",") {
		tok = strings.TrimSpace(tok)
		if tok == "" {
			continue
		}
		if len(tok) >= 3 && tok[0] == '\'' && tok[len(tok)-1] == '\'' {
			r, _, _, err := strconv.UnquoteChar(tok[1:len(tok)-1], '\'')
			if err != nil || r > 255 {
				return nil, fmt.Errorf("byte-slice literal: element %d %q is not a byte", i+1, tok)
			}
			out = append(out, byte(r))
			continue
		}
		v, err := strconv.ParseUint(tok, 0, 8)
		if err != nil {
			return nil, fmt.Errorf("byte-slice literal: element %d %q is not a byte", i+1, tok)
		}
		out = append(out, byte(v))
	}
	return out, nil
}

// parseEscaped reads strace's string form: the quoted parts of the input
// (or all of it when unquoted) with C escapes such as \x10, \0, \n.
func parseEscaped(s string) ([]byte, error) {
	var parts []string
	if strings.Contains(s, `"`) {
		rest := s
		for {
			i := strings.IndexByte(rest, '"')
			if i < 0 {
				break
			}
			j := i + 1
			for j < len(rest) && rest[j] != '"' {
				if rest[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(rest) {
				return nil, errors.New("escaped string: missing closing quote")
			}
			parts = append(parts, rest[i+1:j])
			rest = rest[j+1:]
		}
	} else {
		parts = []string{strings.Join(strings.Fields(s), "")}
	}
	var out []byte
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			c := p[i]
			if c != '\\' {
				out = append(out, c)
				continue
			}
			i++
			if i >= len(p) {
				return nil, errors.New("escaped string: trailing backslash")
			}
			switch e := p[i]; e {
			case 'x':
				j := i + 1
				for j < len(p) && j < i+3 && isHex(p[j]) {
					j++
				}
				if j == i+1 {
					return nil, fmt.Errorf("escaped string: \\x without hex digits at byte %d", i)
				}
				v, _ := strconv.ParseUint(p[i+1:j], 16, 8)
				out = append(out, byte(v))
				i = j - 1
			case '0', '1', '2', '3', '4', '5', '6', '7':
				j := i
				for j < len(p) && j < i+3 && p[j] >= '0' && p[j] <= '7' {
					j++
				}
				v, err := strconv.ParseUint(p[i:j], 8, 8)
				if err != nil {
					return nil, fmt.Errorf("escaped string: bad octal escape %q", p[i:j])
				}
				out = append(out, byte(v))
				i = j - 1
			case 'n':
				out = append(out, '\n')
			case 't':
				out = append(out, '\t')
			case 'r':
				out = append(out, '\r')
			case 'v':
				out = append(out, '\v')
			case 'f':
				out = append(out, '\f')
			case 'a':
				out = append(out, '\a')
			case 'b':
				out = append(out, '\b')
			case '\\', '"', '\'':
				out = append(out, e)
			default:
				return nil, fmt.Errorf("escaped string: unknown escape \\%c", e)
			}
		}
	}
	return out, nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// parseHex reads hex digits, ignoring whitespace, 0x prefixes, commas and
// colons between bytes.
func parseHex(s string) ([]byte, error) {
	var digits bytes.Buffer
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == ',' || r == ':'
	}) {
		tok = strings.TrimPrefix(strings.TrimPrefix(tok, "0x"), "0X")
		for i := 0; i < len(tok); i++ {
			if !isHex(tok[i]) {
				return nil, fmt.Errorf("hex input: %q is not a hex digit", tok[i])
			}
		}
		if len(tok)%2 != 0 {
			return nil, fmt.Errorf("hex input: %q has an odd number of digits", tok)
		}
		digits.WriteString(tok)
	}
	hex := digits.String()
	out := make([]byte, len(hex)/2)
	for i := range out {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		out[i] = byte(v)
	}
	return out, nil
}
