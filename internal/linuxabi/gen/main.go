// Command gen writes internal/linuxabi's generated files: the Linux value of
// every unix.X constant that the module's portable files use, and Linux's
// errno names and messages.
//
// It finds the identifiers by parsing every non-test Go file of the module
// that imports internal/linuxabi (as unix, so the code reads as it would with
// golang.org/x/sys/unix), and takes their values by type-checking
// golang.org/x/sys/unix from source for GOOS=linux, once per architecture in
// arches: a constant whose value differs between them is an error, because
// the decoder cannot know the architecture a capture came from.
//
// Run it with go generate in internal/linuxabi.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/constant"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

const (
	module    = "github.com/nltrace/nltrace"
	abiPkg    = module + "/internal/linuxabi"
	unixPkg   = "golang.org/x/sys/unix"
	errnoFile = "zerrno.go"
	constFile = "zconst.go"
	testFile  = "zconst_linux_test.go"
)

// arches are the Linux architectures whose values must agree. mips, sparc
// and powerpc number some errnos (EDEADLOCK) and flags differently and are
// left out: nltrace's decoder assumes the numbering the other Linux ports
// share.
var arches = []string{"amd64", "arm64", "386", "arm", "riscv64", "s390x", "loong64"}

func main() {
	root := flag.String("root", "../..", "module root")
	out := flag.String("out", ".", "directory to write the files to")
	flag.Parse()
	files, err := generate(*root, arches)
	if err != nil {
		fmt.Fprintf(os.Stderr, "linuxabi gen: %v\n", err)
		os.Exit(1)
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(*out, name), src, 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "linuxabi gen: %v\n", err)
			os.Exit(1)
		}
	}
}

// generate returns the generated files of internal/linuxabi by name.
func generate(root string, arches []string) (map[string][]byte, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	abiDir := filepath.Join(root, "internal", "linuxabi")
	own, refs, err := declaredByHand(abiDir)
	if err != nil {
		return nil, err
	}
	used, err := usedIdents(root)
	if err != nil {
		return nil, err
	}
	for name, file := range refs {
		if !own[name] && used[name] == "" {
			used[name] = file
		}
	}
	var consts []abiConst
	var errnos []errnoEntry
	for i, arch := range arches {
		c, e, err := linuxValues(root, arch, used, own)
		if err != nil {
			return nil, fmt.Errorf("linux/%s: %w", arch, err)
		}
		if i == 0 {
			consts, errnos = c, e
			continue
		}
		if d := firstDiff(consts, c); d != "" {
			return nil, fmt.Errorf("unix.%s differs between linux/%s and linux/%s; nltrace cannot decode it portably", d, arches[0], arch)
		}
		if errnos, err = mergeErrnos(errnos, e); err != nil {
			return nil, fmt.Errorf("linux/%s and linux/%s: %w", arches[0], arch, err)
		}
	}
	files := map[string][]byte{}
	for name, src := range map[string][]byte{
		constFile: constSource(consts),
		errnoFile: errnoSource(errnos),
		testFile:  testSource(consts, errnos),
	} {
		b, err := format.Source(src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		files[name] = b
	}
	return files, nil
}

// declaredByHand returns the top-level names that linuxabi's own,
// non-generated files declare (Errno, ErrnoName, ...), which the generator
// leaves to those files, and the upper-case names those files refer to
// (EEXIST, ...), which it must generate for them.
func declaredByHand(dir string) (own map[string]bool, refs map[string]string, err error) {
	fset := token.NewFileSet()
	own, refs = map[string]bool{}, map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		n := e.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || strings.HasPrefix(n, "z") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, err
		}
		ast.Inspect(f, func(node ast.Node) bool {
			if id, ok := node.(*ast.Ident); ok && id.Name == strings.ToUpper(id.Name) && id.Name != "_" {
				refs[id.Name] = "internal/linuxabi/" + n
			}
			return true
		})
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					own[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						own[s.Name.Name] = true
					case *ast.ValueSpec:
						for _, n := range s.Names {
							own[n.Name] = true
						}
					}
				}
			}
		}
	}
	return own, refs, nil
}

// usedIdents returns every X in a selector unix.X of a file that imports
// linuxabi, with the first file that uses it (for error messages).
func usedIdents(root string) (map[string]string, error) {
	used := map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			n := d.Name()
			if path != root && (strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") || n == "testdata" || n == "vendor") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		name := ""
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == abiPkg {
				name = "linuxabi"
				if imp.Name != nil {
					name = imp.Name.Name
				}
			}
		}
		if name == "" || name == "_" || name == "." {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == name {
					if used[sel.Sel.Name] == "" {
						used[sel.Sel.Name] = filepath.ToSlash(rel)
					}
				}
			}
			return true
		})
		return nil
	})
	return used, err
}

// abiConst is one generated constant: its name, Go type in linuxabi ("" for
// an untyped constant) and exact value.
type abiConst struct {
	name, typ, value string
}

type errnoEntry struct {
	num        int
	name, desc string
}

func firstDiff(a, b []abiConst) string {
	for i := range a {
		if i >= len(b) || a[i] != b[i] {
			return a[i].name
		}
	}
	if len(b) > len(a) {
		return b[len(a)].name
	}
	return ""
}

// linuxValues type-checks x/sys/unix for linux/arch and returns the values
// of the used constants (sorted by name) and the errno table.
func linuxValues(root, arch string, used map[string]string, own map[string]bool) ([]abiConst, []errnoEntry, error) {
	ctxt := build.Default
	ctxt.GOOS, ctxt.GOARCH, ctxt.CgoEnabled = "linux", arch, false
	ctxt.Dir = root
	// The host's register-ABI experiment tags are per architecture (386 has
	// none); without them every architecture takes its own default files.
	ctxt.ToolTags = slices.DeleteFunc(slices.Clone(ctxt.ToolTags), func(t string) bool {
		return strings.HasPrefix(t, "goexperiment.regabi")
	})
	// go/build finds module packages through the go command only for its
	// default tool tags, so x/sys/unix's directory is looked up once here.
	out, err := exec.Command("go", "list", "-C", root, "-f", "{{.Dir}}", unixPkg).Output()
	if err != nil {
		return nil, nil, fmt.Errorf("go list %s: %w", unixPkg, err)
	}
	unixDir := strings.TrimSpace(string(out))
	imp := &sourceImporter{ctxt: &ctxt, fset: token.NewFileSet(), pkgs: map[string]*types.Package{}, dirs: map[string]string{unixPkg: unixDir}}
	pkg, err := imp.ImportFrom(unixPkg, root, 0)
	if err != nil {
		return nil, nil, err
	}
	var consts []abiConst
	var problems []string
	for name, user := range used {
		if own[name] {
			continue
		}
		obj := pkg.Scope().Lookup(name)
		c, ok := obj.(*types.Const)
		if !ok {
			what := "not declared"
			if obj != nil {
				what = "not a constant"
			}
			problems = append(problems, fmt.Sprintf("%s: unix.%s is %s in golang.org/x/sys/unix for linux", user, name, what))
			continue
		}
		typ := ""
		switch t := c.Type().String(); t {
		case "untyped int", "untyped rune":
		case "syscall.Errno":
			typ = "Errno"
		default:
			problems = append(problems, fmt.Sprintf("%s: unix.%s has type %s, which linuxabi does not declare", user, name, t))
			continue
		}
		v := constant.ToInt(c.Val())
		if v.Kind() != constant.Int {
			problems = append(problems, fmt.Sprintf("%s: unix.%s is not an integer", user, name))
			continue
		}
		consts = append(consts, abiConst{name: name, typ: typ, value: v.ExactString()})
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return nil, nil, errors.New(strings.Join(problems, "\n\t") +
			"\n\t(only constants can be portable: code that calls into the kernel belongs in a _linux.go file)")
	}
	slices.SortFunc(consts, func(a, b abiConst) int { return strings.Compare(a.name, b.name) })
	errnos, err := errnoTable(&ctxt, unixDir)
	if err != nil {
		return nil, nil, err
	}
	return consts, errnos, nil
}

// errnoTable joins x/sys/unix's errno names (errorList) with the messages
// of the syscall package (errors), which is what syscall.Errno.Error()
// prints on Linux.
func errnoTable(ctxt *build.Context, unixDir string) ([]errnoEntry, error) {
	names := map[int]string{}
	descs := map[int]string{}
	ubp, err := ctxt.ImportDir(unixDir, 0)
	if err != nil {
		return nil, err
	}
	sbp, err := ctxt.Import("syscall", "", 0)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	found := 0
	for _, src := range []struct {
		bp  *build.Package
		vr  string
		put func(k int, elt ast.Expr) error
	}{
		{ubp, "errorList", func(_ int, elt ast.Expr) error {
			cl, ok := elt.(*ast.CompositeLit)
			if !ok || len(cl.Elts) != 3 {
				return errors.New("errorList: unexpected element")
			}
			num, err1 := intLit(cl.Elts[0])
			name, err2 := strLit(cl.Elts[1])
			if err := errors.Join(err1, err2); err != nil {
				return err
			}
			names[num] = name
			return nil
		}},
		{sbp, "errors", func(k int, elt ast.Expr) error {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				return errors.New("syscall errors: unexpected element")
			}
			num, err1 := intLit(kv.Key)
			desc, err2 := strLit(kv.Value)
			if err := errors.Join(err1, err2); err != nil {
				return err
			}
			// arm's table fills gaps with "unknown error N", which
			// syscall.Errno prints as "errno N" elsewhere.
			if !strings.HasPrefix(desc, "unknown error") {
				descs[num] = desc
			}
			return nil
		}},
	} {
		for _, name := range src.bp.GoFiles {
			if !strings.HasPrefix(name, "zerrors_linux") {
				continue
			}
			f, err := parser.ParseFile(fset, filepath.Join(src.bp.Dir, name), nil, parser.SkipObjectResolution)
			if err != nil {
				return nil, err
			}
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.VAR {
					continue
				}
				for _, s := range g.Specs {
					vs := s.(*ast.ValueSpec)
					if len(vs.Names) != 1 || vs.Names[0].Name != src.vr || len(vs.Values) != 1 {
						continue
					}
					cl, ok := vs.Values[0].(*ast.CompositeLit)
					if !ok {
						return nil, fmt.Errorf("%s: %s is not a composite literal", name, src.vr)
					}
					for k, elt := range cl.Elts {
						if err := src.put(k, elt); err != nil {
							return nil, fmt.Errorf("%s: %w", name, err)
						}
					}
					found++
				}
			}
		}
	}
	if found != 2 {
		return nil, fmt.Errorf("found %d of the 2 errno tables (x/sys/unix errorList, syscall errors)", found)
	}
	var table []errnoEntry
	for num, name := range names {
		table = append(table, errnoEntry{num: num, name: name, desc: descs[num]})
	}
	for num, desc := range descs {
		if names[num] == "" {
			table = append(table, errnoEntry{num: num, desc: desc})
		}
	}
	slices.SortFunc(table, func(a, b errnoEntry) int { return a.num - b.num })
	return table, nil
}

// mergeErrnos joins the errno tables of two architectures: names and
// messages of one number must agree where both have one, and one that only
// one architecture's tables give (amd64's syscall package has no message for
// EHWPOISON, ppc64le's has one for its own EDEADLOCK) is kept.
func mergeErrnos(a, b []errnoEntry) ([]errnoEntry, error) {
	byNum := map[int]errnoEntry{}
	for _, e := range a {
		byNum[e.num] = e
	}
	for _, e := range b {
		o, ok := byNum[e.num]
		switch {
		case !ok:
			byNum[e.num] = e
			continue
		case o.name != "" && e.name != "" && o.name != e.name:
			return nil, fmt.Errorf("errno %d is %s in one and %s in the other", e.num, o.name, e.name)
		case o.desc != "" && e.desc != "" && o.desc != e.desc:
			return nil, fmt.Errorf("errno %d says %q in one and %q in the other", e.num, o.desc, e.desc)
		}
		if o.name == "" {
			o.name = e.name
		}
		if o.desc == "" {
			o.desc = e.desc
		}
		byNum[e.num] = o
	}
	out := make([]errnoEntry, 0, len(byNum))
	for _, e := range byNum {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b errnoEntry) int { return a.num - b.num })
	return out, nil
}

func intLit(e ast.Expr) (int, error) {
	if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.INT {
		n, err := strconv.ParseInt(b.Value, 0, 64)
		return int(n), err
	}
	return 0, fmt.Errorf("not an integer literal: %T", e)
}

func strLit(e ast.Expr) (string, error) {
	if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
		return strconv.Unquote(b.Value)
	}
	return "", fmt.Errorf("not a string literal: %T", e)
}

// sourceImporter type-checks packages from source for the build context it
// holds (GOOS=linux whatever the host), skipping function bodies: only
// declarations matter for constant values.
type sourceImporter struct {
	ctxt *build.Context
	fset *token.FileSet
	pkgs map[string]*types.Package
	dirs map[string]string // directories of non-standard packages by path
}

func (s *sourceImporter) Import(path string) (*types.Package, error) {
	return s.ImportFrom(path, s.ctxt.Dir, 0)
}

func (s *sourceImporter) ImportFrom(path, dir string, _ types.ImportMode) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	var bp *build.Package
	var err error
	if d, ok := s.dirs[path]; ok {
		bp, err = s.ctxt.ImportDir(d, 0)
		if bp != nil {
			bp.ImportPath = path
		}
	} else {
		bp, err = s.ctxt.Import(path, dir, 0)
	}
	if err != nil {
		return nil, err
	}
	if p, ok := s.pkgs[bp.Dir]; ok {
		if p == nil {
			return nil, fmt.Errorf("import cycle through %s", path)
		}
		return p, nil
	}
	s.pkgs[bp.Dir] = nil
	var files []*ast.File
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(s.fset, filepath.Join(bp.Dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	var hard error
	conf := types.Config{
		Importer:         s,
		IgnoreFuncBodies: true,
		FakeImportC:      true,
		Sizes:            types.SizesFor("gc", s.ctxt.GOARCH),
		Error: func(err error) {
			if te, ok := err.(types.Error); ok && te.Soft {
				return
			}
			if hard == nil {
				hard = err
			}
		},
	}
	pkg, _ := conf.Check(bp.ImportPath, s.fset, files, nil)
	if hard != nil {
		return nil, fmt.Errorf("type-checking %s: %w", bp.ImportPath, hard)
	}
	s.pkgs[bp.Dir] = pkg
	return pkg, nil
}

const header = "// Code generated by go run ./gen; DO NOT EDIT.\n\n"

func constSource(consts []abiConst) []byte {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("package linuxabi\n\n")
	b.WriteString("// The Linux values of the golang.org/x/sys/unix constants that the module's\n")
	b.WriteString("// portable files use.\n")
	b.WriteString("const (\n")
	for _, c := range consts {
		v := c.value
		if c.typ != "" {
			v = c.typ + "(" + v + ")"
		}
		fmt.Fprintf(&b, "\t%s = %s\n", c.name, v)
	}
	b.WriteString(")\n")
	return b.Bytes()
}

func errnoSource(table []errnoEntry) []byte {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("package linuxabi\n\n")
	b.WriteString("// errnoNames are Linux's errno names by number, as golang.org/x/sys/unix's\n")
	b.WriteString("// ErrnoName gives them.\n")
	b.WriteString("var errnoNames = [...]string{\n")
	for _, e := range table {
		if e.name != "" {
			fmt.Fprintf(&b, "\t%d: %q,\n", e.num, e.name)
		}
	}
	b.WriteString("}\n\n")
	b.WriteString("// errnoMessages are Linux's errno messages by number, as syscall.Errno's\n")
	b.WriteString("// Error method gives them on Linux.\n")
	b.WriteString("var errnoMessages = [...]string{\n")
	for _, e := range table {
		if e.desc != "" {
			fmt.Fprintf(&b, "\t%d: %q,\n", e.num, e.desc)
		}
	}
	b.WriteString("}\n")
	return b.Bytes()
}

func testSource(consts []abiConst, table []errnoEntry) []byte {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("package linuxabi_test\n\n")
	b.WriteString("import (\n\t\"golang.org/x/sys/unix\"\n\n\t\"github.com/nltrace/nltrace/internal/linuxabi\"\n)\n\n")
	b.WriteString("// generatedConsts pairs each generated constant with x/sys/unix's, as\n")
	b.WriteString("// compiled for the architecture the test runs on.\n")
	b.WriteString("var generatedConsts = []struct {\n\tname      string\n\tgot, want int64\n}{\n")
	for _, c := range consts {
		fmt.Fprintf(&b, "\t{%q, int64(linuxabi.%s), int64(unix.%s)},\n", c.name, c.name, c.name)
	}
	b.WriteString("}\n\n")
	b.WriteString("// generatedErrnos are the numbers the errno tables cover.\n")
	b.WriteString("var generatedErrnos = []linuxabi.Errno{")
	for i, e := range table {
		if i%16 == 0 {
			b.WriteString("\n\t")
		}
		fmt.Fprintf(&b, "%d, ", e.num)
	}
	b.WriteString("\n}\n")
	return b.Bytes()
}
