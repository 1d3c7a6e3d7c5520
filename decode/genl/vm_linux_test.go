//go:build linux && (386 || amd64)

package genl_test

import (
	"encoding/base64"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/internal/testenv"
	"golang.org/x/sys/unix"
)

func wgKey(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command("wg", args[0])
	if len(args) > 1 {
		cmd.Stdin = strings.NewReader(args[1] + "\n")
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("wg %s: %v", args[0], err)
	}
	return strings.TrimSpace(string(out))
}

func keyHex(t *testing.T, b64 string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// TestVMWireGuard configures a WireGuard link with wg and reads it back
// with wg show dump, traced: every message and attribute is named, the
// private and preshared keys are redacted in both directions unless
// secrets are shown, and the decoded device and peer equal wg's dump.
func TestVMWireGuard(t *testing.T) {
	testenv.RequireVM(t)
	if _, err := exec.LookPath("wg"); err != nil {
		testenv.Skip(t, testenv.VM, "wg is not installed (scripts/deps installs wireguard-tools)")
	}
	n := newNetNS(t)
	n.run(t, "ip", "link", "add", "wg0", "type", "wireguard")
	dir := t.TempDir()
	priv, psk := wgKey(t, "genkey"), wgKey(t, "genpsk")
	peer := wgKey(t, "pubkey", wgKey(t, "genkey"))
	privFile, pskFile := filepath.Join(dir, "priv"), filepath.Join(dir, "psk")
	os.WriteFile(privFile, []byte(priv+"\n"), 0o600)
	os.WriteFile(pskFile, []byte(psk+"\n"), 0o600)

	tr, _ := n.trace(t, "wg", "set", "wg0", "private-key", privFile, "listen-port", "51820", "fwmark", "0x42",
		"peer", peer, "preshared-key", pskFile, "endpoint", "10.0.0.2:51821", "allowed-ips", "10.1.0.0/24,fd00::/64",
		"persistent-keepalive", "25")
	set := tr.named("WG_CMD_SET_DEVICE")
	if len(set) == 0 {
		t.Fatal("no WG_CMD_SET_DEVICE traced")
	}
	redacted := func(what string, m decodedMsg, path string) {
		t.Helper()
		fs := m.find(path)
		if len(fs) == 0 {
			t.Errorf("%s: no %s", what, path)
			return
		}
		for _, f := range fs {
			if f.Kind != decode.KindRedacted || m.text(path) != "<32 bytes redacted>" {
				t.Errorf("%s: %s shown as %q", what, path, m.text(path))
			}
		}
	}
	redacted("set", set[0], "WGDEVICE_A_PRIVATE_KEY")
	redacted("set", set[0], "WGDEVICE_A_PEERS/WGPEER_A/WGPEER_A_PRESHARED_KEY")

	tr, out := n.trace(t, "wg", "show", "wg0", "dump")
	var reply *decodedMsg
	for _, m := range tr.named("WG_CMD_GET_DEVICE") {
		if m.msg().Header.Flags&unix.NLM_F_REQUEST == 0 {
			reply = &m
		}
	}
	if reply == nil {
		t.Fatal("no WG_CMD_GET_DEVICE reply traced")
	}
	redacted("get", *reply, "WGDEVICE_A_PRIVATE_KEY")
	redacted("get", *reply, "WGDEVICE_A_PEERS/WGPEER_A/WGPEER_A_PRESHARED_KEY")

	// wg show dump: the device line, then one line per peer.
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 {
		t.Fatalf("wg show dump:\n%s", out)
	}
	dev, p := strings.Split(lines[0], "\t"), strings.Split(lines[1], "\t")
	want := map[string]string{
		"WGDEVICE_A_PUBLIC_KEY":                                            keyHex(t, dev[1]),
		"WGDEVICE_A_LISTEN_PORT":                                           dev[2],
		"WGDEVICE_A_FWMARK":                                                "66", // dev[3] is 0x42
		"WGDEVICE_A_PEERS/WGPEER_A/WGPEER_A_PUBLIC_KEY":                    keyHex(t, p[0]),
		"WGDEVICE_A_PEERS/WGPEER_A/WGPEER_A_ENDPOINT/addr":                 strings.Split(p[2], ":")[0],
		"WGDEVICE_A_PEERS/WGPEER_A/WGPEER_A_ENDPOINT/port":                 strings.Split(p[2], ":")[1],
		"WGDEVICE_A_PEERS/WGPEER_A/WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL": p[7],
	}
	if dev[3] != "0x42" {
		t.Errorf("wg says fwmark %s", dev[3])
	}
	for path, v := range want {
		if got := reply.text(path); got != v {
			t.Errorf("%s = %q, wg show dump says %q", path, got, v)
		}
	}
	var ips []string
	addrs := reply.find("WGDEVICE_A_PEERS/WGPEER_A/WGPEER_A_ALLOWEDIPS/WGALLOWEDIP_A/WGALLOWEDIP_A_IPADDR")
	masks := reply.find("WGDEVICE_A_PEERS/WGPEER_A/WGPEER_A_ALLOWEDIPS/WGALLOWEDIP_A/WGALLOWEDIP_A_CIDR_MASK")
	for i := range min(len(addrs), len(masks)) {
		ips = append(ips, string(decode.AppendValue(nil, reply.tree, addrs[i]))+"/"+string(decode.AppendValue(nil, reply.tree, masks[i])))
	}
	wantIPs := strings.Split(p[3], ",")
	slices.Sort(ips)
	slices.Sort(wantIPs)
	if !slices.Equal(ips, wantIPs) {
		t.Errorf("allowed ips %v, wg show dump says %v", ips, wantIPs)
	}

	// With secrets shown, the keys decode to what wg was given.
	d := decode.NewDecoder(registry())
	d.State().SetShowSecrets(true)
	var tree decode.Tree
	found := false
	for i := range tr.recs {
		d.Decode(&tree, &tr.recs[i])
		for j := range tree.Messages {
			m := decodedMsg{&tree, j}
			if m.msg().Name != "WG_CMD_GET_DEVICE" || m.msg().Header.Flags&unix.NLM_F_REQUEST != 0 {
				continue
			}
			found = true
			if got := m.text("WGDEVICE_A_PRIVATE_KEY"); got != keyHex(t, priv) {
				t.Errorf("--show-secrets private key %s, want %s", got, keyHex(t, priv))
			}
			if got := m.text("WGDEVICE_A_PEERS/WGPEER_A/WGPEER_A_PRESHARED_KEY"); got != keyHex(t, psk) {
				t.Errorf("--show-secrets preshared key %s, want %s", got, keyHex(t, psk))
			}
		}
	}
	if !found {
		t.Error("no reply when decoding again with secrets shown")
	}
}
