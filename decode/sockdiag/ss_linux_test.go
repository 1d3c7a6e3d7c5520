package sockdiag_test

// Host-tier tests: ss(8) runs under the real nltrace binary in a throwaway
// network namespace holding sockets this test opened, and what we decode
// from the captured replies is compared field by field with what ss
// printed from the same replies.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
	"github.com/nltrace/nltrace/internal/testenv"
)

// hostNS is a named throwaway namespace with lo up.
type hostNS struct {
	name string
	ns   *client.NetNS
}

func newHostNS(t *testing.T) *hostNS {
	t.Helper()
	testenv.RequireRoot(t)
	if _, err := exec.LookPath("ss"); err != nil {
		testenv.Skip(t, testenv.Host, "ss is not installed")
	}
	b := make([]byte, 4)
	rand.Read(b)
	name := "nltrace-sd-" + hex.EncodeToString(b)
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", name).Run() })
	if out, err := exec.Command("ip", "-n", name, "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("ip link set lo up: %v: %s", err, out)
	}
	ns, err := client.OpenNetNS("/run/netns/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Close() })
	return &hostNS{name: name, ns: ns}
}

// buildNltrace builds the nltrace binary once per test run.
func buildNltrace(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("NLTRACE_BIN"); p != "" {
		return p
	}
	out := filepath.Join(toolDir, "nltrace")
	if _, err := os.Stat(out); err == nil {
		return out
	}
	cmd := exec.Command("go", "build", "-o", out, "github.com/nltrace/nltrace/cmd/nltrace")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build nltrace: %v\n%s", err, b)
	}
	return out
}

// traced runs argv under nltrace in the namespace and returns argv's
// standard output and the records nltrace captured.
func (h *hostNS) traced(t *testing.T, argv ...string) (string, []capture.Record) {
	t.Helper()
	bin := buildNltrace(t)
	capFile := filepath.Join(t.TempDir(), "cap.pcapng")
	args := append([]string{"netns", "exec", h.name, bin, "-w", capFile, "-o", os.DevNull, "--"}, argv...)
	cmd := exec.Command("ip", args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("nltrace -- %s: %v\n%s", strings.Join(argv, " "), err, stderr.String())
	}
	rd, err := pcapng.Open(capFile)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var recs []capture.Record
	for r, err := range capture.Records(context.Background(), rd) {
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if *record {
		name := strings.Join(argv, "_")
		name = regexp.MustCompile(`[^a-zA-Z0-9_]+`).ReplaceAllString(name, "")
		dst := filepath.Join("testdata", "captures", name+".pcapng")
		b, err := os.ReadFile(capFile)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return stdout.String(), recs
}

// openSockets opens, inside the namespace, a TCP server on IPv4 and IPv6
// with connections that carried data both ways (so tcp_info holds real
// values), a UDP socket, unix sockets (path and abstract), a packet socket
// and a netlink socket. They stay open until the test ends.
func (h *hostNS) openSockets(t *testing.T) {
	t.Helper()
	var closers []io.Closer
	t.Cleanup(func() {
		for _, c := range closers {
			c.Close()
		}
	})
	err := h.ns.Do(func() error {
		for _, addr := range []string{"127.0.0.1:5555", "[::1]:5556"} {
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			closers = append(closers, ln)
			for i := 1; i <= 2; i++ {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					return err
				}
				s, err := ln.Accept()
				if err != nil {
					return err
				}
				closers = append(closers, c, s)
				if err := exchange(c, s, 50000*i, 3000*i); err != nil {
					return err
				}
			}
		}
		u, err := net.ListenPacket("udp", "127.0.0.1:5557")
		if err != nil {
			return err
		}
		closers = append(closers, u)
		for _, name := range []string{"@nltrace-sockdiag-test", filepath.Join(t.TempDir(), "s.sock")} {
			ln, err := net.Listen("unix", name)
			if err != nil {
				return err
			}
			c, err := net.Dial("unix", name)
			if err != nil {
				return err
			}
			s, err := ln.Accept()
			if err != nil {
				return err
			}
			if _, err := c.Write([]byte("queued")); err != nil {
				return err
			}
			closers = append(closers, ln, c, s)
		}
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW, int(htons(unix.ETH_P_ALL)))
		if err != nil {
			return err
		}
		closers = append(closers, fdCloser(fd))
		nl, err := client.Dial(client.ProtocolRoute, nil)
		if err != nil {
			return err
		}
		closers = append(closers, nl)
		return nl.JoinGroup(unix.RTNLGRP_LINK)
	})
	if err != nil {
		t.Fatal(err)
	}
}

type fdCloser int

func (f fdCloser) Close() error { return unix.Close(int(f)) }

func htons(v uint16) uint16 { return v<<8 | v>>8 }

// exchange sends n bytes from a to b and m bytes back, and waits for both.
func exchange(a, b net.Conn, n, m int) error {
	done := make(chan error, 1)
	go func() {
		_, err := io.ReadFull(b, make([]byte, n))
		if err == nil {
			_, err = b.Write(make([]byte, m))
		}
		done <- err
	}()
	if _, err := a.Write(make([]byte, n)); err != nil {
		return err
	}
	if _, err := io.ReadFull(a, make([]byte, m)); err != nil {
		return err
	}
	return <-done
}

// decodedSocket is one decoded SOCK_DIAG_BY_FAMILY reply.
type decodedSocket struct {
	tree *decode.Tree
	idx  int
}

func (s decodedSocket) field(path string) *decode.Field {
	names := strings.Split(path, "/")
	fields := s.tree.MessageFields(s.idx)
	var found *decode.Field
	for depth, name := range names {
		found = nil
		for j := range fields {
			f := &fields[j]
			if int(f.Depth) == depth && f.Name == name {
				found = f
				end := j + 1
				for end < len(fields) && int(fields[end].Depth) > depth {
					end++
				}
				fields = fields[j+1 : end]
				break
			}
		}
		if found == nil {
			return nil
		}
	}
	return found
}

func (s decodedSocket) num(path string) (uint64, bool) {
	f := s.field(path)
	if f == nil || (f.Kind != decode.KindUint && f.Kind != decode.KindInt) {
		return 0, false
	}
	return f.Num, true
}

func (s decodedSocket) text(path string) string {
	f := s.field(path)
	if f == nil {
		return ""
	}
	return string(decode.AppendValue(nil, s.tree, f))
}

// decodeReplies decodes the records and returns the sock_diag replies
// that describe sockets, checking that every message and field is named.
func decodeReplies(t *testing.T, recs []capture.Record) []decodedSocket {
	t.Helper()
	d := decode.NewDecoder(families.NewRegistry())
	var out []decodedSocket
	for i := range recs {
		if recs[i].Protocol != unix.NETLINK_SOCK_DIAG {
			continue
		}
		tree := &decode.Tree{}
		d.Decode(tree, &recs[i])
		if p := problems(tree); len(p) > 0 {
			t.Errorf("record %d:\n%s", i, strings.Join(p, "\n"))
		}
		for j := range tree.Messages {
			m := &tree.Messages[j]
			if recs[i].Direction == capture.FromKernel && m.Header.Type == 20 {
				out = append(out, decodedSocket{tree, j})
			}
		}
	}
	return out
}

// ssLine is one socket line of ss -O output: its columns and its
// key:value tokens.
type ssLine struct {
	raw  []string
	cols []string
	kv   map[string]string
}

func parseSS(out string) []ssLine {
	var lines []ssLine
	for i, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if i == 0 || strings.TrimSpace(l) == "" {
			continue
		}
		f := strings.Fields(l)
		sl := ssLine{raw: f, kv: map[string]string{}}
		for j, tok := range f {
			k, v, ok := strings.Cut(tok, ":")
			if ok && regexp.MustCompile(`^[a-z_]+$`).MatchString(k) && !strings.HasPrefix(tok, "users:") {
				sl.kv[k] = v
				continue
			}
			switch tok {
			case "send", "pacing_rate", "delivery_rate":
				if j+1 < len(f) {
					sl.kv[tok] = f[j+1]
				}
			}
			sl.cols = append(sl.cols, tok)
		}
		lines = append(lines, sl)
	}
	return lines
}

// g formats v as C's %g does (6 significant digits, trailing zeros cut).
func g(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

func hostPort(addr string, port uint64, v6 bool) string {
	if v6 {
		return "[" + addr + "]:" + strconv.FormatUint(port, 10)
	}
	return addr + ":" + strconv.FormatUint(port, 10)
}

// TestSSTCP compares `ss -tinmeO` with our decode of the replies ss got:
// state, queues, addresses and ports, inode, cookie, socket memory and
// the tcp_info values ss prints.
func TestSSTCP(t *testing.T) {
	h := newHostNS(t)
	h.openSockets(t)
	out, recs := h.traced(t, "ss", "-tinmepO")
	want := map[string]map[string]string{}
	for _, l := range parseSS(out) {
		if len(l.cols) < 5 {
			t.Fatalf("ss line with %d columns: %v", len(l.cols), l.cols)
		}
		key := l.cols[3] + " " + l.cols[4]
		w := map[string]string{"state": l.cols[0], "recvq": l.cols[1], "sendq": l.cols[2]}
		for _, k := range []string{"ino", "sk", "skmem", "wscale", "rto", "rtt", "ato", "mss", "pmtu", "rcvmss", "advmss",
			"cwnd", "bytes_sent", "bytes_acked", "bytes_received", "segs_out", "segs_in", "data_segs_out", "data_segs_in",
			"lastsnd", "lastrcv", "lastack", "delivered", "rcv_space", "rcv_ssthresh", "minrtt", "snd_wnd", "rcv_rtt"} {
			if v, ok := l.kv[k]; ok {
				w[k] = v
			}
		}
		want[key] = w
	}
	if len(want) < 8 {
		t.Fatalf("ss showed %d TCP sockets, want the 8 connections this test opened:\n%s", len(want), out)
	}
	got := map[string]map[string]string{}
	for _, s := range decodeReplies(t, recs) {
		v6 := s.text("inet_diag_msg/idiag_family") == "inet6"
		sport, _ := s.num("inet_diag_msg/idiag_sport")
		dport, _ := s.num("inet_diag_msg/idiag_dport")
		key := hostPort(s.text("inet_diag_msg/idiag_src"), sport, v6) + " " + hostPort(s.text("inet_diag_msg/idiag_dst"), dport, v6)
		w := want[key]
		gw := map[string]string{
			"state": s.text("inet_diag_msg/idiag_state"),
			"recvq": s.text("inet_diag_msg/idiag_rqueue"),
			"sendq": s.text("inet_diag_msg/idiag_wqueue"),
			"ino":   s.text("inet_diag_msg/idiag_inode"),
			"sk":    strings.TrimPrefix(s.text("inet_diag_msg/idiag_cookie"), "0x"),
		}
		var mem []string
		for _, k := range []struct{ ss, ours string }{{"r", "RMEM_ALLOC"}, {"rb", "RCVBUF"}, {"t", "WMEM_ALLOC"}, {"tb", "SNDBUF"},
			{"f", "FWD_ALLOC"}, {"w", "WMEM_QUEUED"}, {"o", "OPTMEM"}, {"bl", "BACKLOG"}, {"d", "DROPS"}} {
			mem = append(mem, k.ss+s.text("INET_DIAG_SKMEMINFO/SK_MEMINFO_"+k.ours))
		}
		gw["skmem"] = "(" + strings.Join(mem, ",") + ")"
		info := func(name string) uint64 {
			v, ok := s.num("INET_DIAG_INFO/tcpi_" + name)
			if !ok {
				t.Errorf("%s: no tcpi_%s", key, name)
			}
			return v
		}
		ms := func(name string) string { return g(float64(info(name)) / 1000) }
		u := func(name string) string { return strconv.FormatUint(info(name), 10) }
		nz := func(k, name string) {
			if v := info(name); v != 0 {
				gw[k] = strconv.FormatUint(v, 10)
			}
		}
		gw["wscale"] = u("snd_wscale") + "," + u("rcv_wscale")
		gw["rto"] = ms("rto")
		gw["rtt"] = ms("rtt") + "/" + ms("rttvar")
		gw["ato"] = ms("ato")
		gw["mss"] = u("snd_mss")
		gw["pmtu"] = u("pmtu")
		gw["rcvmss"] = u("rcv_mss")
		gw["advmss"] = u("advmss")
		gw["cwnd"] = u("snd_cwnd")
		for _, k := range []string{"bytes_sent", "bytes_acked", "bytes_received", "segs_out", "segs_in", "data_segs_out", "data_segs_in", "delivered", "rcv_ssthresh", "snd_wnd"} {
			nz(k, k)
		}
		nz("lastsnd", "last_data_sent")
		nz("lastrcv", "last_data_recv")
		nz("lastack", "last_ack_recv")
		gw["rcv_space"] = u("rcv_space")
		if info("min_rtt") != 0 {
			gw["minrtt"] = ms("min_rtt")
		}
		if info("rcv_rtt") != 0 {
			gw["rcv_rtt"] = ms("rcv_rtt")
		}
		if w == nil {
			t.Errorf("decoded socket %s that ss did not show", key)
			continue
		}
		got[key] = gw
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-ss +decoded):\n%s", diff)
	}
	nonzero := 0
	for _, w := range got {
		if w["bytes_acked"] != "" && w["bytes_received"] != "" {
			nonzero++
		}
	}
	if nonzero < 8 {
		t.Errorf("%d sockets with bytes acked and received, want 8 (the test's connections carried data)", nonzero)
	}
}

// TestSSUnix compares `ss -xae` (unix sockets) with our decode: type,
// state, queues, name, inode, peer, VFS inode.
func TestSSUnix(t *testing.T) {
	h := newHostNS(t)
	h.openSockets(t)
	out, recs := h.traced(t, "ss", "-xaepO")
	want := map[string][]string{}
	for _, l := range parseSS(out) {
		// Netid State Recv-Q Send-Q Local Port Peer Port ...
		if len(l.cols) < 8 {
			t.Fatalf("ss line with %d columns: %v", len(l.cols), l.cols)
		}
		want[l.cols[5]] = []string{l.cols[0], l.cols[1], l.cols[2], l.cols[3], l.cols[4], l.cols[7], l.kv["ino"]}
	}
	got := map[string][]string{}
	for _, s := range decodeReplies(t, recs) {
		ino := s.text("unix_diag_msg/udiag_ino")
		name := "*"
		if n := s.text("UNIX_DIAG_NAME/path"); n != "" {
			name, _ = strconv.Unquote(n)
		} else if n := s.text("UNIX_DIAG_NAME/abstract_name"); n != "" {
			name = n
		}
		peer := s.text("UNIX_DIAG_PEER")
		if peer == "" {
			peer = "0"
		}
		rq, wq := s.text("UNIX_DIAG_RQLEN/udiag_rqueue"), s.text("UNIX_DIAG_RQLEN/udiag_wqueue")
		got[ino] = []string{s.text("unix_diag_msg/udiag_type"), s.text("unix_diag_msg/udiag_state"), rq, wq, name, peer, s.text("UNIX_DIAG_VFS/udiag_vfs_ino")}
	}
	if len(want) < 6 {
		t.Fatalf("ss showed %d unix sockets, want at least the 6 this test opened:\n%s", len(want), out)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-ss +decoded) [netid state recvq sendq name peer vfs-ino]:\n%s", diff)
	}
}

// TestSSPacketNetlink compares `ss -0ae` and `ss -A netlink -ae` with
// our decode: packet socket type, protocol and inode; netlink socket
// protocol, port id and inode.
func TestSSPacketNetlink(t *testing.T) {
	h := newHostNS(t)
	h.openSockets(t)
	t.Run("packet", func(t *testing.T) {
		out, recs := h.traced(t, "ss", "-0aepO")
		var want, got []string
		for _, l := range parseSS(out) {
			want = append(want, l.cols[0]+" ino:"+l.kv["ino"])
		}
		for _, s := range decodeReplies(t, recs) {
			got = append(got, s.text("packet_diag_msg/pdiag_type")+" ino:"+s.text("packet_diag_msg/pdiag_ino"))
			if s.text("packet_diag_msg/pdiag_num") != "0x3" || s.text("PACKET_DIAG_INFO/pdi_flags") != "running" {
				t.Errorf("packet socket: protocol %s flags %s, want 0x3 (ETH_P_ALL), running", s.text("packet_diag_msg/pdiag_num"), s.text("PACKET_DIAG_INFO/pdi_flags"))
			}
		}
		if len(want) != 1 {
			t.Errorf("ss showed %d packet sockets, want 1:\n%s", len(want), out)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-ss +decoded):\n%s", diff)
		}
	})
	t.Run("netlink", func(t *testing.T) {
		out, recs := h.traced(t, "ss", "-A", "netlink", "-aepO")
		want := map[string]bool{}
		for _, l := range parseSS(out) {
			// State Recv-Q Send-Q proto:comm/port (or proto:kernel) ...
			proto, owner, _ := strings.Cut(l.raw[3], ":")
			if i := strings.LastIndexByte(owner, '/'); i >= 0 {
				owner = owner[i+1:]
			}
			want[l.raw[0]+" "+proto+":"+owner+" rq:"+l.raw[1]] = true
		}
		// ss's names for the protocols nltrace names otherwise.
		ssNames := map[string]string{"route": "rtnl", "sock_diag": "tcpdiag", "netfilter": "nft", "generic": "genl", "fib_lookup": "fiblookup", "firewall": "fw", "usersock": "usersock"}
		got := map[string]bool{}
		for _, s := range decodeReplies(t, recs) {
			proto := s.text("netlink_diag_msg/ndiag_protocol")
			if n, ok := ssNames[proto]; ok {
				proto = n
			}
			port, _ := s.num("netlink_diag_msg/ndiag_portid")
			p := strconv.FormatUint(port, 10)
			if port == 0 {
				p = "kernel"
			}
			got[s.text("netlink_diag_msg/ndiag_state")+" "+proto+":"+p+" rq:"+s.text("NETLINK_DIAG_MEMINFO/SK_MEMINFO_RMEM_ALLOC")] = true
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-ss +decoded):\n%s", diff)
		}
		for _, s := range decodeReplies(t, recs) {
			if s.text("netlink_diag_msg/ndiag_protocol") == "route" && s.text("NETLINK_DIAG_GROUPS/groups") == "1" {
				return
			}
		}
		t.Errorf("no route socket in group 1 (RTNLGRP_LINK) decoded")
	})
}
