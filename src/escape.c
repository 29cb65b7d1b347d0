/* escape.c - bytes made safe for a terminal (see escape.h). */
#include "escape.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
size_t tn_utf8_seq(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	size_t len;
	unsigned min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) { len = 2; min = 0x80; c &= 0x1f; }
	else if (c >= 0xe0 && c <= 0xef) { len = 3; min = 0x800; c &= 0x0f; }
	else if (c >= 0xf0 && c <= 0xf4) { len = 4; min = 0x10000; c &= 0x07; }
	else return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

bool tn_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned cp;

	for (size_t i = 0; i < n;) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t l = tn_utf8_seq(p + i, n - i, &cp);
		if (!l)
			return false;
		i += l;
	}
	return true;
}

size_t tn_escape(struct sbuf *dst, const char *s, size_t n, bool raw)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;
	unsigned cp;

	sb_add(dst, "", 0);	/* "" escapes to "", never a NULL buffer */
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c >= 0x20 && c < 0x7f && c != '\\' && !(raw && c == ' ')) {
			size_t j = i;
			while (j < n && p[j] >= 0x20 && p[j] < 0x7f && p[j] != '\\' && !(raw && p[j] == ' '))
				j++;
			sb_add(dst, s + i, j - i);
			w += j - i;
			i = j;
			continue;
		}
		if (c == '\\') {
			sb_add(dst, raw ? "\\x5c" : "\\\\", raw ? 4 : 2);
			w += raw ? 4 : 2;
			i++;
			continue;
		}
		size_t l = c >= 0x80 ? tn_utf8_seq(p + i, n - i, &cp) : 0;
		if (l && cp >= 0xa0) {
			sb_add(dst, s + i, l);
			w += 1;
			i += l;
			continue;
		}
		/* control byte, space in raw mode, a C1 control, or invalid UTF-8:
		 * each byte of it as \xHH */
		size_t k = l ? l : 1;
		for (size_t j = 0; j < k; j++) {
			sb_printf(dst, "\\x%02x", p[i + j]);
			w += 4;
		}
		i += k;
	}
	return w;
}
