package xfrm

import (
	"encoding/binary"
	"strconv"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// Family returns the NETLINK_XFRM decoder for registration with
// decode.NewRegistry.
func Family() *decode.Family {
	return &decode.Family{Protocol: unix.NETLINK_XFRM, Name: "xfrm", Types: plainTypes, Lookup: lookup}
}

// XFRM_MSG_* numbers (linux/xfrm.h).
const (
	msgBase        = 0x10
	msgNewSA       = 0x10
	msgDelSA       = 0x11
	msgGetSA       = 0x12
	msgNewPolicy   = 0x13
	msgDelPolicy   = 0x14
	msgGetPolicy   = 0x15
	msgAllocSPI    = 0x16
	msgAcquire     = 0x17
	msgExpire      = 0x18
	msgUpdPolicy   = 0x19
	msgUpdSA       = 0x1a
	msgPolExpire   = 0x1b
	msgFlushSA     = 0x1c
	msgFlushPolicy = 0x1d
	msgNewAE       = 0x1e
	msgGetAE       = 0x1f
	msgReport      = 0x20
	msgMigrate     = 0x21
	msgNewSADInfo  = 0x22
	msgGetSADInfo  = 0x23
	msgNewSPDInfo  = 0x24
	msgGetSPDInfo  = 0x25
	msgMapping     = 0x26
	msgSetDefault  = 0x27
	msgGetDefault  = 0x28
	// XFRM_MSG_MIGRATE_STATE is newer than the installed header.
	msgMigrateState = 0x29
	msgEnd          = 0x2a
)

// def describes one message type: its header's family variants, which
// header members hold the families that choose the variant, and its
// attribute set.
type def struct {
	name    string
	op      decode.Op
	headers []decode.Layout // 1, 2 (by family a) or 4 (2*a + b) variants; none for no header
	fa, fb  int             // offsets of families a and b in the payload, -1 when unused
	// attrsBy says which family chooses the XFRMA set: 'a', 'b', or 0
	// for set.
	attrsBy byte
	set     *decode.AttrSet
}

var defs = [msgEnd - msgBase]def{
	msgNewSA - msgBase:        {name: "XFRM_MSG_NEWSA", op: decode.OpNew, headers: usersaInfos[:], fa: selFamilyOff, fb: infoFamilyOff, attrsBy: 'b'},
	msgDelSA - msgBase:        {name: "XFRM_MSG_DELSA", op: decode.OpDel, headers: usersaIDs[:], fa: usersaIDFamilyOff, fb: -1, attrsBy: 'a'},
	msgGetSA - msgBase:        {name: "XFRM_MSG_GETSA", op: decode.OpGet, headers: usersaIDs[:], fa: usersaIDFamilyOff, fb: -1, attrsBy: 'a'},
	msgNewPolicy - msgBase:    {name: "XFRM_MSG_NEWPOLICY", op: decode.OpNew, headers: policyInfos[:], fa: selFamilyOff, fb: -1, attrsBy: 'a'},
	msgDelPolicy - msgBase:    {name: "XFRM_MSG_DELPOLICY", op: decode.OpDel, headers: policyIDs[:], fa: selFamilyOff, fb: -1, attrsBy: 'a'},
	msgGetPolicy - msgBase:    {name: "XFRM_MSG_GETPOLICY", op: decode.OpGet, headers: policyIDs[:], fa: selFamilyOff, fb: -1, attrsBy: 'a'},
	msgAllocSPI - msgBase:     {name: "XFRM_MSG_ALLOCSPI", headers: userspiInfos[:], fa: selFamilyOff, fb: infoFamilyOff, attrsBy: 'b'},
	msgAcquire - msgBase:      {name: "XFRM_MSG_ACQUIRE", headers: userAcquires[:], fa: acquireSelOff + selFamilyOff, fb: acquirePolicyOff + selFamilyOff, attrsBy: 'a'},
	msgExpire - msgBase:       {name: "XFRM_MSG_EXPIRE", headers: userExpires[:], fa: selFamilyOff, fb: infoFamilyOff, attrsBy: 'b'},
	msgUpdPolicy - msgBase:    {name: "XFRM_MSG_UPDPOLICY", op: decode.OpNew, headers: policyInfos[:], fa: selFamilyOff, fb: -1, attrsBy: 'a'},
	msgUpdSA - msgBase:        {name: "XFRM_MSG_UPDSA", op: decode.OpNew, headers: usersaInfos[:], fa: selFamilyOff, fb: infoFamilyOff, attrsBy: 'b'},
	msgPolExpire - msgBase:    {name: "XFRM_MSG_POLEXPIRE", headers: userPolexpires[:], fa: selFamilyOff, fb: -1, attrsBy: 'a'},
	msgFlushSA - msgBase:      {name: "XFRM_MSG_FLUSHSA", op: decode.OpDel, headers: []decode.Layout{usersaFlush}, fa: -1, fb: -1, attrsBy: 'a'},
	msgFlushPolicy - msgBase:  {name: "XFRM_MSG_FLUSHPOLICY", op: decode.OpDel, fa: -1, fb: -1, attrsBy: 'a'},
	msgNewAE - msgBase:        {name: "XFRM_MSG_NEWAE", op: decode.OpNew, headers: aeventIDs[:], fa: usersaIDFamilyOff, fb: -1, attrsBy: 'a'},
	msgGetAE - msgBase:        {name: "XFRM_MSG_GETAE", op: decode.OpGet, headers: aeventIDs[:], fa: usersaIDFamilyOff, fb: -1, attrsBy: 'a'},
	msgReport - msgBase:       {name: "XFRM_MSG_REPORT", headers: userReports[:], fa: reportSelOff + selFamilyOff, fb: -1, attrsBy: 'a'},
	msgMigrate - msgBase:      {name: "XFRM_MSG_MIGRATE", headers: policyIDs[:], fa: selFamilyOff, fb: -1, attrsBy: 'a'},
	msgNewSADInfo - msgBase:   {name: "XFRM_MSG_NEWSADINFO", headers: []decode.Layout{flagsWord}, fa: -1, fb: -1, set: &sadAttrs},
	msgGetSADInfo - msgBase:   {name: "XFRM_MSG_GETSADINFO", op: decode.OpGet, headers: []decode.Layout{flagsWord}, fa: -1, fb: -1, set: &sadAttrs},
	msgNewSPDInfo - msgBase:   {name: "XFRM_MSG_NEWSPDINFO", op: decode.OpSet, headers: []decode.Layout{flagsWord}, fa: -1, fb: -1, set: &spdAttrs},
	msgGetSPDInfo - msgBase:   {name: "XFRM_MSG_GETSPDINFO", op: decode.OpGet, headers: []decode.Layout{flagsWord}, fa: -1, fb: -1, set: &spdAttrs},
	msgMapping - msgBase:      {name: "XFRM_MSG_MAPPING", headers: userMappings[:], fa: usersaIDFamilyOff, fb: -1, attrsBy: 'a'},
	msgSetDefault - msgBase:   {name: "XFRM_MSG_SETDEFAULT", op: decode.OpSet, headers: []decode.Layout{userpolicyDefault}, fa: -1, fb: -1},
	msgGetDefault - msgBase:   {name: "XFRM_MSG_GETDEFAULT", op: decode.OpGet, headers: []decode.Layout{userpolicyDefault}, fa: -1, fb: -1},
	msgMigrateState - msgBase: {name: "XFRM_MSG_MIGRATE_STATE", headers: migrateStates[:], fa: usersaIDFamilyOff, fb: migStateNewFamOff, attrsBy: 'b'},
}

// variants holds, for each message type, its four (a, b) family
// variants, indexed 2*a + b.
var variants = buildVariants()

func buildVariants() (v [msgEnd - msgBase][4]decode.MessageType) {
	for i := range defs {
		d := &defs[i]
		if d.name == "" {
			continue
		}
		for a := range 2 {
			for b := range 2 {
				mt := decode.MessageType{Name: d.name, Op: d.op}
				switch len(d.headers) {
				case 1:
					mt.Header = &d.headers[0]
				case 2:
					mt.Header = &d.headers[a]
				case 4:
					mt.Header = &d.headers[2*a+b]
				}
				switch {
				case d.set != nil:
					mt.Attrs = d.set
				case d.attrsBy == 'a':
					mt.Attrs = &xfrmaSets[a]
				case d.attrsBy == 'b':
					mt.Attrs = &xfrmaSets[b]
				}
				v[i][2*a+b] = mt
			}
		}
	}
	return v
}

// plainTypes is Family.Types: each message type in its IPv4 variant, for
// callers that look types up by number alone.
var plainTypes = func() []decode.MessageType {
	t := make([]decode.MessageType, msgEnd)
	for i := range variants {
		t[msgBase+i] = variants[i][0]
	}
	return t
}()

// Dump requests for SAs and policies carry no header: the kernel parses
// attributes (XFRMA_ADDRESS_FILTER, XFRMA_PROTO) straight after the
// nlmsghdr. Some clients put the GETSA or GETPOLICY header there all the
// same, which the kernel skips as a run of attributes that ends at once;
// such a request is shown with its header.
var dumpRequests = [2]decode.MessageType{
	{Name: "XFRM_MSG_GETSA", Op: decode.OpGet, Attrs: &xfrmaSets[1]},
	{Name: "XFRM_MSG_GETPOLICY", Op: decode.OpGet, Attrs: &xfrmaSets[1]},
}

// isAttrRun reports whether p is a well-formed run of XFRMA_* attributes
// that fills it exactly.
func isAttrRun(p []byte) bool {
	maxType := uint16(len(xfrmaSets[0].Attrs) - 1)
	for len(p) > 0 {
		if len(p) < 4 {
			return false
		}
		n := int(binary.NativeEndian.Uint16(p))
		if n < 4 || n > len(p) || binary.NativeEndian.Uint16(p[2:])&client.AttrTypeMask > maxType {
			return false
		}
		n = min((n+3)&^3, len(p))
		p = p[n:]
	}
	return true
}

func lookup(_ *decode.State, h client.Header, p []byte) *decode.MessageType {
	i := int(h.Type) - msgBase
	if i < 0 || i >= len(defs) || defs[i].name == "" {
		return nil
	}
	if h.Flags&client.FlagRequest != 0 && h.Flags&client.FlagDump != 0 && isAttrRun(p) {
		switch h.Type {
		case msgGetSA:
			return &dumpRequests[0]
		case msgGetPolicy:
			return &dumpRequests[1]
		}
	}
	d := &defs[i]
	a, b := 0, 0
	if d.fa >= 0 {
		a = v6At(p, d.fa)
	}
	if d.fb >= 0 {
		b = v6At(p, d.fb)
		if d.fa == selFamilyOff && d.fb == infoFamilyOff {
			a = selectorV6(p, 0, infoFamilyOff)
		}
	}
	return &variants[i][2*a+b]
}

// selectorV6 is v6At for the selector at p[sel:], whose family, when
// AF_UNSPEC, is that of the SA at p[fam:], as the kernel takes it (and ip
// shows it): an SA's selector is often left without a family.
func selectorV6(p []byte, sel, fam int) int {
	if off := sel + selFamilyOff; off+2 <= len(p) && binary.NativeEndian.Uint16(p[off:]) == unix.AF_UNSPEC {
		return v6At(p, fam)
	}
	return v6At(p, sel+selFamilyOff)
}

// v6At says which address variant the family at p[off:] calls for: 0 for
// AF_INET, 1 for any other family or when the bytes end before it.
func v6At(p []byte, off int) int {
	if off < 0 || off+2 > len(p) || binary.NativeEndian.Uint16(p[off:]) != unix.AF_INET {
		return 1
	}
	return 0
}

// The members of xfrm_algo, xfrm_algo_auth and xfrm_algo_aead. The key is
// a secret: renderers redact it unless asked to show secrets, and
// -w --redact-secrets zeroes it in the file.
var (
	algName     = decode.Attr{Name: "alg_name", Type: decode.String}
	algKeyLen   = decode.Attr{Name: "alg_key_len", Type: decode.U32} // bits
	algTruncLen = decode.Attr{Name: "alg_trunc_len", Type: decode.U32}
	algICVLen   = decode.Attr{Name: "alg_icv_len", Type: decode.U32}
	algKey      = decode.Attr{Name: "alg_key", Type: decode.Binary, Sem: decode.Secret}
)

func algo(b *decode.Builder, p []byte, off int)     { algoFields(b, p, off, nil) }
func algoAuth(b *decode.Builder, p []byte, off int) { algoFields(b, p, off, &algTruncLen) }
func algoAEAD(b *decode.Builder, p []byte, off int) { algoFields(b, p, off, &algICVLen) }

// algoFields decodes an algorithm: its name, key length in bits, the
// truncation or ICV length in bits (extra), then the key. Every byte after
// the fixed part is the key, whatever alg_key_len says, so that no key
// byte escapes redaction through a length that disagrees.
func algoFields(b *decode.Builder, p []byte, off int, extra *decode.Attr) {
	fixed := algoSize
	if extra != nil {
		fixed = algoAuthSize
	}
	if len(p) < fixed {
		b.Malformed(off, len(p), "shorter than its "+strconv.Itoa(fixed)+"-byte fixed part")
		return
	}
	b.Field(&algName, p[:algNameSize], off)
	b.Field(&algKeyLen, p[algNameSize:algNameSize+4], off+algNameSize)
	if extra != nil {
		b.Field(extra, p[algNameSize+4:algNameSize+8], off+algNameSize+4)
	}
	key := p[fixed:]
	if len(key) > 0 {
		b.Field(&algKey, key, off+fixed)
	}
	bits := binary.NativeEndian.Uint32(p[algNameSize:])
	if want := (uint64(bits) + 7) / 8; want != uint64(len(key)) {
		b.Note("note", "alg_key_len says "+strconv.FormatUint(want, 10)+" bytes, "+strconv.Itoa(len(key))+" follow", off+fixed)
	}
}

// saInfo decodes XFRMA_SA, the xfrm_usersa_info of a deleted SA.
func saInfo(b *decode.Builder, p []byte, off int) {
	b.Layout(&usersaInfos[2*selectorV6(p, 0, infoFamilyOff)+v6At(p, infoFamilyOff)], p, off)
}

// policyInfoAttr decodes XFRMA_POLICY, the xfrm_userpolicy_info of a
// deleted policy.
func policyInfoAttr(b *decode.Builder, p []byte, off int) {
	b.Layout(&policyInfos[v6At(p, selFamilyOff)], p, off)
}

// selectorAttr decodes a selector by its own family, where a struct holds
// one whose family is unrelated to the struct's others.
func selectorAttr(b *decode.Builder, p []byte, off int) {
	b.Layout(&selectors[v6At(p, selFamilyOff)], p, off)
}

func kmaddress(b *decode.Builder, p []byte, off int) {
	b.Layout(&userKmaddrs[v6At(p, kmaddressFamOff)], p, off)
}

func addrFilter(b *decode.Builder, p []byte, off int) {
	b.Layout(&addrFilters[v6At(p, filterFamilyOff)], p, off)
}

var (
	tmplElems = [2]decode.Attr{
		{Name: "xfrm_user_tmpl", Type: decode.Struct, Struct: &userTmpls[0]},
		{Name: "xfrm_user_tmpl", Type: decode.Struct, Struct: &userTmpls[1]},
	}
	migrateElems = [4]decode.Attr{
		{Name: "xfrm_user_migrate", Type: decode.Struct, Struct: &userMigrates[0]},
		{Name: "xfrm_user_migrate", Type: decode.Struct, Struct: &userMigrates[1]},
		{Name: "xfrm_user_migrate", Type: decode.Struct, Struct: &userMigrates[2]},
		{Name: "xfrm_user_migrate", Type: decode.Struct, Struct: &userMigrates[3]},
	}
)

// tmpls decodes XFRMA_TMPL: templates, each with its own family.
func tmpls(b *decode.Builder, p []byte, off int) {
	for ; len(p) >= tmplSize; p, off = p[tmplSize:], off+tmplSize {
		b.Field(&tmplElems[v6At(p, tmplFamilyOff)], p[:tmplSize], off)
	}
	if len(p) > 0 {
		b.Malformed(off, len(p), "trailing bytes shorter than xfrm_user_tmpl")
	}
}

// migrates decodes XFRMA_MIGRATE: migrations, each from one family to
// another.
func migrates(b *decode.Builder, p []byte, off int) {
	for ; len(p) >= migrateSize; p, off = p[migrateSize:], off+migrateSize {
		b.Field(&migrateElems[2*v6At(p, migrateOldFamOff)+v6At(p, migrateNewFamOff)], p[:migrateSize], off)
	}
	if len(p) > 0 {
		b.Malformed(off, len(p), "trailing bytes shorter than xfrm_user_migrate")
	}
}

var ctxStr = decode.Attr{Name: "ctx_str", Type: decode.String}

// secCtx decodes XFRMA_SEC_CTX: an xfrm_user_sec_ctx followed by ctx_len
// bytes of security context text.
func secCtx(b *decode.Builder, p []byte, off int) {
	if len(p) < secCtxSize {
		b.Malformed(off, len(p), "shorter than xfrm_user_sec_ctx")
		return
	}
	b.Layout(&userSecCtx, p[:secCtxSize], off)
	rest := p[secCtxSize:]
	n := min(int(binary.NativeEndian.Uint16(p[6:])), len(rest))
	b.Field(&ctxStr, rest[:n], off+secCtxSize)
	if n < len(rest) {
		b.Bytes("trailing", rest[n:], off+secCtxSize+n)
	}
}
