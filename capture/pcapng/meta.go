package pcapng

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nltrace/nltrace/capture"
)

// Comment keys. They are part of the file format: renaming one breaks old
// files.
const (
	keyPID    = "pid"
	keyTID    = "tid"
	keyComm   = "comm"
	keyNetNS  = "netns"
	keyPort   = "port"
	keyGroup  = "group"
	keyMethod = "method"
	keyDir    = "dir"
	// keyCall is how long before the packet's timestamp the record's call
	// began, a Go duration ("306.1234ms"): a receive is stamped when its
	// call returned, and this keeps when it started waiting.
	keyCall     = "call"
	dirInferred = "inferred"
)

// appendComment appends the packet comment that carries r's metadata. Fields
// that are unknown (zero) are left out, so a comment never claims pid 0.
func appendComment(b []byte, r *capture.Record) []byte {
	field := func(key string) {
		if len(b) > 0 {
			b = append(b, ' ')
		}
		b = append(b, key...)
		b = append(b, '=')
	}
	if r.PID != 0 {
		field(keyPID)
		b = strconv.AppendUint(b, uint64(r.PID), 10)
	}
	if r.TID != 0 {
		field(keyTID)
		b = strconv.AppendUint(b, uint64(r.TID), 10)
	}
	if r.Comm != "" {
		field(keyComm)
		b = appendValue(b, r.Comm)
	}
	if r.NetNS != 0 {
		field(keyNetNS)
		b = strconv.AppendUint(b, r.NetNS, 10)
	}
	if r.PortID != 0 {
		field(keyPort)
		b = strconv.AppendUint(b, uint64(r.PortID), 10)
	}
	if r.Group != 0 {
		field(keyGroup)
		b = strconv.AppendUint(b, uint64(r.Group), 10)
	}
	if r.Method != capture.MethodUnknown {
		field(keyMethod)
		b = append(b, r.Method.String()...)
	}
	if r.DirectionInferred {
		field(keyDir)
		b = append(b, dirInferred...)
	}
	if !r.CallTime.IsZero() && !r.Time.Before(r.CallTime) {
		field(keyCall)
		b = append(b, r.Time.Sub(r.CallTime).String()...)
	}
	return b
}

// appendValue writes s bare when that parses back unchanged, and Go-quoted
// otherwise: a comm may hold spaces, '=' or '"'.
func appendValue(b []byte, s string) []byte {
	if needsQuote(s) {
		return strconv.AppendQuote(b, s)
	}
	return append(b, s...)
}

func needsQuote(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return true
	}
	for _, c := range s {
		if c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f {
			return true
		}
	}
	return false
}

// parseComment fills r's metadata from a comment that appendComment wrote.
// It reports whether the comment was one of ours (at least one known key and
// nothing it could not parse); other comments leave r untouched.
func parseComment(s string, r *capture.Record) bool {
	var m capture.Record
	known := false
	var call time.Duration
	hasCall := false
	for s != "" {
		s = strings.TrimLeft(s, " ")
		if s == "" {
			break
		}
		key, rest, ok := strings.Cut(s, "=")
		if !ok || key == "" || strings.ContainsAny(key, " \"") {
			return false
		}
		var value string
		if strings.HasPrefix(rest, `"`) {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				return false
			}
			value, _ = strconv.Unquote(q)
			s = rest[len(q):]
			if s != "" && s[0] != ' ' {
				return false
			}
		} else {
			value, s, _ = strings.Cut(rest, " ")
		}
		if key == keyCall {
			d, err := time.ParseDuration(value)
			if err != nil || d < 0 {
				return false
			}
			call, hasCall = d, true
		} else if err := setField(&m, key, value); err != nil {
			return false
		}
		known = known || isKnownKey(key)
	}
	if !known {
		return false
	}
	r.PID, r.TID, r.Comm, r.NetNS = m.PID, m.TID, m.Comm, m.NetNS
	r.PortID, r.Group, r.Method, r.DirectionInferred = m.PortID, m.Group, m.Method, m.DirectionInferred
	if hasCall {
		r.CallTime = r.Time.Add(-call)
	}
	return true
}

func isKnownKey(key string) bool {
	switch key {
	case keyPID, keyTID, keyComm, keyNetNS, keyPort, keyGroup, keyMethod, keyDir, keyCall:
		return true
	}
	return false
}

// setField sets one comment field; keys it does not know are ignored, so
// later versions may add fields.
func setField(r *capture.Record, key, value string) error {
	u32 := func(dst *uint32) error {
		v, err := strconv.ParseUint(value, 10, 32)
		*dst = uint32(v)
		return err
	}
	switch key {
	case keyPID:
		return u32(&r.PID)
	case keyTID:
		return u32(&r.TID)
	case keyPort:
		return u32(&r.PortID)
	case keyGroup:
		return u32(&r.Group)
	case keyNetNS:
		v, err := strconv.ParseUint(value, 10, 64)
		r.NetNS = v
		return err
	case keyComm:
		r.Comm = value
	case keyMethod:
		m, err := capture.ParseMethod(value)
		r.Method = m
		return err
	case keyDir:
		if value != dirInferred {
			return fmt.Errorf("unknown direction note %q", value)
		}
		r.DirectionInferred = true
	}
	return nil
}

// lossComment is the comment of a statistics block: the loss counts by
// reason, in the key=value form of the packet comments.
func lossComment(s capture.Stats) string {
	return "nltrace_drops ring_full=" + strconv.FormatUint(s.RingFull, 10) +
		" other_losses=" + strconv.FormatUint(s.LostWakeup, 10) +
		" recorded=" + strconv.FormatUint(s.Recorded, 10) +
		" truncated=" + strconv.FormatUint(s.Truncated, 10)
}

// parseLossComment reads a comment that lossComment wrote.
func parseLossComment(c string) (capture.Stats, bool) {
	rest, ok := strings.CutPrefix(c, "nltrace_drops ")
	if !ok {
		return capture.Stats{}, false
	}
	var s capture.Stats
	for _, kv := range strings.Fields(rest) {
		k, v, _ := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return capture.Stats{}, false
		}
		switch k {
		case "ring_full":
			s.RingFull = n
		case "other_losses":
			s.LostWakeup = n
		case "recorded":
			s.Recorded = n
		case "truncated":
			s.Truncated = n
		}
	}
	return s, true
}
