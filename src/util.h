/* util.h - messages, exit codes, small helpers shared by the commands. */
#ifndef TNOS_UTIL_H
#define TNOS_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum {
	TN_EXIT_OK = 0,
	TN_EXIT_FAIL = 1,	/* an operation failed */
	TN_EXIT_USAGE = 2,	/* the command line was wrong */
	TN_EXIT_NOSYS = 3,	/* the running kernel lacks the syscall or flag */
};

extern const char *tn_cmdname;	/* "lsmount", ... for the message prefix */
extern bool tn_quiet;		/* no messages at all (the fuzzers) */

/* "tnos CMD: message" on stderr.  Every message (tn_warn, tn_usage_err,
 * tn_syserr) is escaped as a whole, as the tables escape their cells
 * (tn_escape): pass names, paths, option values and kernel strings as they
 * are, never pre-escaped.  A message is one line. */
void tn_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The line tn_warn would write, without its newline, malloc'd: made before a
 * fork for a child that may not allocate, which writes it with
 * tn_msg_write_err (async-signal-safe: ": strerror(err)\n" added). */
char *tn_msg_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tn_msg_write_err(const char *line, int err);
/* Usage error: message, then "Try 'tnos CMD --help'."; returns TN_EXIT_USAGE. */
int tn_usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Report a failed syscall: "tnos CMD: WHAT: strerror[: hint]".  Returns the
 * exit code: 3 for ENOSYS (naming the syscall and the Linux version that added
 * it), 1 otherwise.  syscall may be NULL. */
int tn_syserr(int err, const char *syscall, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The Linux version that added a syscall, or NULL. */
const char *tn_syscall_version(const char *syscall);
/* Hint for EPERM/EACCES from a privileged syscall, or NULL. */
const char *tn_priv_hint(int err, const char *syscall);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* A non-empty string of decimal digits (a mount id rather than a path). */
bool tn_all_digits(const char *s);
/* Parse an unsigned number (decimal or 0x hex); -1 if it is not one. */
int tn_parse_u64(const char *s, uint64_t *out);

/* An empty path names no file: without AT_EMPTY_PATH the kernel says ENOENT,
 * and stat(1) reports "cannot statx ''".  For "" this reports
 * "[WHAT ]'': No such file or directory" (the name shown, not left blank)
 * and returns TN_EXIT_FAIL, before any syscall sees it; 0 for any other
 * path.  what: the option that took it ("--dir"), or NULL. */
int tn_empty_path(const char *what, const char *path);

/* Growable byte buffer. */
struct sbuf { char *p; size_t len, cap; };
/* Room for need more bytes and a NUL: the check inline, as the rows of a
 * walk add to buffers some dozens of times each; the growing out of line. */
void sb_realloc(struct sbuf *b, size_t need);
static inline void sb_grow(struct sbuf *b, size_t need)
{
	if (b->len + need + 1 > b->cap)
		sb_realloc(b, need);
}
static inline void sb_add(struct sbuf *b, const void *s, size_t n)
{
	sb_grow(b, n);
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}
static inline void sb_addc(struct sbuf *b, char c)
{
	sb_grow(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = 0;
}
void sb_adds(struct sbuf *b, const char *s);
/* The decimal digits of v after a '-' when neg (v: the magnitude), written
 * in place from the last one back: a printf without the printf, for the
 * hot lines (JSON numbers, mountinfo lines).  Inline, as a row has dozens. */
extern const char tn_digit_pairs[];
extern const uint64_t tn_pow10[20];
/* At p (room for 21 bytes), no NUL after them; returns their end. */
static inline char *tn_put_num(char *p, bool neg, uint64_t v)
{
	/* the number of digits: log10 from log2, then one comparison */
	unsigned t = ((64 - (unsigned)__builtin_clzll(v | 1)) * 1233) >> 12;
	size_t n = t + (v >= tn_pow10[t]);
	n += !n;
	if (neg)
		*p++ = '-';
	char *q = p + n;
	/* four digits a step: two pairs from one remainder, so that the chain
	 * of divisions is half as long */
	while (v >= 10000) {
		unsigned r = (unsigned)(v % 10000);
		v /= 10000;
		q -= 4;
		memcpy(q, tn_digit_pairs + (r / 100) * 2, 2);
		memcpy(q + 2, tn_digit_pairs + (r % 100) * 2, 2);
	}
	if (v >= 100) {
		q -= 2;
		memcpy(q, tn_digit_pairs + (v % 100) * 2, 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(q - 2, tn_digit_pairs + v * 2, 2);
	else
		q[-1] = (char)('0' + v);
	return p + n;
}
/* The same appended to b. */
static inline void sb_addnum(struct sbuf *b, bool neg, uint64_t v)
{
	if (b->len + 22 > b->cap)
		sb_grow(b, 21);
	char *e = tn_put_num(b->p + b->len, neg, v);
	*e = 0;
	b->len = (size_t)(e - b->p);
}
static inline void sb_addu(struct sbuf *b, uint64_t v)
{
	sb_addnum(b, false, v);
}
void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(struct sbuf *b);

/* uint64 ids (mount ids) to indexes: open addressing, grows as needed.
 * Zero-initialise; tn_idmap_get gives SIZE_MAX for an id not there. */
struct tn_idmap { uint64_t *keys; size_t *vals; size_t cap, n; };
void tn_idmap_put(struct tn_idmap *m, uint64_t k, size_t v);	/* adds or replaces */
size_t tn_idmap_get(const struct tn_idmap *m, uint64_t k);
void tn_idmap_free(struct tn_idmap *m);

/* A write to standard output failed with err: EPIPE (the reader went away)
 * ends the process quietly, as SIGPIPE would; any other error is reported
 * in the one wording every writer of stdout uses, "write error on standard
 * output: REASON", and TN_EXIT_FAIL is returned. */
int tn_stdout_failed(int err);
/* Check stdout after writing: EPIPE ends quietly, other errors exit 1. */
void tn_stdout_check(void);
/* Flush and check stdout at exit; returns the exit status to use. */
int tn_stdout_close(int status);

#endif
