package sockdiag_test

import (
	"encoding/binary"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/internal/testenv"
)

// TestVMSocketFamilies dumps what this host's kernel cannot report (no
// sctp_diag, smc_diag or vsock_diag here): an SCTP association (sctp_info
// and the address lists), an SMC connection that fell back to TCP, and
// vsock sockets on the loopback transport, and checks that every
// attribute is named and the values are the sockets the test opened.
func TestVMSocketFamilies(t *testing.T) {
	testenv.RequireVM(t)
	h := newHostNS(t)
	var fds []int
	t.Cleanup(func() {
		for _, fd := range fds {
			unix.Close(fd)
		}
	})
	open := func(domain, typ, proto int) int {
		t.Helper()
		fd, err := unix.Socket(domain, typ, proto)
		if err != nil {
			t.Fatalf("socket(%d, %d, %d): %v", domain, typ, proto, err)
		}
		fds = append(fds, fd)
		return fd
	}
	lo := &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}
	err := h.ns.Do(func() error {
		for _, c := range []struct {
			domain, proto, port int
		}{{unix.AF_INET, unix.IPPROTO_SCTP, 5600}, {unix.AF_SMC, 0, 5700}} {
			ln := open(c.domain, unix.SOCK_STREAM, c.proto)
			lo.Port = c.port
			if err := unix.Bind(ln, lo); err != nil {
				return err
			}
			if err := unix.Listen(ln, 4); err != nil {
				return err
			}
			cl := open(c.domain, unix.SOCK_STREAM, c.proto)
			if err := unix.Connect(cl, lo); err != nil {
				return err
			}
			a, _, err := unix.Accept(ln)
			if err != nil {
				return err
			}
			fds = append(fds, a)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// vsock_diag reports the sockets of the dumping socket's namespace.
	err = h.ns.Do(func() error {
		vl := open(unix.AF_VSOCK, unix.SOCK_STREAM, 0)
		if err := unix.Bind(vl, &unix.SockaddrVM{CID: unix.VMADDR_CID_ANY, Port: 4321}); err != nil {
			return err
		}
		if err := unix.Listen(vl, 4); err != nil {
			return err
		}
		vc := open(unix.AF_VSOCK, unix.SOCK_STREAM, 0)
		return unix.Connect(vc, &unix.SockaddrVM{CID: unix.VMADDR_CID_LOCAL, Port: 4321})
	})
	if err != nil {
		t.Fatal(err)
	}

	vsockReq := make([]byte, 24)
	vsockReq[0] = unix.AF_VSOCK
	binary.NativeEndian.PutUint32(vsockReq[4:], ^uint32(0))
	smcReq := make([]byte, 52)
	smcReq[0], smcReq[3] = unix.AF_SMC, 0x1f
	const allExt = 0xff
	for _, c := range []struct {
		name string
		req  []byte
		want []string
	}{
		{"sctp", inetReq(unix.AF_INET, unix.IPPROTO_SCTP, allExt, ^uint32(0), 0, nil),
			[]string{"sctpi_state=ESTABLISHED", "sin_port=5600", "sin_addr=127.0.0.1", "idiag_sport=5600"}},
		{"smc", smcReq, []string{"diag_mode=FALLBACK_TCP", "idiag_sport=5700", "idiag_src=127.0.0.1"}},
		{"vsock", vsockReq, []string{"vdiag_src_port=4321", "vdiag_state=LISTEN", "vdiag_state=ESTAB"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			recs := h.ask(t, 20, client.FlagDump, c.req)
			if e := dumpErrno(recs); e != 0 {
				t.Fatalf("dump failed: %v", e)
			}
			seen := map[string]bool{}
			for _, s := range decodeReplies(t, recs) {
				for _, f := range s.tree.MessageFields(s.idx) {
					seen[f.Name+"="+s.text2(&f)] = true
				}
			}
			for _, w := range c.want {
				if !seen[w] {
					var all []string
					for k := range seen {
						all = append(all, k)
					}
					t.Errorf("no %s decoded; got %s", w, strings.Join(all, " "))
				}
			}
		})
	}
}

// TestVMRDMA asks the RDMA netlink device interface (ib_core, which this
// host lacks) for its system settings and devices: the replies must be
// named and their attributes too.
func TestVMRDMA(t *testing.T) {
	testenv.RequireVM(t)
	h := newHostNS(t)
	for _, typ := range []uint16{5<<10 | 6 /* RDMA_NLDEV_CMD_SYS_GET */} {
		recs := h.askProto(t, client.ProtocolRDMA, typ, client.FlagAck, nil)
		if len(recs) < 2 {
			t.Fatalf("no reply to type %#x", typ)
		}
		got := decodeAll(t, recs)
		if !strings.Contains(got, "RDMA_NLDEV_CMD_SYS_GET") || !strings.Contains(got, "RDMA_NLDEV_SYS_ATTR_NETNS_MODE") {
			t.Errorf("reply decoded as:\n%s", got)
		}
	}
}
