/* xattr.c - extended attributes of one file opened under openat2's resolve
 * rules: list, get, set, remove; a final symlink is never followed unless
 * --follow (its own attributes are the ones shown). */
#define _GNU_SOURCE
#include "common/file_ops.h"
#include "common/mount_record.h"
#include "../core/file.h"
#include "../core/textparse.h"
#include "../core/xattr.h"
#include "../opt.h"
#include "../util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

enum { C_PATH, C_NAME, C_NS, C_SIZE, C_VALUE };

static const struct tn_col cols[] = {
	[C_PATH] = { "PATH", "path", T_STR, 0, "the PATH given", NULL, 0 },
	[C_NAME] = { "NAME", "name", T_STR, 0, "the attribute's whole name, namespace first (user.comment)", NULL, 0 },
	[C_NS] = { "NAMESPACE", "namespace", T_STR, 0, "its namespace: the name up to the first dot", NULL, 0 },
	[C_SIZE] = { "SIZE", "size", T_U64, TN_RIGHT, "the value's length in bytes", NULL, 0 },
	[C_VALUE] = { "VALUE", "value", T_STR, TN_B64,
		      "the value as -e says; JSON: the text when it is valid UTF-8, and value_b64 always", NULL, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, 0 }
};

#define DEFCOLS "NAME,SIZE,VALUE"

enum { XO_RESOLVE = 'R', XO_ENC = 'e', XO_FOLLOW = 0x100, XO_NS, XO_VFILE, XO_CREATE, XO_REPLACE };

static const struct tn_opt opts[] = {
	FC_DIR_OPTS("resolve PATH relative to this directory"),
	{ 'R', "resolve", "NAMES", "how to resolve PATH (as openat2 --resolve)", TC_NAMES, tn_resolve_names, 0, NULL },
	{ XO_FOLLOW, "follow", NULL, "follow a final symlink (default: the symlink's own attributes)", 0, NULL, 0, NULL },
	{ 'e', "encoding", "ENC", "show values as text, hex or base64 (default: text when printable, else base64)",
	  TC_WORDS, NULL, 0, "text hex base64" },
	{ XO_NS, "namespace", "NAMES", "list: only these namespaces (user, trusted, security, system)",
	  TC_NAMES, tn_xattr_ns_names, 0, NULL },
	{ XO_VFILE, "value-file", "FILE", "set: the value is FILE's bytes ('-': standard input)", TC_FILE, NULL, 0, NULL },
	{ XO_CREATE, "create", NULL, "set: fail if the attribute exists (XATTR_CREATE)", 0, NULL, 0, NULL },
	{ XO_REPLACE, "replace", NULL, "set: fail unless the attribute exists (XATTR_REPLACE)", 0, NULL, 0, NULL },
	MOUNTREC_VERBOSE_OPT("set, remove: print the attribute's record (remove: as it was)"),
	{ 0, NULL, NULL, NULL, 0, NULL, 0, NULL }
};

enum enc { ENC_AUTO, ENC_TEXT, ENC_HEX, ENC_B64 };
enum verb { V_LIST, V_GET, V_SET, V_REMOVE };

struct xa {
	struct fc_dir dir;
	uint64_t resolve, ns;
	enum enc enc;
	const char *vfile;
	bool follow, have_ns, create, replace, verbose;
	/* for the messages */
	const char *path;
};

static int cb(void *ctx, int key, const char *arg, char **rest, int nrest)
{
	struct xa *s = ctx;
	(void)rest;
	(void)nrest;
	switch (key) {
	case XO_RESOLVE:
		if (opt_names("resolve", tn_resolve_names, arg, &s->resolve))
			return TN_EXIT_USAGE;
		break;
	case XO_ENC:
		if (!strcmp(arg, "text"))
			s->enc = ENC_TEXT;
		else if (!strcmp(arg, "hex"))
			s->enc = ENC_HEX;
		else if (!strcmp(arg, "base64"))
			s->enc = ENC_B64;
		else
			return tn_usage_err("--encoding: '%s' is not one of text, hex, base64", arg);
		break;
	case XO_NS:
		if (opt_names("namespace", tn_xattr_ns_names, arg, &s->ns))
			return TN_EXIT_USAGE;
		s->have_ns = true;
		break;
	case XO_FOLLOW: s->follow = true; break;
	case XO_VFILE: s->vfile = arg; break;
	case XO_CREATE: s->create = true; break;
	case XO_REPLACE: s->replace = true; break;
	case 'v': s->verbose = true; break;
	default:
		return fc_dir_opt(&s->dir, key, arg);
	}
	return TN_OPT_GO;
}

/* Printable: valid UTF-8 without control bytes, shown as "text". */
static bool printable(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return false;
	return tn_utf8_valid(v, n);
}

/* The VALUE cell: raw bytes for JSON (the emitter adds value_b64), else
 * the getfattr forms: "text" (quoted and escaped by the emitter), 0xHEX,
 * 0sBASE64. */
static void emit_value(struct out *o, const struct xa *s, const char *v, size_t n)
{
	if (out_is_json(o)) {
		out_strn(o, C_VALUE, v, n);
		return;
	}
	enum enc e = s->enc;
	if (e == ENC_AUTO)
		e = printable(v, n) ? ENC_TEXT : ENC_B64;
	if (e == ENC_TEXT) {
		out_strn_quoted(o, C_VALUE, v, n);
		return;
	}
	struct sbuf b = { 0 };
	if (e == ENC_HEX) {
		sb_grow(&b, 2 * n + 3);
		sb_adds(&b, "0x");
		tn_hex_encode(b.p + b.len, v, n);
		b.len += 2 * n;
	} else {
		sb_adds(&b, "0s");
		tn_base64(&b, (const unsigned char *)v, n);
	}
	out_strn(o, C_VALUE, b.p, b.len);
	sb_free(&b);
}

static void emit_row(struct out *o, const struct xa *s, const char *name, const char *v, size_t n)
{
	out_row_open(o);
	out_str(o, C_PATH, s->path);
	out_str(o, C_NAME, name);
	const char *dot = strchr(name, '.');
	out_strn(o, C_NS, name, dot ? (size_t)(dot - name) : strlen(name));
	if (v) {
		out_u64(o, C_SIZE, n);
		emit_value(o, s, v, n);
	} else {
		out_na(o, C_SIZE);
		out_na(o, C_VALUE);
	}
	out_row_close(o);
}

static const char *ns_list(void)
{
	return "user, trusted, security, system";
}

/* Explain a failed xattr call on NAME (NULL: the list); returns the exit code. */
static int xerr(int err, const char *call, const struct xa *s, const char *name, size_t vlen)
{
	const char *p = s->path;
	unsigned ns = name ? tn_xattr_ns(name) : 0;
	bool write = !strcmp(call, "setxattr") || !strcmp(call, "removexattr");
	switch (err) {
	case ENODATA:
		if (ns == TN_XNS_TRUSTED && !write)
			tn_warn("%s: %s: no such attribute (ENODATA; trusted.* attributes are "
				"hidden from a process without CAP_SYS_ADMIN)", p, name);
		else
			tn_warn("%s: %s: no such attribute (ENODATA)", p, name);
		return TN_EXIT_FAIL;
	case EEXIST:
		tn_warn("%s: %s: the attribute exists (--create)", p, name);
		return TN_EXIT_FAIL;
	case EOPNOTSUPP:
		if (!name)
			tn_warn("%s: the filesystem does not support extended attributes (EOPNOTSUPP)", p);
		else if (!ns)
			tn_warn("%s: %s: not in a namespace the kernel knows (%s; EOPNOTSUPP)", p, name,
				ns_list());
		else
			tn_warn("%s: %s: the filesystem does not support %.*s attributes (EOPNOTSUPP)", p,
				name, (int)(strchr(name, '.') - name + 1), name);
		return TN_EXIT_FAIL;
	case E2BIG:
	case ENOSPC:
		if (write && strcmp(call, "removexattr")) {
			if (err == E2BIG)
				tn_warn("%s: %s: a value of %zu bytes is over the limit (E2BIG: the kernel's "
					"is %d bytes, a filesystem's may be less)", p, name, vlen, TN_XATTR_SIZE_MAX);
			else
				tn_warn("%s: %s: a value of %zu bytes is over the filesystem's limit (ENOSPC: "
					"no room for it with this file's other attributes)", p, name, vlen);
			return TN_EXIT_FAIL;
		}
		break;
	case ERANGE:
		if (name && strlen(name) > TN_XATTR_NAME_MAX) {
			tn_warn("%s: the attribute name is %zu bytes, over the kernel's limit of %d (ERANGE)",
				p, strlen(name), TN_XATTR_NAME_MAX);
			return TN_EXIT_FAIL;
		}
		break;
	case EPERM:
		if (ns == TN_XNS_TRUSTED && write) {
			tn_warn("%s: %s: trusted.* attributes need CAP_SYS_ADMIN (EPERM)", p, name);
			return TN_EXIT_FAIL;
		}
		if (ns == TN_XNS_USER && write) {
			tn_warn("%s: %s: user.* attributes can be set only on regular files and "
				"directories (and a sticky directory's only by its owner) (EPERM)", p, name);
			return TN_EXIT_FAIL;
		}
		break;
	case ENOENT:
		if (tn_xattr_proc_missing()) {
			tn_warn("%s: /proc/self/fd is not there (is /proc mounted?): xattr reaches the "
				"opened file through it", p);
			return TN_EXIT_FAIL;
		}
		break;
	}
	if (name)
		return tn_syserr(err, NULL, "%s: %s", p, name);
	return tn_syserr(err, NULL, "%s", p);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int do_list(int fd, const struct xa *s, struct out *o)
{
	char *buf;
	size_t len;
	int e = tn_xattr_list(fd, &buf, &len);
	if (e < 0)
		return xerr(-e, "listxattr", s, NULL, 0);
	size_t n = 0;
	for (size_t i = 0; i < len; i += strlen(buf + i) + 1)
		n++;
	char **names = xcalloc(n ? n : 1, sizeof(char *));
	n = 0;
	for (size_t i = 0; i < len; i += strlen(buf + i) + 1)
		names[n++] = buf + i;
	qsort(names, n, sizeof(char *), by_name);
	bool values = out_want(o, C_VALUE) || out_want(o, C_SIZE);
	int r = 0;
	for (size_t i = 0; i < n; i++) {
		if (s->have_ns && !(tn_xattr_ns(names[i]) & s->ns))
			continue;
		char *v = NULL;
		size_t vn = 0;
		if (values && (e = tn_xattr_get(fd, names[i], &v, &vn)) < 0) {
			if (e == -ENODATA)	/* removed since the list was read */
				continue;
			r = xerr(-e, "getxattr", s, names[i], 0);
			v = NULL;
		}
		emit_row(o, s, names[i], v, vn);
		free(v);
	}
	free(names);
	free(buf);
	out_end(o);
	return r;
}

static int print_one(int fd, const struct xa *s, struct out *o, const char *name)
{
	char *v;
	size_t n;
	int e = tn_xattr_get(fd, name, &v, &n);
	if (e < 0)
		return xerr(-e, "getxattr", s, name, 0);
	emit_row(o, s, name, v, n);
	free(v);
	out_end(o);
	return 0;
}

/* --value-file FILE ('-': stdin), at most one byte over the kernel's limit
 * read, so that a bigger file is refused without reading it all. */
static int read_value_file(const char *file, char **out, size_t *len)
{
	int r = tn_empty_path("--value-file", file);
	if (r)
		return r;
	bool in = !strcmp(file, "-");
	int fd = in ? STDIN_FILENO : open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tn_syserr(errno, NULL, "--value-file %s", file);
	size_t cap = TN_XATTR_SIZE_MAX + 1, n = 0;
	char *b = xmalloc(cap);
	while (n < cap) {
		ssize_t k = read(fd, b + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			r = tn_syserr(errno, NULL, "--value-file %s", file);
			break;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	if (!in)
		close(fd);
	if (!r && n > TN_XATTR_SIZE_MAX) {
		tn_warn("--value-file %s: more than %d bytes, the kernel's limit for a value (XATTR_SIZE_MAX)",
			file, TN_XATTR_SIZE_MAX);
		r = TN_EXIT_FAIL;
	}
	if (r) {
		free(b);
		return r;
	}
	*out = b;
	*len = n;
	return 0;
}

static int do_set(int fd, const struct xa *s, struct out *o, bool asked, const char *name,
		  const char *text)
{
	char *v;
	size_t n;
	int r;
	if (s->vfile) {
		if ((r = read_value_file(s->vfile, &v, &n)))
			return r;
	} else {
		char why[160];
		int e = tn_xattr_value_parse(text, &v, &n, why, sizeof(why));
		if (e == -ENOMEM)
			return tn_syserr(ENOMEM, NULL, "%s", name);
		if (e < 0)
			return tn_usage_err("VALUE %s", why);
	}
	int flags = s->create ? XATTR_CREATE : s->replace ? XATTR_REPLACE : 0;
	int e = tn_xattr_set(fd, name, v, n, flags);
	if (e == -ENODATA && s->replace) {
		tn_warn("%s: %s: no such attribute to replace (--replace)", s->path, name);
		r = TN_EXIT_FAIL;
	} else if (e < 0) {
		r = xerr(-e, "setxattr", s, name, n);
	} else {
		r = asked ? print_one(fd, s, o, name) : 0;
	}
	free(v);
	return r;
}

static int do_remove(int fd, const struct xa *s, struct out *o, bool asked, const char *name)
{
	char *v = NULL;
	size_t n = 0;
	int e;
	if (asked && (e = tn_xattr_get(fd, name, &v, &n)) < 0)
		return xerr(-e, "getxattr", s, name, 0);
	e = tn_xattr_remove(fd, name);
	int r = 0;
	if (e < 0) {
		r = xerr(-e, "removexattr", s, name, 0);
	} else if (asked) {
		emit_row(o, s, name, v, n);
		out_end(o);
	}
	free(v);
	return r;
}

static int run(int argc, char **argv)
{
	struct xa s = { 0 };
	struct tn_args a;
	struct out o;
	memset(&o, 0, sizeof(o));	/* out_free is safe on a zeroed out */
	int dfd = AT_FDCWD, fd = -1;
	int r = opt_parse(&cmd_xattr, argc, argv, cb, &s, &a);
	if (r != TN_OPT_GO)
		goto done;
	static const char *const verbs[] = { "list", "get", "set", "remove" };
	static const int nargs[] = { 2, 3, 4, 3 };	/* the verb included */
	const char *verb = a.npos ? a.pos[0] : "";
	int v = -1;
	for (int i = 0; i < 4; i++)
		if (!strcmp(verb, verbs[i]))
			v = i;
	if (v < 0) {
		r = tn_usage_err(a.npos ? "unknown action '%s': give list, get, set or remove"
					: "give an action: list, get, set or remove", verb);
		goto done;
	}
	int want = nargs[v] - (v == V_SET && s.vfile);
	if (a.npos != want) {
		if (a.npos < 2)
			r = tn_usage_err("%s: which file? give a PATH", verb);
		else if (a.npos < 3 && want > 2)
			r = tn_usage_err("%s: which attribute? give a NAME (user.comment, trusted.x, ...)", verb);
		else if (a.npos < want)
			r = tn_usage_err("set: give a VALUE or --value-file FILE (an empty value: '')");
		else if (v == V_SET && s.vfile && a.npos == 4)
			r = tn_usage_err("set: a VALUE and --value-file cannot both be given");
		else
			r = tn_usage_err("%s: too many arguments (%s)", verb,
					 v == V_LIST ? "list PATH" : v == V_SET ? "set PATH NAME VALUE" : "PATH NAME");
		goto done;
	}
	/* options that belong to another action are mistakes, not no-ops */
	const char *bad = NULL;
	if (v != V_SET && (s.vfile || s.create || s.replace))
		bad = s.vfile ? "--value-file" : s.create ? "--create" : "--replace";
	else if (v != V_LIST && s.have_ns)
		bad = "--namespace";
	else if ((v == V_LIST || v == V_GET) && s.verbose)
		bad = "--verbose";
	if (bad) {
		r = tn_usage_err("%s does not apply to '%s'", bad, verb);
		goto done;
	}
	if (s.create && s.replace) {
		r = tn_usage_err("--create and --replace cannot be used together");
		goto done;
	}
	s.path = a.pos[1];
	const char *name = a.npos > 2 ? a.pos[2] : NULL;
	if (name && !*name) {
		r = tn_usage_err("%s: an empty attribute NAME", verb);
		goto done;
	}
	bool asked = v == V_LIST || v == V_GET || mountrec_asked(&a.out, s.verbose);
	if (asked) {
		if ((r = out_init(&o, &a.out, cols, DEFCOLS, "xattrs")))
			goto done;
		if (v != V_LIST)
			out_records(&o, true);
	}
	if ((r = tn_empty_path(NULL, s.path)) || (r = fc_dir_open(&s.dir, 0, &dfd)))
		goto done;
	uint64_t oflags = O_PATH | (s.follow ? 0 : O_NOFOLLOW);
	fd = tn_openat2(dfd, s.path, oflags, 0, s.resolve);
	if (fd < 0) {
		/* O_PATH|O_NOFOLLOW opens a final symlink: an ELOOP is not it */
		r = fc_openat2_err(-fd, s.path, s.resolve, oflags & ~(uint64_t)O_NOFOLLOW);
		goto done;
	}
	switch (v) {
	case V_LIST: r = do_list(fd, &s, &o); break;
	case V_GET: r = print_one(fd, &s, &o, name); break;
	case V_SET: r = do_set(fd, &s, &o, asked, name, a.npos > 3 ? a.pos[3] : NULL); break;
	default: r = do_remove(fd, &s, &o, asked, name); break;
	}
done:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	out_free(&o);
	free(a.pos);
	return r;
}

const struct tn_cmd cmd_xattr = {
	.name = "xattr",
	.summary = "list, get, set and remove extended attributes",
	.usage = "list [options] PATH | get [options] PATH NAME | set [options] PATH NAME [VALUE] | "
		 "remove [options] PATH NAME",
	.details = "NAME is namespace-first: user.*, trusted.*, security.*, system.*.  A VALUE is\n"
		   "taken as setfattr takes it: 0xHEX, 0sBASE64, \"text\" (\\ooo escapes inside), or\n"
		   "plain text.  Values are shown as getfattr shows them.  PATH is opened with\n"
		   "openat2 (O_PATH, under --resolve, relative to --dir or --mount-id), and a\n"
		   "final symlink is not followed unless --follow: its own attributes are used.",
	.opts = opts,
	.cols = cols,
	.defcols = DEFCOLS,
	.args = TC_FILE,
	.words = "list get set remove",
	.main = run,
};
