// Package decode is nltrace's dissector core: it turns the bytes of netlink
// records into trees of fields, each with a name, a typed value and its byte
// span, using the client package's codec and the schemas that family
// packages (decode/rtnl, ...) register.
//
// Schemas are data (see Family, MessageType, AttrSet, Attr, Struct): the
// decoder walks them, and replay reads them to find values such as
// interface indexes that it must rewrite. A Decoder holds the state of one
// stream of records: generic-netlink ids it has learned, interface names
// learned from link messages, and requests that wait for replies, which it
// uses to pair replies, summarise dumps and map extended-ACK offsets to the
// attribute path in the request.
//
// Decoding never panics and never drops bytes: unknown message types and
// attributes become fields with their number and raw bytes, and malformed
// bytes become a marked field after which decoding goes on.
package decode
