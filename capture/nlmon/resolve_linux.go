package nlmon

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nltrace/nltrace/client"
	"golang.org/x/sys/unix"
)

// Process is what a port id resolves to.
type Process struct {
	PID  uint32
	Comm string
}

// socketKey names a netlink socket within one namespace.
type socketKey struct {
	protocol uint8
	port     uint32
}

// Resolver maps netlink port ids to the processes that hold the sockets. It
// caches what it learned and refreshes the cache when asked about a port it
// does not know, at most once per MinRefresh. It is safe for concurrent use.
type Resolver struct {
	netns      *client.NetNS
	minRefresh time.Duration
	procRoot   string

	mu sync.Mutex
	// conn stays open between refreshes, so that its own dump traffic,
	// which an nlmon capture sees, comes from one known port.
	conn        *client.Conn
	byPort      map[socketKey]Process
	lastRefresh time.Time
	refreshes   int
}

// ResolverConfig configures a Resolver. A nil *ResolverConfig means all
// defaults.
type ResolverConfig struct {
	// NetNS is the namespace whose sockets are resolved; nil means the
	// calling thread's namespace.
	NetNS *client.NetNS
	// MinRefresh is the least time between two refreshes, so that a burst
	// of unknown ports (kernel sockets, exited processes) does not rescan
	// /proc for each; 0 means 100ms.
	MinRefresh time.Duration
}

// NewResolver returns a Resolver with an empty cache.
func NewResolver(cfg *ResolverConfig) *Resolver {
	if cfg == nil {
		cfg = &ResolverConfig{}
	}
	r := &Resolver{netns: cfg.NetNS, minRefresh: cfg.MinRefresh, procRoot: "/proc", byPort: map[socketKey]Process{}}
	if r.minRefresh <= 0 {
		r.minRefresh = 100 * time.Millisecond
	}
	return r
}

// Lookup returns the process holding the netlink socket with port id port of
// netlink protocol. A miss refreshes the cache (rate-limited) and looks
// again; ok is false if the port is still unknown (a kernel socket, a
// process that exited, or a port id that no socket has).
func (r *Resolver) Lookup(ctx context.Context, protocol uint16, port uint32) (Process, bool, error) {
	if port == 0 || protocol > 0xff {
		return Process{}, false, nil
	}
	key := socketKey{uint8(protocol), port}
	r.mu.Lock()
	defer r.mu.Unlock()
	if p, ok := r.byPort[key]; ok {
		return p, true, nil
	}
	if time.Since(r.lastRefresh) < r.minRefresh {
		return Process{}, false, nil
	}
	if err := r.refreshLocked(ctx); err != nil {
		return Process{}, false, err
	}
	p, ok := r.byPort[key]
	return p, ok, nil
}

// Close closes the sock_diag socket.
func (r *Resolver) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.conn == nil {
		return nil
	}
	err := r.conn.Close()
	r.conn = nil
	return err
}

// Refreshes counts the cache refreshes, for tests and statistics.
func (r *Resolver) Refreshes() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refreshes
}

func (r *Resolver) refreshLocked(ctx context.Context) error {
	r.lastRefresh = time.Now()
	r.refreshes++
	if r.conn == nil {
		conn, err := client.Dial(client.ProtocolSockDiag, &client.Config{NetNS: r.netns})
		if err != nil {
			return fmt.Errorf("resolve port ids: %w", err)
		}
		r.conn = conn
	}
	sockets, err := dumpNetlinkSockets(ctx, r.conn)
	if err != nil {
		return err
	}
	owners := socketOwners(r.procRoot)
	byPort := make(map[socketKey]Process, len(sockets))
	for key, inode := range sockets {
		if pid, ok := owners[inode]; ok {
			byPort[key] = Process{PID: pid, Comm: readComm(r.procRoot, pid)}
		}
	}
	r.byPort = byPort
	return nil
}

// dumpNetlinkSockets asks the kernel for every netlink socket in the
// namespace and returns each one's inode by protocol and port id. The
// request and reply structs are client's netlink_diag codec, which the
// sock_diag dissector describes too.
func dumpNetlinkSockets(ctx context.Context, conn *client.Conn) (map[socketKey]uint32, error) {
	req := client.NetlinkDiagReq{Family: unix.AF_NETLINK, Protocol: client.NetlinkDiagProtoAll}
	replies, err := conn.Execute(ctx, client.Message{
		Header: client.Header{Type: client.SockDiagByFamily, Flags: client.FlagDump},
		Data:   req.Append(nil),
	})
	if err != nil {
		return nil, fmt.Errorf("resolve port ids: netlink sock_diag dump: %w", err)
	}
	sockets := make(map[socketKey]uint32, len(replies))
	for _, m := range replies {
		msg, err := client.ParseNetlinkDiagMsg(m.Data)
		if err != nil {
			return nil, fmt.Errorf("resolve port ids: %w", err)
		}
		sockets[socketKey{protocol: msg.Protocol, port: msg.PortID}] = msg.Ino
	}
	return sockets, nil
}

// socketOwners maps socket inodes to a process holding them, from the
// links in /proc/*/fd. When several processes share a socket (after fork)
// the lowest pid, usually the parent, wins. Processes that exit or deny
// access during the scan are skipped.
func socketOwners(procRoot string) map[uint32]uint32 {
	owners := map[uint32]uint32{}
	dir, err := os.Open(procRoot)
	if err != nil {
		return owners
	}
	names, _ := dir.Readdirnames(-1)
	dir.Close()
	for _, name := range names {
		pid, err := strconv.ParseUint(name, 10, 32)
		if err != nil {
			continue
		}
		fdDir := procRoot + "/" + name + "/fd"
		d, err := os.Open(fdDir)
		if err != nil {
			continue
		}
		fds, _ := d.Readdirnames(-1)
		d.Close()
		for _, fd := range fds {
			target, err := os.Readlink(fdDir + "/" + fd)
			if err != nil || !strings.HasPrefix(target, "socket:[") {
				continue
			}
			inode, err := strconv.ParseUint(strings.TrimSuffix(target[len("socket:["):], "]"), 10, 32)
			if err != nil {
				continue
			}
			if old, ok := owners[uint32(inode)]; !ok || uint32(pid) < old {
				owners[uint32(inode)] = uint32(pid)
			}
		}
	}
	return owners
}

func readComm(procRoot string, pid uint32) string {
	b, err := os.ReadFile(procRoot + "/" + strconv.FormatUint(uint64(pid), 10) + "/comm")
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(b), "\n")
}
