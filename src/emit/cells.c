/* cells.c - the value setters: each value becomes a cell of text for people
 * (escaped) or a key and value written into the JSON row. */
#define _GNU_SOURCE
#include "state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The selected column's JSON key has been written: go on with its value.
 * false: not selected, not JSON, or outside a row. */
static inline __attribute__((always_inline)) bool jkey(struct out_state *s, int col)
{
	if (s->pos[col] < 0 || st_human(s) || !s->in_row || !s->cols[col].key)
		return false;
	if (s->qkeylen[col] <= JW_KEYSLOT)
		jw_key_slot(&s->jw, s->qslot[col], s->qkeylen[col]);
	else
		jw_key_quoted(&s->jw, s->qkeys.p + s->qkey[col], s->qkeylen[col]);
	return true;
}

/* --ndjson: column col's member (struct jfield), when it is written that
 * way: in a row, selected, with a key that fits its slot. */
static inline struct jfield *jf_of(struct out_state *s, int col)
{
	struct jfield *f = s->jrow ? &s->jrow[col] : NULL;
	return f && f->klen ? f : NULL;
}

/* The kept member, when it shows (v, v2), written again; whether it was.
 * A row short of room is not grown here (the caller's full path does), so
 * this stays a leaf. */
static inline bool jf_again(struct out_state *s, struct jfield *f, uint64_t v, uint64_t v2)
{
	struct sbuf *b = s->jw.b;
	if (!f->len || f->v != v || f->v2 != v2 ||
	    __builtin_expect(b->len + JF_TEXT + 1 > b->cap, 0))
		return false;
	char *p = b->p + b->len;
	if (f->len <= JF_SHORT)
		memcpy(p, f->text, JF_SHORT);	/* a constant size: a few moves */
	else
		memcpy(p, f->text, JF_TEXT);
	b->len += f->len;
	return true;
}

/* The setters' leaf: column col's kept --ndjson member written again, when
 * it shows (v, v2); false sends the setter to its out-of-line rest. */
static inline bool jf_hit(struct out *o, int col, uint64_t v, uint64_t v2)
{
	struct jfield *f = jf_of(o->s, col);
	return f && jf_again(o->s, f, v, v2);
}

/* The member written from at, which shows (v, v2), is kept for the next.
 * A short one is copied JF_SHORT bytes at once: the row has room for them
 * (jw__room), and what follows the member there is never written out. */
static inline void jf_keep(struct out_state *s, struct jfield *f, size_t at, uint64_t v,
			   uint64_t v2)
{
	struct sbuf *b = s->jw.b;
	size_t n = b->len - at;
	f->len = 0;
	if (n > JF_TEXT)
		return;
	if (n <= JF_SHORT && at + JF_SHORT < b->cap)
		memcpy(f->text, b->p + at, JF_SHORT);
	else
		memcpy(f->text, b->p + at, n);
	f->len = (uint16_t)n;
	f->v = v;
	f->v2 = v2;
}

/* A number's member: ',"key":' from its slot, then the digits. */
static inline void jf_num_put(struct out_state *s, const struct jfield *f, bool neg, uint64_t v)
{
	struct sbuf *b = s->jw.b;
	char *p = jw__room(b, JF_KEY + 21);
	memcpy(p, f->key, JF_KEY);
	b->len = (size_t)(tn_put_num(p + f->klen, neg, v) - b->p);
}

/* The same, kept for the next. */
static inline void jf_num_new(struct out_state *s, struct jfield *f, bool neg, uint64_t v)
{
	size_t at = s->jw.b->len;
	jf_num_put(s, f, neg, v);
	jf_keep(s, f, at, v, neg);
}

static inline void jf_num(struct out_state *s, struct jfield *f, bool neg, uint64_t v)
{
	if (!jf_again(s, f, v, neg))
		jf_num_new(s, f, neg, v);
}

/* Whether people's text escapes spaces too: -r, and the lines of
 * out_lines (a line splits on spaces into its cells); never in pairs. */
static inline bool esc_spaces(const struct out_state *s)
{
	return (s->lines || s->opt.raw) && s->opt.fmt != OUT_PAIRS;
}

/* The text added to ctext since at is position k's cell, w columns wide. */
static void cell_set(struct out_state *s, int k, size_t at, size_t w)
{
	s->cat[k] = at;
	s->clen[k] = s->ctext.len - at;
	s->cellw[k] = w;
	sb_addc(&s->ctext, 0);
}

/* Store the text of a cell for people (escaping bytes unless pre-escaped). */
static void hset(struct out_state *s, int col, const char *t, size_t n, bool escape)
{
	int k = s->pos[col];
	size_t at = s->ctext.len, w = n;

	if (k < 0 || !st_human(s))
		return;
	if (!s->nul && (escape || (esc_spaces(s) && memchr(t, ' ', n))))
		/* our own text too, when it has a space (a time in full-iso) */
		w = tn_escape(&s->ctext, t, n, esc_spaces(s) ? TN_ESC_SPACE : 0);
	else
		sb_add(&s->ctext, t, n);	/* or raw, for xargs -0 */
	cell_set(s, k, at, w);
}

void out_strn(struct out *o, int col, const char *t, size_t n)
{
	struct out_state *s = o->s;
	if (s->pos[col] < 0)
		return;
	if (st_human(s))
		hset(s, col, t, n, true);
	else if (s->in_row && s->cols[col].key && (s->cols[col].flags & TN_B64))
		jw_b64_field(&s->jw, s->cols[col].key, t, n);
	else if (s->in_row && s->cols[col].key)
		jw_bytes_field_quoted(&s->jw, s->cols[col].key, s->qkeys.p + s->qkey[col],
				      s->qkeylen[col], t, n);
}

void out_str(struct out *o, int col, const char *t)
{
	if (t)
		out_strn(o, col, t, strlen(t));
}

void out_strn_quoted(struct out *o, int col, const char *t, size_t n)
{
	struct out_state *s = o->s;
	int k = s->pos[col];
	if (k < 0)
		return;
	if (!st_human(s) || s->nul) {
		out_strn(o, col, t, n);	/* the bytes themselves */
		return;
	}
	size_t at = s->ctext.len;
	sb_addc(&s->ctext, '"');
	size_t w = tn_escape(&s->ctext, t, n, TN_ESC_QUOTED | (esc_spaces(s) ? TN_ESC_SPACE : 0));
	sb_addc(&s->ctext, '"');
	cell_set(s, k, at, w + 2);
}

void out_perms(struct out *o, int col, unsigned mode)
{
	char perms[11];
	if (o->s->pos[col] < 0)
		return;
	tn_mode_string(mode, perms);
	out_strn(o, col, perms, 10);
}

/* People's text of a number, out of line: the JSON paths of the setters
 * then keep no buffer (nor its stack guard), which a walk's rows pay for
 * some 30 times a row. */
static __attribute__((noinline)) void hset_num(struct out_state *s, int col, bool neg, uint64_t v)
{
	char buf[24];
	hset(s, col, buf, (size_t)(tn_put_num(buf, neg, v) - buf), false);
}

/* The setters below are a leaf for the common --ndjson case, a kept member
 * written again (jf_again), and call their out-of-line rest otherwise: the
 * leaf then saves no registers, which a walk's rows pay for some 25 times. */
static __attribute__((noinline)) void u64_rest(struct out *o, int col, uint64_t v)
{
	struct out_state *s = o->s;
	struct jfield *f = jf_of(s, col);
	if (f) {
		jf_num_new(s, f, false, v);	/* out_u64 tried jf_again */
		return;
	}
	if (s->pos[col] < 0)
		return;
	if (!st_human(s)) {
		if (jkey(s, col))
			jw_u64(&s->jw, v);
		return;
	}
	if (s->cols[col].type != T_U64 && s->cols[col].type != T_S64) {
		out_flags(o, col, v);
		return;
	}
	hset_num(s, col, false, v);
}

void out_u64(struct out *o, int col, uint64_t v)
{
	if (!jf_hit(o, col, v, 0))
		u64_rest(o, col, v);
}

void out_s64(struct out *o, int col, int64_t v)
{
	struct out_state *s = o->s;
	struct jfield *f = jf_of(s, col);
	if (f) {
		jf_num(s, f, v < 0, v < 0 ? -(uint64_t)v : (uint64_t)v);
		return;
	}
	if (jkey(s, col)) {
		jw_s64(&s->jw, v);
		return;
	}
	hset_num(s, col, v < 0, v < 0 ? -(uint64_t)v : (uint64_t)v);
}

static __attribute__((noinline)) void bool_rest(struct out *o, int col, bool v)
{
	struct out_state *s = o->s;
	struct jfield *f = jf_of(s, col);
	size_t member = f ? s->jw.b->len : 0;
	if (jkey(s, col)) {
		jw_bool(&s->jw, v);
		if (f)
			jf_keep(s, f, member, v, 0);
	} else
		hset(s, col, v ? "yes" : "no", v ? 3 : 2, false);
}

void out_bool(struct out *o, int col, bool v)
{
	if (!jf_hit(o, col, v, 0))
		bool_rest(o, col, v);
}

static void jw_name(void *ctx, const char *name)
{
	jw_str(ctx, name, strlen(name));
}

/* JSON: names for T_FLAGS and a known T_ENUM, else the number. */
static void flags_json(struct out_state *s, int col, uint64_t v)
{
	const struct tn_col *c = &s->cols[col];
	struct flagtext *ft = &s->ftext[col];
	const char *name;
	if (!jkey(s, col))
		return;
	if (ft->ok && ft->v == v) {
		jw_raw(&s->jw, ft->text.p, ft->text.len);
		return;
	}
	struct sbuf *row = s->jw.b;
	size_t at = row->len;
	if (c->type == T_FLAGS) {
		jw_arr_open(&s->jw);
		names_each(c->names, v, jw_name, &s->jw);
		jw_arr_close(&s->jw);
	} else if (c->type == T_ENUM && (name = names_exact(c->names, v))) {
		jw_str(&s->jw, name, strlen(name));
	} else {
		jw_s64(&s->jw, (int64_t)v);
	}
	ft->text.len = 0;
	sb_add(&ft->text, row->p + at, row->len - at);
	ft->v = v;
	ft->ok = true;
}

static void hset_flags(struct out_state *s, int col, uint64_t v);

static __attribute__((noinline)) void flags_rest(struct out *o, int col, uint64_t v)
{
	struct out_state *s = o->s;
	struct jfield *f = jf_of(s, col);
	if (f) {
		size_t at = s->jw.b->len;
		flags_json(s, col, v);
		jf_keep(s, f, at, v, 0);
		return;
	}
	if (s->pos[col] < 0)
		return;
	if (!st_human(s))
		flags_json(s, col, v);
	else
		hset_flags(s, col, v);
}

void out_flags(struct out *o, int col, uint64_t v)
{
	if (!jf_hit(o, col, v, 0))
		flags_rest(o, col, v);
}

/* v in octal, at least four digits, as %04o (a mode: 0644) */
static int oct4(char *buf, uint64_t v)
{
	char t[24];
	int n = 0;
	do {
		t[n++] = (char)('0' + (v & 7));
		v >>= 3;
	} while (v);
	while (n < 4)
		t[n++] = '0';
	for (int i = 0; i < n; i++)
		buf[i] = t[n - 1 - i];
	return n;
}

static __attribute__((noinline)) void hset_flags(struct out_state *s, int col, uint64_t v)
{
	const struct tn_col *c = &s->cols[col];
	char buf[1024];
	const char *name;
	int n;

	switch (c->type) {
	case T_FLAGS:
		n = (int)names_format(c->names, v, buf, sizeof(buf));
		break;
	case T_ENUM:
		name = names_exact(c->names, v);
		n = name ? snprintf(buf, sizeof(buf), "%s", name)
			 : snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
		break;
	case T_OCT:
		n = oct4(buf, v);
		break;
	case T_MODE:
		n = oct4(buf, v & 07777);
		break;
	default:	/* T_HEX */
		n = snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
		break;
	}
	hset(s, col, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1, false);
}

static __attribute__((noinline)) void hset_time(struct out_state *s, int col, int64_t sec, uint32_t nsec)
{
	char buf[TN_TIME_TEXT];
	hset(s, col, buf, tn_time_text(buf, s->tstyle, sec, nsec), false);
}

/* A time's member: ',"key":{"sec":S,"nsec":N}' straight into the row. */
static inline void jf_time_put(struct out_state *s, const struct jfield *f, int64_t sec,
			       uint32_t nsec)
{
	struct sbuf *b = s->jw.b;
	char *p = jw__room(b, JF_KEY + 7 + 21 + 8 + 21 + 1);
	memcpy(p, f->key, JF_KEY);
	p += f->klen;
	if (s->tlast.len && s->tlast.sec == sec && s->tlast.nsec == nsec) {
		memcpy(p, s->tlast.text, sizeof(s->tlast.text));
		p += s->tlast.len;
	} else {
		char *v = p;
		memcpy(p, "{\"sec\":", 7);
		p = tn_put_num(p + 7, sec < 0, sec < 0 ? -(uint64_t)sec : (uint64_t)sec);
		memcpy(p, ",\"nsec\":", 8);
		p = tn_put_num(p + 8, false, nsec);
		*p++ = '}';
		memcpy(s->tlast.text, v, sizeof(s->tlast.text));	/* the room holds it */
		s->tlast.len = (uint8_t)(p - v);
		s->tlast.sec = sec;
		s->tlast.nsec = nsec;
	}
	b->len = (size_t)(p - b->p);
}

/* The same, kept for the next. */
static inline void jf_time_new(struct out_state *s, struct jfield *f, int64_t sec, uint32_t nsec)
{
	size_t at = s->jw.b->len;
	jf_time_put(s, f, sec, nsec);
	jf_keep(s, f, at, (uint64_t)sec, nsec);
}

static __attribute__((noinline)) void time_rest(struct out *o, int col, int64_t sec, uint32_t nsec)
{
	struct out_state *s = o->s;
	struct jfield *f = jf_of(s, col);
	if (f) {
		jf_time_new(s, f, sec, nsec);	/* out_time tried jf_again */
		return;
	}
	if (jkey(s, col)) {
		jw_obj_open(&s->jw);
		jw_key_quoted(&s->jw, "\"sec\"", 5);
		jw_s64(&s->jw, sec);
		jw_key_quoted(&s->jw, "\"nsec\"", 6);
		jw_u64(&s->jw, nsec);
		jw_obj_close(&s->jw);
		return;
	}
	if (s->pos[col] < 0 || !st_human(s))
		return;
	hset_time(s, col, sec, nsec);
}

void out_time(struct out *o, int col, int64_t sec, uint32_t nsec)
{
	if (!jf_hit(o, col, (uint64_t)sec, nsec))
		time_rest(o, col, sec, nsec);
}

/* buf: 128 bytes, more than a slot */
static inline void dev_key(struct jsonw *w, const char *buf, size_t n)
{
	if (n <= JW_KEYSLOT)
		jw_key_slot(w, buf, n);
	else
		jw_key_quoted(w, buf, n);
}

static __attribute__((noinline)) void dev_rest(struct out *o, int col, uint32_t major,
						 uint32_t minor)
{
	struct out_state *s = o->s;
	char buf[128];
	struct jfield *f = jf_of(s, col);
	uint64_t v = (uint64_t)major << 32 | minor;
	if (s->pos[col] < 0)
		return;
	if (!st_human(s)) {
		if (!s->in_row || !s->cols[col].key)
			return;
		size_t at = s->jw.b->len;
		/* "KEY_major", "KEY_minor": the quoted key with a suffix */
		const char *q = s->qkeys.p + s->qkey[col];
		size_t n = s->qkeylen[col] - 1;	/* without its closing quote */
		if (n + 8 > sizeof(buf))
			return;
		memcpy(buf, q, n);
		memcpy(buf + n, "_major\"", 7);
		dev_key(&s->jw, buf, n + 7);
		jw_u64(&s->jw, major);
		memcpy(buf + n, "_minor\"", 7);
		dev_key(&s->jw, buf, n + 7);
		jw_u64(&s->jw, minor);
		if (f)
			jf_keep(s, f, at, v, 0);
		return;
	}
	int n = snprintf(buf, sizeof(buf), "%u:%u", major, minor);
	hset(s, col, buf, n, false);
}

void out_dev(struct out *o, int col, uint32_t major, uint32_t minor)
{
	if (!jf_hit(o, col, (uint64_t)major << 32 | minor, 0))
		dev_rest(o, col, major, minor);
}

/* People: the strings escaped and joined with ','. */
static void strnul_text(struct out_state *s, int col, const char *buf, size_t n)
{
	int k = s->pos[col];
	size_t at = s->ctext.len, w = 0;
	const char *p = buf;
	unsigned how = esc_spaces(s) ? TN_ESC_SPACE : 0;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(p);
		if (i) {
			sb_addc(&s->ctext, ',');
			w++;
		}
		if (s->nul) {
			sb_add(&s->ctext, p, l);
			w += l;
		} else {
			w += tn_escape(&s->ctext, p, l, how);
		}
		p += l + 1;
	}
	cell_set(s, k, at, w);
}

/* JSON: an array of strings; when one is not UTF-8, the lossless twin
 * KEY_b64 holds every element in base64. */
void out_strnul(struct out *o, int col, const char *buf, size_t n)
{
	struct out_state *s = o->s;
	const char *p = buf;
	bool lossy = false;

	if (s->pos[col] < 0)
		return;
	if (st_human(s)) {
		strnul_text(s, col, buf, n);
		return;
	}
	if (!jkey(s, col))
		return;
	jw_arr_open(&s->jw);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(p);
		lossy |= jw_bytes(&s->jw, p, l);
		p += l + 1;
	}
	jw_arr_close(&s->jw);
	if (!lossy)
		return;
	char key[128];
	struct sbuf b = { 0 };
	snprintf(key, sizeof(key), "%s_b64", s->cols[col].key);
	jw_key(&s->jw, key);
	jw_arr_open(&s->jw);
	p = buf;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(p);
		b.len = 0;
		tn_base64(&b, (const unsigned char *)p, l);
		jw_str(&s->jw, b.p ? b.p : "", b.len);
		p += l + 1;
	}
	jw_arr_close(&s->jw);
	sb_free(&b);
}

void out_num_text(struct out *o, int col, const char *text, int64_t v)
{
	struct out_state *s = o->s;
	if (jkey(s, col))
		jw_s64(&s->jw, v);
	else
		hset(s, col, text, strlen(text), true);
}

void out_na(struct out *o, int col)
{
	hset(o->s, col, "-", 1, false);
}

/* One value of out_row_vals, by the column's type. */
static void out_val(struct out *o, int col, const struct out_val *x)
{
	switch (o->s->cols[col].type) {
	case T_STR:
		if (x->s)
			out_strn(o, col, x->s, x->v);
		break;
	case T_U64:
		out_u64(o, col, x->v);
		break;
	case T_S64:
		out_s64(o, col, (int64_t)x->v);
		break;
	case T_BOOL:
		out_bool(o, col, x->v != 0);
		break;
	case T_TIME:
		out_time(o, col, (int64_t)x->v, (uint32_t)x->v2);
		break;
	case T_DEV:
		out_dev(o, col, (uint32_t)(x->v >> 32), (uint32_t)x->v);
		break;
	case T_STRV:	/* not given this way */
		break;
	default:	/* T_FLAGS, T_ENUM, T_HEX, T_OCT, T_MODE */
		out_flags(o, col, x->v);
		break;
	}
}

/* --ndjson: column col's member, new.  The common kinds are written here
 * (with their key from the slot, and not kept in the jfield: the rows of
 * out_row_vals keep their members in struct vrow); the rest by their
 * setter. */
static inline uint32_t vals_write(struct out *o, int col, bool str, const struct out_val *x)
{
	struct out_state *s = o->s;
	struct jfield *f = &s->jrow[col];
	size_t at = s->jw.b->len;
	if (f->klen && s->cols[col].type == T_U64)
		jf_num_put(s, f, false, x->v);
	else if (f->klen && s->cols[col].type == T_TIME)
		jf_time_put(s, f, (int64_t)x->v, (uint32_t)x->v2);
	else if (str && x->s)
		jw_bytes_field_quoted(&s->jw, s->cols[col].key, s->qkeys.p + s->qkey[col],
				      s->qkeylen[col], x->s, x->v);
	else
		out_val(o, col, x);
	return (uint32_t)(s->jw.b->len - at);	/* the member's length */
}

/* How vals_ndjson tells whether column c shows the kept value: VR_NUM as
 * (v, v2), VR_STR as its bytes, 0 not at all (written each time, as is
 * every column whose key has no slot). */
static int vr_kind(const struct out_state *s, int c)
{
	if (!s->jf[c].klen)
		return 0;
	switch (s->cols[c].type) {
	case T_STR:
		return s->cols[c].flags & TN_B64 ? 0 : VR_STR;
	case T_S64:
	case T_STRV:
		return 0;
	default:
		return VR_NUM;
	}
}

/* The selected positions of a set of columns. */
static uint64_t vr_positions(const struct out_state *s, uint64_t cols)
{
	uint64_t p = 0;
	for (; cols; cols &= cols - 1)
		p |= 1ULL << s->pos[__builtin_ctzll(cols)];
	return p;
}

static struct vrow *vr_new(const struct out_state *s)
{
	struct vrow *r = xcalloc(1, sizeof(*r));
	for (int k = 0; k < s->nsel; k++) {
		int c = s->sel[k], kind = vr_kind(s, c);
		r->num |= (uint64_t)(kind == VR_NUM) << c;
		r->str |= (uint64_t)(kind == VR_STR) << c;
	}
	return r;
}

/* --ndjson rows given whole.  The members the last call wrote are kept
 * (struct vrow), and each member that shows the value it had there is
 * copied from them: all the members between two that changed in one go.
 * A walk's rows change in a few members (the name, the inode, the size,
 * the times) out of some thirty. */
static void vals_ndjson(struct out *o, const struct out_val *v, uint64_t have)
{
	struct out_state *s = o->s;
	struct vrow *r = s->vrow;
	struct sbuf *b = s->jw.b;
	if (!r)
		r = s->vrow = vr_new(s);
	/* the columns whose value is not the kept one */
	uint64_t dc = have & ~(r->num | r->str);	/* written each time */
	for (uint64_t m = have & r->num; m; m &= m - 1) {
		int c = __builtin_ctzll(m);
		dc |= (uint64_t)(((r->v[c] ^ v[c].v) | (r->v2[c] ^ v[c].v2)) != 0) << c;
	}
	for (uint64_t m = have & r->str; m; m &= m - 1) {
		int c = __builtin_ctzll(m);
		const struct out_val *x = &v[c];
		bool same = x->s && r->v2[c] && r->v[c] == x->v && !memcmp(r->raw[c], x->s, x->v);
		dc |= (uint64_t)!same << c;
	}
	bool kept = have == r->have;	/* the same members, there to copy */
	uint64_t hp = kept ? r->hp : vr_positions(s, have);
	uint64_t dp = kept ? vr_positions(s, dc) : hp;
	size_t start = b->len, from = 0;	/* from: in r->text, not yet copied */
	int moved = kept ? OUT_MAXCOLS : 0;	/* the first member whose length changed */
	for (uint64_t m = dp; m; m &= m - 1) {
		int k = __builtin_ctzll(m), c = s->sel[k];
		const struct out_val *x = &v[c];
		if (kept) {
			size_t n = r->off[k] - from;
			memcpy(jw__room(b, n), r->text.p + from, n);
			b->len += n;
			from = r->off[k] + r->len[k];
		}
		bool str = r->str >> c & 1;
		uint32_t len = vals_write(o, c, str, x);
		if (moved == OUT_MAXCOLS && len != r->len[k])
			moved = k;	/* the first (dp goes up) */
		r->len[k] = len;
		r->v[c] = x->v;
		r->v2[c] = x->v2;
		if (str) {
			/* the bytes, for the next call to compare (v2: kept) */
			r->v2[c] = x->s && x->v <= VR_RAW;
			if (r->v2[c])
				memcpy(r->raw[c], x->s, x->v);
		}
	}
	if (kept && from < r->text.len) {
		size_t n = r->text.len - from;
		memcpy(jw__room(b, n), r->text.p + from, n);
		b->len += n;
	}
	/* the members, laid end to end, for the next call: where no length
	 * changed, only the new members are put in their places */
	if (moved == OUT_MAXCOLS) {
		for (uint64_t m = dp; m; m &= m - 1) {
			int k = __builtin_ctzll(m);
			memcpy(r->text.p + r->off[k], b->p + start + r->off[k], r->len[k]);
		}
		return;
	}
	uint32_t at = moved ? r->off[moved] : 0;
	for (uint64_t m = hp & (~0ULL << moved); m; m &= m - 1) {
		int k = __builtin_ctzll(m);
		r->off[k] = at;
		at += r->len[k];
	}
	r->have = have;
	r->hp = hp;
	r->text.len = 0;
	sb_add(&r->text, b->p + start, b->len - start);
}

void out_row_vals(struct out *o, const struct out_val *v, uint64_t have)
{
	struct out_state *s = o->s;
	have &= s->want;
	if (s->jrow) {
		vals_ndjson(o, v, have);
		return;
	}
	for (int k = 0; k < s->nsel && have; k++) {
		int c = s->sel[k];
		if (!(have >> c & 1))
			continue;
		have &= ~(1ULL << c);
		out_val(o, c, &v[c]);
	}
}
