/* lsmount_watch.h - lsmount --watch: mounts as they come and go, through
 * fanotify mount events (src/core/mntevent.h). */
#ifndef TNOS_LSMOUNT_WATCH_H
#define TNOS_LSMOUNT_WATCH_H

#include "common/mount_record.h"
#include "../opt.h"

enum { LW_WATCH = 0x300, LW_NO_INITIAL, LW_UNTIL, LW_TIMEOUT, LW_COUNT };

/* The option rows lsmount's table takes. */
#define LSMOUNT_WATCH_OPTS \
	{ LW_WATCH, "watch", NULL, "stream mount events (attach, detach, move) after the current mounts", 0, NULL, 0, NULL }, \
	{ LW_NO_INITIAL, "no-initial", NULL, "--watch: do not list the current mounts first", 0, NULL, 0, NULL }, \
	{ LW_UNTIL, "until", "EVENT", "--watch: end at the first EVENT (attach, detach, move) of the mount ID|PATH", TC_WORDS, NULL, 0, "attach detach move" }, \
	{ LW_TIMEOUT, "timeout", "SECONDS", "--watch: end after SECONDS (exit 1 if --until or --count is unmet)", 0, NULL, 0, NULL }, \
	{ LW_COUNT, "count", "N", "--watch: end after N events", 0, NULL, 0, NULL },

struct lsmount_watch {
	bool on, no_initial, have_timeout, have_count;
	int until;		/* 0, or 1 + enum tn_mntev_kind */
	const char *other;	/* a watch option given without --watch */
	double timeout;
	uint64_t count;
};

/* lsmount's columns: the mount record's, then the event's. */
extern const struct tn_col lsmount_cols[];

/* An option of the rows above: TN_OPT_GO or TN_EXIT_USAGE, or
 * TN_OPT_NOT_MINE when key is none of them. */
int lsmount_watch_opt(struct lsmount_watch *w, int key, const char *arg);

/* A plain listing refuses the event's columns: 0 or TN_EXIT_USAGE (said). */
int lsmount_watch_cols_refused(const struct out *o);

/* Which mounts the listing filters (-t, --source) let through; sm NULL is a
 * mount with no record (only its id is known): through when no filter is
 * given. */
typedef bool (*lsmount_filter_fn)(const void *ctx, const struct tn_statmount *sm);

/* Run the watch of namespace ns (NULL: our own; ns_id its id, 0 for ours):
 * subscribe, list, stream.  a->pos[0] is the subtree, or the --until
 * target.  Returns the exit code. */
int lsmount_watch_run(const struct lsmount_watch *w, const struct tn_args *a, const char *ns,
		      uint64_t ns_id, lsmount_filter_fn wanted, const void *ctx);

#endif
