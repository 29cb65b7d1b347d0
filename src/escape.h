/* escape.h - bytes made safe for a terminal.  The one escaper: the emitter's
 * human output and every message on stderr (util.c) go through it. */
#ifndef TNOS_ESCAPE_H
#define TNOS_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

/* Length of the valid UTF-8 sequence at s (1..4, *cp its code point), or 0
 * if the bytes there are not one. */
size_t tn_utf8_seq(const unsigned char *s, size_t n, unsigned *cp);
bool tn_utf8_valid(const char *s, size_t n);
/* Escape bytes for a terminal: control bytes, C1 controls, invalid UTF-8 and
 * backslash become \xHH / \\; with raw, spaces too.  Returns display width. */
size_t tn_escape(struct sbuf *dst, const char *s, size_t n, bool raw);

#endif
