/* escape.h - bytes made safe for a terminal.  The one escaper: the emitter's
 * human output and every message on stderr (util.c) go through it. */
#ifndef TNOS_ESCAPE_H
#define TNOS_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include "core/bytes.h"	/* tn_utf8_seq, tn_utf8_valid */
#include "util.h"

/* Escape bytes for a terminal: control bytes, C1 controls, invalid UTF-8 and
 * backslash become \xHH / \\; with raw, spaces too.  Returns the display
 * width: the locale's wcwidth of each character (CJK 2, a combining mark 0). */
size_t tn_escape(struct sbuf *dst, const char *s, size_t n, bool raw);

#endif
