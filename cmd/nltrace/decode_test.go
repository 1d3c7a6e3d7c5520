package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// newaddr is an RTM_NEWADDR request for 127.0.0.5/8 on lo, as ip sends it.
const newaddrHex = "28000000140005066500000000000000" + "020800fe" + "01000000" + "08000200" + "7f000005" + "08000100" + "7f000005"

func TestParseBytes(t *testing.T) {
	want := []byte{0x2c, 0x00, 0x14, 0x7f}
	for _, tc := range []struct{ name, in string }{
		{"hex", "2c00147f"},
		{"hex with spaces and 0x", "0x2c 0x00\n0x14 7f\n"},
		{"hex with colons", "2c:00:14:7f"},
		{"strace escapes", `"\x2c\x00\x14\x7f"`},
		{"strace escapes unquoted", `\x2c\x00\x14\x7f`},
		{"strace mixed", `"\x2c\0\x14\177"`},
		{"go literal", "[]byte{0x2c, 0x00, 0x14, 0x7f}"},
		{"go literal decimal", "[]byte{44, 0, 20, 127,}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseBytes([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseBytesErrors(t *testing.T) {
	for _, in := range []string{"", "2c0", "zz", `"\x2c`, "[]byte{0x2c, 0x100}", "[]byte{0x2c", `"\q"`} {
		if got, err := parseBytes([]byte(in)); err == nil {
			t.Errorf("parseBytes(%q) = %x, want an error", in, got)
		}
	}
}

func runDecodeCmd(t *testing.T, in string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"decode"}, args...), stdio{in: strings.NewReader(in), out: &out, err: &errb})
	return out.String(), errb.String(), code
}

func TestDecodeCommand(t *testing.T) {
	out, errs, code := runDecodeCmd(t, newaddrHex, "--format", "tree")
	want := "route RTM_NEWADDR req,ack,excl,create seq=101\n" +
		"    ifaddrmsg family=inet prefixlen=8 flags=0 scope=host index=1\n" +
		"    IFA_LOCAL 127.0.0.5\n" +
		"    IFA_ADDRESS 127.0.0.5\n"
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	for _, f := range []string{"compact", "hex", "json"} {
		out, errs, code := runDecodeCmd(t, newaddrHex, "--format", f)
		if code != 0 || errs != "" || !strings.Contains(out, "RTM_NEWADDR") || !strings.Contains(out, "127.0.0.5") {
			t.Errorf("--format %s: exit %d, stderr %q, output %q", f, code, errs, out)
		}
	}
}

func TestDecodeCommandBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		args     []string
		stderr   string
	}{
		{"not hex", "hello", nil, "not a hex digit"},
		{"empty", "", nil, "no input bytes"},
		{"bad family", newaddrHex, []string{"--family", "nosuch"}, "unknown --family"},
		{"bad format", newaddrHex, []string{"--format", "xml"}, "unknown output format"},
		{"malformed netlink", "2c000000140005066500000000000000", nil, "malformed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, code := runDecodeCmd(t, tc.in, tc.args...)
			if code == 0 || !strings.Contains(errs, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want non-zero and %q", code, errs, tc.stderr)
			}
		})
	}
}
