/* mount_attr.h - argument helpers shared by fsmount, setattr and move: mount
 * attribute lists (with the atime and rw/ro enums), user namespaces, and
 * plain-words explanations of the kernel's EINVALs. */
#ifndef TNOS_MOUNT_ATTR_H
#define TNOS_MOUNT_ATTR_H

#include <stdbool.h>
#include <stdint.h>

/* Parse an attribute list (tn_mount_attr_names) for option --optname.
 * *val gets the bits, *fields the enum fields (MOUNT_ATTR__ATIME,
 * MOUNT_ATTR_RDONLY) a name in the list gave a value to.  Two values for one
 * field are a usage error that says so.  Returns 0 or TN_EXIT_USAGE. */
int attr_parse(const char *optname, const char *list, uint64_t *val, uint64_t *fields);

/* Open --idmap's user namespace (PID or nsfs path); reports errors itself.
 * Returns an fd, or -(exit code). */
int attr_userns(const char *spec);

#endif
