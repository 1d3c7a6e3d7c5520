package audit_test

import (
	"context"
	"encoding/binary"
	"flag"
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
)

var (
	update = flag.Bool("update", false, "rewrite golden files")
	record = flag.Bool("record", false, "write the kernel exchange to testdata/status.pcapng")
)

func recorded(t testing.TB) []capture.Record {
	t.Helper()
	rd, err := pcapng.Open("testdata/status.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var recs []capture.Record
	for r, err := range capture.Records(context.Background(), rd) {
		if err != nil {
			t.Fatal(err)
		}
		r.Data = append([]byte(nil), r.Data...)
		recs = append(recs, r)
	}
	return recs
}

// TestGolden decodes the kernel's replies to AUDIT_GET, AUDIT_GET_FEATURE,
// AUDIT_TTY_GET and AUDIT_LIST_RULES (recorded by TestKernelAudit).
func TestGolden(t *testing.T) {
	d := decode.NewDecoder(families.NewRegistry())
	var text []byte
	for _, r := range recorded(t) {
		var tree decode.Tree
		d.Decode(&tree, &r)
		text = render.Append(text, &tree, render.Tree)
	}
	golden.Check(t, *update, "status", text)
}

// ruleMessage builds the AUDIT_ADD_RULE that auditctl sends for
// "-a always,exit -F arch=b64 -S openat -F key=nltrace" (the kernel's
// struct audit_rule_data; this host's audit rules are global, so the
// test does not add one).
func ruleMessage() []byte {
	p := make([]byte, 12+256+3*256+4)
	put := func(at int, v uint32) { binary.NativeEndian.PutUint32(p[at:], v) }
	put(0, 4)                       // AUDIT_FILTER_EXIT
	put(4, 2)                       // AUDIT_ALWAYS
	put(8, 2)                       // two fields
	put(12+(257/32)*4, 1<<(257%32)) // openat is 257 on x86-64
	fields, values, flags := 12+256, 12+512, 12+768
	put(fields, 11)          // AUDIT_ARCH
	put(values, 0xc000003e)  // AUDIT_ARCH_X86_64
	put(flags, 0x40000000)   // =
	put(fields+4, 210)       // AUDIT_FILTERKEY
	put(values+4, 7)         // len("nltrace")
	put(flags+4, 0x40000000) // =
	put(12+1024, 7)
	p = append(p, "nltrace"...)
	return client.Message{Header: client.Header{Type: 1011, Flags: client.FlagRequest | client.FlagAck, Sequence: 5}, Data: p}.Append(nil)
}

func TestRuleData(t *testing.T) {
	var tree decode.Tree
	decode.NewDecoder(families.NewRegistry()).DecodeBytes(&tree, unix.NETLINK_AUDIT, ruleMessage())
	var got []string
	for _, f := range tree.MessageFields(0) {
		if f.Off >= client.HeaderLen && f.Kind != decode.KindNone && f.Name != "mask" {
			got = append(got, f.Name+"="+string(decode.AppendValue(nil, &tree, &f)))
		}
	}
	want := []string{"list=exit", "prepend=off", "action=always", "field_count=2", "syscalls=257", "buflen=7",
		"field=arch", "op==", "value=3221225534", "field=key", "op==", "value=7", `string="nltrace"`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if m := tree.Messages[0]; m.Name != "AUDIT_ADD_RULE" || m.Malformed {
		t.Errorf("message %q malformed=%v", m.Name, m.Malformed)
	}
}

// An event's payload is text.
func TestEventText(t *testing.T) {
	msg := client.Message{Header: client.Header{Type: 1300}, Data: []byte("audit(1.2:3): arch=c000003e syscall=59")}.Append(nil)
	var tree decode.Tree
	decode.NewDecoder(families.NewRegistry()).DecodeBytes(&tree, unix.NETLINK_AUDIT, msg)
	got := string(render.Append(nil, &tree, render.Compact))
	want := `audit AUDIT_SYSCALL seq=0 text="audit(1.2:3): arch=c000003e syscall=59"` + "\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func FuzzAudit(f *testing.F) {
	for _, r := range recorded(f) {
		f.Add(r.Data)
	}
	f.Add(ruleMessage())
	reg := families.NewRegistry()
	f.Fuzz(func(t *testing.T, data []byte) {
		var tree decode.Tree
		decode.NewDecoder(reg).DecodeBytes(&tree, unix.NETLINK_AUDIT, data)
		n := int32(len(data))
		for _, fl := range tree.Fields {
			if fl.Off < 0 || fl.Len < 0 || fl.Off+fl.Len > n || fl.ValOff < 0 || fl.ValLen < 0 || fl.ValOff+fl.ValLen > n {
				t.Fatalf("field %q outside %d bytes", fl.Name, n)
			}
		}
		for _, form := range []render.Format{render.Compact, render.Tree, render.Hex, render.JSON} {
			render.Append(nil, &tree, form)
		}
	})
}
