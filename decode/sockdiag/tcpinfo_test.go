package sockdiag_test

import (
	"encoding/binary"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/families"
)

// TestTCPInfoLengths cuts a recorded tcp_info (this kernel's 280 bytes) to
// every length a kernel has sent and checks that the decode ends with the
// member that length ends with, with nothing trailing or malformed: an
// older kernel's shorter struct decodes as what it is.
func TestTCPInfoLengths(t *testing.T) {
	var info []byte
	for _, r := range captures(t)["ss_tinmepO"] {
		msgs, _ := client.ParseMessages(r.Data)
		for _, m := range msgs {
			if m.Header.Type != 20 || r.Direction != capture.FromKernel || len(m.Data) <= 72 {
				continue
			}
			var d client.AttributeDecoder
			d.Reset(m.Data[72:], 0)
			for d.Next() {
				if d.Type() == 2 && info == nil {
					info = append([]byte(nil), d.Bytes()...)
				}
			}
		}
	}
	if len(info) != 280 {
		t.Fatalf("recorded tcp_info of %d bytes, want 280", len(info))
	}
	for _, c := range []struct {
		n    int
		last string
	}{
		{104, "tcpi_total_retrans"}, {120, "tcpi_max_pacing_rate"}, {136, "tcpi_bytes_received"},
		{144, "tcpi_segs_in"}, {152, "tcpi_min_rtt"}, {160, "tcpi_data_segs_out"}, {168, "tcpi_delivery_rate"},
		{192, "tcpi_sndbuf_limited"}, {200, "tcpi_delivered_ce"}, {216, "tcpi_bytes_retrans"},
		{224, "tcpi_reord_seen"}, {228, "tcpi_rcv_ooopack"}, {232, "tcpi_snd_wnd"}, {240, "tcpi_rehash"},
		{248, "tcpi_total_rto_time"}, {280, "tcpi_options2"},
	} {
		var a []byte
		a = binary.NativeEndian.AppendUint16(a, uint16(4+c.n))
		a = binary.NativeEndian.AppendUint16(a, 2) // INET_DIAG_INFO
		a = append(a, info[:c.n]...)
		msg := make([]byte, 72)
		msg[0], msg[1] = unix.AF_INET, 1
		msg = append(msg, a...)
		b := client.Message{Header: client.Header{Type: 20, Flags: client.FlagMulti}, Data: msg}.Append(nil)
		var tree decode.Tree
		decode.NewDecoder(families.NewRegistry()).DecodeBytes(&tree, unix.NETLINK_SOCK_DIAG, b)
		if p := problems(&tree); len(p) > 0 {
			t.Errorf("%d bytes: %v", c.n, p)
		}
		fields := tree.MessageFields(0)
		if got := fields[len(fields)-1].Name; got != c.last {
			t.Errorf("%d bytes: last member %s, want %s", c.n, got, c.last)
		}
	}
}
