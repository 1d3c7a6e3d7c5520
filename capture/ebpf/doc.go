// Package ebpf captures the netlink messages that processes send and receive,
// with BPF programs, and delivers them as capture.Record values.
//
// Capture happens in two steps that are kept apart: NewPlan turns a Config
// into a Plan (the probe sets to try, the snap length, the process filter,
// the constants the BPF programs are built with), which tests can inspect
// without privileges; Open loads a Plan into the kernel, attaches the first
// probe set that works and returns a Source. Close the Source to detach every
// probe; Drain it first to read what is still buffered.
//
// The BPF C sources live in bpf/ at the top of the module; bpf2go turns them
// into the committed nltrace_x86_bpfel.{go,o} and nltrace_arm64_bpfel.{go,o}
// (see gen.go). Only the amd64 object is loaded for now: Open on linux/arm64
// reports it unsupported until the arm64 object has run on an arm64 kernel.
package ebpf
