/* table.c - the aligned table for people: rows are kept until out_end(),
 * then drawn, as a tree when the command asks (out_tree) and -r is not
 * given. */
#define _GNU_SOURCE
#include "state.h"

#include <stdlib.h>
#include <string.h>

void st_store_row(struct out_state *s)
{
	if (s->nrows == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->rows = xrealloc(s->rows, s->cap * sizeof(*s->rows));
		s->coff = xrealloc(s->coff, s->cap * s->nsel * sizeof(*s->coff));
		s->cw = xrealloc(s->cw, s->cap * s->nsel * sizeof(*s->cw));
	}
	size_t r = s->nrows++;
	s->rows[r].id = s->row_id;
	s->rows[r].parent = s->row_parent;
	for (int k = 0; k < s->nsel; k++) {
		size_t i = r * s->nsel + k;
		if (s->cat[k] == SIZE_MAX) {
			s->coff[i] = SIZE_MAX;
			s->cw[i] = 0;
			continue;
		}
		s->coff[i] = s->arena.len;
		sb_add(&s->arena, st_cell(s, k), s->clen[k] + 1);
		s->cw[i] = s->cellw[k];
	}
}

/* Compute the display order and tree prefixes.  order[] gets row indices;
 * prefix text for row r is in pfx arena at poff[r], width pw[r]. */
static void tree_order(struct out_state *s, size_t *order, struct sbuf *pfx, size_t *poff, uint32_t *pw)
{
	size_t n = s->nrows;
	struct tn_idmap m = { 0 };
	for (size_t r = 0; r < n; r++)
		tn_idmap_put(&m, s->rows[r].id, r);

	/* children lists: first child / next sibling, in input order */
	size_t *first = xmalloc(n * sizeof(size_t)), *last = xmalloc(n * sizeof(size_t));
	size_t *next = xmalloc(n * sizeof(size_t));
	for (size_t r = 0; r < n; r++)
		first[r] = last[r] = next[r] = SIZE_MAX;
	size_t rfirst = SIZE_MAX, rlast = SIZE_MAX;
	for (size_t r = 0; r < n; r++) {
		size_t p = s->rows[r].parent == s->rows[r].id ? SIZE_MAX : tn_idmap_get(&m, s->rows[r].parent);
		size_t *f = p == SIZE_MAX ? &rfirst : &first[p], *l = p == SIZE_MAX ? &rlast : &last[p];
		if (*f == SIZE_MAX)
			*f = r;
		else
			next[*l] = r;
		*l = r;
	}
	/* iterative DFS; lastflag[depth] says whether that ancestor was the last child */
	const char *vbar = s->utf8 ? "\xe2\x94\x82 " : "| ";
	const char *tee = s->utf8 ? "\xe2\x94\x9c\xe2\x94\x80" : "|-";
	const char *elbow = s->utf8 ? "\xe2\x94\x94\xe2\x94\x80" : "`-";
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
	tn_idmap_free(&m);
}

void st_write_table(struct out_state *s)
{
	size_t n = s->nrows;
	int nsel = s->nsel;
	size_t *order = xmalloc((n ? n : 1) * sizeof(size_t));
	size_t *poff = NULL;
	uint32_t *pw = NULL;
	struct sbuf pfx = { 0 };
	int treecol = -1;
	size_t width[OUT_MAXCOLS];

	if (s->tree && !s->opt.raw) {
		for (int k = 0; k < nsel; k++)
			if (s->cols[s->sel[k]].flags & TN_TREE) {
				treecol = k;
				break;
			}
	}
	if (treecol >= 0) {
		poff = xmalloc((n ? n : 1) * sizeof(size_t));
		pw = xmalloc((n ? n : 1) * sizeof(uint32_t));
		tree_order(s, order, &pfx, poff, pw);
	} else {
		for (size_t r = 0; r < n; r++)
			order[r] = r;
	}
	for (int k = 0; k < nsel; k++)
		width[k] = s->opt.noheadings ? 0 : strlen(s->cols[s->sel[k]].hdr);
	for (size_t r = 0; r < n; r++)
		for (int k = 0; k < nsel; k++) {
			size_t w = s->cw[r * nsel + k] + (k == treecol ? pw[r] : 0);
			if (w > width[k])
				width[k] = w;
		}
	struct sbuf line = { 0 };
	char spaces[256];
	memset(spaces, ' ', sizeof(spaces));
#define PAD(nn) do { size_t _p = (nn); while (_p) { size_t _c = _p > sizeof(spaces) ? sizeof(spaces) : _p; sb_add(&line, spaces, _c); _p -= _c; } } while (0)
	for (size_t i = (s->opt.noheadings ? 1 : 0); i <= n; i++) {
		line.len = 0;
		size_t r = i ? order[i - 1] : 0;
		for (int k = 0; k < nsel; k++) {
			const struct tn_col *c = &s->cols[s->sel[k]];
			const char *txt;
			size_t w;
			bool last = k == nsel - 1;
			if (i == 0) {
				txt = c->hdr;
				w = strlen(txt);
			} else {
				size_t off = s->coff[r * nsel + k];
				txt = off == SIZE_MAX ? "" : s->arena.p + off;
				w = s->cw[r * nsel + k];
			}
			if (k)
				sb_addc(&line, ' ');
			if (s->opt.raw) {
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
		st_put(line.p, line.len);
	}
#undef PAD
	sb_free(&line);
	sb_free(&pfx);
	free(order);
	free(poff);
	free(pw);
}

/* A stream's column width: its heading, or what its values usually take. */
static size_t stream_width(const struct tn_col *c)
{
	size_t w = strlen(c->hdr), v;
	switch (c->type) {
	case T_U64: case T_S64: v = 10; break;	/* a unique mount id */
	case T_TIME: v = 35; break;		/* ISO 8601 with nanoseconds */
	case T_STR: v = c->flags & TN_TREE ? 24 : 8; break;
	default: v = 6; break;
	}
	return w > v ? w : v;
}

void st_write_stream_row(struct out_state *s)
{
	struct sbuf line = { 0 };
	for (int pass = s->nemitted || s->opt.noheadings ? 1 : 0; pass < 2; pass++) {
		line.len = 0;
		for (int k = 0; k < s->nsel; k++) {
			const struct tn_col *c = &s->cols[s->sel[k]];
			const char *txt = pass ? (st_cell(s, k) ? st_cell(s, k) : "") : c->hdr;
			size_t w = pass ? s->cellw[k] : strlen(c->hdr), width = stream_width(c);
			if (k)
				sb_addc(&line, ' ');
			if (s->opt.raw) {
				sb_adds(&line, txt);
				continue;
			}
			bool right = (c->flags & TN_RIGHT) && pass, last = k == s->nsel - 1;
			for (size_t p = w; right && p < width; p++)
				sb_addc(&line, ' ');
			sb_adds(&line, txt);
			for (size_t p = w; !right && !last && p < width; p++)
				sb_addc(&line, ' ');
		}
		while (line.len && line.p[line.len - 1] == ' ')
			line.len--;	/* an empty last cell leaves no blanks behind */
		sb_addc(&line, '\n');
		st_put(line.p, line.len);
	}
	sb_free(&line);
}
