package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSpecFlag loads a YNL spec at run time: a changed copy of the
// built-in ovs_vport spec (its attributes renamed) replaces the built-in
// tables for read and decode, and a broken spec is an error naming the
// file, line and field.
func TestSpecFlag(t *testing.T) {
	src, err := os.ReadFile("../../decode/genl/specs/ovs_vport.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	spec := filepath.Join(dir, "vport.yaml")
	changed := strings.ReplaceAll(string(src), "name-prefix: ovs-vport-attr-", "name-prefix: my-vport-attr-")
	changed = strings.ReplaceAll(changed, "name-prefix: ovs-vport-cmd-", "name-prefix: my-vport-cmd-")
	if err := os.WriteFile(spec, []byte(changed), 0o600); err != nil {
		t.Fatal(err)
	}
	pcap := "../../decode/genl/testdata/ovs-netlink.pcap"
	var out, errOut bytes.Buffer
	if code := run([]string{"read", "--family", "generic", pcap}, stdio{in: strings.NewReader(""), out: &out, err: &errOut}); code != 0 {
		t.Fatalf("read: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), `OVS_VPORT_ATTR_NAME="br-lan"`) || strings.Contains(out.String(), "MY_VPORT_ATTR") {
		t.Fatalf("built-in ovs_vport tables not used")
	}
	out.Reset()
	if code := run([]string{"read", "--spec", spec, "--family", "generic", pcap}, stdio{in: strings.NewReader(""), out: &out, err: &errOut}); code != 0 {
		t.Fatalf("read --spec: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), `MY_VPORT_ATTR_NAME="br-lan"`) || strings.Contains(out.String(), "OVS_VPORT_ATTR_NAME") {
		t.Errorf("read --spec did not decode with the loaded spec:\n%.2000s", out.String())
	}

	// --type knows the names the spec brings.
	out.Reset()
	if code := run([]string{"read", "--spec", spec, "--type", "MY_VPORT_CMD_GET", pcap}, stdio{in: strings.NewReader(""), out: &out, err: &errOut}); code != 0 {
		t.Fatalf("read --spec --type: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "MY_VPORT_CMD_GET") || strings.Contains(out.String(), "OVS_DP_CMD") {
		t.Errorf("read --spec --type MY_VPORT_CMD_GET:\n%.1000s", out.String())
	}

	// decode: the bytes of a CTRL_CMD_NEWFAMILY naming id 0x20 ovs_vport,
	// then an OVS_VPORT_CMD_GET request for "br0" on that id.
	newFamily := "2c000000100000000100000000000000010200000e0002006f76735f76706f72740000000600010020000000"
	req := "2000000020000500020000000000000003010000000000000800030062723000"
	out.Reset()
	errOut.Reset()
	in := strings.NewReader(newFamily + req)
	if code := run([]string{"decode", "--spec", spec, "--family", "generic", "--format", "compact"}, stdio{in: in, out: &out, err: &errOut}); code != 0 {
		t.Fatalf("decode --spec: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), `MY_VPORT_ATTR_NAME="br0"`) {
		t.Errorf("decode --spec:\n%s%s", out.String(), errOut.String())
	}

	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("name: x\nattribute-sets:\n  - name: a\n    attributes:\n      - name: b\n        type: u33\n"), 0o600)
	for _, cmd := range [][]string{{"read", "--spec", bad, pcap}, {"decode", "--spec", bad}} {
		errOut.Reset()
		if code := run(cmd, stdio{in: strings.NewReader(""), out: &out, err: &errOut}); code != 2 {
			t.Errorf("%v: exit %d, want 2", cmd, code)
		}
		if want := bad + `:5: type: set "a" attribute "b": unknown type "u33"`; !strings.Contains(errOut.String(), want) {
			t.Errorf("%v: stderr %q, want it to contain %q", cmd, errOut.String(), want)
		}
	}
}
