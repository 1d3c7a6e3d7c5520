package ynl_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/decode/genl/ynl"
)

func loadSpec(t *testing.T, name string) *ynl.Family {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "specs", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := ynl.Parse(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestParseSpecs(t *testing.T) {
	files, _ := filepath.Glob("../specs/*.yaml")
	if len(files) == 0 {
		t.Fatal("no specs")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ynl.Parse(filepath.Base(f), data); err != nil {
			t.Error(err)
		}
	}
}

// TestNames checks YNL's naming and numbering rules on specs that use
// each of them.
func TestNames(t *testing.T) {
	eth := loadSpec(t, "ethtool.yaml")
	if a := eth.Set("linkinfo").Lookup("port"); a.CName != "ETHTOOL_A_LINKINFO_PORT" || a.Value != 2 {
		t.Errorf("linkinfo port = %s %d", a.CName, a.Value)
	}
	// Directional numbering: requests and replies count apart.
	var get *ynl.Op
	for _, op := range eth.Ops {
		if op.Name == "linkinfo-get" {
			get = op
		}
	}
	if get == nil || get.CName != "ETHTOOL_MSG_LINKINFO_GET" || get.Req != 2 || get.ReplyCName != "ETHTOOL_MSG_LINKINFO_GET_REPLY" || get.Rsp != 2 {
		t.Errorf("linkinfo-get = %+v", get)
	}
	wg := loadSpec(t, "wireguard.yaml")
	if a := wg.Set("wgdevice").Lookup("ifindex"); a.CName != "WGDEVICE_A_IFINDEX" || a.Value != 1 {
		t.Errorf("wgdevice ifindex = %s %d", a.CName, a.Value)
	}
	e := wg.Enum("wgpeer-flags")
	if len(e.Entries) != 3 || e.Entries[2].CName != "WGPEER_F_UPDATE_ONLY" || e.Entries[2].Value != 4 {
		t.Errorf("wgpeer flags = %+v", e.Entries)
	}
	ctrl := loadSpec(t, "nlctrl.yaml")
	if a := ctrl.Set("ctrl-attrs").Lookup("family-id"); a.CName != "CTRL_ATTR_FAMILY_ID" || a.Value != 1 {
		t.Errorf("family-id = %s %d", a.CName, a.Value)
	}
	if s := ctrl.Set("op-attrs"); s.Lookup("flags").CName != "CTRL_ATTR_OP_FLAGS" {
		t.Errorf("op flags = %s", s.Lookup("flags").CName)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"syntax", "name: x\nattribute-sets: [\n", "bad.yaml:2: did not find"},
		{"no name", "protocol: genetlink\n", "bad.yaml:1: name: missing"},
		{"bad type", "name: x\nattribute-sets:\n  - name: a\n    attributes:\n      - name: b\n        type: u33\n", `bad.yaml:5: type: set "a" attribute "b": unknown type "u33"`},
		{"missing nest", "name: x\nattribute-sets:\n  - name: a\n    attributes:\n      - name: b\n        type: nest\n        nested-attributes: zz\n", `bad.yaml:5: nested-attributes: attribute "b": no attribute set "zz"`},
		{"wrong kind", "name: x\nattribute-sets:\n  - name: a\n    attributes:\n      - name: b\n        value: abc\n        type: u8\n", "bad.yaml:6"},
		{"bad op set", "name: x\noperations:\n  list:\n    - name: get\n      attribute-set: nope\n", `bad.yaml:4: attribute-set: operation "get": no attribute set "nope"`},
		{"self struct", "name: x\ndefinitions:\n  - name: s\n    type: struct\n    members:\n      - name: m\n        type: binary\n        struct: s\n", `struct "s" contains itself`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ynl.Parse("bad.yaml", []byte(tc.yaml))
			var e *ynl.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want an *ynl.Error", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %q, want it to contain %q", err, tc.want)
			}
		})
	}
}
