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
 *
 * The files of src/emit/: emit.c (set-up, rows, the document), select.c
 * (columns, --list-columns), cells.c (the value setters), jsonw.c (the
 * streaming JSON writer), table.c (aligned tables and trees), text.c
 * (key: value records, shell pairs, the lines of out_lines, time and mode
 * text).
 */
#ifndef TNOS_EMIT_H
#define TNOS_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../names.h"
#include "../escape.h"
#include "../util.h"

enum tn_type {
	T_STR,		/* bytes; JSON string, lossless via KEY_b64 (see tnos(1)) */
	T_U64,		/* number */
	T_S64,
	T_HEX,		/* number; 0x... for people */
	T_OCT,		/* number; 0755 for people */
	T_MODE,		/* number; the permission bits in octal ("0644") for people */
	T_BOOL,		/* true/false */
	T_FLAGS,	/* bit set: names; JSON array of names */
	T_ENUM,		/* one value: its name; JSON string (number when unknown) */
	T_STRV,		/* list of byte strings; JSON array */
	T_TIME,		/* JSON {"sec":..,"nsec":..}; ISO 8601 for people */
	T_DEV,		/* major:minor; JSON KEY_major and KEY_minor */
};

#define TN_RIGHT   0x1	/* right-align in tables */
#define TN_TREE    0x2	/* carries the tree drawing in tree mode */
#define TN_DEFAULT 0x4	/* in the default column set */
#define TN_B64     0x8	/* T_STR holding data, not a name: in JSON, KEY_b64 always
			 * carries the bytes in base64 and KEY the text only when
			 * they are valid UTF-8 (lossless either way) */

struct tn_col {
	const char *hdr;	/* column name for -o and table headings */
	const char *key;	/* JSON key (the truenas_os field name) */
	enum tn_type type;
	unsigned flags;
	const char *help;
	const struct tn_name *names;	/* T_FLAGS / T_ENUM */
	uint64_t need;		/* command-defined (e.g. statmount mask bits) */
};

enum out_fmt { OUT_HUMAN, OUT_JSON, OUT_NDJSON, OUT_PAIRS };

/* Output options every command shares (filled by the option parser). */
struct out_opts {
	enum out_fmt fmt;
	bool raw, noheadings, list_columns;
	const char *columns;	/* -o */
};

#define OUT_MAXCOLS 64

/* An emitter: a handle whose state is private to src/emit/. */
struct out {
	struct out_state *s;
};

/* Set up o for the given columns (at most OUT_MAXCOLS).  defcols: comma list
 * of the default set, "*" for all (NULL: the TN_DEFAULT columns).  Returns 0,
 * or after a message TN_EXIT_USAGE (a bad -o) or TN_EXIT_FAIL (more columns
 * than OUT_MAXCOLS); out_free() is safe either way. */
int out_init(struct out *o, const struct out_opts *oo, const struct tn_col *cols,
	     const char *defcols, const char *list_name);
/* People get one key: value block per row, not a table; with single, JSON
 * gets one object (the first row) instead of a named array. */
void out_records(struct out *o, bool single);
/* JSON gets one object (the first row) instead of a named array; people
 * still get a table. */
void out_single(struct out *o);
/* People get one line per row, written when the row closes (no bound, no
 * alignment): the cells escaped as -r escapes them (spaces too, so that a
 * line splits on single spaces into its cells), "-" for a cell with no
 * value, and a heading line first unless -n.  With nul, each cell is its raw
 * bytes ended by a NUL (empty when it has no value) and there is no heading:
 * what xargs -0 -n NCOLS reads. */
void out_lines(struct out *o, bool nul);
/* Start the document now (the JSON opening, the heading of out_lines), so
 * that rows written elsewhere (out_row_close_into) come after it. */
void out_start(struct out *o);

/* How times are shown to people (JSON keeps {"sec", "nsec"}). */
enum out_time_style {
	OUT_TIME_ISO8601,	/* 2026-05-20T16:27:29.000000000+00:00 (the default) */
	OUT_TIME_FULL_ISO,	/* 2026-05-20 16:27:29.000000000 +0000 (ls, stat -c %y) */
	OUT_TIME_ISO,		/* 2026-05-20 16:27 (ls --time-style=long-iso) */
	OUT_TIME_EPOCH,		/* 1779294449.000000000 (stat -c %.9Y) */
};
/* The style words, space-separated, in enum order (for completion). */
#define OUT_TIME_STYLE_WORDS "iso8601 full-iso iso epoch"
/* The style named s, or -1. */
int out_time_style_parse(const char *s);
void out_time_style(struct out *o, enum out_time_style style);
/* Draw the table as a tree (rows given parents with out_row_tree). */
void out_tree(struct out *o);
/* The rows are a stream with no end known (a watch): people get each row
 * at once, one line in fixed widths (a table cannot wait for its end to be
 * aligned; a longer cell shifts the rest of its own line only), and every
 * format is flushed after each row. */
void out_stream(struct out *o);
/* Whether the output is JSON (-J or --ndjson). */
bool out_is_json(const struct out *o);
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
/* A row whose line goes to sb, not stdout, so that threads can build lines
 * apart and write them in batches (NDJSON and out_lines; other formats are
 * as out_row_open and out_row_close).  An NDJSON row is written straight
 * onto the end of sb as its fields come, so the two take the same sb. */
void out_row_open_into(struct out *o, struct sbuf *sb);
void out_row_close_into(struct out *o, struct sbuf *sb);
/* Finish the document (tables are aligned and printed here).  Returns 0. */
int out_end(struct out *o);
/* The same, except that a single record that never came prints nothing
 * (not "{}"): the command has said why on stderr. */
int out_end_if_any(struct out *o);
void out_free(struct out *o);

void out_str(struct out *o, int col, const char *s);
void out_strn(struct out *o, int col, const char *s, size_t n);
/* A value that people see in double quotes, as getfattr -e text shows it
 * and setfattr -v reads it back: inside the quotes, " and \ after a
 * backslash, and as \ooo each byte a terminal would act on or that is not
 * valid UTF-8 (with -r and in out_lines, a space too).  The emitter does
 * this escaping itself, once: a command hands it the bytes, never text it
 * escaped.  JSON gets the bytes exactly as out_strn gives them, and so
 * does a NUL-ended cell of out_lines. */
void out_strn_quoted(struct out *o, int col, const char *s, size_t n);
void out_u64(struct out *o, int col, uint64_t v);
void out_s64(struct out *o, int col, int64_t v);
void out_bool(struct out *o, int col, bool v);
void out_flags(struct out *o, int col, uint64_t v);	/* T_FLAGS, T_ENUM, T_HEX, T_OCT, T_MODE */
void out_time(struct out *o, int col, int64_t sec, uint32_t nsec);
/* A mode as ls -l shows it ("-rw-r--r--"; a string in JSON too). */
void out_perms(struct out *o, int col, unsigned mode);
void out_dev(struct out *o, int col, uint32_t major, uint32_t minor);
/* A list of n NUL-terminated strings laid end to end (statmount arrays). */
void out_strnul(struct out *o, int col, const char *buf, size_t n);
/* A column's value given whole, for out_row_vals: a number, bit set, enum
 * or bool (0 or 1) in v; a time in v (seconds, as int64_t) and v2
 * (nanoseconds); a device in v (major << 32 | minor); a string in s, of
 * v bytes.  Not T_STRV. */
struct out_val {
	uint64_t v, v2;
	const char *s;
};
/* The values of a record's selected columns at once: v[col] for each col
 * whose bit is set in have (the rest have no value).  The same as the
 * setters above, column by column in output order, for every format; the
 * columns not in have are left for the caller to set.  In --ndjson the
 * members of the last call are kept, and those that show the same values
 * again are copied from there, a run of them at once: a walk's rows
 * differ in a few members out of some thirty. */
void out_row_vals(struct out *o, const struct out_val *v, uint64_t have);
/* The selected columns as bits (1 << col). */
uint64_t out_want_mask(const struct out *o);
/* Text for people (escaped here), a number in JSON. */
void out_num_text(struct out *o, int col, const char *text, int64_t v);
/* This field cannot be had here (e.g. an older kernel): "-" for people,
 * absent in JSON. */
void out_na(struct out *o, int col);

/* Helpers also used outside the emitter (and tn_escape, escape.h). */
/* A time in one of the styles (local time, but for epoch), NUL-ended at
 * buf (TN_TIME_TEXT bytes); returns its length. */
#define TN_TIME_TEXT 80
size_t tn_time_text(char *buf, enum out_time_style style, int64_t sec, uint32_t nsec);
/* "-rw-r--r--" from a mode, NUL-terminated (out_perms). */
void tn_mode_string(unsigned mode, char out[11]);
/* n bytes in base64 (standard alphabet, padded), appended to dst. */
void tn_base64(struct sbuf *dst, const unsigned char *s, size_t n);

#endif
