package decode_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/decode/rtnl"
	"golang.org/x/sys/unix"
)

// seedRecords returns the recorded kernel bytes of decode/rtnl's tests.
func seedRecords(f *testing.F) [][]byte {
	files, _ := filepath.Glob(filepath.Join("rtnl", "testdata", "kernel", "*.bin"))
	var out [][]byte
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for len(b) >= 5 {
			n := int(binary.LittleEndian.Uint32(b[1:5]))
			if 5+n > len(b) {
				break
			}
			out = append(out, b[5:5+n])
			b = b[5+n:]
		}
	}
	return out
}

// FuzzDecode runs the whole decode path (scanner, schemas, state, pairing,
// extended-ACK mapping, all four renderers) on arbitrary bytes. It checks
// that nothing panics and that every field's spans lie inside the input.
func FuzzDecode(f *testing.F) {
	for _, s := range seedRecords(f) {
		f.Add(s, true, false)
		f.Add(s, false, false)
		f.Add(s[:len(s)*2/3], false, true)
	}
	f.Add([]byte{}, false, false)
	f.Add([]byte{0x10, 0, 0, 0, 2, 0, 0, 3, 1, 0, 0, 0, 0, 0, 0, 0}, false, false)
	reg := decode.NewRegistry(rtnl.Family())
	// truncated says the snap length cut the record after data.
	f.Fuzz(func(t *testing.T, data []byte, request, truncated bool) {
		d := decode.NewDecoder(reg)
		dir := capture.FromKernel
		if request {
			dir = capture.ToKernel
		}
		var tree decode.Tree
		// Twice, so the second pass runs with the state the first left.
		for range 2 {
			rec := capture.Record{Direction: dir, Protocol: unix.NETLINK_ROUTE, Data: data, OrigLen: len(data)}
			if truncated {
				rec.OrigLen += 1 << 16
			}
			d.Decode(&tree, &rec)
			checkSpans(t, &tree)
			var out []byte
			for _, form := range []render.Format{render.Compact, render.Tree, render.Hex, render.JSON} {
				out = render.Append(out[:0], &tree, form)
			}
			dir = capture.FromKernel
		}
	})
}

func checkSpans(t *testing.T, tree *decode.Tree) {
	t.Helper()
	n := int32(len(tree.Data))
	for i := range tree.Messages {
		m := &tree.Messages[i]
		if m.Off < 0 || m.Len < 0 || m.Off+m.Len > len(tree.Data) {
			t.Fatalf("message %d spans [%d,+%d) outside %d bytes", i, m.Off, m.Len, n)
		}
		if m.First > m.End || m.End > len(tree.Fields) {
			t.Fatalf("message %d fields [%d,%d) outside %d", i, m.First, m.End, len(tree.Fields))
		}
	}
	for i, f := range tree.Fields {
		if f.Off < 0 || f.Len < 0 || f.Off+f.Len > n || f.ValOff < 0 || f.ValLen < 0 || f.ValOff+f.ValLen > n {
			t.Fatalf("field %d %q spans [%d,+%d) value [%d,+%d) outside %d bytes", i, f.Name, f.Off, f.Len, f.ValOff, f.ValLen, n)
		}
	}
}

// TestDecodeMalformedKeepsGoing checks that a bad attribute is marked and
// the next message is still decoded.
func TestDecodeMalformedKeepsGoing(t *testing.T) {
	bad := client.Message{Header: client.Header{Type: unix.RTM_NEWLINK, Sequence: 1},
		Data: append(client.IfInfoMsg{Index: 1}.Append(nil), 0x08, 0, 3, 0, 'l', 'o')}.Append(nil)
	var e client.AttributeEncoder
	e.Uint32(unix.IFLA_MTU, 1500)
	attrs, _ := e.Encode()
	good := client.Message{Header: client.Header{Type: unix.RTM_NEWLINK, Sequence: 2}, Data: append(client.IfInfoMsg{Index: 2}.Append(nil), attrs...)}.Append(nil)
	d := decode.NewDecoder(decode.NewRegistry(rtnl.Family()))
	var tree decode.Tree
	d.DecodeBytes(&tree, unix.NETLINK_ROUTE, append(bad, good...))
	if len(tree.Messages) != 2 {
		t.Fatalf("got %d messages, want 2", len(tree.Messages))
	}
	if !tree.Messages[0].Malformed || tree.Messages[1].Malformed {
		t.Errorf("malformed = %v, %v; want true, false", tree.Messages[0].Malformed, tree.Messages[1].Malformed)
	}
	got := string(render.Append(nil, &tree, render.Compact))
	want := "route RTM_NEWLINK seq=1 [malformed] family=unspec type=netrom index=1 flags=0 change=0x0 malformed=attribute length 8 exceeds the 6 bytes left: 0800030" +
		"06c6f\nroute RTM_NEWLINK seq=2 family=unspec type=netrom index=2 flags=0 change=0x0 IFLA_MTU=1500\n"
	if got != want {
		t.Errorf("compact:\n got %q\nwant %q", got, want)
	}
}

// TestLearnsGenericFamilies checks that generic-netlink ids are learned
// from CTRL_CMD_NEWFAMILY messages in the stream and name later messages.
func TestLearnsGenericFamilies(t *testing.T) {
	var e client.AttributeEncoder
	e.Uint16(unix.CTRL_ATTR_FAMILY_ID, 0x1c)
	e.String(unix.CTRL_ATTR_FAMILY_NAME, "ovs_datapath")
	attrs, _ := e.Encode()
	newFamily := client.Message{Header: client.Header{Type: unix.GENL_ID_CTRL, Sequence: 1},
		Data: append(client.GenlMsgHdr{Command: unix.CTRL_CMD_NEWFAMILY, Version: 2}.Append(nil), attrs...)}.Append(nil)
	ovs := client.Message{Header: client.Header{Type: 0x1c, Sequence: 2}, Data: client.GenlMsgHdr{Command: 3}.Append(nil)}.Append(nil)
	d := decode.NewDecoder(decode.NewRegistry(rtnl.Family()))
	var tree decode.Tree
	d.DecodeBytes(&tree, unix.NETLINK_GENERIC, ovs)
	if got := tree.Messages[0].Name; got != "" {
		t.Errorf("before learning: name %q, want none", got)
	}
	d.DecodeBytes(&tree, unix.NETLINK_GENERIC, newFamily)
	d.DecodeBytes(&tree, unix.NETLINK_GENERIC, ovs)
	if got := tree.Messages[0].Name; got != "ovs_datapath" {
		t.Errorf("after learning: name %q, want ovs_datapath", got)
	}
	if got, _ := d.State().GenlFamily(0x1c); got != "ovs_datapath" {
		t.Errorf("State.GenlFamily(0x1c) = %q", got)
	}
}

// TestTrailingZeroBytes checks that zero padding after the last message,
// which iproute2 sends and the kernel skips, is shown as trailing bytes and
// not as a malformed message; non-zero garbage stays malformed.
func TestTrailingZeroBytes(t *testing.T) {
	req := client.Message{Header: client.Header{Type: unix.RTM_GETADDR, Flags: client.FlagRequest | client.FlagDump, Sequence: 5},
		Data: client.IfAddrMsg{Family: unix.AF_INET}.Append(nil)}.Append(nil)
	d := decode.NewDecoder(decode.NewRegistry(rtnl.Family()))
	var tree decode.Tree
	d.DecodeBytes(&tree, unix.NETLINK_ROUTE, append(append([]byte(nil), req...), make([]byte, 128)...))
	if len(tree.Messages) != 2 || !tree.Messages[1].Trailing || tree.Messages[1].Malformed || tree.Messages[0].Malformed {
		t.Fatalf("messages %+v: want a request and trailing bytes", tree.Messages)
	}
	got := string(render.Append(nil, &tree, render.Compact))
	if !strings.Contains(got, "trailing 128 zero bytes after the last message (the kernel ignores them)") {
		t.Errorf("compact output does not name the trailing bytes:\n%s", got)
	}

	d.DecodeBytes(&tree, unix.NETLINK_ROUTE, append(append([]byte(nil), req...), 1, 2, 3, 4))
	if n := len(tree.Messages); n != 2 || tree.Messages[1].Trailing || !tree.Messages[1].Malformed {
		t.Errorf("non-zero tail: %+v, want a malformed message", tree.Messages)
	}
}

// TestIndexedArrayTail checks that entries a newer kernel appends to an
// enum-indexed array (ipv4 and ipv6 devconf) are named by their enum value,
// and that a cut last entry still shows as trailing bytes.
func TestIndexedArrayTail(t *testing.T) {
	ipv4 := make([]byte, 34*4) // 33 known IPV4_DEVCONF_* (1-33) and one more
	binary.NativeEndian.PutUint32(ipv4[33*4:], 5)
	ipv6 := make([]byte, 62*4+2) // 60 known DEVCONF_* (0-59), two more, half of another
	binary.NativeEndian.PutUint32(ipv6[61*4:], 7)
	var e client.AttributeEncoder
	e.Nested(unix.IFLA_AF_SPEC, func(e *client.AttributeEncoder) {
		e.Nested(unix.AF_INET, func(e *client.AttributeEncoder) { e.Bytes(1, ipv4) })  // IFLA_INET_CONF
		e.Nested(unix.AF_INET6, func(e *client.AttributeEncoder) { e.Bytes(2, ipv6) }) // IFLA_INET6_CONF
	})
	attrs, err := e.Encode()
	if err != nil {
		t.Fatal(err)
	}
	msg := client.Message{Header: client.Header{Type: unix.RTM_NEWLINK, Sequence: 1},
		Data: append(client.IfInfoMsg{Index: 1}.Append(nil), attrs...)}.Append(nil)
	var tree decode.Tree
	decode.NewDecoder(decode.NewRegistry(rtnl.Family())).DecodeBytes(&tree, unix.NETLINK_ROUTE, msg)
	got := string(render.Append(nil, &tree, render.Compact))
	for _, want := range []string{
		" IPV4_DEVCONF_ARP_EVICT_NOCARRIER=0 IPV4_DEVCONF_34=5}",
		" DEVCONF_FORCE_FORWARDING=0 DEVCONF_60=0 DEVCONF_61=7 trailing=0000}",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("compact output lacks %q:\n%s", want, got)
		}
	}
	checkSpans(t, &tree)
}

// TestSnapLengthCut checks that a message the snap length cut is still
// named, counted and decoded as far as its bytes go, after the whole ones.
func TestSnapLengthCut(t *testing.T) {
	var e client.AttributeEncoder
	e.String(unix.IFLA_IFNAME, "eth0")
	e.Uint32(unix.IFLA_MTU, 1500)
	e.Bytes(unix.IFLA_ADDRESS, []byte{2, 0, 0, 0, 0, 1})
	attrs, err := e.Encode()
	if err != nil {
		t.Fatal(err)
	}
	link := client.Message{Header: client.Header{Type: unix.RTM_NEWLINK, Flags: client.FlagMulti, Sequence: 7},
		Data: append(client.IfInfoMsg{Index: 2}.Append(nil), attrs...)}.Append(nil)
	whole := append(bytes.Clone(link), link...)
	// Cut the second message inside IFLA_MTU: its header, ifinfomsg and
	// IFLA_IFNAME are there.
	cut := len(link) + 16 + 16 + 12 + 6 // header, ifinfomsg, IFLA_IFNAME, 6 of IFLA_MTU's 8
	rec := capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_ROUTE, Data: whole[:cut], OrigLen: len(whole)}
	var tree decode.Tree
	decode.NewDecoder(decode.NewRegistry(rtnl.Family())).Decode(&tree, &rec)
	if len(tree.Messages) != 2 {
		t.Fatalf("got %d messages, want 2", len(tree.Messages))
	}
	second := tree.Messages[1]
	if second.Name != "RTM_NEWLINK" || !second.Malformed || tree.Messages[0].Malformed {
		t.Errorf("messages %q malformed=%v, %q malformed=%v; want RTM_NEWLINK twice, only the second malformed",
			tree.Messages[0].Name, tree.Messages[0].Malformed, second.Name, second.Malformed)
	}
	got := string(render.Append(nil, &tree, render.Compact))
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	want := fmt.Sprintf(`IFLA_IFNAME="eth0" malformed=attribute length 8 exceeds the 6 bytes left: 08000400dc05 malformed=truncated at the snap length: %d of %d bytes`, cut-len(link), len(link))
	if len(lines) != 2 || !strings.HasSuffix(lines[1], want) {
		t.Errorf("compact output:\n%s\nwant a second line ending in %q", got, want)
	}
	checkSpans(t, &tree)
}
