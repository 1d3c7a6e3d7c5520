package nfct_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/internal/testenv"
	"golang.org/x/sys/unix"
)

// nsPair is two throwaway named namespaces joined by a veth pair: a
// (10.88.0.1, fd88::1) with conntrack enabled by an nft ruleset, and b
// (10.88.0.2, fd88::2), the peer that traffic goes to.
type nsPair struct{ a, b string }

func newNSPair(t *testing.T) *nsPair {
	t.Helper()
	testenv.RequireRoot(t)
	for _, tool := range []string{"ip", "nft", "conntrack", "python3"} {
		if _, err := exec.LookPath(tool); err != nil {
			testenv.Skip(t, testenv.Host, tool+" is not installed (scripts/deps installs it)")
		}
	}
	p := &nsPair{a: fmt.Sprintf("nltrace-nfct-a-%d", os.Getpid()), b: fmt.Sprintf("nltrace-nfct-b-%d", os.Getpid())}
	for _, n := range []string{p.a, p.b} {
		if out, err := exec.Command("ip", "netns", "add", n).CombinedOutput(); err != nil {
			t.Fatalf("ip netns add: %v: %s", err, out)
		}
		n := n
		t.Cleanup(func() { exec.Command("ip", "netns", "del", n).Run() })
	}
	for _, c := range [][]string{
		{"ip", "-n", p.a, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", p.b},
		{"ip", "-n", p.a, "addr", "add", "10.88.0.1/24", "dev", "va"},
		{"ip", "-n", p.b, "addr", "add", "10.88.0.2/24", "dev", "vb"},
		{"ip", "-n", p.a, "addr", "add", "fd88::1/64", "dev", "va", "nodad"},
		{"ip", "-n", p.b, "addr", "add", "fd88::2/64", "dev", "vb", "nodad"},
		{"ip", "-n", p.a, "link", "set", "va", "up"},
		{"ip", "-n", p.b, "link", "set", "vb", "up"},
		{"ip", "-n", p.a, "link", "set", "lo", "up"},
		{"ip", "-n", p.b, "link", "set", "lo", "up"},
		{"ip", "netns", "exec", p.a, "sysctl", "-qw", "net.netfilter.nf_conntrack_acct=1"},
	} {
		if out, err := exec.Command(c[0], c[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v: %s", strings.Join(c, " "), err, out)
		}
	}
	// Conntrack tracks a namespace's packets only once a rule there needs it.
	nft := exec.Command("ip", "netns", "exec", p.a, "nft", "-f", "-")
	nft.Stdin = strings.NewReader("table inet t {\n chain out {\n type filter hook output priority 0;\n ct state new counter accept\n }\n}\n")
	if out, err := nft.CombinedOutput(); err != nil {
		t.Fatalf("nft: %v: %s", err, out)
	}
	return p
}

// run runs a command in namespace a and returns its standard output.
func (p *nsPair) run(t *testing.T, args ...string) string {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command("ip", append([]string{"netns", "exec", p.a}, args...)...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// traffic makes a TCP connection, a UDP datagram and ICMP and ICMPv6
// echoes from a to b, so that conntrack has entries of every kind.
func (p *nsPair) traffic(t *testing.T) {
	t.Helper()
	srv := exec.Command("ip", "netns", "exec", p.b, "python3", "-c", `
import socket, sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("10.88.0.2",8080)); s.listen(1)
print("ready", flush=True)
c,_=s.accept(); c.recv(10); c.send(b"pong"); c.close()`)
	out, _ := srv.StdoutPipe()
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Wait()
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "ready\n" {
		t.Fatalf("server: %q", line)
	}
	p.run(t, "python3", "-c", `
import socket, struct
c=socket.create_connection(("10.88.0.2",8080)); c.send(b"ping"); c.recv(10)
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x",("10.88.0.2",9999))
def ck(b):
	s=sum(struct.unpack("!%dH"%(len(b)//2), b)); s=(s>>16)+(s&0xffff); s+=s>>16; return ~s&0xffff
p=struct.pack("!BBHHH",8,0,0,77,1)+b"nltrace"+b"\0"
p=p[:2]+struct.pack("!H",ck(p))+p[4:]
s=socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); s.settimeout(2); s.sendto(p,("10.88.0.2",0)); s.recv(100)
s6=socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6); s6.settimeout(2)
s6.sendto(struct.pack("!BBHHH",128,0,0,78,1)+b"nltrace6",("fd88::2",0)); s6.recv(100)
c.close()`)
}

// socket opens a NETLINK_NETFILTER socket in namespace a.
func (p *nsPair) socket(t *testing.T, groups ...int) int {
	t.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	self, err := os.Open("/proc/thread-self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	defer self.Close()
	target, err := os.Open("/run/netns/" + p.a)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
		t.Fatal(err)
	}
	fd, serr := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_NETFILTER)
	if err := unix.Setns(int(self.Fd()), unix.CLONE_NEWNET); err != nil {
		t.Fatalf("return to own netns: %v", err)
	}
	if serr != nil {
		t.Fatal(serr)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		if err := unix.SetsockoptInt(fd, unix.SOL_NETLINK, unix.NETLINK_ADD_MEMBERSHIP, g); err != nil {
			t.Fatalf("join group %d: %v", g, err)
		}
	}
	unix.SetsockoptInt(fd, unix.SOL_NETLINK, unix.NETLINK_EXT_ACK, 1)
	return fd
}

// exchange sends one request and returns it and every record received
// until its ACK, error or the end of its dump.
func exchange(t *testing.T, fd int, typ, flags uint16, seq uint32, body []byte) []capture.Record {
	t.Helper()
	m := client.Message{Header: client.Header{Type: typ, Flags: flags | client.FlagRequest, Sequence: seq}, Data: body}
	b, _ := m.MarshalBinary()
	if err := unix.Sendto(fd, b, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		t.Fatalf("send: %v", err)
	}
	recs := []capture.Record{{Direction: capture.ToKernel, Protocol: unix.NETLINK_NETFILTER, Data: b, OrigLen: len(b)}}
	for {
		buf := make([]byte, 1<<20)
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil {
			t.Fatalf("recv: %v", err)
		}
		recs = append(recs, capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_NETFILTER, Data: buf[:n], OrigLen: n})
		for msg, err := range client.Messages(buf[:n]) {
			if err != nil {
				t.Fatalf("reply: %v", err)
			}
			if msg.Header.Sequence == seq && (msg.Header.Type == client.TypeDone || msg.Header.Type == client.TypeError || msg.Header.Flags&client.FlagMulti == 0) {
				return recs
			}
		}
	}
}

func nfgen(family uint8, attrs []byte) []byte {
	return append([]byte{family, 0, 0, 0}, attrs...)
}

// fieldMap flattens a decoded message into slash-joined attribute paths
// and their values as text.
func fieldMap(tr *decode.Tree, i int) map[string]string {
	out := map[string]string{}
	var path []string
	for _, f := range tr.MessageFields(i) {
		path = append(path[:f.Depth], string(decode.AppendName(nil, &f)))
		out[strings.Join(path, "/")] = string(decode.AppendValue(nil, tr, &f))
	}
	return out
}

// conntrackLine builds, from our decode of one conntrack entry, the tokens
// `conntrack -L -o extended,id` prints for it.
func conntrackLine(f map[string]string, withL3 bool) []string {
	var tok []string
	l3 := f["nfgenmsg/nfgen_family"]
	if withL3 {
		tok = append(tok, l3, map[string]string{"ipv4": "2", "ipv6": "10"}[l3])
	}
	proto := f["CTA_TUPLE_ORIG/CTA_TUPLE_PROTO/CTA_PROTO_NUM"]
	tok = append(tok, proto, strconv.Itoa(map[string]int{"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58}[proto]))
	tok = append(tok, strings.TrimSuffix(f["CTA_TIMEOUT"], "sec"))
	if s, ok := f["CTA_PROTOINFO/CTA_PROTOINFO_TCP/CTA_PROTOINFO_TCP_STATE"]; ok {
		tok = append(tok, s)
	}
	tuple := func(dir, counters string) {
		ip := "V4"
		if l3 == "ipv6" {
			ip = "V6"
		}
		p := dir + "/CTA_TUPLE_IP/CTA_IP_" + ip
		tok = append(tok, "src="+f[p+"_SRC"], "dst="+f[p+"_DST"])
		pp := dir + "/CTA_TUPLE_PROTO/CTA_PROTO_"
		switch proto {
		case "icmp":
			tok = append(tok, "type="+f[pp+"ICMP_TYPE"], "code="+f[pp+"ICMP_CODE"], "id="+f[pp+"ICMP_ID"])
		case "icmpv6":
			tok = append(tok, "type="+f[pp+"ICMPV6_TYPE"], "code="+f[pp+"ICMPV6_CODE"], "id="+f[pp+"ICMPV6_ID"])
		default:
			tok = append(tok, "sport="+f[pp+"SRC_PORT"], "dport="+f[pp+"DST_PORT"])
		}
		if v, ok := f[counters+"/CTA_COUNTERS_PACKETS"]; ok {
			tok = append(tok, "packets="+v, "bytes="+f[counters+"/CTA_COUNTERS_BYTES"])
		}
	}
	status := "," + f["CTA_STATUS"] + ","
	tuple("CTA_TUPLE_ORIG", "CTA_COUNTERS_ORIG")
	if !strings.Contains(status, ",SEEN_REPLY,") {
		tok = append(tok, "[UNREPLIED]")
	}
	tuple("CTA_TUPLE_REPLY", "CTA_COUNTERS_REPLY")
	if strings.Contains(status, ",ASSURED,") {
		tok = append(tok, "[ASSURED]")
	}
	tok = append(tok, "mark="+f["CTA_MARK"])
	if z, ok := f["CTA_ZONE"]; ok {
		tok = append(tok, "zone="+z)
	}
	return append(tok, "use="+f["CTA_USE"], "id="+f["CTA_ID"])
}

// sameLine compares token lists, allowing the timeout (token at index ti)
// to differ by the second or two between the two reads.
func sameLine(a, b []string, ti int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if i == ti {
			x, err1 := strconv.Atoi(a[i])
			y, err2 := strconv.Atoi(b[i])
			if err1 != nil || err2 != nil || x-y > 2 || y-x > 2 {
				return false
			}
			continue
		}
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestAgreesWithConntrackList dumps the conntrack table of a namespace
// with real TCP, UDP, ICMP and ICMPv6 entries (and one inserted with a
// mark and a zone) over a raw socket, decodes the dump, and compares each
// entry with the line `conntrack -L -o extended,id` prints for it.
func TestAgreesWithConntrackList(t *testing.T) {
	p := newNSPair(t)
	p.traffic(t)
	p.run(t, "conntrack", "-I", "-p", "tcp", "-s", "10.88.0.5", "-d", "10.88.0.6", "--sport", "1000", "--dport", "80",
		"--state", "ESTABLISHED", "-t", "100", "-u", "ASSURED", "-m", "7", "--zone", "3")
	fd := p.socket(t)
	recs := exchange(t, fd, 1<<8|1, client.FlagDump, 1, nfgen(unix.AF_UNSPEC, nil)) // IPCTNL_MSG_CT_GET
	listed := p.run(t, "conntrack", "-L", "-o", "extended,id")

	d := decode.NewDecoder(registry())
	var tr decode.Tree
	ours := map[string][]string{}
	for _, rec := range recs {
		d.Decode(&tr, &rec)
		if pr := problems(&tr); len(pr) > 0 {
			t.Errorf("%s", strings.Join(pr, "\n"))
		}
		for i := range tr.Messages {
			if tr.Messages[i].Name != "IPCTNL_MSG_CT_NEW" {
				continue
			}
			line := conntrackLine(fieldMap(&tr, i), true)
			ours[line[len(line)-1]] = line
		}
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(listed), "\n") {
		theirs := strings.Fields(line)
		if len(theirs) == 0 {
			continue
		}
		id := theirs[len(theirs)-1]
		mine, ok := ours[id]
		if !ok {
			t.Errorf("conntrack lists %s, our decode of the dump lacks it", line)
			continue
		}
		n++
		if !sameLine(theirs, mine, 4) {
			t.Errorf("entry %s:\nconntrack: %s\nnltrace:   %s", id, line, strings.Join(mine, " "))
		}
	}
	if n != len(ours) || n < 5 {
		t.Errorf("conntrack listed %d entries, the dump held %d (want at least 5: tcp, udp, icmp, icmpv6, inserted)", n, len(ours))
	}
	t.Logf("%d entries agree", n)
}

// TestAgreesWithConntrackEvents listens for conntrack events on a raw
// socket while `conntrack -E -o id` does, makes traffic and inserts,
// updates and deletes an entry, and compares the event kinds, ids and
// states: our [NEW]/[UPDATE]/[DESTROY] must be conntrack's.
func TestAgreesWithConntrackEvents(t *testing.T) {
	p := newNSPair(t)
	fd := p.socket(t, 1, 2, 3) // NFNLGRP_CONNTRACK_NEW, _UPDATE, _DESTROY
	ev := exec.Command("ip", "netns", "exec", p.a, "stdbuf", "-oL", "conntrack", "-E", "-o", "id")
	var evOut bytes.Buffer
	ev.Stdout = &evOut
	if err := ev.Start(); err != nil {
		t.Fatal(err)
	}
	// conntrack -E has joined its groups once it reports nothing yet;
	// give it a moment, then make events.
	time.Sleep(300 * time.Millisecond)
	p.traffic(t)
	p.run(t, "conntrack", "-I", "-p", "udp", "-s", "10.88.0.9", "-d", "10.88.0.8", "--sport", "53", "--dport", "5353", "-t", "60", "-m", "3")
	p.run(t, "conntrack", "-U", "-p", "udp", "-s", "10.88.0.9", "-m", "5")
	p.run(t, "conntrack", "-D", "-p", "udp", "-s", "10.88.0.9")
	time.Sleep(300 * time.Millisecond)
	ev.Process.Signal(unix.SIGTERM)
	ev.Wait()

	tv := unix.Timeval{Usec: 200000}
	unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
	d := decode.NewDecoder(registry())
	var tr decode.Tree
	var ours []string
	for {
		buf := make([]byte, 1<<16)
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil {
			break
		}
		rec := capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_NETFILTER, Data: buf[:n], OrigLen: n, Group: 1}
		d.Decode(&tr, &rec)
		if pr := problems(&tr); len(pr) > 0 {
			t.Errorf("%s", strings.Join(pr, "\n"))
		}
		for i := range tr.Messages {
			name := tr.Messages[i].Name
			kind := name[strings.IndexByte(name, '[')+1:]
			f := fieldMap(&tr, i)
			ours = append(ours, "["+kind+" "+f["CTA_ID"]+" "+f["CTA_PROTOINFO/CTA_PROTOINFO_TCP/CTA_PROTOINFO_TCP_STATE"])
		}
	}
	var theirs []string
	for _, line := range strings.Split(strings.TrimSpace(evOut.String()), "\n") {
		tok := strings.Fields(line)
		if len(tok) < 4 || !strings.HasPrefix(tok[0], "[") {
			continue
		}
		state := ""
		if tok[1] == "tcp" && tok[0] != "[DESTROY]" {
			state = tok[4]
		}
		// The entry's id is the last id= (ICMP tuples have their own);
		// events user space caused end with [USERSPACE] and its port.
		id := ""
		for _, x := range tok {
			if strings.HasPrefix(x, "id=") {
				id = strings.TrimPrefix(x, "id=")
			}
		}
		theirs = append(theirs, tok[0]+" "+id+" "+state)
	}
	if strings.Join(ours, "\n") != strings.Join(theirs, "\n") {
		t.Errorf("events differ:\nconntrack -E:\n%s\nnltrace:\n%s\nraw conntrack -E output:\n%s", strings.Join(theirs, "\n"), strings.Join(ours, "\n"), evOut.String())
	}
	kinds := strings.Join(ours, "\n")
	for _, k := range []string{"[NEW]", "[UPDATE]", "[DESTROY]"} {
		if !strings.Contains(kinds, k) {
			t.Errorf("no %s event among %d", k, len(ours))
		}
	}
	t.Logf("%d events agree", len(ours))
}
