package xfrm_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/internal/testenv"
)

// vmScript adds real SAs, which need the AH and IPComp modules this host's
// kernel lacks: the stock kernel of the VM tier has them. One SA's soft
// lifetime runs out after a second, for a soft XFRM_MSG_EXPIRE.
//
// ESP SAs fail in the guest with ENOENT ("Kernel was unable to initialize
// cryptographic operations") although /proc/crypto there lists the
// algorithm they ask for (echainiv(authenc(hmac(sha256),cbc(aes))), self-
// test passed); the cause is not known. They are still added, for ip's
// requests and the kernel's echo of them, but the test needs none of them.
const vmScript = `
ip link set lo up
"$IPBIN" xfrm monitor all >"$OUT/monitor.txt" &
M=$!
sleep 0.3
K16=0x22222222222222222222222222222222
K20=0x3333333333333333333333333333333333333333
K32=0x1111111111111111111111111111111111111111111111111111111111111111
ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto ah spi 0x100 reqid 1 mode tunnel auth 'hmac(sha256)' $K32 mark 7 mask 0xff if_id 5 output-mark 0x9 mask 0xff limit time-soft 1 limit time-hard 100
ip xfrm state add src fd00::1 dst fd00::2 proto ah spi 0x101 mode transport auth-trunc 'hmac(sha1)' $K20 96 replay-window 128 flag esn limit byte-soft 1000 limit packet-hard 50 sel src fd00::1 dst fd00::2 proto udp dport 53
ip xfrm state add src 10.0.0.1 dst 10.0.0.4 proto ah spi 0x103 auth 'hmac(md5)' 0x55555555555555555555555555555555 flag noecn flag wildrecv flag align4 replay-oseq 5 replay-seq 7
ip xfrm state add src 10.0.0.1 dst 10.0.0.5 proto comp spi 0x104 comp deflate
ip xfrm state add src 10.0.0.1 dst 10.0.0.6 proto esp spi 0x105 mode tunnel enc 'cbc(aes)' $K16 encap espinudp 4500 4500 0.0.0.0 extra-flag dont-encap-dscp tfcpad 64
ip xfrm state add src 10.0.0.1 dst 10.0.0.3 proto esp spi 0x106 mode transport aead 'rfc4106(gcm(aes))' $K20 128
ip xfrm state list
ip -s xfrm state list >"$OUT/states.txt"
ip xfrm state get src 10.0.0.1 dst 10.0.0.2 proto ah spi 0x100 mark 7 mask 0xff
ip xfrm state count
sleep 1.5
ip xfrm state deleteall proto ah
ip xfrm state flush
sleep 0.3
kill $M
`

// TestVMXfrmSAs traces ip adding, listing, getting and deleting real SAs
// and compares each SA of the dump with ip -s xfrm state's output; the
// kernel's dumps carry the keys, which must show only with secrets shown.
func TestVMXfrmSAs(t *testing.T) {
	testenv.RequireVM(t)
	bin := os.Getenv("NLTRACE_BIN")
	if bin == "" {
		t.Fatal("NLTRACE_BIN is not set: the VM runner puts the nltrace binary there")
	}
	dir := t.TempDir()
	recs, _ := traceScript(t, bin, newNetNS(t), dir, vmScript)
	msgs := decodeAll(recs, false)
	seen := map[string]int{}
	for _, m := range msgs {
		seen[m.name()]++
		if msg := &m.tree.Messages[m.i]; msg.IsAck && msg.Errno != 0 {
			t.Logf("%s", render.AppendCompact(nil, m.tree, m.i))
		}
		for _, p := range problems(m.tree, m.i) {
			t.Error(p)
		}
	}
	for _, want := range []string{"XFRM_MSG_NEWSA", "XFRM_MSG_GETSA", "XFRM_MSG_DELSA", "XFRM_MSG_EXPIRE", "XFRM_MSG_FLUSHSA", "XFRM_MSG_NEWSADINFO"} {
		if seen[want] == 0 {
			t.Errorf("no %s in the capture; saw %v", want, seen)
		}
	}
	checkSecrets(t, recs)
	checkStates(t, msgs, readFile(t, filepath.Join(dir, "states.txt")))
	checkMonitor(t, msgs, readFile(t, filepath.Join(dir, "monitor.txt")), 8)

	// The kernel's own SA messages carry every key: redacted by default,
	// the keys ip set when shown.
	kernelKeys := func(show bool) (redacted int, shown []string) {
		for _, m := range decodeAll(recs, show) {
			if m.rec.Direction != capture.FromKernel || m.name() != "XFRM_MSG_NEWSA" {
				continue
			}
			for _, f := range m.tree.MessageFields(m.i) {
				if f.Name != "alg_key" {
					continue
				}
				if f.Kind == decode.KindRedacted {
					redacted++
				} else {
					shown = append(shown, string(decode.AppendValue(nil, m.tree, &f)))
				}
			}
		}
		return redacted, shown
	}
	redacted, shown := kernelKeys(false)
	if redacted < 6 || len(shown) != 0 { // 3 AH SAs: ALG_AUTH and ALG_AUTH_TRUNC each
		t.Errorf("kernel SA messages: %d keys redacted, %d shown by default", redacted, len(shown))
	}
	_, shown = kernelKeys(true)
	text := strings.Join(shown, " ")
	for _, k := range []string{keys[0], keys[2], keys[3]} {
		if !strings.Contains(text, k) {
			t.Errorf("with secrets shown, the kernel's SA messages lack key %s: %s", k[:8], text)
		}
	}
}
