package main

import (
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// testModules are the kernel modules the VM tests need: the links, qdiscs,
// classifiers and netlink families they create or talk to. Their
// dependencies are added by resolution.
func testModules() []string {
	return []string{
		"nlmon", "dummy", "veth", "bridge", "vxlan", "macvlan", "ifb", "tun",
		"xfrm_user", "xfrm_interface",
		"nf_tables", "nft_ct", "nf_conntrack_netlink", "nfnetlink_log", "nfnetlink_queue",
		"nf_flow_table", "nf_flow_table_inet", "nft_flow_offload", "nft_queue", "nft_meta_bridge",
		"nfnetlink_cthelper",
		"sch_htb", "sch_tbf", "sch_ingress", "cls_u32", "cls_flower", "act_gact", "act_mirred",
		"sch_fq", "sch_prio", "sch_netem", "sch_sfq", "sch_red", "sch_cake", "sch_codel",
		"cls_bpf", "cls_matchall", "cls_basic", "cls_fw", "cls_route", "em_cmp",
		"act_police", "act_bpf", "act_csum", "act_vlan", "act_skbedit", "act_pedit", "act_tunnel_key", "act_ct", "act_nat",
		"8021q", "ipvlan", "bonding", "ip_gre", "ip6_gre", "ipip", "sit", "ip6_tunnel", "geneve", "vrf", "wireguard", "team",
		"netlink_diag", "af_packet_diag", "inet_diag", "tcp_diag", "udp_diag",
		"raw_diag", "sctp", "sctp_diag", "smc", "smc_diag", "vsock_loopback", "vsock_diag", "crypto_user", "ib_core",
		// xfrm SAs: the IPsec protocols and the crypto templates their
		// algorithms need (hmac, sha*, md5, cbc and aes are built in).
		"esp4", "esp6", "ah4", "ah6", "ipcomp", "ipcomp6",
		// IPComp's deflate is built into 6.1 and a module in 6.12.
		"deflate",
		"authenc", "authencesn", "gcm", "ghash_generic", "ctr", "seqiv", "echainiv",
		// seqiv and echainiv seed their IVs from the default RNG
		// (stdrng); without drbg every ESP SA fails with ENOENT.
		"drbg",
	}
}

// moduleName turns a module file name into the name the kernel uses:
// the base name without ".ko" and compression suffix, with '-' as '_'.
func moduleName(file string) string {
	base := filepath.Base(file)
	if i := strings.Index(base, ".ko"); i >= 0 {
		base = base[:i]
	}
	return strings.ReplaceAll(base, "-", "_")
}

// moduleIndex knows where each loadable module of one kernel lives, what it
// depends on, and which modules are built in.
type moduleIndex struct {
	dir     string              // /lib/modules/<release> of the unpacked kernel
	files   map[string]string   // module name → path relative to dir
	deps    map[string][]string // module name → names it depends on, when known from modules.dep
	builtin map[string]bool
	// modinfo reads a module file's dependency list; modules.dep takes
	// precedence where present.
	modinfo func(path string) ([]string, error)
}

// loadModuleIndex indexes the modules below dir. It reads modules.dep when
// the kernel package ships one; Debian's packages leave it to depmod at
// install time, so otherwise dependencies come from each module's
// .modinfo "depends=" field, which modpost derives from the same symbol
// references depmod uses.
func loadModuleIndex(dir string) (*moduleIndex, error) {
	idx := &moduleIndex{dir: dir, files: map[string]string{}, builtin: map[string]bool{}, modinfo: readModinfoDepends}
	if f, err := os.Open(filepath.Join(dir, "modules.dep")); err == nil {
		files, deps, err := parseModulesDep(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("modules.dep: %w", err)
		}
		idx.files, idx.deps = files, deps
	} else {
		err := filepath.WalkDir(filepath.Join(dir, "kernel"), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.Contains(d.Name(), ".ko") {
				rel, err := filepath.Rel(dir, p)
				if err != nil {
					return err
				}
				idx.files[moduleName(rel)] = filepath.ToSlash(rel)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("index modules in %s: %w", dir, err)
		}
	}
	if f, err := os.Open(filepath.Join(dir, "modules.builtin")); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" {
				idx.builtin[moduleName(line)] = true
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("modules.builtin: %w", err)
		}
	}
	if len(idx.files) == 0 {
		return nil, fmt.Errorf("no kernel modules found in %s", dir)
	}
	return idx, nil
}

// parseModulesDep reads depmod's modules.dep: "kernel/a.ko: kernel/b.ko kernel/c.ko".
func parseModulesDep(r io.Reader) (files map[string]string, deps map[string][]string, err error) {
	files, deps = map[string]string{}, map[string][]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		file, rest, ok := strings.Cut(text, ":")
		if !ok || file == "" {
			return nil, nil, fmt.Errorf("line %d: want \"module: deps\", got %q", line, text)
		}
		name := moduleName(file)
		files[name] = file
		names := []string{}
		for _, d := range strings.Fields(rest) {
			names = append(names, moduleName(d))
		}
		deps[name] = names
	}
	return files, deps, sc.Err()
}

// readModinfoDepends returns the "depends=" list of a module's .modinfo
// section.
func readModinfoDepends(path string) ([]string, error) {
	data, err := moduleBytes(path)
	if err != nil {
		return nil, err
	}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sec := f.Section(".modinfo")
	if sec == nil {
		return nil, fmt.Errorf("%s: no .modinfo section", path)
	}
	info, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("%s: .modinfo: %w", path, err)
	}
	return parseModinfoDepends(info), nil
}

// parseModinfoDepends picks the dependency list out of the NUL-separated
// key=value strings of a .modinfo section.
func parseModinfoDepends(info []byte) []string {
	deps := []string{}
	for _, kv := range bytes.Split(info, []byte{0}) {
		if v, ok := bytes.CutPrefix(kv, []byte("depends=")); ok {
			for _, d := range strings.Split(string(v), ",") {
				if d = strings.TrimSpace(d); d != "" {
					deps = append(deps, moduleName(d))
				}
			}
		}
	}
	return deps
}

// depends returns the direct dependencies of the module called name.
func (idx *moduleIndex) depends(name string) ([]string, error) {
	if d, ok := idx.deps[name]; ok {
		// modules.dep lists the whole closure; resolution handles that.
		return d, nil
	}
	return idx.modinfo(filepath.Join(idx.dir, idx.files[name]))
}

// Resolve returns the module files (relative to the modules directory) to
// load for wanted, dependencies before the modules that need them, each
// once. Built-in modules need no file and are left out; a name that is
// neither loadable nor built in is an error.
func (idx *moduleIndex) Resolve(wanted []string) ([]string, error) {
	const (
		visiting = 1
		done     = 2
	)
	state := map[string]int{}
	var order []string
	var visit func(name string, chain []string) error
	visit = func(name string, chain []string) error {
		name = moduleName(name)
		switch state[name] {
		case done:
			return nil
		case visiting:
			return fmt.Errorf("module dependency cycle: %s -> %s", strings.Join(chain, " -> "), name)
		}
		file, ok := idx.files[name]
		if !ok {
			if idx.builtin[name] {
				state[name] = done
				return nil
			}
			if len(chain) > 0 {
				return fmt.Errorf("module %s (needed by %s): not found in %s and not built in", name, chain[len(chain)-1], idx.dir)
			}
			return fmt.Errorf("module %s: not found in %s and not built in", name, idx.dir)
		}
		state[name] = visiting
		deps, err := idx.depends(name)
		if err != nil {
			return fmt.Errorf("module %s: %w", name, err)
		}
		for _, d := range deps {
			if err := visit(d, append(chain, name)); err != nil {
				return err
			}
		}
		state[name] = done
		order = append(order, file)
		return nil
	}
	for _, w := range wanted {
		if err := visit(w, nil); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// compressedModules are the suffixes of compressed module files and the
// tool that unpacks one in place (Debian's 6.12 kernels ship .ko.xz).
var compressedModules = []struct{ suffix, tool string }{
	{".ko.xz", "xz"},
	{".ko.zst", "zstd"},
}

// decompressModules unpacks, in place, every compressed module under dir
// (an unpacked kernel's /lib/modules/<release>), so that the guest's busybox
// insmod can load them; it does nothing when none is left. It returns how
// many it unpacked.
func decompressModules(ctx context.Context, dir string) (int, error) {
	byTool := map[string][]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		for _, c := range compressedModules {
			if !d.IsDir() && strings.HasSuffix(p, c.suffix) {
				byTool[c.tool] = append(byTool[c.tool], p)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("find compressed modules: %w", err)
	}
	n := 0
	for tool, files := range byTool {
		for len(files) > 0 {
			batch := files[:min(len(files), 256)]
			files = files[len(batch):]
			// Both tools take -d (decompress), -f (overwrite a leftover of an
			// interrupted run) and -q, and remove the compressed file.
			args := append([]string{"-d", "-f", "-q"}, batch...)
			if tool == "zstd" {
				args = append([]string{"--rm"}, args...)
			}
			if _, err := runTool(ctx, dir, tool, args...); err != nil {
				return n, fmt.Errorf("unpack compressed kernel modules (install %s): %w", tool, err)
			}
			n += len(batch)
		}
	}
	return n, nil
}

// moduleBytes returns a module file's ELF bytes. Compressed modules are
// refused with a clear error: busybox insmod loads only plain ELF, and
// decompressModules has unpacked them before.
func moduleBytes(path string) ([]byte, error) {
	if !strings.HasSuffix(path, ".ko") {
		return nil, fmt.Errorf("%s: compressed kernel modules are not supported (busybox insmod needs plain .ko files)", path)
	}
	return os.ReadFile(path)
}

// modulesDep renders a modules.dep for the modules in order (as Resolve
// returns them), so that busybox modprobe works inside the guest too.
func (idx *moduleIndex) modulesDep(order []string) (string, error) {
	var b strings.Builder
	for _, file := range order {
		closure, err := idx.Resolve([]string{moduleName(file)})
		if err != nil {
			return "", err
		}
		b.WriteString(file + ":")
		// The closure ends with the module itself; modprobe wants the
		// dependencies nearest first.
		for i := len(closure) - 2; i >= 0; i-- {
			b.WriteString(" " + closure[i])
		}
		b.WriteString("\n")
	}
	return b.String(), nil
}
