/* emit.h - the one writer of stdout.
 *
 * A command describes its records once, in a column table; every output
 * format (aligned table, key/value records, JSON, NDJSON, shell pairs) is
 * produced from the same calls:
 *
 *	out_row_open(o);
 *	out_u64(o, C_ID, sm->mnt_id);
 *	out_str(o, C_TARGET, path);
 *	out_row_close(o);
 */
#ifndef TNOS_EMIT_H
#define TNOS_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "names.h"
#include "../escape.h"
#include "../util.h"

enum tn_type {
	T_STR,		/* bytes; JSON string, lossless via KEY_b64 (see tnos(1)) */
	T_U64,		/* number */
	T_S64,
	T_HEX,		/* number; 0x... for people */
	T_OCT,		/* number; 0755 for people */
	T_MODE,		/* number; "0644 (-rw-r--r--)" for people */
	T_BOOL,		/* true/false */
	T_FLAGS,	/* bit set: names; JSON array of names */
	T_ENUM,		/* one value: its name; JSON string (number when unknown) */
	T_STRV,		/* list of byte strings; JSON array */
	T_TIME,		/* JSON {"sec":..,"nsec":..}; ISO 8601 for people */
	T_DEV,		/* major:minor; JSON KEY_major and KEY_minor */
	T_JSON,		/* pre-built JSON value; text given separately */
};

#define TN_RIGHT   0x1	/* right-align in tables */
#define TN_TREE    0x2	/* carries the tree drawing in tree mode */
#define TN_DEFAULT 0x4	/* in the default column set */

struct tn_col {
	const char *hdr;	/* column name for -o and table headings */
	const char *key;	/* JSON key (the truenas_os field name) */
	enum tn_type type;
	unsigned flags;
	const char *help;
	const struct tn_name *names;	/* T_FLAGS / T_ENUM */
	uint64_t need;		/* command-defined (e.g. statmount mask bits) */
};

enum out_fmt { OUT_HUMAN, OUT_JSON, OUT_NDJSON, OUT_PAIRS, OUT_NUL };

/* Output options every command shares (filled by the option parser). */
struct out_opts {
	enum out_fmt fmt;
	bool raw, noheadings, list_columns, tree, list;
	const char *columns;	/* -o */
};

#define OUT_MAXCOLS 64

struct out_row;

struct out {
	struct out_opts opt;
	const struct tn_col *cols;
	int ncols;
	int sel[OUT_MAXCOLS], nsel;
	int pos[OUT_MAXCOLS];		/* column -> selected position, -1 */
	const char *list_name;		/* "mounts" */
	bool records;			/* people get key: value blocks */
	bool single;			/* one object, not a named array */
	bool tree;			/* table drawn as a tree (TN_TREE column) */
	bool utf8;
	/* current row */
	bool in_row;
	json_t *jrow;			/* -J: the row as a jansson object */
	struct sbuf jtext;		/* --ndjson: the row's line, written directly */
	bool jfirst;			/* no key in jtext yet */
	char **cell;			/* per selected column (human/pairs) */
	size_t *cellw;
	uint64_t row_id, row_parent;
	/* table storage: cell texts in one arena, indexed per row */
	struct sbuf arena;
	struct out_row *rows;
	size_t *coff;			/* [row * nsel + k] offset in arena, or SIZE_MAX */
	uint32_t *cw;			/* display widths */
	size_t nrows, cap;
	size_t nemitted;
	bool started;
};

/* Set up o for the given columns.  defcols: comma list of the default set
 * (NULL: the TN_DEFAULT columns).  Returns 0, or TN_EXIT_USAGE after a message. */
int out_init(struct out *o, const struct out_opts *oo, const struct tn_col *cols,
	     const char *defcols, const char *list_name);
/* Print the column list (--list-columns) through the emitter itself. */
int out_list_columns(const struct out_opts *oo, const struct tn_col *cols, const char *defcols);
/* Whether column i is in the default set defcols (as out_init() takes it). */
bool out_col_default(const struct tn_col *cols, const char *defcols, int i);
bool out_want(const struct out *o, int col);
/* OR of the need fields of the selected columns. */
uint64_t out_need(const struct out *o);

void out_row_open(struct out *o);
void out_row_tree(struct out *o, uint64_t id, uint64_t parent);
void out_row_close(struct out *o);
/* NDJSON only (other formats: out_row_close): the row's line goes to sb, not
 * stdout, so that threads can build lines apart and write them in batches. */
void out_row_close_into(struct out *o, struct sbuf *sb);
/* Finish the document (tables are aligned and printed here).  Returns 0. */
int out_end(struct out *o);
void out_free(struct out *o);

void out_str(struct out *o, int col, const char *s);
void out_strn(struct out *o, int col, const char *s, size_t n);
void out_u64(struct out *o, int col, uint64_t v);
void out_s64(struct out *o, int col, int64_t v);
void out_bool(struct out *o, int col, bool v);
void out_flags(struct out *o, int col, uint64_t v);	/* T_FLAGS, T_ENUM, T_HEX, T_OCT, T_MODE */
void out_time(struct out *o, int col, int64_t sec, uint32_t nsec);
void out_dev(struct out *o, int col, uint32_t major, uint32_t minor);
/* A list of n NUL-terminated strings laid end to end (statmount arrays). */
void out_strnul(struct out *o, int col, const char *buf, size_t n);
/* Text for people and a JSON value (owned by the emitter afterwards). */
void out_custom(struct out *o, int col, const char *text, json_t *json);
/* This field cannot be had here (e.g. an older kernel): "-" for people,
 * absent in JSON. */
void out_na(struct out *o, int col);

/* Helpers also used outside the emitter (and tn_escape, escape.h). */
/* JSON string for bytes: valid UTF-8 as is, else U+FFFD for each bad byte. */
json_t *tn_json_bytes(const char *s, size_t n, bool *lossy);
void tn_base64(struct sbuf *dst, const unsigned char *s, size_t n);
/* ISO 8601 local time with nanoseconds. */
void tn_iso8601(char *buf, size_t len, int64_t sec, uint32_t nsec);
/* "-rw-r--r--" from a mode. */
void tn_mode_string(unsigned mode, char out[11]);

#endif
