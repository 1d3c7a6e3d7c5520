package client_test

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/client"
	"golang.org/x/sys/unix"
)

// TestGenericFamiliesHost resolves families through the controller and
// compares each with what iproute2's genl tool prints for it.
func TestGenericFamiliesHost(t *testing.T) {
	h := newHostNS(t)
	c, err := client.Dial(unix.NETLINK_GENERIC, &client.Config{NetNS: h.ns})
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := testContext(t)

	all, err := client.ListFamilies(ctx, c)
	if err != nil {
		t.Fatalf("ListFamilies: %v", err)
	}
	listed := map[string]client.Family{}
	for _, f := range all {
		listed[f.Name] = f
	}

	for _, name := range []string{"nlctrl", "ethtool"} {
		t.Run(name, func(t *testing.T) {
			f, err := client.GetFamily(ctx, c, name)
			if err != nil {
				t.Fatalf("GetFamily: %v", err)
			}
			out, stderr, err := h.command(t, "genl", "ctrl", "get", "name", name)
			if err != nil {
				t.Fatalf("genl ctrl get name %s: %v: %s", name, err, stderr)
			}
			want, err := parseGenlCtrl(string(out))
			if err != nil {
				t.Fatalf("genl output %q: %v", out, err)
			}
			got := f
			if f.Version < 2 && !strings.Contains(string(out), "Capabilities") {
				// iproute2 before 6.2 prints operation flags only for
				// families of version 2 or later.
				got.Operations = nil
				for _, op := range f.Operations {
					got.Operations = append(got.Operations, client.Operation{ID: op.ID})
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("GetFamily(%q) differs from genl ctrl get (-genl +ours):\n%s", name, diff)
			}
			if diff := cmp.Diff(f, listed[name]); diff != "" {
				t.Errorf("ListFamilies' %s differs from GetFamily's (-get +list):\n%s", name, diff)
			}
		})
	}

	t.Run("nlctrl facts", func(t *testing.T) {
		f := listed["nlctrl"]
		if f.ID != client.GenlIDCtrl {
			t.Errorf("nlctrl id = %#x, want %#x", f.ID, client.GenlIDCtrl)
		}
		if g, ok := f.Group("notify"); !ok || g.ID == 0 {
			t.Errorf("nlctrl has no notify group: %+v", f.Groups)
		}
	})

	t.Run("missing family", func(t *testing.T) {
		_, err := client.GetFamily(ctx, c, "no-such-family")
		if !errors.Is(err, unix.ENOENT) || !strings.Contains(err.Error(), `get generic netlink family "no-such-family"`) {
			t.Errorf("got %v, want ENOENT naming the family", err)
		}
	})

	t.Run("wrong protocol", func(t *testing.T) {
		if _, err := client.GetFamily(ctx, h.rc.Conn(), "nlctrl"); err == nil || !strings.Contains(err.Error(), "need generic") {
			t.Errorf("GetFamily over NETLINK_ROUTE: got %v", err)
		}
	})
}

// parseGenlCtrl reads the output of genl ctrl get name X:
//
//	Name: nlctrl
//		ID: 0x10  Version: 0x2  header size: 0  max attribs: 0
//		commands supported:
//			#1:  ID-0x3
//			Capabilities (0xe):
//	 		  can doit; can dumpit; has policy
//		multicast groups:
//			#1:  ID-0x10  name: notify
func parseGenlCtrl(out string) (client.Family, error) {
	var f client.Family
	head := regexp.MustCompile(`Name: (\S+)\s+ID: 0x([0-9a-f]+)\s+Version: 0x([0-9a-f]+)\s+header size: (\d+)\s+max attribs: (\d+)`).FindStringSubmatch(out)
	if head == nil {
		return f, errors.New("no header line")
	}
	num := func(s string, base int) uint64 {
		n, _ := strconv.ParseUint(s, base, 32)
		return n
	}
	f.Name = head[1]
	f.ID = uint16(num(head[2], 16))
	f.Version = uint32(num(head[3], 16))
	f.HeaderSize = uint32(num(head[4], 10))
	f.MaxAttr = uint32(num(head[5], 10))

	cmds, groups, _ := strings.Cut(out, "multicast groups:")
	opLine := regexp.MustCompile(`#\d+:\s+ID-0x([0-9a-f]+)|Capabilities \(0x([0-9a-f]+)\)`)
	for _, m := range opLine.FindAllStringSubmatch(cmds, -1) {
		if m[1] != "" {
			f.Operations = append(f.Operations, client.Operation{ID: uint32(num(m[1], 16))})
		} else if len(f.Operations) > 0 {
			f.Operations[len(f.Operations)-1].Flags = uint32(num(m[2], 16))
		}
	}
	for _, m := range regexp.MustCompile(`#\d+:\s+ID-0x([0-9a-f]+)\s+name: (\S+)`).FindAllStringSubmatch(groups, -1) {
		f.Groups = append(f.Groups, client.MulticastGroup{ID: uint32(num(m[1], 16)), Name: m[2]})
	}
	return f, nil
}
