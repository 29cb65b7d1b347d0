/* jsonw.c - the streaming JSON writer (see jsonw.h). */
#include "jsonw.h"
#include "emit.h"
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

void jw__indent(struct jsonw *w)
{
	size_t n = (size_t)(w->depth > 0 ? w->depth * 2 : 0);
	char *p = jw__room(w->b, n + 1);
	*p = '\n';
	memset(p + 1, ' ', n);
	w->b->len += n + 1;
}

static void open_(struct jsonw *w, char c)
{
	jw__sep(w);
	jw__addc(w->b, c);
	w->depth++;
	if (w->depth <= JW_MAXDEPTH)
		w->empty[w->depth - 1] = true;
}

static void close_(struct jsonw *w, char c)
{
	bool was_empty = w->depth <= JW_MAXDEPTH && w->empty[w->depth - 1];
	w->depth--;
	if (w->pretty && !was_empty)
		jw__indent(w);
	jw__addc(w->b, c);
	w->b->p[w->b->len] = 0;
}

void jw_row_open(struct jsonw *w)
{
	jw__sep(w);
	w->row_at = w->b->len;
	w->depth++;
	w->empty[w->depth - 1] = false;	/* every member: ',' first */
}

void jw_row_close(struct jsonw *w)
{
	struct sbuf *b = w->b;
	w->depth--;
	if (b->len == w->row_at) {
		jw__addc(b, '{');
	} else {
		b->p[w->row_at] = '{';
	}
	jw__addc(b, '}');
	b->p[b->len] = 0;
}

void jw_obj_open(struct jsonw *w) { open_(w, '{'); }
void jw_obj_close(struct jsonw *w) { close_(w, '}'); }
void jw_arr_open(struct jsonw *w) { open_(w, '['); }
void jw_arr_close(struct jsonw *w) { close_(w, ']'); }

/* One byte of a string that needs a look, c < 0xa0: its escape (or the
 * byte itself, printable ASCII but for '"' and '\\') at p; returns the end.
 * 0x80..0x9f stand for the C1 controls (\u0080..\u009f). */
static inline char *esc_byte(char *p, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
		*p++ = (char)c;
		return p;
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
	return p;
}

/* Whether any of the eight bytes of x needs a look: below 0x20, '"', '\\',
 * DEL, or (when high) 0x80 and up; false alarms only, which the byte loop
 * settles. */
static inline bool word_needs_look(uint64_t x, bool high)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t q = x ^ (ones * '"'), bs = x ^ (ones * '\\'), del = x ^ (ones * 0x7f);
	uint64_t c1 = x ^ (ones * 0xc2);	/* the lead byte of U+0080..U+00BF */
	uint64_t t = ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((bs - ones) & ~bs) |
		     ((del - ones) & ~del);
	t |= high ? x : ((c1 - ones) & ~c1);
	return t & highs;
}

/* Copy to p the whole 8-byte words at the start of s that need no look
 * (word_needs_look); returns how many bytes that is. */
static inline size_t clean_words(char *p, const char *s, size_t n, bool high)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		if (word_needs_look(x, high))
			break;
		memcpy(p + i, s + i, 8);
	}
	return i;
}

/* The string text: '"', '\\' and control bytes escaped (DEL and the C1
 * controls U+0080..U+009F too, as \u0080..\u009f: a name can reach a
 * terminal through -J as well as through a table, and a terminal may take
 * the two bytes c2 9b for CSI).  With ascii, the text is taken only when it
 * is all ASCII, in one pass: false (and nothing written) at the first byte
 * of 0x80 or more, which the caller sends through the UTF-8 check first.
 * Most names are ASCII. */
static inline bool str_body(struct sbuf *b, const char *s, size_t n, bool ascii)
{
	char *p = jw__room(b, n * 6 + 2), *p0 = p;
	size_t i;
	*p++ = '"';
	i = clean_words(p, s, n, ascii);
	p += i;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 && ascii)
			return false;
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f)
			c = (unsigned char)s[++i];	/* a C1 control: \u0080..\u009f */
		else if (c >= 0x80) {
			*p++ = (char)c;
			continue;
		}
		p = esc_byte(p, c);
	}
	*p++ = '"';
	b->len += (size_t)(p - p0);
	return true;
}

static void str_text(struct sbuf *b, const char *s, size_t n)
{
	str_body(b, s, n, false);
}

static bool str_ascii(struct sbuf *b, const char *s, size_t n)
{
	return str_body(b, s, n, true);
}

void jw_key(struct jsonw *w, const char *key)
{
	jw__sep(w);
	str_text(w->b, key, strlen(key));
	jw__addc(w->b, ':');
	if (w->pretty)
		jw__addc(w->b, ' ');
	w->after_key = true;
}

void jw_quote(struct sbuf *b, const char *s, size_t n)
{
	str_text(b, s, n);
}

void jw_str(struct jsonw *w, const char *s, size_t n)
{
	jw__sep(w);
	str_text(w->b, s, n);
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
	jw__sep(w);
	sb_add(w->b, buf, (size_t)n);
}

bool jw_bytes(struct jsonw *w, const char *s, size_t n)
{
	jw__sep(w);
	if (str_ascii(w->b, s, n))
		return false;
	if (tn_utf8_valid(s, n)) {
		str_text(w->b, s, n);
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
	str_text(w->b, b.p, b.len);
	sb_free(&b);
	return true;
}

/* key_b64: the bytes in base64 (out of line: most names need no twin) */
static __attribute__((noinline)) void b64_twin(struct jsonw *w, const char *key, const char *s,
					       size_t n)
{
	struct sbuf b = { 0 };
	char k[128];
	snprintf(k, sizeof(k), "%s_b64", key);
	tn_base64(&b, (const unsigned char *)s, n);
	jw_key(w, k);
	jw_str(w, b.p ? b.p : "", b.len);
	sb_free(&b);
}

/* key (quoted already when q), the bytes, and their twin when lossy */
static void bytes_field(struct jsonw *w, const char *key, const char *q, size_t qn,
			const char *s, size_t n)
{
	if (q)
		jw_key_quoted(w, q, qn);
	else
		jw_key(w, key);
	if (jw_bytes(w, s, n))
		b64_twin(w, key, s, n);
}

void jw_bytes_field(struct jsonw *w, const char *key, const char *s, size_t n)
{
	bytes_field(w, key, NULL, 0, s, n);
}

void jw_bytes_field_quoted(struct jsonw *w, const char *key, const char *q, size_t qn,
			   const char *s, size_t n)
{
	bytes_field(w, key, q, qn, s, n);
}

void jw_b64_field(struct jsonw *w, const char *key, const char *s, size_t n)
{
	if (tn_utf8_valid(s, n)) {
		jw_key(w, key);
		jw_str(w, s, n);
	}
	b64_twin(w, key, s, n);
}

void tn_base64(struct sbuf *dst, const unsigned char *s, size_t n)
{
	sb_grow(dst, TN_B64_LEN(n));
	tn_b64_encode(dst->p + dst->len, s, n);
	dst->len += TN_B64_LEN(n);
	dst->p[dst->len] = 0;
}
