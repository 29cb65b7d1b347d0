/* emit.c - the emitter's set-up, its rows and the document around them
 * (see emit.h).  JSON rows are written by the streaming writer (jsonw.c) as
 * their values come and go to stdout when the row closes; tables wait for
 * out_end(), which aligns them. */
#define _GNU_SOURCE
#include "state.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void st_put(const char *s, size_t n)
{
	if (n && fwrite(s, 1, n, stdout) != n)
		tn_stdout_check();
}

void st_puts(const char *s)
{
	st_put(s, strlen(s));
}

int out_init(struct out *o, const struct out_opts *oo, const struct tn_col *cols,
	     const char *defcols, const char *list_name)
{
	struct out_state *s = xcalloc(1, sizeof(*s));
	o->s = s;
	s->opt = *oo;
	s->cols = cols;
	while (cols[s->ncols].hdr)
		s->ncols++;
	int r = 0;
	if (s->ncols > OUT_MAXCOLS) {	/* a command's table, not the user */
		tn_warn("internal error: %d columns, at most %d", s->ncols, OUT_MAXCOLS);
		r = TN_EXIT_FAIL;
	}
	for (int i = 0; i < OUT_MAXCOLS; i++)
		s->pos[i] = -1;
	s->list_name = list_name;
	if (r || (r = st_select(s, defcols))) {
		free(s);
		o->s = NULL;
		return r;
	}
	for (int k = 0; k < s->nsel; k++) {
		const char *key = cols[s->sel[k]].key;
		size_t at = s->qkeys.len;
		if (key)
			jw_quote(&s->qkeys, key, strlen(key));
		s->qkey[s->sel[k]] = at;
		s->qkeylen[s->sel[k]] = s->qkeys.len - at;
	}
	s->qslot = xcalloc((size_t)s->ncols + 1, sizeof(*s->qslot));
	for (int k = 0; k < s->nsel; k++) {
		int c = s->sel[k];
		if (s->qkeylen[c] <= JW_KEYSLOT)
			memcpy(s->qslot[c], s->qkeys.p + s->qkey[c], s->qkeylen[c]);
	}
	if (s->opt.fmt == OUT_NDJSON) {
		s->jf = xcalloc((size_t)s->ncols + 1, sizeof(*s->jf));
		for (int k = 0; k < s->nsel; k++) {
			int c = s->sel[k];
			struct jfield *f = &s->jf[c];
			size_t n = s->qkeylen[c];
			if (!cols[c].key || n + 2 > JF_KEY)
				continue;	/* written by the general path */
			f->key[0] = ',';
			memcpy(f->key + 1, s->qkeys.p + s->qkey[c], n);
			f->key[n + 1] = ':';
			f->klen = (uint16_t)(n + 2);
		}
	}
	s->cat = xcalloc(s->nsel ? s->nsel : 1, sizeof(*s->cat));
	s->clen = xcalloc(s->nsel ? s->nsel : 1, sizeof(*s->clen));
	s->cellw = xcalloc(s->nsel ? s->nsel : 1, sizeof(*s->cellw));
	for (int k = 0; k < s->nsel; k++)
		s->cat[k] = SIZE_MAX;

	const char *cs = setlocale(LC_CTYPE, "") ? nl_langinfo(CODESET) : NULL;
	s->utf8 = cs && !strcasecmp(cs, "UTF-8");
	return 0;
}

void out_records(struct out *o, bool single)
{
	o->s->records = true;
	o->s->single = single;
}

void out_single(struct out *o)
{
	o->s->single = true;
}

void out_lines(struct out *o, bool nul)
{
	o->s->lines = true;
	o->s->nul = nul;
}

int out_time_style_parse(const char *s)
{
	static const char *const names[] = {
		[OUT_TIME_ISO8601] = "iso8601", [OUT_TIME_FULL_ISO] = "full-iso",
		[OUT_TIME_ISO] = "iso", [OUT_TIME_EPOCH] = "epoch" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	return -1;
}

void out_time_style(struct out *o, enum out_time_style style)
{
	o->s->tstyle = style;
}

void out_tree(struct out *o)
{
	o->s->tree = true;
}

void out_stream(struct out *o)
{
	o->s->stream = true;
}

bool out_is_json(const struct out *o)
{
	return o->s->opt.fmt == OUT_JSON || o->s->opt.fmt == OUT_NDJSON;
}

void out_row_open(struct out *o)
{
	struct out_state *s = o->s;
	s->in_row = true;
	s->row_id = s->row_parent = 0;
	if (!st_human(s)) {
		/* -J rows sit at depth 2 of {"list": [ ... ]}, or are the
		 * document when single */
		bool pretty = s->opt.fmt == OUT_JSON;
		s->jtext.len = 0;
		jw_init(&s->jw, &s->jtext, pretty, pretty && !s->single ? 2 : 0);
		if (pretty) {
			jw_obj_open(&s->jw);
		} else {
			jw_row_open(&s->jw);
			s->jrow = s->jf;
		}
		return;
	}
	s->ctext.len = 0;
	for (int k = 0; k < s->nsel; k++) {
		s->cat[k] = SIZE_MAX;
		s->clen[k] = s->cellw[k] = 0;
	}
}

void out_row_open_into(struct out *o, struct sbuf *sb)
{
	struct out_state *s = o->s;
	if (s->opt.fmt != OUT_NDJSON) {
		out_row_open(o);
		return;
	}
	/* the row is written where its line goes: no copy when it closes */
	s->in_row = true;
	s->row_id = s->row_parent = 0;
	jw_init(&s->jw, sb, false, 0);
	jw_row_open(&s->jw);
	s->jrow = s->jf;
}

void out_row_tree(struct out *o, uint64_t id, uint64_t parent)
{
	o->s->row_id = id;
	o->s->row_parent = parent;
}

static void start(struct out_state *s)
{
	if (s->started)
		return;
	s->started = true;
	if (s->opt.fmt == OUT_JSON && !s->single) {
		st_puts("{\n  \"");
		st_puts(s->list_name);
		st_puts("\": [");
	}
	if (s->opt.fmt == OUT_HUMAN && s->lines && !s->nul && !s->opt.noheadings) {
		struct sbuf b = { 0 };
		st_line_heading(s, &b);
		st_put(b.p, b.len);
		sb_free(&b);
	}
}

void out_start(struct out *o)
{
	start(o->s);
}

void out_row_close(struct out *o)
{
	struct out_state *s = o->s;
	start(s);
	switch (s->opt.fmt) {
	case OUT_JSON:
		jw_obj_close(&s->jw);
		if (!s->single) {
			st_puts(s->nemitted ? ",\n    " : "\n    ");
			st_put(s->jtext.p, s->jtext.len);
		} else if (!s->nemitted) {
			sb_addc(&s->jtext, '\n');
			st_put(s->jtext.p, s->jtext.len);
		}
		break;
	case OUT_NDJSON:
		jw_row_close(&s->jw);
		s->jrow = NULL;
		sb_addc(&s->jtext, '\n');
		st_put(s->jtext.p, s->jtext.len);
		break;
	case OUT_PAIRS:
		st_write_pairs(s);
		break;
	case OUT_HUMAN:
		if (s->lines) {
			s->jtext.len = 0;
			st_line(s, &s->jtext);
			st_put(s->jtext.p, s->jtext.len);
		} else if (s->records) {
			st_write_record(s);
		} else if (s->stream) {
			st_write_stream_row(s);
		} else {
			st_store_row(s);
		}
		break;
	}
	s->in_row = false;
	s->nemitted++;
	if (s->stream && fflush(stdout))
		tn_stdout_check();
	tn_stdout_check();
}

void out_row_close_into(struct out *o, struct sbuf *sb)
{
	struct out_state *s = o->s;
	if (s->opt.fmt == OUT_HUMAN && s->lines) {
		st_line(s, sb);
	} else if (s->opt.fmt != OUT_NDJSON) {
		out_row_close(o);
		return;
	} else {
		jw_row_close(&s->jw);	/* written onto sb: out_row_open_into */
		s->jrow = NULL;
		sb_addc(sb, '\n');
	}
	s->in_row = false;
	s->nemitted++;
}

int out_end(struct out *o)
{
	struct out_state *s = o->s;
	start(s);
	switch (s->opt.fmt) {
	case OUT_JSON:
		if (!s->single)
			st_puts(s->nemitted ? "\n  ]\n}\n" : "]\n}\n");
		else if (!s->nemitted)
			st_puts("{}\n");
		break;
	case OUT_HUMAN:
		if (!s->records && !s->lines && s->nrows)
			st_write_table(s);
		break;
	default:
		break;
	}
	tn_stdout_check();
	return 0;
}

int out_end_if_any(struct out *o)
{
	if (o->s->single && !o->s->nemitted)
		return 0;
	return out_end(o);
}

void out_free(struct out *o)
{
	struct out_state *s = o->s;
	if (!s)
		return;
	sb_free(&s->ctext);
	free(s->cat);
	free(s->clen);
	free(s->cellw);
	free(s->rows);
	free(s->coff);
	free(s->cw);
	sb_free(&s->arena);
	sb_free(&s->jtext);
	sb_free(&s->qkeys);
	free(s->qslot);
	free(s->jf);
	if (s->vrow)
		sb_free(&s->vrow->text);
	free(s->vrow);
	for (int i = 0; i < OUT_MAXCOLS; i++)
		sb_free(&s->ftext[i].text);
	free(s);
	o->s = NULL;
}
