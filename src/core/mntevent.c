/* mntevent.c - mount events through fanotify (see mntevent.h). */
#define _GNU_SOURCE
#include "mntevent.h"
#include "uapi.h"

#include <errno.h>
#include <string.h>
#include <sys/fanotify.h>
#include <unistd.h>

int tn_mntev_open(int nsfd, const char **step)
{
	*step = "fanotify_init";
	int fd = fanotify_init(FAN_REPORT_MNT | FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	*step = "fanotify_mark";
	if (fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MNTNS, FAN_MNT_ATTACH | FAN_MNT_DETACH,
			  nsfd, NULL) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

ssize_t tn_mntev_read(int fd, void *buf, size_t len)
{
	for (;;) {
		ssize_t n = read(fd, buf, len);
		if (n >= 0)
			return n;
		if (errno == EAGAIN)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

void tn_mntev_iter_init(struct tn_mntev_iter *it, const void *buf, size_t len)
{
	it->p = buf;
	it->left = len;
}

/* The mount id from the info records of one event (after its metadata). */
static int mnt_info(const unsigned char *p, size_t n, uint64_t *id)
{
	while (n >= sizeof(struct fanotify_event_info_header)) {
		struct fanotify_event_info_header h;
		memcpy(&h, p, sizeof(h));
		if (h.len < sizeof(h) || h.len > n)
			return -EBADMSG;
		if (h.info_type == FAN_EVENT_INFO_TYPE_MNT) {
			if (h.len < sizeof(struct tn_fan_info_mnt))
				return -EBADMSG;
			memcpy(id, p + offsetof(struct tn_fan_info_mnt, mnt_id), sizeof(*id));
			return 0;
		}
		p += h.len;
		n -= h.len;
	}
	return -EBADMSG;
}

int tn_mntev_next(struct tn_mntev_iter *it, struct tn_mntev *ev)
{
	for (;;) {
		struct fanotify_event_metadata m;
		if (it->left < sizeof(m))
			return 0;
		memcpy(&m, it->p, sizeof(m));
		if (m.vers != FANOTIFY_METADATA_VERSION || m.event_len < m.metadata_len ||
		    m.metadata_len < sizeof(m) || m.event_len > it->left)
			return -EBADMSG;
		const unsigned char *info = it->p + m.metadata_len;
		size_t ninfo = m.event_len - m.metadata_len;
		it->p += m.event_len;
		it->left -= m.event_len;
		if (m.fd >= 0)
			close(m.fd);	/* not asked for (FAN_REPORT_MNT has none) */
		if (m.mask & FAN_Q_OVERFLOW) {
			ev->kind = TN_MNTEV_OVERFLOW;
			ev->mnt_id = 0;
			return 1;
		}
		uint64_t both = FAN_MNT_ATTACH | FAN_MNT_DETACH;
		if (!(m.mask & both))
			continue;
		int r = mnt_info(info, ninfo, &ev->mnt_id);
		if (r < 0)
			return r;
		ev->kind = (m.mask & both) == both ? TN_MNTEV_MOVE
			   : (m.mask & FAN_MNT_ATTACH) ? TN_MNTEV_ATTACH : TN_MNTEV_DETACH;
		return 1;
	}
}
