package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nltrace/nltrace/capture/ebpf"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode/render"
	"github.com/nltrace/nltrace/internal/testenv"
)

// TestManPageCurrent fails when nltrace.1 is not what the flag tables make:
// run go generate ./cmd/nltrace after changing a flag.
func TestManPageCurrent(t *testing.T) {
	var want bytes.Buffer
	if err := writeManPage(&want, commands()); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", "..", "nltrace.1"))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want.String(), string(got)); d != "" {
		t.Errorf("nltrace.1 is out of date; run go generate ./cmd/nltrace (-want +got):\n%s", d)
	}
}

// TestManPageListsEveryFlag checks each subcommand's section names every
// flag its parser defines, and renders without a groff warning.
func TestManPageListsEveryFlag(t *testing.T) {
	var b bytes.Buffer
	if err := writeManPage(&b, commands()); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, c := range commands() {
		title := "TRACE OPTIONS"
		if c.name != "" {
			title = strings.ToUpper(c.name) + " OPTIONS"
		}
		_, section, ok := strings.Cut(page, "\n.SH "+title+"\n")
		if !ok {
			if len(flagList(c.flags)) > 0 {
				t.Errorf("no section %s", title)
			}
			continue
		}
		section, _, _ = strings.Cut(section, "\n.SH ")
		for _, f := range flagList(c.flags) {
			if !strings.Contains(section, `\`+roff(dashed(f.Name))) {
				t.Errorf("%s does not list %s", title, dashed(f.Name))
			}
		}
	}
	if _, err := exec.LookPath("groff"); err != nil {
		testenv.Skip(t, testenv.Host, "groff is not installed (scripts/deps installs it)")
	}
	cmd := exec.Command("groff", "-man", "-Tutf8", "-ww", "-z")
	cmd.Stdin = strings.NewReader(page)
	out, err := cmd.CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("groff -man -ww: %v\n%s", err, out)
	}
}

// TestFlagChoicesParse checks that every value the completions offer is
// one the parsers accept.
func TestFlagChoicesParse(t *testing.T) {
	for _, c := range commands() {
		for _, f := range flagList(c.flags) {
			for _, v := range flagChoices(c.name, f.Name) {
				var err error
				switch {
				case f.Name == "format" && c.name == "replay":
					if v != "text" && v != "json" {
						t.Errorf("replay --format %s", v)
					}
				case f.Name == "format":
					_, err = render.ParseFormat(v)
				case f.Name == "probe":
					_, err = ebpf.ParseProbeSet(v)
				case f.Name == "family":
					_, err = client.ParseProtocol(v)
				default:
					t.Errorf("%s --%s has choices but no check", c.name, f.Name)
				}
				if err != nil {
					t.Errorf("%s --%s %s: %v", c.name, f.Name, v, err)
				}
			}
		}
	}
}

// complete runs the bash completion function on a command line whose
// last word is being completed, and returns the candidates.
func complete(t *testing.T, script, line string) []string {
	t.Helper()
	words := strings.Split(line, " ")
	var quoted []string
	for _, w := range words {
		quoted = append(quoted, "'"+strings.ReplaceAll(w, "'", `'\''`)+"'")
	}
	prog := script + "\nCOMP_WORDS=(" + strings.Join(quoted, " ") + ")\nCOMP_CWORD=" +
		strconv.Itoa(len(words)-1) +
		"\n_nltrace\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
	cmd := exec.Command("bash", "--norc", "--noprofile", "-c", prog)
	cmd.Dir = t.TempDir()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bash completion of %q: %v", line, err)
	}
	got := strings.Fields(string(out))
	slices.Sort(got)
	return got
}

func TestBashCompletion(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		testenv.Skip(t, testenv.Host, "bash is not installed")
	}
	var b bytes.Buffer
	if err := writeBashCompletion(&b, commands()); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("bash", "-n", "-c", b.String()).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	for _, c := range []struct {
		line string
		want []string
	}{
		{"nltrace re", []string{"read", "replay"}},
		{"nltrace read --for", []string{"--format"}},
		{"nltrace read --format ", []string{"compact", "go", "hex", "json", "tree"}},
		{"nltrace replay --format j", []string{"json"}},
		{"nltrace --probe t", []string{"tracepoint"}},
		{"nltrace -a --family rou", []string{"route"}},
		{"nltrace completion ", []string{"bash", "fish", "zsh"}},
		{"nltrace help r", []string{"read", "replay"}},
		{"nltrace --nl", []string{"--nlmon", "--nlmon-link"}},
		{"nltrace -p", []string{"-p"}},
		{"nltrace -p ", nil},
	} {
		if got := complete(t, b.String(), c.line); !slices.Equal(got, c.want) {
			t.Errorf("completing %q: got %q, want %q", c.line, got, c.want)
		}
	}
	// After --, the command to run, then its arguments.
	if got := complete(t, b.String(), "nltrace --format json -- bas"); !slices.Contains(got, "bash") || slices.Contains(got, "--format") {
		t.Errorf("completing a command after --: got %q, want bash among commands", got)
	}
}

// TestZshFishCompletionSyntax checks the zsh and fish scripts parse, in the
// shells that are installed.
func TestZshFishCompletionSyntax(t *testing.T) {
	for _, sh := range []struct {
		name  string
		write func(*bytes.Buffer) error
		args  []string
	}{
		{"zsh", func(b *bytes.Buffer) error { return writeZshCompletion(b, commands()) }, []string{"-n"}},
		{"fish", func(b *bytes.Buffer) error { return writeFishCompletion(b, commands()) }, []string{"-n"}},
	} {
		t.Run(sh.name, func(t *testing.T) {
			if _, err := exec.LookPath(sh.name); err != nil {
				testenv.Skip(t, testenv.Host, sh.name+" is not installed (scripts/deps installs it)")
			}
			var b bytes.Buffer
			if err := sh.write(&b); err != nil {
				t.Fatal(err)
			}
			f := filepath.Join(t.TempDir(), "nltrace."+sh.name)
			if err := os.WriteFile(f, b.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(sh.name, append(sh.args, f)...).CombinedOutput(); err != nil || len(out) > 0 {
				t.Errorf("%s -n: %v\n%s", sh.name, err, out)
			}
		})
	}
}

func TestCompletionCLI(t *testing.T) {
	for _, c := range []struct {
		args   []string
		status int
		out    string
	}{
		{[]string{"completion", "bash"}, 0, "complete -o filenames -F _nltrace nltrace"},
		{[]string{"completion", "zsh"}, 0, "#compdef nltrace"},
		{[]string{"completion", "fish"}, 0, "complete -c nltrace"},
		{[]string{"completion", "tcsh"}, 2, ""},
		{[]string{"completion"}, 2, ""},
		{[]string{"man"}, 0, ".TH NLTRACE 1"},
		{[]string{"man", "x"}, 2, ""},
	} {
		var out, errb bytes.Buffer
		status := run(c.args, stdio{in: strings.NewReader(""), out: &out, err: &errb})
		if status != c.status || !strings.Contains(out.String(), c.out) {
			t.Errorf("nltrace %s: status %d (want %d), output lacks %q; stderr %s", strings.Join(c.args, " "), status, c.status, c.out, errb.String())
		}
	}
}

// TestFishCompletion asks fish itself what it completes with the script.
func TestFishCompletion(t *testing.T) {
	if _, err := exec.LookPath("fish"); err != nil {
		testenv.Skip(t, testenv.Host, "fish is not installed (scripts/deps installs it)")
	}
	var b bytes.Buffer
	if err := writeFishCompletion(&b, commands()); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "nltrace.fish")
	if err := os.WriteFile(f, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		line string
		want []string
	}{
		{"nltrace re", []string{"read", "replay"}},
		{"nltrace read --format ", []string{"compact", "go", "hex", "json", "tree"}},
		{"nltrace --probe ", []string{"auto", "fentry", "kprobe", "tracepoint"}},
		{"nltrace replay --st", []string{"--stub-links"}},
		{"nltrace completion ", []string{"bash", "fish", "zsh"}},
	} {
		out, err := exec.Command("fish", "--no-config", "-c", "source "+f+"; complete -C "+strconv.Quote(c.line)).Output()
		if err != nil {
			t.Fatalf("fish: %v", err)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if w, _, _ := strings.Cut(l, "\t"); w != "" {
				got = append(got, w)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("fish completing %q: got %q, want %q", c.line, got, c.want)
		}
	}
}
