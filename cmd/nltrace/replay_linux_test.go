package main

// End-to-end tests of nltrace replay (host tier): iproute2 scripts are
// recorded with nltrace -w in a throwaway namespace, then replayed by the
// real binary, which makes its own namespace; the host's network
// configuration must not change.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/internal/testenv"
)

// setupScript builds links of several kinds, addresses, routes (one
// multipath), a rule, nexthops, a neighbour, a qdisc and a filter, and
// makes the kernel refuse three requests.
const setupScript = `set -e
ip link add veth0 type veth peer name veth1
ip link add br0 type bridge
ip link set veth0 master br0
ip link set veth0 up
ip link set veth1 up
ip link set br0 up
ip addr add 10.1.0.1/24 dev br0
ip addr add 10.2.0.1/24 dev veth1
ip route add 10.3.0.0/16 via 10.1.0.2
ip route add 10.4.0.0/16 nexthop via 10.1.0.2 nexthop via 10.2.0.2
ip link add vx0 type vxlan id 42 dstport 4789 dev veth1
ip link add mv0 link veth1 type macvlan mode bridge
ip rule add from 10.9.0.0/16 table 100
ip nexthop add id 1 via 10.1.0.2 dev br0
ip nexthop add id 2 via 10.2.0.2 dev veth1
ip nexthop add id 3 group 1/2
ip neigh add 10.1.0.9 lladdr 02:00:00:00:00:09 dev br0
tc qdisc add dev veth1 root handle 1: htb
tc filter add dev veth1 parent 1: protocol ip u32 match ip dst 10.3.0.0/16 flowid 1:1
! ip route add 10.3.0.0/16 via 10.1.0.2
! ip addr add 10.1.0.1/24 dev br0
! ip nexthop add id 4 group 1/99
`

// record runs script under nltrace -w in a fresh namespace and returns the
// capture's path.
func record(t *testing.T, tl tools, script string) string {
	t.Helper()
	return recordIn(t, tl, newNetNS(t), script)
}

// recordIn runs script under nltrace -w in ns.
func recordIn(t *testing.T, tl tools, ns netNS, script string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "setup.pcapng")
	traceToEnd(t, tl, ns, 0, "-w", file, "-o", os.DevNull, "--", "sh", "-c", script)
	return file
}

// hostNetwork is the host's configuration as ip and nft print it.
func hostNetwork(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	for _, argv := range [][]string{
		{"ip", "-d", "-j", "link", "show"},
		{"ip", "-d", "-j", "addr", "show"},
		{"ip", "-d", "-j", "route", "show", "table", "all"},
		{"ip", "-d", "-j", "-6", "route", "show", "table", "all"},
		{"ip", "-d", "-j", "rule", "show"},
		{"ip", "-d", "-j", "-6", "rule", "show"},
		{"nft", "-j", "list", "ruleset"},
	} {
		out, err := exec.Command(argv[0], argv[1:]...).Output()
		if err != nil {
			if _, lerr := exec.LookPath(argv[0]); lerr != nil {
				testenv.Skip(t, testenv.Host, argv[0]+" is not installed")
			}
			t.Fatalf("%s: %v", strings.Join(argv, " "), err)
		}
		b.WriteString(strings.Join(argv, " ") + "\n")
		b.Write(withoutTimers(t, out))
		b.WriteString("\n")
	}
	return b.String()
}

// timers are fields of ip's JSON that count down by themselves (address
// lifetimes, route expiry from router advertisements).
var timers = map[string]bool{"valid_life_time": true, "preferred_life_time": true, "expires": true}

// withoutTimers drops the timers from a JSON document, so two snapshots of
// an unchanged configuration compare equal.
func withoutTimers(t *testing.T, doc []byte) []byte {
	t.Helper()
	if len(bytes.TrimSpace(doc)) == 0 {
		return doc
	}
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("bad JSON from ip or nft: %v\n%s", err, doc)
	}
	var strip func(any)
	strip = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if timers[k] {
					delete(x, k)
				} else {
					strip(e)
				}
			}
		case []any:
			for _, e := range x {
				strip(e)
			}
		}
	}
	strip(v)
	out, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkHostUnchanged fails t when the host's configuration differs from
// before.
func checkHostUnchanged(t *testing.T, before string) {
	t.Helper()
	if diff := cmp.Diff(before, hostNetwork(t)); diff != "" {
		t.Errorf("the host's network configuration changed (-before +after):\n%s", diff)
	}
}

type replayRun struct {
	status         int
	stdout, stderr string
	results        []resultLine
	summary        summaryLine
}

// runReplayCmd runs nltrace replay in the host's namespace, as a user
// would.
func runReplayCmd(t *testing.T, tl tools, args ...string) replayRun {
	t.Helper()
	cmd := exec.Command(tl.nltrace, append([]string{"replay"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := replayRun{stdout: stdout.String(), stderr: stderr.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.status = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if !strings.HasPrefix(line, `{"record"`) {
			if strings.HasPrefix(line, `{"summary"`) {
				json.Unmarshal([]byte(line), &r.summary)
			}
			continue
		}
		var l resultLine
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("bad JSON line %q: %v", line, err)
		}
		r.results = append(r.results, l)
	}
	return r
}

func TestReplayHost(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	before := hostNetwork(t)
	file := record(t, tl, setupScript)

	t.Run("same", func(t *testing.T) {
		r := runReplayCmd(t, tl, "--format", "json", file)
		checkHostUnchanged(t, before)
		if r.status != 0 {
			t.Errorf("exit status %d, want 0; stdout:\n%s\nstderr:\n%s", r.status, r.stdout, r.stderr)
		}
		types := map[string]bool{}
		failed := map[string]int32{}
		for _, l := range r.results {
			types[l.Type] = true
			if !l.Same {
				t.Errorf("record %d %s: %v", l.Record, l.Type, l.Diffs)
			}
			if l.Recorded.Errno != 0 {
				failed[l.Type] = l.Recorded.Errno
			}
		}
		for _, typ := range []string{"RTM_NEWLINK", "RTM_GETLINK", "RTM_NEWADDR", "RTM_NEWROUTE", "RTM_NEWRULE", "RTM_NEWNEXTHOP", "RTM_NEWNEIGH", "RTM_NEWQDISC", "RTM_NEWTFILTER"} {
			if !types[typ] {
				t.Errorf("no %s replayed", typ)
			}
		}
		// The three refusals of the script (and ip's probes, which fail
		// with ENODEV) were replayed as refusals.
		for typ, e := range map[string]int32{"RTM_NEWROUTE": 17, "RTM_NEWADDR": 17, "RTM_NEWNEXTHOP": 22} {
			if failed[typ] != e {
				t.Errorf("%s: recorded errno %d, want %d", typ, failed[typ], e)
			}
		}
		if s := r.summary.Summary; s.Requests != len(r.results) || s.Same != s.Requests || s.Requests < 30 {
			t.Errorf("summary %+v for %d results", s, len(r.results))
		}
	})

	t.Run("text", func(t *testing.T) {
		r := runReplayCmd(t, tl, file)
		checkHostUnchanged(t, before)
		if r.status != 0 || !strings.Contains(r.stdout, "RTM_NEWNEXTHOP: same (-EINVAL") || !strings.Contains(r.stdout, " same, 0 different\n") {
			t.Errorf("exit status %d; stdout:\n%s\nstderr:\n%s", r.status, r.stdout, r.stderr)
		}
	})

	t.Run("step removed", func(t *testing.T) {
		// Replay everything but the request that creates br0, into one
		// namespace: the requests that name br0 fail where they did not.
		all := runReplayCmd(t, tl, "--format", "json", file)
		var made []int
		for _, l := range all.results {
			if l.Type == "RTM_NEWLINK" && l.Recorded.Acked && l.Recorded.Errno == 0 {
				made = append(made, l.Record)
			}
		}
		if len(made) < 2 {
			t.Fatalf("found no second link change in %+v", all.results)
		}
		br0 := made[1] // after the veth pair
		ns := newNetNS(t)
		r1 := runReplayCmd(t, tl, "--format", "json", "--netns", ns.name, "--records", "-"+strconv.Itoa(br0-1), file)
		r2 := runReplayCmd(t, tl, "--format", "json", "--netns", ns.name, "--records", strconv.Itoa(br0+1)+"-", file)
		checkHostUnchanged(t, before)
		if r1.status != 0 || len(r1.results) == 0 {
			t.Errorf("replay before the step: status %d: %s", r1.status, r1.stderr)
		}
		if r2.status != 1 {
			t.Errorf("replay without the step: status %d, want 1; stderr: %s", r2.status, r2.stderr)
		}
		var first *resultLine
		for i := range r2.results {
			if !r2.results[i].Same {
				first = &r2.results[i]
				break
			}
		}
		if first == nil {
			t.Fatalf("no difference without br0; stdout:\n%s", r2.stdout)
		}
		// ip link set veth0 master br0 looks br0 up by name first: that
		// lookup is the first request to fail.
		if first.Type != "RTM_GETLINK" || first.Replayed.Errno != 19 || !strings.Contains(strings.Join(first.Diffs, ";"), "errno: recorded 0, replayed -ENODEV") {
			t.Errorf("first difference: record %d %s %v, want RTM_GETLINK of br0 failing with ENODEV", first.Record, first.Type, first.Diffs)
		}
	})

	t.Run("initial namespace refused", func(t *testing.T) {
		r := runReplayCmd(t, tl, "--netns", "/proc/self/ns/net", file)
		checkHostUnchanged(t, before)
		if r.status != 1 || !strings.Contains(r.stderr, "refusing to replay in the initial network namespace") || r.stdout != "" {
			t.Errorf("status %d, stdout %q, stderr %q", r.status, r.stdout, r.stderr)
		}
	})

	t.Run("given namespace", func(t *testing.T) {
		ns := newNetNS(t)
		// Links the capture does not know shift every index.
		ns.ip(t, "link", "add", "xa", "type", "veth", "peer", "name", "xb")
		ns.ip(t, "link", "add", "xc", "type", "bridge")
		r := runReplayCmd(t, tl, "--verbose", "--netns", ns.name, file)
		checkHostUnchanged(t, before)
		// Every request does the same; only the dumps of all links
		// (tc and ip neigh list the links) see the three more.
		if r.status != 1 {
			t.Errorf("status %d, want 1; stderr:\n%s", r.status, r.stderr)
		}
		for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			if strings.Contains(line, ": different: ") && !(strings.Contains(line, " RTM_GETLINK: different: replies: recorded 6, replayed 9; reply 2: ") && strings.Contains(line, `replayed RTM_NEWLINK index=xb IFLA_IFNAME="xb"`)) {
				t.Errorf("unexpected difference: %s", line)
			}
		}
		if !strings.Contains(r.stdout, " same, 3 different\n") {
			t.Errorf("want 3 differences:\n%s", r.stdout)
		}
		if !strings.Contains(r.stderr, "RTM_NEWADDR index: ifindex 4 (br0) → 7") {
			t.Errorf("no rewrite of br0's index reported:\n%s", r.stderr)
		}
		out, err := exec.Command("ip", "-n", ns.name, "-br", "addr", "show", "dev", "br0").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "10.1.0.1/24") {
			t.Errorf("br0 in the given namespace after the replay: %v: %s", err, out)
		}
	})

	t.Run("emit-go", func(t *testing.T) {
		// The emitted test builds in a module of its own that uses this
		// repository, and passes: the kernel answers as recorded.
		dir := t.TempDir()
		test := filepath.Join(dir, "replay_test.go")
		r := runReplayCmd(t, tl, "--emit-go", test, file)
		if r.status != 0 {
			t.Fatalf("--emit-go: status %d: %s", r.status, r.stderr)
		}
		runEmitted(t, dir)
		checkHostUnchanged(t, before)
	})
}

// runEmitted runs go test in dir, a module that requires this repository
// through a replace directive.
func runEmitted(t *testing.T, dir string) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	goLine, sysLine := "", ""
	for _, l := range strings.Split(string(mod), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "go ") {
			goLine = l
		}
		if strings.HasPrefix(l, "golang.org/x/sys ") {
			sysLine = l
		}
	}
	gomod := "module example.com/nlreplay\n\n" + goLine + "\n\nrequire (\n\tgithub.com/nltrace/nltrace v0.0.0\n\t" + sysLine + "\n)\n\nreplace github.com/nltrace/nltrace => " + root + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "test", "-count=1", "-v", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestReplay") {
		t.Fatalf("go test of the emitted test: %v\n%s", err, out)
	}
}

// TestReplayBadInput: input replay cannot use gives a clear error, exit
// status 1, no report, and leaves the host as it was.
func TestReplayBadInput(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	before := hostNetwork(t)
	now := time.Now()
	rec := func(dir capture.Direction, proto uint16, b []byte) capture.Record {
		return capture.Record{Time: now, Direction: dir, Protocol: proto, PID: 9, Comm: "prog", PortID: 77, Data: b, OrigLen: len(b)}
	}

	// A reply naming a generic-netlink family this kernel lacks, and a
	// request to it.
	var e client.AttributeEncoder
	e.Uint16(client.GenlCtrlAttrFamilyID, 0x7f0)
	e.String(client.GenlCtrlAttrFamilyName, "nltrace_nosuch")
	attrs, _ := e.Encode()
	newFamily := client.Message{Header: client.Header{Type: client.GenlIDCtrl, Sequence: 1, PortID: 77}, Data: append([]byte{client.GenlCtrlCmdNewFamily, 2, 0, 0}, attrs...)}
	genlReq := client.Message{Header: client.Header{Type: 0x7f0, Flags: client.FlagRequest | client.FlagAck, Sequence: 2}, Data: []byte{1, 1, 0, 0}}
	genlAck := client.Message{Header: client.Header{Type: client.TypeError, Sequence: 2, PortID: 77}, Data: append(make([]byte, 4), make([]byte, 16)...)}
	missingFamily := writeCapture(t,
		rec(capture.FromKernel, client.ProtocolGeneric, netlinkBytes(newFamily)),
		rec(capture.ToKernel, client.ProtocolGeneric, netlinkBytes(genlReq)),
		rec(capture.FromKernel, client.ProtocolGeneric, netlinkBytes(genlAck)),
	)
	repliesOnly := writeCapture(t, rec(capture.FromKernel, client.ProtocolGeneric, netlinkBytes(newFamily)))
	// Audit is configured for the whole host whatever the namespace.
	auditGet := writeCapture(t, rec(capture.ToKernel, client.ProtocolAudit, netlinkBytes(client.Message{Header: client.Header{Type: 1000, Flags: client.FlagRequest | client.FlagAck, Sequence: 3}})))

	// A recorded capture cut in its last block, as a killed writer leaves
	// it.
	full := record(t, tl, "ip link add d0 type veth peer name d1")
	b, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.pcapng")
	if err := os.WriteFile(cut, b[:len(b)-40], 0o600); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, file string
		want       string
	}{
		{"no requests", repliesOnly, "1 records read: no requests to replay"},
		{"cut file", cut, "a cut capture is not replayed"},
		{"missing genl family", missingFamily, `record 2: the capture uses generic netlink family "nltrace_nosuch" (id 2032), which this kernel does not have`},
		{"not a capture", "/etc/hostname", "hostname"},
		{"host-wide protocol", auditGet, "record 1: audit requests act on the whole host, not on one network namespace: replay refuses them"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runReplayCmd(t, tl, tc.file)
			checkHostUnchanged(t, before)
			if r.status != 1 || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
				t.Errorf("status %d, stdout %q, stderr %q; want status 1 and %q", r.status, r.stdout, r.stderr, tc.want)
			}
		})
	}
	t.Run("emit-go host-wide protocol", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "x_test.go")
		r := runReplayCmd(t, tl, "--emit-go", out, auditGet)
		if r.status != 1 || !strings.Contains(r.stderr, "audit requests act on the whole host") {
			t.Errorf("status %d, stderr %q", r.status, r.stderr)
		}
		if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a refused --emit-go left %s: %v", out, err)
		}
	})
	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{{}, {"--records", "5-2", full}, {"--format", "yaml", full}, {"--emit-go", "x.go", "--netns", "foo", full}} {
			if r := runReplayCmd(t, tl, args...); r.status != 2 {
				t.Errorf("%q: status %d, want 2; stderr %q", args, r.status, r.stderr)
			}
		}
	})
}

// TestReplayNftBatch replays nft's batches, each one send of several
// messages, and records the replay's own traffic with -w.
func TestReplayNftBatch(t *testing.T) {
	testenv.RequireRoot(t)
	if _, err := exec.LookPath("nft"); err != nil {
		testenv.Skip(t, testenv.Host, "nft is not installed")
	}
	tl := buildTools(t)
	before := hostNetwork(t)
	file := record(t, tl, `set -e
nft add table inet t1
nft add chain inet t1 c1 '{ type filter hook input priority 0; }'
nft add rule inet t1 c1 tcp dport 22 accept
nft add set inet t1 s1 '{ type ipv4_addr; }'
nft add element inet t1 s1 '{ 10.0.0.1, 10.0.0.2 }'
nft list ruleset`)
	out := filepath.Join(t.TempDir(), "replay.pcapng")
	r := runReplayCmd(t, tl, "--format", "json", "-w", out, file)
	checkHostUnchanged(t, before)
	if r.status != 0 {
		t.Fatalf("status %d; stdout:\n%s\nstderr:\n%s", r.status, r.stdout, r.stderr)
	}
	batches := 0
	for _, l := range r.results {
		if !l.Same {
			t.Errorf("record %d.%d %s: %v", l.Record, l.Message, l.Type, l.Diffs)
		}
		if l.Type == "NFNL_MSG_BATCH_END" {
			batches++
		}
	}
	if batches < 5 {
		t.Errorf("%d batches replayed, want 5", batches)
	}
	// The replay's own capture holds each batch as one send, and the
	// answers.
	recs, _ := readPcapng(t, out)
	sends, multi, answers := 0, 0, 0
	for _, rec := range recs {
		switch rec.Direction {
		case capture.ToKernel:
			sends++
			if n := len(splitMessages(rec.Data)); n >= 3 {
				multi++
			}
		case capture.FromKernel:
			answers++
		}
		if rec.Comm != "nltrace" || rec.NetNS == 0 {
			t.Errorf("replay record metadata: %+v", rec)
		}
	}
	if multi != batches || sends == 0 || answers == 0 {
		t.Errorf("-w: %d sends (%d batches), %d answers; want the %d batches", sends, multi, answers, batches)
	}
}

// TestReplayStubLinks replays requests that use a link made before the
// replayed part: without --stub-links they fail, with it the link is made
// first (dummy, or veth where there is no dummy driver) and they succeed.
func TestReplayStubLinks(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	before := hostNetwork(t)
	file := record(t, tl, `set -e
ip link add br7 type bridge
ip link set br7 up
ip addr add 10.7.0.1/24 dev br7
ip route add 10.8.0.0/16 via 10.7.0.2`)
	// Find where br7 is made: the second RTM_NEWLINK (the first is ip's
	// probe), acked.
	all := runReplayCmd(t, tl, "--format", "json", file)
	made := 0
	for _, l := range all.results {
		if l.Type == "RTM_NEWLINK" && l.Recorded.Acked && l.Recorded.Errno == 0 {
			made = l.Record
			break
		}
	}
	if all.status != 0 || made == 0 {
		t.Fatalf("full replay: status %d, creation at record %d:\n%s", all.status, made, all.stdout)
	}
	rest := strconv.Itoa(made+1) + "-"
	if r := runReplayCmd(t, tl, "--records", rest, file); r.status != 1 || !strings.Contains(r.stdout, "RTM_NEWADDR: different: errno: recorded 0, replayed -ENODEV") {
		t.Errorf("without --stub-links: status %d:\n%s", r.status, r.stdout)
	}
	ns := newNetNS(t)
	r := runReplayCmd(t, tl, "--verbose", "--stub-links", "--netns", ns.name, "--records", rest, "--format", "json", file)
	checkHostUnchanged(t, before)
	if !strings.Contains(r.stderr, "stub link br7: ") {
		t.Errorf("no stub link reported:\n%s", r.stderr)
	}
	for _, l := range r.results {
		// A lookup's reply shows the stub's own attributes (a veth
		// stub has a peer); every change must do as recorded.
		if !l.Same && l.Type != "RTM_GETLINK" {
			t.Errorf("record %d %s: %v", l.Record, l.Type, l.Diffs)
		}
	}
	out, err := exec.Command("ip", "-n", ns.name, "-br", "addr", "show", "dev", "br7").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "10.7.0.1/24") {
		t.Errorf("br7 after the replay: %v: %s", err, out)
	}
}

// TestReplayGenl replays generic-netlink requests: the family id is
// rewritten by name (the capture learned it from ip's CTRL_CMD_GETFAMILY).
func TestReplayGenl(t *testing.T) {
	testenv.RequireRoot(t)
	if err := exec.Command("ip", "mptcp", "limits", "show").Run(); err != nil {
		testenv.Skip(t, testenv.Host, "no ip mptcp or no mptcp_pm family: "+err.Error())
	}
	tl := buildTools(t)
	before := hostNetwork(t)
	file := record(t, tl, `ip mptcp limits set subflow 2 add_addr_accepted 2
ip mptcp endpoint add 10.77.0.1 id 5 signal
ip mptcp endpoint show
ip mptcp endpoint add 10.77.0.1 id 5 signal
true`)
	r := runReplayCmd(t, tl, "--verbose", "--format", "json", file)
	checkHostUnchanged(t, before)
	if r.status != 0 {
		t.Errorf("status %d; stdout:\n%s\nstderr:\n%s", r.status, r.stdout, r.stderr)
	}
	ebusy := false
	for _, l := range r.results {
		if l.Type == "MPTCP_PM_CMD_ADD_ADDR" && l.Recorded.Errno == 16 && l.Replayed.Errno == 16 && l.Recorded.ExtAckMessage != "" {
			ebusy = true
		}
	}
	if !ebusy {
		t.Errorf("the refused endpoint add was not replayed as refused:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "MPTCP_PM_CMD_ADD_ADDR nlmsg_type: genl family ") {
		t.Errorf("no family id rewrite reported:\n%s", r.stderr)
	}

	// A capture from a kernel that gave mptcp_pm another id: the request
	// reaches mptcp_pm only through the rewrite.
	const otherID = 0x7f1
	var e client.AttributeEncoder
	e.Uint16(client.GenlCtrlAttrFamilyID, otherID)
	e.String(client.GenlCtrlAttrFamilyName, "mptcp_pm")
	attrs, _ := e.Encode()
	now := time.Now()
	rec := func(dir capture.Direction, m client.Message) capture.Record {
		b := netlinkBytes(m)
		return capture.Record{Time: now, Direction: dir, Protocol: client.ProtocolGeneric, PID: 9, Comm: "prog", PortID: 77, Data: b, OrigLen: len(b)}
	}
	const getLimits = 6 // MPTCP_PM_CMD_GET_LIMITS
	other := writeCapture(t,
		rec(capture.FromKernel, client.Message{Header: client.Header{Type: client.GenlIDCtrl, Sequence: 1, PortID: 77}, Data: append([]byte{client.GenlCtrlCmdNewFamily, 2, 0, 0}, attrs...)}),
		rec(capture.ToKernel, client.Message{Header: client.Header{Type: otherID, Flags: client.FlagRequest, Sequence: 2}, Data: []byte{getLimits, 1, 0, 0}}),
		rec(capture.FromKernel, client.Message{Header: client.Header{Type: otherID, Sequence: 2, PortID: 77}, Data: []byte{getLimits, 1, 0, 0}}),
	)
	r = runReplayCmd(t, tl, "--verbose", other)
	checkHostUnchanged(t, before)
	if r.status != 0 || !strings.Contains(r.stdout, "MPTCP_PM_CMD_GET_LIMITS: same (1 reply)") || !strings.Contains(r.stderr, "record 2 MPTCP_PM_CMD_GET_LIMITS nlmsg_type: genl family 2033 (mptcp_pm) → ") {
		t.Errorf("status %d; stdout:\n%s\nstderr:\n%s", r.status, r.stdout, r.stderr)
	}
}

// TestVMReplayNlmon replays an nlmon capture, whose directions are
// inferred and whose requests carry port id 0: every outcome is the same.
func TestVMReplayNlmon(t *testing.T) {
	testenv.RequireVM(t)
	bin := nltraceBin(t)
	newNamedNetNS(t, "nlrp")
	file := filepath.Join(t.TempDir(), "nlmon.pcapng")
	// The guest's sh prefers its busybox ip applet: name iproute2's.
	ip, err := exec.LookPath("ip")
	if err != nil {
		t.Fatal(err)
	}
	script := strings.ReplaceAll(`ip -n nlrp link add d0 type dummy
ip -n nlrp link set d0 up
ip -n nlrp addr add 10.5.0.1/24 dev d0
ip -n nlrp route add 10.6.0.0/16 via 10.5.0.2
ip -n nlrp route add 10.6.0.0/16 via 10.5.0.2
true`, "ip -n", ip+" -n")
	nl := startProc(t, nil, bin, "--nlmon", "--netns", "nlrp", "-o", os.DevNull, "-w", file, "--", "sh", "-c", script)
	if code := nl.wait(t); code != 0 {
		t.Fatalf("nltrace --nlmon: exit %d: %s", code, nl.stderr())
	}
	// The capture holds nltrace's own sock_diag requests too (it names
	// the processes of port ids): replay ip's, the route family.
	cmd := exec.Command(bin, "replay", "--format", "json", "--family", "route", file)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("replay: %v\nstdout:\n%s\nstderr:\n%s\nnltrace --nlmon's stderr:\n%s", err, stdout.String(), stderr.String(), nl.stderr())
	}
	var sum summaryLine
	types := map[string]bool{}
	eexist := false
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var l resultLine
		if strings.HasPrefix(line, `{"summary"`) {
			json.Unmarshal([]byte(line), &sum)
			continue
		}
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("bad line %q: %v", line, err)
		}
		types[l.Type] = true
		eexist = eexist || l.Type == "RTM_NEWROUTE" && l.Replayed.Errno == 17
	}
	if !types["RTM_NEWLINK"] || !types["RTM_NEWADDR"] || !types["RTM_NEWROUTE"] || !eexist {
		t.Errorf("requests replayed: %v (EEXIST seen: %t)\n%s", types, eexist, stdout.String())
	}
	if s := sum.Summary; s.Requests == 0 || s.Same != s.Requests {
		t.Errorf("summary %+v", s)
	}
}

// TestReplayNetnsReference replays a request that names another namespace
// by process id (ip link add ... peer ... netns PID): the replay points it
// at a stand-in namespace of its own, so the process's namespace (which
// could be the host's) gets nothing.
func TestReplayNetnsReference(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	before := hostNetwork(t)
	peer := newNetNS(t)
	sleeper := peer.command("sleep", "60")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sleeper.Process.Kill(); sleeper.Wait() })
	pid := strconv.Itoa(sleeper.Process.Pid)
	file := record(t, tl, "ip link add vq0 type veth peer name vq1 netns "+pid)
	peer.ip(t, "link", "del", "vq1") // made by the recording
	r := runReplayCmd(t, tl, "--verbose", file)
	checkHostUnchanged(t, before)
	if r.status != 0 {
		t.Errorf("status %d; stdout:\n%s\nstderr:\n%s", r.status, r.stdout, r.stderr)
	}
	if want := "IFLA_NET_NS_PID: " + pid + " → file descriptor "; !strings.Contains(r.stderr, want) {
		t.Errorf("no %q in:\n%s", want, r.stderr)
	}
	// So does the emitted test.
	dir := t.TempDir()
	if r := runReplayCmd(t, tl, "--emit-go", filepath.Join(dir, "replay_test.go"), file); r.status != 0 {
		t.Fatalf("--emit-go: status %d: %s", r.status, r.stderr)
	}
	runEmitted(t, dir)
	checkHostUnchanged(t, before)
	out, err := exec.Command("ip", "-n", peer.name, "-br", "link").CombinedOutput()
	if err != nil || strings.Contains(string(out), "vq1") {
		t.Errorf("the recorded pid's namespace got a link from the replay: %v\n%s", err, out)
	}
}

// TestReplayNetnsID replays a request that names a peer namespace by a
// netns id the recorded namespace had before the capture: the replay gives
// the id to a stand-in peer namespace, so the request does as recorded and
// the real peer gets nothing.
func TestReplayNetnsID(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	before := hostNetwork(t)
	ns, peer := newNetNS(t), newNetNS(t)
	ns.ip(t, "netns", "set", peer.name, "5")
	file := recordIn(t, tl, ns, "ip link add vz0 link-netnsid 5 type veth peer name vz1")
	ns.ip(t, "link", "del", "vz0") // and vz1 in peer
	r := runReplayCmd(t, tl, "--verbose", file)
	checkHostUnchanged(t, before)
	if r.status != 0 || !strings.Contains(r.stdout, "RTM_NEWLINK: same (ack)") {
		t.Errorf("status %d; stdout:\n%s\nstderr:\n%s", r.status, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "netns id 5: a stand-in peer namespace (inode ") {
		t.Errorf("no stand-in reported:\n%s", r.stderr)
	}
	dir := t.TempDir()
	if r := runReplayCmd(t, tl, "--emit-go", filepath.Join(dir, "replay_test.go"), file); r.status != 0 {
		t.Fatalf("--emit-go: status %d: %s", r.status, r.stderr)
	}
	runEmitted(t, dir)
	checkHostUnchanged(t, before)
	out, err := exec.Command("ip", "-n", peer.name, "-br", "link").CombinedOutput()
	if err != nil || strings.Contains(string(out), "vz1") {
		t.Errorf("the recorded peer namespace got a link from the replay: %v\n%s", err, out)
	}
}

// TestReplaySockets replays a program whose four goroutines each use their
// own socket: the requests of each recorded socket go out on one replay
// socket of their own, and the outcomes match.
func TestReplaySockets(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	before := hostNetwork(t)
	ns := newNetNS(t)
	file := filepath.Join(t.TempDir(), "workers.pcapng")
	logName := filepath.Join(t.TempDir(), "log")
	traceToEnd(t, tl, ns, 0, "-w", file, "-o", os.DevNull, "--", tl.prog, "-log", logName, "workers", "4")
	recs, _ := readPcapng(t, file)
	ports := map[uint32]bool{}
	for _, rec := range recs {
		if rec.Direction == capture.ToKernel {
			ports[rec.PortID] = true
		}
	}
	r := runReplayCmd(t, tl, "--format", "json", file)
	checkHostUnchanged(t, before)
	if r.status != 0 {
		t.Errorf("status %d; stdout:\n%s\nstderr:\n%s", r.status, r.stdout, r.stderr)
	}
	if len(ports) < 4 || r.summary.Summary.Sockets != len(ports) {
		t.Errorf("%d replay sockets for %d recorded ports, want as many (at least 4)", r.summary.Summary.Sockets, len(ports))
	}
}

// TestReplaySendError replays requests whose send the kernel refuses
// (NETLINK_USERSOCK has no kernel socket outside the initial namespace):
// that is their outcome, and the replay goes on.
func TestReplaySendError(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	b := netlinkBytes(client.Message{Header: client.Header{Type: 0x20, Flags: client.FlagRequest | client.FlagAck, Sequence: 1}})
	rec := capture.Record{Time: time.Now(), Direction: capture.ToKernel, Protocol: client.ProtocolUsersock, PortID: 5, Data: b, OrigLen: len(b)}
	r := runReplayCmd(t, tl, writeCapture(t, rec, rec))
	if r.status != 1 || strings.Count(r.stdout, "different: send: recorded none, replayed connection refused") != 2 {
		t.Errorf("status %d; stdout:\n%s\nstderr:\n%s", r.status, r.stdout, r.stderr)
	}
}

// TestReplayTimeout replays requests nothing answers (NETLINK_FIB_LOOKUP
// drops a message shorter than its request struct, and so the no-op that
// ends each send): the replay waits --wait, says so, and goes on.
func TestReplayTimeout(t *testing.T) {
	testenv.RequireRoot(t)
	tl := buildTools(t)
	b := netlinkBytes(client.Message{Header: client.Header{Type: 0x20, Flags: client.FlagRequest | client.FlagAck, Sequence: 1}})
	rec := capture.Record{Time: time.Now(), Direction: capture.ToKernel, Protocol: client.ProtocolFibLookup, PortID: 5, Data: b, OrigLen: len(b)}
	start := time.Now()
	r := runReplayCmd(t, tl, "--wait", "200ms", writeCapture(t, rec, rec))
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("replay took %v with --wait 200ms", took)
	}
	if r.status != 1 || strings.Count(r.stdout, "different: replay timed out waiting for the answer") != 2 {
		t.Errorf("status %d; stdout:\n%s\nstderr:\n%s", r.status, r.stdout, r.stderr)
	}
}

// TestVMReplayTcpdump replays what tcpdump -i nlmon0 wrote: a classic pcap
// with no process, port or direction (all inferred from the headers), and
// every outcome is the same.
func TestVMReplayTcpdump(t *testing.T) {
	testenv.RequireVM(t)
	bin := nltraceBin(t)
	newNamedNetNS(t, "nltd")
	sh(t, "ip", "-n", "nltd", "link", "add", "nlmon0", "type", "nlmon")
	sh(t, "ip", "-n", "nltd", "link", "set", "nlmon0", "up")
	file := filepath.Join(t.TempDir(), "t.pcap")
	td := exec.Command("ip", "netns", "exec", "nltd", "tcpdump", "-i", "nlmon0", "-U", "-Z", "root", "-w", file)
	tdErr, err := td.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := td.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { td.Process.Kill(); td.Wait() })
	lines := bufio.NewScanner(tdErr)
	for lines.Scan() && !strings.Contains(lines.Text(), "listening on nlmon0") {
	}
	go io.Copy(io.Discard, tdErr)

	ip, err := exec.LookPath("ip")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"link", "add", "d0", "type", "dummy"},
		{"link", "set", "d0", "up"},
		{"addr", "add", "10.5.0.1/24", "dev", "d0"},
		{"route", "add", "10.6.0.0/16", "via", "10.5.0.2"},
		{"route", "add", "10.6.0.0/16", "via", "10.5.0.2"},
	} {
		exec.Command(ip, append([]string{"-n", "nltd"}, args...)...).Run()
	}
	// tcpdump writes each packet as it comes (-U): wait until the file
	// holds the last request's refusal, then stop it so it ends cleanly.
	deadline := time.Now().Add(30 * time.Second)
	for !fileHasErrno(file, -int32(unix.EEXIST)) {
		if time.Now().After(deadline) {
			t.Fatal("tcpdump's file never held the EEXIST reply")
		}
		time.Sleep(50 * time.Millisecond)
	}
	td.Process.Signal(syscall.SIGINT)
	td.Wait()

	cmd := exec.Command(bin, "replay", "--format", "json", "--family", "route", file)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("replay: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	var sum summaryLine
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		if strings.HasPrefix(line, `{"summary"`) {
			json.Unmarshal([]byte(line), &sum)
		}
	}
	if s := sum.Summary; s.Requests < 5 || s.Same != s.Requests {
		t.Errorf("summary %+v\n%s", s, stdout.String())
	}
}

// fileHasErrno reports whether the capture file holds an NLMSG_ERROR with
// errno e.
func fileHasErrno(name string, e int32) bool {
	r, err := pcapng.Open(name)
	if err != nil {
		return false
	}
	defer r.Close()
	var rec capture.Record
	for r.ReadInto(context.Background(), &rec) == nil {
		for _, m := range splitMessages(rec.Data) {
			if len(m) >= 20 && msgType(m) == client.TypeError && msgErrno(m) == e {
				return true
			}
		}
	}
	return false
}
