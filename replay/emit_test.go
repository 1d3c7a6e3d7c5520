package replay_test

import (
	"bytes"
	"context"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/replay"
)

func TestEmitGo(t *testing.T) {
	p := load(t, capture1(), nil)
	var b bytes.Buffer
	if err := p.EmitGo(&b, replay.EmitOptions{Package: "mypkg", Source: "cap.pcapng"}); err != nil {
		t.Fatal(err)
	}
	src := b.String()
	f, err := parser.ParseFile(token.NewFileSet(), "replay_test.go", src, 0)
	if err != nil {
		t.Fatalf("emitted Go does not parse: %v\n%s", err, src)
	}
	if f.Name.Name != "mypkg" {
		t.Errorf("package %s", f.Name.Name)
	}
	for _, want := range []string{
		"func TestReplay(t *testing.T) {",
		"// record 3: RTM_NEWADDR",
		`{off: 20, size: 4, bigEndian: false, ifname: "veth0"}, // RTM_NEWADDR index, recorded 7`,
		`want: outcome{answered: true, acked: true, errno: 17, extAck: "address exists", checkExtAck: true`,
		`{name: "RTM_GETLINK", off: 0, setPort: false, dump: true, want: outcome{answered: true, acked: false, errno: 0, extAck: "", checkExtAck: false, done: true, replies: 2}}`,
		"r := newReplayer(t, []int{0 /* route */, 0 /* route */}, []int32{}, false)",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("emitted test lacks %q", want)
		}
	}
}

// A plan whose requests act beyond a namespace is refused, by Check and so
// by Run and EmitGo.
func TestCheck(t *testing.T) {
	b := wire(client.Message{Header: client.Header{Type: 1000, Flags: req | client.FlagAck, Sequence: 1}})
	audit := capture.Record{Direction: capture.ToKernel, Protocol: unix.NETLINK_AUDIT, Data: b, OrigLen: len(b)}
	p, err := replay.Load(context.Background(), &records{[]capture.Record{audit}}, families.NewRegistry(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Check(); err == nil || !strings.Contains(err.Error(), "audit requests act on the whole host") {
		t.Errorf("Check: %v", err)
	}
	if err := p.EmitGo(&bytes.Buffer{}, replay.EmitOptions{}); err == nil {
		t.Error("EmitGo of an audit plan succeeded")
	}
	if err := load(t, capture1(), nil).Check(); err != nil {
		t.Errorf("Check of a route plan: %v", err)
	}
}

func TestStandInNetnsIDs(t *testing.T) {
	// A link with a peer in netns id 5, and a netns id 6 that the
	// capture assigns itself.
	var e client.AttributeEncoder
	e.String(unix.IFLA_IFNAME, "v0")
	e.Int32(unix.IFLA_LINK_NETNSID, 5)
	attrs, _ := e.Encode()
	link := client.Message{Header: client.Header{Type: unix.RTM_NEWLINK, Flags: req | client.FlagAck | client.FlagCreate, Sequence: 1}, Data: append(client.IfInfoMsg{}.Append(nil), attrs...)}
	var n client.AttributeEncoder
	n.Int32(1, 6) // NETNSA_NSID
	n.Uint32(3, 9)
	nattrs, _ := n.Encode()
	nsid := client.Message{Header: client.Header{Type: unix.RTM_NEWNSID, Flags: req | client.FlagAck, Sequence: 2}, Data: append([]byte{0, 0, 0, 0}, nattrs...)}
	var u client.AttributeEncoder
	u.Int32(unix.IFLA_LINK_NETNSID, 6)
	uattrs, _ := u.Encode()
	use6 := client.Message{Header: client.Header{Type: unix.RTM_NEWLINK, Flags: req | client.FlagAck, Sequence: 3}, Data: append(client.IfInfoMsg{}.Append(nil), uattrs...)}
	p := load(t, []capture.Record{send(1, link), send(1, nsid), send(1, use6)}, nil)
	if got := p.StandInNetnsIDs(); len(got) != 1 || got[0] != 5 {
		t.Errorf("StandInNetnsIDs: %v, want [5]", got)
	}
	var refs []string
	for _, s := range p.Sends {
		for _, rw := range s.Rewrites {
			if rw.Kind == replay.RewriteNetnsRef {
				refs = append(refs, rw.Field)
			}
		}
	}
	if len(refs) != 1 || refs[0] != "RTM_NEWNSID NETNSA_FD" {
		t.Errorf("namespace references: %v", refs)
	}
}
