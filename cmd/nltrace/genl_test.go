package main

import (
	"bytes"
	"errors"
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/pipeline"
)

// TestKernelGenlFamiliesLookup checks the cache of the kernel's family
// list: hits need no listing, a miss lists again at most once per
// genlRefreshInterval, and a failed listing is a miss, not an error.
func TestKernelGenlFamiliesLookup(t *testing.T) {
	clock := time.Unix(1000, 0)
	lists := 0
	kernel := map[uint16]string{16: "nlctrl", 28: "ethtool"}
	var listErr error
	k := &kernelGenlFamilies{
		now: func() time.Time { return clock },
		list: func() (map[uint16]string, error) {
			lists++
			if listErr != nil {
				return nil, listErr
			}
			return maps.Clone(kernel), nil
		},
	}
	type step struct {
		id      uint16
		advance time.Duration
		want    string
		lists   int
	}
	steps := []step{
		{id: 28, want: "ethtool", lists: 1},                           // first use lists
		{id: 16, want: "nlctrl", lists: 1},                            // a hit
		{id: 40, want: "", lists: 1},                                  // unknown, but listed just now
		{id: 40, advance: 2 * time.Second, want: "", lists: 2},        // listed again: still none
		{id: 40, advance: 100 * time.Millisecond, want: "", lists: 2}, // within the interval
	}
	for i, s := range steps {
		clock = clock.Add(s.advance)
		got, _ := k.lookup(s.id)
		if got != s.want || lists != s.lists {
			t.Errorf("step %d: lookup(%d) = %q after %d listings, want %q after %d", i, s.id, got, lists, s.want, s.lists)
		}
	}
	// A family that registers later (a module loads) is found on a miss.
	kernel[40] = "wireguard"
	clock = clock.Add(2 * time.Second)
	if got, _ := k.lookup(40); got != "wireguard" {
		t.Errorf("after the family registered: lookup(40) = %q, want wireguard", got)
	}
	// The kernel cannot be asked: a miss, and the cache stays.
	listErr = errors.New("socket: permission denied")
	clock = clock.Add(2 * time.Second)
	if got, ok := k.lookup(50); ok || got != "" {
		t.Errorf("with listing failing: lookup(50) = %q, %v, want a miss", got, ok)
	}
	if got, _ := k.lookup(28); got != "ethtool" {
		t.Errorf("with listing failing: lookup(28) = %q, want the cached ethtool", got)
	}
	if !errors.Is(k.listErr, listErr) {
		t.Errorf("listErr = %v, want %v", k.listErr, listErr)
	}
}

// TestPipelineAsksKernelForGenlFamily decodes a message of a real
// generic-netlink family whose id the stream never named, as a program that
// resolved it before the trace began sends it: with the kernel's list the
// message is named, without it only its number shows.
func TestPipelineAsksKernelForGenlFamily(t *testing.T) {
	names, err := listGenlFamilies()
	if err != nil {
		t.Skipf("cannot list this kernel's generic netlink families: %v", err)
	}
	var id uint16
	for i := range names {
		if i != unix.GENL_ID_CTRL && (id == 0 || i < id) {
			id = i
		}
	}
	if id == 0 {
		t.Skip("this kernel has no generic netlink family besides nlctrl")
	}
	msg := client.Message{Header: client.Header{Type: id, Flags: client.FlagRequest | client.FlagAck, Sequence: 5, PortID: 77},
		Data: client.GenlMsgHdr{Command: 1}.Append(nil)}.Append(nil)
	rec := capture.Record{Direction: capture.ToKernel, Protocol: unix.NETLINK_GENERIC, PID: 77, Comm: "prog", Data: msg, OrigLen: len(msg)}
	for _, tt := range []struct {
		name   string
		lookup func(uint16) (string, bool)
		want   string
	}{
		{"kernel asked", newKernelGenlFamilies().lookup, "generic " + names[id] + " req,ack seq=5"},
		{"stream only", nil, "generic type " + strconv.Itoa(int(id)) + " req,ack seq=5"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			p, err := pipeline.New(&out, nil, pipeline.Options{GenlLookup: tt.lookup})
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Handle(&rec); err != nil {
				t.Fatal(err)
			}
			if err := p.Flush(); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("output %q lacks %q", out.String(), tt.want)
			}
		})
	}
	if diff := cmp.Diff("nlctrl", names[unix.GENL_ID_CTRL]); diff != "" {
		t.Errorf("the kernel's family 16 (-want +got):\n%s", diff)
	}
}
