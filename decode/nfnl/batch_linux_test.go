package nfnl_test

import (
	"encoding/binary"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/nfnl"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/internal/testenv"
	"golang.org/x/sys/unix"
)

// The nf_tables messages the batch test sends. This package does not
// decode nf_tables; the test names the two types it uses so that pairing
// can be checked.
const (
	nftNewTable   = 0
	nftDelTable   = 2
	nftaTableName = 1
)

var testNFT = nfnl.Subsystem{ID: nfnl.SubsysNFTables, Name: "nf_tables", Types: []decode.MessageType{
	nftNewTable: {Name: "NFT_MSG_NEWTABLE", Op: decode.OpNew, Header: &nfnl.Header},
	nftDelTable: {Name: "NFT_MSG_DELTABLE", Op: decode.OpDel, Header: &nfnl.Header},
}}

func nfMsg(typ, flags uint16, seq uint32, family uint8, resID uint16, attrs []byte) []byte {
	body := []byte{family, 0, 0, 0}
	binary.BigEndian.PutUint16(body[2:], resID)
	body = append(body, attrs...)
	m := client.Message{Header: client.Header{Type: typ, Flags: flags | client.FlagRequest, Sequence: seq}, Data: body}
	b, _ := m.MarshalBinary()
	return b
}

func tableName(name string) []byte {
	var e client.AttributeEncoder
	e.String(nftaTableName, name)
	b, _ := e.Encode()
	return b
}

// TestBatchKernel sends a real nf_tables batch (a table add that works and
// a delete of a table that does not exist, both asking for ACKs) in a
// throwaway namespace and decodes it with the kernel's replies: the batch
// is numbered, and the error names the failing request and its place.
func TestBatchKernel(t *testing.T) {
	testenv.RequireRoot(t)
	ns, err := client.NewNetNS()
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	var fd int
	if err := ns.Do(func() error {
		var err error
		fd, err = unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_NETFILTER)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		t.Fatal(err)
	}
	nft := uint16(nfnl.SubsysNFTables) << 8
	var batch []byte
	batch = append(batch, nfMsg(nfnl.MsgBatchBegin, 0, 10, unix.AF_UNSPEC, nfnl.SubsysNFTables, nil)...)
	batch = append(batch, nfMsg(nft|nftNewTable, client.FlagAck|client.FlagCreate, 11, unix.NFPROTO_INET, 0, tableName("nltrace"))...)
	batch = append(batch, nfMsg(nft|nftDelTable, client.FlagAck, 12, unix.NFPROTO_INET, 0, tableName("absent"))...)
	batch = append(batch, nfMsg(nfnl.MsgBatchEnd, 0, 13, unix.AF_UNSPEC, nfnl.SubsysNFTables, nil)...)
	if err := unix.Sendto(fd, batch, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		t.Fatalf("send: %v", err)
	}
	recs := []capture.Record{{Direction: capture.ToKernel, Protocol: unix.NETLINK_NETFILTER, Data: batch, OrigLen: len(batch)}}
	// Each message that asked for an ACK is answered, the add too,
	// though the failed delete aborts the batch and rolls it back.
	tv := unix.Timeval{Sec: 2}
	unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
	answered := map[uint32]bool{}
	for !answered[11] || !answered[12] {
		buf := make([]byte, 65536)
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil {
			t.Fatalf("recv (answered %v): %v", answered, err)
		}
		for m, err := range client.Messages(buf[:n]) {
			if err == nil && m.Header.Type == client.TypeError {
				em, _ := client.ParseErrorMessage(m.Header.Flags, m.Data)
				answered[em.Request.Sequence] = true
			}
		}
		recs = append(recs, capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_NETFILTER, Data: buf[:n], OrigLen: n})
	}

	if *record {
		writeRecords(t, filepath.Join("testdata", "batch.pcapng"), recs)
	}
	checkBatch(t, recs)
}

// checkBatch decodes a batch exchange and checks its numbering and the
// pairing of its ACK and error.
func checkBatch(t *testing.T, recs []capture.Record) {
	t.Helper()
	d := decode.NewDecoder(decode.NewRegistry(nfnl.Family(&testNFT)))
	var tr decode.Tree
	d.Decode(&tr, &recs[0])
	var got []string
	for i := range tr.Messages {
		m := &tr.Messages[i]
		got = append(got, m.Name)
		want := []struct{ batch, n int }{{0, 2}, {1, 2}, {2, 2}, {0, 2}}[i]
		if !m.InBatch || m.Batch != want.batch || m.BatchLen != want.n {
			t.Errorf("message %d (%s): in batch %v at %d/%d, want %d/%d", i, m.Name, m.InBatch, m.Batch, m.BatchLen, want.batch, want.n)
		}
	}
	if strings.Join(got, " ") != "NFNL_MSG_BATCH_BEGIN NFT_MSG_NEWTABLE NFT_MSG_DELTABLE NFNL_MSG_BATCH_END" {
		t.Errorf("batch decoded as %v", got)
	}
	text := string(render.Append(nil, &tr, render.Compact))
	for _, want := range []string{"NFNL_MSG_BATCH_BEGIN req seq=10 batch of 2 nfgen_family=unspec version=0 res_id=NFTABLES", "NFT_MSG_DELTABLE req,ack seq=12 batch=2/2"} {
		if !strings.Contains(text, want) {
			t.Errorf("compact output lacks %q:\n%s", want, text)
		}
	}
	var errs, acks []string
	for _, rec := range recs[1:] {
		d.Decode(&tr, &rec)
		for i := range tr.Messages {
			m := &tr.Messages[i]
			if !m.IsAck {
				continue
			}
			if m.Errno == 0 {
				acks = append(acks, string(render.Append(nil, &tr, render.Compact)))
				if m.Request != "NFT_MSG_NEWTABLE" || m.Batch != 1 || m.BatchLen != 2 {
					t.Errorf("ACK pairs with %q at %d/%d, want NFT_MSG_NEWTABLE at 1/2", m.Request, m.Batch, m.BatchLen)
				}
				continue
			}
			errs = append(errs, string(render.Append(nil, &tr, render.Compact)))
			if m.Request != "NFT_MSG_DELTABLE" || m.Batch != 2 || m.BatchLen != 2 || m.Errno != -int32(unix.ENOENT) {
				t.Errorf("error reply pairs with %q at %d/%d errno %d, want NFT_MSG_DELTABLE at 2/2, -ENOENT", m.Request, m.Batch, m.BatchLen, m.Errno)
			}
		}
	}
	if len(errs) != 1 || len(acks) != 1 {
		t.Fatalf("want one ACK and one error, got %q and %q", acks, errs)
	}
	if !strings.Contains(errs[0], "NFT_MSG_DELTABLE (batch 2/2) failed: -ENOENT") {
		t.Errorf("error line: %s", errs[0])
	}
	t.Logf("%s", errs[0])
}
