/* ns_arg.h - the --ns PID|PATH argument of lsmount and statmount. */
#ifndef TNOS_NS_ARG_H
#define TNOS_NS_ARG_H

#include <stdint.h>

/* The mount namespace id of --ns SPEC (a PID, through its pidfd where the
 * kernel has one, or an nsfs path).  0, or after a message an exit code. */
int nsarg_mntns_id(const char *spec, uint64_t *id);

#endif
