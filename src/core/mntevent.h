/* mntevent.h - mount events of one mount namespace through fanotify
 * (FAN_REPORT_MNT, a FAN_MARK_MNTNS mark: Linux 6.15). */
#ifndef TNOS_MNTEVENT_H
#define TNOS_MNTEVENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum tn_mntev_kind {
	TN_MNTEV_ATTACH,	/* FAN_MNT_ATTACH */
	TN_MNTEV_DETACH,	/* FAN_MNT_DETACH */
	TN_MNTEV_MOVE,		/* both bits in one event */
	TN_MNTEV_OVERFLOW,	/* FAN_Q_OVERFLOW: events were lost */
};

struct tn_mntev {
	enum tn_mntev_kind kind;
	uint64_t mnt_id;	/* unique mount id (0 for an overflow) */
};

/* Subscribe to the attach and detach events of the mount namespace nsfd
 * (an nsfs fd, /proc/PID/ns/mnt).  Returns a non-blocking fanotify fd, or
 * -errno with *step the syscall that failed ("fanotify_init" or
 * "fanotify_mark").  A kernel without mount events (before 6.15) answers
 * fanotify_init with EINVAL; one without fanotify with ENOSYS. */
int tn_mntev_open(int nsfd, const char **step);

/* What is queued, read into buf: the bytes read, 0 when nothing is queued,
 * or -errno. */
ssize_t tn_mntev_read(int fd, void *buf, size_t len);

/* Events in a buffer read by tn_mntev_read. */
struct tn_mntev_iter {
	const unsigned char *p;
	size_t left;
};
void tn_mntev_iter_init(struct tn_mntev_iter *it, const void *buf, size_t len);
/* 1 with *ev set, 0 at the end, -EBADMSG on a record the kernel would not
 * write (wrong version, a length past the buffer, no mount record);
 * records of other kinds are skipped. */
int tn_mntev_next(struct tn_mntev_iter *it, struct tn_mntev *ev);

#endif
