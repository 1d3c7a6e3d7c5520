package main

import (
	"fmt"
	"strconv"
	"strings"
)

// markerPrefix starts every line the guest's init prints for the runner.
const markerPrefix = "nltrace-vm: "

// binaryResult is the outcome of one test binary inside the guest.
type binaryResult struct {
	Package string
	Ended   bool // the end marker was seen
	Status  int  // exit status, valid when Ended
	Seconds int
	Passed  []string // top-level tests, in the order they finished
	Failed  []string
	Skipped []string
}

// results collects what the guest reports on its console, one line at a
// time, so that it can follow a run as it streams.
type results struct {
	Booted         bool
	Kernel         string
	Done           bool
	Panicked       bool     // the guest kernel panicked
	ModuleFailures []string // modules that did not load
	Binaries       []*binaryResult
	current        *binaryResult
}

// Line consumes one console line (without its line ending).
func (r *results) Line(line string) {
	line = strings.TrimRight(line, "\r")
	if strings.Contains(line, "Kernel panic - not syncing") {
		r.Panicked = true
	}
	if rest, ok := strings.CutPrefix(line, markerPrefix); ok {
		r.marker(rest)
		return
	}
	if r.current == nil {
		return
	}
	// Only top-level tests count; subtests are indented.
	if rest, ok := strings.CutPrefix(line, "--- "); ok {
		verdict, test, ok := strings.Cut(rest, ": ")
		if !ok {
			return
		}
		test, _, _ = strings.Cut(test, " ")
		switch verdict {
		case "PASS":
			r.current.Passed = append(r.current.Passed, test)
		case "FAIL":
			r.current.Failed = append(r.current.Failed, test)
		case "SKIP":
			r.current.Skipped = append(r.current.Skipped, test)
		}
	}
}

func (r *results) marker(m string) {
	fields := strings.Fields(m)
	if len(fields) == 0 {
		return
	}
	switch fields[0] {
	case "boot":
		r.Booted = true
		for _, f := range fields[1:] {
			if v, ok := strings.CutPrefix(f, "kernel="); ok {
				r.Kernel = v
			}
		}
	case "module-failed":
		if len(fields) > 1 {
			r.ModuleFailures = append(r.ModuleFailures, fields[1])
		}
	case "begin":
		if len(fields) > 1 {
			r.current = &binaryResult{Package: fields[1]}
			r.Binaries = append(r.Binaries, r.current)
		}
	case "end":
		if r.current == nil || len(fields) < 2 || fields[1] != r.current.Package {
			return
		}
		r.current.Ended = true
		r.current.Status = -1
		for _, f := range fields[2:] {
			k, v, _ := strings.Cut(f, "=")
			n, err := strconv.Atoi(v)
			if err != nil {
				continue
			}
			switch k {
			case "status":
				r.current.Status = n
			case "seconds":
				r.current.Seconds = n
			}
		}
		r.current = nil
	case "done":
		r.Done = true
	}
}

// verdict is the tier's outcome: the counts and, when it failed, why.
type verdict struct {
	Passed, Failed, Skipped int
	Problems                []string
}

// Verdict judges the run against the binaries that were expected to run.
func (r *results) Verdict(expected []string) verdict {
	var v verdict
	seen := map[string]*binaryResult{}
	for _, b := range r.Binaries {
		seen[b.Package] = b
		v.Passed += len(b.Passed)
		v.Failed += len(b.Failed)
		v.Skipped += len(b.Skipped)
		for _, t := range b.Failed {
			v.Problems = append(v.Problems, fmt.Sprintf("%s: %s failed", b.Package, t))
		}
		switch {
		case !b.Ended:
			v.Problems = append(v.Problems, fmt.Sprintf("%s: the test binary never finished", b.Package))
		case b.Status != 0 && len(b.Failed) == 0:
			v.Problems = append(v.Problems, fmt.Sprintf("%s: the test binary exited with status %d without a failing test (panic, timeout or build problem)", b.Package, b.Status))
		case b.Status == 0 && len(b.Failed) > 0:
			v.Problems = append(v.Problems, fmt.Sprintf("%s: tests failed but the binary exited with status 0", b.Package))
		}
	}
	if !r.Booted {
		v.Problems = append(v.Problems, "the VM never booted into the test init")
	}
	if r.Panicked {
		v.Problems = append(v.Problems, "the guest kernel panicked")
	}
	for _, m := range r.ModuleFailures {
		v.Problems = append(v.Problems, fmt.Sprintf("kernel module %s failed to load", m))
	}
	for _, p := range expected {
		if seen[p] == nil && r.Booted {
			v.Problems = append(v.Problems, fmt.Sprintf("%s: the test binary never started", p))
		}
	}
	if r.Booted && !r.Done {
		v.Problems = append(v.Problems, "the VM never reached the end of the test run")
	}
	if v.Passed+v.Failed == 0 {
		v.Problems = append(v.Problems, "no TestVM test ran")
	}
	return v
}

// add counts another VM's verdict into v.
func (v *verdict) add(w verdict) {
	v.Passed += w.Passed
	v.Failed += w.Failed
	v.Skipped += w.Skipped
	v.Problems = append(v.Problems, w.Problems...)
}

// OK reports whether the tier passed.
func (v verdict) OK() bool { return len(v.Problems) == 0 }

// Summary is the one-line result the test script shows.
func (v verdict) Summary() string {
	return fmt.Sprintf("vm: %d passed, %d failed, %d skipped", v.Passed, v.Failed, v.Skipped)
}
