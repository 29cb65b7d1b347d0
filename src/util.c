/* util.c - messages, exit codes, buffers. */
#define _GNU_SOURCE
#include "util.h"
#include "escape.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

const char *tn_cmdname;
bool tn_quiet;

/* "tnos CMD: " (or "tnos: ") and the message, escaped: the one place a
 * message is made, so no caller can let a name's control bytes or invalid
 * UTF-8 through.  A message is one line: a newline in it is escaped too. */
static void msg_line(struct sbuf *b, const char *fmt, va_list ap)
{
	char *m = NULL;
	int n = vasprintf(&m, fmt, ap);
	if (tn_cmdname) {
		sb_adds(b, "tnos ");
		tn_escape(b, tn_cmdname, strlen(tn_cmdname), 0);
		sb_adds(b, ": ");
	} else {
		sb_adds(b, "tnos: ");
	}
	if (n >= 0)
		tn_escape(b, m, (size_t)n, 0);
	else
		sb_adds(b, "(message lost: out of memory)");
	free(m);
}

static void vmsg(const char *fmt, va_list ap)
{
	struct sbuf b = { 0 };
	if (tn_quiet)
		return;
	msg_line(&b, fmt, ap);
	sb_addc(&b, '\n');
	fflush(stdout);
	fwrite(b.p, 1, b.len, stderr);
	sb_free(&b);
}

char *tn_msg_line(const char *fmt, ...)
{
	struct sbuf b = { 0 };
	va_list ap;
	va_start(ap, fmt);
	msg_line(&b, fmt, ap);
	va_end(ap);
	return b.p;
}

void tn_msg_write_err(const char *line, int err)
{
	/* after fork in a threaded process: no stdio, no malloc, one write */
	char buf[4096];
	size_t n = 0;
	const char *parts[] = { line, ": ", strerrordesc_np(err), "\n" };
	if (tn_quiet)
		return;
	for (size_t i = 0; i < 4; i++) {
		const char *p = parts[i] ? parts[i] : "?";
		size_t l = strlen(p);
		if (i < 3 && l > sizeof(buf) - 1 - n) {
			/* too long: cut, but not inside a UTF-8 character */
			l = sizeof(buf) - 1 - n;
			while (l && ((unsigned char)p[l] & 0xc0) == 0x80)
				l--;
		}
		memcpy(buf + n, p, l);
		n += l;
	}
	ssize_t w = write(STDERR_FILENO, buf, n);
	(void)w;
}

void tn_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

int tn_usage_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	if (tn_quiet)
		return TN_EXIT_USAGE;
	if (tn_cmdname)
		fprintf(stderr, "Try 'tnos %s --help'.\n", tn_cmdname);
	else
		fputs("Try 'tnos --help'.\n", stderr);
	return TN_EXIT_USAGE;
}

static const struct { const char *name, *version; } sysver[] = {
	{ "open_tree", "5.2" }, { "move_mount", "5.2" }, { "fsopen", "5.2" },
	{ "fsconfig", "5.2" }, { "fsmount", "5.2" }, { "fspick", "5.2" },
	{ "openat2", "5.6" }, { "mount_setattr", "5.12" }, { "statx", "4.11" },
	{ "faccessat2", "5.8" },
	{ "statmount", "6.8" }, { "listmount", "6.8" },
	{ "name_to_handle_at", "2.6.39" }, { "open_by_handle_at", "2.6.39" },
	{ NULL, NULL }
};

const char *tn_syscall_version(const char *syscall)
{
	for (int i = 0; syscall && sysver[i].name; i++)
		if (!strcmp(sysver[i].name, syscall))
			return sysver[i].version;
	return NULL;
}

const char *tn_priv_hint(int err, const char *syscall)
{
	static const char *const priv[] = {
		"open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick",
		"mount_setattr", "listmount", "statmount", "umount2", NULL };

	if (!syscall || (err != EPERM && err != EACCES))
		return NULL;
	if (!strcmp(syscall, "open_by_handle_at"))
		return "needs CAP_DAC_READ_SEARCH";
	for (int i = 0; priv[i]; i++)
		if (!strcmp(priv[i], syscall))
			return "needs CAP_SYS_ADMIN (in the user namespace that owns the mount namespace)";
	return NULL;
}

int tn_syserr(int err, const char *syscall, const char *fmt, ...)
{
	va_list ap;
	struct sbuf b = { 0 };
	const char *hint;

	va_start(ap, fmt);
	char *what = NULL;
	if (vasprintf(&what, fmt, ap) < 0)
		what = NULL;
	va_end(ap);
	sb_adds(&b, what ? what : "?");
	free(what);
	if (err == ENOSYS && syscall) {
		const char *v = tn_syscall_version(syscall);
		/* "ID: statmount" + ": statmount(2) is not ...": name it once */
		size_t sl = strlen(syscall);
		if (b.len > sl + 2 && !memcmp(b.p + b.len - sl, syscall, sl) &&
		    !memcmp(b.p + b.len - sl - 2, ": ", 2))
			b.len -= sl + 2;
		sb_printf(&b, ": %s(2) is not available in this kernel", syscall);
		if (v)
			sb_printf(&b, " (needs Linux %s or later)", v);
		tn_warn("%s", b.p);
		sb_free(&b);
		return TN_EXIT_NOSYS;
	}
	sb_printf(&b, ": %s", strerror(err));
	if ((hint = tn_priv_hint(err, syscall)))
		sb_printf(&b, " (%s)", hint);
	struct rlimit rl;
	if (err == EMFILE && getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		sb_printf(&b, " (the limit, ulimit -n, is %llu)", (unsigned long long)rl.rlim_cur);
	tn_warn("%s", b.p);
	sb_free(&b);
	return TN_EXIT_FAIL;
}

static _Noreturn void oom(void)
{
	fputs("tnos: out of memory\n", stderr);
	exit(TN_EXIT_FAIL);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		oom();
	return p;
}

bool tn_all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int tn_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int tn_empty_path(const char *what, const char *path)
{
	if (!path || *path)
		return 0;
	tn_warn("%s%s'': %s", what ? what : "", what ? " " : "", strerror(ENOENT));
	return TN_EXIT_FAIL;
}

void sb_realloc(struct sbuf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + need + 1)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void sb_adds(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

const char tn_digit_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

const uint64_t tn_pow10[20] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
	100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
	10000000000000ULL, 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL, 10000000000000000000ULL,
};

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_grow(b, n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
}

void sb_free(struct sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static size_t hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x;
}

size_t tn_idmap_get(const struct tn_idmap *m, uint64_t k)
{
	if (!m->cap)
		return SIZE_MAX;
	for (size_t i = hash64(k) & (m->cap - 1); m->vals[i] != SIZE_MAX; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == k)
			return m->vals[i];
	return SIZE_MAX;
}

/* k's slot in a table with room: its own, or the free one ending its probe run. */
static size_t idmap_slot(const struct tn_idmap *m, uint64_t k)
{
	size_t i = hash64(k) & (m->cap - 1);
	while (m->vals[i] != SIZE_MAX && m->keys[i] != k)
		i = (i + 1) & (m->cap - 1);
	return i;
}

void tn_idmap_put(struct tn_idmap *m, uint64_t k, size_t v)
{
	if (2 * (m->n + 1) > m->cap) {
		struct tn_idmap t = { 0 };
		t.cap = m->cap ? 2 * m->cap : 64;
		t.keys = xmalloc(t.cap * sizeof(*t.keys));
		t.vals = xmalloc(t.cap * sizeof(*t.vals));
		memset(t.vals, 0xff, t.cap * sizeof(*t.vals));
		for (size_t i = 0; i < m->cap; i++)
			if (m->vals[i] != SIZE_MAX) {
				size_t j = idmap_slot(&t, m->keys[i]);
				t.keys[j] = m->keys[i];
				t.vals[j] = m->vals[i];
			}
		free(m->keys);
		free(m->vals);
		m->keys = t.keys;
		m->vals = t.vals;
		m->cap = t.cap;
	}
	size_t i = idmap_slot(m, k);
	if (m->vals[i] == SIZE_MAX)
		m->n++;
	m->keys[i] = k;
	m->vals[i] = v;
}

void tn_idmap_free(struct tn_idmap *m)
{
	free(m->keys);
	free(m->vals);
	*m = (struct tn_idmap){ 0 };
}

int tn_stdout_failed(int err)
{
	if (err == EPIPE) {
		/* The reader went away (| head): end quietly, as a SIGPIPE would. */
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
		/* raise returns if SIGPIPE is blocked: exit as if killed by it */
		/* cppcheck-suppress unreachableCode */
		_exit(128 + SIGPIPE);
	}
	tn_warn("write error on standard output: %s", strerror(err));
	return TN_EXIT_FAIL;
}

static _Noreturn void write_failed(int err)
{
	tn_stdout_failed(err);
	_exit(TN_EXIT_FAIL);
}

void tn_stdout_check(void)
{
	if (ferror(stdout))
		write_failed(errno ? errno : EIO);
}

int tn_stdout_close(int status)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		write_failed(errno ? errno : EIO);
	return status;
}
