package nlmon

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/internal/testenv"
)

func newNetNS(t *testing.T) *client.NetNS {
	t.Helper()
	ns, err := client.NewNetNS()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Close() })
	return ns
}

func selfComm(t *testing.T) string {
	b, err := os.ReadFile("/proc/self/comm")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// TestResolver resolves the port ids of sockets this test opens in a fresh
// namespace, and checks that a miss refreshes the cache, rate-limited.
func TestResolver(t *testing.T) {
	testenv.RequireRoot(t)
	ns := newNetNS(t)
	ctx := context.Background()
	r := NewResolver(&ResolverConfig{NetNS: ns, MinRefresh: time.Hour})
	t.Cleanup(func() { r.Close() })

	first, err := client.Dial(client.ProtocolRoute, &client.Config{NetNS: ns})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	want := Process{PID: uint32(os.Getpid()), Comm: selfComm(t)}
	got, ok, err := r.Lookup(ctx, client.ProtocolRoute, first.PortID())
	if err != nil || !ok {
		t.Fatalf("Lookup(route, %d) = %v, %v, %v; want found", first.PortID(), got, ok, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Lookup (-want +got):\n%s", diff)
	}
	if n := r.Refreshes(); n != 1 {
		t.Errorf("%d refreshes after the first lookup, want 1", n)
	}

	// The same port under another protocol is another socket.
	if _, ok, _ := r.Lookup(ctx, client.ProtocolXfrm, first.PortID()); ok {
		t.Error("the port id resolved under the wrong protocol")
	}
	// A second miss within MinRefresh does not rescan.
	if n := r.Refreshes(); n != 1 {
		t.Errorf("%d refreshes after a rate-limited miss, want 1", n)
	}

	// A socket opened after the refresh is found once a miss may refresh.
	second, err := client.Dial(client.ProtocolXfrm, &client.Config{NetNS: ns})
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	r.minRefresh = time.Nanosecond
	got, ok, err = r.Lookup(ctx, client.ProtocolXfrm, second.PortID())
	if err != nil || !ok || got != want {
		t.Fatalf("Lookup(xfrm, %d) = %v, %v, %v; want %v", second.PortID(), got, ok, err, want)
	}
	// A hit does not refresh.
	n := r.Refreshes()
	if _, ok, _ := r.Lookup(ctx, client.ProtocolRoute, first.PortID()); !ok || r.Refreshes() != n {
		t.Errorf("a cached lookup refreshed (found=%v, refreshes %d → %d)", ok, n, r.Refreshes())
	}
	// Port 0 is the kernel: never looked up.
	if _, ok, _ := r.Lookup(ctx, client.ProtocolRoute, 0); ok || r.Refreshes() != n {
		t.Error("port 0 resolved or refreshed")
	}
}

// TestOpenWithoutNlmon checks the message on a kernel without nlmon (this
// development host); on a kernel with it, Open must work and Close must
// remove the link.
func TestOpenWithoutNlmon(t *testing.T) {
	testenv.RequireRoot(t)
	ns := newNetNS(t)
	ctx := context.Background()
	src, err := Open(ctx, &Config{NetNS: ns})
	if err != nil {
		if !strings.Contains(err.Error(), "CONFIG_NLMON") || !strings.Contains(err.Error(), "eBPF") {
			t.Fatalf("Open = %v; want an error naming CONFIG_NLMON and suggesting eBPF", err)
		}
		if !isNoNlmon(err) {
			t.Errorf("Open = %v does not match ErrNoNlmon", err)
		}
		// Nothing may be left behind.
		route, err := client.DialRoute(&client.Config{NetNS: ns})
		if err != nil {
			t.Fatal(err)
		}
		defer route.Close()
		if _, err := route.LinkByName(ctx, DefaultInterface); err == nil {
			t.Error("a failed Open left the link behind")
		}
		return
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	assertNoLink(t, ns, DefaultInterface)
}
