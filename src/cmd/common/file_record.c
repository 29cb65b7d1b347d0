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

void statxrec_emit(struct out *o, const struct tn_statx *st)
{
	uint32_t m = st->stx_mask;

	if (m & SX(TYPE))
		out_flags(o, SC_TYPE, st->stx_mode & S_IFMT);
	if (m & (SX(TYPE) | SX(MODE))) {
		out_flags(o, SC_MODE, st->stx_mode);
		if (out_want(o, SC_PERMS)) {
			char perms[11];
			tn_mode_string(st->stx_mode, perms);
			out_str(o, SC_PERMS, perms);
		}
	}
	if (m & SX(NLINK))
		out_u64(o, SC_NLINK, st->stx_nlink);
	if (m & SX(UID)) {
		out_u64(o, SC_UID, st->stx_uid);
		if (out_want(o, SC_USER))
			emit_id_name(o, SC_USER, true, st->stx_uid);
	}
	if (m & SX(GID)) {
		out_u64(o, SC_GID, st->stx_gid);
		if (out_want(o, SC_GROUP))
			emit_id_name(o, SC_GROUP, false, st->stx_gid);
	}
	if (m & SX(INO))
		out_u64(o, SC_INO, st->stx_ino);
	if (m & SX(SIZE))
		out_u64(o, SC_SIZE, st->stx_size);
	if (m & SX(BLOCKS))
		out_u64(o, SC_BLOCKS, st->stx_blocks);
	out_u64(o, SC_BLKSIZE, st->stx_blksize);	/* unconditional */
	if (m & SX(ATIME))
		out_time(o, SC_ATIME, st->stx_atime.tv_sec, st->stx_atime.tv_nsec);
	if (m & SX(BTIME))
		out_time(o, SC_BTIME, st->stx_btime.tv_sec, st->stx_btime.tv_nsec);
	if (m & SX(CTIME))
		out_time(o, SC_CTIME, st->stx_ctime.tv_sec, st->stx_ctime.tv_nsec);
	if (m & SX(MTIME))
		out_time(o, SC_MTIME, st->stx_mtime.tv_sec, st->stx_mtime.tv_nsec);
	out_dev(o, SC_DEV, st->stx_dev_major, st->stx_dev_minor);	/* unconditional */
	if ((m & SX(TYPE)) && (S_ISCHR(st->stx_mode) || S_ISBLK(st->stx_mode)))
		out_dev(o, SC_RDEV, st->stx_rdev_major, st->stx_rdev_minor);
	if (m & (SX(MNT_ID) | SX(MNT_ID_UNIQUE)))
		out_u64(o, SC_MNT_ID, st->stx_mnt_id);
	out_flags(o, SC_ATTR, st->stx_attributes);	/* unconditional */
	out_flags(o, SC_ATTR_MASK, st->stx_attributes_mask);
	if (m & SX(DIOALIGN)) {
		out_u64(o, SC_DIO_MEM_ALIGN, st->stx_dio_mem_align);
		out_u64(o, SC_DIO_OFFSET_ALIGN, st->stx_dio_offset_align);
	}
	if (m & SX(DIO_READ_ALIGN))
		out_u64(o, SC_DIO_READ_ALIGN, st->stx_dio_read_offset_align);
	if (m & SX(SUBVOL))
		out_u64(o, SC_SUBVOL, st->stx_subvol);
	if (m & SX(WRITE_ATOMIC)) {
		out_u64(o, SC_AWU_MIN, st->stx_atomic_write_unit_min);
		out_u64(o, SC_AWU_MAX, st->stx_atomic_write_unit_max);
		out_u64(o, SC_AWU_MAX_OPT, st->stx_atomic_write_unit_max_opt);
		out_u64(o, SC_AW_SEGMENTS_MAX, st->stx_atomic_write_segments_max);
	}
	out_flags(o, SC_MASK, st->stx_mask);
}
