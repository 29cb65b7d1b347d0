/* access.c - would this user get through?  Every directory on the way to
 * each PATH is checked for search permission, then the last component for
 * --mode, by the kernel, in a child that runs under exactly the credentials
 * given (core/access.c). */
#define _GNU_SOURCE
#include "common/file_ops.h"
#include "../core/access.h"
#include "../core/file.h"
#include "../core/xattr.h"
#include "../opt.h"
#include "../util.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { C_PATH, C_COMP, C_CHECK, C_ALLOWED, C_ERRNO, C_REASON, C_UID, C_GID, C_MODE, C_PERMS, C_ACL,
       C_AS_USER, C_AS_UID, C_AS_GID, C_AS_GROUPS };

static const struct tn_col cols[] = {
	[C_PATH] = { "PATH", "path", T_STR, 0, "the PATH given", NULL, 0 },
	[C_COMP] = { "COMPONENT", "component", T_STR, 0, "the path up to this component, as checked", NULL, 0 },
	[C_CHECK] = { "CHECK", "check", T_FLAGS, 0,
		      "what was asked: x on each directory on the way, --mode on the last (empty: only that it is reached)",
		      tn_access_mode_names, 0 },
	[C_ALLOWED] = { "ALLOWED", "allowed", T_BOOL, 0, "the kernel allowed it", NULL, 0 },
	[C_ERRNO] = { "ERRNO", "errnum", T_S64, 0, "the kernel's answer: the errno (EACCES, EROFS, ENOENT, ...); allowed: - (JSON: 0)", NULL, 0 },
	[C_REASON] = { "REASON", "reason", T_STR, 0, "the errno's text", NULL, 0 },
	[C_UID] = { "UID", "stx_uid", T_U64, TN_RIGHT, "the component's owner", NULL, 0 },
	[C_GID] = { "GID", "stx_gid", T_U64, TN_RIGHT, "the component's group", NULL, 0 },
	[C_MODE] = { "MODE", "stx_mode", T_MODE, 0, "the component's type and permission bits", NULL, 0 },
	[C_PERMS] = { "PERMS", "perms", T_STR, 0, "the component's mode as ls and namei -l show it (drwxr-xr-x)", NULL, 0 },
	[C_ACL] = { "ACL", "acl", T_BOOL, 0, "a POSIX ACL is set (system.posix_acl_access exists)", NULL, 0 },
	[C_AS_USER] = { "AS-USER", "id_name", T_STR, 0, "the --user given", NULL, 0 },
	[C_AS_UID] = { "AS-UID", "uid", T_U64, TN_RIGHT, "the uid checked as", NULL, 0 },
	[C_AS_GID] = { "AS-GID", "gid", T_U64, TN_RIGHT, "the gid checked as", NULL, 0 },
	[C_AS_GROUPS] = { "AS-GROUPS", "groups", T_STR, 0, "the supplementary groups checked with, comma separated", NULL, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, 0 }
};

#define DEFCOLS "PATH,COMPONENT,CHECK,ALLOWED,ERRNO,UID,GID,MODE,PERMS,ACL"

enum { AO_RESOLVE = 'R', AO_USER = 'u', AO_GROUP = 'g', AO_GROUPS = 'G', AO_MODE = 'm' };

static const struct tn_opt opts[] = {
	{ 'u', "user", "USER", "check as this user (a name or a uid); required", TC_NONE, NULL, 0, NULL },
	{ 'g', "group", "GROUP", "as this primary group (a name or a gid; default: the user's)", TC_NONE, NULL, 0, NULL },
	{ 'G', "groups", "LIST", "exactly these supplementary groups, comma separated ('': none; default: the user's, getgrouplist)",
	  TC_NONE, NULL, 0, NULL },
	{ 'm', "mode", "MODES", "what the last component must allow: r, w, x, comma separated (default: only that it is reached)",
	  TC_NAMES, tn_access_mode_names, 0, NULL },
	FC_DIR_OPTS("resolve each PATH relative to this directory"),
	{ 'R', "resolve", "NAMES", "how to resolve each PATH (as openat2 --resolve)", TC_NAMES, tn_resolve_names, 0, NULL },
	{ 0, NULL, NULL, NULL, 0, NULL, 0, NULL }
};

struct ac {
	struct fc_dir dir;
	uint64_t resolve, mode;
	const char *user, *group, *groups;
};

static int cb(void *ctx, int key, const char *arg, char **rest, int nrest)
{
	struct ac *s = ctx;
	(void)rest;
	(void)nrest;
	switch (key) {
	case AO_RESOLVE:
		if (opt_names("resolve", tn_resolve_names, arg, &s->resolve))
			return TN_EXIT_USAGE;
		break;
	case AO_MODE:
		if (opt_names("mode", tn_access_mode_names, arg, &s->mode))
			return TN_EXIT_USAGE;
		if (s->mode & ~(uint64_t)(R_OK | W_OK | X_OK))
			return tn_usage_err("--mode: '%s': only r, w and x", arg);
		break;
	case AO_USER: s->user = arg; break;
	case AO_GROUP: s->group = arg; break;
	case AO_GROUPS: s->groups = arg; break;
	default:
		return fc_dir_opt(&s->dir, key, arg);
	}
	return TN_OPT_GO;
}

/* A group by name or number. */
static int parse_group(const char *what, const char *g, gid_t *out)
{
	uint64_t v;
	if (tn_all_digits(g)) {
		if (tn_parse_u64(g, &v) || v >= (gid_t)-1)
			return tn_usage_err("%s: '%s' is not a gid", what, g);
		*out = (gid_t)v;
		return 0;
	}
	struct group *gr = getgrnam(g);
	if (!gr)
		return tn_usage_err("%s: no group '%s'", what, g);
	*out = gr->gr_gid;
	return 0;
}

/* The credentials: uid and gid, and the supplementary groups (malloc'd). */
static int make_cred(const struct ac *s, struct tn_cred *c, gid_t **groups)
{
	const char *u = s->user;
	struct passwd *pw = NULL;
	uint64_t v;
	int r;
	*groups = NULL;
	if (!u)
		return tn_usage_err("as whom? give --user USER");
	if (tn_all_digits(u)) {
		if (tn_parse_u64(u, &v) || v >= (uid_t)-1)
			return tn_usage_err("--user: '%s' is not a uid", u);
		c->uid = (uid_t)v;
		pw = getpwuid(c->uid);
	} else {
		if (!*u || !(pw = getpwnam(u)))
			return tn_usage_err("--user: no user '%s'", u);
		c->uid = pw->pw_uid;
	}
	if (s->group) {
		if ((r = parse_group("--group", s->group, &c->gid)))
			return r;
	} else if (pw) {
		c->gid = pw->pw_gid;
	} else {
		return tn_usage_err("--user: uid %s has no passwd entry: give --group", u);
	}
	size_t n = 0;
	gid_t *g = NULL;
	if (s->groups) {
		char *list = xstrdup(s->groups), *save = NULL;
		for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			g = xrealloc(g, (n + 1) * sizeof(gid_t));
			if ((r = parse_group("--groups", t, &g[n]))) {
				free(list);
				free(g);
				return r;
			}
			n++;
		}
		free(list);
	} else if (pw) {
		int k = 16;
		for (;;) {
			g = xrealloc(g, (size_t)k * sizeof(gid_t));
			int want = k;
			if (getgrouplist(pw->pw_name, c->gid, g, &want) >= 0) {
				n = (size_t)want;
				break;
			}
			if (want <= k)	/* no bigger answer coming */
				want = k * 2;
			k = want;
		}
	}
	c->groups = g;
	c->ngroups = n;
	*groups = g;
	return 0;
}

/* The components of path, in the order the lookup meets them: "/" or ".",
 * then each prefix ("/a", "/a/b", ...); duplicate slashes dropped, a
 * trailing one kept on the last.  Appends malloc'd strings to *v. */
static void components(const char *path, char ***v, size_t *n)
{
	bool abs = path[0] == '/';
	struct sbuf b = { 0 };
	*v = xrealloc(*v, (*n + 1) * sizeof(char *));
	(*v)[(*n)++] = xstrdup(abs ? "/" : ".");
	size_t first = *n;
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *e = strchrnul(p, '/');
		if (b.len || abs)
			sb_addc(&b, '/');
		sb_add(&b, p, (size_t)(e - p));
		p = e;
		if (!strcmp(b.p, "."))	/* "." alone: the one component */
			continue;
		*v = xrealloc(*v, (*n + 1) * sizeof(char *));
		(*v)[(*n)++] = xstrdup(b.p);
	}
	/* a trailing slash stays on the last component: the kernel then wants
	 * a directory there (ENOTDIR for a file, as open and cat say) */
	size_t len = strlen(path);
	if (*n > first && len && path[len - 1] == '/') {
		sb_addc(&b, '/');
		free((*v)[*n - 1]);
		(*v)[*n - 1] = xstrdup(b.p);
	}
	sb_free(&b);
}

/* Run the probes in a child under c; res[i] gets 0 or the errno.  Returns
 * an exit code after a message when the check itself could not be run. */
static int run_probes(const struct tn_cred *c, const struct tn_access_probe *p, size_t n, int32_t *res)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return tn_syserr(errno, NULL, "pipe");
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(fds[0]);
		close(fds[1]);
		return tn_syserr(e, NULL, "fork");
	}
	if (pid == 0) {
		close(fds[0]);
		_exit(tn_access_probe_as(c, p, n, fds[1]) < 0 ? 1 : 0);
	}
	close(fds[1]);
	struct tn_access_hdr h = { -1, 0 };
	char *dst = (char *)&h;
	size_t want = sizeof(h), got = 0, idx = 0;
	int r = 0;
	for (;;) {
		ssize_t k = read(fds[0], dst + got, want - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
		if (got < want)
			continue;
		if (idx == n)
			break;
		dst = (char *)&res[idx++];	/* the header done, or a result */
		want = sizeof(int32_t);
		got = 0;
	}
	close(fds[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	static const char *const stage[] = { "", "setgroups", "setresgid", "setresuid" };
	if (h.stage > TN_CRED_OK && h.stage <= TN_CRED_SETRESUID) {
		tn_warn("switching to uid %u, gid %u: %s: %s%s", (unsigned)c->uid, (unsigned)c->gid,
			stage[h.stage], strerror(h.err),
			h.err == EPERM ? " (needs root: CAP_SETUID and CAP_SETGID)" : "");
		r = TN_EXIT_FAIL;
	} else if (h.stage != TN_CRED_OK || idx < n) {	/* the results are the answer, not its status */
		tn_warn("the checking process ended before it answered (%s %d)",
			WIFSIGNALED(st) ? "signal" : "status", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
		r = TN_EXIT_FAIL;
	}
	return r;
}

/* The component's owner, group, mode and ACL, looked at as ourselves. */
static void emit_attrs(struct out *o, int dfd, const char *comp, uint64_t resolve)
{
	int fd = tn_openat2(dfd, comp, O_PATH, 0, resolve);
	struct tn_statx st;
	if (fd < 0 || tn_statx(fd, "", AT_EMPTY_PATH, TN_STATX_ALL, &st) < 0) {
		out_na(o, C_UID);
		out_na(o, C_GID);
		out_na(o, C_MODE);
		out_na(o, C_PERMS);
		out_na(o, C_ACL);
	} else {
		out_u64(o, C_UID, st.stx_uid);
		out_u64(o, C_GID, st.stx_gid);
		out_flags(o, C_MODE, st.stx_mode);
		out_perms(o, C_PERMS, st.stx_mode);
		if (out_want(o, C_ACL)) {
			char *v;
			size_t n;
			int e = tn_xattr_get(fd, "system.posix_acl_access", &v, &n);
			if (e == 0)
				free(v);
			if (e == 0 || e == -ENODATA || e == -EOPNOTSUPP)
				out_bool(o, C_ACL, e == 0);
			else
				out_na(o, C_ACL);
		}
	}
	if (fd >= 0)
		close(fd);
}

static int run(int argc, char **argv)
{
	struct ac s = { 0 };
	struct tn_args a;
	struct out o;
	memset(&o, 0, sizeof(o));
	struct tn_cred c = { 0 };
	gid_t *groups = NULL;
	char **comp = NULL;
	size_t ncomp = 0, *first = NULL;
	struct tn_access_probe *p = NULL;
	int32_t *res = NULL;
	int dfd = AT_FDCWD;
	int r = opt_parse(&cmd_access, argc, argv, cb, &s, &a);
	if (r != TN_OPT_GO)
		goto done;
	if ((r = make_cred(&s, &c, &groups)))
		goto done;
	if (!a.npos) {
		r = tn_usage_err("which paths? give one or more PATHs");
		goto done;
	}
	for (int i = 0; i < a.npos; i++)
		if ((r = tn_empty_path(NULL, a.pos[i])))
			goto done;
	if ((r = out_init(&o, &a.out, cols, DEFCOLS, "components")))
		goto done;
	if ((r = fc_dir_open(&s.dir, 0, &dfd)))
		goto done;
	/* every component of every PATH, one probe each */
	first = xcalloc((size_t)a.npos + 1, sizeof(size_t));
	for (int i = 0; i < a.npos; i++) {
		first[i] = ncomp;
		components(a.pos[i], &comp, &ncomp);
	}
	first[a.npos] = ncomp;
	p = xcalloc(ncomp, sizeof(*p));
	res = xcalloc(ncomp, sizeof(*res));
	for (int i = 0; i < a.npos; i++)
		for (size_t k = first[i]; k < first[i + 1]; k++)
			p[k] = (struct tn_access_probe){ dfd, comp[k],
				k + 1 == first[i + 1] ? (int)s.mode : X_OK, s.resolve,
				k + 1 != first[i + 1] };
	if ((r = run_probes(&c, p, ncomp, res)))
		goto done;
	/* a kernel without the calls, or resolve bits it does not know, is
	 * exit 3 and no table, as for openat2 */
	for (size_t k = 0; k < ncomp; k++) {
		if (res[k] == EINVAL &&
		    (r = opt_flags_refused(EINVAL, "openat2", "--resolve", tn_resolve_names, s.resolve)))
			goto done;
		if (res[k] == ENOSYS) {
			int fd = tn_openat2(dfd, comp[k], O_PATH, 0, 0);
			if (fd >= 0)
				close(fd);
			r = tn_syserr(ENOSYS, fd == -ENOSYS ? "openat2" : "faccessat2", "%s", comp[k]);
			goto done;
		}
	}
	struct sbuf gl = { 0 };
	for (size_t k = 0; k < c.ngroups; k++)
		sb_printf(&gl, "%s%u", k ? "," : "", (unsigned)c.groups[k]);
	for (int i = 0; i < a.npos; i++) {
		/* each component up to the first that refuses: the rest cannot
		 * be reached */
		for (size_t k = first[i]; k < first[i + 1]; k++) {
			out_row_open(&o);
			out_str(&o, C_PATH, a.pos[i]);
			out_str(&o, C_COMP, comp[k]);
			out_flags(&o, C_CHECK, (unsigned)p[k].mode);
			out_bool(&o, C_ALLOWED, res[k] == 0);
			const char *en = res[k] ? strerrorname_np(res[k]) : NULL;
			out_num_text(&o, C_ERRNO, res[k] ? (en ? en : "?") : "-", res[k]);
			out_str(&o, C_REASON, res[k] ? strerror(res[k]) : "");
			emit_attrs(&o, dfd, comp[k], s.resolve);
			out_str(&o, C_AS_USER, s.user);
			out_u64(&o, C_AS_UID, c.uid);
			out_u64(&o, C_AS_GID, c.gid);
			out_strn(&o, C_AS_GROUPS, gl.p ? gl.p : "", gl.len);
			out_row_close(&o);
			if (res[k]) {
				r = TN_EXIT_FAIL;
				break;
			}
		}
	}
	sb_free(&gl);
	out_end(&o);
done:
	for (size_t k = 0; k < ncomp; k++)
		free(comp[k]);
	free(comp);
	free(first);
	free(p);
	free(res);
	free(groups);
	if (dfd >= 0)
		close(dfd);
	out_free(&o);
	free(a.pos);
	return r;
}

const struct tn_cmd cmd_access = {
	.name = "access",
	.summary = "would this user get through to PATH? (faccessat2 under other credentials)",
	.usage = "--user USER [--group GROUP] [--groups LIST] [--mode r,w,x] [options] PATH...",
	.details = "Each directory on the way to PATH is checked for search (x), then PATH itself\n"
		   "for --mode, by the kernel (openat2 O_PATH, then faccessat2 AT_EACCESS) in a\n"
		   "child process running as exactly that uid, gid and group list, so ACLs,\n"
		   "read-only mounts and LSMs all count.  Lists each component checked, up to\n"
		   "the first that refuses, with its owner, group, mode and whether it has an\n"
		   "ACL.  Exit 0 when every PATH is allowed, 1 when one is not.",
	.opts = opts,
	.cols = cols,
	.defcols = DEFCOLS,
	.args = TC_FILE,
	.main = run,
};
