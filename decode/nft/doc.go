// Package nft describes nf_tables, the nfnetlink subsystem behind nft(8),
// to the dissector: every NFT_MSG_* message, every NFTA_* attribute set, and
// every expression's attributes chosen by the expression's name. It also
// describes NFT_COMPAT, the subsystem through which iptables-nft asks which
// xtables matches and targets the kernel has.
//
// The numbers come from the kernel's uapi headers
// (linux/netfilter/nf_tables.h, nf_tables_compat.h). Registers, verdicts,
// payload bases and the other enums are named as nft --debug=netlink prints
// them, so a rule reads the way nft built it.
package nft
