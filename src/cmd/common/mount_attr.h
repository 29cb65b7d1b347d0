/* mount_attr.h - argument helpers shared by fsmount, setattr and move: mount
 * attribute lists (with the atime and rw/ro enums), user namespaces, and
 * plain-words explanations of the kernel's EINVALs. */
#ifndef TNOS_MOUNT_ATTR_H
#define TNOS_MOUNT_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse an attribute list (tn_mount_attr_names) for option --optname.
 * *val gets the bits, *fields the enum fields (MOUNT_ATTR__ATIME,
 * MOUNT_ATTR_RDONLY) a name in the list gave a value to.  Two values for one
 * field are a usage error that says so.  Returns 0 or TN_EXIT_USAGE. */
int attr_parse(const char *optname, const char *list, uint64_t *val, uint64_t *fields);

/* Is --idmap's SPEC a mapping (mount(8)'s X-mount.idmap syntax, told by a
 * colon; a path starting with '/' or '.' never is) rather than a PID or an
 * nsfs path? */
bool attr_idmap_is_map(const char *spec);
struct tn_idrange;
/* Parse a mapping into r, which has room for 2 * TN_IDMAP_MAX ranges (each
 * is a uid range, a gid range or both).  0 with *n set, or after a usage
 * error naming the range TN_EXIT_USAGE. */
int attr_idmap_parse(const char *spec, struct tn_idrange *r, size_t *n);
/* Check a mapping: 0, or after a usage error naming the range TN_EXIT_USAGE.
 * Not a mapping: 0. */
int attr_idmap_check(const char *spec);

/* Open --idmap's user namespace: a PID or nsfs path, or a new one made from
 * a mapping (its maker process already reaped); reports errors itself.
 * Returns an fd, or -(exit code). */
int attr_userns(const char *spec);

#endif
