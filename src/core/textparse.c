/* textparse.c - small parsers of user text shared by several commands (and
 * fuzzed by tests/fuzz/fuzz_time.c).  Pure: no syscall, no printing. */
#include "textparse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int tn_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void tn_hex_encode(char *dst, const void *src, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = src;
	for (size_t i = 0; i < n; i++) {
		*dst++ = hex[p[i] >> 4];
		*dst++ = hex[p[i] & 15];
	}
	*dst = 0;
}

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int hex_decode(const char *h, size_t n, char *dst, size_t *len, char *why, size_t whylen)
{
	if (n % 2) {
		snprintf(why, whylen, "0x: an odd number of hex digits (%zu): two make a byte", n);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i += 2) {
		int hi = tn_hexval((unsigned char)h[i]), lo = tn_hexval((unsigned char)h[i + 1]);
		if (hi < 0 || lo < 0) {
			snprintf(why, whylen, "0x: '%c' at offset %zu is not a hex digit",
				 hi < 0 ? h[i] : h[i + 1], 2 + i + (hi >= 0));
			return -EINVAL;
		}
		dst[i / 2] = (char)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

static int b64_decode(const char *b, size_t n, char *dst, size_t *len, char *why, size_t whylen)
{
	size_t m = n;	/* the digits: n less up to two '=' of padding */
	while (m > 0 && n - m < 2 && b[m - 1] == '=')
		m--;
	size_t pad = n - m;
	if ((pad && n % 4) || m % 4 == 1) {
		snprintf(why, whylen, "0s: %zu base64 digits%s cannot end a value", m,
			 pad ? " and its padding" : "");
		return -EINVAL;
	}
	uint32_t acc = 0;
	int bits = 0;
	size_t k = 0;
	for (size_t i = 0; i < m; i++) {
		int v = b64val((unsigned char)b[i]);
		if (v < 0) {
			snprintf(why, whylen, "0s: '%c' at offset %zu is not a base64 digit", b[i], 2 + i);
			return -EINVAL;
		}
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			dst[k++] = (char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (acc) {	/* the last digit has bits no byte holds */
		snprintf(why, whylen, "0s: the last base64 digit '%c' has bits set past the end of the value",
			 b[m - 1]);
		return -EINVAL;
	}
	*len = k;
	return 0;
}

/* Between double quotes, as setfattr and getfattr -e text write it: a
 * backslash and one to three octal digits is that byte, a backslash and
 * any other byte that byte. */
static int quoted_decode(const char *q, size_t n, char *dst, size_t *len, char *why, size_t whylen)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (q[i] != '\\') {
			dst[k++] = q[i];
			continue;
		}
		if (++i == n) {
			snprintf(why, whylen, "\"...\": a backslash ends the text (two stand for one)");
			return -EINVAL;
		}
		unsigned o = 0;
		size_t d = 0;
		while (d < 3 && i + d < n && q[i + d] >= '0' && q[i + d] <= '7')
			o = o * 8 + (unsigned)(q[i + d++] - '0');
		if (!d) {
			dst[k++] = q[i];
			continue;
		}
		if (o > 0377) {
			snprintf(why, whylen, "\"...\": the octal escape %.3s at offset %zu is over 377, "
				 "the largest byte", q + i, i + 1);
			return -EINVAL;
		}
		dst[k++] = (char)o;
		i += d - 1;
	}
	*len = k;
	return 0;
}

int tn_xattr_value_parse(const char *s, char **out, size_t *len, char *why, size_t whylen)
{
	size_t n = strlen(s);
	char *v = malloc(n + 1);
	if (!v)
		return -ENOMEM;
	int r = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		r = hex_decode(s + 2, n - 2, v, len, why, whylen);
	} else if (s[0] == '0' && (s[1] == 's' || s[1] == 'S')) {
		r = b64_decode(s + 2, n - 2, v, len, why, whylen);
	} else if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		r = quoted_decode(s + 1, n - 2, v, len, why, whylen);
	} else {
		memcpy(v, s, n);
		*len = n;
	}
	if (r) {
		free(v);
		return r;
	}
	*out = v;
	return 0;
}

int tn_parse_time(const char *s, int64_t *out)
{
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (*p && strspn(p, "0123456789") == strlen(p)) {
		errno = 0;
		char *end;
		long long v = strtoll(s, &end, 10);
		if (errno || *end)
			return -1;
		*out = v;
		return 0;
	}
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	int n = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) != 3 || n != 10)
		return -1;
	p = s + n;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		int m = 0;
		p++;
		if (sscanf(p, "%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &m) != 2 || m != 5)
			return -1;
		p += m;
		if (*p == ':') {
			if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]))
				return -1;
			tm.tm_sec = (p[1] - '0') * 10 + (p[2] - '0');
			p += 3;
			if (*p == '.' || *p == ',') {
				p++;
				if (!isdigit((unsigned char)*p))
					return -1;
				while (isdigit((unsigned char)*p))
					p++;	/* the cutoff has whole seconds, like the seed */
			}
		}
	}
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > mdays[tm.tm_mon - 1] ||
	    tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	int y = tm.tm_year;
	if (tm.tm_mon == 2 && tm.tm_mday == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -1;	/* 2023-02-29 is not a day (date(1) agrees) */
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	if (!*p) {
		tm.tm_isdst = -1;
		time_t t = mktime(&tm);
		if (t == (time_t)-1)
			return -1;
		*out = t;
		return 0;
	}
	long off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1, hh, mm = 0;
		p++;
		if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
			return -1;
		hh = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
		if (*p == ':')
			p++;
		if (*p) {
			if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
				return -1;
			mm = (p[0] - '0') * 10 + (p[1] - '0');
			p += 2;
		}
		if (hh > 23 || mm > 59)
			return -1;
		off = sign * (hh * 3600L + mm * 60L);
	} else {
		return -1;
	}
	if (*p)
		return -1;
	*out = (int64_t)timegm(&tm) - off;
	return 0;
}
