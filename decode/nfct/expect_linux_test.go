package nfct_test

import (
	"bufio"
	"os/exec"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"golang.org/x/sys/unix"
)

// ftpExpectation makes the kernel's FTP helper expect a data connection:
// the namespace's output chain gives TCP port 21 the ftp helper, and a
// client on a logs in to a server on b and sends an EPRT command (the
// helper reads commands only after a line it has seen end).
func (p *nsPair) ftpExpectation(t *testing.T) (done func()) {
	t.Helper()
	p.run(t, "nft", "add", "ct", "helper", "inet", "t", "ftp-std", `{ type "ftp" protocol tcp; }`)
	p.run(t, "nft", "insert", "rule", "inet", "t", "out", "tcp", "dport", "21", "ct", "helper", "set", `"ftp-std"`)
	srv := exec.Command("ip", "netns", "exec", p.b, "python3", "-c", `
import socket
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("10.88.0.2",21)); s.listen(1)
print("ready", flush=True)
c,_=s.accept(); c.send(b"220 hi\r\n"); c.recv(100); c.send(b"230 ok\r\n"); c.recv(100); c.send(b"200 ok\r\n"); c.recv(100); c.close()`)
	out, _ := srv.StdoutPipe()
	var stderr strings.Builder
	srv.Stderr = &stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	stop := func() {
		srv.Process.Kill()
		srv.Wait()
	}
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "ready\n" {
		stop()
		t.Fatalf("ftp server: %q %s", line, stderr.String())
	}
	cli := exec.Command("ip", "netns", "exec", p.a, "python3", "-c", `
import socket, sys
c=socket.create_connection(("10.88.0.2",21)); c.recv(100)
c.sendall(b"USER anonymous\r\n"); c.recv(100)
c.sendall(b"EPRT |1|10.88.0.1|51211|\r\n"); c.recv(100)
print("sent", flush=True)
sys.stdin.read()
c.sendall(b"QUIT\r\n")`)
	cout, _ := cli.StdoutPipe()
	cin, _ := cli.StdinPipe()
	if err := cli.Start(); err != nil {
		stop()
		t.Fatal(err)
	}
	done = func() {
		cin.Close()
		cli.Wait()
		stop()
	}
	if line, _ := bufio.NewReader(cout).ReadString('\n'); line != "sent\n" {
		done()
		t.Fatalf("ftp client: %q", line)
	}
	return done
}

// TestAgreesWithConntrackExpect makes an FTP data-connection expectation,
// listens for expectation events and dumps the expectations over a raw
// socket, and compares our decode with `conntrack -L expect`: tuple, mask,
// master tuple, class, helper and timeout; and the event must be [NEW].
func TestAgreesWithConntrackExpect(t *testing.T) {
	p := newNSPair(t)
	events := p.socket(t, 4, 5, 6) // NFNLGRP_CONNTRACK_EXP_NEW, _UPDATE, _DESTROY
	done := p.ftpExpectation(t)
	defer done()
	fd := p.socket(t)
	recs := exchange(t, fd, 2<<8|1, client.FlagDump, 1, nfgen(unix.AF_UNSPEC, nil)) // IPCTNL_MSG_EXP_GET
	listed := p.run(t, "conntrack", "-L", "expect")
	tv := unix.Timeval{Usec: 200000}
	unix.SetsockoptTimeval(events, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
	var evRecs []capture.Record
	for {
		buf := make([]byte, 1<<16)
		n, _, err := unix.Recvfrom(events, buf, 0)
		if err != nil {
			break
		}
		evRecs = append(evRecs, capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_NETFILTER, Data: buf[:n], OrigLen: n, Group: 4})
	}
	all := append(evRecs, recs...)
	msgs := decodeAll(t, all)
	saveCapture(t, "ct-expect-ftp", all)

	var dumped, event map[string]string
	for _, m := range msgs {
		switch m["."] {
		case "IPCTNL_MSG_EXP_NEW":
			dumped = m
		case "IPCTNL_MSG_EXP_NEW [NEW]":
			event = m
		}
	}
	if dumped == nil || event == nil {
		t.Fatalf("want a dumped expectation and a [NEW] event, got %v\n%s\n%s", msgs, p.run(t, "conntrack", "-L"), p.run(t, "nft", "list", "ruleset"))
	}
	// conntrack -L expect: "TIMEOUT proto=6 src= dst= sport= dport=
	// mask-src= mask-dst= sport= dport= master-src= master-dst= sport=
	// dport= class= helper=".
	tup := func(prefix, nest string) []string {
		return []string{
			prefix + "src=" + dumped[nest+"/CTA_TUPLE_IP/CTA_IP_V4_SRC"],
			prefix + "dst=" + dumped[nest+"/CTA_TUPLE_IP/CTA_IP_V4_DST"],
			"sport=" + dumped[nest+"/CTA_TUPLE_PROTO/CTA_PROTO_SRC_PORT"],
			"dport=" + dumped[nest+"/CTA_TUPLE_PROTO/CTA_PROTO_DST_PORT"],
		}
	}
	ours := []string{strings.TrimSuffix(dumped["CTA_EXPECT_TIMEOUT"], "sec"), "proto=6"}
	if dumped["CTA_EXPECT_TUPLE/CTA_TUPLE_PROTO/CTA_PROTO_NUM"] != "tcp" {
		t.Errorf("expected tuple protocol %q", dumped["CTA_EXPECT_TUPLE/CTA_TUPLE_PROTO/CTA_PROTO_NUM"])
	}
	ours = append(ours, tup("", "CTA_EXPECT_TUPLE")...)
	ours = append(ours, tup("mask-", "CTA_EXPECT_MASK")...)
	ours = append(ours, tup("master-", "CTA_EXPECT_MASTER")...)
	ours = append(ours, "class="+dumped["CTA_EXPECT_CLASS"], "helper="+strings.Trim(dumped["CTA_EXPECT_HELP_NAME"], `"`))
	theirs := strings.Fields(strings.TrimSpace(listed))
	if !sameLine(theirs, ours, 0) {
		t.Errorf("expectation:\nconntrack: %s\nnltrace:   %s", listed, strings.Join(ours, " "))
	}
	if event["CTA_EXPECT_ID"] != dumped["CTA_EXPECT_ID"] || event["CTA_EXPECT_HELP_NAME"] != `"ftp"` {
		t.Errorf("event %v does not match the dumped expectation %v", event, dumped)
	}
}
