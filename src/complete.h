/* complete.h - the shell completions' helper: tnos __complete CMD WORD...
 * reads the same option tables as the parser and --help (long options
 * abbreviated as the parser takes them), and asks core for mount points,
 * mount sources, mount ids and filesystem types. */
#ifndef TNOS_COMPLETE_H
#define TNOS_COMPLETE_H

#include "opt.h"

/* Candidates for the last word, one a line on stdout.  A line starting with
 * ':' (":dirs", ":files", ":commands") tells the shell to complete that
 * itself.  Returns the exit status. */
int tn_complete(const struct tn_cmd *const *cmds, int argc, char **argv);

#endif
