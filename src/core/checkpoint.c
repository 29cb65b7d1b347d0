/* checkpoint.c - the walk's checkpoint file (see checkpoint.h). */
#define _GNU_SOURCE
#include "checkpoint.h"
#include "bytes.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- bytes in JSON: KEY (lossy when not UTF-8) and KEY_b64 (exact) */

/* s's n bytes in base64, malloc'd and NUL-terminated (NULL: no memory). */
static char *b64_encode(const unsigned char *s, size_t n)
{
	char *out = malloc(TN_B64_LEN(n) + 1);
	if (out) {
		tn_b64_encode(out, s, n);
		out[TN_B64_LEN(n)] = 0;
	}
	return out;
}

/* Padded base64 decoded into a NUL-terminated string; NULL when it is not
 * base64 or holds a NUL (no path or name can). */
static char *b64_decode(const char *s, size_t n)
{
	char *out = malloc(n / 4 * 3 + 1);
	ssize_t k = out ? tn_b64_decode((unsigned char *)out, s, n) : -1;
	if (k < 0 || memchr(out, 0, (size_t)k)) {
		free(out);
		return NULL;
	}
	out[k] = 0;
	return out;
}

/* s as a JSON string, each byte outside a valid sequence made U+FFFD;
 * *lossy says whether any was. */
static json_t *str_lossy(const char *s, bool *lossy)
{
	size_t n = strlen(s);
	*lossy = false;
	json_t *v = json_stringn(s, n);
	if (v)
		return v;
	char *t = malloc(n * 3 + 1);
	size_t k = 0;
	if (!t)
		return NULL;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t l = tn_utf8_seq((const unsigned char *)s + i, n - i, &cp);
		if (l) {
			memcpy(t + k, s + i, l);
			k += l;
			i += l;
		} else {
			memcpy(t + k, "\xef\xbf\xbd", 3);
			k += 3;
			i++;
		}
	}
	*lossy = true;
	v = json_stringn(t, k);
	free(t);
	return v;
}

/* obj[key] = s, and obj[key_b64] = its bytes when s is not UTF-8. */
static int put_bytes(json_t *obj, const char *key, const char *s)
{
	bool lossy;
	json_t *v = str_lossy(s, &lossy);
	if (!v || json_object_set_new(obj, key, v))
		return -ENOMEM;
	if (lossy) {
		char k[64], *b = b64_encode((const unsigned char *)s, strlen(s));
		snprintf(k, sizeof(k), "%s_b64", key);
		if (!b || json_object_set_new(obj, k, json_string(b))) {
			free(b);
			return -ENOMEM;
		}
		free(b);
	}
	return 0;
}

/* A u64 as a JSON integer, or as a string of digits above INT64_MAX (JSON
 * parsers read bigger integers inexactly). */
static json_t *u64_json(uint64_t v)
{
	if (v <= INT64_MAX)
		return json_integer((json_int_t)v);
	char b[24];
	snprintf(b, sizeof(b), "%" PRIu64, v);
	return json_string(b);
}

/* ---- reading */

struct rd {
	char *why;
	size_t whylen;
};

static int bad(struct rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct rd *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (r->whylen)
		vsnprintf(r->why, r->whylen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* The bytes of obj[key] (or obj[key_b64]) into *out: 0, or -EINVAL. */
static int get_bytes(struct rd *r, json_t *obj, const char *key, const char *where, char **out)
{
	char k[64];
	snprintf(k, sizeof(k), "%s_b64", key);
	json_t *b = json_object_get(obj, k), *v = json_object_get(obj, key);
	if (b) {
		if (!json_is_string(b) || !(*out = b64_decode(json_string_value(b), json_string_length(b))))
			return bad(r, "%s\"%s\" is not base64 of a string without NULs", where, k);
		return 0;
	}
	if (!json_is_string(v))
		return bad(r, "%s\"%s\" is missing or not a string", where, key);
	if (strlen(json_string_value(v)) != json_string_length(v))
		return bad(r, "%s\"%s\" holds a NUL", where, key);
	if (!(*out = strdup(json_string_value(v))))
		return -ENOMEM;
	return 0;
}

static int get_u64(struct rd *r, json_t *obj, const char *key, const char *where, uint64_t *out)
{
	json_t *v = json_object_get(obj, key);
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;
		errno = 0;
		unsigned long long x = strtoull(s, &end, 10);
		if (*s >= '0' && *s <= '9' && !*end && !errno) {
			*out = x;
			return 0;
		}
	}
	return bad(r, "%s\"%s\" is missing or not a number from 0 to 2^64-1", where, key);
}

static int get_bool(struct rd *r, json_t *obj, const char *key, bool *out)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_boolean(v))
		return bad(r, "\"%s\" is missing or not true/false", key);
	*out = json_is_true(v);
	return 0;
}

static int get_prune(struct rd *r, json_t *root, struct tn_ckpt *ck)
{
	json_t *a = json_object_get(root, "prune"), *b = json_object_get(root, "prune_b64");
	if (!json_is_array(a))
		return bad(r, "\"prune\" is missing or not an array");
	if (b && (!json_is_array(b) || json_array_size(b) != json_array_size(a)))
		return bad(r, "\"prune_b64\" is not an array as long as \"prune\"");
	size_t n = json_array_size(a);
	if (n > 65536)
		return bad(r, "\"prune\" has %zu globs", n);
	if (!(ck->prune = calloc(n + 1, sizeof(char *))))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		json_t *v = b ? json_array_get(b, i) : json_array_get(a, i);
		const char *s = json_string_value(v);
		if (!s)
			return bad(r, "\"%s\"[%zu] is not a string", b ? "prune_b64" : "prune", i);
		ck->prune[i] = b ? b64_decode(s, json_string_length(v)) : strdup(s);
		ck->nprune = (int)i + 1;
		if (!ck->prune[i] || (!b && strlen(s) != json_string_length(v)))
			return bad(r, "\"%s\"[%zu] is not a glob", b ? "prune_b64" : "prune", i);
	}
	return 0;
}

static int get_stack(struct rd *r, json_t *root, struct tn_ckpt *ck)
{
	json_t *a = json_object_get(root, "dir_stack");
	if (!json_is_array(a) || !json_array_size(a))
		return bad(r, "\"dir_stack\" is missing, not an array or empty (it starts with the walk's root)");
	size_t n = json_array_size(a);
	if (n > TN_CKPT_MAX_LEVELS)
		return bad(r, "\"dir_stack\" has %zu levels; a walk has at most %d", n, TN_CKPT_MAX_LEVELS);
	if (!(ck->stack = calloc(n, sizeof(*ck->stack))))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		json_t *l = json_array_get(a, i), *off;
		char where[48];
		snprintf(where, sizeof(where), "dir_stack[%zu]: ", i);
		if (!json_is_object(l))
			return bad(r, "%snot an object", where);
		struct tn_ckpt_level *L = &ck->stack[i];
		ck->nstack = (unsigned)i + 1;
		int e;
		if ((e = get_bytes(r, l, "path", where, &L->path)) ||
		    (e = get_u64(r, l, "inode", where, &L->ino)))
			return e;
		off = json_object_get(l, "offset");
		if (!json_is_integer(off))
			return bad(r, "%s\"offset\" is missing or not an integer", where);
		L->off = json_integer_value(off);
	}
	return 0;
}

static int parse_obj(struct rd *r, json_t *root, struct tn_ckpt *ck)
{
	json_t *v;
	int e;
	if (!json_is_object(root))
		return bad(r, "not a JSON object");
	v = json_object_get(root, "format");
	if (!json_is_string(v) || strcmp(json_string_value(v), TN_CKPT_FORMAT))
		return bad(r, "not a walk checkpoint (no \"format\": \"%s\")", TN_CKPT_FORMAT);
	v = json_object_get(root, "version");
	if (!json_is_integer(v))
		return bad(r, "\"version\" is missing or not an integer");
	if (json_integer_value(v) != TN_CKPT_VERSION)
		return bad(r, "version %" JSON_INTEGER_FORMAT "; this tnos reads version %d",
			   json_integer_value(v), TN_CKPT_VERSION);
	if ((e = get_bytes(r, root, "mountpoint", "", &ck->mountpoint)) ||
	    (e = get_bytes(r, root, "fsname", "", &ck->fsname)))
		return e;
	v = json_object_get(root, "relative");
	if (!json_is_null(v) && (e = get_bytes(r, root, "relative", "", &ck->relative)))
		return e;
	if ((e = get_u64(r, root, "mnt_id", "", &ck->mnt_id)) ||
	    (e = get_bool(r, root, "include_symlinks", &ck->include_symlinks)) ||
	    (e = get_bool(r, root, "include_mountpoints", &ck->include_mountpoints)))
		return e;
	v = json_object_get(root, "btime_cutoff");
	if (json_is_integer(v)) {
		ck->have_cutoff = true;
		ck->btime_cutoff = json_integer_value(v);
	} else if (!json_is_null(v)) {
		return bad(r, "\"btime_cutoff\" is missing or neither null nor an integer");
	}
	if ((e = get_prune(r, root, ck)) ||
	    (e = get_u64(r, root, "cnt", "", &ck->cnt)) ||
	    (e = get_u64(r, root, "cnt_bytes", "", &ck->cnt_bytes)) ||
	    (e = get_u64(r, root, "errors", "", &ck->errors)) ||
	    (e = get_bool(r, root, "done", &ck->done)))
		return e;
	return get_stack(r, root, ck);
}

int tn_ckpt_parse(const char *text, size_t n, struct tn_ckpt *ck, char *why, size_t whylen)
{
	struct rd r = { why, whylen };
	json_error_t err;
	memset(ck, 0, sizeof(*ck));
	if (whylen)
		why[0] = 0;
	json_t *root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &err);
	if (!root)
		return bad(&r, "not JSON: %s (line %d, column %d)", err.text, err.line, err.column);
	int e = parse_obj(&r, root, ck);
	json_decref(root);
	return e;
}

int tn_ckpt_load(const char *file, struct tn_ckpt *ck, char *why, size_t whylen)
{
	memset(ck, 0, sizeof(*ck));
	if (whylen)
		why[0] = 0;
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		close(fd);
		if (e == -EINVAL) {
			struct rd r = { why, whylen };
			return bad(&r, "not a regular file");
		}
		return e;
	}
	if ((uint64_t)st.st_size > TN_CKPT_MAX_SIZE) {
		close(fd);
		struct rd r = { why, whylen };
		return bad(&r, "%lld bytes: bigger than any checkpoint (%u MiB)",
			   (long long)st.st_size, TN_CKPT_MAX_SIZE >> 20);
	}
	size_t cap = (size_t)st.st_size + 1, len = 0;
	char *buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t k = read(fd, buf + len, cap - len);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			int e = -errno;
			free(buf);
			close(fd);
			return e;
		}
		if (k == 0)
			break;
		len += (size_t)k;
		if (len == cap) {
			/* it grew while read: refuse rather than chase it */
			if (cap > TN_CKPT_MAX_SIZE) {
				free(buf);
				close(fd);
				struct rd r = { why, whylen };
				return bad(&r, "bigger than any checkpoint (%u MiB)", TN_CKPT_MAX_SIZE >> 20);
			}
			char *p = realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = p;
			cap *= 2;
		}
	}
	close(fd);
	int e = tn_ckpt_parse(buf, len, ck, why, whylen);
	free(buf);
	return e;
}

/* ---- writing */

static json_t *build(const struct tn_ckpt *ck)
{
	json_t *o = json_object(), *a, *p, *pb = NULL;
	bool ok = o != NULL, lossy_prune = false;
	if (!ok)
		return NULL;
	ok = !json_object_set_new(o, "format", json_string(TN_CKPT_FORMAT)) &&
	     !json_object_set_new(o, "version", json_integer(TN_CKPT_VERSION)) &&
	     !put_bytes(o, "mountpoint", ck->mountpoint) &&
	     !put_bytes(o, "fsname", ck->fsname) &&
	     (ck->relative ? !put_bytes(o, "relative", ck->relative)
			   : !json_object_set_new(o, "relative", json_null())) &&
	     !json_object_set_new(o, "mnt_id", u64_json(ck->mnt_id)) &&
	     !json_object_set_new(o, "include_symlinks", json_boolean(ck->include_symlinks)) &&
	     !json_object_set_new(o, "include_mountpoints", json_boolean(ck->include_mountpoints)) &&
	     !json_object_set_new(o, "btime_cutoff", ck->have_cutoff ? json_integer(ck->btime_cutoff)
								     : json_null());
	p = json_array();
	ok = ok && p;
	for (int i = 0; ok && i < ck->nprune; i++) {
		bool lossy;
		ok = !json_array_append_new(p, str_lossy(ck->prune[i], &lossy));
		lossy_prune |= lossy;
	}
	if (ok && lossy_prune) {
		/* every glob in base64, so that the two arrays line up */
		ok = (pb = json_array()) != NULL;
		for (int i = 0; ok && i < ck->nprune; i++) {
			char *b = b64_encode((const unsigned char *)ck->prune[i], strlen(ck->prune[i]));
			ok = b && !json_array_append_new(pb, json_string(b));
			free(b);
		}
	}
	ok = ok && !json_object_set_new(o, "prune", p);
	p = NULL;
	if (ok && pb) {
		ok = !json_object_set_new(o, "prune_b64", pb);
		pb = NULL;
	}
	ok = ok && !json_object_set_new(o, "cnt", u64_json(ck->cnt)) &&
	     !json_object_set_new(o, "cnt_bytes", u64_json(ck->cnt_bytes)) &&
	     !json_object_set_new(o, "errors", u64_json(ck->errors)) &&
	     !json_object_set_new(o, "done", json_boolean(ck->done));
	a = ok ? json_array() : NULL;
	ok = ok && a && !json_object_set_new(o, "dir_stack", a);
	for (unsigned i = 0; ok && i < ck->nstack; i++) {
		json_t *l = json_object();
		ok = l && !json_array_append_new(a, l) &&
		     !put_bytes(l, "path", ck->stack[i].path) &&
		     !json_object_set_new(l, "inode", u64_json(ck->stack[i].ino)) &&
		     !json_object_set_new(l, "offset", json_integer(ck->stack[i].off));
	}
	json_decref(p);
	json_decref(pb);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* fsync the directory holding file, so that the rename lasts. */
static int sync_dir(const char *file)
{
	const char *slash = strrchr(file, '/');
	char *dir = slash ? strndup(file, slash == file ? 1 : (size_t)(slash - file)) : strdup(".");
	if (!dir)
		return -ENOMEM;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -errno;
	int e = fsync(fd) < 0 && errno != EINVAL ? -errno : 0;
	close(fd);
	return e;
}

char *tn_ckpt_text(const struct tn_ckpt *ck)
{
	json_t *o = build(ck);
	if (!o)
		return NULL;
	char *text = json_dumps(o, JSON_INDENT(2));
	json_decref(o);
	if (!text)
		return NULL;
	size_t n = strlen(text);
	char *t = realloc(text, n + 2);
	if (!t) {
		free(text);
		return NULL;
	}
	memcpy(t + n, "\n", 2);
	return t;
}

int tn_ckpt_save(const char *file, const struct tn_ckpt *ck)
{
	char *text = tn_ckpt_text(ck);
	if (!text)
		return -ENOMEM;
	size_t n = strlen(file);
	char *tmp = malloc(n + 8);
	if (!tmp) {
		free(text);
		return -ENOMEM;
	}
	memcpy(tmp, file, n);
	memcpy(tmp + n, ".XXXXXX", 8);
	int e = 0, fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		e = -errno;
	} else {
		e = write_all(fd, text, strlen(text));
		if (!e && fsync(fd) < 0)
			e = -errno;
		if (close(fd) < 0 && !e)
			e = -errno;
		if (!e && rename(tmp, file) < 0)
			e = -errno;
		if (e)
			unlink(tmp);
		else
			e = sync_dir(file);
	}
	free(tmp);
	free(text);
	return e;
}

void tn_ckpt_free(struct tn_ckpt *ck)
{
	free(ck->mountpoint);
	free(ck->fsname);
	free(ck->relative);
	for (int i = 0; i < ck->nprune; i++)
		free(ck->prune[i]);
	free(ck->prune);
	for (unsigned i = 0; i < ck->nstack; i++)
		free(ck->stack[i].path);
	free(ck->stack);
	memset(ck, 0, sizeof(*ck));
}
