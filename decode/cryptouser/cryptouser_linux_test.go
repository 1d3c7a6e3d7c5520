package cryptouser_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/internal/golden"
	"github.com/nltrace/nltrace/internal/testenv"
)

var (
	update = flag.Bool("update", false, "rewrite golden files")
	record = flag.Bool("record", false, "write the dump to testdata/getalg.pcapng")
)

// TestVMAgreesWithProcCrypto dumps the kernel's algorithms with
// CRYPTO_MSG_GETALG from a throwaway namespace and compares, algorithm by
// driver name, what we decode with /proc/crypto: name, module, priority,
// type and the type's report (block, digest, key, IV and seed sizes,
// geniv). It runs in the VM, whose kernel has crypto_user; this host's
// has not (CONFIG_CRYPTO_USER), so a host variant could only skip.
func TestVMAgreesWithProcCrypto(t *testing.T) {
	testenv.RequireVM(t)
	testProcCrypto(t)
}

func testProcCrypto(t *testing.T) {
	b := make([]byte, 4)
	rand.Read(b)
	name := "nltrace-crypto-" + hex.EncodeToString(b)
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", name).Run() })
	ns, err := client.OpenNetNS("/run/netns/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	var recs []capture.Record
	err = ns.Do(func() error {
		c, err := client.Dial(client.ProtocolCrypto, nil)
		if err != nil {
			return err
		}
		defer c.Close()
		m, err := c.Send(client.Message{Header: client.Header{Type: 0x13, Flags: client.FlagRequest | client.FlagDump}, Data: make([]byte, 208)})
		if err != nil {
			return err
		}
		recs = append(recs, capture.Record{Direction: capture.ToKernel, Data: m.Append(nil)})
		for {
			msgs, err := c.Receive(context.Background())
			if err != nil {
				return err
			}
			var b []byte
			done := false
			for _, r := range msgs {
				b = r.Append(b)
				done = done || r.Header.Type == client.TypeDone || r.Header.Type == client.TypeError
			}
			recs = append(recs, capture.Record{Direction: capture.FromKernel, Data: b})
			if done {
				return nil
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		recs[i].Protocol = unix.NETLINK_CRYPTO
		recs[i].OrigLen = len(recs[i].Data)
		recs[i].Method = capture.MethodFile
		recs[i].PortID = 1
	}
	proc, err := os.ReadFile("/proc/crypto")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{}
	for _, block := range strings.Split(string(proc), "\n\n") {
		e := map[string]string{}
		for _, line := range strings.Split(block, "\n") {
			k, v, ok := strings.Cut(line, ":")
			if ok {
				e[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
		if e["driver"] == "" {
			continue
		}
		delete(e, "refcnt")   // moves while the test runs
		delete(e, "selftest") // not in the netlink report
		delete(e, "internal")
		delete(e, "async")
		delete(e, "chunksize")
		delete(e, "walksize")
		delete(e, "statesize")
		delete(e, "digestsize") // compared below only where the report has it
		want[e["driver"]] = e
	}
	got := map[string]map[string]string{}
	d := decode.NewDecoder(families.NewRegistry())
	for i := range recs {
		var tree decode.Tree
		d.Decode(&tree, &recs[i])
		for j, m := range tree.Messages {
			if m.Malformed {
				t.Errorf("record %d message %d malformed", i, j)
			}
			if m.Name != "CRYPTO_MSG_GETALG" || recs[i].Direction == capture.ToKernel {
				continue
			}
			e := map[string]string{}
			for _, f := range tree.MessageFields(j) {
				if f.Kind == decode.KindNone || f.Has(decode.FieldUnknown) {
					if f.Has(decode.FieldUnknown) {
						t.Errorf("unnamed attribute %s type %d", f.Name, f.Type)
					}
					continue
				}
				v := string(decode.AppendValue(nil, &tree, &f))
				if f.Kind == decode.KindString {
					v = strings.Trim(v, `"`)
				}
				switch f.Name {
				case "cru_name":
					e["name"] = v
				case "cru_driver_name":
					e["driver"] = v
				case "cru_module_name":
					e["module"] = v
				case "CRYPTOCFGA_PRIORITY_VAL":
					e["priority"] = v
				case "type", "blocksize", "geniv", "ivsize", "maxauthsize", "seedsize":
					e[f.Name] = v
				case "min_keysize", "max_keysize":
					e[strings.ReplaceAll(f.Name, "_", " ")] = v
				}
			}
			got[e["driver"]] = e
		}
	}
	if len(got) < 10 {
		t.Fatalf("decoded %d algorithms, want the kernel's (at least 10)", len(got))
	}
	// /proc/crypto names some report fields differently or omits them.
	for drv, g := range got {
		w := want[drv]
		if w == nil {
			t.Errorf("%s: not in /proc/crypto", drv)
			continue
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				delete(g, k) // /proc shows no such line for this type
			}
		}
		for k := range w {
			if _, ok := g[k]; !ok {
				delete(w, k)
			}
		}
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("%s (-/proc/crypto +decoded):\n%s", drv, diff)
		}
	}
	if *record {
		w, err := pcapng.Create(filepath.Join("testdata", "getalg.pcapng"), nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range recs {
			w.Write(&recs[i])
		}
		w.Close(capture.Stats{})
	}
	if *update || *record {
		var text []byte
		d := decode.NewDecoder(families.NewRegistry())
		for i := range recs {
			var tree decode.Tree
			d.Decode(&tree, &recs[i])
			text = render.Append(text, &tree, render.Tree)
		}
		golden.Check(t, true, "getalg", text)
	}
}
