package ebpf

// The BPF objects are generated from bpf/nltrace.c and committed, so that
// `go build` needs no clang. Rebuild them after changing the C with
// `go generate ./capture/ebpf` (clang-14 or newer on PATH as clang-14).
//go:generate go tool bpf2go -cc clang-14 -cflags "-O2 -g -Wall -Werror" -target amd64,arm64 -type event -no-global-types nltrace ../../bpf/nltrace.c -- -I../../bpf/headers
