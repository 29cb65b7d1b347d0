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

static void indent(struct jsonw *w)
{
	static const char sp[] = "                                ";
	sb_addc(w->b, '\n');
	for (int n = w->depth * 2; n > 0; n -= 32)
		sb_add(w->b, sp, n < 32 ? (size_t)n : 32);
}

/* What comes before a value or a key: a comma after an earlier element,
 * and in pretty output the line break and indentation. */
static void sep(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth <= 0 || w->depth > JW_MAXDEPTH)
		return;
	if (!w->empty[w->depth - 1])
		sb_addc(w->b, ',');
	w->empty[w->depth - 1] = false;
	if (w->pretty)
		indent(w);
}

static void open_(struct jsonw *w, char c)
{
	sep(w);
	sb_addc(w->b, c);
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
	sb_addc(w->b, c);
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
	sb_grow(b, n + 2);
	b->p[b->len++] = '"';
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		sb_add(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': sb_add(b, "\\\"", 2); break;
		case '\\': sb_add(b, "\\\\", 2); break;
		case '\n': sb_add(b, "\\n", 2); break;
		case '\t': sb_add(b, "\\t", 2); break;
		case '\r': sb_add(b, "\\r", 2); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			sb_add(b, u, 6);
		}
		}
	}
	sb_add(b, s + run, n - run);
	sb_addc(b, '"');
}

void jw_key(struct jsonw *w, const char *key)
{
	sep(w);
	str_text(w->b, key, strlen(key));
	sb_add(w->b, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
	w->after_key = true;
}

void jw_str(struct jsonw *w, const char *s, size_t n)
{
	sep(w);
	str_text(w->b, s, n);
}

void jw_u64(struct jsonw *w, uint64_t v)
{
	char buf[24];
	sep(w);
	sb_add(w->b, buf, (size_t)snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v));
}

void jw_s64(struct jsonw *w, int64_t v)
{
	char buf[24];
	sep(w);
	sb_add(w->b, buf, (size_t)snprintf(buf, sizeof(buf), "%lld", (long long)v));
}

void jw_bool(struct jsonw *w, bool v)
{
	sep(w);
	sb_adds(w->b, v ? "true" : "false");
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
