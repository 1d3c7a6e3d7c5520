package pcapng

import "golang.org/x/sys/unix"

// osName names the kernel for the section header, e.g. "Linux 6.18.0".
func osName() string {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return "Linux"
	}
	return unix.ByteSliceToString(u.Sysname[:]) + " " + unix.ByteSliceToString(u.Release[:])
}
