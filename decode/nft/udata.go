package nft

import "github.com/nltrace/nltrace/decode"

// The NFTA_*_USERDATA attributes are opaque to the kernel. nft and
// iptables-nft fill them with libnftnl's type-length-value records (one
// byte type, one byte length, the value), whose types (NFTNL_UDATA_*) are
// numbered per object kind. A payload that does not parse as such records
// is shown as bytes.

func udata(name string, types *[]decode.Attr) decode.Attr {
	return decode.Attr{Name: name, Type: decode.Custom, Custom: func(b *decode.Builder, p []byte, off int) {
		decodeUdata(b, *types, p, off)
	}}
}

func udataComment(name string) decode.Attr { return decode.Attr{Name: name, Type: decode.String} }

var (
	tableUdata = []decode.Attr{0: udataComment("NFTNL_UDATA_TABLE_COMMENT")}
	chainUdata = []decode.Attr{0: udataComment("NFTNL_UDATA_CHAIN_COMMENT")}
	objUdata   = []decode.Attr{0: udataComment("NFTNL_UDATA_OBJ_COMMENT")}
	ruleUdata  = []decode.Attr{
		0: udataComment("NFTNL_UDATA_RULE_COMMENT"),
		1: {Name: "NFTNL_UDATA_RULE_EBTABLES_POLICY", Type: decode.U32},
	}
	setUdata = []decode.Attr{
		0: {Name: "NFTNL_UDATA_SET_KEYBYTEORDER", Type: decode.U32},
		1: {Name: "NFTNL_UDATA_SET_DATABYTEORDER", Type: decode.U32},
		2: {Name: "NFTNL_UDATA_SET_MERGE_ELEMENTS", Type: decode.U32},
		3: bin("NFTNL_UDATA_SET_KEY_TYPEOF"),
		4: bin("NFTNL_UDATA_SET_DATA_TYPEOF"),
		5: bin("NFTNL_UDATA_SET_EXPR"),
		6: {Name: "NFTNL_UDATA_SET_DATA_INTERVAL", Type: decode.U32},
		7: udataComment("NFTNL_UDATA_SET_COMMENT"),
	}
	setElemUdata = []decode.Attr{
		0: udataComment("NFTNL_UDATA_SET_ELEM_COMMENT"),
		1: {Name: "NFTNL_UDATA_SET_ELEM_FLAGS", Type: decode.U32},
	}
)

// decodeUdata decodes p as libnftnl records named by types, or shows it as
// bytes when it is not a clean run of records. libnftnl writes its
// integers in host order.
func decodeUdata(b *decode.Builder, types []decode.Attr, p []byte, off int) {
	for rest := p; len(rest) > 0; {
		if len(rest) < 2 || int(rest[1])+2 > len(rest) {
			b.Bytes("data", p, off)
			return
		}
		rest = rest[2+int(rest[1]):]
	}
	for at := 0; at < len(p); {
		t, n := int(p[at]), int(p[at+1])
		v := p[at+2 : at+2+n]
		if t < len(types) && types[t].Name != "" {
			spec := &types[t]
			if spec.Type == decode.U32 && n != 4 {
				b.Bytes(spec.Name, v, off+at+2)
			} else {
				b.Field(spec, v, off+at+2)
			}
		} else {
			b.Bytes("NFTNL_UDATA", p[at:at+2+n], off+at)
		}
		at += 2 + n
	}
}
