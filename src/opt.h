/* opt.h - one option table per subcommand drives the parser, --help and the
 * shell completions (tnos __complete). */
#ifndef TNOS_OPT_H
#define TNOS_OPT_H

#include <stdbool.h>
#include <stdio.h>
#include "emit/emit.h"
#include "names.h"

/* what a value (or a positional argument) completes to */
enum tn_compl {
	TC_NONE, TC_FILE, TC_DIR, TC_NAMES, TC_COLUMNS, TC_FSTYPE, TC_MNTID,
	TC_MOUNT,	/* a mount id or a mount point */
	TC_CMD,		/* a command name, then its arguments */
	TC_PID, TC_WORDS,
	TC_SOURCE,	/* a source of a mounted filesystem (sb_source) */
	TC_DIR_SOURCE,	/* positionals: a directory, then the source of the
			 * mount holding it (walk MOUNTPOINT FSNAME) */
};

#define OPT_REST   0x1	/* takes the words up to a lone ";", which must be there */
#define OPT_HIDDEN 0x2
#define OPT_FLAG   0x4	/* one flag of a flag set (names): see OPT_FLAG_ROW */
#define OPT_FSOPTS 0x8	/* filesystem options (fsmount -o, as in mount(8)): a
			 * value that is a list of the command's columns is
			 * refused, with a hint to use --output */
#define OPT_OPTNUM 0x10	/* the value may be left out: the next word is taken
			 * only when it is all digits (like make -j); the
			 * callback gets NULL without one */

struct tn_opt {
	int key;		/* short option letter, or a value >= 256 */
	const char *lng;	/* long name without "--" */
	const char *arg;	/* NULL: no value; else its name in --help */
	const char *help;
	enum tn_compl compl;	/* for the value */
	const struct tn_name *names;	/* TC_NAMES */
	unsigned flags;
	const char *words;	/* TC_WORDS: space-separated choices */
};

struct tn_args;
struct tn_cmd {
	const char *name;
	const char *summary;
	const char *usage;		/* after "tnos NAME " */
	const char *details;		/* extra --help paragraph, or NULL */
	const struct tn_opt *opts;
	const struct tn_col *cols;	/* NULL: no --list-columns */
	const char *defcols;		/* the default columns as given to
					 * out_init(): NULL (TN_DEFAULT flags),
					 * "*" or a comma list of headers */
	/* An option that switches the records to another column table
	 * (lsmount --namespaces): -o and --list-columns then use alt_cols. */
	int alt_key;
	const struct tn_col *alt_cols;
	const char *alt_defcols;
	enum tn_compl args;		/* what positional arguments complete to */
	const char *words;		/* if set, the first positional completes to one
					 * of these space-separated words (a verb) */
	int (*main)(int argc, char **argv);
};

/* What the parser hands back. */
struct tn_args {
	char **pos;		/* positional arguments */
	int npos;
	int dashdash;		/* positionals before a "--", or -1 */
	struct out_opts out;
};

/* What an option callback returns, and opt_parse too: TN_OPT_GO to go on,
 * or the exit code to end the command with now, after its message (a usage
 * error: TN_EXIT_USAGE; for opt_parse also 0, after --help).  A callback
 * never returns 0: that would end the command with success before it did
 * anything, so opt_parse takes a 0 (or any other negative value) from a
 * callback for the bug it is, and fails with exit 1. */
#define TN_OPT_GO (-1)
/* opt_flag_cb only: the key is none of the flag set's options */
#define TN_OPT_NOT_MINE (-2)

/* Called for each command option: arg is its value (NULL if none); for
 * OPT_REST options rest/nrest hold the words (rest points into argv: it
 * does not end in NULL).  Returns TN_OPT_GO or an exit code > 0 (see above). */
typedef int (*tn_opt_cb)(void *ctx, int key, const char *arg, char **rest, int nrest);

/* Parse argv (argv[0] is the command).  Handles --help and the shared output
 * options.  Returns TN_OPT_GO to go on, or an exit code to return now. */
int opt_parse(const struct tn_cmd *cmd, int argc, char **argv, tn_opt_cb cb,
	      void *ctx, struct tn_args *a);
void opt_help(const struct tn_cmd *cmd, FILE *f);
/* The option of table t named name[0..n), or with the letter c; NULL if none. */
const struct tn_opt *opt_find_long(const struct tn_opt *t, const char *name, size_t n);
const struct tn_opt *opt_find_short(const struct tn_opt *t, int c);
/* The long option of cmd that --name[0..n) names, as getopt_long finds it:
 * the option of that name, else the one option whose name starts with it
 * (an abbreviation).  Looks at the command's options, then at the shared
 * output options that apply to it (*outopt set true for one of those;
 * outopt may be NULL).  NULL when no option matches, or several do
 * (*ambiguous set true then; may be NULL).  A hidden option is found by
 * its whole name only. */
const struct tn_opt *opt_long(const struct tn_cmd *cmd, const char *name, size_t n,
			      bool *outopt, bool *ambiguous);
/* Does the shared output option o (tn_output_opts) apply to cmd? */
bool opt_out_applies(const struct tn_cmd *cmd, const struct tn_opt *o);
/* Option lists for the docs test: tnos __options CMD */
int opt_list(const struct tn_cmd *cmd);

extern const struct tn_opt tn_output_opts[];

/* every command's descriptor, declared from the one list */
#define TNOS_CMD(name) extern const struct tn_cmd cmd_##name;
#define TNOS_CMD_NOLINK(name) TNOS_CMD(name)
#include "cmds.h"
#undef TNOS_CMD
#undef TNOS_CMD_NOLINK

/* Parse a flag-name list for option opt; prints a usage error on failure. */
int opt_names(const char *optname, const struct tn_name *t, const char *list, uint64_t *out);

/* A flag option can be given a raw number, for flags newer than the build
 * (names_parse).  When the syscall then fails with EINVAL and given has bits
 * the table t has no name for, the running kernel does not know them either:
 * that is exit 3, as for a missing syscall.  Says so, naming the option and
 * the bits ("OPT 0xBITS: SYSCALL: the kernel does not know these flag bits
 * (EINVAL), nor does this build"), and returns TN_EXIT_NOSYS; returns 0, with
 * nothing said, in every other case (the caller explains err).  Every command
 * that passes such a number to the kernel answers its EINVAL with this. */
int opt_flags_refused(int err, const char *syscall, const char *opt, const struct tn_name *t,
		      uint64_t given);

/* A flag set given as options (move, umount, rename): every name of the
 * set is an option of its own, generated at compile time from the set's
 * X-macro list in names.h (so a flag added to the list is an option at
 * once), then --flags NAMES takes them as a list or numbers:
 *
 *	#define UM_FLAG(val, name, help) OPT_FLAG_ROW(OPT_FLAG_KEY(val), tn_umount_names, name, help)
 *	static const struct tn_opt opts[] = {
 *		TN_UMOUNT_FLAGS(UM_FLAG)
 *		OPT_FLAGS_ROW(UO_FLAGS, tn_umount_names, "umount2 flags by name or number (0x...)"),
 *		...
 *
 * A row's key is OPT_FLAG_KEY(VALUE) or a short letter of its own. */
#define OPT_FLAG_KEY(val) (0x40000000 | (int)(val))
#define OPT_FLAG_ROW(key, names, name, help) { key, name, NULL, help, TC_NONE, names, OPT_FLAG, NULL },
#define OPT_FLAGS_ROW(key, names, help) { key, "flags", "NAMES", help, TC_NAMES, names, OPT_FLAG, NULL }
/* In an option callback: is key one of cmd's OPT_FLAG options?  Adds its
 * bits (--flags: the list's) to *flags and returns TN_OPT_GO or
 * TN_EXIT_USAGE; TN_OPT_NOT_MINE when key is not one of them. */
int opt_flag_cb(const struct tn_cmd *cmd, int key, const char *arg, uint64_t *flags);

#endif
