// Package ynl loads the Linux kernel's YNL netlink specifications (the YAML
// files under Documentation/netlink/specs) into a resolved model: every
// enum, struct, attribute set and operation with the uapi C name and the
// number the kernel derives from the spec.
//
// Parse reads one spec; the result names each attribute as the kernel's
// uapi header does (ETHTOOL_A_LINKINFO_PORT, WGDEVICE_A_IFINDEX), following
// YNL's rules: the family's and each set's name-prefix, enum name-prefix
// and value-start, attribute numbering from 1 unless a value is given,
// subsets sharing their parent's numbers, and the unified or directional
// numbering of operations. A spec that cannot be parsed or that refers to
// something it does not define is an *Error naming the file, the line and
// the field.
//
// The model is plain data. decode/genl turns it into decoder tables, at run
// time for --spec and through go generate for the built-in families.
package ynl
