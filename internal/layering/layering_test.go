package layering_test

import (
	"os/exec"
	"path"
	"strings"
	"testing"
)

const module = "github.com/nltrace/nltrace"

// rule says that packages matching from may import, of this module's
// packages, only those matching one of allow.
type rule struct {
	from  string
	allow []string
	why   string
}

var rules = []rule{
	{"client", []string{"client", "client/*"}, "the codec and client stand alone"},
	{"client/*", []string{"client", "client/*"}, "the codec and client stand alone"},
	{"capture", []string{"client"}, "capture never decodes"},
	{"capture/*", []string{"capture", "capture/*", "client", "bpf"}, "capture never decodes"},
	{"decode", []string{"client", "capture"}, "the dissector core needs only the codec and records"},
	{"decode/render", []string{"decode", "capture"}, "renderers read field trees and never parse bytes"},
	{"ui/*", []string{"decode", "decode/render", "decode/families", "pipeline", "pipeline/*", "capture", "capture/pcapng", "client", "ui/*"}, "the TUI owns no probes (client only for flag constants and protocol names)"},
}

// familyRule applies to every decode/<family> package: schemas import only
// the dissector core, the codec and other schema layers.
var familyAllow = []string{"decode", "client", "decode/nfnl", "decode/genl", "decode/genl/*", "internal/*"}

func match(pattern, pkg string) bool {
	ok, _ := path.Match(pattern, pkg)
	return ok
}

func TestImportDirections(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}:{{join .Imports \" \"}}", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		pkg = strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
		var allow []string
		why := ""
		for _, r := range rules {
			if match(r.from, pkg) {
				allow, why = r.allow, r.why
				break
			}
		}
		if allow == nil && strings.HasPrefix(pkg, "decode/") && pkg != "decode/families" && !strings.HasPrefix(pkg, "decode/render") {
			allow, why = familyAllow, "family schemas import only the dissector core and the codec"
		}
		if allow == nil {
			continue
		}
		checked++
		for _, imp := range strings.Fields(imports) {
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			dep := strings.TrimPrefix(imp, module+"/")
			// linuxabi holds only Linux's numbers, for the portable
			// code of every layer.
			ok := dep == "internal/linuxabi"
			for _, a := range allow {
				if match(a, dep) || dep == pkg || strings.HasPrefix(dep, pkg+"/") {
					ok = true
					break
				}
			}
			if !ok {
				t.Errorf("%s imports %s: %s", pkg, dep, why)
			}
		}
	}
	if checked < 8 {
		t.Errorf("checked only %d packages; is go list seeing the module?", checked)
	}
}
