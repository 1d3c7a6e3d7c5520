// Package capture defines the raw record that every capture backend produces
// and every sink consumes, and the Source interface the backends implement.
//
// A Record holds the bytes exactly as one send or one receive carried them,
// plus who moved them and how they were seen. Capture never decodes: the
// decode packages turn a Record's bytes into fields. The backends live
// beneath this package: capture/ebpf (probes), capture/nlmon (an nlmon
// device read through AF_PACKET) and capture/pcapng (files).
package capture
