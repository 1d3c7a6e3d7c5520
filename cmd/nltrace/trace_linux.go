package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// liveTracing says why live tracing cannot work here: on Linux, nothing.
func liveTracing() error { return nil }

// nsGetNSType is NS_GET_NSTYPE from linux/nsfs.h: the CLONE_NEW* type of
// a namespace file.
const nsGetNSType = 0xb703

// parseNetNS takes a namespace inode number or a path to a namespace file
// (/run/netns/NAME, /proc/PID/ns/net) or a bare `ip netns` name. A path
// must be a network namespace, and an inode one that is in use: either
// mistake would otherwise trace nothing, silently.
func parseNetNS(s string) (uint32, error) {
	if n, err := strconv.ParseUint(s, 10, 32); err == nil {
		if !netnsInUse(n) {
			return 0, fmt.Errorf("--netns %s: no process, open file or /run/netns entry is in a network namespace with this inode (lsns -t net lists them)", s)
		}
		return uint32(n), nil
	}
	path := netnsPath(s)
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, fmt.Errorf("--netns %s: %w", s, &fs.PathError{Op: "open", Path: path, Err: err})
	}
	defer unix.Close(fd)
	if typ, err := unix.IoctlRetInt(fd, nsGetNSType); err != nil || typ != unix.CLONE_NEWNET {
		return 0, fmt.Errorf("--netns %s: %s is not a network namespace", s, path)
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return 0, fmt.Errorf("--netns %s: %w", s, err)
	}
	return uint32(st.Ino), nil
}

// netnsInUse says a network namespace with inode ino is held by a thread,
// an open file (/proc/PID/fd) or a bind mount in /run/netns: the places
// lsns and ip netns look.
func netnsInUse(ino uint64) bool {
	want := fmt.Sprintf("net:[%d]", ino)
	for _, pattern := range []string{"/proc/[0-9]*/task/[0-9]*/ns/net", "/proc/[0-9]*/fd/[0-9]*"} {
		links, _ := filepath.Glob(pattern)
		for _, l := range links {
			if target, err := os.Readlink(l); err == nil && target == want {
				return true
			}
		}
	}
	mounts, _ := filepath.Glob("/run/netns/*")
	for _, m := range mounts {
		var st unix.Stat_t
		if unix.Stat(m, &st) == nil && st.Ino == ino {
			return true
		}
	}
	return false
}

// checkProcess says why -p cannot trace pid: it does not exist, or it is a
// thread, which the probes (following processes, by tgid) never match.
func checkProcess(pid uint32) error {
	if err := unix.Kill(int(pid), 0); errors.Is(err, unix.ESRCH) {
		return fmt.Errorf("-p %d: no such process", pid)
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil // no /proc to ask; the pid exists
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "Tgid:"); ok {
			if tgid, err := strconv.ParseUint(strings.TrimSpace(v), 10, 32); err == nil && uint32(tgid) != pid {
				return fmt.Errorf("-p %d: a thread of process %d; -p takes process ids (its threads are all traced)", pid, tgid)
			}
		}
	}
	return nil
}

// runAs makes cmd run as the named user, with that user's groups.
func runAs(cmd *exec.Cmd, name string) error {
	u, err := user.Lookup(name)
	if err != nil {
		return fmt.Errorf("-u %s: %w", name, err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	var groups []uint32
	if ids, err := u.GroupIds(); err == nil {
		for _, g := range ids {
			if n, err := strconv.ParseUint(g, 10, 32); err == nil {
				groups = append(groups, uint32(n))
			}
		}
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: groups}}
	cmd.Env = append(os.Environ(), "HOME="+u.HomeDir, "USER="+u.Username, "LOGNAME="+u.Username)
	return nil
}

// inTerminalForeground says both nltrace and the process pid are in the
// foreground group of the terminal on nltrace's standard input, output or
// error: keyboard signals then reach the process directly. (A command that
// made a process group of its own, as setsid does, gets them only from
// nltrace.)
func inTerminalForeground(std stdio, pid int) bool {
	pgid, err := unix.Getpgid(pid)
	if err != nil {
		return false
	}
	for _, s := range []any{std.in, std.out, std.err} {
		f, ok := s.(*os.File)
		if !ok {
			continue
		}
		if fg, err := unix.IoctlGetInt(int(f.Fd()), unix.TIOCGPGRP); err == nil {
			return fg == unix.Getpgrp() && fg == pgid
		}
	}
	return false
}
