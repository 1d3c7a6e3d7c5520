package render_test

import (
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/decode/rtnl"
	"golang.org/x/sys/unix"
)

// TestGoFixtureCompiles pastes --format go output into a Go program, runs
// it, and checks the bytes it holds are the record's.
func TestGoFixtureCompiles(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go toolchain to compile the fixture: %v", err)
	}
	// ip addr add 127.0.0.5/8 dev lo, then a 17-byte Go net.Interfaces
	// request whose length is not a multiple of 4.
	reqs := []string{
		"2c000000140005066500000000000000020801fe0100000008000200" + "7f00000508000100" + "7f000005",
		"1100000012000103010000000000000000",
	}
	var data []byte
	for _, h := range reqs {
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, b...)
	}
	var tr decode.Tree
	decode.NewDecoder(decode.NewRegistry(rtnl.Family())).DecodeBytes(&tr, unix.NETLINK_ROUTE, data)
	out := string(render.Append(nil, &tr, render.Go))
	if !strings.HasPrefix(out, "// route RTM_NEWADDR") || strings.Count(out, "[]byte{") != 2 {
		t.Fatalf("output:\n%s", out)
	}
	dir := t.TempDir()
	prog := "package main\n\nimport (\n\t\"encoding/hex\"\n\t\"fmt\"\n)\n\nvar fixtures = [][]byte{\n" + out + "}\n\n" +
		"func main() {\n\tfor _, f := range fixtures {\n\t\tfmt.Print(hex.EncodeToString(f))\n\t}\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(prog), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module fixture\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(gobin, "run", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOTOOLCHAIN=local")
	got, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the fixture does not compile: %v\n%s\n%s", err, got, prog)
	}
	if want := strings.Join(reqs, ""); string(got) != want {
		t.Errorf("fixture bytes %s, want %s", got, want)
	}
}
