/* state.h - the emitter's private state, shared by the files of src/emit/
 * and by nothing else: commands hold a struct out and call emit.h. */
#ifndef TNOS_EMIT_STATE_H
#define TNOS_EMIT_STATE_H

#include "emit.h"
#include "jsonw.h"

struct out_row {
	uint64_t id, parent;
};

/* --ndjson: a column's member as it is written, ',"key":' and its value.
 * A walk's rows repeat most of their values (owner, mode, flags, device),
 * so the last member written is kept with the value it shows, and written
 * again whole when the value comes again. */
#define JF_KEY 48			/* ',"key":', of klen bytes, in a slot */
#define JF_SHORT 64			/* a member this long is copied in one go */
#define JF_TEXT 192			/* a longer one, up to this */
#define VR_RAW 192			/* a string kept to compare, up to this */
struct jfield {
	uint64_t v, v2;			/* the value text shows */
	uint16_t klen;			/* 0: the column is not written this way */
	uint16_t len;			/* of text; 0: nothing kept */
	char key[JF_KEY];
	char text[JF_TEXT];
};

/* --ndjson, out_row_vals: the members the last call wrote, by selected
 * position, and the values they show, by column, so that a run of them
 * that show the same values is copied again in one go. */
struct vrow {
	struct sbuf text;		/* the members, as written */
	uint64_t have;			/* the columns they are of (1 << col) */
	uint64_t hp;			/* the same, as selected positions */
	uint64_t num, str;		/* the columns compared as (v, v2), as
					 * out_val has them, or as their bytes;
					 * the rest are written each time */
	uint32_t off[OUT_MAXCOLS];	/* position -> its member in text */
	uint32_t len[OUT_MAXCOLS];
	uint64_t v[OUT_MAXCOLS];	/* column -> the value its member shows
					 * (a string: its length, and its bytes
					 * in raw when v2 says they fit) */
	uint64_t v2[OUT_MAXCOLS];
	char raw[OUT_MAXCOLS][VR_RAW];
};
enum { VR_NUM = 1, VR_STR };

struct out_state {
	struct out_opts opt;
	const struct tn_col *cols;
	int ncols;
	int sel[OUT_MAXCOLS], nsel;	/* selected columns, in output order */
	int pos[OUT_MAXCOLS];		/* column -> selected position, -1 */
	uint64_t want;			/* the selected columns, 1 << col */
	const char *list_name;		/* "mounts" */
	struct sbuf qkeys;		/* the selected columns' keys, quoted */
	size_t qkey[OUT_MAXCOLS], qkeylen[OUT_MAXCOLS];	/* per column */
	char (*qslot)[JW_KEYSLOT];	/* per column: the quoted key in a slot
					 * (jw_key_slot), when it fits */
	bool records;			/* people get key: value blocks */
	bool single;			/* one object, not a named array */
	bool lines;			/* people: one unaligned line per row, streamed */
	bool nul;			/* lines: raw cells, each ended by a NUL */
	enum out_time_style tstyle;
	bool tree;			/* table drawn as a tree (TN_TREE column) */
	bool stream;			/* rows written and flushed as they close */
	bool utf8;
	/* the current row */
	bool in_row;
	struct sbuf jtext;		/* JSON: the row's text, as it is written */
	/* JSON: each flag column's last value and its text (a walk's rows
	 * mostly repeat their stx_mask, type and attributes) */
	struct flagtext { uint64_t v; bool ok; struct sbuf text; } ftext[OUT_MAXCOLS];
	struct jsonw jw;
	struct jfield *jf;		/* --ndjson: per column (jfield) */
	struct jfield *jrow;		/* jf while a row is open, else NULL */
	struct vrow *vrow;		/* --ndjson, out_row_vals */
	/* --ndjson: the last time's value text, '{"sec":S,"nsec":N}' (a
	 * file's atime and btime, its ctime and mtime, are often one instant) */
	struct { int64_t sec; uint32_t nsec; uint8_t len; char text[48]; } tlast;
	/* people: the row's cell texts, each ended by a NUL, one after the
	 * other; per selected position its offset in ctext (SIZE_MAX: no
	 * text), its length and its display width */
	struct sbuf ctext;
	size_t *cat, *clen, *cellw;
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

static inline bool st_human(const struct out_state *s)
{
	return s->opt.fmt == OUT_HUMAN || s->opt.fmt == OUT_PAIRS;
}

/* People: the text of selected position k in this row, or NULL. */
static inline const char *st_cell(const struct out_state *s, int k)
{
	return s->cat[k] == SIZE_MAX ? NULL : s->ctext.p + s->cat[k];
}

/* emit.c */
void st_put(const char *s, size_t n);
void st_puts(const char *s);
/* select.c: fill sel/pos from the options and the default set */
int st_select(struct out_state *s, const char *defcols);
/* text.c: one row as a key: value block, or as KEY="value" pairs */
void st_write_record(struct out_state *s);
void st_write_pairs(struct out_state *s);
/* text.c: one row as a line of cells (out_lines), and its heading */
void st_line(struct out_state *s, struct sbuf *sb);
void st_line_heading(struct out_state *s, struct sbuf *sb);
/* table.c: keep the row for the aligned table; print the table */
void st_store_row(struct out_state *s);
void st_write_table(struct out_state *s);
/* table.c: one row of a stream, at once, in fixed widths */
void st_write_stream_row(struct out_state *s);

#endif
