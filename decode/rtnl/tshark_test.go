package rtnl_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/rtnl"
)

// writeNetlinkPcap writes records as a classic pcap of LINKTYPE_NETLINK
// frames: the 16-byte big-endian cooked header (ARPHRD 824, protocol) and
// the netlink bytes.
func writeNetlinkPcap(t *testing.T, recs []capture.Record) string {
	t.Helper()
	var b []byte
	b = binary.LittleEndian.AppendUint32(b, 0xa1b2c3d4)
	b = binary.LittleEndian.AppendUint16(b, 2)
	b = binary.LittleEndian.AppendUint16(b, 4)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 1<<20)
	b = binary.LittleEndian.AppendUint32(b, 253) // LINKTYPE_NETLINK
	for i, r := range recs {
		pkttype := uint16(0)
		if r.Direction == capture.ToKernel {
			pkttype = 4
		}
		n := 16 + len(r.Data)
		b = binary.LittleEndian.AppendUint32(b, uint32(i+1))
		b = binary.LittleEndian.AppendUint32(b, 0)
		b = binary.LittleEndian.AppendUint32(b, uint32(n))
		b = binary.LittleEndian.AppendUint32(b, uint32(n))
		b = binary.BigEndian.AppendUint16(b, pkttype)
		b = binary.BigEndian.AppendUint16(b, 824)
		b = binary.BigEndian.AppendUint16(b, 0)
		b = append(b, make([]byte, 8)...)
		b = binary.BigEndian.AppendUint16(b, r.Protocol)
		b = append(b, r.Data...)
	}
	path := filepath.Join(t.TempDir(), "netlink.pcap")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// jsonPairs flattens tshark's JSON, which repeats keys within an object,
// into its key/value pairs in document order.
func jsonPairs(t *testing.T, data []byte) [][2]string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	var out [][2]string
	var keys []string // stack: the pending key at each object level
	expectKey := []bool{false}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("tshark json: %v", err)
		}
		top := len(expectKey) - 1
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				expectKey = append(expectKey, true)
				keys = append(keys, "")
			case '[':
				expectKey = append(expectKey, false)
				keys = append(keys, "")
			case '}', ']':
				expectKey = expectKey[:top]
				keys = keys[:len(keys)-1]
				// Back in an object, the next string is a key again.
				if len(expectKey) > 0 && len(keys) > 0 {
					expectKey[len(expectKey)-1] = keys[len(keys)-1] != ""
				}
			}
		case string:
			if expectKey[top] {
				keys[len(keys)-1] = v
				expectKey[top] = false
				continue
			}
			out = append(out, [2]string{keys[len(keys)-1], v})
			if keys[len(keys)-1] != "" {
				expectKey[top] = true
			}
		default:
			if keys[len(keys)-1] != "" && !expectKey[top] {
				expectKey[top] = true
			}
		}
	}
}

// TestAgreesWithTshark writes recorded link and address dumps as
// LINKTYPE_NETLINK frames and compares tshark's header fields and
// IFLA_IFNAME, IFLA_MTU, IFLA_ADDRESS and IFA_ADDRESS with ours.
func TestAgreesWithTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark is not installed")
	}
	reg := decode.NewRegistry(rtnl.Family())
	for _, c := range loadKernelCases(t) {
		if c.name != "links" && c.name != "addresses" {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command("tshark", "-n", "-r", writeNetlinkPcap(t, c.records), "-T", "json")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("tshark: %v", err)
			}
			theirs := map[string][]string{}
			ifaAddress := false
			for _, kv := range jsonPairs(t, out) {
				k, v := kv[0], kv[1]
				switch k {
				case "netlink.hdr_len", "netlink.hdr_seq", "netlink.hdr_pid", "netlink-route.ifla_ifname", "netlink-route.ifla_mtu":
					theirs[k] = append(theirs[k], v)
				case "netlink.hdr_flags":
					if len(theirs[k]) >= len(theirs["netlink.hdr_len"]) {
						continue // the flags tree repeats the field
					}
					n, _ := strconv.ParseUint(strings.TrimPrefix(v, "0x"), 16, 16)
					theirs[k] = append(theirs[k], strconv.FormatUint(n, 10))
				case "netlink.hdr_type":
					theirs[k] = append(theirs[k], v)
				case "netlink-route.ifa_attr_type":
					ifaAddress = v == "1"
				case "netlink-route.ifa_address.ipv4", "netlink-route.ifa_address.ipv6":
					if ifaAddress {
						theirs["IFA_ADDRESS"] = append(theirs["IFA_ADDRESS"], v)
					}
				case "netlink-route.ifla_hwaddr":
					theirs["netlink-route.ifla_hwaddr"] = append(theirs["netlink-route.ifla_hwaddr"], v)
				}
			}
			ours := map[string][]string{}
			d := decode.NewDecoder(reg)
			var tree decode.Tree
			for i := range c.records {
				d.Decode(&tree, &c.records[i])
				for j := range tree.Messages {
					m := &tree.Messages[j]
					h := m.Header
					ours["netlink.hdr_len"] = append(ours["netlink.hdr_len"], strconv.Itoa(int(h.Length)))
					ours["netlink.hdr_seq"] = append(ours["netlink.hdr_seq"], strconv.Itoa(int(h.Sequence)))
					ours["netlink.hdr_pid"] = append(ours["netlink.hdr_pid"], strconv.FormatUint(uint64(h.PortID), 10))
					ours["netlink.hdr_flags"] = append(ours["netlink.hdr_flags"], strconv.Itoa(int(h.Flags)))
					dm := decodedMsg{&tree, j}
					if s := dm.text("IFLA_IFNAME"); s != "" {
						ours["netlink-route.ifla_ifname"] = append(ours["netlink-route.ifla_ifname"], unquote(s))
					}
					if s := dm.text("IFLA_MTU"); s != "" {
						ours["netlink-route.ifla_mtu"] = append(ours["netlink-route.ifla_mtu"], s)
					}
					if f := dm.field("IFLA_ADDRESS"); f != nil {
						ours["netlink-route.ifla_hwaddr"] = append(ours["netlink-route.ifla_hwaddr"], string(decode.AppendValue(nil, &tree, f)))
					}
					if f := dm.field("IFA_ADDRESS"); f != nil {
						ours["IFA_ADDRESS"] = append(ours["IFA_ADDRESS"], string(decode.AppendValue(nil, &tree, f)))
					}
				}
			}
			for _, k := range []string{"netlink.hdr_len", "netlink.hdr_seq", "netlink.hdr_pid", "netlink.hdr_flags"} {
				if len(ours[k]) == 0 {
					t.Errorf("%s: we decoded nothing", k)
				}
			}
			delete(theirs, "netlink.hdr_type")
			if diff := cmp.Diff(theirs, ours); diff != "" {
				t.Errorf("(-tshark +ours):\n%s", diff)
			}
		})
	}
}
