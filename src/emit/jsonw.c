/* jsonw.c - the streaming JSON writer (see jsonw.h). */
#include "jsonw.h"
#include "../escape.h"

#include <stdio.h>
#include <string.h>

void jw_init(struct jsonw *w, struct sbuf *b, bool pretty, int depth)
{
	w->b = b;
	w->pretty = pretty;
	w->depth = depth;
	w->after_key = true;	/* the first value goes where the text is */
	for (int i = 0; i < JW_MAXDEPTH; i++)
		w->empty[i] = true;
}

/* Room for n more bytes at the end of the text; returns where they go.
 * The writers fill it and move len on (rows are written a few bytes at a
 * time, a million times in a walk: no call per byte). */
static inline char *room(struct sbuf *b, size_t n)
{
	if (b->len + n + 1 > b->cap)
		sb_grow(b, n);
	return b->p + b->len;
}

static inline void addc(struct sbuf *b, char c)
{
	*room(b, 1) = c;
	b->len++;
	b->p[b->len] = 0;
}

static void indent(struct jsonw *w)
{
	size_t n = (size_t)(w->depth > 0 ? w->depth * 2 : 0);
	char *p = room(w->b, n + 1);
	*p = '\n';
	memset(p + 1, ' ', n);
	w->b->len += n + 1;
	w->b->p[w->b->len] = 0;
}

/* What comes before a value or a key: a comma after an earlier element,
 * and in pretty output the line break and indentation. */
static inline void sep(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth <= 0 || w->depth > JW_MAXDEPTH)
		return;
	if (!w->empty[w->depth - 1])
		addc(w->b, ',');
	w->empty[w->depth - 1] = false;
	if (w->pretty)
		indent(w);
}

static void open_(struct jsonw *w, char c)
{
	sep(w);
	addc(w->b, c);
	w->depth++;
	if (w->depth <= JW_MAXDEPTH)
		w->empty[w->depth - 1] = true;
}

static void close_(struct jsonw *w, char c)
{
	bool was_empty = w->depth <= JW_MAXDEPTH && w->empty[w->depth - 1];
	w->depth--;
	if (w->pretty && !was_empty)
		indent(w);
	addc(w->b, c);
}

void jw_obj_open(struct jsonw *w) { open_(w, '{'); }
void jw_obj_close(struct jsonw *w) { close_(w, '}'); }
void jw_arr_open(struct jsonw *w) { open_(w, '['); }
void jw_arr_close(struct jsonw *w) { close_(w, ']'); }

/* The string text: '"', '\' and control bytes escaped (DEL too: a name can
 * reach a terminal through -J as well as through a table). */
static void str_text(struct sbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *p = room(b, n * 6 + 2), *p0 = p;
	*p++ = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) {
			*p++ = (char)c;
			continue;
		}
		*p++ = '\\';
		switch (c) {
		case '"': *p++ = '"'; break;
		case '\\': *p++ = '\\'; break;
		case '\n': *p++ = 'n'; break;
		case '\t': *p++ = 't'; break;
		case '\r': *p++ = 'r'; break;
		default:
			memcpy(p, "u00", 3);
			p[3] = hex[c >> 4];
			p[4] = hex[c & 15];
			p += 5;
		}
	}
	*p++ = '"';
	b->len += (size_t)(p - p0);
	b->p[b->len] = 0;
}

void jw_key_quoted(struct jsonw *w, const char *q, size_t n)
{
	sep(w);
	char *p = room(w->b, n + 2);
	memcpy(p, q, n);
	p[n++] = ':';
	if (w->pretty)
		p[n++] = ' ';
	w->b->len += n;
	w->b->p[w->b->len] = 0;
	w->after_key = true;
}

void jw_key(struct jsonw *w, const char *key)
{
	sep(w);
	str_text(w->b, key, strlen(key));
	addc(w->b, ':');
	if (w->pretty)
		addc(w->b, ' ');
	w->after_key = true;
}

void jw_quote(struct sbuf *b, const char *s, size_t n)
{
	str_text(b, s, n);
}

void jw_raw(struct jsonw *w, const char *text, size_t n)
{
	sep(w);
	memcpy(room(w->b, n), text, n);
	w->b->len += n;
	w->b->p[w->b->len] = 0;
}

void jw_str(struct jsonw *w, const char *s, size_t n)
{
	sep(w);
	str_text(w->b, s, n);
}

static void digits(struct sbuf *b, bool neg, uint64_t v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	char tmp[24], *e = tmp + sizeof(tmp), *q = e;
	while (v >= 100) {
		q -= 2;
		memcpy(q, pairs + (v % 100) * 2, 2);
		v /= 100;
	}
	if (v >= 10) {
		q -= 2;
		memcpy(q, pairs + v * 2, 2);
	} else {
		*--q = (char)('0' + v);
	}
	if (neg)
		*--q = '-';
	size_t n = (size_t)(e - q);
	memcpy(room(b, n), q, n);
	b->len += n;
	b->p[b->len] = 0;
}

void jw_u64(struct jsonw *w, uint64_t v)
{
	sep(w);
	digits(w->b, false, v);
}

void jw_s64(struct jsonw *w, int64_t v)
{
	sep(w);
	digits(w->b, v < 0, v < 0 ? -(uint64_t)v : (uint64_t)v);
}

void jw_bool(struct jsonw *w, bool v)
{
	size_t n = v ? 4 : 5;
	sep(w);
	memcpy(room(w->b, n), v ? "true" : "false", n);
	w->b->len += n;
	w->b->p[w->b->len] = 0;
}

/* %.*g, then as JSON readers expect a real to look: "2" becomes "2.0", and
 * an exponent loses its '+' and leading zeros ("1e-05" -> "1e-5"). */
void jw_real(struct jsonw *w, double v, int prec)
{
	char buf[48], *e;
	int n = snprintf(buf, sizeof(buf), "%.*g", prec, v);
	if (n < 0 || (size_t)n >= sizeof(buf) - 2)
		n = snprintf(buf, sizeof(buf), "0.0");
	if (strspn(buf, "0123456789-") == (size_t)n) {
		memcpy(buf + n, ".0", 3);
		n += 2;
	}
	if ((e = strchr(buf, 'e'))) {
		char *d = ++e;
		if (*e == '-')
			d = ++e;
		else if (*e == '+')
			memmove(e, e + 1, strlen(e));
		char *z = d;
		while (*z == '0' && z[1])
			z++;
		memmove(d, z, strlen(z) + 1);
		n = (int)strlen(buf);
	}
	sep(w);
	sb_add(w->b, buf, (size_t)n);
}

bool jw_bytes(struct jsonw *w, const char *s, size_t n)
{
	if (tn_utf8_valid(s, n)) {
		jw_str(w, s, n);
		return false;
	}
	struct sbuf b = { 0 };
	const unsigned char *p = (const unsigned char *)s;
	unsigned cp;
	for (size_t i = 0; i < n;) {
		size_t l = p[i] < 0x80 ? 1 : tn_utf8_seq(p + i, n - i, &cp);
		if (!l) {
			sb_add(&b, "\xef\xbf\xbd", 3);
			i++;
		} else {
			sb_add(&b, s + i, l);
			i += l;
		}
	}
	jw_str(w, b.p, b.len);
	sb_free(&b);
	return true;
}

void jw_bytes_field(struct jsonw *w, const char *key, const char *s, size_t n)
{
	jw_key(w, key);
	if (jw_bytes(w, s, n)) {
		struct sbuf b = { 0 };
		char k[128];
		snprintf(k, sizeof(k), "%s_b64", key);
		tn_base64(&b, (const unsigned char *)s, n);
		jw_key(w, k);
		jw_str(w, b.p ? b.p : "", b.len);
		sb_free(&b);
	}
}

void tn_base64(struct sbuf *dst, const unsigned char *s, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	for (i = 0; i + 2 < n; i += 3) {
		char q[4] = { tab[s[i] >> 2], tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)],
			      tab[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)], tab[s[i + 2] & 63] };
		sb_add(dst, q, 4);
	}
	if (n - i == 1) {
		char q[4] = { tab[s[i] >> 2], tab[(s[i] & 3) << 4], '=', '=' };
		sb_add(dst, q, 4);
	} else if (n - i == 2) {
		char q[4] = { tab[s[i] >> 2], tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)],
			      tab[(s[i + 1] & 15) << 2], '=' };
		sb_add(dst, q, 4);
	}
}
