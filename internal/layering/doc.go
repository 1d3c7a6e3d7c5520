// Package layering holds no code: its test checks that the packages of
// nltrace import each other only in the directions DESIGN.md allows
// (capture never decodes, sinks never parse bytes, only client and decode
// parse netlink).
package layering
