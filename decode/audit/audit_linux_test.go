package audit_test

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/internal/testenv"
)

// exchange sends one request on a NETLINK_AUDIT socket opened in a
// throwaway namespace and returns it and the kernel's replies, up to the
// ACK or NLMSG_DONE, as records.
func exchange(t *testing.T, ns *client.NetNS, typ, flags uint16, payload []byte) []capture.Record {
	t.Helper()
	var recs []capture.Record
	err := ns.Do(func() error {
		c, err := client.Dial(client.ProtocolAudit, nil)
		if err != nil {
			return err
		}
		defer c.Close()
		m, err := c.Send(client.Message{Header: client.Header{Type: typ, Flags: flags | client.FlagRequest | client.FlagAck}, Data: payload})
		if err != nil {
			return err
		}
		recs = append(recs, capture.Record{Direction: capture.ToKernel, Protocol: unix.NETLINK_AUDIT, Data: m.Append(nil)})
		// The kernel ACKs at once and sends the reply from its audit
		// thread, so the ACK usually comes first: wait for both.
		acked, answered := false, false
		for !acked || !answered {
			msgs, err := c.Receive(context.Background())
			if err != nil {
				return err
			}
			var b []byte
			for _, r := range msgs {
				b = r.Append(b)
				switch {
				case r.Header.Type == client.TypeError:
					acked = true
					if e, _ := client.ParseErrorMessage(r.Header.Flags, r.Data); e.Errno != 0 {
						answered = true
					}
				case flags&client.FlagDump != 0:
					answered = answered || r.Header.Type == client.TypeDone
				default:
					answered = answered || r.Header.Type == typ
				}
			}
			recs = append(recs, capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_AUDIT, Data: b})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		recs[i].OrigLen = len(recs[i].Data)
		recs[i].Method = capture.MethodFile
		recs[i].PortID = 1
	}
	return recs
}

// TestKernelAudit asks the kernel for its audit status, features, TTY
// auditing and rules with raw requests, and checks that every reply is
// named and decodes without problems, and that the decoded audit_status
// equals the struct read field by field from the reply's bytes.
func TestKernelAudit(t *testing.T) {
	testenv.RequireRoot(t)
	b := make([]byte, 4)
	rand.Read(b)
	name := "nltrace-audit-" + hex.EncodeToString(b)
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", name).Run() })
	ns, err := client.OpenNetNS("/run/netns/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	var all []capture.Record
	all = append(all, exchange(t, ns, 1000, 0, nil)...) // AUDIT_GET
	var status []byte
	for _, r := range all[1:] {
		if h, _ := client.ParseHeader(r.Data); h.Type == 1000 {
			status = r.Data
		}
	}
	all = append(all, exchange(t, ns, 1019, 0, nil)...)               // AUDIT_GET_FEATURE
	all = append(all, exchange(t, ns, 1016, 0, nil)...)               // AUDIT_TTY_GET
	all = append(all, exchange(t, ns, 1013, client.FlagDump, nil)...) // AUDIT_LIST_RULES
	d := decode.NewDecoder(families.NewRegistry())
	var got []string
	for i := range all {
		var tree decode.Tree
		d.Decode(&tree, &all[i])
		for j, m := range tree.Messages {
			if m.Name == "" || strings.HasPrefix(m.Name, "NLMSG type") {
				t.Errorf("record %d message %d has no name", i, j)
			}
			if m.Malformed {
				t.Errorf("record %d message %d (%s) is malformed", i, j, m.Name)
			}
			if m.IsAck && m.Errno != 0 {
				t.Errorf("%s failed: %d", m.Request, m.Errno)
			}
			if m.Name == "AUDIT_GET" && all[i].Direction == capture.FromKernel {
				for _, f := range tree.MessageFields(j) {
					if f.Depth == 1 && f.Kind == decode.KindUint {
						got = append(got, f.Name+"="+string(decode.AppendValue(nil, &tree, &f)))
					}
				}
			}
		}
	}
	// The struct read by hand from the reply (past its nlmsghdr).
	p := status[client.HeaderLen:]
	if len(p) < 44 {
		t.Fatalf("audit_status of %d bytes, want 44 on this kernel", len(p))
	}
	u := func(i int) uint32 { return binary.NativeEndian.Uint32(p[4*i:]) }
	on := []string{"off", "on", "locked"}[min(u(1), 2)]
	fail := []string{"silent", "printk", "panic"}[min(u(2), 2)]
	want := []string{"enabled=" + on, "failure=" + fail}
	for i, n := range []string{"pid", "rate_limit", "backlog_limit", "lost", "backlog"} {
		want = append(want, n+"="+itoa(u(3+i)))
	}
	if !strings.Contains(strings.Join(got, " "), strings.Join(want, " ")) {
		t.Errorf("decoded audit_status %v, want it to hold %v", got, want)
	}
	if *record {
		w, err := pcapng.Create(filepath.Join("testdata", "status.pcapng"), nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range all {
			w.Write(&all[i])
		}
		w.Close(capture.Stats{})
	}
}

func itoa(v uint32) string { return strconv.FormatUint(uint64(v), 10) }
