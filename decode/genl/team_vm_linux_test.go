//go:build linux && (386 || amd64)

package genl_test

import (
	"context"
	"encoding/binary"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/internal/testenv"
)

// TestVMTeam asks the team driver (stock kernel in the VM) for a team
// device's options and ports and decodes the kernel's replies: every
// attribute is named, the options the driver always has are listed, and
// the port is the veth that was enslaved.
func TestVMTeam(t *testing.T) {
	testenv.RequireVM(t)
	n := newNetNS(t)
	n.run(t, "ip", "link", "add", "team0", "type", "team")
	n.run(t, "ip", "link", "set", "v0", "down")
	n.run(t, "ip", "link", "set", "v0", "master", "team0")
	ns, err := client.OpenNetNS("/run/netns/" + n.name)
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := client.Dial(client.ProtocolGeneric, &client.Config{NetNS: ns})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fam, err := client.GetFamily(ctx, c, "team")
	if err != nil {
		t.Fatal(err)
	}
	ifindex := func(name string) int {
		s := strings.TrimSpace(string(n.run(t, "cat", "/sys/class/net/"+name+"/ifindex")))
		i, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	team, port := ifindex("team0"), ifindex("v0")
	d := decode.NewDecoder(registry())
	d.State().LearnGenlFamily(fam.ID, "team")
	ask := func(cmd byte) []decodedMsg {
		var e client.AttributeEncoder
		e.Uint32(1, uint32(team)) // TEAM_ATTR_TEAM_IFINDEX
		attrs, _ := e.Encode()
		// A socket per question: the team driver acks a dump after its
		// NLMSG_DONE, which would otherwise answer the next question.
		c, err := client.Dial(client.ProtocolGeneric, &client.Config{NetNS: ns})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		replies, err := c.Execute(ctx, client.Message{Header: client.Header{Type: fam.ID}, Data: append([]byte{cmd, 1, 0, 0}, attrs...)})
		if err != nil {
			t.Fatalf("team command %d: %v", cmd, err)
		}
		var out []decodedMsg
		for _, r := range replies {
			b := r.Append(nil)
			binary.NativeEndian.PutUint32(b, uint32(len(b)))
			tree := &decode.Tree{}
			d.Decode(tree, &capture.Record{Direction: capture.FromKernel, Protocol: client.ProtocolGeneric, Data: b, OrigLen: len(b)})
			for _, p := range problems(tree) {
				t.Error(p)
			}
			for i := range tree.Messages {
				out = append(out, decodedMsg{tree, i})
			}
		}
		return out
	}
	var options []string
	for _, m := range ask(2) { // TEAM_CMD_OPTIONS_GET
		if m.msg().Name != "TEAM_CMD_OPTIONS_GET" {
			continue
		}
		if got := m.text("TEAM_ATTR_TEAM_IFINDEX"); got != strconv.Itoa(team) {
			t.Errorf("TEAM_ATTR_TEAM_IFINDEX = %s, want %d", got, team)
		}
		for _, f := range m.find("TEAM_ATTR_LIST_OPTION/TEAM_ATTR_ITEM_OPTION/TEAM_ATTR_OPTION_NAME") {
			options = append(options, string(m.tree.Value(f)))
		}
	}
	for _, want := range []string{"mode", "mcast_rejoin_count", "notify_peers_count", "enabled", "user_linkup"} {
		if !slices.Contains(options, want) {
			t.Errorf("option %q not decoded; got %v", want, options)
		}
	}
	var ports []string
	for _, m := range ask(3) { // TEAM_CMD_PORT_LIST_GET
		if m.msg().Name == "TEAM_CMD_PORT_LIST_GET" {
			ports = append(ports, m.text("TEAM_ATTR_LIST_PORT/TEAM_ATTR_ITEM_PORT/TEAM_ATTR_PORT_IFINDEX"))
		}
	}
	if !slices.Contains(ports, strconv.Itoa(port)) {
		t.Errorf("ports %v, want v0's index %d", ports, port)
	}
}
