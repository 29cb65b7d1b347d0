/* walk.c - the walk engine (see walk.h).
 *
 * Each worker keeps one directory fd per level below the root, plus a
 * getdents buffer per level, so open fds and memory grow with depth only.
 * The root's entries are handed out one at a time under a lock: with one
 * worker that is a plain depth-first walk; with N workers each takes the next
 * entry of the root and walks its subtree alone. */
#define _GNU_SOURCE
#include "walk.h"
#include "sys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#define RES_WALK (RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS)
#define BUF_BIG   32768		/* getdents buffer for the first levels */
#define BUF_SMALL 4096		/* deeper levels */
#define BIG_LEVELS 8

struct tn_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

struct lvl {
	int fd;
	char *buf;
	size_t cap, pos, end;
	size_t plen;		/* this directory's path length in the path buffer */
	bool eof, failed;
};

struct worker {
	struct walk *w;
	int tid;
	struct lvl *lv;		/* [0] is the root (shared), [1..] this worker's */
	unsigned nlv;		/* levels allocated */
	unsigned depth;		/* current level */
	char *path;
	size_t pcap;
	int ret;		/* fatal error or callback stop */
	char *where;		/* directory the worker was in when it stopped */
	pthread_t th;
};

struct shared {
	pthread_mutex_t lock;	/* the root's getdents cursor and fatal state */
	struct lvl root;
	int stopping;		/* atomic: every worker unwinds */
};

/* One run: what the caller asked, where the run reports, and the state the
 * workers share. */
struct walk {
	const struct tn_walk_args *a;
	struct tn_walk_report *r;
	unsigned max_depth;	/* a->max_depth, 0 and too deep made TN_WALK_MAX_DEPTH */
	unsigned stx_mask;	/* a->stx_mask | TN_WALK_STATX_MASK */
	struct shared *s;
};

static bool stopping(struct walk *w)
{
	struct shared *s = w->s;
	if (__atomic_load_n(&s->stopping, __ATOMIC_RELAXED))
		return true;
	if (w->a->stop && *w->a->stop) {
		__atomic_store_n(&s->stopping, 1, __ATOMIC_RELAXED);
		return true;
	}
	return false;
}

static void stop_all(struct walk *w)
{
	struct shared *s = w->s;
	__atomic_store_n(&s->stopping, 1, __ATOMIC_RELAXED);
}

static int xopen(int dfd, const char *name, uint64_t flags, uint64_t resolve)
{
	struct open_how how = {
		.flags = flags | O_NOFOLLOW | O_CLOEXEC,
		.mode = 0,
		.resolve = resolve,
	};
	return sys_openat2(dfd, name, &how, sizeof(how));
}

/* Room for n more bytes after len in the worker's path buffer. */
static int path_room(struct worker *k, size_t need)
{
	if (need <= k->pcap)
		return 0;
	size_t n = k->pcap ? k->pcap : 256;
	while (n < need)
		n *= 2;
	char *p = realloc(k->path, n);
	if (!p)
		return -ENOMEM;
	k->path = p;
	k->pcap = n;
	return 0;
}

/* Put "dir/name" in the path buffer for a directory of path length plen.
 * Returns the offset of the name. */
static int path_set(struct worker *k, size_t plen, const char *name, size_t nlen,
		    size_t *name_off)
{
	if (path_room(k, plen + nlen + 2))
		return -ENOMEM;
	size_t off = plen;
	if (!plen || k->path[plen - 1] != '/')
		k->path[off++] = '/';
	memcpy(k->path + off, name, nlen + 1);
	*name_off = off;
	return 0;
}

static void report(struct worker *k, const char *path, const char *op, int err)
{
	struct walk *w = k->w;
	__atomic_add_fetch(&w->r->errors, 1, __ATOMIC_RELAXED);
	if (w->a->error)
		w->a->error(w->a->ctx, k->tid, path, op, err);
}

static int set_fatal(struct worker *k, const char *path, const char *op, int err)
{
	struct walk *w = k->w;
	struct shared *s = w->s;
	pthread_mutex_lock(&s->lock);
	if (!w->r->fatal_op) {
		w->r->fatal_op = op;
		w->r->fatal_path = strdup(path);
	}
	pthread_mutex_unlock(&s->lock);
	stop_all(w);
	return -err;
}

int tn_walk_has_token(const struct tn_walk_args *a, int fd)
{
	unsigned char v[TN_WALK_TOKEN_LEN + 1];
	ssize_t n = fgetxattr(fd, a->token_name, v, sizeof(v));
	if (n < 0) {
		if (errno == ENODATA || errno == ERANGE)
			return 0;
		return -errno;
	}
	return n == TN_WALK_TOKEN_LEN && !memcmp(v, a->token, TN_WALK_TOKEN_LEN);
}

/* ---- one entry */

enum kind { K_REG, K_DIR, K_LNK, K_SPECIAL };

static enum kind kind_of_dtype(unsigned char t)
{
	switch (t) {
	case DT_DIR: return K_DIR;
	case DT_LNK: return K_LNK;
	case DT_FIFO: case DT_SOCK: case DT_CHR: case DT_BLK: return K_SPECIAL;
	default: return K_REG;	/* DT_REG, DT_UNKNOWN: opened O_NONBLOCK */
	}
}

static enum kind kind_of_mode(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return K_DIR;
	case S_IFLNK: return K_LNK;
	case S_IFREG: return K_REG;
	default: return K_SPECIAL;
	}
}

static int do_statx(struct walk *w, int fd, struct tn_statx *st)
{
	return sys_statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, w->stx_mask, st);
}

/* Open a mount point found under dfd: O_PATH, symlinks still refused, never
 * descended. */
#define OPEN_SKIP   (-100000)	/* leave the entry out, silently */
#define OPEN_MOUNT  (-100001)	/* a child mount point, left out */

/* A child mount point: OPEN_MOUNT, or with --include-mountpoints an O_PATH
 * fd on it (never followed through a symlink) with *st, *kind, *mnt set. */
static int open_mount(struct walk *w, int dfd, const char *name, struct tn_statx *st,
		      enum kind *kind, bool *mnt)
{
	if (!w->a->include_mountpoints)
		return OPEN_MOUNT;
	int fd = xopen(dfd, name, O_PATH, RESOLVE_NO_SYMLINKS);
	if (fd < 0)
		return fd;
	int r = do_statx(w, fd, st);
	if (r < 0) {
		close(fd);
		return r;
	}
	*mnt = true;
	*kind = kind_of_mode(st->stx_mode);
	return fd;
}

/* Open and classify one entry.  Returns an fd (with *st, *kind, *mnt set),
 * OPEN_SKIP/OPEN_MOUNT, or -errno (*op names the failing call). */
/* Open name the way an entry of kind want is opened: an fd, -errno, or
 * OPEN_SKIP for a symlink when symlinks are left out. */
static int open_as(struct walk *w, int dfd, const char *name, enum kind want)
{
	int fd, fl;
	switch (want) {
	case K_LNK:
		if (!w->a->include_symlinks)
			return OPEN_SKIP;
		return xopen(dfd, name, O_PATH, RES_WALK);
	case K_DIR:
		return xopen(dfd, name, O_RDONLY | O_DIRECTORY, RES_WALK);
	case K_SPECIAL:
		return xopen(dfd, name, O_PATH, RES_WALK);
	default:
		/* O_NONBLOCK: a FIFO swapped in cannot block the open
		 * (openat2 refuses it, and needs it not, with O_PATH) */
		fl = (w->a->file_oflags & O_PATH) ? O_PATH : w->a->file_oflags | O_NONBLOCK;
		fd = xopen(dfd, name, fl, RES_WALK);
		if (fd == -EPERM && (fl & O_NOATIME))
			fd = xopen(dfd, name, fl & ~O_NOATIME, RES_WALK);
		return fd;
	}
}

/* Opening as *want failed with err (ENOTDIR, ENXIO, ETXTBSY): has the entry
 * changed type?  1 to try again (*want is its real kind, or the next try
 * sorts it out), err when it has not, or another -errno. */
static int recheck_type(struct walk *w, int dfd, const char *name, int err, enum kind *want,
			struct tn_statx *st, const char **op)
{
	if (*want == K_SPECIAL)
		return err;
	int fd = xopen(dfd, name, O_PATH, RES_WALK);
	if (fd == -EXDEV || fd == -ELOOP)
		return 1;
	if (fd < 0)
		return fd;
	*op = "statx";
	int r = do_statx(w, fd, st);
	close(fd);
	if (r < 0)
		return r;
	enum kind real = kind_of_mode(st->stx_mode);
	*op = "openat2";
	if (real == *want)
		return err;	/* not a type change: a real error */
	*want = real;
	return 1;
}

static int open_entry(struct walk *w, int dfd, const char *name, unsigned char dtype,
		      struct tn_statx *st, enum kind *kind, bool *mnt, const char **op)
{
	enum kind want = kind_of_dtype(dtype);
	*mnt = false;
	for (int tries = 0; tries < 4; tries++) {
		*op = "openat2";
		int fd = open_as(w, dfd, name, want);
		if (fd == OPEN_SKIP)
			return fd;
		if (fd < 0) {
			switch (fd) {
			case -EXDEV:
				return open_mount(w, dfd, name, st, kind, mnt);
			case -ELOOP:	/* a symlink (d_type unknown, or swapped in) */
				if (want == K_LNK)
					return fd;
				want = K_LNK;
				continue;
			case -ENOTDIR:	/* no longer a directory: look again */
			case -ENXIO:	/* a socket, or a FIFO opened for writing */
			case -ETXTBSY: {
				int r = recheck_type(w, dfd, name, fd, &want, st, op);
				if (r < 0)
					return r;
				continue;
			}
			default:
				return fd;
			}
		}
		*op = "statx";
		int r = do_statx(w, fd, st);
		if (r < 0) {
			close(fd);
			return r;
		}
		if (st->stx_mnt_id != w->a->root_mnt_id && (st->stx_mask & TN_STATX_MNT_ID_UNIQUE)) {
			/* belt and braces: RESOLVE_NO_XDEV already refuses this */
			close(fd);
			return open_mount(w, dfd, name, st, kind, mnt);
		}
		enum kind got = kind_of_mode(st->stx_mode);
		if (got != want) {
			/* d_type said otherwise, or the entry was swapped: reopen
			 * it the way its real type needs */
			close(fd);
			want = got;
			continue;
		}
		*kind = got;
		return fd;
	}
	*op = "openat2";
	return -EAGAIN;		/* it kept changing type under us */
}

/* ---- levels */

static int lvl_alloc(struct worker *k, unsigned d)
{
	if (d >= k->nlv) {
		unsigned n = k->nlv ? k->nlv * 2 : 16;
		while (n <= d)
			n *= 2;
		struct lvl *p = realloc(k->lv, n * sizeof(*p));
		if (!p)
			return -ENOMEM;
		memset(p + k->nlv, 0, (n - k->nlv) * sizeof(*p));
		k->lv = p;
		k->nlv = n;
	}
	struct lvl *L = &k->lv[d];
	if (!L->buf) {
		L->cap = d < BIG_LEVELS ? BUF_BIG : BUF_SMALL;
		if (!(L->buf = malloc(L->cap)))
			return -ENOMEM;
	}
	L->pos = L->end = 0;
	L->eof = L->failed = false;
	L->fd = -1;
	return 0;
}

/* Next dirent of L (not . or ..), NULL at the end; *err on a getdents error. */
static struct tn_dirent64 *lvl_next(struct lvl *L, int *err)
{
	for (;;) {
		if (L->pos >= L->end) {
			if (L->eof)
				return NULL;
			long n = syscall(SYS_getdents64, L->fd, L->buf, L->cap);
			if (n < 0) {
				*err = errno;
				L->eof = true;
				return NULL;
			}
			if (n == 0) {
				L->eof = true;
				return NULL;
			}
			L->pos = 0;
			L->end = (size_t)n;
		}
		struct tn_dirent64 *d = (struct tn_dirent64 *)(L->buf + L->pos);
		L->pos += d->d_reclen;
		const char *nm = d->d_name;
		if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2])))
			continue;
		return d;
	}
}

/* Something below this directory failed: do not mark it.  The root level is
 * shared by the workers. */
static void set_failed(struct lvl *L)
{
	__atomic_store_n(&L->failed, true, __ATOMIC_RELAXED);
}

/* A directory is done: mark it with the token unless anything below failed
 * or the walk is stopping.  Closes its fd. */
static void finish_dir(struct worker *k, struct lvl *L, struct lvl *parent)
{
	struct walk *w = k->w;
	if (L->failed || stopping(w)) {
		if (parent)
			set_failed(parent);
	} else if (w->a->token_name) {
		if (fsetxattr(L->fd, w->a->token_name, w->a->token, TN_WALK_TOKEN_LEN, 0) < 0) {
			int e = errno;
			k->path[L->plen] = 0;
			report(k, k->path, "fsetxattr", e);
		} else {
			__atomic_add_fetch(&w->r->marked, 1, __ATOMIC_RELAXED);
		}
	}
	close(L->fd);
	L->fd = -1;
}

static bool pruned(const struct walk *w, const char *name)
{
	for (int i = 0; i < w->a->nprune; i++)
		if (!fnmatch(w->a->prune[i], name, 0))
			return true;
	return false;
}

/* Handle one dirent of the directory at level d (fd dfd).  Returns 1 when a
 * directory was pushed at level d+1, 0 to go on, < 0 to stop. */
/* Is the entry just opened left out: a non-directory born after the
 * cutoff, or a directory that carries the token (or whose token cannot be
 * read: reported)? */
static bool left_out(struct worker *k, struct lvl *P, int fd, const struct tn_statx *st,
		     enum kind kind, bool descend)
{
	struct walk *w = k->w;
	if (kind != K_DIR && w->a->have_cutoff && (st->stx_mask & TN_STATX_BTIME) &&
	    st->stx_btime.tv_sec > w->a->btime_cutoff)
		return true;
	if (!descend || !w->a->token_name)
		return false;
	int t = tn_walk_has_token(w->a, fd);
	if (t > 0) {
		__atomic_add_fetch(&w->r->resumed, 1, __ATOMIC_RELAXED);
		return true;
	}
	if (t < 0 && t != -EOPNOTSUPP) {
		report(k, k->path, "fgetxattr", -t);
		set_failed(P);
		return true;
	}
	return false;
}

/* ---- the directory hooks (enter, leave) */

static void dir_entered(struct walk *w, const struct tn_walk_entry *e)
{
	if (w->a->enter)
		w->a->enter(w->a->ctx, e);
}

static void dir_left(struct worker *k, unsigned depth)
{
	struct walk *w = k->w;
	if (w->a->leave)
		w->a->leave(w->a->ctx, k->tid, depth);
}

/* Go down into the directory fd (the entry at depth d of parent P, path_len
 * bytes of path): 1, 0 when it is too deep (reported), or -errno. */
static int enter_dir(struct worker *k, unsigned d, struct lvl *P, int fd, size_t path_len)
{
	if (d + 2 > k->w->max_depth) {
		/* its entries would lie deeper than the documented maximum */
		report(k, k->path, "max-depth", ELOOP);
		set_failed(P);
		close(fd);
		return 0;
	}
	if (lvl_alloc(k, d + 1)) {
		close(fd);
		return set_fatal(k, k->path, "malloc", ENOMEM);
	}
	struct lvl *L = &k->lv[d + 1];
	L->fd = fd;
	L->plen = path_len;
	k->depth = d + 1;
	return 1;
}

static int do_entry(struct worker *k, unsigned d, int dfd, struct tn_dirent64 *de)
{
	struct walk *w = k->w;
	struct lvl *P = d ? &k->lv[d] : &(w->s)->root;
	struct tn_statx st;
	enum kind kind;
	bool mnt;
	const char *op;
	size_t name_off, nlen = strlen(de->d_name);

	if (de->d_type == DT_LNK && !w->a->include_symlinks)
		return 0;
	if (path_set(k, P->plen, de->d_name, nlen, &name_off))
		return set_fatal(k, w->a->root_path, "malloc", ENOMEM);

	memset(&st, 0, sizeof(st));
	int fd = open_entry(w, dfd, de->d_name, de->d_type, &st, &kind, &mnt, &op);
	if (fd == OPEN_SKIP || fd == OPEN_MOUNT)
		return 0;
	if (fd < 0) {
		if (fd == -EMFILE || fd == -ENFILE || fd == -ENOMEM)
			return set_fatal(k, k->path, op, -fd);
		if (fd == -ELOOP && kind_of_dtype(de->d_type) != K_LNK && !w->a->include_symlinks)
			return 0;	/* turned out to be a symlink: left out like one */
		report(k, k->path, op, -fd);
		set_failed(P);
		return 0;
	}
	bool descend = kind == K_DIR && !mnt;
	if (left_out(k, P, fd, &st, kind, descend)) {
		close(fd);
		return 0;
	}

	struct tn_walk_entry e = {
		.path = k->path,
		.path_len = name_off + nlen,
		.parent = k->path,
		.parent_len = P->plen,
		.name = k->path + name_off,
		.name_len = nlen,
		.fd = fd,
		.stx = &st,
		.isdir = kind == K_DIR,
		.isreg = kind == K_REG,
		.islnk = kind == K_LNK,
		.ismount = mnt,
		.depth = d + 1,
		.tid = k->tid,
		.d_off = de->d_off,
	};
	e.cnt = __atomic_add_fetch(&w->r->cnt, 1, __ATOMIC_RELAXED);
	if (kind != K_DIR)
		__atomic_add_fetch(&w->r->cnt_bytes, st.stx_size, __ATOMIC_RELAXED);
	int r = w->a->entry ? w->a->entry(w->a->ctx, &e) : TN_WALK_GO;
	if (r < 0) {
		close(fd);
		stop_all(w);
		return r;
	}
	if (r == TN_WALK_FAILED)
		set_failed(P);
	if (!descend || r == TN_WALK_PRUNE || (w->a->nprune && pruned(w, e.name))) {
		close(fd);
		return 0;
	}
	r = enter_dir(k, d, P, fd, e.path_len);
	if (r == 1)
		dir_entered(w, &e);
	return r;
}

/* Walk from level k->depth (>= 1) until back at level 0. */
static int walk_down(struct worker *k)
{
	struct walk *w = k->w;
	while (k->depth > 0) {
		struct lvl *L = &k->lv[k->depth];
		int err = 0;
		if (stopping(w))
			return 0;	/* worker_main unwinds, nothing marked */
		struct tn_dirent64 *de = lvl_next(L, &err);
		if (!de) {
			if (err) {
				k->path[L->plen] = 0;
				report(k, k->path, "getdents64", err);
				L->failed = true;
			}
			struct lvl *parent = k->depth > 1 ? &k->lv[k->depth - 1]
							 : &(w->s)->root;
			if (k->depth == 1) {
				/* the shared root level: only its failed flag */
				struct shared *s = w->s;
				pthread_mutex_lock(&s->lock);
				finish_dir(k, L, parent);
				pthread_mutex_unlock(&s->lock);
			} else {
				finish_dir(k, L, parent);
			}
			dir_left(k, k->depth);
			k->depth--;
			continue;
		}
		int r = do_entry(k, k->depth, L->fd, de);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- resume: back down a saved directory stack, by inode */

/* The saved directory at depth is gone, or another one has its name. */
static int resume_lost(struct worker *k, unsigned depth)
{
	struct walk *w = k->w;
	w->r->resume_lost = true;
	w->r->resume_lost_depth = depth;
	stop_all(w);
	return -ESTALE;
}

/* Find the directory with inode ino among the entries of level d (its
 * getdents stream goes on after it) and go down into it: 1, or < 0. */
static int resume_enter(struct worker *k, unsigned d, uint64_t ino)
{
	struct walk *w = k->w;
	struct lvl *P = d ? &k->lv[d] : &(w->s)->root;
	struct tn_dirent64 *de;
	struct tn_statx st;
	enum kind kind;
	bool mnt;
	const char *op;
	size_t name_off, nlen;
	int err = 0;

	while ((de = lvl_next(P, &err)) && de->d_ino != ino)
		;
	if (!de) {
		k->path[P->plen] = 0;
		return err ? set_fatal(k, k->path, "getdents64", err) : resume_lost(k, d + 1);
	}
	nlen = strlen(de->d_name);
	if (path_set(k, P->plen, de->d_name, nlen, &name_off))
		return set_fatal(k, w->a->root_path, "malloc", ENOMEM);
	memset(&st, 0, sizeof(st));
	int fd = open_entry(w, P->fd, de->d_name, de->d_type, &st, &kind, &mnt, &op);
	if (fd == OPEN_SKIP || fd == OPEN_MOUNT || fd == -ENOENT || fd == -ELOOP)
		return resume_lost(k, d + 1);
	if (fd < 0)
		return set_fatal(k, k->path, op, -fd);
	if (kind != K_DIR || mnt || st.stx_ino != ino) {
		close(fd);
		return resume_lost(k, d + 1);
	}
	struct tn_walk_entry e = {
		.path = k->path, .path_len = name_off + nlen,
		.parent = k->path, .parent_len = P->plen,
		.name = k->path + name_off, .name_len = nlen,
		.fd = fd, .stx = &st, .isdir = true,
		.depth = d + 1, .tid = k->tid, .d_off = de->d_off,
	};
	int r = enter_dir(k, d, P, fd, e.path_len);
	if (r == 0)
		return resume_lost(k, d + 1);	/* too deep now: said */
	if (r == 1)
		dir_entered(w, &e);
	return r;
}

/* Go back down args->resume, then walk on from its offset in the last
 * directory up to the root's level: 0, or < 0 to stop. */
static int resume_walk(struct worker *k)
{
	struct walk *w = k->w;
	const struct tn_walk_resume *rs = w->a->resume;
	struct tn_statx st;
	int r = do_statx(w, w->a->root_fd, &st);
	if (r < 0)
		return set_fatal(k, w->a->root_path, "statx", -r);
	if (st.stx_ino != rs->ino[0])
		return resume_lost(k, 0);
	for (unsigned d = 0; d + 1 < rs->n; d++)
		if ((r = resume_enter(k, d, rs->ino[d + 1])) < 0)
			return r;
	struct lvl *L = k->depth ? &k->lv[k->depth] : &(w->s)->root;
	if (rs->off && lseek(L->fd, rs->off, SEEK_SET) < 0) {
		k->path[L->plen] = 0;
		return set_fatal(k, k->path, "lseek", errno);
	}
	L->pos = L->end = 0;
	L->eof = false;
	return k->depth ? walk_down(k) : 0;
}

/* Take the next entry of the root under the lock and walk it. */
static void *worker_main(void *arg)
{
	struct worker *k = arg;
	struct walk *w = k->w;
	struct shared *s = w->s;
	char name[256 + 1];
	unsigned char type;
	union {
		struct tn_dirent64 d;
		/* never read: it sizes the union, a header and a 255-byte name */
		/* cppcheck-suppress unusedStructMember */
		char b[sizeof(struct tn_dirent64) + 257];
	} one;

	if (w->a->resume)
		k->ret = resume_walk(k);	/* the saved directories first */
	while (!k->ret) {
		if (stopping(w))
			break;
		int err = 0;
		pthread_mutex_lock(&s->lock);
		struct tn_dirent64 *de = lvl_next(&s->root, &err);
		if (de) {
			size_t n = strlen(de->d_name);
			memcpy(name, de->d_name, n + 1);
			type = de->d_type;
			one.d.d_ino = de->d_ino;
			one.d.d_off = de->d_off;
		}
		if (err) {
			s->root.failed = true;
			if (path_room(k, s->root.plen + 1) == 0) {
				memcpy(k->path, w->a->root_path, s->root.plen);
				k->path[s->root.plen] = 0;
			}
			pthread_mutex_unlock(&s->lock);
			report(k, w->a->root_path, "getdents64", err);
			break;
		}
		pthread_mutex_unlock(&s->lock);
		if (!de)
			break;
		memcpy(one.d.d_name, name, strlen(name) + 1);
		one.d.d_type = type;
		int r = do_entry(k, 0, s->root.fd, &one.d);
		if (r == 1)
			r = walk_down(k);
		if (r < 0) {
			k->ret = r;
			break;
		}
	}
	/* unwind whatever is still open (a stop): nothing is marked */
	if (stopping(w) || k->ret < 0) {
		size_t n = k->depth ? k->lv[k->depth].plen : s->root.plen;
		if (k->path && !k->where && (k->where = malloc(n + 1))) {
			memcpy(k->where, k->path, n);
			k->where[n] = 0;
		}
	}
	while (k->depth > 0) {
		struct lvl *L = &k->lv[k->depth];
		if (L->fd >= 0)
			close(L->fd);
		L->fd = -1;
		k->depth--;
	}
	return NULL;
}

static void worker_free(struct worker *k)
{
	for (unsigned i = 0; i < k->nlv; i++)
		free(k->lv[i].buf);
	free(k->lv);
	free(k->path);
	free(k->where);
}

/* Does the root carry the token?  1: yes, the walk is done (resumed);
 * 0: walk it; -errno: fatal. */
static int root_token(struct walk *w)
{
	int t = tn_walk_has_token(w->a, w->a->root_fd);
	if (t > 0) {
		w->r->resumed++;
		return 1;
	}
	if (t < 0 && t != -EOPNOTSUPP) {
		w->r->fatal_op = "fgetxattr";
		w->r->fatal_path = strdup(w->a->root_path);
		return t;
	}
	return 0;
}

/* Walk with jobs workers (threads when there are more than one); the first
 * worker's fatal error or stop, or 0. */
static int run_workers(struct worker *ks, int jobs)
{
	if (jobs == 1) {
		worker_main(&ks[0]);
	} else {
		int started = 0;
		for (int i = 0; i < jobs; i++) {
			if (pthread_create(&ks[i].th, NULL, worker_main, &ks[i])) {
				if (!started)
					worker_main(&ks[0]);	/* no threads: walk alone */
				break;
			}
			started++;
		}
		for (int i = 0; i < started; i++)
			pthread_join(ks[i].th, NULL);
	}
	for (int i = 0; i < jobs; i++)
		if (ks[i].ret < 0)
			return ks[i].ret;
	return 0;
}

/* Everything below the root was done: mark the root with the token. */
static void mark_root(struct walk *w)
{
	if (fsetxattr(w->a->root_fd, w->a->token_name, w->a->token, TN_WALK_TOKEN_LEN, 0) < 0) {
		w->r->errors++;
		if (w->a->error)
			w->a->error(w->a->ctx, 0, w->a->root_path, "fsetxattr", errno);
	} else {
		w->r->marked++;
	}
}

/* Where the walk was: the deepest directory of the first worker that still
 * had one open ("" when it finished). */
static void where_stopped(struct walk *w, struct worker *ks, int jobs)
{
	if (w->r->stopped)
		for (int i = 0; i < jobs && !w->r->current_directory; i++)
			if (ks[i].where) {
				w->r->current_directory = ks[i].where;
				ks[i].where = NULL;
			}
	if (!w->r->current_directory)
		w->r->current_directory = strdup(w->r->stopped ? w->a->root_path : "");
}

int tn_walk_run(const struct tn_walk_args *args, struct tn_walk_report *rep)
{
	struct shared s;
	struct walk run = { .a = args, .r = rep }, *w = &run;
	int jobs = args->jobs < 1 ? 1 : args->jobs > TN_WALK_MAX_JOBS ? TN_WALK_MAX_JOBS : args->jobs;
	int ret = 0;

	memset(rep, 0, sizeof(*rep));
	if (args->resume && (jobs > 1 || !args->resume->n))
		return -EINVAL;
	w->max_depth = args->max_depth;
	if (!w->max_depth || w->max_depth > TN_WALK_MAX_DEPTH)
		w->max_depth = TN_WALK_MAX_DEPTH;
	w->stx_mask = args->stx_mask | TN_WALK_STATX_MASK;
	memset(&s, 0, sizeof(s));
	pthread_mutex_init(&s.lock, NULL);
	s.root.fd = w->a->root_fd;
	s.root.plen = strlen(w->a->root_path);
	s.root.cap = BUF_BIG;
	w->s = &s;

	struct worker *ks = calloc(jobs, sizeof(*ks));
	if (!ks || !(s.root.buf = malloc(s.root.cap))) {
		free(ks);
		pthread_mutex_destroy(&s.lock);
		w->s = NULL;
		return -ENOMEM;
	}
	for (int i = 0; i < jobs; i++) {
		ks[i].w = w;
		ks[i].tid = i;
		if (path_room(&ks[i], s.root.plen + 256)) {
			ret = -ENOMEM;
			goto out;
		}
		memcpy(ks[i].path, w->a->root_path, s.root.plen + 1);
	}

	int t = w->a->token_name ? root_token(w) : 0;
	if (t) {
		ret = t < 0 ? t : 0;
		goto out;
	}
	ret = run_workers(ks, jobs);
	if (!ret && !stopping(w) && !s.root.failed && w->a->token_name) {
		mark_root(w);
	}
out:
	w->r->stopped = stopping(w) || ret < 0;
	where_stopped(w, ks, jobs);
	for (int i = 0; i < jobs; i++)
		worker_free(&ks[i]);
	free(ks);
	free(s.root.buf);
	pthread_mutex_destroy(&s.lock);
	w->s = NULL;
	return ret;
}

void tn_walk_report_free(struct tn_walk_report *rep)
{
	free(rep->current_directory);
	free(rep->fatal_path);
	rep->current_directory = NULL;
	rep->fatal_path = NULL;
}
