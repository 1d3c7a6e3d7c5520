package nfct_test

import (
	"encoding/binary"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"golang.org/x/sys/unix"
)

var record = flag.Bool("record", false, "write the kernel exchanges of the host tests to testdata/captures")

// saveCapture writes records to testdata/captures/name.pcapng when the
// test runs with -record, so the goldens cover them.
func saveCapture(t *testing.T, name string, recs []capture.Record) {
	t.Helper()
	if !*record {
		return
	}
	w, err := pcapng.Create(filepath.Join("testdata", "captures", name+".pcapng"), nil)
	if err != nil {
		t.Fatal(err)
	}
	base := time.Now()
	for i := range recs {
		r := recs[i]
		r.Time = base.Add(time.Duration(i) * time.Microsecond)
		r.PID, r.Comm = uint32(os.Getpid()), "nfct.test"
		if err := w.Write(&r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(capture.Stats{Records: uint64(len(recs))}); err != nil {
		t.Fatal(err)
	}
}

// decodeAll decodes records in order and returns the fields of every
// message, failing on unnamed or malformed fields.
func decodeAll(t *testing.T, recs []capture.Record) []map[string]string {
	t.Helper()
	d := decode.NewDecoder(registry())
	var tr decode.Tree
	var out []map[string]string
	for _, rec := range recs {
		d.Decode(&tr, &rec)
		if pr := problems(&tr); len(pr) > 0 {
			t.Errorf("%s", strings.Join(pr, "\n"))
		}
		for i := range tr.Messages {
			f := fieldMap(&tr, i)
			f["."] = tr.Messages[i].Name
			if tr.Messages[i].IsAck {
				f["errno"] = string(decode.AppendMessageErrno(nil, &tr.Messages[i]))
				if tr.Messages[i].Errno != 0 {
					f["errno"] += " (" + tr.Messages[i].Request + ") " + f["extack/NLMSGERR_ATTR_MSG"] + " " + f["extack/offset_path"]
				}
			}
			out = append(out, f)
		}
	}
	return out
}

// encode returns a copy of what e holds, so e can be reset and reused.
func encode(e *client.AttributeEncoder) []byte {
	b, _ := e.Encode()
	return append([]byte(nil), b...)
}

func sysctl(t *testing.T, p *nsPair, name string) string {
	t.Helper()
	return strings.TrimSpace(p.run(t, "sysctl", "-n", name))
}

// find returns the first message named name.
func find(msgs []map[string]string, name string) map[string]string {
	for _, m := range msgs {
		if m["."] == name {
			return m
		}
	}
	return nil
}

// TestCttimeoutKernel creates a TCP timeout policy over a raw socket, dumps
// the policies, reads the UDP defaults and deletes the policy. The dump
// must show the values sent; the defaults must be the namespace's sysctls.
func TestCttimeoutKernel(t *testing.T) {
	p := newNSPair(t)
	fd := p.socket(t)
	const sub = 8 << 8 // NFNL_SUBSYS_CTNETLINK_TIMEOUT
	var e client.AttributeEncoder
	e.SetByteOrder(binary.BigEndian)
	e.String(1, "nltrace-t")                                         // CTA_TIMEOUT_NAME
	e.Uint16(2, unix.AF_INET)                                        // CTA_TIMEOUT_L3PROTO
	e.Bytes(3, []byte{6})                                            // CTA_TIMEOUT_L4PROTO
	e.Nested(4|unix.NLA_F_NESTED, func(e *client.AttributeEncoder) { // CTA_TIMEOUT_DATA
		e.Uint32(3, 100) // CTA_TIMEOUT_TCP_ESTABLISHED
		e.Uint32(8, 10)  // CTA_TIMEOUT_TCP_CLOSE
	})
	newBody := encode(&e)
	e.Reset()
	e.Uint16(2, unix.AF_INET)
	e.Bytes(3, []byte{17})
	defBody := encode(&e)
	e.Reset()
	e.String(1, "nltrace-t")
	delBody := encode(&e)

	var recs []capture.Record
	recs = append(recs, exchange(t, fd, sub, client.FlagAck|client.FlagCreate|client.FlagExcl, 1, nfgen(unix.AF_UNSPEC, newBody))...)
	recs = append(recs, exchange(t, fd, sub|1, client.FlagDump, 2, nfgen(unix.AF_UNSPEC, nil))...)
	recs = append(recs, exchange(t, fd, sub|4, client.FlagAck, 3, nfgen(unix.AF_UNSPEC, defBody))...)
	recs = append(recs, exchange(t, fd, sub|2, client.FlagAck, 4, nfgen(unix.AF_UNSPEC, delBody))...)
	msgs := decodeAll(t, recs)
	saveCapture(t, "cttimeout", recs)
	for _, m := range msgs {
		if m["errno"] != "" && m["errno"] != "0" {
			t.Fatalf("%s: %s", m["."], m["errno"])
		}
	}
	var dump map[string]string
	for _, m := range msgs {
		if m["."] == "IPCTNL_MSG_TIMEOUT_NEW" && m["CTA_TIMEOUT_NAME"] == `"nltrace-t"` && m["CTA_TIMEOUT_USE"] != "" {
			dump = m
		}
	}
	if dump == nil {
		t.Fatalf("no dumped policy in %v", msgs)
	}
	for k, want := range map[string]string{
		"CTA_TIMEOUT_L3PROTO": "ipv4", "CTA_TIMEOUT_L4PROTO": "tcp",
		"CTA_TIMEOUT_DATA/CTA_TIMEOUT_TCP_ESTABLISHED": "100sec",
		"CTA_TIMEOUT_DATA/CTA_TIMEOUT_TCP_CLOSE":       "10sec",
		"CTA_TIMEOUT_DATA/CTA_TIMEOUT_TCP_TIME_WAIT":   sysctl(t, p, "net.netfilter.nf_conntrack_tcp_timeout_time_wait") + "sec",
	} {
		if dump[k] != want {
			t.Errorf("dumped policy %s = %q, want %q", k, dump[k], want)
		}
	}
	// The kernel answers a default get with a message typed
	// IPCTNL_MSG_TIMEOUT_DEFAULT_SET.
	def := find(msgs, "IPCTNL_MSG_TIMEOUT_DEFAULT_SET")
	if def == nil {
		t.Fatal("no default policy reply")
	}
	for k, sc := range map[string]string{
		"CTA_TIMEOUT_DATA/CTA_TIMEOUT_UDP_UNREPLIED": "net.netfilter.nf_conntrack_udp_timeout",
		"CTA_TIMEOUT_DATA/CTA_TIMEOUT_UDP_REPLIED":   "net.netfilter.nf_conntrack_udp_timeout_stream",
	} {
		if want := sysctl(t, p, sc) + "sec"; def[k] != want {
			t.Errorf("default %s = %q, sysctl %s says %q", k, def[k], sc, want)
		}
	}
}

// TestCthelperKernel registers a user-space helper over a raw socket,
// dumps the helpers and deletes it: the dump must show what was sent.
func TestCthelperKernel(t *testing.T) {
	p := newNSPair(t)
	fd := p.socket(t)
	const sub = 9 << 8 // NFNL_SUBSYS_CTHELPER
	var e client.AttributeEncoder
	e.SetByteOrder(binary.BigEndian)
	e.String(1, "nltrace-h")                                         // NFCTH_NAME
	e.Nested(2|unix.NLA_F_NESTED, func(e *client.AttributeEncoder) { // NFCTH_TUPLE
		e.Uint16(1, unix.AF_INET)
		e.Bytes(2, []byte{6})
	})
	e.Uint32(3, 5)                                                   // NFCTH_QUEUE_NUM
	e.Nested(4|unix.NLA_F_NESTED, func(e *client.AttributeEncoder) { // NFCTH_POLICY
		e.Uint32(1, 1)                                                   // NFCTH_POLICY_SET_NUM
		e.Nested(2|unix.NLA_F_NESTED, func(e *client.AttributeEncoder) { // NFCTH_POLICY_SET1
			e.String(1, "nltrace-p")
			e.Uint32(2, 3)
			e.Uint32(3, 30)
		})
	})
	e.Uint32(5, 0) // NFCTH_PRIV_DATA_LEN
	e.Uint32(6, 1) // NFCTH_STATUS enabled
	newBody := encode(&e)
	e.Reset()
	e.String(1, "nltrace-h")
	e.Nested(2|unix.NLA_F_NESTED, func(e *client.AttributeEncoder) {
		e.Uint16(1, unix.AF_INET)
		e.Bytes(2, []byte{6})
	})
	delBody := encode(&e)
	var recs []capture.Record
	recs = append(recs, exchange(t, fd, sub, client.FlagAck|client.FlagCreate|client.FlagExcl, 1, nfgen(unix.AF_INET, newBody))...)
	recs = append(recs, exchange(t, fd, sub|1, client.FlagDump, 2, nfgen(unix.AF_UNSPEC, nil))...)
	recs = append(recs, exchange(t, fd, sub|2, client.FlagAck, 3, nfgen(unix.AF_INET, delBody))...)
	msgs := decodeAll(t, recs)
	saveCapture(t, "cthelper", recs)
	var dump map[string]string
	if e := msgs[3]["errno"]; strings.HasPrefix(e, "-EINVAL") {
		// nfnetlink answers EINVAL for a subsystem the kernel lacks
		// (this host's has no nfnetlink_cthelper); the error echoes the
		// request, which must decode to what was sent.
		t.Logf("the kernel has no cthelper subsystem: %s", e)
		dump = map[string]string{}
		for k, v := range msgs[1] {
			dump[strings.TrimPrefix(k, "payload/")] = v
		}
	} else {
		for _, m := range msgs {
			if m["errno"] != "" && m["errno"] != "0" {
				t.Fatalf("%s: %s", m["."], m["errno"])
			}
			if m["."] == "NFNL_MSG_CTHELPER_NEW" && m["NFCTH_STATUS"] != "" && m["NFCTH_NAME"] == `"nltrace-h"` {
				dump = m
			}
		}
	}
	if dump == nil {
		t.Fatalf("no dumped helper in %v", msgs)
	}
	for k, want := range map[string]string{
		"NFCTH_TUPLE/NFCTH_TUPLE_L3PROTONUM":                         "ipv4",
		"NFCTH_TUPLE/NFCTH_TUPLE_L4PROTONUM":                         "tcp",
		"NFCTH_QUEUE_NUM":                                            "5",
		"NFCTH_POLICY/NFCTH_POLICY_SET_NUM":                          "1",
		"NFCTH_POLICY/NFCTH_POLICY_SET1/NFCTH_POLICY_NAME":           `"nltrace-p"`,
		"NFCTH_POLICY/NFCTH_POLICY_SET1/NFCTH_POLICY_EXPECT_MAX":     "3",
		"NFCTH_POLICY/NFCTH_POLICY_SET1/NFCTH_POLICY_EXPECT_TIMEOUT": "30sec",
		"NFCTH_STATUS": "ENABLED",
	} {
		if dump[k] != want {
			t.Errorf("dumped helper %s = %q, want %q", k, dump[k], want)
		}
	}
}

// TestQueueKernel configures nfqueue 3 over a raw socket (bind, copy
// mode, flags) and sends a verdict for a packet the queue never held: the
// requests decode to what was sent and the kernel's answers pair with
// them. (No packet reaches the queue: this host's kernel has neither
// nft_queue nor xt_NFQUEUE, so the recorded nflog capture stands for the
// packet path.)
func TestQueueKernel(t *testing.T) {
	p := newNSPair(t)
	fd := p.socket(t)
	const sub = 3 << 8 // NFNL_SUBSYS_QUEUE
	var e client.AttributeEncoder
	e.SetByteOrder(binary.BigEndian)
	e.Bytes(1, []byte{1, 0, 0, 0}) // NFQA_CFG_CMD bind
	bind := encode(&e)
	e.Reset()
	e.Bytes(2, []byte{0, 0, 0xff, 0xff, 2}) // NFQA_CFG_PARAMS copy_range 65535, packet
	e.Uint32(3, 1024)                       // NFQA_CFG_QUEUE_MAXLEN
	e.Uint32(4, 1<<0|1<<3)                  // NFQA_CFG_MASK fail-open|uid_gid
	e.Uint32(5, 1<<0|1<<3)                  // NFQA_CFG_FLAGS
	params := encode(&e)
	e.Reset()
	e.Bytes(2, []byte{0, 0, 0, 1, 0, 0, 0x12, 0x34}) // NFQA_VERDICT_HDR accept id 0x1234
	e.Uint32(3, 0x42)                                // NFQA_MARK
	verdict := encode(&e)
	var recs []capture.Record
	recs = append(recs, exchange(t, fd, sub|2, client.FlagAck, 1, append([]byte{unix.AF_INET, 0, 0, 3}, bind...))...)
	recs = append(recs, exchange(t, fd, sub|2, client.FlagAck, 2, append([]byte{unix.AF_INET, 0, 0, 3}, params...))...)
	recs = append(recs, exchange(t, fd, sub|1, client.FlagAck, 3, append([]byte{unix.AF_UNSPEC, 0, 0, 3}, verdict...))...)
	msgs := decodeAll(t, recs)
	saveCapture(t, "nfqueue", recs)
	if len(msgs) != 6 {
		t.Fatalf("want 3 requests and 3 answers, got %v", msgs)
	}
	for k, want := range map[string]string{
		"0 NFQA_CFG_CMD/command":       "BIND",
		"0 nfgenmsg/res_id":            "3",
		"1 errno":                      "0",
		"2 NFQA_CFG_PARAMS/copy_range": "65535",
		"2 NFQA_CFG_PARAMS/copy_mode":  "PACKET",
		"2 NFQA_CFG_QUEUE_MAXLEN":      "1024",
		"2 NFQA_CFG_FLAGS":             "FAIL_OPEN,UID_GID",
		"3 errno":                      "0",
		"4 NFQA_VERDICT_HDR/verdict":   "NF_ACCEPT",
		"4 NFQA_VERDICT_HDR/id":        "4660",
		"4 NFQA_MARK":                  "0x42",
	} {
		i, key, _ := strings.Cut(k, " ")
		n, _ := strconv.Atoi(i)
		if got := msgs[n][key]; !strings.HasPrefix(got, want) {
			t.Errorf("message %d (%s) %s = %q, want %q", n, msgs[n]["."], key, got, want)
		}
	}
	// No packet 0x1234 is queued.
	if e := msgs[5]["errno"]; !strings.HasPrefix(e, "-ENOENT") || msgs[5]["."] != "NLMSG_ERROR" {
		t.Errorf("verdict for a packet never queued: %q", e)
	}
}

// TestHookAndOSFKernel asks for the hooks at IPv4 LOCAL_OUT (where the
// namespace's nft chain sits) and adds an OS fingerprint, over a raw
// socket. Where the kernel has the subsystem the dump must name the nft
// chain; where it lacks it (nfnetlink answers EINVAL, as this host's does)
// the echoed requests must decode to what was sent.
func TestHookAndOSFKernel(t *testing.T) {
	p := newNSPair(t)
	fd := p.socket(t)
	var e client.AttributeEncoder
	e.SetByteOrder(binary.BigEndian)
	e.Uint32(1, 3) // NFNLA_HOOK_HOOKNUM LOCAL_OUT
	hookReq := encode(&e)
	// struct nf_osf_user_finger, host order: wss {wc, val}, ttl, df, ss,
	// mss, opt_num, genre, version, subtype, 40 options.
	finger := make([]byte, 592)
	binary.NativeEndian.PutUint32(finger[0:], 1) // OSF_WSS_MSS
	binary.NativeEndian.PutUint32(finger[4:], 44)
	finger[8], finger[9] = 64, 1
	binary.NativeEndian.PutUint16(finger[10:], 60)
	binary.NativeEndian.PutUint16(finger[12:], 1460)
	binary.NativeEndian.PutUint16(finger[14:], 1)
	copy(finger[16:], "Linux")
	copy(finger[48:], "6.x")
	copy(finger[80:], "nltrace")
	binary.NativeEndian.PutUint16(finger[112:], 2) // opt[0].kind MSS
	binary.NativeEndian.PutUint16(finger[114:], 4)
	e.Reset()
	e.Bytes(1, finger) // OSF_ATTR_FINGER
	osfReq := encode(&e)
	var recs []capture.Record
	recs = append(recs, exchange(t, fd, 12<<8, client.FlagDump, 1, nfgen(unix.NFPROTO_IPV4, hookReq))...)
	recs = append(recs, exchange(t, fd, 5<<8, client.FlagAck|client.FlagCreate, 2, nfgen(unix.AF_UNSPEC, osfReq))...)
	// Fingerprints are global, not per namespace: remove it again.
	recs = append(recs, exchange(t, fd, 5<<8|1, client.FlagAck, 3, nfgen(unix.AF_UNSPEC, osfReq))...)
	msgs := decodeAll(t, recs)
	saveCapture(t, "hook-osf", recs)

	if e := msgs[1]["errno"]; strings.HasPrefix(e, "-EINVAL") {
		t.Logf("the kernel has no hook subsystem: %s", e)
		if got := msgs[1]["payload/NFNLA_HOOK_HOOKNUM"]; got != "LOCAL_OUT" {
			t.Errorf("echoed hook request: hook %q, want LOCAL_OUT", got)
		}
	} else {
		found := false
		for _, m := range msgs {
			if m["."] == "NFNL_MSG_HOOK_GET" && m["NFNLA_HOOK_CHAIN_INFO/NFNLA_HOOK_INFO_DESC/NFNLA_CHAIN_NAME"] == `"out"` {
				found = true
				if m["NFNLA_HOOK_CHAIN_INFO/NFNLA_HOOK_INFO_DESC/NFNLA_CHAIN_TABLE"] != `"t"` || m["NFNLA_HOOK_CHAIN_INFO/NFNLA_HOOK_INFO_TYPE"] != "NFTABLES" {
					t.Errorf("hook of chain out: %v", m)
				}
			}
		}
		if !found {
			t.Errorf("no hook names nft chain t/out: %v", msgs)
		}
	}
	var osfMsg map[string]string
	for _, m := range msgs {
		if m["."] == "OSF_MSG_ADD" {
			osfMsg = m
			break
		}
	}
	for k, want := range map[string]string{
		"OSF_ATTR_FINGER/wss.wc": "MSS", "OSF_ATTR_FINGER/wss.val": "44", "OSF_ATTR_FINGER/ttl": "64",
		"OSF_ATTR_FINGER/df": "1", "OSF_ATTR_FINGER/mss": "1460", "OSF_ATTR_FINGER/opt_num": "1",
		"OSF_ATTR_FINGER/genre": `"Linux"`, "OSF_ATTR_FINGER/subtype": `"nltrace"`,
		"OSF_ATTR_FINGER/opt/nf_osf_opt[0]/kind": "MSS",
	} {
		if osfMsg[k] != want {
			t.Errorf("OSF_MSG_ADD %s = %q, want %q", k, osfMsg[k], want)
		}
	}
	if msgs[3]["errno"] == "0" && msgs[5]["errno"] != "0" {
		t.Errorf("fingerprint added but not removed: %s", msgs[5]["errno"])
	}
	t.Logf("osf add: %s, remove: %s", msgs[3]["errno"], msgs[5]["errno"])
}

// TestLogKernel binds nflog group 5 over a raw socket (copy the packet,
// sequence numbers), sends a UDP datagram that an nft log
// rule logs with a prefix, and decodes the NFULNL_MSG_PACKET: prefix,
// hook, output interface, the packet's IPv4 header and datagram and the
// sequence number must be the ones sent.
func TestLogKernel(t *testing.T) {
	p := newNSPair(t)
	p.run(t, "nft", "insert", "rule", "inet", "t", "out", "udp", "dport", "7778", "log", "prefix", `"nltrace: "`, "group", "5")
	fd := p.socket(t)
	const sub = 4 << 8 // NFNL_SUBSYS_ULOG
	var e client.AttributeEncoder
	e.SetByteOrder(binary.BigEndian)
	e.Bytes(1, []byte{1}) // NFULA_CFG_CMD bind
	bind := encode(&e)
	e.Reset()
	e.Bytes(2, []byte{0, 0, 0xff, 0xff, 2, 0}) // NFULA_CFG_MODE copy 65535, packet
	e.Uint32(4, 1)                             // NFULA_CFG_TIMEOUT 1/100 s
	e.Uint32(5, 1)                             // NFULA_CFG_QTHRESH
	// NFULA_CFG_FLAGS seq, seq_global; NFULNL_CFG_F_CONNTRACK needs the
	// conntrack glue this host's kernel lacks (EOPNOTSUPP).
	e.Uint16(6, 1|2)
	mode := encode(&e)
	var recs []capture.Record
	recs = append(recs, exchange(t, fd, sub|1, client.FlagAck, 1, append([]byte{unix.AF_INET, 0, 0, 5}, bind...))...)
	recs = append(recs, exchange(t, fd, sub|1, client.FlagAck, 2, append([]byte{unix.AF_INET, 0, 0, 5}, mode...))...)
	p.run(t, "python3", "-c", `import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"nltrace-log",("10.88.0.2",7778))`)
	tv := unix.Timeval{Sec: 5}
	unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
	buf := make([]byte, 1<<16)
	n, _, err := unix.Recvfrom(fd, buf, 0)
	if err != nil {
		t.Fatalf("no logged packet: %v", err)
	}
	recs = append(recs, capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_NETFILTER, Data: buf[:n], OrigLen: n, Group: 5})
	msgs := decodeAll(t, recs)
	saveCapture(t, "nflog-packet", recs)
	pkt := find(msgs, "NFULNL_MSG_PACKET")
	if pkt == nil {
		t.Fatalf("no NFULNL_MSG_PACKET in %v", msgs)
	}
	ifindex := strings.TrimSpace(p.run(t, "cat", "/sys/class/net/va/ifindex"))
	for k, want := range map[string]string{
		"nfgenmsg/res_id":              "5",
		"NFULA_PACKET_HDR/hw_protocol": "ipv4",
		"NFULA_PACKET_HDR/hook":        "LOCAL_OUT",
		"NFULA_PREFIX":                 `"nltrace: "`,
		"NFULA_IFINDEX_OUTDEV":         ifindex,
		"NFULA_SEQ":                    "0",
		"NFULA_UID":                    "0",
	} {
		if pkt[k] != want {
			t.Errorf("logged packet %s = %q, want %q", k, pkt[k], want)
		}
	}
	// The payload is the IPv4 datagram, its headers named.
	for k, want := range map[string]string{
		"NFULA_PAYLOAD/iphdr/version": "4", "NFULA_PAYLOAD/iphdr/ihl": "5", "NFULA_PAYLOAD/iphdr/protocol": "udp",
		"NFULA_PAYLOAD/iphdr/saddr": "10.88.0.1", "NFULA_PAYLOAD/iphdr/daddr": "10.88.0.2", "NFULA_PAYLOAD/iphdr/tot_len": "39",
		"NFULA_PAYLOAD/udphdr/dest": "7778", "NFULA_PAYLOAD/udphdr/len": "19",
		"NFULA_PAYLOAD/data": hex.EncodeToString([]byte("nltrace-log")),
	} {
		if pkt[k] != want {
			t.Errorf("logged packet %s = %q, want %q", k, pkt[k], want)
		}
	}
	for _, m := range msgs {
		if m["errno"] != "" && m["errno"] != "0" {
			t.Errorf("%s: %s", m["."], m["errno"])
		}
	}
}
