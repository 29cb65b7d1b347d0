/* file_ops.c - --dir/--mount-id, the fd record and --cat/--write/--exec,
 * shared by openat2, statx and fhandle (and --exec's runner by walk). */
#define _GNU_SOURCE
#include "file_ops.h"
#include "../../core/file.h"
#include "../../core/mount.h"
#include "../../util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* F_GETFL reports the kernel's O_LARGEFILE (forced on every open of a
 * 64-bit process), which glibc defines as 0 on 64-bit builds (it means
 * nothing there), so leave it out.  Its value differs per arch: the
 * kernel's arch/{*}/include/uapi/asm/fcntl.h, else asm-generic/fcntl.h. */
#if defined(__aarch64__) || defined(__arm__) || defined(__alpha__) || defined(__m68k__)
#define TN_KERNEL_O_LARGEFILE 0400000
#elif defined(__powerpc__)
#define TN_KERNEL_O_LARGEFILE 0200000
#elif defined(__mips__)
#define TN_KERNEL_O_LARGEFILE 0x2000
#elif defined(__sparc__)
#define TN_KERNEL_O_LARGEFILE 0x40000
#elif defined(__hppa__)
#define TN_KERNEL_O_LARGEFILE 000004000
#else	/* asm-generic: x86, riscv, s390, loongarch, ... */
#define TN_KERNEL_O_LARGEFILE 0100000
#endif

int fc_dir_opt(struct fc_dir *d, int key, const char *arg)
{
	if (key == FC_O_DIR) {
		if (d->have_mount_id)
			return fc_dir_conflict();
		d->dir = arg;
	} else if (key == FC_O_MOUNT_ID) {
		if (d->dir)
			return fc_dir_conflict();
		if (tn_parse_u64(arg, &d->mount_id) || d->mount_id == 0)
			return tn_usage_err("--mount-id: '%s' is not a mount id", arg);
		d->have_mount_id = true;
	}
	return TN_OPT_GO;
}

int fc_dir_conflict(void)
{
	return tn_usage_err("--dir and --mount-id cannot be used together");
}

int fc_open_dir(const char *dir, int oflags, int *dfd)
{
	int r = tn_empty_path("--dir", dir);
	if (r)
		return r;
	int fd = open(dir, (oflags ? oflags : O_PATH) | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return tn_syserr(errno, NULL, "--dir %s", dir);
	*dfd = fd;
	return 0;
}

int fc_open_mount(uint64_t id, int oflags, const char *what)
{
	char mp[4096];
	int fd = tn_open_mount(id, oflags, mp, sizeof(mp));
	if (fd >= 0)
		return fd;
	if (fd == -ENOENT) {
		tn_warn("%s %llu: no such mount in this mount namespace", what,
			(unsigned long long)id);
		return -TN_EXIT_FAIL;
	}
	if (fd == -ENAMETOOLONG) {
		tn_warn("%s %llu: its mount point is longer than the %zu bytes a path may have "
			"(%.64s...), so it cannot be opened and checked by path", what,
			(unsigned long long)id, sizeof(mp) - 1, mp);
		return -TN_EXIT_FAIL;
	}
	if (fd == -EXDEV) {
		tn_warn("%s %llu: its mount point %s now leads to another mount "
			"(something is mounted over it, or it moved); refusing to use it",
			what, (unsigned long long)id, mp);
		return -TN_EXIT_FAIL;
	}
	return -tn_syserr(-fd, id >= TN_MNT_UNIQUE_ID_MIN ? "statmount" : NULL, "%s %llu", what,
			  (unsigned long long)id);
}

int fc_dir_open(const struct fc_dir *d, int oflags, int *dfd)
{
	*dfd = AT_FDCWD;
	if (d->have_mount_id) {
		int fd = fc_open_mount(d->mount_id, oflags, "--mount-id");
		if (fd < 0)
			return -fd;
		*dfd = fd;
	} else if (d->dir) {
		return fc_open_dir(d->dir, oflags, dfd);
	}
	return 0;
}

uint64_t fc_nowait(enum fc_action act, uint64_t oflags)
{
	if (act == FC_SHOW && (oflags & O_ACCMODE) == O_RDONLY && !(oflags & O_PATH))
		oflags |= O_NONBLOCK;
	return oflags;
}

void fc_unwait(int fd, uint64_t asked)
{
	if (asked & O_NONBLOCK)
		return;
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0 && (fl & O_NONBLOCK))
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
}

int fc_openat2_err(int err, const char *path, uint64_t rs, uint64_t oflags)
{
	const char *why = NULL;

	switch (err) {
	case EXDEV:
		if (rs & (RESOLVE_BENEATH | RESOLVE_IN_ROOT))
			why = (rs & RESOLVE_NO_XDEV)
				? "the path escapes the directory or crosses a mount point (beneath/in-root, no-xdev)"
				: "the path escapes the directory (an absolute path or symlink, '..' above it, or a /proc magic link; beneath/in-root)";
		else if (rs & RESOLVE_NO_XDEV)
			why = "the path crosses a mount point (no-xdev)";
		break;
	case ELOOP:
		if (rs & RESOLVE_NO_SYMLINKS)
			why = "a symlink in the path was refused (no-symlinks)";
		else if (rs & RESOLVE_NO_MAGICLINKS)
			why = "a /proc magic link in the path was refused (no-magiclinks)";
		else if (oflags & O_NOFOLLOW)
			why = "the last component is a symlink (nofollow)";
		break;
	case EAGAIN:
		if (rs & RESOLVE_CACHED)
			why = "the lookup could not be done from the dentry cache alone (cached); try again without it";
		else if (rs & (RESOLVE_BENEATH | RESOLVE_IN_ROOT))
			why = "the kernel could not prove that '..' stayed inside the directory: the tree "
			      "kept changing (a rename or mount) during every try; nothing was opened";
		break;
	}
	int r;
	if (why) {
		tn_warn("%s: %s", path, why);
		r = TN_EXIT_FAIL;
	} else if ((r = opt_flags_refused(err, "openat2", "--resolve", tn_resolve_names, rs)) ||
		   (r = opt_flags_refused(err, "openat2", "--flags", tn_open_flag_names, oflags))) {
		;
	} else {
		r = tn_syserr(err, "openat2", "%s", path);
	}
	return r;
}

int fc_act_opt(struct fc_act *a, int key, char **rest, int nrest)
{
	enum fc_action want = key == FC_O_CAT ? FC_CAT : key == FC_O_WRITE ? FC_WRITE : FC_EXEC;
	if (a->act != FC_SHOW && a->act != want)
		return tn_usage_err("--cat, --write and --exec cannot be combined");
	a->act = want;
	if (want == FC_EXEC) {
		a->argv = rest;
		a->argc = nrest;
	}
	return TN_OPT_GO;
}

/* Copy in to out until EOF; messages name them "read IN" / "write OUT", or
 * for stdout the one write-error wording (a reader gone from it, EPIPE,
 * ends tnos quietly). */
static int copy_fd(int in, const char *in_name, int out, const char *out_name)
{
	char buf[65536];
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return tn_syserr(errno, NULL, "read %s", in_name);
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return out == STDOUT_FILENO ? tn_stdout_failed(errno)
							    : tn_syserr(errno, NULL, "write %s", out_name);
			off += w;
		}
	}
	return 0;
}

int fc_cat(int fd, const char *what)
{
	fflush(stdout);
	return copy_fd(fd, what, STDOUT_FILENO, "standard output");
}

int fc_write(int fd, const char *what)
{
	return copy_fd(STDIN_FILENO, "stdin", fd, what);
}

int fc_run(const struct fc_cmd *c)
{
	/* the words may come from the middle of our argv: end them here */
	char **av = malloc(((size_t)c->argc + 1) * sizeof(char *));
	if (!av)
		return -ENOMEM;
	memcpy(av, c->argv, (size_t)c->argc * sizeof(char *));
	av[c->argc] = NULL;
	/* the child's message, escaped, built here: after fork it may not
	 * allocate (another thread may have held malloc's lock) */
	char *msg = c->label ? tn_msg_line("%s %s", c->label, av[0]) : tn_msg_line("%s", av[0]);
	fflush(stdout);
	fflush(stderr);
	/* ignored before the fork (the child may signal at once), restored
	 * in the child */
	struct sigaction ign = { .sa_handler = SIG_IGN }, oint, oquit;
	if (c->foreground) {
		sigaction(SIGINT, &ign, &oint);
		sigaction(SIGQUIT, &ign, &oquit);
	}
	pid_t pid = fork();
	if (pid == 0) {
		/* no stdio here: another thread may have held its lock at fork */
		if (c->foreground) {
			sigaction(SIGINT, &oint, NULL);
			sigaction(SIGQUIT, &oquit, NULL);
		}
		if ((c->in_fd != STDIN_FILENO && dup2(c->in_fd, STDIN_FILENO) < 0) ||
		    (c->dir_fd >= 0 && fchdir(c->dir_fd) < 0)) {
			tn_msg_write_err(msg, errno);
			_exit(126);
		}
		if (c->envp)
			execvpe(av[0], av, c->envp);
		else
			execvp(av[0], av);
		int e = errno;
		tn_msg_write_err(msg, e);
		_exit(e == ENOENT ? 127 : 126);
	}
	int e = errno;
	free(msg);
	free(av);
	int st = 0, r = pid < 0 ? -e : 0;
	while (pid > 0 && waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			r = -errno;
			break;
		}
	if (c->foreground) {
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
	}
	if (r < 0)
		return r;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}

int fc_exec(const struct fc_cmd *c)
{
	int r = fc_run(c);
	if (r < 0) {
		if (c->label)
			return tn_syserr(-r, NULL, "%s %s", c->label, c->argv[0]);
		return tn_syserr(-r, NULL, "%s", c->argv[0]);
	}
	return r;
}

int fc_act_exec(const struct fc_act *a, int fd)
{
	struct fc_cmd c = { a->argv, a->argc, "--exec", fd, -1, NULL, false };
	return fc_exec(&c);
}

void fc_emit_fd(struct out *o, int fd)
{
	char *p;
	size_t n;
	if (tn_fd_path(fd, &p, &n) == 0) {
		out_strn(o, FC_FDPATH, p, n);
		free(p);
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		out_flags(o, FC_OFLAGS, (unsigned)fl & ~(unsigned)TN_KERNEL_O_LARGEFILE);
}
