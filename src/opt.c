/* opt.c - the table-driven option parser, --help and completions. */
#define _GNU_SOURCE
#include "opt.h"
#include "util.h"
#include "core/mount.h"

#include <dirent.h>
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

static const struct tn_opt *find_long(const struct tn_opt *t, const char *name, size_t n)
{
	for (; t && t->lng; t++)
		if (strlen(t->lng) == n && !strncmp(t->lng, name, n))
			return t;
	return NULL;
}

static const struct tn_opt *find_short(const struct tn_opt *t, int c)
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

static bool out_opt_applies(const struct tn_cmd *cmd, const struct tn_opt *o)
{
	if (o->key == 'h')
		return true;
	return has_cols(cmd);
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

static int flagset_key(const struct tn_flagset *fs, size_t i)
{
	if (fs->shorts && i < strlen(fs->shorts) && fs->shorts[i] != ' ')
		return fs->shorts[i];
	return fs->key0 + (int)i;
}

size_t opt_flagset_opts(const struct tn_flagset *fs, struct tn_opt *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; fs->names[i].name && n + 1 < max; i++)
		out[n++] = (struct tn_opt){ flagset_key(fs, i), fs->names[i].name, NULL, fs->names[i].help,
					    TC_NONE, NULL, 0, NULL };
	if (n < max)
		out[n++] = (struct tn_opt){ fs->key0 + 0x80, "flags", "NAMES", fs->flags_help,
					    TC_NAMES, fs->names, 0, NULL };
	return n;
}

int opt_flagset_cb(const struct tn_flagset *fs, int key, const char *arg, uint64_t *flags)
{
	if (key == fs->key0 + 0x80) {
		uint64_t v;
		if (opt_names("flags", fs->names, arg, &v))
			return TN_EXIT_USAGE;
		*flags |= v;
		return TN_OPT_GO;
	}
	for (size_t i = 0; fs->names[i].name; i++) {
		if (key == flagset_key(fs, i)) {
			*flags |= fs->names[i].val;
			return TN_OPT_GO;
		}
	}
	return TN_OPT_NOT_MINE;
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

int opt_parse(const struct tn_cmd *cmd, int argc, char **argv, tn_opt_cb cb,
	      void *ctx, struct tn_args *a)
{
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
				o = find_long(cmd->opts, name, n);
				if (!o) {
					o = find_long(tn_output_opts, name, n);
					if (o && out_opt_applies(cmd, o))
						outopt = true;
					else
						o = NULL;
				}
				if (!o)
					return tn_usage_err("unknown option '--%.*s'", (int)n, name);
				if (eq) {
					if (!o->arg)
						return tn_usage_err("option '--%s' takes no value", o->lng);
					val = eq + 1;
				}
			} else {
				o = find_short(cmd->opts, *p);
				if (!o) {
					o = find_short(tn_output_opts, *p);
					if (o && out_opt_applies(cmd, o))
						outopt = true;
					else
						o = NULL;
				}
				if (!o)
					return tn_usage_err("unknown option '-%c'", *p);
				p++;
				if (o->arg && *p) {
					val = p;
					p += strlen(p);
				}
			}
			if (o->flags & OPT_REST) {
				if (val)	/* --exec=CMD: the command is words of its own */
					return tn_usage_err("option '--%s' takes no '=': give --%s %s",
							    o->lng, o->lng, o->arg);
				int start = i + 1, end = start;
				while (end < argc && strcmp(argv[end], ";"))
					end++;
				if (end == start)
					return tn_usage_err("option '--%s' needs a command", o->lng);
				/* the command is exactly the words up to the ";": with
				 * none, the operands would become its arguments */
				if (end == argc)
					return tn_usage_err("end the --%s command with ';' (\\; in a shell): "
							    "it takes every word up to a lone ';'", o->lng);
				int r = cb_done(o, cb(ctx, o->key, NULL, argv + start, end - start));
				if (r != TN_OPT_GO)
					return r;
				i = end;	/* skip the ";" too */
				break;
			}
			if (o->arg && !val) {
				if (i + 1 >= argc)
					return tn_usage_err("option '--%s' needs a value (%s)", o->lng, o->arg);
				val = argv[++i];
			}
			int r = outopt ? out_option(cmd, a, o->key, val)
				       : cb_done(o, cb(ctx, o->key, val, NULL, 0));
			if (r != TN_OPT_GO)
				return r;
			if (lng)
				break;
		}
	}
	if (a->out.list_columns) {
		if (!cmd->cols)
			return tn_usage_err("this command has no columns");
		int r = out_list_columns(&a->out, cmd->cols, cmd->defcols);
		return tn_stdout_close(r);
	}
	if (cmd->cols && a->out.columns) {
		/* a bad -o is a usage error before the command does anything
		 * (setattr, move and fsmount print their record afterwards) */
		struct out o;
		int r = out_init(&o, &a->out, cmd->cols, cmd->defcols, NULL);
		out_free(&o);
		if (r)
			return r;
	}
	return TN_OPT_GO;
}

static void help_opts(FILE *f, const struct tn_opt *t, const struct tn_cmd *cmd, bool outtab)
{
	for (; t->lng; t++) {
		char left[64];
		if (t->flags & OPT_HIDDEN)
			continue;
		if (outtab && !out_opt_applies(cmd, t))
			continue;
		int n;
		/* a command's own short option hides the shared one (fsmount -o) */
		if (t->key < 256 && !(outtab && find_short(cmd->opts, t->key)))
			n = snprintf(left, sizeof(left), "  -%c, --%s", t->key, t->lng);
		else
			n = snprintf(left, sizeof(left), "      --%s", t->lng);
		if (t->arg && n < (int)sizeof(left))
			snprintf(left + n, sizeof(left) - n, " %s", t->arg);
		if (strlen(left) >= 28)
			fprintf(f, "%s\n%28s%s\n", left, "", t->help);
		else
			fprintf(f, "%-28s%s\n", left, t->help);
		if (t->compl == TC_NAMES && t->names) {
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
			find_short(cmd->opts, 'o') ? "--output" : "-o");
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
		if (out_opt_applies(cmd, t))
			printf("--%s\n", t->lng);
	return tn_stdout_close(0);
}

/* ---- completion */

/* Length of the comma list before the element being completed. */
static size_t list_prefix(const char *cur)
{
	const char *comma = strrchr(cur, ',');
	return comma ? (size_t)(comma - cur + 1) : 0;
}

/* Is name one of the elements of the comma list list[0..len)? */
static bool in_list(const char *list, size_t len, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && list[e] != ',')
			e++;
		if (e - i == n && !strncmp(list + i, name, n))
			return true;
		i = e + 1;
	}
	return false;
}

static void compl_names(const struct tn_name *t, const char *cur)
{
	/* complete the last element of a comma list, leaving out the names
	 * already in it */
	size_t plen = list_prefix(cur);
	for (; t->name; t++)
		if (!in_list(cur, plen, t->name))
			printf("%.*s%s\n", (int)plen, cur, t->name);
}

/* Filesystem types from /proc/filesystems, each after the comma list typed
 * so far (cur is "" for a lone type). */
static void compl_fstypes(const char *cur)
{
	size_t plen = list_prefix(cur);
	FILE *f = fopen("/proc/filesystems", "re");
	char line[256];
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *t = strchr(line, '\t');
		if (!t)
			continue;
		t[strcspn(t, "\n")] = 0;
		if (!in_list(cur, plen, t + 1))
			printf("%.*s%s\n", (int)plen, cur, t + 1);
	}
	fclose(f);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Mount points from mountinfo, whose octal escapes (\040 for a space ...)
 * are undone; a point holding a newline cannot be one line, so is left out.
 * A point with mounts stacked on it is offered once. */
static void compl_mountpoints(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0, n = 0, ncap = 0;
	char **pts = NULL;
	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		char mp[4096];
		if (sscanf(line, "%*u %*u %*s %*s %4095s", mp) != 1)
			continue;
		char *w = mp;
		bool nl = false;
		for (const char *r = mp; *r; r++) {
			if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
			    r[3] >= '0' && r[3] <= '7') {
				*w = (char)((r[1] - '0') << 6 | (r[2] - '0') << 3 | (r[3] - '0'));
				nl |= *w == '\n';
				w++;
				r += 3;
			} else {
				*w++ = *r;
			}
		}
		*w = 0;
		if (nl)
			continue;
		if (n == ncap) {
			ncap = ncap ? 2 * ncap : 256;
			pts = xrealloc(pts, ncap * sizeof(*pts));
		}
		pts[n++] = xstrdup(mp);
	}
	free(line);
	fclose(f);
	qsort(pts, n, sizeof(*pts), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (!i || strcmp(pts[i], pts[i - 1]))
			printf("%s\n", pts[i]);
	}
	for (size_t i = 0; i < n; i++)
		free(pts[i]);
	free(pts);
}

/* Unique mount ids (what ID arguments take), from listmount(2). */
static uint64_t compl_ns_id;	/* --ns given on the line being completed */

static void compl_mountids(void)
{
	struct tn_lister l;
	uint64_t id;
	tn_list_init(&l, LSMT_ROOT, compl_ns_id, false, 0, 0);
	while (tn_list_next(&l, &id) > 0)
		printf("%llu\n", (unsigned long long)id);
	tn_list_free(&l);
}

/* "ID|PATH": ids once a digit is typed, mount points otherwise */
static void compl_mount(const char *cur)
{
	if (*cur >= '0' && *cur <= '9')
		compl_mountids();
	else
		compl_mountpoints();
}

static void print_words(const char *words)
{
	char *w = xstrdup(words), *save = NULL;
	for (char *t = strtok_r(w, " ", &save); t; t = strtok_r(NULL, " ", &save))
		printf("%s\n", t);
	free(w);
}

static void compl_value(const struct tn_cmd *cmd, const struct tn_opt *o, const char *cur)
{
	switch (o->compl) {
	case TC_NAMES:
		if (o->names)
			compl_names(o->names, cur);
		break;
	case TC_COLUMNS:
		if (cmd->cols) {
			const char *comma = strrchr(cur, ',');
			size_t plen = comma ? (size_t)(comma - cur + 1) : (*cur == '+' ? 1 : 0);
			size_t skip = *cur == '+';	/* "+COL" adds to the default */
			for (const struct tn_col *c = cmd->cols; c->hdr; c++)
				if (!in_list(cur + skip, plen > skip ? plen - skip : 0, c->hdr))
					printf("%.*s%s\n", (int)plen, cur, c->hdr);
		}
		break;
	case TC_FSTYPE:
		compl_fstypes(cur);
		break;
	case TC_MOUNT:
		compl_mount(cur);
		break;
	case TC_MNTID:
		compl_mountids();
		break;
	case TC_WORDS:
		if (o->words)
			print_words(o->words);
		break;
	case TC_FILE:
	case TC_DIR:
	case TC_PID:
	case TC_CMD:
		/* the shell does these: tell it which */
		printf("%s\n", o->compl == TC_DIR ? ":dirs" : o->compl == TC_CMD ? ":commands" : ":files");
		break;
	default:
		break;
	}
}

/* The number of positional arguments before the word being completed
 * (argv[2] .. argv[argc-2]): an option's separate value is not one, nor
 * are the words an OPT_REST option takes up to its ";". */
static int count_pos(const struct tn_cmd *cmd, int argc, char **argv)
{
	int n = 0;
	bool opts = true;
	for (int i = 2; i < argc - 1; i++) {
		const char *w = argv[i];
		if (opts && !strcmp(w, "--")) {
			opts = false;
			continue;
		}
		if (!opts || w[0] != '-' || !w[1]) {
			n++;
			continue;
		}
		const struct tn_opt *o = NULL;
		if (w[1] == '-') {
			const char *eq = strchr(w, '=');
			if (eq)
				continue;
			o = find_long(cmd->opts, w + 2, strlen(w + 2)) ?:
			    find_long(tn_output_opts, w + 2, strlen(w + 2));
		} else {
			/* a cluster: a letter that takes a value ends it, and the
			 * value is the rest of the word or the next word */
			for (const char *p = w + 1; *p; p++) {
				o = find_short(cmd->opts, *p) ?: find_short(tn_output_opts, *p);
				if (o && o->arg) {
					if (p[1])
						o = NULL;
					break;
				}
			}
		}
		if (o && (o->flags & OPT_REST)) {
			while (i < argc - 1 && strcmp(argv[i], ";"))
				i++;
			continue;
		}
		if (o && o->arg)
			i++;
	}
	return n;
}

int opt_complete(const struct tn_cmd *const *cmds, int argc, char **argv)
{
	/* argv: CMD WORD... ; the last word is the one being completed */
	if (argc < 2) {
		for (int i = 0; cmds[i]; i++)
			printf("%s\n", cmds[i]->name);
		printf("help\n");
		return tn_stdout_close(0);
	}
	const struct tn_cmd *cmd = NULL;
	for (int i = 0; cmds[i]; i++)
		if (!strcmp(cmds[i]->name, argv[1]))
			cmd = cmds[i];
	if (argc == 2 || !cmd) {
		if (argc == 2)
			for (int i = 0; cmds[i]; i++)
				printf("%s\n", cmds[i]->name);
		return tn_stdout_close(0);
	}
	const char *cur = argv[argc - 1];
	const char *prev = argc >= 4 ? argv[argc - 2] : NULL;
	/* ids complete from the namespace an earlier --ns names */
	for (int i = 2; i < argc - 1; i++) {
		const char *ns = !strcmp(argv[i], "--ns") && i + 1 < argc - 1 ? argv[i + 1] :
				 !strncmp(argv[i], "--ns=", 5) ? argv[i] + 5 : NULL;
		if (ns && find_long(cmd->opts, "ns", 2) && tn_mntns_id(ns, &compl_ns_id))
			compl_ns_id = 0;
	}
	if (prev && prev[0] == '-') {
		const struct tn_opt *o = NULL;
		if (prev[1] == '-')
			o = find_long(cmd->opts, prev + 2, strlen(prev + 2)) ?:
			    find_long(tn_output_opts, prev + 2, strlen(prev + 2));
		else if (prev[1] && !prev[2])
			o = find_short(cmd->opts, prev[1]) ?: find_short(tn_output_opts, prev[1]);
		if (o && o->arg && !strchr(prev, '=')) {
			compl_value(cmd, o, cur);
			return tn_stdout_close(0);
		}
		if (o && (o->flags & OPT_REST)) {
			printf(":commands\n");
			return tn_stdout_close(0);
		}
	}
	if (cur[0] == '-') {
		const char *eq = strchr(cur, '=');
		if (eq && cur[1] == '-') {
			const struct tn_opt *o = find_long(cmd->opts, cur + 2, eq - cur - 2) ?:
				find_long(tn_output_opts, cur + 2, eq - cur - 2);
			if (o && o->arg) {
				/* print "--opt=value" candidates */
				fflush(stdout);
				char *pre = strndup(cur, eq - cur + 1);
				FILE *old = stdout;
				char *buf = NULL;
				size_t blen = 0;
				FILE *mem = open_memstream(&buf, &blen);
				stdout = mem;
				compl_value(cmd, o, eq + 1);
				fclose(mem);
				stdout = old;
				for (char *l = buf, *nl; l && *l; l = nl + 1) {
					nl = strchr(l, '\n');
					if (!nl)
						break;
					printf("%s%.*s\n", l[0] == ':' ? "" : pre, (int)(nl - l), l);
				}
				free(buf);
				free(pre);
			}
			return tn_stdout_close(0);
		}
		for (const struct tn_opt *t = cmd->opts; t->lng; t++)
			if (!(t->flags & OPT_HIDDEN))
				printf("--%s\n", t->lng);
		for (const struct tn_opt *t = tn_output_opts; t->lng; t++)
			if (out_opt_applies(cmd, t))
				printf("--%s\n", t->lng);
		return tn_stdout_close(0);
	}
	int npos = count_pos(cmd, argc, argv);
	if (cmd->words && npos == 0) {
		print_words(cmd->words);
		return tn_stdout_close(0);
	}
	switch (cmd->args) {
	case TC_MOUNT:
		compl_mount(cur);
		break;
	case TC_FSTYPE:
		/* FSTYPE, then the target directory */
		if (npos == 0)
			compl_fstypes("");
		else
			printf(":dirs\n");
		break;
	case TC_WORDS:
		break;
	default: {
		struct tn_opt fake = { 0, "", "", "", cmd->args, NULL, 0, NULL };
		compl_value(cmd, &fake, cur);
	}
	}
	return tn_stdout_close(0);
}
