package nfct

import (
	"strings"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
)

// ipset's private error codes (enum ipset_errno in ip_set.h) and the
// messages ipset(8) prints for them.
const ipsetErrPrivate = 4096

var ipsetErrors = []struct{ name, text string }{
	{"IPSET_ERR_PRIVATE", "Private error code"},
	{"IPSET_ERR_PROTOCOL", "Kernel error received: ipset protocol error"},
	{"IPSET_ERR_FIND_TYPE", "Kernel error received: set type not supported"},
	{"IPSET_ERR_MAX_SETS", "Kernel error received: maximal number of sets reached, cannot create more"},
	{"IPSET_ERR_BUSY", "Set cannot be destroyed: it is in use by a kernel component"},
	{"IPSET_ERR_EXIST_SETNAME2", "Set cannot be created: set with the same name already exists"},
	{"IPSET_ERR_TYPE_MISMATCH", "The sets cannot be swapped: their type does not match"},
	{"IPSET_ERR_EXIST", "Element cannot be added to the set: it's already added"},
	{"IPSET_ERR_INVALID_CIDR", "The value of the CIDR parameter of the IP address is invalid"},
	{"IPSET_ERR_INVALID_NETMASK", "The value of the netmask parameter is invalid"},
	{"IPSET_ERR_INVALID_FAMILY", "Protocol family not supported by the set type"},
	{"IPSET_ERR_TIMEOUT", "Timeout cannot be used: set was created without timeout support"},
	{"IPSET_ERR_REFERENCED", "Set cannot be renamed: it is in use by another system"},
	{"IPSET_ERR_IPADDR_IPV4", "An IPv4 address is expected, but not received"},
	{"IPSET_ERR_IPADDR_IPV6", "An IPv6 address is expected, but not received"},
	{"IPSET_ERR_COUNTER", "Packet/byte counters cannot be used: set was created without counter support"},
	{"IPSET_ERR_COMMENT", "Comment cannot be used: set was created without comment support"},
	{"IPSET_ERR_INVALID_MARKMASK", "The value of the markmask parameter is invalid"},
	{"IPSET_ERR_SKBINFO", "Skbinfo mapping cannot be used: set was created without skbinfo support"},
	{"IPSET_ERR_BITMASK_NETMASK_EXCL", "The bitmask and netmask parameters are mutually exclusive"},
}

// The codes from IPSET_ERR_TYPE_SPECIFIC (4352) up mean different things
// for each kind of set (ip_set_hash.h, ip_set_bitmap.h, ip_set_list.h).
const ipsetErrTypeSpecific = 4352

var (
	ipsetHashErrors = []struct{ name, text string }{
		{"IPSET_ERR_HASH_FULL", "Hash is full, cannot add more elements"},
		{"IPSET_ERR_HASH_ELEM", "Null-valued element, cannot be stored in a hash type of set"},
		{"IPSET_ERR_INVALID_PROTO", "Invalid protocol specified"},
		{"IPSET_ERR_MISSING_PROTO", "Protocol must be specified"},
		{"IPSET_ERR_HASH_RANGE_UNSUPPORTED", "Range is not supported in the 'net' component of the element"},
		{"IPSET_ERR_HASH_RANGE", "Invalid range, covers the whole address space"},
	}
	ipsetBitmapErrors = []struct{ name, text string }{
		{"IPSET_ERR_BITMAP_RANGE", "Element is out of the range of the set"},
		{"IPSET_ERR_BITMAP_RANGE_SIZE", "The range you specified exceeds the size limit of the set type"},
	}
	ipsetListErrors = []struct{ name, text string }{
		{"IPSET_ERR_NAME", "Set to be added/deleted/tested as element does not exist"},
		{"IPSET_ERR_LOOP", "Sets with list:set type cannot be added to the set"},
		{"IPSET_ERR_BEFORE", "No reference set specified"},
		{"IPSET_ERR_NAMEREF", "The set to which you referred with 'before' or 'after' does not exist"},
		{"IPSET_ERR_LIST_FULL", "The set is full, more elements cannot be added"},
		{"IPSET_ERR_REF_EXIST", "The set to which you referred with 'before' or 'after' is not added to the set"},
	}
)

// ipsetErrno names an ipset error code. A type-specific code is named by
// the type of the set the request names, when the stream told it (a create,
// or the header request ipset(8) sends before an add); otherwise by every
// meaning it may have.
func ipsetErrno(st *decode.State, req client.Header, payload []byte, e int32) (string, string) {
	if e < ipsetErrPrivate {
		return "", ""
	}
	if e < ipsetErrTypeSpecific {
		if i := int(e - ipsetErrPrivate); i < len(ipsetErrors) {
			return ipsetErrors[i].name, ipsetErrors[i].text
		}
		return "", ""
	}
	i := int(e - ipsetErrTypeSpecific)
	kind := ""
	if st != nil {
		if name, tname := requestSet(payload); len(tname) > 0 {
			kind = string(tname)
		} else if len(name) > 0 {
			kind, _ = st.Learned(learnType, name)
		}
	}
	pick := func(tab []struct{ name, text string }) (string, string) {
		if i < len(tab) {
			return tab[i].name, tab[i].text
		}
		return "", ""
	}
	switch {
	case strings.HasPrefix(kind, "hash:"):
		return pick(ipsetHashErrors)
	case strings.HasPrefix(kind, "bitmap:"):
		return pick(ipsetBitmapErrors)
	case strings.HasPrefix(kind, "list:"):
		return pick(ipsetListErrors)
	}
	var names []string
	for _, tab := range [][]struct{ name, text string }{ipsetHashErrors, ipsetBitmapErrors, ipsetListErrors} {
		if i < len(tab) {
			names = append(names, tab[i].name)
		}
	}
	if len(names) == 0 {
		return "", ""
	}
	return strings.Join(names, "|"), "type-specific ipset error; the set's type was not seen"
}

// requestSet returns the set name and type name a request carries.
func requestSet(payload []byte) (name, tname []byte) {
	at := client.Align(4)
	if len(payload) < at {
		return nil, nil
	}
	var d client.AttributeDecoder
	d.Reset(payload[at:], 0)
	for d.Next() {
		switch d.Type() {
		case ipsetAttrSetname:
			name = cstr(d.Bytes())
		case ipsetAttrTypename:
			tname = cstr(d.Bytes())
		}
	}
	return name, tname
}
