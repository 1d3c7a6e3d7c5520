package nlmon

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/internal/testenv"
	"golang.org/x/sys/unix"
)

func isNoNlmon(err error) bool { return errors.Is(err, ErrNoNlmon) }

func assertNoLink(t *testing.T, ns *client.NetNS, name string) {
	t.Helper()
	route, err := client.DialRoute(&client.Config{NetNS: ns})
	if err != nil {
		t.Fatal(err)
	}
	defer route.Close()
	if _, err := route.LinkByName(context.Background(), name); !errors.Is(err, unix.ENODEV) {
		t.Errorf("link %s after Close: %v, want it gone (ENODEV)", name, err)
	}
}

func TestAliasParsing(t *testing.T) {
	tests := []struct {
		alias string
		pid   int
		ok    bool
	}{
		{"nltrace pid=4242", 4242, true},
		{"nltrace pid=", 0, false},
		{"nltrace pid=-3", 0, false},
		{"my monitor", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.alias, func(t *testing.T) {
			pid, ok := nltracePID(tt.alias)
			if pid != tt.pid && tt.ok || ok != tt.ok {
				t.Errorf("nltracePID(%q) = %d, %v; want %d, %v", tt.alias, pid, ok, tt.pid, tt.ok)
			}
		})
	}
}

// TestVMCapture captures a link dump made in a fresh namespace and checks
// the request and the reply: family, inferred direction, port id resolved
// to this process (for the request, through the reply). Then Close removes the link.
func TestVMCapture(t *testing.T) {
	testenv.RequireVM(t)
	ns := newNetNS(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	src, err := Open(ctx, &Config{NetNS: ns})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if !src.Created() || src.Interface() != DefaultInterface {
		t.Errorf("Created %v Interface %q, want a new %s", src.Created(), src.Interface(), DefaultInterface)
	}
	route, err := client.DialRoute(&client.Config{NetNS: ns})
	if err != nil {
		t.Fatal(err)
	}
	defer route.Close()
	if _, err := route.ListLinks(ctx); err != nil {
		t.Fatal(err)
	}
	port := route.Conn().PortID()
	var sawRequest, sawReply bool
	var rec capture.Record
	for !sawRequest || !sawReply {
		if err := src.ReadInto(ctx, &rec); err != nil {
			t.Fatalf("ReadInto: %v (request seen %v, reply seen %v)", err, sawRequest, sawReply)
		}
		if rec.Protocol != unix.NETLINK_ROUTE || len(rec.Data) < 16 || rec.Method != capture.MethodNlmon || rec.NetNS == 0 {
			continue
		}
		typ := binary.NativeEndian.Uint16(rec.Data[4:])
		switch {
		case typ == unix.RTM_GETLINK && rec.Direction == capture.ToKernel && rec.DirectionInferred:
			sawRequest = true
			// The request carries port id 0; it takes the port and the
			// process of the dump part that answers it.
			if rec.PortID != port || rec.PID != uint32(os.Getpid()) || rec.Comm == "" {
				t.Errorf("request attributed to port %d pid %d comm %q, want port %d pid %d", rec.PortID, rec.PID, rec.Comm, port, os.Getpid())
			}
		case typ == unix.RTM_NEWLINK && rec.Direction == capture.FromKernel && rec.PortID == port:
			sawReply = true
			if rec.PID != uint32(os.Getpid()) || rec.Comm == "" {
				t.Errorf("reply resolved to pid %d comm %q, want pid %d", rec.PID, rec.Comm, os.Getpid())
			}
		}
	}
	if st := src.Stats(); st.Records == 0 || st.Dropped() != 0 {
		t.Errorf("Stats = %+v", st)
	}
	// A cancelled context ends a blocked read.
	cctx, ccancel := context.WithCancel(ctx)
	ccancel()
	if err := src.ReadInto(cctx, &rec); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadInto with a cancelled context = %v", err)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	if err := src.ReadInto(ctx, &rec); !errors.Is(err, capture.ErrClosed) {
		t.Errorf("ReadInto after Close = %v, want ErrClosed", err)
	}
	assertNoLink(t, ns, DefaultInterface)
}

// TestVMReuseExisting reads an nlmon link someone else made, and leaves it.
func TestVMReuseExisting(t *testing.T) {
	testenv.RequireVM(t)
	ns := newNetNS(t)
	ctx := context.Background()
	route, err := client.DialRoute(&client.Config{NetNS: ns})
	if err != nil {
		t.Fatal(err)
	}
	defer route.Close()
	if err := route.AddLink(ctx, client.Link{Name: "keep0", Data: &client.Nlmon{}}); err != nil {
		t.Fatal(err)
	}
	src, err := Open(ctx, &Config{NetNS: ns, Interface: "keep0"})
	if err != nil {
		t.Fatal(err)
	}
	if src.Created() {
		t.Error("Created() = true for an existing link")
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := route.LinkByName(ctx, "keep0"); err != nil {
		t.Errorf("the existing link is gone after Close: %v", err)
	}
}

// deadPID returns the pid of a process that has exited.
func deadPID(t *testing.T) int {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// TestVMStaleLink leaves a link as a killed nltrace would, and checks that
// Open warns about it and removes it when told to.
func TestVMStaleLink(t *testing.T) {
	testenv.RequireVM(t)
	for _, remove := range []bool{false, true} {
		t.Run("remove="+strconv.FormatBool(remove), func(t *testing.T) {
			ns := newNetNS(t)
			ctx := context.Background()
			route, err := client.DialRoute(&client.Config{NetNS: ns})
			if err != nil {
				t.Fatal(err)
			}
			defer route.Close()
			if err := route.AddLink(ctx, client.Link{Name: "old0", Data: &client.Nlmon{}}); err != nil {
				t.Fatal(err)
			}
			old, err := route.LinkByName(ctx, "old0")
			if err != nil {
				t.Fatal(err)
			}
			if err := setLinkAlias(ctx, route, old.Index, aliasPrefix+strconv.Itoa(deadPID(t))); err != nil {
				t.Fatal(err)
			}
			var warnings []string
			var asked []string
			src, err := Open(ctx, &Config{
				NetNS:       ns,
				Warn:        func(m string) { warnings = append(warnings, m) },
				RemoveStale: func(name string) bool { asked = append(asked, name); return remove },
			})
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			if len(asked) != 1 || asked[0] != "old0" {
				t.Errorf("asked about %q, want [old0]", asked)
			}
			if len(warnings) != 1 || !strings.Contains(warnings[0], "old0") {
				t.Errorf("warnings %q, want one about old0", warnings)
			}
			_, err = route.LinkByName(ctx, "old0")
			if gone := errors.Is(err, unix.ENODEV); gone != remove {
				t.Errorf("stale link gone = %v (%v), want %v", gone, err, remove)
			}
			// Our own live link is not stale.
			warnings = nil
			again, err := Open(ctx, &Config{NetNS: ns, Interface: "other0", Warn: func(m string) { warnings = append(warnings, m) }})
			if err != nil {
				t.Fatal(err)
			}
			again.Close()
			for _, w := range warnings {
				if strings.Contains(w, DefaultInterface) {
					t.Errorf("a live nltrace's link is called stale: %s", w)
				}
			}
		})
	}
}
