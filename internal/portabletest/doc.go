// Package portabletest checks that a build for another GOOS decodes the
// repository's captures exactly as Linux does; it holds only a test, which
// scripts/test also runs as GOOS=js GOARCH=wasm under node, the one
// non-Linux target this machine can execute.
package portabletest
