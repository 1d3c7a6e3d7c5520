// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
//go:build ignore

/*
 * nltrace's capture programs: every netlink message a traced process sends or
 * receives, copied whole (up to the snap length) into a ring buffer.
 *
 * Three probe sets share one copy engine; the loader keeps only the set it
 * uses:
 *   fentry      fentry/fexit on netlink_sendmsg and netlink_recvmsg
 *   kprobe      kprobe/kretprobe on the same two functions
 *   tracepoint  the raw sys_enter/sys_exit tracepoints, watching sendmsg,
 *               sendto, sendmmsg, write, recvmsg, recvfrom, recvmmsg and read,
 *               with a CO-RE check that the fd is an AF_NETLINK socket
 * and the process-following programs (fork, exit) are always loaded.
 *
 * Every call is split: the entry saves the arguments per thread, the exit
 * copies what the call really moved (its return value), so receives carry the
 * real length and failed calls produce nothing. Peek reads are skipped.
 *
 * A record travels as one or more chunks: the ring buffer only reserves
 * constant sizes, so the copy engine picks the smallest of a few chunk sizes
 * that holds the next piece. Every chunk carries the record's header; user
 * space joins chunks by thread id and offset.
 */

#include "nltrace_kernel.h"
#include "bpf_helpers.h"
#include "bpf_tracing.h"

char __license[] SEC("license") = "Dual MIT/GPL";

/* Configuration, set by the loader before the programs are verified. */
volatile const u32 snaplen = 65536;  /* bytes kept of each record */
volatile const u8 follow_tracked = 1; /* 1: only processes in tracked, 0: all */
volatile const u32 self_tgid = 0;     /* nltrace itself: never recorded */
volatile const u32 netns_filter = 0;  /* a network namespace inode, or 0 for all */
volatile const u32 protocol_mask = 0; /* bit n keeps netlink protocol n; 0 keeps all */

enum direction {
	DIR_TO_KERNEL = 1,
	DIR_FROM_KERNEL = 2,
};

enum method {
	METHOD_FENTRY = 1,
	METHOD_KPROBE = 2,
	METHOD_TRACEPOINT = 3,
};

enum drop_reason {
	DROP_RING_FULL = 0, /* a chunk did not fit in the ring buffer */
	DROP_TRUNCATED = 1, /* a record was cut at the snap length (still delivered) */
	DROP_READ_FAILED = 2, /* user memory could not be read */
	DROP_REASONS = 3,
};

enum call_kind {
	CALL_BUFFER = 1, /* write, read, sendto, recvfrom: one buffer */
	CALL_MSGHDR = 2, /* sendmsg, recvmsg: a user msghdr */
	CALL_MMSG = 3,   /* sendmmsg, recvmmsg: an array of mmsghdr */
	CALL_ITER = 4,   /* netlink_sendmsg/recvmsg: a kernel iov_iter */
};

/* One chunk's header; data follows it. */
struct event {
	u64 time_ns;  /* bpf_ktime_get_ns when the bytes crossed: the call's
	               * entry for a send, its return for a receive */
	u64 call_ns;  /* bpf_ktime_get_ns at the call's entry; 0 if unseen */
	u32 pid;
	u32 tid;
	u32 netns;    /* network namespace inode of the socket */
	u32 port_id;  /* the socket's local port id */
	u32 orig_len; /* the record's length before the snap length */
	u32 cap_len;  /* the record's captured length: all its chunks */
	u32 offset;   /* where this chunk's data goes in the record */
	u32 len;      /* this chunk's data bytes */
	u32 groups;   /* nl_groups of the sender's address, for receives */
	u16 protocol; /* netlink protocol */
	u8 direction;
	u8 method;
	char comm[16];
};

/* Chunk data sizes: the ring buffer reserves only constant sizes. */
#define CHUNK_S 256
#define CHUNK_M 1024
#define CHUNK_L 4096
#define CHUNK_XL 16384

/* A call seen at entry, waiting for its exit. */
struct pending {
	u64 time_ns;    /* the call's entry */
	u64 exit_ns;    /* the call's return, set by the exit */
	u64 buf;    /* user buffer, msghdr, mmsghdr array, or kernel iovec array */
	u64 len;    /* buffer length, vlen, or iov_iter count */
	u64 sk;     /* struct sock * */
	u64 iov_offset; /* CALL_ITER: bytes consumed in the first segment */
	u64 nr_segs;    /* CALL_ITER: iovec count */
	u64 name;       /* recvfrom: the source address buffer */
	u64 namelen;    /* recvfrom: the address length's user address */
	u32 kind;
	u32 flags;
	u8 direction;
	u8 method;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24); /* the loader resizes it */
} events SEC(".maps");

/* tgids being traced; fork adds children, exit removes them. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, u32);
	__type(value, u8);
} tracked SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, u32);
	__type(value, struct pending);
} pending_calls SEC(".maps");

/* Threads of the traced processes as they were just before the probes were
 * attached: any of them may be inside a watched call begun before, which no
 * entry probe saw. Such a call is recovered at its exit (recover_call), once
 * per thread; the first watched exit without a pending entry, or an entry
 * seen by netlink_sendmsg/recvmsg, removes the thread. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, u32);
	__type(value, u8);
} inflight SEC(".maps");

/* How many threads inflight still holds, so that an empty set costs one
 * array load on the paths that consult it. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} inflight_count SEC(".maps");

/* The syscall tracepoints run on every system call, so the common answers
 * are cached per CPU, for the last traced thread that made a watched call on
 * it: that its process is traced (a hash lookup otherwise), whether its
 * current call is pending (a hash lookup at the exit otherwise), and which of
 * its fds 0-63 it used that are not netlink sockets (a walk through the fd
 * table otherwise, as `ip route show` writes each route to stdout).
 *
 * The task's start time tells a reused task_struct apart. Its context-switch
 * count proves that nothing else ran on this CPU in between, so the entry's
 * answers still hold at the exit. The fd answer holds while the thread makes
 * only watched calls (none of them closes or replaces an fd), is not switched
 * out, and is alone with its fd table (no other thread can close the fd and
 * put a netlink socket in its place); any other system call forgets it. The
 * hash maps stay the truth; any mismatch falls back to them. */
struct cpu_cache {
	u64 task;        /* the task_struct */
	u64 start_time;  /* its start_time */
	u64 tracked_gen; /* untrack_gen + 1 when it was found traced */
	u64 switches;    /* nvcsw + nivcsw at the entry of its last watched call */
	u64 fd_switches; /* nvcsw + nivcsw when fd_mask was started */
	u64 fd_mask;     /* bit n: fd n is not a netlink socket */
	u8 pending;      /* the last watched call is in pending_calls */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct cpu_cache);
} cpu_caches SEC(".maps");

/* Counts the processes removed from tracked by user space: a cpu_cache
 * verdict taken before the last removal is checked again. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} untrack_gen SEC(".maps");

/* The kernel's socket_file_ops, learned from the first socket seen: a file is
 * a socket exactly when its f_op is that, which saves walking to the inode
 * for every other file. 0 until learned. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} socket_fops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DROP_REASONS);
	__type(key, u32);
	__type(value, u64);
} drops SEC(".maps");


static __always_inline void count_drop(u32 reason)
{
	u64 *n = bpf_map_lookup_elem(&drops, &reason);
	if (n)
		*n += 1;
}

/* want_process says whether a process is traced; the fork/exit programs
 * keep the tracked set. */
static __always_inline bool want_process(u32 tgid)
{
	if (tgid == self_tgid)
		return 0;
	if (!follow_tracked)
		return 1;
	return bpf_map_lookup_elem(&tracked, &tgid) != 0;
}

/* netlink_sock_of returns the socket of a netlink sock, or 0 when sk is not
 * AF_NETLINK or its protocol is filtered out. */
static __always_inline struct sock *netlink_sock_check(struct sock *sk)
{
	unsigned short family = 0;
	u16 protocol = 0;

	if (!sk)
		return 0;
	read_kernel(family, sk->__sk_common.skc_family);
	if (family != AF_NETLINK)
		return 0;
	if (protocol_mask) {
		read_kernel(protocol, sk->sk_protocol);
		if (protocol >= 32 || !(protocol_mask & (1u << protocol)))
			return 0;
	}
	if (netns_filter) {
		struct net *net = 0;
		unsigned int inum = 0;
		read_kernel(net, sk->__sk_common.skc_net.net);
		if (net)
			read_kernel(inum, net->ns.inum);
		if (inum != netns_filter)
			return 0;
	}
	return sk;
}

/* Where a record's bytes are, and how many there are. */
struct source {
	u64 buf;        /* a single buffer, when iov is 0 */
	u64 iov;        /* an iovec array */
	u64 iovlen;
	u64 skip;       /* bytes already consumed at the start of the iovecs */
	u32 orig_len;   /* the record's real length */
	u32 avail;      /* how much of it is in the buffers */
	u32 groups;
	u8 iov_kernel;  /* the iovec array is in kernel memory */
};

/* The copy engine's state, on the stack of the exit program. */
struct copy {
	struct source src; /* what the caller of emit_record passed */
	struct event hdr;
	u64 iov;      /* iovec array (user memory, or kernel memory if iov_kernel) */
	u64 iovlen;
	u64 idx;      /* next iovec to load */
	u64 base;     /* user address of the current segment's next byte */
	u64 left;     /* bytes left in the current segment */
	u64 skip;     /* bytes to skip at the start of the first iovec */
	u32 remaining; /* bytes still to copy */
	u8 iov_kernel;
	u8 failed;
};

/* barrier_var hides what the compiler knows about v, so that the bound checks
 * the verifier needs are not optimised away. */
#define barrier_var(v) asm volatile("" : "+r"(v))

/* send_chunk copies n bytes (n <= size) from user memory into a chunk of the
 * given constant size. It returns 0, or the drop reason. */
#define SEND_CHUNK(size)                                                                                 \
	do {                                                                                             \
		struct event *e = bpf_ringbuf_reserve(&events, sizeof(struct event) + (size), 0);         \
		if (!e)                                                                                  \
			return DROP_RING_FULL + 1;                                                       \
		__builtin_memcpy(e, hdr, sizeof(*e));                                                    \
		barrier_var(n);                                                                          \
		if (n > (size))                                                                          \
			n = (size);                                                                      \
		e->len = n;                                                                              \
		if (bpf_probe_read_user((void *)(e + 1), n, (void *)src)) {                              \
			bpf_ringbuf_discard(e, 0);                                                       \
			return DROP_READ_FAILED + 1;                                                     \
		}                                                                                        \
		bpf_ringbuf_submit(e, 0);                                                                \
		return 0;                                                                                \
	} while (0)

static __always_inline int send_chunk(struct event *hdr, u64 src, u64 n)
{
	if (n <= CHUNK_S)
		SEND_CHUNK(CHUNK_S);
	if (n <= CHUNK_M)
		SEND_CHUNK(CHUNK_M);
	if (n <= CHUNK_L)
		SEND_CHUNK(CHUNK_L);
	SEND_CHUNK(CHUNK_XL);
}

/* copy_step emits one chunk, or loads the next iovec. It returns 1 to stop. */
static long copy_step(u64 i, struct copy **cp)
{
	struct copy *c = *cp;

	if (c->remaining == 0 || c->failed)
		return 1;
	if (c->left == 0) {
		struct iovec v = {};
		long err;
		if (c->idx >= c->iovlen)
			return 1;
		if (c->iov_kernel)
			err = bpf_probe_read_kernel(&v, sizeof(v), (void *)(c->iov + c->idx * sizeof(struct iovec)));
		else
			err = bpf_probe_read_user(&v, sizeof(v), (void *)(c->iov + c->idx * sizeof(struct iovec)));
		if (err) {
			c->failed = 1;
			count_drop(DROP_READ_FAILED);
			return 1;
		}
		c->idx++;
		if (c->skip >= v.iov_len) {
			c->skip -= v.iov_len;
			return 0;
		}
		c->base = (u64)v.iov_base + c->skip;
		c->left = v.iov_len - c->skip;
		c->skip = 0;
		return 0;
	}

	u64 n = c->remaining;
	if (n > CHUNK_XL)
		n = CHUNK_XL;
	if (n > c->left)
		n = c->left;

	int fail = send_chunk(&c->hdr, c->base, n);
	if (fail) {
		c->failed = 1;
		count_drop(fail - 1);
		return 1;
	}
	c->hdr.offset += n;
	c->base += n;
	c->left -= n;
	c->remaining -= n;
	return 0;
}

/* Fill in everything but the data layout: who, where, when. */
static __always_inline void fill_header(struct event *h, struct pending *p, struct sock *sk, u32 orig_len)
{
	u64 id = bpf_get_current_pid_tgid();
	struct net *net = 0;

	/* A receive's bytes cross when its call returns: a monitor may
	 * wait in recvmsg for minutes. A send's cross at its entry. */
	h->call_ns = p->time_ns;
	h->time_ns = p->direction == DIR_FROM_KERNEL || !p->time_ns ? p->exit_ns : p->time_ns;
	h->pid = id >> 32;
	h->tid = (u32)id;
	bpf_get_current_comm(h->comm, sizeof(h->comm));
	h->direction = p->direction;
	h->method = p->method;
	read_kernel(h->protocol, sk->sk_protocol);
	read_kernel(h->port_id, ((struct netlink_sock *)sk)->portid);
	read_kernel(net, sk->__sk_common.skc_net.net);
	if (net)
		read_kernel(h->netns, net->ns.inum);
	h->orig_len = orig_len;
	h->cap_len = orig_len < snaplen ? orig_len : snaplen;
	h->offset = 0;
	h->groups = 0;
	if (orig_len > snaplen)
		count_drop(DROP_TRUNCATED);
}

/* copy_all runs the copy engine to the end. A global function, so that the
 * verifier sees the state as unknown memory: with the known values of a
 * caller's stack it would follow every loop iteration apart. */
__noinline int copy_all(struct copy *c)
{
	if (!c)
		return 0;
	/* Enough steps for every chunk plus loading every iovec: a chunk never
	 * spans two iovecs, so each iovec may cost a load and a chunk of its
	 * own beyond the chunks its bytes need (ss sends 72+4+16 bytes in
	 * three iovecs: six steps, where one per iovec left the last chunk
	 * unsent and the record unfinished). */
	u32 steps = c->remaining / CHUNK_S + 2;
	if (c->src.iov)
		steps += 2 * (c->iovlen > 1024 ? 1024 : c->iovlen);
	/* bpf_loop wants its context on this frame's stack. */
	struct copy *cp = c;
	bpf_loop(steps, copy_step, &cp, 0);
	return 0;
}

/* emit_record copies one record into the ring buffer, chunk by chunk. The
 * copy engine's state lives only in this frame: the kernel limits the stack
 * of a whole call chain, bpf_loop callbacks included, to 512 bytes. */
__noinline int emit_record(struct pending *p, struct source *src)
{
	struct copy copy = {};
	struct copy *c = &copy;
	struct sock *sk;

	/* A global function: verified once, on its own, with unknown inputs. */
	if (!p || !src)
		return 0;
	c->src = *src;
	sk = (struct sock *)p->sk;
	if (c->src.orig_len == 0 || !sk)
		return 0;
	fill_header(&c->hdr, p, sk, c->src.orig_len);
	if (c->hdr.cap_len > c->src.avail)
		c->hdr.cap_len = c->src.avail;
	c->hdr.groups = c->src.groups;
	c->remaining = c->hdr.cap_len;
	c->iov_kernel = c->src.iov_kernel;
	if (c->src.iov) {
		c->iov = c->src.iov;
		c->iovlen = c->src.iovlen;
		c->skip = c->src.skip;
	} else {
		c->base = c->src.buf;
		c->left = c->remaining;
	}
	return copy_all(c);
}

static __always_inline u32 read_groups(u64 name, int namelen)
{
	struct sockaddr_nl sa = {};
	if (!name || namelen < (int)sizeof(sa))
		return 0;
	if (bpf_probe_read_user(&sa, sizeof(sa), (void *)name))
		return 0;
	return sa.nl_groups;
}

struct iov_sum {
	u64 iov;
	u64 n;
	u64 total;
};

static long iov_sum_step(u64 i, struct iov_sum *s)
{
	struct iovec v = {};
	if (i >= s->n)
		return 1;
	if (bpf_probe_read_user(&v, sizeof(v), (void *)(s->iov + i * sizeof(struct iovec))))
		return 1;
	s->total += v.iov_len;
	return 0;
}

/* emit_msghdr copies the iovecs of the user msghdr at addr; len is the
 * call's result. Its fields are read one by one, to keep the stack small. A
 * global function: verified once, not again inside the recvmmsg/sendmmsg
 * loop, which newer verifiers find too complex. */
__noinline int emit_msghdr(struct pending *p, u64 addr, u32 len)
{
	struct user_msghdr *m = (struct user_msghdr *)addr;
	struct source src = {};
	u64 iov = 0, iovlen = 0;

	if (!p)
		return 0;

	if (bpf_probe_read_user(&iov, sizeof(iov), &m->msg_iov) ||
	    bpf_probe_read_user(&iovlen, sizeof(iovlen), &m->msg_iovlen)) {
		count_drop(DROP_READ_FAILED);
		return 0;
	}
	src.iov = iov;
	src.iovlen = iovlen;
	src.orig_len = len;
	src.avail = len;
	if (p->direction == DIR_FROM_KERNEL) {
		u64 name = 0;
		int namelen = 0;
		unsigned int flags = 0;
		bpf_probe_read_user(&name, sizeof(name), &m->msg_name);
		bpf_probe_read_user(&namelen, sizeof(namelen), &m->msg_namelen);
		bpf_probe_read_user(&flags, sizeof(flags), &m->msg_flags);
		src.groups = read_groups(name, namelen);
		/* MSG_TRUNC: the datagram was longer than the buffers. */
		if (flags & MSG_TRUNC) {
			struct iov_sum s = {.iov = iov, .n = iovlen > 1024 ? 1024 : iovlen};
			bpf_loop(s.n, iov_sum_step, &s, 0);
			if (s.total < src.avail)
				src.avail = s.total;
		}
	}
	return emit_record(p, &src);
}

/* inflight_forget removes tid from inflight; it returns 1 if it was there. */
static __always_inline int inflight_forget(u32 tid)
{
	u32 zero = 0;
	u64 *n = bpf_map_lookup_elem(&inflight_count, &zero);
	if (!n || *n == 0)
		return 0;
	if (bpf_map_delete_elem(&inflight, &tid))
		return 0;
	__sync_fetch_and_add(n, -1);
	return 1;
}

/* ---- process following ---- */

SEC("tp_btf/sched_process_fork")
int handle_fork(u64 *ctx)
{
	struct task_struct *parent = (struct task_struct *)ctx[0];
	struct task_struct *child = (struct task_struct *)ctx[1];
	int parent_tgid = 0, child_pid = 0, child_tgid = 0;
	u8 one = 1;

	read_kernel(parent_tgid, parent->tgid);
	read_kernel(child_pid, child->pid);
	read_kernel(child_tgid, child->tgid);
	if (child_pid != child_tgid)
		return 0; /* a new thread: its tgid is tracked already */
	u32 key = parent_tgid;
	if (!bpf_map_lookup_elem(&tracked, &key))
		return 0;
	key = child_tgid;
	bpf_map_update_elem(&tracked, &key, &one, BPF_ANY);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int handle_exit(u64 *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;

	bpf_map_delete_elem(&pending_calls, &tid);
	inflight_forget(tid);
	if ((u32)(id >> 32) == tid)
		bpf_map_delete_elem(&tracked, &tid);
	return 0;
}

/* ---- probe set: syscall tracepoints ---- */

#if defined(__TARGET_ARCH_arm64)
/* arm64 system call numbers (include/uapi/asm-generic/unistd.h) of the calls
 * the tracepoint set watches. */
#define NR_read 63
#define NR_write 64
#define NR_sendto 206
#define NR_recvfrom 207
#define NR_sendmsg 211
#define NR_recvmsg 212
#define NR_recvmmsg 243
#define NR_sendmmsg 269

/* TIF_32BIT in thread_info.flags: an AArch32 task, whose system calls have
 * other numbers and argument layouts. */
#define IN_COMPAT_SYSCALL(task) ((task)->thread_info.flags & (1UL << 22))
/* The call number, and the arguments as the call saw them: x0 is the result
 * by the exit, so the first argument comes from orig_x0. */
#define SYSCALL_NR(regs) ((regs)->syscallno)
#define SYSCALL_ARGS(regs) {(regs)->orig_x0, (regs)->regs[1], (regs)->regs[2], (regs)->regs[3], (regs)->regs[4], (regs)->regs[5]}
#else
/* x86-64 system call numbers of the calls the tracepoint set watches. */
#define NR_read 0
#define NR_write 1
#define NR_sendto 44
#define NR_recvfrom 45
#define NR_sendmsg 46
#define NR_recvmsg 47
#define NR_recvmmsg 299
#define NR_sendmmsg 307

/* TS_COMPAT in thread_info.status: the task is in a 32-bit system call,
 * whose numbers and argument registers differ. */
#define TS_COMPAT 0x0002
#define IN_COMPAT_SYSCALL(task) ((task)->thread_info.status & TS_COMPAT)
/* The call number, and the arguments, which x86-64 leaves in the saved user
 * registers but for ax (the result); orig_ax is the call number. */
#define SYSCALL_NR(regs) ((regs)->orig_ax)
#define SYSCALL_ARGS(regs) {(regs)->di, (regs)->si, (regs)->dx, (regs)->r10, (regs)->r8, (regs)->r9}
#endif

/* A watched call's shape: set by the switch on the call number. */
struct call {
	u32 kind;
	u8 direction;
	u8 flags_arg; /* the index of the flags argument, 6 for none */
};

static __always_inline bool watched_call(long nr, struct call *c)
{
	switch (nr) {
	case NR_write:
		*c = (struct call){CALL_BUFFER, DIR_TO_KERNEL, 6};
		return 1;
	case NR_read:
		*c = (struct call){CALL_BUFFER, DIR_FROM_KERNEL, 6};
		return 1;
	case NR_sendto:
		*c = (struct call){CALL_BUFFER, DIR_TO_KERNEL, 3};
		return 1;
	case NR_recvfrom:
		*c = (struct call){CALL_BUFFER, DIR_FROM_KERNEL, 3};
		return 1;
	case NR_sendmsg:
		*c = (struct call){CALL_MSGHDR, DIR_TO_KERNEL, 2};
		return 1;
	case NR_recvmsg:
		*c = (struct call){CALL_MSGHDR, DIR_FROM_KERNEL, 2};
		return 1;
	case NR_sendmmsg:
		*c = (struct call){CALL_MMSG, DIR_TO_KERNEL, 3};
		return 1;
	case NR_recvmmsg:
		*c = (struct call){CALL_MMSG, DIR_FROM_KERNEL, 3};
		return 1;
	}
	return 0;
}

/* want_thread says whether the current thread's process is traced, and
 * returns this CPU's cache, which then describes the thread. */
static __always_inline struct cpu_cache *want_thread(struct task_struct *task, u32 tgid)
{
	if (tgid == self_tgid)
		return 0;
	u32 zero = 0;
	u64 *genp = bpf_map_lookup_elem(&untrack_gen, &zero);
	struct cpu_cache *c = bpf_map_lookup_elem(&cpu_caches, &zero);
	if (!genp || !c)
		return 0;
	u64 gen = *genp + 1;
	u64 start = task->start_time;
	if (c->task == (u64)task && c->start_time == start && c->tracked_gen == gen)
		return c;
	if (follow_tracked && !bpf_map_lookup_elem(&tracked, &tgid))
		return 0;
	c->task = (u64)task;
	c->start_time = start;
	c->tracked_gen = gen;
	c->fd_mask = 0;
	return c;
}

/* netlink_sock_of_fd walks task->files->fdt->fd[fd] to the socket behind fd,
 * and returns it when it is a netlink socket. The walk down to the fd array is
 * plain BTF loads, not helper calls: it runs on every read and write of a
 * traced process. */
static __always_inline struct sock *netlink_sock_of_fd(struct task_struct *task, u64 fd)
{
	struct file *file = 0;
	struct inode *inode = 0;
	unsigned short mode = 0;
	struct socket *sock = 0;
	struct sock *sk = 0;

	struct fdtable *fdt = task->files->fdt;
	if (fd >= fdt->max_fds)
		return 0;
	struct file **fds = fdt->fd;
	if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) || !file)
		return 0;
	u64 fops = 0;
	read_kernel(fops, file->f_op);
	u32 zero = 0;
	u64 *known = bpf_map_lookup_elem(&socket_fops, &zero);
	if (!known)
		return 0;
	if (*known) {
		if (fops != *known)
			return 0;
	} else {
		read_kernel(inode, file->f_inode);
		if (!inode)
			return 0;
		read_kernel(mode, inode->i_mode);
		if ((mode & S_IFMT) != S_IFSOCK)
			return 0;
		*known = fops;
	}
	read_kernel(sock, file->private_data);
	if (!sock)
		return 0;
	read_kernel(sk, sock->sk);
	return netlink_sock_check(sk);
}

/* One program on the raw sys_enter tracepoint and one on sys_exit see every
 * system call: a switch on the call number drops the others before any other
 * work. Compared with the per-call tracepoints (syscalls/sys_enter_write,
 * ...), this skips the kernel building a perf record for every watched call,
 * and needs two links instead of sixteen. */
SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_netlink, struct pt_regs *regs, long nr)
{
	struct call call;
	u32 zero = 0;

	if (!watched_call(nr, &call)) {
		/* It may close or replace an fd: forget the fd answer. */
		struct cpu_cache *c = bpf_map_lookup_elem(&cpu_caches, &zero);
		if (c && c->fd_mask && c->task == (u64)bpf_get_current_task_btf())
			c->fd_mask = 0;
		return 0;
	}
	u64 id = bpf_get_current_pid_tgid();
	struct task_struct *task = bpf_get_current_task_btf();
	struct cpu_cache *c = want_thread(task, id >> 32);
	if (!c)
		return 0;
	u64 switches = task->nvcsw + task->nivcsw;
	c->switches = switches;
	c->pending = 0;
	if (IN_COMPAT_SYSCALL(task)) {
		c->fd_mask = 0;
		return 0;
	}

	u64 args[6] = SYSCALL_ARGS(regs);
	u64 flags = 0;
	if (call.flags_arg == 2)
		flags = args[2];
	else if (call.flags_arg == 3)
		flags = args[3];
	if (call.direction == DIR_FROM_KERNEL && (flags & MSG_PEEK))
		return 0; /* a peek: the real read follows */
	bool alone = task->files->count.counter == 1;
	if (c->fd_switches != switches || !alone)
		c->fd_mask = 0;
	u64 fd = args[0];
	u64 bit = fd < 64 ? 1ull << (fd & 63) : 0;
	if (c->fd_mask & bit)
		return 0;
	struct sock *sk = netlink_sock_of_fd(task, fd);
	if (!sk) {
		if (alone && bit) {
			c->fd_mask |= bit;
			c->fd_switches = switches;
		}
		return 0;
	}

	struct pending p = {};
	p.time_ns = bpf_ktime_get_ns();
	p.buf = args[1];
	p.len = args[2];
	p.sk = (u64)sk;
	p.kind = call.kind;
	p.direction = call.direction;
	p.method = METHOD_TRACEPOINT;
	p.flags = flags;
	/* recvfrom's source address, to learn the multicast group. */
	if (call.kind == CALL_BUFFER && call.direction == DIR_FROM_KERNEL && call.flags_arg == 3) {
		p.name = args[4];
		p.namelen = args[5];
	}
	u32 tid = (u32)id;
	c->pending = 1;
	bpf_map_update_elem(&pending_calls, &tid, &p, BPF_ANY);
	return 0;
}

struct mmsg_walk {
	struct pending *p;
	u64 vec;
	u32 n;
};

static long mmsg_step(u64 i, struct mmsg_walk *w)
{
	struct mmsghdr *m = (struct mmsghdr *)(w->vec + i * sizeof(struct mmsghdr));
	unsigned int len = 0;

	if (i >= w->n)
		return 1;
	if (bpf_probe_read_user(&len, sizeof(len), &m->msg_len)) {
		count_drop(DROP_READ_FAILED);
		return 1;
	}
	emit_msghdr(w->p, (u64)&m->msg_hdr, len);
	return 0;
}

static __always_inline void sys_exit_emit(struct pending *p, long ret)
{
	switch (p->kind) {
	case CALL_BUFFER: {
		struct source src = {.buf = p->buf, .orig_len = ret, .avail = ret};
		/* With MSG_TRUNC a receive returns the datagram's length, which
		 * can exceed the buffer. */
		if (src.avail > p->len)
			src.avail = p->len;
		if (p->direction == DIR_FROM_KERNEL && p->name && p->namelen) {
			int namelen = 0;
			if (!bpf_probe_read_user(&namelen, sizeof(namelen), (void *)p->namelen))
				src.groups = read_groups(p->name, namelen);
		}
		emit_record(p, &src);
		return;
	}
	case CALL_MSGHDR:
		emit_msghdr(p, p->buf, ret);
		return;
	case CALL_MMSG: {
		struct mmsg_walk w = {.p = p, .vec = p->buf, .n = ret};
		bpf_loop(w.n > 1024 ? 1024 : w.n, mmsg_step, &w, 0);
		return;
	}
	}
}

/* recover_call handles the exit of a watched call that no entry probe saw,
 * by a thread in inflight: it may have begun before the probes were
 * attached (a monitor blocked in recvmsg). Its arguments are still in the
 * user registers the kernel saved at the entry, which x86-64 system calls
 * leave as they were but for ax, the result; orig_ax is the call number.
 * The call is checked as sys_enter_netlink would have, and when it is one
 * to record it goes into pending_calls for the exit path; its start is not
 * known (time_ns 0). Returns 1 when it did. A static subprogram, so its
 * stack is not added to that of the copy that follows. */
static __noinline int recover_call(struct pt_regs *regs, u8 method)
{
	struct call call;
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;

	if (!regs || !watched_call(SYSCALL_NR(regs), &call))
		return 0;
	if (!inflight_forget(tid))
		return 0;
	if (!want_process(id >> 32))
		return 0;
	struct task_struct *task = bpf_get_current_task_btf();
	if (IN_COMPAT_SYSCALL(task))
		return 0;
	u64 args[6] = SYSCALL_ARGS(regs);
	u64 flags = 0;
	if (call.flags_arg == 2)
		flags = args[2];
	else if (call.flags_arg == 3)
		flags = args[3];
	if (call.direction == DIR_FROM_KERNEL && (flags & MSG_PEEK))
		return 0;
	struct sock *sk = netlink_sock_of_fd(task, args[0]);
	if (!sk)
		return 0;
	struct pending p = {};
	p.buf = args[1];
	p.len = args[2];
	p.sk = (u64)sk;
	p.kind = call.kind;
	p.direction = call.direction;
	p.method = method;
	p.flags = flags;
	if (call.kind == CALL_BUFFER && call.direction == DIR_FROM_KERNEL && call.flags_arg == 3) {
		p.name = args[4];
		p.namelen = args[5];
	}
	bpf_map_update_elem(&pending_calls, &tid, &p, BPF_ANY);
	return 1;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_netlink, struct pt_regs *regs, long ret)
{
	struct call call;

	if (!watched_call(SYSCALL_NR(regs), &call))
		return 0;
	struct task_struct *task = bpf_get_current_task_btf();
	u32 zero = 0;
	struct cpu_cache *c = bpf_map_lookup_elem(&cpu_caches, &zero);
	if (c && c->task == (u64)task && c->start_time == task->start_time &&
	    c->switches == task->nvcsw + task->nivcsw) {
		if (!c->pending)
			return 0;
		c->pending = 0;
	}
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct pending *p = bpf_map_lookup_elem(&pending_calls, &tid);
	if (!p) {
		if (ret <= 0 || !recover_call(regs, METHOD_TRACEPOINT))
			return 0;
		p = bpf_map_lookup_elem(&pending_calls, &tid);
		if (!p)
			return 0;
	}
	if (ret > 0) {
		p->exit_ns = bpf_ktime_get_ns();
		sys_exit_emit(p, ret);
	}
	bpf_map_delete_elem(&pending_calls, &tid);
	return 0;
}

/* sys_exit_recover goes with the fentry and kprobe sets when processes
 * that already run are traced: fexit and kretprobe miss a call that was
 * inside netlink_sendmsg/recvmsg when they were attached, and the call's
 * exit from the kernel is where it can still be recovered. It does nothing
 * once inflight is empty. */
SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_recover, struct pt_regs *regs, long ret)
{
	u32 zero = 0;
	u64 *n = bpf_map_lookup_elem(&inflight_count, &zero);
	if (!n || *n == 0 || ret <= 0)
		return 0;
	u32 tid = (u32)bpf_get_current_pid_tgid();
	if (!recover_call(regs, METHOD_FENTRY))
		return 0;
	struct pending *p = bpf_map_lookup_elem(&pending_calls, &tid);
	if (!p)
		return 0;
	p->exit_ns = bpf_ktime_get_ns();
	sys_exit_emit(p, ret);
	bpf_map_delete_elem(&pending_calls, &tid);
	return 0;
}

/* ---- probe sets on netlink_sendmsg/netlink_recvmsg (fentry, kprobe) ---- */

/* save_iter records a kernel msghdr's iov_iter at entry: the exit sees it
 * advanced past the data. */
static __always_inline int iter_enter(struct socket *sock, struct msghdr *msg, int flags, u8 direction, u8 method)
{
	u64 id = bpf_get_current_pid_tgid();
	struct sock *sk = 0;
	u8 type = 0;

	if (!want_process(id >> 32))
		return 0;
	if (direction == DIR_FROM_KERNEL && (flags & MSG_PEEK))
		return 0;
	read_kernel(sk, sock->sk);
	sk = netlink_sock_check(sk);
	if (!sk)
		return 0;
	/* Seen at its entry: this call needs no recovery at the exit. */
	inflight_forget((u32)id);

	struct pending p = {};
	p.time_ns = bpf_ktime_get_ns();
	p.sk = (u64)sk;
	p.kind = CALL_ITER;
	p.direction = direction;
	p.method = method;
	read_kernel(type, msg->msg_iter.iter_type);
	read_kernel(p.iov_offset, msg->msg_iter.iov_offset);
	read_kernel(p.len, msg->msg_iter.count);
	if (type == core_enum_value(enum iter_type, ITER_UBUF)) {
		read_kernel(p.buf, msg->msg_iter.ubuf);
		p.flags = 1; /* a single user buffer */
	} else if (type == core_enum_value(enum iter_type, ITER_IOVEC)) {
		if (core_field_exists(msg->msg_iter.__iov)) {
			read_kernel(p.buf, msg->msg_iter.__iov);
		} else {
			struct iov_iter___v60 *old = (void *)&msg->msg_iter;
			read_kernel(p.buf, old->iov);
		}
		read_kernel(p.nr_segs, msg->msg_iter.nr_segs);
	} else {
		return 0; /* kernel buffers: not a process's message */
	}
	/* The kernel msghdr: at the exit, its msg_name holds the source
	 * address, whose nl_groups names a multicast group. */
	if (direction == DIR_FROM_KERNEL)
		p.name = (u64)msg;
	u32 tid = (u32)id;
	bpf_map_update_elem(&pending_calls, &tid, &p, BPF_ANY);
	return 0;
}

/* kernel_groups reads nl_groups of the source address netlink_recvmsg wrote
 * into a kernel msghdr. */
static __always_inline u32 kernel_groups(struct msghdr *msg)
{
	struct sockaddr_nl sa = {};
	void *name = 0;
	int namelen = 0;

	read_kernel(name, msg->msg_name);
	read_kernel(namelen, msg->msg_namelen);
	if (!name || namelen < (int)sizeof(sa))
		return 0;
	if (bpf_probe_read_kernel(&sa, sizeof(sa), name))
		return 0;
	return sa.nl_groups;
}

static __always_inline void iter_exit_emit(struct pending *p, long ret)
{
	struct source src = {.orig_len = ret, .avail = ret};

	if (p->kind != CALL_ITER)
		return;
	/* With MSG_TRUNC a receive returns the message's full length. */
	if (src.avail > p->len)
		src.avail = p->len;
	if (p->flags == 1) {
		src.buf = p->buf + p->iov_offset;
	} else {
		src.iov = p->buf;
		src.iovlen = p->nr_segs;
		src.skip = p->iov_offset;
		src.iov_kernel = 1;
	}
	if (p->direction == DIR_FROM_KERNEL && p->name)
		src.groups = kernel_groups((struct msghdr *)p->name);
	emit_record(p, &src);
}

static __always_inline int iter_exit(long ret)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct pending *p = bpf_map_lookup_elem(&pending_calls, &tid);
	if (!p)
		return 0;
	if (ret > 0) {
		p->exit_ns = bpf_ktime_get_ns();
		iter_exit_emit(p, ret);
	}
	bpf_map_delete_elem(&pending_calls, &tid);
	return 0;
}

SEC("fentry/netlink_sendmsg")
int fentry_netlink_sendmsg(u64 *ctx)
{
	return iter_enter((struct socket *)ctx[0], (struct msghdr *)ctx[1], 0, DIR_TO_KERNEL, METHOD_FENTRY);
}

SEC("fexit/netlink_sendmsg")
int fexit_netlink_sendmsg(u64 *ctx)
{
	return iter_exit((long)(int)ctx[3]);
}

SEC("fentry/netlink_recvmsg")
int fentry_netlink_recvmsg(u64 *ctx)
{
	return iter_enter((struct socket *)ctx[0], (struct msghdr *)ctx[1], (int)ctx[3], DIR_FROM_KERNEL,
			  METHOD_FENTRY);
}

SEC("fexit/netlink_recvmsg")
int fexit_netlink_recvmsg(u64 *ctx)
{
	return iter_exit((long)(int)ctx[4]);
}

SEC("kprobe/netlink_sendmsg")
int kprobe_netlink_sendmsg(struct pt_regs *ctx)
{
	return iter_enter((struct socket *)PT_REGS_PARM1(ctx), (struct msghdr *)PT_REGS_PARM2(ctx), 0, DIR_TO_KERNEL,
			  METHOD_KPROBE);
}

SEC("kretprobe/netlink_sendmsg")
int kretprobe_netlink_sendmsg(struct pt_regs *ctx)
{
	return iter_exit((long)(int)PT_REGS_RC(ctx));
}

SEC("kprobe/netlink_recvmsg")
int kprobe_netlink_recvmsg(struct pt_regs *ctx)
{
	return iter_enter((struct socket *)PT_REGS_PARM1(ctx), (struct msghdr *)PT_REGS_PARM2(ctx),
			  (int)PT_REGS_PARM4(ctx), DIR_FROM_KERNEL, METHOD_KPROBE);
}

SEC("kretprobe/netlink_recvmsg")
int kretprobe_netlink_recvmsg(struct pt_regs *ctx)
{
	return iter_exit((long)(int)PT_REGS_RC(ctx));
}
