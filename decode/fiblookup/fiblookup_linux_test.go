package fiblookup_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/internal/testenv"
)

// TestLookupAgreesWithIproute asks NETLINK_FIB_LOOKUP, in a throwaway
// namespace with 10.7.0.1/24 on a veth, for 10.7.0.9 in the main table and
// 10.7.0.1 in the local table, and compares the decoded results (table,
// prefix length, type, scope) with the routes ip lists.
func TestLookupAgreesWithIproute(t *testing.T) {
	testenv.RequireRoot(t)
	b := make([]byte, 4)
	rand.Read(b)
	name := "nltrace-fib-" + hex.EncodeToString(b)
	run := func(args ...string) []byte {
		t.Helper()
		out, err := exec.Command("ip", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
		return out
	}
	run("netns", "add", name)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", name).Run() })
	run("-n", name, "link", "set", "lo", "up")
	run("-n", name, "link", "add", "fl0", "type", "veth", "peer", "name", "fl1")
	run("-n", name, "addr", "add", "10.7.0.1/24", "dev", "fl0")
	run("-n", name, "link", "set", "fl0", "up")
	run("-n", name, "link", "set", "fl1", "up")
	ns, err := client.OpenNetNS("/run/netns/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	type route struct{ Table, Dst, Type, Scope string }
	var want, got []route
	for _, q := range []struct {
		addr  [4]byte
		table uint8
		name  string
	}{{[4]byte{10, 7, 0, 9}, 254, "main"}, {[4]byte{10, 7, 0, 1}, 255, "local"}} {
		var routes []map[string]any
		if err := json.Unmarshal(run("-j", "-n", name, "route", "show", "table", q.name, "match", "10.7.0."+strconv.Itoa(int(q.addr[3]))), &routes); err != nil {
			t.Fatal(err)
		}
		if len(routes) == 0 {
			t.Fatalf("ip lists no %s route for 10.7.0.%d", q.name, q.addr[3])
		}
		// The most specific route is the one the lookup finds.
		r, best := routes[0], -1
		for _, c := range routes {
			d, _ := c["dst"].(string)
			l := 32
			if _, p, ok := strings.Cut(d, "/"); ok {
				l, _ = strconv.Atoi(p)
			}
			if l > best {
				r, best = c, l
			}
		}
		typ, _ := r["type"].(string)
		if typ == "" {
			typ = "unicast"
		}
		dst, _ := r["dst"].(string)
		if !strings.Contains(dst, "/") {
			dst += "/32"
		}
		want = append(want, route{q.name, dst, typ, r["scope"].(string)})

		req := make([]byte, 20)
		copy(req, q.addr[:])
		req[10] = q.table
		var recs []capture.Record
		err := ns.Do(func() error {
			c, err := client.Dial(client.ProtocolFibLookup, nil)
			if err != nil {
				return err
			}
			defer c.Close()
			m, err := c.Send(client.Message{Header: client.Header{Type: 0x10, Flags: client.FlagRequest}, Data: req})
			if err != nil {
				return err
			}
			recs = append(recs, capture.Record{Direction: capture.ToKernel, Data: m.Append(nil)})
			msgs, err := c.Receive(context.Background())
			if err != nil {
				return err
			}
			var b []byte
			for _, r := range msgs {
				b = r.Append(b)
			}
			recs = append(recs, capture.Record{Direction: capture.FromKernel, Data: b})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		d := decode.NewDecoder(families.NewRegistry())
		for i := range recs {
			recs[i].Protocol = unix.NETLINK_FIB_LOOKUP
			recs[i].OrigLen = len(recs[i].Data)
			var tree decode.Tree
			d.Decode(&tree, &recs[i])
			if m := tree.Messages[0]; m.Name != "FIB_LOOKUP" || m.Malformed {
				t.Fatalf("record %d: %q malformed=%v", i, m.Name, m.Malformed)
			}
			if i == 0 {
				continue
			}
			f := map[string]string{}
			for _, fl := range tree.MessageFields(0) {
				f[fl.Name] = string(decode.AppendValue(nil, &tree, &fl))
			}
			if f["err"] != "0" {
				t.Errorf("lookup of %s failed: %s", f["fl_addr"], f["err"])
			}
			pfx, _ := strconv.Atoi(f["prefixlen"])
			a := q.addr
			mask := uint32(0xffffffff) << (32 - pfx)
			v := (uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])) & mask
			dst := strconv.Itoa(int(v>>24)) + "." + strconv.Itoa(int(v>>16&255)) + "." + strconv.Itoa(int(v>>8&255)) + "." + strconv.Itoa(int(v&255)) + "/" + f["prefixlen"]
			got = append(got, route{f["tb_id"], dst, f["type"], f["scope"]})
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-ip +decoded):\n%s", diff)
	}
}
