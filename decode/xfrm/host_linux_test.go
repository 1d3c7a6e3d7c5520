package xfrm_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/capture/pcapng"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/internal/testenv"
)

var record = flag.Bool("record", false, "host tests: copy the capture of ip xfrm to testdata/ip_xfrm.pcapng")

// ipScript drives ip xfrm through every request it can make on this
// kernel, with `ip xfrm monitor` listening so that notifications are
// captured too. Without ESP, AH or IPComp in the kernel, adding an SA fails
// after the kernel has parsed it (and echoes the request, keys included,
// in its error), but allocating an SPI makes a larval SA that dumps, gets,
// deletes and expires like any other. $OUT is where ip's own output goes,
// for comparison with the decoded bytes.
const ipScript = `
ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip link set v1 up
"$IPBIN" xfrm monitor all >"$OUT/monitor.txt" &
M=$!
sleep 0.3
K16=0x22222222222222222222222222222222
K20=0x3333333333333333333333333333333333333333
K32=0x1111111111111111111111111111111111111111111111111111111111111111
ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 reqid 1 mode tunnel auth 'hmac(sha256)' $K32 enc 'cbc(aes)' $K16
ip xfrm state add src 10.0.0.1 dst 10.0.0.3 proto esp spi 0x101 mode transport aead 'rfc4106(gcm(aes))' $K20 128 sel src 10.0.0.1 dst 10.0.0.3 proto udp dport 53
ip xfrm state add src fd00::1 dst fd00::2 proto esp spi 0x102 mode beet enc 'cbc(aes)' $K16 auth-trunc 'hmac(sha1)' $K20 96 encap espinudp 4500 4500 :: mark 7 mask 0xff if_id 5 replay-window 32 flag esn limit time-soft 100 limit time-hard 200 limit byte-soft 1000 limit packet-hard 50 output-mark 0x9 mask 0xff extra-flag dont-encap-dscp tfcpad 64
ip xfrm state add src 10.0.0.1 dst 10.0.0.4 proto ah spi 0x103 auth 'hmac(md5)' 0x55555555555555555555555555555555 flag noecn flag wildrecv flag align4 replay-oseq 5 replay-seq 7
ip xfrm state add src 10.0.0.1 dst 10.0.0.5 proto comp spi 0x104 comp deflate
ip xfrm state add src 10.0.0.1 dst 10.0.0.6 proto esp spi 0x105 enc 'cbc(aes)' $K16 offload dev v0 dir out
ip xfrm state add src 10.0.0.1 dst 10.0.0.7 proto esp spi 0x106 enc 'cbc(aes)' $K16 ctx "system_u:object_r:ipsec_spd_t:s0"
ip xfrm state allocspi src 10.0.0.1 dst 10.0.0.9 proto esp
ip xfrm state allocspi src fd00::1 dst fd00::9 proto ah reqid 9 mode tunnel min 0x200 max 0x300
ip xfrm state allocspi src 10.0.0.1 dst 10.0.0.8 proto esp mark 5 mask 0xff
if [ -n "$XFRM_RAW" ]; then
	NLTRACE_XFRM_RAW=1 "$XFRM_RAW" -test.run='^TestXfrmRawHelper$' >"$OUT/raw.txt" 2>&1 || echo "raw helper failed" >&2
fi
ip xfrm state list
ip -s xfrm state list >"$OUT/states.txt"
ip xfrm state count
ip xfrm state deleteall dst 10.0.0.8
ip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp dport 80 dir out priority 5 mark 3 mask 0xf if_id 4 tmpl src 10.0.0.1 dst 10.0.0.2 proto esp reqid 1 mode tunnel
ip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir in tmpl src 10.0.0.2 dst 10.0.0.1 proto esp reqid 1 mode tunnel tmpl src 10.0.0.2 dst 10.0.0.1 proto ah reqid 2 mode tunnel level use
ip -6 xfrm policy add src fd00::/64 dst fd01::/64 dir in action block flag localok flag icmp
ip -6 xfrm policy add src fd02::/64 dst fd03::/64 proto ipv6-icmp type 128 dir out tmpl src fd00::1 dst fd00::2 proto esp mode transport
ip xfrm policy add src 10.3.0.0/16 dst 10.4.0.0/16 dir fwd ptype sub limit time-hard 100 tmpl src 10.0.0.1 dst 10.0.0.3 proto comp spi 0x1 mode tunnel
ip xfrm policy add src 10.5.0.0/16 dst 10.6.0.0/16 dir out limit time-hard 1
ip xfrm policy add dst 10.0.0.2/32 dir out tmpl src 10.0.0.1 dst 10.0.0.2 proto esp mode tunnel
ip xfrm policy update src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp dport 80 dir out priority 6 mark 3 mask 0xf if_id 4 tmpl src 10.0.0.1 dst 10.0.0.2 proto esp reqid 1 mode tunnel
ip xfrm policy list
ip -s xfrm policy list >"$OUT/policies.txt"
ip xfrm policy get src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp dport 80 dir out mark 3 mask 0xf if_id 4
ip xfrm policy count
ip xfrm policy set hthresh4 24 16 hthresh6 64 56
if command -v perl >/dev/null; then
	perl -MIO::Socket::INET -e 'IO::Socket::INET->new(PeerAddr => "10.0.0.2:9", Proto => "udp")->send("x")' || true
fi
ip xfrm policy getdefault
ip xfrm policy setdefault in accept fwd accept out accept
ip xfrm state get src 10.0.0.1 dst 10.0.0.9 proto esp spi 0x1
ip xfrm policy delete dst 10.0.0.2/32 dir out
sysctl -qw net.core.xfrm_acq_expires=1 || true
ip xfrm state allocspi src 10.0.0.1 dst 10.0.0.10 proto esp
sleep 2.5
ip xfrm state flush
ip xfrm policy flush
ip xfrm policy flush ptype sub
sleep 0.3
kill $M
`

// xfrmCapture runs ipScript under nltrace in a throwaway namespace and
// returns the records of the capture, the directory holding ip's outputs
// and the capture's file name.
func xfrmCapture(t *testing.T) (recs []capture.Record, out, file string) {
	t.Helper()
	hostTools(t)
	dir := t.TempDir()
	recs, file = traceScript(t, testenv.BuildNltrace(t, dir), newNetNS(t), dir, ipScript)
	if *record {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "ip_xfrm.pcapng"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return recs, dir, file
}

// traceScript runs script with sh under nltrace (bin) in the namespace ns,
// with $OUT set to dir, and returns the xfrm records of the capture and
// the capture's file name.
func traceScript(t *testing.T, bin, ns, dir, script string) (recs []capture.Record, file string) {
	t.Helper()
	ip, err := exec.LookPath("ip")
	if err != nil {
		t.Fatal(err)
	}
	// A busybox sh would run its own ip applet, which knows no xfrm. A
	// job started in the background names $IPBIN itself, so that $! is
	// ip's pid, not a subshell's.
	script = "ip() { \"$IPBIN\" \"$@\"; }\n" + script
	name := filepath.Join(dir, "script.sh")
	if err := os.WriteFile(name, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	file = filepath.Join(dir, "cap.pcapng")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", ns, bin, "--family", "xfrm", "-w", file, "-o", os.DevNull, "--", "sh", name)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(os.Environ(), "OUT="+dir, "IPBIN="+ip, "XFRM_RAW="+self)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("nltrace -- sh script: %v\n%s", err, stderr.String())
	}
	rd, err := pcapng.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	for r, err := range capture.Records(context.Background(), rd) {
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if st := rd.Stats(); st.Dropped() != 0 {
		t.Errorf("the capture lost records: %+v", st)
	}
	return recs, file
}

// hostTools skips t unless it runs as root with the tools the host tests
// use.
func hostTools(t *testing.T) {
	t.Helper()
	testenv.RequireRoot(t)
	for _, tool := range []string{"ip", "go", "sh", "sysctl"} {
		if _, err := exec.LookPath(tool); err != nil {
			testenv.Skip(t, testenv.Host, tool+" is not installed")
		}
	}
}

// newNetNS adds a named network namespace that the test deletes when it
// ends.
func newNetNS(t *testing.T) string {
	t.Helper()
	ns := fmt.Sprintf("nltrace-xfrm-%d", os.Getpid())
	if b, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v: %s", err, b)
	}
	t.Cleanup(func() {
		// A script that failed half-way can leave its monitor running.
		if b, err := exec.Command("ip", "netns", "pids", ns).Output(); err == nil {
			for _, f := range strings.Fields(string(b)) {
				if pid, err := strconv.Atoi(f); err == nil {
					unix.Kill(pid, unix.SIGKILL)
				}
			}
		}
		exec.Command("ip", "netns", "del", ns).Run()
	})
	return ns
}

// decoded is one decoded xfrm message: its tree (a copy) and index.
type decoded struct {
	tree *decode.Tree
	i    int
	rec  *capture.Record
}

func (m decoded) name() string { return m.tree.Messages[m.i].Name }

// decodeAll decodes recs with one decoder and returns every message.
func decodeAll(recs []capture.Record, showSecrets bool) []decoded {
	d := decode.NewDecoder(registry())
	d.State().SetShowSecrets(showSecrets)
	var out []decoded
	for i := range recs {
		tr := new(decode.Tree)
		d.Decode(tr, &recs[i])
		for j := range tr.Messages {
			out = append(out, decoded{tree: tr, i: j, rec: &recs[i]})
		}
	}
	return out
}

// TestHostIPXfrm traces ip xfrm in a throwaway namespace and checks the
// decode of every message against what ip printed from the same bytes,
// that every message and attribute is named, and that no key shows in any
// output unless secrets are shown.
func TestHostIPXfrm(t *testing.T) {
	recs, out, _ := xfrmCapture(t)
	msgs := decodeAll(recs, false)
	seen, fromKernel := map[string]int{}, map[string]int{}
	for _, m := range msgs {
		seen[m.name()]++
		if m.rec.Direction == capture.FromKernel {
			fromKernel[m.name()]++
		}
	}
	// The raw helper's requests get these from the kernel: the reply to
	// XFRM_MSG_GETAE and the notification of a migration.
	for _, want := range []string{"XFRM_MSG_NEWAE", "XFRM_MSG_MIGRATE", "XFRM_MSG_ACQUIRE", "XFRM_MSG_EXPIRE", "XFRM_MSG_POLEXPIRE", "XFRM_MSG_DELSA", "XFRM_MSG_DELPOLICY"} {
		if fromKernel[want] == 0 && (want != "XFRM_MSG_ACQUIRE" || seen[want] != 0) {
			t.Errorf("no %s from the kernel; saw %v", want, fromKernel)
		}
	}
	for _, want := range []string{
		"XFRM_MSG_NEWSA", "XFRM_MSG_GETSA", "XFRM_MSG_ALLOCSPI", "XFRM_MSG_DELSA", "XFRM_MSG_EXPIRE",
		"XFRM_MSG_NEWPOLICY", "XFRM_MSG_UPDPOLICY", "XFRM_MSG_GETPOLICY", "XFRM_MSG_DELPOLICY", "XFRM_MSG_POLEXPIRE",
		"XFRM_MSG_FLUSHSA", "XFRM_MSG_FLUSHPOLICY", "XFRM_MSG_GETSADINFO", "XFRM_MSG_NEWSADINFO",
		"XFRM_MSG_GETSPDINFO", "XFRM_MSG_NEWSPDINFO", "XFRM_MSG_GETDEFAULT", "XFRM_MSG_SETDEFAULT",
		"XFRM_MSG_GETAE", "XFRM_MSG_NEWAE", "XFRM_MSG_MIGRATE",
	} {
		if seen[want] == 0 {
			t.Errorf("no %s in the capture; saw %v", want, seen)
		}
	}
	if _, err := exec.LookPath("perl"); err == nil && seen["XFRM_MSG_ACQUIRE"] == 0 {
		t.Errorf("no XFRM_MSG_ACQUIRE after a packet matched a policy with a template; saw %v", seen)
	}
	for _, m := range msgs {
		for _, p := range problems(m.tree, m.i) {
			t.Error(p)
		}
	}
	checkSecrets(t, recs)
	checkStates(t, msgs, readFile(t, filepath.Join(out, "states.txt")))
	checkPolicies(t, msgs, readFile(t, filepath.Join(out, "policies.txt")))
	checkMonitor(t, msgs, readFile(t, filepath.Join(out, "monitor.txt")), 15)
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// keys are the key bytes the script uses, as hex.
var keys = []string{
	strings.Repeat("11", 32), strings.Repeat("22", 16), strings.Repeat("33", 20), strings.Repeat("55", 16),
}

// checkSecrets renders the capture in every format: no key may show by
// default, each must show with secrets shown.
func checkSecrets(t *testing.T, recs []capture.Record) {
	t.Helper()
	hasKey := func(s string) bool {
		for _, k := range keys {
			if strings.Contains(s, k[:16]) {
				return true
			}
		}
		return false
	}
	for _, show := range []bool{false, true} {
		for _, f := range []render.Format{render.Compact, render.Tree, render.Hex, render.JSON} {
			var text []byte
			for _, m := range decodeAll(recs, show) {
				if m.i == 0 {
					text = render.Append(text, m.tree, f)
				}
			}
			s := string(text)
			if !show && hasKey(s) {
				t.Errorf("format %d shows a key by default", f)
			}
			if !show && f != render.Hex && !strings.Contains(s, "<32 bytes redacted>") {
				t.Errorf("format %d does not say a 32-byte key was redacted", f)
			}
			if show && f != render.Hex {
				for _, k := range keys {
					if !strings.Contains(s, k) {
						t.Errorf("format %d with secrets shown lacks key %s", f, k)
					}
				}
			}
		}
	}
}

// fields flattens message i of t into "path=value" entries, paths of
// names from the message's top level ("xfrm_usersa_info.id.spi"), in
// order; repeated paths repeat.
func fields(t *decode.Tree, i int) [][2]string {
	var out [][2]string
	var stack []string
	for _, f := range t.MessageFields(i) {
		stack = append(stack[:f.Depth], string(decode.AppendName(nil, &f)))
		if f.Kind == decode.KindNone {
			continue
		}
		out = append(out, [2]string{strings.Join(stack, "."), string(decode.AppendValue(nil, t, &f))})
	}
	return out
}

// get returns the value of the first field at path, or "".
func get(fs [][2]string, path string) string {
	for _, f := range fs {
		if f[0] == path {
			return f[1]
		}
	}
	return ""
}

// all returns the values of every field at path.
func all(fs [][2]string, path string) []string {
	var out []string
	for _, f := range fs {
		if f[0] == path {
			out = append(out, f[1])
		}
	}
	return out
}

func num(t *testing.T, s string) uint64 {
	t.Helper()
	s = strings.TrimSuffix(s, "sec")
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "0x"), map[bool]int{true: 16, false: 10}[strings.HasPrefix(s, "0x")], 64)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return v
}

// limit formats a lifetime limit as ip does.
func limit(v uint64) string {
	if v == math.MaxUint64 {
		return "(INF)"
	}
	return strconv.FormatUint(v, 10)
}

// blocks splits ip's output into one block per SA or policy: a line that
// does not start with white space starts one.
func blocks(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line == "" {
			continue
		}
		if line[0] != '\t' && line[0] != ' ' || len(out) == 0 {
			out = append(out, line)
			continue
		}
		out[len(out)-1] += "\n" + line
	}
	return out
}

// selector formats the selector at path p of fs as ip prints it: "src
// A/N dst B/M ", then the protocol and the ports it matches on.
func selector(fs [][2]string, p string) string {
	s := fmt.Sprintf("src %s/%s dst %s/%s ", get(fs, p+"saddr"), get(fs, p+"prefixlen_s"), get(fs, p+"daddr"), get(fs, p+"prefixlen_d"))
	proto := get(fs, p+"proto")
	if proto == "0" {
		return s
	}
	s += "proto " + proto + " "
	switch proto {
	case "tcp", "udp", "sctp", "dccp":
		if get(fs, p+"sport_mask") != "0x0" {
			s += "sport " + get(fs, p+"sport") + " "
		}
		if get(fs, p+"dport_mask") != "0x0" {
			s += "dport " + get(fs, p+"dport") + " "
		}
	case "icmp", "ipv6-icmp":
		// ICMP types and codes travel in the port fields.
		if get(fs, p+"sport_mask") != "0x0" {
			s += "type " + get(fs, p+"sport") + " "
		}
		if get(fs, p+"dport_mask") != "0x0" {
			s += "code " + get(fs, p+"dport") + " "
		}
	}
	return s
}

// checkStates compares each SA of the last dump before states.txt was
// written with ip -s xfrm state's block for the same SPI: ip read the same
// bytes, so every value it prints must come out of our decode the same.
func checkStates(t *testing.T, msgs []decoded, ipOut string) {
	t.Helper()
	ipBlocks := blocks(ipOut)
	if len(ipBlocks) < 3 {
		t.Fatalf("ip -s xfrm state listed %d SAs, want 3:\n%s", len(ipBlocks), ipOut)
	}
	compared := 0
	for _, m := range msgs {
		if m.name() != "XFRM_MSG_NEWSA" || m.tree.Messages[m.i].Header.Flags&unix.NLM_F_MULTI == 0 {
			continue
		}
		fs := fields(m.tree, m.i)
		h := "xfrm_usersa_info."
		spi := num(t, get(fs, h+"id.spi"))
		var block string
		for _, b := range ipBlocks {
			if strings.Contains(b, fmt.Sprintf("spi 0x%08x(", spi)) {
				block = b
			}
		}
		if block == "" {
			continue // a dump from before states.txt, of an SA gone since
		}
		lft := func(n string) uint64 { return num(t, get(fs, h+"lft."+n)) }
		cur := func(n string) uint64 { return num(t, get(fs, h+"curlft."+n)) }
		reqid := num(t, get(fs, h+"reqid"))
		addTime := time.Unix(int64(cur("add_time")), 0).Format("2006-01-02 15:04:05")
		want := []string{
			fmt.Sprintf("src %s dst %s\n", get(fs, h+"saddr"), get(fs, h+"id.daddr")),
			fmt.Sprintf("proto %s spi 0x%08x(%d) reqid %d(0x%08x) mode %s\n", get(fs, h+"id.proto"), spi, spi, reqid, reqid, get(fs, h+"mode")),
			fmt.Sprintf("replay-window %s seq 0x%08x flag ", get(fs, h+"replay_window"), num(t, get(fs, h+"seq"))),
			"sel " + selector(fs, h+"sel.") + fmt.Sprintf("uid %s\n", get(fs, h+"sel.user")),
			fmt.Sprintf("limit: soft %s(bytes), hard %s(bytes)\n", limit(lft("soft_byte_limit")), limit(lft("hard_byte_limit"))),
			fmt.Sprintf("limit: soft %s(packets), hard %s(packets)\n", limit(lft("soft_packet_limit")), limit(lft("hard_packet_limit"))),
			fmt.Sprintf("expire add: soft %d(sec), hard %d(sec)\n", lft("soft_add_expires_seconds"), lft("hard_add_expires_seconds")),
			fmt.Sprintf("expire use: soft %d(sec), hard %d(sec)\n", lft("soft_use_expires_seconds"), lft("hard_use_expires_seconds")),
			fmt.Sprintf("%d(bytes), %d(packets)\n", cur("bytes"), cur("packets")),
			"add " + addTime + " ",
			fmt.Sprintf("replay-window %s replay %s failed %s", get(fs, h+"stats.replay_window"), get(fs, h+"stats.replay"), get(fs, h+"stats.integrity_failed")),
		}
		if r := get(fs, "XFRMA_REPLAY_VAL.oseq"); r != "" {
			want = append(want, fmt.Sprintf("anti-replay context: seq 0x%x, oseq 0x%x, bitmap 0x%08x",
				num(t, get(fs, "XFRMA_REPLAY_VAL.seq")), num(t, r), num(t, get(fs, "XFRMA_REPLAY_VAL.bitmap"))))
		}
		if v := get(fs, "XFRMA_MARK.v"); v != "" {
			want = append(want, fmt.Sprintf("mark %s/%s", v, get(fs, "XFRMA_MARK.m")))
		}
		if n := get(fs, "XFRMA_ALG_AUTH_TRUNC.alg_name"); n != "" {
			want = append(want, fmt.Sprintf("auth-trunc %s 0x", strings.Trim(n, `"`)),
				fmt.Sprintf(" (%s bits) %s\n", get(fs, "XFRMA_ALG_AUTH_TRUNC.alg_key_len"), get(fs, "XFRMA_ALG_AUTH_TRUNC.alg_trunc_len")))
		}
		if n := get(fs, "XFRMA_ALG_COMP.alg_name"); n != "" {
			want = append(want, fmt.Sprintf("comp %s", strings.Trim(n, `"`)))
		}
		if w := get(fs, "XFRMA_REPLAY_ESN_VAL.replay_window"); w != "" {
			e := "XFRMA_REPLAY_ESN_VAL."
			want = append(want, fmt.Sprintf("seq-hi 0x%x, seq 0x%x, oseq-hi 0x%x, oseq 0x%x", num(t, get(fs, e+"seq_hi")), num(t, get(fs, e+"seq")),
				num(t, get(fs, e+"oseq_hi")), num(t, get(fs, e+"oseq"))),
				fmt.Sprintf("replay_window %s, bitmap-length %s", w, get(fs, e+"bmp_len")))
		}
		if v := get(fs, "XFRMA_IF_ID"); v != "" {
			want = append(want, fmt.Sprintf("if_id 0x%x", num(t, v)))
		}
		if v := get(fs, "XFRMA_SET_MARK"); v != "" {
			want = append(want, fmt.Sprintf("output-mark %s/%s", v, get(fs, "XFRMA_SET_MARK_MASK")))
		}
		for _, w := range want {
			if !strings.Contains(block, w) {
				t.Errorf("SA spi 0x%x: ip printed no %q:\n%s", spi, w, block)
			}
		}
		compared++
	}
	if compared < len(ipBlocks) {
		t.Errorf("compared %d SAs with ip's output, which lists %d", compared, len(ipBlocks))
	}
}

// checkPolicies compares each policy of the last dump before policies.txt
// was written with ip -s xfrm policy's block for the same index.
func checkPolicies(t *testing.T, msgs []decoded, ipOut string) {
	t.Helper()
	ipBlocks := blocks(ipOut)
	if len(ipBlocks) < 6 {
		t.Fatalf("ip -s xfrm policy listed %d policies, want 6:\n%s", len(ipBlocks), ipOut)
	}
	compared := map[string]bool{}
	for _, m := range msgs {
		if m.name() != "XFRM_MSG_NEWPOLICY" || m.tree.Messages[m.i].Header.Flags&unix.NLM_F_MULTI == 0 {
			continue
		}
		fs := fields(m.tree, m.i)
		h := "xfrm_userpolicy_info."
		ptype := get(fs, "XFRMA_POLICY_TYPE.type")
		key := fmt.Sprintf(" index %s priority %s ptype %s ", get(fs, h+"index"), get(fs, h+"priority"), ptype)
		var block string
		for _, b := range ipBlocks {
			if strings.Contains(b, key) {
				block = b
			}
		}
		if block == "" {
			continue
		}
		sel := selector(fs, h+"sel.")
		lft := func(n string) uint64 { return num(t, get(fs, h+"lft."+n)) }
		want := []string{
			sel,
			fmt.Sprintf("dir %s action %s index %s", get(fs, h+"dir"), get(fs, h+"action"), get(fs, h+"index")),
			fmt.Sprintf("share %s flag %s", get(fs, h+"share"), strings.TrimPrefix(get(fs, h+"flags"), "0")),
			fmt.Sprintf("expire add: soft %d(sec), hard %d(sec)\n", lft("soft_add_expires_seconds"), lft("hard_add_expires_seconds")),
			fmt.Sprintf("limit: soft %s(bytes), hard %s(bytes)\n", limit(lft("soft_byte_limit")), limit(lft("hard_byte_limit"))),
		}
		if v := get(fs, "XFRMA_MARK.v"); v != "" {
			want = append(want, fmt.Sprintf("mark %s/%s", v, get(fs, "XFRMA_MARK.m")))
		}
		if v := get(fs, "XFRMA_IF_ID"); v != "" {
			want = append(want, fmt.Sprintf("if_id 0x%x", num(t, v)))
		}
		tp := "XFRMA_TMPL.xfrm_user_tmpl."
		daddrs, saddrs, protos, spis := all(fs, tp+"id.daddr"), all(fs, tp+"saddr"), all(fs, tp+"id.proto"), all(fs, tp+"id.spi")
		reqids, modes, optional, shares := all(fs, tp+"reqid"), all(fs, tp+"mode"), all(fs, tp+"optional"), all(fs, tp+"share")
		for k := range daddrs {
			level := "required"
			if optional[k] != "0" {
				level = "use"
			}
			spi, reqid := num(t, spis[k]), num(t, reqids[k])
			want = append(want,
				fmt.Sprintf("tmpl src %s dst %s\n", saddrs[k], daddrs[k]),
				fmt.Sprintf("proto %s spi 0x%08x(%d) reqid %d(0x%08x) mode %s\n", protos[k], spi, spi, reqid, reqid, modes[k]),
				fmt.Sprintf("level %s share %s", level, shares[k]))
		}
		for _, w := range want {
			if !strings.Contains(block, w) {
				t.Errorf("policy%s: ip printed no %q:\n%s", key, w, block)
			}
		}
		compared[key] = true
	}
	if len(compared) < len(ipBlocks) {
		t.Errorf("compared %d policies with ip's output, which lists %d", len(compared), len(ipBlocks))
	}
}

// TestHostTraceRedactSecrets traces ip adding SAs with -w --redact-secrets:
// the file is readable by its owner only, holds no key byte, and decodes
// to the same SAs with zeroed keys; the JSON text shows no key either.
func TestHostTraceRedactSecrets(t *testing.T) {
	hostTools(t)
	dir := t.TempDir()
	bin, ns := testenv.BuildNltrace(t, dir), newNetNS(t)
	file, text := filepath.Join(dir, "red.pcapng"), filepath.Join(dir, "out.json")
	script := "ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 auth 'hmac(sha256)' 0x" + keys[0] +
		" enc 'cbc(aes)' 0x" + keys[1] + "; ip xfrm state add src 10.0.0.1 dst 10.0.0.3 proto esp spi 0x101 aead 'rfc4106(gcm(aes))' 0x" +
		keys[2] + " 128; true"
	cmd := exec.Command("ip", "netns", "exec", ns, bin, "--family", "xfrm", "-w", file, "--redact-secrets", "--format", "json", "-o", text, "--", "sh", "-c", script)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nltrace: %v\n%s", err, b)
	}
	for _, name := range []string{file, text} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", name, fi.Mode().Perm())
		}
		raw := readFile(t, name)
		for _, k := range keys[:3] {
			if strings.Contains(raw, k[:16]) || strings.Contains(raw, string(unhex(t, k[:16]))) {
				t.Errorf("%s holds key %s", name, k[:8])
			}
		}
	}
	rd, err := pcapng.Open(file)
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
	var names, zeroed []string
	for _, m := range decodeAll(recs, true) {
		for _, f := range m.tree.MessageFields(m.i) {
			switch f.Name {
			case "alg_name":
				names = append(names, string(m.tree.Value(&f)))
			case "alg_key":
				if v := m.tree.Value(&f); len(v) > 0 && bytes.Count(v, []byte{0}) == len(v) {
					zeroed = append(zeroed, fmt.Sprint(len(v)))
				} else {
					t.Errorf("%s: alg_key %x is not zeroed", m.name(), v)
				}
			}
		}
	}
	// Each SA shows in the request and in the kernel's echo of it.
	wantNames := []string{"hmac(sha256)", "cbc(aes)", "hmac(sha256)", "cbc(aes)", "rfc4106(gcm(aes))", "rfc4106(gcm(aes))"}
	wantZeroed := []string{"32", "16", "32", "16", "20", "20"}
	if strings.Join(names, " ") != strings.Join(wantNames, " ") || strings.Join(zeroed, " ") != strings.Join(wantZeroed, " ") {
		t.Errorf("algorithms %v with zeroed keys of %v bytes; want %v and %v", names, zeroed, wantNames, wantZeroed)
	}
}

func unhex(t *testing.T, h string) []byte {
	t.Helper()
	b := make([]byte, len(h)/2)
	for i := range b {
		v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			t.Fatal(err)
		}
		b[i] = byte(v)
	}
	return b
}

// checkMonitor compares each notification that ip xfrm monitor received
// (a multicast record) with what it printed for it: ip decoded the same
// bytes. iproute2 6.1 prints XFRM_MSG_MIGRATE as an unknown message, with
// its length, type and flags.
func checkMonitor(t *testing.T, msgs []decoded, ipOut string, min int) {
	t.Helper()
	compared := 0
	for _, m := range msgs {
		if m.rec.Group == 0 || m.rec.Direction != capture.FromKernel {
			continue
		}
		fs := fields(m.tree, m.i)
		h := m.tree.Messages[m.i].Header
		var want []string
		ptype := func(path string) string {
			if v := get(fs, path); v != "" {
				return v
			}
			return "main"
		}
		policy := func(p string) []string {
			dir := "dir " + get(fs, p+"dir")
			if a := get(fs, p+"action"); a != "allow" {
				dir += " action " + a
			}
			return []string{selector(fs, p+"sel.") + "\n", fmt.Sprintf("%s priority %s ptype %s", dir, get(fs, p+"priority"), ptype("XFRMA_POLICY_TYPE.type"))}
		}
		switch m.name() {
		case "XFRM_MSG_NEWPOLICY":
			want = policy("xfrm_userpolicy_info.")
		case "XFRM_MSG_UPDPOLICY":
			want = policy("xfrm_userpolicy_info.")
			want[0] = "Updated " + want[0]
		case "XFRM_MSG_DELPOLICY":
			want = policy("XFRMA_POLICY.")
			want[0] = "Deleted " + want[0]
		case "XFRM_MSG_POLEXPIRE":
			want = policy("xfrm_user_polexpire.pol.")
			want[0] = "Expired " + want[0]
			want = append(want, "hard "+get(fs, "xfrm_user_polexpire.hard"))
		case "XFRM_MSG_EXPIRE", "XFRM_MSG_DELSA", "XFRM_MSG_NEWSA", "XFRM_MSG_UPDSA":
			p, lead := "xfrm_user_expire.state.", "Expired "
			switch m.name() {
			case "XFRM_MSG_DELSA":
				p, lead = "XFRMA_SA.", "Deleted "
			case "XFRM_MSG_NEWSA":
				p, lead = "xfrm_usersa_info.", ""
			case "XFRM_MSG_UPDSA":
				p, lead = "xfrm_usersa_info.", "Updated "
			}
			spi, reqid := num(t, get(fs, p+"id.spi")), num(t, get(fs, p+"reqid"))
			want = []string{
				fmt.Sprintf("%ssrc %s dst %s\n\tproto %s spi 0x%08x reqid %d mode %s\n", lead, get(fs, p+"saddr"), get(fs, p+"id.daddr"),
					get(fs, p+"id.proto"), spi, reqid, get(fs, p+"mode")),
				"sel " + selector(fs, p+"sel."),
			}
			if m.name() == "XFRM_MSG_EXPIRE" {
				want = append(want, "hard "+get(fs, "xfrm_user_expire.hard"))
			}
		case "XFRM_MSG_FLUSHSA":
			want = []string{"Flushed state proto "}
		case "XFRM_MSG_FLUSHPOLICY":
			want = []string{"Flushed policy ptype " + ptype("XFRMA_POLICY_TYPE.type")}
		case "XFRM_MSG_ACQUIRE":
			want = []string{
				fmt.Sprintf("acquire proto %s \n  sel %s", get(fs, "xfrm_user_acquire.id.proto"), selector(fs, "xfrm_user_acquire.sel.")),
				"  policy " + selector(fs, "xfrm_user_acquire.policy.sel."),
			}
		case "XFRM_MSG_GETDEFAULT":
			p := "xfrm_userpolicy_default."
			want = []string{fmt.Sprintf("Default policies:\n in:  %s\n fwd: %s\n out: %s\n", get(fs, p+"in"), get(fs, p+"fwd"), get(fs, p+"out"))}
		case "XFRM_MSG_MIGRATE":
			want = []string{fmt.Sprintf("Unknown message: %08d 0x%08x 0x%08x\n", h.Length, h.Type, h.Flags)}
		default:
			t.Errorf("the monitor received %s, which this test does not compare", m.name())
			continue
		}
		for _, w := range want {
			if !strings.Contains(ipOut, w) {
				t.Errorf("%s: ip xfrm monitor printed no %q:\n%s", m.name(), w, ipOut)
			}
		}
		compared++
	}
	if compared < min {
		t.Errorf("compared %d notifications with ip xfrm monitor's output, want at least %d", compared, min)
	}
}
