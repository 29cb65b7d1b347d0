/* bytes.c - UTF-8 validation and base64 (see bytes.h). */
#include "bytes.h"

#include <string.h>

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

static const char b64_tab[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void tn_b64_encode(char *dst, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
			     (i + 2 < n ? s[i + 2] : 0);
		*dst++ = b64_tab[v >> 18 & 63];
		*dst++ = b64_tab[v >> 12 & 63];
		*dst++ = i + 1 < n ? b64_tab[v >> 6 & 63] : '=';
		*dst++ = i + 2 < n ? b64_tab[v & 63] : '=';
	}
}

ssize_t tn_b64_decode(unsigned char *dst, const char *s, size_t n)
{
	size_t k = 0;
	if (n % 4)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		unsigned v = 0;
		int pad = 0;
		for (int j = 0; j < 4; j++) {
			char ch = s[i + j];
			const char *c = ch ? strchr(b64_tab, ch) : NULL;
			/* '=' only at the end: "x=" never before a data character */
			if (ch == '=' && i + 4 == n && j >= 2 && (j == 3 || s[i + 3] == '=')) {
				pad++;
				v <<= 6;
			} else if (c && !pad) {
				v = v << 6 | (unsigned)(c - b64_tab);
			} else {
				return -1;
			}
		}
		dst[k++] = (unsigned char)(v >> 16);
		if (pad < 2)
			dst[k++] = (unsigned char)(v >> 8);
		if (pad < 1)
			dst[k++] = (unsigned char)v;
	}
	return (ssize_t)k;
}
