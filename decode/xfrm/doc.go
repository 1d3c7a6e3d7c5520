// Package xfrm is the NETLINK_XFRM (IPsec) schema for the decoder: every
// XFRM_MSG_* message type with its fixed struct, and every XFRMA_*
// attribute, with protocols, modes, flags, actions and directions named the
// way `ip xfrm` names them. Algorithm keys are marked decode.Secret, so
// every output redacts them unless the user asks to see secrets.
//
// Register it with decode.NewRegistry(xfrm.Family()). Numbers, names and
// layouts come from the kernel's uapi header linux/xfrm.h; the attributes
// newer than the installed header (XFRMA_SA_DIR up to the IP-TFS ones) from
// the kernel's current copy of it.
//
// Addresses in xfrm structs are xfrm_address_t, a 16-byte union whose first
// 4 bytes are an IPv4 address when the family that goes with it is AF_INET.
// That family is a member of the same struct (a selector's family) or of
// the message (the SA's family for its id and source address), so the
// schema holds each struct in an IPv4 and an IPv6 variant and the family's
// lookup picks them from the bytes.
//
// Layouts are those of 64-bit kernels (x86-64, arm64): there xfrm_usersa_info
// is 224 bytes, where a 32-bit kernel's is 220.
package xfrm
