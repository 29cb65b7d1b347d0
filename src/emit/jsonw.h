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

#include "../util.h"

#define JW_MAXDEPTH 16

struct jsonw {
	struct sbuf *b;		/* where the text goes */
	bool pretty;
	int depth;		/* open containers */
	bool empty[JW_MAXDEPTH];	/* nothing in that container yet */
	bool after_key;		/* the next value follows a key */
};

/* Start writing into b at depth 'depth' (pretty: the indentation level of
 * the value about to be written, for a value inside a document written by
 * other means). */
void jw_init(struct jsonw *w, struct sbuf *b, bool pretty, int depth);
void jw_obj_open(struct jsonw *w);
void jw_obj_close(struct jsonw *w);
void jw_arr_open(struct jsonw *w);
void jw_arr_close(struct jsonw *w);
void jw_key(struct jsonw *w, const char *key);
/* The same for a key already quoted by jw_quote (the emitter quotes each
 * column's key once, not once a row). */
void jw_key_quoted(struct jsonw *w, const char *q, size_t n);
/* Append s as a JSON string (quotes and escapes) to b. */
void jw_quote(struct sbuf *b, const char *s, size_t n);
/* A value already written as JSON text by this writer (at this depth). */
void jw_raw(struct jsonw *w, const char *text, size_t n);
/* Bytes that are valid UTF-8 (callers check; see jw_bytes). */
void jw_str(struct jsonw *w, const char *s, size_t n);
void jw_u64(struct jsonw *w, uint64_t v);
void jw_s64(struct jsonw *w, int64_t v);
void jw_bool(struct jsonw *w, bool v);
/* A double with 'prec' significant digits ("1.5", "2.0", "1e-5"). */
void jw_real(struct jsonw *w, double v, int prec);

/* Bytes as a JSON string: valid UTF-8 as is, else each byte that is not
 * part of a valid sequence becomes U+FFFD.  Returns whether it was lossy. */
bool jw_bytes(struct jsonw *w, const char *s, size_t n);
/* key: the bytes, and when they are not valid UTF-8 also key_b64: the exact
 * bytes in base64 (the lossless twin documented in tnos(1)). */
void jw_bytes_field(struct jsonw *w, const char *key, const char *s, size_t n);

void tn_base64(struct sbuf *dst, const unsigned char *s, size_t n);

#endif
