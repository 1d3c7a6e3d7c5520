package ebpf

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/nltrace/nltrace/capture"
)

// ProbeSet names a group of BPF programs that together see every netlink
// send and receive.
type ProbeSet uint8

const (
	// ProbeAuto tries ProbeFentry, then ProbeKprobe, then ProbeTracepoint.
	ProbeAuto ProbeSet = iota
	// ProbeFentry is fentry/fexit on netlink_sendmsg and netlink_recvmsg.
	ProbeFentry
	// ProbeKprobe is kprobe/kretprobe on the same two functions.
	ProbeKprobe
	// ProbeTracepoint is the raw sys_enter and sys_exit tracepoints,
	// watching the send and receive calls and checking that their fd is an
	// AF_NETLINK socket. It works on locked-down kernels that refuse kprobes
	// and fentry.
	ProbeTracepoint
)

func (s ProbeSet) String() string {
	switch s {
	case ProbeAuto:
		return "auto"
	case ProbeFentry:
		return "fentry"
	case ProbeKprobe:
		return "kprobe"
	case ProbeTracepoint:
		return "tracepoint"
	}
	return fmt.Sprintf("unknown(%d)", uint8(s))
}

// Method returns the capture method that records of this probe set carry.
func (s ProbeSet) Method() capture.Method {
	switch s {
	case ProbeFentry:
		return capture.MethodFentry
	case ProbeKprobe:
		return capture.MethodKprobe
	case ProbeTracepoint:
		return capture.MethodTracepoint
	}
	return capture.MethodUnknown
}

// ParseProbeSet is the inverse of ProbeSet.String.
func ParseProbeSet(s string) (ProbeSet, error) {
	for p := ProbeAuto; p <= ProbeTracepoint; p++ {
		if p.String() == s {
			return p, nil
		}
	}
	return ProbeAuto, fmt.Errorf("unknown probe set %q (want auto, fentry, kprobe or tracepoint)", s)
}

// Follow says which processes are traced.
type Follow uint8

const (
	// FollowTracked traces the processes in the tracked set and every
	// process they fork, found by Source.Track.
	FollowTracked Follow = iota
	// FollowAll traces every process on the host.
	FollowAll
)

func (f Follow) String() string {
	switch f {
	case FollowTracked:
		return "tracked"
	case FollowAll:
		return "all"
	}
	return fmt.Sprintf("unknown(%d)", uint8(f))
}

const (
	// DefaultSnapLen is Config.SnapLen's default, 0: every record is kept
	// whole, whatever its size (an nftables batch or an ipset restore sent
	// in one call can be megabytes).
	DefaultSnapLen = 0
	// MaxSnapLen is the largest snap length one can ask for; records are
	// kept whole by default anyway.
	MaxSnapLen = 1 << 30
	// SnapWhole is Constants.SnapLen for whole records.
	SnapWhole = math.MaxUint32
	// DefaultRingSize is the ring buffer's size when Config.RingSize is 0.
	// A 100,000-route dump (about 11 MB on the wire, in 32 KiB receives) fits
	// without a drop even when the reader is descheduled for a while.
	DefaultRingSize = 64 << 20
)

// Config says what to capture. The zero value traces nothing until
// Source.Track adds a process, with every probe set tried in order.
type Config struct {
	// Probe forces a probe set; ProbeAuto (zero) tries them in order.
	Probe ProbeSet
	// Follow selects the processes; zero traces the tracked set only.
	Follow Follow
	// PIDs are processes tracked from the start (with FollowTracked),
	// together with their future children.
	PIDs []uint32
	// SnapLen is the number of bytes kept of each record; 0 keeps every
	// record whole.
	SnapLen int
	// RingSize is the ring buffer's size in bytes, a power of two of at
	// least 64 KiB; 0 means DefaultRingSize. Records travel in chunks of at
	// most 16 KiB, so any size carries records of any length, as fast as
	// the reader takes them; a chunk that finds the ring full loses its
	// record, which is counted (Stats.RingFull).
	RingSize int
	// NetNS keeps only sockets of the network namespace with this inode;
	// 0 keeps all.
	NetNS uint32
	// Protocols keeps only these netlink protocols (unix.NETLINK_ROUTE, ...);
	// empty keeps all.
	Protocols []uint16
	// Self is a process whose own messages are never recorded (nltrace's
	// own pid); 0 records every process.
	Self uint32
}

// Plan is a Config checked and turned into the probe sets to try and the
// constants the BPF programs are loaded with.
type Plan struct {
	// Sets are the probe sets to try, in order.
	Sets []ProbeSet
	// Constants are the BPF programs' volatile const globals, by C name.
	Constants Constants
	// PIDs are the processes tracked before anything is attached.
	PIDs []uint32
	// RingSize is the ring buffer's size in bytes.
	RingSize int
}

// Constants are the values of the BPF programs' volatile const globals.
type Constants struct {
	SnapLen       uint32 // snaplen; SnapWhole keeps records whole
	FollowTracked bool   // follow_tracked
	SelfTGID      uint32 // self_tgid
	NetNS         uint32 // netns_filter
	ProtocolMask  uint32 // protocol_mask
}

// NewPlan checks cfg and builds the plan that Open loads.
func NewPlan(cfg Config) (Plan, error) {
	p := Plan{RingSize: cfg.RingSize}
	switch cfg.Probe {
	case ProbeAuto:
		p.Sets = []ProbeSet{ProbeFentry, ProbeKprobe, ProbeTracepoint}
	case ProbeFentry, ProbeKprobe, ProbeTracepoint:
		p.Sets = []ProbeSet{cfg.Probe}
	default:
		return Plan{}, fmt.Errorf("plan: %v is not a probe set", cfg.Probe)
	}

	switch snap := cfg.SnapLen; {
	case snap == 0:
		p.Constants.SnapLen = SnapWhole
	case snap < 16:
		return Plan{}, fmt.Errorf("plan: snap length %d is below a netlink header (16 bytes)", snap)
	case snap > MaxSnapLen:
		return Plan{}, fmt.Errorf("plan: snap length %d is above the maximum %d", snap, MaxSnapLen)
	default:
		p.Constants.SnapLen = uint32(snap)
	}

	switch cfg.Follow {
	case FollowTracked:
		p.Constants.FollowTracked = true
		p.PIDs = append([]uint32(nil), cfg.PIDs...)
	case FollowAll:
		if len(cfg.PIDs) > 0 {
			return Plan{}, errors.New("plan: process ids make no sense when tracing all processes")
		}
	default:
		return Plan{}, fmt.Errorf("plan: %v is not a follow mode", cfg.Follow)
	}
	p.Constants.SelfTGID = cfg.Self
	p.Constants.NetNS = cfg.NetNS

	for _, proto := range cfg.Protocols {
		if proto >= 32 {
			return Plan{}, fmt.Errorf("plan: netlink protocol %d is out of range (0-31)", proto)
		}
		p.Constants.ProtocolMask |= 1 << proto
	}

	if p.RingSize == 0 {
		p.RingSize = DefaultRingSize
	}
	if p.RingSize < 1<<16 || p.RingSize&(p.RingSize-1) != 0 {
		return Plan{}, fmt.Errorf("plan: ring buffer size %d is not a power of two of at least 64 KiB", p.RingSize)
	}
	return p, nil
}

// Programs returns the names of the BPF programs a probe set attaches,
// besides the process-following programs every set uses, in the order they
// are attached: exits before entries, so that no call is seen entering
// without its exit being seen too (a call seen only at its exit is
// recovered there, when its thread ran before the attach).
func (s ProbeSet) Programs() []string {
	switch s {
	case ProbeFentry:
		return []string{"fexit_netlink_sendmsg", "fexit_netlink_recvmsg", "fentry_netlink_sendmsg", "fentry_netlink_recvmsg"}
	case ProbeKprobe:
		return []string{"kretprobe_netlink_sendmsg", "kretprobe_netlink_recvmsg", "kprobe_netlink_sendmsg", "kprobe_netlink_recvmsg"}
	case ProbeTracepoint:
		return []string{"sys_exit_netlink", "sys_enter_netlink"}
	}
	return nil
}

// followPrograms are the programs that keep the tracked set up to date.
func followPrograms() []string { return []string{"handle_fork", "handle_exit"} }

func (p Plan) String() string {
	var sets []string
	for _, s := range p.Sets {
		sets = append(sets, s.String())
	}
	snap := strconv.FormatUint(uint64(p.Constants.SnapLen), 10)
	if p.Constants.SnapLen == SnapWhole {
		snap = "whole"
	}
	return fmt.Sprintf("probes=%s snaplen=%s follow_tracked=%v pids=%v ring=%d", strings.Join(sets, ","),
		snap, p.Constants.FollowTracked, p.PIDs, p.RingSize)
}
