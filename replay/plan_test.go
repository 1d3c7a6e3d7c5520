package replay_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/client/clienttest"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/replay"
)

// records is a capture.Source over a slice.
type records struct{ recs []capture.Record }

func (s *records) ReadInto(ctx context.Context, r *capture.Record) error {
	if len(s.recs) == 0 {
		return io.EOF
	}
	*r = s.recs[0]
	s.recs = s.recs[1:]
	return nil
}
func (s *records) Stats() capture.Stats { return capture.Stats{} }
func (s *records) Close() error         { return nil }

func wire(msgs ...client.Message) []byte {
	var b []byte
	for _, m := range msgs {
		m.Header.Length = 0
		b = m.Append(b)
	}
	return b
}

func send(port uint32, msgs ...client.Message) capture.Record {
	b := wire(msgs...)
	return capture.Record{Direction: capture.ToKernel, Protocol: unix.NETLINK_ROUTE, PID: 7, Comm: "ip", PortID: port, Data: b, OrigLen: len(b)}
}

func recv(port uint32, msgs ...client.Message) capture.Record {
	for i := range msgs {
		if msgs[i].Header.PortID == 0 {
			msgs[i].Header.PortID = port
		}
	}
	b := wire(msgs...)
	return capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_ROUTE, PID: 7, Comm: "ip", PortID: port, Data: b, OrigLen: len(b)}
}

func linkMsg(typ, flags uint16, seq uint32, index int32, name string) client.Message {
	var e client.AttributeEncoder
	if name != "" {
		e.String(unix.IFLA_IFNAME, name)
	}
	attrs, _ := e.Encode()
	return client.Message{Header: client.Header{Type: typ, Flags: flags, Sequence: seq}, Data: append(client.IfInfoMsg{Index: index}.Append(nil), attrs...)}
}

func addrMsg(seq uint32, index uint32, flags uint16) client.Message {
	var e client.AttributeEncoder
	e.Bytes(unix.IFA_LOCAL, []byte{10, 0, 0, 1})
	attrs, _ := e.Encode()
	return client.Message{Header: client.Header{Type: unix.RTM_NEWADDR, Flags: flags, Sequence: seq}, Data: append(client.IfAddrMsg{Family: unix.AF_INET, PrefixLen: 24, Index: index}.Append(nil), attrs...)}
}

const req = client.FlagRequest

// capture1 is ip looking up veth0 (index 7), adding an address to it that
// exists already, and a dump on a second socket.
func capture1() []capture.Record {
	get := linkMsg(unix.RTM_GETLINK, req, 1, 0, "veth0")
	add := addrMsg(2, 7, req|client.FlagAck|client.FlagCreate|client.FlagExcl)
	dump := linkMsg(unix.RTM_GETLINK, req|client.FlagDump, 9, 0, "")
	lo := linkMsg(unix.RTM_NEWLINK, client.FlagMulti, 9, 1, "lo")
	v := linkMsg(unix.RTM_NEWLINK, client.FlagMulti, 9, 7, "veth0")
	done := clienttest.Done(0, nil)
	done.Header.Sequence = 9
	fail := clienttest.Error(add, int(unix.EEXIST), &client.ExtendedAck{Message: "address exists", HasOffset: true, Offset: 24}, false)
	fail.Header.Sequence = 2
	return []capture.Record{
		send(100, get),
		recv(100, linkMsg(unix.RTM_NEWLINK, 0, 1, 7, "veth0")),
		send(100, add),
		recv(100, fail),
		send(200, dump),
		recv(200, lo, v),
		recv(200, done),
	}
}

func load(t *testing.T, recs []capture.Record, sel *replay.Selection) *replay.Plan {
	t.Helper()
	p, err := replay.Load(context.Background(), &records{recs}, families.NewRegistry(), sel)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoad(t *testing.T) {
	p := load(t, capture1(), nil)
	if len(p.Sends) != 3 || len(p.Sockets) != 2 || p.Records != 7 {
		t.Fatalf("plan: %d sends on %d sockets of %d records, want 3 on 2 of 7", len(p.Sends), len(p.Sockets), p.Records)
	}
	if p.Sends[0].Socket != 0 || p.Sends[1].Socket != 0 || p.Sends[2].Socket != 1 {
		t.Errorf("sockets: %d %d %d, want 0 0 1", p.Sends[0].Socket, p.Sends[1].Socket, p.Sends[2].Socket)
	}
	add := p.Sends[1]
	want := []replay.Rewrite{{Kind: replay.RewriteIfindex, Off: client.HeaderLen + 4, Size: 4, Value: 7, Name: "veth0", Field: "RTM_NEWADDR index"}}
	if diff := cmp.Diff(want, add.Rewrites); diff != "" {
		t.Errorf("rewrites (-want +got):\n%s", diff)
	}
	got := add.Requests[0].Recorded
	wantOut := replay.Outcome{Answered: true, Acked: true, Errno: int32(unix.EEXIST), ErrnoText: "-EEXIST (File exists)", ExtAck: true, ExtAckMessage: "address exists", ExtAckAttr: "IFA_LOCAL"}
	if diff := cmp.Diff(wantOut, got); diff != "" {
		t.Errorf("recorded outcome (-want +got):\n%s", diff)
	}
	dump := p.Sends[2].Requests[0]
	if !dump.Dump || dump.Recorded.Replies != 2 || !dump.Recorded.Done {
		t.Errorf("dump: %+v", dump)
	}
	if want := []string{`RTM_NEWLINK index=lo IFLA_IFNAME="lo"`, `RTM_NEWLINK index=veth0 IFLA_IFNAME="veth0"`}; !cmp.Equal(want, dump.Recorded.Keys) {
		t.Errorf("dump keys: %q, want %q", dump.Recorded.Keys, want)
	}
	if got := p.Sends[0].Requests[0].Recorded.String(); got != "1 reply" {
		t.Errorf("get: %q", got)
	}
	if !p.LoKnown || p.LoUp {
		t.Errorf("lo: known %t, up %t; the dump showed it down", p.LoKnown, p.LoUp)
	}
	if got := p.StubLinks(); !cmp.Equal(got, []string{"veth0"}) {
		t.Errorf("StubLinks: %q", got)
	}
}

// A name learned only after the request (the reply to a later lookup)
// still names the index.
func TestLoadLearnsNamesLater(t *testing.T) {
	recs := []capture.Record{
		send(100, addrMsg(2, 5, req|client.FlagAck)),
		send(100, linkMsg(unix.RTM_GETLINK, req, 3, 5, "")),
		recv(100, linkMsg(unix.RTM_NEWLINK, 0, 3, 5, "eth9")),
	}
	p := load(t, recs, nil)
	if rw := p.Sends[0].Rewrites; len(rw) != 1 || rw[0].Name != "eth9" {
		t.Errorf("rewrites: %+v", rw)
	}
}

func TestLoadBatch(t *testing.T) {
	a := linkMsg(unix.RTM_NEWLINK, req|client.FlagAck|client.FlagCreate, 4, 0, "d0")
	b := linkMsg(unix.RTM_NEWLINK, req|client.FlagAck|client.FlagCreate, 5, 0, "d1")
	p := load(t, []capture.Record{send(100, a, b)}, nil)
	if len(p.Sends) != 1 || len(p.Sends[0].Requests) != 2 {
		t.Fatalf("want one send of two requests, got %+v", p.Sends)
	}
	if r := p.Sends[0].Requests[1]; r.Off != int(client.Align(int(p.Sends[0].Requests[0].Len))) || r.Header.Sequence != 5 {
		t.Errorf("second request: %+v", r)
	}
	if got := p.StubLinks(); len(got) != 0 {
		t.Errorf("StubLinks of links the capture creates: %q", got)
	}
}

func TestSelection(t *testing.T) {
	for _, tc := range []struct {
		name string
		sel  replay.Selection
		want []int // record numbers
	}{
		{"all", replay.Selection{}, []int{1, 3, 5}},
		{"range", replay.Selection{First: 2, Last: 4}, []int{3}},
		{"open end", replay.Selection{First: 4}, []int{5}},
		{"failed", replay.Selection{Failed: true}, []int{3}},
		{"keep", replay.Selection{Keep: func(r *capture.Record, t *decode.Tree, i int) bool {
			return t.Messages[i].Name == "RTM_GETLINK"
		}}, []int{1, 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := load(t, capture1(), &tc.sel)
			var got []int
			for _, s := range p.Sends {
				got = append(got, s.Record)
			}
			if !cmp.Equal(tc.want, got) {
				t.Errorf("records %v, want %v", got, tc.want)
			}
			for _, s := range p.Sends {
				if s.Socket >= len(p.Sockets) {
					t.Errorf("send of record %d on socket %d of %d", s.Record, s.Socket, len(p.Sockets))
				}
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	_, err := replay.Load(context.Background(), &records{[]capture.Record{recv(1, clienttest.Done(0, nil))}}, families.NewRegistry(), nil)
	if !errors.Is(err, replay.ErrNoRequests) {
		t.Errorf("capture of replies only: %v", err)
	}
	cut := send(100, addrMsg(2, 5, req|client.FlagAck))
	cut.OrigLen += 40
	_, err = replay.Load(context.Background(), &records{[]capture.Record{cut}}, families.NewRegistry(), nil)
	if err == nil || !strings.Contains(err.Error(), "record 1: the request was cut") {
		t.Errorf("cut request: %v", err)
	}
}

func TestDiff(t *testing.T) {
	ack := replay.Outcome{Answered: true, Acked: true}
	enodev := replay.Outcome{Answered: true, Acked: true, Errno: int32(unix.ENODEV), ExtAck: true, ExtAckMessage: "no such device"}
	for _, tc := range []struct {
		name          string
		recorded, got replay.Outcome
		want          []string
	}{
		{"same", ack, ack, nil},
		{"errno", ack, enodev, []string{"errno: recorded 0, replayed -ENODEV (No such device)"}},
		{"extack ignored when not recorded", replay.Outcome{Answered: true, Acked: true, Errno: int32(unix.ENODEV)}, enodev, nil},
		{"extack message", enodev, replay.Outcome{Answered: true, Acked: true, Errno: int32(unix.ENODEV), ExtAck: true}, []string{`extack message: recorded "no such device", replayed ""`}},
		{"dump", replay.Outcome{Answered: true, Done: true, Replies: 2, Keys: []string{"a", "b"}}, replay.Outcome{Answered: true, Done: true, Replies: 1, Keys: []string{"a"}}, []string{"replies: recorded 2, replayed 1"}},
		{"keys", replay.Outcome{Replies: 1, Keys: []string{"a"}}, replay.Outcome{Replies: 1, Keys: []string{"b"}}, []string{"reply 1: recorded a, replayed b"}},
		{"timeout", ack, replay.Outcome{TimedOut: true}, []string{"ack: recorded yes, replayed no", "replay timed out waiting for the answer"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, replay.Diff(tc.recorded, tc.got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
