/* complete.c - candidates for tnos __complete (see complete.h). */
#define _GNU_SOURCE
#include "complete.h"
#include "util.h"
#include "core/mount.h"
#include "core/mountinfo.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One completion request. */
struct creq {
	const struct tn_cmd *cmd;
	const char *pre;	/* before each candidate: "--opt=" when the word is
				 * one, else "" */
	uint64_t ns_id;		/* --ns given on the line: ids come from there */
	const struct tn_col *cols;	/* the columns -o takes (cmd->alt_cols
					 * when its option is on the line) */
};

/* One candidate: c->pre, head[0..hlen), word.  A direction to the shell
 * (":dirs") takes no prefix. */
static void cand(const struct creq *c, const char *head, size_t hlen, const char *word)
{
	bool direction = (hlen ? head[0] : word[0]) == ':';
	printf("%s%.*s%s\n", direction ? "" : c->pre, (int)hlen, head, word);
}

/* The option name[0..n) names, of the command or the shared output
 * options, abbreviated as the parser takes it. */
static const struct tn_opt *long_opt(const struct tn_cmd *cmd, const char *name, size_t n)
{
	return opt_long(cmd, name, n, NULL, NULL);
}

static const struct tn_opt *short_opt(const struct tn_cmd *cmd, int letter)
{
	return opt_find_short(cmd->opts, letter) ?: opt_find_short(tn_output_opts, letter);
}

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

/* The last element of a comma list of names, leaving out the names already
 * in it. */
static void compl_names(const struct creq *c, const struct tn_name *t, const char *cur)
{
	size_t plen = list_prefix(cur);
	for (; t->name; t++)
		if (!in_list(cur, plen, t->name))
			cand(c, cur, plen, t->name);
}

/* Column names, from the command's column table; "+COL" adds to the default. */
static void compl_columns(const struct creq *c, const char *cur)
{
	const char *comma = strrchr(cur, ',');
	size_t plen = comma ? (size_t)(comma - cur + 1) : (*cur == '+' ? 1 : 0);
	size_t skip = *cur == '+';
	for (const struct tn_col *col = c->cols; col->hdr; col++)
		if (!in_list(cur + skip, plen > skip ? plen - skip : 0, col->hdr))
			cand(c, cur, plen, col->hdr);
}

struct fstypes { const struct creq *c; const char *cur; size_t plen; };

static int fstype_fn(const char *type, void *ctx)
{
	struct fstypes *f = ctx;
	if (!in_list(f->cur, f->plen, type))
		cand(f->c, f->cur, f->plen, type);
	return 0;
}

static int notype_fn(const char *type, void *ctx)
{
	struct fstypes *f = ctx;
	char no[256];
	snprintf(no, sizeof(no), "no%s", type);
	if (!in_list(f->cur, f->plen, no))
		cand(f->c, f->cur, f->plen, no);
	return 0;
}

/* Filesystem types the kernel knows, each after the comma list typed so
 * far (cur is "" for a lone type).  In a filter (-t), an element begun
 * with "no" excludes a type: then the types with "no" before them too. */
static void compl_fstypes(const struct creq *c, const char *cur, bool filter)
{
	struct fstypes f = { c, cur, list_prefix(cur) };
	tn_fstypes_each(fstype_fn, &f);
	if (filter && !strncmp(cur + f.plen, "no", 2))
		tn_fstypes_each(notype_fn, &f);
}

/* One field of every line of the mount table (mount points, sources). */
struct points { char **v; size_t n, cap; bool source; };

static int point_fn(const struct tn_mi *m, void *ctx)
{
	struct points *p = ctx;
	const char *s = p->source ? m->source : m->target;
	if (!s || !*s || strchr(s, '\n'))
		return 0;	/* a word holding a newline cannot be one line */
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 256;
		p->v = xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	p->v[p->n++] = xstrdup(s);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Mount points (or sources), sorted; one that several mounts share is
 * offered once. */
static void compl_mounted(const struct creq *c, bool source)
{
	struct points p = { .source = source };
	tn_mountinfo_each("/proc/self/mountinfo", point_fn, &p);
	if (p.n)
		qsort(p.v, p.n, sizeof(*p.v), cmp_str);
	for (size_t i = 0; i < p.n; i++)
		if (!i || strcmp(p.v[i], p.v[i - 1]))
			cand(c, "", 0, p.v[i]);
	for (size_t i = 0; i < p.n; i++)
		free(p.v[i]);
	free(p.v);
}

static void compl_mountpoints(const struct creq *c)
{
	compl_mounted(c, false);
}

/* The source of the mount holding path: what walk takes as FSNAME (the
 * statmount sb_source it checks the walk's root against). */
static void compl_source_of(const struct creq *c, const char *path)
{
	uint64_t id;
	struct tn_smbuf b = { 0 };
	if (!*path || tn_mnt_id_of(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, &id) < 0)
		return;
	if (tn_statmount(&b, id, c->ns_id, STATMOUNT_SB_SOURCE) == 0) {
		const char *src = tn_sm_str(b.sm, STATMOUNT_SB_SOURCE, b.sm->sb_source);
		if (src && *src && !strchr(src, '\n'))
			cand(c, "", 0, src);
	}
	tn_smbuf_free(&b);
}

/* Unique mount ids (what ID arguments take), from listmount(2). */
static void compl_mountids(const struct creq *c)
{
	struct tn_lister l;
	uint64_t id;
	char num[24];
	tn_list_init(&l, LSMT_ROOT, c->ns_id, false, 0, 0);
	while (tn_list_next(&l, &id) > 0) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)id);
		cand(c, "", 0, num);
	}
	tn_list_free(&l);
}

/* "ID|PATH": ids once a digit is typed, mount points otherwise */
static void compl_mount(const struct creq *c, const char *cur)
{
	if (*cur >= '0' && *cur <= '9')
		compl_mountids(c);
	else
		compl_mountpoints(c);
}

static void compl_words(const struct creq *c, const char *words)
{
	char *w = xstrdup(words), *save = NULL;
	for (char *t = strtok_r(w, " ", &save); t; t = strtok_r(NULL, " ", &save))
		cand(c, "", 0, t);
	free(w);
}

/* Values of what completes as kind (an option's value, or a positional). */
static void compl_value(const struct creq *c, const struct tn_opt *o, const char *cur)
{
	switch (o->compl) {
	case TC_NAMES:
		if (o->names)
			compl_names(c, o->names, cur);
		break;
	case TC_COLUMNS:
		if (c->cols)
			compl_columns(c, cur);
		break;
	case TC_FSTYPE:
		compl_fstypes(c, cur, true);
		break;
	case TC_SOURCE:
		compl_mounted(c, true);
		break;
	case TC_MOUNT:
		compl_mount(c, cur);
		break;
	case TC_MNTID:
		compl_mountids(c);
		break;
	case TC_WORDS:
		if (o->words)
			compl_words(c, o->words);
		break;
	case TC_FILE:
	case TC_DIR:
	case TC_PID:
	case TC_CMD:
		/* the shell does these: tell it which */
		cand(c, "", 0, o->compl == TC_DIR ? ":dirs" : o->compl == TC_CMD ? ":commands" : ":files");
		break;
	default:
		break;
	}
}

/* Does the option word w take the next word as its value, and is it an
 * OPT_REST option?  NULL when neither matters. */
static const struct tn_opt *word_opt(const struct tn_cmd *cmd, const char *w)
{
	if (w[1] == '-')
		return strchr(w, '=') ? NULL : long_opt(cmd, w + 2, strlen(w + 2));
	/* a cluster: a letter that takes a value ends it, and the value is the
	 * rest of the word or the next word */
	const struct tn_opt *o = NULL;
	for (const char *p = w + 1; *p; p++) {
		o = short_opt(cmd, *p);
		if (o && o->arg)
			return p[1] ? NULL : o;
	}
	return o;
}

/* The number of positional arguments before the word being completed
 * (argv[2] .. argv[argc-2]): an option's separate value is not one, nor
 * are the words an OPT_REST option takes up to its ";".  *first: the first
 * of them (NULL if none). */
static int count_pos(const struct tn_cmd *cmd, int argc, char **argv, const char **first)
{
	int n = 0;
	bool opts = true;
	*first = NULL;
	for (int i = 2; i < argc - 1; i++) {
		const char *w = argv[i];
		if (opts && !strcmp(w, "--")) {
			opts = false;
			continue;
		}
		if (!opts || w[0] != '-' || !w[1]) {
			if (!n++)
				*first = w;
			continue;
		}
		const struct tn_opt *o = word_opt(cmd, w);
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

/* The columns of the records: cmd->alt_cols after its option. */
static const struct tn_col *cols_on_line(const struct tn_cmd *cmd, int argc, char **argv)
{
	const struct tn_opt *alt = NULL;
	for (const struct tn_opt *o = cmd->opts; cmd->alt_cols && o && o->lng; o++)
		if (o->key == cmd->alt_key)
			alt = o;
	for (int i = 2; alt && i < argc - 1; i++)
		if (argv[i][0] == '-' && argv[i][1] == '-' && !strcmp(argv[i] + 2, alt->lng))
			return cmd->alt_cols;
	return cmd->cols;
}

/* Ids complete from the namespace an earlier --ns names. */
static uint64_t ns_on_line(const struct tn_cmd *cmd, int argc, char **argv)
{
	uint64_t id = 0;
	for (int i = 2; i < argc - 1; i++) {
		const char *ns = !strcmp(argv[i], "--ns") && i + 1 < argc - 1 ? argv[i + 1] :
				 !strncmp(argv[i], "--ns=", 5) ? argv[i] + 5 : NULL;
		if (ns && opt_find_long(cmd->opts, "ns", 2) && tn_mntns_id(ns, &id))
			id = 0;
	}
	return id;
}

/* The word after an option: its value.  true when that is what cur is. */
static bool after_option(struct creq *c, const char *prev, const char *cur)
{
	if (!prev || prev[0] != '-')
		return false;
	const struct tn_opt *o = NULL;
	if (prev[1] == '-')
		o = long_opt(c->cmd, prev + 2, strlen(prev + 2));
	else if (prev[1] && !prev[2])
		o = short_opt(c->cmd, prev[1]);
	if (o && o->arg && !strchr(prev, '=')) {
		compl_value(c, o, cur);
		return true;
	}
	if (o && (o->flags & OPT_REST)) {
		cand(c, "", 0, ":commands");
		return true;
	}
	return false;
}

/* A word starting with '-': the options, or "--opt=VALUE" candidates. */
static void option_word(struct creq *c, const char *cur)
{
	const char *eq = strchr(cur, '=');
	if (eq && cur[1] == '-') {
		const struct tn_opt *o = long_opt(c->cmd, cur + 2, (size_t)(eq - cur - 2));
		if (o && o->arg) {
			char *pre = xstrdup(cur);
			pre[eq - cur + 1] = 0;
			c->pre = pre;
			compl_value(c, o, eq + 1);
			c->pre = "";
			free(pre);
		}
		return;
	}
	for (const struct tn_opt *t = c->cmd->opts; t->lng; t++)
		if (!(t->flags & OPT_HIDDEN))
			printf("--%s\n", t->lng);
	for (const struct tn_opt *t = tn_output_opts; t->lng; t++)
		if (opt_out_applies(c->cmd, t))
			printf("--%s\n", t->lng);
}

/* A positional argument: what the command's table says it is (first: the
 * first positional, when this is a later one). */
static void positional(struct creq *c, int npos, const char *first, const char *cur)
{
	const struct tn_cmd *cmd = c->cmd;
	if (cmd->words && npos == 0) {
		compl_words(c, cmd->words);
		return;
	}
	switch (cmd->args) {
	case TC_MOUNT:
		compl_mount(c, cur);
		break;
	case TC_FSTYPE:
		/* FSTYPE, then the target directory */
		if (npos == 0)
			compl_fstypes(c, "", false);
		else
			cand(c, "", 0, ":dirs");
		break;
	case TC_DIR_SOURCE:
		/* MOUNTPOINT, then the source of its mount */
		if (npos == 0)
			cand(c, "", 0, ":dirs");
		else if (npos == 1)
			compl_source_of(c, first);
		break;
	case TC_WORDS:
		break;
	default: {
		struct tn_opt as = { 0, "", "", "", cmd->args, NULL, 0, NULL };
		compl_value(c, &as, cur);
	}
	}
}

int tn_complete(const struct tn_cmd *const *cmds, int argc, char **argv)
{
	/* argv: CMD WORD... ; the last word is the one being completed */
	const struct tn_cmd *cmd = NULL;
	for (int i = 0; argc >= 2 && cmds[i]; i++)
		if (!strcmp(cmds[i]->name, argv[1]))
			cmd = cmds[i];
	/* a command name: the first word, or the one after "help" */
	bool help = argc == 3 && !strcmp(argv[1], "help");
	if (argc <= 2 || help || !cmd) {
		if (argc <= 2 || help)
			for (int i = 0; cmds[i]; i++)
				printf("%s\n", cmds[i]->name);
		if (argc < 2)
			printf("help\n");
		return tn_stdout_close(0);
	}
	struct creq c = { cmd, "", ns_on_line(cmd, argc, argv), cols_on_line(cmd, argc, argv) };
	const char *cur = argv[argc - 1];
	const char *prev = argc >= 4 ? argv[argc - 2] : NULL;
	if (after_option(&c, prev, cur)) {
		;
	} else if (cur[0] == '-') {
		option_word(&c, cur);
	} else {
		const char *first;
		int npos = count_pos(cmd, argc, argv, &first);
		positional(&c, npos, first, cur);
	}
	return tn_stdout_close(0);
}
