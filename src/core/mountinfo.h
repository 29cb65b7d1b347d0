/* mountinfo.h - /proc/PID/mountinfo, for kernels without listmount(2). */
#ifndef TNOS_MOUNTINFO_H
#define TNOS_MOUNTINFO_H

struct tn_mi {
	unsigned id, parent, major, minor;
	char *root, *target, *vfsopts, *optional, *fstype, *source, *superopts;
};

/* Undo mountinfo's octal escapes (\040 for a space ...) in place. */
void tn_mi_unescape(char *s);

/* Call fn for each line of path, its fields decoded from mountinfo's octal
 * escapes but for the option lists (vfsopts, superopts), which keep them:
 * there a comma in a value is \054, so a list splits on its commas first.
 * fn returns 0 to go on.  Returns 0, fn's non-zero value, or -errno. */
int tn_mountinfo_each(const char *path, int (*fn)(const struct tn_mi *m, void *ctx), void *ctx);

/* Call fn for each filesystem type the kernel knows (/proc/filesystems),
 * in the kernel's order.  fn returns 0 to go on.  Returns 0, fn's non-zero
 * value, or -errno. */
int tn_fstypes_each(int (*fn)(const char *type, void *ctx), void *ctx);

#endif
