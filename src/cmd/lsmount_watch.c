/* lsmount_watch.c - lsmount --watch: subscribe to the namespace's mount
 * events first, then list its mounts, then stream the events, so that
 * nothing done between the listing and the first event is lost.
 *
 * Every record tnos has seen is kept by mount id: a detach is reported with
 * the last record of its mount (statmount can no longer see it), and an
 * event for a mount the listing already showed (made between the
 * subscription and the listing) is not reported twice. */
#define _GNU_SOURCE
#include "lsmount_watch.h"
#include "../util.h"
#include "../core/mntevent.h"
#include "../core/mount.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { WC_EVENT = MC_NCOLS, WC_TIME, WC_NOTE };

enum { NOTE_RESYNC = 1, NOTE_LAST_SEEN = 2, NOTE_NO_RECORD = 4 };

static const struct tn_name note_names[] = {
	{ NOTE_RESYNC, "resync", "found by listing the mounts again after the event queue overflowed", 0 },
	{ NOTE_LAST_SEEN, "last-seen", "the mount is gone: its record is the last one seen", 0 },
	{ NOTE_NO_RECORD, "no-record", "the mount is gone and was never seen: only its id is known", 0 },
	{ 0, NULL, NULL, 0 }
};

const struct tn_col lsmount_cols[] = {
	MC_COLS_INIT
	[WC_EVENT] = { "EVENT", "event", T_STR, 0, "--watch: attach, detach, move; mounted (listed at the start), absent", NULL, 0 },
	[WC_TIME] = { "TIME", "time", T_TIME, 0, "--watch: when tnos read the event", NULL, 0 },
	[WC_NOTE] = { "NOTE", "note", T_FLAGS, 0, "--watch: resync, last-seen, no-record", note_names, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, 0 }
};

static const char watch_defcols[] = "EVENT,TIME,ID,TARGET,SOURCE,FSTYPE,NOTE";

static const char *const kind_word[] = {
	[TN_MNTEV_ATTACH] = "attach", [TN_MNTEV_DETACH] = "detach", [TN_MNTEV_MOVE] = "move",
};

int lsmount_watch_opt(struct lsmount_watch *w, int key, const char *arg)
{
	char *end;
	switch (key) {
	case LW_WATCH:
		w->on = true;
		return TN_OPT_GO;
	case LW_NO_INITIAL:
		w->no_initial = true;
		w->other = "--no-initial";
		return TN_OPT_GO;
	case LW_UNTIL:
		for (int k = TN_MNTEV_ATTACH; k <= TN_MNTEV_MOVE; k++)
			if (!strcmp(arg, kind_word[k])) {
				w->until = 1 + k;
				w->other = "--until";
				return TN_OPT_GO;
			}
		return tn_usage_err("--until: '%s' is not an event (attach, detach, move)", arg);
	case LW_TIMEOUT:
		errno = 0;
		w->timeout = strtod(arg, &end);
		if (errno || end == arg || *end || !isfinite(w->timeout) || w->timeout < 0 ||
		    w->timeout > 1e9 || (*arg < '0' || *arg > '9'))
			return tn_usage_err("--timeout: '%s' is not a number of seconds", arg);
		w->have_timeout = true;
		w->other = "--timeout";
		return TN_OPT_GO;
	case LW_COUNT:
		if (tn_parse_u64(arg, &w->count) || !w->count)
			return tn_usage_err("--count: '%s' is not a number from 1", arg);
		w->have_count = true;
		w->other = "--count";
		return TN_OPT_GO;
	}
	return TN_OPT_NOT_MINE;
}

int lsmount_watch_cols_refused(const struct out *o)
{
	for (int c = WC_EVENT; c <= WC_NOTE; c++)
		if (out_want(o, c))
			return tn_usage_err("-o %s: a column of --watch", lsmount_cols[c].hdr);
	return 0;
}

/* ---- what tnos knows of each mount */

struct known {
	uint64_t id;
	struct tn_statmount *sm;	/* the last record seen, or NULL */
	bool present;			/* attached, as far as tnos knows */
};

struct watch {
	const struct lsmount_watch *w;
	struct out o;
	uint64_t ns_id, mask, root;	/* root: the subtree's mount, or 0 */
	lsmount_filter_fn wanted;
	const void *ctx;
	struct tn_idmap idx;		/* mount id -> v[] */
	struct known *v;
	size_t n, cap;
	struct tn_smbuf b;
	/* --until */
	const char *tpath;		/* the target mount point, or NULL */
	uint64_t tid;			/* the target mount id, or 0 */
	char *tpath_buf;
	bool matched, resync_window, failed;
	uint64_t events;
};

static struct known *known_of(struct watch *ws, uint64_t id)
{
	size_t i = tn_idmap_get(&ws->idx, id);
	return i == SIZE_MAX ? NULL : &ws->v[i];
}

static struct known *known_add(struct watch *ws, uint64_t id)
{
	struct known *k = known_of(ws, id);
	if (k)
		return k;
	if (ws->n == ws->cap) {
		ws->cap = ws->cap ? 2 * ws->cap : 256;
		ws->v = xrealloc(ws->v, ws->cap * sizeof(*ws->v));
	}
	tn_idmap_put(&ws->idx, id, ws->n);
	k = &ws->v[ws->n++];
	k->id = id;
	k->sm = NULL;
	k->present = false;
	return k;
}

static void known_set(struct known *k, const struct tn_statmount *sm)
{
	free(k->sm);
	k->sm = xmalloc(sm->size);
	memcpy(k->sm, sm, sm->size);
	k->present = true;
}

static const char *mnt_point(const struct tn_statmount *sm)
{
	return sm ? tn_sm_str(sm, STATMOUNT_MNT_POINT, sm->mnt_point) : NULL;
}

/* Is mount id the subtree's root or below it, as far as the records say? */
static bool in_subtree(struct watch *ws, uint64_t id)
{
	if (!ws->root)
		return true;
	for (size_t depth = 0; depth <= ws->n; depth++) {
		if (id == ws->root)
			return true;
		struct known *k = known_of(ws, id);
		if (!k || !k->sm || k->sm->mnt_parent_id == id)
			return false;
		id = k->sm->mnt_parent_id;
	}
	return false;
}

/* statmount of id into ws->b: 0, -ENOENT (gone), or another -errno
 * (said). */
static int stat_mount(struct watch *ws, uint64_t id)
{
	int e = tn_statmount(&ws->b, id, ws->ns_id, ws->mask);
	if (e == -EINVAL) {	/* mask bits this kernel lacks: drop them */
		char label[32];
		snprintf(label, sizeof(label), "%llu", (unsigned long long)id);
		return mountrec_stat(&ws->b, id, ws->ns_id, ws->mask, false, label) ? -EINVAL : 0;
	}
	if (e < 0 && e != -ENOENT) {
		tn_syserr(-e, "statmount", "statmount %llu", (unsigned long long)id);
		ws->failed = true;
	}
	return e;
}

static bool until_match(const struct watch *ws, int kind, uint64_t id, const struct tn_statmount *sm)
{
	if (ws->w->until != 1 + kind)
		return false;
	if (ws->tid)
		return id == ws->tid;
	const char *mp = mnt_point(sm);
	return mp && !strcmp(mp, ws->tpath);
}

/* Whether a record passes the filters: the subtree (subtree_ok), -t,
 * --source. */
static bool passes(const struct watch *ws, const struct tn_statmount *sm, bool subtree_ok)
{
	return subtree_ok && ws->wanted(ws->ctx, sm);
}

/* One record: word is the event, sm the record (NULL: none), note its
 * NOTE flags. */
static void put_row(struct watch *ws, const char *word, uint64_t id, const struct tn_statmount *sm,
		    unsigned note)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	struct out *o = &ws->o;
	out_row_open(o);
	out_str(o, WC_EVENT, word);
	out_time(o, WC_TIME, now.tv_sec, (uint32_t)now.tv_nsec);
	if (sm)
		mountrec_emit(o, sm);
	else if (id)
		out_u64(o, MC_ID, id);
	else if (ws->tpath)
		out_str(o, MC_TARGET, ws->tpath);
	out_flags(o, WC_NOTE, note);
	out_row_close(o);
}

/* An event's record, if it passes the filters; with --until only the one
 * that matches is shown (and ends the watch).  Whether it passed. */
static bool emit(struct watch *ws, int kind, uint64_t id, const struct tn_statmount *sm,
		 unsigned note, bool subtree_ok)
{
	if (!passes(ws, sm, subtree_ok))
		return false;
	if (ws->w->until) {
		if (until_match(ws, kind, id, sm)) {
			put_row(ws, kind_word[kind], id, sm, note);
			ws->matched = true;
		}
	} else {
		put_row(ws, kind_word[kind], id, sm, note);
	}
	return true;
}

/* One event (or, resync, a difference found by listing again). */
static void event(struct watch *ws, enum tn_mntev_kind kind, uint64_t id, unsigned note)
{
	struct known *k = known_of(ws, id);
	bool shown = false;

	switch (kind) {
	case TN_MNTEV_ATTACH:
		if (k && k->present)
			return;	/* listed already: attached after the subscription */
		if (!(note & NOTE_RESYNC) && stat_mount(ws, id) < 0) {
			k = known_add(ws, id);
			k->present = true;
			shown = emit(ws, kind, id, NULL, note | NOTE_NO_RECORD, !ws->root);
			break;
		}
		k = known_add(ws, id);
		known_set(k, ws->b.sm);
		shown = emit(ws, kind, id, k->sm, note, in_subtree(ws, id));
		break;
	case TN_MNTEV_DETACH:
		if (k && !k->present)
			return;	/* reported gone already (a re-listing found it) */
		k = known_add(ws, id);
		shown = emit(ws, kind, id, k->sm, note | (k->sm ? NOTE_LAST_SEEN : NOTE_NO_RECORD),
			     k->sm ? in_subtree(ws, id) : !ws->root);
		k->present = false;
		if (!ws->root) {
			/* never needed again (unique ids are not reused); a
			 * subtree keeps it for the parent chains of its mounts */
			free(k->sm);
			k->sm = NULL;
		}
		break;
	case TN_MNTEV_MOVE: {
		bool was_in = in_subtree(ws, id);
		if (!(note & NOTE_RESYNC) && stat_mount(ws, id) < 0) {
			/* gone since: what is known of it */
			k = known_add(ws, id);
			shown = emit(ws, kind, id, k->sm, note | (k->sm ? NOTE_LAST_SEEN : NOTE_NO_RECORD),
				     k->sm ? was_in : !ws->root);
			break;
		}
		const struct tn_statmount *now = ws->b.sm;
		if (ws->resync_window && k && k->sm && k->sm->mnt_parent_id == now->mnt_parent_id &&
		    mnt_point(k->sm) && mnt_point(now) && !strcmp(mnt_point(k->sm), mnt_point(now)))
			return;	/* a re-listing has shown it there already */
		k = known_add(ws, id);
		known_set(k, now);
		shown = emit(ws, kind, id, k->sm, note, was_in || in_subtree(ws, id));
		break;
	}
	case TN_MNTEV_OVERFLOW:
		return;
	}
	ws->events += shown;
}

/* ---- listing */

struct listing {
	uint64_t *ids;
	size_t n, cap;
};

/* Every mount id of the namespace, in listmount's order: 0 or -errno. */
static int list_ids(const struct watch *ws, struct listing *li)
{
	struct tn_lister l;
	uint64_t id;
	int k;
	li->n = 0;
	tn_list_init(&l, LSMT_ROOT, ws->ns_id, false, 0, 4096);
	while ((k = tn_list_next(&l, &id)) > 0) {
		if (li->n == li->cap) {
			li->cap = li->cap ? 2 * li->cap : 1024;
			li->ids = xrealloc(li->ids, li->cap * sizeof(*li->ids));
		}
		li->ids[li->n++] = id;
	}
	tn_list_free(&l);
	return k;
}

/* The listing at the start: every record kept, shown unless --no-initial. */
static int initial(struct watch *ws)
{
	struct listing li = { 0 };
	int k = list_ids(ws, &li);
	if (k < 0) {
		free(li.ids);
		return tn_syserr(-k, "listmount", "listmount");
	}
	for (size_t i = 0; i < li.n; i++)
		if (stat_mount(ws, li.ids[i]) == 0)
			known_set(known_add(ws, li.ids[i]), ws->b.sm);
	if (ws->root && !known_of(ws, ws->root)) {
		free(li.ids);
		tn_warn("%llu: no such mount", (unsigned long long)ws->root);
		return TN_EXIT_FAIL;
	}
	for (size_t i = 0; i < li.n; i++) {
		struct known *kn = known_of(ws, li.ids[i]);
		if (!kn || !kn->sm)
			continue;
		/* a match true at the subscription counts, shown as such */
		if (ws->w->until == 1 + TN_MNTEV_ATTACH && until_match(ws, TN_MNTEV_ATTACH, li.ids[i], kn->sm)) {
			put_row(ws, "mounted", li.ids[i], kn->sm, 0);
			ws->matched = true;
			break;
		}
		if (!ws->w->no_initial && !ws->w->until && passes(ws, kn->sm, in_subtree(ws, li.ids[i])))
			put_row(ws, "mounted", li.ids[i], kn->sm, 0);
	}
	if (ws->w->until == 1 + TN_MNTEV_DETACH && !ws->matched) {
		bool there = false;
		for (size_t i = 0; i < ws->n && !there; i++)
			there = ws->v[i].present &&
				(ws->tid ? ws->tid == ws->v[i].id
					 : mnt_point(ws->v[i].sm) && !strcmp(mnt_point(ws->v[i].sm), ws->tpath));
		if (!there) {
			put_row(ws, "absent", ws->tid, NULL, 0);
			ws->matched = true;
		}
	}
	free(li.ids);
	return 0;
}

/* FAN_Q_OVERFLOW: events were lost.  List again; what differs from the
 * records is reported as events marked resync. */
static int resync(struct watch *ws)
{
	tn_warn("the event queue overflowed (FAN_Q_OVERFLOW): events were lost; "
		"listed the mounts again: the differences follow, marked resync");
	struct listing li = { 0 };
	int k = list_ids(ws, &li);
	if (k < 0) {
		free(li.ids);
		return tn_syserr(-k, "listmount", "listmount");
	}
	struct tn_idmap now = { 0 };
	for (size_t i = 0; i < li.n; i++)
		tn_idmap_put(&now, li.ids[i], i);
	/* gone */
	for (size_t i = 0; i < ws->n && !ws->matched; i++) {
		struct known *kn = &ws->v[i];
		if (kn->present && tn_idmap_get(&now, kn->id) == SIZE_MAX)
			event(ws, TN_MNTEV_DETACH, kn->id, NOTE_RESYNC);
	}
	/* new, or elsewhere */
	for (size_t i = 0; i < li.n && !ws->matched; i++) {
		if (stat_mount(ws, li.ids[i]) < 0)
			continue;
		struct known *kn = known_of(ws, li.ids[i]);
		if (!kn || !kn->present) {
			event(ws, TN_MNTEV_ATTACH, li.ids[i], NOTE_RESYNC);
			continue;
		}
		const char *was = mnt_point(kn->sm), *is = mnt_point(ws->b.sm);
		if (kn->sm && (kn->sm->mnt_parent_id != ws->b.sm->mnt_parent_id ||
			       !was != !is || (was && strcmp(was, is))))
			event(ws, TN_MNTEV_MOVE, li.ids[i], NOTE_RESYNC);
		else
			known_set(kn, ws->b.sm);
	}
	tn_idmap_free(&now);
	free(li.ids);
	ws->resync_window = true;
	return 0;
}

/* ---- the loop */

static volatile sig_atomic_t stop_sig;

static void on_stop(int sig)
{
	stop_sig = sig;
}

static bool done(const struct watch *ws)
{
	return ws->matched || (ws->w->have_count && ws->events >= ws->w->count);
}

/* Why the watch could not start: the exit code (said). */
static int open_error(int e, const char *step, const char *ns)
{
	const char *what = ns ? ns : "this mount namespace";
	if (e == -ENOSYS) {
		tn_warn("%s: watching mounts: %s: %s: this kernel has no fanotify "
			"(mount events need Linux 6.15)", what, step, strerror(ENOSYS));
		return TN_EXIT_NOSYS;
	}
	if (e == -EINVAL) {
		tn_warn("%s: watching mounts: %s: %s: this kernel has no mount events "
			"(fanotify %s, Linux 6.15)", what, step, strerror(EINVAL),
			strcmp(step, "fanotify_init") ? "FAN_MARK_MNTNS" : "FAN_REPORT_MNT");
		return TN_EXIT_NOSYS;
	}
	if (e == -EPERM || e == -EACCES) {
		tn_warn("%s: watching mounts: %s: %s (mount events need CAP_SYS_ADMIN%s)", what, step,
			strerror(-e), ns ? " over that namespace" : "");
		return TN_EXIT_FAIL;
	}
	return tn_syserr(-e, step, "%s: watching mounts: %s", what, step);
}

/* The --until target: a mount id, or the mount point (made absolute). */
static int target(struct watch *ws, const char *arg, const char *ns)
{
	if (tn_all_digits(arg)) {
		if (tn_parse_u64(arg, &ws->tid) || !ws->tid)
			return tn_usage_err("'%s' is not a mount id", arg);
		return 0;
	}
	if (tn_empty_path(NULL, arg))
		return TN_EXIT_FAIL;
	char *r = ns ? NULL : realpath(arg, NULL);
	if (!r && *arg != '/') {
		if (ns)
			return tn_usage_err("%s: with --ns the target is a mount point of that "
					    "namespace: give it whole (from /)", arg);
		char *cwd = getcwd(NULL, 0);
		if (!cwd)
			return tn_syserr(errno, NULL, "getcwd");
		size_t n = strlen(cwd) + strlen(arg) + 2;
		r = xmalloc(n);
		snprintf(r, n, "%s%s%s", cwd, strcmp(cwd, "/") ? "/" : "", arg);
		free(cwd);
	}
	ws->tpath_buf = r;
	ws->tpath = r ? r : arg;
	return 0;
}

static int loop(struct watch *ws, int fd)
{
	static unsigned char buf[64 * 1024] __attribute__((aligned(8)));
	struct timespec deadline = { 0 };
	if (ws->w->have_timeout) {
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		time_t whole = (time_t)ws->w->timeout;	/* >= 0: the cast truncates */
		deadline.tv_sec += whole;
		deadline.tv_nsec += (long)((ws->w->timeout - (double)whole) * 1e9);
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
	}
	sigset_t block, orig;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	struct sigaction sa = { .sa_handler = on_stop };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	int r = 0;
	while (!done(ws)) {
		struct pollfd p[2] = { { .fd = fd, .events = POLLIN }, { .fd = STDOUT_FILENO, .events = 0 } };
		struct timespec left, *tp = NULL;
		if (ws->w->have_timeout) {
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			left.tv_sec = deadline.tv_sec - now.tv_sec;
			left.tv_nsec = deadline.tv_nsec - now.tv_nsec;
			if (left.tv_nsec < 0) {
				left.tv_sec--;
				left.tv_nsec += 1000000000L;
			}
			if (left.tv_sec < 0)
				break;
			tp = &left;
		}
		int k = ppoll(p, 2, tp, &orig);
		if (stop_sig)
			break;
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			r = tn_syserr(errno, NULL, "poll");
			break;
		}
		if (p[1].revents & (POLLERR | POLLHUP))
			return tn_stdout_failed(EPIPE);	/* the reader went away */
		if (!k)
			continue;	/* the deadline: checked above */
		ssize_t n = tn_mntev_read(fd, buf, sizeof(buf));
		if (n < 0) {
			r = tn_syserr((int)-n, NULL, "reading mount events");
			break;
		}
		if (!n) {
			ws->resync_window = false;	/* the queue is drained */
			continue;
		}
		struct tn_mntev_iter it;
		struct tn_mntev ev;
		tn_mntev_iter_init(&it, buf, (size_t)n);
		while (!done(ws) && (k = tn_mntev_next(&it, &ev)) > 0) {
			if (ev.kind == TN_MNTEV_OVERFLOW) {
				if ((r = resync(ws)))
					break;
			} else {
				event(ws, ev.kind, ev.mnt_id, 0);
			}
		}
		if (r)
			break;
		if (k < 0) {
			tn_warn("reading mount events: a record this build cannot parse");
			r = TN_EXIT_FAIL;
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &orig, NULL);
	return r;
}

int lsmount_watch_run(const struct lsmount_watch *w, const struct tn_args *a, const char *ns,
		      uint64_t ns_id, lsmount_filter_fn wanted, const void *ctx)
{
	if (!w->on)
		return tn_usage_err("%s needs --watch", w->other);
	if (a->out.fmt == OUT_JSON)
		return tn_usage_err("-J makes one document, which a stream never ends: "
				    "use --ndjson with --watch (one object per event)");
	if (w->until && a->npos != 1)
		return tn_usage_err("--until %s needs the mount it waits for: an ID or a PATH",
				    kind_word[w->until - 1]);
	if (a->npos > 1)
		return tn_usage_err("one mount at most (an id or a path)");

	struct watch ws = { .w = w, .ns_id = ns_id, .wanted = wanted, .ctx = ctx };
	int r = 0, fd = -1, nsfd = -1;
	if (w->until && (r = target(&ws, a->pos[0], ns)))
		goto out;
	if (!w->until && a->npos == 1 && (r = mountrec_resolve(a->pos[0], &ws.root)))
		goto out;
	if ((r = out_init(&ws.o, &a->out, lsmount_cols, watch_defcols, "mounts")))
		goto out;
	out_stream(&ws.o);
	ws.mask = out_need(&ws.o) | STATMOUNT_MNT_BASIC | STATMOUNT_MNT_POINT | STATMOUNT_FS_TYPE |
		  STATMOUNT_FS_SUBTYPE | STATMOUNT_SB_SOURCE;

	nsfd = tn_ns_open(ns ? ns : "/proc/self/ns/mnt", "mnt");
	if (nsfd < 0) {
		r = tn_syserr(-nsfd, NULL, "--ns %s", ns ? ns : "/proc/self/ns/mnt");
		goto out;
	}
	/* subscribe first, then list: nothing falls between the two */
	const char *step;
	fd = tn_mntev_open(nsfd, &step);
	if (fd < 0) {
		r = open_error(fd, step, ns);
		goto out;
	}
	if ((r = initial(&ws)))
		goto out;
	if (!ws.matched)
		r = loop(&ws, fd);
	if (!r && ws.failed)
		r = TN_EXIT_FAIL;
	if (!r && !done(&ws) && (w->until || w->have_count)) {
		if (!stop_sig) {
			if (w->until)
				tn_warn("--timeout %g: no %s of %s", w->timeout, kind_word[w->until - 1],
					a->pos[0]);
			else
				tn_warn("--timeout %g: %llu of %llu events", w->timeout,
					(unsigned long long)ws.events, (unsigned long long)w->count);
		}
		r = TN_EXIT_FAIL;
	}
	out_end(&ws.o);
out:
	if (fd >= 0)
		close(fd);
	if (nsfd >= 0)
		close(nsfd);
	out_free(&ws.o);
	for (size_t i = 0; i < ws.n; i++)
		free(ws.v[i].sm);
	free(ws.v);
	tn_idmap_free(&ws.idx);
	tn_smbuf_free(&ws.b);
	free(ws.tpath_buf);
	return r;
}
