package xfrm_test

import (
	"encoding/binary"
	"net/netip"
	"os"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/client"
)

// rawHelperEnv makes the test binary, run by ipScript under nltrace, send
// the requests ip cannot make: XFRM_MSG_GETAE, XFRM_MSG_NEWAE and
// XFRM_MSG_MIGRATE, on a larval SA and a policy of its own.
const rawHelperEnv = "NLTRACE_XFRM_RAW"

// TestXfrmRawHelper is the helper process of TestHostIPXfrm, not a test
// of its own: without rawHelperEnv it returns at once.
func TestXfrmRawHelper(t *testing.T) {
	if os.Getenv(rawHelperEnv) != "1" {
		return
	}
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_XFRM)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		t.Fatal(err)
	}
	seq := uint32(0)
	// exchange sends one request and returns the replies up to its ACK,
	// error or single answer.
	exchange := func(typ, flags uint16, body []byte) [][]byte {
		seq++
		m := client.Message{Header: client.Header{Type: typ, Flags: flags | client.FlagRequest, Sequence: seq}, Data: body}
		b, _ := m.MarshalBinary()
		if err := unix.Sendto(fd, b, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
			t.Fatalf("send: %v", err)
		}
		var out [][]byte
		buf := make([]byte, 1<<16)
		for {
			n, _, err := unix.Recvfrom(fd, buf, 0)
			if err != nil {
				t.Fatalf("recv: %v", err)
			}
			for msg, err := range client.Messages(buf[:n]) {
				if err != nil {
					t.Fatal(err)
				}
				if msg.Header.Sequence != seq {
					continue
				}
				out = append(out, msg.Data)
				if msg.Header.Type == client.TypeError || flags&client.FlagAck == 0 {
					return out
				}
			}
		}
	}
	ne := binary.NativeEndian
	put4 := func(b []byte, off int, a string) { copy(b[off:], netip.MustParseAddr(a).AsSlice()) }
	attr := func(b []byte, typ uint16, v []byte) []byte {
		b = ne.AppendUint16(b, uint16(4+len(v)))
		b = ne.AppendUint16(b, typ)
		b = append(b, v...)
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
		return b
	}
	const (
		msgNewPolicy = 0x13
		msgAllocSPI  = 0x16
		msgNewAE     = 0x1e
		msgGetAE     = 0x1f
		msgMigrate   = 0x21
	)

	// A larval SA to 10.0.0.20, and its SPI.
	spi := make([]byte, 232)
	put4(spi, 56, "10.0.0.20")
	spi[76] = unix.IPPROTO_ESP
	put4(spi, 80, "10.0.0.1")
	ne.PutUint16(spi[212:], unix.AF_INET)
	ne.PutUint32(spi[224:], 0x1000)
	ne.PutUint32(spi[228:], 0x1fff)
	replies := exchange(msgAllocSPI, 0, spi)
	if len(replies) == 0 || len(replies[0]) < 224 {
		t.Fatalf("XFRM_MSG_ALLOCSPI: no SA in the reply")
	}
	spiBytes := replies[0][72:76]

	// Its replay and lifetime state, then a change of it.
	ae := make([]byte, 48)
	put4(ae, 0, "10.0.0.20")
	copy(ae[16:], spiBytes)
	ne.PutUint16(ae[20:], unix.AF_INET)
	ae[22] = unix.IPPROTO_ESP
	put4(ae, 24, "10.0.0.1")
	ne.PutUint32(ae[40:], 2|4) // XFRM_AE_RVAL|XFRM_AE_LVAL
	exchange(msgGetAE, 0, ae)
	set := append([]byte(nil), ae...)
	set = attr(set, 10, []byte{1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0}) // XFRMA_REPLAY_VAL
	set = attr(set, 9, make([]byte, 32))                            // XFRMA_LTIME_VAL
	set = attr(set, 11, ne.AppendUint32(nil, 10))                   // XFRMA_REPLAY_THRESH
	set = attr(set, 12, ne.AppendUint32(nil, 20))                   // XFRMA_ETIMER_THRESH
	exchange(msgNewAE, client.FlagAck|unix.NLM_F_REPLACE, set)

	// A policy with a tunnel template, then its migration to new
	// endpoints.
	sel := make([]byte, 56)
	put4(sel, 0, "10.8.0.0")
	put4(sel, 16, "10.7.0.0")
	ne.PutUint16(sel[40:], unix.AF_INET)
	sel[42], sel[43] = 16, 16
	pol := make([]byte, 168)
	copy(pol, sel)
	for i := 56; i < 88; i++ {
		pol[i] = 0xff // no byte or packet limits
	}
	pol[160] = 1 // XFRM_POLICY_OUT
	tmpl := make([]byte, 64)
	put4(tmpl, 0, "10.0.0.2")
	tmpl[20] = unix.IPPROTO_ESP
	ne.PutUint16(tmpl[24:], unix.AF_INET)
	put4(tmpl, 28, "10.0.0.1")
	tmpl[48] = 1 // tunnel
	for i := 52; i < 64; i++ {
		tmpl[i] = 0xff
	}
	exchange(msgNewPolicy, client.FlagAck|unix.NLM_F_CREATE|unix.NLM_F_EXCL, attr(pol, 5, tmpl))
	id := make([]byte, 64)
	copy(id, sel)
	id[60] = 1
	mig := make([]byte, 76)
	put4(mig, 0, "10.0.0.2")
	put4(mig, 16, "10.0.0.1")
	put4(mig, 32, "10.0.0.4")
	put4(mig, 48, "10.0.0.3")
	mig[64], mig[65] = unix.IPPROTO_ESP, 1
	ne.PutUint16(mig[72:], unix.AF_INET)
	ne.PutUint16(mig[74:], unix.AF_INET)
	km := make([]byte, 40)
	put4(km, 0, "10.0.0.3")
	put4(km, 16, "10.0.0.4")
	ne.PutUint16(km[36:], unix.AF_INET)
	body := attr(id, 17, mig)              // XFRMA_MIGRATE
	body = attr(body, 19, km)              // XFRMA_KMADDRESS
	body = attr(body, 16, make([]byte, 6)) // XFRMA_POLICY_TYPE main
	exchange(msgMigrate, client.FlagAck, body)
}
