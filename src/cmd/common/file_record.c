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
 * is its number for people (as ls and find show it, into num) and absent
 * in JSON. */
static bool id_name(struct out *o, bool user, uint32_t id, char num[16], struct out_val *v)
{
	struct id_slot *sl = &(user ? user_cache : group_cache)[id % ID_CACHE];
	if (!sl->used || sl->id != id) {
		sl->named = id_lookup(user, id, sl->name);
		sl->id = id;
		sl->used = true;
	}
	if (sl->named) {
		v->s = sl->name;
	} else if (!out_is_json(o)) {
		snprintf(num, 16, "%u", id);
		v->s = num;
	} else {
		return false;
	}
	v->v = strlen(v->s);
	return true;
}

_Static_assert(SC_NCOLS <= 64, "a record's columns are bits of a uint64_t (out_row_vals)");

/* Text that a record's values point into. */
struct fc_text {
	char perms[11], user[16], group[16];
};

/* The values of an entry's columns (en, or NULL: none of the context
 * columns) and of its statx (st, or NULL: only the context columns) into
 * v[SC_NCOLS], as out_row_vals takes them; returns the columns that have
 * one.  Every column is filled, whether selected or not (a few stores),
 * but for the ones that cost a lookup. */
static uint64_t fc_vals(struct out *o, const struct tn_statx *st, const struct fc_entry *en,
			struct out_val *v, struct fc_text *t)
{
	uint64_t have = 0;
#define HAVE(c, cond, val) HAVE2(c, cond, val, 0)
#define HAVE2(c, cond, val, val2) do { if (cond) { v[c].v = (val); v[c].v2 = (val2); have |= 1ULL << (c); } } while (0)
#define HAVE_STR(c, str, n) do { v[c].s = (str); v[c].v = (n); v[c].v2 = 0; have |= 1ULL << (c); } while (0)
	if (en) {
		HAVE_STR(SC_PATH, en->path, en->path_len);
		HAVE_STR(SC_PARENT, en->parent, en->parent_len);
		HAVE_STR(SC_NAME, en->name, en->name_len);
		HAVE(SC_ISDIR, !en->no_type, en->isdir);
		HAVE(SC_ISREG, !en->no_type, en->isreg);
		HAVE(SC_ISLNK, !en->no_type, en->islnk);
		HAVE(SC_ISMOUNT, !en->no_mount, en->ismount);
	}
	if (!st)
		return have;	/* the context alone */
	uint32_t m = st->stx_mask;
	bool mode = m & (SX(TYPE) | SX(MODE));
	uint64_t want = out_want_mask(o);
	HAVE(SC_TYPE, m & SX(TYPE), st->stx_mode & S_IFMT);
	HAVE(SC_MODE, mode, st->stx_mode);
	if (mode && (want & (1ULL << SC_PERMS))) {
		tn_mode_string(st->stx_mode, t->perms);
		HAVE_STR(SC_PERMS, t->perms, 10);
	}
	HAVE(SC_NLINK, m & SX(NLINK), st->stx_nlink);
	HAVE(SC_UID, m & SX(UID), st->stx_uid);
	if ((m & SX(UID)) && (want & (1ULL << SC_USER)) &&
	    id_name(o, true, st->stx_uid, t->user, &v[SC_USER]))
		have |= 1ULL << SC_USER;
	HAVE(SC_GID, m & SX(GID), st->stx_gid);
	if ((m & SX(GID)) && (want & (1ULL << SC_GROUP)) &&
	    id_name(o, false, st->stx_gid, t->group, &v[SC_GROUP]))
		have |= 1ULL << SC_GROUP;
	HAVE(SC_INO, m & SX(INO), st->stx_ino);
	HAVE(SC_SIZE, m & SX(SIZE), st->stx_size);
	HAVE(SC_BLOCKS, m & SX(BLOCKS), st->stx_blocks);
	HAVE(SC_BLKSIZE, true, st->stx_blksize);	/* unconditional */
	HAVE2(SC_ATIME, m & SX(ATIME), (uint64_t)st->stx_atime.tv_sec, st->stx_atime.tv_nsec);
	HAVE2(SC_BTIME, m & SX(BTIME), (uint64_t)st->stx_btime.tv_sec, st->stx_btime.tv_nsec);
	HAVE2(SC_CTIME, m & SX(CTIME), (uint64_t)st->stx_ctime.tv_sec, st->stx_ctime.tv_nsec);
	HAVE2(SC_MTIME, m & SX(MTIME), (uint64_t)st->stx_mtime.tv_sec, st->stx_mtime.tv_nsec);
	HAVE(SC_DEV, true, (uint64_t)st->stx_dev_major << 32 | st->stx_dev_minor);
	HAVE(SC_RDEV, (m & SX(TYPE)) && (S_ISCHR(st->stx_mode) || S_ISBLK(st->stx_mode)),
	     (uint64_t)st->stx_rdev_major << 32 | st->stx_rdev_minor);
	HAVE(SC_MNT_ID, m & (SX(MNT_ID) | SX(MNT_ID_UNIQUE)), st->stx_mnt_id);
	HAVE(SC_ATTR, true, st->stx_attributes);
	HAVE(SC_ATTR_MASK, true, st->stx_attributes_mask);
	HAVE(SC_DIO_MEM_ALIGN, m & SX(DIOALIGN), st->stx_dio_mem_align);
	HAVE(SC_DIO_OFFSET_ALIGN, m & SX(DIOALIGN), st->stx_dio_offset_align);
	HAVE(SC_DIO_READ_ALIGN, m & SX(DIO_READ_ALIGN), st->stx_dio_read_offset_align);
	HAVE(SC_SUBVOL, m & SX(SUBVOL), st->stx_subvol);
	HAVE(SC_AWU_MIN, m & SX(WRITE_ATOMIC), st->stx_atomic_write_unit_min);
	HAVE(SC_AWU_MAX, m & SX(WRITE_ATOMIC), st->stx_atomic_write_unit_max);
	HAVE(SC_AWU_MAX_OPT, m & SX(WRITE_ATOMIC), st->stx_atomic_write_unit_max_opt);
	HAVE(SC_AW_SEGMENTS_MAX, m & SX(WRITE_ATOMIC), st->stx_atomic_write_segments_max);
	HAVE(SC_MASK, true, st->stx_mask);
#undef HAVE
#undef HAVE2
#undef HAVE_STR
	return have;
}

void statxrec_emit_entry(struct out *o, const struct tn_statx *st, const struct fc_entry *en)
{
	struct out_val v[SC_NCOLS];
	struct fc_text t;
	uint64_t have = fc_vals(o, st, en, v, &t);
	out_row_vals(o, v, have);
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
	if (!en->name_len) {
		/* the root, as basename(1) and find's %f name it: "/" */
		en->name = path;
		en->name_len = 1;
	}
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
	fc_entry_of(&en, path, st);
	statxrec_emit_entry(o, NULL, &en);
}
