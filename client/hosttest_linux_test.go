package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"testing"
	"time"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/internal/testenv"
	"golang.org/x/sys/unix"
)

// hostNS is a throwaway network namespace for one host test, with a
// RouteConn inside it. Everything a test creates lives and dies with it.
type hostNS struct {
	ns *client.NetNS
	rc *client.RouteConn
}

// newHostNS gates t on root and gives it a fresh network namespace, closed
// when the test ends.
func newHostNS(t *testing.T) *hostNS {
	t.Helper()
	testenv.RequireRoot(t)
	ns, err := client.NewNetNS()
	if err != nil {
		t.Fatalf("NewNetNS: %v", err)
	}
	t.Cleanup(func() { ns.Close() })
	rc, err := client.DialRoute(&client.Config{NetNS: ns})
	if err != nil {
		t.Fatalf("DialRoute: %v", err)
	}
	t.Cleanup(func() { rc.Close() })
	return &hostNS{ns: ns, rc: rc}
}

// testContext returns a context that ends with the test or after a minute,
// so a hung kernel request fails the test instead of the whole run.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// command runs name with args inside the namespace, through nsenter on our
// own handle of the namespace, and returns stdout and stderr.
func (h *hostNS) command(t *testing.T, name string, args ...string) (stdout, stderr []byte, err error) {
	t.Helper()
	nsPath := fmt.Sprintf("/proc/%d/fd/%d", os.Getpid(), h.ns.FD())
	cmd := exec.CommandContext(testContext(t), "nsenter", append([]string{"--net=" + nsPath, "--", name}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.Bytes(), errb.Bytes(), err
}

// ipJSON runs ip with args inside the namespace and decodes its JSON output
// into v.
func (h *hostNS) ipJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	out, stderr, err := h.command(t, "ip", append([]string{"-j"}, args...)...)
	if err != nil {
		t.Fatalf("ip -j %v: %v: %s", args, err, stderr)
	}
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("ip -j %v: decode %q: %v", args, out, err)
	}
}

// snapshot reads the same state twice through ours, with theirs in between,
// until both reads of ours agree; then ours and theirs saw one state. The
// kernel changes some state on its own shortly after a change (operstate,
// IPv6 link-local addresses and their routes), so a single read of each
// could see two different moments.
func snapshot[O, T any](t *testing.T, ours func() O, theirs func() T) (O, T) {
	t.Helper()
	const attempts = 50
	for range attempts {
		before := ours()
		other := theirs()
		if after := ours(); reflect.DeepEqual(before, after) {
			return before, other
		}
	}
	t.Fatalf("state kept changing over %d attempts to read it", attempts)
	var o O
	var other T
	return o, other
}

// mustLink returns the link called name.
func (h *hostNS) mustLink(t *testing.T, name string) client.Link {
	t.Helper()
	l, err := h.rc.LinkByName(testContext(t), name)
	if err != nil {
		t.Fatalf("LinkByName(%q): %v", name, err)
	}
	return l
}

// linkFlagNames are the IFF_* names in the order ip prints them.
func linkFlagNames() []struct {
	bit  uint32
	name string
} {
	return []struct {
		bit  uint32
		name string
	}{
		{unix.IFF_LOOPBACK, "LOOPBACK"}, {unix.IFF_BROADCAST, "BROADCAST"}, {unix.IFF_POINTOPOINT, "POINTOPOINT"},
		{unix.IFF_MULTICAST, "MULTICAST"}, {unix.IFF_NOARP, "NOARP"}, {unix.IFF_ALLMULTI, "ALLMULTI"},
		{unix.IFF_PROMISC, "PROMISC"}, {unix.IFF_MASTER, "MASTER"}, {unix.IFF_SLAVE, "SLAVE"},
		{unix.IFF_DEBUG, "DEBUG"}, {unix.IFF_DYNAMIC, "DYNAMIC"}, {unix.IFF_AUTOMEDIA, "AUTOMEDIA"},
		{unix.IFF_PORTSEL, "PORTSEL"}, {unix.IFF_NOTRAILERS, "NOTRAILERS"}, {unix.IFF_UP, "UP"},
		{unix.IFF_LOWER_UP, "LOWER_UP"}, {unix.IFF_DORMANT, "DORMANT"}, {unix.IFF_ECHO, "ECHO"},
	}
}

// ipFlags renders IFF_* flags as ip -j prints them, including the
// NO-CARRIER pseudo-flag of a link that is up without IFF_RUNNING.
func ipFlags(flags uint32) []string {
	out := []string{}
	if flags&unix.IFF_UP != 0 && flags&unix.IFF_RUNNING == 0 {
		out = append(out, "NO-CARRIER")
	}
	flags &^= unix.IFF_RUNNING
	for _, f := range linkFlagNames() {
		if flags&f.bit != 0 {
			out = append(out, f.name)
			flags &^= f.bit
		}
	}
	if flags != 0 {
		out = append(out, fmt.Sprintf("%#x", flags))
	}
	return out
}

// scopeName names a route or address scope as ip prints it.
func scopeName(s uint8) string {
	switch s {
	case client.ScopeUniverse:
		return "global"
	case client.ScopeSite:
		return "site"
	case client.ScopeLink:
		return "link"
	case client.ScopeHost:
		return "host"
	case client.ScopeNowhere:
		return "nowhere"
	}
	return fmt.Sprint(s)
}
