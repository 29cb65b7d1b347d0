/* select.c - which columns a command prints (-o, the default set) and
 * --list-columns. */
#define _GNU_SOURCE
#include "state.h"

#include <string.h>
#include <strings.h>

static int col_find(const struct tn_col *cols, int ncols, const char *name, size_t len)
{
	for (int i = 0; i < ncols; i++)
		if (strlen(cols[i].hdr) == len && !strncasecmp(cols[i].hdr, name, len))
			return i;
	/* the JSON key works too */
	for (int i = 0; i < ncols; i++)
		if (cols[i].key && strlen(cols[i].key) == len && !strncmp(cols[i].key, name, len))
			return i;
	return -1;
}

/* An unknown column, with the header (or JSON key) it is most likely a
 * typo of. */
static int unknown_column(const struct out_state *s, const char *name, size_t len)
{
	struct tn_near near;
	tn_near_init(&near, name, len);
	for (int i = 0; i < s->ncols; i++)
		tn_near_add(&near, s->cols[i].hdr);
	for (int i = 0; i < s->ncols; i++)
		if (s->cols[i].key)
			tn_near_add(&near, s->cols[i].key);
	if (tn_near_best(&near))
		return tn_usage_err("unknown column '%.*s'; did you mean '%s'?", (int)len, name,
				    tn_near_best(&near));
	return tn_usage_err("unknown column '%.*s' (see --list-columns)", (int)len, name);
}

static void add_col(struct out_state *s, int c)
{
	if (s->pos[c] >= 0)
		return;
	s->pos[c] = s->nsel;
	s->sel[s->nsel++] = c;
	s->want |= 1ULL << c;
}

static int add_cols(struct out_state *s, const char *list)
{
	const char *p = list;
	/* "", "a,,b", "a,": an empty name selects nothing (findmnt refuses
	 * them too) */
	const char *shown = s->opt.columns ? s->opt.columns : list;
	if (!*p)
		return tn_usage_err("--output '%s': no column named (see --list-columns)", shown);
	if (*p == ',' || strstr(p, ",,") || p[strlen(p) - 1] == ',')
		return tn_usage_err("--output '%s': an empty column name (see --list-columns)", shown);
	while (*p) {
		size_t n = strcspn(p, ",");
		int c = col_find(s->cols, s->ncols, p, n);
		if (c < 0)
			return unknown_column(s, p, n);
		add_col(s, c);
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

int st_select(struct out_state *s, const char *defcols)
{
	const char *spec = s->opt.columns;
	int r;
	if (spec && *spec != '+')
		return add_cols(s, spec);
	if (defcols && !strcmp(defcols, "*")) {
		for (int i = 0; i < s->ncols; i++)
			add_col(s, i);
	} else if (defcols) {
		if ((r = add_cols(s, defcols)))
			return r;
	} else {
		for (int i = 0; i < s->ncols; i++)
			if (s->cols[i].flags & TN_DEFAULT)
				add_col(s, i);
	}
	return spec ? add_cols(s, spec + 1) : 0;
}

bool out_want(const struct out *o, int col)
{
	return o->s->pos[col] >= 0;
}

uint64_t out_want_mask(const struct out *o)
{
	return o->s->want;
}

uint64_t out_need(const struct out *o)
{
	const struct out_state *s = o->s;
	uint64_t n = 0;
	for (int k = 0; k < s->nsel; k++)
		n |= s->cols[s->sel[k]].need;
	return n;
}

bool out_col_default(const struct tn_col *cols, const char *defcols, int i)
{
	if (!defcols)
		return cols[i].flags & TN_DEFAULT;
	if (!strcmp(defcols, "*"))
		return true;
	size_t hl = strlen(cols[i].hdr);
	for (const char *p = defcols; *p;) {
		size_t n = strcspn(p, ",");
		if (n == hl && !strncasecmp(p, cols[i].hdr, n))
			return true;
		p += n;
		if (*p == ',')
			p++;
	}
	return false;
}

static const char *type_name(enum tn_type t)
{
	static const char *const n[] = {
		[T_STR] = "string", [T_U64] = "number", [T_S64] = "number", [T_HEX] = "number",
		[T_OCT] = "number", [T_MODE] = "number", [T_BOOL] = "boolean", [T_FLAGS] = "array",
		[T_ENUM] = "string", [T_STRV] = "array", [T_TIME] = "object", [T_DEV] = "numbers" };
	return n[t];
}

int out_list_columns(const struct out_opts *oo, const struct tn_col *cols, const char *defcols)
{
	static const struct tn_col lc[] = {
		{ "NAME", "name", T_STR, TN_DEFAULT, "column name", NULL, 0 },
		{ "KEY", "key", T_STR, TN_DEFAULT, "JSON key", NULL, 0 },
		{ "TYPE", "type", T_STR, TN_DEFAULT, "JSON type", NULL, 0 },
		{ "DEFAULT", "default", T_BOOL, TN_DEFAULT, "in the default set", NULL, 0 },
		{ "DESCRIPTION", "description", T_STR, TN_DEFAULT, "what it shows", NULL, 0 },
		{ NULL, NULL, 0, 0, NULL, NULL, 0 } };
	struct out o;
	struct out_opts lo = *oo;
	lo.columns = NULL;
	int r = out_init(&o, &lo, lc, NULL, "columns");
	if (r)
		return r;
	for (const struct tn_col *c = cols; c->hdr; c++) {
		out_row_open(&o);
		bool def = out_col_default(cols, defcols, (int)(c - cols));
		out_str(&o, 0, c->hdr);
		out_str(&o, 1, c->key);
		out_str(&o, 2, type_name(c->type));
		out_bool(&o, 3, def);
		out_str(&o, 4, c->help);
		out_row_close(&o);
	}
	out_end(&o);
	out_free(&o);
	return 0;
}
