/* tnos.c - dispatcher: command table, argv[0] links, help and version. */
#define _GNU_SOURCE
#include "complete.h"
#include "opt.h"
#include "util.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const struct tn_cmd *const cmds[] = {
#define TNOS_CMD(name) &cmd_##name,
#define TNOS_CMD_NOLINK(name) &cmd_##name,
#include "cmds.h"
#undef TNOS_CMD
#undef TNOS_CMD_NOLINK
	NULL
};

/* the subcommands installed as links too (tnos __links, for the tests) */
static const char *const links[] = {
#define TNOS_CMD(name) #name,
#define TNOS_CMD_NOLINK(name)
#include "cmds.h"
#undef TNOS_CMD
#undef TNOS_CMD_NOLINK
	NULL
};

static const struct tn_cmd *lookup(const char *name)
{
	for (int i = 0; cmds[i]; i++)
		if (!strcmp(cmds[i]->name, name))
			return cmds[i];
	return NULL;
}

/* An unknown command, with the one it is most likely a typo of. */
static int unknown_command(const char *name)
{
	struct tn_near near;
	tn_near_init(&near, name, strlen(name));
	for (int i = 0; cmds[i]; i++)
		tn_near_add(&near, cmds[i]->name);
	tn_near_add(&near, "help");
	if (tn_near_best(&near))
		return tn_usage_err("unknown command '%s'; did you mean '%s'?", name, tn_near_best(&near));
	return tn_usage_err("unknown command '%s'", name);
}

/* tnos' own long options, abbreviated as getopt_long takes them: "--vers"
 * is "--version"; anything else is returned as it is. */
static const char *own_option(const char *w)
{
	static const char *const own[] = { "--version", "--help" };
	size_t n = strlen(w);
	if (n < 3 || strncmp(w, "--", 2) || strchr(w, '='))
		return w;
	for (size_t i = 0; i < sizeof(own) / sizeof(*own); i++)
		if (!strncmp(own[i], w, n))
			return own[i];
	return w;
}

/* An unknown option of tnos itself, with the one it is most likely a typo of. */
static int unknown_option(const char *w)
{
	struct tn_near near;
	tn_near_init(&near, w, strlen(w));
	tn_near_add(&near, "--version");
	tn_near_add(&near, "--help");
	if (tn_near_best(&near))
		return tn_usage_err("unknown option '%s'; did you mean '%s'?", w, tn_near_best(&near));
	return tn_usage_err("unknown option '%s'", w);
}

static void usage(FILE *f)
{
	fputs("Usage: tnos COMMAND [options] [arguments]\n"
	      "       tnos help [COMMAND]\n"
	      "       tnos --version\n\n"
	      "The Linux mount and file syscalls at a shell prompt.\n\nCommands:\n", f);
	for (int i = 0; cmds[i]; i++)
		fprintf(f, "  %-11s%s\n", cmds[i]->name, cmds[i]->summary);
	fputs("\nEvery command takes --help.  Output options shared by the listing commands:\n"
	      "-J/--json, --ndjson, -P/--pairs, -r/--raw, -n/--noheadings, -o/--output,\n"
	      "--list-columns.\n"
	      "Exit status: 0 ok, 1 failed, 2 usage error, 3 kernel lacks the feature.\n"
	      "See tnos(1).\n", f);
}

/* A command returns an exit status.  A negative value (a -errno, or the
 * parser's TN_OPT_GO, leaking out of it) is a failure, never a success. */
static int finish(int r)
{
	if (r < 0) {
		tn_warn("internal error: the command ended with %d (%s)", r,
			r >= -4095 ? strerror(-r) : "not an errno");
		r = TN_EXIT_FAIL;
	}
	return tn_stdout_close(r);
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

int main(int argc, char **argv)
{
	const struct tn_cmd *c;

	signal(SIGPIPE, SIG_DFL);
	/* busybox style: a link named after a subcommand runs it */
	if (argc > 0 && (c = lookup(base(argv[0]))))
		return finish(c->main(argc, argv));
	if (argc < 2) {
		usage(stderr);
		return TN_EXIT_USAGE;
	}
	const char *w = own_option(argv[1]);
	if (!strcmp(w, "--version") || !strcmp(w, "-V")) {
		printf("tnos %s\n", TNOS_VERSION);
		return tn_stdout_close(0);
	}
	if (!strcmp(w, "--help") || !strcmp(w, "-h")) {
		usage(stdout);
		return tn_stdout_close(0);
	}
	if (!strcmp(w, "help")) {
		if (argc < 3) {
			usage(stdout);
			return tn_stdout_close(0);
		}
		if (!(c = lookup(argv[2])))
			return unknown_command(argv[2]);
		opt_help(c, stdout);
		return tn_stdout_close(0);
	}
	if (!strcmp(w, "__complete"))
		return tn_complete(cmds, argc - 1, argv + 1);
	if (!strcmp(w, "__links")) {
		for (int i = 0; links[i]; i++)
			printf("%s\n", links[i]);
		return tn_stdout_close(0);
	}
	if (!strcmp(w, "__options")) {
		if (argc < 3) {
			for (int i = 0; cmds[i]; i++)
				printf("%s\n", cmds[i]->name);
			return tn_stdout_close(0);
		}
		if (!(c = lookup(argv[2])))
			return TN_EXIT_USAGE;
		return opt_list(c);
	}
	if (w[0] == '-')
		return unknown_option(w);
	if (!(c = lookup(w)))
		return unknown_command(w);
	return finish(c->main(argc - 1, argv + 1));
}
