package ebpf_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nltrace/nltrace/capture/ebpf"
)

func TestNewPlan(t *testing.T) {
	tests := []struct {
		name    string
		cfg     ebpf.Config
		want    ebpf.Plan
		wantErr bool
	}{
		{"defaults", ebpf.Config{}, ebpf.Plan{
			Sets:      []ebpf.ProbeSet{ebpf.ProbeFentry, ebpf.ProbeKprobe, ebpf.ProbeTracepoint},
			Constants: ebpf.Constants{SnapLen: ebpf.SnapWhole, FollowTracked: true},
			RingSize:  ebpf.DefaultRingSize,
		}, false},
		{"forced tracepoint, pids, filters", ebpf.Config{Probe: ebpf.ProbeTracepoint, PIDs: []uint32{7, 9}, SnapLen: 128, NetNS: 42, Protocols: []uint16{0, 6}, Self: 3}, ebpf.Plan{
			Sets:      []ebpf.ProbeSet{ebpf.ProbeTracepoint},
			Constants: ebpf.Constants{SnapLen: 128, FollowTracked: true, SelfTGID: 3, NetNS: 42, ProtocolMask: 1 | 1<<6},
			PIDs:      []uint32{7, 9},
			RingSize:  ebpf.DefaultRingSize,
		}, false},
		{"all processes", ebpf.Config{Follow: ebpf.FollowAll}, ebpf.Plan{
			Sets:      []ebpf.ProbeSet{ebpf.ProbeFentry, ebpf.ProbeKprobe, ebpf.ProbeTracepoint},
			Constants: ebpf.Constants{SnapLen: ebpf.SnapWhole},
			RingSize:  ebpf.DefaultRingSize,
		}, false},
		// Chunks are at most 16 KiB: the smallest ring takes any snap length.
		{"smallest ring", ebpf.Config{RingSize: 64 << 10}, ebpf.Plan{
			Sets:      []ebpf.ProbeSet{ebpf.ProbeFentry, ebpf.ProbeKprobe, ebpf.ProbeTracepoint},
			Constants: ebpf.Constants{SnapLen: ebpf.SnapWhole, FollowTracked: true},
			RingSize:  64 << 10,
		}, false},
		{"pids with all", ebpf.Config{Follow: ebpf.FollowAll, PIDs: []uint32{1}}, ebpf.Plan{}, true},
		{"snaplen too small", ebpf.Config{SnapLen: 8}, ebpf.Plan{}, true},
		{"snaplen too large", ebpf.Config{SnapLen: ebpf.MaxSnapLen + 1}, ebpf.Plan{}, true},
		{"ring not a power of two", ebpf.Config{RingSize: 3 << 20}, ebpf.Plan{}, true},
		{"protocol out of range", ebpf.Config{Protocols: []uint16{32}}, ebpf.Plan{}, true},
		{"bad probe set", ebpf.Config{Probe: 9}, ebpf.Plan{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ebpf.NewPlan(tt.cfg)
			if (err != nil) != tt.wantErr {
				t.Fatalf("NewPlan: err = %v, want error %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseProbeSet(t *testing.T) {
	for _, s := range []ebpf.ProbeSet{ebpf.ProbeAuto, ebpf.ProbeFentry, ebpf.ProbeKprobe, ebpf.ProbeTracepoint} {
		got, err := ebpf.ParseProbeSet(s.String())
		if err != nil || got != s {
			t.Errorf("ParseProbeSet(%q) = %v, %v", s.String(), got, err)
		}
	}
	if _, err := ebpf.ParseProbeSet("uprobe"); err == nil {
		t.Error("ParseProbeSet(uprobe): no error")
	}
}
