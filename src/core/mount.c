/* mount.c - listmount paging, statmount, mount ids. */
#define _GNU_SOURCE
#include "mount.h"
#include "file.h"
#include "sys.h"
#include "mountinfo.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tn_list_init(struct tn_lister *l, uint64_t parent, uint64_t ns_id, bool reverse,
		  uint64_t after, size_t batch)
{
	memset(l, 0, sizeof(*l));
	l->req.size = ns_id ? MNT_ID_REQ_SIZE_VER1 : MNT_ID_REQ_SIZE_VER0;
	l->req.mnt_id = parent;
	l->req.param = after;
	l->req.mnt_ns_id = ns_id;
	l->flags = reverse ? LISTMOUNT_REVERSE : 0;
	l->batch = batch ? batch : 4096;
	/* listmount looks for the first id >= after + 1, which wraps to 0 */
	l->done = after == UINT64_MAX && !reverse;
}

int tn_list_next(struct tn_lister *l, uint64_t *id)
{
	if (l->pos == l->n) {
		if (l->done)
			return 0;
		if (!l->ids) {
			l->ids = malloc(l->batch * sizeof(*l->ids));
			if (!l->ids)
				return -ENOMEM;
		}
		int r = sys_listmount(&l->req, l->ids, l->batch, l->flags);
		if (r < 0)
			return r;
		l->n = (size_t)r;
		l->pos = 0;
		if (l->n < l->batch)
			l->done = true;
		if (!l->n)
			return 0;
		l->req.param = l->ids[l->n - 1];	/* cursor for the next page */
	}
	*id = l->ids[l->pos++];
	return 1;
}

void tn_list_free(struct tn_lister *l)
{
	free(l->ids);
	l->ids = NULL;
}

/* statmount into b, growing it while the kernel says EOVERFLOW */
static int sm_grow(struct tn_smbuf *b, const struct tn_mnt_id_req *req, unsigned flags)
{
	if (!b->sm) {
		b->size = 4096;	/* most mounts fit; long option lists grow it */
		if (!(b->sm = malloc(b->size)))
			return -ENOMEM;
	}
	for (;;) {
		int r = sys_statmount(req, b->sm, b->size, flags);
		if (r == 0)
			return 0;
		if (r != -EOVERFLOW)
			return r;
		if (b->size >= (64u << 20))
			return -EOVERFLOW;
		size_t n = b->size * 2;
		void *p = realloc(b->sm, n);
		if (!p)
			return -ENOMEM;
		b->sm = p;
		b->size = n;
	}
}

int tn_statmount(struct tn_smbuf *b, uint64_t id, uint64_t ns_id, uint64_t mask)
{
	struct tn_mnt_id_req req = {
		.size = ns_id ? MNT_ID_REQ_SIZE_VER1 : MNT_ID_REQ_SIZE_VER0,
		.mnt_id = id,
		.param = mask,
		.mnt_ns_id = ns_id,
	};
	/* 2^31 is no mount, neither an old id nor a unique one: the kernel
	 * says EINVAL for it and ENOENT for its neighbours; say ENOENT */
	if (id == TN_MNT_UNIQUE_ID_MIN)
		return -ENOENT;
	return sm_grow(b, &req, 0);
}

int tn_statmount_fd(struct tn_smbuf *b, int fd, uint64_t mask)
{
	/* the fd goes where mnt_ns_fd is; no id, no namespace */
	struct tn_mnt_id_req req = {
		.size = MNT_ID_REQ_SIZE_VER1,
		.mnt_ns_fd = (__u32)fd,
		.param = mask,
	};
	return sm_grow(b, &req, STATMOUNT_BY_FD);
}

void tn_smbuf_free(struct tn_smbuf *b)
{
	free(b->sm);
	b->sm = NULL;
	b->size = 0;
}

/* ---- statmount of many ids, in parts that run side by side */

struct sm_part {
	const struct tn_sm_many *m;
	unsigned part;
	size_t lo, hi;
	pthread_t th;
	bool started;
};

static void *sm_part_run(void *arg)
{
	struct sm_part *p = arg;
	const struct tn_sm_many *m = p->m;
	struct tn_smbuf b = { 0 };
	for (size_t i = p->lo; i < p->hi; i++) {
		int e = tn_statmount(&b, m->ids[i], m->ns_id, m->mask);
		if (m->fn(m->ctx, p->part, i, e ? NULL : b.sm, e))
			break;
	}
	tn_smbuf_free(&b);
	return NULL;
}

int tn_statmount_many(const struct tn_sm_many *m)
{
	struct sm_part p[TN_SM_MAXPARTS] = { { 0 } };
	unsigned parts = m->parts < 1 ? 1 : m->parts > TN_SM_MAXPARTS ? TN_SM_MAXPARTS : m->parts;
	if (parts > m->n)
		parts = m->n ? (unsigned)m->n : 1;
	for (unsigned k = 0; k < parts; k++) {
		p[k] = (struct sm_part){ m, k, tn_sm_part_lo(m->n, parts, k), tn_sm_part_lo(m->n, parts, k + 1),
					 0, false };
	}
	/* the first part runs here; a part whose thread cannot start runs
	 * here too, after it */
	for (unsigned k = 1; k < parts; k++)
		p[k].started = !pthread_create(&p[k].th, NULL, sm_part_run, &p[k]);
	sm_part_run(&p[0]);
	for (unsigned k = 1; k < parts; k++) {
		if (p[k].started)
			pthread_join(p[k].th, NULL);
		else
			sm_part_run(&p[k]);
	}
	return (int)parts;
}

const char *tn_sm_str(const struct tn_statmount *sm, uint64_t bit, uint32_t off)
{
	if (!(sm->mask & bit))
		return NULL;
	return sm->str + off;
}

int tn_mnt_id_of(int dfd, const char *path, int atflags, uint64_t *id)
{
	struct tn_statx st;
	int r = tn_statx(dfd, path, atflags, TN_STATX_MNT_ID_UNIQUE, &st);
	if (r < 0)
		return r;
	if (!(st.stx_mask & TN_STATX_MNT_ID_UNIQUE))
		return -ENOSYS;
	*id = st.stx_mnt_id;
	return 0;
}

int tn_old_mnt_id_of(int dfd, const char *path, int atflags, uint32_t *id)
{
	struct tn_statx st;
	int r = tn_statx(dfd, path, atflags, TN_STATX_MNT_ID, &st);
	if (r < 0)
		return r;
	if (!(st.stx_mask & TN_STATX_MNT_ID))
		return -ENOSYS;
	*id = (uint32_t)st.stx_mnt_id;
	return 0;
}

int tn_is_mount_root(int dfd, const char *path, int atflags)
{
	struct tn_statx st;
	int r = tn_statx(dfd, path, atflags, TN_STATX_BASIC_STATS, &st);
	if (r < 0)
		return r;
	if (!(st.stx_attributes_mask & TN_STATX_ATTR_MOUNT_ROOT))
		return -ENOSYS;
	return (st.stx_attributes & TN_STATX_ATTR_MOUNT_ROOT) ? 1 : 0;
}

bool tn_have_listmount(void)
{
	struct tn_mnt_id_req probe = { .size = MNT_ID_REQ_SIZE_VER0, .mnt_id = LSMT_ROOT };
	uint64_t one;
	return sys_listmount(&probe, &one, 1, 0) != -ENOSYS;
}

bool tn_have_statmount(void)
{
	struct tn_mnt_id_req probe = { .size = MNT_ID_REQ_SIZE_VER0 };
	struct tn_statmount buf;
	return sys_statmount(&probe, &buf, sizeof(buf), 0) != -ENOSYS;
}

struct old_ctx { uint32_t old; uint64_t *unique; char *mp; size_t mplen; int r; };

static int old_fn(const struct tn_mi *m, void *ctx)
{
	struct old_ctx *c = ctx;
	if (m->id != c->old)
		return 0;
	if (c->mp)
		snprintf(c->mp, c->mplen, "%s", m->target);
	c->r = tn_mnt_id_of(AT_FDCWD, m->target, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, c->unique);
	return 1;
}

int tn_old_mnt_id(uint32_t old, uint64_t *unique, char *mp, size_t mplen)
{
	struct old_ctx c = { old, unique, mp, mplen, -ENOENT };
	int r = tn_mountinfo_each("/proc/self/mountinfo", old_fn, &c);
	return r < 0 ? r : c.r;
}
