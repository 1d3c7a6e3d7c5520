package linuxabi

// ErrnoName returns Linux's name of an errno ("EEXIST"), or "" when Linux
// has none for it; as golang.org/x/sys/unix's ErrnoName on Linux, it gives
// one name for numbers with aliases (EAGAIN, not EWOULDBLOCK).
func ErrnoName(e Errno) string {
	if uint64(e) < uint64(len(errnoNames)) {
		return errnoNames[e]
	}
	return ""
}

// ErrnoMessage returns Linux's message for an errno ("file exists"), or ""
// when the table has none.
func ErrnoMessage(e Errno) string {
	if uint64(e) < uint64(len(errnoMessages)) {
		return errnoMessages[e]
	}
	return ""
}
