/* mount_record.c - the mount record shared by every command that shows a mount. */
#define _GNU_SOURCE
#include "mount_record.h"
#include "../../util.h"
#include "../../core/file.h"
#include "../../core/mountinfo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#define SM(x) STATMOUNT_##x
const struct tn_col tn_mount_cols[] = {
	MC_COLS_INIT
	{ NULL, NULL, 0, 0, NULL, NULL, 0 }
};

static void str(struct out *o, int col, const struct tn_statmount *sm, uint64_t bit, uint32_t off)
{
	const char *s = tn_sm_str(sm, bit, off);
	if (s)
		out_str(o, col, s);
}

/* ---- mountinfo's words (fs/proc_namespace.c is the model) */

void mountrec_vfs_opts(struct sbuf *b, uint64_t attr)
{
	sb_adds(b, attr & MOUNT_ATTR_RDONLY ? "ro" : "rw");
	if (attr & MOUNT_ATTR_NOSUID)
		sb_adds(b, ",nosuid");
	if (attr & MOUNT_ATTR_NODEV)
		sb_adds(b, ",nodev");
	if (attr & MOUNT_ATTR_NOEXEC)
		sb_adds(b, ",noexec");
	if ((attr & MOUNT_ATTR__ATIME) == MOUNT_ATTR_NOATIME)
		sb_adds(b, ",noatime");
	if (attr & MOUNT_ATTR_NODIRATIME)
		sb_adds(b, ",nodiratime");
	/* relatime is the atime field's 0; strictatime is shown as nothing */
	if ((attr & MOUNT_ATTR__ATIME) == MOUNT_ATTR_RELATIME)
		sb_adds(b, ",relatime");
	if (attr & MOUNT_ATTR_NOSYMFOLLOW)
		sb_adds(b, ",nosymfollow");
	if (attr & MOUNT_ATTR_IDMAP)
		sb_adds(b, ",idmapped");
}

void mountrec_fs_opts(struct sbuf *b, const struct tn_statmount *sm)
{
	sb_adds(b, sm->sb_flags & TN_SB_RDONLY ? "ro" : "rw");
	if (sm->sb_flags & TN_SB_SYNCHRONOUS)
		sb_adds(b, ",sync");
	if (sm->sb_flags & TN_SB_DIRSYNC)
		sb_adds(b, ",dirsync");
	if (sm->sb_flags & TN_SB_LAZYTIME)
		sb_adds(b, ",lazytime");
	const char *fs = tn_sm_str(sm, STATMOUNT_MNT_OPTS, sm->mnt_opts);
	if (fs && *fs) {
		sb_addc(b, ',');
		sb_adds(b, fs);
	}
}

/* the optional fields, each after a space, as in a mountinfo line */
static void opt_fields(struct sbuf *b, const struct tn_statmount *sm)
{
	if (sm->mnt_propagation & MS_SHARED) {
		sb_adds(b, " shared:");
		sb_addu(b, sm->mnt_peer_group);
	}
	if (sm->mnt_propagation & MS_SLAVE) {
		sb_adds(b, " master:");
		sb_addu(b, sm->mnt_master);
		if ((sm->mask & STATMOUNT_PROPAGATE_FROM) && sm->propagate_from &&
		    sm->propagate_from != sm->mnt_master) {
			sb_adds(b, " propagate_from:");
			sb_addu(b, sm->propagate_from);
		}
	}
	if (sm->mnt_propagation & MS_UNBINDABLE)
		sb_adds(b, " unbindable");
}

void mountrec_opt_fields(struct sbuf *b, const struct tn_statmount *sm)
{
	struct sbuf t = { 0 };
	opt_fields(&t, sm);
	if (t.len)
		sb_add(b, t.p + 1, t.len - 1);
	sb_free(&t);
}

void mountrec_merge_opts(struct sbuf *b, const char *vfs, const char *fs)
{
	if (!strcmp(vfs, fs)) {
		sb_adds(b, vfs);
		return;
	}
	/* "vfs,fs" less its first two rw words, else (when one side is ro)
	 * less rw and ro words until two are gone; then one rw or ro first */
	struct sbuf all = { 0 };
	sb_printf(&all, "%s,%s", vfs, fs);
	int rw = 0, ro = 0;
	for (int pass = 0; pass < 2; pass++) {
		const char *want = pass ? "ro" : "rw";
		for (char *p = all.p; *p && rw + ro < 2;) {
			size_t n = strcspn(p, ",");
			if (n == 2 && !strncmp(p, want, 2)) {
				*p = '\001';	/* gone */
				*(pass ? &ro : &rw) += 1;
			}
			p += n;
			if (*p == ',')
				p++;
		}
	}
	sb_adds(b, ro ? "ro" : "rw");
	for (char *p = all.p; *p;) {
		size_t n = strcspn(p, ",");
		if (n && *p != '\001') {
			sb_addc(b, ',');
			sb_add(b, p, n);
		}
		p += n;
		if (*p == ',')
			p++;
	}
	sb_free(&all);
}

/* mountinfo's escape of a name: space, tab, newline and backslash as \ooo */
static void mi_escape(struct sbuf *b, const char *s)
{
	for (;;) {
		size_t n = strcspn(s, " \t\n\\");
		sb_add(b, s, n);
		s += n;
		if (!*s)
			return;
		sb_printf(b, "\\%03o", (unsigned char)*s++);
	}
}

void mountrec_mountinfo_line(struct sbuf *b, const struct tn_statmount *sm)
{
	const char *type = tn_sm_str(sm, STATMOUNT_FS_TYPE, sm->fs_type);
	const char *sub = tn_sm_str(sm, STATMOUNT_FS_SUBTYPE, sm->fs_subtype);
	const char *src = tn_sm_str(sm, STATMOUNT_SB_SOURCE, sm->sb_source);
	sb_addu(b, sm->mnt_id_old);
	sb_addc(b, ' ');
	sb_addu(b, sm->mnt_parent_id_old);
	sb_addc(b, ' ');
	sb_addu(b, sm->sb_dev_major);
	sb_addc(b, ':');
	sb_addu(b, sm->sb_dev_minor);
	sb_addc(b, ' ');
	mi_escape(b, tn_sm_str(sm, STATMOUNT_MNT_ROOT, sm->mnt_root) ?: "");
	sb_addc(b, ' ');
	mi_escape(b, tn_sm_str(sm, STATMOUNT_MNT_POINT, sm->mnt_point) ?: "");
	sb_addc(b, ' ');
	mountrec_vfs_opts(b, sm->mnt_attr);
	opt_fields(b, sm);
	sb_adds(b, " - ");
	mi_escape(b, type ?: "");
	if (sub && *sub) {
		sb_addc(b, '.');
		mi_escape(b, sub);
	}
	sb_addc(b, ' ');
	mi_escape(b, src ?: "");	/* left out when empty ("none" when there is none) */
	sb_addc(b, ' ');
	mountrec_fs_opts(b, sm);
	sb_addc(b, '\n');
}

/* An option list as a cell: the kernel's text, split or merged already, with
 * its \ooo escapes (of a comma, space, tab, newline or backslash in a value)
 * decoded, as the kernel decodes each item of OPT-ARRAY and findmnt the
 * whole list.  mountinfo's lines keep them. */
static void out_opts(struct out *o, int col, const char *list)
{
	if (!out_want(o, col))
		return;
	if (!strchr(list, '\\')) {
		out_str(o, col, list);
		return;
	}
	struct sbuf d = { 0 };
	sb_adds(&d, list);
	tn_mi_unescape(d.p);
	out_str(o, col, d.p);
	sb_free(&d);
}

/* OPTIONS, VFS-OPTIONS, FS-OPTIONS and OPT-FIELDS of a statmount reply */
static void emit_opts(struct out *o, const struct tn_statmount *sm, uint64_t asked)
{
	/* the kernel leaves an empty string out, mask bit and all */
	uint64_t m = sm->mask | (asked & SM(MNT_OPTS));
	struct sbuf vfs = { 0 }, fs = { 0 }, t = { 0 };
	if (m & SM(MNT_BASIC)) {
		mountrec_vfs_opts(&vfs, sm->mnt_attr);
		out_str(o, MC_VFS_OPTIONS, vfs.p);
		if (out_want(o, MC_OPT_FIELDS)) {
			mountrec_opt_fields(&t, sm);
			out_str(o, MC_OPT_FIELDS, t.p ? t.p : "");
		}
	}
	if ((m & SM(SB_BASIC)) && (m & SM(MNT_OPTS))) {
		mountrec_fs_opts(&fs, sm);
		out_opts(o, MC_FS_OPTIONS, fs.p);
		if ((m & SM(MNT_BASIC)) && out_want(o, MC_OPTIONS)) {
			t.len = 0;
			mountrec_merge_opts(&t, vfs.p, fs.p);	/* still escaped: \054 is no separator */
			out_opts(o, MC_OPTIONS, t.p);
		}
	}
	sb_free(&vfs);
	sb_free(&fs);
	sb_free(&t);
}

void mountrec_emit(struct out *o, const struct tn_statmount *sm)
{
	mountrec_emit_asked(o, sm, TN_STATMOUNT_ALL);
}

void mountrec_emit_asked(struct out *o, const struct tn_statmount *sm, uint64_t asked)
{
	uint64_t m = sm->mask;

	if (m & SM(MNT_BASIC)) {
		out_u64(o, MC_ID, sm->mnt_id);
		out_u64(o, MC_PARENT, sm->mnt_parent_id);
		out_u64(o, MC_OLD_ID, sm->mnt_id_old);
		out_u64(o, MC_OLD_PARENT, sm->mnt_parent_id_old);
	}
	str(o, MC_TARGET, sm, SM(MNT_POINT), sm->mnt_point);
	str(o, MC_SOURCE, sm, SM(SB_SOURCE), sm->sb_source);
	str(o, MC_FSTYPE, sm, SM(FS_TYPE), sm->fs_type);
	str(o, MC_SUBTYPE, sm, SM(FS_SUBTYPE), sm->fs_subtype);
	if (m & SM(MNT_BASIC))
		out_flags(o, MC_ATTR, sm->mnt_attr);
	emit_opts(o, sm, asked);
	if (m & SM(OPT_ARRAY))
		out_strnul(o, MC_OPT_ARRAY, sm->str + sm->opt_array, sm->opt_num);
	if (m & SM(OPT_SEC_ARRAY))
		out_strnul(o, MC_SEC_OPTIONS, sm->str + sm->opt_sec_array, sm->opt_sec_num);
	if (m & SM(MNT_BASIC)) {
		out_flags(o, MC_PROPAGATION, sm->mnt_propagation);
		out_u64(o, MC_PEER_GROUP, sm->mnt_peer_group);
		out_u64(o, MC_MASTER, sm->mnt_master);
	}
	if (m & SM(PROPAGATE_FROM))
		out_u64(o, MC_PROPAGATE_FROM, sm->propagate_from);
	str(o, MC_ROOT, sm, SM(MNT_ROOT), sm->mnt_root);
	if (m & SM(SB_BASIC)) {
		out_dev(o, MC_MAJMIN, sm->sb_dev_major, sm->sb_dev_minor);
		if (out_want(o, MC_MAGIC)) {
			const char *n = names_exact(tn_fsmagic_names, sm->sb_magic);
			char buf[64];
			if (n)
				snprintf(buf, sizeof(buf), "%s (0x%llx)", n, (unsigned long long)sm->sb_magic);
			else
				snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)sm->sb_magic);
			out_num_text(o, MC_MAGIC, buf, (int64_t)sm->sb_magic);
		}
		out_flags(o, MC_SB_FLAGS, sm->sb_flags);
	}
	if (m & SM(MNT_NS_ID))
		out_u64(o, MC_NS_ID, sm->mnt_ns_id);
	if (m & SM(MNT_UIDMAP))
		out_strnul(o, MC_UIDMAP, sm->str + sm->mnt_uidmap, sm->mnt_uidmap_num);
	if (m & SM(MNT_GIDMAP))
		out_strnul(o, MC_GIDMAP, sm->str + sm->mnt_gidmap, sm->mnt_gidmap_num);
	if (m & SM(SUPPORTED_MASK))
		out_flags(o, MC_SUPPORTED, sm->supported_mask);
	out_flags(o, MC_MASK, sm->mask);
}

const char tn_mi_unavailable[] = "ID, PARENT, MAGIC, NS-ID, UIDMAP, GIDMAP, SEC-OPTIONS, SUPPORTED-MASK, MASK";

void mountrec_emit_mi(struct out *o, const struct tn_mi *m)
{
	static const int na[] = { MC_ID, MC_PARENT, MC_MAGIC, MC_NS_ID, MC_UIDMAP, MC_GIDMAP,
				  MC_SEC_OPTIONS, MC_SUPPORTED, MC_MASK, -1 };
	uint64_t attr = 0, sbf = 0, prop = 0, peer = 0, master = 0, from = 0;
	char err[256];

	for (int i = 0; na[i] >= 0; i++)
		out_na(o, na[i]);
	out_u64(o, MC_OLD_ID, m->id);
	out_u64(o, MC_OLD_PARENT, m->parent);
	out_str(o, MC_TARGET, m->target);
	out_str(o, MC_SOURCE, m->source);
	const char *dot = strchr(m->fstype, '.');
	if (dot) {
		out_strn(o, MC_FSTYPE, m->fstype, dot - m->fstype);
		out_str(o, MC_SUBTYPE, dot + 1);
	} else {
		out_str(o, MC_FSTYPE, m->fstype);
	}
	if (names_parse(tn_mount_attr_names, m->vfsopts, &attr, err, sizeof(err)) == 0)
		out_flags(o, MC_ATTR, attr);
	else
		out_str(o, MC_ATTR, m->vfsopts);
	out_str(o, MC_VFS_OPTIONS, m->vfsopts);
	out_opts(o, MC_FS_OPTIONS, m->superopts);
	out_str(o, MC_OPT_FIELDS, m->optional);
	if (out_want(o, MC_OPTIONS)) {
		struct sbuf all = { 0 };
		mountrec_merge_opts(&all, m->vfsopts, m->superopts);
		out_opts(o, MC_OPTIONS, all.p);
		sb_free(&all);
	}
	/* super options: leading superblock flag words, then the fs's own */
	const char *p = m->superopts;
	while (*p) {
		size_t n = strcspn(p, ",");
		const struct tn_name *e = names_find(tn_sb_flag_names, p, n);
		if (!e && !(n == 4 && !strncmp(p, "mand", 4)))
			break;
		if (e)
			sbf |= e->val;
		p += n;
		if (*p == ',')
			p++;
	}
	if (out_want(o, MC_OPT_ARRAY)) {
		struct sbuf b = { 0 };
		size_t cnt = 0;
		for (const char *q = p; *q;) {
			/* split on the commas, then decode: a comma in a value is \054 */
			size_t n = strcspn(q, ","), at = b.len;
			sb_add(&b, q, n);
			tn_mi_unescape(b.p + at);
			b.len = at + strlen(b.p + at);
			sb_addc(&b, 0);
			cnt++;
			q += n;
			if (*q == ',')
				q++;
		}
		out_strnul(o, MC_OPT_ARRAY, b.p ? b.p : "", cnt);
		sb_free(&b);
	}
	for (const char *q = m->optional; *q;) {
		size_t n = strcspn(q, " ");
		unsigned long long v = 0;
		if (sscanf(q, "shared:%llu", &v) == 1) {
			prop |= MS_SHARED;
			peer = v;
		} else if (sscanf(q, "master:%llu", &v) == 1) {
			prop |= MS_SLAVE;
			master = v;
		} else if (sscanf(q, "propagate_from:%llu", &v) == 1) {
			from = v;
		} else if (n == 10 && !strncmp(q, "unbindable", 10)) {
			prop |= MS_UNBINDABLE;
		}
		q += n;
		while (*q == ' ')
			q++;
	}
	out_flags(o, MC_PROPAGATION, prop ? prop : MS_PRIVATE);
	out_u64(o, MC_PEER_GROUP, peer);
	out_u64(o, MC_MASTER, master);
	out_u64(o, MC_PROPAGATE_FROM, from);
	out_str(o, MC_ROOT, m->root);
	out_dev(o, MC_MAJMIN, m->major, m->minor);
	out_flags(o, MC_SB_FLAGS, sbf);
}

struct find_old { unsigned id; struct out *o; bool found; };

static int emit_old(const struct tn_mi *m, void *ctx)
{
	struct find_old *f = ctx;
	if (m->id != f->id)
		return 0;
	out_row_open(f->o);
	out_row_tree(f->o, m->id, m->parent);
	mountrec_emit_mi(f->o, m);
	out_row_close(f->o);
	f->found = true;
	return 1;
}

int mountrec_old_id(const char *path, uint32_t *id)
{
	if (tn_empty_path(NULL, path))
		return TN_EXIT_FAIL;
	int r = tn_old_mnt_id_of(AT_FDCWD, path, 0, id);
	if (r == -ENOSYS) {
		tn_warn("%s: this kernel reports no mount id (statx STATX_MNT_ID needs Linux 5.8)", path);
		return TN_EXIT_NOSYS;
	}
	if (r < 0)
		return tn_syserr(-r, "statx", "%s", path);
	return 0;
}

int mountrec_emit_path_mi(struct out *o, const char *path)
{
	uint32_t id;
	int r = mountrec_old_id(path, &id);
	if (r)
		return r;
	struct find_old f = { id, o, false };
	r = tn_mountinfo_each("/proc/self/mountinfo", emit_old, &f);
	if (r < 0)
		return tn_syserr(-r, NULL, "/proc/self/mountinfo");
	if (!f.found) {
		tn_warn("%s: mount %u is not in /proc/self/mountinfo", path, f.id);
		return TN_EXIT_FAIL;
	}
	return 0;
}

/* Which of mask the kernel knows: ask for supported_mask (6.15+), else probe
 * bit by bit. */
static uint64_t kernel_mask(struct tn_smbuf *b, uint64_t id, uint64_t ns_id, uint64_t mask)
{
	if (tn_statmount(b, id, ns_id, SM(SUPPORTED_MASK)) == 0 && (b->sm->mask & SM(SUPPORTED_MASK)))
		return b->sm->supported_mask & mask;
	uint64_t ok = 0;
	for (uint64_t bit = 1; bit && bit <= mask; bit <<= 1)
		if ((mask & bit) && tn_statmount(b, id, ns_id, bit) == 0)
			ok |= bit;
	return ok;
}

static const char *mask_help(uint64_t bit)
{
	for (const struct tn_name *n = tn_statmount_mask_names; n->name; n++)
		if (n->val == bit)
			return n->help;
	return NULL;
}

int mountrec_stat(struct tn_smbuf *b, uint64_t id, uint64_t ns_id, uint64_t mask,
		  bool strict, const char *label)
{
	int r = tn_statmount(b, id, ns_id, mask);
	/* an older kernel refuses a bit it does not know (EINVAL), a newer one
	 * leaves it out of the answer, as it does a field this mount lacks */
	bool unsure = r == -EINVAL || (r == 0 && strict && (b->sm->mask & mask) != mask);
	if (unsure && mask) {
		uint64_t ok = kernel_mask(b, id, ns_id, mask);
		if (ok == mask && r == 0)
			r = tn_statmount(b, id, ns_id, mask);	/* kernel_mask used b */
		else if (ok != mask) {
			if (strict) {
				uint64_t bad = mask & ~ok;
				char names[512];
				names_format(tn_statmount_mask_names, bad, names, sizeof(names));
				uint64_t first = bad & -bad;
				const char *h = mask_help(first);
				const char *v = h ? strrchr(h, '(') : NULL;
				int vl = v ? (int)strlen(v + 1) - 1 : 0;
				tn_warn("statmount: --mask: this kernel does not know the bit(s) %s%s%.*s",
					names, v ? "; needs Linux " : "", vl, v ? v + 1 : "");
				return TN_EXIT_NOSYS;
			}
			r = tn_statmount(b, id, ns_id, ok);
		}
	}
	if (r == 0)
		return 0;
	if (r == -ENOENT) {
		/* the id, unless the label is it already */
		char ids[32];
		snprintf(ids, sizeof(ids), "%llu", (unsigned long long)id);
		tn_warn("%s: no such mount%s%s%s%s", label, strcmp(label, ids) ? " (id " : "",
			strcmp(label, ids) ? ids : "", strcmp(label, ids) ? ")" : "",
			ns_id ? " in that namespace" : "");
		return TN_EXIT_FAIL;
	}
	return tn_syserr(-r, "statmount", "%s: statmount", label);
}

/* A number as a unique mount id: 0, or an exit code (said).  An old id, as
 * in /proc/self/mountinfo, is explained rather than guessed. */
static int mount_number(const char *opt, const char *arg, uint64_t *id)
{
	if (tn_parse_u64(arg, id))
		return tn_usage_err("%s%s'%s' is not a mount id", opt ? opt : "", opt ? ": " : "", arg);
	if (*id < TN_MNT_UNIQUE_ID_MIN) {
		/* Unique ids start at 2^31 (Linux 6.8+); below that, a number
		 * is mountinfo's old, reused id. */
		uint64_t uid;
		char mp[4096];
		if (tn_old_mnt_id((uint32_t)*id, &uid, mp, sizeof(mp)) == 0) {
			tn_warn("%s: this is an old mount id (as in /proc/self/mountinfo), "
				"not a unique one: it is the mount at %s, whose unique id is %llu; "
				"give that, or the path",
				arg, mp, (unsigned long long)uid);
		} else {
			tn_warn("%s: no such mount: unique mount ids are above 2147483648 "
				"(see 'tnos lsmount -o ID,OLD-ID,TARGET')", arg);
		}
		return TN_EXIT_FAIL;
	}
	return 0;
}

static bool looks_numeric(const char *arg)
{
	return tn_all_digits(arg) || (arg[0] == '0' && arg[1] == 'x');
}

int mountrec_resolve(const char *arg, uint64_t *id)
{
	if (tn_empty_path(NULL, arg))
		return TN_EXIT_FAIL;
	if (looks_numeric(arg))
		return mount_number(NULL, arg, id);
	int r = tn_mnt_id_of(AT_FDCWD, arg, 0, id);
	if (r == -ENOSYS)
		return tn_syserr(ENOSYS, "statmount", "%s: statx(STATX_MNT_ID_UNIQUE) (Linux 6.8)", arg);
	if (r < 0)
		return tn_syserr(-r, "statx", "%s", arg);
	return 0;
}

int mountrec_id_opt(const char *opt, const char *arg, uint64_t *id)
{
	if (tn_empty_path(NULL, arg))
		return TN_EXIT_FAIL;
	if (!looks_numeric(arg))
		return tn_usage_err("%s: '%s' is not a mount id (a number, as 'tnos lsmount -o ID,TARGET' "
				    "shows; a path is given as the target instead)", opt, arg);
	return mount_number(opt, arg, id);
}

bool mountrec_asked(const struct out_opts *oo, bool verbose)
{
	return verbose || oo->fmt != OUT_HUMAN || oo->columns;
}

int mountrec_print(const struct out_opts *oo, uint64_t id)
{
	return mountrec_print_ex(oo, tn_mount_cols, id, NULL, NULL);
}

/* The record of mount id (fd, when not -1, is on it), read by id or, when
 * this namespace has no such mount, through fd (*fd_err: how that failed). */
static int print_rec(const struct out_opts *oo, const struct tn_col *cols, uint64_t id, int fd,
		     int *fd_err, void (*extra)(struct out *o, void *ctx), void *ctx)
{
	struct out o;
	struct tn_smbuf b = { 0 };
	char label[32];
	int r = out_init(&o, oo, cols, "*", "mounts");
	if (r)
		return r;
	out_records(&o, true);
	snprintf(label, sizeof(label), "%llu", (unsigned long long)id);
	uint64_t mask = out_need(&o) | TN_STATMOUNT_ALL;
	int e = fd >= 0 ? tn_statmount(&b, id, 0, mask) : -EAGAIN;
	if (e == -ENOENT) {
		/* not in this namespace: a detached mount is in none, and
		 * statmount can read it through an fd only */
		e = tn_statmount_fd(&b, fd, mask);
		if (e < 0) {
			*fd_err = -e;	/* EINVAL: no STATMOUNT_BY_FD, before Linux 7.0 */
			r = MOUNTREC_UNREADABLE;
		}
	} else if (e < 0) {
		/* by id, with the fallbacks and messages of mountrec_stat (the
		 * one call made above is made again on this path only) */
		r = mountrec_stat(&b, id, 0, mask, false, label);
	}
	if (!r) {
		out_row_open(&o);
		mountrec_emit(&o, b.sm);
		if (extra)
			extra(&o, ctx);
		out_row_close(&o);
		out_end(&o);
	}
	tn_smbuf_free(&b);
	out_free(&o);
	return r;
}

int mountrec_print_ex(const struct out_opts *oo, const struct tn_col *cols, uint64_t id,
		      void (*extra)(struct out *o, void *ctx), void *ctx)
{
	return print_rec(oo, cols, id, -1, NULL, extra, ctx);
}

int mountrec_print_fd(const struct out_opts *oo, uint64_t id, int fd, int *fd_err)
{
	return print_rec(oo, tn_mount_cols, id, fd, fd_err, NULL, NULL);
}
