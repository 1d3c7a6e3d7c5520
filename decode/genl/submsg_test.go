package genl

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/genl/ynl"
	"golang.org/x/sys/unix"
)

// A spec with what none of the built-in genetlink specs uses: a
// sub-message chosen by a string selector and one chosen by an enum.
const subSpec = `
name: demo
protocol: genetlink
definitions:
  - name: kinds
    type: enum
    entries: [ zero, one ]
attribute-sets:
  - name: top
    attributes:
      - name: kind
        type: string
      - name: data
        type: sub-message
        sub-message: by-kind
        selector: kind
      - name: num
        type: u32
        enum: kinds
      - name: more
        type: sub-message
        sub-message: by-num
        selector: num
  - name: foo-attrs
    attributes:
      - name: a
        type: u32
  - name: bar-attrs
    attributes:
      - name: b
        type: string
sub-messages:
  - name: by-kind
    formats:
      - value: foo
        attribute-set: foo-attrs
      - value: bar
        attribute-set: bar-attrs
  - name: by-num
    formats:
      - value: one
        attribute-set: bar-attrs
operations:
  list:
    - name: get
      attribute-set: top
      do:
        request:
          attributes: [ kind, data ]
`

// TestSubMessages decodes sub-messages with a spec loaded at run time, and
// checks the generator writes their hooks as Go.
func TestSubMessages(t *testing.T) {
	f, err := ynl.Parse("demo.yaml", []byte(subSpec))
	if err != nil {
		t.Fatal(err)
	}
	def, err := Build(f)
	if err != nil {
		t.Fatal(err)
	}
	var inner, inner2 client.AttributeEncoder
	inner.Uint32(1, 7)
	in, _ := inner.Encode()
	inner2.String(1, "x")
	in2, _ := inner2.Encode()
	var e client.AttributeEncoder
	e.Bytes(2, in) // data before its selector, as the kernel may order them
	e.String(1, "foo")
	e.Uint32(3, 1)
	e.Bytes(4, in2)
	attrs, _ := e.Encode()
	msg := client.Message{Header: client.Header{Type: 0x30, Flags: client.FlagRequest}, Data: append([]byte{1, 1, 0, 0}, attrs...)}.Append(nil)
	d := decode.NewDecoder(decode.NewRegistry(Family(def)))
	d.State().LearnGenlFamily(0x30, "demo")
	var tree decode.Tree
	d.DecodeBytes(&tree, unix.NETLINK_GENERIC, msg)
	var names []string
	for _, fd := range tree.MessageFields(0) {
		if fd.Has(decode.FieldAttr) {
			names = append(names, fd.Name)
		}
	}
	want := "DEMO_A_TOP_DATA DEMO_A_FOO_ATTRS_A DEMO_A_TOP_KIND DEMO_A_TOP_NUM DEMO_A_TOP_MORE DEMO_A_BAR_ATTRS_B"
	if got := strings.Join(names, " "); got != want || tree.Messages[0].Name != "DEMO_CMD_GET" {
		t.Errorf("%s: attributes %s, want %s", tree.Messages[0].Name, got, want)
	}
	bt, err := build(f)
	if err != nil {
		t.Fatal(err)
	}
	src, err := writeDef("demo.yaml", "demoDef", bt)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`selectByText(1, map[string]*decode.AttrSet{"bar": &s[`, `selectByNumber(3, map[uint64]*decode.AttrSet{1: &s[`} {
		if !strings.Contains(string(src), s) {
			t.Errorf("generated source lacks %s:\n%s", s, src)
		}
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "demo.go", src, 0); err != nil {
		t.Errorf("generated source does not parse: %v", err)
	}
}
