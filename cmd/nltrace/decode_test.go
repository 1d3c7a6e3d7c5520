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
			got, _, err := parseBytes([]byte(tc.in))
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
		if got, _, err := parseBytes([]byte(in)); err == nil {
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
		{"malformed netlink", "0a000000140005066500000000000000", nil, "malformed"},
		{"cut netlink", "2c000000140005066500000000000000", nil, "the input ends inside RTM_NEWADDR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, code := runDecodeCmd(t, tc.in, tc.args...)
			if code == 0 || !strings.Contains(errs, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want non-zero and %q", code, errs, tc.stderr)
			}
		})
	}
}

// getlinkLo is the 48-byte RTM_GETLINK request `ip link show lo` sends.
const getlinkLo = "300000001200010074660" + "46b00000000" + "11000000000000000000000000000000" + "070003006c6f0000" + "08001d0001000000"

// TestParseHexDump reads the hex dumps users have at hand, as each tool
// prints them (the strace one with its syscall and buffer lines, and the
// request split over two iovecs as strace shows them).
func TestParseHexDump(t *testing.T) {
	tests := []struct{ name, in string }{
		{"strace -e write", `12229 sendmsg(3, {msg_name={sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, msg_namelen=12, ...}, 0) = 48
 * 48 bytes in buffer 0
 | 00000  30 00 00 00 12 00 01 00  74 66 04 6b 00 00 00 00  0.......tf.k.... |
 | 00010  11 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  ................ |
 | 00020  07 00 03 00 6c 6f 00 00  08 00 1d 00 01 00 00 00  ....lo.......... |
`},
		{"strace, two iovecs", ` * 32 bytes in buffer 0
 | 00000  30 00 00 00 12 00 01 00  74 66 04 6b 00 00 00 00  0.......tf.k.... |
 | 00010  11 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  ................ |
 * 16 bytes in buffer 1
 | 00000  07 00 03 00 6c 6f 00 00  08 00 1d 00 01 00 00 00  ....lo.......... |
`},
		{"hexdump -C", `00000000  30 00 00 00 12 00 01 00  74 66 04 6b 00 00 00 00  |0.......tf.k....|
00000010  11 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|
00000020  07 00 03 00 6c 6f 00 00  08 00 1d 00 01 00 00 00  |....lo..........|
00000030
`},
		{"xxd", `00000000: 3000 0000 1200 0100 7466 046b 0000 0000  0.......tf.k....
00000010: 1100 0000 0000 0000 0000 0000 0000 0000  ................
00000020: 0700 0300 6c6f 0000 0800 1d00 0100 0000  ....lo..........
`},
		{"wireshark copy as hex dump", `0000   30 00 00 00 12 00 01 00 74 66 04 6b 00 00 00 00   0.......tf.k....
0010   11 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   ................
0020   07 00 03 00 6c 6f 00 00 08 00 1d 00 01 00 00 00   ....lo..........
`},
	}
	want := mustHex(t, getlinkLo)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := parseBytes([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	// A short dump whose text column looks like hex: "01" is not a byte.
	for _, in := range []string{
		"00000000  30 31                                             |01|\n",
		"00000000: 3031                                     01\n",
		" | 00000  30 31                                             01 |\n",
	} {
		got, _, err := parseBytes([]byte(in))
		if err != nil || !bytes.Equal(got, []byte{0x30, 0x31}) {
			t.Errorf("parseBytes(%q) = %x, %v; want 3031", in, got, err)
		}
	}
	// Plain hex in groups of four digits is still plain hex.
	if got, _, err := parseBytes([]byte("3000 0000 1200 0100")); err != nil || !bytes.Equal(got, want[:8]) {
		t.Errorf("grouped plain hex = %x, %v; want %x", got, err, want[:8])
	}
	// A missing line is an error that names it, not bytes joined wrongly.
	cut := "00000000  30 00 00 00 12 00 01 00  74 66 04 6b 00 00 00 00  |0.......tf.k....|\n" +
		"00000020  07 00 03 00 6c 6f 00 00  08 00 1d 00 01 00 00 00  |....lo..........|\n"
	if got, _, err := parseBytes([]byte(cut)); err == nil || !strings.Contains(err.Error(), "line 2: offset 0x20, want 0x10") {
		t.Errorf("dump with a missing line = %x, %v; want an error naming line 2", got, err)
	}
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := parseHex(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzParseBytes feeds arbitrary text to the input parser of nltrace
// decode: it must never panic, and bytes it returns must be non-empty.
func FuzzParseBytes(f *testing.F) {
	for _, seed := range []string{
		getlinkLo, "[]byte{0x2c, 0}", `"\x2c\0"`,
		" | 00000  30 00 00 00 12 00 01 00  74 66 04 6b 00 00 00 00  0.......tf.k.... |\n",
		"00000000: 3031                                     01\n",
		"0000   30 00 00 00   0...\n0004   12 00\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if got, _, err := parseBytes([]byte(in)); err == nil && len(got) == 0 {
			t.Errorf("parseBytes(%q) returned no bytes and no error", in)
		}
	})
}

// straceXXDump is what `strace -xx -e write=all ip link show lo` printed for
// one send on Linux 6.18: the syscall line shows a string with "..." after
// it although nothing was cut (strace marks the end of a NUL-terminated
// string that way), and the dump below it holds every byte.
const straceXXDump = `sendmsg(4, {msg_name={sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, msg_namelen=12, msg_iov=[{iov_base=[{nlmsg_len=48, nlmsg_type=RTM_GETLINK, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=1796189013, nlmsg_pid=0}, {ifi_family=AF_UNSPEC, ifi_type=ARPHRD_NETROM, ifi_index=0, ifi_flags=0, ifi_change=0}, [[{nla_len=8, nla_type=IFLA_EXT_MASK}, RTEXT_FILTER_VF|RTEXT_FILTER_SKIP_STATS], [{nla_len=7, nla_type=IFLA_IFNAME}, "\x6c\x6f\x00"...]]], iov_len=48}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 48
 * 48 bytes in buffer 0
 | 00000  30 00 00 00 12 00 01 00  55 ab 0f 6b 00 00 00 00  0.......U..k.... |
 | 00010  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  ................ |
 | 00020  08 00 1d 00 09 00 00 00  07 00 03 00 6c 6f 00 00  ............lo.. |
`

func TestDecodeStraceXXDumpIsWhole(t *testing.T) {
	out, errs, code := runDecodeCmd(t, straceXXDump, "--format", "compact")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q; want 0 and no warning", code, errs)
	}
	if !strings.Contains(out, `RTM_GETLINK req seq=1796189013`) || !strings.Contains(out, `IFLA_IFNAME="lo"`) {
		t.Errorf("output %q", out)
	}
}

func TestDecodeStraceStructsSaysWhatToUse(t *testing.T) {
	structs := strings.SplitN(straceXXDump, "\n", 2)[0]
	_, errs, code := runDecodeCmd(t, structs)
	if code != 1 || !strings.Contains(errs, "-e write=FD") || strings.Contains(errs, "not a byte") {
		t.Errorf("exit %d, stderr %q; want 1 and the advice to use -e write=FD", code, errs)
	}
}

// TestDecodeCutPaste decodes a hex dump missing its last line, and a
// message whose length runs past the input: each is named and decoded as
// far as its bytes go, and marked cut.
func TestDecodeCutPaste(t *testing.T) {
	lines := strings.Split(straceXXDump, "\n")
	for name, in := range map[string]string{
		"dump missing its last line": strings.Join(lines[:4], "\n"),
		"hex shorter than nlmsg_len": getlinkLo[:len(getlinkLo)-16],
	} {
		t.Run(name, func(t *testing.T) {
			out, errs, code := runDecodeCmd(t, in, "--format", "tree")
			if code != 1 || !strings.Contains(errs, "the input ends inside RTM_GETLINK") {
				t.Errorf("exit %d, stderr %q; want 1 and the message named as cut", code, errs)
			}
			if !strings.Contains(out, "route RTM_GETLINK req") || strings.Contains(out, "type 0") || !strings.Contains(out, "the input ends inside this message") {
				t.Errorf("output:\n%s", out)
			}
		})
	}
}
