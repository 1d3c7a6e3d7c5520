/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * The few kernel types nltrace's BPF programs read, declared for CO-RE:
 * every struct carries preserve_access_index, so clang records each field
 * access as a relocation and the loader fixes the offsets against the running
 * kernel's BTF (/sys/kernel/btf/vmlinux). Only the fields we read are listed;
 * their order and the padding do not matter.
 */
#ifndef NLTRACE_KERNEL_H
#define NLTRACE_KERNEL_H

/* bpf_tracing.h then names the registers as the kernel does (di, si, ...). */
#define __VMLINUX_H__

typedef unsigned char __u8;
typedef signed char __s8;
typedef unsigned short __u16;
typedef short __s16;
typedef unsigned int __u32;
typedef int __s32;
typedef unsigned long long __u64;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s64 s64;
typedef _Bool bool;
typedef unsigned long size_t;

enum {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_RINGBUF = 27,
};



enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
};

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

#if defined(__TARGET_ARCH_arm64)
/* arm64 register frame (arch/arm64/include/asm/ptrace.h): the kernel's
 * pt_regs starts with user_pt_regs inside an anonymous union, which CO-RE
 * finds by field name; bpf_tracing.h's PT_REGS_* read user_pt_regs. */
struct user_pt_regs {
	u64 regs[31];
	u64 sp, pc, pstate;
};

struct pt_regs {
	u64 regs[31];
	u64 sp, pc, pstate;
	u64 orig_x0;
	__s32 syscallno;
};
#else
/* x86-64 register frame, as kprobes see it. */
struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	unsigned long ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
};
#endif

struct qstr;

struct ns_common {
	unsigned int inum;
};

struct net {
	struct ns_common ns;
};

typedef struct {
	struct net *net;
} possible_net_t;

struct sock_common {
	unsigned short skc_family;
	possible_net_t skc_net;
};

struct sock {
	struct sock_common __sk_common;
	u16 sk_protocol;
};

struct netlink_sock {
	struct sock sk;
	u32 portid;
};

struct socket {
	struct sock *sk;
};

struct inode {
	unsigned short i_mode;
};

struct file_operations;

struct file {
	const struct file_operations *f_op;
	struct inode *f_inode;
	void *private_data;
};

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
};

typedef struct {
	int counter;
} atomic_t;

struct files_struct {
	atomic_t count;
	struct fdtable *fdt;
};

struct thread_info {
#if defined(__TARGET_ARCH_arm64)
	unsigned long flags;
#else
	u32 status;
#endif
};

struct task_struct {
	struct thread_info thread_info;
	u64 start_time;
	unsigned long nvcsw;
	unsigned long nivcsw;
	int pid;
	int tgid;
	struct files_struct *files;
};

struct iovec {
	void *iov_base;
	size_t iov_len;
};

/* struct iov_iter as of Linux 6.4+ (the iovec pointer is named __iov). */
struct iov_iter {
	u8 iter_type;
	size_t iov_offset;
	size_t count;
	const struct iovec *__iov;
	void *ubuf;
	unsigned long nr_segs;
};

/* struct iov_iter as of Linux 6.0 to 6.3 (the iovec pointer is named iov). */
struct iov_iter___v60 {
	u8 iter_type;
	size_t iov_offset;
	size_t count;
	const struct iovec *iov;
	void *ubuf;
	unsigned long nr_segs;
};

enum iter_type {
	ITER_UBUF,
	ITER_IOVEC,
};

struct msghdr {
	void *msg_name;
	int msg_namelen;
	struct iov_iter msg_iter;
};

#pragma clang attribute pop

/* User-space layouts (uapi, fixed): read with bpf_probe_read_user. */
struct user_msghdr {
	void *msg_name;
	int msg_namelen;
	struct iovec *msg_iov;
	size_t msg_iovlen;
	void *msg_control;
	size_t msg_controllen;
	unsigned int msg_flags;
};

struct mmsghdr {
	struct user_msghdr msg_hdr;
	unsigned int msg_len;
};

struct sockaddr_nl {
	unsigned short nl_family;
	unsigned short nl_pad;
	u32 nl_pid;
	u32 nl_groups;
};

#define AF_NETLINK 16
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define MSG_PEEK 2
#define MSG_TRUNC 0x20

/* bpf_loop is newer than the helper list shipped next to this file. */
static long (*bpf_loop)(__u32 nr_loops, void *callback_fn, void *callback_ctx, __u64 flags) = (void *)181;

#define core_field_exists(field) __builtin_preserve_field_info(field, 2 /* BPF_FIELD_EXISTS */)
#define core_enum_value(enum_type, enumerator) \
	__builtin_preserve_enum_value(*(typeof(enum_type) *)enumerator, 1 /* BPF_ENUMVAL_VALUE */)

/* read_kernel reads one kernel field through a CO-RE relocated address. */
#define read_kernel(dst, src) bpf_probe_read_kernel(&(dst), sizeof(dst), &(src))

#endif
