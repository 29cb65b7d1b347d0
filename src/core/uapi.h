/* SPDX-License-Identifier: MIT
 * uapi.h - kernel interfaces newer than the build's headers (Debian 12: 6.1).
 *
 * Every definition is guarded so that newer system headers win.  Layouts are
 * checked against include/uapi/linux/{mount,stat,fcntl,openat2,nsfs}.h of
 * Linux 6.18 and pinned by the static assertions at the end of this file.
 */
#ifndef TNOS_UAPI_H
#define TNOS_UAPI_H

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/types.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <linux/nsfs.h>

/* ---- syscall numbers.  Since Linux 5.1 (number 424 on) a new syscall has
 * the same number on every arch that uses the asm-generic numbering, but not
 * on all: alpha adds 110, mips 4000/5000/6000 (o32/n64/n32), ia64 added 1024
 * and x32 sets __X32_SYSCALL_BIT.  The fallbacks below are asm-generic
 * numbers, so they are defined only where those hold; elsewhere the system's
 * kernel headers must know every one of these syscalls. */
#if !defined(__alpha__) && !defined(__mips__) && !defined(__ia64__) && \
	!(defined(__x86_64__) && defined(__ILP32__))
#ifndef __NR_open_tree
#define __NR_open_tree 428
#endif
#ifndef __NR_move_mount
#define __NR_move_mount 429
#endif
#ifndef __NR_fsopen
#define __NR_fsopen 430
#endif
#ifndef __NR_fsconfig
#define __NR_fsconfig 431
#endif
#ifndef __NR_fsmount
#define __NR_fsmount 432
#endif
#ifndef __NR_fspick
#define __NR_fspick 433
#endif
#ifndef __NR_openat2
#define __NR_openat2 437
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif
#ifndef __NR_statmount
#define __NR_statmount 457
#endif
#ifndef __NR_listmount
#define __NR_listmount 458
#endif
#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef __NR_pidfd_getfd
#define __NR_pidfd_getfd 438
#endif
#ifndef __NR_open_tree_attr
#define __NR_open_tree_attr 467	/* 6.15 */
#endif
#endif
#if !defined(__NR_open_tree) || !defined(__NR_move_mount) || !defined(__NR_fsopen) || \
	!defined(__NR_fsconfig) || !defined(__NR_fsmount) || !defined(__NR_fspick) || \
	!defined(__NR_openat2) || !defined(__NR_mount_setattr) || \
	!defined(__NR_statmount) || !defined(__NR_listmount)
#error "this arch numbers new syscalls its own way and its kernel headers lack listmount, statmount or an older mount syscall: build with Linux 6.8 or newer headers"
#endif

/* ---- mount.h: open_tree / move_mount / fsopen / fspick / fsmount */
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef OPEN_TREE_NAMESPACE
#define OPEN_TREE_NAMESPACE (1 << 1)	/* Linux 6.19 */
#endif
#ifndef MOVE_MOUNT_F_SYMLINKS
#define MOVE_MOUNT_F_SYMLINKS   0x00000001
#define MOVE_MOUNT_F_AUTOMOUNTS 0x00000002
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#define MOVE_MOUNT_T_SYMLINKS   0x00000010
#define MOVE_MOUNT_T_AUTOMOUNTS 0x00000020
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif
#ifndef MOVE_MOUNT_SET_GROUP
#define MOVE_MOUNT_SET_GROUP 0x00000100	/* Linux 5.15 */
#endif
#ifndef MOVE_MOUNT_BENEATH
#define MOVE_MOUNT_BENEATH 0x00000200	/* Linux 6.5 */
#endif
#ifndef FSOPEN_CLOEXEC
#define FSOPEN_CLOEXEC 0x00000001
#endif
#ifndef FSPICK_CLOEXEC
#define FSPICK_CLOEXEC          0x00000001
#define FSPICK_SYMLINK_NOFOLLOW 0x00000002
#define FSPICK_NO_AUTOMOUNT     0x00000004
#define FSPICK_EMPTY_PATH       0x00000008
#endif
#ifndef FSMOUNT_CLOEXEC
#define FSMOUNT_CLOEXEC 0x00000001
#endif
#ifndef FSMOUNT_NAMESPACE
#define FSMOUNT_NAMESPACE 0x00000002	/* Linux 6.19 */
#endif
/* enum fsconfig_command is in 6.1 headers except the last value. */
#define TN_FSCONFIG_SET_FLAG        0
#define TN_FSCONFIG_SET_STRING      1
#define TN_FSCONFIG_SET_BINARY      2
#define TN_FSCONFIG_SET_PATH        3
#define TN_FSCONFIG_SET_PATH_EMPTY  4
#define TN_FSCONFIG_SET_FD          5
#define TN_FSCONFIG_CMD_CREATE      6
#define TN_FSCONFIG_CMD_RECONFIGURE 7
#define TN_FSCONFIG_CMD_CREATE_EXCL 8	/* Linux 6.6 */

/* ---- mount attributes (mount_setattr, fsmount) */
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY      0x00000001
#define MOUNT_ATTR_NOSUID      0x00000002
#define MOUNT_ATTR_NODEV       0x00000004
#define MOUNT_ATTR_NOEXEC      0x00000008
#define MOUNT_ATTR__ATIME      0x00000070
#define MOUNT_ATTR_RELATIME    0x00000000
#define MOUNT_ATTR_NOATIME     0x00000010
#define MOUNT_ATTR_STRICTATIME 0x00000020
#define MOUNT_ATTR_NODIRATIME  0x00000080
#endif
#ifndef MOUNT_ATTR_IDMAP
#define MOUNT_ATTR_IDMAP 0x00100000
#endif
#ifndef MOUNT_ATTR_NOSYMFOLLOW
#define MOUNT_ATTR_NOSYMFOLLOW 0x00200000
#endif
#ifndef MOUNT_ATTR_SIZE_VER0
#define MOUNT_ATTR_SIZE_VER0 32
#endif
/* struct mount_attr is in the 6.1 headers. */

/* ---- statmount / listmount (Linux 6.8; fields up to 6.18) */
struct tn_statmount {
	__u32 size;		/* total size, including strings */
	__u32 mnt_opts;		/* [str] options (6.10) */
	__u64 mask;		/* what results were written */
	__u32 sb_dev_major;
	__u32 sb_dev_minor;
	__u64 sb_magic;
	__u32 sb_flags;		/* SB_{RDONLY,SYNCHRONOUS,DIRSYNC,LAZYTIME} */
	__u32 fs_type;		/* [str] */
	__u64 mnt_id;		/* unique id */
	__u64 mnt_parent_id;
	__u32 mnt_id_old;	/* the id shown in mountinfo */
	__u32 mnt_parent_id_old;
	__u64 mnt_attr;		/* MOUNT_ATTR_* */
	__u64 mnt_propagation;	/* MS_{SHARED,SLAVE,PRIVATE,UNBINDABLE} */
	__u64 mnt_peer_group;
	__u64 mnt_master;
	__u64 propagate_from;
	__u32 mnt_root;		/* [str] */
	__u32 mnt_point;	/* [str] */
	__u64 mnt_ns_id;	/* 6.11 */
	__u32 fs_subtype;	/* [str] 6.13 */
	__u32 sb_source;	/* [str] 6.13 */
	__u32 opt_num;		/* 6.13 */
	__u32 opt_array;	/* [str] nul-separated */
	__u32 opt_sec_num;	/* 6.13 */
	__u32 opt_sec_array;	/* [str] nul-separated */
	__u64 supported_mask;	/* 6.15 */
	__u32 mnt_uidmap_num;	/* 6.15 */
	__u32 mnt_uidmap;	/* [str] nul-separated */
	__u32 mnt_gidmap_num;
	__u32 mnt_gidmap;	/* [str] nul-separated */
	__u64 __spare2[43];
	char str[];
};

struct tn_mnt_id_req {
	__u32 size;
	__u32 mnt_ns_fd;	/* 6.18; 0 = use mnt_ns_id; with STATMOUNT_BY_FD (7.0) the mount fd */
	__u64 mnt_id;
	__u64 param;
	__u64 mnt_ns_id;	/* 6.11, MNT_ID_REQ_SIZE_VER1 */
};
#ifndef MNT_ID_REQ_SIZE_VER0
#define MNT_ID_REQ_SIZE_VER0 24
#endif
#ifndef MNT_ID_REQ_SIZE_VER1
#define MNT_ID_REQ_SIZE_VER1 32
#endif

#ifndef STATMOUNT_SB_BASIC
#define STATMOUNT_SB_BASIC       0x00000001U
#define STATMOUNT_MNT_BASIC      0x00000002U
#define STATMOUNT_PROPAGATE_FROM 0x00000004U
#define STATMOUNT_MNT_ROOT       0x00000008U
#define STATMOUNT_MNT_POINT      0x00000010U
#define STATMOUNT_FS_TYPE        0x00000020U
#endif
#ifndef STATMOUNT_MNT_NS_ID
#define STATMOUNT_MNT_NS_ID      0x00000040U	/* 6.11 */
#endif
#ifndef STATMOUNT_MNT_OPTS
#define STATMOUNT_MNT_OPTS       0x00000080U	/* 6.11 */
#endif
#ifndef STATMOUNT_FS_SUBTYPE
#define STATMOUNT_FS_SUBTYPE     0x00000100U	/* 6.13 */
#endif
#ifndef STATMOUNT_SB_SOURCE
#define STATMOUNT_SB_SOURCE      0x00000200U	/* 6.13 */
#endif
#ifndef STATMOUNT_OPT_ARRAY
#define STATMOUNT_OPT_ARRAY      0x00000400U	/* 6.13 */
#endif
#ifndef STATMOUNT_OPT_SEC_ARRAY
#define STATMOUNT_OPT_SEC_ARRAY  0x00000800U	/* 6.13 */
#endif
#ifndef STATMOUNT_SUPPORTED_MASK
#define STATMOUNT_SUPPORTED_MASK 0x00001000U	/* 6.15 */
#endif
#ifndef STATMOUNT_MNT_UIDMAP
#define STATMOUNT_MNT_UIDMAP     0x00002000U	/* 6.15 */
#endif
#ifndef STATMOUNT_MNT_GIDMAP
#define STATMOUNT_MNT_GIDMAP     0x00004000U	/* 6.15 */
#endif
#ifndef STATMOUNT_BY_FD
#define STATMOUNT_BY_FD          0x00000001U	/* statmount flag, 7.0 */
#endif
#ifndef LSMT_ROOT
#define LSMT_ROOT 0xffffffffffffffffULL
#endif
#ifndef LISTMOUNT_REVERSE
#define LISTMOUNT_REVERSE (1 << 0)	/* 6.11 */
#endif

/* superblock flags as statmount reports them */
#define TN_SB_RDONLY      0x00000001
#define TN_SB_SYNCHRONOUS 0x00000010
#define TN_SB_DIRSYNC     0x00000080
#define TN_SB_LAZYTIME    0x02000000

/* ---- nsfs.h */
#ifndef NSIO
#define NSIO 0xb7
#endif
#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID _IOR(NSIO, 5, __u64)	/* 6.9 */
#endif
#ifndef NS_GET_NSTYPE
#define NS_GET_NSTYPE _IO(NSIO, 0x3)
#endif
#ifndef NS_MNT_GET_INFO
struct mnt_ns_info {
	__u32 size;
	__u32 nr_mounts;
	__u64 mnt_ns_id;
};
#define MNT_NS_INFO_SIZE_VER0 16
#define NS_MNT_GET_INFO _IOR(NSIO, 10, struct mnt_ns_info)	/* 6.12 */
#define NS_MNT_GET_NEXT _IOR(NSIO, 11, struct mnt_ns_info)
#define NS_MNT_GET_PREV _IOR(NSIO, 12, struct mnt_ns_info)
#endif

/* ---- pidfd.h: a thread's own pidfd (6.9); a process's namespaces
 * through its pidfd (6.11) */
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif
#ifndef PIDFS_IOCTL_MAGIC
#define PIDFS_IOCTL_MAGIC 0xFF
#endif
#ifndef PIDFD_GET_MNT_NAMESPACE
#define PIDFD_GET_MNT_NAMESPACE _IO(PIDFS_IOCTL_MAGIC, 3)
#endif
#ifndef PIDFD_GET_USER_NAMESPACE
#define PIDFD_GET_USER_NAMESPACE _IO(PIDFS_IOCTL_MAGIC, 9)
#endif

/* ---- openat2.h */
#ifndef RESOLVE_NO_XDEV
#define RESOLVE_NO_XDEV       0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS   0x04
#define RESOLVE_BENEATH       0x08
#define RESOLVE_IN_ROOT       0x10
#endif
#ifndef RESOLVE_CACHED
#define RESOLVE_CACHED        0x20	/* 5.12 */
#endif
/* struct open_how is in the 6.1 headers (5.6). */

/* ---- stat.h: statx through 6.18 */
struct tn_statx_timestamp {
	__s64 tv_sec;
	__u32 tv_nsec;
	__s32 __reserved;
};

struct tn_statx {
	__u32 stx_mask;
	__u32 stx_blksize;
	__u64 stx_attributes;
	__u32 stx_nlink;
	__u32 stx_uid;
	__u32 stx_gid;
	__u16 stx_mode;
	__u16 __spare0[1];
	__u64 stx_ino;
	__u64 stx_size;
	__u64 stx_blocks;
	__u64 stx_attributes_mask;
	struct tn_statx_timestamp stx_atime;
	struct tn_statx_timestamp stx_btime;
	struct tn_statx_timestamp stx_ctime;
	struct tn_statx_timestamp stx_mtime;
	__u32 stx_rdev_major;
	__u32 stx_rdev_minor;
	__u32 stx_dev_major;
	__u32 stx_dev_minor;
	__u64 stx_mnt_id;
	__u32 stx_dio_mem_align;		/* 6.1 */
	__u32 stx_dio_offset_align;
	__u64 stx_subvol;			/* 6.10 */
	__u32 stx_atomic_write_unit_min;	/* 6.11 */
	__u32 stx_atomic_write_unit_max;
	__u32 stx_atomic_write_segments_max;
	__u32 stx_dio_read_offset_align;	/* 6.14 */
	__u32 stx_atomic_write_unit_max_opt;	/* 6.16 */
	__u32 __spare2[1];
	__u64 __spare3[8];
};

#define TN_STATX_TYPE            0x00000001U
#define TN_STATX_MODE            0x00000002U
#define TN_STATX_NLINK           0x00000004U
#define TN_STATX_UID             0x00000008U
#define TN_STATX_GID             0x00000010U
#define TN_STATX_ATIME           0x00000020U
#define TN_STATX_MTIME           0x00000040U
#define TN_STATX_CTIME           0x00000080U
#define TN_STATX_INO             0x00000100U
#define TN_STATX_SIZE            0x00000200U
#define TN_STATX_BLOCKS          0x00000400U
#define TN_STATX_BASIC_STATS     0x000007ffU
#define TN_STATX_BTIME           0x00000800U
#define TN_STATX_MNT_ID          0x00001000U	/* 5.8 */
#define TN_STATX_DIOALIGN        0x00002000U	/* 6.1 */
#define TN_STATX_MNT_ID_UNIQUE   0x00004000U	/* 6.8 */
#define TN_STATX_SUBVOL          0x00008000U	/* 6.10 */
#define TN_STATX_WRITE_ATOMIC    0x00010000U	/* 6.11 */
#define TN_STATX_DIO_READ_ALIGN  0x00020000U	/* 6.14 */

#define TN_STATX_ATTR_COMPRESSED   0x00000004
#define TN_STATX_ATTR_IMMUTABLE    0x00000010
#define TN_STATX_ATTR_APPEND       0x00000020
#define TN_STATX_ATTR_NODUMP       0x00000040
#define TN_STATX_ATTR_ENCRYPTED    0x00000800
#define TN_STATX_ATTR_AUTOMOUNT    0x00001000
#define TN_STATX_ATTR_MOUNT_ROOT   0x00002000
#define TN_STATX_ATTR_VERITY       0x00100000
#define TN_STATX_ATTR_DAX          0x00200000
#define TN_STATX_ATTR_WRITE_ATOMIC 0x00400000

#ifndef AT_STATX_SYNC_TYPE
#define AT_STATX_SYNC_TYPE    0x6000
#define AT_STATX_SYNC_AS_STAT 0x0000
#define AT_STATX_FORCE_SYNC   0x2000
#define AT_STATX_DONT_SYNC    0x4000
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

/* ---- fcntl.h: file handles */
#ifndef AT_HANDLE_FID
#define AT_HANDLE_FID 0x200			/* 6.5 */
#endif
#ifndef AT_HANDLE_MNT_ID_UNIQUE
#define AT_HANDLE_MNT_ID_UNIQUE 0x001		/* 6.12 */
#endif
#ifndef AT_HANDLE_CONNECTABLE
#define AT_HANDLE_CONNECTABLE 0x002		/* 6.13 */
#endif
#ifndef MAX_HANDLE_SZ
#define MAX_HANDLE_SZ 128
#endif

/* ---- layout pins (offsets from the kernel's own comments and headers) */
_Static_assert(sizeof(struct tn_mnt_id_req) == MNT_ID_REQ_SIZE_VER1, "mnt_id_req");
_Static_assert(offsetof(struct tn_mnt_id_req, mnt_id) == 8, "mnt_id_req.mnt_id");
_Static_assert(offsetof(struct tn_mnt_id_req, param) == 16, "mnt_id_req.param");
_Static_assert(offsetof(struct tn_mnt_id_req, mnt_ns_id) == 24, "mnt_id_req.mnt_ns_id");
_Static_assert(sizeof(struct tn_statmount) == 512, "statmount size");
_Static_assert(offsetof(struct tn_statmount, mask) == 8, "statmount.mask");
_Static_assert(offsetof(struct tn_statmount, sb_magic) == 24, "statmount.sb_magic");
_Static_assert(offsetof(struct tn_statmount, mnt_id) == 40, "statmount.mnt_id");
_Static_assert(offsetof(struct tn_statmount, mnt_id_old) == 56, "statmount.mnt_id_old");
_Static_assert(offsetof(struct tn_statmount, mnt_attr) == 64, "statmount.mnt_attr");
_Static_assert(offsetof(struct tn_statmount, mnt_root) == 104, "statmount.mnt_root");
_Static_assert(offsetof(struct tn_statmount, mnt_ns_id) == 112, "statmount.mnt_ns_id");
_Static_assert(offsetof(struct tn_statmount, fs_subtype) == 120, "statmount.fs_subtype");
_Static_assert(offsetof(struct tn_statmount, supported_mask) == 144, "statmount.supported_mask");
_Static_assert(offsetof(struct tn_statmount, mnt_gidmap) == 164, "statmount.mnt_gidmap");
_Static_assert(offsetof(struct tn_statmount, str) == 512, "statmount.str");
_Static_assert(sizeof(struct tn_statx) == 0x100, "statx size");
_Static_assert(offsetof(struct tn_statx, stx_atime) == 0x40, "statx.stx_atime");
_Static_assert(offsetof(struct tn_statx, stx_rdev_major) == 0x80, "statx.stx_rdev_major");
_Static_assert(offsetof(struct tn_statx, stx_mnt_id) == 0x90, "statx.stx_mnt_id");
_Static_assert(offsetof(struct tn_statx, stx_subvol) == 0xa0, "statx.stx_subvol");
_Static_assert(offsetof(struct tn_statx, stx_atomic_write_segments_max) == 0xb0, "statx.segments");
_Static_assert(offsetof(struct tn_statx, stx_atomic_write_unit_max_opt) == 0xb8, "statx.max_opt");
_Static_assert(offsetof(struct tn_statx, __spare3) == 0xc0, "statx.spare3");
_Static_assert(sizeof(struct open_how) == 24, "open_how");
_Static_assert(sizeof(struct mount_attr) == MOUNT_ATTR_SIZE_VER0, "mount_attr");
_Static_assert(sizeof(struct mnt_ns_info) == MNT_NS_INFO_SIZE_VER0, "mnt_ns_info");

/* renameat2(2) flags (include/uapi/linux/fs.h), under tnos names so that
 * <stdio.h> with _GNU_SOURCE and <linux/fs.h> can both be included. */
#define TN_RENAME_NOREPLACE (1U << 0)
#define TN_RENAME_EXCHANGE  (1U << 1)
#define TN_RENAME_WHITEOUT  (1U << 2)

/* Mount notification through fanotify (Linux 6.15): include/uapi/linux/fanotify.h. */
#include <linux/fanotify.h>
#ifndef FAN_REPORT_MNT
#define FAN_REPORT_MNT 0x00004000	/* fanotify_init: report mount events */
#endif
#ifndef FAN_MARK_MNTNS
#define FAN_MARK_MNTNS 0x00000110	/* fanotify_mark: the object is a mount namespace (nsfs fd) */
#endif
#ifndef FAN_MNT_ATTACH
#define FAN_MNT_ATTACH 0x01000000	/* a mount was attached (both bits: moved) */
#endif
#ifndef FAN_MNT_DETACH
#define FAN_MNT_DETACH 0x02000000	/* a mount was detached */
#endif
#ifndef FAN_EVENT_INFO_TYPE_MNT
#define FAN_EVENT_INFO_TYPE_MNT 7
#endif
/* The info record of a mount event (struct fanotify_event_info_mnt). */
struct tn_fan_info_mnt {
	struct fanotify_event_info_header hdr;
	__u64 mnt_id;		/* unique mount id */
};
/* The same layout as the kernel's own struct on every arch (mnt_id at 8
 * where __u64 is 8-aligned, at 4 on i386): the compiler lays out both. */
_Static_assert(offsetof(struct tn_fan_info_mnt, mnt_id) >= sizeof(struct fanotify_event_info_header),
	       "fanotify_event_info_mnt.mnt_id");

#endif
