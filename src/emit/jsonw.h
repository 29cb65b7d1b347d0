/* jsonw.h - the streaming JSON writer behind -J and --ndjson.
 *
 * Values are appended to a buffer as they are produced; nothing is built as
 * a document first.  Compact output is one line (--ndjson); pretty output is
 * laid out with two spaces per level and "key": value, the layout -J has
 * always had.  The writer does not check the nesting it is given: callers
 * open and close in order, and give a key before each value in an object.
 */
#ifndef TNOS_JSONW_H
#define TNOS_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../util.h"

#define JW_MAXDEPTH 16

struct jsonw {
	struct sbuf *b;		/* where the text goes */
	bool pretty;
	int depth;		/* open containers */
	bool empty[JW_MAXDEPTH];	/* nothing in that container yet */
	bool after_key;		/* the next value follows a key */
	size_t row_at;		/* jw_row_open: where the row begins */
};

/* Start writing into b at depth 'depth' (pretty: the indentation level of
 * the value about to be written, for a value inside a document written by
 * other means). */
void jw_init(struct jsonw *w, struct sbuf *b, bool pretty, int depth);
void jw_obj_open(struct jsonw *w);
void jw_obj_close(struct jsonw *w);
void jw_arr_open(struct jsonw *w);
void jw_arr_close(struct jsonw *w);
/* A compact object whose members are each written with the ',' before
 * them, the first one's too: the row of an --ndjson line, whose members a
 * caller may then write whole (',"key":value') without asking whether one
 * came before.  jw_row_close turns the first ',' into the '{' (or writes
 * "{}") and closes it.  Only in compact output, at depth 0. */
void jw_row_open(struct jsonw *w);
void jw_row_close(struct jsonw *w);
void jw_key(struct jsonw *w, const char *key);
/* The same for a key already quoted by jw_quote (the emitter quotes each
 * column's key once, not once a row): jw_key_quoted, below. */
/* Append s as a JSON string (quotes and escapes) to b. */
void jw_quote(struct sbuf *b, const char *s, size_t n);
/* A value already written as JSON text by this writer (at this depth):
 * jw_raw, below. */
/* Bytes that are valid UTF-8 (callers check; see jw_bytes). */
void jw_str(struct jsonw *w, const char *s, size_t n);
/* jw_u64, jw_s64, jw_bool: below. */
/* A double with 'prec' significant digits ("1.5", "2.0", "1e-5"). */
void jw_real(struct jsonw *w, double v, int prec);

/* Bytes as a JSON string: valid UTF-8 as is, else each byte that is not
 * part of a valid sequence becomes U+FFFD.  Returns whether it was lossy. */
bool jw_bytes(struct jsonw *w, const char *s, size_t n);
/* key: the bytes, and when they are not valid UTF-8 also key_b64: the exact
 * bytes in base64 (the lossless twin documented in tnos(1)). */
void jw_bytes_field(struct jsonw *w, const char *key, const char *s, size_t n);
/* The same with key also given quoted (q, qn: jw_key_quoted). */
void jw_bytes_field_quoted(struct jsonw *w, const char *key, const char *q, size_t qn,
			   const char *s, size_t n);

/* key (when the bytes are valid UTF-8) and key_b64 (always): the bytes
 * of a value, which a reader always finds whole in key_b64 (TN_B64). */
void jw_b64_field(struct jsonw *w, const char *key, const char *s, size_t n);


/* ---- the writers a row calls for every field, inline: a walk's NDJSON
 * row has some 45 fields, and a call or two per field was most of its
 * cost.  jw__* are the writer's own. */

void jw__indent(struct jsonw *w);

/* Room for n more bytes at the end of the text; returns where they go.
 * The writers fill it and move len on.  The text is NUL-terminated when a
 * container closes, not after every value. */
static inline char *jw__room(struct sbuf *b, size_t n)
{
	if (b->len + n + 1 > b->cap)
		sb_grow(b, n);
	return b->p + b->len;
}

static inline void jw__addc(struct sbuf *b, char c)
{
	*jw__room(b, 1) = c;
	b->len++;
}

/* What comes before a value or a key: a comma after an earlier element,
 * and in pretty output the line break and indentation. */
static inline void jw__sep(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth <= 0 || w->depth > JW_MAXDEPTH)
		return;
	if (!w->empty[w->depth - 1])
		jw__addc(w->b, ',');
	w->empty[w->depth - 1] = false;
	if (w->pretty)
		jw__indent(w);
}

/* A quoted key in a slot of JW_KEYSLOT readable bytes is copied whole
 * (a copy of constant size is a few moves, not a call). */
#define JW_KEYSLOT 32

static inline void jw_key_quoted(struct jsonw *w, const char *q, size_t n)
{
	jw__sep(w);
	char *p = jw__room(w->b, n + 2);
	memcpy(p, q, n);
	p[n++] = ':';
	if (w->pretty)
		p[n++] = ' ';
	w->b->len += n;
	w->after_key = true;
}

/* The same for a key in a slot of JW_KEYSLOT bytes, n <= JW_KEYSLOT. */
static inline void jw_key_slot(struct jsonw *w, const char *q, size_t n)
{
	jw__sep(w);
	char *p = jw__room(w->b, JW_KEYSLOT + 2);
	memcpy(p, q, JW_KEYSLOT);
	p[n++] = ':';
	if (w->pretty)
		p[n++] = ' ';
	w->b->len += n;
	w->after_key = true;
}

static inline void jw_raw(struct jsonw *w, const char *text, size_t n)
{
	jw__sep(w);
	memcpy(jw__room(w->b, n), text, n);
	w->b->len += n;
}

static inline void jw_u64(struct jsonw *w, uint64_t v)
{
	jw__sep(w);
	sb_addnum(w->b, false, v);
}

static inline void jw_s64(struct jsonw *w, int64_t v)
{
	jw__sep(w);
	sb_addnum(w->b, v < 0, v < 0 ? -(uint64_t)v : (uint64_t)v);
}

static inline void jw_bool(struct jsonw *w, bool v)
{
	size_t n = v ? 4 : 5;
	jw__sep(w);
	memcpy(jw__room(w->b, n), v ? "true" : "false", n);
	w->b->len += n;
}

#endif
