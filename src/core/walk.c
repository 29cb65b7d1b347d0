/* walk.c - the walk engine (see walk.h).
 *
 * A directory being read is a node: its fd, its getdents buffer and cursor,
 * its path, a reference count and its parent.  A worker walks depth-first
 * from the node it took, through the chain of nodes from there to where it
 * is (one fd and one buffer per level).  With one worker that is a plain
 * depth-first pre-order walk.  With more, a worker's nodes are its own
 * (read without a lock) until another worker waits for work and nothing is
 * on the shared list: then the busy worker shares the shallowest node of
 * its chain that still has entries.  A waiting worker joins the shallowest
 * shared node; the workers on a shared node take its entries one at a time
 * under the node's lock, and each walks the subdirectories it takes alone.
 * So every worker is busy wherever the directories are, and the walk holds
 * at most jobs x depth nodes (fds and buffers), whatever the tree's size.
 *
 * A node is finished (marked with the resume token, closed, freed) when
 * its last reference goes: each worker that has it on its chain holds one,
 * and so does each live subdirectory node, so a directory is marked only
 * once everything below it is done.
 *
 * An entry is handled in two halves: look (the stat or open its mode
 * needs) and deliver (report, count, go down).  On a node of its own, a
 * worker looks at a run of the entries already in the node's buffer, up to
 * BATCH of them and up to the first directory it opened, before it
 * delivers them in order: the syscalls run back to back and so does the
 * output's code, each in a warm cache.  The order is the same as one at a
 * time, since the directory that ends a run is delivered (and entered)
 * last.  A mode that opens every entry delivers each as it is opened.
 *
 * With more than one job, each worker thread has an fd table and a copy
 * of the credentials of its own.  Every open and close takes the lock of
 * its fd table and every open file a reference on the opener's
 * credentials: shared, two workers opening files bounce the same cache
 * lines, and the fd mode gained little from a second job.  A node's fd is
 * then its owner's (the worker that opened it): a worker that joins a
 * shared node reads it through a copy (pidfd_getfd: the same open file, so
 * the same getdents position), and only the owner closes the original,
 * once the node's last reference is gone.  Where thread pidfds are missing
 * (before Linux 6.9) the workers share the process's table, as threads do.
 *
 * The enter and leave hooks follow each worker's chain: enter when it goes
 * down into a directory (and, with more than one worker, for each directory
 * above a node it joins), leave when it is done with one.  A resume (one
 * worker only) goes back down a saved chain by inode before it walks on. */
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
#include <sys/prctl.h>
#include <sys/xattr.h>
#include <sched.h>
#include <unistd.h>

#define RES_WALK (RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS)
#define BUF_BIG   32768		/* getdents buffer for the first levels */
#define BUF_SMALL 4096		/* deeper levels */
#define BIG_LEVELS 8
#define BATCH 32		/* entries looked at before they are delivered */

struct tn_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

struct node {
	struct node *parent;	/* NULL for the root */
	struct node *next, *prev;	/* the open list (jobs > 1) */
	pthread_mutex_t lock;	/* the cursor (jobs > 1) */
	int fd;			/* in its owner's fd table */
	int owner;		/* the worker that opened it; -1: the root, whose
				 * fd every table holds */
	int refs;		/* atomic */
	bool failed;		/* atomic: something below failed, do not mark */
	bool eof;
	bool listed;		/* on the open list (under the walk's lock) */
	bool shared;		/* was listed: other workers may read it, under
				 * lock (set by the worker reading it, never
				 * cleared) */
	unsigned depth;		/* 0: the root */
	uint64_t ino;		/* its statx inode, when the hooks need it */
	size_t cap, pos, end;
	size_t plen;		/* the path's length */
	char *path;		/* NUL-terminated, in the same allocation */
	char *buf;
};

struct worker {
	struct walk *w;
	int tid;
	struct node *base;	/* the node this worker took (its chain's top) */
	struct node *cur;	/* the node it reads now */
	char *path;		/* cur's path, then "/" and the entry's name */
	size_t pcap;
	int ret;		/* fatal error or callback stop */
	uint64_t cnt, bytes;	/* this worker's, when counts are not live */
	char *where;		/* directory the worker was in when it stopped */
	pthread_t th;
	struct looked *batch;	/* BATCH entries, when entries need no fd */
	pid_t ttid;		/* its thread, when each has its own fd table */
	int copy;		/* base's fd in this worker's table, when base is
				 * another's; else -1 */
	int *pidfd;		/* [jobs]: the other workers' thread pidfds, -1
				 * until needed */
	int *closeq;		/* fds of its table to close: nodes it opened,
				 * finished by another worker (under the walk's
				 * lock) */
	unsigned nclose, capclose;
	union {			/* an entry copied out of a shared node */
		struct tn_dirent64 d;
		/* never read: it sizes the union, a header and a 255-byte name */
		/* cppcheck-suppress unusedStructMember */
		char b[sizeof(struct tn_dirent64) + 257];
	} one;
};

/* One run: what the caller asked, where the run reports, and the state the
 * workers share. */
struct walk {
	const struct tn_walk_args *a;
	struct tn_walk_report *r;
	unsigned max_depth;	/* a->max_depth, 0 and too deep made TN_WALK_MAX_DEPTH */
	unsigned stx_mask;	/* a->stx_mask | TN_WALK_STATX_MASK */
	enum tn_walk_need need;
	int jobs;
	bool mt;		/* more than one worker: nodes are shared */
	bool tables;		/* each worker has its own fd table */
	int ready;		/* workers with their own table (under lock) */
	struct worker *ks;	/* every worker */
	pthread_mutex_t lock;	/* the open list, idle, done, the fatal error */
	pthread_cond_t cv;	/* a node was listed, or the walk ends */
	struct node *open;	/* nodes with entries left to read */
	int idle;		/* workers waiting for a node */
	bool done;
	int stopping;		/* atomic: every worker unwinds */
};

static void stop_all(struct walk *w)
{
	if (w->mt)
		pthread_mutex_lock(&w->lock);
	__atomic_store_n(&w->stopping, 1, __ATOMIC_RELAXED);
	if (w->mt) {
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->lock);
	}
}

static bool stopping(struct walk *w)
{
	if (__atomic_load_n(&w->stopping, __ATOMIC_RELAXED))
		return true;
	if (w->a->stop && *w->a->stop) {
		stop_all(w);
		return true;
	}
	return false;
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

/* Room for need bytes in the worker's path buffer. */
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

/* Put "dir/name" in the path buffer for a directory of path length plen;
 * *name_off is where the name starts. */
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
	if (w->mt)
		pthread_mutex_lock(&w->lock);
	if (!w->r->fatal_op) {
		w->r->fatal_op = op;
		w->r->fatal_path = strdup(path);
	}
	if (w->mt)
		pthread_mutex_unlock(&w->lock);
	stop_all(w);
	return -err;
}

/* ---- one fd table per worker (jobs > 1) */

/* Can this kernel copy an fd out of another thread's table? */
static bool tables_work(void)
{
	int p = sys_pidfd_open(gettid(), PIDFD_THREAD);
	if (p < 0)
		return false;
	int c = sys_pidfd_getfd(p, p, 0);
	close(p);
	if (c < 0)
		return false;
	close(c);
	return true;
}

/* A new worker thread: credentials of its own (commit_creds() of an
 * unchanged copy: PR_SET_KEEPCAPS to what it is), and, where copies work,
 * an fd table of its own, made before any worker opens a directory (the
 * others would get copies of those fds in theirs). */
static void worker_start(struct worker *k)
{
	struct walk *w = k->w;
	int kc = prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0);
	if (kc >= 0)
		prctl(PR_SET_KEEPCAPS, kc, 0, 0, 0);	/* on failure, shared: slower */
	if (!w->tables)
		return;
	k->ttid = gettid();
	unshare(CLONE_FILES);	/* on failure, the process's table: every fd
				 * there is still the owner's, and copies of
				 * them still work */
	pthread_mutex_lock(&w->lock);
	w->ready++;
	pthread_cond_broadcast(&w->cv);
	while (w->ready < w->jobs)
		pthread_cond_wait(&w->cv, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

/* Another worker's fd, copied into this worker's table: the new fd, or
 * -errno. */
static int fd_from(struct worker *k, int owner, int fd)
{
	if (k->pidfd[owner] < 0) {
		int p = sys_pidfd_open(k->w->ks[owner].ttid, PIDFD_THREAD);
		if (p < 0)
			return p;
		k->pidfd[owner] = p;
	}
	return sys_pidfd_getfd(k->pidfd[owner], fd, 0);
}

/* The fd of node n in this worker's table: -1 for a node above the one it
 * joined, which it never reads. */
static inline int node_fd(const struct worker *k, const struct node *n)
{
	if (!k->w->tables || n->owner < 0 || n->owner == k->tid)
		return n->fd;
	return n == k->base ? k->copy : -1;
}

/* Node n, opened by another worker, is finished: its owner closes its fd. */
static void close_later(struct walk *w, const struct node *n)
{
	struct worker *o = &w->ks[n->owner];
	pthread_mutex_lock(&w->lock);
	if (o->nclose == o->capclose) {
		unsigned cap = o->capclose ? o->capclose * 2 : 16;
		int *q = realloc(o->closeq, cap * sizeof(*q));
		if (q) {
			o->closeq = q;
			o->capclose = cap;
		}
	}
	if (o->nclose < o->capclose) {	/* else it stays open until the
					 * owner's thread (and table) ends */
		o->closeq[o->nclose] = n->fd;
		__atomic_store_n(&o->nclose, o->nclose + 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&w->lock);
}

/* Close the fds other workers finished with. */
static void close_queued(struct worker *k)
{
	if (!__atomic_load_n(&k->nclose, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&k->w->lock);
	for (unsigned i = 0; i < k->nclose; i++)
		close(k->closeq[i]);
	__atomic_store_n(&k->nclose, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&k->w->lock);
}

/* The thread ends: what its table still holds of the walk's. */
static void worker_end(struct worker *k)
{
	if (!k->w->tables)
		return;
	close_queued(k);
	for (int i = 0; i < k->w->jobs; i++)
		if (k->pidfd[i] >= 0)
			close(k->pidfd[i]);
}

/* Drop the copy of the node it joined. */
static void drop_copy(struct worker *k)
{
	if (k->copy >= 0)
		close(k->copy);
	k->copy = -1;
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

/* ---- nodes */

static struct node *node_new(struct node *parent, int fd, const char *path, size_t plen,
			     unsigned depth)
{
	size_t cap = depth < BIG_LEVELS ? BUF_BIG : BUF_SMALL;
	size_t at = (sizeof(struct node) + plen + 1 + 15) & ~(size_t)15;
	struct node *n = malloc(at + cap);
	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->parent = parent;
	n->fd = fd;
	n->owner = -1;
	n->refs = 1;
	n->depth = depth;
	n->cap = cap;
	n->plen = plen;
	n->path = (char *)(n + 1);
	memcpy(n->path, path, plen);
	n->path[plen] = 0;
	n->buf = (char *)n + at;
	pthread_mutex_init(&n->lock, NULL);
	return n;
}

/* Something below this directory failed: do not mark it. */
static void set_failed(struct node *n)
{
	__atomic_store_n(&n->failed, true, __ATOMIC_RELAXED);
}

/* Put n on the open list and wake a worker waiting for one. */
static void node_list(struct walk *w, struct node *n)
{
	pthread_mutex_lock(&w->lock);
	n->next = w->open;
	n->prev = NULL;
	if (w->open)
		w->open->prev = n;
	__atomic_store_n(&w->open, n, __ATOMIC_RELAXED);
	n->listed = n->shared = true;
	if (w->idle)
		pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->lock);
}

/* n's entries are all read: nobody joins it any more. */
static void node_unlist(struct walk *w, struct node *n)
{
	pthread_mutex_lock(&w->lock);
	if (n->listed) {
		if (n->prev)
			n->prev->next = n->next;
		else
			__atomic_store_n(&w->open, n->next, __ATOMIC_RELAXED);
		if (n->next)
			n->next->prev = n->prev;
		n->listed = false;
	}
	pthread_mutex_unlock(&w->lock);
}

/* The last reference is gone: mark the directory with the token unless
 * anything below failed or the walk is stopping, close it (not the root:
 * the caller's) and free it. */
static void node_finish(struct worker *k, struct node *n)
{
	struct walk *w = k->w;
	if (n->failed || stopping(w)) {
		if (n->parent)
			set_failed(n->parent);
	} else if (w->a->token_name) {
		int fd = node_fd(k, n), copy = -1;
		if (fd < 0)
			fd = copy = fd_from(k, n->owner, n->fd);
		if (fd < 0)
			report(k, n->path, "pidfd_getfd", -fd);
		else if (fsetxattr(fd, w->a->token_name, w->a->token, TN_WALK_TOKEN_LEN, 0) < 0)
			report(k, n->path, "fsetxattr", errno);
		else
			__atomic_add_fetch(&w->r->marked, 1, __ATOMIC_RELAXED);
		if (copy >= 0)
			close(copy);
	}
	if (n->shared)
		node_unlist(w, n);	/* a stop can leave it listed; nobody
					 * takes a listed node once stopping */
	if (n->parent) {	/* the root's fd is the caller's */
		if (!w->tables || n->owner == k->tid)
			close(n->fd);
		else
			close_later(w, n);
	}
	pthread_mutex_destroy(&n->lock);
	free(n);
}

/* Drop a reference to n; the last one finishes it, which drops the one it
 * held on its parent. */
static void node_release(struct worker *k, struct node *n)
{
	while (n && __atomic_sub_fetch(&n->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		struct node *p = n->parent;
		node_finish(k, n);
		n = p;
	}
}

/* The next dirent of n already in its buffer (not . or ..), NULL when the
 * buffer needs a refill (which would move what earlier ones point to). */
static struct tn_dirent64 *node_buffered(struct node *n)
{
	while (n->pos < n->end) {
		struct tn_dirent64 *d = (struct tn_dirent64 *)(n->buf + n->pos);
		n->pos += d->d_reclen;
		const char *nm = d->d_name;
		if (!(nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2]))))
			return d;
	}
	return NULL;
}

/* Next dirent of n (its fd is fd in the caller's table; not . or ..), NULL
 * at the end; *err on a getdents error. */
static struct tn_dirent64 *node_next(struct node *n, int fd, int *err)
{
	struct tn_dirent64 *d;
	while (!(d = node_buffered(n)) && !n->eof) {
		long r = syscall(SYS_getdents64, fd, n->buf, n->cap);
		if (r <= 0) {
			if (r < 0)
				*err = errno;
			n->eof = true;
			break;
		}
		n->pos = 0;
		n->end = (size_t)r;
	}
	return d;
}

/* The next entry of the worker's node: in place when the node is the
 * worker's own, copied out under the node's lock when it is shared. */
static struct tn_dirent64 *next_entry(struct worker *k, struct node *n, int *err)
{
	if (!n->shared)
		return node_next(n, n->fd, err);	/* its own */
	pthread_mutex_lock(&n->lock);
	struct tn_dirent64 *d = node_next(n, node_fd(k, n), err);
	if (d) {
		size_t l = strlen(d->d_name);
		memcpy(k->one.d.d_name, d->d_name, l + 1);
		k->one.d.d_type = d->d_type;
		k->one.d.d_ino = d->d_ino;
		k->one.d.d_off = d->d_off;
		d = &k->one.d;
	}
	pthread_mutex_unlock(&n->lock);
	return d;
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

/* Is the entry statx'd another mount than the walk's? */
static bool child_mount(const struct walk *w, const struct tn_statx *st)
{
	return (st->stx_mask & TN_STATX_MNT_ID_UNIQUE) && st->stx_mnt_id != w->a->root_mnt_id;
}

#define OPEN_SKIP   (-100000)	/* leave the entry out, silently */
#define OPEN_MOUNT  (-100001)	/* a child mount point, left out */
#define OPEN_NOFD   (-100002)	/* an entry to report, with no fd */
#define OPEN_DENIED (-100003)	/* a directory listed but not entered: EACCES */

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

/* Look at name through an O_PATH fd (nothing is opened for reading, no
 * device or FIFO is touched): its kind in *want and its statx in *st, 0;
 * OPEN_MOUNT-style results are the caller's: -EXDEV for a child mount,
 * -ELOOP for a symlink, or another -errno (*op names the call). */
static int look_by_path(struct walk *w, int dfd, const char *name, enum kind *want,
			struct tn_statx *st, const char **op)
{
	*op = "openat2";
	int fd = xopen(dfd, name, O_PATH, RES_WALK);
	if (fd < 0)
		return fd;
	*op = "statx";
	int r = do_statx(w, fd, st);
	close(fd);
	if (r < 0)
		return r;
	*want = kind_of_mode(st->stx_mode);
	*op = "openat2";
	return 0;
}

/* Opening as *want failed with err (ENOTDIR, ENXIO, ETXTBSY): has the entry
 * changed type?  1 to try again (*want is its real kind, or the next try
 * sorts it out), err when it has not, or another -errno. */
static int recheck_type(struct walk *w, int dfd, const char *name, int err, enum kind *want,
			struct tn_statx *st, const char **op)
{
	if (*want == K_SPECIAL)
		return err;
	enum kind real;
	int r = look_by_path(w, dfd, name, &real, st, op);
	if (r == -EXDEV || r == -ELOOP)
		return 1;
	if (r < 0)
		return r;
	if (real == *want)
		return err;	/* not a type change: a real error */
	*want = real;
	return 1;
}

/* TN_WALK_NEED_FD: open and classify one entry.  Returns an fd (with *st,
 * *kind, *mnt set), OPEN_SKIP/OPEN_MOUNT, or -errno (*op names the failing
 * call). */
static int open_entry(struct walk *w, int dfd, const char *name, unsigned char dtype,
		      struct tn_statx *st, enum kind *kind, bool *mnt, const char **op)
{
	enum kind want = kind_of_dtype(dtype);
	*mnt = false;
	if (dtype == DT_UNKNOWN) {
		/* no d_type: the file flags are for regular files only, so
		 * learn the kind first, without opening the entry itself */
		int r = look_by_path(w, dfd, name, &want, st, op);
		if (r == -EXDEV)
			return open_mount(w, dfd, name, st, kind, mnt);
		if (r == -ELOOP)
			want = K_LNK;
		else if (r < 0)
			return r;
	}
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
			case -EACCES: {
				if (want != K_DIR)
					return fd;
				/* a directory not ours to read: its name needs no
				 * permission, so it is listed (as find lists it) and
				 * reported as not entered */
				int r = look_by_path(w, dfd, name, &want, st, op);
				if (r == -EXDEV)
					return open_mount(w, dfd, name, st, kind, mnt);
				if (r == -ELOOP) {
					want = K_LNK;
					continue;
				}
				if (r < 0)
					return r;
				if (want != K_DIR || child_mount(w, st))
					continue;	/* swapped meanwhile */
				*kind = K_DIR;
				return OPEN_DENIED;
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
		if (child_mount(w, st)) {
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

/* TN_WALK_NEED_NAMES and _STAT: only a directory is opened.  A
 * non-directory is taken from d_type (names), or statx'd by name relative
 * to the verified dfd without following it (stat, and any DT_UNKNOWN); a
 * child mount is known by EXDEV from the open or by its mount id.  Returns
 * a directory's fd, OPEN_NOFD for a non-directory (with *kind, *mnt, and *st
 * when stat'ed), OPEN_SKIP/OPEN_MOUNT, or -errno (*op says which call). */
static int look_entry(struct walk *w, int dfd, const char *name, unsigned char dtype,
		      struct tn_statx *st, enum kind *kind, bool *mnt, const char **op)
{
	enum kind want = kind_of_dtype(dtype);
	bool known = dtype != DT_UNKNOWN;
	*mnt = false;
	for (int tries = 0; tries < 4; tries++) {
		if (!known || (want != K_DIR && w->need == TN_WALK_NEED_STAT)) {
			*op = "statx";
			int r = sys_statx(dfd, name, AT_SYMLINK_NOFOLLOW, w->stx_mask, st);
			if (r < 0)
				return r;
			want = kind_of_mode(st->stx_mode);
			if (child_mount(w, st)) {
				if (want == K_DIR || !w->a->include_mountpoints)
					return open_mount(w, dfd, name, st, kind, mnt);
				*mnt = true;	/* a file mount point: shown, not opened */
				*kind = want;
				return OPEN_NOFD;
			}
			if (want == K_LNK && !w->a->include_symlinks)
				return OPEN_SKIP;
		}
		if (want != K_DIR) {
			*kind = want;
			return OPEN_NOFD;
		}
		*op = "openat2";
		int fd = xopen(dfd, name, O_RDONLY | O_DIRECTORY, RES_WALK);
		if (fd == -EXDEV)
			return open_mount(w, dfd, name, st, kind, mnt);
		if (fd == -ELOOP || fd == -ENOTDIR) {
			known = false;	/* no longer a directory: look again */
			continue;
		}
		if (fd == -EACCES) {
			/* its name needs no permission: listed (as find lists
			 * it), then reported as not entered */
			if (w->need == TN_WALK_NEED_STAT) {
				*op = "statx";
				int r = sys_statx(dfd, name, AT_SYMLINK_NOFOLLOW, w->stx_mask, st);
				if (r < 0)
					return r;
				if (kind_of_mode(st->stx_mode) != K_DIR || child_mount(w, st)) {
					known = false;	/* swapped meanwhile */
					continue;
				}
			}
			*op = "openat2";
			*kind = K_DIR;
			return OPEN_DENIED;
		}
		if (fd < 0)
			return fd;
		if (w->need == TN_WALK_NEED_STAT) {
			*op = "statx";
			int r = do_statx(w, fd, st);
			if (r < 0) {
				close(fd);
				return r;
			}
			if (child_mount(w, st)) {
				close(fd);	/* belt and braces, as open_entry */
				return open_mount(w, dfd, name, st, kind, mnt);
			}
		}
		*kind = K_DIR;
		return fd;
	}
	*op = "openat2";
	return -EAGAIN;		/* it kept changing type under us */
}

static bool pruned(const struct walk *w, const char *name)
{
	for (int i = 0; i < w->a->nprune; i++)
		if (!fnmatch(w->a->prune[i], name, 0))
			return true;
	return false;
}

/* Is the entry left out: a non-directory born after the cutoff, or a
 * directory that carries the token (or whose token cannot be read:
 * reported)? */
static bool left_out(struct worker *k, struct node *P, int fd, const struct tn_statx *st,
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

/* Go down into the directory fd (inode ino), an entry of P whose path is
 * the first path_len bytes of the worker's path: 1, 0 when it is too deep
 * (reported), or -errno. */
static int enter_dir(struct worker *k, struct node *P, int fd, size_t path_len, uint64_t ino)
{
	struct walk *w = k->w;
	if (P->depth + 2 > w->max_depth) {
		/* its entries would lie deeper than the documented maximum */
		report(k, k->path, "max-depth", ELOOP);
		set_failed(P);
		close(fd);
		return 0;
	}
	struct node *n = node_new(P, fd, k->path, path_len, P->depth + 1);
	if (!n) {
		close(fd);
		return set_fatal(k, k->path, "malloc", ENOMEM);
	}
	n->ino = ino;
	n->owner = k->tid;
	__atomic_add_fetch(&P->refs, 1, __ATOMIC_RELAXED);
	k->cur = n;
	return 1;
}

/* ---- the directory hooks (enter, leave) */

static void dir_entered(struct walk *w, const struct tn_walk_entry *e)
{
	if (w->a->enter)
		w->a->enter(w->a->ctx, e);
}

/* The worker is done with the directory at depth (the root's is 0: no hook). */
static void dir_left(struct worker *k, unsigned depth)
{
	struct walk *w = k->w;
	if (w->a->leave && depth)
		w->a->leave(w->a->ctx, k->tid, depth);
}

/* A worker joined node n: the enter hook for each directory from depth 1
 * down to n, as if it had gone down there itself.  Each holds a reference
 * on its parent, so the chain lives while the worker holds n. */
static void enter_chain(struct worker *k, const struct node *n)
{
	if (!n->depth)
		return;
	enter_chain(k, n->parent);
	struct tn_statx st;
	memset(&st, 0, sizeof(st));
	st.stx_mask = TN_STATX_INO;
	st.stx_ino = n->ino;
	const char *slash = strrchr(n->path, '/');
	size_t name_off = slash ? (size_t)(slash - n->path) + 1 : 0;
	struct tn_walk_entry e = {
		.path = n->path, .path_len = n->plen,
		.parent = n->path, .parent_len = name_off > 1 ? name_off - 1 : name_off,
		.name = n->path + name_off, .name_len = n->plen - name_off,
		.fd = node_fd(k, n), .stx = &st, .isdir = true,
		.depth = n->depth, .tid = k->tid,
	};
	dir_entered(k->w, &e);
}

/* What the first half of an entry found: the dirent (in P's buffer), the
 * fd or OPEN_* code look_entry or open_entry gave, and its status. */
struct looked {
	struct tn_dirent64 *de;
	int fd;
	enum kind kind;
	bool mnt;
	const char *op;
	struct tn_statx st;
};

/* The first half of a dirent of P: the syscalls (stat, open) its mode
 * needs, nothing reported yet. */
static void look(struct worker *k, struct node *P, struct tn_dirent64 *de, struct looked *L)
{
	struct walk *w = k->w;
	L->de = de;
	L->kind = K_REG;
	L->mnt = false;
	L->op = "statx";
	if (de->d_type == DT_LNK && !w->a->include_symlinks) {
		L->fd = OPEN_SKIP;
		return;
	}
	L->st.stx_mask = 0;
	int dfd = node_fd(k, P);
	L->fd = w->need == TN_WALK_NEED_FD
		? open_entry(w, dfd, de->d_name, de->d_type, &L->st, &L->kind, &L->mnt, &L->op)
		: look_entry(w, dfd, de->d_name, de->d_type, &L->st, &L->kind, &L->mnt, &L->op);
	if (!L->st.stx_mask)
		memset(&L->st, 0, sizeof(L->st));	/* not stat'ed: no field is set;
							 * a statx writes the whole struct */
}

/* The stat or open of the entry at k->path failed with err: 0 to go on,
 * < 0 to stop. */
static int entry_failed(struct worker *k, struct node *P, const struct tn_dirent64 *de,
			const char *op, int err)
{
	struct walk *w = k->w;
	if (err == EMFILE || err == ENFILE || err == ENOMEM)
		return set_fatal(k, k->path, op, err);
	if (err == ENOENT) {
		/* gone since getdents: nothing to list, nothing failed */
		__atomic_add_fetch(&w->r->vanished, 1, __ATOMIC_RELAXED);
		return 0;
	}
	if (err == ELOOP && kind_of_dtype(de->d_type) != K_LNK && !w->a->include_symlinks)
		return 0;	/* turned out to be a symlink: left out like one */
	report(k, k->path, op, err);
	set_failed(P);
	return 0;
}

/* Count an entry (its size too, unless a directory): its number. */
static inline uint64_t count_entry(struct worker *k, enum kind kind, uint64_t size)
{
	struct walk *w = k->w;
	if (!w->mt) {
		/* one thread: plain adds (a locked add per entry is measurable) */
		if (kind != K_DIR)
			w->r->cnt_bytes += size;
		return ++w->r->cnt;
	}
	if (w->a->live_counts) {
		if (kind != K_DIR)
			__atomic_add_fetch(&w->r->cnt_bytes, size, __ATOMIC_RELAXED);
		return __atomic_add_fetch(&w->r->cnt, 1, __ATOMIC_RELAXED);
	}
	/* no shared cache line bounced between the workers per entry */
	if (kind != K_DIR)
		k->bytes += size;
	return ++k->cnt;
}

/* The second half: report the entry looked at, count it, and go down into
 * it when it is a directory to walk: 1 when the worker went down, 0 to go
 * on, < 0 to stop.  Takes L->fd. */
static int deliver(struct worker *k, struct node *P, struct looked *L)
{
	struct walk *w = k->w;
	struct tn_dirent64 *de = L->de;
	struct tn_statx *st = &L->st;
	enum kind kind = L->kind;
	bool mnt = L->mnt;
	const char *op = L->op;
	int fd = L->fd;
	size_t name_off, nlen = strlen(de->d_name);

	if (fd == OPEN_SKIP || fd == OPEN_MOUNT)
		return 0;
	if (path_set(k, P->plen, de->d_name, nlen, &name_off)) {
		if (fd >= 0)
			close(fd);
		return set_fatal(k, w->a->root_path, "malloc", ENOMEM);
	}
	bool denied = fd == OPEN_DENIED;
	if (fd == OPEN_NOFD || denied) {
		fd = -1;
	} else if (fd < 0) {
		return entry_failed(k, P, de, op, -fd);
	}
	bool descend = kind == K_DIR && !mnt && !denied;
	if (left_out(k, P, fd, st, kind, descend)) {
		if (fd >= 0)
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
		.stx = st,
		.isdir = kind == K_DIR,
		.isreg = kind == K_REG,
		.islnk = kind == K_LNK,
		.ismount = mnt,
		.depth = P->depth + 1,
		.tid = k->tid,
		.d_off = de->d_off,
	};
	e.cnt = count_entry(k, kind, st->stx_size);
	int r = w->a->entry ? w->a->entry(w->a->ctx, &e) : TN_WALK_GO;
	if (r < 0) {
		if (fd >= 0)
			close(fd);
		stop_all(w);
		return r;
	}
	if (r == TN_WALK_FAILED || denied)
		set_failed(P);
	if (denied)
		report(k, k->path, op, EACCES);
	if (!descend || r == TN_WALK_PRUNE || (w->a->nprune && pruned(w, e.name))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (w->a->enter && !(st->stx_mask & TN_STATX_INO)) {
		/* names mode: the hook saves the directory's inode, from its
		 * own fd (what a resume compares with) */
		int s = do_statx(w, fd, st);
		if (s < 0) {
			close(fd);
			return set_fatal(k, k->path, "statx", -s);
		}
	}
	r = enter_dir(k, P, fd, e.path_len, st->stx_ino);
	if (r == 1)
		dir_entered(w, &e);
	return r;
}

/* ---- workers */

/* Another worker waits and nothing is shared: share the shallowest node
 * of this worker's chain that still has entries to hand out. */
static void share_work(struct worker *k)
{
	struct walk *w = k->w;
	if (!__atomic_load_n(&w->idle, __ATOMIC_RELAXED) || __atomic_load_n(&w->open, __ATOMIC_RELAXED))
		return;
	struct node *best = NULL;
	for (struct node *n = k->cur;; n = n->parent) {
		if (!n->shared && !n->eof)
			best = n;	/* the chain is this worker's: no lock */
		if (n == k->base)
			break;
	}
	if (best)
		node_list(w, best);
}

static int do_entry(struct worker *k, struct node *P, struct tn_dirent64 *de)
{
	struct looked L;
	look(k, P, de, &L);
	return deliver(k, P, &L);
}

/* de and the entries after it in n's buffer, up to BATCH of them and up to
 * the first that holds an fd (a directory to go down into, delivered
 * last): each looked at first, then each delivered in order.  The stat
 * syscalls run back to back and the output's code runs back to back,
 * each in a warm cache; the order of the walk is the same.  The return is
 * do_entry's, for the last one delivered. */
static int walk_batch(struct worker *k, struct node *n, struct tn_dirent64 *de)
{
	struct looked *B = k->batch;
	int cnt = 0, r = 0, i;
	for (;;) {
		look(k, n, de, &B[cnt++]);
		if (B[cnt - 1].fd >= 0 || cnt == BATCH || !(de = node_buffered(n)))
			break;
	}
	for (i = 0; i < cnt && r >= 0; i++) {
		if (i && stopping(k->w)) {
			r = 0;	/* the caller unwinds, nothing marked */
			break;
		}
		r = deliver(k, n, &B[i]);
	}
	for (; i < cnt; i++)	/* not delivered (a stop, an error) */
		if (B[i].fd >= 0)
			close(B[i].fd);
	return r;
}

/* Walk from k->base down, depth-first, until its entries are all read. */
static int walk_from(struct worker *k)
{
	struct walk *w = k->w;
	while (k->cur) {
		struct node *n = k->cur;
		int err = 0;
		if (stopping(w))
			return 0;	/* the caller unwinds, nothing marked */
		if (w->mt) {
			close_queued(k);
			share_work(k);
		}
		struct tn_dirent64 *de = next_entry(k, n, &err);
		if (!de) {
			if (err == ENOENT) {
				/* removed while it was read: its listing ends
				 * here, counted as vanished, not an error */
				__atomic_add_fetch(&w->r->vanished, 1, __ATOMIC_RELAXED);
			} else if (err) {
				report(k, n->path, "getdents64", err);
				set_failed(n);
			}
			if (n->shared)
				node_unlist(w, n);
			bool base = n == k->base;
			k->cur = base ? NULL : n->parent;
			unsigned depth = n->depth;
			node_release(k, n);
			if (base)
				drop_copy(k);
			dir_left(k, depth);
			continue;
		}
		int r = k->batch && !n->shared ? walk_batch(k, n, de) : do_entry(k, n, de);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- resume: back down a saved directory chain, by inode */

/* The saved directory at depth is gone, or another one has its name. */
static int resume_lost(struct worker *k, unsigned depth)
{
	struct walk *w = k->w;
	w->r->resume_lost = true;
	w->r->resume_lost_depth = depth;
	stop_all(w);
	return -ESTALE;
}

/* Find the directory with inode ino and name among the entries of P (its
 * getdents stream goes on after it; those before it are neither reported
 * nor counted) and go down into it: 1, or < 0.  Renamed
 * (the inode under another name) or replaced (the name on another inode),
 * it is lost: its place in P's stream is not the saved one. */
static int resume_enter(struct worker *k, struct node *P, uint64_t ino, const char *name)
{
	struct walk *w = k->w;
	struct tn_dirent64 *de;
	struct tn_statx st;
	size_t name_off, nlen;
	int err = 0;

	while ((de = node_next(P, P->fd, &err)) && de->d_ino != ino && strcmp(de->d_name, name))
		;
	if (!de)
		return err ? set_fatal(k, P->path, "getdents64", err) : resume_lost(k, P->depth + 1);
	if (de->d_ino != ino || strcmp(de->d_name, name))
		return resume_lost(k, P->depth + 1);
	nlen = strlen(de->d_name);
	if (path_set(k, P->plen, de->d_name, nlen, &name_off))
		return set_fatal(k, w->a->root_path, "malloc", ENOMEM);
	int fd = xopen(P->fd, de->d_name, O_RDONLY | O_DIRECTORY, RES_WALK);
	if (fd == -ENOENT || fd == -ENOTDIR || fd == -ELOOP || fd == -EXDEV)
		return resume_lost(k, P->depth + 1);	/* gone, or no longer our directory */
	if (fd < 0)
		return set_fatal(k, k->path, "openat2", -fd);
	memset(&st, 0, sizeof(st));
	int r = do_statx(w, fd, &st);
	if (r < 0) {
		close(fd);
		return set_fatal(k, k->path, "statx", -r);
	}
	if (kind_of_mode(st.stx_mode) != K_DIR || child_mount(w, &st) || st.stx_ino != ino) {
		close(fd);
		return resume_lost(k, P->depth + 1);
	}
	struct tn_walk_entry e = {
		.path = k->path, .path_len = name_off + nlen,
		.parent = k->path, .parent_len = P->plen,
		.name = k->path + name_off, .name_len = nlen,
		.fd = fd, .stx = &st, .isdir = true,
		.depth = P->depth + 1, .tid = k->tid, .d_off = de->d_off,
	};
	r = enter_dir(k, P, fd, e.path_len, st.stx_ino);
	if (r == 0)
		return resume_lost(k, P->depth + 1);	/* too deep now: said */
	if (r == 1)
		dir_entered(w, &e);
	return r;
}

/* Go back down args->resume from the root (the worker's node), then on from
 * its offset in the last directory: 0, or < 0 to stop. */
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
		if ((r = resume_enter(k, k->cur, rs->ino[d + 1], rs->name[d + 1])) < 0)
			return r;
	struct node *L = k->cur;
	if (rs->off && lseek(L->fd, rs->off, SEEK_SET) < 0)
		return set_fatal(k, L->path, "lseek", errno);
	L->pos = L->end = 0;
	L->eof = false;
	return 0;
}

/* Take node n (a reference is held for the worker): its path is the
 * worker's. */
static int take(struct worker *k, struct node *n)
{
	k->base = k->cur = n;
	if (node_fd(k, n) < 0) {	/* another's: read through a copy */
		int fd = fd_from(k, n->owner, n->fd);
		if (fd < 0)	/* a stop may have ended the owner's thread */
			return stopping(k->w) ? 0 : set_fatal(k, n->path, "pidfd_getfd", -fd);
		k->copy = fd;
	}
	if (path_room(k, n->plen + 1))
		return set_fatal(k, n->path, "malloc", ENOMEM);
	memcpy(k->path, n->path, n->plen + 1);
	return 0;
}

/* Stopped: remember where, and drop the chain (nothing gets marked). */
static void unwind(struct worker *k)
{
	if (k->cur && !k->where)
		k->where = strdup(k->cur->path);
	while (k->cur) {
		struct node *n = k->cur;
		k->cur = n == k->base ? NULL : n->parent;
		node_release(k, n);
	}
	drop_copy(k);
	k->base = NULL;
}

/* The shallowest node with entries left, a reference taken for the
 * caller; NULL when the walk is over (every worker waiting, or a stop). */
static struct node *wait_node(struct walk *w)
{
	struct node *best = NULL;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		if (w->done || __atomic_load_n(&w->stopping, __ATOMIC_RELAXED))
			break;
		if (w->open) {
			best = w->open;
			for (struct node *n = w->open->next; n; n = n->next)
				if (n->depth < best->depth)
					best = n;
			__atomic_add_fetch(&best->refs, 1, __ATOMIC_RELAXED);
			break;
		}
		if (w->idle + 1 == w->jobs) {
			/* nobody is walking: nothing more can be listed */
			w->done = true;
			pthread_cond_broadcast(&w->cv);
			break;
		}
		__atomic_add_fetch(&w->idle, 1, __ATOMIC_RELAXED);	/* read as a hint by share_work */
		pthread_cond_wait(&w->cv, &w->lock);
		__atomic_sub_fetch(&w->idle, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&w->lock);
	return best;
}

static void *worker_main(void *arg)
{
	struct worker *k = arg;
	struct walk *w = k->w;
	if (w->mt)
		worker_start(k);
	for (;;) {
		struct node *n;
		if (w->mt) {
			close_queued(k);
			if (!(n = wait_node(w)))
				break;
		} else {
			break;
		}
		int r = take(k, n);
		if (!r && w->a->enter)
			enter_chain(k, n);
		if (!r)
			r = walk_from(k);
		if (r < 0 && !k->ret)
			k->ret = r;
		if (r < 0 || stopping(w)) {
			unwind(k);
			break;
		}
	}
	worker_end(k);
	return NULL;
}

static void worker_free(struct worker *k)
{
	free(k->batch);
	free(k->pidfd);
	free(k->closeq);	/* what is left closed with its thread's table */
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
	if (t < 0) {	/* EOPNOTSUPP too: no directory could be marked */
		w->r->fatal_op = "fgetxattr";
		w->r->fatal_path = strdup(w->a->root_path);
		return t;
	}
	return 0;
}

/* Walk from the root with jobs workers (threads when there are more than
 * one); the first worker's fatal error or stop, or 0.  The run holds a
 * reference on the root until every worker is done, so the root is
 * finished (marked) last. */
static int run_workers(struct walk *w, struct worker *ks, struct node *root)
{
	if (!w->mt) {
		__atomic_add_fetch(&root->refs, 1, __ATOMIC_RELAXED);
		int r = take(&ks[0], root);
		if (!r && w->a->resume)
			r = resume_walk(&ks[0]);	/* the saved directories first */
		if (!r)
			r = walk_from(&ks[0]);
		if (r < 0)
			ks[0].ret = r;
		if (r < 0 || stopping(w))
			unwind(&ks[0]);
	} else {
		node_list(w, root);
		int started = 0;
		for (int i = 0; i < w->jobs; i++) {
			if (pthread_create(&ks[i].th, NULL, worker_main, &ks[i]))
				break;
			started++;
		}
		if (!started) {
			w->jobs = 1;	/* no threads: walk alone (still locking) */
			w->tables = false;	/* in the caller's thread and table */
			worker_main(&ks[0]);
		} else if (started < w->jobs) {
			/* fewer threads than asked: the waiting count must know */
			pthread_mutex_lock(&w->lock);
			w->jobs = started;
			pthread_cond_broadcast(&w->cv);
			pthread_mutex_unlock(&w->lock);
		}
		for (int i = 0; i < started; i++)
			pthread_join(ks[i].th, NULL);
	}
	node_release(&ks[0], root);
	for (int i = 0; i < w->jobs; i++)
		if (ks[i].ret < 0)
			return ks[i].ret;
	return 0;
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
	w->need = args->need;
	if (w->need == TN_WALK_NEED_NAMES && (args->have_cutoff || args->include_mountpoints))
		w->need = TN_WALK_NEED_STAT;
	w->jobs = jobs;
	w->mt = jobs > 1;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cv, NULL);

	size_t plen = strlen(args->root_path);
	struct worker *ks = calloc(jobs, sizeof(*ks));
	struct node *root = ks ? node_new(NULL, args->root_fd, args->root_path, plen, 0) : NULL;
	if (!root) {
		free(ks);
		ret = -ENOMEM;
		goto out_lock;
	}
	w->ks = ks;
	w->tables = w->mt && tables_work();
	for (int i = 0; i < jobs; i++) {
		ks[i].w = w;
		ks[i].tid = i;
		ks[i].copy = -1;
		if (w->tables && !(ks[i].pidfd = malloc(jobs * sizeof(int))))
			w->tables = false;	/* one table: slower, no less right */
		for (int j = 0; ks[i].pidfd && j < jobs; j++)
			ks[i].pidfd[j] = -1;
		/* with an fd per entry, every entry would end its batch */
		if (w->need != TN_WALK_NEED_FD)
			ks[i].batch = malloc(BATCH * sizeof(*ks[i].batch));
	}

	int t = args->token_name ? root_token(w) : 0;
	if (t) {
		ret = t < 0 ? t : 0;
		/* finish nothing: the root is neither walked nor marked again */
		pthread_mutex_destroy(&root->lock);
		free(root);
	} else {
		ret = run_workers(w, ks, root);
	}
	for (int i = 0; i < jobs; i++) {
		w->r->cnt += ks[i].cnt;
		w->r->cnt_bytes += ks[i].bytes;
	}
	w->r->stopped = stopping(w) || ret < 0;
	where_stopped(w, ks, jobs);
	for (int i = 0; i < jobs; i++)
		worker_free(&ks[i]);
	free(ks);
out_lock:
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->lock);
	return ret;
}

void tn_walk_report_free(struct tn_walk_report *rep)
{
	free(rep->current_directory);
	free(rep->fatal_path);
	rep->current_directory = NULL;
	rep->fatal_path = NULL;
}
