/* emit.c - tables, key/value records, JSON, NDJSON and shell pairs from one
 * description of the records (see emit.h). */
#define _GNU_SOURCE
#include "emit.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct out_row {
	uint64_t id, parent;
};

/* ------------------------------------------------------------ bytes */

json_t *tn_json_bytes(const char *s, size_t n, bool *lossy)
{
	if (tn_utf8_valid(s, n)) {
		*lossy = false;
		return json_stringn(s, n);
	}
	struct sbuf b = { 0 };
	const unsigned char *p = (const unsigned char *)s;
	unsigned cp;
	for (size_t i = 0; i < n;) {
		size_t l = p[i] < 0x80 ? 1 : tn_utf8_seq(p + i, n - i, &cp);
		if (!l) {
			sb_add(&b, "\xef\xbf\xbd", 3);
			i++;
		} else {
			sb_add(&b, s + i, l);
			i += l;
		}
	}
	json_t *j = json_stringn(b.p, b.len);
	sb_free(&b);
	*lossy = true;
	return j;
}

void tn_base64(struct sbuf *dst, const unsigned char *s, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	for (i = 0; i + 2 < n; i += 3) {
		char q[4] = { tab[s[i] >> 2], tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)],
			      tab[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)], tab[s[i + 2] & 63] };
		sb_add(dst, q, 4);
	}
	if (n - i == 1) {
		char q[4] = { tab[s[i] >> 2], tab[(s[i] & 3) << 4], '=', '=' };
		sb_add(dst, q, 4);
	} else if (n - i == 2) {
		char q[4] = { tab[s[i] >> 2], tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)],
			      tab[(s[i + 1] & 15) << 2], '=' };
		sb_add(dst, q, 4);
	}
}

void tn_iso8601(char *buf, size_t len, int64_t sec, uint32_t nsec)
{
	struct tm tm;
	time_t t = (time_t)sec;
	char z[8];

	if (!localtime_r(&t, &tm)) {
		snprintf(buf, len, "%lld.%09u", (long long)sec, nsec);
		return;
	}
	size_t k = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(z, sizeof(z), "%z", &tm);	/* +hhmm -> +hh:mm */
	snprintf(buf + k, len - k, ".%09u%.3s:%.2s", nsec, z, z + 3);
}

void tn_mode_string(unsigned mode, char out[11])
{
	static const char types[] = "?pc?d?b?-?l?s???";
	out[0] = types[(mode >> 12) & 15];
	const char *rwx = "rwxrwxrwx";
	for (int i = 0; i < 9; i++)
		out[1 + i] = (mode & (0400 >> i)) ? rwx[i] : '-';
	if (mode & S_ISUID)
		out[3] = (mode & S_IXUSR) ? 's' : 'S';
	if (mode & S_ISGID)
		out[6] = (mode & S_IXGRP) ? 's' : 'S';
	if (mode & S_ISVTX)
		out[9] = (mode & S_IXOTH) ? 't' : 'T';
	out[10] = 0;
}

/* ------------------------------------------------------------ setup */

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

static int add_cols(struct out *o, const char *list)
{
	const char *p = list;
	/* "", "a,,b", "a,": an empty name selects nothing (findmnt refuses
	 * them too) */
	const char *shown = o->opt.columns ? o->opt.columns : list;
	if (!*p)
		return tn_usage_err("--output '%s': no column named (see --list-columns)", shown);
	if (*p == ',' || strstr(p, ",,") || p[strlen(p) - 1] == ',')
		return tn_usage_err("--output '%s': an empty column name (see --list-columns)", shown);
	while (*p) {
		size_t n = strcspn(p, ",");
		int c = col_find(o->cols, o->ncols, p, n);
		if (c < 0)
			return tn_usage_err("unknown column '%.*s' (see --list-columns)", (int)n, p);
		if (o->pos[c] < 0) {
			if (o->nsel >= OUT_MAXCOLS)
				return tn_usage_err("too many columns");
			o->pos[c] = o->nsel;
			o->sel[o->nsel++] = c;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

int out_init(struct out *o, const struct out_opts *oo, const struct tn_col *cols,
	     const char *defcols, const char *list_name)
{
	memset(o, 0, sizeof(*o));
	o->opt = *oo;
	o->cols = cols;
	while (cols[o->ncols].hdr)
		o->ncols++;
	for (int i = 0; i < OUT_MAXCOLS; i++)
		o->pos[i] = -1;
	o->list_name = list_name;

	const char *spec = oo->columns;
	int r;
	if (!spec || *spec == '+') {
		if (defcols && !strcmp(defcols, "*")) {
			for (int i = 0; i < o->ncols; i++) {
				o->pos[i] = o->nsel;
				o->sel[o->nsel++] = i;
			}
		} else if (defcols) {
			if ((r = add_cols(o, defcols)))
				return r;
		} else {
			for (int i = 0; i < o->ncols; i++)
				if (cols[i].flags & TN_DEFAULT) {
					o->pos[i] = o->nsel;
					o->sel[o->nsel++] = i;
				}
		}
		if (spec && (r = add_cols(o, spec + 1)))
			return r;
	} else if ((r = add_cols(o, spec))) {
		return r;
	}
	o->cell = xcalloc(o->nsel, sizeof(*o->cell));
	o->cellw = xcalloc(o->nsel, sizeof(*o->cellw));

	const char *cs = setlocale(LC_CTYPE, "") ? nl_langinfo(CODESET) : NULL;
	o->utf8 = cs && !strcasecmp(cs, "UTF-8");
	return 0;
}

bool out_want(const struct out *o, int col)
{
	return o->pos[col] >= 0;
}

uint64_t out_need(const struct out *o)
{
	uint64_t n = 0;
	for (int k = 0; k < o->nsel; k++)
		n |= o->cols[o->sel[k]].need;
	return n;
}

/* ------------------------------------------------------------ JSON */

static const size_t json_flags_pretty = JSON_INDENT(2);

static void put(const char *s, size_t n)
{
	if (n && fwrite(s, 1, n, stdout) != n)
		tn_stdout_check();
}

static void puts_(const char *s)
{
	put(s, strlen(s));
}

/* Write a JSON value, re-indented by 'indent' spaces after each newline. */
static void json_write(json_t *v, bool pretty, int indent)
{
	char *s = json_dumps(v, pretty ? json_flags_pretty : JSON_COMPACT);
	if (!s)
		return;
	if (!indent) {
		puts_(s);
	} else {
		const char *p = s;
		while (*p) {
			const char *nl = strchr(p, '\n');
			if (!nl) {
				puts_(p);
				break;
			}
			put(p, nl - p + 1);
			for (int i = 0; i < indent; i++)
				put(" ", 1);
			p = nl + 1;
		}
	}
	free(s);
}

/* --ndjson rows skip jansson's objects: each value is appended as text to
 * o->jtext (a row of a million-entry walk costs a few appends, not ~40
 * allocations and a dump).  -J keeps jansson for its layout. */
static bool direct(const struct out *o)
{
	return o->opt.fmt == OUT_NDJSON;
}

/* A JSON string of bytes that are valid UTF-8 (callers check). */
static void jtext_str(struct sbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	sb_grow(b, n + 2);
	b->p[b->len++] = '"';
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		sb_add(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': sb_add(b, "\\\"", 2); break;
		case '\\': sb_add(b, "\\\\", 2); break;
		case '\n': sb_add(b, "\\n", 2); break;
		case '\t': sb_add(b, "\\t", 2); break;
		case '\r': sb_add(b, "\\r", 2); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			sb_add(b, u, 6);
		}
		}
	}
	sb_add(b, s + run, n - run);
	sb_addc(b, '"');
}

struct jtext_arr { struct sbuf *b; bool first; };

static void jtext_arr_add(void *ctx, const char *s)
{
	struct jtext_arr *a = ctx;
	if (!a->first)
		sb_addc(a->b, ',');
	a->first = false;
	jtext_str(a->b, s, strlen(s));
}

static void jtext_key(struct out *o, const char *key)
{
	if (!o->jfirst)
		sb_addc(&o->jtext, ',');
	o->jfirst = false;
	jtext_str(&o->jtext, key, strlen(key));
	sb_addc(&o->jtext, ':');
}

static int sb_dump_cb(const char *buf, size_t n, void *data)
{
	sb_add(data, buf, n);
	return 0;
}

/* Set key to v (consumed) in the current row, whichever way it is built. */
static void jset_key(struct out *o, const char *key, json_t *v)
{
	if (direct(o) && o->in_row) {
		jtext_key(o, key);
		json_dump_callback(v, sb_dump_cb, &o->jtext, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(v);
	} else if (o->jrow) {
		json_object_set_new(o->jrow, key, v);
	} else {
		json_decref(v);
	}
}

static void jset(struct out *o, int col, json_t *v)
{
	jset_key(o, o->cols[col].key, v);
}

static void jset_int(struct out *o, int col, long long v, bool is_unsigned)
{
	if (!direct(o)) {
		jset(o, col, json_integer((json_int_t)v));
		return;
	}
	char buf[24];
	int n = is_unsigned ? snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v)
			    : snprintf(buf, sizeof(buf), "%lld", v);
	jtext_key(o, o->cols[col].key);
	sb_add(&o->jtext, buf, (size_t)n);
}

/* ------------------------------------------------------------ rows */

static bool human(const struct out *o)
{
	return o->opt.fmt == OUT_HUMAN || o->opt.fmt == OUT_PAIRS;
}

void out_row_open(struct out *o)
{
	o->in_row = true;
	o->row_id = o->row_parent = 0;
	if (direct(o)) {
		o->jtext.len = 0;
		sb_addc(&o->jtext, '{');
		o->jfirst = true;
	} else if (!human(o)) {
		o->jrow = json_object();
	}
	for (int k = 0; k < o->nsel; k++) {
		free(o->cell[k]);
		o->cell[k] = NULL;
		o->cellw[k] = 0;
	}
}

void out_row_tree(struct out *o, uint64_t id, uint64_t parent)
{
	o->row_id = id;
	o->row_parent = parent;
}

/* Store the human text of a cell (escaping bytes unless pre-escaped). */
static void hset(struct out *o, int col, const char *s, size_t n, bool escape)
{
	int k = o->pos[col];
	struct sbuf b = { 0 };

	if (k < 0 || !human(o))
		return;
	if (escape) {
		o->cellw[k] = tn_escape(&b, s, n, o->opt.raw && o->opt.fmt != OUT_PAIRS);
	} else {
		sb_add(&b, s, n);
		o->cellw[k] = n;
	}
	if (!b.p)
		sb_add(&b, "", 0);
	free(o->cell[k]);
	o->cell[k] = b.p;
}

void out_strn(struct out *o, int col, const char *s, size_t n)
{
	if (o->pos[col] < 0)
		return;
	if (human(o)) {
		hset(o, col, s, n, true);
		return;
	}
	if (direct(o) && tn_utf8_valid(s, n)) {
		jtext_key(o, o->cols[col].key);
		jtext_str(&o->jtext, s, n);
		return;
	}
	bool lossy;
	jset(o, col, tn_json_bytes(s, n, &lossy));
	if (lossy) {
		struct sbuf b = { 0 }, k = { 0 };
		tn_base64(&b, (const unsigned char *)s, n);
		sb_printf(&k, "%s_b64", o->cols[col].key);
		jset_key(o, k.p, json_stringn(b.p ? b.p : "", b.len));
		sb_free(&b);
		sb_free(&k);
	}
}

void out_str(struct out *o, int col, const char *s)
{
	if (s)
		out_strn(o, col, s, strlen(s));
}

void out_u64(struct out *o, int col, uint64_t v)
{
	char buf[32];
	if (o->pos[col] < 0)
		return;
	if (!human(o)) {
		jset_int(o, col, (long long)v, true);
		return;
	}
	if (o->cols[col].type != T_U64 && o->cols[col].type != T_S64) {
		out_flags(o, col, v);
		return;
	}
	int n = snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	hset(o, col, buf, n, false);
}

void out_s64(struct out *o, int col, int64_t v)
{
	char buf[32];
	if (o->pos[col] < 0)
		return;
	if (!human(o)) {
		jset_int(o, col, (long long)v, false);
		return;
	}
	int n = snprintf(buf, sizeof(buf), "%lld", (long long)v);
	hset(o, col, buf, n, false);
}

void out_bool(struct out *o, int col, bool v)
{
	if (o->pos[col] < 0)
		return;
	if (direct(o)) {
		jtext_key(o, o->cols[col].key);
		sb_adds(&o->jtext, v ? "true" : "false");
	} else if (!human(o))
		jset(o, col, json_boolean(v));
	else
		hset(o, col, v ? "yes" : "no", v ? 3 : 2, false);
}

void out_flags(struct out *o, int col, uint64_t v)
{
	const struct tn_col *c = &o->cols[col];
	char buf[1024];
	int n = 0;

	if (o->pos[col] < 0)
		return;
	switch (c->type) {
	case T_FLAGS:
		if (direct(o)) {
			struct jtext_arr a = { &o->jtext, true };
			jtext_key(o, c->key);
			sb_addc(&o->jtext, '[');
			names_each(c->names, v, jtext_arr_add, &a);
			sb_addc(&o->jtext, ']');
			return;
		}
		if (!human(o)) {
			jset(o, col, names_json(c->names, v));
			return;
		}
		n = names_format(c->names, v, buf, sizeof(buf));
		break;
	case T_ENUM: {
		const char *name = names_exact(c->names, v);
		if (direct(o) && name) {
			jtext_key(o, c->key);
			jtext_str(&o->jtext, name, strlen(name));
			return;
		}
		if (!human(o)) {
			jset(o, col, name ? json_string(name) : json_integer((json_int_t)v));
			return;
		}
		n = name ? snprintf(buf, sizeof(buf), "%s", name)
			 : snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
		break;
	}
	case T_OCT:
		if (!human(o))
			break;
		n = snprintf(buf, sizeof(buf), "%04llo", (unsigned long long)v);
		break;
	case T_MODE: {
		char ms[11];
		if (!human(o))
			break;
		tn_mode_string((unsigned)v, ms);
		n = snprintf(buf, sizeof(buf), "%04llo (%s)", (unsigned long long)(v & 07777), ms);
		break;
	}
	case T_HEX:
	default:
		if (!human(o))
			break;
		n = snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
		break;
	}
	if (!human(o)) {
		jset_int(o, col, (long long)v, false);
		return;
	}
	hset(o, col, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1, false);
}

void out_time(struct out *o, int col, int64_t sec, uint32_t nsec)
{
	char buf[64];
	if (o->pos[col] < 0)
		return;
	if (direct(o)) {
		jtext_key(o, o->cols[col].key);
		int n = snprintf(buf, sizeof(buf), "{\"sec\":%lld,\"nsec\":%u}", (long long)sec, nsec);
		sb_add(&o->jtext, buf, (size_t)n);
		return;
	}
	if (!human(o)) {
		json_t *t = json_object();
		json_object_set_new(t, "sec", json_integer(sec));
		json_object_set_new(t, "nsec", json_integer(nsec));
		jset(o, col, t);
		return;
	}
	tn_iso8601(buf, sizeof(buf), sec, nsec);
	hset(o, col, buf, strlen(buf), false);
}

void out_dev(struct out *o, int col, uint32_t major, uint32_t minor)
{
	char buf[32];
	if (o->pos[col] < 0)
		return;
	if (!human(o)) {
		snprintf(buf, sizeof(buf), "%s_major", o->cols[col].key);
		jset_key(o, buf, json_integer(major));
		snprintf(buf, sizeof(buf), "%s_minor", o->cols[col].key);
		jset_key(o, buf, json_integer(minor));
		return;
	}
	int n = snprintf(buf, sizeof(buf), "%u:%u", major, minor);
	hset(o, col, buf, n, false);
}

void out_strnul(struct out *o, int col, const char *buf, size_t n)
{
	if (o->pos[col] < 0)
		return;
	if (human(o)) {
		struct sbuf b = { 0 };
		int k = o->pos[col];
		size_t w = 0;
		const char *p = buf;
		bool raw = o->opt.raw && o->opt.fmt != OUT_PAIRS;
		for (size_t i = 0; i < n; i++) {
			size_t l = strlen(p);
			if (i) {
				sb_addc(&b, ',');
				w++;
			}
			w += tn_escape(&b, p, l, raw);
			p += l + 1;
		}
		if (!b.p)
			sb_add(&b, "", 0);
		free(o->cell[k]);
		o->cell[k] = b.p;
		o->cellw[k] = w;
		return;
	}
	json_t *a = json_array(), *a64 = NULL;
	const char *p = buf;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(p);
		bool lossy;
		json_array_append_new(a, tn_json_bytes(p, l, &lossy));
		if (lossy && !a64) {
			/* lossless twin: every element in base64 */
			a64 = json_array();
			const char *q = buf;
			for (size_t j = 0; j < n; j++) {
				struct sbuf b = { 0 };
				size_t ql = strlen(q);
				tn_base64(&b, (const unsigned char *)q, ql);
				json_array_append_new(a64, json_stringn(b.p ? b.p : "", b.len));
				sb_free(&b);
				q += ql + 1;
			}
		}
		p += l + 1;
	}
	jset(o, col, a);
	if (a64) {
		char key[128];
		snprintf(key, sizeof(key), "%s_b64", o->cols[col].key);
		jset_key(o, key, a64);
	}
}

void out_custom(struct out *o, int col, const char *text, json_t *json)
{
	if (o->pos[col] < 0) {
		json_decref(json);
		return;
	}
	if (human(o)) {
		json_decref(json);
		hset(o, col, text, strlen(text), true);
	} else {
		jset(o, col, json);
	}
}

void out_na(struct out *o, int col)
{
	if (o->pos[col] >= 0 && human(o))
		hset(o, col, "-", 1, false);
}

/* ------------------------------------------------------------ writers */

static void pairs_key(const char *hdr)
{
	char buf[64];
	size_t i;
	for (i = 0; i < sizeof(buf) - 1 && hdr[i]; i++) {
		char c = hdr[i];
		buf[i] = ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ? c : '_';
	}
	put(buf, i);
}

/* Pairs values are already escaped (no control or non-UTF-8 bytes); inside
 * double quotes the shell still expands $ ` \ and ", so escape those. */
static void pairs_value(const char *s)
{
	put("\"", 1);
	for (; *s; s++) {
		if (*s == '"' || *s == '$' || *s == '`' || *s == '\\')
			put("\\", 1);
		put(s, 1);
	}
	put("\"", 1);
}

static void write_pairs_row(struct out *o)
{
	bool first = true;
	for (int k = 0; k < o->nsel; k++) {
		if (!first)
			put(" ", 1);
		first = false;
		pairs_key(o->cols[o->sel[k]].hdr);
		put("=", 1);
		pairs_value(o->cell[k] ? o->cell[k] : "");
	}
	put("\n", 1);
}

static void write_record(struct out *o)
{
	size_t lw = 0;
	for (int k = 0; k < o->nsel; k++)
		if (o->cell[k] && strlen(o->cols[o->sel[k]].hdr) > lw)
			lw = strlen(o->cols[o->sel[k]].hdr);
	if (o->nemitted)
		put("\n", 1);
	for (int k = 0; k < o->nsel; k++) {
		if (!o->cell[k])
			continue;	/* absent: the kernel did not return it */
		const char *h = o->cols[o->sel[k]].hdr;
		if (o->opt.noheadings) {
			puts_(o->cell[k]);
			put("\n", 1);
			continue;
		}
		puts_(h);
		put(":", 1);
		if (*o->cell[k]) {	/* an empty value leaves no trailing blanks */
			for (size_t i = strlen(h); i <= lw; i++)
				put(" ", 1);
			puts_(o->cell[k]);
		}
		put("\n", 1);
	}
}

static void store_row(struct out *o)
{
	if (o->nrows == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 256;
		o->rows = xrealloc(o->rows, o->cap * sizeof(*o->rows));
		o->coff = xrealloc(o->coff, o->cap * o->nsel * sizeof(*o->coff));
		o->cw = xrealloc(o->cw, o->cap * o->nsel * sizeof(*o->cw));
	}
	size_t r = o->nrows++;
	o->rows[r].id = o->row_id;
	o->rows[r].parent = o->row_parent;
	for (int k = 0; k < o->nsel; k++) {
		size_t i = r * o->nsel + k;
		if (!o->cell[k]) {
			o->coff[i] = SIZE_MAX;
			o->cw[i] = 0;
			continue;
		}
		o->coff[i] = o->arena.len;
		sb_add(&o->arena, o->cell[k], strlen(o->cell[k]) + 1);
		o->cw[i] = o->cellw[k];
	}
}

static void start(struct out *o)
{
	if (o->started)
		return;
	o->started = true;
	if (o->opt.fmt == OUT_JSON && !o->single) {
		puts_("{\n  \"");
		puts_(o->list_name);
		puts_("\": [");
	}
}

void out_row_close(struct out *o)
{
	start(o);
	switch (o->opt.fmt) {
	case OUT_JSON:
		if (!o->single) {
			puts_(o->nemitted ? ",\n    " : "\n    ");
			json_write(o->jrow, true, 4);
		} else if (!o->nemitted) {
			json_write(o->jrow, true, 0);
			put("\n", 1);
		}
		break;
	case OUT_NDJSON:
		sb_add(&o->jtext, "}\n", 2);
		put(o->jtext.p, o->jtext.len);
		break;
	case OUT_PAIRS:
		write_pairs_row(o);
		break;
	case OUT_HUMAN:
	case OUT_NUL:
		if (o->records)
			write_record(o);
		else
			store_row(o);
		break;
	}
	if (o->jrow) {
		json_decref(o->jrow);
		o->jrow = NULL;
	}
	o->in_row = false;
	o->nemitted++;
	tn_stdout_check();
}

void out_row_close_into(struct out *o, struct sbuf *sb)
{
	if (o->opt.fmt != OUT_NDJSON) {
		out_row_close(o);
		return;
	}
	sb_add(&o->jtext, "}\n", 2);
	sb_add(sb, o->jtext.p, o->jtext.len);
	o->in_row = false;
	o->nemitted++;
}

/* ---- table with optional tree */

/* Compute the display order and tree prefixes.  order[] gets row indices;
 * prefix text for row r is in pfx arena at poff[r], width pw[r]. */
static void tree_order(struct out *o, size_t *order, struct sbuf *pfx, size_t *poff, uint32_t *pw)
{
	size_t n = o->nrows;
	struct tn_idmap m = { 0 };
	for (size_t r = 0; r < n; r++)
		tn_idmap_put(&m, o->rows[r].id, r);

	/* children lists: first child / next sibling, in input order */
	size_t *first = xmalloc(n * sizeof(size_t)), *last = xmalloc(n * sizeof(size_t));
	size_t *next = xmalloc(n * sizeof(size_t));
	size_t *par = xmalloc(n * sizeof(size_t));
	for (size_t r = 0; r < n; r++)
		first[r] = last[r] = next[r] = SIZE_MAX;
	size_t rfirst = SIZE_MAX, rlast = SIZE_MAX;
	for (size_t r = 0; r < n; r++) {
		size_t p = o->rows[r].parent == o->rows[r].id ? SIZE_MAX : tn_idmap_get(&m, o->rows[r].parent);
		par[r] = p;
		size_t *f = p == SIZE_MAX ? &rfirst : &first[p], *l = p == SIZE_MAX ? &rlast : &last[p];
		if (*f == SIZE_MAX)
			*f = r;
		else
			next[*l] = r;
		*l = r;
	}
	/* iterative DFS; lastflag[depth] says whether that ancestor was the last child */
	const char *vbar = o->utf8 ? "\xe2\x94\x82 " : "| ";
	const char *tee = o->utf8 ? "\xe2\x94\x9c\xe2\x94\x80" : "|-";
	const char *elbow = o->utf8 ? "\xe2\x94\x94\xe2\x94\x80" : "`-";
	size_t *stack = xmalloc((n + 1) * sizeof(size_t));
	unsigned char *islast = xmalloc(n + 1);
	size_t sp = 0, cnt = 0;
	size_t cur = rfirst;
	size_t depth = 0;
	/* Visit: cur at depth; after visiting push; go to first child or next sibling. */
	while (cur != SIZE_MAX) {
		order[cnt++] = cur;
		islast[depth] = next[cur] == SIZE_MAX;
		poff[cur] = pfx->len;
		uint32_t w = 0;
		for (size_t d = 1; d < depth; d++) {
			sb_adds(pfx, islast[d] ? "  " : vbar);
			w += 2;
		}
		if (depth > 0) {
			sb_adds(pfx, islast[depth] ? elbow : tee);
			w += 2;
		}
		sb_addc(pfx, 0);
		pw[cur] = w;
		if (first[cur] != SIZE_MAX) {
			stack[sp++] = cur;
			depth++;
			cur = first[cur];
			continue;
		}
		while (cur != SIZE_MAX && next[cur] == SIZE_MAX) {
			if (!sp) {
				cur = SIZE_MAX;
				break;
			}
			cur = stack[--sp];
			depth--;
		}
		if (cur != SIZE_MAX)
			cur = next[cur];
	}
	/* rows in a parent cycle (cannot happen with real mounts) still print */
	if (cnt < n) {
		unsigned char *seen = xcalloc(n, 1);
		for (size_t i = 0; i < cnt; i++)
			seen[order[i]] = 1;
		for (size_t r = 0; r < n; r++)
			if (!seen[r]) {
				order[cnt++] = r;
				poff[r] = pfx->len;
				sb_addc(pfx, 0);
				pw[r] = 0;
			}
		free(seen);
	}
	free(stack);
	free(islast);
	free(first);
	free(last);
	free(next);
	free(par);
	tn_idmap_free(&m);
}

static void write_table(struct out *o)
{
	size_t n = o->nrows;
	int nsel = o->nsel;
	size_t *order = xmalloc((n ? n : 1) * sizeof(size_t));
	size_t *poff = NULL;
	uint32_t *pw = NULL;
	struct sbuf pfx = { 0 };
	int treecol = -1;
	size_t width[OUT_MAXCOLS];

	if (o->tree && !o->opt.raw) {
		for (int k = 0; k < nsel; k++)
			if (o->cols[o->sel[k]].flags & TN_TREE) {
				treecol = k;
				break;
			}
	}
	if (treecol >= 0) {
		poff = xmalloc((n ? n : 1) * sizeof(size_t));
		pw = xmalloc((n ? n : 1) * sizeof(uint32_t));
		tree_order(o, order, &pfx, poff, pw);
	} else {
		for (size_t r = 0; r < n; r++)
			order[r] = r;
	}
	for (int k = 0; k < nsel; k++)
		width[k] = o->opt.noheadings ? 0 : strlen(o->cols[o->sel[k]].hdr);
	for (size_t r = 0; r < n; r++)
		for (int k = 0; k < nsel; k++) {
			size_t w = o->cw[r * nsel + k] + (k == treecol ? pw[r] : 0);
			if (w > width[k])
				width[k] = w;
		}
	struct sbuf line = { 0 };
	char spaces[256];
	memset(spaces, ' ', sizeof(spaces));
#define PAD(nn) do { size_t _p = (nn); while (_p) { size_t _c = _p > sizeof(spaces) ? sizeof(spaces) : _p; sb_add(&line, spaces, _c); _p -= _c; } } while (0)
	for (size_t i = (o->opt.noheadings ? 1 : 0); i <= n; i++) {
		line.len = 0;
		size_t r = i ? order[i - 1] : 0;
		for (int k = 0; k < nsel; k++) {
			const struct tn_col *c = &o->cols[o->sel[k]];
			const char *txt;
			size_t w;
			bool last = k == nsel - 1;
			if (i == 0) {
				txt = c->hdr;
				w = strlen(txt);
			} else {
				size_t off = o->coff[r * nsel + k];
				txt = off == SIZE_MAX ? "" : o->arena.p + off;
				w = o->cw[r * nsel + k];
			}
			if (k)
				sb_addc(&line, ' ');
			if (o->opt.raw) {
				sb_adds(&line, txt);
				continue;
			}
			if (i && k == treecol) {
				sb_adds(&line, pfx.p + poff[r]);
				w += pw[r];
			}
			if ((c->flags & TN_RIGHT) && i) {
				PAD(width[k] - w);
				sb_adds(&line, txt);
			} else {
				sb_adds(&line, txt);
				if (!last)
					PAD(width[k] - w);
			}
		}
		sb_addc(&line, '\n');
		put(line.p, line.len);
	}
#undef PAD
	sb_free(&line);
	sb_free(&pfx);
	free(order);
	free(poff);
	free(pw);
}

int out_end(struct out *o)
{
	start(o);
	switch (o->opt.fmt) {
	case OUT_JSON:
		if (!o->single)
			puts_(o->nemitted ? "\n  ]\n}\n" : "]\n}\n");
		else if (!o->nemitted)
			puts_("{}\n");
		break;
	case OUT_HUMAN:
	case OUT_NUL:
		if (!o->records && (o->nrows || !o->opt.noheadings))
			if (o->nrows)
				write_table(o);
		break;
	default:
		break;
	}
	tn_stdout_check();
	return 0;
}

void out_free(struct out *o)
{
	for (int k = 0; o->cell && k < o->nsel; k++)
		free(o->cell[k]);
	free(o->cell);
	free(o->cellw);
	free(o->rows);
	free(o->coff);
	free(o->cw);
	sb_free(&o->arena);
	sb_free(&o->jtext);
	json_decref(o->jrow);
	o->cell = NULL;
	o->rows = NULL;
	o->coff = NULL;
	o->cw = NULL;
}

static const char *type_name(enum tn_type t)
{
	static const char *const n[] = {
		[T_STR] = "string", [T_U64] = "number", [T_S64] = "number", [T_HEX] = "number",
		[T_OCT] = "number", [T_MODE] = "number", [T_BOOL] = "boolean", [T_FLAGS] = "array",
		[T_ENUM] = "string", [T_STRV] = "array", [T_TIME] = "object", [T_DEV] = "numbers",
		[T_JSON] = "any" };
	return n[t];
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
