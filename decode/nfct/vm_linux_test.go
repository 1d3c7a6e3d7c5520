package nfct_test

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/internal/testenv"
	"golang.org/x/sys/unix"
)

// sendUDP sends a datagram from a socket opened in namespace ns.
func sendUDP(t *testing.T, ns string, to [4]byte, port int, data []byte) {
	t.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	self, err := os.Open("/proc/thread-self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	defer self.Close()
	target, err := os.Open("/run/netns/" + ns)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
		t.Fatal(err)
	}
	fd, serr := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err := unix.Setns(int(self.Fd()), unix.CLONE_NEWNET); err != nil {
		t.Fatalf("return to own netns: %v", err)
	}
	if serr != nil {
		t.Fatal(serr)
	}
	defer unix.Close(fd)
	// The datagram waits in the queue; sendto returns at once.
	if err := unix.Sendto(fd, data, 0, &unix.SockaddrInet4{Addr: to, Port: port}); err != nil {
		t.Fatalf("sendto: %v", err)
	}
}

// TestVMQueueHookHelper covers, on the stock kernel of the VM tier, what
// the host kernel lacks (nft_queue, nfnetlink_cthelper, the conntrack glue
// of nfqueue): a packet queued by an nft rule to a queue bound over a raw
// socket, with its conntrack entry, and its verdict; a user-space helper
// added and dumped. Our decode must say what was sent. (Neither kernel has
// nfnetlink_hook.)
func TestVMQueueHelper(t *testing.T) {
	testenv.RequireVM(t)
	name := fmt.Sprintf("nltrace-vm-nfct-%d", os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", name).Run() })
	p := &nsPair{a: name}
	p.run(t, "ip", "link", "set", "lo", "up")
	nft := exec.Command("ip", "netns", "exec", name, "nft", "-f", "-")
	nft.Stdin = strings.NewReader("table inet t {\n chain out {\n type filter hook output priority 0;\n ct state new counter\n udp dport 7777 queue num 3\n }\n}\n")
	if out, err := nft.CombinedOutput(); err != nil {
		t.Fatalf("nft: %v: %s", err, out)
	}
	fd := p.socket(t)

	// nfqueue: bind, copy packets, queue one, accept it.
	const queue = 3 << 8
	var e client.AttributeEncoder
	e.SetByteOrder(binary.BigEndian)
	e.Bytes(1, []byte{1, 0, 0, 0}) // NFQA_CFG_CMD bind
	bind := encode(&e)
	e.Reset()
	e.Bytes(2, []byte{0, 0, 0xff, 0xff, 2}) // NFQA_CFG_PARAMS copy packet
	e.Uint32(4, 1<<1)                       // NFQA_CFG_MASK conntrack
	e.Uint32(5, 1<<1)                       // NFQA_CFG_FLAGS conntrack
	params := encode(&e)
	var recs []capture.Record
	recs = append(recs, exchange(t, fd, queue|2, client.FlagAck, 1, append([]byte{unix.AF_INET, 0, 0, 3}, bind...))...)
	recs = append(recs, exchange(t, fd, queue|2, client.FlagAck, 2, append([]byte{unix.AF_INET, 0, 0, 3}, params...))...)
	sendUDP(t, name, [4]byte{127, 0, 0, 1}, 7777, []byte("nltrace-queue"))
	tv := unix.Timeval{Sec: 5}
	unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
	buf := make([]byte, 1<<16)
	n, _, err := unix.Recvfrom(fd, buf, 0)
	if err != nil {
		t.Fatalf("no queued packet: %v", err)
	}
	recs = append(recs, capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_NETFILTER, Data: buf[:n], OrigLen: n})
	var id []byte
	for m, err := range client.Messages(buf[:n]) {
		if err != nil || m.Header.Type != queue || len(m.Data) < 4 {
			continue
		}
		var ad client.AttributeDecoder
		ad.Reset(m.Data[4:], 0)
		for ad.Next() {
			if ad.Type() == 1 && len(ad.Bytes()) >= 4 {
				id = ad.Bytes()[:4]
			}
		}
	}
	if id == nil {
		t.Fatalf("no NFQNL_MSG_PACKET in %x", buf[:n])
	}
	e.Reset()
	e.Bytes(2, append([]byte{0, 0, 0, 1}, id...)) // NFQA_VERDICT_HDR accept
	verdict := encode(&e)
	recs = append(recs, exchange(t, fd, queue|1, client.FlagAck, 3, append([]byte{unix.AF_UNSPEC, 0, 0, 3}, verdict...))...)

	// A user-space helper.
	e.Reset()
	e.String(1, "nltrace-h")
	e.Nested(2|unix.NLA_F_NESTED, func(e *client.AttributeEncoder) {
		e.Uint16(1, unix.AF_INET)
		e.Bytes(2, []byte{6})
	})
	e.Uint32(3, 5)
	e.Nested(4|unix.NLA_F_NESTED, func(e *client.AttributeEncoder) {
		e.Uint32(1, 1)
		e.Nested(2|unix.NLA_F_NESTED, func(e *client.AttributeEncoder) {
			e.String(1, "nltrace-p")
			e.Uint32(2, 3)
			e.Uint32(3, 30)
		})
	})
	e.Uint32(5, 0) // NFCTH_PRIV_DATA_LEN, which a new helper must have
	e.Uint32(6, 1) // NFCTH_STATUS enabled
	helper := encode(&e)
	recs = append(recs, exchange(t, fd, 9<<8, client.FlagAck|client.FlagCreate, 5, nfgen(unix.AF_INET, helper))...)
	recs = append(recs, exchange(t, fd, 9<<8|1, client.FlagDump, 6, nfgen(unix.AF_UNSPEC, nil))...)

	msgs := decodeAll(t, recs)
	for _, m := range msgs {
		if m["errno"] != "" && m["errno"] != "0" {
			t.Errorf("%s: %s", m["."], m["errno"])
		}
	}
	got := map[string]string{}
	for _, m := range msgs {
		switch m["."] {
		case "NFQNL_MSG_PACKET":
			for _, k := range []string{"NFQA_PACKET_HDR/hook", "NFQA_PACKET_HDR/hw_protocol", "NFQA_IFINDEX_OUTDEV",
				"NFQA_PAYLOAD/iphdr/daddr", "NFQA_PAYLOAD/udphdr/dest", "NFQA_PAYLOAD/data", "nfgenmsg/res_id",
				"NFQA_CT/CTA_TUPLE_ORIG/CTA_TUPLE_PROTO/CTA_PROTO_DST_PORT", "NFQA_CT_INFO"} {
				got["queue "+k] = m[k]
			}
		case "NFNL_MSG_CTHELPER_NEW":
			if m["NFCTH_STATUS"] != "" {
				for _, k := range []string{"NFCTH_NAME", "NFCTH_QUEUE_NUM", "NFCTH_TUPLE/NFCTH_TUPLE_L4PROTONUM",
					"NFCTH_POLICY/NFCTH_POLICY_SET1/NFCTH_POLICY_NAME", "NFCTH_POLICY/NFCTH_POLICY_SET1/NFCTH_POLICY_EXPECT_TIMEOUT", "NFCTH_STATUS"} {
					got["helper "+k] = m[k]
				}
			}
		}
	}
	want := map[string]string{
		"queue NFQA_PACKET_HDR/hook": "LOCAL_OUT", "queue NFQA_PACKET_HDR/hw_protocol": "ipv4", "queue NFQA_IFINDEX_OUTDEV": "1",
		"queue NFQA_PAYLOAD/iphdr/daddr": "127.0.0.1", "queue NFQA_PAYLOAD/udphdr/dest": "7777",
		"queue NFQA_PAYLOAD/data": hex.EncodeToString([]byte("nltrace-queue")), "queue nfgenmsg/res_id": "3",
		"queue NFQA_CT/CTA_TUPLE_ORIG/CTA_TUPLE_PROTO/CTA_PROTO_DST_PORT": "7777", "queue NFQA_CT_INFO": "IP_CT_NEW",
		"helper NFCTH_NAME": `"nltrace-h"`, "helper NFCTH_QUEUE_NUM": "5", "helper NFCTH_TUPLE/NFCTH_TUPLE_L4PROTONUM": "tcp",
		"helper NFCTH_POLICY/NFCTH_POLICY_SET1/NFCTH_POLICY_NAME":           `"nltrace-p"`,
		"helper NFCTH_POLICY/NFCTH_POLICY_SET1/NFCTH_POLICY_EXPECT_TIMEOUT": "30sec", "helper NFCTH_STATUS": "ENABLED",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
}
