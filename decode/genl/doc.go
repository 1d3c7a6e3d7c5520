// Package genl is the generic-netlink layer of the dissector: it decodes
// genlmsghdr and dispatches each message, by the family name the stream
// learned for its id and by genlmsghdr.cmd and direction, to tables built
// from the kernel's YNL specs.
//
// The built-in tables are generated from specs/*.yaml by go generate
// (internal/gen) and committed as zz_generated_*.go; a test fails when
// regenerating would change them. Build makes the same tables at run time
// from any spec (nltrace --spec FILE.yaml). What YNL does not say (which
// values are interface indexes or keys, command names the kernel uses
// that a spec lacks) is kept per family in overlay.go, never in generated
// code.
package genl
