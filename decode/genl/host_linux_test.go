//go:build linux && (386 || amd64)

package genl_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/ebpf"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/internal/testenv"
	"golang.org/x/sys/unix"
)

type netNS struct {
	name  string
	inode uint32
}

// newNetNS makes a throwaway network namespace with a veth pair v0/v1 up.
func newNetNS(t *testing.T) netNS {
	t.Helper()
	testenv.RequireRoot(t)
	b := make([]byte, 4)
	rand.Read(b)
	name := "nltrace-genl-" + hex.EncodeToString(b)
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v: %s", name, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", name).CombinedOutput(); err != nil {
			t.Errorf("ip netns del %s: %v: %s", name, err, out)
		}
	})
	var st unix.Stat_t
	if err := unix.Stat(filepath.Join("/run/netns", name), &st); err != nil {
		t.Fatalf("stat netns %s: %v", name, err)
	}
	n := netNS{name: name, inode: uint32(st.Ino)}
	n.run(t, "ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	n.run(t, "ip", "link", "set", "v0", "up")
	return n
}

func (n netNS) command(argv ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", n.name}, argv...)...)
}

func (n netNS) run(t *testing.T, argv ...string) []byte {
	t.Helper()
	out, err := n.command(argv...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("%v: %v: %s", argv, err, ee.Stderr)
		}
		t.Fatalf("%v: %v", argv, err)
	}
	return out
}

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		testenv.Skip(t, testenv.Host, name+" is not installed (scripts/deps installs it)")
	}
}

// trace runs argv in the namespace under a tracepoint capture and returns
// the decoded generic-netlink messages and the command's output.
func (n netNS) trace(t *testing.T, argv ...string) (*traced, []byte) {
	t.Helper()
	plan, err := ebpf.NewPlan(ebpf.Config{Probe: ebpf.ProbeTracepoint, NetNS: n.inode, Self: uint32(os.Getpid()),
		Protocols: []uint16{unix.NETLINK_GENERIC}})
	if err != nil {
		t.Fatal(err)
	}
	src, err := ebpf.Open(plan)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	cmd := n.command(argv...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := src.Start(cmd); err != nil {
		t.Fatalf("start %v: %v", argv, err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v: %v: %s", argv, err, stderr.Bytes())
	}
	if err := src.Drain(); err != nil {
		t.Fatal(err)
	}
	tr := &traced{}
	d := decode.NewDecoder(registry())
	for {
		var r capture.Record
		err := src.ReadInto(context.Background(), &r)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		tr.recs = append(tr.recs, r)
		tree := &decode.Tree{}
		d.Decode(tree, &r)
		for i := range tree.Messages {
			tr.msgs = append(tr.msgs, decodedMsg{tree, i})
		}
		for _, p := range problems(tree) {
			t.Errorf("%v: %s", argv, p)
		}
		// What a user of --format json sees: no unknown attribute.
		if js := render.Append(nil, tree, render.JSON); bytes.Contains(js, []byte(`"unknown":true`)) {
			t.Errorf("%v: JSON output has an unknown attribute:\n%s", argv, js)
		}
	}
	for _, m := range tr.msgs {
		msg := m.msg()
		if msg.Name == "" || msg.Name == "ethtool" || msg.Name == "mptcp_pm" || msg.Name == "wireguard" {
			t.Errorf("%v: message of type %d not named by its command: %q", argv, msg.Header.Type, msg.Name)
		}
	}
	if len(tr.msgs) == 0 {
		t.Fatalf("%v: nothing traced", argv)
	}
	return tr, out.Bytes()
}

type traced struct {
	msgs []decodedMsg
	recs []capture.Record
}

// named returns the messages called name.
func (tr *traced) named(name string) []decodedMsg {
	var out []decodedMsg
	for _, m := range tr.msgs {
		if m.msg().Name == name {
			out = append(out, m)
		}
	}
	return out
}

type decodedMsg struct {
	tree *decode.Tree
	idx  int
}

func (m decodedMsg) msg() *decode.Message { return &m.tree.Messages[m.idx] }

// find returns the fields at path ("A/B/C", names from the top level),
// every occurrence.
func (m decodedMsg) find(path string) []*decode.Field {
	fields := m.tree.MessageFields(m.idx)
	var walk func(fields []decode.Field, depth uint8, names []string) []*decode.Field
	walk = func(fields []decode.Field, depth uint8, names []string) []*decode.Field {
		var out []*decode.Field
		for j := range fields {
			f := &fields[j]
			if f.Depth != depth || string(decode.AppendName(nil, f)) != names[0] && f.Name != names[0] {
				continue
			}
			if len(names) == 1 {
				out = append(out, f)
				continue
			}
			end := j + 1
			for end < len(fields) && fields[end].Depth > depth {
				end++
			}
			out = append(out, walk(fields[j+1:end], depth+1, names[1:])...)
		}
		return out
	}
	return walk(fields, fields[0].Depth, strings.Split(path, "/"))
}

func (m decodedMsg) text(path string) string {
	fs := m.find(path)
	if len(fs) == 0 {
		return ""
	}
	return string(decode.AppendValue(nil, m.tree, fs[0]))
}

// TestEthtool traces ethtool's netlink requests on a veth: every message
// and attribute is named, and the values agree with what ethtool prints.
func TestEthtool(t *testing.T) {
	needTool(t, "ethtool")
	n := newNetNS(t)

	tr, out := n.trace(t, "ethtool", "v0")
	modes := tr.named("ETHTOOL_MSG_LINKMODES_GET_REPLY")
	if len(modes) != 1 || len(tr.named("ETHTOOL_MSG_LINKINFO_GET_REPLY")) != 1 {
		t.Fatalf("ethtool v0: want one LINKMODES and one LINKINFO reply, got %d messages", len(tr.msgs))
	}
	speed := regexp.MustCompile(`Speed: (\d+)Mb/s`).FindSubmatch(out)
	if speed == nil {
		t.Fatalf("no speed in ethtool's output:\n%s", out)
	}
	if got := modes[0].text("ETHTOOL_A_LINKMODES_SPEED"); got != string(speed[1]) {
		t.Errorf("ETHTOOL_A_LINKMODES_SPEED = %s, ethtool says %s", got, speed[1])
	}
	if got := modes[0].text("ETHTOOL_A_LINKMODES_HEADER/ETHTOOL_A_HEADER_DEV_NAME"); got != `"v0"` {
		t.Errorf("reply header names %s, want v0", got)
	}
	for _, a := range tr.named("NLMSG_ERROR") {
		if m := a.msg(); m.Errno == 0 && !strings.HasPrefix(m.Request, "ETHTOOL_MSG_") && m.Request != "CTRL_CMD_GETFAMILY" {
			t.Errorf("ack names its request %q", m.Request)
		}
	}

	// Features: the active bitset, read with the feature-name string set
	// from the same trace, must say what ethtool --json -k says.
	tr, _ = n.trace(t, "ethtool", "-k", "v0")
	var names []string
	for _, m := range tr.named("ETHTOOL_MSG_STRSET_GET_REPLY") {
		sets := m.find("ETHTOOL_A_STRSET_STRINGSETS/ETHTOOL_A_STRINGSETS_STRINGSET")
		if len(sets) == 0 {
			continue
		}
		for _, s := range m.find("ETHTOOL_A_STRSET_STRINGSETS/ETHTOOL_A_STRINGSETS_STRINGSET/ETHTOOL_A_STRINGSET_STRINGS/ETHTOOL_A_STRINGS_STRING/ETHTOOL_A_STRING_VALUE") {
			names = append(names, string(m.tree.Value(s)))
		}
	}
	reply := tr.named("ETHTOOL_MSG_FEATURES_GET_REPLY")
	if len(names) == 0 || len(reply) != 1 {
		t.Fatalf("ethtool -k: %d feature names, %d FEATURES replies", len(names), len(reply))
	}
	bits := reply[0].find("ETHTOOL_A_FEATURES_ACTIVE/ETHTOOL_A_BITSET_VALUE")
	if len(bits) != 1 {
		t.Fatal("no active feature bitset")
	}
	words := reply[0].tree.Value(bits[0])
	var js []map[string]json.RawMessage
	if err := json.Unmarshal(n.run(t, "ethtool", "--json", "-k", "v0"), &js); err != nil || len(js) != 1 {
		t.Fatalf("ethtool --json -k: %v", err)
	}
	compared := 0
	for i, name := range names {
		raw, ok := js[0][name]
		if !ok || i/32*4+4 > len(words) {
			continue
		}
		var v struct{ Active bool }
		if err := json.Unmarshal(raw, &v); err != nil {
			continue
		}
		w := binary.NativeEndian.Uint32(words[i/32*4:])
		if got := w>>(i%32)&1 == 1; got != v.Active {
			t.Errorf("feature %s: decoded %v, ethtool --json says %v", name, got, v.Active)
		}
		compared++
	}
	if compared < 20 {
		t.Errorf("compared only %d features with ethtool --json -k", compared)
	}

	tr, _ = n.trace(t, "ethtool", "-S", "v0", "--all-groups")
	if len(tr.named("ETHTOOL_MSG_STATS_GET")) == 0 {
		t.Errorf("ethtool -S --all-groups: no ETHTOOL_MSG_STATS_GET request traced")
	}
}

// TestMPTCPEndpoints traces ip mptcp endpoint add and show: the add is a
// named request whose ACK names it, and the dumped endpoint agrees with
// ip -j mptcp endpoint show.
func TestMPTCPEndpoints(t *testing.T) {
	n := newNetNS(t)
	n.run(t, "ip", "addr", "add", "10.9.0.1/24", "dev", "v0")
	tr, _ := n.trace(t, "ip", "mptcp", "endpoint", "add", "10.9.0.1", "dev", "v0", "id", "5", "signal")
	add := tr.named("MPTCP_PM_CMD_ADD_ADDR")
	if len(add) != 1 {
		t.Fatalf("want one MPTCP_PM_CMD_ADD_ADDR, got %d messages", len(tr.msgs))
	}
	if got := string(decode.AppendFlags(nil, add[0].msg())); got != "req,ack" {
		t.Errorf("add flags = %s, want req,ack", got)
	}
	acks := tr.named("NLMSG_ERROR")
	if len(acks) == 0 || acks[len(acks)-1].msg().Request != "MPTCP_PM_CMD_ADD_ADDR" {
		t.Errorf("the ACK does not name MPTCP_PM_CMD_ADD_ADDR")
	}

	tr, _ = n.trace(t, "ip", "mptcp", "endpoint", "show")
	dump := tr.named("MPTCP_PM_CMD_GET_ADDR")
	var got []map[string]string
	for _, m := range dump {
		if m.msg().Header.Flags&unix.NLM_F_REQUEST != 0 {
			if f := string(decode.AppendFlags(nil, m.msg())); f != "req,dump" {
				t.Errorf("dump request flags = %s, want req,dump", f)
			}
			continue
		}
		got = append(got, map[string]string{
			"address": m.text("MPTCP_PM_ATTR_ADDR/MPTCP_PM_ADDR_ATTR_ADDR4"),
			"id":      m.text("MPTCP_PM_ATTR_ADDR/MPTCP_PM_ADDR_ATTR_ID"),
			"flags":   m.text("MPTCP_PM_ATTR_ADDR/MPTCP_PM_ADDR_ATTR_FLAGS"),
			"ifindex": m.text("MPTCP_PM_ATTR_ADDR/MPTCP_PM_ADDR_ATTR_IF_IDX"),
			"family":  m.text("MPTCP_PM_ATTR_ADDR/MPTCP_PM_ADDR_ATTR_FAMILY"),
		})
	}
	var js []struct {
		Address string
		ID      int
		Signal  bool
		Dev     string
	}
	if err := json.Unmarshal(n.run(t, "ip", "-j", "mptcp", "endpoint", "show"), &js); err != nil {
		t.Fatal(err)
	}
	if len(js) != 1 || len(got) != 1 {
		t.Fatalf("ip -j shows %d endpoints, decoded %d", len(js), len(got))
	}
	ifi, err := strconv.Atoi(strings.TrimSpace(string(n.run(t, "cat", "/sys/class/net/"+js[0].Dev+"/ifindex"))))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"address": net.ParseIP(js[0].Address).String(), "id": strconv.Itoa(js[0].ID),
		"flags": "signal", "ifindex": strconv.Itoa(ifi), "family": "inet"}
	for k, v := range want {
		if got[0][k] != v {
			t.Errorf("%s: decoded %q, ip -j says %q", k, got[0][k], v)
		}
	}
}

// TestCtrlGetPolicy traces 'genl ctrl policy name mptcp_pm' (a
// CTRL_CMD_GETPOLICY dump): nlctrl's policy nests, indexed by policy and
// attribute, decode fully, and every operation's policies and every
// attribute's type equal what genl prints.
func TestCtrlGetPolicy(t *testing.T) {
	needTool(t, "genl")
	n := newNetNS(t)
	tr, out := n.trace(t, "genl", "ctrl", "policy", "name", "mptcp_pm")
	var want, got []string
	for _, l := range strings.Split(string(out), "\n") {
		if m := regexp.MustCompile(`op (\d+) policies: (.*)$`).FindStringSubmatch(l); m != nil {
			want = append(want, "op "+m[1]+" "+m[2])
		}
		if m := regexp.MustCompile(`policy\[(\d+)\]:attr\[(\d+)\]: type=(\w+)`).FindStringSubmatch(l); m != nil {
			want = append(want, "policy "+m[1]+" attr "+m[2]+" "+strings.ToLower(m[3]))
		}
	}
	for _, m := range tr.named("CTRL_CMD_GETPOLICY") {
		if m.msg().Header.Flags&unix.NLM_F_REQUEST != 0 {
			continue
		}
		fields := m.tree.MessageFields(m.idx)
		for i, f := range fields {
			name := string(decode.AppendName(nil, &f))
			switch {
			case strings.HasPrefix(name, "OP_ID["):
				var parts []string
				for _, c := range fields[i+1:] {
					if c.Depth <= f.Depth {
						break
					}
					k := strings.ToLower(strings.TrimPrefix(c.Name, "CTRL_ATTR_POLICY_"))
					parts = append(parts, k+"="+string(decode.AppendValue(nil, m.tree, &c)))
				}
				got = append(got, "op "+strings.Trim(name[len("OP_ID"):], "[]")+" "+strings.Join(parts, " "))
			case strings.HasPrefix(name, "ATTR_ID["):
				policy := ""
				for j := i - 1; j >= 0; j-- {
					if p := string(decode.AppendName(nil, &fields[j])); strings.HasPrefix(p, "POLICY_ID[") {
						policy = strings.Trim(p[len("POLICY_ID"):], "[]")
						break
					}
				}
				typ := ""
				for _, c := range fields[i+1:] {
					if c.Depth <= f.Depth {
						break
					}
					if c.Name == "NL_POLICY_TYPE_ATTR_TYPE" {
						typ = strings.ReplaceAll(string(decode.AppendValue(nil, m.tree, &c)), "-", "_")
					}
				}
				got = append(got, "policy "+policy+" attr "+strings.Trim(name[len("ATTR_ID"):], "[]")+" "+typ)
			}
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if len(want) < 10 {
		t.Fatalf("genl printed only %d policy lines:\n%s", len(want), out)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("policies (-genl +decoded):\n%s", diff)
	}
}
