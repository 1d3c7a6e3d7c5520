package main

import (
	"io"
	"strings"
	"testing"
)

func TestSummary(t *testing.T) {
	tests := []struct {
		name       string
		events     string
		wantStatus int
		wantLines  []string
	}{
		{
			name: "pass and skip with reason",
			events: `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestB","Output":"    b_test.go:9: host tier: needs root\n"}
{"Action":"output","Package":"p","Test":"TestB","Output":"--- SKIP: TestB (0.00s)\n"}
{"Action":"skip","Package":"p","Test":"TestB"}
{"Action":"pass","Package":"p"}`,
			wantStatus: 0,
			wantLines:  []string{"skipped p TestB: b_test.go:9: host tier: needs root", "tests: 1 passed, 0 failed, 1 skipped"},
		},
		{
			name: "a failure shows its output",
			events: `{"Action":"output","Package":"p","Test":"TestC","Output":"    c_test.go:3: boom\n"}
{"Action":"fail","Package":"p","Test":"TestC"}
{"Action":"fail","Package":"p"}`,
			wantStatus: 1,
			wantLines:  []string{"=== FAILED p TestC", "c_test.go:3: boom", "tests: 0 passed, 1 failed, 0 skipped"},
		},
		{
			name:       "a build failure fails the package",
			events:     "# p\nx.go:1: syntax error\n" + `{"Action":"output","Package":"p","Output":"FAIL p [build failed]\n"}` + "\n" + `{"Action":"fail","Package":"p"}`,
			wantStatus: 1,
			wantLines:  []string{"=== FAILED package p"},
		},
		{
			name:       "no test ran",
			events:     `{"Action":"skip","Package":"p"}`,
			wantStatus: 1,
			wantLines:  []string{"testsummary: no test ran"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := read(strings.NewReader(tt.events), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			if got := s.report(&out); got != tt.wantStatus {
				t.Errorf("status %d, want %d\n%s", got, tt.wantStatus, out.String())
			}
			for _, l := range tt.wantLines {
				if !strings.Contains(out.String(), l) {
					t.Errorf("output lacks %q:\n%s", l, out.String())
				}
			}
		})
	}
}
