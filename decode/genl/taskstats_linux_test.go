//go:build linux && (386 || amd64)

package genl_test

import (
	"context"
	"encoding/binary"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/internal/testenv"
)

// TestTaskstats asks the kernel for this process's taskstats and decodes
// the request and the reply as a trace would: the struct taskstats laid
// out from linux/taskstats.h must put this process's pid, parent, uid and
// command where the kernel put them.
func TestTaskstats(t *testing.T) {
	testenv.RequireRoot(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := client.Dial(client.ProtocolGeneric, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fam, err := client.GetFamily(ctx, c, "TASKSTATS")
	if err != nil {
		testenv.Skip(t, testenv.Host, "no TASKSTATS family: "+err.Error())
	}
	var e client.AttributeEncoder
	e.Uint32(1, uint32(os.Getpid())) // TASKSTATS_CMD_ATTR_PID
	attrs, err := e.Encode()
	if err != nil {
		t.Fatal(err)
	}
	req := client.Message{Header: client.Header{Type: fam.ID}, Data: append([]byte{1, 1, 0, 0}, attrs...)}
	replies, err := c.Execute(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	d := decode.NewDecoder(registry())
	// The stream names the family as a trace would learn it.
	d.State().LearnGenlFamily(fam.ID, "TASKSTATS")
	req.Header.Flags |= client.FlagRequest | client.FlagAck
	rec := func(dir capture.Direction, m client.Message) *decode.Tree {
		b := m.Append(nil)
		binary.NativeEndian.PutUint32(b, uint32(len(b)))
		tree := &decode.Tree{}
		d.Decode(tree, &capture.Record{Direction: dir, Protocol: client.ProtocolGeneric, Data: b, OrigLen: len(b)})
		for _, p := range problems(tree) {
			t.Error(p)
		}
		return tree
	}
	if tr := rec(capture.ToKernel, req); tr.Messages[0].Name != "TASKSTATS_CMD_GET" {
		t.Errorf("request decoded as %q", tr.Messages[0].Name)
	}
	var got *decodedMsg
	for _, r := range replies {
		tree := rec(capture.FromKernel, r)
		if tree.Messages[0].Name == "TASKSTATS_CMD_NEW" {
			got = &decodedMsg{tree, 0}
		}
	}
	if got == nil {
		t.Fatalf("no TASKSTATS_CMD_NEW among %d replies", len(replies))
	}
	stats := "TASKSTATS_TYPE_AGGR_PID/TASKSTATS_TYPE_STATS/"
	comm, _ := os.ReadFile("/proc/self/comm")
	want := map[string]string{
		"TASKSTATS_TYPE_AGGR_PID/TASKSTATS_TYPE_PID": strconv.Itoa(os.Getpid()),
		stats + "ac_pid":  strconv.Itoa(os.Getpid()),
		stats + "ac_ppid": strconv.Itoa(os.Getppid()),
		stats + "ac_uid":  strconv.Itoa(os.Getuid()),
		stats + "ac_gid":  strconv.Itoa(os.Getgid()),
		stats + "ac_tgid": strconv.Itoa(os.Getpid()),
		stats + "ac_comm": strconv.Quote(string(comm[:len(comm)-1])),
	}
	for path, v := range want {
		if g := got.text(path); g != v {
			t.Errorf("%s = %s, want %s", path, g, v)
		}
	}
	if v, _ := strconv.Atoi(got.text(stats + "version")); v < 13 {
		t.Errorf("taskstats version %d, want 13 or later", v)
	}
}
