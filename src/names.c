/* names.c - name<->bit tables (see names.h). */
#define _GNU_SOURCE
#include "names.h"
#include "core/uapi.h"
#include "core/xattr.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#define AT_ENUM(v, n, h) { (v), (n), (h), MOUNT_ATTR__ATIME, 0 }

/* Order and spelling follow /proc/self/mountinfo's per-mount options. */
const struct tn_name tn_mount_attr_names[] = {
	{ 0, "rw", "read-write", MOUNT_ATTR_RDONLY, 0 },
	{ MOUNT_ATTR_RDONLY, "ro", "read-only", MOUNT_ATTR_RDONLY, 0 },
	{ MOUNT_ATTR_NOSUID, "nosuid", "ignore set-user/group-ID bits", 0, 0 },
	{ MOUNT_ATTR_NODEV, "nodev", "no access to device files", 0, 0 },
	{ MOUNT_ATTR_NOEXEC, "noexec", "no program execution", 0, 0 },
	AT_ENUM(MOUNT_ATTR_NOATIME, "noatime", "never update atime"),
	{ MOUNT_ATTR_NODIRATIME, "nodiratime", "no atime updates on directories", 0, 0 },
	AT_ENUM(MOUNT_ATTR_RELATIME, "relatime", "update atime relative to mtime/ctime"),
	AT_ENUM(MOUNT_ATTR_STRICTATIME, "strictatime", "always update atime"),
	{ MOUNT_ATTR_NOSYMFOLLOW, "nosymfollow", "do not follow symlinks", 0, 0 },
	{ MOUNT_ATTR_IDMAP, "idmapped", "idmapped mount", 0, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

const struct tn_name tn_propagation_names[] = {
	{ MS_SHARED, "shared", "share mount events with the peer group", 0, 0 },
	{ MS_SLAVE, "slave", "receive mount events from a master", 0, 0 },
	{ MS_PRIVATE, "private", "no propagation", 0, 0 },
	{ MS_UNBINDABLE, "unbindable", "private, and cannot be bind mounted", 0, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

const struct tn_name tn_statmount_mask_names[] = {
	{ STATMOUNT_SB_BASIC, "sb-basic", "superblock: device, magic, flags (6.8)", 0, 0 },
	{ STATMOUNT_MNT_BASIC, "mnt-basic", "ids, attributes, propagation (6.8)", 0, 0 },
	{ STATMOUNT_PROPAGATE_FROM, "propagate-from", "nearest dominating peer group (6.8)", 0, 0 },
	{ STATMOUNT_MNT_ROOT, "mnt-root", "root of the mount within its filesystem (6.8)", 0, 0 },
	{ STATMOUNT_MNT_POINT, "mnt-point", "mount point (6.8)", 0, 0 },
	{ STATMOUNT_FS_TYPE, "fs-type", "filesystem type (6.8)", 0, 0 },
	{ STATMOUNT_MNT_NS_ID, "mnt-ns-id", "mount namespace id (6.11)", 0, 0 },
	{ STATMOUNT_MNT_OPTS, "mnt-opts", "filesystem options string (6.11)", 0, 0 },
	{ STATMOUNT_FS_SUBTYPE, "fs-subtype", "filesystem subtype (6.13)", 0, 0 },
	{ STATMOUNT_SB_SOURCE, "sb-source", "mount source (6.13)", 0, 0 },
	{ STATMOUNT_OPT_ARRAY, "opt-array", "filesystem options as an array (6.13)", 0, 0 },
	{ STATMOUNT_OPT_SEC_ARRAY, "opt-sec-array", "security options as an array (6.13)", 0, 0 },
	{ STATMOUNT_SUPPORTED_MASK, "supported-mask", "mask bits this kernel supports (6.15)", 0, 0 },
	{ STATMOUNT_MNT_UIDMAP, "mnt-uidmap", "uid mappings of an idmapped mount (6.15)", 0, 0 },
	{ STATMOUNT_MNT_GIDMAP, "mnt-gidmap", "gid mappings of an idmapped mount (6.15)", 0, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

const struct tn_name tn_sb_flag_names[] = {
	{ 0, "rw", "read-write superblock", TN_SB_RDONLY, 0 },
	{ TN_SB_RDONLY, "ro", "read-only superblock", TN_SB_RDONLY, 0 },
	{ TN_SB_SYNCHRONOUS, "sync", "synchronous writes", 0, 0 },
	{ TN_SB_DIRSYNC, "dirsync", "synchronous directory changes", 0, 0 },
	{ TN_SB_LAZYTIME, "lazytime", "lazy timestamp updates", 0, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

#define MAGIC(v, n) { (v), (n), NULL, ~0ULL, 0 }
const struct tn_name tn_fsmagic_names[] = {
	MAGIC(0xadf5, "adfs"), MAGIC(0xadff, "affs"), MAGIC(0x5346414f, "afs"),
	MAGIC(0x0187, "autofs"), MAGIC(0x62646576, "bdevfs"), MAGIC(0x42494e4d, "binfmt_misc"),
	MAGIC(0xcafe4a11, "bpf"), MAGIC(0x9123683e, "btrfs"), MAGIC(0x27e0eb, "cgroup"),
	MAGIC(0x63677270, "cgroup2"), MAGIC(0xff534d42, "cifs"), MAGIC(0x73757245, "coda"),
	MAGIC(0x28cd3d45, "cramfs"), MAGIC(0x64626720, "debugfs"), MAGIC(0x1cd1, "devpts"),
	MAGIC(0xde5e81e4, "efivarfs"), MAGIC(0xf15f, "ecryptfs"), MAGIC(0x2011bab0, "exfat"),
	MAGIC(0xef53, "ext4"), MAGIC(0xf2f52010, "f2fs"), MAGIC(0x65735546, "fuse"),
	MAGIC(0x65735543, "fusectl"), MAGIC(0x01161970, "gfs2"), MAGIC(0x958458f6, "hugetlbfs"),
	MAGIC(0x9660, "isofs"), MAGIC(0x72b6, "jffs2"), MAGIC(0x3153464a, "jfs"),
	MAGIC(0x137f, "minix"), MAGIC(0x4d44, "msdos"), MAGIC(0x11307854, "mtd_inode"),
	MAGIC(0x6969, "nfs"), MAGIC(0x6e736673, "nsfs"), MAGIC(0x3434, "nilfs"),
	MAGIC(0x5346544e, "ntfs"), MAGIC(0x7366746e, "ntfs3"), MAGIC(0x7461636f, "ocfs2"),
	MAGIC(0x794c7630, "overlay"), MAGIC(0x50495045, "pipefs"), MAGIC(0x9fa0, "proc"),
	MAGIC(0x6165676c, "pstore"), MAGIC(0x002f, "qnx4"), MAGIC(0x68191122, "qnx6"),
	MAGIC(0x858458f6, "ramfs"), MAGIC(0x52654973, "reiserfs"), MAGIC(0x7275, "romfs"),
	MAGIC(0x73636673, "securityfs"), MAGIC(0xf97cff8c, "selinuxfs"), MAGIC(0x43415d53, "smackfs"),
	MAGIC(0xfe534d42, "smb2"), MAGIC(0x534f434b, "sockfs"), MAGIC(0x73717368, "squashfs"),
	MAGIC(0x62656572, "sysfs"), MAGIC(0x74726163, "tracefs"), MAGIC(0x01021994, "tmpfs"),
	MAGIC(0x24051905, "ubifs"), MAGIC(0x15013346, "udf"), MAGIC(0x00011954, "ufs"),
	MAGIC(0x01021997, "v9fs"), MAGIC(0xa501fcf5, "vxfs"), MAGIC(0x58465342, "xfs"),
	MAGIC(0x2fc12fc1, "zfs"), MAGIC(0x5a4f4653, "zonefs"), MAGIC(0xca451a4e, "bcachefs"),
	MAGIC(0xe0f5e1e2, "erofs"), MAGIC(0x444d4142, "dmabuf"), MAGIC(0x6e667364, "nfsd"),
	MAGIC(0x19800202, "mqueue"),
	MAGIC(0x5a3c69f0, "aafs"), MAGIC(0x42465331, "befs"), MAGIC(0x62656570, "configfs"),
	 MAGIC(0x2bad1dea, "inotifyfs"), MAGIC(0x50494446, "pidfs"),
	 MAGIC(0xabba1974, "xenfs"),
	{ 0, NULL, NULL, 0, 0 }
};

const struct tn_name tn_statx_mask_names[] = {
	{ TN_STATX_TYPE, "type", "file type (stx_mode & S_IFMT)", 0, 0 },
	{ TN_STATX_MODE, "mode", "permission bits", 0, 0 },
	{ TN_STATX_NLINK, "nlink", "link count", 0, 0 },
	{ TN_STATX_UID, "uid", "owner", 0, 0 },
	{ TN_STATX_GID, "gid", "group", 0, 0 },
	{ TN_STATX_ATIME, "atime", "last access", 0, 0 },
	{ TN_STATX_MTIME, "mtime", "last modification", 0, 0 },
	{ TN_STATX_CTIME, "ctime", "last status change", 0, 0 },
	{ TN_STATX_INO, "ino", "inode number", 0, 0 },
	{ TN_STATX_SIZE, "size", "size in bytes", 0, 0 },
	{ TN_STATX_BLOCKS, "blocks", "512-byte blocks allocated", 0, 0 },
	{ TN_STATX_BASIC_STATS, "basic", "everything stat(2) returns", 0, TN_NAME_ALIAS },
	{ TN_STATX_BTIME, "btime", "creation (birth) time", 0, 0 },
	{ TN_STATX_MNT_ID, "mnt-id", "old mount id (5.8)", 0, 0 },
	{ TN_STATX_DIOALIGN, "dioalign", "direct I/O alignment (6.1)", 0, 0 },
	{ TN_STATX_MNT_ID_UNIQUE, "mnt-id-unique", "unique mount id (6.8)", 0, 0 },
	{ TN_STATX_SUBVOL, "subvol", "subvolume id (6.10)", 0, 0 },
	{ TN_STATX_WRITE_ATOMIC, "write-atomic", "atomic write limits (6.11)", 0, 0 },
	{ TN_STATX_DIO_READ_ALIGN, "dio-read-align", "direct I/O read alignment (6.14)", 0, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

const struct tn_name tn_statx_attr_names[] = {
	{ TN_STATX_ATTR_COMPRESSED, "compressed", "compressed by the filesystem", 0, 0 },
	{ TN_STATX_ATTR_IMMUTABLE, "immutable", "cannot be modified", 0, 0 },
	{ TN_STATX_ATTR_APPEND, "append", "append only", 0, 0 },
	{ TN_STATX_ATTR_NODUMP, "nodump", "not to be dumped", 0, 0 },
	{ TN_STATX_ATTR_ENCRYPTED, "encrypted", "needs a key to decrypt", 0, 0 },
	{ TN_STATX_ATTR_AUTOMOUNT, "automount", "automount trigger", 0, 0 },
	{ TN_STATX_ATTR_MOUNT_ROOT, "mount-root", "root of a mount", 0, 0 },
	{ TN_STATX_ATTR_VERITY, "verity", "fs-verity protected", 0, 0 },
	{ TN_STATX_ATTR_DAX, "dax", "in DAX state", 0, 0 },
	{ TN_STATX_ATTR_WRITE_ATOMIC, "write-atomic", "supports atomic writes", 0, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

const struct tn_name tn_statx_sync_names[] = {
	{ AT_STATX_SYNC_AS_STAT, "as-stat", "do what stat(2) does", AT_STATX_SYNC_TYPE, 0 },
	{ AT_STATX_FORCE_SYNC, "force", "sync attributes with the server", AT_STATX_SYNC_TYPE, 0 },
	{ AT_STATX_DONT_SYNC, "none", "use cached attributes", AT_STATX_SYNC_TYPE, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

const struct tn_name tn_resolve_names[] = {
	{ RESOLVE_NO_XDEV, "no-xdev", "no mount point crossings", 0, 0 },
	{ RESOLVE_NO_MAGICLINKS, "no-magiclinks", "no /proc magic links", 0, 0 },
	{ RESOLVE_NO_SYMLINKS, "no-symlinks", "no symlinks at all", 0, 0 },
	{ RESOLVE_BENEATH, "beneath", "never leave the directory", 0, 0 },
	{ RESOLVE_IN_ROOT, "in-root", "treat the directory as /", 0, 0 },
	{ RESOLVE_CACHED, "cached", "only from the dentry cache (EAGAIN otherwise)", 0, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

#ifndef __O_TMPFILE
#define __O_TMPFILE (O_TMPFILE & ~O_DIRECTORY)
#endif
/* The open flags, in groups: a walk opens existing regular files, so it
 * takes all but creat, excl, trunc, directory and tmpfile. */
#define OPEN_ACCESS \
	{ O_RDONLY, "rdonly", "read only", O_ACCMODE, 0 }, \
	{ O_WRONLY, "wronly", "write only", O_ACCMODE, 0 }, \
	{ O_RDWR, "rdwr", "read and write", O_ACCMODE, 0 },
#define OPEN_IO \
	{ O_APPEND, "append", "append", 0, 0 }, \
	{ O_NONBLOCK, "nonblock", "non-blocking", 0, 0 }, \
	{ O_DSYNC, "dsync", "synchronous data writes", 0, 0 }, \
	{ O_SYNC, "sync", "synchronous writes", 0, 0 }, \
	{ O_DIRECT, "direct", "direct I/O", 0, 0 }, \
	{ O_LARGEFILE, "largefile", "large file", 0, 0 },
#define OPEN_HOW \
	{ O_NOFOLLOW, "nofollow", "fail on a final symlink", 0, 0 }, \
	{ O_NOATIME, "noatime", "do not update atime", 0, 0 }, \
	{ O_CLOEXEC, "cloexec", "close on exec", 0, 0 }, \
	{ O_PATH, "path", "a path-only descriptor", 0, 0 },
#define OPEN_NOCTTY { O_NOCTTY, "noctty", "never a controlling terminal", 0, 0 },
const struct tn_name tn_open_flag_names[] = {
	OPEN_ACCESS
	{ O_CREAT, "creat", "create if missing", 0, 0 },
	{ O_EXCL, "excl", "fail if it exists", 0, 0 },
	OPEN_NOCTTY
	{ O_TRUNC, "trunc", "truncate", 0, 0 },
	OPEN_IO
	{ O_DIRECTORY, "directory", "must be a directory", 0, 0 },
	OPEN_HOW
	{ __O_TMPFILE | O_DIRECTORY, "tmpfile", "unnamed temporary file in the directory", 0, 0 },
	{ 0, NULL, NULL, 0, 0 }
};
const struct tn_name tn_walk_open_flag_names[] = {
	OPEN_ACCESS OPEN_NOCTTY OPEN_IO OPEN_HOW { 0, NULL, NULL, 0, 0 }
};

const struct tn_name tn_move_mount_names[] = { TN_MOVE_MOUNT_FLAGS(TN_NAME_ROW) { 0, NULL, NULL, 0, 0 } };
const struct tn_name tn_rename_names[] = { TN_RENAME_FLAGS(TN_NAME_ROW) { 0, NULL, NULL, 0, 0 } };
/* lazy: umount(8)'s name for MNT_DETACH (--lazy, --flags lazy) */
const struct tn_name tn_umount_names[] = { TN_UMOUNT_FLAGS(TN_NAME_ROW)
	{ MNT_DETACH, "lazy", "the same as detach", 0, TN_NAME_ALIAS }, { 0, NULL, NULL, 0, 0 } };

const struct tn_name tn_handle_flag_names[] = {
	{ AT_HANDLE_FID, "fid", "a handle for identification only (6.5)", 0, 0 },
	{ AT_HANDLE_MNT_ID_UNIQUE, "mnt-id-unique", "return the unique mount id (6.12)", 0, 0 },
	{ AT_HANDLE_CONNECTABLE, "connectable", "a connectable handle (6.13)", 0, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

const struct tn_name tn_access_mode_names[] = {
	{ R_OK, "r", "read (a directory: list it)", 0, 0 },
	{ W_OK, "w", "write (a directory: create and remove in it)", 0, 0 },
	{ X_OK, "x", "execute (a directory: search, pass through it)", 0, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

const struct tn_name tn_xattr_ns_names[] = {
	{ TN_XNS_USER, "user", "user.*: anyone with the file's permissions", 0, 0 },
	{ TN_XNS_TRUSTED, "trusted", "trusted.*: CAP_SYS_ADMIN only", 0, 0 },
	{ TN_XNS_SECURITY, "security", "security.*: LSM labels, file capabilities", 0, 0 },
	{ TN_XNS_SYSTEM, "system", "system.*: POSIX ACLs and other kernel objects", 0, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

const struct tn_name tn_file_type_names[] = {
	{ S_IFREG, "regular", NULL, S_IFMT, 0 },
	{ S_IFDIR, "directory", NULL, S_IFMT, 0 },
	{ S_IFLNK, "symlink", NULL, S_IFMT, 0 },
	{ S_IFCHR, "char-device", NULL, S_IFMT, 0 },
	{ S_IFBLK, "block-device", NULL, S_IFMT, 0 },
	{ S_IFIFO, "fifo", NULL, S_IFMT, 0 },
	{ S_IFSOCK, "socket", NULL, S_IFMT, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

const struct tn_name *names_find(const struct tn_name *t, const char *name, size_t len)
{
	for (; t->name; t++)
		if (strlen(t->name) == len && !strncasecmp(t->name, name, len))
			return t;
	return NULL;
}

const char *names_exact(const struct tn_name *t, uint64_t v)
{
	for (; t->name; t++)
		if (t->val == v && !(t->flags & TN_NAME_ALIAS))
			return t->name;
	return NULL;
}

uint64_t names_all(const struct tn_name *t)
{
	uint64_t v = 0;
	for (; t->name; t++)
		v |= t->mask ? t->mask & t->val : t->val;
	return v;
}

int names_parse(const struct tn_name *t, const char *list, uint64_t *out,
		char *err, size_t errlen)
{
	uint64_t v = 0, enum_seen = 0;
	const char *p = list, *first[64] = { 0 };

	if (!*list) {
		snprintf(err, errlen, "empty list");
		return -1;
	}
	while (*p) {
		size_t n = strcspn(p, ",");
		const struct tn_name *e;

		if (n == 0) {
			snprintf(err, errlen, "empty name in '%s'", list);
			return -1;
		}
		if (p[0] >= '0' && p[0] <= '9') {
			char *end;
			errno = 0;
			unsigned long long x = strtoull(p, &end, 0);
			if (errno || end != p + n) {
				snprintf(err, errlen, "'%.*s' is not a number", (int)n, p);
				return -1;
			}
			v |= x;
		} else if ((e = names_find(t, p, n))) {
			if (e->mask) {
				int slot = __builtin_ctzll(e->mask | (1ULL << 63));
				if (enum_seen & e->mask && (v & e->mask) != e->val) {
					snprintf(err, errlen, "'%s' and '%.*s' contradict each other: choose one",
						 first[slot] ? first[slot] : "?", (int)n, p);
					return -1;
				}
				enum_seen |= e->mask;
				first[slot] = e->name;
				v = (v & ~e->mask) | e->val;
			} else {
				v |= e->val;
			}
		} else {
			struct tn_near near;
			tn_near_init(&near, p, n);
			for (const struct tn_name *q = t; q->name; q++)
				tn_near_add(&near, q->name);
			if (tn_near_best(&near)) {
				snprintf(err, errlen, "unknown name '%.*s'; did you mean '%s'?", (int)n, p,
					 tn_near_best(&near));
				return -1;
			}
			size_t k = 0;
			k += snprintf(err + k, errlen - k, "unknown name '%.*s' (known:", (int)n, p);
			for (const struct tn_name *q = t; q->name && k < errlen; q++)
				k += snprintf(err + k, errlen - k, " %s", q->name);
			if (k < errlen)
				snprintf(err + k, errlen - k, ")");
			return -1;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	*out = v;
	return 0;
}

/* Walk the table, calling emit(name) for each set flag; unknown bits once in hex. */
void names_each(const struct tn_name *t, uint64_t v,
		void (*emit)(void *, const char *), void *ctx)
{
	uint64_t known = 0;

	for (const struct tn_name *e = t; e->name; e++) {
		if (e->flags & TN_NAME_ALIAS)
			continue;
		if (e->mask) {
			known |= e->mask;
			if ((v & e->mask) == e->val)
				emit(ctx, e->name);
		} else if (e->val && (v & e->val) == e->val) {
			known |= e->val;
			emit(ctx, e->name);
		}
	}
	if (v & ~known) {
		char hex[24];
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)(v & ~known));
		emit(ctx, hex);
	}
}

struct fmt_ctx { char *buf; size_t len, pos; };

static void fmt_emit(void *c, const char *name)
{
	struct fmt_ctx *f = c;
	int n = snprintf(f->buf + f->pos, f->pos < f->len ? f->len - f->pos : 0,
			 "%s%s", f->pos ? "," : "", name);
	f->pos += n;
	if (f->pos >= f->len && f->len)
		f->pos = f->len - 1;
}

size_t names_format(const struct tn_name *t, uint64_t v, char *buf, size_t len)
{
	struct fmt_ctx f = { buf, len, 0 };
	if (len)
		buf[0] = 0;
	names_each(t, v, fmt_emit, &f);
	return f.pos;
}

/* ---- "did you mean" (names.h) */

#define NEAR_MAX 64	/* longer words are not compared */

static int fold(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* The optimal string alignment distance of a[0..m) and b[0..n), letters
 * compared without case: insertions, deletions, substitutions and swaps of
 * two adjacent letters cost one each.  Three rows of the table are kept. */
static int osa_distance(const char *a, size_t m, const char *b, size_t n)
{
	int rows[3][NEAR_MAX + 1];
	int *back2 = rows[0], *back = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= n; j++)
		back[j] = (int)j;
	for (size_t i = 1; i <= m; i++) {
		cur[0] = (int)i;
		for (size_t j = 1; j <= n; j++) {
			int v = back[j - 1] + (fold(a[i - 1]) != fold(b[j - 1]));
			if (back[j] + 1 < v)
				v = back[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
			    fold(a[i - 2]) == fold(b[j - 1]) && back2[j - 2] + 1 < v)
				v = back2[j - 2] + 1;
			cur[j] = v;
		}
		int *t = back2;
		back2 = back;
		back = cur;
		cur = t;
	}
	return back[n];
}

void tn_near_init(struct tn_near *n, const char *word, size_t len)
{
	memset(n, 0, sizeof(*n));
	n->word = word;
	n->len = len;
}

void tn_near_add(struct tn_near *n, const char *cand)
{
	size_t cl = strlen(cand);
	if (!n->len || n->len > NEAR_MAX || cl > NEAR_MAX)
		return;
	if (n->best && !strcasecmp(n->best, cand))
		return;		/* the same candidate again (a key spelled as its header) */
	int d;
	if (n->len >= 3 && n->len < cl && !strncasecmp(cand, n->word, n->len)) {
		d = 1;		/* the start of it */
	} else {
		d = osa_distance(n->word, n->len, cand, cl);
		if (d > (int)((cl > n->len ? cl : n->len) / 3))
			return;
	}
	if (!n->best || d < n->dist) {
		n->best = cand;
		n->dist = d;
		n->tie = 0;
	} else if (d == n->dist) {
		n->tie = 1;
	}
}

const char *tn_near_best(const struct tn_near *n)
{
	return n->tie ? NULL : n->best;
}
