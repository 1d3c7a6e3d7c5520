package nfct

import (
	"encoding/binary"
	"testing"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
)

// addRequest is the payload of an IPSET_CMD_ADD to set name: nfgenmsg,
// IPSET_ATTR_PROTOCOL and IPSET_ATTR_SETNAME.
func addRequest(name string) []byte {
	var e client.AttributeEncoder
	e.SetByteOrder(binary.BigEndian)
	e.Bytes(1, []byte{7})
	e.String(ipsetAttrSetname, name)
	b, _ := e.Encode()
	return append([]byte{2, 0, 0, 0}, b...)
}

func TestIpsetErrno(t *testing.T) {
	var st decode.State
	st.Learn(learnType, []byte("b1"), []byte("bitmap:ip"))
	st.Learn(learnType, []byte("l1"), []byte("list:set"))
	req := client.Header{Type: 6<<8 | ipsetCmdAdd}
	for _, tc := range []struct {
		set        string
		errno      int32
		name, text string
	}{
		{"s1", 4103, "IPSET_ERR_EXIST", "Element cannot be added to the set: it's already added"},
		{"s1", 4096 + 18, "IPSET_ERR_SKBINFO", "Skbinfo mapping cannot be used: set was created without skbinfo support"},
		{"b1", 4352, "IPSET_ERR_BITMAP_RANGE", "Element is out of the range of the set"},
		{"l1", 4353, "IPSET_ERR_LOOP", "Sets with list:set type cannot be added to the set"},
		// A set whose type the stream never told: every meaning.
		{"s9", 4352, "IPSET_ERR_HASH_FULL|IPSET_ERR_BITMAP_RANGE|IPSET_ERR_NAME", "type-specific ipset error; the set's type was not seen"},
		{"s9", 4357, "IPSET_ERR_HASH_RANGE|IPSET_ERR_REF_EXIST", "type-specific ipset error; the set's type was not seen"},
		// Codes that are no ipset error are the system's.
		{"s1", 2, "", ""},
		{"s1", 4200, "", ""},
	} {
		name, text := ipsetErrno(&st, req, addRequest(tc.set), tc.errno)
		if name != tc.name || text != tc.text {
			t.Errorf("set %s errno %d: %q (%q), want %q (%q)", tc.set, tc.errno, name, text, tc.name, tc.text)
		}
	}
	// A create names its own type.
	var e client.AttributeEncoder
	e.Bytes(1, []byte{7})
	e.String(ipsetAttrSetname, "h1")
	e.String(ipsetAttrTypename, "hash:net")
	b, _ := e.Encode()
	if name, _ := ipsetErrno(&st, client.Header{Type: 6<<8 | ipsetCmdCreate}, append([]byte{2, 0, 0, 0}, b...), 4352); name != "IPSET_ERR_HASH_FULL" {
		t.Errorf("create of hash:net, errno 4352: %q", name)
	}
}
