package nfct_test

import (
	"bytes"
	"encoding/xml"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/internal/testenv"
	"golang.org/x/sys/unix"
)

// ipsetXML is the part of `ipset list -o xml` the test compares.
type ipsetXML struct {
	Sets []struct {
		Name     string `xml:"name,attr"`
		Type     string `xml:"type"`
		Revision string `xml:"revision"`
		Header   struct {
			Family     string `xml:"family"`
			Hashsize   string `xml:"hashsize"`
			Maxelem    string `xml:"maxelem"`
			Timeout    string `xml:"timeout"`
			Bucketsize string `xml:"bucketsize"`
			Initval    string `xml:"initval"`
			Memsize    string `xml:"memsize"`
			References string `xml:"references"`
			Entries    string `xml:"numentries"`
		} `xml:"header"`
		Members []struct {
			Elem    string `xml:"elem"`
			Packets string `xml:"packets"`
			Bytes   string `xml:"bytes"`
			Comment string `xml:"comment"`
		} `xml:"members>member"`
	} `xml:"ipset"`
}

func ipsetAttrs(set string) []byte {
	var e client.AttributeEncoder
	e.Bytes(1, []byte{7}) // IPSET_ATTR_PROTOCOL
	if set != "" {
		e.String(2, set) // IPSET_ATTR_SETNAME
	}
	b, _ := e.Encode()
	return b
}

// TestAgreesWithIpsetList creates sets with ipset(8) in a namespace, lists
// them over a raw socket, and compares our decode with `ipset list -o
// xml`: names, types, revisions, header values and members. Then it adds
// an element twice through the raw socket and checks that the error reply
// is named IPSET_ERR_EXIST with the text ipset(8) prints for it.
func TestAgreesWithIpsetList(t *testing.T) {
	p := newNSPair(t)
	if _, err := exec.LookPath("ipset"); err != nil {
		testenv.Skip(t, testenv.Host, "ipset is not installed (scripts/deps installs it)")
	}
	for _, c := range [][]string{
		{"ipset", "create", "s1", "hash:ip", "timeout", "100", "counters", "comment"},
		{"ipset", "add", "s1", "10.88.1.1", "comment", "hello"},
		{"ipset", "add", "s1", "10.88.1.2"},
		{"ipset", "create", "n6", "hash:net,port", "family", "inet6"},
		{"ipset", "add", "n6", "fd88::/64,tcp:80"},
		{"ipset", "create", "b1", "bitmap:port", "range", "1000-2000"},
		{"ipset", "add", "b1", "1500"},
	} {
		p.run(t, c...)
	}
	fd := p.socket(t)
	recs := exchange(t, fd, 6<<8|7, client.FlagDump, 1, nfgen(unix.AF_INET, ipsetAttrs(""))) // IPSET_CMD_LIST
	var x ipsetXML
	if err := xml.Unmarshal([]byte(p.run(t, "ipset", "list", "-o", "xml")), &x); err != nil {
		t.Fatal(err)
	}

	d := decode.NewDecoder(registry())
	var tr decode.Tree
	got := map[string]map[string]string{}
	members := map[string][]string{}
	for _, rec := range recs {
		d.Decode(&tr, &rec)
		if pr := problems(&tr); len(pr) > 0 {
			t.Errorf("%s", strings.Join(pr, "\n"))
		}
		for i := range tr.Messages {
			if tr.Messages[i].Name != "IPSET_CMD_LIST" || tr.Messages[i].Header.Flags&client.FlagRequest != 0 {
				continue
			}
			f := fieldMap(&tr, i)
			name := strings.Trim(f["IPSET_ATTR_SETNAME"], `"`)
			if got[name] == nil {
				got[name] = f
			}
			// Each element is an IPSET_ATTR_DATA in IPSET_ATTR_ADT; the
			// element's text is rebuilt as ipset prints it:
			// ip[/cidr][,proto:port] or a bare port.
			var elem map[string]string
			flush := func() {
				if elem == nil {
					return
				}
				e := elem["IPADDR"]
				if c := elem["CIDR"]; c != "" {
					e += "/" + c
				}
				if port := elem["PORT"]; port != "" {
					if e != "" {
						e += ","
					}
					if pr := elem["PROTO"]; pr != "" {
						e += pr + ":"
					}
					e += port
				}
				if c := elem["COMMENT"]; c != "" {
					e += " comment=" + c
				}
				members[name] = append(members[name], e)
				elem = nil
			}
			fields := tr.MessageFields(i)
			for j := range fields {
				fl := &fields[j]
				if fl.Depth == 1 && fl.Name == "IPSET_ATTR_DATA" {
					flush()
					elem = map[string]string{}
				}
				if fl.Depth < 2 || elem == nil {
					continue
				}
				v := string(decode.AppendValue(nil, &tr, fl))
				switch fl.Name {
				case "IPSET_ATTR_IPADDR_IPV4", "IPSET_ATTR_IPADDR_IPV6":
					elem["IPADDR"] = v
				case "IPSET_ATTR_CIDR", "IPSET_ATTR_PORT", "IPSET_ATTR_PROTO", "IPSET_ATTR_COMMENT":
					elem[strings.TrimPrefix(fl.Name, "IPSET_ATTR_")] = v
				}
			}
			flush()
		}
	}
	if len(x.Sets) != 3 {
		t.Fatalf("ipset lists %d sets, want 3", len(x.Sets))
	}
	for _, s := range x.Sets {
		f := got[s.Name]
		if f == nil {
			t.Errorf("set %s: not in our decode", s.Name)
			continue
		}
		data := "IPSET_ATTR_DATA/IPSET_ATTR_"
		for _, c := range []struct{ what, ours, theirs string }{
			{"type", strings.Trim(f["IPSET_ATTR_TYPENAME"], `"`), s.Type},
			{"revision", f["IPSET_ATTR_REVISION"], s.Revision},
			{"family", map[string]string{"ipv4": "inet", "ipv6": "inet6"}[f["IPSET_ATTR_FAMILY"]], s.Header.Family},
			{"hashsize", f[data+"HASHSIZE"], s.Header.Hashsize},
			{"maxelem", f[data+"MAXELEM"], s.Header.Maxelem},
			{"timeout", strings.TrimSuffix(f[data+"TIMEOUT"], "sec"), s.Header.Timeout},
			{"bucketsize", f[data+"BUCKETSIZE"], s.Header.Bucketsize},
			{"initval", f[data+"INITVAL"], strings.TrimLeft(strings.TrimPrefix(s.Header.Initval, "0x"), "0")},
			{"memsize", f[data+"MEMSIZE"], s.Header.Memsize},
			{"references", f[data+"REFERENCES"], s.Header.References},
			{"numentries", f[data+"ELEMENTS"], s.Header.Entries},
		} {
			if c.what == "initval" && c.theirs != "" {
				c.theirs = "0x" + c.theirs
			}
			if c.ours != c.theirs {
				t.Errorf("set %s %s: ipset says %q, nltrace %q", s.Name, c.what, c.theirs, c.ours)
			}
		}
		var want []string
		for _, m := range s.Members {
			e := m.Elem
			if m.Comment != "" {
				e += " comment=" + m.Comment
			}
			want = append(want, e)
		}
		have := members[s.Name]
		sort.Strings(want)
		sort.Strings(have)
		if strings.Join(want, "|") != strings.Join(have, "|") {
			t.Errorf("set %s members: ipset says %q, nltrace %q", s.Name, want, have)
		}
	}

	// A second add of the same element fails with ipset's own errno.
	var e client.AttributeEncoder
	e.Bytes(1, []byte{7})
	e.String(2, "s1")
	// ipset insists on NLA_F_NESTED.
	e.Nested(7|unix.NLA_F_NESTED, func(e *client.AttributeEncoder) { // IPSET_ATTR_DATA
		e.Nested(1|unix.NLA_F_NESTED, func(e *client.AttributeEncoder) { // IPSET_ATTR_IP
			e.Bytes(1|unix.NLA_F_NET_BYTEORDER, []byte{10, 88, 1, 1})
		})
	})
	body, _ := e.Encode()
	recs = exchange(t, fd, 6<<8|9, client.FlagAck|client.FlagExcl, 2, nfgen(unix.AF_INET, body)) // IPSET_CMD_ADD
	var stderr bytes.Buffer
	cmd := exec.Command("ip", "netns", "exec", p.a, "ipset", "add", "s1", "10.88.1.1")
	cmd.Stderr = &stderr
	if cmd.Run() == nil {
		t.Fatal("ipset add of an existing element worked")
	}
	found := false
	for _, rec := range recs {
		d.Decode(&tr, &rec)
		for i := range tr.Messages {
			m := &tr.Messages[i]
			if !m.IsAck || m.Errno == 0 {
				continue
			}
			found = true
			if m.Errno != -4103 || m.ErrnoName != "IPSET_ERR_EXIST" || m.Request != "IPSET_CMD_ADD" {
				t.Errorf("error reply: errno %d named %q for %q, want -4103 IPSET_ERR_EXIST for IPSET_CMD_ADD", m.Errno, m.ErrnoName, m.Request)
			}
			if !strings.Contains(stderr.String(), m.ErrnoText) {
				t.Errorf("ipset says %q, nltrace %q", strings.TrimSpace(stderr.String()), m.ErrnoText)
			}
		}
	}
	if !found {
		t.Error("no error reply to the second add")
	}
}
