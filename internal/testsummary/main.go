// Command testsummary reads `go test -json` output on stdin, prints the
// output of failed tests and of skipped ones with their reasons, and ends
// with one line "tests: N passed, M failed, K skipped". It exits 1 when any
// test or package failed, or when no test ran at all.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

type key struct{ pkg, test string }

type summary struct {
	output                  map[key]*strings.Builder
	passed, failed, skipped []key
	failedPkgs              []string
	skipReasons             map[key]string
}

func main() {
	s, err := read(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	}
	os.Exit(s.report(os.Stdout))
}

// read consumes the event stream, echoing package results as they come so a
// long run shows progress.
func read(r io.Reader, progress io.Writer) (*summary, error) {
	s := &summary{output: map[key]*strings.Builder{}, skipReasons: map[key]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var ev event
		if err := json.Unmarshal(line, &ev); err != nil {
			// Build errors and other plain text come through as is.
			fmt.Fprintln(progress, string(line))
			continue
		}
		k := key{ev.Package, ev.Test}
		switch ev.Action {
		case "output":
			b := s.output[k]
			if b == nil {
				b = &strings.Builder{}
				s.output[k] = b
			}
			b.WriteString(ev.Output)
			if ev.Test != "" && strings.Contains(ev.Output, "--- SKIP") {
				continue
			}
			if ev.Test != "" && strings.Contains(ev.Output, ".go:") {
				// The last log line before "--- SKIP" is the reason t.Skip gave.
				s.skipReasons[k] = strings.TrimSpace(ev.Output)
			}
		case "pass", "fail", "skip":
			if ev.Test == "" {
				if ev.Action == "fail" {
					s.failedPkgs = append(s.failedPkgs, ev.Package)
				}
				fmt.Fprintf(progress, "%-4s %s (%.1fs)\n", ev.Action, ev.Package, ev.Elapsed)
				continue
			}
			switch ev.Action {
			case "pass":
				s.passed = append(s.passed, k)
			case "fail":
				s.failed = append(s.failed, k)
			case "skip":
				s.skipped = append(s.skipped, k)
			}
		}
	}
	return s, sc.Err()
}

func (s *summary) report(w io.Writer) int {
	sort.Slice(s.skipped, func(i, j int) bool { return s.skipped[i].pkg+s.skipped[i].test < s.skipped[j].pkg+s.skipped[j].test })
	for _, k := range s.skipped {
		fmt.Fprintf(w, "skipped %s %s: %s\n", k.pkg, k.test, s.skipReasons[k])
	}
	for _, k := range s.failed {
		fmt.Fprintf(w, "\n=== FAILED %s %s\n%s", k.pkg, k.test, s.output[k])
	}
	for _, p := range s.failedPkgs {
		if b := s.output[key{p, ""}]; b != nil && !s.hasFailedTest(p) {
			fmt.Fprintf(w, "\n=== FAILED package %s\n%s", p, b)
		}
	}
	fmt.Fprintf(w, "tests: %d passed, %d failed, %d skipped\n", len(s.passed), len(s.failed), len(s.skipped))
	switch {
	case len(s.failed) > 0 || len(s.failedPkgs) > 0:
		return 1
	case len(s.passed) == 0:
		fmt.Fprintln(w, "testsummary: no test ran")
		return 1
	}
	return 0
}

func (s *summary) hasFailedTest(pkg string) bool {
	for _, k := range s.failed {
		if k.pkg == pkg {
			return true
		}
	}
	return false
}
