package xfrm

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/internal/testenv"
)

// cLayouts are the layouts that mirror a struct of linux/xfrm.h, in their
// IPv6 variants (whose addresses span the whole xfrm_address_t).
func cLayouts() []*decode.Layout {
	return []*decode.Layout{
		&selectors[1], &ids[1], &usersaInfos[3], &usersaIDs[1], &aeventIDs[1], &userspiInfos[3],
		&policyInfos[1], &policyIDs[1], &userAcquires[3], &userExpires[3], &userPolexpires[1], &userReports[1],
		&userKmaddrs[1], &userMigrates[3], &userMappings[1], &addrFilters[1], &userTmpls[1], &encapTmpls[1],
		&lifetimeCfg, &lifetimeCur, &stats, &replayState, &replayStateESN, &mark, &policyType, &userOffload,
		&userpolicyDefault, &usersaFlush, &userSecCtx, &sadhinfo, &spdinfo, &spdhinfo, &spdhthresh,
		&migrateStates[3],
	}
}

func memberBytes(m *decode.Attr) int {
	switch m.Type {
	case decode.U8, decode.S8:
		return 1
	case decode.U16, decode.S16, decode.BE16:
		return 2
	case decode.U32, decode.S32, decode.BE32:
		return 4
	case decode.U64, decode.S64, decode.BE64:
		return 8
	case decode.Struct:
		return m.Struct.Size
	}
	return m.Len
}

// TestLayoutsMatchC compiles a C program against the installed
// linux/xfrm.h that prints the size of every struct the schema mirrors and
// the offset and size of each member, and compares them with the layouts.
func TestLayoutsMatchC(t *testing.T) {
	cc, err := exec.LookPath("cc")
	if err != nil {
		testenv.Skip(t, testenv.Host, "no C compiler to check the layouts against")
	}
	if _, err := os.Stat("/usr/include/linux/xfrm.h"); err != nil {
		testenv.Skip(t, testenv.Host, "no linux/xfrm.h to check the layouts against")
	}
	var src, want bytes.Buffer
	src.WriteString("#include <stdio.h>\n#include <stddef.h>\n#include <linux/xfrm.h>\n")
	// Newer than the installed header: its definition, as the kernel's
	// current header has it.
	src.WriteString(`#ifndef XFRM_MIGRATE_STATE_CLEAR_OFFLOAD
struct xfrm_user_migrate_state {
	struct xfrm_usersa_id id;
	xfrm_address_t new_daddr;
	xfrm_address_t new_saddr;
	struct xfrm_mark old_mark;
	struct xfrm_selector new_sel;
	__u32 new_reqid;
	__u32 flags;
	__u16 new_family;
	__u16 reserved;
};
#endif
int main(void) {
`)
	line := func(format, expr string, v ...any) {
		fmt.Fprintf(&src, "\tprintf(\"%s %%zu\\n\", %s);\n", fmt.Sprintf(format, v...), expr)
	}
	for _, l := range cLayouts() {
		line("%s", fmt.Sprintf("sizeof(struct %s)", l.Name), l.Name)
		fmt.Fprintf(&want, "%s %d\n", l.Name, l.Size)
		for i := range l.Members {
			m := &l.Members[i]
			line("%s.%s off", fmt.Sprintf("offsetof(struct %s, %s)", l.Name, m.Name), l.Name, m.Name)
			line("%s.%s size", fmt.Sprintf("sizeof(((struct %s *)0)->%s)", l.Name, m.Name), l.Name, m.Name)
			fmt.Fprintf(&want, "%s.%s off %d\n%s.%s size %d\n", l.Name, m.Name, m.Off, l.Name, m.Name, memberBytes(m))
		}
	}
	for _, c := range []struct {
		expr string
		n    int
	}{
		{"sizeof(xfrm_address_t)", addrSize},
		{"sizeof(struct xfrm_algo)", algoSize},
		{"sizeof(struct xfrm_algo_auth)", algoAuthSize},
		{"sizeof(struct xfrm_algo_aead)", algoAuthSize},
		{"offsetof(struct xfrm_algo, alg_key_len)", algNameSize},
		{"offsetof(struct xfrm_algo_auth, alg_trunc_len)", algNameSize + 4},
		{"offsetof(struct xfrm_algo_aead, alg_icv_len)", algNameSize + 4},
		{"offsetof(struct xfrm_user_acquire, sel)", acquireSelOff},
		{"offsetof(struct xfrm_user_acquire, policy)", acquirePolicyOff},
		{"offsetof(struct xfrm_user_report, sel)", reportSelOff},
		{"offsetof(struct xfrm_usersa_info, family)", infoFamilyOff},
		{"offsetof(struct xfrm_selector, family)", selFamilyOff},
		{"offsetof(struct xfrm_usersa_id, family)", usersaIDFamilyOff},
		{"offsetof(struct xfrm_user_tmpl, family)", tmplFamilyOff},
		{"offsetof(struct xfrm_user_kmaddress, family)", kmaddressFamOff},
		{"offsetof(struct xfrm_user_migrate, old_family)", migrateOldFamOff},
		{"offsetof(struct xfrm_user_migrate, new_family)", migrateNewFamOff},
		{"offsetof(struct xfrm_address_filter, family)", filterFamilyOff},
		{"offsetof(struct xfrm_user_migrate_state, new_family)", migStateNewFamOff},
	} {
		line("%s", c.expr, c.expr)
		fmt.Fprintf(&want, "%s %d\n", c.expr, c.n)
	}
	src.WriteString("\treturn 0;\n}\n")
	dir := t.TempDir()
	cfile := filepath.Join(dir, "sizes.c")
	if err := os.WriteFile(cfile, src.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(cc, "-o", filepath.Join(dir, "sizes"), cfile).CombinedOutput(); err != nil {
		t.Fatalf("cc: %v\n%s", err, out)
	}
	got, err := exec.Command(filepath.Join(dir, "sizes")).Output()
	if err != nil {
		t.Fatal(err)
	}
	wantText := want.String()
	gs, ws := bufio.NewScanner(bytes.NewReader(got)), bufio.NewScanner(strings.NewReader(wantText))
	for gs.Scan() && ws.Scan() {
		if gs.Text() != ws.Text() {
			t.Errorf("C says %q, the schema %q", gs.Text(), ws.Text())
		}
	}
	if strings.Count(string(got), "\n") != strings.Count(wantText, "\n") {
		t.Errorf("C printed %d lines, want %d", strings.Count(string(got), "\n"), strings.Count(wantText, "\n"))
	}
}
