package uevent_test

import (
	"context"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/internal/golden"
)

func recorded(t testing.TB) []capture.Record {
	t.Helper()
	rd, err := pcapng.Open("testdata/veth.pcapng")
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

// TestGolden decodes the uevents a veth pair's creation and deletion
// produced (recorded by TestTraceUevents -record).
func TestGolden(t *testing.T) {
	d := decode.NewDecoder(families.NewRegistry())
	var text, jsonl []byte
	for _, r := range recorded(t) {
		var tree decode.Tree
		d.Decode(&tree, &r)
		text = render.Append(text, &tree, render.Tree)
		jsonl = render.Append(jsonl, &tree, render.JSON)
	}
	golden.Check(t, *update, "veth", text)
	golden.Check(t, *update, "veth.json", jsonl)
}

// libudevRecord builds what udevd broadcasts (libudev's
// device_monitor_send): the header, then the properties.
func libudevRecord(props string) []byte {
	b := []byte("libudev\x00")
	b = binary.BigEndian.AppendUint32(b, 0xfeedcafe)
	b = binary.NativeEndian.AppendUint32(b, 40)
	b = binary.NativeEndian.AppendUint32(b, 40)
	b = binary.NativeEndian.AppendUint32(b, uint32(len(props)))
	b = binary.BigEndian.AppendUint32(b, 0x1234abcd)
	b = binary.BigEndian.AppendUint32(b, 0)
	b = binary.BigEndian.AppendUint32(b, 0x10)
	b = binary.BigEndian.AppendUint32(b, 0x20)
	return append(b, props...)
}

func TestLibudev(t *testing.T) {
	rec := libudevRecord("ACTION=add\x00DEVPATH=/devices/virtual/net/x\x00SUBSYSTEM=net\x00ID_NET_NAME=x\x00")
	var tree decode.Tree
	decode.NewDecoder(families.NewRegistry()).DecodeBytes(&tree, unix.NETLINK_KOBJECT_UEVENT, rec)
	if got := tree.Messages[0].Name; got != "libudev add" {
		t.Errorf("name %q, want libudev add", got)
	}
	var got []string
	for _, f := range tree.MessageFields(0) {
		if f.Kind != decode.KindNone {
			got = append(got, f.Name+"="+string(decode.AppendValue(nil, &tree, &f)))
		}
	}
	want := []string{`prefix="libudev"`, "magic=0xfeedcafe", "header_size=40", "properties_off=40", "properties_len=70",
		"filter_subsystem_hash=0x1234abcd", "filter_devtype_hash=0x0", "filter_tag_bloom_hi=0x10", "filter_tag_bloom_lo=0x20",
		`ACTION="add"`, `DEVPATH="/devices/virtual/net/x"`, `SUBSYSTEM="net"`, `ID_NET_NAME="x"`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	bad := libudevRecord("ACTION=add\x00")
	binary.NativeEndian.PutUint32(bad[20:], 999)
	decode.NewDecoder(families.NewRegistry()).DecodeBytes(&tree, unix.NETLINK_KOBJECT_UEVENT, bad)
	if !tree.Messages[0].Malformed {
		t.Errorf("properties_len beyond the record is not marked malformed")
	}
	decode.NewDecoder(families.NewRegistry()).DecodeBytes(&tree, unix.NETLINK_KOBJECT_UEVENT, []byte("no action line\x00A=b\x00"))
	if !tree.Messages[0].Malformed || !strings.Contains(string(render.Append(nil, &tree, render.Compact)), "no ACTION@DEVPATH") {
		t.Errorf("a record without ACTION@DEVPATH is not marked: %s", render.Append(nil, &tree, render.Compact))
	}
}

// FuzzUevent checks that any record decodes without panicking and with
// every field inside it.
func FuzzUevent(f *testing.F) {
	for _, r := range recorded(f) {
		f.Add(r.Data)
	}
	f.Add(libudevRecord("ACTION=remove\x00SEQNUM=1\x00"))
	reg := families.NewRegistry()
	f.Fuzz(func(t *testing.T, data []byte) {
		var tree decode.Tree
		decode.NewDecoder(reg).DecodeBytes(&tree, unix.NETLINK_KOBJECT_UEVENT, data)
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
