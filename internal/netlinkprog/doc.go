// Package netlinkprog is a netlink program for end-to-end tests of nltrace:
// it talks to the kernel through every send and receive system call that
// nltrace traces, from several goroutines and threads, and logs the exact
// bytes of each call, so a test can compare a trace with the truth.
//
// The log is one line per call (see Op and ParseLog). cmd/nltrace's tests
// build it as a static binary (cmd/nltrace/testdata/netlinkprog) or run it
// inside their own test binary, where no Go toolchain is at hand.
package netlinkprog
