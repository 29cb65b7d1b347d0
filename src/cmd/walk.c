/* walk.c - tnos walk: a safe, restartable walk of exactly one filesystem. */
#define _GNU_SOURCE
#include "common/file_ops.h"
#include "common/file_record.h"
#include "../core/checkpoint.h"
#include "../core/file.h"
#include "../core/mount.h"
#include "../core/textparse.h"
#include "../core/walk.h"
#include "../core/walkroot.h"
#include "../emit/jsonw.h"
#include "../opt.h"
#include "../util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

enum {
	WO_NULL = '0', WO_JOBS = 'j',
	WO_RELATIVE = 0x100, WO_OPEN_FLAGS, WO_INC_SYMLINKS, WO_INC_MOUNTS, WO_CUTOFF, WO_PRUNE,
	WO_TOKEN, WO_STATS, WO_PROGRESS, WO_REPORT, WO_EXEC, WO_TIME_STYLE,
	WO_CHECKPOINT, WO_CK_EVERY, WO_RESUME, WO_RESUME_DEPTH,
};

#define CK_EVERY_DEFAULT 100000

static const struct tn_opt opts[] = {
	{ WO_RELATIVE, "relative", "PATH", "walk only this directory below MOUNTPOINT (no '..', no symlinks)", TC_DIR, NULL, 0, NULL },
	{ '0', "null", NULL, "paths as raw bytes, each ended by a NUL (for xargs -0); with -o, every cell", 0, NULL, 0, NULL },
	{ WO_OPEN_FLAGS, "open-flags", "NAMES", "open regular files with these flags (default rdonly,noatime)", TC_NAMES, tn_walk_open_flag_names, 0, NULL },
	{ WO_INC_SYMLINKS, "include-symlinks", NULL, "also show symlinks (opened O_PATH, never followed)", 0, NULL, 0, NULL },
	{ WO_INC_MOUNTS, "include-mountpoints", NULL, "also show child mount points (O_PATH, never entered)", 0, NULL, 0, NULL },
	{ WO_CUTOFF, "btime-cutoff", "TIME", "leave out non-directories born after TIME (epoch seconds or ISO 8601)", 0, NULL, 0, NULL },
	{ WO_PRUNE, "prune", "GLOB", "do not enter directories whose name matches (repeatable)", 0, NULL, 0, NULL },
	{ WO_TOKEN, "resume-token", "NAME=HEX", "mark finished directories with xattr NAME (32 hex digits); skip marked ones", 0, NULL, 0, NULL },
	{ WO_CHECKPOINT, "checkpoint", "FILE", "save where the walk is in FILE (on another filesystem) every N entries, when stopped and at the end", TC_FILE, NULL, 0, NULL },
	{ WO_CK_EVERY, "checkpoint-every", "N", "save the checkpoint every N entries (default 100000)", 0, NULL, 0, NULL },
	{ WO_RESUME, "resume", "FILE", "go on from the checkpoint in FILE (and keep saving there, unless --checkpoint)", TC_FILE, NULL, 0, NULL },
	{ WO_RESUME_DEPTH, "resume-depth", "D", "with --resume: go on in the saved directory at depth D (0: the root), after the one it was in", 0, NULL, 0, NULL },
	{ WO_STATS, "stats", NULL, "at the end, one JSON line on stderr: cnt, cnt_bytes, current_directory, elapsed, ...", 0, NULL, 0, NULL },
	{ WO_PROGRESS, "progress", NULL, "a live status line on stderr (only when stderr is a terminal)", 0, NULL, 0, NULL },
	{ WO_REPORT, "report-every", "N", "a JSON progress line on stderr every N entries", 0, NULL, 0, NULL },
	{ WO_EXEC, "exec", "CMD [ARG]... ;", "run CMD per regular file (no path argument): stdin is the verified fd, $TNOS_PATH its path", TC_CMD, NULL, OPT_REST, NULL },
	{ 'j', "jobs", "N", "N threads share out the directories (no N: one per online CPU; default 1: depth-first)", 0, NULL, OPT_OPTNUM, NULL },
	FC_TIME_STYLE_OPT(WO_TIME_STYLE),
	{ 0, NULL, NULL, NULL, 0, NULL, 0, NULL }
};

#define DEFCOLS "PARENT,NAME,ISDIR,ISREG,ISLNK,ISMOUNT," TN_STATX_ITER_COLS

struct wopts {
	const char *relative;
	bool nul, have_oflags, inc_symlinks, inc_mounts, have_cutoff, stats, progress;
	uint64_t oflags;
	int64_t cutoff;
	char **prune;
	int nprune;
	const char *token_name;
	char *token_arg;
	unsigned char token[TN_WALK_TOKEN_LEN];
	uint64_t report_every;
	char **exec;
	int nexec;
	uint64_t jobs;
	enum out_time_style tstyle;
	const char *ck_file, *resume_file;
	uint64_t ck_every, resume_depth;
	bool have_ck_every, have_resume_depth;
};

/* ---- option parsing */

static int parse_token(struct wopts *o, const char *arg)
{
	const char *eq = strrchr(arg, '=');
	if (!eq || eq == arg)
		return tn_usage_err("--resume-token: '%s' is not NAME=HEX (e.g. user.walk=<32 hex digits>)", arg);
	const char *hex = eq + 1;
	if (strlen(hex) != 2 * TN_WALK_TOKEN_LEN)
		return tn_usage_err("--resume-token: the token must be %d hex digits (%zu given)",
				    2 * TN_WALK_TOKEN_LEN, strlen(hex));
	for (int i = 0; i < TN_WALK_TOKEN_LEN; i++) {
		int h = tn_hexval(hex[2 * i]), l = tn_hexval(hex[2 * i + 1]);
		if (h < 0 || l < 0)
			return tn_usage_err("--resume-token: '%s' is not hexadecimal", hex);
		o->token[i] = (unsigned char)(h << 4 | l);
	}
	/* the kernel stores these namespaces for any file; another name
	 * (no prefix, system.) cannot be set on a directory (EOPNOTSUPP) */
	static const char *const ns[] = { "user.", "trusted.", "security." };
	bool named = false;
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		size_t n = strlen(ns[i]);
		if ((size_t)(eq - arg) > n && !strncmp(arg, ns[i], n))
			named = true;
	}
	if (!named)
		return tn_usage_err("--resume-token: '%.*s' is not an extended attribute a directory can "
				    "carry: give user.NAME (or trusted.NAME, security.NAME)",
				    (int)(eq - arg), arg);
	free(o->token_arg);
	o->token_arg = strndup(arg, eq - arg);
	o->token_name = o->token_arg;
	return TN_OPT_GO;
}

static int cb(void *ctx, int key, const char *arg, char **rest, int nrest)
{
	struct wopts *o = ctx;
	switch (key) {
	case WO_RELATIVE: o->relative = arg; break;
	case WO_NULL: o->nul = true; break;
	case WO_OPEN_FLAGS:
		if (opt_names("open-flags", tn_walk_open_flag_names, arg, &o->oflags))
			return TN_EXIT_USAGE;
		if ((o->oflags & O_PATH) && (o->oflags & ~(uint64_t)(O_PATH | O_NOATIME | O_LARGEFILE)))
			return tn_usage_err("--open-flags: path takes no other flags");
		o->have_oflags = true;
		break;
	case WO_INC_SYMLINKS: o->inc_symlinks = true; break;
	case WO_INC_MOUNTS: o->inc_mounts = true; break;
	case WO_CUTOFF:
		if (tn_parse_time(arg, &o->cutoff))
			return tn_usage_err("--btime-cutoff: '%s' is neither epoch seconds nor ISO 8601 (2024-05-01T12:00:00Z)", arg);
		o->have_cutoff = true;
		break;
	case WO_PRUNE:
		o->prune = xrealloc(o->prune, (o->nprune + 1) * sizeof(char *));
		o->prune[o->nprune++] = (char *)arg;
		break;
	case WO_TOKEN:
		return parse_token(o, arg);
	case WO_STATS: o->stats = true; break;
	case WO_PROGRESS: o->progress = true; break;
	case WO_REPORT:
		if (tn_parse_u64(arg, &o->report_every) || !o->report_every)
			return tn_usage_err("--report-every: '%s' is not a positive number", arg);
		break;
	case WO_EXEC:
		o->exec = rest;
		o->nexec = nrest;
		break;
	case WO_TIME_STYLE:
		return fc_time_style(arg, &o->tstyle);
	case WO_JOBS:
		if (!arg) {
			long n = sysconf(_SC_NPROCESSORS_ONLN);
			o->jobs = n < 1 ? 1 : n > TN_WALK_MAX_JOBS ? TN_WALK_MAX_JOBS : (uint64_t)n;
		} else if (tn_parse_u64(arg, &o->jobs) || !o->jobs || o->jobs > TN_WALK_MAX_JOBS)
			return tn_usage_err("--jobs: '%s' is not a number from 1 to %d", arg, TN_WALK_MAX_JOBS);
		break;
	case WO_CHECKPOINT: o->ck_file = arg; break;
	case WO_CK_EVERY:
		if (tn_parse_u64(arg, &o->ck_every) || !o->ck_every)
			return tn_usage_err("--checkpoint-every: '%s' is not a positive number", arg);
		o->have_ck_every = true;
		break;
	case WO_RESUME: o->resume_file = arg; break;
	case WO_RESUME_DEPTH:
		if (tn_parse_u64(arg, &o->resume_depth) || o->resume_depth >= TN_CKPT_MAX_LEVELS)
			return tn_usage_err("--resume-depth: '%s' is not a depth from 0 to %d", arg,
					    TN_CKPT_MAX_LEVELS - 1);
		o->have_resume_depth = true;
		break;
	}
	return TN_OPT_GO;
}

/* ---- the walk's context */

#define FLUSH_AT 65536

/* One worker's directory stack as the walk goes (--checkpoint and the
 * --report-every records): [0] the root, [d] the directory at depth d; off
 * is the getdents offset after the entry done last in it. */
struct dlevel {
	char *path;
	size_t len;
	uint64_t ino;
	int64_t off;
};

struct dstack {
	struct dlevel *lv;
	unsigned n, cap;
};

struct wctx {
	struct wopts *o;
	struct tn_walk_report *rep;
	bool emitter;			/* --ndjson, -J, -P, -o: records */
	bool lines;			/* -o for people: one line per entry */
	struct out out;
	struct out *touts;		/* --ndjson or lines with --jobs: one emitter per
					 * worker, rows built in parallel, written under
					 * the lock */
	bool threaded;
	pthread_mutex_t lock;		/* stdout, stderr, exec bookkeeping */
	struct sbuf *buf;		/* per worker: whole lines of paths */
	bool write_failed;
	struct timespec t0;
	/* --progress */
	bool progress;
	double last_progress;
	/* --exec */
	char **envp;
	size_t env_slot;
	uint64_t exec_failed;
	bool exec_fatal;
	struct sbuf esc;		/* scratch for --progress (under lock) */
	/* the directory stacks, one per worker (when tracked) */
	bool track;
	struct dstack *stk;
	/* --checkpoint: the file written, and what goes in it besides the stack */
	const char *ck_out;
	struct tn_ckpt ck;		/* the walk and its options; counts so far
					 * of earlier runs (--resume) */
	uint64_t done_cnt, done_bytes;	/* entries listed by this run */
	uint64_t ck_since;		/* entries since the last save */
	bool ck_failed;
};

static volatile sig_atomic_t stop_sig;

static void on_signal(int sig)
{
	if (!stop_sig)
		stop_sig = sig;
}

static double elapsed(const struct wctx *c)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - c->t0.tv_sec) + (t.tv_nsec - c->t0.tv_nsec) / 1e9;
}

static void lock(struct wctx *c)
{
	if (c->threaded)
		pthread_mutex_lock(&c->lock);
}

static void unlock(struct wctx *c)
{
	if (c->threaded)
		pthread_mutex_unlock(&c->lock);
}

/* A path made safe for a terminal (the --progress line), in the context's
 * scratch buffer: use under the lock.  Messages (tn_warn) escape their own. */
static const char *esc(struct wctx *c, const char *s, size_t n)
{
	c->esc.len = 0;
	tn_escape(&c->esc, s, n, 0);
	sb_addc(&c->esc, 0);
	return c->esc.p;
}

static void write_all(struct wctx *c, const char *p, size_t n)
{
	while (n && !c->write_failed) {
		ssize_t r = write(STDOUT_FILENO, p, n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			c->write_failed = true;
			tn_stdout_failed(errno);
			return;
		}
		p += r;
		n -= (size_t)r;
	}
}

static void flush_buf(struct wctx *c, int tid)
{
	struct sbuf *b = &c->buf[tid];
	if (!b->len)
		return;
	lock(c);
	write_all(c, b->p, b->len);
	unlock(c);
	b->len = 0;
}

static bool needs_escape(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f || p[i] == '\\')
			return true;
	return false;
}

/* A JSON line on stderr, which may be a terminal: the JSON writer escapes
 * every control byte, C1 controls (U+0080..U+009F) included, so the line is
 * written as it is. */
static void json_line(struct sbuf *s)
{
	sb_addc(s, '\n');
	fwrite(s->p, 1, s->len, stderr);
}

/* ---- the directory stack: kept from the engine's enter and leave hooks */

/* Level d of st holds path (len bytes), ino, off; the levels below it go. */
static void stk_set(struct dstack *st, unsigned d, const char *path, size_t len, uint64_t ino,
		    int64_t off)
{
	if (d >= st->cap) {
		unsigned n = st->cap ? st->cap * 2 : 16;
		while (n <= d)
			n *= 2;
		st->lv = xrealloc(st->lv, n * sizeof(*st->lv));
		memset(st->lv + st->cap, 0, (n - st->cap) * sizeof(*st->lv));
		st->cap = n;
	}
	struct dlevel *L = &st->lv[d];
	free(L->path);
	L->path = xmalloc(len + 1);
	memcpy(L->path, path, len);
	L->path[len] = 0;
	L->len = len;
	L->ino = ino;
	L->off = off;
	st->n = d + 1;
}

static void stk_free(struct dstack *st)
{
	for (unsigned i = 0; i < st->cap; i++)
		free(st->lv[i].path);
	free(st->lv);
}

static void on_enter(void *ctx, const struct tn_walk_entry *e)
{
	struct wctx *c = ctx;
	struct dstack *st = &c->stk[e->tid];
	if (e->depth < st->n && st->lv[e->depth].ino == e->stx->stx_ino) {
		/* a directory of --resume, found again: its offset stays, its
		 * path is the one it has now */
		struct dlevel L = st->lv[e->depth];
		unsigned n = st->n;
		stk_set(st, e->depth, e->path, e->path_len, L.ino, L.off);
		st->n = n;
		return;
	}
	stk_set(st, e->depth, e->path, e->path_len, e->stx->stx_ino, 0);
}

static void on_leave(void *ctx, int tid, unsigned depth)
{
	struct wctx *c = ctx;
	c->stk[tid].n = depth;	/* its parent's offset is already past it */
}

/* "dir_stack": [{"path", "inode"}, ...], the root first (truenas_os's
 * reporting callback's (path, inode) pairs). */
static void stack_json(struct jsonw *w, const struct dstack *st)
{
	jw_key(w, "dir_stack");
	jw_arr_open(w);
	for (unsigned i = 0; i < st->n; i++) {
		jw_obj_open(w);
		jw_bytes_field(w, "path", st->lv[i].path, st->lv[i].len);
		jw_key(w, "inode");
		jw_u64(w, st->lv[i].ino);
		jw_obj_close(w);
	}
	jw_arr_close(w);
}

/* ---- --checkpoint */

/* Save where the walk is.  Everything listed before goes out first, so
 * that what the file says was listed has been written.  0, or
 * TN_WALK_STOP when it cannot be saved (said). */
static int ck_save(struct wctx *c, bool done)
{
	struct tn_ckpt *ck = &c->ck;
	const struct dstack *st = &c->stk[0];
	for (uint64_t i = 0; i < c->o->jobs; i++)
		flush_buf(c, (int)i);
	fflush(stdout);
	c->ck_since = 0;
	if (c->write_failed)
		return TN_WALK_STOP;	/* said; the last saved checkpoint stays */
	struct tn_ckpt out = *ck;
	out.cnt += c->done_cnt;
	out.cnt_bytes += c->done_bytes;
	out.errors += c->rep->errors;
	out.done = done;
	out.nstack = st->n;
	out.stack = xcalloc(st->n, sizeof(*out.stack));
	for (unsigned i = 0; i < st->n; i++) {
		out.stack[i].path = st->lv[i].path;
		out.stack[i].ino = st->lv[i].ino;
		out.stack[i].off = st->lv[i].off;
	}
	int e = tn_ckpt_save(c->ck_out, &out);
	free(out.stack);
	if (e < 0) {
		lock(c);
		tn_syserr(-e, NULL, "--checkpoint %s: cannot save it", c->ck_out);
		unlock(c);
		c->ck_failed = true;
		return TN_WALK_STOP;
	}
	return 0;
}

/* The stats / progress record: one JSON line on stderr; st (may be NULL)
 * adds the directory stack. */
static void state_line(struct wctx *c, const char *state, uint64_t cnt, uint64_t bytes,
		       const char *dir, size_t dirlen, const struct dstack *st)
{
	struct sbuf b = { 0 };
	struct jsonw w;
	jw_init(&w, &b, false, 0);
	jw_obj_open(&w);
	jw_key(&w, "cnt");
	jw_u64(&w, cnt);
	jw_key(&w, "cnt_bytes");
	jw_u64(&w, bytes);
	jw_bytes_field(&w, "current_directory", dir, dirlen);
	jw_key(&w, "elapsed");
	jw_real(&w, elapsed(c), 9);
	jw_key(&w, "cnt_vanished");
	jw_u64(&w, c->rep->vanished);
	jw_key(&w, "errors");
	jw_u64(&w, c->rep->errors);
	jw_key(&w, "resumed");
	jw_u64(&w, c->rep->resumed);
	jw_key(&w, "marked");
	jw_u64(&w, c->rep->marked);
	jw_key(&w, "state");
	jw_str(&w, state, strlen(state));
	if (st)
		stack_json(&w, st);
	jw_obj_close(&w);
	json_line(&b);
	sb_free(&b);
}

static void progress_line(struct wctx *c, uint64_t cnt, uint64_t bytes, const char *dir,
			  size_t dirlen, bool force)
{
	double t = elapsed(c);
	if (!force && t - c->last_progress < 0.2)
		return;
	c->last_progress = t;
	const char *d = esc(c, dir, dirlen), *tail = d;
	size_t dl = strlen(d);
	if (dl > 60) {
		/* the last 57 bytes, starting on a whole UTF-8 character */
		tail = d + dl - 57;
		while ((*tail & 0xc0) == 0x80)
			tail++;
	}
	fprintf(stderr, "\r\033[K%llu entries, %.1f MiB, %.0f/s, %s%s",
		(unsigned long long)cnt, bytes / 1048576.0, t > 0 ? cnt / t : 0.0,
		tail != d ? "..." : "", tail);
	fflush(stderr);
}

/* Run --exec CMD with the verified fd as stdin.  Returns 0, 1 when CMD
 * failed, TN_WALK_STOP when it cannot run (said), or -errno to stop. */
static int run_exec(struct wctx *c, const struct tn_walk_entry *e)
{
	struct wopts *o = c->o;
	size_t n = 10 + e->path_len + 1;
	char *var = malloc(n);
	if (!var)
		return -ENOMEM;
	memcpy(var, "TNOS_PATH=", 10);
	memcpy(var + 10, e->path, e->path_len + 1);
	/* each worker builds its own environment (the slot differs) */
	size_t ne = c->env_slot;
	char **envp = malloc((ne + 2) * sizeof(char *));
	if (!envp) {
		free(var);
		return -ENOMEM;
	}
	memcpy(envp, c->envp, ne * sizeof(char *));
	envp[ne] = var;
	envp[ne + 1] = NULL;

	/* the command's stdin shares this open file: blocking (the walker
	 * opens files O_NONBLOCK against a swapped-in FIFO), at offset 0 */
	int fl = fcntl(e->fd, F_GETFL);
	if (fl >= 0 && (fl & O_NONBLOCK))
		fcntl(e->fd, F_SETFL, fl & ~O_NONBLOCK);
	lseek(e->fd, 0, SEEK_SET);
	struct fc_cmd cmd = { o->exec, o->nexec, "--exec", e->fd, -1, envp, false };
	int status = fc_run(&cmd);
	free(var);
	free(envp);
	if (status < 0) {
		lock(c);
		tn_warn("--exec %s: %s", o->exec[0], strerror(-status));
		unlock(c);
		return status;
	}
	if (status == 0)
		return 0;
	lock(c);
	c->exec_failed++;
	if (status == 126 || status == 127)
		c->exec_fatal = true;	/* the command cannot run: no point going on */
	unlock(c);
	return c->exec_fatal ? TN_WALK_STOP : 1;
}

/* The entry is done (listed, and its --exec run): its directory's offset
 * moves past it. */
static void entry_done(struct wctx *c, const struct tn_walk_entry *e)
{
	if (!c->track)
		return;
	struct dstack *st = &c->stk[e->tid];
	if (e->depth - 1 < st->n)
		st->lv[e->depth - 1].off = e->d_off;
	if (c->ck_out) {
		/* one job: no other worker counts */
		c->ck_since++;
		c->done_cnt++;
		if (!e->isdir)
			c->done_bytes += e->stx->stx_size;
	}
}

static int on_entry(void *ctx, const struct tn_walk_entry *e)
{
	struct wctx *c = ctx;
	struct wopts *o = c->o;

	/* the checkpoint is saved before an entry, when the one before is done
	 * (a directory entered, or left out) */
	if (c->ck_out && c->ck_since >= o->ck_every) {
		int r = ck_save(c, false);
		if (r)
			return r;
	}

	/* Lines go to this worker's buffer, written in batches under the lock
	 * (paths, NDJSON and -o lines); -J and -P keep one emitter (commas)
	 * and write under the lock as they go. */
	struct sbuf *b = &c->buf[e->tid];
	if (c->emitter) {
		/* NDJSON and -o lines stand alone: each worker builds its rows
		 * with its own emitter into its buffer, and only the write is
		 * serialised. */
		struct out *out = c->touts ? &c->touts[e->tid] : &c->out;
		if (!c->touts)
			lock(c);
		out_row_open_into(out, b);
		struct fc_entry en = {
			.path = e->path, .path_len = e->path_len,
			.parent = e->parent, .parent_len = e->parent_len,
			.name = e->name, .name_len = e->name_len,
			.isdir = e->isdir, .isreg = e->isreg, .islnk = e->islnk, .ismount = e->ismount,
		};
		statxrec_emit_entry(out, e->stx, &en);
		/* an NDJSON or -o line joins the buffer; -J and -P rows are written */
		out_row_close_into(out, b);
		if (!c->touts) {
			if (o->exec)
				fflush(stdout);
			unlock(c);
		}
	} else if (o->nul) {
		sb_add(b, e->path, e->path_len + 1);	/* with its NUL */
	} else {
		if (needs_escape(e->path, e->path_len))
			tn_escape(b, e->path, e->path_len, 0);
		else
			sb_add(b, e->path, e->path_len);
		sb_addc(b, '\n');
	}
	if (b->len >= FLUSH_AT || o->exec)
		flush_buf(c, e->tid);
	if (c->write_failed)
		return TN_WALK_STOP;	/* write_all said so */
	if (o->report_every && e->cnt % o->report_every == 0) {
		lock(c);
		state_line(c, "running", e->cnt, __atomic_load_n(&c->rep->cnt_bytes, __ATOMIC_RELAXED),
			   e->parent, e->parent_len, &c->stk[e->tid]);
		unlock(c);
	}
	if (c->progress && (e->cnt & 255) == 0) {
		lock(c);
		progress_line(c, e->cnt, __atomic_load_n(&c->rep->cnt_bytes, __ATOMIC_RELAXED),
			      e->parent, e->parent_len, false);
		unlock(c);
	}
	if (o->exec && e->isreg && !e->ismount) {
		int r = run_exec(c, e);
		if (r < 0)
			return r;
		if (r > 0) {
			/* a command the stop signal ended runs again on resume */
			if (!stop_sig)
				entry_done(c, e);
			return TN_WALK_FAILED;	/* not done: its directory stays unmarked */
		}
	}
	entry_done(c, e);
	return TN_WALK_GO;
}

static void on_error(void *ctx, int tid, const char *path, const char *op, int err)
{
	struct wctx *c = ctx;
	(void)tid;
	lock(c);
	if (c->progress)
		fputs("\r\033[K", stderr);
	if (!strcmp(op, "max-depth"))
		tn_warn("%s: not entered: deeper than %d levels below the root", path, TN_WALK_MAX_DEPTH);
	else
		tn_warn("%s: %s: %s", path, op, strerror(err));
	unlock(c);
}

/* ---- setup */

/* Make room for one fd per level per worker. */
static void raise_nofile(unsigned jobs)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	rlim_t want = (rlim_t)jobs * (TN_WALK_MAX_DEPTH + 2) + 64;
	if (rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/* What tn_walk_root_open refused, said as the walk says it. */
static int root_error(const struct tn_walk_root *rt, int e, const char *mp, const char *rel,
		      const char *fsname)
{
	switch (rt->why) {
	case TN_ROOT_OPEN:
		if (e == -ELOOP)
			return tn_syserr(ELOOP, "openat2", "%s: a component is a symlink, and walk follows none", mp);
		return tn_syserr(-e, "openat2", "%s", mp);
	case TN_ROOT_REL_ABSOLUTE:
	case TN_ROOT_REL_DOTDOT:
		return tn_usage_err("--relative %s: %s; it must stay below MOUNTPOINT", rel,
				    rt->why == TN_ROOT_REL_ABSOLUTE ? "is absolute" : "has a '..' component");
	case TN_ROOT_REL_OPEN:
		if (e == -ELOOP)
			return tn_syserr(ELOOP, "openat2", "--relative %s: a component is a symlink", rel);
		if (e == -EXDEV)
			return tn_syserr(EXDEV, "openat2", "--relative %s: leaves the filesystem", rel);
		return tn_syserr(-e, "openat2", "--relative %s", rel);
	case TN_ROOT_STATX:
		return tn_syserr(-e, "statx", "%s", mp);
	case TN_ROOT_NO_MNT_ID:
		tn_warn("%s: statx: the kernel did not return STATX_MNT_ID_UNIQUE (needs Linux 6.8)", mp);
		return TN_EXIT_NOSYS;
	case TN_ROOT_STATMOUNT:
		return tn_syserr(-e, "statmount", "mount %llu of %s", (unsigned long long)rt->mnt_id, mp);
	case TN_ROOT_NO_SOURCE:
		tn_warn("%s: statmount: the kernel did not return the source (STATMOUNT_SB_SOURCE needs Linux 6.13)", mp);
		return TN_EXIT_NOSYS;
	case TN_ROOT_OTHER_FS:
		tn_warn("%s: the filesystem mounted there is '%s', not '%s'; not walking it",
			mp, rt->source, fsname);
		return TN_EXIT_FAIL;
	case TN_ROOT_NOMEM:
	case TN_ROOT_OK:
		break;
	}
	return tn_syserr(-e, NULL, "%s", mp);
}

static void build_env(struct wctx *c)
{
	size_t n = 0;
	for (char **p = environ; p && *p; p++)
		n++;
	c->envp = xcalloc(n + 1, sizeof(char *));
	size_t k = 0;
	for (char **p = environ; p && *p; p++)
		if (strncmp(*p, "TNOS_PATH=", 10))
			c->envp[k++] = *p;
	c->env_slot = k;
}

/* An emitter of entries: -o for people is one line per entry (or raw
 * cells with -0), as it comes. */
static void entries_out_setup(struct out *out, const struct wopts *o, bool lines)
{
	if (lines)
		out_lines(out, o->nul);
	out_time_style(out, o->tstyle);
}

/* The arguments that do not combine, and the emitter: TN_OPT_GO or an
 * exit code. */
static int check_args(const struct wopts *o, const struct tn_args *a, struct wctx *c)
{
	if (a->npos != 2)
		return tn_usage_err(a->npos < 2 ? "give MOUNTPOINT and FSNAME (the mount's source, e.g. pool/dataset)"
					       : "too many arguments: give MOUNTPOINT and FSNAME");
	if (o->exec && o->have_oflags && (o->oflags & O_PATH))
		return tn_usage_err("--exec hands the file's fd to CMD to read: it cannot be opened with --open-flags path");
	if (o->nul && a->out.fmt != OUT_HUMAN)
		return tn_usage_err("-0 prints raw paths; it does not combine with --ndjson, -J or -P");
	if ((o->ck_file || o->resume_file) && o->jobs > 1)
		return tn_usage_err("--%s saves one directory stack: it walks with one job, not --jobs %llu",
				    o->ck_file ? "checkpoint" : "resume", (unsigned long long)o->jobs);
	if ((o->ck_file || o->resume_file) && o->token_name)
		return tn_usage_err("--%s and --resume-token are two ways to resume a walk: give one",
				    o->ck_file ? "checkpoint" : "resume");
	if (o->have_ck_every && !o->ck_file && !o->resume_file)
		return tn_usage_err("--checkpoint-every needs --checkpoint FILE (or --resume FILE)");
	if (o->have_resume_depth && !o->resume_file)
		return tn_usage_err("--resume-depth needs --resume FILE");
	c->emitter = a->out.fmt != OUT_HUMAN || a->out.columns;
	c->lines = a->out.fmt == OUT_HUMAN && a->out.columns;
	if (c->emitter) {
		int r = out_init(&c->out, &a->out, tn_file_cols, DEFCOLS, "files");
		if (r)
			return r;
		entries_out_setup(&c->out, o, c->lines);
	}
	return TN_OPT_GO;
}

/* The walk's context: buffers, per-worker emitters, --exec's environment. */
static int setup_ctx(struct wctx *c, struct wopts *o, const struct tn_args *a,
		     struct tn_walk_report *rep)
{
	raise_nofile((unsigned)o->jobs);
	c->o = o;
	c->rep = rep;
	c->threaded = o->jobs > 1;
	pthread_mutex_init(&c->lock, NULL);
	c->track = o->ck_file || o->resume_file || o->report_every;
	c->stk = xcalloc(o->jobs, sizeof(struct dstack));
	c->buf = xcalloc(o->jobs, sizeof(struct sbuf));
	c->progress = o->progress && isatty(STDERR_FILENO);
	c->last_progress = -1;
	if (c->emitter && c->threaded && (a->out.fmt == OUT_NDJSON || c->lines)) {
		c->touts = xcalloc(o->jobs, sizeof(struct out));
		for (uint64_t i = 0; i < o->jobs; i++) {
			int r = out_init(&c->touts[i], &a->out, tn_file_cols, DEFCOLS, "files");
			if (r)
				return r;	/* cannot happen: the same options passed before */
			entries_out_setup(&c->touts[i], o, c->lines);
		}
	}
	if (c->lines) {
		/* the heading, before any worker's lines (written with write(2)) */
		out_start(&c->out);
		fflush(stdout);
		tn_stdout_check();
	}
	if (o->exec)
		build_env(c);
	return 0;
}

/* Columns taken from getdents alone: a row of only these needs no statx. */
static bool names_only_col(int col)
{
	return col == SC_PATH || col == SC_PARENT || col == SC_NAME || col == SC_ISDIR ||
	       col == SC_ISREG || col == SC_ISLNK;
}

/* What the walk must ask the kernel per entry: an fd for --exec and
 * --open-flags; a statx for any other column, the sizes of --stats,
 * --report-every, --progress and a checkpoint (its cnt_bytes adds up every
 * run, whatever each one prints), and the cutoff; else names alone. */
static enum tn_walk_need walk_need(const struct wopts *o, const struct wctx *c)
{
	if (o->exec || o->have_oflags)
		return TN_WALK_NEED_FD;
	if (o->stats || o->report_every || c->progress || o->have_cutoff || o->inc_mounts ||
	    o->ck_file || o->resume_file)
		return TN_WALK_NEED_STAT;
	if (c->emitter)
		for (int i = 0; i < SC_NCOLS; i++)
			if (out_want(&c->out, i) && !names_only_col(i))
				return TN_WALK_NEED_STAT;
	return TN_WALK_NEED_NAMES;
}

static void fill_args(struct tn_walk_args *w, const struct wopts *o, struct wctx *c,
		      const struct tn_walk_root *rt)
{
	memset(w, 0, sizeof(*w));
	w->root_fd = rt->fd;
	w->root_path = rt->path;
	w->root_mnt_id = rt->mnt_id;
	w->file_oflags = o->have_oflags ? (int)o->oflags : O_RDONLY | O_NOATIME;
	if (w->file_oflags & O_PATH)
		w->file_oflags = O_PATH;	/* nothing else applies to an O_PATH open */
	w->need = walk_need(o, c);
	w->stx_mask = TN_WALK_STATX_MASK | (c->emitter ? (unsigned)out_need(&c->out) : 0);
	w->include_symlinks = o->inc_symlinks;
	w->include_mountpoints = o->inc_mounts;
	w->have_cutoff = o->have_cutoff;
	w->btime_cutoff = o->cutoff;
	w->prune = o->prune;
	w->nprune = o->nprune;
	w->token_name = o->token_name;
	memcpy(w->token, o->token, sizeof(w->token));
	w->jobs = (int)o->jobs;
	w->live_counts = o->report_every || c->progress;	/* on_entry reads e->cnt */
	w->stop = &stop_sig;
	w->ctx = c;
	w->entry = on_entry;
	w->error = on_error;
	if (c->track) {
		w->enter = on_enter;
		w->leave = on_leave;
	}
}

static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* The end of the output: buffered lines, the emitter's close, the last
 * --progress line, the --stats line. */
static void finish_output(struct wctx *c, const struct tn_walk_report *rep, int wr)
{
	for (uint64_t i = 0; i < c->o->jobs; i++)
		flush_buf(c, (int)i);
	if (c->emitter && !c->write_failed)
		out_end(&c->out);
	const char *cd = rep->current_directory ? rep->current_directory : "";
	if (c->progress) {
		/* the last status line stays, as a summary */
		const char *shown = *cd ? cd : "(done)";
		progress_line(c, rep->cnt, rep->cnt_bytes, shown, strlen(shown), true);
		fputc('\n', stderr);
	}
	const char *state = stop_sig ? "stopped" : wr < 0 ? "failed" : "done";
	if (c->o->report_every)	/* the last record, as truenas_os's final report */
		state_line(c, state, rep->cnt, rep->cnt_bytes, cd, strlen(cd), &c->stk[0]);
	if (c->o->stats)
		state_line(c, state, rep->cnt, rep->cnt_bytes, cd, strlen(cd), NULL);
}

/* A fatal error of the walk, said.  TN_WALK_STOP: a callback stopped the
 * walk and has said why. */
static void fatal_error(const struct tn_walk_report *rep, int wr, const char *root_path)
{
	if (wr >= 0 || wr == TN_WALK_STOP || rep->resume_lost)
		return;
	const char *p = rep->fatal_path ? rep->fatal_path : root_path;
	if (wr == -EMFILE || wr == -ENFILE) {
		struct rlimit rl;
		getrlimit(RLIMIT_NOFILE, &rl);
		tn_warn("%s: %s: %s: the walk keeps one fd per directory level (RLIMIT_NOFILE is %llu; raise it with ulimit -n)",
			p, rep->fatal_op ? rep->fatal_op : "openat2", strerror(-wr),
			(unsigned long long)rl.rlim_cur);
	} else if (wr == -EOPNOTSUPP && rep->fatal_op && !strcmp(rep->fatal_op, "fgetxattr")) {
		tn_warn("--resume-token: %s: %s: this filesystem keeps no such extended attribute, so no "
			"directory can be marked; --checkpoint FILE resumes without writing to it",
			p, strerror(-wr));
	} else {
		tn_syserr(-wr, NULL, "%s: %s", p, rep->fatal_op ? rep->fatal_op : "walk");
	}
}

/* The exit status of a walk that ran, with what went wrong said; a signal
 * that stopped it is raised again once the output is out. */
static int walk_status(struct wctx *c, const struct tn_walk_report *rep, int wr,
		       const char *root_path)
{
	int r = wr < 0 ? TN_EXIT_FAIL : 0;
	fatal_error(rep, wr, root_path);
	if (c->write_failed || c->ck_failed)
		r = TN_EXIT_FAIL;	/* said where it failed */
	if (rep->errors) {
		tn_warn("%llu entr%s could not be read (see above)", (unsigned long long)rep->errors,
			rep->errors == 1 ? "y" : "ies");
		r = TN_EXIT_FAIL;
	}
	if (c->exec_failed) {
		tn_warn("--exec %s failed for %llu file%s", c->o->exec[0],
			(unsigned long long)c->exec_failed, c->exec_failed == 1 ? "" : "s");
		r = TN_EXIT_FAIL;
	}
	if (stop_sig) {
		int sig = stop_sig;
		if (c->ck_out && !c->ck_failed)
			tn_warn("stopped by %s after %llu entries; where it was is saved: go on with --resume %s",
				strsignal(sig), (unsigned long long)rep->cnt, c->ck_out);
		else if (c->o->token_arg)
			tn_warn("stopped by %s after %llu entries; unfinished directories were not marked",
				strsignal(sig), (unsigned long long)rep->cnt);
		else
			tn_warn("stopped by %s after %llu entries", strsignal(sig),
				(unsigned long long)rep->cnt);
		tn_stdout_close(0);
		fflush(stderr);
		signal(sig, SIG_DFL);
		raise(sig);
		/* raise returns if the signal is blocked: the shell's status for it */
		/* cppcheck-suppress unreachableCode */
		r = 128 + sig;
	}
	return r;
}

static void ctx_free(struct wctx *c, uint64_t jobs)
{
	for (uint64_t i = 0; i < jobs && c->buf; i++)
		sb_free(&c->buf[i]);
	free(c->buf);
	free(c->envp);
	sb_free(&c->esc);
	if (c->o)
		pthread_mutex_destroy(&c->lock);
	if (c->emitter)
		out_free(&c->out);
	for (uint64_t i = 0; c->touts && i < jobs; i++)
		out_free(&c->touts[i]);
	free(c->touts);
	for (uint64_t i = 0; c->stk && i < jobs; i++)
		stk_free(&c->stk[i]);
	free(c->stk);
	tn_ckpt_free(&c->ck);
}

/* ---- --checkpoint and --resume: set-up and the end */

/* The directory file lies in. */
static char *dir_of(const char *file)
{
	const char *sl = strrchr(file, '/');
	if (!sl)
		return xstrdup(".");
	return strndup(file, sl == file ? 1 : (size_t)(sl - file));
}

/* The checkpoint file must not be on the walked filesystem: saving it
 * there would write to what is walked (and change its directory's ctime). */
static int ck_target_ok(const char *opt, const char *file, const struct tn_statx *root)
{
	char *dir = dir_of(file);
	struct tn_statx st;
	int e = dir ? tn_statx(AT_FDCWD, dir, 0, TN_STATX_BASIC_STATS, &st) : -ENOMEM;
	int r = TN_OPT_GO;
	if (e < 0)
		r = tn_syserr(-e, "statx", "--%s %s: its directory %s", opt, file, dir ? dir : "");
	else if (st.stx_dev_major == root->stx_dev_major && st.stx_dev_minor == root->stx_dev_minor)
		r = tn_usage_err("--%s %s: it is on the filesystem being walked (device %u:%u); saving it there would write to that filesystem: put it on another one",
				 opt, file, st.stx_dev_major, st.stx_dev_minor);
	else if (access(dir, W_OK) < 0)
		r = tn_syserr(errno, NULL, "--%s %s: cannot write in %s", opt, file, dir);
	free(dir);
	return r;
}

static bool same_str(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* A --resume FILE that does not fit: one line (a "Try --help" would not
 * help), exit 2. */
static int ck_refused(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int ck_refused(const char *fmt, ...)
{
	va_list ap;
	char *m = NULL;
	va_start(ap, fmt);
	if (vasprintf(&m, fmt, ap) < 0)
		m = NULL;
	va_end(ap);
	tn_warn("%s", m ? m : "--resume: the checkpoint does not fit");
	free(m);
	return TN_EXIT_USAGE;
}

/* Was the checkpoint written by this walk, with these options?  TN_OPT_GO
 * or exit 2, naming what differs. */
static int ck_matches(const struct tn_ckpt *ck, const struct wopts *o, const struct tn_args *a,
		      const char *rel)
{
	const char *f = o->resume_file;
	if (strcmp(ck->mountpoint, a->pos[0]))
		return ck_refused("--resume %s: the checkpoint is of a walk of %s, not %s", f,
				    ck->mountpoint, a->pos[0]);
	if (strcmp(ck->fsname, a->pos[1]))
		return ck_refused("--resume %s: the checkpoint is of a walk of %s, not %s", f,
				    ck->fsname, a->pos[1]);
	if (!same_str(ck->relative, rel))
		return ck_refused("--resume %s: the checkpoint's walk had %s%s, this one %s%s", f,
				    ck->relative ? "--relative " : "no --relative",
				    ck->relative ? ck->relative : "", rel ? "--relative " : "no --relative",
				    rel ? rel : "");
	const char *opt = NULL;
	if (ck->include_symlinks != o->inc_symlinks)
		opt = "--include-symlinks";
	else if (ck->include_mountpoints != o->inc_mounts)
		opt = "--include-mountpoints";
	else if (ck->have_cutoff != o->have_cutoff || (o->have_cutoff && ck->btime_cutoff != o->cutoff))
		opt = "--btime-cutoff";
	bool prune_same = ck->nprune == o->nprune;
	for (int i = 0; prune_same && i < o->nprune; i++)
		prune_same = !strcmp(ck->prune[i], o->prune[i]);
	if (!opt && !prune_same)
		opt = "--prune";
	if (opt)
		return ck_refused("--resume %s: %s differs from the checkpoint's walk: give the options it was started with (see the file)",
				    f, opt);
	return TN_OPT_GO;
}

/* Read --resume FILE into c->ck and the first worker's stack, and fill rs.
 * TN_OPT_GO, an exit code, or TN_OPT_GO with *finished when that walk has
 * finished already. */
static int ck_resume(struct wctx *c, const struct wopts *o, const struct tn_args *a,
		     const char *rel, const struct tn_walk_root *rt, struct tn_walk_resume *rs,
		     uint64_t **inos, bool *finished)
{
	struct tn_ckpt *ck = &c->ck;
	char why[256];
	int e = tn_ckpt_load(o->resume_file, ck, why, sizeof(why));
	if (e == -EINVAL)
		return ck_refused("--resume %s: not a usable checkpoint: %s", o->resume_file, why);
	if (e < 0)
		return tn_syserr(-e, NULL, "--resume %s", o->resume_file);
	int r = ck_matches(ck, o, a, rel);
	if (r != TN_OPT_GO)
		return r;
	if (ck->done) {
		tn_warn("--resume %s: that walk finished already (%llu entries); nothing to do",
			o->resume_file, (unsigned long long)ck->cnt);
		*finished = true;
		return TN_OPT_GO;
	}
	if (o->have_resume_depth) {
		if (o->resume_depth >= ck->nstack)
			return tn_usage_err("--resume-depth %llu: the checkpoint's directory stack has depths 0 to %u",
					    (unsigned long long)o->resume_depth, ck->nstack - 1);
		for (unsigned i = (unsigned)o->resume_depth + 1; i < ck->nstack; i++)
			free(ck->stack[i].path);
		ck->nstack = (unsigned)o->resume_depth + 1;
	}
	*inos = xcalloc(ck->nstack, sizeof(uint64_t));
	const char **names = xcalloc(ck->nstack, sizeof(char *));
	for (unsigned i = 0; i < ck->nstack; i++) {
		const struct tn_ckpt_level *L = &ck->stack[i];
		const char *slash = strrchr(L->path, '/');
		(*inos)[i] = L->ino;
		names[i] = slash ? slash + 1 : L->path;	/* the root's is not used */
		if (i == 0)	/* the root's path as this run spells it */
			stk_set(&c->stk[0], 0, rt->path, strlen(rt->path), L->ino, L->off);
		else
			stk_set(&c->stk[0], i, L->path, strlen(L->path), L->ino, L->off);
	}
	rs->ino = *inos;
	rs->name = names;
	rs->n = ck->nstack;
	rs->off = ck->stack[ck->nstack - 1].off;
	return TN_OPT_GO;
}

/* The directory stacks, and for --checkpoint / --resume what the file
 * holds: TN_OPT_GO or an exit code (*finished: nothing left to walk). */
static int ck_setup(struct wctx *c, const struct wopts *o, const struct tn_args *a,
		    const struct tn_walk_root *rt, struct tn_walk_args *w,
		    struct tn_walk_resume *rs, uint64_t **inos, bool *finished)
{
	struct tn_statx root;
	const char *rel = o->relative && *o->relative ? o->relative : NULL;
	if (!c->track)
		return TN_OPT_GO;
	int e = tn_statx(rt->fd, "", AT_EMPTY_PATH, TN_STATX_BASIC_STATS, &root);
	if (e < 0)
		return tn_syserr(-e, "statx", "%s", rt->path);
	for (uint64_t i = 0; i < o->jobs; i++)
		stk_set(&c->stk[i], 0, rt->path, strlen(rt->path), root.stx_ino, 0);
	c->ck_out = o->ck_file ? o->ck_file : o->resume_file;
	if (!c->ck_out)
		return TN_OPT_GO;	/* --report-every only */
	int r = ck_target_ok(o->ck_file ? "checkpoint" : "resume", c->ck_out, &root);
	if (r != TN_OPT_GO)
		return r;
	if (o->resume_file) {
		r = ck_resume(c, o, a, rel, rt, rs, inos, finished);
		if (r != TN_OPT_GO || *finished)
			return r;
		w->resume = rs;
		return TN_OPT_GO;
	}
	struct tn_ckpt *ck = &c->ck;
	ck->mountpoint = xstrdup(a->pos[0]);
	ck->fsname = xstrdup(a->pos[1]);
	ck->relative = rel ? xstrdup(rel) : NULL;
	ck->mnt_id = rt->mnt_id;
	ck->include_symlinks = o->inc_symlinks;
	ck->include_mountpoints = o->inc_mounts;
	ck->have_cutoff = o->have_cutoff;
	ck->btime_cutoff = o->cutoff;
	ck->prune = xcalloc(o->nprune + 1, sizeof(char *));
	for (int i = 0; i < o->nprune; i++)
		ck->prune[i] = xstrdup(o->prune[i]);
	ck->nprune = o->nprune;
	return TN_OPT_GO;
}

/* A saved directory that is not there any more, said; exit 1. */
static int resume_lost(const struct wctx *c, const struct tn_walk_report *rep)
{
	unsigned d = rep->resume_lost_depth;
	const struct tn_ckpt_level *L = &c->ck.stack[d];
	if (!d) {
		tn_warn("--resume %s: the walk's root %s (depth 0) is not the directory of the checkpoint (inode %llu): start a new walk",
			c->o->resume_file, L->path, (unsigned long long)L->ino);
		return TN_EXIT_FAIL;
	}
	tn_warn("--resume %s: the directory at depth %u, %s (inode %llu), is gone, renamed, or its name leads to another inode now; to go on in its parent, add --resume-depth %u",
		c->o->resume_file, d, L->path, (unsigned long long)L->ino, d - 1);
	return TN_EXIT_FAIL;
}

static int run(int argc, char **argv)
{
	struct wopts o = { 0 };
	struct tn_args a;
	struct wctx c;
	struct tn_walk_root rt = { .fd = -1 };
	struct tn_walk_args w;
	struct tn_walk_report rep = { 0 };
	struct tn_walk_resume resume = { 0 };
	uint64_t *inos = NULL;
	int r;

	memset(&c, 0, sizeof(c));
	o.jobs = 1;
	o.ck_every = CK_EVERY_DEFAULT;
	r = opt_parse(&cmd_walk, argc, argv, cb, &o, &a);
	if (r == TN_OPT_GO)
		r = check_args(&o, &a, &c);
	if (r != TN_OPT_GO)
		goto out_args;
	if ((r = tn_empty_path(NULL, a.pos[0])))
		goto out;
	int e = tn_walk_root_open(&rt, a.pos[0], o.relative, a.pos[1]);
	if (e < 0) {
		r = root_error(&rt, e, a.pos[0], o.relative, a.pos[1]);
		goto out;
	}
	if ((r = setup_ctx(&c, &o, &a, &rep)))
		goto out;
	fill_args(&w, &o, &c, &rt);
	bool finished = false;
	r = ck_setup(&c, &o, &a, &rt, &w, &resume, &inos, &finished);
	if (r != TN_OPT_GO || finished) {
		r = finished ? 0 : r;
		goto out;
	}
	catch_signals();

	clock_gettime(CLOCK_MONOTONIC, &c.t0);
	int wr = tn_walk_run(&w, &rep);
	finish_output(&c, &rep, wr);
	if (rep.resume_lost) {
		r = resume_lost(&c, &rep);
	} else {
		if (c.ck_out && !c.ck_failed)
			ck_save(&c, wr == 0 && !rep.stopped);
		r = walk_status(&c, &rep, wr, rt.path);
	}
	tn_walk_report_free(&rep);
out:
	tn_walk_root_free(&rt);
	ctx_free(&c, o.jobs);
	free(inos);
	free((void *)resume.name);
out_args:
	free(o.prune);
	free(o.token_arg);
	free(a.pos);
	return r;
}

const struct tn_cmd cmd_walk = {
	.name = "walk",
	.summary = "walk exactly one filesystem, safely and restartably",
	.usage = "[options] MOUNTPOINT FSNAME",
	.details = "Depth-first walk below MOUNTPOINT (not followed if a symlink) after checking that\n"
		   "the mount's source is FSNAME.  Directories are opened relative to their parent with\n"
		   "openat2 RESOLVE_NO_XDEV|RESOLVE_NO_SYMLINKS: the walk never follows a symlink and never\n"
		   "leaves the filesystem.  Other entries are named from getdents (the plain listing),\n"
		   "statx'd by name without following (columns, --ndjson, --stats), or opened and statx'd\n"
		   "through the fd (--exec, --open-flags).  Output is one path per line (escaped: \\xHH,\n"
		   "\\\\), -0 for raw bytes, -o COLS for one line of cells per entry (spaces escaped\n"
		   "too; with -0, raw cells each ended by a NUL), or records (--ndjson).",
	.opts = opts,
	.cols = tn_file_cols,
	.defcols = DEFCOLS,
	.args = TC_DIR_SOURCE,
	.main = run,
};
