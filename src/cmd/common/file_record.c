/* file_record.c - the file record shared by statx, openat2, fhandle and walk. */
#define _GNU_SOURCE
#include "file_record.h"
#include "../../opt.h"
#include "../../util.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SX(x) TN_STATX_##x
const struct tn_col tn_file_cols[] = {
	TN_FILE_COLS_INIT
	{ NULL, NULL, 0, 0, NULL, NULL, 0 }
};

int fc_time_style(const char *arg, enum out_time_style *style)
{
	int t = out_time_style_parse(arg);
	if (t < 0)
		return tn_usage_err("--time-style: '%s' is none of iso8601, full-iso, iso, epoch", arg);
	*style = (enum out_time_style)t;
	return TN_OPT_GO;
}

/* The name of a uid (user) or gid into name[NAME_MAX_LEN]; false when it has
 * none, or a longer one than fits. */
#define NAME_MAX_LEN 64
static bool id_lookup(bool user, uint32_t id, char *name)
{
	char stack[1024], *buf = stack;
	size_t len = sizeof(stack);
	bool found = false;
	for (;;) {
		struct passwd pw, *pp = NULL;
		struct group gr, *gp = NULL;
		int e = user ? getpwuid_r(id, &pw, buf, len, &pp) : getgrgid_r(id, &gr, buf, len, &gp);
		if (e == ERANGE && len < (1u << 22)) {
			/* a group with many members: a larger buffer */
			len *= 4;
			char *nb = realloc(buf == stack ? NULL : buf, len);
			if (!nb)
				break;
			buf = nb;
			continue;
		}
		const char *n = e ? NULL : user ? (pp ? pp->pw_name : NULL) : (gp ? gp->gr_name : NULL);
		if (n && strlen(n) < NAME_MAX_LEN) {
			strcpy(name, n);
			found = true;
		}
		break;
	}
	if (buf != stack)
		free(buf);
	return found;
}

/* A walk asks for the same few owners millions of times, from several
 * threads: each thread keeps its own small cache (no lock), one slot per
 * id modulo its size. */
#define ID_CACHE 64
struct id_slot {
	uint32_t id;
	bool used, named;
	char name[NAME_MAX_LEN];
};
static __thread struct id_slot user_cache[ID_CACHE], group_cache[ID_CACHE];

/* USER or GROUP: the name, as stat -c %U/%G shows it; an id with no name
 * is its number for people (as ls and find show it) and absent in JSON. */
static void emit_id_name(struct out *o, int col, bool user, uint32_t id)
{
	struct id_slot *sl = &(user ? user_cache : group_cache)[id % ID_CACHE];
	if (!sl->used || sl->id != id) {
		sl->named = id_lookup(user, id, sl->name);
		sl->id = id;
		sl->used = true;
	}
	if (sl->named) {
		out_str(o, col, sl->name);
	} else if (!out_is_json(o)) {
		char num[16];
		snprintf(num, sizeof(num), "%u", id);
		out_str(o, col, num);
	}
}

/* Column col of an entry (en, or NULL: none of the context columns) and of
 * its statx (st, or NULL: only the context columns). */
static inline void cell(struct out *o, int col, const struct tn_statx *st,
			const struct fc_entry *en)
{
	switch (col) {
	case SC_PATH: if (en) out_strn(o, col, en->path, en->path_len); return;
	case SC_PARENT: if (en) out_strn(o, col, en->parent, en->parent_len); return;
	case SC_NAME: if (en) out_strn(o, col, en->name, en->name_len); return;
	case SC_ISDIR: if (en && !en->no_type) out_bool(o, col, en->isdir); return;
	case SC_ISREG: if (en && !en->no_type) out_bool(o, col, en->isreg); return;
	case SC_ISLNK: if (en && !en->no_type) out_bool(o, col, en->islnk); return;
	case SC_ISMOUNT: if (en && !en->no_mount) out_bool(o, col, en->ismount); return;
	}
	if (!st)
		return;	/* the context alone */
	uint32_t m = st->stx_mask;
	switch (col) {
	case SC_TYPE:
		if (m & SX(TYPE))
			out_flags(o, SC_TYPE, st->stx_mode & S_IFMT);
		break;
	case SC_MODE:
		if (m & (SX(TYPE) | SX(MODE)))
			out_flags(o, SC_MODE, st->stx_mode);
		break;
	case SC_PERMS:
		if (m & (SX(TYPE) | SX(MODE)))
			out_perms(o, SC_PERMS, st->stx_mode);
		break;
	case SC_NLINK:
		if (m & SX(NLINK))
			out_u64(o, SC_NLINK, st->stx_nlink);
		break;
	case SC_UID:
		if (m & SX(UID))
			out_u64(o, SC_UID, st->stx_uid);
		break;
	case SC_USER:
		if (m & SX(UID))
			emit_id_name(o, SC_USER, true, st->stx_uid);
		break;
	case SC_GID:
		if (m & SX(GID))
			out_u64(o, SC_GID, st->stx_gid);
		break;
	case SC_GROUP:
		if (m & SX(GID))
			emit_id_name(o, SC_GROUP, false, st->stx_gid);
		break;
	case SC_INO:
		if (m & SX(INO))
			out_u64(o, SC_INO, st->stx_ino);
		break;
	case SC_SIZE:
		if (m & SX(SIZE))
			out_u64(o, SC_SIZE, st->stx_size);
		break;
	case SC_BLOCKS:
		if (m & SX(BLOCKS))
			out_u64(o, SC_BLOCKS, st->stx_blocks);
		break;
	case SC_BLKSIZE:	/* unconditional */
		out_u64(o, SC_BLKSIZE, st->stx_blksize);
		break;
	case SC_ATIME:
		if (m & SX(ATIME))
			out_time(o, SC_ATIME, st->stx_atime.tv_sec, st->stx_atime.tv_nsec);
		break;
	case SC_BTIME:
		if (m & SX(BTIME))
			out_time(o, SC_BTIME, st->stx_btime.tv_sec, st->stx_btime.tv_nsec);
		break;
	case SC_CTIME:
		if (m & SX(CTIME))
			out_time(o, SC_CTIME, st->stx_ctime.tv_sec, st->stx_ctime.tv_nsec);
		break;
	case SC_MTIME:
		if (m & SX(MTIME))
			out_time(o, SC_MTIME, st->stx_mtime.tv_sec, st->stx_mtime.tv_nsec);
		break;
	case SC_DEV:	/* unconditional */
		out_dev(o, SC_DEV, st->stx_dev_major, st->stx_dev_minor);
		break;
	case SC_RDEV:
		if ((m & SX(TYPE)) && (S_ISCHR(st->stx_mode) || S_ISBLK(st->stx_mode)))
			out_dev(o, SC_RDEV, st->stx_rdev_major, st->stx_rdev_minor);
		break;
	case SC_MNT_ID:
		if (m & (SX(MNT_ID) | SX(MNT_ID_UNIQUE)))
			out_u64(o, SC_MNT_ID, st->stx_mnt_id);
		break;
	case SC_ATTR:	/* unconditional */
		out_flags(o, SC_ATTR, st->stx_attributes);
		break;
	case SC_ATTR_MASK:
		out_flags(o, SC_ATTR_MASK, st->stx_attributes_mask);
		break;
	case SC_DIO_MEM_ALIGN:
		if (m & SX(DIOALIGN))
			out_u64(o, SC_DIO_MEM_ALIGN, st->stx_dio_mem_align);
		break;
	case SC_DIO_OFFSET_ALIGN:
		if (m & SX(DIOALIGN))
			out_u64(o, SC_DIO_OFFSET_ALIGN, st->stx_dio_offset_align);
		break;
	case SC_DIO_READ_ALIGN:
		if (m & SX(DIO_READ_ALIGN))
			out_u64(o, SC_DIO_READ_ALIGN, st->stx_dio_read_offset_align);
		break;
	case SC_SUBVOL:
		if (m & SX(SUBVOL))
			out_u64(o, SC_SUBVOL, st->stx_subvol);
		break;
	case SC_AWU_MIN:
		if (m & SX(WRITE_ATOMIC))
			out_u64(o, SC_AWU_MIN, st->stx_atomic_write_unit_min);
		break;
	case SC_AWU_MAX:
		if (m & SX(WRITE_ATOMIC))
			out_u64(o, SC_AWU_MAX, st->stx_atomic_write_unit_max);
		break;
	case SC_AWU_MAX_OPT:
		if (m & SX(WRITE_ATOMIC))
			out_u64(o, SC_AWU_MAX_OPT, st->stx_atomic_write_unit_max_opt);
		break;
	case SC_AW_SEGMENTS_MAX:
		if (m & SX(WRITE_ATOMIC))
			out_u64(o, SC_AW_SEGMENTS_MAX, st->stx_atomic_write_segments_max);
		break;
	case SC_MASK:
		out_flags(o, SC_MASK, st->stx_mask);
		break;
	default:	/* the command's own columns */
		break;
	}
}

void statxrec_emit_entry(struct out *o, const struct tn_statx *st, const struct fc_entry *en)
{
	int n;
	const int *sel = out_cols(o, &n);
	for (int k = 0; k < n; k++)
		cell(o, sel[k], st, en);
}

void statxrec_emit(struct out *o, const struct tn_statx *st)
{
	statxrec_emit_entry(o, st, NULL);
}

void fc_entry_of(struct fc_entry *en, const char *path, const struct tn_statx *st)
{
	size_t n = strlen(path);
	memset(en, 0, sizeof(*en));
	en->path = path;
	en->path_len = n;
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t k = n;
	while (k > 0 && path[k - 1] != '/')
		k--;
	en->name = path + k;
	en->name_len = n - k;
	if (k == 0) {
		en->parent = ".";
		en->parent_len = 1;
	} else {
		size_t p = k;
		while (p > 1 && path[p - 1] == '/')
			p--;
		en->parent = path;
		en->parent_len = p;
	}
	en->no_type = !(st->stx_mask & TN_STATX_TYPE);
	en->isdir = S_ISDIR(st->stx_mode);
	en->isreg = S_ISREG(st->stx_mode);
	en->islnk = S_ISLNK(st->stx_mode);
	en->no_mount = !(st->stx_attributes_mask & TN_STATX_ATTR_MOUNT_ROOT);
	en->ismount = (st->stx_attributes & TN_STATX_ATTR_MOUNT_ROOT) != 0;
}

void fc_emit_context(struct out *o, const char *path, const struct tn_statx *st)
{
	struct fc_entry en;
	int n;
	const int *sel = out_cols(o, &n);
	fc_entry_of(&en, path, st);
	for (int k = 0; k < n; k++)
		cell(o, sel[k], NULL, &en);
}
