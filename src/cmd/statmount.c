/* statmount.c - every field of one or more mounts. */
#define _GNU_SOURCE
#include "common/mount_record.h"
#include "common/ns_arg.h"
#include "../opt.h"
#include "../util.h"
#include "../core/mount.h"

#include <errno.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SMO_MASK = 'm', SMO_NS = 0x100 };

static const struct tn_opt opts[] = {
	{ 'm', "mask", "NAMES", "fields to ask the kernel for (default: all)", TC_NAMES, tn_statmount_mask_names, 0, NULL },
	{ SMO_NS, "ns", "PID|PATH", "the mount ID lives in this mount namespace: a PID (through its pidfd) or an nsfs file", TC_FILE, NULL, 0, NULL },
	{ 0, NULL, NULL, NULL, 0, NULL, 0, NULL }
};

struct sm_opts {
	uint64_t mask;
	bool have_mask;
	const char *ns;
};

static int cb(void *ctx, int key, const char *arg, char **rest, int nrest)
{
	struct sm_opts *s = ctx;
	(void)rest;
	(void)nrest;
	switch (key) {
	case 'm':
		if (opt_names("mask", tn_statmount_mask_names, arg, &s->mask))
			return TN_EXIT_USAGE;
		s->have_mask = true;
		break;
	case SMO_NS:
		s->ns = arg;
		break;
	}
	return TN_OPT_GO;
}

static int run(int argc, char **argv)
{
	struct sm_opts s = { 0 };
	struct tn_args a;
	struct out o;
	int r = opt_parse(&cmd_statmount, argc, argv, cb, &s, &a);
	if (r != TN_OPT_GO)
		goto out_args;
	if (a.npos < 1) {
		r = tn_usage_err("which mount? give an ID or a PATH");
		goto out_args;
	}
	if ((r = out_init(&o, &a.out, tn_mount_cols, "*", "mounts")))
		goto out_args;
	out_records(&o, a.npos == 1);

	uint64_t ns_id = 0;
	if (s.ns && (r = nsarg_mntns_id(s.ns, &ns_id)))
		goto out;
	for (int i = 0; s.ns && i < a.npos; i++)
		if (nsarg_needs_enter(a.pos[i])) {
			/* a PATH, or an old id, is that namespace's */
			if ((r = nsarg_enter(s.ns)))
				goto out;
			break;
		}
	struct tn_smbuf b = { 0 };
	int failed = 0;
	bool noted = false;
	bool nosys = !tn_have_statmount();
	for (int i = 0; i < a.npos; i++) {
		uint64_t id;
		int e;
		if (nosys && !s.have_mask && !ns_id && !tn_all_digits(a.pos[i])) {
			/* no statmount (Linux < 6.8): the mount holding a path can
			 * still be read from mountinfo */
			if (!noted)
				tn_warn("statmount(2) is not available in this kernel (needs Linux 6.8): "
					"read /proc/self/mountinfo instead; unavailable: %s", tn_mi_unavailable);
			noted = true;
			e = mountrec_emit_path_mi(&o, a.pos[i]);
			if (!e)
				continue;
		} else {
			e = mountrec_resolve(a.pos[i], &id);
			if (!e)
				e = mountrec_stat(&b, id, ns_id, s.have_mask ? s.mask : TN_STATMOUNT_ALL,
						  s.have_mask, a.pos[i]);
		}
		if (e) {
			if (e == TN_EXIT_NOSYS || e == TN_EXIT_USAGE) {
				r = e;
				break;
			}
			failed = e;
			continue;
		}
		out_row_open(&o);
		mountrec_emit_asked(&o, b.sm, s.have_mask ? s.mask : TN_STATMOUNT_ALL);
		out_row_close(&o);
	}
	if (!r)
		out_end_if_any(&o);
	tn_smbuf_free(&b);
	if (!r)
		r = failed;
out:
	out_free(&o);
out_args:
	free(a.pos);
	return r;
}

const struct tn_cmd cmd_statmount = {
	.name = "statmount",
	.summary = "every field of a mount (statmount)",
	.usage = "[options] ID|PATH...",
	.details = "A number is a unique mount id (as 'tnos lsmount -o ID' shows); anything\n"
		   "else is a path, and the mount holding it is shown (statx STATX_MNT_ID_UNIQUE).\n"
		   "Fields the kernel did not return are left out.",
	.opts = opts,
	.cols = tn_mount_cols,
	.defcols = "*",
	.args = TC_MOUNT,
	.main = run,
};
