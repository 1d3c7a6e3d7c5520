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

// vmScript adds real SAs, which need the ESP, AH and IPComp modules this
// host's kernel lacks: the stock kernel of the VM tier has them. One SA's
// soft lifetime runs out after a second, for a soft XFRM_MSG_EXPIRE.
const vmScript = `
ip link set lo up
"$IPBIN" xfrm monitor all >"$OUT/monitor.txt" &
M=$!
sleep 0.3
K16=0x22222222222222222222222222222222
K20=0x3333333333333333333333333333333333333333
K32=0x1111111111111111111111111111111111111111111111111111111111111111
ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 reqid 1 mode tunnel auth 'hmac(sha256)' $K32 enc 'cbc(aes)' $K16 mark 7 mask 0xff if_id 5 output-mark 0x9 mask 0xff limit time-soft 1 limit time-hard 100
ip xfrm state add src 10.0.0.1 dst 10.0.0.3 proto esp spi 0x101 mode transport aead 'rfc4106(gcm(aes))' $K20 128 replay-window 128 flag esn sel src 10.0.0.1 dst 10.0.0.3 proto udp dport 53
ip xfrm state add src fd00::1 dst fd00::2 proto esp spi 0x102 mode beet enc 'cbc(aes)' $K16 auth-trunc 'hmac(sha1)' $K20 96 limit byte-soft 1000 limit packet-hard 50
ip xfrm state add src 10.0.0.1 dst 10.0.0.6 proto esp spi 0x105 mode tunnel enc 'cbc(aes)' $K16 encap espinudp 4500 4500 0.0.0.0 extra-flag dont-encap-dscp tfcpad 64
ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto ah spi 0x200 reqid 1 mode tunnel auth 'hmac(sha256)' $K32 mark 7 mask 0xff
ip xfrm state add src fd00::1 dst fd00::2 proto ah spi 0x201 mode transport auth-trunc 'hmac(sha1)' $K20 96 replay-window 128 flag esn sel src fd00::1 dst fd00::2 proto udp dport 53
ip xfrm state add src 10.0.0.1 dst 10.0.0.4 proto ah spi 0x203 auth 'hmac(md5)' 0x55555555555555555555555555555555 flag noecn flag wildrecv flag align4 replay-oseq 5 replay-seq 7
ip xfrm state add src 10.0.0.1 dst 10.0.0.5 proto comp spi 0x204 comp deflate
ip xfrm state list
ip -s xfrm state list >"$OUT/states.txt"
ip xfrm state get src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x100 mark 7 mask 0xff
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
	seen, kernelAttrs := map[string]int{}, map[string]bool{}
	for _, m := range msgs {
		seen[m.name()]++
		if msg := &m.tree.Messages[m.i]; msg.IsAck && msg.Errno != 0 {
			if msg.Request == "XFRM_MSG_NEWSA" {
				t.Errorf("adding an SA failed: %s", render.AppendCompact(nil, m.tree, m.i))
			} else {
				t.Logf("%s", render.AppendCompact(nil, m.tree, m.i))
			}
		}
		if m.rec.Direction == capture.FromKernel && m.name() == "XFRM_MSG_NEWSA" {
			for _, f := range m.tree.MessageFields(m.i) {
				if f.Depth == 0 {
					kernelAttrs[f.Name] = true
				}
			}
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
	// The kernel's SA messages carry every kind of attribute the script
	// set up.
	for _, a := range []string{"XFRMA_ALG_AUTH", "XFRMA_ALG_AUTH_TRUNC", "XFRMA_ALG_CRYPT", "XFRMA_ALG_AEAD", "XFRMA_ALG_COMP",
		"XFRMA_ENCAP", "XFRMA_REPLAY_ESN_VAL", "XFRMA_REPLAY_VAL", "XFRMA_MARK", "XFRMA_IF_ID", "XFRMA_SET_MARK", "XFRMA_SET_MARK_MASK",
		"XFRMA_TFCPAD", "XFRMA_SA_EXTRA_FLAGS"} {
		if !kernelAttrs[a] {
			t.Errorf("no kernel SA message carries %s; they carry %v", a, kernelAttrs)
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
	if redacted < 14 || len(shown) != 0 {
		t.Errorf("kernel SA messages: %d keys redacted, %d shown by default", redacted, len(shown))
	}
	_, shown = kernelKeys(true)
	text := strings.Join(shown, " ")
	for _, k := range keys {
		if !strings.Contains(text, k) {
			t.Errorf("with secrets shown, the kernel's SA messages lack key %s: %s", k[:8], text)
		}
	}
}
