/* escape.c - bytes made safe for a terminal (see escape.h). */
#define _GNU_SOURCE	/* wcwidth */
#include "escape.h"

#include <wchar.h>

/* Whether byte c is written as it is: printable ASCII, but for the bytes
 * that how escapes. */
static inline bool plain(unsigned char c, unsigned how)
{
	return c >= 0x20 && c < 0x7f && c != '\\' &&
	       !((how & TN_ESC_SPACE) && c == ' ') && !((how & TN_ESC_QUOTED) && c == '"');
}

size_t tn_escape(struct sbuf *dst, const char *s, size_t n, unsigned how)
{
	const unsigned char *p = (const unsigned char *)s;
	bool raw = how & TN_ESC_SPACE, quoted = how & TN_ESC_QUOTED;
	size_t w = 0;
	unsigned cp;

	sb_add(dst, "", 0);	/* "" escapes to "", never a NULL buffer */
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (plain(c, how)) {
			size_t j = i;
			while (j < n && plain(p[j], how))
				j++;
			sb_add(dst, s + i, j - i);
			w += j - i;
			i = j;
			continue;
		}
		if (quoted && (c == '\\' || c == '"')) {
			sb_add(dst, c == '"' ? "\\\"" : "\\\\", 2);
			w += 2;
			i++;
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
			/* as wide as the terminal draws it: 2 for CJK, 0 for a
			 * combining mark (the locale's wcwidth, as findmnt and ls);
			 * 1 where the locale cannot say */
			int cw = wcwidth((wchar_t)cp);
			sb_add(dst, s + i, l);
			w += cw >= 0 ? (size_t)cw : 1;
			i += l;
			continue;
		}
		/* control byte, space in raw mode, a C1 control, or invalid UTF-8:
		 * each byte of it as \xHH, or \ooo in a quoted value */
		size_t k = l ? l : 1;
		for (size_t j = 0; j < k; j++) {
			if (quoted)
				sb_printf(dst, "\\%03o", p[i + j]);
			else
				sb_printf(dst, "\\x%02x", p[i + j]);
			w += 4;
		}
		i += k;
	}
	return w;
}
