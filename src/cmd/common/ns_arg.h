/* ns_arg.h - the --ns PID|PATH argument of lsmount and statmount. */
#ifndef TNOS_NS_ARG_H
#define TNOS_NS_ARG_H

#include <stdbool.h>
#include <stdint.h>

/* The mount namespace id of --ns SPEC (a PID, through its pidfd where the
 * kernel has one, or an nsfs path).  0, or after a message an exit code. */
int nsarg_mntns_id(const char *spec, uint64_t *id);

/* Enter the mount namespace of --ns SPEC (setns(2)): from then on paths,
 * /proc/self/mountinfo and statmount's mount points are that namespace's,
 * and the working directory is its root.  0, or after a message an exit
 * code. */
int nsarg_enter(const char *spec);

/* Does the mount argument ARG name something only the namespace itself can
 * resolve: a path, or an old mount id (mountinfo's, looked up there)? */
bool nsarg_needs_enter(const char *arg);

#endif
