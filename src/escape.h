/* escape.h - bytes made safe for a terminal.  The one escaper: the emitter's
 * human output and every message on stderr (util.c) go through it. */
#ifndef TNOS_ESCAPE_H
#define TNOS_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include "core/bytes.h"	/* tn_utf8_seq, tn_utf8_valid */
#include "util.h"

/* How tn_escape writes bytes, OR'd together (0: the form of tables and
 * messages). */
#define TN_ESC_SPACE  0x1	/* spaces too (-r, the lines of out_lines) */
#define TN_ESC_QUOTED 0x2	/* the inside of a value in double quotes, as
				 * getfattr -e text writes it and setfattr -v
				 * reads it back: " and \ after a backslash,
				 * every other escaped byte as \ooo */

/* Escape bytes for a terminal: control bytes, C1 controls, invalid UTF-8 and
 * backslash become \xHH / \\ (with TN_ESC_QUOTED: \ooo / \\, and \" for a
 * double quote); with TN_ESC_SPACE, spaces too.  Returns the display width:
 * the locale's wcwidth of each character (CJK 2, a combining mark 0). */
size_t tn_escape(struct sbuf *dst, const char *s, size_t n, unsigned how);

#endif
