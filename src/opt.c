/* opt.c - the table-driven option parser and --help (completion: complete.c). */
#define _GNU_SOURCE
#include "opt.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_JSON = 0x1000, O_NDJSON, O_PAIRS, O_RAW, O_NOHEAD, O_OUTPUT, O_LISTCOLS, O_HELP };

const struct tn_opt tn_output_opts[] = {
	{ 'J', "json", NULL, "one JSON document", 0, NULL, 0, NULL },
	{ O_NDJSON, "ndjson", NULL, "one JSON object per line, streamed", 0, NULL, 0, NULL },
	{ 'P', "pairs", NULL, "KEY=\"value\" lines for eval", 0, NULL, 0, NULL },
	{ 'r', "raw", NULL, "unaligned, spaces escaped", 0, NULL, 0, NULL },
	{ 'n', "noheadings", NULL, "no table headings", 0, NULL, 0, NULL },
	{ 'o', "output", "COLS", "columns to show (+COL adds to the default)", TC_COLUMNS, NULL, 0, NULL },
	{ O_LISTCOLS, "list-columns", NULL, "list the columns and their JSON keys", 0, NULL, 0, NULL },
	{ 'h', "help", NULL, "show this help", 0, NULL, 0, NULL },
	{ 0, NULL, NULL, NULL, 0, NULL, 0, NULL }
};

const struct tn_opt *opt_find_long(const struct tn_opt *t, const char *name, size_t n)
{
	for (; t && t->lng; t++)
		if (strlen(t->lng) == n && !strncmp(t->lng, name, n))
			return t;
	return NULL;
}

const struct tn_opt *opt_find_short(const struct tn_opt *t, int c)
{
	for (; t && t->lng; t++)
		if (t->key == c && c < 256)
			return t;
	return NULL;
}

static bool has_cols(const struct tn_cmd *cmd)
{
	return cmd->cols != NULL;
}

bool opt_out_applies(const struct tn_cmd *cmd, const struct tn_opt *o)
{
	if (o->key == 'h')
		return true;
	return has_cols(cmd);
}

/* The long options of a command in --help's order: its own, then the
 * shared output options that apply to it and that it does not spell as
 * one of its own.  Start with it->o = NULL. */
struct opt_iter {
	const struct tn_cmd *cmd;
	const struct tn_opt *o;
	bool out;		/* o is a shared output option */
};

static const struct tn_opt *opt_next(struct opt_iter *it)
{
	const struct tn_opt *o = it->o ? it->o + 1 : it->cmd->opts;
	if (!it->out && o->lng)
		return it->o = o;
	if (!it->out) {
		it->out = true;
		o = tn_output_opts;
	}
	while (o->lng && (!opt_out_applies(it->cmd, o) ||
			  opt_find_long(it->cmd->opts, o->lng, strlen(o->lng))))
		o++;
	return it->o = o->lng ? o : NULL;
}

/* Is name[0..n) where the option o's long name starts? */
static bool opt_starts(const struct tn_opt *o, const char *name, size_t n)
{
	return !(o->flags & OPT_HIDDEN) && strlen(o->lng) > n && !strncmp(o->lng, name, n);
}

/* Two rows that are one option (a synonym): an abbreviation matching both
 * is not ambiguous (getopt_long's rule too). */
static bool same_opt(const struct tn_opt *a, bool aout, const struct tn_opt *b, bool bout)
{
	return a->key == b->key && !a->arg == !b->arg && aout == bout;
}

const struct tn_opt *opt_long(const struct tn_cmd *cmd, const char *name, size_t n,
			      bool *outopt, bool *ambiguous)
{
	bool out = false, ambig = false;
	const struct tn_opt *o = NULL, *exact = NULL;
	if (n) {
		struct opt_iter it = { cmd, NULL, false };
		for (const struct tn_opt *t; (t = opt_next(&it));) {
			if (strlen(t->lng) == n && !strncmp(t->lng, name, n)) {
				exact = t;
				out = it.out;
				break;
			}
			if (!opt_starts(t, name, n))
				continue;
			if (!o) {
				o = t;
				out = it.out;
			} else if (!same_opt(o, out, t, it.out)) {
				ambig = true;
			}
		}
	}
	if (exact)
		o = exact, ambig = false;
	else if (ambig)
		o = NULL, out = false;
	if (outopt)
		*outopt = out;
	if (ambiguous)
		*ambiguous = ambig;
	return o;
}

/* The option that takes --NAME's NAME as a value (one of its names, as
 * names_find matches them, or of its words), as mount(8)'s -o does
 * (setattr --rw: --set rw), or NULL. */
static const struct tn_opt *value_option(const struct tn_cmd *cmd, const char *name, size_t n)
{
	struct opt_iter it = { cmd, NULL, false };
	for (const struct tn_opt *t; (t = opt_next(&it));) {
		if (!t->arg || (t->flags & (OPT_HIDDEN | OPT_FLAG)))
			continue;
		if (t->compl == TC_NAMES && t->names && names_find(t->names, name, n))
			return t;
		for (const char *w = t->compl == TC_WORDS ? t->words : NULL; w && *w;) {
			size_t l = strcspn(w, " ");
			if (l == n && !memcmp(w, name, n))
				return t;
			w += l + (w[l] == ' ');
		}
	}
	return NULL;
}

/* A long option the command does not have: "unknown option", or the
 * options it is the start of, as getopt_long names them. */
static int long_unknown(const struct tn_cmd *cmd, const char *name, size_t n, bool ambiguous)
{
	struct opt_iter it = { cmd, NULL, false };
	struct sbuf b = { 0 };
	if (ambiguous) {
		sb_printf(&b, "option '--%.*s' is ambiguous; possibilities:", (int)n, name);
		for (const struct tn_opt *t; (t = opt_next(&it));)
			if (opt_starts(t, name, n))
				sb_printf(&b, " '--%s'", t->lng);
	} else {
		struct tn_near near;
		const struct tn_opt *v = value_option(cmd, name, n);
		tn_near_init(&near, name, n);
		for (const struct tn_opt *t; (t = opt_next(&it));)
			if (!(t->flags & OPT_HIDDEN))
				tn_near_add(&near, t->lng);
		sb_printf(&b, "unknown option '--%.*s'", (int)n, name);
		if (v)
			sb_printf(&b, "; did you mean '--%s %.*s'?", v->lng, (int)n, name);
		else if (tn_near_best(&near))
			sb_printf(&b, "; did you mean '--%s'?", tn_near_best(&near));
	}
	int r = tn_usage_err("%s", b.p);
	sb_free(&b);
	return r;
}

/* Filesystem options that are a list of the command's columns were meant
 * for --output (OPT_FSOPTS). */
static int fsopts_not_columns(const struct tn_cmd *cmd, const struct tn_opt *o, const char *val)
{
	const char *p = val + (*val == '+');
	if (!cmd->cols || !*p)
		return TN_OPT_GO;
	while (*p) {
		size_t n = strcspn(p, ",");
		bool upper = false;
		for (size_t i = 0; i < n; i++) {
			if (p[i] >= 'a' && p[i] <= 'z')
				return TN_OPT_GO;
			upper |= p[i] >= 'A' && p[i] <= 'Z';
		}
		const struct tn_col *c = cmd->cols;
		while (c->hdr && (strlen(c->hdr) != n || strncmp(c->hdr, p, n)))
			c++;
		if (!upper || !c->hdr)
			return TN_OPT_GO;
		p += n;
		if (*p == ',')
			p++;
	}
	char name[64];
	if (o->key < 256)
		snprintf(name, sizeof(name), "-%c", o->key);
	else
		snprintf(name, sizeof(name), "--%s", o->lng);
	return tn_usage_err("%s '%s': %s is the filesystem's options here, as in mount(8); "
			    "to choose columns, use --output '%s'", name, val, name, val);
}

static int out_option(const struct tn_cmd *cmd, struct tn_args *a, int key, const char *arg)
{
	switch (key) {
	case 'J': a->out.fmt = OUT_JSON; break;
	case O_NDJSON: a->out.fmt = OUT_NDJSON; break;
	case 'P': a->out.fmt = OUT_PAIRS; break;
	case 'r': a->out.raw = true; break;
	case 'n': a->out.noheadings = true; break;
	case 'o': a->out.columns = arg; break;
	case O_LISTCOLS: a->out.list_columns = true; break;
	case 'h': opt_help(cmd, stdout); return tn_stdout_close(0);
	}
	return TN_OPT_GO;
}

int opt_names(const char *optname, const struct tn_name *t, const char *list, uint64_t *out)
{
	char err[1024];
	if (!strcmp(list, "all")) {
		*out = names_all(t);
		return 0;
	}
	if (names_parse(t, list, out, err, sizeof(err)))
		return tn_usage_err("--%s: %s", optname, err);
	return 0;
}

int opt_flags_refused(int err, const char *syscall, const char *opt, const struct tn_name *t,
		      uint64_t given)
{
	uint64_t unknown = given & ~names_all(t);
	if (err != EINVAL || !unknown)
		return 0;
	tn_warn("%s 0x%llx: %s: the kernel does not know these flag bits (EINVAL), nor does this build",
		opt, (unsigned long long)unknown, syscall);
	return TN_EXIT_NOSYS;
}

int opt_flag_cb(const struct tn_cmd *cmd, int key, const char *arg, uint64_t *flags)
{
	const struct tn_opt *o = cmd->opts;
	while (o->lng && (o->key != key || !(o->flags & OPT_FLAG)))
		o++;
	if (!o->lng)
		return TN_OPT_NOT_MINE;
	if (o->arg) {
		uint64_t v;
		if (opt_names(o->lng, o->names, arg, &v))
			return TN_EXIT_USAGE;
		*flags |= v;
		return TN_OPT_GO;
	}
	const struct tn_name *n = o->names;
	while (n->name && strcmp(n->name, o->lng))
		n++;
	if (!n->name) {
		tn_warn("internal error: option --%s: no such name in its flag set", o->lng);
		return TN_EXIT_FAIL;
	}
	*flags |= n->val;
	return TN_OPT_GO;
}

/* A callback's answer: TN_OPT_GO, or the exit code it gave.  Anything else
 * (0, which would end the command with success before it did anything, or
 * another negative value) is a bug in the callback: fail, never go on. */
static int cb_done(const struct tn_opt *o, int r)
{
	if (r == TN_OPT_GO || r > 0)
		return r;
	tn_warn("internal error: option --%s: its callback returned %d", o->lng, r);
	return TN_EXIT_FAIL;
}

/* The command's option o, or else the shared output option out if it
 * applies to cmd (*outopt set); NULL for neither. */
static const struct tn_opt *cmd_opt(const struct tn_cmd *cmd, const struct tn_opt *o,
				    const struct tn_opt *out, bool *outopt)
{
	if (o)
		return o;
	if (out && opt_out_applies(cmd, out)) {
		*outopt = true;
		return out;
	}
	return NULL;
}

/* An OPT_REST option at argv[*i]: its words are the ones up to a lone ";",
 * handed to cb; *i is left on the ";". */
static int rest_option(const struct tn_opt *o, const char *val, int argc, char **argv, int *i,
		       tn_opt_cb cb, void *ctx)
{
	if (val)	/* --exec=CMD: the command is words of its own */
		return tn_usage_err("option '--%s' takes no '=': give --%s %s", o->lng, o->lng, o->arg);
	int start = *i + 1, end = start;
	while (end < argc && strcmp(argv[end], ";"))
		end++;
	if (end == start)
		return tn_usage_err("option '--%s' needs a command", o->lng);
	/* the command is exactly the words up to the ";": with none, the
	 * operands would become its arguments */
	if (end == argc) {
		bool plus = false;	/* find's "-exec ... {} +" */
		for (int k = start; k < end; k++)
			plus |= !strcmp(argv[k], "+");
		return tn_usage_err("end the --%s command with a lone ';' (quoted, so the "
				    "shell passes it on%s): the command is every word before it", o->lng,
				    plus ? "; find's '+' is not taken" : "");
	}
	/* find -exec's {} is not replaced: the file is the command's stdin.
	 * Passed on as it is, "rm {}" would act on a file named {} */
	for (int k = start; k < end; k++)
		if (!strcmp(argv[k], "{}"))
			return tn_usage_err("--%s: '{}' would be passed as it is, not replaced by a path: "
					    "the command gets the file as its standard input (/dev/stdin); "
					    "see --%s in --help", o->lng, o->lng);
	int r = cb_done(o, cb(ctx, o->key, NULL, argv + start, end - start));
	if (r == TN_OPT_GO)
		*i = end;	/* skip the ";" too */
	return r;
}

/* After the options: --list-columns, and a bad -o refused. */
static int out_options_done(const struct tn_cmd *cmd, struct tn_args *a, bool alt)
{
	const struct tn_col *cols = alt ? cmd->alt_cols : cmd->cols;
	const char *defcols = alt ? cmd->alt_defcols : cmd->defcols;
	if (a->out.list_columns) {
		if (!cols)
			return tn_usage_err("this command has no columns");
		int r = out_list_columns(&a->out, cols, defcols);
		return tn_stdout_close(r);
	}
	if (cols && a->out.columns) {
		/* a bad -o is a usage error before the command does anything
		 * (setattr, move and fsmount print their record afterwards) */
		struct out o;
		int r = out_init(&o, &a->out, cols, defcols, NULL);
		out_free(&o);
		if (r)
			return r;
	}
	return TN_OPT_GO;
}

int opt_parse(const struct tn_cmd *cmd, int argc, char **argv, tn_opt_cb cb,
	      void *ctx, struct tn_args *a)
{
	bool alt = false;	/* cmd->alt_key given: the records are alt_cols */

	memset(a, 0, sizeof(*a));
	a->dashdash = -1;
	a->pos = xcalloc(argc + 1, sizeof(char *));
	tn_cmdname = cmd->name;

	for (int i = 1; i < argc; i++) {
		char *w = argv[i];
		if (!strcmp(w, "--")) {
			a->dashdash = a->npos;
			for (i++; i < argc; i++)
				a->pos[a->npos++] = argv[i];
			break;
		}
		if (w[0] != '-' || !w[1]) {
			a->pos[a->npos++] = w;
			continue;
		}
		/* one option (long) or a cluster of short ones */
		const char *p = w + 1;
		bool lng = w[1] == '-';
		while (lng || *p) {
			const struct tn_opt *o;
			const char *val = NULL;
			bool outopt = false;
			if (lng) {
				const char *name = w + 2, *eq = strchr(name, '=');
				size_t n = eq ? (size_t)(eq - name) : strlen(name);
				if (!n)	/* "--=x" names no option at all */
					return tn_usage_err("unknown option '%s'", w);
				bool ambiguous;
				o = opt_long(cmd, name, n, &outopt, &ambiguous);
				if (!o)
					return long_unknown(cmd, name, n, ambiguous);
				if (eq) {
					if (!o->arg)
						return tn_usage_err("option '--%s' takes no value", o->lng);
					val = eq + 1;
				}
			} else {
				o = cmd_opt(cmd, opt_find_short(cmd->opts, *p),
					    opt_find_short(tn_output_opts, *p), &outopt);
				if (!o)
					return tn_usage_err("unknown option '-%c'", *p);
				p++;
				if (o->arg && *p) {
					val = p;
					p += strlen(p);
				}
			}
			if (o->flags & OPT_REST) {
				int r = rest_option(o, val, argc, argv, &i, cb, ctx);
				if (r != TN_OPT_GO)
					return r;
				break;
			}
			if (o->arg && !val && (o->flags & OPT_OPTNUM)) {
				if (i + 1 < argc && argv[i + 1][0] &&
				    strspn(argv[i + 1], "0123456789") == strlen(argv[i + 1]))
					val = argv[++i];
			} else if (o->arg && !val) {
				if (i + 1 >= argc)
					return tn_usage_err("option '--%s' needs a value (%s)", o->lng, o->arg);
				val = argv[++i];
			}
			if ((o->flags & OPT_FSOPTS) && fsopts_not_columns(cmd, o, val) != TN_OPT_GO)
				return TN_EXIT_USAGE;
			if (!outopt && cmd->alt_cols && o->key == cmd->alt_key)
				alt = true;
			int r = outopt ? out_option(cmd, a, o->key, val)
				       : cb_done(o, cb(ctx, o->key, val, NULL, 0));
			if (r != TN_OPT_GO)
				return r;
			if (lng)
				break;
		}
	}
	return out_options_done(cmd, a, alt);
}

static void help_opts(FILE *f, const struct tn_opt *t, const struct tn_cmd *cmd, bool outtab)
{
	for (const struct tn_opt *first = t; t->lng; t++) {
		char left[64];
		if (t->flags & OPT_HIDDEN)
			continue;
		if (outtab && !opt_out_applies(cmd, t))
			continue;
		int n;
		/* a command's own short option hides the shared one (fsmount -o) */
		if (t->key < 256 && !(outtab && opt_find_short(cmd->opts, t->key)))
			n = snprintf(left, sizeof(left), "  -%c, --%s", t->key, t->lng);
		else
			n = snprintf(left, sizeof(left), "      --%s", t->lng);
		if (t->arg && n < (int)sizeof(left) && (t->flags & OPT_OPTNUM))
			snprintf(left + n, sizeof(left) - n, " [%s]", t->arg);	/* may be left out */
		else if (t->arg && n < (int)sizeof(left))
			snprintf(left + n, sizeof(left) - n, " %s", t->arg);
		if (strlen(left) >= 28)
			fprintf(f, "%s\n%28s%s\n", left, "", t->help);
		else
			fprintf(f, "%-28s%s\n", left, t->help);
		/* a synonym of the row above has its names listed there */
		bool synonym = t > first && t[-1].key == t->key && t[-1].names == t->names;
		if (t->compl == TC_NAMES && t->names && !synonym) {
			int col = 28;
			fprintf(f, "%28s", "");
			fputs("  (", f);
			col += 3;
			/* the blank goes before a name, never at a line's end */
			for (const struct tn_name *nm = t->names; nm->name; nm++) {
				size_t l = strlen(nm->name) + 1;
				if (nm != t->names && col + 1 + l > 78) {
					fprintf(f, "\n%31s", "");
					col = 31;
				} else if (nm != t->names) {
					fputc(' ', f);
					col++;
				}
				fprintf(f, "%s%s", nm->name, nm[1].name ? "" : ")");
				col += l - 1 + !nm[1].name;
			}
			fputc('\n', f);
		}
	}
}

void opt_help(const struct tn_cmd *cmd, FILE *f)
{
	fprintf(f, "Usage: tnos %s %s\n\n%s\n", cmd->name, cmd->usage, cmd->summary);
	if (cmd->details)
		fprintf(f, "\n%s\n", cmd->details);
	fputs("\nOptions:\n", f);
	help_opts(f, cmd->opts, cmd, false);
	fputs(has_cols(cmd) ? "\nOutput:\n" : "\n", f);
	help_opts(f, tn_output_opts, cmd, true);
	if (cmd->cols) {
		fprintf(f, "\nColumns (%s; JSON keys in brackets):\n",
			opt_find_short(cmd->opts, 'o') ? "--output" : "-o");
		int w = 0;
		for (const struct tn_col *c = cmd->cols; c->hdr; c++)
			if ((int)strlen(c->hdr) > w)
				w = (int)strlen(c->hdr);
		for (const struct tn_col *c = cmd->cols; c->hdr; c++)
			fprintf(f, "  %-*s  %s [%s]%s\n", w, c->hdr, c->help, c->key,
				out_col_default(cmd->cols, cmd->defcols, (int)(c - cmd->cols)) ? " *" : "");
		fputs("  (* default)\n", f);
	}
	fprintf(f, "\nExit status: 0 ok, 1 failed, 2 usage error, 3 kernel lacks the feature.\n"
		   "See tnos-%s(1).\n", cmd->name);
}

int opt_list(const struct tn_cmd *cmd)
{
	for (const struct tn_opt *t = cmd->opts; t->lng; t++)
		if (!(t->flags & OPT_HIDDEN))
			printf("--%s\n", t->lng);
	for (const struct tn_opt *t = tn_output_opts; t->lng; t++)
		if (opt_out_applies(cmd, t))
			printf("--%s\n", t->lng);
	return tn_stdout_close(0);
}
